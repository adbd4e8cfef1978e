/**
 * Case schema v1: the one validator of case files, built from the field catalogue
 * (fields.ts). Omitted or null means unknown; unknown keys are errors; cross-field
 * contradictions are errors naming every field involved. The same description gives the
 * JSON Schema (`rvlms schema case`, schemas/case.schema.json).
 *
 * Written as plain checks rather than with a schema library: batch validates every case of
 * a cohort with it (a few microseconds a case), and `plan` starts without loading one.
 */
import { ACTUAL_FIELDS, INPUT_FIELDS, type FieldSpec } from './fields.js';
import type { DiagnosticCode } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { capDiagnostics, oversizedList } from '../io/bounds.js';
import { suggest } from '../diagnostics/suggest.js';
import { deriveCase } from './derive.js';

export const CASE_SCHEMA_VERSION = 1;
export const CASE_ID_PATTERN = /^[A-Za-z0-9._-]+$/;
const MAX_ID_LENGTH = 200;

/** A section of the case: an object of catalogue fields, each nullable. */
type Section = Readonly<Record<string, unknown>> | null | undefined;

/**
 * A valid case. Fields are read through `readPath` (fields.ts) by their dotted paths, so
 * the sections are typed as plain records: the catalogue, not this type, lists the fields.
 */
export interface CaseInput {
  readonly schemaVersion?: typeof CASE_SCHEMA_VERSION | null;
  readonly id: string;
  readonly patient?: Section;
  readonly tumor?: Section;
  readonly ivc?: Section;
  readonly renalVeins?: Section;
  readonly actual?: Section;
  readonly source?: Section;
}

/** The sections made of catalogue fields, each key → its field. */
const SECTIONS: ReadonlyMap<string, ReadonlyMap<string, FieldSpec>> = (() => {
  const out = new Map<string, Map<string, FieldSpec>>();
  for (const spec of [...INPUT_FIELDS, ...ACTUAL_FIELDS]) {
    const dot = spec.path.indexOf('.');
    const name = spec.path.slice(0, dot);
    const fields = out.get(name) ?? new Map<string, FieldSpec>();
    fields.set(spec.path.slice(dot + 1), spec);
    out.set(name, fields);
  }
  return out;
})();

/** `source`: where a published or registry case comes from (free text, bounded). */
const SOURCE_TEXTS: ReadonlyMap<string, number> = new Map([
  ['citation', 2000],
  ['doi', 200],
  ['patient', 500],
  ['url', 2000],
  ['note', 4000],
]);

const TOP_KEYS = ['schemaVersion', 'id', ...SECTIONS.keys(), 'source'];

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

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
 * Cross-field contradictions. Each names every field involved. Called for every valid case
 * (batch: every case of a cohort), so fields are read directly, not through readPath: the
 * same reads (own properties, null as unknown), without building path strings.
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
  // and reaches the hepatic veins, where segment II ends and III begins, only through II or III
  if (Array.isArray(segments) && !segments.includes('II') && !segments.includes('III') && fieldOf(ivc, 'hepaticVeinInvolvement') === true)
    out.push({
      paths: ['ivc.hepaticVeinInvolvement', 'ivc.segments'],
      message: noIvc ? 'hepatic vein involvement is recorded but no IVC segment is involved' : 'hepatic vein involvement is recorded but neither IVC segment II nor III is involved',
    });
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

const KIND_WORDS: Readonly<Record<FieldSpec['kind'], string>> = {
  enum: 'a string',
  set: 'a list',
  boolean: 'true or false',
  number: 'a number',
  integer: 'a whole number',
};

function expected(spec: FieldSpec): string {
  if (spec.values) return ` (one of: ${spec.values.join(', ')})`;
  if (spec.min !== undefined) return ` (${spec.min}–${spec.max}${spec.unit ? ' ' + spec.unit : ''})`;
  return '';
}

type Report = (code: DiagnosticCode, path: string, message: string, suggestion?: string) => void;

/** A list that holds some value twice (lists of case fields are short: at most a few dozen values). */
function hasRepeat(v: readonly unknown[]): boolean {
  for (let i = 1; i < v.length; i++) for (let j = 0; j < i; j++) if (v[i] === v[j]) return true;
  return false;
}

