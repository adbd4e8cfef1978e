/**
 * The value classes of one field. For a set of comparisons, each field they read is reduced
 * to a few representative values that distinguish every outcome those comparisons can have —
 * the equivalence classes of the field, plus "unknown". Per field only: the solver
 * (symbolic/) explores the combinations, nothing here forms a product across fields. Pure.
 *
 *   enum      unknown, every value a condition mentions and one value none mentions (in
 *             the catalogue's order)
 *   boolean   unknown, false, true
 *   number    unknown, min, max, and just below / at / just above every number a
 *             condition's operand holds (threshold, parameter value, list item): one
 *             point inside every interval
 *   set       unknown, then every combination of "atoms": the field's values grouped by
 *             the operands they appear in (values no operand tells apart are
 *             interchangeable), each atom taken 0, 1, … up to the largest count a
 *             condition asks of it. This includes [], each mentioned value alone, one
 *             unmentioned value (when a condition without operand, e.g. isEmpty, is read)
 *             and all mentioned values. The combinations are of one field's values only.
 *
 * What splits a field comes from the operator table's entries (engine/operators.ts), not
 * from operator names: the operand kind and whether the operator takes a count. The
 * classes are exact for every operator whose truth on a field depends only on the
 * values its operand names (for numbers: on where the value lies relative to them;
 * for sets: on how many items of each group the value holds); every operator of the table
 * is of that kind, and a new one must be (docs/analysis.md).
 *
 * Unknown comes first, so the first witness of any class leaves irrelevant inputs unknown
 * and counterexamples stay short.
 */
import { INPUT_FIELDS, type FieldSpec } from '../case/fields.js';
import type { Scalar } from '../rules/model.js';
import { factOperator } from './semantics.js';

export const FIELD_INDEX: ReadonlyMap<string, number> = new Map(INPUT_FIELDS.map((f, i) => [f.path, i]));

/** A fact comparison with its operand resolved (parameters replaced by their value). */
export interface Leaf {
  readonly fact: string;
  readonly operator: string;
  readonly operand?: Scalar | readonly Scalar[];
  readonly count?: number;
}

/** Representative values of one field for the given leaves; `undefined` (unknown) first. */
export function fieldDomain(spec: FieldSpec, leaves: readonly Leaf[]): unknown[] {
  const mine = leaves.filter((l) => l.fact === spec.path);
  switch (spec.kind) {
    case 'boolean':
      return [undefined, false, true];
    case 'enum':
      return enumDomain(spec, mine);
    case 'number':
    case 'integer':
      return numberDomain(spec, mine);
    case 'set':
      return setDomain(spec, mine);
  }
}

function operandList(l: Leaf): readonly Scalar[] {
  return l.operand === undefined ? [] : Array.isArray(l.operand) ? (l.operand as readonly Scalar[]) : [l.operand as Scalar];
}

function enumDomain(spec: FieldSpec, leaves: readonly Leaf[]): unknown[] {
  const mentioned = new Set<string>();
  for (const l of leaves) for (const v of operandList(l)) mentioned.add(String(v));
  const values = spec.values ?? [];
  const other = values.find((v) => !mentioned.has(v));
  return [undefined, ...values.filter((v) => mentioned.has(v) || v === other)];
}

function numberDomain(spec: FieldSpec, leaves: readonly Leaf[]): unknown[] {
  const min = spec.min ?? -1e6;
  const max = spec.max ?? 1e6;
  const thresholds = [...new Set(leaves.flatMap(operandList).filter((x): x is number => typeof x === 'number'))]
    .filter((t) => t >= min && t <= max)
    .sort((a, b) => a - b);
  const points = new Set<number>([min, max]);
  const critical = [min, ...thresholds, max];
  for (const t of thresholds) {
    if (spec.kind === 'integer') {
      for (const p of [t - 1, Math.floor(t), t, Math.ceil(t), t + 1]) if (Number.isInteger(p)) points.add(p);
      continue;
    }
    const below = Math.max(...critical.filter((x) => x < t), -Infinity);
    const above = Math.min(...critical.filter((x) => x > t), Infinity);
    points.add(t);
    if (below > -Infinity) points.add(t - Math.min(1, (t - below) / 2));
    if (above < Infinity) points.add(t + Math.min(1, (above - t) / 2));
  }
  return [undefined, ...[...points].filter((p) => p >= min && p <= max).sort((a, b) => a - b)];
}

function setDomain(spec: FieldSpec, leaves: readonly Leaf[]): unknown[] {
  const values = spec.values ?? [];
  const lists = leaves.filter((l) => factOperator(l.operator).operand !== 'none');
  // a question about the field as a whole (isEmpty, isKnown, …): one value no operand mentions
  const emptiness = leaves.some((l) => factOperator(l.operator).operand === 'none');
  // atoms: values grouped by the lists that contain them
  const atoms = new Map<string, { values: string[]; cap: number }>();
  for (const v of values) {
    const sig = lists.map((l, i) => (operandList(l).includes(v) ? i : -1)).filter((i) => i >= 0);
    const key = sig.join(',');
    let cap = sig.length === 0 ? (emptiness ? 1 : 0) : 1;
    for (const i of sig) if (factOperator(lists[i]!.operator).count) cap = Math.max(cap, lists[i]!.count ?? 1);
    const a = atoms.get(key);
    if (a) {
      a.values.push(v);
      a.cap = Math.max(a.cap, cap);
    } else atoms.set(key, { values: [v], cap });
  }
  let combos: string[][] = [[]];
  for (const a of atoms.values()) {
    const cap = Math.min(a.cap, a.values.length);
    const next: string[][] = [];
    for (const c of combos) for (let k = 0; k <= cap; k++) next.push([...c, ...a.values.slice(0, k)]);
    combos = next;
  }
  const order = (xs: string[]) => values.filter((v) => xs.includes(v));
  const sorted = combos.map(order).sort((a, b) => a.length - b.length || values.indexOf(a[0]!) - values.indexOf(b[0]!));
  return [undefined, ...sorted];
}

/** Nested case object from a field assignment (unknown fields left out). */
export function caseFromFields(assignment: ReadonlyMap<number, unknown>, id: string): Record<string, unknown> {
  const out: Record<string, unknown> = { schemaVersion: 1, id };
  for (const [i, v] of [...assignment].sort(([a], [b]) => a - b)) {
    if (v === undefined) continue;
    const [group, key] = INPUT_FIELDS[i]!.path.split('.') as [string, string];
    const g = (out[group] ??= {}) as Record<string, unknown>;
    g[key] = Array.isArray(v) ? [...(v as unknown[])] : v;
  }
  return out;
}

