/**
 * JSON document reader: a file holding one case (an object) or an array of cases. An array is
 * split into its elements by a small streaming scanner (strings, escapes and nesting tracked),
 * so a large array runs in bounded memory, every element keeps its line, and one malformed
 * element is reported alone while the others are read.
 */
import { MAX_INPUT_BYTES } from '../io/read.js';
import { failedItem, jsonItem } from './items.js';
import type { InputItem } from './types.js';

// character codes
const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const QUOTE = 34;
const COMMA = 44;
const OPEN_SQ = 91;
const BACKSLASH = 92;
const CLOSE_SQ = 93;
const OPEN_CURLY = 123;
const CLOSE_CURLY = 125;

const isWs = (c: number): boolean => c === SPACE || c === LF || c === CR || c === TAB;

type Mode = 'start' | 'single' | 'between' | 'element' | 'after' | 'done';

export interface DocumentOptions {
  /** Largest single case or array element, in characters (default MAX_INPUT_BYTES). */
  readonly maxItem?: number;
}

export async function* readJsonDocument(chunks: AsyncIterable<string> | Iterable<string>, file: string, options: DocumentOptions = {}): AsyncGenerator<InputItem> {
  const maxItem = options.maxItem ?? MAX_INPUT_BYTES;
  let mode: Mode = 'start';
  let line = 1;
  let col = 1;
  // the element (or single document) being collected
  let pieces: string[] = [];
  let size = 0;
  let tooLarge = false;
  let startLine = 1;
  let startCol = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;

  const finishElement = (last: string): InputItem | Promise<InputItem> => {
    const source = { file, line: startLine };
    const text = pieces.join('') + last;
    const large = tooLarge || size + last.length > maxItem;
    pieces = [];
    size = 0;
    tooLarge = false;
    if (large) return failedItem(source, 'io/too-large', `array element is larger than ${Math.round(maxItem / 1024)} KiB; refused`);
    return jsonItem(text, source, startCol);
  };
  const keep = (piece: string): void => {
    size += piece.length;
    if (size > maxItem) tooLarge = true;
    if (!tooLarge) pieces.push(piece);
    else pieces = [];
  };

  for await (const chunk of chunks) {
    let segment = 0;
    for (let i = 0; i < chunk.length && mode !== 'done' && mode !== 'single'; i++) {
      const c = chunk.charCodeAt(i);
      switch (mode) {
        case 'start':
          if (isWs(c)) break;
          if (c === OPEN_SQ) mode = 'between';
          else {
            mode = 'single';
            segment = i;
          }
          break;
        case 'between':
          if (isWs(c)) break;
          if (c === CLOSE_SQ) {
            mode = 'after';
            break;
          }
          mode = 'element';
          startLine = line;
          startCol = col;
          depth = 0;
          inString = false;
          escaped = false;
          segment = i;
          i--; // read this character again as part of the element
          continue;
        case 'element':
          if (inString) {
            if (escaped) escaped = false;
            else if (c === BACKSLASH) escaped = true;
            else if (c === QUOTE) inString = false;
          } else if (c === QUOTE) inString = true;
          else if (c === OPEN_SQ || c === OPEN_CURLY) depth++;
          else if (depth > 0 && (c === CLOSE_SQ || c === CLOSE_CURLY)) depth--;
          else if (depth === 0 && (c === COMMA || c === CLOSE_SQ)) {
            yield finishElement(chunk.slice(segment, i));
            mode = c === COMMA ? 'between' : 'after';
          }
          break;
        case 'after':
          if (isWs(c)) break;
          yield failedItem({ file, line }, 'case/json', 'unexpected text after the closing "]" of the array');
          mode = 'done';
          break;
      }
      if (c === LF) {
        line++;
        col = 1;
      } else col++;
    }
    if (mode === 'element' || mode === 'single') keep(chunk.slice(segment));
  }

  if (mode === 'single') {
    if (tooLarge) yield failedItem({ file }, 'io/too-large', `file is larger than ${Math.round(maxItem / 1024)} KiB; refused`);
    else yield jsonItem(pieces.join(''), { file });
  } else if (mode === 'element') yield finishElement('');
  else if (mode === 'between') yield failedItem({ file, line }, 'case/json', 'the array is not closed with "]" (truncated file?)');
  else if (mode === 'start') yield failedItem({ file, line: 1 }, 'case/empty', 'the input is empty');
}
