/**
 * The operator table: everything the rule language means by each operator, in one place.
 * The rule schema takes its operator names from here, the builder its type checks (operand
 * kind, field kinds, count), the compiler its leaf tests, and the analysis the same tests
 * (it evaluates them on representative values of each field). Adding an operator here is
 * all a new operator needs (test/engine/new-operator.test.ts).
 *
 * A fact operator compares one case field with an operand written in the rule; a decision
 * operator compares the state of an earlier decision with values of that decision.
 */
import type { FieldKind } from '../case/fields.js';
import type { DecisionState } from './policies.js';
import { F, T, U, truthOf, type Truth } from './truth.js';

/**
 * What a condition writes as `value`:
 *   none    no value (the question is about the field itself)
 *   scalar  one value of the field (of a list field: one item)
 *   list    a list of such values
 *   number  a number, or `{ param: id }` naming a rule-set parameter (a threshold)
 */
export type OperandKind = 'none' | 'scalar' | 'list' | 'number';

/**
 * The three-valued test of a fact condition. `value` is the field's value, `undefined`
 * when unknown; `operand` the rule's value (a parameter already replaced by its number);
 * `count` the condition's count where the operator takes one. Pure; allocates nothing.
 */
export type FactTest = (value: unknown, operand: unknown, count?: number) => Truth;

export interface FactOperator {
  /** How an explanation reads the operator between the field and the operand ("is at least"). */
  readonly words: string;
  readonly operand: OperandKind;
  /** Kinds of field (case/fields.ts) the operator applies to. */
  readonly fields: readonly FieldKind[];
  /** Whether the condition needs a `count` (no other operator accepts one). */
  readonly count: boolean;
  readonly test: FactTest;
}

const ALL_KINDS: readonly FieldKind[] = ['enum', 'boolean', 'number', 'integer', 'set'];
const SINGLE: readonly FieldKind[] = ['enum', 'boolean', 'number', 'integer'];
const NUMERIC: readonly FieldKind[] = ['number', 'integer'];
const LIST: readonly FieldKind[] = ['set'];

/** How many items of `items` are in `list` (loops: no closure, no allocation). */
function countIn(items: readonly unknown[], list: readonly unknown[]): number {
  let n = 0;
  for (let i = 0; i < items.length; i++) if (list.includes(items[i])) n++;
  return n;
}

/** An operator on known values only: an unknown field gives unknown. */
const known =
  (words: string, operand: OperandKind, fields: readonly FieldKind[], holds: (value: unknown, operand: unknown, count: number) => boolean, count = false): FactOperator => ({
    words,
    operand,
    fields,
    count,
    test: (v, o, n) => (v === undefined ? U : truthOf(holds(v, o, n ?? 1))),
  });

const asList = (v: unknown): readonly unknown[] => v as readonly unknown[];
const asNumber = (v: unknown): number => v as number;

export const FACT_OPERATORS = {
  equal: known('is', 'scalar', SINGLE, (v, o) => v === o),
  notEqual: known('is not', 'scalar', SINGLE, (v, o) => v !== o),
  in: known('is', 'list', SINGLE, (v, o) => asList(o).includes(v)),
  notIn: known('is not', 'list', SINGLE, (v, o) => !asList(o).includes(v)),
  contains: known('includes', 'scalar', LIST, (v, o) => asList(v).includes(o)),
  doesNotContain: known('does not include', 'scalar', LIST, (v, o) => !asList(v).includes(o)),
  containsAny: known('includes any of', 'list', LIST, (v, o) => countIn(asList(v), asList(o)) > 0),
  containsNone: known('includes none of', 'list', LIST, (v, o) => countIn(asList(v), asList(o)) === 0),
  containsAtLeast: known('includes at least', 'list', LIST, (v, o, n) => countIn(asList(v), asList(o)) >= n, true),
  isEmpty: known('is none', 'none', LIST, (v) => asList(v).length === 0),
  isNotEmpty: known('is not empty', 'none', LIST, (v) => asList(v).length > 0),
  lessThan: known('<', 'number', NUMERIC, (v, o) => asNumber(v) < asNumber(o)),
  lessThanInclusive: known('≤', 'number', NUMERIC, (v, o) => asNumber(v) <= asNumber(o)),
  greaterThan: known('>', 'number', NUMERIC, (v, o) => asNumber(v) > asNumber(o)),
  greaterThanInclusive: known('≥', 'number', NUMERIC, (v, o) => asNumber(v) >= asNumber(o)),
  // Whether the field is known is the question itself: never unknown.
  isKnown: { words: 'is known', operand: 'none', fields: ALL_KINDS, count: false, test: (v) => (v === undefined ? F : T) },
  isUnknown: { words: 'is unknown', operand: 'none', fields: ALL_KINDS, count: false, test: (v) => (v === undefined ? T : F) },
} as const satisfies Record<string, FactOperator>;

export type Operator = keyof typeof FACT_OPERATORS;

/** The table keyed by any string (rules name operators as text; the schema admits only its keys). */
export type OperatorTable = Readonly<Record<string, FactOperator>>;

/**
 * The three-valued test of a decision condition over an earlier decision's state and the
 * rule's values. An undetermined decision is judged over its candidates: true when every
 * candidate passes, false when none does, unknown otherwise (or when it has none).
 */
export type DecisionTest = (state: DecisionState, values: readonly string[]) => Truth;

export interface DecisionOperator {
  /** How an explanation reads the operator between the decision and its values. */
  readonly words: string;
  readonly operand: 'scalar' | 'list';
  readonly test: DecisionTest;
}

function oneOf(s: DecisionState, values: readonly string[]): Truth {
  if (s.value !== undefined) return truthOf(values.includes(s.value));
  const possible = s.candidates;
  if (possible.length === 0) return U;
  let hits = 0;
  for (let i = 0; i < possible.length; i++) if (values.includes(possible[i]!)) hits++;
  return hits === possible.length ? T : hits === 0 ? F : U;
}

const notOneOf: DecisionTest = (s, values) => {
  const r = oneOf(s, values);
  return r === U ? U : r === T ? F : T;
};

export const DECISION_OPERATORS = {
  equal: { words: 'is', operand: 'scalar', test: oneOf },
  notEqual: { words: 'is not', operand: 'scalar', test: notOneOf },
  in: { words: 'is', operand: 'list', test: oneOf },
  notIn: { words: 'is not', operand: 'list', test: notOneOf },
  // collect decisions: the item is certainly included / possibly / not
  contains: { words: 'includes', operand: 'scalar', test: (s, values) => (s.included?.includes(values[0]!) ? T : s.candidates.includes(values[0]!) ? U : F) },
} as const satisfies Record<string, DecisionOperator>;

export type DecisionOperatorName = keyof typeof DECISION_OPERATORS;

export type DecisionOperatorTable = Readonly<Record<string, DecisionOperator>>;
