/**
 * What every check of `validate` receives: the rule set, its compiled form, its encoding
 * as constraints, a sink for findings and a record of what could not be checked. Each
 * question goes to the solver (symbolic/solve.ts) and every finding carries a real case
 * that the engine has confirmed. Pure apart from the solver.
 */
import type { CompiledRuleset } from '../engine/compile.js';
import type { Diagnostic, SourceRef } from '../diagnostics/diagnostic.js';
import type { CaseInput } from '../case/schema.js';
import type { ConditionModel, RuleModel, RulesetModel } from '../rules/model.js';
import { findingSeverity, type AnalysisCode } from './codes.js';
import { decide, evaluate, T, type Plan, type RuleTrace, type Truth } from './semantics.js';
import { factsOf, type DecisionState, type Facts } from '../engine/compile.js';
import type { Encoding, SymState } from './symbolic/encode.js';
import type { Tri } from './symbolic/policies.js';
import type { Answer, Coverage, Session } from './symbolic/solve.js';
import type { B } from './symbolic/z3.js';

/** A Diagnostic plus the case that reproduces it. */
export interface Finding extends Diagnostic {
  readonly decision?: string;
  readonly counterexample?: Record<string, unknown>;
  /** Numeric inputs of the counterexample widened to the interval that behaves the same, e.g. "[40, 75)". */
  readonly region?: Readonly<Record<string, string>>;
}

/** A check that could not be completed, and why. */
export interface Skipped {
  readonly check: string;
  readonly decision?: string;
  readonly invariant?: string;
  readonly rule?: string;
  readonly reason: string;
}

export interface Scope {
  readonly check: string;
  readonly decision?: string;
  readonly invariant?: string;
  readonly rule?: string;
}

export interface Counterexample {
  /** The case as written to the finding (a valid case file). */
  readonly case: Record<string, unknown>;
  /** The real engine's plan for it, with the full trace. */
  readonly plan: Plan;
  readonly region?: Readonly<Record<string, string>>;
}

export interface AnalysisContext {
  readonly model: RulesetModel;
  readonly rs: CompiledRuleset;
  readonly enc: Encoding;
  report(code: AnalysisCode, at: SourceRef, message: string, extra?: Partial<Finding>): void;
  /**
   * A real, schema-valid case satisfying `goal` on which the real engine's plan satisfies
   * `real`; undefined when none exists — or when the question could not be answered, which
   * is then recorded under `scope` (the result says "incomplete", never "passed").
   * `minimal: false` skips shortening the case (for questions whose case is not shown).
   */
  counterexample(goal: readonly B[], real: (plan: Plan) => boolean, id: string, scope: Scope, minimal?: boolean): Promise<Counterexample | undefined>;
  /** As `counterexample`, but says 'none' when it is proven that no such case exists (undefined: not answered, recorded). */
  witness(goal: readonly B[], real: (plan: Plan) => boolean, id: string, scope: Scope): Promise<Counterexample | 'none' | undefined>;
  /** Whether a condition can be true at all, reading every decision as free (any outcome); undefined when not answered. */
  satisfiable(when: ConditionModel, scope: Scope): Promise<boolean | undefined>;
  /**
   * Many questions at once (Session.cover): which targets some real case meets, judged on
   * the engine's plan for the cases found. Targets left unsettled are recorded under
   * their scope.
   */
  cover(targets: readonly B[], hit: (run: Run, target: number) => boolean, id: string, scopes: readonly Scope[]): Promise<Coverage>;
  /** The engine's truth of a rule in a run. */
  truth(run: Run, rule: string): Truth;
  /** Per rule: whether it holds in some real case ('holds'), in none ('never'), or was not settled (undefined). Asked once. */
  reach(): Promise<ReadonlyMap<string, 'holds' | 'never'>>;
  /** Record a check that was not done. */
  skip(scope: Scope, reason: string): void;
  rule(id: string): RuleModel;
  /** A condition of the rule set, over the real decisions. */
  cond(when: ConditionModel): Tri;
  state(decision: string): SymState;
}

/** Random cases judged by the engine before the solver is asked (Session.sample). */
const SAMPLES = 3000;

/** What the engine makes of a case, to judge many targets at once: its facts and decision states. */
export interface Run {
  readonly facts: Facts;
  readonly states: readonly DecisionState[];
}

export type Check = (ctx: AnalysisContext) => Promise<void>;

