/**
 * Model → closures, once per rule set. Each condition becomes a function over the case's
 * facts (a flat array of values, one slot per case field, and their codes) returning
 * false, true or unknown (truth.ts); the leaves are the operator table's tests. Beside it,
 * per condition, a closure naming the unknown inputs behind an unknown result, and one
 * building its trace node (every child evaluated: what Plan.trace shows).
 *
 * A condition on a coded field (coding.ts: enum, boolean, small set) is compiled to a
 * table of its truth for every code of the field, filled by running the operator's test
 * on each value at compile time; per case it is an array look-up, and an all / any reads
 * such children's tables itself instead of calling them. A value without a code runs the
 * test as written.
 */
import { fieldsReadBy } from './unused-inputs.js';
import { INPUT_FIELDS } from '../case/fields.js';
import { codingOf, decode, encode, NO_CODE, type FieldCoding } from './coding.js';
import { GRAFT_DIAMETER_FIELD } from './graft.js';
import type { ConditionModel, DecisionModel, EvidenceModel, InvariantModel, RuleModel, RulesetModel, Scalar } from '../rules/model.js';
import { hasForbidden } from './invariants.js';
import type { SourceRef } from '../diagnostics/diagnostic.js';
import { DECISION_OPERATORS, FACT_OPERATORS, type DecisionOperatorTable, type OperatorTable } from './operators.js';
import { HIT_POLICIES, policyDecision, stateOf, type DecisionState, type HitPolicy, type PolicyDecision } from './policies.js';
import { F, T, TRUTH_NAMES, U, not, type Truth, type TruthName } from './truth.js';

// The names the analysis and the reports import from here.
export { F, T, U, TRUTH_NAMES } from './truth.js';
export type { Truth, TruthName } from './truth.js';
export type { DecisionState } from './policies.js';

/** One case as the conditions read it. */
export interface Facts {
  /** One slot per case field (CompiledRuleset.fieldPaths): the value, undefined when unknown. */
  readonly values: readonly unknown[];
  /**
   * The codes a condition's table is read by: one slot per case field, the value's code
   * (coding.ts; NO_CODE for a field without codes), then one per decision
   * (CompiledRuleset.decisionSlot), the index of the rule that decided it. decideFacts
   * fills the decision slots as it decides; NO_CODE there (an outcome no rule decided, or
   * facts not yet decided) makes a condition read the decision's state itself.
   */
  readonly codes: number[];
}

export type TraceNode =
  | { readonly kind: 'all' | 'any' | 'not'; readonly result: TruthName; readonly children: readonly TraceNode[]; readonly src: SourceRef }
  | {
      readonly kind: 'fact';
      readonly fact: string;
      readonly operator: string;
      readonly expected: Scalar | readonly Scalar[] | { readonly param: string; readonly value: number } | null;
      readonly count?: number;
      readonly actual: unknown;
      readonly result: TruthName;
      readonly src: SourceRef;
    }
  | {
      readonly kind: 'decision';
      readonly decision: string;
      readonly operator: string;
      readonly expected: Scalar | readonly Scalar[];
      readonly actual: { readonly value?: string; readonly candidates?: readonly string[]; readonly included?: readonly string[] };
      readonly result: TruthName;
      readonly src: SourceRef;
    };

/** The three-valued test of a condition: short-circuits, allocates nothing. */
export type CondFn = (facts: Facts, decs: readonly DecisionState[]) => Truth;

/**
 * Called only when the condition's CondFn returned unknown: adds the inputs that make it
 * unknown (the unknown facts, and the missing inputs of unknown decisions it reads) —
 * the same set a walk of the unknown nodes of its trace gives.
 */
export type MissFn = (facts: Facts, decs: readonly DecisionState[], into: Set<string>) => void;

/**
 * The trace node of a condition, every child evaluated; its result is the value `test`
 * gives. Fresh objects, frozen; the values seen are the facts' and decision states' own
 * (the caller passes ones nobody else holds: evaluate.ts, TraceRecord).
 */
