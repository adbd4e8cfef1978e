/**
 * CSV as a table, streamed: the header, then one record per data row, each with the line it
 * starts on and its row number (1 = the first row after the header). Cells are text; turning
 * them into cases is `table-cases.ts`'s business, shared with the .xlsx reader.
 *
 * Written for what registries and spreadsheets really export rather than for RFC 4180 alone:
 *
 * - the delimiter is detected from the header (`,` `;` or tab, outside quotes; a first line
 *   `sep=;` as Excel writes it names it), and reported so that numbers with a decimal comma
 *   are read under `;`;
 * - a byte order mark is dropped; lines end in LF, CRLF or CR alone, mixed within a file;
 * - a quoted cell may hold delimiters, quotes (doubled) and line ends.
 *
 * Nothing is dropped, and one broken row never takes others with it. A quote inside an
 * unquoted cell (`a"b"c`), or text after a closing quote (`"a"b`), makes that row an error
 * row, reported once, and reading goes on at the next line. A quote that is never closed
 * would swallow the rest of the file into one cell: a record that runs over a line end and
 * then breaks (unclosed at the end of the input, longer than MAX_INPUT_BYTES, a bad quote
 * later on, or a wrong number of cells) is reported as one error row at the line it starts
 * on, and the lines after that first line are read again as rows of their own.
 */
import type { DiagnosticCode } from '../diagnostics/codes.js';
import { InputError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { MAX_INPUT_BYTES } from '../io/read.js';
import { tableItems, type TableOptions } from './table-cases.js';
import type { InputItem } from './types.js';

export type Delimiter = ',' | ';' | '\t';
export const DELIMITER_NAMES: Readonly<Record<Delimiter, string>> = { ',': 'comma', ';': 'semicolon', '\t': 'tab' };

/** What a table reader yields: the header once, then data rows and rows that could not be read, in order. */
export type TableEvent =
  | { readonly kind: 'header'; readonly cells: readonly string[]; readonly line: number; readonly delimiter?: Delimiter }
  | { readonly kind: 'row'; readonly cells: readonly string[]; readonly line: number; readonly row: number }
  | { readonly kind: 'bad'; readonly line: number; readonly row: number; readonly code: DiagnosticCode; readonly message: string };

export interface CsvOptions {
  /** Longest record, in characters (default MAX_INPUT_BYTES). */
  readonly maxRecord?: number;
}

const QUOTE = 34;
const CR = 13;
const LF = 10;

const enum State {
  /** At the start of a cell. */
  Start,
  /** In an unquoted cell. */
  Plain,
  /** In a quoted cell. */
  Quoted,
  /** After a quote inside a quoted cell: the end of the cell, or the first of a doubled quote. */
  QuoteInQuoted,
  /** After a cell's closing quote or last character: a delimiter or a line end comes next. */
  AfterCell,
  /** The row is broken: skipping to the end of its line. */
  Skip,
}

/** The delimiter of a header line: the most frequent of , ; tab outside quotes (comma on a tie or when none). */
export function detectDelimiter(line: string): Delimiter {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
  }
  let best: Delimiter = ',';
  for (const d of [';', '\t'] as const) if (counts[d] > counts[best]) best = d;
  return best;
}

/** The first line of `text` (up to a line end outside quotes), or undefined if it has not ended yet. */
function firstLine(text: string): string | undefined {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) quoted = !quoted;
    else if (!quoted && (c === LF || c === CR)) return text.slice(0, i);
  }
  return undefined;
}

/**
 * The tokenizer: text in (any chunking), events out. One instance per file. Cell text is
 * taken with slices between delimiters rather than character by character.
 */
class CsvTokenizer {
  private readonly delimiter: number;
  private state = State.Start;
  /** Line being read (1-based), and whether the last character was a CR (a following LF belongs to it). */
  private line = 1;
  private afterCR = false;
  private cells: string[] = [];
  private cell = '';
  /** Line the current record starts on. */
  private recordLine = 1;
  /** Data rows so far (the header is not one). */
  private row = 0;
  /** Cells of the header, once read. */
  private expected = -1;
  /** Text of the current record after its first line end, kept to be read again if the record breaks. */
  private capture: string | undefined;
  private captureAfterCR = false;
  /** Where the capture starts in the chunk being read (-1: not capturing). */
  private captureFrom = -1;
  private recordChars = 0;
  readonly events: TableEvent[] = [];

  constructor(
    delimiter: Delimiter,
    private readonly maxRecord: number,
  ) {
    this.delimiter = delimiter.charCodeAt(0);
  }

  private reset(): void {
    this.cells = [];
    this.cell = '';
    this.capture = undefined;
    this.captureFrom = -1;
    this.recordChars = 0;
    this.state = State.Start;
    this.recordLine = this.line;
  }

