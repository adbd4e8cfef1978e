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
import { condOf, type Cond } from '../explore.js';
import type { AnalysisContext, Check } from '../context.js';
import type { TraceNode } from '../../engine/compile.js';
import type { Plan } from '../../engine/evaluate.js';

export const contradiction: Check = (ctx) => {
  for (const d of ctx.rs.decisions)
    for (const r of d.rules) {
      const cond = condOf(0, r.test, r.model.when);
      if (!ctx.satisfiable(cond)) explain(ctx, cond, r.model.src, r.model.id, 'error', (plan) => plan.trace?.find((t) => t.rule === r.model.id)?.when);
    }
  for (const inv of ctx.rs.invariants) {
    const cond = condOf(0, inv.test, inv.model.when);
    if (!ctx.satisfiable(cond)) explain(ctx, cond, inv.model.src, inv.model.id, 'warning', () => undefined);
  }
};

function explain(ctx: AnalysisContext, whole: Cond, src: SourceRef, id: string, severity: 'error' | 'warning', traceOf: (plan: Plan) => TraceNode | undefined): void {
  const when: ConditionModel = whole.when;
  const params = ctx.rs.params;
  const parts = when.kind === 'all' ? when.items : [];
  const conds = ctx.machine.compileConds(0, parts);
  let core: number[] | undefined;
  for (let i = 0; i < conds.length && !core; i++) if (!ctx.satisfiable(conds[i]!)) core = [i];
  for (let i = 0; i < conds.length && !core; i++)
    for (let j = i + 1; j < conds.length && !core; j++) {
      const pair = ctx.machine.compileConds(0, [{ kind: 'all', items: [parts[i]!, parts[j]!], src: parts[i]!.src }])[0]!;
      if (!ctx.satisfiable(pair)) core = [i, j];
    }
  const what = core ? core.map((i) => describeCond(parts[i]!, params)).join(' and ') : describeCond(when, params);
  const message = core?.length === 1 ? `"${id}": ${what} can never hold` : `"${id}": ${what} can never hold together`;
  // a case where the first part holds (so the other must fail), else one where the condition is simply false
  const first: Cond | undefined = core?.length === 2 ? conds[core[0]!] : undefined;
  const probe = first ?? whole;
  const exp = ctx.machine.exploreConds('', [probe], [], (d, given) => ctx.machine.reach(d, given));
  const want = first ? 1 : 0;
  const { found } = ctx.counterexample(
    exp,
    (t) => t[0] === want,
    (plan) => {
      const node = traceOf(plan);
      if (!node || !core || core.length !== 2 || node.kind !== 'all') return true;
      return node.children[core[0]!]?.result === 'true' && node.children[core[1]!]?.result !== 'true';
    },
    `contradiction-${id}`,
  );
  ctx.report('analysis/contradiction', src, message, {
    severity,
    rules: [id],
    related: core ? core.map((i) => parts[i]!.src) : [when.src],
    ...(found ? { counterexample: found.case } : {}),
  });
}