export type NodeFn = (facts: Facts, decs: readonly DecisionState[]) => TraceNode;

interface CompiledCond {
  readonly test: CondFn;
  readonly miss: MissFn;
  readonly node: NodeFn;
  /** A condition on one coded field (a leaf, or `not` of one): its truth for every code. */
  readonly table?: TruthTable;
}

/**
 * The tables of one compilation, by what they test (field or decision, operator, operand):
 * the same comparison written in several rules gets one table, filled once (compile time
 * is part of every `plan` start-up).
 */
type SharedTables = (key: string, fill: () => Uint8Array) => Uint8Array;

interface TruthTable {
  /** The slot of Facts.codes the table is read by. */
  readonly slot: number;
  /** Indexed by code (coding.ts); Truth values. */
  readonly truth: Uint8Array;
}

const truthOfNode = (n: TraceNode): Truth => (n.result === 'true' ? T : n.result === 'false' ? F : U);

/** Source positions and operands as trace nodes show them: frozen copies, made once per rule set. */
const frozenSrc = (src: SourceRef): SourceRef => Object.freeze({ ...src });
function frozenValue<V>(v: V): V {
  if (Array.isArray(v)) return Object.freeze(v.slice()) as V;
  if (v !== null && typeof v === 'object') return Object.freeze({ ...v });
  return v;
}

export interface BandedLeaf {
  readonly rule: string;
  readonly field: number;
  readonly fact: string;
  readonly operator: string;
  readonly param: string;
  readonly threshold: number;
  readonly band: number;
  /** Where the threshold itself belongs: ">=" and "<" put it on the upper side. */
  readonly upperIncludesT: boolean;
  /** For a value on the upper / lower side: the probe on the other side and its wording. */
  readonly fromUpper: BorderlineSide;
  readonly fromLower: BorderlineSide;
  /**
   * Per decision: whether a change of this field can reach it (a rule of it reads the
   * field, or reads a decision it reaches). The others keep their state on the other side.
   */
  readonly reaches: readonly boolean[];
}

export interface BorderlineSide {
  readonly probe: number;
  readonly otherSide: string;
  /** field:threshold:otherSide, to show each crossing once. */
  readonly key: string;
}

function bandedLeaf(
  rule: string,
  field: number,
  fact: string,
  operator: string,
  param: string,
  t: number,
  band: number,
): Omit<BandedLeaf, 'reaches'> {
  const upperIncludesT = operator === 'greaterThanInclusive' || operator === 'lessThan';
  const eps = 0.5;
  const side = (probe: number, otherSide: string): BorderlineSide => ({ probe, otherSide, key: `${field}:${t}:${otherSide}` });
  return {
    rule,
    field,
    fact,
    operator,
    param,
    threshold: t,
    band,
    upperIncludesT,
    fromUpper: upperIncludesT ? side(t - eps, `below ${t}`) : side(t, `${t} or below`),
    fromLower: upperIncludesT ? side(t, `${t} or above`) : side(t + eps, `above ${t}`),
  };
}

export interface CompiledRule {
  readonly model: RuleModel;
  readonly test: CondFn;
  /** The inputs behind an unknown result (call only when `test` gave U). */
  readonly missing: MissFn;
  /** The rule's trace node (`when`), every condition evaluated. */
  readonly node: NodeFn;
  /** The rule's evidence ids as ranks in CompiledRuleset.order.evidenceIds. */
  readonly evidenceRank: readonly number[];
  /** model.then.value. */
  readonly value: string | undefined;
  /** The label of that value in its decision (DecisionResult.label when the rule decides). */
  readonly label: string | undefined;
}

