/**
 * A decision's outcome from the truth values of its rules, by hit policy — the same
 * resolution as engine/evaluate.ts (test/analysis/outcome.test.ts checks the two agree over
 * the case space), without traces or missing-input bookkeeping, so the analysis and `diff`
 * can evaluate millions of rule vectors. Pure.
 */
import { F, T, type CompiledDecision, type CompiledRuleset, type DecisionState, type Facts, type Truth } from '../engine/compile.js';
import type { DecisionModel } from '../rules/model.js';
import { byCodeUnit } from '../io/order.js';

export interface RuleOutcome {
  readonly id: string;
  readonly value: string;
  readonly points: number;
  readonly priority: number;
}

export interface DecisionShape {
  readonly model: DecisionModel;
  readonly rules: readonly RuleOutcome[];
}

export function shapeOf(d: CompiledDecision): DecisionShape {
  return {
    model: d.model,
    rules: d.rules.map((r) => ({ id: r.model.id, value: r.model.then.value ?? '', points: r.model.then.points ?? 0, priority: r.model.priority })),
  };
}

/** `truth(i)` is the truth value of the decision's i-th rule (in evaluation order). */
export function resolveState(shape: DecisionShape, truth: (i: number) => Truth): DecisionState {
  const { model, rules } = shape;
  if (model.hitPolicy === 'priority') {
    const cands: string[] = [];
    for (let i = 0; i < rules.length; i++) {
      const r = truth(i);
      if (r === F) continue;
      const v = rules[i]!.value;
      if (r === T && cands.length === 0) return { value: v, candidates: [v], missing: [] };
      if (!cands.includes(v)) cands.push(v);
      if (r === T) break;
    }
    return { candidates: cands, missing: [] };
  }
  if (model.hitPolicy === 'collect') {
    const included: string[] = [];
    const possible: string[] = [];
    for (let i = 0; i < rules.length; i++) {
      const r = truth(i);
      const v = rules[i]!.value;
      if (r === T) {
        if (!included.includes(v)) included.push(v);
      } else if (r !== F && !possible.includes(v)) possible.push(v);
    }
    return { included, candidates: possible.filter((v) => !included.includes(v)), missing: [] };
  }
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < rules.length; i++) {
    const r = truth(i);
    const p = rules[i]!.points;
    if (r === T) {
      lo += p;
      hi += p;
    } else if (r !== F) {
      if (p < 0) lo += p;
      else hi += p;
    }
  }
  const levels = model.levels ?? [];
  const levelOf = (score: number) => {
    let li = 0;
    for (let i = 0; i < levels.length; i++) if (score >= levels[i]!.minScore) li = i;
    return li;
  };
  const a = levelOf(lo);
  const z = levelOf(hi);
  if (a === z) return { value: levels[a]?.value ?? 'undetermined', candidates: [levels[a]?.value ?? 'undetermined'], missing: [] };
  return { candidates: levels.slice(a, z + 1).map((l) => l.value), missing: [] };
}

/** Canonical, readable form of a state; equal keys mean the rules reading it see the same. */
export function stateKey(model: DecisionModel, s: DecisionState | undefined): string {
  if (!s) return '(absent)';
  const order = Object.keys(model.values);
  const sorted = (xs: readonly string[]) => [...new Set(xs)].sort((a, b) => order.indexOf(a) - order.indexOf(b) || byCodeUnit(a, b));
  if (model.hitPolicy === 'collect') {
    const inc = `[${sorted(s.included ?? []).join(', ')}]`;
    return s.candidates.length ? `${inc} + possibly [${sorted(s.candidates).join(', ')}]` : inc;
  }
  if (s.value !== undefined) return s.value;
  return `undetermined (${sorted(s.candidates).join(' | ')})`;
}

const sameSet = (a: readonly string[] | undefined, b: readonly string[] | undefined): boolean => {
  const x = a ?? [];
  const y = b ?? [];
  if (x.length !== y.length) return false;
  for (const v of x) if (!y.includes(v)) return false;
  return true;
};

/** Whether two states read the same (cheaper than comparing their keys). */
export function sameState(a: DecisionState | undefined, b: DecisionState | undefined): boolean {
  if (!a || !b) return a === b;
  return a.value === b.value && sameSet(a.candidates, b.candidates) && sameSet(a.included, b.included);
}

/** True when a state offers no outcome at all (every rule definitely false). */
export function isEmptyState(s: DecisionState): boolean {
  return s.value === undefined && s.candidates.length === 0 && (s.included ?? []).length === 0;
}

/** Decision states of a whole case, fast (no trace, no missing inputs). */
export function statesOf(rs: CompiledRuleset, facts: Facts, shapes: readonly DecisionShape[] = rs.decisions.map(shapeOf)): DecisionState[] {
  const states: DecisionState[] = [];
  for (const d of rs.decisions) {
    const rules = d.rules;
    states.push(resolveState(shapes[d.index]!, (i) => rules[i]!.test(facts, states)));
  }
  return states;
}
