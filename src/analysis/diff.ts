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
import { shortDigest, type RulesetModel } from '../rules/model.js';
import { findingSeverity } from './codes.js';
import { byCodeUnit } from '../io/order.js';
import { sameState, settledKey, stateKey } from './outcome.js';
import { decide } from './semantics.js';
import { Encoding, ruleMeaning, type SymState } from './symbolic/encode.js';
import { DEFAULT_LIMITS, Session, type Limits } from './symbolic/solve.js';
import { inputSpace } from './symbolic/space.js';
import { withZ3, type B } from './symbolic/z3.js';

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
  /** More groups exist than listed (MAX_SETTLED, MAX_UNSETTLED). */
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
  /** A rule set changed without a new version (diff/version-not-bumped), then why historical cases were not evaluated (the first few). */
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

/**
 * A head whose content differs from the base's (the digest) under the same name and version.
 * Every plan and report names the rule set by name, version and digest, so two different
 * rule sets must never share a version (docs/rule-maintainers.md, the workflow's step 2). A
 * warning: it never changes the exit code.
 */
function versionNotBumped(base: RulesetModel, head: RulesetModel): Diagnostic[] {
  if (base.digest === head.digest || base.name !== head.name || base.version !== head.version) return [];
  return [
    {
      ...(head.versionSrc ?? {}),
      code: 'diff/version-not-bumped',
      severity: findingSeverity('diff/version-not-bumped'),
      message: `the rule set "${head.name}" changed (digest ${shortDigest(base.digest)} → ${shortDigest(head.digest)}) but its version is still ${head.version}: give it a new metadata.version`,
    },
  ];
}

function parameterChanges(base: DiffSide, head: DiffSide): DiffResult['parameters'] {
  const ids = [...new Set([...Object.keys(base.rs.params), ...Object.keys(head.rs.params)])].sort();
  return ids
    .map((id) => ({ id, from: base.rs.params[id] ?? null, to: head.rs.params[id] ?? null }))
    .filter((p) => p.from !== p.to);
}

/** The case space of both rule sets: per decision present in both, every changed outcome pair. */
function spaceDiff(base: DiffSide, head: DiffSide, limits: Limits): Promise<Map<string, SpaceDiff>> {
  return withZ3(limits.memoryMb, async (z) => {
    const sides = [base, head];
    const enc = new Encoding(z, inputSpace(sides.map((s) => ({ model: s.model, params: s.rs.params }))), [base.rs, head.rs]);
    const session = new Session(enc, limits);
    const ids = unionIds(base, head).filter((id) => enc.state(0, id) && enc.state(1, id));
    // what both sets have in common is one term: a decision nothing upstream of it changed is settled without a question
    const differs = new Map(ids.map((id) => [id, enc.differ(enc.state(0, id)!, enc.state(1, id)!)]));
    // random points judged by the engine on both sides list most changes without a question
    const samples = [...differs.values()].some((d) => !z.isFalse(d))
      ? [...session.sample(SAMPLES, 'sample'), ...session.sample(SAMPLES, 'sample', 0)].map((c) => ({ ...c, states: sides.map((s) => decide(c.input, s.rs).states) }))
      : [];
    const out = new Map<string, SpaceDiff>();
    for (const id of ids) out.set(id, await decisionChanges(session, enc, id, differs.get(id)!, sides, samples));
    return out;
  });
}

/** A random point of the space with each side's decision states. */
interface Judged {
  readonly raw: Record<string, unknown>;
  readonly input: CaseInput;
  readonly states: readonly (readonly DecisionState[])[];
}

/** Random points judged on both sides before the solver is asked: this many with some inputs unknown, as many with every input known (settled outcomes). */
const SAMPLES = 1000;

/** A settled outcome: a value (priority, score), or no item still possible (collect). */
const isSettled = (s: DecisionState): boolean => (s.included !== undefined ? s.candidates.length === 0 : s.value !== undefined);

/**
 * Every old → new pair of one decision. Changes between settled outcomes first (all of
 * them, up to the listing limit), then those involving an undetermined outcome. Pairs the
 * random points show are listed first (an engine run each); then the solver is asked for
 * a case with a pair not yet listed, which is confirmed with the engine, listed and
 * excluded, until it proves none is left or the listing is full.
 */