export interface CompiledDecision {
  readonly model: DecisionModel;
  readonly index: number;
  readonly rules: readonly CompiledRule[];
  /** The decision's hit policy, and what it reads of the decision. */
  readonly policy: HitPolicy;
  readonly policyInput: PolicyDecision;
  /** rules[i].test, in order: what the policy calls. */
  readonly tests: readonly CondFn[];
  /** The state a later decision reads when rule i decides (policyInput.decidedBy[i]): made once, frozen. */
  readonly decidedStates: readonly DecisionState[];
}

export interface CompiledInvariant {
  readonly model: InvariantModel;
  readonly test: CondFn;
  readonly decision: number;
  /** Per rule of the decision: whether its state when that rule decides has a forbidden value (invariants.ts). */
  readonly forbiddenWhenDecidedBy: readonly boolean[];
}

export interface CompiledRuleset {
  readonly model: RulesetModel;
  readonly fieldPaths: readonly string[];
  readonly fieldIndex: ReadonlyMap<string, number>;
  readonly params: Readonly<Record<string, number>>;
  readonly decisions: readonly CompiledDecision[];
  readonly decisionIndex: ReadonlyMap<string, number>;
  readonly ruleById: ReadonlyMap<string, CompiledRule>;
  readonly invariants: readonly CompiledInvariant[];
  readonly banded: readonly BandedLeaf[];
  /** How factsOf reads the fields: the "section.field" paths grouped by section, the others split at the dots. */
  readonly fieldReader: FieldReader;
  /** Per field: how its values are coded, undefined for a field without codes. */
  readonly fieldCodings: readonly (FieldCoding | undefined)[];
  /** The slot of Facts.codes of decision 0 (the others follow in order). */
  readonly decisionSlot: number;
  /** Index of the field graft sizing reads (graft.ts), or -1. */
  readonly graftDiameterField: number;
  /** Tables fixed at compile time for evaluate(): what a plan needs per case is looked up, not rebuilt. */
  readonly order: {
    /** Every evidence id, in default sort order (Plan.evidence's order); a rule's evidenceRank indexes it. */
    readonly evidenceIds: readonly string[];
    /** model.evidence of each id (undefined where the id has no entry). */
    readonly evidenceEntries: readonly (EvidenceModel | undefined)[];
    /** The score decision's references: their evidence as ranks. */
    readonly referenceEvidence: readonly (readonly number[])[];
    /** Number of rules over all decisions: the length of a full trace. */
    readonly ruleCount: number;
    /** Every decision id, in order, mapped to undefined: the shape of Plan.decisions. */
    readonly decisionsTemplate: Readonly<Record<string, undefined>>;
  };
  /** Index of the score decision (the plan's complexity), or -1. */
  readonly scoreDecision: number;
  /** Case fields some rule, invariant or outcome reads (Plan.unreadInputs lists the others a case gives). */
  readonly readFields: ReadonlySet<string>;
  /** Per field: whether it is in readFields. */
  readonly fieldRead: readonly boolean[];
}

export interface CompileOptions {
  /** Override parameter values (e.g. an institution's 50 % threshold). */
  readonly params?: Readonly<Record<string, number>>;
}

