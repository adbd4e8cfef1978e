/**
 * Value codes: a field whose values form a small finite set (enum, boolean, set of enum
 * items) has each of its values numbered once per case, so that every condition on it is
 * a look-up in a table the compiler filled by running the operator table's own test on
 * every value of the field (compile.ts). The meaning stays the table's; only when the test
 * runs changes (once per rule set instead of once per case and condition).
 *
 *   0          unknown (the test's `undefined`)
 *   1 … n      enum / boolean: the value at index code − 1 of the field's values
 *   1 … 2^n    set: 1 + the bit mask of the items held (bit i: the field's item i)
 *   -1         no code: a number field, or a value outside the catalogue (a list with an
 *              unknown or repeated item); the condition then runs its test on the value
 *
 * A set is coded by which items it holds, not by their order: the operators on set fields
 * depend only on that (the analysis assumes the same, analysis/space.ts), and a list with a
 * repeated item, the one case where a count could differ, gets no code.
 */
import type { FieldSpec } from '../case/fields.js';

export const NO_CODE = -1;
export const UNKNOWN_CODE = 0;

/**
 * Beyond this many items a set field is not coded: a condition's table has 2^n + 1
 * entries, all filled when the rule set is compiled, which every `plan` start-up pays
 * (ten items cost more there than their conditions' tests cost a whole batch of cases).
 */
const MAX_SET_ITEMS = 6;

export interface FieldCoding {
  readonly set: boolean;
  /** The field's values (enum, boolean) or items (set), in catalogue order. */
  readonly values: readonly unknown[];
  /** How many codes there are (unknown included): the length of a condition's table. */
  readonly size: number;
}

const BOOLEAN_VALUES: readonly unknown[] = Object.freeze([false, true]);

/** The coding of a field, or undefined when its values are not coded (numbers, large sets). */
export function codingOf(spec: FieldSpec): FieldCoding | undefined {
  switch (spec.kind) {
    case 'boolean':
      return { set: false, values: BOOLEAN_VALUES, size: 3 };
    case 'enum':
      return spec.values === undefined ? undefined : { set: false, values: spec.values, size: spec.values.length + 1 };
    case 'set':
      return spec.values === undefined || spec.values.length > MAX_SET_ITEMS ? undefined : { set: true, values: spec.values, size: (1 << spec.values.length) + 1 };
    case 'number':
    case 'integer':
      return undefined;
  }
}

/** The code of a field value (`undefined`: unknown). */
export function encode(coding: FieldCoding, v: unknown): number {
  if (v === undefined) return UNKNOWN_CODE;
  if (!coding.set) return coding.values.indexOf(v) + 1 || NO_CODE;
  if (!Array.isArray(v)) return NO_CODE;
  let mask = 0;
  for (let i = 0; i < v.length; i++) {
    const item = coding.values.indexOf(v[i]);
    if (item < 0 || (mask & (1 << item)) !== 0) return NO_CODE; // not an item of the field, or repeated
    mask |= 1 << item;
  }
  return mask + 1;
}

/** The value a code stands for (a set's items in catalogue order). */
export function decode(coding: FieldCoding, code: number): unknown {
  if (code === UNKNOWN_CODE) return undefined;
  if (!coding.set) return coding.values[code - 1];
  const mask = code - 1;
  return coding.values.filter((_, i) => (mask & (1 << i)) !== 0);
}
