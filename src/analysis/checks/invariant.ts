/**
 * analysis/invariant: a safety invariant that some valid case violates — its condition
 * holds and the decision's value, or one of its candidates (or included / possible items),
 * is forbidden. Checked exactly as the engine checks every plan at run time.
 */
import { T } from '../../engine/compile.js';
import type { DecisionState } from '../../engine/compile.js';
import type { InvariantModel } from '../../rules/model.js';
import { condOf } from '../explore.js';
import { ruleRef, type Check } from '../context.js';

export function forbiddenValues(inv: InvariantModel, s: DecisionState): string[] {
  const values = [...(s.value !== undefined ? [s.value] : []), ...(s.included ?? []), ...s.candidates];
  const list = inv.then.value;
  return [...new Set(inv.then.operator === 'notIn' ? values.filter((v) => list.includes(v)) : values.filter((v) => !list.includes(v)))];
}

export const invariant: Check = (ctx) => {
  for (const inv of ctx.rs.invariants) {
    const m = inv.model;
    const id = m.then.decision;
    const exp = ctx.machine.exploreWith(id, [condOf(0, inv.test, m.when)]);
    const self = exp.conds.length - 1;
    // prefer a case where the forbidden value is the decision itself, else a candidate
    const search = (determined: boolean) =>
      ctx.counterexample(
        exp,
        (t) => {
          if (t[self] !== T) return false;
          const st = ctx.machine.stateOf(exp, t).sides[0]!;
          return (!determined || st.value !== undefined) && forbiddenValues(m, st).length > 0;
        },
        (plan) => plan.invariantViolations.some((v) => v.invariant === m.id),
        `invariant-${m.id}`,
      );
    const first = search(true);
    const { found } = first.found || first.incomplete ? first : search(false);
    if (!found) continue;
    const r = found.plan.decisions[id]!;
    const bad = found.plan.invariantViolations.find((v) => v.invariant === m.id)!.values;
    const responsible = [...(r.rule ? [r.rule] : []), ...(r.rules ?? []), ...(r.candidates ?? []).filter((c) => bad.includes(c.value)).flatMap((c) => c.rules)];
    const rules = [...new Set(responsible)].filter((x) => ctx.model.rules.some((y) => y.id === x && (bad.includes(y.then.value ?? '') || y.id === r.rule)));
    ctx.report('analysis/invariant', m.src, `invariant "${m.id}" is violated: ${id} can be ${bad.join(', ')} (${m.then.operator} [${m.then.value.join(', ')}] required)`, {
      decision: id,
      rules: [m.id, ...rules],
      related: rules.map((x) => ruleRef(ctx.rule(x))),
      counterexample: found.case,
    });
  }
};