export function compileRuleset(model: RulesetModel, options: CompileOptions = {}): CompiledRuleset {
  const fieldPaths = INPUT_FIELDS.map((f) => f.path);
  const fieldIndex = new Map(fieldPaths.map((p, i) => [p, i]));
  const fieldCodings = INPUT_FIELDS.map(codingOf);
  const params: Record<string, number> = {};
  for (const [id, p] of Object.entries(model.parameters)) params[id] = options.params?.[id] ?? p.value;
  const decisionIndex = new Map(model.decisions.map((d, i) => [d.id, i]));
  const decisionSlot = fieldPaths.length;
  const banded: Omit<BandedLeaf, 'reaches'>[] = [];
  const tables = new Map<string, Uint8Array>();
  const shared: SharedTables = (key, fill) => {
    let t = tables.get(key);
    if (t === undefined) tables.set(key, (t = fill()));
    return t;
  };

  // What the hit policies read of each decision, and the state each rule gives its
  // decision when it decides: from the rules' outcomes alone, so before any condition is
  // compiled (a condition on a decision reads them).
  const ruleModels = new Map(model.rules.map((r) => [r.id, r]));
  const policyInputs = model.decisions.map((d) =>
    policyDecision(
      d.rules.map((id) => ruleModels.get(id)!.then).map((then) => ({ value: then.value ?? '', points: then.points ?? 0 })),
      d.levels ?? [],
    ),
  );
  const decidedStates = policyInputs.map((p) => p.decidedBy.map((r) => Object.freeze(stateOf(r, []))));

  const compileCond = (c: ConditionModel, ruleId: string): CompiledCond => {
    switch (c.kind) {
      case 'all':
        return compileJunction('all', c.items.map((x) => compileCond(x, ruleId)), c.src);
      case 'any':
        return compileJunction('any', c.items.map((x) => compileCond(x, ruleId)), c.src);
      case 'not':
        return compileNot(compileCond(c.item, ruleId), c.src);
      case 'decision': {
        const idx = decisionIndex.get(c.decision)!;
        return compileDecisionRef(c, idx, decisionSlot + idx, decidedStates[idx]!, shared);
      }
      case 'fact': {
        const idx = fieldIndex.get(c.fact)!;
        const operand = c.param !== undefined ? params[c.param]! : c.value;
        if (c.param !== undefined) {
          const bandParam = model.parameters[c.param]?.borderlineBand;
          if (bandParam !== undefined)
            banded.push(bandedLeaf(ruleId, idx, c.fact, c.operator, c.param, operand as number, params[bandParam]!));
        }
        return compileLeaf(c, idx, operand, fieldCodings[idx], shared);
      }
    }
  };

  const evidenceIds = new Set<string>(Object.keys(model.evidence));
  for (const r of model.rules) for (const e of r.evidence) evidenceIds.add(e);
  for (const d of model.decisions) for (const ref of d.references ?? []) for (const e of ref.evidence) evidenceIds.add(e);
  const evidenceSorted = [...evidenceIds].sort();
  const evidenceRank = new Map(evidenceSorted.map((e, i) => [e, i]));
  const ranks = (ids: readonly string[]): number[] => ids.map((e) => evidenceRank.get(e)!);

  const decisionOfRule = new Map<string, DecisionModel>();
  for (const d of model.decisions) for (const id of d.rules) decisionOfRule.set(id, d);
  const ruleById = new Map<string, CompiledRule>();
  for (const r of model.rules) {
    const c = compileCond(r.when, r.id);
    const value = r.then.value;
    const values = decisionOfRule.get(r.id)?.values;
    ruleById.set(r.id, {
      model: r,
      test: c.test,
      missing: c.miss,
      node: c.node,
      evidenceRank: ranks(r.evidence),
      value,
      label: value === undefined || values === undefined ? undefined : (values[value] ?? value),
    });
  }
  const decisions = model.decisions.map((d, index): CompiledDecision => {
    const rules = d.rules.map((id) => ruleById.get(id)!);
    return {
      model: d,
      index,
      rules,
      policy: HIT_POLICIES[d.hitPolicy],
      policyInput: policyInputs[index]!,
      tests: rules.map((r) => r.test),
      decidedStates: decidedStates[index]!,
    };
  });
  const invariants = model.invariants.map((inv): CompiledInvariant => {
    const decision = decisionIndex.get(inv.then.decision)!;
    return {
      model: inv,
      test: compileCond(inv.when, inv.id).test,
      decision,
      forbiddenWhenDecidedBy: decisions[decision]!.decidedStates.map((s) => hasForbidden(s, inv.then)),
    };
  });
  const fieldReader = fieldReaderOf(fieldPaths);
  const reaches = new Map<string, boolean[]>();
  const reachesOf = (fact: string): boolean[] => {
    let r = reaches.get(fact);
    if (r === undefined) {
      const out: boolean[] = [];
      const reads = (c: ConditionModel): boolean =>
        c.kind === 'fact'
          ? c.fact === fact
          : c.kind === 'decision'
            ? out[decisionIndex.get(c.decision)!] === true
            : c.kind === 'not'
              ? reads(c.item)
              : c.items.some(reads);
      // decisions read only earlier ones: one pass in order
      for (const d of decisions) out.push(d.rules.some((rule) => reads(rule.model.when)));
      reaches.set(fact, (r = out));
    }
    return r;
  };
  const bandedLeaves: BandedLeaf[] = banded.map((l) => ({ ...l, reaches: reachesOf(l.fact) }));
  const scoreDecision = model.decisions.findIndex((d) => d.hitPolicy === 'score');
  const order = {
    evidenceIds: evidenceSorted,
    evidenceEntries: evidenceSorted.map((e) => model.evidence[e]),
    referenceEvidence: scoreDecision < 0 ? [] : (model.decisions[scoreDecision]!.references ?? []).map((ref) => ranks(ref.evidence)),
    ruleCount: model.decisions.reduce((n, d) => n + d.rules.length, 0),
    decisionsTemplate: Object.fromEntries(model.decisions.map((d) => [d.id, undefined])) as Record<string, undefined>,
  };
  const readFields = fieldsReadBy(model);
  return { model, fieldPaths, fieldIndex, params, decisions, decisionIndex, ruleById, invariants, banded: bandedLeaves, fieldReader, fieldCodings, decisionSlot, graftDiameterField: fieldIndex.get(GRAFT_DIAMETER_FIELD) ?? -1, order, scoreDecision, readFields, fieldRead: fieldPaths.map((p) => readFields.has(p)) };
}

