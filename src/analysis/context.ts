/**
 * What every check of `validate` receives: the rule set, its compiled form, the explorer,
 * a sink for findings, and the counterexample search that turns an abstract finding into a
 * real case checked against the engine. Pure.
 */
import { validateCase, type CaseInput } from '../case/schema.js';
import type { CompiledRuleset, DecisionState } from '../engine/compile.js';
import { evaluate, type Plan, type RuleTrace } from '../engine/evaluate.js';
import type { Diagnostic, SourceRef } from '../diagnostics/diagnostic.js';
import type { ConditionModel, RuleModel, RulesetModel } from '../rules/model.js';
import { CODES, type AnalysisCode } from './codes.js';
import { Machine, type ClassRow, type Cond, type Exploration, type MState } from './explore.js';
import { caseFromFields } from './space.js';

/** A Diagnostic plus the case that reproduces it. */
export interface Finding extends Diagnostic {
  readonly decision?: string;
  readonly counterexample?: Record<string, unknown>;
}

export interface AnalysisContext {
  readonly model: RulesetModel;
  readonly rs: CompiledRuleset;
  readonly machine: Machine;
  report(code: AnalysisCode, at: SourceRef, message: string, extra?: Partial<Finding>): void;
  /**
   * A real, schema-valid case for a class combination of `exp` satisfying `pred`, on which
   * the real engine's plan satisfies `real`. `found` is undefined when there is none, or
   * when the search ran out of budget (then `incomplete`, and analysis/incomplete is reported).
   */
  counterexample(
    exp: Exploration,
    pred: (truths: Uint8Array, rows: readonly ClassRow[]) => boolean,
    real: (plan: Plan) => boolean,
    id: string,
  ): Search;
  rule(id: string): RuleModel;
  /** Whether a condition can be true at all, reading decisions as free (any declared outcome). */
  satisfiable(cond: Cond): boolean;
}

export type Check = (ctx: AnalysisContext) => void;

export interface Search {
  readonly found?: Counterexample;
  readonly incomplete: boolean;
}

export interface Counterexample {
  /** The case as written to the finding (a valid case file). */
  readonly case: Record<string, unknown>;
  /** The real engine's plan for it, with the full trace. */
  readonly plan: Plan;
}

export function createContext(model: RulesetModel, rs: CompiledRuleset, findings: Finding[]): AnalysisContext {
  const machine = new Machine([rs]);
  const rules = new Map(model.rules.map((r) => [r.id, r]));
  const ctx: AnalysisContext = {
    model,
    rs,
    machine,
    report(code, at, message, extra = {}) {
      findings.push({ ...at, severity: CODES[code].severity, code, message, ...extra });
    },
    counterexample(exp, pred, real, id) {
      const budget = { steps: 200_000 };
      let found: Counterexample | undefined;
      machine.solve(
        exp,
        pred,
        (assignment) => {
          const c = caseFromFields(assignment, id);
          const v = validateCase(c, id);
          if (!v.ok) return false;
          const plan = evaluate(v.value as CaseInput, rs, { trace: true, borderline: false });
          if (!real(plan)) return false;
          found = { case: c, plan };
          return true;
        },
        budget,
      );
      const incomplete = !found && budget.steps <= 0;
      if (incomplete)
        ctx.report('analysis/incomplete', exp.decision ? decisionSrc(model, exp.decision) : {}, `counterexample search for "${id}" stopped at its step limit; not checked`);
      return found ? { found, incomplete } : { incomplete };
    },
    rule(id) {
      return rules.get(id)!;
    },
    satisfiable(cond) {
      const iso = machine.exploreConds('', [cond], [], (d) => declaredStates(machine, d, cond.when));
      if (iso.tooLarge) return true;
      for (const row of machine.rows(iso, 0).values()) if (row.truths[0] === 1) return true;
      return false;
    },
  };
  return ctx;
}

export function decisionSrc(model: RulesetModel, id: string): SourceRef {
  return model.decisions.find((d) => d.id === id)?.src ?? {};
}

/** Where a rule is, as a related location. */
export const ruleRef = (r: RuleModel): SourceRef => ({ ...r.src, path: r.src.path ?? r.id });

/**
 * Every outcome a decision could declare, for reading it "freely": each value, plus (for
 * collect decisions) every subset of the items the condition mentions.
 */
function declaredStates(machine: Machine, id: string, when: ConditionModel): MState[] {
  const d = machine.decisionModel(id)!;
  const one = (s: DecisionState) => machine.mstate(id, [s]);
  if (d.hitPolicy !== 'collect') return [...Object.keys(d.values).map((v) => one({ value: v, candidates: [v], missing: [] })), one({ candidates: [], missing: [] })];
  const mentioned = new Set<string>();
  const walk = (c: ConditionModel): void => {
    if (c.kind === 'all' || c.kind === 'any') c.items.forEach(walk);
    else if (c.kind === 'not') walk(c.item);
    else if (c.kind === 'decision' && c.decision === id) for (const v of Array.isArray(c.value) ? c.value : [c.value]) mentioned.add(String(v));
  };
  walk(when);
  const items = [...mentioned];
  const out: MState[] = [];
  for (let mask = 0; mask < 1 << items.length; mask++)
    out.push(one({ included: items.filter((_, i) => mask & (1 << i)), candidates: [], missing: [] }));
  return out;
}

/** The trace entries of one decision, by rule id. */
export function traceOf(plan: Plan, decision: string): Map<string, RuleTrace> {
  return new Map((plan.trace ?? []).filter((t) => t.decision === decision).map((t) => [t.rule, t]));
}
