/**
 * analysis/contradiction: conditions inside one rule (or invariant) that can never hold
 * together — for every value of the fields they read, and reading any decision as free.
 * Explains with the smallest part of a top-level `all` that already cannot hold (one
 * condition, else a pair), and gives a case in which the first part holds and the other
 * fails.
 */
import type { ConditionModel } from '../../rules/model.js';
import type { SourceRef } from '../../diagnostics/diagnostic.js';
import { describeCond } from '../describe.js';
import { shown, type AnalysisContext, type Check, type Scope } from '../context.js';
import type { TraceNode } from '../../engine/compile.js';
import type { Plan } from '../semantics.js';

export const contradiction: Check = async (ctx) => {
  const reach = await ctx.reach();
  for (const d of ctx.rs.decisions)
    for (const r of d.rules) {
      if (reach.get(r.model.id) !== 'never') continue; // holds in a real case (or not settled: recorded)
      const scope = { check: 'contradiction', decision: d.model.id, rule: r.model.id };
      if ((await ctx.satisfiable(r.model.when, scope)) === false)
        await explain(ctx, r.model.when, r.model.src, r.model.id, 'error', scope, (plan) => plan.trace?.find((t) => t.rule === r.model.id)?.when);
    }
  for (const inv of ctx.rs.invariants) {
    const scope = { check: 'contradiction', invariant: inv.model.id };
    if ((await ctx.satisfiable(inv.model.when, scope)) === false) await explain(ctx, inv.model.when, inv.model.src, inv.model.id, 'warning', scope, () => undefined);
  }
};

async function explain(
  ctx: AnalysisContext,
  when: ConditionModel,
  src: SourceRef,
  id: string,
  severity: 'error' | 'warning',
  scope: Scope,
  traceOf: (plan: Plan) => TraceNode | undefined,
): Promise<void> {
  const params = ctx.rs.params;
  const parts = when.kind === 'all' ? when.items : [];
  let core: number[] | undefined;
  for (let i = 0; i < parts.length && !core; i++) if ((await ctx.satisfiable(parts[i]!, scope)) === false) core = [i];
  for (let i = 0; i < parts.length && !core; i++)
    for (let j = i + 1; j < parts.length && !core; j++)
      if ((await ctx.satisfiable({ kind: 'all', items: [parts[i]!, parts[j]!], src: parts[i]!.src }, scope)) === false) core = [i, j];
  const what = core ? core.map((i) => describeCond(parts[i]!, params)).join(' and ') : describeCond(when, params);
  const message = core?.length === 1 ? `"${id}": ${what} can never hold` : `"${id}": ${what} can never hold together`;
  // a case where the first part holds (so the other must fail), else one where the condition is simply false
  const first = core?.length === 2 ? parts[core[0]!] : undefined;
  const goal = first ? ctx.cond(first).t : ctx.cond(when).f;
  const found = await ctx.counterexample(
    [goal],
    (plan) => {
      const node = traceOf(plan);
      if (!node || !core || core.length !== 2 || node.kind !== 'all') return true;
      return node.children[core[0]!]?.result === 'true' && node.children[core[1]!]?.result !== 'true';
    },
    `contradiction-${id}`,
    scope,
  );
  ctx.report('analysis/contradiction', src, message, {
    severity,
    rules: [id],
    related: core ? core.map((i) => parts[i]!.src) : [when.src],
    ...(found ? shown(found) : {}),
  });
}