export interface FieldReader {
  readonly sections: readonly { readonly key: string; readonly fields: readonly { readonly key: string; readonly index: number }[] }[];
  readonly others: readonly { readonly keys: readonly string[]; readonly index: number }[];
}

function fieldReaderOf(paths: readonly string[]): FieldReader {
  const sections: { key: string; fields: { key: string; index: number }[] }[] = [];
  const others: { keys: string[]; index: number }[] = [];
  paths.forEach((path, index) => {
    const keys = path.split('.');
    if (keys.length !== 2) return void others.push({ keys, index });
    let section = sections.find((x) => x.key === keys[0]);
    if (section === undefined) sections.push((section = { key: keys[0]!, fields: [] }));
    section.fields.push({ key: keys[1]!, index });
  });
  return { sections, others };
}

/** An own property of a value (readPath in case/fields.ts: inherited properties are not the case's). */
function ownValue(obj: unknown, key: string): unknown {
  if (obj === null || typeof obj !== 'object') return undefined;
  const v = (obj as Record<string, unknown>)[key];
  return v !== undefined && Object.hasOwn(obj, key) ? v : undefined;
}

/** Flatten a case into the facts the closures read. `null` and absent → undefined. */
export function factsOf(ruleset: CompiledRuleset, input: unknown): Facts {
  const { sections, others } = ruleset.fieldReader;
  const codings = ruleset.fieldCodings;
  const values = new Array<unknown>(codings.length);
  const codes = new Array<number>(ruleset.decisionSlot + ruleset.decisions.length).fill(NO_CODE);
  // each section read once, then its fields
  for (let s = 0; s < sections.length; s++) {
    const section = sections[s]!;
    const from = ownValue(input, section.key);
    const fields = section.fields;
    for (let f = 0; f < fields.length; f++) {
      const v = ownValue(from, fields[f]!.key);
      values[fields[f]!.index] = v === null ? undefined : v;
    }
  }
  for (let o = 0; o < others.length; o++) {
    let v: unknown = input;
    for (const key of others[o]!.keys) v = ownValue(v, key);
    values[others[o]!.index] = v === null ? undefined : v;
  }
  for (let i = 0; i < codings.length; i++) {
    const coding = codings[i];
    if (coding !== undefined) codes[i] = encode(coding, values[i]);
  }
  return { values, codes };
}