  /**
   * The record is broken. If it ran over a line end, its later lines are returned to be read
   * again; otherwise the rest of its line is skipped.
   */
  private broken(code: DiagnosticCode, message: string, text: string): string | undefined {
    if (this.expected < 0) throw new InputError([{ line: this.recordLine, severity: 'error', code: 'batch/csv-header', message: `the header cannot be read: ${message}` }]);
    this.events.push({ kind: 'bad', line: this.recordLine, row: ++this.row, code, message });
    const again = this.capture !== undefined ? this.capture + text.slice(this.captureFrom) : undefined;
    const afterCR = this.captureAfterCR;
    const recordLine = this.recordLine;
    this.reset();
    if (again === undefined) {
      this.state = State.Skip;
      return undefined;
    }
    this.line = recordLine + 1;
    this.recordLine = this.line;
    this.afterCR = afterCR;
    return again;
  }

  /** The record's last cell is in: emit it (or find it broken). */
  private finish(text: string): string | undefined {
    const cells = this.cells;
    if (this.expected < 0) {
      this.expected = cells.length;
      this.events.push({ kind: 'header', cells, line: this.recordLine });
    } else if (cells.length !== this.expected && !cells.every((c) => c.trim() === '')) {
      const message = `row has ${cells.length} cells; the header has ${this.expected}`;
      if (this.capture !== undefined) return this.broken('batch/csv-quote', `${message}, and a quoted cell runs over a line end: a quote is probably never closed`, text);
      this.events.push({ kind: 'bad', line: this.recordLine, row: ++this.row, code: 'batch/csv-columns', message });
    } else if (!cells.every((c) => c.trim() === '')) this.events.push({ kind: 'row', cells, line: this.recordLine, row: ++this.row });
    // a row of empty cells is not a case
    this.reset();
    return undefined;
  }

  /** Count a line end; false when it is the LF of a CRLF already counted. */
  private lineEnd(c: number): boolean {
    if (c === LF && this.afterCR) {
      this.afterCR = false;
      return false;
    }
    this.afterCR = c === CR;
    this.line++;
    return true;
  }

  /** Read a chunk; returns text to read next, before anything else (a broken record's later lines). */
  private run(text: string): string | undefined {
    const d = this.delimiter;
    const n = text.length;
    this.captureFrom = this.capture !== undefined ? 0 : -1;
    let i = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      switch (this.state) {
        case State.Skip: {
          i++;
          if (c === LF || c === CR) {
            if (this.lineEnd(c)) {
              this.state = State.Start;
              this.recordLine = this.line;
            }
          } else this.afterCR = false;
          continue;
        }
        case State.Start:
        case State.AfterCell: {
          if (c === LF || c === CR) {
            i++;
            if (!this.lineEnd(c)) continue; // the LF of a CRLF
            if (this.state === State.Start && this.cells.length === 0) {
              this.recordLine = this.line; // a blank line
              continue;
            }
            if (this.state === State.Start) this.cells.push(''); // the line ended after a delimiter
            const again = this.finish(text);
            if (again !== undefined) return again;
            this.recordLine = this.line;
            continue;
          }
          this.afterCR = false;
          if (this.state === State.AfterCell) {
            if (c === d) {
              this.state = State.Start;
              i++;
              continue;
            }
            const again = this.broken('batch/csv-quote', `text after the closing quote of cell ${this.cells.length}`, text);
            if (again !== undefined) return again;
            continue;
          }
          if (c === QUOTE) {
            this.state = State.Quoted;
            this.cell = '';
            i++;
          } else if (c === d) {
            this.cells.push('');
            i++;
          } else {
            this.state = State.Plain;
            this.cell = '';
          }
          continue;
        }
        case State.Plain: {
          // the run of ordinary characters, in one slice
          let j = i;
          let cj = c;
          while (cj !== d && cj !== LF && cj !== CR && cj !== QUOTE && ++j < n) cj = text.charCodeAt(j);
          this.cell += text.slice(i, j);
          this.recordChars += j - i;
          i = j;
          if (this.recordChars > this.maxRecord) {
            const again = this.broken('io/too-large', `row is longer than ${Math.round(this.maxRecord / 1024)} KiB; refused`, text);
            if (again !== undefined) return again;
            continue;
          }
          if (j === n) continue;
          if (cj === QUOTE) {
            const again = this.broken('batch/csv-quote', `a quote inside an unquoted cell (cell ${this.cells.length + 1}); quote the whole cell and double the quote`, text);
            if (again !== undefined) return again;
            continue;
          }
          this.cells.push(this.cell);
          this.cell = '';
          this.state = State.AfterCell; // the delimiter or line end is read there
          continue;
        }
        case State.Quoted: {
          let j = text.indexOf('"', i);
          if (j < 0) j = n;
          // line ends inside the quoted cell: counted, and the record's later text captured
          for (let k = i; k < j; k++) {
            const ck = text.charCodeAt(k);
            if (ck === LF || ck === CR) {
              if (this.lineEnd(ck) && this.capture === undefined) {
                this.capture = '';
                this.captureAfterCR = ck === CR;
                this.captureFrom = k + 1;
              }
            } else this.afterCR = false;
          }
          this.cell += text.slice(i, j);
          this.recordChars += j - i;
          i = j;
          if (j < n) {
            this.state = State.QuoteInQuoted;
            i++;
          }
          if (this.recordChars > this.maxRecord) {
            const again = this.broken('batch/csv-quote', `a quoted cell runs on for more than ${Math.round(this.maxRecord / 1024)} KiB: a quote is probably never closed`, text);
            if (again !== undefined) return again;
          }
          continue;
        }
        case State.QuoteInQuoted: {
          this.afterCR = false;
          if (c === QUOTE) {
            this.cell += '"';
            this.state = State.Quoted;
            i++;
            continue;
          }
          this.cells.push(this.cell);
          this.cell = '';
          this.state = State.AfterCell;
          continue;
        }
      }
    }
    if (this.captureFrom >= 0) this.capture += text.slice(this.captureFrom);
    return undefined;
  }

  write(text: string): void {
    for (let next: string | undefined = text; next !== undefined; ) next = this.run(next);
  }

  /** The end of the input: the last record, or the broken one a quote left open. */
  end(): void {
    for (;;) {
      let again: string | undefined;
      if (this.state === State.Quoted) again = this.broken('batch/csv-quote', 'a quote is opened and never closed', '');
      else {
        if (this.state === State.Plain || this.state === State.QuoteInQuoted) this.cells.push(this.cell);
        else if (this.state === State.Start && this.cells.length > 0) this.cells.push('');
        if (this.cells.length > 0 && this.state !== State.Skip) again = this.finish('');
      }
      if (again === undefined) return;
      this.write(again);
    }
  }
}