/**
 * One known field's value (not null): its problems, reported at `section.key`. Called for
 * every field of every case of a cohort, so the path is built only for a report.
 */
/** Characters of a given value repeated in a message, at most. */
const SHOWN_VALUE_CHARS = 40;

/** A value as a message repeats it: JSON-quoted, cut after SHOWN_VALUE_CHARS characters (…). */
export function shownValue(v: unknown): string {
  const cut = (t: string): string => {
    if (t.length <= SHOWN_VALUE_CHARS) return t;
    const end = /[\uD800-\uDBFF]/.test(t.charAt(SHOWN_VALUE_CHARS - 1)) ? SHOWN_VALUE_CHARS - 1 : SHOWN_VALUE_CHARS;
    return `${t.slice(0, end)}…`;
  };
  if (typeof v === 'string') return JSON.stringify(cut(v));
  let text: string | undefined;
  try {
    text = JSON.stringify(v);
  } catch {
    text = undefined; // a value JSON cannot write (a cycle, a BigInt): not from a parsed case
  }
  return cut(text ?? String(v));
}

/** The message of a value outside its field's values: the value first, so that a cut message keeps it. */
const notOneOf = (path: string, v: unknown, values: readonly string[]): string => `"${path}" is ${shownValue(v)}; it must be one of: ${values.join(', ')}`;

function checkField(spec: FieldSpec, v: unknown, section: string, key: string, report: Report): void {
  const wrongType = (path = `${section}.${key}`) => report('case/type', path, `"${path}" is ${shownValue(v)}; it must be ${KIND_WORDS[spec.kind]}${expected(spec)}`);
  switch (spec.kind) {
    case 'enum':
      if (typeof v !== 'string' || !spec.values!.includes(v)) {
        const path = `${section}.${key}`;
        report('case/enum', path, notOneOf(path, v, spec.values!), typeof v === 'string' ? suggest(v, spec.values!) : undefined);
      }
      return;
    case 'boolean':
      if (typeof v !== 'boolean') wrongType();
      return;
    case 'number':
    case 'integer':
      if (typeof v !== 'number' || !Number.isFinite(v) || (spec.kind === 'integer' && !Number.isInteger(v))) wrongType();
      else if (v < (spec.min ?? -Infinity) || v > (spec.max ?? Infinity)) {
        const path = `${section}.${key}`;
        report('case/range', path, `"${path}" is ${shownValue(v)}, out of range${expected(spec)}`);
      }
      return;
    case 'set': {
      if (!Array.isArray(v)) return wrongType();
      let bad = false;
      for (let i = 0; i < v.length; i++) {
        const x: unknown = v[i];
        if (typeof x !== 'string' || !spec.values!.includes(x)) {
          bad = true;
          const path = `${section}.${key}[${i}]`;
          report('case/enum', path, notOneOf(path, x, spec.values!), typeof x === 'string' ? suggest(x, spec.values!) : undefined);
        }
      }
      if (!bad && hasRepeat(v)) {
        const path = `${section}.${key}`;
        report('case/duplicate-value', path, `"${path}" lists the same value twice`);
      }
      return;
    }
  }
}

function unknownKey(report: Report, path: string, key: string, known: Iterable<string>): void {
  const hint = suggest(key, [...known]);
  report('case/unknown-key', path, `unknown field "${path}"`, hint ?? 'check the spelling; an unknown input is written as null or left out');
}

/** An object of nullable members: unknown keys, and each known member's value. */
function checkObject(v: unknown, name: string, keys: ReadonlyMap<string, unknown>, member: (key: string, x: unknown) => void, report: Report): void {
  if (v === null || v === undefined) return;
  if (!isPlainObject(v)) return report('case/type', name, `"${name}" must be an object`);
  for (const key of Object.keys(v)) {
    const x = v[key];
    if (!keys.has(key)) unknownKey(report, `${name}.${key}`, key, keys.keys());
    else if (x !== null && x !== undefined) member(key, x);
  }
}

