/**
 * `rvlms diff`, the pure core: two rule sets compared over every possible case and over
 * historical cases, every changed decision grouped by old → new outcome.
 *
 * Case space: both rule sets are encoded over one input space (every threshold of either
 * splits it; symbolic/), and for each decision the solver is asked for a case where the two
 * sets give different outcomes — through any chain of decisions, so a change that reaches
 * `access` only through `ivcManagement` is found. Each answer is run through the real
 * engine on both sides, its old → new pair becomes a group (with the case and the numeric
 * region that behaves the same), that pair is excluded, and the question is asked again
 * until no case is left: the groups are then every way the decision changes. A question
 * the solver cannot answer within the limits makes the comparison of that decision
 * incomplete; it is then never reported as unchanged. Historical counts are cases.
 */
import type { CaseInput } from '../case/schema.js';
import type { CompiledRuleset, DecisionState } from '../engine/compile.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { RulesetModel } from '../rules/model.js';
import { byCodeUnit } from '../io/order.js';
import { sameState, stateKey } from './outcome.js';
import { decide } from './semantics.js';
import { Encoding, ruleMeaning, type SymState } from './symbolic/encode.js';
import { DEFAULT_LIMITS, Session, type Limits } from './symbolic/solve.js';
import { inputSpace } from './symbolic/space.js';
import { z3Context, type B } from './symbolic/z3.js';

export const DIFF_SCHEMA_VERSION = 2;
const HISTORY_EXAMPLES = 5;
/** Change groups listed per decision (settled outcomes, then undetermined ones) before the listing says it is cut short. */
const MAX_SETTLED = 12;
const MAX_UNSETTLED = 6;

export interface DiffSide {
  readonly label: string;
  readonly model: RulesetModel;
  readonly rs: CompiledRuleset;
}

export interface SpaceGroup {
  readonly from: string;
  readonly to: string;
  /** A real case showing the change (checked on both rule sets with the engine). */
  readonly example: Record<string, unknown>;
  /** Numeric inputs of the example widened to the interval that behaves the same. */
  readonly region?: Readonly<Record<string, string>>;
}

export interface HistoryGroup {
  readonly from: string;
  readonly to: string;
  readonly count: number;
  /** The first few case ids. */
  readonly cases: readonly string[];
}

export interface SpaceDiff {
  /** Every question about this decision was answered: `groups` lists every way it changes (unless `truncated`). */
  readonly complete: boolean;
  readonly groups: readonly SpaceGroup[];
  /** More groups exist than listed (MAX_GROUPS). */
  readonly truncated: boolean;
  /** Why the comparison is incomplete. */
  readonly reason?: string;
}

export interface DecisionDiff {
  readonly decision: string;
  readonly title: string;
  /** 'not-compared': the case space could not be compared completely and no change was found. */
  readonly status: 'changed' | 'unchanged' | 'added' | 'removed' | 'not-compared';
  readonly space?: SpaceDiff;
  readonly history?: { readonly total: number; readonly changed: number; readonly groups: readonly HistoryGroup[] };
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
  /** Every decision present in both sets was compared over the whole case space. */
  readonly complete: boolean;
  /** Decisions whose comparison is incomplete, and why. */
  readonly incomplete: readonly { readonly decision: string; readonly reason: string }[];
  readonly changed: boolean;
}

interface SideInfo {
  readonly label: string;
  readonly name: string;
  readonly version: string;
  readonly digest: string;
}

const sideInfo = (s: DiffSide): SideInfo => ({ label: s.label, name: s.model.name, version: s.model.version, digest: s.model.digest });

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

/** The case space of both rule sets: per decision present in both, every changed outcome pair. */
async function spaceDiff(base: DiffSide, head: DiffSide, limits: Limits): Promise<Map<string, SpaceDiff>> {
  const z = await z3Context(limits.memoryMb);
  const sides = [base, head];
  const enc = new Encoding(z, inputSpace(sides.map((s) => ({ model: s.model, params: s.rs.params }))), [base.rs, head.rs]);
  const session = new Session(enc, limits);
  const out = new Map<string, SpaceDiff>();
  for (const id of unionIds(base, head)) {
    const a = enc.state(0, id);
    const b = enc.state(1, id);
    if (!a || !b) continue;
    out.set(id, await decisionChanges(session, enc, id, a, b, sides));
  }
  return out;
}

/**
 * Every old → new pair of one decision: ask, confirm with the engine, exclude the pair, ask
 * again. Changes between settled outcomes first (all of them, up to the listing limit),
 * then those involving an undetermined outcome.
 */
