/** Hit policies: priority (with undetermined candidates and missing inputs), collect, score. */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine/evaluate.js';
import { miniModel, miniRuleset, rule } from '../support/rules.js';
import { sparseCase } from '../support/case-factory.js';
import { compileRuleset } from '../../src/engine/compile.js';

const LUMEN_OCCLUDED = { fact: 'ivc.lumen', operator: 'equal', value: 'occluded' };
const COLL_GOOD = { fact: 'ivc.collaterals', operator: 'equal', value: 'well_developed' };
const ATRIAL = { fact: 'ivc.rightAtrialExtension', operator: 'equal', value: true };

const priorityDecision = { title: 'M', hitPolicy: 'priority', values: { high: 'H', mid: 'M', low: 'L' } };

describe('priority hit policy', () => {
  // written in the file out of priority order on purpose
  const rs = miniRuleset({
    decisions: { m: priorityDecision },
    rules: [
      rule('r.low', 'm', { all: [] }, { value: 'low' }, 1),
      rule('r.high', 'm', ATRIAL, { value: 'high' }, 30),
      rule('r.mid', 'm', LUMEN_OCCLUDED, { value: 'mid' }, 20),
    ],
  });
  const m = (fields: Record<string, string | boolean | null>) => evaluate(sparseCase('p', fields), rs).decisions['m']!;

  it('orders rules by priority, not by file order', () => {
    expect(rs.decisions[0]!.rules.map((r) => r.model.id)).toEqual(['r.high', 'r.mid', 'r.low']);
  });

  it('the highest-priority rule that holds decides', () => {
    expect(m({ 'ivc.rightAtrialExtension': true, 'ivc.lumen': 'occluded' })).toMatchObject({ status: 'determined', value: 'high', rule: 'r.high' });
    expect(m({ 'ivc.rightAtrialExtension': false, 'ivc.lumen': 'occluded' })).toMatchObject({ status: 'determined', value: 'mid', rule: 'r.mid' });
    expect(m({ 'ivc.rightAtrialExtension': false, 'ivc.lumen': 'patent' })).toMatchObject({ status: 'determined', value: 'low', rule: 'r.low' });
  });

  it('a true rule decides even when lower rules are unknown', () => {
    expect(m({ 'ivc.rightAtrialExtension': true, 'ivc.lumen': null })).toMatchObject({ status: 'determined', value: 'high' });
  });

  it('is determined only when every higher-priority rule is definitely false', () => {
    const d = m({ 'ivc.rightAtrialExtension': null, 'ivc.lumen': 'occluded' });
    expect(d.status).toBe('undetermined');
    expect(d.value).toBe('undetermined');
    expect(d.candidates).toEqual([
      { value: 'high', rules: ['r.high'] },
      { value: 'mid', rules: ['r.mid'] },
    ]);
    expect(d.missing).toEqual(['ivc.rightAtrialExtension']);
    expect(d.rule).toBeUndefined();
  });

  it('lists every candidate down to the first true rule, and every missing input', () => {
    const d = m({ 'ivc.rightAtrialExtension': null, 'ivc.lumen': null });
    expect(d.candidates!.map((c) => c.value)).toEqual(['high', 'mid', 'low']);
    expect(d.missing).toEqual(['ivc.lumen', 'ivc.rightAtrialExtension']);
  });

  it('groups candidate rules by value', () => {
    const rs2 = miniRuleset({
      decisions: { m: priorityDecision },
      rules: [
        rule('r.a', 'm', ATRIAL, { value: 'high' }, 30),
        rule('r.b', 'm', LUMEN_OCCLUDED, { value: 'high' }, 20),
        rule('r.c', 'm', { all: [] }, { value: 'low' }, 0),
      ],
    });
    const d = evaluate(sparseCase('g', {}), rs2).decisions['m']!;
    expect(d.candidates).toEqual([
      { value: 'high', rules: ['r.a', 'r.b'] },
      { value: 'low', rules: ['r.c'] },
    ]);
  });

  it('equal priorities keep file order', () => {
    const rs2 = miniRuleset({
      decisions: { m: priorityDecision },
      rules: [rule('r.first', 'm', { all: [] }, { value: 'mid' }, 5), rule('r.second', 'm', { all: [] }, { value: 'high' }, 5)],
    });
    expect(evaluate(sparseCase('e', {}), rs2).decisions['m']).toMatchObject({ value: 'mid', rule: 'r.first' });
  });

  it('records rules below the deciding one as not reached', () => {
    const plan = evaluate(sparseCase('p', { 'ivc.rightAtrialExtension': true, 'ivc.lumen': 'occluded' }), rs);
    expect(plan.trace!.map((t) => [t.rule, t.result, t.reached])).toEqual([
      ['r.high', 'true', true],
      ['r.mid', 'true', false],
      ['r.low', 'true', false],
    ]);
  });
});

