/** Three-valued (Kleene) logic of all / any / not, including unknown, traced and untraced. */
import { describe, expect, it } from 'vitest';
import { evaluate, type Plan } from '../../src/engine/evaluate.js';
import type { CompiledRuleset } from '../../src/engine/compile.js';
import { miniRuleset, rule } from '../support/rules.js';
import { sparseCase, type Json } from '../support/case-factory.js';

type TV = 'true' | 'false' | 'unknown';
const TVS: TV[] = ['true', 'false', 'unknown'];

const A = { fact: 'ivc.rightAtrialExtension', operator: 'equal', value: true };
const B = { fact: 'ivc.hepaticVeinInvolvement', operator: 'equal', value: true };

// unknown is written as null for A and left out for B: both mean unknown
const valueA = (t: TV): Json | undefined => (t === 'unknown' ? null : t === 'true');
const valueB = (t: TV): Json | undefined => (t === 'unknown' ? undefined : t === 'true');

function rulesetFor(when: unknown): CompiledRuleset {
  return miniRuleset({
    decisions: { d: { title: 'D', hitPolicy: 'priority', values: { yes: 'Yes', no: 'No' } } },
    rules: [rule('r.test', 'd', when, { value: 'yes' }, 10), rule('r.else', 'd', { all: [] }, { value: 'no' }, 0)],
  });
}

function run(rs: CompiledRuleset, a: TV, b: TV, trace = true): Plan {
  const c = sparseCase('t', { 'ivc.rightAtrialExtension': valueA(a), 'ivc.hepaticVeinInvolvement': valueB(b), 'ivc.segments': ['II'] });
  return evaluate(c, rs, { trace });
}

const kleeneAnd = (a: TV, b: TV): TV => (a === 'false' || b === 'false' ? 'false' : a === 'unknown' || b === 'unknown' ? 'unknown' : 'true');
const kleeneOr = (a: TV, b: TV): TV => (a === 'true' || b === 'true' ? 'true' : a === 'unknown' || b === 'unknown' ? 'unknown' : 'false');
const kleeneNot = (a: TV): TV => (a === 'unknown' ? 'unknown' : a === 'true' ? 'false' : 'true');

/** What the decision must look like for a given truth value of the tested rule. */
function expectDecision(plan: Plan, t: TV, missing: string[]): void {
  const d = plan.decisions['d']!;
  if (t === 'true') expect(d).toMatchObject({ status: 'determined', value: 'yes', rule: 'r.test' });
  if (t === 'false') expect(d).toMatchObject({ status: 'determined', value: 'no', rule: 'r.else' });
  if (t === 'unknown') {
    expect(d.status).toBe('undetermined');
    expect(d.value).toBe('undetermined');
    expect(d.candidates).toEqual([
      { value: 'yes', rules: ['r.test'] },
      { value: 'no', rules: ['r.else'] },
    ]);
    expect(d.missing).toEqual(missing);
  }
}

const pairs = TVS.flatMap((a) => TVS.map((b) => ({ a, b })));
const unknownFields = (a: TV, b: TV, relevant: (x: 'a' | 'b') => boolean): string[] =>
  [
    ...(a === 'unknown' && relevant('a') ? ['ivc.rightAtrialExtension'] : []),
    ...(b === 'unknown' && relevant('b') ? ['ivc.hepaticVeinInvolvement'] : []),
  ].sort();

describe.each([
  { op: 'all', kleene: kleeneAnd, decisive: 'false' as TV },
  { op: 'any', kleene: kleeneOr, decisive: 'true' as TV },
])('$op', ({ op, kleene, decisive }) => {
  const rs = rulesetFor({ [op]: [A, B] });
  it.each(pairs)(`${op}($a, $b)`, ({ a, b }) => {
    const expected = kleene(a, b);
    const plan = run(rs, a, b);
    expect(plan.trace!.find((t) => t.rule === 'r.test')!.result).toBe(expected);
    // an unknown operand is a missing input only when the other one does not settle the result
    const missing = unknownFields(a, b, (x) => (x === 'a' ? b !== decisive : a !== decisive));
    expectDecision(plan, expected, missing);
    expectDecision(run(rs, a, b, false), expected, missing);
  });

  it(`${op} of nothing is ${op === 'all' ? 'true' : 'rejected by the loader'}`, () => {
    if (op === 'all') expectDecision(run(rulesetFor({ all: [] }), 'unknown', 'unknown'), 'true', []);
    else expect(() => rulesetFor({ any: [] })).toThrow(/rules\/range/);
  });
});

