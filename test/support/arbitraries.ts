/** fast-check arbitraries for cases, built from the field catalogue. */
import fc from 'fast-check';
import { ACTUAL_FIELDS, INPUT_FIELDS, type FieldSpec } from '../../src/case/fields.js';
import { setPath, type CaseObject, type Json } from './case-factory.js';

/** Values around the thresholds the rules use, so that borderline paths are exercised. */
const INTERESTING: Record<string, number[]> = {
  'ivc.circumferencePercent': [0, 29.5, 30, 39.5, 40, 50, 64.9, 65, 70, 74.5, 75, 85, 85.1, 100],
  'ivc.diameterMm': [1, 20, 22, 25, 30, 60],
};

/** A valid value of one field. */
function fieldValue(spec: FieldSpec): fc.Arbitrary<Json> {
  switch (spec.kind) {
    case 'enum':
      return fc.constantFrom(...spec.values!);
    case 'boolean':
      return fc.boolean();
    case 'set':
      return fc.subarray([...spec.values!]);
    case 'integer':
      return fc.integer({ min: spec.min!, max: spec.max! });
    case 'number':
      return fc.oneof(
        fc.integer({ min: spec.min!, max: spec.max! }),
        fc.double({ min: spec.min!, max: spec.max!, noNaN: true, noDefaultInfinity: true }),
        fc.constantFrom(...(INTERESTING[spec.path] ?? [spec.min!, spec.max!])),
      );
  }
}

/** Omitted (undefined), null, or a valid value. */
const slot = (spec: FieldSpec): fc.Arbitrary<Json | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 1 }, { arbitrary: fc.constant(null), weight: 1 }, { arbitrary: fieldValue(spec), weight: 4 });

const caseId = fc.stringMatching(/^[A-Za-z0-9._-]{1,24}$/);

/** Cases whose every field is omitted, null or a valid value (some are contradictions: filter them). */
export function caseCandidate(withActual = false): fc.Arbitrary<CaseObject> {
  const specs = withActual ? [...INPUT_FIELDS, ...ACTUAL_FIELDS] : INPUT_FIELDS;
  return fc.tuple(caseId, fc.tuple(...specs.map(slot))).map(([id, values]) => {
    const c: CaseObject = { id };
    specs.forEach((spec, i) => {
      if (values[i] !== undefined) setPath(c, spec.path, values[i]);
    });
    return c;
  });
}

/** Anything at a field: a valid value, null, or arbitrary JSON (wrong types, strange strings). */
const anything = (spec: FieldSpec): fc.Arbitrary<Json | undefined> =>
  fc.oneof(
    { arbitrary: slot(spec), weight: 40 },
    { arbitrary: fc.jsonValue() as fc.Arbitrary<Json>, weight: 1 },
    { arbitrary: fc.constantFrom('__proto__', 'constructor', '', '∞', 'NaN', -1, 1e308, 0.1), weight: 1 },
  );

/** Objects shaped like cases with random values and, now and then, stray keys. */
export const caseShaped: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    fc.oneof({ arbitrary: caseId, weight: 6 }, { arbitrary: fc.jsonValue(), weight: 1 }),
    fc.tuple(...INPUT_FIELDS.map(anything)),
    fc.option(fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'prototype', 'ivcc', 'patient.age'), fc.jsonValue(), { maxKeys: 2 }), { nil: undefined, freq: 2 }),
  )
  .map(([id, values, extra]) => {
    const c: Record<string, unknown> = { id };
    INPUT_FIELDS.forEach((spec, i) => {
      if (values[i] !== undefined) setPath(c, spec.path, values[i] as Json);
    });
    for (const [k, v] of Object.entries(extra ?? {})) Object.defineProperty(c, k, { value: v, enumerable: true, configurable: true, writable: true });
    return c;
  });
