/**
 * analysis/conflict: two rules of a priority decision with the same priority and different
 * outcomes both hold while every higher-priority rule is definitely false — the engine
 * then takes the one that comes first in the files, silently.
 */
import { ruleRef, shown, traceOf, type Check } from '../context.js';

export const conflict: Check = async (ctx) => {
  for (const d of ctx.rs.decisions) {
    if (d.model.hitPolicy !== 'priority') continue;
    const rules = d.rules.map((r) => r.model);
    for (let a = 0; a < rules.length; a++)
      for (let b = a + 1; b < rules.length; b++) {
        const A = rules[a]!;
        const B = rules[b]!;
        if (A.priority !== B.priority || A.then.value === B.then.value) continue;
        const higher = rules.filter((r) => r.priority > A.priority);
        const found = await ctx.counterexample(
          [ctx.enc.rule(0, A.id).t, ctx.enc.rule(0, B.id).t, ...higher.map((r) => ctx.enc.rule(0, r.id).f)],
          (plan) => {
            const tr = traceOf(plan, d.model.id);
            return tr.get(A.id)?.result === 'true' && tr.get(B.id)?.result === 'true' && higher.every((r) => tr.get(r.id)?.result === 'false');
          },
          `conflict-${A.id}-${B.id}`,
          { check: 'conflict', decision: d.model.id, rule: B.id },
        );
        if (!found) continue;
        ctx.report(
          'analysis/conflict',
          B.src,
          `"${A.id}" (${A.then.value}) and "${B.id}" (${B.then.value}) both hold at priority ${A.priority}; "${A.id}" wins only by file order`,
          { decision: d.model.id, rules: [A.id, B.id], related: [ruleRef(A)], ...shown(found) },
        );
      }
  }
};
