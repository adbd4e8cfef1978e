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
  U,
  type CompiledDecision,
  type CompiledRule,
  type CompiledRuleset,
  type DecisionState,
  type Facts,
  type TraceNode,
  type TruthName,
} from './compile.js';
import { unreadInputs } from './unused-inputs.js';

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

/**
 * One run of the decisions over a fact array. A full run (evaluate) builds the
 * DecisionResult objects and notes the rules the plan cites; a lean run (decide, the
 * borderline probes) keeps only the states and the decision values. Neither builds a
 * trace: Plan.trace is made from the facts and the states when it is read (TraceRecord).
 */
interface Core {
  readonly full: boolean;
  readonly states: DecisionState[];
  /** Each decision's result value: the value or "undetermined"; collect: the items. */
  readonly values: (string | readonly string[])[];
  /** Full runs only. */
  readonly results: DecisionResult[];
  /** Rules whose outcome is part of the plan (deciding, included, present factors). Full runs only. */
  readonly used: CompiledRule[];
  readonly candidateRules: CompiledRule[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function levelOf(levels: readonly { value: string; minScore: number }[], score: number): number {
  let li = 0;
  for (let i = 0; i < levels.length; i++) if (score >= levels[i]!.minScore) li = i;
  return li;
}

function evalPriority(d: CompiledDecision, rs: CompiledRuleset, facts: Facts, states: DecisionState[], core: Core): void {
  const m = d.model;
  const rules = d.rules;
  let decided: CompiledRule | undefined;
  let cands: CompiledRule[] | null = null;
  let missing: Set<string> | null = null;
  // down to the first rule that holds (the trace evaluates the rest: buildTrace)
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    const r = rule.test(facts, states);
    if (r === T) {
      if (cands === null) decided = rule;
      else cands.push(rule);
      break;
    } else if (r === U) {
      (cands ??= []).push(rule);
      rule.missing(facts, states, (missing ??= new Set<string>()));
    }
  }
  if (decided) {
    const out = decided.model.then;
    const value = decided.value!;
    states.push({ value, candidates: [value], missing: [] });
    core.values.push(value);
    if (core.full) {
      core.used.push(decided);
      const res: Mutable<DecisionResult> = {
        title: m.title,
        hitPolicy: 'priority',
        status: 'determined',
        value,
        label: decided.label!,
        rule: decided.model.id,
      };
      if (out.material) res.material = out.material;
      if (out.graftSizing) res.graftSize = graftSize(rs, facts);
      core.results.push(res);
    }
    return;
  }
  // the candidate values in order of first appearance, each with its rules
  const values: string[] = [];
  const ruleIds: string[][] = [];
  if (cands !== null)
    for (const c of cands) {
      const k = values.indexOf(c.value!);
      if (k >= 0) ruleIds[k]!.push(c.model.id);
      else {
        values.push(c.value!);
        ruleIds.push([c.model.id]);
      }
    }
  const miss = missing === null ? [] : [...missing].sort();
  states.push({ candidates: values, missing: miss });
  core.values.push(UNDETERMINED);
  if (core.full) {
    if (cands !== null) for (const c of cands) core.candidateRules.push(c);
    const candidates: Candidate[] = [];
    for (let k = 0; k < values.length; k++) candidates.push({ value: values[k]!, rules: ruleIds[k]! });
    core.results.push({ title: m.title, hitPolicy: 'priority', status: 'undetermined', value: UNDETERMINED, candidates, missing: miss });
  }
}

function evalCollect(d: CompiledDecision, facts: Facts, states: DecisionState[], core: Core): void {
  const m = d.model;
  const rules = d.rules;
  const included: string[] = [];
  const ruleIds: string[] = [];
  let possibleRules: Map<string, string[]> | null = null;
  let missing: Set<string> | null = null;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    const r = rule.test(facts, states);
    const v = rule.value!;
    if (r === T) {
      if (core.full) {
        core.used.push(rule);
        ruleIds.push(rule.model.id);
      }
      if (!included.includes(v)) included.push(v);
    } else if (r === U) {
      if (core.full) core.candidateRules.push(rule);
      possibleRules ??= new Map<string, string[]>();
      const ids = possibleRules.get(v);
      if (ids) ids.push(rule.model.id);
      else possibleRules.set(v, [rule.model.id]);
      rule.missing(facts, states, (missing ??= new Set<string>()));
    }
  }
  const possible: string[] = [];
  if (possibleRules !== null) for (const v of possibleRules.keys()) if (!included.includes(v)) possible.push(v);
  const undetermined = possible.length > 0;
  const miss = undetermined && missing !== null ? [...missing].sort() : [];
  states.push({ included, candidates: possible, missing: miss });
  core.values.push(included);
  if (core.full) {
    const res: Mutable<DecisionResult> = {
      title: m.title,
      hitPolicy: 'collect',
      status: undetermined ? 'undetermined' : 'determined',
      value: included,
      rules: ruleIds,
    };
    if (undetermined) {
      res.candidates = possible.map((value) => ({ value, rules: possibleRules!.get(value)! }));
      res.missing = miss;
    }
    core.results.push(res);
  }
}

