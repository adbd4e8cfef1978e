/**
 * analysis/gap: a valid case for which every rule of a decision is definitely false, so the
 * decision has no outcome. An error for priority decisions (the plan has no answer and no
 * candidates); a warning for collect decisions (the plan lists no item — sometimes meant).
 * Score decisions always reach a level.
 */
import { decisionSrc, ruleRef, shown, type Check } from '../context.js';

export const gap: Check = async (ctx) => {
  for (const d of ctx.rs.decisions) {
    const policy = d.model.hitPolicy;
    if (policy === 'score') continue;
    const found = await ctx.counterexample(
      d.rules.map((r) => ctx.enc.rule(0, r.model.id).f),
      (plan) => {
        const r = plan.decisions[d.model.id]!;
        return (r.candidates ?? []).length === 0 && (policy === 'collect' ? (r.value as string[]).length === 0 : r.status === 'undetermined');
      },
      `gap-${d.model.id}`,
      { check: 'gap', decision: d.model.id },
    );
    if (!found) continue;
    const message =
      policy === 'priority'
        ? `no rule of "${d.model.id}" can hold for this case: the decision has no outcome`
        : `no rule of "${d.model.id}" holds for this case: the plan lists no item for ${d.model.title.toLowerCase()}`;
    ctx.report('analysis/gap', decisionSrc(ctx.model, d.model.id), message, {
      ...(policy === 'collect' ? { severity: 'warning' as const } : {}),
      decision: d.model.id,
      rules: d.rules.map((r) => r.model.id),
      related: d.rules.map((r) => ruleRef(r.model)),
      ...shown(found),
    });
  }
};
