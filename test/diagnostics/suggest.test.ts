import { describe, expect, it } from 'vitest';
import { closest, editDistance, suggest } from '../../src/diagnostics/suggest.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['tumour', 'tumor', 1],
    ['colaterals', 'collaterals', 1],
    ['lumne', 'lumen', 1], // a swap of neighbours is one edit
    ['kitten', 'sitting', 3],
  ])('%s → %s = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('closest and suggest', () => {
  const fields = ['segments', 'lumen', 'collaterals', 'circumferencePercent'];
  it('finds a close misspelling, ignoring case', () => {
    expect(closest('colaterals', fields)).toBe('collaterals');
    expect(closest('Lumen', fields)).toBe('lumen');
    expect(suggest('segmnts', fields)).toBe('did you mean "segments"?');
  });
  it('offers nothing far away, nothing for an exact name', () => {
    expect(closest('age', fields)).toBeUndefined();
    expect(suggest('lumen', fields)).toBeUndefined();
    expect(suggest('x'.repeat(500), fields)).toBeUndefined();
  });
  it('takes the first of equally close names', () => {
    expect(closest('ab', ['ac', 'ad'])).toBe('ac');
  });
});