/** A header line `sep=;` (Excel's hint) names the delimiter. */
const SEP_LINE = /^sep=(.)$/i;

/**
 * The table events of CSV text chunks. Throws InputError (naming `file`) only when the header
 * cannot be read; every data row becomes a `row` or a `bad` event.
 */
export async function* readCsvTable(chunks: AsyncIterable<string> | Iterable<string>, file: string, options: CsvOptions = {}): AsyncGenerator<TableEvent> {
  const maxRecord = options.maxRecord ?? MAX_INPUT_BYTES;
  let head = '';
  let tokenizer: CsvTokenizer | undefined;
  let delimiter: Delimiter = ',';
  /** 1 when a `sep=` line comes before the header. */
  let lineOffset = 0;
  const open = (text: string): CsvTokenizer => {
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const first = firstLine(text) ?? text;
    const sep = SEP_LINE.exec(first)?.[1];
    if (sep === ',' || sep === ';' || sep === '\t') {
      delimiter = sep;
      lineOffset = 1;
      let at = first.length;
      if (text.charCodeAt(at) === CR) at++;
      if (text.charCodeAt(at) === LF) at++;
      text = text.slice(at);
    } else delimiter = detectDelimiter(first);
    const t = new CsvTokenizer(delimiter, maxRecord);
    t.write(text);
    return t;
  };
  const drain = function* (t: CsvTokenizer): Generator<TableEvent> {
    for (const e of t.events.splice(0)) {
      const line = e.line + lineOffset;
      yield e.kind === 'header' ? { ...e, line, delimiter } : { ...e, line };
    }
  };
  try {
    for await (const chunk of chunks) {
      if (tokenizer) tokenizer.write(chunk);
      else {
        head += chunk;
        // the delimiter is read from the whole first line
        if (firstLine(head) === undefined && head.length <= maxRecord) continue;
        tokenizer = open(head);
        head = '';
      }
      yield* drain(tokenizer);
    }
    tokenizer ??= open(head);
    tokenizer.end();
    yield* drain(tokenizer);
  } catch (e) {
    if (e instanceof InputError) throw new InputError(e.diagnostics.map((d): Diagnostic => ({ ...d, file, ...(d.line !== undefined ? { line: d.line + lineOffset } : {}) })));
    throw e;
  }
}

/** The cases of a CSV file: its table read as `table-cases.ts` says. */
export async function* readCsv(chunks: AsyncIterable<string> | Iterable<string>, file: string, options: TableOptions & CsvOptions = {}): AsyncGenerator<InputItem> {
  yield* tableItems(readCsvTable(chunks, file, options), file, options);
}
