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
import { T, F, U } from '../../engine/compile.js';
import type { ConditionModel } from '../../rules/model.js';
import { condOf } from '../explore.js';
import { ruleRef, traceOf, type Check } from '../context.js';

export const masked: Check = (ctx) => {
  for (const d of ctx.rs.decisions) {
    const id = d.model.id;
    const priority = d.model.hitPolicy === 'priority';
    const exp = ctx.machine.explore(id);
    if (exp.tooLarge) continue; // reported once as analysis/incomplete; nothing can be concluded
    const rc = exp.ruleConds[0]!;
    const rules = d.rules.map((r) => r.model);
    rules.forEach((R, i) => {
      const self = rc[i]!;
      if (priority) {
        const decides = ctx.counterexample(exp, (t) => t[self] === T && rc.slice(0, i).every((k) => t[k] === F), (plan) => plan.decisions[id]?.rule === R.id, `decides-${R.id}`);
        if (decides.found || decides.incomplete) return;
      }
      // prefer a case where a higher rule definitely decides, else one where one may
      const earlier = rc.slice(0, i);
      const holdsWhere = (definite: boolean) =>
        ctx.counterexample(
          exp,
          (t) => t[self] === T && (!definite || earlier.every((k) => t[k] !== U)),
          (plan) => traceOf(plan, id).get(R.id)?.result === 'true' && (!priority || plan.decisions[id]?.rule !== R.id),
          `masked-${R.id}`,
        );
      let search = priority ? holdsWhere(true) : { incomplete: false };
      if (!search.found) search = holdsWhere(false);
      const { found: holds, incomplete } = search;
      if (holds) {
        if (!priority) return;
        const tr = traceOf(holds.plan, id);
        const maskers = rules.slice(0, i).filter((x) => tr.get(x.id)?.result !== 'false');
        ctx.report('analysis/masked', R.src, `"${R.id}" never decides: whenever it holds, ${maskers.map((x) => `"${x.id}"`).join(' or ')} comes first`, {
          decision: id,
          rules: [R.id, ...maskers.map((x) => x.id)],
          related: maskers.map(ruleRef),
          counterexample: holds.case,
        });
        return;
      }
      if (incomplete || !ctx.satisfiable(condOf(0, d.rules[i]!.test, R.when))) return; // analysis/contradiction reports it
      const local = ctx.machine.compileConds(0, [withoutDecisions(R.when, true)])[0]!;
      const { found: example } = ctx.counterexample(ctx.machine.exploreConds('', [local], [], (x, given) => ctx.machine.reach(x, given)), (t) => t[0] === T, () => true, `unreachable-${R.id}`);
      const reads = [...new Set(decisionRefs(R.when))];
      const why = reads.length ? `the values it needs of ${reads.join(', ')} never occur together with its other conditions` : 'its conditions never hold together for a valid case';
      ctx.report('analysis/unreachable', R.src, `"${R.id}" never holds in a real case: ${why}`, {
        decision: id,
        rules: [R.id],
        ...(example ? { counterexample: example.case } : {}),
      });
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
