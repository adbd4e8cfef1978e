/**
 * The plan explained: what every renderer (text, markdown, HTML, JSON) shows beside the
 * decisions, built once from the Plan and the rule set. For each decision the rules behind
 * its value with their title, rationale and evidence ids, the label of every value id it
 * mentions, and for an open decision each candidate's rules with the unknown conditions
 * that would select it. On top, the patient: the inputs given and those unknown, and the
 * date of the plan (given by the caller, never read from the clock). The references are
 * exactly the evidence entries cited somewhere in the explained plan.
 *
 * Pure: reads the Plan (its inputs and trace) and the rule-set model, nothing else.
 */
import { DECISION_OPERATORS, FACT_OPERATORS, type DecisionOperatorTable, type OperatorTable } from '../engine/operators.js';
import { FIELD_BY_PATH, INPUT_FIELDS, type FieldSpec } from '../case/fields.js';
import { derivedValue } from '../case/derive.js';
import type { TraceNode } from '../engine/compile.js';
import type { Candidate, DecisionResult, Factor, Plan } from '../engine/evaluate.js';
import type { EvidenceModel, RuleModel, RulesetModel } from '../rules/model.js';

/** A rule behind a decision: the reason shown beside it. */
export interface Reason {
  readonly rule: string;
  readonly title: string;
  readonly rationale: string;
  readonly evidence: readonly string[];
  /** The value (or item) the rule gives, when it gives one. */
  readonly value?: string;
}

/** A rule that may still apply: its reason and the unknown conditions that would select it. */
export interface OpenReason extends Reason {
  /** Readable conditions on unknown inputs (or open decisions), all of which must hold. */
  readonly if: readonly string[];
}

export interface ExplainedCandidate extends Candidate {
  readonly label: string;
  readonly reasons: readonly OpenReason[];
}

export interface ExplainedFactor extends Factor {
  readonly rationale: string;
  /** Possible factors: what would make them count. */
  readonly if?: readonly string[];
}

export interface ExplainedDecision extends Omit<DecisionResult, 'candidates' | 'factors'> {
  /** The deciding rule's rationale (a determined priority or score decision). */
  readonly rationale?: string;
  /** Evidence ids cited for this decision: its reasons, candidates and factors. */
  readonly evidence: readonly string[];
  /** Label of every value id the decision mentions (value, items, candidates). */
  readonly labels: Readonly<Record<string, string>>;
  /** The rules behind the value: the deciding rule, the rules adding items, the present factors. */
  readonly reasons: readonly Reason[];
  readonly candidates?: readonly ExplainedCandidate[];
  readonly factors?: readonly ExplainedFactor[];
  /**
   * Score decisions: the least score of the second level. The lowest level has no lower
   * bound (the shipped rules reach "not applicable" with -100 points for no operation), so a
   * score below this is shown by its level alone, not as a number.
   */
  readonly openBelow?: number;
}

export interface InputShown {
  readonly field: string;
  readonly label: string;
  /** The value as recorded (JSON). */
  readonly value: unknown;
  /** The value as read: labels, units. */
  readonly text: string;
  /** The inputs this value follows from (case/derive.ts), whether it was also given or not. */
  readonly follows?: readonly string[];
}

/** How a plan says that an input's value follows from others: "(follows from IVC segments involved)", or '' when it does not. */
export const followsText = (g: InputShown): string => (g.follows ? `(follows from ${g.follows.map((p) => FIELD_BY_PATH.get(p)?.label ?? p).join(', ')})` : '');

export interface PatientSummary {
  readonly given: readonly InputShown[];
  readonly unknown: readonly { readonly field: string; readonly label: string; readonly workup: string }[];
  /** Inputs given that no rule read (when the plan reports them). */
  readonly unread?: readonly string[];
}

export interface ExplainedPlan extends Omit<Plan, 'decisions' | 'evidence' | 'trace'> {
  /** YYYY-MM-DD, from --date or the case; absent when neither gives one. */
  readonly date?: string;
  readonly patient: PatientSummary;
  readonly decisions: Readonly<Record<string, ExplainedDecision>>;
  /** The evidence cited by this plan, in id order. */
  readonly evidence: readonly EvidenceModel[];
  readonly trace?: Plan['trace'];
}

