/**
 * analysis/invariant: a safety invariant that some valid case violates — its condition
 * holds and the decision's value, or one of its candidates (or included / possible items),
 * is forbidden. Checked exactly as the engine checks every plan at run time.
 */
import type { DecisionState } from '../../engine/compile.js';
import type { InvariantModel } from '../../rules/model.js';
import { ruleRef, shown, type Check } from '../context.js';

export function forbiddenValues(inv: InvariantModel, s: DecisionState): string[] {
  const values = [...(s.value !== undefined ? [s.value] : []), ...(s.included ?? []), ...s.candidates];
  const list = inv.then.value;
  return [...new Set(inv.then.operator === 'notIn' ? values.filter((v) => list.includes(v)) : values.filter((v) => !list.includes(v)))];
}

export const invariant: Check = async (ctx) => {
  const z = ctx.enc.z;
  for (const inv of ctx.rs.invariants) {
    const m = inv.model;
    const id = m.then.decision;
    const st = ctx.state(id);
    const bad = st.values.filter((v) => m.then.value.includes(v) === (m.then.operator === 'notIn'));
    const when = ctx.cond(m.when).t;
    const get = (k: 'val' | 'inc' | 'cands', v: string) => st[k].get(v) ?? z.Bool.val(false);
    // prefer a case where the forbidden value is the decision itself (or included), else a candidate
    const search = (definite: boolean) =>
      ctx.counterexample(
        [when, z.Or(z.Bool.val(false), ...bad.flatMap((v) => [get('val', v), get('inc', v), ...(definite ? [] : [get('cands', v)])]))],
        (plan) => {
          const v = plan.invariantViolations.find((x) => x.invariant === m.id);
          if (!v) return false;
          const value = plan.decisions[id]!.value;
          return !definite || v.values.some((x) => x === value || (Array.isArray(value) && value.includes(x)));
        },
        `invariant-${m.id}`,
        { check: 'invariant', invariant: m.id, decision: id },
      );
    const found = (await search(true)) ?? (await search(false));
    if (!found) continue;
    const r = found.plan.decisions[id]!;
    const values = found.plan.invariantViolations.find((v) => v.invariant === m.id)!.values;
    const responsible = [...(r.rule ? [r.rule] : []), ...(r.rules ?? []), ...(r.candidates ?? []).filter((c) => values.includes(c.value)).flatMap((c) => c.rules)];
    // a score's level comes from every factor present; other decisions from the rules giving the forbidden values
    const rules = [...new Set(responsible)].filter((x) => ctx.model.rules.some((y) => y.id === x && (r.hitPolicy === 'score' || values.includes(y.then.value ?? '') || y.id === r.rule)));
    ctx.report('analysis/invariant', m.src, `invariant "${m.id}" is violated: ${id} can be ${values.join(', ')} (${m.then.operator} [${m.then.value.join(', ')}] required)`, {
      decision: id,
      rules: [m.id, ...rules],
      related: rules.map((x) => ruleRef(ctx.rule(x))),
      ...shown(found),
    });
  }
};
