/**
 * evaluate(case, ruleset): the Plan — the decision core's outcome (decide.ts) explained:
 * titles and labels, the rules behind each value, candidates with their rules, score
 * factors, graft sizing, warnings, the evidence cited, the missing inputs with their
 * work-up, borderline probes and the trace. Pure: no files, clock or terminal; the same
 * input gives the same object, which every renderer and the JSON output share.
 */
import { FIELD_BY_PATH } from '../case/fields.js';
import type { EvidenceModel, ReferenceModel } from '../rules/model.js';
import { factsOf, withValue, type CompiledDecision, type CompiledRule, type CompiledRuleset, type DecisionState, type Facts, type TraceNode, type TruthName } from './compile.js';
import { completeDecisions, decideFacts, decidingRule, UNDETERMINED, type Decisions, type DecisionValue, type InvariantViolation } from './decide.js';
import { graftSize, type GraftSize } from './graft.js';
import type { HitPolicyName, Resolution } from './policies.js';
import { unreadInputs } from './unused-inputs.js';

export { UNDETERMINED, decide, valueKey } from './decide.js';
export type { Decided, Decisions, DecisionValue, InvariantViolation, MissingField } from './decide.js';
export type { GraftSize } from './graft.js';

export const PLAN_SCHEMA_VERSION = 1;

export interface MissingInput {
  readonly field: string;
  readonly label: string;
  readonly workup: string;
  /** Decisions this input would help settle. */
  readonly decisions: readonly string[];
}

export interface Candidate {
  readonly value: string;
  readonly rules: readonly string[];
}

export interface Factor {
  readonly rule: string;
  readonly title: string;
  readonly points: number;
  readonly status: 'present' | 'possible';
  readonly evidence: readonly string[];
}

export interface DecisionResult {
  readonly title: string;
  readonly hitPolicy: HitPolicyName;
  readonly status: 'determined' | 'undetermined';
  /** priority/score: the value or "undetermined"; collect: the items definitely needed. */
  readonly value: string | readonly string[];
  readonly label?: string;
  /** priority/score: the deciding rule. */
  readonly rule?: string;
  /** collect/score: the rules that contributed. */
  readonly rules?: readonly string[];
  readonly candidates?: readonly Candidate[];
  readonly missing?: readonly string[];
  readonly material?: string;
  readonly graftSize?: GraftSize;
  readonly score?: number;
  readonly scoreMax?: number;
  readonly factors?: readonly Factor[];
}

export interface Warning {
  readonly id: string;
  readonly text: string;
  readonly rule: string;
}

export interface Borderline {
  readonly field: string;
  readonly value: number;
  readonly parameter: string;
  readonly threshold: number;
  readonly band: number;
  /** Where the probe lies: "below 75" / "75 or above" … */
  readonly otherSide: string;
  /** Decisions whose value differs on the other side (collect decisions: item lists). */
  readonly changes: readonly { readonly decision: string; readonly from: string | readonly string[]; readonly to: string | readonly string[] }[];
}

export interface RuleTrace {
  readonly rule: string;
  readonly decision: string;
  readonly priority: number;
  readonly result: TruthName;
  /** false for rules below the one that decided (evaluated for the record only). */
  readonly reached: boolean;
  readonly when: TraceNode;
}

export interface Plan {
  readonly schemaVersion: number;
  readonly case: { readonly id: string; readonly source?: unknown };
  readonly ruleset: { readonly name: string; readonly version: string; readonly digest: string; readonly parameters: Readonly<Record<string, number>> };
  readonly status: 'determined' | 'undetermined';
  readonly decisions: Readonly<Record<string, DecisionResult>>;
  readonly complexity?: {
    readonly level: string;
    readonly score: number;
    readonly scoreMax: number;
    readonly status: 'determined' | 'undetermined';
    readonly factors: readonly Factor[];
    readonly references: readonly ReferenceModel[];
  };
  readonly warnings: readonly Warning[];
  readonly missing: readonly MissingInput[];
  readonly borderline: readonly Borderline[];
  readonly evidence: readonly EvidenceModel[];
  readonly invariantViolations: readonly InvariantViolation[];
  /** Fields the case gives that no rule of the rule set reads (unused-inputs.ts). */
  readonly unreadInputs: readonly string[];
  readonly inputs?: Readonly<Record<string, unknown>>;
  readonly trace?: readonly RuleTrace[];
}

export interface EvaluateOptions {
  /** Record every rule and condition (default true). */
  readonly trace?: boolean;
  /** Look for inputs near a threshold and show the other side (default true). */
  readonly borderline?: boolean;
}


type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const idsOf = (d: CompiledDecision, rules: readonly number[]): string[] => rules.map((i) => d.rules[i]!.model.id);

/** Candidate values, each with the open rules giving it (score levels have none). */
function candidatesOf(d: CompiledDecision, r: Resolution): Candidate[] {
  return r.candidates.map((value) => ({ value, rules: r.open.filter((i) => d.rules[i]!.value === value).map((i) => d.rules[i]!.model.id) }));
}

