/**
 * JSON Lines reader: one case per line, streamed, in bounded memory. Blank lines are not
 * cases and are skipped; a malformed or oversized line becomes an item with its diagnostics,
 * and reading goes on with the next line.
 *
 * `readJsonLineBatches` hands over each chunk of text as one batch (batch's fast path: one
 * asynchronous step per chunk rather than per line); the batch parses its lines only as it is
 * iterated, so a chunk's parsed cases are not all alive at once. `readJsonLines` yields the
 * items one by one.
 */
import { MAX_INPUT_BYTES } from '../io/read.js';
import { failedItem, jsonItem } from './items.js';
import type { CaseSource, InputItem, ItemBatch } from './types.js';

const isBlank = (s: string): boolean => s.length === 0 || (s.charCodeAt(0) <= 32 && s.trim() === '');

export interface LineOptions {
  /** Longest line accepted, in characters (default MAX_INPUT_BYTES). */
  readonly maxLine?: number;
}

/** A line not yet parsed: batch's worker threads parse it (evaluate-case.ts, `lineItem`). */
export interface LineText {
  readonly source: CaseSource;
  readonly line: string;
}

/** Splits text chunks into lines, carrying a line across chunks; one instance per input. */
class LineSplitter {
  private carry = '';
  private line = 0;
  /** The line being read is too long: its text is not kept. */
  private oversized = false;
  /** The last chunk ended in a CR (taken as a line end): an LF starting this one belongs to it. */
  private endedInCR = false;

  constructor(
    private readonly file: string,
    private readonly maxLine: number,
    private readonly parse = true,
  ) {}

  /**
   * The item of one line (without its newline), or null for a blank line. `replaced`: the
   * text may hold U+FFFD, the decoder's mark for bytes that are not UTF-8.
   */
  private item(text: string, oversized: boolean, replaced: boolean): InputItem | Promise<InputItem> | LineText | null {
    const source = { file: this.file, line: ++this.line };
    if (oversized) return failedItem(source, 'io/too-large', `line is longer than ${Math.round(this.maxLine / 1024)} KiB; refused`);
    const s = text.charCodeAt(text.length - 1) === 13 ? text.slice(0, -1) : text;
    if (isBlank(s)) return null;
    if (replaced && s.includes('\uFFFD')) return failedItem(source, 'io/encoding', 'the line is not valid UTF-8 text');
    return this.parse ? jsonItem(s, source) : { source, line: s };
  }

  /** The items of the lines that end in `chunk`, parsed as they are taken; the rest is carried. */
  *lines(chunk: string): Generator<InputItem | Promise<InputItem> | LineText> {
    if (this.endedInCR && chunk.charCodeAt(0) === 10) chunk = chunk.slice(1);
    this.endedInCR = false;
    if (chunk.includes('\r')) {
      // a CR alone ends a line too (old Mac exports); CRLF stays one line end
      this.endedInCR = chunk.charCodeAt(chunk.length - 1) === 13;
      chunk = chunk.replace(/\r(?!\n)/g, '\n');
    }
    const replaced = chunk.includes('\uFFFD');
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl !== -1; nl = chunk.indexOf('\n', start)) {
      const piece = chunk.slice(start, nl);
      const text = this.carry ? this.carry + piece : piece;
      this.carry = '';
      start = nl + 1;
      const item = this.item(text, this.oversized || text.length > this.maxLine, replaced || text !== piece);
      this.oversized = false;
      if (item !== null) yield item;
    }
    if (start < chunk.length && !this.oversized) {
      this.carry += chunk.slice(start);
      if (this.carry.length > this.maxLine) {
        this.oversized = true;
        this.carry = '';
      }
    }
  }

  /** The last line, when the text does not end with a line end. */
  *rest(): Generator<InputItem | Promise<InputItem> | LineText> {
    if (!this.carry && !this.oversized) return;
    const item = this.item(this.carry, this.oversized, true);
    if (item !== null) yield item;
  }
}

/**
 * The lines' items, one batch per chunk of text. Each batch must be iterated to its end before
 * the next one is asked for: the line carried from one chunk into the next is its business.
 */
export async function* readJsonLineBatches(chunks: AsyncIterable<string> | Iterable<string>, file: string, options: LineOptions = {}): AsyncGenerator<ItemBatch> {
  const splitter = new LineSplitter(file, options.maxLine ?? MAX_INPUT_BYTES);
  for await (const chunk of chunks) yield splitter.lines(chunk) as Generator<InputItem | Promise<InputItem>>;
  yield splitter.rest() as Generator<InputItem | Promise<InputItem>>;
}

/** As readJsonLineBatches, with each line's text left unparsed (lines that cannot be read at all are items). */
export async function* readJsonLineTexts(chunks: AsyncIterable<string> | Iterable<string>, file: string, options: LineOptions = {}): AsyncGenerator<Iterable<InputItem | LineText>> {
  const splitter = new LineSplitter(file, options.maxLine ?? MAX_INPUT_BYTES, false);
  for await (const chunk of chunks) yield splitter.lines(chunk) as Generator<InputItem | LineText>;
  yield splitter.rest() as Generator<InputItem | LineText>;
}

export async function* readJsonLines(chunks: AsyncIterable<string> | Iterable<string>, file: string, options: LineOptions = {}): AsyncGenerator<InputItem> {
  for await (const batch of readJsonLineBatches(chunks, file, options)) for (const item of batch) yield item;
}
