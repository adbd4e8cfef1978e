/** The representative values of a field: every class the conditions can tell apart, plus unknown. */
import { describe, expect, it } from 'vitest';
import { FIELD_BY_PATH } from '../../src/case/fields.js';
import { fieldDomain, type Leaf } from '../../src/analysis/space.js';

const spec = (path: string) => FIELD_BY_PATH.get(path)!;

describe('fieldDomain', () => {
  it('numbers: min, max, and just below / at / just above every threshold, unknown first', () => {
    const leaves: Leaf[] = [
      { fact: 'ivc.circumferencePercent', operator: 'lessThan', operand: 40 },
      { fact: 'ivc.circumferencePercent', operator: 'greaterThanInclusive', operand: 75 },
      { fact: 'ivc.circumferencePercent', operator: 'lessThanInclusive', operand: 0 },
    ];
    expect(fieldDomain(spec('ivc.circumferencePercent'), leaves)).toEqual([undefined, 0, 1, 39, 40, 41, 74, 75, 76, 100]);
  });

  it('numbers: thresholds closer than 2 apart get points between them', () => {
    const leaves: Leaf[] = [
      { fact: 'ivc.circumferencePercent', operator: 'lessThan', operand: 40 },
      { fact: 'ivc.circumferencePercent', operator: 'lessThan', operand: 41 },
    ];
    expect(fieldDomain(spec('ivc.circumferencePercent'), leaves)).toEqual([undefined, 0, 39, 40, 40.5, 41, 42, 100]);
  });

  it('integers stay integers: the nearest whole numbers around a fractional threshold', () => {
    const leaves: Leaf[] = [{ fact: 'patient.asa', operator: 'greaterThan', operand: 2.5 }];
    expect(fieldDomain(spec('patient.asa'), leaves)).toEqual([undefined, 1, 2, 3, 5]);
  });

  it('enums: every mentioned value and one value no condition mentions', () => {
    const leaves: Leaf[] = [{ fact: 'ivc.lumen', operator: 'equal', operand: 'occluded' }];
    expect(fieldDomain(spec('ivc.lumen'), leaves)).toEqual([undefined, 'patent', 'occluded']);
  });

  it('booleans: unknown, false, true', () => {
    expect(fieldDomain(spec('ivc.rightAtrialExtension'), [])).toEqual([undefined, false, true]);
  });

  it('sets: [], each atom, combinations up to the containsAtLeast count, an unmentioned value when emptiness matters', () => {
    const leaves: Leaf[] = [
      { fact: 'tumor.adjacentOrgans', operator: 'contains', operand: 'spine' },
      { fact: 'tumor.adjacentOrgans', operator: 'containsAtLeast', operand: ['liver', 'duodenum', 'pancreas'], count: 2 },
      { fact: 'tumor.adjacentOrgans', operator: 'isEmpty' },
    ];
    const d = fieldDomain(spec('tumor.adjacentOrgans'), leaves) as (string[] | undefined)[];
    expect(d[0]).toBeUndefined();
    expect(d).toContainEqual([]);
    expect(d).toContainEqual(['spine']);
    expect(d).toContainEqual(['liver']);
    expect(d).toContainEqual(['liver', 'duodenum']);
    expect(d).toContainEqual(['right_kidney']); // the unmentioned values, for isEmpty
    // 3 (visceral 0..2) × 2 (spine) × 2 (others) + unknown
    expect(d).toHaveLength(13);
  });
});

