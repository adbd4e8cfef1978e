import { describe, expect, it } from 'vitest';
import { findDuplicateKey } from '../../src/case/json-duplicates.js';
import { parseCaseText } from '../../src/case/load.js';

describe('duplicate keys in JSON cases', () => {
  it.each([
    ['{"a":1,"b":2}', undefined],
    ['{"a":{"x":1},"b":{"x":2}}', undefined],
    ['[{"a":1},{"a":2}]', undefined],
    ['{"s":"a\\"b","t":"{\\"a\\":1,\\"a\\":2}"}', undefined],
  ])('accepts %s', (text, expected) => {
    expect(findDuplicateKey(text)).toEqual(expected);
  });

  it('finds a duplicate at the top level and inside nested objects and arrays', () => {
    expect(findDuplicateKey('{"a":1,"a":2}')).toEqual({ key: 'a', offset: 7, path: [] });
    expect(findDuplicateKey('{"ivc":{"lumen":"patent","lumen":"occluded"}}')?.path).toEqual(['ivc']);
    expect(findDuplicateKey('{"l":[{"k":1},{"k":1,"k":2}]}')?.path).toEqual(['l', 1]);
    expect(findDuplicateKey('{"\\u0061":1,"a":2}')?.key).toBe('a');
  });

  it('rejects a case whose JSON repeats a key, naming the field and position', async () => {
    const text = '{\n  "id": "dup",\n  "ivc": { "lumen": "patent",\n    "lumen": "occluded" }\n}\n';
    const r = await parseCaseText(text, 'dup.json');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'case/duplicate-key', path: 'ivc.lumen', line: 4, col: 5, file: 'dup.json' })]);
  });
});
