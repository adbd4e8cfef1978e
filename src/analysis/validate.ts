/**
 * `rvlms validate`, the pure core: rule files in, every problem out. First the schema and
 * reference pass (rules/build.ts: YAML, zod, unknown fields / values / parameters /
 * evidence, duplicate ids); when that is clean, the analysis over every possible case
 * (checks/), each check one question to the solver over the rule set's constraints
 * (symbolic/). Whatever could not be answered within the limits is named in
 * `incomplete`; the result then never says the rule set was checked. Never throws for
 * content problems.
 */
import { compareDiagnostics, type Severity } from '../diagnostics/diagnostic.js';
import { compileRuleset } from '../engine/compile.js';
import { buildRuleset, type RuleSource } from '../rules/build.js';
import type { ConditionModel, RulesetModel } from '../rules/model.js';
import { CHECKS } from './checks/index.js';
import { createContext, decisionSrc, type Finding, type Skipped } from './context.js';
import { Encoding } from './symbolic/encode.js';
import { DEFAULT_LIMITS, Session, type Limits } from './symbolic/solve.js';
import { inputSpace } from './symbolic/space.js';
import { withZ3 } from './symbolic/z3.js';

export const VALIDATE_SCHEMA_VERSION = 2;

export interface DecisionSummary {
  readonly id: string;
  readonly hitPolicy: string;
  readonly rules: number;
  /** Input fields the decision can see (its rules' and, transitively, the decisions they read). */
  readonly inputs: number;
  /** Every check of the decision was answered. */
  readonly complete: boolean;
}

export interface ValidationResult {
  readonly schemaVersion: number;
  readonly ruleset?: { readonly name: string; readonly version: string; readonly digest: string; readonly files: readonly string[] };
  readonly summary: {
    readonly errors: number;
    readonly warnings: number;
    readonly infos: number;
    /** The case-space analysis ran (false when the rule set has schema errors). */
    readonly analysed: boolean;
    /** Every check of every decision and invariant was answered. */
    readonly complete: boolean;
    readonly status: 'complete' | 'incomplete' | 'not-analysed';
  };
  readonly decisions: readonly DecisionSummary[];
  /** Checks that could not be completed (empty when complete). */
  readonly incomplete: readonly Skipped[];
  readonly diagnostics: readonly Finding[];
}

export interface ValidateOptions {
  readonly limits?: Limits;
  /** Report what could not be checked as a warning instead of an error. */
  readonly allowIncomplete?: boolean;
}

export async function validateRules(sources: readonly RuleSource[], options: ValidateOptions = {}): Promise<ValidationResult> {
  const built = buildRuleset(sources);
  const findings: Finding[] = [...built.diagnostics];
  const decisions: DecisionSummary[] = [];
  const skipped: Skipped[] = [];
  let ruleset: ValidationResult['ruleset'];
  if (built.model) {
    const model = built.model;
    ruleset = { name: model.name, version: model.version, digest: model.digest, files: model.files };
    const rs = compileRuleset(model);
    const limits = options.limits ?? DEFAULT_LIMITS;
    await withZ3(limits.memoryMb, async (z) => {
      const enc = new Encoding(z, inputSpace([{ model, params: rs.params }]), [rs]);
      const session = new Session(enc, limits);
      const ctx = createContext(model, rs, session, findings, skipped);
      for (const { check } of CHECKS) await check(ctx);
    });
    const severity = options.allowIncomplete ? 'warning' : 'error';
    for (const s of skipped) {
      const where = s.invariant ? model.invariants.find((i) => i.id === s.invariant)?.src : s.rule ? model.rules.find((r) => r.id === s.rule)?.src : s.decision ? decisionSrc(model, s.decision) : undefined;
      const what = s.invariant ? `invariant "${s.invariant}"` : s.rule ? `rule "${s.rule}"${s.decision ? ` of "${s.decision}"` : ''}` : `decision "${s.decision}"`;
      findings.push({ ...(where ?? {}), code: 'analysis/incomplete', severity, message: `${s.check} check of ${what} not done: ${s.reason}`, ...(s.decision ? { decision: s.decision } : {}) });
    }
    const closure = closureFields(model);
    for (const d of rs.decisions)
      decisions.push({
        id: d.model.id,
        hitPolicy: d.model.hitPolicy,
        rules: d.rules.length,
        inputs: closure.get(d.model.id)!.size,
        complete: !skipped.some((s) => s.decision === d.model.id),
      });
  }
  findings.sort(compareDiagnostics);
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  const analysed = built.model !== undefined;
  const complete = analysed && skipped.length === 0;
  return {
    schemaVersion: VALIDATE_SCHEMA_VERSION,
    ...(ruleset ? { ruleset } : {}),
    summary: { errors: count('error'), warnings: count('warning'), infos: count('info'), analysed, complete, status: !analysed ? 'not-analysed' : complete ? 'complete' : 'incomplete' },
    decisions,
    incomplete: skipped,
    diagnostics: findings,
  };
}

/** Fields each decision can see: its rules' facts and those of the decisions they read. */
function closureFields(model: RulesetModel): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const walk = (c: ConditionModel, into: Set<string>): void => {
    if (c.kind === 'all' || c.kind === 'any') c.items.forEach((x) => walk(x, into));
    else if (c.kind === 'not') walk(c.item, into);
    else if (c.kind === 'fact') into.add(c.fact);
    else for (const f of out.get(c.decision) ?? []) into.add(f);
  };
  const byId = new Map(model.rules.map((r) => [r.id, r]));
  for (const d of model.decisions) {
    const s = new Set<string>();
    for (const id of d.rules) walk(byId.get(id)!.when, s);
    out.set(d.id, s);
  }
  return out;
}
