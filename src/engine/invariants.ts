/**
 * Invariant checks at run time: an invariant is broken when its condition holds and its
 * decision has, or may have, a value the invariant forbids. `rvlms validate` proves that no
 * case breaks one; the engine still checks every plan, for rule sets used unvalidated or
 * with other parameters. Pure.
 */
import type { InvariantModel } from '../rules/model.js';
import type { DecisionState } from './policies.js';

/** Whether a state's value, items or candidates include a value the invariant forbids (allocates nothing). */
export function hasForbidden(s: DecisionState, then: InvariantModel['then']): boolean {
  const notIn = then.operator === 'notIn';
  const list = then.value;
  if (s.value !== undefined && list.includes(s.value) === notIn) return true;
  if (s.included !== undefined) for (let i = 0; i < s.included.length; i++) if (list.includes(s.included[i]!) === notIn) return true;
  for (let i = 0; i < s.candidates.length; i++) if (list.includes(s.candidates[i]!) === notIn) return true;
  return false;
}

/** The forbidden values among a state's value, items and candidates, each once, in that order (undefined: none). */
export function forbiddenValues(s: DecisionState, then: InvariantModel['then']): readonly string[] | undefined {
  const notIn = then.operator === 'notIn';
  let bad: string[] | undefined;
  if (s.value !== undefined && then.value.includes(s.value) === notIn) bad = [s.value];
  if (s.included !== undefined) bad = addForbidden(s.included, then.value, notIn, bad);
  return addForbidden(s.candidates, then.value, notIn, bad);
}

function addForbidden(items: readonly string[], list: readonly string[], notIn: boolean, bad: string[] | undefined): string[] | undefined {
  for (let i = 0; i < items.length; i++) {
    const v = items[i]!;
    if (list.includes(v) === notIn && !bad?.includes(v)) (bad ??= []).push(v);
  }
  return bad;
}