/** The facts with one field's value replaced (a borderline probe); the decision slots are decideFacts's to fill. */
export function withValue(ruleset: CompiledRuleset, facts: Facts, field: number, value: unknown): Facts {
  const values = facts.values.slice();
  values[field] = value;
  const codes = facts.codes.slice();
  const coding = ruleset.fieldCodings[field];
  codes[field] = coding === undefined ? NO_CODE : encode(coding, value);
  return { values, codes };
}

/** all / any: for all, a false child decides and true ones are neutral; for any, the reverse. */
function compileJunction(kind: 'all' | 'any', items: CompiledCond[], src: SourceRef): CompiledCond {
  const decisive: Truth = kind === 'all' ? F : T;
  const neutral: Truth = kind === 'all' ? T : F;
  const nodes = items.map((k) => k.node);
  const at = frozenSrc(src);
  const node: NodeFn = (f, d) => {
    const children = new Array<TraceNode>(nodes.length); // exact size: filled below
    let res: Truth = neutral;
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i]!(f, d);
      children[i] = n;
      const r = truthOfNode(n);
      if (r === decisive) res = decisive;
      else if (r === U && res !== decisive) res = U;
    }
    return Object.freeze({ kind, result: TRUTH_NAMES[res], children: Object.freeze(children), src: at });
  };
  // The children with a table are looked up here, before the others are called: the
  // result of all / any does not depend on the order (the tests are pure), and a look-up
  // is far cheaper than a call. A value without a code runs that child's own test.
  const tabled = items.filter((k) => k.table !== undefined);
  const slots = tabled.map((k) => k.table!.slot);
  const tables = tabled.map((k) => k.table!.truth);
  const slow = tabled.map((k) => k.test);
  const kids = items.filter((k) => k.table === undefined).map((k) => k.test);
  const test: CondFn = (f, d) => {
    const codes = f.codes;
    let res: Truth = neutral;
    for (let i = 0; i < tables.length; i++) {
      const code = codes[slots[i]!]!;
      const r = code === NO_CODE ? slow[i]!(f, d) : (tables[i]![code] as Truth);
      if (r === decisive) return decisive;
      if (r === U) res = U;
    }
    for (let i = 0; i < kids.length; i++) {
      const r = kids[i]!(f, d);
      if (r === decisive) return decisive;
      if (r === U) res = U;
    }
    return res;
  };
  return { test, miss: missOfChildren(items), node };
}

/**
 * all / any / not that came out unknown: its children are unknown or neutral (true for
 * all, false for any), so the missing inputs are those of the unknown children. The
 * short-circuiting test gives the same truth value as the full evaluation of the trace.
 */
function missOfChildren(items: readonly CompiledCond[]): MissFn {
  return (f, d, into) => {
    for (let i = 0; i < items.length; i++) {
      const k = items[i]!;
      if (k.test(f, d) === U) k.miss(f, d, into);
    }
  };
}

/** The test of a condition with a table: the look-up, or `slow` for a value without a code. */
function tableTest(table: TruthTable, slow: CondFn): CondFn {
  const { slot, truth } = table;
  return (f, d) => {
    const code = f.codes[slot]!;
    return code === NO_CODE ? slow(f, d) : (truth[code] as Truth);
  };
}

function compileNot(item: CompiledCond, src: SourceRef): CompiledCond {
  const kid = item.test;
  const kidNode = item.node;
  const at = frozenSrc(src);
  const node: NodeFn = (f, d) => {
    const n = kidNode(f, d);
    return Object.freeze({ kind: 'not', result: TRUTH_NAMES[not(truthOfNode(n))], children: Object.freeze([n]), src: at });
  };
  const negated: CondFn = (f, d) => not(kid(f, d));
  if (item.table === undefined) return { test: negated, miss: item.miss, node };
  // not of a condition with a table: the table negated, entry by entry
  const table: TruthTable = { slot: item.table.slot, truth: item.table.truth.map((r) => not(r as Truth)) };
  return { test: tableTest(table, negated), miss: item.miss, node, table };
}

