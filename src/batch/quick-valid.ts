/**
 * A fast, conservative "certainly valid" test for case objects, run by batch before the zod
 * schema. Validating a whole case with zod costs about 9 µs, as much as evaluating it; this
 * check costs about 1 µs. It may only say yes to what `caseSchema` accepts (a property test
 * in test/batch/quick-valid.test.ts holds it to that); when it says no, batch calls
 * `validateCase` for the verdict and the diagnostics. So a check that drifts stricter than the
 * schema only costs speed, never correctness.
 *
 * The sections (patient, tumor, ivc, renalVeins, actual) are checked from the field catalogue
 * the schema is built from; the other top-level members (schemaVersion, id, source) with the
 * schema's own member schemas; the cross-field rules with the schema's `contradictions`.
 */
import * as z from 'zod/mini';
import { ACTUAL_FIELDS, INPUT_FIELDS, type FieldSpec } from '../case/fields.js';
import { caseSchema, contradictions } from '../case/schema.js';

type Check = (v: unknown) => boolean;

function fieldCheck(spec: FieldSpec): Check {
  const min = spec.min ?? -Infinity;
  const max = spec.max ?? Infinity;
  switch (spec.kind) {
    case 'enum': {
      const values = new Set(spec.values);
      return (v) => typeof v === 'string' && values.has(v);
    }
    case 'boolean':
      return (v) => typeof v === 'boolean';
    case 'number':
      return (v) => typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;
    case 'integer':
      return (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;
    case 'set': {
      const values = new Set(spec.values);
      return (v) => {
        if (!Array.isArray(v)) return false;
        for (let i = 0; i < v.length; i++) {
          const x: unknown = v[i];
          if (typeof x !== 'string' || !values.has(x)) return false;
          for (let j = 0; j < i; j++) if (v[j] === x) return false;
        }
        return true;
      };
    }
  }
}

const shape: Readonly<Record<string, z.ZodMiniType>> = caseSchema.shape;
const members = new Map<string, Check>();
const sections = new Map<string, Map<string, Check>>();
for (const spec of [...INPUT_FIELDS, ...ACTUAL_FIELDS]) {
  const parts = spec.path.split('.');
  if (parts.length !== 2 || !Object.hasOwn(shape, parts[0]!)) continue;
  const fields = sections.get(parts[0]!) ?? new Map<string, Check>();
  fields.set(parts[1]!, fieldCheck(spec));
  sections.set(parts[0]!, fields);
}
for (const [key, schema] of Object.entries(shape)) if (!sections.has(key)) members.set(key, (v) => z.safeParse(schema, v).success);
const idCheck = members.get('id') ?? (() => false);

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A section: absent, null, or an object of known fields, each null or of its kind. */
function sectionValid(fields: ReadonlyMap<string, Check>, v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (!isPlainObject(v)) return false;
  // for…in also meets inherited enumerable keys: they fail the check, as they may only make it stricter
  for (const key in v) {
    const check = fields.get(key);
    if (check === undefined) return false;
    const x = v[key];
    if (x !== null && x !== undefined && !check(x)) return false;
  }
  return true;
}

/** True only if `caseSchema` certainly accepts `input`; false means "ask validateCase". */
export function isCertainlyValid(input: unknown): boolean {
  if (!isPlainObject(input) || !idCheck(input['id'])) return false;
  for (const key in input) {
    const fields = sections.get(key);
    if (fields !== undefined) {
      if (!sectionValid(fields, input[key])) return false;
    } else if (key !== 'id') {
      const check = members.get(key);
      if (check === undefined || !check(input[key])) return false;
    }
  }
  return contradictions(input).length === 0;
}
