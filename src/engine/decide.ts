/**
 * The decision core: every decision's outcome for one case — value or candidates, the
 * rules that applied, the missing inputs, the invariants broken. What every consumer
 * needs (batch and diff use only this; `evaluate` explains it as a Plan). Pure.
 */
import type { CompiledDecision, CompiledRuleset, Facts } from './compile.js';
import { factsOf } from './compile.js';
import { NO_CODE } from './coding.js';
import { GRAFT_DIAMETER_FIELD } from './graft.js';
import { stateOf, type DecisionState, type Resolution } from './policies.js';
import { T } from './truth.js';
import { forbiddenValues, hasForbidden } from './invariants.js';

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

/** The state later decisions read of an outcome no rule decided alone. */
function stateOfResolution(d: CompiledDecision, resolution: Resolution, facts: Facts, states: readonly DecisionState[]): DecisionState {
  let missing: readonly string[] = [];
  if (!resolution.determined && resolution.unknown.length > 0) {
    const into = new Set<string>();
    for (const i of resolution.unknown) d.rules[i]!.missing(facts, states, into);
    missing = [...into].sort();
  }
  return stateOf(resolution, missing);
}

/**
 * The decisions over a fact array. With `base`: facts that differ from base's in one field;
 * the decisions that field cannot reach (`reaches[i]` false) read the same facts and states
 * as there, so their outcome is taken from it (the borderline probes).
 */
export function decideFacts(rs: CompiledRuleset, facts: Facts, base?: { readonly decisions: Decisions; readonly reaches: readonly boolean[] }): Decisions {
  const n = rs.decisions.length;
  // filled in decision order: a decision's rules read only the states before its own
  const states = new Array<DecisionState>(n);
  const resolutions = new Array<Resolution>(n);
  const values = new Array<DecisionValue>(n);
  let determined = true;
  const codes = facts.codes;
  for (let k = 0; k < n; k++) {
    const d = rs.decisions[k]!;
    const slot = rs.decisionSlot + k;
    let resolution: Resolution;
    if (base !== undefined && !base.reaches[k]) {
      resolution = base.decisions.resolutions[k]!;
      states[k] = base.decisions.states[k]!;
      codes[slot] = base.decisions.facts.codes[slot]!;
    } else {
      resolution = d.policy.resolve(d.policyInput, d.tests, facts, states);
      const by = resolution.decidedBy;
      if (by !== undefined && resolution === d.policyInput.decidedBy[by]) {
        // a rule decided: the state made for that rule at compile time, and its code
        states[k] = d.decidedStates[by]!;
        codes[slot] = by;
      } else {
        states[k] = stateOfResolution(d, resolution, facts, states);
        codes[slot] = NO_CODE;
      }
    }
    resolutions[k] = resolution;
    values[k] = resolution.included ?? resolution.value ?? UNDETERMINED;
    if (!resolution.determined) determined = false;
  }
  return { facts, states, resolutions, values, determined };
}

/** The missing inputs of all decisions, and the graft diameter when a deciding rule sizes a graft. */
function missingFields(rs: CompiledRuleset, ds: Decisions): MissingField[] {
  const diameter = rs.graftDiameterField;
  const diameterKnown = diameter >= 0 && ds.facts.values[diameter] !== undefined;
  // every decision determined (so none waits for an input) and no graft to size without its diameter
  if (ds.determined && diameterKnown) return [];
  let byField: Map<string, string[]> | undefined; // most cases miss nothing
  const add = (field: string, id: string): void => {
    byField ??= new Map();
    const list = byField.get(field);
    if (list === undefined) byField.set(field, [id]);
    else if (list[list.length - 1] !== id) list.push(id);
  };
  for (const d of rs.decisions) {
    const id = d.model.id;
    for (const f of ds.states[d.index]!.missing) add(f, id);
    if (!diameterKnown && decidingRule(d, ds.resolutions[d.index]!)?.model.then.graftSizing) add(GRAFT_DIAMETER_FIELD, id);
  }
  if (byField === undefined) return [];
  const found = byField;
  // code-unit order, not localeCompare: the same bytes on every machine
  return [...found.keys()].sort().map((field) => ({ field, decisions: found.get(field)! }));
}

/** Invariants whose condition holds and whose decision has (or may have) a forbidden value. */
function violations(rs: CompiledRuleset, ds: Decisions): InvariantViolation[] {
  let out: InvariantViolation[] | undefined;
  for (const inv of rs.invariants) {
    // Whether the decision has a forbidden value first (when a rule decided, found for
    // that rule's state at compile time): on many cases it has none, and the condition
    // need not be evaluated. The values are listed only for a broken invariant.
    const state = ds.states[inv.decision]!;
    const by = ds.facts.codes[rs.decisionSlot + inv.decision]!;
    if (!(by !== NO_CODE ? inv.forbiddenWhenDecidedBy[by]! : hasForbidden(state, inv.model.then))) continue;
    if (inv.test(ds.facts, ds.states) === T)
      (out ??= []).push({ invariant: inv.model.id, decision: inv.model.then.decision, values: forbiddenValues(state, inv.model.then)! });
  }
  return out ?? [];
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