describe('decision references', () => {
  const rs = miniRuleset({
    decisions: {
      m: priorityDecision,
      follow: { title: 'F', hitPolicy: 'priority', values: { yes: 'Y', no: 'N' } },
    },
    rules: [
      rule('r.high', 'm', ATRIAL, { value: 'high' }, 30),
      rule('r.mid', 'm', LUMEN_OCCLUDED, { value: 'mid' }, 20),
      rule('r.low', 'm', { all: [] }, { value: 'low' }, 1),
      rule('f.yes', 'follow', { all: [{ decision: 'm', operator: 'in', value: ['high', 'mid'] }, COLL_GOOD] }, { value: 'yes' }, 10),
      rule('f.no', 'follow', { all: [] }, { value: 'no' }, 0),
    ],
  });
  const follow = (fields: Record<string, string | boolean | null>) => evaluate(sparseCase('r', fields), rs).decisions['follow']!;

  it('orders decisions so that a referenced decision comes first', () => {
    expect(rs.decisions.map((d) => d.model.id)).toEqual(['m', 'follow']);
  });

  it('is true when every candidate of the referenced decision matches', () => {
    expect(follow({ 'ivc.rightAtrialExtension': null, 'ivc.lumen': 'occluded', 'ivc.collaterals': 'well_developed' })).toMatchObject({
      status: 'determined',
      value: 'yes',
    });
  });

  it('is unknown when only some candidates match, and propagates their missing inputs', () => {
    const d = follow({ 'ivc.rightAtrialExtension': null, 'ivc.lumen': null, 'ivc.collaterals': 'well_developed' });
    expect(d.status).toBe('undetermined');
    expect(d.candidates!.map((c) => c.value)).toEqual(['yes', 'no']);
    expect(d.missing).toEqual(['ivc.lumen', 'ivc.rightAtrialExtension']);
  });

  it('combines propagated and own missing inputs', () => {
    const d = follow({ 'ivc.rightAtrialExtension': null, 'ivc.lumen': null, 'ivc.collaterals': null });
    expect(d.missing).toEqual(['ivc.collaterals', 'ivc.lumen', 'ivc.rightAtrialExtension']);
  });

  it('is false when no candidate matches, whatever else is unknown', () => {
    expect(follow({ 'ivc.rightAtrialExtension': false, 'ivc.lumen': 'patent', 'ivc.collaterals': null })).toMatchObject({ status: 'determined', value: 'no' });
  });

  it('lists the missing inputs once in the plan, with every decision they affect', () => {
    const plan = evaluate(sparseCase('r', { 'ivc.rightAtrialExtension': null, 'ivc.lumen': null, 'ivc.collaterals': 'well_developed' }), rs);
    expect(plan.missing.map((x) => [x.field, x.decisions])).toEqual([
      ['ivc.lumen', ['m', 'follow']],
      ['ivc.rightAtrialExtension', ['m', 'follow']],
    ]);
    expect(plan.missing[0]!.workup).not.toBe('');
  });
});

