/**
 * Has JSON text a key given twice? For text JSON.parse has accepted, a repeated key collapses
 * into one property, so the text has duplicates exactly when it holds more object keys (strings
 * followed by ":") than the parsed value has properties. Counting both is about five times
 * cheaper per case than a keyed scan, which batch then runs only to name the duplicate
 * (`findDuplicateKey`, in case/json-duplicates.ts). A property test holds the two to the same
 * answer.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

const isWhitespace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Object keys written in JSON text (valid JSON: a string followed by ":" is a key). */
function keyTokens(text: string): number {
  let n = 0;
  for (let open = text.indexOf('"'); open !== -1; ) {
    let close = text.indexOf('"', open + 1);
    for (;;) {
      if (close === -1) return n; // unterminated: not JSON that JSON.parse accepted
      let slashes = 0;
      while (text.charCodeAt(close - 1 - slashes) === BACKSLASH) slashes++;
      if (slashes % 2 === 0) break; // an even run of backslashes escapes only itself
      close = text.indexOf('"', close + 1);
    }
    let after = close + 1;
    while (isWhitespace(text.charCodeAt(after))) after++;
    if (text.charCodeAt(after) === COLON) n++;
    open = text.charCodeAt(after) === QUOTE ? after : text.indexOf('"', after);
  }
  return n;
}

/** Properties of every object in a parsed JSON value (iterative: nesting depth is unbounded). */
function properties(value: unknown): number {
  let n = 0;
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null) continue;
    if (Array.isArray(v)) {
      for (const x of v) if (typeof x === 'object' && x !== null) stack.push(x);
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
  return keyTokens(text) !== properties(parsed);
}
