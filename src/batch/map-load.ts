/**
 * The column map (`--map FILE.yaml`): how a registry export's columns and codes become case
 * fields, written by the coordinator (started by `rvlms map init`). Validated in three passes —
 * YAML, the schema (zod, also the JSON Schema `rvlms schema map`), then what the schema cannot
 * say: every field a case field, every code a value of its field, every unit convertible, no
 * field filled twice, and no question left open. Every problem is reported at once, each with
 * its file:line:col; a map with any problem is refused (exit 2), because a map that is wrong
 * about what a code means changes every case it touches.
 *
 * Shape (rvlmsMap: 1):
 *
 *   missing: [NA, n/a, "-"]          # cells read as unknown in every column (blank always is)
 *   ignore: [date_of_surgery]         # columns to leave out (or `column: ignore` below)
 *   columns:
 *     record_id: id                   # column → field
 *     sex: { field: patient.sex, values: { F: female, M: male } }
 *     ivc_level: { field: ivc.segments, separator: "+" }
 *     tumour_size_cm: { field: tumor.maxDiameterMm, unit: cm }
 *     collaterals_yn: { field: ivc.collaterals, values: { "Yes": well_developed, "No": absent } }
 *
 * A `field: null` or a code whose value is null is a question not yet answered: the map is
 * refused until the coordinator answers it. A code meant as "unknown" says so: `unknown`.
 */
import type { DiagnosticCode } from '../diagnostics/codes.js';
import * as z from 'zod/mini';
import { InputError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { readInput } from '../io/read.js';
import { codeKey, isCaseField, SPECS, type CaseMap, type ColumnRule } from './table-cases.js';

export const MAP_VERSION = 1;
/** The word a map uses for "this column is left out" and for "this code means unknown". */
export const IGNORE = 'ignore';
export const UNKNOWN = 'unknown';

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const codeValue = z.nullable(z.union([scalar, z.array(z.string())]));
const columnSchema = z.union([
  z.string(),
  z.strictObject({
    field: z.nullable(z.string()),
    values: z.optional(z.record(z.string(), codeValue)),
    separator: z.optional(z.string().check(z.minLength(1))),
    unit: z.optional(z.string()),
    note: z.optional(z.string()),
  }),
]);

export const mapFileSchema = z.strictObject({
  rvlmsMap: z.literal(MAP_VERSION),
  missing: z.optional(z.array(scalar)),
  ignore: z.optional(z.array(z.string())),
  columns: z.record(z.string(), columnSchema),
});

export type MapFile = z.infer<typeof mapFileSchema>;

export function mapJsonSchema(): unknown {
  return z.toJSONSchema(mapFileSchema, { unrepresentable: 'any' });
}

/**
 * Conversion factors to each catalogue unit from the units an export may use. A unit not
 * listed for a field's unit is refused (`map/unit`), never guessed.
 */
const UNITS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  mm: { mm: 1, cm: 10, m: 1000 },
  min: { min: 1, h: 60 },
  mL: { mL: 1, ml: 1, dL: 100, dl: 100, L: 1000, l: 1000 },
  '%': { '%': 1, fraction: 100 },
  years: { years: 1 },
};

/** The factor from `unit` to the field's unit, or an explanation. */
export function unitFactor(field: string, unit: string): number | string {
  const target = SPECS.get(field)?.unit;
  if (!target) return `${field} has no unit`;
  const factor = UNITS[target]?.[unit] ?? (unit === target ? 1 : undefined);
  if (factor === undefined) return `${field} is in ${target}; ${JSON.stringify(unit)} does not convert to it (known: ${Object.keys(UNITS[target] ?? { [target]: 1 }).join(', ')})`;
  return factor;
}

/** Whether `v` is a value the field accepts (the schema decides the rest when the case is read). */
function valueProblem(field: string, v: unknown): string | undefined {
  if (v === UNKNOWN) return undefined;
  const spec = SPECS.get(field);
  if (!spec) return typeof v === 'string' ? undefined : `${field} takes text`;
  switch (spec.kind) {
    case 'enum':
      return typeof v === 'string' && spec.values!.includes(v) ? undefined : `must be one of: ${spec.values!.join(', ')}`;
    case 'set': {
      const items = Array.isArray(v) ? v : [v];
      const bad = items.filter((x) => typeof x !== 'string' || !spec.values!.includes(x));
      return bad.length ? `${bad.map((x) => JSON.stringify(x)).join(', ')}: not among ${spec.values!.join(', ')}` : undefined;
    }
    case 'boolean':
      return typeof v === 'boolean' ? undefined : 'must be true or false';
    case 'number':
    case 'integer':
      return typeof v === 'number' ? undefined : 'must be a number';
  }
}

