/**
 * The hit policies: how the truth values of a decision's rules (in evaluation order) give
 * the decision's outcome. One implementation each, used by the engine (decide.ts) and by
 * the analysis; a module that needs something per policy keys it by HitPolicyName, so the
 * compiler tells it when a policy is added.
 *
 *   priority  the first rule that holds decides; undetermined while a rule above it is unknown
 *   collect   every rule that holds adds its value; undetermined while an unknown rule could add one
 *   score     the points of the rules that hold, summed, give a level; undetermined while
 *             the unknown rules could move the sum to another level
 */
import { F, T, type Truth } from './truth.js';

/** What a later decision may read of an earlier one. */
export interface DecisionState {
  /** priority / score: the value, or undefined when undetermined. */
  readonly value?: string;
  /** priority / score: the candidates when undetermined (the value when determined). collect: items possibly included. */
  readonly candidates: readonly string[];
  /** collect: items certainly included. */
  readonly included?: readonly string[];
  /** The unknown inputs the decision waits for (empty when determined). */
  readonly missing: readonly string[];
}

/** What a policy reads of a rule. */
export interface PolicyRule {
  /** then.value ('' for score rules). */
  readonly value: string;
  /** then.points (0 for priority and collect rules). */
  readonly points: number;
}

export interface Level {
  readonly value: string;
  readonly minScore: number;
}

/** What a policy reads of a decision: its rules in evaluation order and, for score, its levels. */
export interface PolicyDecision {
  readonly rules: readonly PolicyRule[];
  readonly levels: readonly Level[];
  /**
   * Per rule: the outcome when that rule decides (priority: it holds and every rule above
   * it is false). It depends on the rule alone, so it is made once per rule set (frozen)
   * instead of once per case.
   */
  readonly decidedBy: readonly Resolution[];
}

const NONE: readonly number[] = Object.freeze([]);

/** A decision as the policies read it (compile.ts builds one per decision). */
export function policyDecision(rules: readonly PolicyRule[], levels: readonly Level[]): PolicyDecision {
  const decidedBy = rules.map((r, i) =>
    Object.freeze({ determined: true, value: r.value, candidates: Object.freeze([r.value]), applied: Object.freeze([i]), decidedBy: i, open: NONE, unknown: NONE }),
  );
  return { rules, levels, decidedBy };
}

/** A decision's outcome; rules are named by their index in the decision's evaluation order. */
export interface Resolution {
  readonly determined: boolean;
  /** priority / score: the value when determined. */
  readonly value?: string;
  /** As DecisionState.candidates. */
  readonly candidates: readonly string[];
  /** collect: items certainly included. */
  readonly included?: readonly string[];
  /** Rules whose outcome is part of the result: the deciding rule (priority), the rules that hold (collect, score). */
  readonly applied: readonly number[];
  /** priority: the rule that decided. */
  readonly decidedBy?: number;
  /**
   * Rules that may still apply: the unknown ones (priority: above the first that holds,
   * and that one too). Their values are the candidates of priority and collect decisions.
   */
  readonly open: readonly number[];
  /** Rules that came out unknown: their unknown inputs are the decision's missing inputs. */
  readonly unknown: readonly number[];
  /** score: the lowest and highest sum the unknown rules allow. */
  readonly score?: { readonly min: number; readonly max: number };
}

/**
 * The test of a rule: `tests[i](a, b)` gives the truth value of rule i (the engine passes
 * the case's facts and the earlier decisions' states, so that no closure is made per case).
 * A policy calls them in rule order, at most once per rule, and only for the rules it
 * needs (priority stops at the first that holds).
 */
export type RuleTest<A, B> = (a: A, b: B) => Truth;

export interface HitPolicy {
  readonly resolve: <A, B>(decision: PolicyDecision, tests: readonly RuleTest<A, B>[], a: A, b: B) => Resolution;
}


/** The distinct values of some rules, in order of first appearance, leaving out `except`. */
function valuesOf(decision: PolicyDecision, rules: readonly number[], except?: readonly string[]): string[] {
  const out: string[] = [];
  for (const i of rules) {
    const v = decision.rules[i]!.value;
    if (!out.includes(v) && !except?.includes(v)) out.push(v);
  }
  return out;
}

/** The index of the highest level whose minimum the score reaches (the first when none is). */
export function levelIndex(levels: readonly Level[], score: number): number {
  let li = 0;
  for (let i = 0; i < levels.length; i++) if (score >= levels[i]!.minScore) li = i;
  return li;
}

const priority: HitPolicy = {
  resolve(decision, tests, a, b) {
    let open: number[] | undefined;
    let unknown: number[] | undefined;
    for (let i = 0; i < decision.rules.length; i++) {
      const r = tests[i]!(a, b);
      if (r === F) continue;
      if (r === T && open === undefined) return decision.decidedBy[i]!;
      (open ??= []).push(i);
      if (r === T) break;
      (unknown ??= []).push(i);
    }
    if (open === undefined) return { determined: false, candidates: [], applied: NONE, open: NONE, unknown: NONE };
    return { determined: false, candidates: valuesOf(decision, open), applied: NONE, open, unknown: unknown ?? NONE };
  },
};

const collect: HitPolicy = {
  resolve(decision, tests, a, b) {
    const included: string[] = [];
    const applied: number[] = [];
    let open: number[] | undefined;
    for (let i = 0; i < decision.rules.length; i++) {
      const r = tests[i]!(a, b);
      if (r === F) continue;
      if (r === T) {
        applied.push(i);
        const v = decision.rules[i]!.value;
        if (!included.includes(v)) included.push(v);
      } else (open ??= []).push(i);
    }
    const candidates = open === undefined ? [] : valuesOf(decision, open, included);
    return { determined: candidates.length === 0, included, candidates, applied, open: open ?? NONE, unknown: open ?? NONE };
  },
};

const score: HitPolicy = {
  resolve(decision, tests, a, b) {
    let min = 0;
    let max = 0;
    const applied: number[] = [];
    let open: number[] | undefined;
    for (let i = 0; i < decision.rules.length; i++) {
      const r = tests[i]!(a, b);
      if (r === F) continue;
      const p = decision.rules[i]!.points;
      if (r === T) {
        min += p;
        max += p;
        applied.push(i);
      } else {
        if (p < 0) min += p;
        else max += p;
        (open ??= []).push(i);
      }
    }
    const levels = decision.levels;
    const lo = levelIndex(levels, min);
    const hi = levelIndex(levels, max);
    const value = levels[lo]?.value;
    const unsure = open ?? NONE;
    if (lo === hi && value !== undefined) return { determined: true, value, candidates: [value], applied, open: unsure, unknown: unsure, score: { min, max } };
    return { determined: false, candidates: levels.slice(lo, hi + 1).map((l) => l.value), applied, open: unsure, unknown: unsure, score: { min, max } };
  },
};

export const HIT_POLICIES = { priority, collect, score } as const satisfies Record<string, HitPolicy>;

export type HitPolicyName = keyof typeof HIT_POLICIES;

/** The state a later decision reads, with the missing inputs the caller found (empty when determined). */
export function stateOf(r: Resolution, missing: readonly string[]): DecisionState {
  const m = r.determined ? NO_STRINGS : missing;
  if (r.included !== undefined) return { included: r.included, candidates: r.candidates, missing: m };
  return r.value !== undefined ? { value: r.value, candidates: r.candidates, missing: m } : { candidates: r.candidates, missing: m };
}

const NO_STRINGS: readonly string[] = Object.freeze([]);
