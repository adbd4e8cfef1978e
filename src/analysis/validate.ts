/**
 * `rvlms validate`, the pure core: rule files in, every problem out. First the schema and
 * reference pass (rules/build.ts: YAML, zod, unknown fields / values / parameters /
 * evidence, duplicate ids); when that is clean, the exhaustive analysis (checks/). Never
 * throws for content problems.
 */
import { compareDiagnostics, type Severity } from '../diagnostics/diagnostic.js';
import { compileRuleset } from '../engine/compile.js';
import { buildRuleset, type RuleSource } from '../rules/build.js';
import { CHECKS } from './checks/index.js';
import { createContext, type Finding } from './context.js';

export const VALIDATE_SCHEMA_VERSION = 1;

export interface DecisionSpace {
  readonly id: string;
  readonly hitPolicy: string;
  readonly rules: number;
  /** Points of the decision's enumerated space (input classes × upstream outcomes). */
  readonly caseSpace: number;
  /** Distinct outcomes the decision reaches over that space. */
  readonly outcomes: number;
}

export interface ValidationResult {
  readonly schemaVersion: number;
  readonly ruleset?: { readonly name: string; readonly version: string; readonly digest: string; readonly files: readonly string[] };
  readonly summary: { readonly errors: number; readonly warnings: number; readonly infos: number; readonly analysed: boolean };
  readonly decisions: readonly DecisionSpace[];
  readonly diagnostics: readonly Finding[];
}

export function validateRules(sources: readonly RuleSource[]): ValidationResult {
  const built = buildRuleset(sources);
  const findings: Finding[] = [...built.diagnostics];
  const decisions: DecisionSpace[] = [];
  let ruleset: ValidationResult['ruleset'];
  if (built.model) {
    const model = built.model;
    ruleset = { name: model.name, version: model.version, digest: model.digest, files: model.files };
    const rs = compileRuleset(model);
    const ctx = createContext(model, rs, findings);
    for (const { check } of CHECKS) check(ctx);
    for (const d of rs.decisions) {
      const exp = ctx.machine.explore(d.model.id);
      if (exp.tooLarge) ctx.report('analysis/incomplete', d.model.src, `the space of "${d.model.id}" is too large to enumerate; it was not analysed`, { decision: d.model.id });
      const states = ctx.machine.states(d.model.id);
      let points = 0;
      for (const e of states.values()) points += e.count;
      decisions.push({ id: d.model.id, hitPolicy: d.model.hitPolicy, rules: d.rules.length, caseSpace: points, outcomes: states.size });
    }
  }
  findings.sort(compareDiagnostics);
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  return {
    schemaVersion: VALIDATE_SCHEMA_VERSION,
    ...(ruleset ? { ruleset } : {}),
    summary: { errors: count('error'), warnings: count('warning'), infos: count('info'), analysed: built.model !== undefined },
    decisions,
    diagnostics: findings,
  };
}