function evalScore(d: CompiledDecision, facts: Facts, states: DecisionState[], core: Core): void {
  const m = d.model;
  const rules = d.rules;
  let lo = 0;
  let hi = 0;
  const factors: Factor[] = [];
  let missing: Set<string> | null = null;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    const r = rule.test(facts, states);
    if (r === F) continue;
    const p = rule.model.then.points ?? 0;
    if (r === T) {
      lo += p;
      hi += p;
      if (core.full) {
        core.used.push(rule);
        factors.push({ rule: rule.model.id, title: rule.model.title, points: p, evidence: rule.model.evidence, status: 'present' });
      }
    } else {
      if (p < 0) lo += p;
      else hi += p;
      rule.missing(facts, states, (missing ??= new Set<string>()));
      if (core.full) factors.push({ rule: rule.model.id, title: rule.model.title, points: p, evidence: rule.model.evidence, status: 'possible' });
    }
  }
  const levels = m.levels ?? [];
  const a = levelOf(levels, lo);
  const z = levelOf(levels, hi);
  const determined = a === z;
  const value = levels[a]?.value ?? UNDETERMINED;
  const miss = determined || missing === null ? [] : [...missing].sort();
  const cands = determined ? [] : levels.slice(a, z + 1).map((l) => l.value);
  states.push(determined ? { value, candidates: [value], missing: [] } : { candidates: cands, missing: miss });
  core.values.push(determined ? value : UNDETERMINED);
  if (core.full) {
    const present: string[] = [];
    for (const f of factors) if (f.status === 'present') present.push(f.rule);
    const res: Mutable<DecisionResult> = {
      title: m.title,
      hitPolicy: 'score',
      status: determined ? 'determined' : 'undetermined',
      value: determined ? value : UNDETERMINED,
      label: determined ? (m.values[value] ?? value) : UNDETERMINED,
      rules: present,
      score: lo,
      scoreMax: hi,
      factors,
    };
    if (!determined) {
      res.candidates = cands.map((c) => ({ value: c, rules: [] }));
      res.missing = miss;
    }
    core.results.push(res);
  }
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

/**
 * With `base`: a lean run over facts that differ from those of the run `base.core` in
 * one field. The decisions that field cannot reach (BandedLeaf.reaches) read the same
 * facts and decision states as there, so their states and values are taken from it.
 */
function runCore(rs: CompiledRuleset, facts: Facts, full: boolean, base?: { readonly core: Core; readonly reaches: readonly boolean[] }): Core {
  const core: Core = { full, states: [], values: [], results: [], used: [], candidateRules: [] };
  const ds = rs.decisions;
  for (let i = 0; i < ds.length; i++) {
    if (base !== undefined && !base.reaches[i]) {
      core.states.push(base.core.states[i]!);
      core.values.push(base.core.values[i]!);
      continue;
    }
    const d = ds[i]!;
    const policy = d.model.hitPolicy;
    if (policy === 'priority') evalPriority(d, rs, facts, core.states, core);
    else if (policy === 'collect') evalCollect(d, facts, core.states, core);
    else evalScore(d, facts, core.states, core);
  }
  return core;
}

const valueKey = (v: string | readonly string[]): string => (typeof v === 'string' ? v : v.join('+') || '(none)');

