/**
 * JSON Lines reader: one case per line, streamed, in bounded memory. Blank lines are not
 * cases and are skipped; a malformed or oversized line becomes an item with its diagnostics,
 * and reading goes on with the next line.
 */
import { MAX_INPUT_BYTES } from '../io/read.js';
import { failedItem, jsonItem } from './items.js';
import type { InputItem } from './types.js';

const isBlank = (s: string): boolean => s.length === 0 || (s.charCodeAt(0) <= 32 && s.trim() === '');

export interface LineOptions {
  /** Longest line accepted, in characters (default MAX_INPUT_BYTES). */
  readonly maxLine?: number;
}

/** The item of one line (without its newline), or null for a blank line. */
function lineItem(text: string, file: string, line: number, oversized: boolean, maxLine: number): InputItem | Promise<InputItem> | null {
  if (oversized) return failedItem({ file, line }, 'io/too-large', `line is longer than ${Math.round(maxLine / 1024)} KiB; refused`);
  const s = text.charCodeAt(text.length - 1) === 13 ? text.slice(0, -1) : text;
  if (isBlank(s)) return null;
  if (s.includes('\uFFFD')) return failedItem({ file, line }, 'io/encoding', 'the line is not valid UTF-8 text');
  return jsonItem(s, { file, line });
}

export async function* readJsonLines(chunks: AsyncIterable<string> | Iterable<string>, file: string, options: LineOptions = {}): AsyncGenerator<InputItem> {
  const maxLine = options.maxLine ?? MAX_INPUT_BYTES;
  let carry = '';
  let line = 0;
  let oversized = false; // the line being read is too long: its text is not kept
  for await (const chunk of chunks) {
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl !== -1; nl = chunk.indexOf('\n', start)) {
      const piece = chunk.slice(start, nl);
      const text = carry ? carry + piece : piece;
      carry = '';
      start = nl + 1;
      const item = lineItem(text, file, ++line, oversized || text.length > maxLine, maxLine);
      oversized = false;
      if (item !== null) yield item;
    }
    if (start < chunk.length && !oversized) {
      carry += chunk.slice(start);
      if (carry.length > maxLine) {
        oversized = true;
        carry = '';
      }
    }
  }
  if (carry || oversized) {
    const item = lineItem(carry, file, ++line, oversized, maxLine);
    if (item !== null) yield item;
  }
}