describe('not', () => {
  const rs = rulesetFor({ not: A });
  it.each(TVS)('not(%s)', (a) => {
    const expected = kleeneNot(a);
    const plan = run(rs, a, 'false');
    const t = plan.trace!.find((x) => x.rule === 'r.test')!;
    expect(t.result).toBe(expected);
    expect(t.when).toMatchObject({ kind: 'not', result: expected, children: [{ kind: 'fact', fact: 'ivc.rightAtrialExtension', result: a }] });
    expectDecision(plan, expected, a === 'unknown' ? ['ivc.rightAtrialExtension'] : []);
    expectDecision(run(rs, a, 'false', false), expected, a === 'unknown' ? ['ivc.rightAtrialExtension'] : []);
  });

  it('nests: not(all(A, not(B))) follows the tables', () => {
    const rs2 = rulesetFor({ not: { all: [A, { not: B }] } });
    for (const { a, b } of pairs) {
      const expected = kleeneNot(kleeneAnd(a, kleeneNot(b)));
      expect(run(rs2, a, b).trace!.find((t) => t.rule === 'r.test')!.result, `a=${a} b=${b}`).toBe(expected);
      expect(run(rs2, a, b, false).decisions['d']!.value, `a=${a} b=${b}`).toBe(expected === 'true' ? 'yes' : expected === 'false' ? 'no' : 'undetermined');
    }
  });
});

describe('leaf operators on unknown input', () => {
  const ops: { name: string; leaf: Record<string, unknown>; known: Record<string, Json>; expected: TV }[] = [
    { name: 'isKnown on a null field', leaf: { fact: 'ivc.lumen', operator: 'isKnown' }, known: {}, expected: 'false' },
    { name: 'isUnknown on a null field', leaf: { fact: 'ivc.lumen', operator: 'isUnknown' }, known: {}, expected: 'true' },
    { name: 'isKnown on a known field', leaf: { fact: 'ivc.lumen', operator: 'isKnown' }, known: { 'ivc.lumen': 'patent' }, expected: 'true' },
    { name: 'notEqual on an unknown field', leaf: { fact: 'ivc.lumen', operator: 'notEqual', value: 'occluded' }, known: {}, expected: 'unknown' },
    { name: 'notIn on an unknown field', leaf: { fact: 'ivc.lumen', operator: 'notIn', value: ['occluded'] }, known: {}, expected: 'unknown' },
    { name: 'isEmpty on a known empty set', leaf: { fact: 'tumor.arterialInvolvement', operator: 'isEmpty' }, known: { 'tumor.arterialInvolvement': [] }, expected: 'true' },
    { name: 'isEmpty on an unknown set', leaf: { fact: 'tumor.arterialInvolvement', operator: 'isEmpty' }, known: {}, expected: 'unknown' },
    { name: 'containsNone on an unknown set', leaf: { fact: 'ivc.segments', operator: 'containsNone', value: ['III'] }, known: {}, expected: 'unknown' },
    {
      name: 'containsAtLeast counts only listed values',
      leaf: { fact: 'tumor.adjacentOrgans', operator: 'containsAtLeast', count: 2, value: ['liver', 'colon'] },
      known: { 'tumor.adjacentOrgans': ['liver', 'adrenal'] },
      expected: 'false',
    },
    { name: 'lessThan on an unknown number', leaf: { fact: 'ivc.circumferencePercent', operator: 'lessThan', value: 40 }, known: {}, expected: 'unknown' },
    { name: 'greaterThanInclusive at the value', leaf: { fact: 'ivc.circumferencePercent', operator: 'greaterThanInclusive', value: 40 }, known: { 'ivc.circumferencePercent': 40 }, expected: 'true' },
    { name: 'greaterThan at the value', leaf: { fact: 'ivc.circumferencePercent', operator: 'greaterThan', value: 40 }, known: { 'ivc.circumferencePercent': 40 }, expected: 'false' },
  ];
  it.each(ops)('$name → $expected', ({ leaf, known, expected }) => {
    const rs = rulesetFor(leaf);
    const plan = evaluate(sparseCase('t', { 'ivc.lumen': null, ...known }), rs);
    const t = plan.trace!.find((x) => x.rule === 'r.test')!;
    expect(t.result).toBe(expected);
    expect(t.when).toMatchObject({ kind: 'fact', result: expected });
  });
});