function findBorderline(rs: CompiledRuleset, facts: Facts, core: Core): Borderline[] {
  const out: Borderline[] = [];
  let seen: Set<string> | null = null;
  for (const leaf of rs.banded) {
    const x = facts[leaf.field];
    if (typeof x !== 'number' || Math.abs(x - leaf.threshold) > leaf.band) continue;
    const t = leaf.threshold;
    const up = leaf.upperIncludesT ? x >= t : x > t;
    const { probe, otherSide, key } = up ? leaf.fromUpper : leaf.fromLower;
    seen ??= new Set<string>();
    if (seen.has(key)) continue;
    seen.add(key);
    const alt = facts.slice();
    alt[leaf.field] = probe;
    const other = runCore(rs, alt, false, { core, reaches: leaf.reaches });
    const changes: { decision: string; from: string | readonly string[]; to: string | readonly string[] }[] = [];
    for (let i = 0; i < rs.decisions.length; i++) {
      const a = core.values[i]!;
      const b = other.values[i]!;
      if (valueKey(a) !== valueKey(b)) changes.push({ decision: rs.decisions[i]!.model.id, from: a, to: b });
    }
    // no decision changes: shown only when the leaf's rule is one the plan uses
    if (changes.length === 0 && !usesRule(core, leaf.rule)) continue;
    out.push({ field: leaf.fact, value: x, parameter: leaf.param, threshold: t, band: leaf.band, otherSide, changes });
  }
  return out;
}

/** A short list (the rules a plan uses): a loop, not a Set built for one look-up. */
function usesRule(core: Core, id: string): boolean {
  const used = core.used;
  for (let i = 0; i < used.length; i++) if (used[i]!.model.id === id) return true;
  return false;
}

function checkInvariants(rs: CompiledRuleset, facts: Facts, states: DecisionState[]): InvariantViolation[] {
  const out: InvariantViolation[] = [];
  for (const inv of rs.invariants) {
    if (inv.test(facts, states) !== T) continue;
    const s = states[inv.decision]!;
    const list = inv.model.then.value;
    const notIn = inv.model.then.operator === 'notIn';
    const isBad = (v: string): boolean => list.includes(v) === notIn;
    // the usual answer is "no violation": decide it without building the value lists
    let any = s.value !== undefined && isBad(s.value);
    if (!any && s.included) for (const v of s.included) if (isBad(v)) any = true;
    if (!any) for (const v of s.candidates) if (isBad(v)) any = true;
    if (!any) continue;
    const values = [...(s.value !== undefined ? [s.value] : []), ...(s.included ?? []), ...s.candidates];
    const bad = values.filter(isBad);
    out.push({ invariant: inv.model.id, decision: inv.model.then.decision, values: [...new Set(bad)] });
  }
  return out;
}

/** Plan.missing: the fields, sorted, each with the decisions it would help settle. */
function missingInputs(rs: CompiledRuleset, results: readonly DecisionResult[]): MissingInput[] {
  let fields: string[] | null = null;
  let decisions: string[][] = [];
  const add = (f: string, id: string): void => {
    fields ??= [];
    const k = fields.indexOf(f);
    if (k < 0) {
      fields.push(f);
      decisions.push([id]);
    } else {
      const ds = decisions[k]!;
      if (ds[ds.length - 1] !== id) ds.push(id); // decisions arrive in order: a repeat is the last one
    }
  };
  for (let i = 0; i < results.length; i++) {
    const r = results[i]!;
    const own = r.missing;
    const extra = r.graftSize?.missing;
    if (own === undefined && extra === undefined) continue;
    const id = rs.decisions[i]!.model.id;
    if (own !== undefined) for (const f of own) add(f, id);
    if (extra !== undefined) for (const f of extra) add(f, id);
  }
  if (fields === null) return [];
  const fs: string[] = fields;
  // Field paths in code-unit order: the same on every machine (localeCompare, used before,
  // followed the machine's locale and cost ~9 ms at start-up to load ICU's collator; for
  // every field of the catalogue both orders agree: test/engine/missing-order.test.ts).
  const order = fs.map((_, k) => k).sort((a, b) => (fs[a]! < fs[b]! ? -1 : fs[a]! > fs[b]! ? 1 : 0));
  return order.map((k) => {
    const field = fs[k]!;
    const spec = FIELD_BY_PATH.get(field);
    return { field, label: spec?.label ?? field, workup: spec?.workup ?? '', decisions: decisions[k]! };
  });
}

/**
 * Plan.evidence: the cited entries in id order (default sort), marked by rank so that
 * nothing is sorted per case. `marks` is a scratch buffer: cleared on the way out.
 */