export function createContext(model: RulesetModel, rs: CompiledRuleset, session: Session, findings: Finding[], skipped: Skipped[]): AnalysisContext {
  const rules = new Map(model.rules.map((r) => [r.id, r]));
  const enc = session.enc;
  const record = (scope: Scope, reason: string) => skipped.push({ ...scope, reason });
  const answered = <T>(a: Answer<T>, scope: Scope): a is Extract<Answer<T>, { status: 'found' }> => {
    if (a.status === 'unknown') record(scope, a.reason);
    return a.status === 'found';
  };
  let samples: Run[] | undefined;
  const judge = (input: CaseInput): Run => ({ facts: factsOf(rs, input), states: decide(input, rs).states });
  let reached: Promise<ReadonlyMap<string, 'holds' | 'never'>> | undefined;
  const find = async (goal: readonly B[], real: (plan: Plan) => boolean, id: string, scope: Scope, minimal: boolean): Promise<Counterexample | 'none' | undefined> => {
    const plan = (c: CaseInput) => {
      const p = evaluate(c, rs, { trace: true, borderline: false });
      return real(p) ? p : undefined;
    };
    const a = await session.find(goal, plan, id, minimal);
    if (a.status === 'none') return 'none';
    if (!answered(a, scope)) return undefined;
    return { case: a.case, plan: a.value, ...(a.region ? { region: a.region } : {}) };
  };
  const ctx: AnalysisContext = {
    model,
    rs,
    enc,
    report(code, at, message, extra = {}) {
      findings.push({ ...at, severity: findingSeverity(code), code, message, ...extra });
    },
    async counterexample(goal, real, id, scope, minimal = true) {
      const found = await find(goal, real, id, scope, minimal);
      return found === 'none' ? undefined : found;
    },
    witness(goal, real, id, scope) {
      return find(goal, real, id, scope, true);
    },
    async satisfiable(when, scope) {
      const extra: B[] = [];
      const free = new Map<string, SymState>();
      const tri = enc.cond(0, when, (id) => {
        let s = free.get(id);
        if (!s) free.set(id, (s = enc.freeState(0, id, extra)));
        return s;
      });
      const r = await session.sat([tri.t, ...extra]);
      if (r === 'unknown') {
        record(scope, 'the solver gave up (time or memory limit)');
        return undefined;
      }
      return r === 'sat';
    },
    async cover(targets, hit, id, scopes) {
      samples ??= session.sample(SAMPLES, 'sample').map((c) => judge(c.input));
      const met = new Set<number>();
      for (const plan of samples) for (let i = 0; i < targets.length; i++) if (!met.has(i) && hit(plan, i)) met.add(i);
      const rest = targets.map((_, i) => i).filter((i) => !met.has(i));
      const c = await session.cover(rest.map((i) => targets[i]!), judge, (run, k) => hit(run, rest[k]!), id);
      for (const [k, reason] of c.unknown) record(scopes[rest[k]!]!, reason);
      return { met: new Set([...met, ...[...c.met].map((k) => rest[k]!)]), none: new Set([...c.none].map((k) => rest[k]!)), unknown: new Map([...c.unknown].map(([k, r]) => [rest[k]!, r])) };
    },
    reach() {
      reached ??= (async () => {
        const all = rs.decisions.flatMap((d) => d.rules.map((r) => ({ d: d.model.id, r: r.model.id })));
        const c = await ctx.cover(
          all.map((x) => enc.rule(0, x.r).t),
          (run, i) => ctx.truth(run, all[i]!.r) === T,
          'reach',
          all.map((x) => ({ check: 'reach', decision: x.d, rule: x.r })),
        );
        const out = new Map<string, 'holds' | 'never'>();
        for (const i of c.met) out.set(all[i]!.r, 'holds');
        for (const i of c.none) out.set(all[i]!.r, 'never');
        return out;
      })();
      return reached;
    },
    skip: record,
    truth(run, rule) {
      return rs.ruleById.get(rule)!.test(run.facts, run.states);
    },
    rule(id) {
      return rules.get(id)!;
    },
    cond(when) {
      return enc.cond(0, when);
    },
    state(decision) {
      return enc.state(0, decision)!;
    },
  };
  return ctx;
}

export function decisionSrc(model: RulesetModel, id: string): SourceRef {
  return model.decisions.find((d) => d.id === id)?.src ?? {};
}

/** Where a rule is, as a related location. */
export const ruleRef = (r: RuleModel): SourceRef => ({ ...r.src, path: r.src.path ?? r.id });

/** The trace entries of one decision, by rule id. */
export function traceOf(plan: Plan, decision: string): Map<string, RuleTrace> {
  return new Map((plan.trace ?? []).filter((t) => t.decision === decision).map((t) => [t.rule, t]));
}

/** The counterexample fields of a finding. */
export const shown = (c: Counterexample): Partial<Finding> => ({ counterexample: c.case, ...(c.region ? { region: c.region } : {}) });
