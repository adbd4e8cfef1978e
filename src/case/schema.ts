/**
 * Case schema v1, built from the field catalogue with zod (mini build: same validator,
 * a fraction of the start-up cost). Omitted or null means unknown; unknown keys are errors;
 * cross-field contradictions are errors naming every field involved.
 */
import * as z from 'zod/mini';
import { ACTUAL_FIELDS, INPUT_FIELDS, type FieldSpec } from './fields.js';
import { dotPath, type Diagnostic } from '../diagnostics/diagnostic.js';
import { capDiagnostics, oversizedList } from '../io/bounds.js';
import { deriveCase } from './derive.js';

export const CASE_SCHEMA_VERSION = 1;
export const CASE_ID_PATTERN = /^[A-Za-z0-9._-]+$/;

function fieldSchema(spec: FieldSpec): z.ZodMiniType {
  switch (spec.kind) {
    case 'enum':
      return z.enum(spec.values as [string, ...string[]]);
    case 'boolean':
      return z.boolean();
    case 'set':
      return z
        .array(z.enum(spec.values as [string, ...string[]]))
        .check(z.refine((a) => new Set(a).size === a.length, { message: 'duplicate values', params: { rvlms: 'case/duplicate-value' } }));
    case 'number':
    case 'integer': {
      const base = spec.kind === 'integer' ? z.int() : z.number();
      return base.check(z.gte(spec.min ?? -Infinity), z.lte(spec.max ?? Infinity));
    }
  }
}

/** Groups a flat list of dotted fields into nested strict objects of nullish members. */
function groupSchema(fields: readonly FieldSpec[], prefix: string): Record<string, z.ZodMiniType> {
  const shape: Record<string, z.ZodMiniType> = {};
  for (const spec of fields) {
    const key = spec.path.slice(prefix.length + 1);
    shape[key] = z.nullish(fieldSchema(spec));
  }
  return shape;
}

function section(prefix: string, fields: readonly FieldSpec[]) {
  return z.nullish(z.strictObject(groupSchema(fields.filter((s) => s.path.startsWith(prefix + '.')), prefix)));
}

const all = [...INPUT_FIELDS, ...ACTUAL_FIELDS];

export const caseSchema = z
  .strictObject({
    schemaVersion: z.nullish(z.literal(CASE_SCHEMA_VERSION)),
    id: z.string().check(z.regex(CASE_ID_PATTERN), z.maxLength(200)),
    patient: section('patient', all),
    tumor: section('tumor', all),
    ivc: section('ivc', all),
    renalVeins: section('renalVeins', all),
    actual: section('actual', all),
    source: z.nullish(
      z.strictObject({
        citation: z.nullish(z.string().check(z.maxLength(2000))),
        doi: z.nullish(z.string().check(z.maxLength(200))),
        patient: z.nullish(z.string().check(z.maxLength(500))),
        url: z.nullish(z.string().check(z.maxLength(2000))),
        note: z.nullish(z.string().check(z.maxLength(4000))),
      }),
    ),
  })
  .check(
    z.superRefine((c, ctx) => {
      for (const x of contradictions(c)) {
        ctx.addIssue({ code: 'custom', message: x.message, path: x.paths[0]!.split('.'), params: { rvlms: 'case/contradiction', paths: x.paths } });
      }
    }),
  );

export type CaseInput = z.infer<typeof caseSchema>;

interface Contradiction {
  readonly paths: readonly string[];
  readonly message: string;
}


/** `c[name]` as readPath reads a section: an own property of an object, else undefined. */
function sectionOf(c: unknown, name: string): unknown {
  return c !== null && typeof c === 'object' && Object.hasOwn(c, name) ? (c as Record<string, unknown>)[name] : undefined;
}

/** `section[key]` as readPath reads a field: own properties only, null read as undefined. */
function fieldOf(section: unknown, key: string): unknown {
  if (section === null || typeof section !== 'object' || !Object.hasOwn(section, key)) return undefined;
  const v = (section as Record<string, unknown>)[key];
  return v === null ? undefined : v;
}

/** The two kidneys, each with the other: precomputed so that a case without contradictions builds no strings. */
const SIDES = [
  { side: 'right', other: 'left', origin: 'right_renal_vein', vein: 'renalVeins.right', otherVein: 'renalVeins.left' },
  { side: 'left', other: 'right', origin: 'left_renal_vein', vein: 'renalVeins.left', otherVein: 'renalVeins.right' },
] as const;

/**
 * Cross-field contradictions. Each names every field involved. Called once per case by batch
 * (through its quick validity check), so fields are read directly, not through readPath:
 * the same reads (own properties, null as unknown), without building path strings.
 */