/** Every problem of a case object, contradictions last (only for an otherwise valid case). */
function problems(c: Record<string, unknown>, report: Report): void {
  for (const key of Object.keys(c)) if (!TOP_KEYS.includes(key)) unknownKey(report, key, key, TOP_KEYS);
  const version = c['schemaVersion'];
  if (version !== null && version !== undefined && version !== CASE_SCHEMA_VERSION) report('case/schema-version', 'schemaVersion', `"schemaVersion" must be ${CASE_SCHEMA_VERSION}`);
  const id = c['id'];
  if (id === undefined || !Object.hasOwn(c, 'id')) report('case/required', 'id', '"id" is required');
  else if (typeof id !== 'string') report('case/type', 'id', '"id" must be a string');
  else if (id.length > MAX_ID_LENGTH) report('case/range', 'id', `"id" is longer than ${MAX_ID_LENGTH} characters`);
  else if (!CASE_ID_PATTERN.test(id)) report('case/format', 'id', `"id" must match ${CASE_ID_PATTERN.source}`);
  for (const [name, fields] of SECTIONS) checkObject(c[name], name, fields, (key, x) => checkField(fields.get(key)!, x, name, key, report), report);
  checkObject(
    c['source'],
    'source',
    SOURCE_TEXTS,
    (key, x) => {
      const path = `source.${key}`;
      if (typeof x !== 'string') report('case/type', path, `"${path}" must be a string`);
      else if (x.length > SOURCE_TEXTS.get(key)!) report('case/range', path, `"${path}" is longer than ${SOURCE_TEXTS.get(key)!} characters`);
    },
    report,
  );
}

export type ValidateResult = { ok: true; value: CaseInput } | { ok: false; diagnostics: Diagnostic[] };

/** Validate a parsed case: the case with its derived inputs (derive.ts), or every problem with its code and field path. */
export function validateCase(input: unknown, file: string): ValidateResult {
  if (!isPlainObject(input)) return { ok: false, diagnostics: [{ file, severity: 'error', code: 'case/type', message: 'a case must be an object' }] };
  const long = oversizedList(input, file); // bounds first: the work below grows with each bad element
  if (long) return { ok: false, diagnostics: [long] };
  let out: Diagnostic[] | undefined;
  const report: Report = (code, path, message, suggestion) => (out ??= []).push({ file, severity: 'error', code, path, message, ...(suggestion ? { suggestion } : {}) });
  problems(input, report);
  if (out === undefined) for (const x of contradictions(input)) report('case/contradiction', x.paths.join(', '), x.message);
  if (out === undefined) return { ok: true, value: deriveCase(input as unknown as CaseInput) };
  return { ok: false, diagnostics: capDiagnostics(out, file, 'case') };
}

/** The JSON Schema (draft 2020-12) of the same case format. */
export function caseJsonSchema(): unknown {
  const nullable = (s: Record<string, unknown>) => ({ anyOf: [s, { type: 'null' }] });
  const field = (spec: FieldSpec): Record<string, unknown> => {
    const range = spec.min !== undefined ? { minimum: spec.min, maximum: spec.max } : {};
    switch (spec.kind) {
      case 'enum':
        return { type: 'string', enum: spec.values };
      case 'set':
        return { type: 'array', items: { type: 'string', enum: spec.values }, uniqueItems: true, maxItems: spec.values!.length };
      case 'boolean':
        return { type: 'boolean' };
      case 'number':
        return { type: 'number', ...range };
      case 'integer':
        return { type: 'integer', ...range };
    }
  };
  const object = (properties: Record<string, unknown>) => nullable({ type: 'object', properties, additionalProperties: false });
  const properties: Record<string, unknown> = {
    schemaVersion: nullable({ type: 'number', const: CASE_SCHEMA_VERSION }),
    id: { type: 'string', maxLength: MAX_ID_LENGTH, pattern: CASE_ID_PATTERN.source },
  };
  for (const [name, fields] of SECTIONS) properties[name] = object(Object.fromEntries([...fields].map(([k, spec]) => [k, nullable(field(spec))])));
  properties['source'] = object(Object.fromEntries([...SOURCE_TEXTS].map(([k, max]) => [k, nullable({ type: 'string', maxLength: max })])));
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'rvlms case',
    description: 'One patient case for rvlms (schema v1). Omitted or null means unknown.',
    type: 'object',
    properties,
    required: ['id'],
    additionalProperties: false,
  };
}