function evidenceOf(rs: CompiledRuleset, marks: Uint8Array): EvidenceModel[] {
  const entries = rs.order.evidenceEntries;
  const out: EvidenceModel[] = [];
  for (let k = 0; k < entries.length; k++) {
    if (marks[k] === 0) continue;
    marks[k] = 0;
    const e = entries[k];
    if (e) out.push(e);
  }
  return out;
}

/** evaluate() runs to completion synchronously, so one scratch buffer serves every call. */
let evidenceMarks = new Uint8Array(64);

const mark = (marks: Uint8Array, ranks: readonly number[]): void => {
  for (let i = 0; i < ranks.length; i++) marks[ranks[i]!] = 1;
};

/**
 * What Plan.trace is built from when it is first read. A rule's trace node is a pure
 * function of the facts and of the states of the decisions before its own (final before
 * it runs), so building it later gives the objects building it during the run gave —
 * which was most of the cost of a traced evaluate. What it reads must not change in
 * between, so it keeps the run's own fact array and states (nobody else holds them)
 * with copies of the lists that others do hold: the case's lists (the caller may change
 * the case) and collect decisions' included items (also Plan.decisions[id].value).
 * Once built, the trace is kept, frozen (with the lists it shows).
 */
interface TraceRecord {
  readonly rs: CompiledRuleset;
  readonly facts: Facts;
  readonly states: readonly DecisionState[];
  built?: readonly RuleTrace[];
}

/** Takes over the run's fact array and states (evaluate is done with them), making them the record's own. */
function traceRecord(rs: CompiledRuleset, facts: Facts, states: DecisionState[]): TraceRecord {
  for (let i = 0; i < facts.length; i++) {
    const v = facts[i];
    if (Array.isArray(v)) facts[i] = v.slice();
  }
  for (let i = 0; i < states.length; i++) {
    const x = states[i]!;
    if (x.included !== undefined) states[i] = { included: x.included.slice(), candidates: x.candidates, missing: x.missing };
  }
  return { rs, facts, states };
}

function buildTrace(r: TraceRecord): readonly RuleTrace[] {
  const { rs, facts, states } = r;
  // The lists trace nodes show as they are (not copied per node): frozen with the trace.
  for (const v of facts) if (Array.isArray(v)) Object.freeze(v);
  for (const s of states) {
    Object.freeze(s.candidates);
    if (s.included !== undefined) Object.freeze(s.included);
  }
  const out = new Array<RuleTrace>(rs.order.ruleCount); // every rule of every decision, once
  let k = 0;
  for (const d of rs.decisions) {
    const priority = d.model.hitPolicy === 'priority';
    const decision = d.model.id;
    // below the first rule that holds, a priority decision's rules are evaluated for the record only
    let reached = true;
    for (const rule of d.rules) {
      const when = rule.node(facts, states);
      const result = when.result;
      out[k++] = Object.freeze({ rule: rule.model.id, decision, priority: rule.model.priority, result, reached, when });
      if (priority && result === 'true') reached = false;
    }
  }
  return Object.freeze(out);
}

/**
 * Attaches a TraceRecord to a plan object without a property anyone can see (a private
 * field, added through a base constructor that returns the plan): not in Object.keys,
 * Reflect.ownKeys, JSON, spread, structuredClone or deep equality. Adding it costs a
 * property store; a WeakMap entry costs many times more per plan.
 */
class Passthrough {
  constructor(o: object) {
    return o;
  }
}
class Traced extends Passthrough {
  readonly #record: TraceRecord;
  private constructor(plan: object, record: TraceRecord) {
    super(plan);
    this.#record = record;
  }
  static attach(plan: object, record: TraceRecord): void {
    new Traced(plan, record);
  }
  static recordOf(o: object): TraceRecord | undefined {
    return #record in o ? (o as Traced).#record : undefined;
  }
}

/** Plan.trace: an own, enumerable accessor, one function for every plan (plans keep one shape). */
function readTrace(this: object): readonly RuleTrace[] | undefined {
  const r = Traced.recordOf(this);
  return r === undefined ? undefined : (r.built ??= buildTrace(r));
}
const TRACE_PROPERTY: PropertyDescriptor = Object.freeze({ get: readTrace, enumerable: true, configurable: true });