/** Score factors: the rules that hold (present) and the unknown ones (possible), in rule order. */
function factorsOf(d: CompiledDecision, r: Resolution): Factor[] {
  // applied and open are each in rule order: merged, not sorted
  const out: Factor[] = [];
  const { applied, open } = r;
  for (let a = 0, o = 0; a < applied.length || o < open.length; ) {
    const present = o >= open.length || (a < applied.length && applied[a]! < open[o]!);
    const m = d.rules[present ? applied[a++]! : open[o++]!]!.model;
    out.push({ rule: m.id, title: m.title, points: m.then.points ?? 0, evidence: m.evidence, status: present ? 'present' : 'possible' });
  }
  return out;
}

function resultOf(rs: CompiledRuleset, d: CompiledDecision, r: Resolution, state: DecisionState, facts: Facts): DecisionResult {
  const m = d.model;
  const policy = m.hitPolicy;
  const res: Mutable<DecisionResult> = {
    title: m.title,
    hitPolicy: policy,
    status: r.determined ? 'determined' : 'undetermined',
    value: r.included ?? (r.determined && r.value !== undefined ? r.value : UNDETERMINED),
  };
  const decider = decidingRule(d, r);
  if (decider !== undefined) {
    res.label = decider.label!;
    res.rule = decider.model.id;
    const then = decider.model.then;
    if (then.material) res.material = then.material;
    if (then.graftSizing) {
      const diameter = rs.graftDiameterField < 0 ? undefined : (facts.values[rs.graftDiameterField] as number | undefined);
      res.graftSize = graftSize(rs.params, diameter);
    }
  }
  if (policy === 'score') {
    res.label = r.determined && r.value !== undefined ? (m.values[r.value] ?? r.value) : UNDETERMINED;
    res.rules = idsOf(d, r.applied);
    res.score = r.score!.min;
    res.scoreMax = r.score!.max;
    res.factors = factorsOf(d, r);
  } else if (policy === 'collect') res.rules = idsOf(d, r.applied);
  if (!r.determined) {
    res.candidates = candidatesOf(d, r);
    res.missing = state.missing;
  }
  return res;
}

/** Whether two values of one decision are the same (collect: the same items in the same order). */
function sameValue(a: DecisionValue, b: DecisionValue): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function findBorderline(rs: CompiledRuleset, ds: Decisions, applied: readonly CompiledRule[]): Borderline[] {
  const out: Borderline[] = [];
  let seen: Set<string> | undefined; // most cases are near no threshold
  const values = ds.facts.values;
  for (const leaf of rs.banded) {
    const x = values[leaf.field];
    if (typeof x !== 'number' || Math.abs(x - leaf.threshold) > leaf.band) continue;
    const t = leaf.threshold;
    const up = leaf.upperIncludesT ? x >= t : x > t;
    const { probe, otherSide, key } = up ? leaf.fromUpper : leaf.fromLower;
    if (seen?.has(key)) continue;
    (seen ??= new Set()).add(key);
    const other = decideFacts(rs, withValue(rs, ds.facts, leaf.field, probe), { decisions: ds, reaches: leaf.reaches });
    const changes: { decision: string; from: string | readonly string[]; to: string | readonly string[] }[] = [];
    for (let i = 0; i < rs.decisions.length; i++) {
      const a = ds.values[i]!;
      const b = other.values[i]!;
      if (leaf.reaches[i] && !sameValue(a, b)) changes.push({ decision: rs.decisions[i]!.model.id, from: a, to: b });
    }
    // no decision changes: shown only when the leaf's rule is one the plan uses
    if (changes.length === 0 && !applied.some((r) => r.model.id === leaf.rule)) continue;
    out.push({ field: leaf.fact, value: x, parameter: leaf.param, threshold: t, band: leaf.band, otherSide, changes });
  }
  return out;
}

/** Rules whose outcome is part of the plan (`applied`), or that may apply (`open`: candidates, possible factors), in decision and rule order. */
function rulesOf(rs: CompiledRuleset, ds: Decisions, which: 'applied' | 'open'): CompiledRule[] {
  const out: CompiledRule[] = [];
  for (const d of rs.decisions) {
    const picked = ds.resolutions[d.index]![which];
    for (let i = 0; i < picked.length; i++) out.push(d.rules[picked[i]!]!);
  }
  return out;
}

/**
 * Plan.inputs and Plan.trace, built when first read: most plans are never read in full
 * (the analysis, the benchmark), and these two are the largest part of a plan. The trace
 * lists every rule of every decision with its condition tree; a rule's trace node is a
 * pure function of the facts and of the states of the decisions before its own. Both must
 * show what the engine saw, whatever the caller does to the case or the plan in between:
 * the case's lists are copied now, the decision states are decided again from that copy
 * when the trace is read (the same states: decide is pure), and the inputs' lists are
 * copies of it (the caller may change them; the trace's stay frozen).
 */
