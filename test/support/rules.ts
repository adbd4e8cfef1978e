/** Rule sets for tests: the shipped one (built from rules/*.yaml) and small in-memory ones. */
import { join } from 'node:path';
import { buildRuleset, type RuleSource } from '../../src/rules/build.js';
import { readRuleSources } from '../../src/rules/load.js';
import { compileRuleset, type CompiledRuleset, type CompileOptions } from '../../src/engine/compile.js';
import { formatDiagnostic } from '../../src/diagnostics/diagnostic.js';
import type { RulesetModel } from '../../src/rules/model.js';
import { ROOT } from './paths.js';

export const RULES_DIR = join(ROOT, 'rules');

/** Build, and fail loudly (with every diagnostic) when the rule set has errors. */
export function buildOk(sources: readonly RuleSource[]): RulesetModel {
  const r = buildRuleset(sources);
  if (!r.model) throw new Error(`rule set has errors:\n${r.diagnostics.map(formatDiagnostic).join('\n')}`);
  return r.model;
}

let shipped: RulesetModel | undefined;
/** The shipped rule set, built from the YAML on disk (never from the dist cache). */
export function shippedModel(): RulesetModel {
  shipped ??= buildOk(readRuleSources(RULES_DIR, 'rules'));
  return shipped;
}

let shippedCompiled: CompiledRuleset | undefined;
export function shippedRuleset(): CompiledRuleset {
  shippedCompiled ??= compileRuleset(shippedModel());
  return shippedCompiled;
}

/** JSON is YAML: a rule file written as a JS object, for tests that do not care about layout. */
const yamlText = (obj: unknown): string => JSON.stringify(obj, null, 2) + '\n';

const MINI_HEADER = {
  metadata: { name: 'mini', version: '0.0.1' },
  evidence: { e1: { authors: 'Test A', journal: 'Test J' } },
};

type Section = Record<string, unknown>;

/** A rule set of one file made of the mini header plus `parts` (decisions, parameters, rules …). */
export function miniModel(parts: Section): RulesetModel {
  return buildOk([{ file: 'mini.yaml', text: yamlText({ ...MINI_HEADER, ...parts }) }]);
}

export function miniRuleset(parts: Section, options?: CompileOptions): CompiledRuleset {
  return compileRuleset(miniModel(parts), options);
}

/** A rule in the mini rule set: evidence and rationale filled in. */
export function rule(id: string, decision: string, when: unknown, then: Section, priority?: number): Section {
  return { id, title: id, decision, ...(priority !== undefined ? { priority } : {}), when, then, rationale: 'test rule', evidence: ['e1'] };
}