function compileLeaf(c: Extract<ConditionModel, { kind: 'fact' }>, idx: number, operand: unknown, coding: FieldCoding | undefined, shared: SharedTables): CompiledCond {
  const { fact, operator, count } = c;
  const opTest = (FACT_OPERATORS as OperatorTable)[operator]!.test;
  const expected = frozenValue(c.param !== undefined ? { param: c.param, value: operand as number } : c.value !== undefined ? c.value : null);
  const src = frozenSrc(c.src);
  // The trace node: one object shape per leaf (no spread).
  const mk: (v: unknown, r: Truth) => TraceNode =
    count !== undefined
      ? (v, r) => Object.freeze({ kind: 'fact', fact, operator, expected, count, actual: v === undefined ? null : v, result: TRUTH_NAMES[r], src })
      : (v, r) => Object.freeze({ kind: 'fact', fact, operator, expected, actual: v === undefined ? null : v, result: TRUTH_NAMES[r], src });
  const run: CondFn = (f) => opTest(f.values[idx], operand, count);
  // Unknown only when the field is (isKnown and isUnknown never are): then the field is what is missing.
  const unknownWhenUnknown = opTest(undefined, operand, count) === U;
  const miss: MissFn = unknownWhenUnknown ? (_f, _d, into) => void into.add(fact) : () => {};
  if (coding === undefined) return { test: run, miss, node: (f, d) => mk(f.values[idx], run(f, d)) };
  // the operator's own test on every value of the field, once
  // the operand's text is enough to tell two comparisons of one field by one operator apart
  // (the operator fixes the operand's kind)
  const truth = shared(`${idx} ${operator} ${count ?? ''} ${Array.isArray(operand) ? operand.join('\u0000') : String(operand)}`, () => {
    const t = new Uint8Array(coding.size);
    for (let code = 0; code < coding.size; code++) t[code] = opTest(decode(coding, code), operand, count);
    return t;
  });
  const table: TruthTable = { slot: idx, truth };
  const test = tableTest(table, run);
  return { test, miss, node: (f, d) => mk(f.values[idx], test(f, d)), table };
}

function compileDecisionRef(
  c: Extract<ConditionModel, { kind: 'decision' }>,
  idx: number,
  slot: number,
  decided: readonly DecisionState[],
  shared: SharedTables,
): CompiledCond {
  const values = (Array.isArray(c.value) ? c.value : [c.value]).map((v) => String(v));
  const opTest = (DECISION_OPERATORS as DecisionOperatorTable)[c.operator]!.test;
  const miss: MissFn = (_f, d, into) => {
    for (const m of d[idx]!.missing) into.add(m);
  };
  const run: CondFn = (_f, d) => opTest(d[idx]!, values);
  // by the rule that decided: the operator's test on the state that rule gives, once
  const table: TruthTable = { slot, truth: shared(`${slot} ${c.operator} ${values.join('\u0000')}`, () => Uint8Array.from(decided, (s) => opTest(s, values))) };
  const test = tableTest(table, run);
  const { decision, operator } = c;
  const expected = frozenValue(c.value);
  const src = frozenSrc(c.src);
  const node: NodeFn = (f, d) => {
    const s = d[idx]!;
    return Object.freeze({
      kind: 'decision',
      decision,
      operator,
      expected,
      actual: Object.freeze(
        s.value !== undefined ? { value: s.value } : s.included ? { candidates: s.candidates, included: s.included } : { candidates: s.candidates },
      ),
      result: TRUTH_NAMES[test(f, d)],
      src,
    });
  };
  return { test, miss, node, table };
}