const factWords = (op: string): string => (FACT_OPERATORS as OperatorTable)[op]?.words ?? op;
const decisionWords = (op: string): string => (DECISION_OPERATORS as DecisionOperatorTable)[op]?.words ?? op;

/** An input value as read: enum ids with spaces, lists joined, units, yes/no. */
export function inputText(spec: FieldSpec | undefined, v: unknown): string {
  if (v === undefined || v === null) return 'unknown';
  if (Array.isArray(v)) return v.length ? v.map((x: unknown) => inputText(undefined, x)).join(', ') : 'none';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number') return spec?.unit ? `${v}${spec.unit === '%' ? '' : ' '}${spec.unit}` : String(v);
  return (typeof v === 'string' ? v : JSON.stringify(v)).replace(/_/g, ' ');
}

function operandText(node: Extract<TraceNode, { kind: 'fact' }>, spec: FieldSpec | undefined): string {
  const e = node.expected;
  if (e === null) return '';
  if (Array.isArray(e)) return ` ${e.map((x) => inputText(spec, x)).join(node.operator === 'in' || node.operator === 'notIn' ? ' or ' : ', ')}`;
  if (typeof e === 'object') return ` ${inputText(spec, (e as { readonly value: number }).value)}`;
  return ` ${inputText(spec, e)}`;
}

/**
 * The unknown part of a condition whose result is unknown, as words: what would have to be
 * true of the missing inputs for it to hold. Known parts are left out (they already hold).
 */
function openConditions(node: TraceNode, model: RulesetModel, out: string[]): void {
  if (node.result !== 'unknown') return;
  switch (node.kind) {
    case 'fact': {
      const spec = FIELD_BY_PATH.get(node.fact);
      const count = node.count !== undefined ? ` ${node.count} of` : '';
      out.push(`${spec?.label ?? node.fact} ${factWords(node.operator)}${count}${operandText(node, spec)}`);
      return;
    }
    case 'decision': {
      const d = model.decisions.find((x) => x.id === node.decision);
      const vals = (Array.isArray(node.expected) ? node.expected : [node.expected]).map((v) => shortLabel(d?.values[String(v)] ?? String(v)));
      out.push(`${d?.title ?? node.decision} ${decisionWords(node.operator)} ${vals.join(' or ')}`);
      return;
    }
    case 'all':
      for (const c of node.children) openConditions(c, model, out);
      return;
    case 'any': {
      const alts: string[] = [];
      for (const c of node.children) {
        const part: string[] = [];
        openConditions(c, model, part);
        if (part.length) alts.push(part.join(' and '));
      }
      if (alts.length === 1) out.push(alts[0]!);
      else if (alts.length) out.push(`either ${alts.join(', or ')}`);
      return;
    }
    case 'not': {
      const part: string[] = [];
      for (const c of node.children) openConditions(c, model, part);
      if (part.length) out.push(`not (${part.join(' and ')})`);
      return;
    }
  }
}

/**
 * A value's label as a condition quotes it: its first clause ("Outside this rule set" of
 * "Outside this rule set — the biopsy shows …"); the full label stands beside the value itself.
 */
