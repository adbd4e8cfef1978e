/**
 * `rvlms diff`, the pure core: two rule sets evaluated side by side over the whole case
 * space (the validate exploration, run on both sets at once so that every threshold of
 * either set splits the space, with upstream decisions abstracted as pairs of outcomes)
 * and over historical cases, every changed decision grouped by old → new value with
 * counts and example cases.
 *
 * Case-space counts are points of each decision's own enumerated space (its input classes
 * × the outcome pairs of the decisions it reads), so they compare changes within one
 * decision; each example is a real case, checked on both rule sets with the engine's
 * closures. Historical counts are cases.
 */
import { validateCase } from '../case/schema.js';
import { factsOf, type CompiledRuleset, type DecisionState } from '../engine/compile.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { RuleModel, RulesetModel } from '../rules/model.js';
import { DecisionCycleError, Machine, type Exploration } from './explore.js';
import { sameState, shapeOf, stateKey, statesOf, type DecisionShape } from './outcome.js';
import { caseFromFields } from './space.js';
import { byCodeUnit } from '../io/order.js';

export const DIFF_SCHEMA_VERSION = 1;
const HISTORY_EXAMPLES = 5;
/** Case-space groups (largest first) for which an example case is searched, per decision. */
const EXAMPLE_GROUPS = 12;

export interface DiffSide {
  readonly label: string;
  readonly model: RulesetModel;
  readonly rs: CompiledRuleset;
}

export interface ChangeGroup {
  readonly from: string;
  readonly to: string;
  readonly count: number;
  /** Case space: one real case showing the change. */
  readonly example?: Record<string, unknown>;
  /** Historical cases: the first few case ids. */
  readonly cases?: readonly string[];
}

export interface DecisionDiff {
  readonly decision: string;
  readonly title: string;
  readonly status: 'changed' | 'unchanged' | 'added' | 'removed';
  readonly space: { readonly total: number; readonly changed: number; readonly groups: readonly ChangeGroup[] };
  readonly history?: { readonly total: number; readonly changed: number; readonly groups: readonly ChangeGroup[] };
}

export interface DiffResult {
  readonly schemaVersion: number;
  readonly base: SideInfo;
  readonly head: SideInfo;
  readonly parameters: readonly { readonly id: string; readonly from: number | null; readonly to: number | null }[];
  readonly rules: { readonly added: readonly string[]; readonly removed: readonly string[]; readonly modified: readonly string[] };
  readonly decisions: readonly DecisionDiff[];
  readonly history?: { readonly cases: number; readonly invalid: number; readonly changedCases: number };
  /** Why historical cases were not evaluated (the first few). */
  readonly diagnostics: readonly Diagnostic[];
  /** Whether the space could be compared (false when the two sets order their decisions in a cycle). */
  readonly spaceCompared: boolean;
  readonly changed: boolean;
}

interface SideInfo {
  readonly label: string;
  readonly name: string;
  readonly version: string;
  readonly digest: string;
}

const sideInfo = (s: DiffSide): SideInfo => ({ label: s.label, name: s.model.name, version: s.model.version, digest: s.model.digest });

/** What a rule means, without where it is written. */
const ruleMeaning = (r: RuleModel): string =>
  JSON.stringify({ ...r, src: undefined, when: stripSrc(r.when) });
const stripSrc = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(stripSrc) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'src').map(([k, x]) => [k, stripSrc(x)])) : v;

function ruleChanges(base: RulesetModel, head: RulesetModel): DiffResult['rules'] {
  const b = new Map(base.rules.map((r) => [r.id, ruleMeaning(r)]));
  const h = new Map(head.rules.map((r) => [r.id, ruleMeaning(r)]));
  return {
    added: [...h.keys()].filter((id) => !b.has(id)).sort(),
    removed: [...b.keys()].filter((id) => !h.has(id)).sort(),
    modified: [...h.keys()].filter((id) => b.has(id) && b.get(id) !== h.get(id)).sort(),
  };
}

function parameterChanges(base: DiffSide, head: DiffSide): DiffResult['parameters'] {
  const ids = [...new Set([...Object.keys(base.rs.params), ...Object.keys(head.rs.params)])].sort();
  return ids
    .map((id) => ({ id, from: base.rs.params[id] ?? null, to: head.rs.params[id] ?? null }))
    .filter((p) => p.from !== p.to);
}

/** The case space of both rule sets: per decision, every changed outcome pair. */
function spaceDiff(machine: Machine, base: DiffSide, head: DiffSide): Map<string, DecisionDiff['space']> {
  const out = new Map<string, DecisionDiff['space']>();
  const shapes = [base, head].map((s) => s.rs.decisions.map(shapeOf));
  for (const id of machine.order) {
    const exp = machine.explore(id);
    const groups = new Map<string, { from: string; to: string; count: number }>();
    let changed = 0;
    for (const e of machine.states(id).values()) {
      const [from, to] = e.state.keys as [string, string];
      if (from === to) continue;
      changed += e.count;
      const g = groups.get(e.state.key) ?? { from, to, count: 0 };
      g.count += e.count;
      groups.set(e.state.key, g);
    }
    const list = [...groups.values()].sort((a, b) => b.count - a.count || byCodeUnit(a.from, b.from) || byCodeUnit(a.to, b.to));
    let total = 0;
    for (const e of machine.states(id).values()) total += e.count;
    out.set(id, {
      total,
      changed,
      groups: list.map((g, i) => {
        const example = i < EXAMPLE_GROUPS ? exampleFor(machine, exp, id, g.from, g.to, [base, head], shapes) : undefined;
        return { ...g, ...(example ? { example } : {}) };
      }),
    });
  }
  return out;
}