describe('collect hit policy', () => {
  const rs = miniRuleset({
    decisions: { items: { title: 'I', hitPolicy: 'collect', values: { a: 'A', b: 'B', c: 'C' } } },
    rules: [
      rule('c.a', 'items', ATRIAL, { value: 'a' }, 3),
      rule('c.b', 'items', LUMEN_OCCLUDED, { value: 'b' }, 2),
      rule('c.b2', 'items', COLL_GOOD, { value: 'b' }, 1),
      rule('c.c', 'items', { all: [] }, { value: 'c' }, 0),
    ],
  });
  const items = (fields: Record<string, string | boolean | null>) => evaluate(sparseCase('c', fields), rs).decisions['items']!;

  it('includes every item whose rule holds, once', () => {
    const d = items({ 'ivc.rightAtrialExtension': true, 'ivc.lumen': 'occluded', 'ivc.collaterals': 'well_developed' });
    expect(d).toMatchObject({ status: 'determined', value: ['a', 'b', 'c'], rules: ['c.a', 'c.b', 'c.b2', 'c.c'] });
    expect(d.candidates).toBeUndefined();
    expect(d.missing).toBeUndefined();
  });

  it('is undetermined with the possible items and the inputs that settle them', () => {
    const d = items({ 'ivc.rightAtrialExtension': null, 'ivc.lumen': 'patent', 'ivc.collaterals': null });
    expect(d.status).toBe('undetermined');
    expect(d.value).toEqual(['c']);
    expect(d.candidates).toEqual([
      { value: 'a', rules: ['c.a'] },
      { value: 'b', rules: ['c.b2'] },
    ]);
    expect(d.missing).toEqual(['ivc.collaterals', 'ivc.rightAtrialExtension']);
  });

  it('an item already included is not a candidate, and its unknown rules are not missing', () => {
    const d = items({ 'ivc.rightAtrialExtension': false, 'ivc.lumen': 'occluded', 'ivc.collaterals': null });
    expect(d).toMatchObject({ status: 'determined', value: ['b', 'c'] });
  });

  it('contains on a collect decision: true if included, unknown if possible, false otherwise', () => {
    const rs2 = miniRuleset({
      decisions: {
        items: { title: 'I', hitPolicy: 'collect', values: { a: 'A', c: 'C' } },
        f: { title: 'F', hitPolicy: 'priority', values: { yes: 'Y', no: 'N' } },
      },
      rules: [
        rule('c.a', 'items', ATRIAL, { value: 'a' }, 1),
        rule('c.c', 'items', { all: [] }, { value: 'c' }, 0),
        rule('f.yes', 'f', { decision: 'items', operator: 'contains', value: 'a' }, { value: 'yes' }, 1),
        rule('f.no', 'f', { all: [] }, { value: 'no' }, 0),
      ],
    });
    const f = (v: boolean | null) => evaluate(sparseCase('x', { 'ivc.rightAtrialExtension': v }), rs2).decisions['f']!;
    expect(f(true).value).toBe('yes');
    expect(f(false).value).toBe('no');
    expect(f(null)).toMatchObject({ status: 'undetermined', missing: ['ivc.rightAtrialExtension'] });
  });
});

