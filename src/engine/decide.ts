/**
 * The decision core: every decision's outcome for one case — value or candidates, the
 * rules that applied, the missing inputs, the invariants broken. What every consumer
 * needs (batch and diff use only this; `evaluate` explains it as a Plan). Pure.
 */
import type { CompiledDecision, CompiledRuleset, Facts } from './compile.js';
import { factsOf } from './compile.js';
import { GRAFT_DIAMETER_FIELD } from './graft.js';
import { stateOf, type DecisionState, type Resolution } from './policies.js';
import { T } from './truth.js';

export const UNDETERMINED = 'undetermined';

/** A decision's value as shown: its value or "undetermined"; collect: the items certainly included. */
export type DecisionValue = string | readonly string[];

export interface InvariantViolation {
  readonly invariant: string;
  readonly decision: string;
  readonly values: readonly string[];
}

/** A missing input, with the decisions (ids, in order) it would help settle. */
export interface MissingField {
  readonly field: string;
  readonly decisions: readonly string[];
}

/** The decisions of one case, in the rule set's decision order. */
export interface Decisions {
  readonly facts: Facts;
  readonly states: readonly DecisionState[];
  readonly resolutions: readonly Resolution[];
  readonly values: readonly DecisionValue[];
  /** Every decision determined. */
  readonly determined: boolean;
}

export interface Decided extends Decisions {
  /** The missing inputs, fields in code-unit order (the same on every machine). */
  readonly missing: readonly MissingField[];
  readonly violations: readonly InvariantViolation[];
}

/** The rule that decided a decision, if one did (priority). */
export const decidingRule = (d: CompiledDecision, r: Resolution) => (r.decidedBy === undefined ? undefined : d.rules[r.decidedBy]);

function decideOne(d: CompiledDecision, facts: Facts, states: readonly DecisionState[]): { resolution: Resolution; state: DecisionState } {
  const rules = d.rules;
  const resolution = d.policy.resolve(d.policyInput, (i) => rules[i]!.test(facts, states));
  let missing: readonly string[] = [];
  if (!resolution.determined && resolution.unknown.length > 0) {
    const into = new Set<string>();
    for (const i of resolution.unknown) rules[i]!.missing(facts, states, into);
    missing = [...into].sort();
  }
  return { resolution, state: stateOf(resolution, missing) };
}

/**
 * The decisions over a fact array. With `base`: facts that differ from base's in one field;
 * the decisions that field cannot reach (`reaches[i]` false) read the same facts and states
 * as there, so their outcome is taken from it (the borderline probes).
 */
export function decideFacts(rs: CompiledRuleset, facts: Facts, base?: { readonly decisions: Decisions; readonly reaches: readonly boolean[] }): Decisions {
  const states: DecisionState[] = [];
  const resolutions: Resolution[] = [];
  const values: DecisionValue[] = [];
  let determined = true;
  for (const d of rs.decisions) {
    let resolution: Resolution;
    let state: DecisionState;
    if (base !== undefined && !base.reaches[d.index]) {
      resolution = base.decisions.resolutions[d.index]!;
      state = base.decisions.states[d.index]!;
    } else ({ resolution, state } = decideOne(d, facts, states));
    states.push(state);
    resolutions.push(resolution);
    values.push(resolution.included ?? resolution.value ?? UNDETERMINED);
    if (!resolution.determined) determined = false;
  }
  return { facts, states, resolutions, values, determined };
}

/** The missing inputs of all decisions, and the graft diameter when a deciding rule sizes a graft. */
function missingFields(rs: CompiledRuleset, ds: Decisions): MissingField[] {
  let byField: Map<string, string[]> | undefined; // most cases miss nothing
  const add = (field: string, id: string): void => {
    byField ??= new Map();
    const list = byField.get(field);
    if (list === undefined) byField.set(field, [id]);
    else if (list[list.length - 1] !== id) list.push(id);
  };
  const diameter = rs.fieldIndex.get(GRAFT_DIAMETER_FIELD);
  for (const d of rs.decisions) {
    const id = d.model.id;
    for (const f of ds.states[d.index]!.missing) add(f, id);
    if (decidingRule(d, ds.resolutions[d.index]!)?.model.then.graftSizing && (diameter === undefined || ds.facts[diameter] === undefined))
      add(GRAFT_DIAMETER_FIELD, id);
  }
  if (byField === undefined) return [];
  const found = byField;
  // code-unit order, not localeCompare: the same bytes on every machine
  return [...found.keys()].sort().map((field) => ({ field, decisions: found.get(field)! }));
}

/** Invariants whose condition holds and whose decision has (or may have) a forbidden value. */
function violations(rs: CompiledRuleset, ds: Decisions): InvariantViolation[] {
  const out: InvariantViolation[] = [];
  for (const inv of rs.invariants) {
    // The forbidden values first: on most cases there are none, and the condition (the
    // costlier test) need not be evaluated.
    const s = ds.states[inv.decision]!;
    const list = inv.model.then.value;
    const notIn = inv.model.then.operator === 'notIn';
    // the forbidden values among the value, the items and the candidates, each once, in that order
    let bad: string[] | undefined;
    const check = (v: string): void => {
      if (list.includes(v) === notIn && !bad?.includes(v)) (bad ??= []).push(v);
    };
    if (s.value !== undefined) check(s.value);
    if (s.included !== undefined) for (const v of s.included) check(v);
    for (const v of s.candidates) check(v);
    if (bad !== undefined && inv.test(ds.facts, ds.states) === T) out.push({ invariant: inv.model.id, decision: inv.model.then.decision, values: bad });
  }
  return out;
}

/** The decisions with their missing inputs and broken invariants. */
export function completeDecisions(rs: CompiledRuleset, ds: Decisions): Decided {
  const { facts, states, resolutions, values, determined } = ds;
  return { facts, states, resolutions, values, determined, missing: missingFields(rs, ds), violations: violations(rs, ds) };
}

/** Decide every decision for one (already validated) case. Pure. */
export function decide(input: unknown, rs: CompiledRuleset): Decided {
  return completeDecisions(rs, decideFacts(rs, factsOf(rs, input)));
}

/** One string per decision value ("a+b" for collect items, "(none)" for none): to compare outcomes. */
export const valueKey = (v: DecisionValue): string => (typeof v === 'string' ? v : v.join('+') || '(none)');