/** Evaluate one (already validated) case against a compiled rule set. Pure. */
export function evaluate(input: { readonly id: string; readonly source?: unknown }, rs: CompiledRuleset, options: EvaluateOptions = {}): Plan {
  const trace = options.trace ?? true;
  const facts = factsOf(rs, input);
  const core = runCore(rs, facts, true);
  const results = core.results;
  // Cloned from a template with every decision id in order: filling it adds no properties.
  const decisions = { ...rs.order.decisionsTemplate } as unknown as Record<string, DecisionResult>;
  let undetermined = false;
  for (let i = 0; i < results.length; i++) {
    const r = results[i]!;
    decisions[rs.decisions[i]!.model.id] = r;
    if (r.status === 'undetermined') undetermined = true;
  }
  const missing = missingInputs(rs, results);

  const warnings: Warning[] = [];
  for (const r of core.used) {
    const ws = r.model.then.warnings;
    if (ws === undefined) continue;
    for (const w of ws) {
      let seen = false;
      for (let k = 0; k < warnings.length; k++) if (warnings[k]!.id === w.id) seen = true;
      if (!seen) warnings.push({ id: w.id, text: w.text, rule: r.model.id });
    }
  }

  let complexity: Plan['complexity'];
  // The evidence cited: of the rules used and the candidates, and the complexity's references and factors.
  if (evidenceMarks.length < rs.order.evidenceIds.length) evidenceMarks = new Uint8Array(rs.order.evidenceIds.length);
  const marks = evidenceMarks;
  for (const r of core.used) mark(marks, r.evidenceRank);
  for (const r of core.candidateRules) mark(marks, r.evidenceRank);
  if (rs.scoreDecision >= 0) {
    const score = rs.decisions[rs.scoreDecision]!;
    const r = results[rs.scoreDecision]!;
    const level = r.value as string;
    const refs = score.model.references ?? [];
    const references: ReferenceModel[] = [];
    for (let i = 0; i < refs.length; i++) {
      const ref = refs[i]!;
      if (ref.levels && !ref.levels.includes(level)) continue;
      references.push(ref);
      mark(marks, rs.order.referenceEvidence[i]!);
    }
    // present factors are rules used (marked above); possible ones are not
    for (const f of r.factors ?? []) if (f.status === 'possible') mark(marks, rs.ruleById.get(f.rule)!.evidenceRank);
    complexity = { level, score: r.score!, scoreMax: r.scoreMax!, status: r.status, factors: r.factors ?? [], references };
  }
  const evidence = evidenceOf(rs, marks);
  const invariantViolations = checkInvariants(rs, facts, core.states);
  const borderline = options.borderline === false ? [] : findBorderline(rs, facts, core);
  let inputs: Record<string, unknown> | undefined;
  if (trace) {
    inputs = {};
    const paths = rs.fieldPaths;
    for (let i = 0; i < paths.length; i++) if (facts[i] !== undefined) inputs[paths[i]!] = facts[i];
  }
  // Keys in the order of the Plan interface (the JSON output's order).
  const plan = {
    schemaVersion: PLAN_SCHEMA_VERSION,
    case: input.source ? { id: input.id, source: input.source } : { id: input.id },
    ruleset: { name: rs.model.name, version: rs.model.version, digest: rs.model.digest, parameters: rs.params },
    status: undetermined ? 'undetermined' : 'determined',
    decisions,
  } as Mutable<Plan>;
  if (complexity) plan.complexity = complexity;
  plan.warnings = warnings;
  plan.missing = missing;
  plan.borderline = borderline;
  plan.evidence = evidence;
  plan.invariantViolations = invariantViolations;
  plan.unreadInputs = unreadInputs(rs.readFields, rs.fieldPaths, facts);
  if (inputs) plan.inputs = inputs;
  if (trace) {
    // Last of the plan's keys, as the trace always was; built when read (TraceRecord).
    // The run's facts and states are not used after this point.
    Traced.attach(plan, traceRecord(rs, facts, core.states));
    Object.defineProperty(plan, 'trace', TRACE_PROPERTY);
  }
  return plan;
}

/** Decision values only: the fast path for batch and diff (no trace, no borderline). */
export function decide(input: unknown, rs: CompiledRuleset): { values: string[]; states: DecisionState[] } {
  const facts = factsOf(rs, input);
  const core = runCore(rs, facts, false);
  const values = new Array<string>(core.values.length);
  for (let i = 0; i < values.length; i++) values[i] = valueKey(core.values[i]!);
  return { values, states: core.states };
}

export { F, T, U };