function exampleFor(
  machine: Machine,
  exp: Exploration,
  id: string,
  from: string,
  to: string,
  sides: readonly DiffSide[],
  shapes: readonly (readonly DecisionShape[])[],
): Record<string, unknown> | undefined {
  let example: Record<string, unknown> | undefined;
  machine.solve(
    exp,
    (t) => {
      const k = machine.stateOf(exp, t).keys;
      return k[0] === from && k[1] === to;
    },
    (assignment) => {
      const c = caseFromFields(assignment, `diff-${id}`);
      if (!validateCase(c, 'diff').ok) return false;
      const got = sides.map((s, i) => keyOf(s, id, statesOf(s.rs, factsOf(s.rs, c), shapes[i])));
      if (got[0] !== from || got[1] !== to) return false;
      example = c;
      return true;
    },
    { steps: 50_000 },
  );
  return example;
}

function keyOf(side: DiffSide, id: string, states: readonly DecisionState[]): string {
  const i = side.rs.decisionIndex.get(id);
  return i === undefined ? '(absent)' : stateKey(side.rs.decisions[i]!.model, states[i]);
}

/** Accumulates historical cases one at a time (bounded memory: counts and a few ids). */
export class HistoryDiff {
  private readonly ids: readonly string[];
  private readonly shapes: readonly (readonly DecisionShape[])[];
  private readonly groups = new Map<string, Map<string, { from: string; to: string; count: number; cases: string[] }>>();
  private readonly changedBy = new Map<string, number>();
  cases = 0;
  invalid = 0;
  changedCases = 0;

  /** `examples`: how many case ids each group keeps (5 by default). */
  constructor(
    private readonly base: DiffSide,
    private readonly head: DiffSide,
    private readonly examples = HISTORY_EXAMPLES,
  ) {
    this.ids = unionIds(base, head);
    this.shapes = [base, head].map((s) => s.rs.decisions.map(shapeOf));
  }

  /** A case already known to be valid. */
  add(id: string, data: unknown): void {
    this.cases++;
    const facts = factsOf(this.base.rs, data); // both sides read the same field catalogue
    const before = statesOf(this.base.rs, facts, this.shapes[0]);
    const after = statesOf(this.head.rs, facts, this.shapes[1]);
    let any = false;
    for (const d of this.ids) {
      const bi = this.base.rs.decisionIndex.get(d);
      const hi = this.head.rs.decisionIndex.get(d);
      if (bi !== undefined && hi !== undefined && sameState(before[bi], after[hi])) continue;
      const from = keyOf(this.base, d, before);
      const to = keyOf(this.head, d, after);
      if (from === to) continue;
      any = true;
      this.changedBy.set(d, (this.changedBy.get(d) ?? 0) + 1);
      let byPair = this.groups.get(d);
      if (!byPair) this.groups.set(d, (byPair = new Map()));
      const key = `${from}\0${to}`;
      let g = byPair.get(key);
      if (!g) byPair.set(key, (g = { from, to, count: 0, cases: [] }));
      g.count++;
      if (g.cases.length < this.examples) g.cases.push(id);
    }
    if (any) this.changedCases++;
  }

  readonly diagnostics: Diagnostic[] = [];

  /** A case that could not be read or is not valid: counted, the first few reasons kept. */
  addInvalid(diagnostics: readonly Diagnostic[]): void {
    this.invalid++;
    if (this.diagnostics.length < 10) this.diagnostics.push(...diagnostics.slice(0, 10 - this.diagnostics.length));
  }

  decision(id: string): NonNullable<DecisionDiff['history']> {
    const groups = [...(this.groups.get(id)?.values() ?? [])]
      .sort((a, b) => b.count - a.count || byCodeUnit(a.from, b.from) || byCodeUnit(a.to, b.to))
      .map((g) => ({ from: g.from, to: g.to, count: g.count, cases: g.cases }));
    return { total: this.cases, changed: this.changedBy.get(id) ?? 0, groups };
  }
}

function unionIds(base: DiffSide, head: DiffSide): string[] {
  const ids = base.model.decisions.map((d) => d.id);
  for (const d of head.model.decisions) if (!ids.includes(d.id)) ids.push(d.id);
  return ids;
}

export function diffRulesets(base: DiffSide, head: DiffSide, history?: HistoryDiff): DiffResult {
  let space: Map<string, DecisionDiff['space']> | undefined;
  try {
    space = spaceDiff(new Machine([base.rs, head.rs], { precise: true }), base, head);
  } catch (e) {
    if (!(e instanceof DecisionCycleError)) throw e;
  }
  const decisions: DecisionDiff[] = unionIds(base, head).map((id) => {
    const inBase = base.rs.decisionIndex.has(id);
    const inHead = head.rs.decisionIndex.has(id);
    const s = space?.get(id) ?? { total: 0, changed: 0, groups: [] };
    const h = history?.decision(id);
    const status = !inBase ? 'added' : !inHead ? 'removed' : s.changed > 0 || (h?.changed ?? 0) > 0 ? 'changed' : 'unchanged';
    const title = (head.model.decisions.find((d) => d.id === id) ?? base.model.decisions.find((d) => d.id === id))!.title;
    return { decision: id, title, status, space: s, ...(h ? { history: h } : {}) };
  });
  const rules = ruleChanges(base.model, head.model);
  const parameters = parameterChanges(base, head);
  return {
    schemaVersion: DIFF_SCHEMA_VERSION,
    base: sideInfo(base),
    head: sideInfo(head),
    parameters,
    rules,
    decisions,
    ...(history ? { history: { cases: history.cases, invalid: history.invalid, changedCases: history.changedCases } } : {}),
    diagnostics: history?.diagnostics ?? [],
    spaceCompared: space !== undefined,
    changed: decisions.some((d) => d.status !== 'unchanged'),
  };
}
