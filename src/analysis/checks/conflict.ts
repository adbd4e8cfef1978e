/**
 * analysis/conflict: two rules of a priority decision with the same priority and different
 * outcomes both hold while every higher-priority rule is definitely false — the engine
 * then takes the one that comes first in the files, silently.
 */
import { T, F } from '../../engine/compile.js';
import { ruleRef, traceOf, type Check } from '../context.js';

export const conflict: Check = (ctx) => {
  for (const d of ctx.rs.decisions) {
    if (d.model.hitPolicy !== 'priority') continue;
    const rules = d.rules.map((r) => r.model);
    for (let a = 0; a < rules.length; a++)
      for (let b = a + 1; b < rules.length; b++) {
        const A = rules[a]!;
        const B = rules[b]!;
        if (A.priority !== B.priority || A.then.value === B.then.value) continue;
        const exp = ctx.machine.explore(d.model.id);
        const rc = exp.ruleConds[0]!;
        const higher = rules.map((_, i) => i).filter((i) => rules[i]!.priority > A.priority);
        const { found } = ctx.counterexample(
          exp,
          (t) => t[rc[a]!] === T && t[rc[b]!] === T && higher.every((i) => t[rc[i]!] === F),
          (plan) => {
            const tr = traceOf(plan, d.model.id);
            return tr.get(A.id)?.result === 'true' && tr.get(B.id)?.result === 'true' && higher.every((i) => tr.get(rules[i]!.id)?.result === 'false');
          },
          `conflict-${A.id}-${B.id}`,
        );
        if (!found) continue;
        ctx.report(
          'analysis/conflict',
          B.src,
          `"${A.id}" (${A.then.value}) and "${B.id}" (${B.then.value}) both hold at priority ${A.priority}; "${A.id}" wins only by file order`,
          { decision: d.model.id, rules: [A.id, B.id], related: [ruleRef(A)], counterexample: found.case },
        );
      }
  }
};
