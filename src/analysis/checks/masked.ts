/**
 * analysis/masked: a rule of a priority decision that can hold but never decides — in
 * every valid case where it holds, a higher rule holds (or may hold) too. The
 * counterexample is a case where it holds and another rule takes the decision.
 *
 * analysis/unreachable: a rule (any hit policy) whose conditions are consistent on their
 * own (else analysis/contradiction reports it) but never hold in a real case: the decision
 * values it reads never occur together with its other conditions. The counterexample is a
 * case where its conditions on case fields hold and the decision it reads does not oblige.
 */
import type { ConditionModel, RuleModel } from '../../rules/model.js';
import { ruleRef, shown, traceOf, type Check } from '../context.js';
import { F, T } from '../semantics.js';

export const masked: Check = async (ctx) => {
  const z = ctx.enc.z;
  const reach = await ctx.reach();
  // which rules of priority decisions decide some case: one covering question for all
  const candidates: { decision: string; rule: RuleModel; index: number }[] = [];
  for (const d of ctx.rs.decisions)
    if (d.model.hitPolicy === 'priority')
      d.rules.forEach((r, index) => {
        if (reach.get(r.model.id) === 'holds') candidates.push({ decision: d.model.id, rule: r.model, index });
      });
  const earlierOf = (decision: string, index: number) => ctx.rs.decisions[ctx.rs.decisionIndex.get(decision)!]!.rules.slice(0, index).map((x) => x.model);
  const decides = await ctx.cover(
    candidates.map((c) => z.And(ctx.enc.rule(0, c.rule.id).t, ...earlierOf(c.decision, c.index).map((e) => ctx.enc.rule(0, e.id).f))),
    (run, i) => ctx.truth(run, candidates[i]!.rule.id) === T && earlierOf(candidates[i]!.decision, candidates[i]!.index).every((e) => ctx.truth(run, e.id) === F),
    'decides',
    candidates.map((c) => ({ check: 'masked', decision: c.decision, rule: c.rule.id })),
  );
  for (const i of decides.none) {
    const { decision: id, rule: R, index } = candidates[i]!;
    const rules = earlierOf(id, index);
    const self = ctx.enc.rule(0, R.id);
    const earlier = rules.map((x) => ctx.enc.rule(0, x.id));
    // prefer a case where a higher rule definitely decides, else one where one may
    const holdsWhere = (definite: boolean) =>
      ctx.counterexample(
        [self.t, ...(definite ? earlier.map((e) => z.Or(e.t, e.f)) : [])],
        (plan) => traceOf(plan, id).get(R.id)?.result === 'true' && plan.decisions[id]?.rule !== R.id && (!definite || plan.decisions[id]?.rule !== undefined),
        `masked-${R.id}`,
        { check: 'masked', decision: id, rule: R.id },
      );
    const holds = (await holdsWhere(true)) ?? (await holdsWhere(false));
    if (!holds) continue;
    const tr = traceOf(holds.plan, id);
    const maskers = rules.filter((x) => tr.get(x.id)?.result !== 'false');
    ctx.report('analysis/masked', R.src, `"${R.id}" never decides: whenever it holds, ${maskers.map((x) => `"${x.id}"`).join(' or ')} comes first`, {
      decision: id,
      rules: [R.id, ...maskers.map((x) => x.id)],
      related: maskers.map(ruleRef),
      ...shown(holds),
    });
  }
  // rules that never hold: unreachable when their conditions are consistent on their own
  for (const d of ctx.rs.decisions)
    for (const r of d.rules) {
      const R = r.model;
      if (reach.get(R.id) !== 'never') continue;
      const scope = { check: 'unreachable', decision: d.model.id, rule: R.id };
      if ((await ctx.satisfiable(R.when, scope)) !== true) continue; // contradiction reports it (or not answered: recorded)
      const local = ctx.cond(withoutDecisions(R.when, true));
      const example = await ctx.counterexample([local.t], () => true, `unreachable-${R.id}`, scope);
      const reads = [...new Set(decisionRefs(R.when))];
      const why = reads.length ? `the values it needs of ${reads.join(', ')} never occur together with its other conditions` : 'its conditions never hold together for a valid case';
      ctx.report('analysis/unreachable', R.src, `"${R.id}" never holds in a real case: ${why}`, {
        decision: d.model.id,
        rules: [R.id],
        ...(example ? shown(example) : {}),
      });
    }
};

/** The condition with every decision reference made harmless (true where it must hold, false under `not`). */
function withoutDecisions(c: ConditionModel, positive: boolean): ConditionModel {
  switch (c.kind) {
    case 'all':
    case 'any':
      return { ...c, items: c.items.map((x) => withoutDecisions(x, positive)) };
    case 'not':
      return { ...c, item: withoutDecisions(c.item, !positive) };
    case 'decision':
      return positive ? { kind: 'all', items: [], src: c.src } : { kind: 'any', items: [], src: c.src };
    default:
      return c;
  }
}

function decisionRefs(c: ConditionModel): string[] {
  if (c.kind === 'all' || c.kind === 'any') return c.items.flatMap(decisionRefs);
  if (c.kind === 'not') return decisionRefs(c.item);
  return c.kind === 'decision' ? [c.decision] : [];
}
