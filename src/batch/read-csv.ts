/**
 * CSV reader (csv-parse, streaming): a header row of dotted field paths (`tumor.imagingType`,
 * `ivc.segments`), then one case per row. Cells are converted by the field catalogue:
 *
 *   empty cell            → unknown (left out)
 *   set fields            → `I;II` is ["I", "II"]; `[]` is the empty set (known "none")
 *   boolean fields        → true / false (any case)
 *   number / integer      → the number
 *   enum and text fields  → the text, trimmed
 *
 * A cell that does not convert stays text, so the case schema reports it with its field.
 * Header problems (an empty or repeated column name) make the file unusable: InputError.
 * A row with the wrong number of cells, or one csv-parse cannot parse, becomes an item with a
 * diagnostic, and reading goes on (a broken quote may swallow the lines up to the next quote).
 */
import { parse, type CsvError } from 'csv-parse';
import { finished } from 'node:stream/promises';
import { ACTUAL_FIELDS, INPUT_FIELDS, type FieldSpec } from '../case/fields.js';
import { InputError } from '../diagnostics/diagnostic.js';
import { MAX_INPUT_BYTES } from '../io/read.js';
import { failedItem } from './items.js';
import type { CaseSource, InputItem } from './types.js';

const SPECS: ReadonlyMap<string, FieldSpec> = new Map([...INPUT_FIELDS, ...ACTUAL_FIELDS].map((s) => [s.path, s]));
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

type Convert = (cell: string) => unknown;

const asNumber: Convert = (cell) => (NUMBER.test(cell) ? Number(cell) : cell);
const asText: Convert = (cell) => cell;
const asBoolean: Convert = (cell) => {
  const low = cell.toLowerCase();
  return low === 'true' ? true : low === 'false' ? false : cell;
};
const asSet: Convert = (cell) =>
  cell === '[]'
    ? []
    : cell
        .split(';')
        .map((s) => s.trim())
        .filter((s) => s !== '');

function converterFor(path: string): Convert {
  if (path === 'schemaVersion') return asNumber;
  const spec = SPECS.get(path);
  if (!spec) return asText;
  switch (spec.kind) {
    case 'set':
      return asSet;
    case 'boolean':
      return asBoolean;
    case 'number':
    case 'integer':
      return asNumber;
    case 'enum':
      return asText;
  }
}

interface Column {
  readonly parts: readonly string[];
  readonly convert: Convert;
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

function headerColumns(cells: readonly string[], file: string, line: number): Column[] {
  const seen = new Set<string>();
  return cells.map((raw, i) => {
    const name = raw.trim();
    const at = { file, line, severity: 'error' as const };
    if (name === '') throw new InputError([{ ...at, code: 'batch/csv-header', message: `column ${i + 1} of the header has no name` }]);
    if (seen.has(name)) throw new InputError([{ ...at, code: 'batch/csv-header', path: name, message: `column "${name}" appears twice in the header` }]);
    seen.add(name);
    return { parts: name.split('.'), convert: converterFor(name) };
  });
}

/** Newlines inside quoted cells, to find the line a multi-line record starts on. */
function innerNewlines(cells: readonly string[]): number {
  let n = 0;
  for (const c of cells) for (let i = c.indexOf('\n'); i !== -1; i = c.indexOf('\n', i + 1)) n++;
  return n;
}

const linesOf = (e: unknown): number | undefined => {
  const lines = (e as { lines?: unknown } | undefined)?.lines;
  return typeof lines === 'number' ? lines : undefined;
};
/** csv-parse's message without its own position, which the diagnostic carries. */
const messageOf = (e: unknown): string => (e instanceof Error ? e.message : 'unreadable row').replace(/\s*at line \d+.*$/s, '');

export async function* readCsv(chunks: AsyncIterable<string> | Iterable<string>, file: string): AsyncGenerator<InputItem> {
  const queue: InputItem[] = [];
  let columns: Column[] | undefined;
  let row = 0;
  let fatal: unknown;
  const onRecord = (cells: string[], lines: number): void => {
    const line = lines - innerNewlines(cells);
    if (!columns) {
      columns = headerColumns(cells, file, line);
      return;
    }
    if (cells.every((c) => c.trim() === '')) return; // a row of empty cells is not a case
    row++;
    const source: CaseSource = { file, line, row };
    if (cells.length !== columns.length) {
      queue.push(failedItem(source, 'batch/csv-columns', `row has ${cells.length} cells; the header has ${columns.length}`));
      return;
    }
    const data: Record<string, unknown> = {};
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i]!.trim();
      if (cell !== '') setPath(data, columns[i]!.parts, columns[i]!.convert(cell));
    }
    queue.push({ source, data });
  };
  const parser = parse({
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    skip_records_with_error: true,
    max_record_size: MAX_INPUT_BYTES,
    on_record: (cells: string[], context) => {
      if (fatal === undefined) {
        try {
          onRecord(cells, context.lines);
        } catch (e) {
          fatal = e;
        }
      }
      return null; // records travel through `queue`, in order with the skipped ones
    },
    on_skip: (err: CsvError | undefined) => {
      if (!columns) {
        fatal ??= err; // without a header no row can be read
        return undefined;
      }
      row++;
      queue.push(failedItem({ file, line: linesOf(err) ?? 0, row }, 'batch/csv', messageOf(err)));
      return undefined;
    },
  });
  const failure = (e: unknown): InputError => {
    if (e instanceof InputError) return e;
    const line = linesOf(e);
    return new InputError([{ file, ...(line !== undefined ? { line } : {}), severity: 'error', code: 'batch/csv', message: messageOf(e) }]);
  };
  parser.resume();
  const done = finished(parser);
  done.catch(() => undefined); // rejections are read below, after the last write
  try {
    for await (const chunk of chunks) {
      await new Promise<void>((resolve, reject) => parser.write(chunk, (e) => (e ? reject(e) : resolve())));
      if (fatal !== undefined) throw fatal;
      yield* queue.splice(0);
    }
    parser.end();
    await done;
  } catch (e) {
    parser.destroy();
    throw failure(e);
  }
  if (fatal !== undefined) throw failure(fatal);
  yield* queue.splice(0);
}
