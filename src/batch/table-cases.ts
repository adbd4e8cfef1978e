/**
 * Table rows → cases: one meaning of a column for CSV and .xlsx alike. Which case field a
 * column holds, and how its cells are read, comes either from a column map (`--map`, see
 * map-load.ts) or, without one, from the header itself (dotted field paths).
 *
 *   empty cell (or a `missing` code of the map) → unknown (left out)
 *   a code of the map's `values`                → its value (the map says what it means)
 *   set fields        → `I;II` (or the map's separator) is ["I", "II"]; `[]` is the empty set
 *   boolean fields    → true / false (any case)
 *   number / integer  → the number (a decimal comma under a `;` delimiter), times the unit factor
 *   enum and text     → the text, trimmed
 *
 * Without a map, a cell that does not convert stays text, so the case schema reports it with
 * its field. With a map that lists codes for a column, a cell with no code is an error of its
 * own (`map/value`) naming the row, the column and the field: the map must say what it means.
 *
 * Header problems are reported once, never once per row: an unnamed or repeated column, or a
 * missing `id` column, stops the file (InputError); columns that hold no case field are
 * ignored with one note.
 */
import { ACTUAL_FIELDS, INPUT_FIELDS, type FieldSpec } from '../case/fields.js';
import { InputError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { placeDiagnostic } from './items.js';
import type { Delimiter, TableEvent } from './read-csv.js';
import type { CaseSource, InputItem } from './types.js';

/** Every path a table column may fill: the catalogue's fields, the id, the provenance. */
export const TEXT_FIELDS = ['id', 'source.citation', 'source.doi', 'source.patient', 'source.url', 'source.note'] as const;
export const SPECS: ReadonlyMap<string, FieldSpec> = new Map([...INPUT_FIELDS, ...ACTUAL_FIELDS].map((s) => [s.path, s]));
export const isCaseField = (path: string): boolean => SPECS.has(path) || (TEXT_FIELDS as readonly string[]).includes(path) || path === 'schemaVersion';

/** How one column is read, as the map states it. */
export interface ColumnRule {
  readonly field: string;
  /** Cell text (normalised by `codeKey`) → the value it stands for (null: unknown). */
  readonly values?: ReadonlyMap<string, unknown>;
  /** Separator of list cells (set fields); default ";". */
  readonly separator?: string;
  /** The factor that converts the column's unit to the field's unit. */
  readonly factor?: number;
}

/** A column map as batch uses it (map-load.ts builds it from the YAML file). */
export interface CaseMap {
  readonly file: string;
  /** Column name (as in the header, trimmed) → its rule. */
  readonly columns: ReadonlyMap<string, ColumnRule>;
  /** Columns the map says to leave out. */
  readonly ignore: ReadonlySet<string>;
  /** Cell texts (normalised by `codeKey`) read as unknown in every column. */
  readonly missing: ReadonlySet<string>;
}

/** The key a cell is looked up by among codes: trimmed, lower case, inner spaces collapsed. */
export const codeKey = (s: string): string => s.trim().toLowerCase().replace(/\s+/g, ' ');

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const DECIMAL_COMMA = /^[+-]?\d*,\d+$/;

/** Why a cell could not be read: the row becomes invalid with this. */
interface CellProblem {
  readonly problem: string;
}
type Cell = { readonly value: unknown } | CellProblem | undefined;

export interface ReadContext {
  /** Decimal commas are read (the file is `;`-delimited). */
  readonly decimalComma: boolean;
}

function parseNumber(text: string, ctx: ReadContext): number | undefined {
  if (NUMBER.test(text)) return Number(text);
  if (ctx.decimalComma && DECIMAL_COMMA.test(text)) return Number(text.replace(',', '.'));
  return undefined;
}

function plainValue(spec: FieldSpec | undefined, path: string, text: string, rule: ColumnRule | undefined, ctx: ReadContext): unknown {
  if (path === 'schemaVersion') return parseNumber(text, ctx) ?? text;
  if (!spec) return text;
  switch (spec.kind) {
    case 'set':
      return text === '[]'
        ? []
        : text
            .split(rule?.separator ?? ';')
            .map((s) => s.trim())
            .filter((s) => s !== '');
    case 'boolean': {
      const low = text.toLowerCase();
      return low === 'true' ? true : low === 'false' ? false : text;
    }
    case 'number':
    case 'integer': {
      const x = parseNumber(text, ctx);
      if (x === undefined) return text;
      return rule?.factor !== undefined ? Math.round(x * rule.factor * 1e9) / 1e9 : x;
    }
    case 'enum':
      return text;
  }
}

const shown = (codes: ReadonlyMap<string, unknown>): string => {
  const keys = [...codes.keys()];
  return keys.length > 8 ? `${keys.slice(0, 8).join(', ')}, …` : keys.join(', ');
};

/** One cell → its value, unknown (undefined), or a problem. */
export function readCell(raw: string, column: string, rule: ColumnRule, missing: ReadonlySet<string>, ctx: ReadContext): Cell {
  const text = raw.trim();
  if (text === '') return undefined;
  const key = codeKey(text);
  if (missing.has(key)) return undefined;
  const spec = SPECS.get(rule.field);
  const codes = rule.values;
  if (codes) {
    if (codes.has(key)) {
      const v = codes.get(key);
      if (v === null || v === undefined) return undefined;
      return { value: spec?.kind === 'set' && !Array.isArray(v) ? [v] : v };
    }
    if (spec?.kind === 'set') {
      // each item of a list cell by its code, or as the value itself
      const items: unknown[] = [];
      for (const part of text.split(rule.separator ?? ';').map((s) => s.trim()).filter((s) => s !== '')) {
        const k = codeKey(part);
        const v = codes.has(k) ? codes.get(k) : spec.values?.includes(part) ? part : undefined;
        if (v === undefined) return { problem: `"${part}" in column "${column}" has no code in the map (codes: ${shown(codes)})` };
        if (Array.isArray(v)) items.push(...(v as unknown[]));
        else if (v !== null) items.push(v);
      }
      return { value: [...new Set(items)] };
    }
    // a cell that is already a value of its field needs no code
    if (spec?.kind === 'enum' && spec.values!.includes(text)) return { value: text };
    if (spec?.kind === 'boolean' && (key === 'true' || key === 'false')) return { value: key === 'true' };
    if (spec !== undefined && spec.kind !== 'number' && spec.kind !== 'integer') return { problem: `"${text}" in column "${column}" has no code in the map (codes: ${shown(codes)})` };
  }
  return { value: plainValue(spec, rule.field, text, rule, ctx) };
}

const define = (o: object, key: string, value: unknown): void => {
  // defineProperty, not assignment: a "__proto__" column becomes an own (unknown) key, never the prototype
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
};

function setPath(root: Record<string, unknown>, parts: readonly string[], value: unknown): void {
  let cur: Record<string, unknown> = root;
  for (let i = 0; i < parts.length - 1; i++) {
    const key = parts[i]!;
    let next = Object.hasOwn(cur, key) ? cur[key] : undefined;
    if (next === undefined) {
      next = {};
      define(cur, key, next);
    }
    // a plain column and a dotted one collide ("ivc" and "ivc.lumen"): the schema reports the plain one
    if (typeof next !== 'object' || next === null || Array.isArray(next)) return;
    cur = next as Record<string, unknown>;
  }
  define(cur, parts[parts.length - 1]!, value);
}

interface PlannedColumn {
  readonly index: number;
  readonly name: string;
  readonly parts: readonly string[];
  readonly rule: ColumnRule;
}

export interface ColumnPlan {
  readonly columns: readonly PlannedColumn[];
  readonly missing: ReadonlySet<string>;
}

const SECTIONS = ['patient.', 'tumor.', 'ivc.', 'renalVeins.', 'actual.', 'source.'];
const list = (names: readonly string[]): string => names.map((n) => `"${n}"`).join(', ');

/**
 * The header → which column fills which field. Throws InputError for a header the file cannot
 * be read with; calls `note` once for columns left out.
 */
export function planColumns(cells: readonly string[], at: { file: string; line: number }, map: CaseMap | undefined, note: (d: Diagnostic) => void): ColumnPlan {
  const names = cells.map((c) => c.trim());
  const fail = (message: string, path?: string, suggestion?: string): never => {
    throw new InputError([{ file: at.file, line: at.line, severity: 'error', code: 'batch/header', message, ...(path ? { path } : {}), ...(suggestion ? { suggestion } : {}) }]);
  };
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (name === '' && !map) fail(`column ${i + 1} of the header has no name`);
    if (name !== '' && seen.has(name)) fail(`column "${name}" appears twice in the header`, name);
    seen.add(name);
  });
  const columns: PlannedColumn[] = [];
  const extra: string[] = [];
  if (map) {
    names.forEach((name, index) => {
      const rule = map.columns.get(name);
      if (rule) columns.push({ index, name, parts: rule.field.split('.'), rule });
      else if (name !== '' && !map.ignore.has(name)) extra.push(name);
    });
    const absent = [...map.columns.keys()].filter((c) => !seen.has(c));
    if (absent.length)
      fail(`the map ${map.file} names column(s) the header does not have: ${list(absent)}`, undefined, 'check the export against the map, or remove those columns from the map');
  } else {
    const typos = names.filter((n) => !isCaseField(n) && SECTIONS.some((s) => n.startsWith(s)));
    if (typos.length)
      fail(`not a case field: ${list(typos)}`, typos[0], 'dotted column names must be case fields (rvlms schema case); for an export with names of its own, write a map with rvlms map init');
    names.forEach((name, index) => {
      if (isCaseField(name)) columns.push({ index, name, parts: name.split('.'), rule: { field: name } });
      else if (name !== '') extra.push(name);
    });
  }
  if (!columns.some((c) => c.rule.field === 'id'))
    fail(map ? `the map ${map.file} gives no column for the case id` : 'the header has no "id" column', 'id', map ? 'map the column that identifies each patient to id' : 'name the column that identifies each patient "id", or write a map with rvlms map init');
  if (extra.length)
    note({
      file: at.file,
      line: at.line,
      severity: 'info',
      code: 'batch/columns-ignored',
      message: `${extra.length} column(s) hold no case field and are ignored: ${list(extra.slice(0, 20))}${extra.length > 20 ? ', …' : ''}`,
      suggestion: map ? `list them under ignore: in ${map.file} to silence this note` : 'to read them, write a map with rvlms map init',
    });
  return { columns, missing: map?.missing ?? new Set() };
}

