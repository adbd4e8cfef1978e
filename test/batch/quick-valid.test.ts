/**
 * The fast pre-check may only accept what the case schema accepts; and it should accept the
 * valid cases batch meets (or batch loses its speed, not its correctness).
 */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCertainlyValid } from '../../src/batch/quick-valid.js';
import { ACTUAL_FIELDS, INPUT_FIELDS, type FieldSpec } from '../../src/case/fields.js';
import { validateCase } from '../../src/case/schema.js';
import { caseCandidate } from '../support/arbitraries.js';
import { fixture } from './helpers.js';

const FIELDS = [...INPUT_FIELDS, ...ACTUAL_FIELDS];
type Obj = Record<string, unknown>;

/** Values at and beyond a field's edges: wrong types, out of range, non-integers, duplicates, strays. */
function edgeValue(spec: FieldSpec): fc.Arbitrary<unknown> {
  const common = [null, '', 'true', 0, -1, 1.5, [], {}, '__proto__', Number.NaN, Infinity, -Infinity, 1e308];
  const specific: unknown[] = [];
  if (spec.min !== undefined) specific.push(spec.min - 1, spec.min - 1e-9, spec.min);
  if (spec.max !== undefined) specific.push(spec.max + 1, spec.max + 1e-9, spec.max, spec.max - 0.5);
  if (spec.values) specific.push(spec.values[0]!.toUpperCase(), [spec.values[0], spec.values[0]], [...spec.values, 'x'], spec.values, spec.values[0]);
  return fc.oneof(
    { arbitrary: fc.constantFrom(...(specific.length ? specific : common)), weight: 3 },
    { arbitrary: fc.constantFrom(...common), weight: 2 },
    { arbitrary: fc.jsonValue(), weight: 1 },
  );
}

const setAt = (c: Obj, path: string, v: unknown): void => {
  const [a, b] = path.split('.') as [string, string];
  const section = (c[a] ??= {}) as Obj;
  if (typeof section === 'object' && section !== null) section[b] = v;
};

/** Valid cases with every field (outcomes too) left out, null or valid; some are contradictions. */
const nearlyValid = caseCandidate(true) as fc.Arbitrary<Obj>;

/** One mutation of a nearly valid case, aimed at the edges the schema checks. */
const mutation: fc.Arbitrary<(c: Obj) => void> = fc.oneof(
  {
    arbitrary: fc.constantFrom(...FIELDS).chain((s) => edgeValue(s).map((v) => (c: Obj) => setAt(c, s.path, v))),
    weight: 8,
  },
  fc.tuple(fc.constantFrom('patient', 'tumor', 'ivc', 'renalVeins', 'actual', 'source', 'stray', '__proto__', 'constructor'), fc.jsonValue()).map(
    ([k, v]) => (c: Obj) => void Object.defineProperty(c, k, { value: v, enumerable: true, writable: true, configurable: true }),
  ),
  fc.tuple(fc.constantFrom('patient', 'tumor', 'ivc', 'renalVeins', 'actual'), fc.constantFrom('typo', 'hasOwnProperty', '__proto__', 'toString')).map(
    ([sec, key]) =>
      (c: Obj) => {
        const s = (c[sec] ??= {}) as Obj;
        if (typeof s === 'object' && s !== null) Object.defineProperty(s, key, { value: 1, enumerable: true, writable: true, configurable: true });
      },
  ),
  fc.oneof(fc.constantFrom('', 'a b', 'x'.repeat(201), 'ok-id', 'ü'), fc.jsonValue()).map((id) => (c: Obj) => void (c['id'] = id)),
  fc.constantFrom<unknown>(undefined, null, 1, 2, '1', 0).map((v) => (c: Obj) => void (c['schemaVersion'] = v)),
  fc
    .record({ note: fc.oneof(fc.string(), fc.constant('n'.repeat(4001)), fc.jsonValue()), extra: fc.option(fc.jsonValue(), { nil: undefined }) })
    .map((src) => (c: Obj) => void (c['source'] = src.extra === undefined ? { note: src.note } : { note: src.note, extra: src.extra })),
  fc.constant((c: Obj) => {
    setAt(c, 'ivc.segments', []);
    setAt(c, 'ivc.rightAtrialExtension', true);
  }),
  fc.constant((c: Obj) => {
    setAt(c, 'tumor.origin', 'right_renal_vein');
    setAt(c, 'renalVeins.right', 'free');
  }),
  fc.constant((c: Obj) => void delete c['id']),
);

describe('isCertainlyValid', () => {
  it('accepts only what validateCase accepts', () => {
    fc.assert(
      fc.property(nearlyValid, fc.array(mutation, { maxLength: 3 }), (original, ms) => {
        const c = structuredClone(original); // mutations must not leak into the shrinker's values
        for (const m of ms) m(c);
        if (isCertainlyValid(c)) expect(validateCase(c, 'x').ok).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('accepts every valid case without mutations, so batch keeps its fast path', () => {
    fc.assert(
      fc.property(nearlyValid, (c) => {
        expect(isCertainlyValid(c)).toBe(validateCase(c, 'x').ok);
      }),
      { numRuns: 1000 },
    );
  });

  it('accepts every case of the example cohort', () => {
    const dirs = ['cohort/published', 'cohort/synthetic'].map(fixture);
    const cases = dirs.flatMap((d) => readdirSync(d).map((f) => JSON.parse(readFileSync(join(d, f), 'utf8')) as unknown));
    expect(cases).toHaveLength(26);
    expect(cases.filter((c) => !isCertainlyValid(c))).toEqual([]);
  });

  it.each([null, [], 'case', 42])('refuses %j', (x) => {
    expect(isCertainlyValid(x)).toBe(false);
  });
});
