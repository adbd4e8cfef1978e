/**
 * JSON.parse keeps the last of two equal keys without a word; a case file must not lose a
 * value that way. One linear pass over text that JSON.parse has already accepted.
 */
export interface DuplicateKey {
  readonly key: string;
  /** Offset of the second occurrence of the key. */
  readonly offset: number;
  /** Path of the object holding it. */
  readonly path: readonly (string | number)[];
}

type Frame = { obj: true; keys: Set<string>; expectKey: boolean; key: string } | { obj: false; index: number };

export function findDuplicateKey(text: string): DuplicateKey | undefined {
  const stack: Frame[] = [];
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22 /* " */) {
      const start = i;
      let escaped = false;
      for (i++; i < n; i++) {
        const c = text.charCodeAt(i);
        if (c === 0x5c /* \ */) {
          i++;
          escaped = true;
        } else if (c === 0x22) break;
      }
      const top = stack[stack.length - 1];
      if (top?.obj && top.expectKey) {
        const raw = text.slice(start + 1, i);
        const key = escaped ? (JSON.parse(text.slice(start, i + 1)) as string) : raw;
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
