/** Borderline values around parameter thresholds, and graft sizing. */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine/evaluate.js';
import { miniRuleset, rule } from '../support/rules.js';
import { sparseCase } from '../support/case-factory.js';

const CIRC = 'ivc.circumferencePercent';
const param = (p: string) => ({ param: p });
const param100 = (def: number, extra: Record<string, unknown> = {}) => ({ default: def, min: 0, max: 100, description: 'test parameter', ...extra });

const parts = (withBand = true) => ({
  parameters: {
    graftThr: param100(75, withBand ? { borderlineBand: 'band' } : {}),
    repairThr: param100(40, withBand ? { borderlineBand: 'band' } : {}),
    band: param100(10),
  },
  decisions: { m: { title: 'M', hitPolicy: 'priority', values: { graft: 'G', patch: 'P', repair: 'R' } } },
  rules: [
    rule('m.graft', 'm', { fact: CIRC, operator: 'greaterThanInclusive', value: param('graftThr') }, { value: 'graft' }, 30),
    rule('m.patch', 'm', { all: [{ fact: CIRC, operator: 'greaterThanInclusive', value: param('repairThr') }, { fact: CIRC, operator: 'lessThan', value: param('graftThr') }] }, { value: 'patch' }, 20),
    rule('m.repair', 'm', { fact: CIRC, operator: 'lessThan', value: param('repairThr') }, { value: 'repair' }, 10),
  ],
});

describe('borderline detection', () => {
  const rs = miniRuleset(parts());
  const plan = (x: number | null) => evaluate(sparseCase('b', { [CIRC]: x }), rs);

  it.each([
    { x: 70, value: 'patch', threshold: 75, otherSide: '75 or above', to: 'graft' },
    { x: 65, value: 'patch', threshold: 75, otherSide: '75 or above', to: 'graft' },
    { x: 74.9, value: 'patch', threshold: 75, otherSide: '75 or above', to: 'graft' },
    { x: 75, value: 'graft', threshold: 75, otherSide: 'below 75', to: 'patch' },
    { x: 85, value: 'graft', threshold: 75, otherSide: 'below 75', to: 'patch' },
    { x: 30, value: 'repair', threshold: 40, otherSide: '40 or above', to: 'patch' },
    { x: 40, value: 'patch', threshold: 40, otherSide: 'below 40', to: 'repair' },
    { x: 50, value: 'patch', threshold: 40, otherSide: 'below 40', to: 'repair' },
  ])('$x % ($value) is within the band of $threshold: shows $to on the other side', ({ x, value, threshold, otherSide, to }) => {
    const p = plan(x);
    expect(p.decisions['m']!.value).toBe(value);
    expect(p.borderline).toEqual([
      { field: CIRC, value: x, parameter: threshold === 75 ? 'graftThr' : 'repairThr', threshold, band: 10, otherSide, changes: [{ decision: 'm', from: value, to }] },
    ]);
  });

  it.each([64, 64.9, 55, 86, 100, 0, 29])('%s % is outside every band: no borderline note', (x) => {
    expect(plan(x).borderline).toEqual([]);
  });

  it('an unknown value is never borderline', () => {
    expect(plan(null).borderline).toEqual([]);
  });

  it('can be switched off', () => {
    expect(evaluate(sparseCase('b', { [CIRC]: 70 }), rs, { borderline: false }).borderline).toEqual([]);
  });

  it('a threshold without a band has no borderline', () => {
    const noBand = miniRuleset(parts(false));
    expect(evaluate(sparseCase('b', { [CIRC]: 74 }), noBand).borderline).toEqual([]);
  });

  it('the band width is the band parameter (overridable at compile time)', () => {
    const narrow = miniRuleset(parts(), { params: { band: 5 } });
    expect(evaluate(sparseCase('b', { [CIRC]: 70 }), narrow).borderline.map((b) => b.band)).toEqual([5]);
    expect(evaluate(sparseCase('b', { [CIRC]: 69 }), narrow).borderline).toEqual([]);
  });

  it('follows an overridden threshold (an institution using 50 %)', () => {
    const fifty = miniRuleset(parts(), { params: { graftThr: 50 } });
    const p = evaluate(sparseCase('b', { [CIRC]: 55 }), fifty);
    expect(p.decisions['m']!.value).toBe('graft');
    expect(p.borderline.map((b) => [b.threshold, b.otherSide, b.changes])).toContainEqual([50, 'below 50', [{ decision: 'm', from: 'graft', to: 'patch' }]]);
  });
});

