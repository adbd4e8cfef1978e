/**
 * The one place where the analysis reaches into the engine's semantics. Everything the
 * symbolic core knows about an operator or a hit policy comes through here:
 *
 *   - an operator's meaning is its concrete three-valued test, run on a value (the
 *     engine's own compiled closure for a lone fact comparison), so a new operator needs
 *     no analysis code;
 *   - the hit policies are the engine's list of policy names (the symbolic encoder of
 *     each sits beside it in a Record keyed by the same type, so the compiler forces
 *     coverage: symbolic/policies.ts);
 *   - what a case really gives is the engine's `evaluate` / `decide`.
 *
 * Today this adapts the engine's current modules (engine/compile.ts, engine/evaluate.ts);
 * when the engine exposes an operator table and a hit-policy module, this file is what
 * switches to them. Pure.
 */
import { INPUT_FIELDS } from '../case/fields.js';
import { compileRuleset, type CompiledRuleset, type Truth } from '../engine/compile.js';
import type { ConditionModel, HitPolicy, RuleModel, RulesetModel } from '../rules/model.js';

export type { HitPolicy } from '../rules/model.js';
export type { Truth } from '../engine/compile.js';
export { F, T, U } from '../engine/compile.js';
export { decide, evaluate, type Plan, type RuleTrace } from '../engine/evaluate.js';

/** Every hit policy the engine knows (the keys the symbolic encoders must cover). */
export const HIT_POLICIES = ['priority', 'collect', 'score'] as const satisfies readonly HitPolicy[];

/** A fact comparison with its operand resolved (a parameter replaced by its value). */
export type FactCond = Extract<ConditionModel, { kind: 'fact' }>;

/** The fact comparisons of a condition, parameters resolved with `params`. */
export function atomsOf(c: ConditionModel, params: Readonly<Record<string, number>>, out: FactCond[] = []): FactCond[] {
  switch (c.kind) {
    case 'all':
    case 'any':
      for (const x of c.items) atomsOf(x, params, out);
      break;
    case 'not':
      atomsOf(c.item, params, out);
      break;
    case 'fact':
      out.push(resolved(c, params));
      break;
    case 'decision':
      break;
  }
  return out;
}

/** The comparison with its parameter replaced by the parameter's value. */
export function resolved(c: FactCond, params: Readonly<Record<string, number>>): FactCond {
  if (c.param === undefined) return c;
  const { param, ...rest } = c;
  return { ...rest, value: params[param]! };
}

/** Identity of a resolved comparison (what it tests, not where it is written). */
export const atomKey = (a: FactCond): string => JSON.stringify([a.fact, a.operator, a.value ?? null, a.count ?? null]);

/**
 * The engine's concrete three-valued test of each comparison, as a function of the
 * field's value (undefined = unknown). Compiled by the engine itself, through a synthetic
 * rule set with one rule per comparison.
 */
export function atomTests(model: RulesetModel, atoms: readonly FactCond[]): ((value: unknown) => Truth)[] {
  if (atoms.length === 0) return [];
  const decision = model.decisions[0];
  if (!decision) return [];
  const probe = (when: FactCond, i: number): RuleModel => ({
    id: `atom${i}`,
    title: 'atom',
    decision: decision.id,
    priority: 0,
    when,
    then: {},
    rationale: 'atom',
    evidence: [],
    src: when.src,
  });
  const synthetic: RulesetModel = {
    ...model,
    rules: atoms.map(probe),
    decisions: model.decisions.map((d) => ({ ...d, rules: [] })),
    invariants: [],
  };
  const rs: CompiledRuleset = compileRuleset(synthetic);
  const facts = new Array<unknown>(INPUT_FIELDS.length).fill(undefined);
  return atoms.map((a, i) => {
    const test = rs.ruleById.get(`atom${i}`)!.test;
    const field = rs.fieldIndex.get(a.fact)!;
    return (value: unknown) => {
      facts[field] = value;
      const r = test(facts, []);
      facts[field] = undefined;
      return r;
    };
  });
}
