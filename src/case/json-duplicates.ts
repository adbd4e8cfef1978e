/**
 * JSON.parse keeps the last of two equal keys without a word; a case file must not lose a
 * value that way. Both checks here read text that JSON.parse has already accepted:
 *
 * - `hasDuplicateKeys(text, parsed)`, batch's per-case test: a repeated key collapses into one
 *   property, so the text repeats a key exactly when it holds more object keys than the parsed
 *   value has properties. Counting is cheaper than a keyed scan, and usually it is enough to
 *   count colons: each key is followed by its own colon, so colons ≥ keys ≥ properties, and
 *   when the colons equal the properties there is no duplicate. Only a text with a colon inside
 *   a string (a URL, a note) is counted key by key.
 * - `findDuplicateKey(text)`, the keyed scan: which key, where, in which object. Run on every
 *   JSON case a command loads, and by batch only to name the duplicate it has found.
 *
 * A property test holds the two to the same answer.
 */
export interface DuplicateKey {
  readonly key: string;
  /** Offset of the second occurrence of the key. */
  readonly offset: number;
  /** Path of the object holding it. */
  readonly path: readonly (string | number)[];
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

const isWhitespace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Offset of the quote that closes the string opened at `open` (an even run of backslashes escapes only itself), or -1. */
function stringEnd(text: string, open: number): number {
  let close = text.indexOf('"', open + 1);
  for (;;) {
    if (close === -1) return -1;
    let slashes = 0;
    while (text.charCodeAt(close - 1 - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return close;
    close = text.indexOf('"', close + 1);
  }
}

/** Object keys written in JSON text (valid JSON: a string followed by ":" is a key). */
function keyTokens(text: string): number {
  let n = 0;
  for (let open = text.indexOf('"'); open !== -1; ) {
    const close = stringEnd(text, open);
    if (close === -1) return n; // unterminated: not JSON that JSON.parse accepted
    let after = close + 1;
    while (isWhitespace(text.charCodeAt(after))) after++;
    if (text.charCodeAt(after) === COLON) n++;
    open = text.charCodeAt(after) === QUOTE ? after : text.indexOf('"', after);
  }
  return n;
}

/** Colons anywhere in the text: at least one per key. */
function colons(text: string): number {
  let n = 0;
  for (let i = text.indexOf(':'); i !== -1; i = text.indexOf(':', i + 1)) n++;
  return n;
}

/** The walk's work list, reused: properties() runs once per batch case and is not reentrant. */
const pendingValues: unknown[] = [];

/** Properties of every object in a parsed JSON value (iterative: nesting depth is unbounded). */
function properties(value: unknown): number {
  let n = 0;
  const stack = pendingValues;
  stack.push(value);
  while (stack.length) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null) continue;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const x: unknown = v[i];
        if (typeof x === 'object' && x !== null) stack.push(x);
      }
      continue;
    }
    for (const k in v) {
      n++;
      const x = (v as Record<string, unknown>)[k];
      if (typeof x === 'object' && x !== null) stack.push(x);
    }
  }
  return n;
}

/** True when `text`, which JSON.parse turned into `parsed`, repeats a key within an object. */
export function hasDuplicateKeys(text: string, parsed: unknown): boolean {
  const n = properties(parsed);
  return colons(text) !== n && keyTokens(text) !== n;
}

type Frame = { obj: true; keys: Set<string>; expectKey: boolean; key: string } | { obj: false; index: number };

/** The first key repeated within an object of `text`, with its offset and the path of its object. */
export function findDuplicateKey(text: string): DuplicateKey | undefined {
  const stack: Frame[] = [];
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const ch = text.charCodeAt(i);
    if (ch === QUOTE) {
      const start = i;
      const end = stringEnd(text, start);
      i = end === -1 ? n : end;
      const top = stack[stack.length - 1];
      if (top?.obj && top.expectKey) {
        const raw = text.slice(start + 1, i);
        const key = raw.includes('\\') ? (JSON.parse(text.slice(start, i + 1)) as string) : raw;
        if (top.keys.has(key)) {
          const path = stack.slice(0, -1).map((f) => (f.obj ? f.key : f.index));
          return { key, offset: start, path };
        }
        top.keys.add(key);
        top.key = key;
        top.expectKey = false;
      }
    } else if (ch === 0x7b /* { */) stack.push({ obj: true, keys: new Set(), expectKey: true, key: '' });
    else if (ch === 0x5b /* [ */) stack.push({ obj: false, index: 0 });
    else if (ch === 0x7d || ch === 0x5d) stack.pop();
    else if (ch === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top?.obj) top.expectKey = true;
      else if (top) top.index++;
    }
  }
  return undefined;
}