describe('graft sizing', () => {
  const graftParts = (extra: Record<string, unknown> = {}) => ({
    parameters: {
      graftDiameterRatio: { default: 0.6, description: 'ratio' },
      graftMinMm: { default: 12, description: 'min' },
      graftMaxMm: { default: 16, description: 'max' },
      graftStepMm: { default: 2, description: 'step' },
      ...extra,
    },
    decisions: { ivcManagement: { title: 'IVC', hitPolicy: 'priority', values: { interposition_graft: 'Graft', primary_repair: 'Repair' } } },
    rules: [
      rule('g', 'ivcManagement', { fact: 'ivc.lumen', operator: 'equal', value: 'occluded' }, { value: 'interposition_graft', material: 'ringed PTFE', graftSizing: true }, 10),
      rule('r', 'ivcManagement', { all: [] }, { value: 'primary_repair' }, 0),
    ],
  });
  const rs = miniRuleset(graftParts());
  const size = (d: number | null) => evaluate(sparseCase('g', { 'ivc.lumen': 'occluded', 'ivc.diameterMm': d }), rs).decisions['ivcManagement']!;

  it.each([
    { d: 20, mm: 12, choice: 'exact', why: '0.6 × 20 = 12' },
    { d: 22, mm: 14, choice: 'nearest', why: '13.2 is nearer 14' },
    { d: 23, mm: 14, choice: 'nearest', why: '13.8' },
    { d: 25, mm: 14, choice: 'tie', why: '15 is a tie: the smaller' },
    { d: 65 / 3, mm: 12, choice: 'tie', why: '13 is a tie: the smaller' },
    { d: 26.7, mm: 16, choice: 'exact', why: '16.02, shown as 16' },
    { d: 28, mm: 16, choice: 'nearest', why: '16.8 is nearest the largest' },
    { d: 30, mm: 16, choice: 'above', why: '18 is clamped to the largest' },
    { d: 60, mm: 16, choice: 'above', why: '36 is clamped to the largest' },
    { d: 10, mm: 12, choice: 'below', why: '6 is below the smallest' },
    { d: 18.5, mm: 12, choice: 'nearest', why: '11.1 is nearest the smallest' },
    { d: 1, mm: 12, choice: 'below', why: '0.6 is clamped to the smallest' },
  ])('native $d mm → $mm mm ($why)', ({ d, mm, choice }) => {
    const r = size(d);
    expect(r).toMatchObject({ value: 'interposition_graft', material: 'ringed PTFE' });
    expect(r.graftSize).toMatchObject({ status: 'determined', sizeMm: mm, nativeDiameterMm: d, ratio: 0.6, choice });
    // the note never shows a product that is the size chosen unless it is (the size is named when it differs)
    if (choice !== 'exact') expect(r.graftSize!.note).toContain(`${mm} mm`);
  });

  it('unknown diameter: graft size undetermined, ivc.diameterMm missing', () => {
    const p = evaluate(sparseCase('g', { 'ivc.lumen': 'occluded' }), rs);
    const r = p.decisions['ivcManagement']!;
    expect(r.status).toBe('determined');
    expect(r.value).toBe('interposition_graft');
    expect(r.graftSize).toEqual({ status: 'undetermined', ratio: 0.6, missing: ['ivc.diameterMm'] });
    expect(p.missing.map((m) => [m.field, m.decisions])).toEqual([['ivc.diameterMm', ['ivcManagement']]]);
  });

  it('no graft size for a rule without graft sizing', () => {
    const r = evaluate(sparseCase('g', { 'ivc.lumen': 'patent', 'ivc.diameterMm': 22 }), rs).decisions['ivcManagement']!;
    expect(r.value).toBe('primary_repair');
    expect(r.graftSize).toBeUndefined();
  });

  it('uses the rule set parameters (ratio 0.5, 10–20 mm)', () => {
    const other = miniRuleset(
      graftParts({ graftDiameterRatio: { default: 0.5, description: 'ratio' }, graftMinMm: { default: 10, description: 'min' }, graftMaxMm: { default: 20, description: 'max' } }),
    );
    const r = evaluate(sparseCase('g', { 'ivc.lumen': 'occluded', 'ivc.diameterMm': 36 }), other).decisions['ivcManagement']!;
    expect(r.graftSize).toMatchObject({ status: 'determined', sizeMm: 18, ratio: 0.5 });
  });
});