function seenBy(rs: CompiledRuleset, facts: Facts): { readonly inputs: () => Record<string, unknown>; readonly trace: () => readonly RuleTrace[] } {
  const ownValues = facts.values.slice();
  for (let i = 0; i < ownValues.length; i++) {
    const v = ownValues[i];
    if (Array.isArray(v)) ownValues[i] = Object.freeze(v.slice());
  }
  // the codes are the case's own (numbers: nothing to protect); the decision slots are refilled when read
  const ownFacts: Facts = { values: ownValues, codes: facts.codes.slice() };
  let inputs: Record<string, unknown> | undefined;
  let trace: readonly RuleTrace[] | undefined;
  return {
    inputs: () => {
      if (inputs !== undefined) return inputs;
      inputs = {};
      for (let i = 0; i < ownValues.length; i++) {
        const v = ownValues[i];
        if (v !== undefined) inputs[rs.fieldPaths[i]!] = Array.isArray(v) ? v.slice() : v;
      }
      return inputs;
    },
    trace: () => {
      if (trace !== undefined) return trace;
      const ownStates = decideFacts(rs, ownFacts).states;
      const out: RuleTrace[] = [];
      for (const d of rs.decisions) {
        const priority = d.model.hitPolicy === 'priority';
        const decision = d.model.id;
        // below the first rule that holds, a priority decision's rules are evaluated for the record only
        let reached = true;
        for (const rule of d.rules) {
          const when = rule.node(ownFacts, ownStates);
          out.push(Object.freeze({ rule: rule.model.id, decision, priority: rule.model.priority, result: when.result, reached, when }));
          if (priority && when.result === 'true') reached = false;
        }
      }
      return (trace = Object.freeze(out));
    },
  };
}

/** Evaluate one (already validated) case against a compiled rule set. Pure. */
export function evaluate(input: { readonly id: string; readonly source?: unknown }, rs: CompiledRuleset, options: EvaluateOptions = {}): Plan {
  const trace = options.trace ?? true;
  const facts = factsOf(rs, input);
  const decided = completeDecisions(rs, decideFacts(rs, facts));
  const ds = decided;
  const decisions: Record<string, DecisionResult> = {};
  for (const d of rs.decisions) decisions[d.model.id] = resultOf(rs, d, ds.resolutions[d.index]!, ds.states[d.index]!, facts);

  const applied = rulesOf(rs, ds, 'applied');
  const warnings: Warning[] = [];
  for (const r of applied) {
    const ws = r.model.then.warnings;
    if (ws !== undefined) for (const w of ws) if (!warnings.some((x) => x.id === w.id)) warnings.push({ id: w.id, text: w.text, rule: r.model.id });
  }

  // The evidence cited: of the rules applied and open, and of the complexity's references.
  const cited = new Uint8Array(rs.order.evidenceIds.length);
  const cite = (ranks: readonly number[]): void => {
    for (let i = 0; i < ranks.length; i++) cited[ranks[i]!] = 1;
  };
  for (const r of applied) cite(r.evidenceRank);
  for (const r of rulesOf(rs, ds, 'open')) cite(r.evidenceRank);
  let complexity: Plan['complexity'];
  if (rs.scoreDecision >= 0) {
    const score = rs.decisions[rs.scoreDecision]!;
    const r = decisions[score.model.id]!;
    const level = r.value as string;
    const references: ReferenceModel[] = [];
    const refs = score.model.references ?? [];
    for (let i = 0; i < refs.length; i++) {
      const ref = refs[i]!;
      if (ref.levels && !ref.levels.includes(level)) continue;
      references.push(ref);
      cite(rs.order.referenceEvidence[i]!);
    }
    complexity = { level, score: r.score!, scoreMax: r.scoreMax!, status: r.status, factors: r.factors ?? [], references };
  }
  const evidence: EvidenceModel[] = [];
  for (let k = 0; k < cited.length; k++) {
    const e = rs.order.evidenceEntries[k];
    if (cited[k] === 1 && e !== undefined) evidence.push(e);
  }

  const missing: MissingInput[] = decided.missing.map(({ field, decisions }) => {
    const spec = FIELD_BY_PATH.get(field);
    return { field, label: spec?.label ?? field, workup: spec?.workup ?? '', decisions };
  });
  // Keys in the order of the Plan interface (the JSON output's order).
  const plan: Mutable<Plan> = {
    schemaVersion: PLAN_SCHEMA_VERSION,
    case: input.source ? { id: input.id, source: input.source } : { id: input.id },
    ruleset: { name: rs.model.name, version: rs.model.version, digest: rs.model.digest, parameters: rs.params },
    status: ds.determined ? 'determined' : 'undetermined',
    decisions,
    ...(complexity ? { complexity } : {}),
    warnings,
    missing,
    borderline: options.borderline === false ? [] : findBorderline(rs, ds, applied),
    evidence,
    invariantViolations: decided.violations,
    unreadInputs: unreadInputs(rs.fieldRead, rs.fieldPaths, facts.values),
  };
  if (trace) {
    // the last of the plan's keys; built when first read
    const seen = seenBy(rs, facts);
    Object.defineProperty(plan, 'inputs', { get: seen.inputs, enumerable: true, configurable: true });
    Object.defineProperty(plan, 'trace', { get: seen.trace, enumerable: true, configurable: true });
  }
  return plan;
}