export function shortLabel(label: string): string {
  const cut = label.search(/ \u2014 | \(|; |: /); // \u2014: the bundle must stay ASCII, and a regex literal is not escaped
  return cut > 0 ? label.slice(0, cut) : label;
}

const reasonOf = (r: RuleModel): Reason => ({
  rule: r.id,
  title: r.title,
  rationale: r.rationale,
  evidence: r.evidence,
  ...(r.then.value !== undefined ? { value: r.then.value } : {}),
});

function addAll(into: string[], ids: readonly string[]): void {
  for (const id of ids) if (!into.includes(id)) into.push(id);
}

/** Explain a plan for the MDT. `date` (YYYY-MM-DD) is the caller's; nothing here reads a clock. */
export function explainPlan(plan: Plan, model: RulesetModel, options: { readonly date?: string } = {}): ExplainedPlan {
  const rules = new Map(model.rules.map((r) => [r.id, r]));
  const traces = new Map((plan.trace ?? []).map((t) => [t.rule, t]));
  const openIf = (id: string): string[] => {
    const t = traces.get(id);
    const out: string[] = [];
    if (t) openConditions(t.when, model, out);
    return out;
  };
  const openReason = (id: string): OpenReason => {
    const r = rules.get(id);
    const base: Reason = r ? reasonOf(r) : { rule: id, title: id, rationale: '', evidence: [] };
    return { ...base, if: openIf(id) };
  };

  const decisions: Record<string, ExplainedDecision> = {};
  const cited: string[] = [];
  for (const d of model.decisions) {
    const r = plan.decisions[d.id];
    if (!r) continue;
    const label = (v: string): string => d.values[v] ?? v.replace(/_/g, ' ');
    const labels: Record<string, string> = {};
    const named = (v: string): void => {
      if (v !== 'undetermined') labels[v] = label(v);
    };
    if (typeof r.value === 'string') named(r.value);
    else r.value.forEach(named);
    const reasonIds = r.rule !== undefined ? [r.rule] : (r.rules ?? []);
    const reasons = reasonIds.map((id) => rules.get(id)).filter((x): x is RuleModel => x !== undefined).map(reasonOf);
    const candidates = r.candidates?.map((c): ExplainedCandidate => {
      named(c.value);
      const reasons = c.rules.map(openReason).map((x) =>
        // a priority rule that holds but waits on the open rules above it
        x.if.length === 0 && r.hitPolicy === 'priority' ? { ...x, if: ['none of the rules above it applies'] } : x,
      );
      return { value: c.value, rules: c.rules, label: label(c.value), reasons };
    });
    const factors = r.factors?.map((f): ExplainedFactor => {
      const rule = rules.get(f.rule);
      const base = { ...f, rationale: rule?.rationale ?? '' };
      return f.status === 'possible' ? { ...base, if: openIf(f.rule) } : base;
    });
    const evidence: string[] = [];
    for (const x of reasons) addAll(evidence, x.evidence);
    for (const c of candidates ?? []) for (const x of c.reasons) addAll(evidence, x.evidence);
    for (const f of factors ?? []) addAll(evidence, f.evidence);
    addAll(cited, evidence);
    const { candidates: _c, factors: _f, ...rest } = r;
    void _c;
    void _f;
    const deciding = r.rule !== undefined ? rules.get(r.rule) : undefined;
    decisions[d.id] = {
      ...rest,
      ...(deciding ? { rationale: deciding.rationale } : {}),
      evidence,
      labels,
      reasons,
      ...(candidates ? { candidates } : {}),
      ...(factors ? { factors } : {}),
      ...(d.hitPolicy === 'score' && d.levels?.[1] !== undefined ? { openBelow: d.levels[1].minScore } : {}),
    };
  }
  for (const ref of plan.complexity?.references ?? []) addAll(cited, ref.evidence);
  const byId = new Map(plan.evidence.map((e) => [e.id, e]));
  const evidence = cited
    .slice()
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((id) => byId.get(id) ?? model.evidence[id])
    .filter((e): e is EvidenceModel => e !== undefined);

  const inputs = plan.inputs ?? {};
  const given: InputShown[] = [];
  const unknown: PatientSummary['unknown'][number][] = [];
  for (const spec of INPUT_FIELDS) {
    const v = inputs[spec.path];
    if (v === undefined || v === null) unknown.push({ field: spec.path, label: spec.label, workup: spec.workup });
    else {
      const derived = derivedValue(spec.path, (p) => inputs[p]);
      given.push({ field: spec.path, label: spec.label, value: v, text: inputText(spec, v), ...(derived !== undefined && derived.value === v ? { follows: derived.from } : {}) });
    }
  }
  const unread = (plan as { unreadInputs?: readonly string[] }).unreadInputs;
  const patient: PatientSummary = { given, unknown, ...(unread?.length ? { unread } : {}) };

  const { decisions: _d, evidence: _e, trace: _t, ...head } = plan;
  void _d;
  void _e;
  void _t;
  const { schemaVersion, case: c, ...others } = head;
  const out: Record<string, unknown> = { schemaVersion, case: c };
  if (options.date) out.date = options.date;
  const { ruleset, status, ...after } = others;
  Object.assign(out, { ruleset, status, patient, decisions }, after, { evidence });
  if (plan.trace !== undefined) out.trace = plan.trace;
  return out as unknown as ExplainedPlan;
}