async function decisionChanges(session: Session, enc: Encoding, id: string, differ: B, sides: readonly DiffSide[], samples: readonly Judged[]): Promise<SpaceDiff> {
  if (enc.z.isFalse(differ)) return { complete: true, groups: [], truncated: false };
  const a = enc.state(0, id)!;
  const b = enc.state(1, id)!;
  const z = enc.z;
  const [ia, ib] = sides.map((s) => s.rs.decisionIndex.get(id)!) as [number, number];
  const excluded: B[] = [];
  const groups: SpaceGroup[] = [];
  const seen = new Set<string>();
  let settledCount = 0;
  const pairIn = (c: CaseInput) => {
    const [x, y] = sides.map((s) => stateIn(s, id, c));
    return x && y && !sameState(x, y) ? ([x, y] as const) : undefined;
  };
  const list = (raw: Record<string, unknown>, [x, y]: readonly [DecisionState, DecisionState], region?: Readonly<Record<string, string>>) => {
    groups.push({ from: stateKey(a.model, x), to: stateKey(b.model, y), example: raw, ...(region ? { region } : {}) });
    excluded.push(z.Not(z.And(stateIs(enc, a, x), stateIs(enc, b, y))));
    if (isSettled(x) && isSettled(y)) settledCount++;
  };
  // a shorter case showing the same change
  const shortened = (raw: Record<string, unknown>, [x, y]: readonly [DecisionState, DecisionState]) =>
    session.shrink(raw, [x, y] as const, (c) => {
      const p = pairIn(c);
      return p && sameState(p[0], x) && sameState(p[1], y) ? p : undefined;
    }, `diff-${id}`);
  let unsettledSeeded = 0;
  for (const c of samples) {
    const x = c.states[0]![ia]!;
    const y = c.states[1]![ib]!;
    if (sameState(x, y)) continue;
    const key = `${stateKey(a.model, x)}\0${stateKey(b.model, y)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const settled = isSettled(x) && isSettled(y);
    if (settled ? settledCount >= MAX_SETTLED : unsettledSeeded >= MAX_UNSETTLED) continue;
    if (!settled) unsettledSeeded++;
    const raw = { ...c.raw, id: `diff-${id}` };
    const short = shortened(raw, [x, y]);
    list(short.status === 'found' ? short.case : raw, [x, y], short.status === 'found' ? short.region : undefined);
  }
  let truncated = false;
  for (const settled of [true, false]) {
    for (;;) {
      const full = settled ? settledCount >= MAX_SETTLED : groups.length >= MAX_SETTLED + MAX_UNSETTLED;
      const found = await session.find([differ, ...(settled ? [enc.determined(a), enc.determined(b)] : []), ...excluded], pairIn, `diff-${id}`, false);
      if (found.status === 'unknown') return { complete: false, groups: sortGroups(groups), truncated, reason: found.reason };
      if (found.status === 'none') break;
      if (full) {
        // more changes exist than are listed
        truncated = true;
        if (settled) break;
        return { complete: true, groups: sortGroups(groups), truncated };
      }
      const short = shortened(found.case, found.value);
      const shown = short.status === 'found' ? short : found;
      list(shown.case, found.value, shown.region);
    }
  }
  return { complete: true, groups: sortGroups(groups), truncated };
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

/** A change as every listing shows it: old → new outcome, and how many historical cases make it (none: 0). */
export interface ChangeKey {
  readonly from: string;
  readonly to: string;
  readonly count?: number;
}

/** A change between settled outcomes on both sides: what the plan tells the MDT for sure changes. */
export const settledChange = (c: ChangeKey): boolean => settledKey(c.from) && settledKey(c.to);

/**
 * The one order of change groups, wherever they are listed (JSON, text, markdown, SARIF):
 * changes between settled outcomes first, then those involving an undetermined outcome;
 * within each, the most historical cases first; then by old and new outcome. A listing cut
 * short thus leaves out the least important changes.
 */
export const compareChanges = (x: ChangeKey, y: ChangeKey): number =>
  Number(!settledChange(x)) - Number(!settledChange(y)) || (y.count ?? 0) - (x.count ?? 0) || byCodeUnit(x.from, y.from) || byCodeUnit(x.to, y.to);

const sortGroups = (gs: readonly SpaceGroup[]): SpaceGroup[] => [...gs].sort(compareChanges);

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
      .sort(compareChanges)
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
    diagnostics: [...versionNotBumped(base.model, head.model), ...(history?.diagnostics ?? [])],
    complete: incomplete.length === 0,
    incomplete,
    changed: decisions.some((d) => d.status === 'changed' || d.status === 'added' || d.status === 'removed'),
  };
}
