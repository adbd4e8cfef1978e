/**
 * Plan.inputs and Plan.trace are built when first read (evaluate.ts, seenBy): the plan must look and
 * serialize as if it were a plain property, and what it shows must be what the engine saw
 * when it evaluated, whatever the caller does with the case or the plan afterwards.
 */
import { describe, expect, it } from 'vitest';
import { evaluate, type Plan, type RuleTrace } from '../../src/engine/evaluate.js';
import type { TraceNode } from '../../src/engine/compile.js';
import { shippedRuleset } from '../support/rules.js';
import { makeCase, sparseCase, type CaseObject } from '../support/case-factory.js';

const rs = shippedRuleset();

/** The case's IVC section, to change it in place. */
const ivcOf = (c: CaseObject): { segments: string[]; rightAtrialExtension: boolean } =>
  c['ivc'] as unknown as { segments: string[]; rightAtrialExtension: boolean };

/** Every object and array reachable from `v` that is not frozen (paths). */
function unfrozen(v: unknown, path: string): string[] {
  if (v === null || typeof v !== 'object') return [];
  const out = Object.isFrozen(v) ? [] : [path];
  for (const [k, x] of Object.entries(v)) out.push(...unfrozen(x, `${path}.${k}`));
  return out;
}

const leaves = (n: TraceNode): TraceNode[] => (n.kind === 'all' || n.kind === 'any' || n.kind === 'not' ? n.children.flatMap(leaves) : [n]);

describe('Plan.trace, built when read', () => {
  const c = makeCase({ id: 'atrial', ivc: { segments: ['II', 'III'], rightAtrialExtension: true, lumen: 'occluded', collaterals: null } });

  it('is the last own enumerable key, as a plain property was; absent without a trace', () => {
    const plan = evaluate(c, rs);
    expect(Object.keys(plan).slice(-2)).toEqual(['inputs', 'trace']);
    expect(Object.getOwnPropertyDescriptor(plan, 'trace')).toMatchObject({ enumerable: true, configurable: true });
    expect(Object.getOwnPropertyDescriptor(plan, 'inputs')).toMatchObject({ enumerable: true, configurable: true });
    expect(plan.inputs).toBe(plan.inputs);
    expect(Reflect.ownKeys(plan)).toEqual(Object.keys(plan)); // nothing hidden but private state
    const lean = evaluate(c, rs, { trace: false });
    expect('trace' in lean).toBe(false);
    expect('inputs' in lean).toBe(false);
  });

  it('serializes, spreads and clones with the trace, read once and kept', () => {
    const plan = evaluate(c, rs);
    const json = JSON.stringify(plan);
    expect(JSON.parse(json).trace).toHaveLength(rs.order.ruleCount);
    expect(JSON.stringify({ ...plan })).toBe(json);
    expect(JSON.stringify(structuredClone(plan))).toBe(json);
    expect(plan.trace).toBe(plan.trace);
  });

  it('is frozen throughout, and freezes nothing of the case or of the rest of the plan', () => {
    const plan = evaluate(c, rs);
    expect(unfrozen(plan.trace, 'trace')).toEqual([]);
    expect(() => (plan.trace as RuleTrace[]).push(plan.trace![0]!)).toThrow(TypeError);
    expect(Object.isFrozen(ivcOf(c).segments)).toBe(false);
    expect(Object.isFrozen(plan.inputs!['ivc.segments'])).toBe(false);
    expect(Object.isFrozen(plan.decisions['renalVeins']!.value)).toBe(false);
    expect(Object.isFrozen(plan)).toBe(false);
  });

  it('shows what the engine saw, even when the caller changes the case or the plan before reading it', () => {
    const expectedPlan = evaluate(structuredClone(c), rs);
    const expected = JSON.stringify(expectedPlan.trace);
    const expectedInputs = JSON.stringify(expectedPlan.inputs);
    const own = structuredClone(c);
    const plan = evaluate(own, rs);
    ivcOf(own).segments.splice(0, 2, 'I');
    ivcOf(own).rightAtrialExtension = false;
    (plan.decisions['renalVeins']!.value as string[]).push('changed');
    (plan.decisions['preparation']!.value as string[]).length = 0;
    expect(JSON.stringify(plan.inputs)).toBe(expectedInputs);
    expect(plan.inputs!['ivc.segments']).toEqual(['II', 'III']);
    expect(JSON.stringify(plan.trace)).toBe(expected);
    const seen = plan.trace!.flatMap((t) => leaves(t.when)).find((n) => n.kind === 'fact' && n.fact === 'ivc.segments');
    expect(seen).toMatchObject({ actual: ['II', 'III'] });
  });

  it('marks the rules below the deciding one of a priority decision as not reached', () => {
    const plan: Plan = evaluate(sparseCase('empty', {}), rs);
    for (const d of rs.decisions) {
      const ts = plan.trace!.filter((t) => t.decision === d.model.id);
      expect(ts.map((t) => t.rule)).toEqual(d.rules.map((r) => r.model.id));
      const first = ts.findIndex((t) => t.result === 'true');
      ts.forEach((t, i) => expect(t.reached, `${t.rule}`).toBe(d.model.hitPolicy !== 'priority' || first < 0 || i <= first));
    }
  });
});
