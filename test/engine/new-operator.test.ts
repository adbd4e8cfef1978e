/**
 * An operator added to the one table (engine/operators.ts) and nowhere else is accepted by
 * the rule schema, type-checked by the builder, compiled and evaluated. The table
 * module is replaced for this file only, by the real one plus `between`.
 */
import { describe, expect, it, vi } from 'vitest';
import type { FactOperator } from '../../src/engine/operators.js';
import { F, T, U } from '../../src/engine/truth.js';

vi.mock('../../src/engine/operators.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/engine/operators.js')>();
  const between: FactOperator = {
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

const BETWEEN = { fact: 'ivc.circumferencePercent', operator: 'between', value: [40, 60] };
const ruleFile = (when: unknown) =>
  JSON.stringify({
    metadata: { name: 'new-operator', version: '0.0.1' },
    evidence: { e1: { authors: 'Test A', journal: 'Test J' } },
    decisions: { band: { title: 'Band', hitPolicy: 'priority', values: { inside: 'Inside', outside: 'Outside' } } },
    rules: [
      { id: 'r.inside', title: 'inside', decision: 'band', priority: 20, when, then: { value: 'inside' }, rationale: 'test', evidence: ['e1'] },
      { id: 'r.outside', title: 'outside', decision: 'band', priority: 1, when: { all: [] }, then: { value: 'outside' }, rationale: 'test', evidence: ['e1'] },
    ],
  });
const source = (when: unknown = BETWEEN) => [{ file: 'new-operator.yaml', text: ruleFile(when) }];
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
    const traced = evaluate(withCircumference(40), rs).trace!.find((t) => t.rule === 'r.inside')!;
    expect(traced.when).toMatchObject({ kind: 'fact', operator: 'between', actual: 40, result: 'true' });
  });
});
