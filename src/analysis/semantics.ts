/**
 * The one place where the analysis reaches into the engine's semantics. Everything the
 * symbolic core knows about an operator or a hit policy comes through here, from the
 * engine's own tables:
 *
 *   - a fact operator's meaning is its entry in FACT_OPERATORS (engine/operators.ts): the
 *     three-valued test, run on representative values of the field, and the operand kind,
 *     which says what in a condition splits the field into classes (space.ts). A new
 *     operator in that table needs no analysis code;
 *   - the hit policies and decision operators are the engine's names (HIT_POLICIES,
 *     DECISION_OPERATORS); their symbolic encoders are Records keyed by those names
 *     (symbolic/policies.ts, symbolic/encode.ts), so a new one does not compile until it
 *     has an encoder, and test/analysis/symbolic.test.ts checks each against the engine;
 *   - what a case really gives is the engine's `evaluate` / `decide`.
 *
 * Pure.
 */
import { FACT_OPERATORS, type FactOperator, type OperatorTable } from '../engine/operators.js';
import type { ConditionModel } from '../rules/model.js';
import type { Truth } from '../engine/truth.js';

export type { HitPolicyName as HitPolicy } from '../engine/policies.js';
export type { DecisionOperatorName } from '../engine/operators.js';
export type { Truth } from '../engine/truth.js';
export { F, T, U } from '../engine/truth.js';
export { decide, evaluate, type Plan, type RuleTrace } from '../engine/evaluate.js';

/** The engine's table entry of a fact operator. */
export const factOperator = (name: string): FactOperator => (FACT_OPERATORS as OperatorTable)[name]!;

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

/** The engine's three-valued test of a resolved comparison, as a function of the field's value (undefined = unknown). */
export function atomTest(a: FactCond): (value: unknown) => Truth {
  const test = factOperator(a.operator).test;
  return (value) => test(value, a.value, a.count);
}
