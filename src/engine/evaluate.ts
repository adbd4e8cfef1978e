/**
 * evaluate(case, ruleset): the pure core. No files, clock or terminal; the same input
 * always gives the same result object, which every renderer and the JSON output share.
 */
import { FIELD_BY_PATH } from '../case/fields.js';
import type { EvidenceModel, ReferenceModel } from '../rules/model.js';
import {
  factsOf,
  F,
  T,
  TRUTH_NAMES,
  U,
  type CompiledDecision,
  type CompiledRule,
  type CompiledRuleset,
  type DecisionState,
  type Facts,
  type TraceNode,
  type Truth,
  type TruthName,
} from './compile.js';

export const PLAN_SCHEMA_VERSION = 1;
export const UNDETERMINED = 'undetermined';

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

export interface GraftSize {
  readonly status: 'determined' | 'undetermined';
  readonly sizeMm?: number;
  readonly nativeDiameterMm?: number;
  readonly ratio: number;
  readonly note?: string;
  readonly missing?: readonly string[];
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
  readonly hitPolicy: 'priority' | 'collect' | 'score';
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

export interface InvariantViolation {
  readonly invariant: string;
  readonly decision: string;
  readonly values: readonly string[];
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
  readonly inputs?: Readonly<Record<string, unknown>>;
  readonly trace?: readonly RuleTrace[];
}

export interface EvaluateOptions {
  /** Record every rule and condition (default true). */
  readonly trace?: boolean;
  /** Look for inputs near a threshold and show the other side (default true). */
  readonly borderline?: boolean;
}

interface Core {
  readonly states: DecisionState[];
  readonly results: DecisionResult[];
  readonly traces: RuleTrace[] | null;
  /** Rule ids whose outcome is part of the plan (deciding, included, present factors). */
  readonly used: CompiledRule[];
  readonly candidateRules: CompiledRule[];
}

function missingOf(node: TraceNode, states: readonly DecisionState[], rs: CompiledRuleset, into: Set<string>): void {
  if (node.result !== 'unknown') return;
  if (node.kind === 'fact') into.add(node.fact);
  else if (node.kind === 'decision') for (const m of states[rs.decisionIndex.get(node.decision)!]!.missing) into.add(m);
  else for (const c of node.children) missingOf(c, states, rs, into);
}

function ruleMissing(rule: CompiledRule, facts: Facts, states: DecisionState[], rs: CompiledRuleset, into: Set<string>, tree?: TraceNode): void {
  let node = tree;
  if (!node) {
    const sink: TraceNode[] = [];
    rule.test(facts, states, sink);
    node = sink[0]!;
  }
  missingOf(node, states, rs, into);
}

function levelOf(levels: readonly { value: string; minScore: number }[], score: number): number {
  let li = 0;
  for (let i = 0; i < levels.length; i++) if (score >= levels[i]!.minScore) li = i;
  return li;
}

function evalDecision(d: CompiledDecision, rs: CompiledRuleset, facts: Facts, states: DecisionState[], core: Core, trace: boolean): void {
  const m = d.model;
  const missing = new Set<string>();
  const record = (rule: CompiledRule, r: Truth, sink: TraceNode[] | null, reached: boolean) => {
    if (core.traces && sink)
      core.traces.push({ rule: rule.model.id, decision: m.id, priority: rule.model.priority, result: TRUTH_NAMES[r], reached, when: sink[0]! });
  };

  if (m.hitPolicy === 'priority') {
    let decided: CompiledRule | undefined;
    let stopped = false;
    const cands: CompiledRule[] = [];
    for (const rule of d.rules) {
      if (stopped && !trace) break;
      const sink = trace ? [] : null;
      const r = rule.test(facts, states, sink);
      record(rule, r, sink, !stopped);
      if (stopped) continue;
      if (r === T) {
        if (cands.length === 0) decided = rule;
        else cands.push(rule);
        stopped = true;
      } else if (r === U) {
        cands.push(rule);
        ruleMissing(rule, facts, states, rs, missing, sink?.[0]);
      }
    }
    if (decided) {
      const out = decided.model.then;
      const value = out.value!;
      core.used.push(decided);
      states.push({ value, candidates: [value], missing: [] });
      core.results.push({
        title: m.title,
        hitPolicy: 'priority',
        status: 'determined',
        value,
        label: m.values[value] ?? value,
        rule: decided.model.id,
        ...(out.material ? { material: out.material } : {}),
        ...(out.graftSizing ? { graftSize: graftSize(rs, facts) } : {}),
      });
      return;
    }
    const byValue = new Map<string, string[]>();
    for (const c of cands) {
      const v = c.model.then.value!;
      byValue.set(v, [...(byValue.get(v) ?? []), c.model.id]);
    }
    core.candidateRules.push(...cands);
    const candidates = [...byValue].map(([value, rules]) => ({ value, rules }));
    const miss = [...missing].sort();
    states.push({ candidates: candidates.map((c) => c.value), missing: miss });
    core.results.push({ title: m.title, hitPolicy: 'priority', status: 'undetermined', value: UNDETERMINED, candidates, missing: miss });
    return;
  }

  if (m.hitPolicy === 'collect') {
    const included: string[] = [];
    const possible: string[] = [];
    const rules: string[] = [];
    const possibleRules = new Map<string, string[]>();
    for (const rule of d.rules) {
      const sink = trace ? [] : null;
      const r = rule.test(facts, states, sink);
      record(rule, r, sink, true);
      const v = rule.model.then.value!;
      if (r === T) {
        core.used.push(rule);
        rules.push(rule.model.id);
        if (!included.includes(v)) included.push(v);
      } else if (r === U) {
        core.candidateRules.push(rule);
        possibleRules.set(v, [...(possibleRules.get(v) ?? []), rule.model.id]);
        ruleMissing(rule, facts, states, rs, missing, sink?.[0]);
      }
    }
    for (const v of possibleRules.keys()) if (!included.includes(v)) possible.push(v);
    const undetermined = possible.length > 0;
    const miss = undetermined ? [...missing].sort() : [];
    states.push({ included, candidates: possible, missing: miss });
    core.results.push({
      title: m.title,
      hitPolicy: 'collect',
      status: undetermined ? 'undetermined' : 'determined',
      value: included,
      rules,
      ...(undetermined ? { candidates: possible.map((value) => ({ value, rules: possibleRules.get(value)! })), missing: miss } : {}),
    });
    return;
  }

  // score
  let lo = 0;
  let hi = 0;
  const factors: Factor[] = [];
  for (const rule of d.rules) {
    const sink = trace ? [] : null;
    const r = rule.test(facts, states, sink);
    record(rule, r, sink, true);
    const p = rule.model.then.points ?? 0;
    if (r === F) continue;
    const base = { rule: rule.model.id, title: rule.model.title, points: p, evidence: rule.model.evidence };
    if (r === T) {
      lo += p;
      hi += p;
      core.used.push(rule);
      factors.push({ ...base, status: 'present' });
    } else {
      if (p < 0) lo += p;
      else hi += p;
      ruleMissing(rule, facts, states, rs, missing, sink?.[0]);
      factors.push({ ...base, status: 'possible' });
    }
  }
  const levels = m.levels ?? [];
  const a = levelOf(levels, lo);
  const z = levelOf(levels, hi);
  const determined = a === z;
  const value = levels[a]?.value ?? UNDETERMINED;
  const miss = determined ? [] : [...missing].sort();
  const cands = levels.slice(a, z + 1).map((l) => l.value);
  states.push(determined ? { value, candidates: [value], missing: [] } : { candidates: cands, missing: miss });
  core.results.push({
    title: m.title,
    hitPolicy: 'score',
    status: determined ? 'determined' : 'undetermined',
    value: determined ? value : UNDETERMINED,
    label: determined ? (m.values[value] ?? value) : UNDETERMINED,
    rules: factors.filter((f) => f.status === 'present').map((f) => f.rule),
    score: lo,
    scoreMax: hi,
    factors,
    ...(determined ? {} : { candidates: cands.map((c) => ({ value: c, rules: [] })), missing: miss }),
  });
}

function graftSize(rs: CompiledRuleset, facts: Facts): GraftSize {
  const ratio = rs.params['graftDiameterRatio'] ?? 0.6;
  const min = rs.params['graftMinMm'] ?? 12;
  const max = rs.params['graftMaxMm'] ?? 16;
  const step = rs.params['graftStepMm'] ?? 2;
  const d = facts[rs.fieldIndex.get('ivc.diameterMm')!] as number | undefined;
  if (d === undefined) return { status: 'undetermined', ratio, missing: ['ivc.diameterMm'] };
  const target = d * ratio;
  let best = min;
  for (let s = min; s <= max + 1e-9; s += step) if (Math.abs(s - target) < Math.abs(best - target) - 1e-9) best = s;
  const note =
    target < min - step / 2
      ? `${ratio} × ${d} mm = ${round1(target)} mm, below the smallest ringed graft; ${min} mm is the nearest`
      : target > max + step / 2
        ? `${ratio} × ${d} mm = ${round1(target)} mm, above the largest ringed graft; ${max} mm is the nearest`
        : `${ratio} × ${d} mm = ${round1(target)} mm`;
  return { status: 'determined', sizeMm: best, nativeDiameterMm: d, ratio, note };
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

function runCore(rs: CompiledRuleset, facts: Facts, trace: boolean): Core {
  const core: Core = { states: [], results: [], traces: trace ? [] : null, used: [], candidateRules: [] };
  for (const d of rs.decisions) evalDecision(d, rs, facts, core.states, core, trace);
  return core;
}

const valueKey = (r: DecisionResult): string => (Array.isArray(r.value) ? (r.value as string[]).join('+') || '(none)' : (r.value as string));

function findBorderline(rs: CompiledRuleset, facts: Facts, core: Core): Borderline[] {
  const out: Borderline[] = [];
  const seen = new Set<string>();
  const deciding = new Set(core.used.map((r) => r.model.id));
  for (const leaf of rs.banded) {
    const x = facts[leaf.field];
    if (typeof x !== 'number' || Math.abs(x - leaf.threshold) > leaf.band) continue;
    const t = leaf.threshold;
    // Where the threshold itself belongs: ">=" and "<" put it on the upper side.
    const upperIncludesT = leaf.operator === 'greaterThanInclusive' || leaf.operator === 'lessThan';
    const up = upperIncludesT ? x >= t : x > t;
    const eps = 0.5;
    const probe = up ? (upperIncludesT ? t - eps : t) : upperIncludesT ? t : t + eps;
    const otherSide = up ? (upperIncludesT ? `below ${t}` : `${t} or below`) : upperIncludesT ? `${t} or above` : `above ${t}`;
    const key = `${leaf.field}:${t}:${otherSide}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const alt = facts.slice();
    alt[leaf.field] = probe;
    const other = runCore(rs, alt, false);
    const changes: { decision: string; from: string | readonly string[]; to: string | readonly string[] }[] = [];
    rs.decisions.forEach((d, i) => {
      const a = core.results[i]!;
      const b = other.results[i]!;
      if (valueKey(a) !== valueKey(b)) changes.push({ decision: d.model.id, from: a.value, to: b.value });
    });
    if (changes.length === 0 && !deciding.has(leaf.rule)) continue;
    out.push({ field: leaf.fact, value: x, parameter: leaf.param, threshold: t, band: leaf.band, otherSide, changes });
  }
  return out;
}

function checkInvariants(rs: CompiledRuleset, facts: Facts, states: DecisionState[]): InvariantViolation[] {
  const out: InvariantViolation[] = [];
  for (const inv of rs.invariants) {
    if (inv.test(facts, states, null) !== T) continue;
    const s = states[inv.decision]!;
    const values = [...(s.value !== undefined ? [s.value] : []), ...(s.included ?? []), ...s.candidates];
    const list = inv.model.then.value;
    const bad = inv.model.then.operator === 'notIn' ? values.filter((v) => list.includes(v)) : values.filter((v) => !list.includes(v));
    if (bad.length) out.push({ invariant: inv.model.id, decision: inv.model.then.decision, values: [...new Set(bad)] });
  }
  return out;
}

/** Evaluate one (already validated) case against a compiled rule set. Pure. */
export function evaluate(input: { readonly id: string; readonly source?: unknown }, rs: CompiledRuleset, options: EvaluateOptions = {}): Plan {
  const trace = options.trace ?? true;
  const facts = factsOf(rs, input);
  const core = runCore(rs, facts, trace);
  const decisions: Record<string, DecisionResult> = {};
  const missingBy = new Map<string, Set<string>>();
  rs.decisions.forEach((d, i) => {
    const r = core.results[i]!;
    decisions[d.model.id] = r;
    const extra = r.graftSize?.missing ?? [];
    for (const f of [...(r.missing ?? []), ...extra]) {
      const s = missingBy.get(f) ?? new Set<string>();
      s.add(d.model.id);
      missingBy.set(f, s);
    }
  });
  const missing: MissingInput[] = [...missingBy]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([field, ds]) => {
      const spec = FIELD_BY_PATH.get(field);
      return { field, label: spec?.label ?? field, workup: spec?.workup ?? '', decisions: [...ds] };
    });

  const warnings: Warning[] = [];
  const seenW = new Set<string>();
  for (const r of core.used)
    for (const w of r.model.then.warnings ?? [])
      if (!seenW.has(w.id)) {
        seenW.add(w.id);
        warnings.push({ id: w.id, text: w.text, rule: r.model.id });
      }

  const score = rs.decisions.find((d) => d.model.hitPolicy === 'score');
  let complexity: Plan['complexity'];
  const evIds = new Set<string>();
  for (const r of [...core.used, ...core.candidateRules]) for (const e of r.model.evidence) evIds.add(e);
  if (score) {
    const r = decisions[score.model.id]!;
    const level = r.value as string;
    const references = (score.model.references ?? []).filter((ref) => !ref.levels || ref.levels.includes(level));
    for (const ref of references) for (const e of ref.evidence) evIds.add(e);
    for (const f of r.factors ?? []) for (const e of f.evidence) evIds.add(e);
    complexity = { level, score: r.score!, scoreMax: r.scoreMax!, status: r.status, factors: r.factors ?? [], references };
  }
  const evidence = [...evIds].sort().map((id) => rs.model.evidence[id]!).filter(Boolean);
  const invariantViolations = checkInvariants(rs, facts, core.states);
  const borderline = options.borderline === false ? [] : findBorderline(rs, facts, core);
  let inputs: Record<string, unknown> | undefined;
  if (trace) {
    inputs = {};
    rs.fieldPaths.forEach((p, i) => {
      if (facts[i] !== undefined) inputs![p] = facts[i];
    });
  }
  const status = core.results.some((r) => r.status === 'undetermined') ? 'undetermined' : 'determined';
  return {
    schemaVersion: PLAN_SCHEMA_VERSION,
    case: { id: input.id, ...(input.source ? { source: input.source } : {}) },
    ruleset: { name: rs.model.name, version: rs.model.version, digest: rs.model.digest, parameters: rs.params },
    status,
    decisions,
    ...(complexity ? { complexity } : {}),
    warnings,
    missing,
    borderline,
    evidence,
    invariantViolations,
    ...(inputs ? { inputs } : {}),
    ...(core.traces ? { trace: core.traces } : {}),
  };
}

/** Decision values only: the fast path for batch and diff (no trace, no borderline). */
export function decide(input: unknown, rs: CompiledRuleset): { values: string[]; states: DecisionState[] } {
  const facts = factsOf(rs, input);
  const core = runCore(rs, facts, false);
  return { values: core.results.map(valueKey), states: core.states };
}

export { F, T, U };
