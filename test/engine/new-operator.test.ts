/**
 * An operator added to the one table (engine/operators.ts) and nowhere else is accepted by
 * the rule schema, type-checked by the builder, compiled, evaluated and analysed by
 * validate (a gap and an invariant violation found through it, their counterexamples
 * confirmed by the engine). The table module is replaced for this file only, by the real
 * one plus `between`.
 */
import { describe, expect, it, vi } from 'vitest';
import type { FactOperator } from '../../src/engine/operators.js';
import { F, T, U } from '../../src/engine/truth.js';

vi.mock('../../src/engine/operators.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/engine/operators.js')>();
  const between: FactOperator = {
    words: 'is between',
    operand: 'list',
    fields: ['number', 'integer'],
    count: false,
    test: (v, o) => {
      if (v === undefined) return U;
      const [lo, hi] = o as [number, number];
      return (v as number) >= lo && (v as number) <= hi ? T : F;
    },
  };
  return { ...real, FACT_OPERATORS: { ...real.FACT_OPERATORS, between } };
});

const { buildRuleset } = await import('../../src/rules/build.js');
const { compileRuleset } = await import('../../src/engine/compile.js');
const { evaluate, decide } = await import('../../src/engine/evaluate.js');
const { rulesJsonSchema } = await import('../../src/rules/schema.js');
const { validateRules } = await import('../../src/analysis/validate.js');
const { validateCase } = await import('../../src/case/schema.js');
const { explainPlan } = await import('../../src/report/plan-explain.js');

const BETWEEN = { fact: 'ivc.circumferencePercent', operator: 'between', value: [40, 60] };
const ruleFile = (when: unknown, otherwise: unknown = { all: [] }, invariants: unknown[] = []) =>
  JSON.stringify({
    metadata: { name: 'new-operator', version: '0.0.1' },
    evidence: { e1: { authors: 'Test A', journal: 'Test J' } },
    decisions: { band: { title: 'Band', hitPolicy: 'priority', values: { inside: 'Inside', outside: 'Outside' } } },
    rules: [
      { id: 'r.inside', title: 'inside', decision: 'band', priority: 20, when, then: { value: 'inside' }, rationale: 'test', evidence: ['e1'] },
      { id: 'r.outside', title: 'outside', decision: 'band', priority: 1, when: otherwise, then: { value: 'outside' }, rationale: 'test', evidence: ['e1'] },
    ],
    invariants,
  });
const source = (when: unknown = BETWEEN, otherwise?: unknown, invariants?: unknown[]) => [{ file: 'new-operator.yaml', text: ruleFile(when, otherwise, invariants) }];
const withCircumference = (c: number | null) => ({ id: `c${c}`, ivc: c === null ? {} : { circumferencePercent: c } });

describe('an operator added to the table', () => {
  it('is in the rule schema and its JSON Schema', () => {
    expect(JSON.stringify(rulesJsonSchema())).toContain('"between"');
    expect(buildRuleset(source()).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('is type-checked from its table entry: field kinds and operand kind', () => {
    const onEnum = buildRuleset(source({ fact: 'ivc.lumen', operator: 'between', value: [1, 2] })).diagnostics.map((d) => d.code);
    expect(onEnum).toContain('rules/operator-type');
    const single = buildRuleset(source({ fact: 'ivc.circumferencePercent', operator: 'between', value: 40 })).diagnostics.map((d) => d.code);
    expect(single).toContain('rules/operator-type');
  });

  it('is compiled and evaluated three-valued: true, false, unknown with the field missing', () => {
    const rs = compileRuleset(buildRuleset(source()).model!);
    expect(decide(withCircumference(50), rs).values).toEqual(['inside']);
    expect(decide(withCircumference(70), rs).values).toEqual(['outside']);
    const unknown = evaluate(withCircumference(null), rs);
    expect(unknown.decisions['band']).toMatchObject({ status: 'undetermined', missing: ['ivc.circumferencePercent'] });
    expect(unknown.decisions['band']!.candidates!.map((c) => c.value)).toEqual(['inside', 'outside']);
    // the plan reads an open condition in the operator's own words, from the table
    const explained = explainPlan(evaluate(withCircumference(null), rs, { trace: true }), buildRuleset(source()).model!);
    expect(explained.decisions['band']!.candidates!.find((c) => c.value === 'inside')!.reasons[0]!.if).toEqual(['share of IVC circumference involved is between 40%, 60%']);
    const traced = evaluate(withCircumference(40), rs).trace!.find((t) => t.rule === 'r.inside')!;
    expect(traced.when).toMatchObject({ kind: 'fact', operator: 'between', actual: 40, result: 'true' });
  });

  it('is analysed by validate: a gap and an invariant violation found through it, confirmed by the engine', async () => {
    // inside for [40, 60], outside only below 40: every known circumference above 60 is a gap
    const below = { fact: 'ivc.circumferencePercent', operator: 'lessThan', value: 40 };
    const never = {
      id: 'inv.never-inside-45-50',
      title: 'Never inside between 45 and 50',
      when: { fact: 'ivc.circumferencePercent', operator: 'between', value: [45, 50] },
      then: { decision: 'band', operator: 'notIn', value: ['inside'] },
      evidence: ['e1'],
    };
    const result = await validateRules(source(BETWEEN, below, [never]));
    expect(result.summary).toMatchObject({ analysed: true, complete: true });
    const rs = compileRuleset(buildRuleset(source(BETWEEN, below, [never])).model!);
    const replay = (c: unknown) => {
      const v = validateCase(c, 'counterexample');
      if (!v.ok) throw new Error('invalid counterexample');
      return { circumference: (v.value as { ivc?: { circumferencePercent?: number } }).ivc?.circumferencePercent, plan: evaluate(v.value, rs) };
    };
    const gaps = result.diagnostics.filter((d) => d.code === 'analysis/gap');
    expect(gaps).toHaveLength(1);
    const gap = replay(gaps[0]!.counterexample);
    expect(gap.circumference).toBeGreaterThan(60);
    expect(gap.plan.decisions['band']!.status).not.toBe('determined');
    expect(gaps[0]!.region).toEqual({ 'ivc.circumferencePercent': '(60, 100]' });
    const violations = result.diagnostics.filter((d) => d.code === 'analysis/invariant');
    expect(violations).toHaveLength(1);
    const bad = replay(violations[0]!.counterexample);
    expect(bad.circumference).toBeGreaterThanOrEqual(45);
    expect(bad.circumference).toBeLessThanOrEqual(50);
    expect(bad.plan.decisions['band']).toMatchObject({ status: 'determined', value: 'inside' });
    // with the rule covering everything else, neither finding remains
    const fixed = await validateRules(source(BETWEEN, { all: [] }));
    expect(fixed.diagnostics.filter((d) => d.code === 'analysis/gap' || d.code === 'analysis/invariant')).toEqual([]);
    expect(fixed.summary.complete).toBe(true);
  });
});
