/** Shared helpers for the analysis tests: rule sets from folders, counterexamples replayed on the engine. */
import { join } from 'node:path';
import { expect } from 'vitest';
import { validateCase } from '../../src/case/schema.js';
import { compileRuleset, type CompiledRuleset } from '../../src/engine/compile.js';
import { evaluate, type Plan } from '../../src/engine/evaluate.js';
import { buildRuleset } from '../../src/rules/build.js';
import { readRuleSources } from '../../src/rules/load.js';
import type { RulesetModel } from '../../src/rules/model.js';
import { ROOT } from '../support/paths.js';

export const RULESETS = join(ROOT, 'fixtures', 'rulesets');

export function rulesetDir(name: string): string {
  return join(RULESETS, name);
}

/** Source files of a fixture rule set, named as the CLI names them (relative to the repository). */
export function sourcesOf(name: string) {
  return readRuleSources(rulesetDir(name), `fixtures/rulesets/${name}`);
}

export function compiled(name: string): { model: RulesetModel; rs: CompiledRuleset } {
  const r = buildRuleset(sourcesOf(name));
  if (!r.model) throw new Error(`${name} does not build`);
  return { model: r.model, rs: compileRuleset(r.model) };
}

/** A counterexample must be a valid case; returns its plan (full trace) on the given rules. */
export function replay(counterexample: unknown, rs: CompiledRuleset): Plan {
  const v = validateCase(counterexample, 'counterexample');
  expect(v.ok, JSON.stringify(v.ok ? '' : v.diagnostics)).toBe(true);
  if (!v.ok) throw new Error('invalid counterexample');
  return evaluate(v.value, rs, { trace: true });
}

/** The trace result of one rule in a plan. */
export function ruleResult(plan: Plan, rule: string): string | undefined {
  return plan.trace?.find((t) => t.rule === rule)?.result;
}

/** A plausible complexity factor: age 65 or over adds a point (issue 9's regression rule). */
export const AGE_RULE = `rules:
  - id: cx.age
    title: Age 65 or over
    decision: complexity
    when: { fact: patient.age, operator: greaterThanInclusive, value: 65 }
    then: { points: 1 }
    rationale: Older patients tolerate long operations less well.
    evidence: [mingoli1996]
`;