/** One data row → an input item: the case, or why the row is invalid (each cell problem with its column's field). */
export function rowItem(cells: readonly string[], source: CaseSource, plan: ColumnPlan, ctx: ReadContext): InputItem {
  const data: Record<string, unknown> = {};
  let problems: Diagnostic[] | undefined;
  for (const col of plan.columns) {
    const raw = cells[col.index];
    if (raw === undefined) continue;
    const cell = readCell(raw, col.name, col.rule, plan.missing, ctx);
    if (cell === undefined) continue;
    if ('problem' in cell) (problems ??= []).push(placeDiagnostic({ file: source.file, severity: 'error', code: 'map/value', path: col.rule.field, message: cell.problem }, source));
    else setPath(data, col.parts, cell.value);
  }
  if (!problems) return { source, data };
  // the row is invalid, but its id, when readable, still names it in the report
  const id = data['id'];
  return typeof id === 'string' ? { source, diagnostics: problems, id } : { source, diagnostics: problems };
}

export interface TableOptions {
  readonly map?: CaseMap;
  /** Notes for stderr (columns ignored …), each given once per file. */
  readonly note?: (d: Diagnostic) => void;
}

/** Table events → input items, every data row one item in order. */
export async function* tableItems(events: AsyncIterable<TableEvent>, file: string, options: TableOptions = {}): AsyncGenerator<InputItem> {
  let plan: ColumnPlan | undefined;
  let ctx: ReadContext = { decimalComma: false };
  for await (const e of events) {
    if (e.kind === 'header') {
      plan = planColumns(e.cells, { file, line: e.line }, options.map, options.note ?? (() => undefined));
      ctx = { decimalComma: e.delimiter === ';' };
      continue;
    }
    const source: CaseSource = { file, line: e.line, row: e.row };
    if (e.kind === 'bad') {
      yield { source, diagnostics: [placeDiagnostic({ file, severity: 'error', code: e.code, message: e.message }, source)] };
      continue;
    }
    yield rowItem(e.cells, source, plan!, ctx);
  }
}

export type { Delimiter };