export function contradictions(c: unknown): Contradiction[] {
  const out: Contradiction[] = [];
  const ivc = sectionOf(c, 'ivc');
  const segments = fieldOf(ivc, 'segments');
  const noIvc = Array.isArray(segments) && segments.length === 0;
  // the tumour grows contiguously: it reaches the atrium only through segment III
  if (Array.isArray(segments) && !segments.includes('III') && fieldOf(ivc, 'rightAtrialExtension') === true)
    out.push({
      paths: ['ivc.rightAtrialExtension', 'ivc.segments'],
      message: noIvc ? 'right-atrial extension is recorded but no IVC segment is involved' : 'right-atrial extension is recorded but IVC segment III is not involved',
    });
  const circ = noIvc ? fieldOf(ivc, 'circumferencePercent') : undefined;
  if (noIvc && typeof circ === 'number' && circ > 0)
    out.push({ paths: ['ivc.circumferencePercent', 'ivc.segments'], message: 'part of the IVC circumference is involved but no IVC segment is' });
  if (noIvc && fieldOf(ivc, 'hepaticVeinInvolvement') === true)
    out.push({ paths: ['ivc.hepaticVeinInvolvement', 'ivc.segments'], message: 'hepatic vein involvement is recorded but no IVC segment is involved' });
  if (noIvc && fieldOf(ivc, 'lumen') === 'occluded')
    out.push({ paths: ['ivc.lumen', 'ivc.segments'], message: 'the IVC lumen is recorded as occluded but no IVC segment is involved' });
  const origin = fieldOf(sectionOf(c, 'tumor'), 'origin');
  if (noIvc && origin === 'ivc')
    out.push({ paths: ['ivc.segments', 'tumor.origin'], message: 'the tumour arises from the IVC but no IVC segment is involved' });
  const veins = sectionOf(c, 'renalVeins');
  for (const s of SIDES) {
    if (origin === s.origin && fieldOf(veins, s.side) === 'free')
      out.push({ paths: [s.vein, 'tumor.origin'], message: `the tumour arises from the ${s.side} renal vein, which is recorded as free` });
  }
  const solitary = fieldOf(sectionOf(c, 'patient'), 'solitaryKidney');
  if (solitary === 'left' || solitary === 'right') {
    const s = solitary === 'right' ? SIDES[0] : SIDES[1]; // the kidney that remains
    const other = fieldOf(veins, s.other);
    if (other === 'invaded' || other === 'abutted')
      out.push({ paths: [s.otherVein, 'patient.solitaryKidney'], message: `only the ${s.side} kidney remains, yet the ${s.other} renal vein is recorded as ${other}` });
    if (origin === (s.side === 'right' ? SIDES[1] : SIDES[0]).origin)
      out.push({ paths: ['tumor.origin', 'patient.solitaryKidney'], message: `only the ${s.side} kidney remains, yet the tumour is recorded as arising from the ${s.other} renal vein` });
  }
  return out;
}

const KIND_WORDS: Record<string, string> = {
  boolean: 'true or false',
  number: 'a number',
  int: 'a whole number',
  string: 'a string',
  array: 'a list',
  object: 'an object',
};

function expectedFor(path: string): string {
  const spec = all.find((s) => s.path === path.replace(/\[\d+\]$/, ''));
  if (!spec) return '';
  if (spec.values) return ` (one of: ${spec.values.join(', ')})`;
  if (spec.min !== undefined) return ` (${spec.min}–${spec.max}${spec.unit ? ' ' + spec.unit : ''})`;
  return '';
}

/** zod issues → diagnostics with stable codes and dotted field paths (no positions yet). */
export function caseIssuesToDiagnostics(issues: readonly z.core.$ZodIssue[], file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const issue of issues) {
    const path = dotPath(issue.path);
    const base = { file, severity: 'error' as const };
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          const p = path ? `${path}.${key}` : key;
          out.push({ ...base, code: 'case/unknown-key', path: p, message: `unknown field "${p}"`, suggestion: 'check the spelling; an unknown input is written as null or left out' });
        }
        break;
      case 'invalid_type': {
        const missing = issue.input === undefined;
        out.push({
          ...base,
          code: missing ? 'case/required' : 'case/type',
          path,
          message: missing ? `"${path}" is required` : `"${path}" must be ${KIND_WORDS[issue.expected] ?? issue.expected}${expectedFor(path)}`,
        });
        break;
      }
      case 'invalid_value':
        out.push({
          ...base,
          code: path === 'schemaVersion' ? 'case/schema-version' : 'case/enum',
          path,
          message: `"${path}" must be one of: ${issue.values.map(String).join(', ')}`,
        });
        break;
      case 'too_big':
      case 'too_small':
        out.push({ ...base, code: 'case/range', path, message: `"${path}" is out of range${expectedFor(path)}` });
        break;
      case 'invalid_format':
        out.push({ ...base, code: 'case/format', path, message: `"${path}" must match ${CASE_ID_PATTERN.source}` });
        break;
      case 'custom': {
        const params = (issue.params ?? {}) as { rvlms?: string; paths?: string[] };
        const code = params.rvlms ?? 'case/invalid';
        out.push({
          ...base,
          code,
          path: params.paths ? params.paths.join(', ') : path,
          message: code === 'case/duplicate-value' ? `"${path}" lists the same value twice` : issue.message,
        });
        break;
      }
      default:
        out.push({ ...base, code: 'case/invalid', path, message: `"${path}" is invalid` });
    }
  }
  return out;
}

export type ValidateResult = { ok: true; value: CaseInput } | { ok: false; diagnostics: Diagnostic[] };

export function validateCase(input: unknown, file: string): ValidateResult {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, diagnostics: [{ file, severity: 'error', code: 'case/type', message: 'a case must be an object' }] };
  }
  const long = oversizedList(input, file); // bounds first: the validator's work grows with each bad element
  if (long) return { ok: false, diagnostics: [long] };
  const r = z.safeParse(caseSchema, input, { reportInput: true }); // input tells a wrong type from a missing field
  if (r.success) return { ok: true, value: deriveCase(r.data) };
  return { ok: false, diagnostics: capDiagnostics(caseIssuesToDiagnostics(r.error.issues, file), file) };
}

export function caseJsonSchema(): unknown {
  return z.toJSONSchema(caseSchema, { unrepresentable: 'any' });
}
