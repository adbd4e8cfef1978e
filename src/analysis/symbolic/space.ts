/**
 * The finite input space of one or more rule sets, per field: each field a solver
 * variable ranging over the indices of its value classes (space.ts: unknown first, then
 * one representative per class), each fact comparison a set of class indices where it is
 * true and one where it is false — computed by running the test of the comparison's
 * operator, from the engine's operator table (semantics.ts), on each representative. No
 * product over fields is ever formed: the solver explores the combinations. Pure.
 */
import { INPUT_FIELDS } from '../../case/fields.js';
import type { ConditionModel, RulesetModel } from '../../rules/model.js';
import { atomKey, atomsOf, atomTest, type FactCond, F, T } from '../semantics.js';
import { FIELD_INDEX, fieldDomain, type Leaf } from '../space.js';

export interface FieldSpace {
  readonly field: number;
  readonly path: string;
  /** Representative values, index 0 = unknown (undefined). */
  readonly values: readonly unknown[];
}

export interface AtomTable {
  readonly field: number;
  /** Truth (0 false, 1 true, 2 unknown) on each class of the field. */
  readonly truths: Uint8Array;
  /** The engine's test of the comparison on any value of the field. */
  readonly test: (value: unknown) => number;
}

export interface InputSpace {
  /** Fields some condition reads, in catalogue order. */
  readonly fields: readonly FieldSpace[];
  readonly byField: ReadonlyMap<number, FieldSpace>;
  readonly atoms: ReadonlyMap<string, AtomTable>;
  /** The resolved comparisons of each field (for regions). */
  readonly atomsByField: ReadonlyMap<number, readonly string[]>;
}

/** Every condition a rule set evaluates: rules and invariants. */
export function conditionsOf(model: RulesetModel): ConditionModel[] {
  return [...model.rules.map((r) => r.when), ...model.invariants.map((i) => i.when)];
}

/**
 * The space shared by the given rule sets (each with its parameter values) plus any extra
 * conditions; every comparison of any of them splits its field.
 */
export function inputSpace(sides: readonly { readonly model: RulesetModel; readonly params: Readonly<Record<string, number>> }[]): InputSpace {
  const atoms = new Map<string, FactCond>();
  for (const s of sides) for (const c of conditionsOf(s.model)) for (const a of atomsOf(c, s.params)) atoms.set(atomKey(a), a);
  const list = [...atoms.entries()];
  const leaves: Leaf[] = list.map(([, a]) => ({
    fact: a.fact,
    operator: a.operator,
    ...(a.value !== undefined ? { operand: a.value } : {}),
    ...(a.count !== undefined ? { count: a.count } : {}),
  }));
  const used = [...new Set(list.map(([, a]) => FIELD_INDEX.get(a.fact)!))].sort((a, b) => a - b);
  const fields = used.map((f) => ({ field: f, path: INPUT_FIELDS[f]!.path, values: fieldDomain(INPUT_FIELDS[f]!, leaves) }));
  const byField = new Map(fields.map((f) => [f.field, f]));
  const tables = new Map<string, AtomTable>();
  const atomsByField = new Map<number, string[]>();
  list.forEach(([key, a]) => {
    const field = FIELD_INDEX.get(a.fact)!;
    const test = atomTest(a);
    const truths = Uint8Array.from(byField.get(field)!.values.map((v) => test(v)));
    tables.set(key, { field, truths, test });
    atomsByField.set(field, [...(atomsByField.get(field) ?? []), key]);
  });
  return { fields, byField, atoms: tables, atomsByField };
}

/** Runs of consecutive class indices where `truths` equals `want` ([from, to] inclusive). */
export function runsOf(truths: Uint8Array, want: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < truths.length; i++) {
    if (truths[i] !== want) continue;
    const last = out[out.length - 1];
    if (last && last[1] === i - 1) last[1] = i;
    else out.push([i, i]);
  }
  return out;
}

export { F, T };