describe('score hit policy', () => {
  const parts = {
    decisions: {
      cx: {
        title: 'Complexity',
        hitPolicy: 'score',
        values: { low: 'Low', mid: 'Mid', top: 'Top' },
        levels: [
          { value: 'low', minScore: -100 },
          { value: 'mid', minScore: 3 },
          { value: 'top', minScore: 6 },
        ],
      },
    },
    rules: [
      rule('s.atrial', 'cx', ATRIAL, { points: 4 }),
      rule('s.occluded', 'cx', LUMEN_OCCLUDED, { points: 2 }),
      rule('s.collaterals', 'cx', COLL_GOOD, { points: -1 }),
    ],
  };
  const rs = miniRuleset(parts);
  const cx = (fields: Record<string, string | boolean | null>) => evaluate(sparseCase('s', fields), rs);

  it.each([
    { fields: { 'ivc.rightAtrialExtension': false, 'ivc.lumen': 'patent', 'ivc.collaterals': 'limited' }, score: 0, level: 'low' },
    { fields: { 'ivc.rightAtrialExtension': false, 'ivc.lumen': 'occluded', 'ivc.collaterals': 'well_developed' }, score: 1, level: 'low' },
    { fields: { 'ivc.rightAtrialExtension': true, 'ivc.lumen': 'patent', 'ivc.collaterals': 'limited' }, score: 4, level: 'mid' },
    { fields: { 'ivc.rightAtrialExtension': true, 'ivc.lumen': 'occluded', 'ivc.collaterals': 'limited' }, score: 6, level: 'top' },
    { fields: { 'ivc.rightAtrialExtension': true, 'ivc.lumen': 'occluded', 'ivc.collaterals': 'well_developed' }, score: 5, level: 'mid' },
  ])('known inputs: score $score → $level', ({ fields, score, level }) => {
    const plan = cx(fields);
    expect(plan.decisions['cx']).toMatchObject({ status: 'determined', value: level, score, scoreMax: score });
    expect(plan.complexity).toMatchObject({ level, score, scoreMax: score, status: 'determined' });
    expect(plan.complexity!.factors.every((f) => f.status === 'present')).toBe(true);
  });

  it('unknown factors widen the score range; the level range gives the candidates', () => {
    const plan = cx({ 'ivc.rightAtrialExtension': null, 'ivc.lumen': 'occluded', 'ivc.collaterals': null });
    // known: +2; possible: +4 (atrial), -1 (collaterals) → 1 … 6
    expect(plan.decisions['cx']).toMatchObject({ status: 'undetermined', value: 'undetermined', score: 1, scoreMax: 6 });
    expect(plan.decisions['cx']!.candidates!.map((c) => c.value)).toEqual(['low', 'mid', 'top']);
    expect(plan.decisions['cx']!.missing).toEqual(['ivc.collaterals', 'ivc.rightAtrialExtension']);
    expect(plan.complexity!.factors.map((f) => [f.rule, f.status])).toEqual([
      ['s.atrial', 'possible'],
      ['s.occluded', 'present'],
      ['s.collaterals', 'possible'],
    ]);
  });

  it('stays determined when the unknown factors cannot change the level', () => {
    const plan = cx({ 'ivc.rightAtrialExtension': false, 'ivc.lumen': 'patent', 'ivc.collaterals': null });
    expect(plan.decisions['cx']).toMatchObject({ status: 'determined', value: 'low', score: -1, scoreMax: 0 });
    expect(plan.decisions['cx']!.missing).toBeUndefined();
  });

  it('a level range that spans two levels lists exactly those two', () => {
    const plan = cx({ 'ivc.rightAtrialExtension': null, 'ivc.lumen': 'patent', 'ivc.collaterals': 'limited' });
    expect(plan.decisions['cx']).toMatchObject({ score: 0, scoreMax: 4 });
    expect(plan.decisions['cx']!.candidates!.map((c) => c.value)).toEqual(['low', 'mid']);
  });

  it('a decision reading a score decision sees its candidates', () => {
    const model = miniModel({
      ...parts,
      decisions: { ...parts.decisions, f: { title: 'F', hitPolicy: 'priority', values: { yes: 'Y', no: 'N' } } },
      rules: [...parts.rules, rule('f.yes', 'f', { decision: 'cx', operator: 'equal', value: 'top' }, { value: 'yes' }, 1), rule('f.no', 'f', { all: [] }, { value: 'no' }, 0)],
    });
    const plan = evaluate(sparseCase('x', { 'ivc.rightAtrialExtension': null, 'ivc.lumen': 'occluded', 'ivc.collaterals': 'limited' }), compileRuleset(model));
    expect(plan.decisions['f']).toMatchObject({ status: 'undetermined', missing: ['ivc.rightAtrialExtension'] });
  });
});
