/** The fast duplicate-key test (counts) gives the same answer as the keyed scan, on any JSON text. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findDuplicateKey, hasDuplicateKeys } from '../../src/case/json-duplicates.js';

/** JSON values whose objects are lists of pairs, so that a key can repeat. */
type Value = null | boolean | number | string | Value[] | { readonly pairs: readonly (readonly [string, Value])[] };

const { value } = fc.letrec<{ value: Value; array: Value[]; object: { pairs: [string, Value][] } }>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.constantFrom(null, true, 0, -1.5e3, ':', 'http://x', '":'), fc.string({ unit: 'binary', maxLength: 6 }), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 3 }),
  object: fc
    .array(fc.tuple(fc.constantFrom('id', 'a', 'b', '"', '\\', 'x:y', ' ', 'é', '\\"'), tie('value')), { maxLength: 4 })
    .map((pairs) => ({ pairs })),
}));

/** Serialise with optional whitespace around every token. */
function text(v: Value, ws: string): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${ws}${v.map((x) => text(x, ws)).join(`${ws},${ws}`)}${ws}]`;
  const pairs = (v as { pairs: readonly (readonly [string, Value])[] }).pairs;
  return `{${ws}${pairs.map(([k, x]) => `${JSON.stringify(k)}${ws}:${ws}${text(x, ws)}`).join(`${ws},${ws}`)}${ws}}`;
}

describe('hasDuplicateKeys', () => {
  it('agrees with findDuplicateKey on any JSON text', () => {
    fc.assert(
      fc.property(value, fc.constantFrom('', ' ', '\n\t '), (v, ws) => {
        const t = text(v, ws);
        expect(hasDuplicateKeys(t, JSON.parse(t))).toBe(findDuplicateKey(t) !== undefined);
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ['{"a":1,"a":2}', true],
    ['{"a":{"b":1},"c":{"b":2}}', false],
    ['{"a":"x\\":","b":"\\\\","c":1}', false],
    ['[{"a":1},{"a":1}]', false],
    ['{"a" : 1 , "a" :2}', true],
    ['{"a":"x:y","a":1}', true],
    ['{"a":"x:y","b":1}', false],
  ])('%s → %s', (t, expected) => {
    expect(hasDuplicateKeys(t, JSON.parse(t))).toBe(expected);
  });
});
