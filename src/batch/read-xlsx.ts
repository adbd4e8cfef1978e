/**
 * .xlsx workbooks (Excel, LibreOffice, REDCap's Excel export) as a table, read with
 * read-excel-file: one sheet — the one `--sheet` names (by name, or by number from 1), else the
 * first — its first non-empty row the header, every later non-empty row a data row whose
 * `line` is its row number in the sheet. Cells become the text a CSV export would hold, so one
 * column map reads both: numbers as JavaScript writes them (a decimal point), dates as
 * YYYY-MM-DD, booleans as true / false, empty cells as empty.
 */
import { InputError, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { TableEvent } from './read-csv.js';
import { tableItems, type TableOptions } from './table-cases.js';
import type { InputItem } from './types.js';

/** The biggest workbook read (the whole file is unzipped in memory). */
export const MAX_XLSX_BYTES = 64 * 1024 * 1024;

const two = (n: number): string => String(n).padStart(2, '0');

/** A cell as text. Dates are the calendar day the sheet shows (read-excel-file gives them at UTC midnight). */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return '';
    const day = `${v.getUTCFullYear()}-${two(v.getUTCMonth() + 1)}-${two(v.getUTCDate())}`;
    const secs = v.getUTCHours() * 3600 + v.getUTCMinutes() * 60 + v.getUTCSeconds();
    return secs === 0 ? day : `${day}T${two(v.getUTCHours())}:${two(v.getUTCMinutes())}:${two(v.getUTCSeconds())}`;
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- what is left of a cell: a number or text
  return String(v);
}

export interface XlsxOptions {
  /** A sheet name, or its number from 1. */
  readonly sheet?: string;
  readonly note?: (d: Diagnostic) => void;
}

type Sheets = { sheet: string; data: unknown[][] }[];

/** The sheets of a workbook file; an unreadable workbook is an InputError naming the file. */
async function readWorkbook(file: string): Promise<Sheets> {
  const { statSync } = await import('node:fs');
  if (statSync(file).size > MAX_XLSX_BYTES) throw new InputError([{ file, severity: 'error', code: 'io/too-large', message: `the workbook is larger than ${MAX_XLSX_BYTES / 1024 / 1024} MiB; export it as CSV` }]);
  // The package's default export. Where the CLI bundle requires the package's own CommonJS
  // bundle (dist/vendor/), `default` of that import is the whole module object (Node's
  // interop of CommonJS from an ES module), which holds the function as its `default`.
  const mod: { default: unknown } = await import('read-excel-file/node');
  const readXlsxFile = (typeof mod.default === 'function' ? mod.default : (mod.default as { default: unknown }).default) as typeof import('read-excel-file/node').default;
  try {
    return await readXlsxFile(file);
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new InputError([{ file, severity: 'error', code: 'batch/xlsx', message: `not a readable .xlsx workbook (${why})` }]);
  }
}

/** The sheet `choice` names, or the first; a missing sheet is an InputError listing those there are. */
export function pickSheet(sheets: Sheets, file: string, choice: string | undefined, note?: (d: Diagnostic) => void): { sheet: string; data: unknown[][] } {
  const names = sheets.map((s) => s.sheet);
  if (choice === undefined) {
    if (!sheets.length) throw new InputError([{ file, severity: 'error', code: 'batch/xlsx', message: 'the workbook has no sheet' }]);
    if (sheets.length > 1)
      note?.({ file, severity: 'info', code: 'batch/xlsx-sheet', message: `reading sheet "${names[0]}", the first of ${sheets.length} (${names.map((n) => `"${n}"`).join(', ')})`, suggestion: 'choose another with --sheet NAME' });
    return sheets[0]!;
  }
  const byName = sheets.find((s) => s.sheet === choice);
  if (byName) return byName;
  const index = /^\d+$/.test(choice) ? Number(choice) - 1 : -1;
  if (index >= 0 && index < sheets.length) return sheets[index]!;
  throw new InputError([{ file, severity: 'error', code: 'batch/xlsx-sheet', message: `no sheet "${choice}" in the workbook; it has ${names.map((n) => `"${n}"`).join(', ')}` }]);
}

/** The table events of one sheet. */
export function* sheetTable(data: readonly (readonly unknown[])[]): Generator<TableEvent> {
  let header = false;
  let row = 0;
  for (let i = 0; i < data.length; i++) {
    const cells = (data[i] ?? []).map(cellText);
    if (cells.every((c) => c.trim() === '')) continue;
    if (!header) {
      header = true;
      yield { kind: 'header', cells, line: i + 1 };
    } else yield { kind: 'row', cells, line: i + 1, row: ++row };
  }
}

// eslint-disable-next-line @typescript-eslint/require-await -- an async view of a sync iterable
async function* asAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}

/** The table events of the chosen sheet of a workbook file. */
export async function readWorkbookTable(file: string, sheet: string | undefined, note?: (d: Diagnostic) => void): Promise<Iterable<TableEvent>> {
  return sheetTable(pickSheet(await readWorkbook(file), file, sheet, note).data);
}

/** The cases of one sheet of a workbook. */
export async function* readXlsx(file: string, options: XlsxOptions & TableOptions = {}): AsyncGenerator<InputItem> {
  yield* tableItems(asAsync(await readWorkbookTable(file, options.sheet, options.note)), file, options);
}
