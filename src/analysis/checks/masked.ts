/**
 * analysis/masked: a rule of a priority decision that can hold but never decides — in
 * every valid case where it holds, a higher rule holds (or may hold) too. The
 * counterexample is a case where it holds and another rule takes the decision.
 *
 * analysis/unreachable: a rule (any hit policy) whose conditions are consistent on their
 * own (else analysis/contradiction reports it) but never hold in a real case: the decision
 * values it reads never occur together with its other conditions. The counterexample is a
 * case where its conditions on case fields hold and the decision it reads does not oblige;
 * when those field conditions hold in no valid case, the finding says so (no case to show).
 */
import type { ConditionModel, RuleModel } from '../../rules/model.js';
import type { TraceNode } from '../../engine/compile.js';
import { not } from '../../engine/truth.js';
import { ruleRef, shown, traceOf, type AnalysisContext, type Check, type Counterexample } from '../context.js';
import { stateKey } from '../outcome.js';
import { F, T, U, type Plan, type Truth } from '../semantics.js';

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
      const reads = [...new Set(decisionRefs(R.when))];
      if (!reads.length) {
        ctx.report('analysis/unreachable', R.src, `"${R.id}" never holds in a real case: its conditions never hold together for a valid case`, {
          decision: d.model.id,
          rules: [R.id],
          related: leaves(R.when, 'fact').map((c) => c.src),
        });
        continue;
      }
      const example = await fieldsHoldExample(ctx, d.model.id, R);
      const why = `the values it needs of ${reads.join(', ')} never occur together with its other conditions`;
      const message =
        example === 'none'
          ? `"${R.id}" never holds in a real case: its conditions on case fields never hold together for a valid case, whatever ${reads.join(', ')} is`
          : example
            ? `"${R.id}" never holds in a real case: ${why}; the counterexample is a case where its conditions on case fields hold and ${readStates(ctx, example.plan, d.model.id, R.id)}`
            : `"${R.id}" never holds in a real case: ${why}`;
      // the conditions to look at: the decision ones that fail in the case shown, or the field ones that never hold together
      ctx.report('analysis/unreachable', R.src, message, {
        decision: d.model.id,
        rules: [R.id],
        related: leaves(R.when, example === 'none' ? 'fact' : 'decision').map((c) => c.src),
        ...(example && example !== 'none' ? shown(example) : {}),
      });
    }
};

/**
 * A case where the rule's conditions on case fields hold, so that what fails is the
 * decision it reads: preferably one where the rule is then definitely false (the decision
 * is settled against it), else one where it is unknown. 'none' when the field conditions
 * hold in no valid case. The engine's trace judges the field conditions (decision
 * references read as in withoutDecisions), so shortening the case keeps every input they need.
 */
async function fieldsHoldExample(ctx: AnalysisContext, decision: string, R: RuleModel): Promise<Counterexample | 'none' | undefined> {
  const local = ctx.cond(withoutDecisions(R.when, true)).t;
  const self = ctx.enc.rule(0, R.id);
  const search = (definite: boolean) =>
    ctx.witness(
      definite ? [local, self.f] : [local],
      (plan) => {
        const t = traceOf(plan, decision).get(R.id);
        return t !== undefined && fieldTruth(t.when, true) === T && (!definite || t.result === 'false');
      },
      `unreachable-${R.id}`,
      { check: 'unreachable', decision, rule: R.id },
    );
  const definite = await search(true);
  return definite === 'none' ? search(false) : definite;
}

/** The truth of a traced condition with every decision reference read as in withoutDecisions. */
function fieldTruth(n: TraceNode, positive: boolean): Truth {
  switch (n.kind) {
    case 'decision':
      return positive ? T : F;
    case 'fact':
      return n.result === 'true' ? T : n.result === 'false' ? F : U;
    case 'not':
      return not(fieldTruth(n.children[0]!, !positive));
    case 'all': {
      const xs = n.children.map((x) => fieldTruth(x, positive));
      return xs.includes(F) ? F : xs.every((x) => x === T) ? T : U;
    }
    case 'any': {
      const xs = n.children.map((x) => fieldTruth(x, positive));
      return xs.includes(T) ? T : xs.every((x) => x === F) ? F : U;
    }
  }
}

/** What the decisions a rule reads are in a case, e.g. "ivcManagement is interposition_graft". */
function readStates(ctx: AnalysisContext, plan: Plan, decision: string, rule: string): string {
  const nodes: Extract<TraceNode, { kind: 'decision' }>[] = [];
  const walk = (n: TraceNode): void => {
    if (n.kind === 'decision') nodes.push(n);
    else if (n.kind !== 'fact') n.children.forEach(walk);
  };
  walk(traceOf(plan, decision).get(rule)!.when);
  const seen = new Map(nodes.map((n) => [n.decision, n.actual]));
  return [...seen]
    .map(([id, actual]) => `${id} is ${stateKey(ctx.model.decisions.find((x) => x.id === id)!, { candidates: [], missing: [], ...actual })}`)
    .join(' and ');
}

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

/** The comparisons of one kind in a condition, in the order written. */
function leaves(c: ConditionModel, kind: 'fact' | 'decision'): ConditionModel[] {
  if (c.kind === 'all' || c.kind === 'any') return c.items.flatMap((x) => leaves(x, kind));
  if (c.kind === 'not') return leaves(c.item, kind);
  return c.kind === kind ? [c] : [];
}

function decisionRefs(c: ConditionModel): string[] {
  if (c.kind === 'all' || c.kind === 'any') return c.items.flatMap(decisionRefs);
  if (c.kind === 'not') return decisionRefs(c.item);
  return c.kind === 'decision' ? [c.decision] : [];
}
