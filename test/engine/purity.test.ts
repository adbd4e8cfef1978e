/** evaluate is pure: it mutates neither the rule set, nor the case, nor an earlier plan, and is deterministic. */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine/evaluate.js';
import { compileRuleset } from '../../src/engine/compile.js';
import { buildOk, RULES_DIR } from '../support/rules.js';
import { readRuleSources } from '../../src/rules/load.js';
import { deepFreeze } from '../support/freeze.js';
import { makeCase, sparseCase, type CaseObject } from '../support/case-factory.js';

// A private copy of the shipped rule set: freezing it must not affect other tests.
const frozenModel = deepFreeze(buildOk(readRuleSources(RULES_DIR, 'rules')));
const rs = deepFreeze(compileRuleset(frozenModel));

const CASES: CaseObject[] = [
  makeCase(),
  makeCase({ id: 'occluded-unknown-collaterals', ivc: { lumen: 'occluded', collaterals: null, circumferencePercent: 70 } }),
  makeCase({ id: 'atrial', ivc: { segments: ['II', 'III'], rightAtrialExtension: true, lumen: 'occluded', diameterMm: null } }),
  makeCase({ id: 'unresectable', tumor: { arterialInvolvement: ['aorta'], metastases: 'widespread' } }),
  sparseCase('empty', {}),
];

describe('purity and determinism of evaluate', () => {
  it('works on a deep-frozen model and compiled rule set (nothing is written to them)', () => {
    expect(Object.isFrozen(frozenModel.rules[0]!.when)).toBe(true);
    for (const c of CASES) expect(() => evaluate(deepFreeze(structuredClone(c)), rs)).not.toThrow();
  });

  it.each(CASES.map((c) => [c.id, c] as const))('%s: evaluating twice gives deep-equal plans and the same JSON bytes', (_id, c) => {
    const a = evaluate(c, rs);
    const b = evaluate(c, rs);
    expect(b).toEqual(a);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(a.trace!.length).toBe(frozenModel.rules.length);
  });

  it('a frozen earlier plan (trace included) does not stop a later evaluation, which equals it', () => {
    for (const c of CASES) {
      const first = deepFreeze(evaluate(c, rs));
      const second = evaluate(c, rs);
      expect(second).toEqual(first);
      expect(second.trace).not.toBe(first.trace);
    }
  });

  it('does not modify the case', () => {
    const c = makeCase({ ivc: { collaterals: null } });
    const copy = structuredClone(c);
    evaluate(c, rs);
    expect(c).toEqual(copy);
  });

  it('the key order of the case does not change the plan', () => {
    const c = makeCase({ ivc: { lumen: 'occluded', collaterals: null } });
    const reversed = JSON.parse(JSON.stringify(c), (_k, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
    ) as CaseObject;
    expect(Object.keys(reversed)[0]).not.toBe(Object.keys(c)[0]);
    expect(JSON.stringify(evaluate(reversed, rs))).toBe(JSON.stringify(evaluate(c, rs)));
  });

  it('with and without trace the decisions are the same', () => {
    for (const c of CASES) expect(evaluate(c, rs, { trace: false }).decisions).toEqual(evaluate(c, rs).decisions);
  });

  it('the trace records every condition with the value seen and its source position', () => {
    const plan = evaluate(makeCase({ ivc: { circumferencePercent: 70 } }), rs);
    const graft = plan.trace!.find((t) => t.rule === 'ivc.graft-circumferential')!;
    expect(graft).toMatchObject({ decision: 'ivcManagement', result: 'false' });
    expect(graft.when).toMatchObject({
      kind: 'fact',
      fact: 'ivc.circumferencePercent',
      operator: 'greaterThanInclusive',
      expected: { param: 'graftThresholdPercent', value: 75 },
      actual: 70,
      result: 'false',
      src: { file: 'rules/ivc.yaml' },
    });
    const src = (graft.when as { src: { line?: number; col?: number } }).src;
    expect(src.line).toBeGreaterThan(1);
    expect(src.col).toBeGreaterThan(0);
  });
});