async function decisionChanges(session: Session, enc: Encoding, id: string, a: SymState, b: SymState, sides: readonly DiffSide[]): Promise<SpaceDiff> {
  const z = enc.z;
  const differ = enc.differ(a, b);
  // what both sets have in common is one term: an untouched decision is settled here
  if (z.isFalse(differ)) return { complete: true, groups: [], truncated: false };
  const excluded: B[] = [];
  const groups: SpaceGroup[] = [];
  let settled = true;
  let truncated = false;
  for (;;) {
    const pairIn = (c: CaseInput) => {
      const [x, y] = sides.map((s) => stateIn(s, id, c));
      return x && y && !sameState(x, y) ? ([x, y] as const) : undefined;
    };
    const found = await session.find([differ, ...(settled ? [enc.determined(a), enc.determined(b)] : []), ...excluded], pairIn, `diff-${id}`, false);
    const full = groups.length >= (settled ? MAX_SETTLED : MAX_SETTLED + MAX_UNSETTLED);
    if ((found.status === 'none' || (found.status === 'found' && full)) && settled) {
      // every settled change listed (or the listing is full): on to the undetermined ones
      truncated ||= found.status === 'found';
      settled = false;
      continue;
    }
    if (found.status === 'none') return { complete: true, groups: sortGroups(groups), truncated };
    if (found.status === 'unknown') return { complete: false, groups: sortGroups(groups), truncated, reason: found.reason };
    if (full) return { complete: true, groups: sortGroups(groups), truncated: true };
    const [x, y] = found.value;
    // a shorter case showing the same change
    const short = session.shrink(found.case, found.value, (c) => {
      const p = pairIn(c);
      return p && sameState(p[0], x) && sameState(p[1], y) ? p : undefined;
    }, `diff-${id}`);
    const shown = short.status === 'found' ? short : found;
    groups.push({ from: stateKey(a.model, x), to: stateKey(b.model, y), example: shown.case, ...(shown.region ? { region: shown.region } : {}) });
    excluded.push(z.Not(z.And(stateIs(enc, a, x), stateIs(enc, b, y))));
  }
}

/** The symbolic state equals a concrete one. */
function stateIs(enc: Encoding, s: SymState, c: DecisionState): B {
  const z = enc.z;
  const parts: B[] = [];
  const eq = (sym: B | undefined, on: boolean) => {
    if (sym) parts.push(on ? sym : z.Not(sym));
    else if (on) parts.push(z.Bool.val(false));
  };
  for (const v of new Set([...s.values, ...c.candidates, ...(c.included ?? []), ...(c.value !== undefined ? [c.value] : [])])) {
    eq(s.val.get(v), c.value === v);
    eq(s.cands.get(v), c.candidates.includes(v));
    eq(s.inc.get(v), (c.included ?? []).includes(v));
  }
  return z.And(...parts);
}

function stateIn(side: DiffSide, id: string, c: unknown): DecisionState | undefined {
  const i = side.rs.decisionIndex.get(id);
  return i === undefined ? undefined : decide(c, side.rs).states[i];
}

/** Settled changes first, then by old and new outcome. */
const sortGroups = (gs: readonly SpaceGroup[]): SpaceGroup[] =>
  [...gs].sort((x, y) => Number(unsettled(x)) - Number(unsettled(y)) || byCodeUnit(x.from, y.from) || byCodeUnit(x.to, y.to));
const unsettled = (g: SpaceGroup) => /undetermined|possibly/.test(`${g.from} ${g.to}`);

function keyOf(side: DiffSide, id: string, states: readonly DecisionState[]): string {
  const i = side.rs.decisionIndex.get(id);
  return i === undefined ? '(absent)' : stateKey(side.rs.decisions[i]!.model, states[i]);
}

/** Accumulates historical cases one at a time (bounded memory: counts and a few ids). */
export class HistoryDiff {
  private readonly ids: readonly string[];
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
  }

  /** A case already known to be valid. */
  add(id: string, data: unknown): void {
    this.cases++;
    const before = decide(data, this.base.rs).states;
    const after = decide(data, this.head.rs).states;
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
      if (!byPair) this.groups.set(d, (byPair = new Map<string, { from: string; to: string; count: number; cases: string[] }>()));
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

export async function diffRulesets(base: DiffSide, head: DiffSide, history?: HistoryDiff, limits: Limits = DEFAULT_LIMITS): Promise<DiffResult> {
  const space = await spaceDiff(base, head, limits);
  const decisions: DecisionDiff[] = unionIds(base, head).map((id) => {
    const inBase = base.rs.decisionIndex.has(id);
    const inHead = head.rs.decisionIndex.has(id);
    const s = space.get(id);
    const h = history?.decision(id);
    const status = !inBase
      ? 'added'
      : !inHead
        ? 'removed'
        : (s?.groups.length ?? 0) > 0 || (h?.changed ?? 0) > 0
          ? 'changed'
          : s?.complete
            ? 'unchanged'
            : 'not-compared';
    const title = (head.model.decisions.find((d) => d.id === id) ?? base.model.decisions.find((d) => d.id === id))!.title;
    return { decision: id, title, status, ...(s ? { space: s } : {}), ...(h ? { history: h } : {}) };
  });
  const incomplete = [...space].filter(([, s]) => !s.complete).map(([decision, s]) => ({ decision, reason: s.reason ?? 'not answered' }));
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
    complete: incomplete.length === 0,
    incomplete,
    changed: decisions.some((d) => d.status === 'changed' || d.status === 'added' || d.status === 'removed'),
  };
}
