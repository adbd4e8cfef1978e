/**
 * Decision states as the analysis shows and compares them (the states themselves come from
 * the engine, or from the solver's encoding of it). Pure.
 */
import type { DecisionState } from '../engine/compile.js';
import type { DecisionModel } from '../rules/model.js';
import { byCodeUnit } from '../io/order.js';

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

/** Whether a state key (stateKey) is a settled outcome: a value, or items with none still possible. */
export const settledKey = (key: string): boolean => !key.startsWith('undetermined (') && !key.includes('] + possibly [');

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

