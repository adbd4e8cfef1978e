/**
 * Model → closures, once per rule set. Each condition becomes a function over a flat
 * array of fact values (one slot per case field) returning 0 (false), 1 (true) or 2
 * (unknown). With a trace sink the same closures record every node; without one they
 * short-circuit and allocate nothing.
 */
import { INPUT_FIELDS, readPath } from '../case/fields.js';
import type { ConditionModel, DecisionModel, RuleModel, RulesetModel, Scalar } from '../rules/model.js';
import type { SourceRef } from '../diagnostics/diagnostic.js';

export const F = 0;
export const T = 1;
export const U = 2;
export type Truth = 0 | 1 | 2;
export const TRUTH_NAMES = ['false', 'true', 'unknown'] as const;
export type TruthName = (typeof TRUTH_NAMES)[number];

export type Facts = unknown[];

/** What a later decision may read of an earlier one. */
export interface DecisionState {
  /** priority / score: the value, or undefined when undetermined. */
  readonly value?: string;
  /** priority / score: candidates when undetermined. collect: items possibly included. */
  readonly candidates: readonly string[];
  /** collect: items definitely included. */
  readonly included?: readonly string[];
  readonly missing: readonly string[];
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

export type CondFn = (facts: Facts, decs: readonly DecisionState[], trace: TraceNode[] | null) => Truth;

export interface BandedLeaf {
  readonly rule: string;
  readonly field: number;
  readonly fact: string;
  readonly operator: string;
  readonly param: string;
  readonly threshold: number;
  readonly band: number;
}

export interface CompiledRule {
  readonly model: RuleModel;
  readonly test: CondFn;
}

export interface CompiledDecision {
  readonly model: DecisionModel;
  readonly index: number;
  readonly rules: readonly CompiledRule[];
}

export interface CompiledRuleset {
  readonly model: RulesetModel;
  readonly fieldPaths: readonly string[];
  readonly fieldIndex: ReadonlyMap<string, number>;
  readonly params: Readonly<Record<string, number>>;
  readonly decisions: readonly CompiledDecision[];
  readonly decisionIndex: ReadonlyMap<string, number>;
  readonly ruleById: ReadonlyMap<string, CompiledRule>;
  readonly invariants: readonly { readonly model: RulesetModel['invariants'][number]; readonly test: CondFn; readonly decision: number }[];
  readonly banded: readonly BandedLeaf[];
}

export interface CompileOptions {
  /** Override parameter values (e.g. an institution's 50 % threshold). */
  readonly params?: Readonly<Record<string, number>>;
}

export function compileRuleset(model: RulesetModel, options: CompileOptions = {}): CompiledRuleset {
  const fieldPaths = INPUT_FIELDS.map((f) => f.path);
  const fieldIndex = new Map(fieldPaths.map((p, i) => [p, i]));
  const params: Record<string, number> = {};
  for (const [id, p] of Object.entries(model.parameters)) params[id] = options.params?.[id] ?? p.value;
  const decisionIndex = new Map(model.decisions.map((d, i) => [d.id, i]));
  const banded: BandedLeaf[] = [];

  const compileCond = (c: ConditionModel, ruleId: string): CondFn => {
    switch (c.kind) {
      case 'all':
        return compileAll(c.items.map((x) => compileCond(x, ruleId)), c.src);
      case 'any':
        return compileAny(c.items.map((x) => compileCond(x, ruleId)), c.src);
      case 'not':
        return compileNot(compileCond(c.item, ruleId), c.src);
      case 'decision':
        return compileDecisionRef(c, decisionIndex.get(c.decision)!);
      case 'fact': {
        const idx = fieldIndex.get(c.fact)!;
        const operand = c.param !== undefined ? params[c.param]! : c.value;
        if (c.param !== undefined) {
          const bandParam = model.parameters[c.param]?.borderlineBand;
          if (bandParam !== undefined)
            banded.push({ rule: ruleId, field: idx, fact: c.fact, operator: c.operator, param: c.param, threshold: operand as number, band: params[bandParam]! });
        }
        return compileLeaf(c, idx, operand);
      }
    }
  };

  const ruleById = new Map<string, CompiledRule>();
  for (const r of model.rules) ruleById.set(r.id, { model: r, test: compileCond(r.when, r.id) });
  const decisions = model.decisions.map((d, index) => ({ model: d, index, rules: d.rules.map((id) => ruleById.get(id)!) }));
  const invariants = model.invariants.map((inv) => ({
    model: inv,
    test: compileCond(inv.when, inv.id),
    decision: decisionIndex.get(inv.then.decision)!,
  }));
  return { model, fieldPaths, fieldIndex, params, decisions, decisionIndex, ruleById, invariants, banded };
}

/** Flatten a case into the fact array the closures read. `null` and absent → undefined. */
export function factsOf(ruleset: CompiledRuleset, input: unknown): Facts {
  const paths = ruleset.fieldPaths;
  const facts = new Array<unknown>(paths.length);
  for (let i = 0; i < paths.length; i++) facts[i] = readPath(input, paths[i]!);
  return facts;
}

function compileAll(kids: CondFn[], src: SourceRef): CondFn {
  return (f, d, t) => {
    if (t === null) {
      let res: Truth = T;
      for (let i = 0; i < kids.length; i++) {
        const r = kids[i]!(f, d, null);
        if (r === F) return F;
        if (r === U) res = U;
      }
      return res;
    }
    const children: TraceNode[] = [];
    let res: Truth = T;
    for (let i = 0; i < kids.length; i++) {
      const r = kids[i]!(f, d, children);
      if (r === F) res = F;
      else if (r === U && res !== F) res = U;
    }
    t.push({ kind: 'all', result: TRUTH_NAMES[res], children, src });
    return res;
  };
}

function compileAny(kids: CondFn[], src: SourceRef): CondFn {
  return (f, d, t) => {
    if (t === null) {
      let res: Truth = F;
      for (let i = 0; i < kids.length; i++) {
        const r = kids[i]!(f, d, null);
        if (r === T) return T;
        if (r === U) res = U;
      }
      return res;
    }
    const children: TraceNode[] = [];
    let res: Truth = F;
    for (let i = 0; i < kids.length; i++) {
      const r = kids[i]!(f, d, children);
      if (r === T) res = T;
      else if (r === U && res !== T) res = U;
    }
    t.push({ kind: 'any', result: TRUTH_NAMES[res], children, src });
    return res;
  };
}

function compileNot(kid: CondFn, src: SourceRef): CondFn {
  return (f, d, t) => {
    if (t === null) {
      const r = kid(f, d, null);
      return r === U ? U : r === T ? F : T;
    }
    const children: TraceNode[] = [];
    const r = kid(f, d, children);
    const res: Truth = r === U ? U : r === T ? F : T;
    t.push({ kind: 'not', result: TRUTH_NAMES[res], children, src });
    return res;
  };
}

const b = (x: boolean): Truth => (x ? T : F);

/** The comparison of a known fact value; unknown facts never reach it. */
function leafTest(c: Extract<ConditionModel, { kind: 'fact' }>, operand: unknown): (v: unknown) => Truth {
  const list = Array.isArray(operand) ? (operand as readonly unknown[]) : [];
  switch (c.operator) {
    case 'equal':
      return (v) => b(v === operand);
    case 'notEqual':
      return (v) => b(v !== operand);
    case 'in':
      return (v) => b(list.includes(v));
    case 'notIn':
      return (v) => b(!list.includes(v));
    case 'contains':
      return (v) => b((v as unknown[]).includes(operand));
    case 'doesNotContain':
      return (v) => b(!(v as unknown[]).includes(operand));
    case 'containsAny':
      return (v) => b((v as unknown[]).some((x) => list.includes(x)));
    case 'containsNone':
      return (v) => b(!(v as unknown[]).some((x) => list.includes(x)));
    case 'containsAtLeast': {
      const n = c.count ?? 1;
      return (v) => b((v as unknown[]).filter((x) => list.includes(x)).length >= n);
    }
    case 'isEmpty':
      return (v) => b((v as unknown[]).length === 0);
    case 'isNotEmpty':
      return (v) => b((v as unknown[]).length > 0);
    case 'lessThan':
      return (v) => b((v as number) < (operand as number));
    case 'lessThanInclusive':
      return (v) => b((v as number) <= (operand as number));
    case 'greaterThan':
      return (v) => b((v as number) > (operand as number));
    case 'greaterThanInclusive':
      return (v) => b((v as number) >= (operand as number));
    case 'isKnown':
    case 'isUnknown':
      return () => T; // handled before (known-ness is the question itself)
  }
}

function compileLeaf(c: Extract<ConditionModel, { kind: 'fact' }>, idx: number, operand: unknown): CondFn {
  const test = leafTest(c, operand);
  const expected =
    c.param !== undefined ? { param: c.param, value: operand as number } : c.value !== undefined ? c.value : null;
  const known = c.operator === 'isKnown';
  const unknownOp = c.operator === 'isUnknown';
  const node = (v: unknown, r: Truth): TraceNode => ({
    kind: 'fact',
    fact: c.fact,
    operator: c.operator,
    expected,
    ...(c.count !== undefined ? { count: c.count } : {}),
    actual: v === undefined ? null : v,
    result: TRUTH_NAMES[r],
    src: c.src,
  });
  if (known || unknownOp)
    return (f, _d, t) => {
      const v = f[idx];
      const r = b((v !== undefined) === known);
      if (t !== null) t.push(node(v, r));
      return r;
    };
  return (f, _d, t) => {
    const v = f[idx];
    const r = v === undefined ? U : test(v);
    if (t !== null) t.push(node(v, r));
    return r;
  };
}

function compileDecisionRef(c: Extract<ConditionModel, { kind: 'decision' }>, idx: number): CondFn {
  const vals = (Array.isArray(c.value) ? c.value : [c.value]).map(String);
  const negate = c.operator === 'notEqual' || c.operator === 'notIn';
  return (_f, d, t) => {
    const s = d[idx]!;
    let r: Truth;
    if (c.operator === 'contains') {
      const item = vals[0]!;
      r = s.included?.includes(item) ? T : s.candidates.includes(item) ? U : F;
    } else {
      const possible = s.value !== undefined ? [s.value] : s.candidates;
      const hits = possible.filter((v) => vals.includes(v)).length;
      r = possible.length === 0 ? U : hits === possible.length ? T : hits === 0 ? F : U;
      if (negate && r !== U) r = r === T ? F : T;
    }
    if (t !== null)
      t.push({
        kind: 'decision',
        decision: c.decision,
        operator: c.operator,
        expected: c.value,
        actual: s.value !== undefined ? { value: s.value } : { candidates: s.candidates, ...(s.included ? { included: s.included } : {}) },
        result: TRUTH_NAMES[r],
        src: c.src,
      });
    return r;
  };
}