interface Located {
  readonly at: (path: readonly (string | number)[], key?: string) => { line: number; col: number };
}

/** The checks the schema cannot make, each finding placed in the file. */
function semanticChecks(map: MapFile, file: string, loc: Located): { diagnostics: Diagnostic[]; columns: Map<string, ColumnRule>; ignore: Set<string> } {
  const diagnostics: Diagnostic[] = [];
  const columns = new Map<string, ColumnRule>();
  const ignore = new Set(map.ignore ?? []);
  const byField = new Map<string, string>();
  const problem = (path: (string | number)[], code: DiagnosticCode, message: string, fieldPath?: string, key?: string): void => {
    diagnostics.push({ file, ...loc.at(path, key), severity: 'error', code, message, ...(fieldPath ? { path: fieldPath } : {}) });
  };
  for (const [column, entry] of Object.entries(map.columns)) {
    const at = ['columns', column];
    const spec = typeof entry === 'string' ? { field: entry } : entry;
    const field = spec.field;
    if (field === null) {
      problem([...at, 'field'], 'map/question', `column "${column}": which case field does it hold? Answer with a field, or ${IGNORE}`);
      continue;
    }
    if (field === IGNORE) {
      ignore.add(column);
      continue;
    }
    if (!isCaseField(field)) {
      problem(typeof entry === 'string' ? at : [...at, 'field'], 'map/field', `column "${column}": "${field}" is not a case field (rvlms schema case)`, field);
      continue;
    }
    const other = byField.get(field);
    if (other !== undefined) problem(at, 'map/duplicate-field', `columns "${other}" and "${column}" both fill ${field}`, field, column);
    byField.set(field, column);
    const kind = SPECS.get(field)?.kind;
    const rule: { field: string; values?: Map<string, unknown>; separator?: string; factor?: number } = { field };
    if (typeof entry !== 'string') {
      if (entry.separator !== undefined) {
        if (kind === 'set') rule.separator = entry.separator;
        else problem([...at, 'separator'], 'map/separator', `column "${column}": a separator is for list fields; ${field} holds one value`, field);
      }
      if (entry.unit !== undefined) {
        const f = kind === 'number' || kind === 'integer' ? unitFactor(field, entry.unit) : `${field} is not a number`;
        if (typeof f === 'number') {
          if (f !== 1) rule.factor = f;
        } else problem([...at, 'unit'], 'map/unit', `column "${column}": ${f}`, field);
      }
      if (entry.values) {
        const values = new Map<string, unknown>();
        for (const [code, value] of Object.entries(entry.values)) {
          const vat = [...at, 'values', code];
          if (value === null) {
            problem(vat, 'map/question', `column "${column}": what does "${code}" mean for ${field}? Answer with a value, or ${UNKNOWN}`, field);
            continue;
          }
          const bad = valueProblem(field, value);
          if (bad) problem(vat, 'map/value', `column "${column}", code "${code}": ${bad}`, field);
          const key = codeKey(code);
          if (values.has(key)) problem(vat, 'map/duplicate-code', `column "${column}": code "${code}" is given twice (codes match whatever their case and spacing)`, field, code);
          values.set(key, value === UNKNOWN ? null : value);
        }
        rule.values = values;
      }
    }
    columns.set(column, rule);
  }
  for (const column of map.ignore ?? []) if (columns.has(column)) problem(['ignore'], 'map/ignore', `column "${column}" is both mapped and ignored`);
  return { diagnostics, columns, ignore };
}

/** Read and check a map file: the CaseMap, or InputError with every problem. */
export async function loadMap(file: string): Promise<CaseMap> {
  const text = readInput(file);
  const { parseYaml, locate } = await import('../io/yaml.js');
  const { schemaDiagnostics } = await import('../diagnostics/zod.js');
  const parsed = parseYaml(text, file, 'map');
  if (parsed.diagnostics.length) throw new InputError(parsed.diagnostics);
  const at = (path: readonly (string | number)[], key?: string) => locate(parsed, path, key);
  const r = z.safeParse(mapFileSchema, parsed.value);
  if (!r.success) throw new InputError(schemaDiagnostics(r.error.issues, parsed, 'map'));
  const checked = semanticChecks(r.data, file, { at });
  if (checked.diagnostics.length) throw new InputError([...checked.diagnostics].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0)));
  return { file, columns: checked.columns, ignore: checked.ignore, missing: new Set((r.data.missing ?? []).map((m) => codeKey(String(m)))) };
}
