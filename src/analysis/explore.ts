/**
 * Exhaustive exploration of the case space, decision by decision. Pure.
 *
 * How it stays exhaustive and fast
 * --------------------------------
 * 1. Per decision, only the fields its rules read are enumerated (space.ts gives each field
 *    the few values that tell its conditions apart, plus unknown).
 * 2. A decision its rules read (`{decision: …}`) is not re-enumerated from its own inputs:
 *    it is abstracted to the outcomes it can have — each value, and "undetermined" with
 *    every candidate set (for collect decisions: every included / possible item set) that
 *    its own exploration produces. Those outcomes are conditioned on the field values of
 *    the point being enumerated (`reach(decision, given)`, recursively, memoised on the
 *    classes of the fields that decision can see), so "ivcManagement = ligation" is never
 *    paired with "segments contains III". What remains over-approximated is a correlation
 *    through fields the reading decision does not itself read (two upstream decisions, or
 *    rules in different components, that both depend on an unread field).
 * 3. The rules are split into independent components (rules sharing no field and no
 *    decision; fields the case schema relates, such as segments and right-atrial
 *    extension, are kept together so impossible cases are never offered). Each component
 *    is enumerated alone and reduced to its distinct truth vectors; the decision's space is
 *    the product of those vectors — exact, and far smaller than the raw product. With
 *    `precise` (diff), a rule reading a decision is also kept with the rules reading the
 *    fields that decision depends on, so the remaining over-approximation disappears
 *    except through fields no rule of the decision reads.
 * 4. Every finding is then concretised: a search picks, component by component, a point
 *    of the class that produced the finding and, for each abstract upstream outcome it
 *    needs, searches that upstream decision's own space with the fields already chosen
 *    held fixed (recursively, latest decision first, pruning outcomes that the fixed fields
 *    rule out, memoising failures, backtracking). The result is a real, schema-valid case
 *    that the caller finally checks against the real engine. A finding whose abstract
 *    combination cannot be realised is spurious and is dropped.
 *
 * The same machinery runs over one rule set (validate) or two side by side (diff: every
 * condition of both sets in one space, so every threshold of either splits it, upstream
 * outcomes abstracted as pairs).
 */
import { INPUT_FIELDS } from '../case/fields.js';
import { compileRuleset, type CompiledRuleset, type CondFn, type DecisionState, type Truth } from '../engine/compile.js';
import type { ConditionModel, DecisionModel, RuleModel, RulesetModel } from '../rules/model.js';
import { resolveState, shapeOf, stateKey, type DecisionShape } from './outcome.js';
import { consistent, decisionsOf, FIELD_INDEX, fieldDomain, leavesOf, linkedFields, type Leaf } from './space.js';

export interface Cond {
  /** Which rule set (side) the condition belongs to. */
  readonly side: number;
  readonly test: CondFn;
  readonly when: ConditionModel;
  readonly fields: readonly number[];
  readonly decisions: readonly string[];
}

/** An abstract outcome of a decision: one state per side (undefined where a side lacks it). */
export interface MState {
  readonly key: string;
  readonly keys: readonly string[];
  readonly sides: readonly (DecisionState | undefined)[];
}

export interface Point {
  readonly vals: readonly unknown[];
  readonly ups: readonly MState[];
}

export interface ClassRow {
  readonly truths: Uint8Array;
  count: number;
  readonly points: Point[];
}

export interface Component {
  readonly conds: readonly number[];
  readonly fields: readonly number[];
  readonly decisions: readonly string[];
  readonly checkConsistency: boolean;
  readonly size: number;
}

export interface Exploration {
  /** The decision explored ('' for a free-standing set of conditions). */
  readonly decision: string;
  readonly conds: readonly Cond[];
  /** Per side: indices of the decision's rules in `conds`, in evaluation order. */
  readonly ruleConds: readonly (readonly number[] | undefined)[];
  readonly domains: ReadonlyMap<number, readonly unknown[]>;
  readonly upstream: ReadonlyMap<string, readonly MState[]>;
  readonly components: readonly Component[];
  /** The order in which a counterexample search picks points, component by component. */
  readonly pickOrder: readonly number[];
  /** Number of points of the whole space (product of the components' sizes). */
  readonly size: number;
  readonly tooLarge: boolean;
}

export interface StateEntry {
  readonly state: MState;
  count: number;
}

export interface Budget {
  steps: number;
}

/**
 * Largest component enumerated point by point (estimated before conditioning, which
 * usually leaves far fewer points), largest product of classes, and how many points of one
 * class are kept for counterexample searches (counts stay exact beyond it).
 */
export const COMPONENT_LIMIT = 50_000_000;
export const PRODUCT_LIMIT = 5_000_000;
const POINTS_PER_CLASS = 4_000;

type Assignment = Map<number, unknown>;
type Finish = (assignment: ReadonlyMap<number, unknown>) => boolean;
/** The outcomes a decision read by an exploration can have, given some field values. */
type UpstreamDomain = (id: string, given: ReadonlyMap<number, unknown>) => readonly MState[];

const NO_PINS: ReadonlyMap<number, unknown> = new Map();

const pinKey = (pins: ReadonlyMap<number, unknown>, scope: ReadonlySet<number> | readonly number[]): string => {
  const fs = [...scope].filter((f) => pins.has(f)).sort((a, b) => a - b);
  return fs.map((f) => `${f}=${JSON.stringify(pins.get(f)) ?? 'u'}`).join(';');
};

export class Machine {
  readonly order: readonly string[];
  private readonly explorations = new Map<string, Exploration>();
  private readonly reachTables = new Map<string, Map<string, StateEntry>>();
  private readonly rowCache = new WeakMap<Exploration, Map<string, Map<number | string, ClassRow>>>();
  private readonly closures = new Map<string, ReadonlySet<number>>();
  private readonly relevantCache = new WeakMap<Exploration, Set<number>>();
  private readonly domains = new WeakMap<Exploration, UpstreamDomain>();
  private readonly classCache = new Map<string, { signature: (v: unknown) => string; reps: Map<string, unknown>; byValue: Map<string, unknown> }>();
  private readonly shapes: readonly ReadonlyMap<string, DecisionShape>[];

  /**
   * `precise`: also keep a rule reading a decision together with the rules reading fields
   * that decision depends on, so its outcome is conditioned on them and cross-component
   * combinations are never impossible (larger components; used by diff, whose counts
   * must be real — validate confirms every finding by concretising it instead).
   */
  constructor(readonly sides: readonly CompiledRuleset[], private readonly options: { readonly precise?: boolean } = {}) {
    this.shapes = sides.map((rs) => new Map(rs.decisions.map((d) => [d.model.id, shapeOf(d)])));
    this.order = decisionOrder(sides);
  }

  decisionModel(id: string): DecisionModel | undefined {
    for (const rs of this.sides) {
      const i = rs.decisionIndex.get(id);
      if (i !== undefined) return rs.decisions[i]!.model;
    }
    return undefined;
  }

  /** Conditions of a decision's rules on one side, in evaluation order. */
  ruleConds(id: string, side: number): Cond[] | undefined {
    const rs = this.sides[side]!;
    const i = rs.decisionIndex.get(id);
    if (i === undefined) return undefined;
    return rs.decisions[i]!.rules.map((r) => condOf(side, r.test, r.model.when));
  }

  /** The exploration of a decision's rules over its own inputs (memoised). */
  explore(id: string): Exploration {
    let e = this.explorations.get(id);
    if (!e) {
      e = this.exploreWith(id, []);
      this.explorations.set(id, e);
    }
    return e;
  }

  /** A decision's rules plus extra conditions (e.g. an invariant's `when`). */
  exploreWith(id: string, extras: readonly Cond[]): Exploration {
    const conds: Cond[] = [];
    const ruleConds = this.sides.map((_, s) => {
      const cs = this.ruleConds(id, s);
      if (!cs) return undefined;
      const start = conds.length;
      conds.push(...cs);
      return cs.map((_, i) => start + i);
    });
    conds.push(...extras);
    return this.exploreConds(id, conds, ruleConds, (d, given) => this.reach(d, given));
  }

  /**
   * Any conditions over the space. `upstreamDomain` gives the outcomes of each decision
   * they read, given the field values of the point being enumerated (the real reachable
   * outcomes by default; a fixed list for reading a decision "freely").
   */
  exploreConds(decision: string, conds: readonly Cond[], ruleConds: readonly (readonly number[] | undefined)[], upstreamDomain: UpstreamDomain): Exploration {
    const leaves: Leaf[] = [];
    for (const c of conds) leavesOf(c.when, this.sides[c.side]!.params, leaves);
    const fields = [...new Set(conds.flatMap((c) => c.fields))].sort((a, b) => a - b);
    const domains = new Map(fields.map((f) => [f, fieldDomain(INPUT_FIELDS[f]!, leaves)] as const));
    const decisions = [...new Set(conds.flatMap((c) => c.decisions))];
    const upstream = new Map(decisions.map((d) => [d, upstreamDomain(d, NO_PINS)] as const));
    const components = splitComponents(conds, fields, domains, upstream, this.options.precise ? (d) => this.closureFields(d) : undefined);
    let size = 1;
    let product = 1;
    let tooLarge = false;
    for (const comp of components) {
      size *= comp.size;
      product *= Math.min(comp.size, 3 ** comp.conds.length);
      if (comp.size > COMPONENT_LIMIT) tooLarge = true;
    }
    if (product > PRODUCT_LIMIT) tooLarge = true;
    const pickOrder = components.map((_, i) => i).sort((a, b) => components[b]!.decisions.length - components[a]!.decisions.length || a - b);
    const exp: Exploration = { decision, conds, ruleConds, domains, upstream, components, pickOrder, size, tooLarge };
    this.domains.set(exp, upstreamDomain);
    return exp;
  }

  /**
   * The outcomes a decision reaches, with how many points of its space give each, given
   * values for some fields (only those its rules, or the decisions they read, can see
   * matter). Upstream outcomes are conditioned the same way, recursively, so a point
   * never pairs a field value with an upstream outcome that value rules out.
   */
  reachTable(id: string, given: ReadonlyMap<number, unknown> = NO_PINS): ReadonlyMap<string, StateEntry> {
    const pins = this.canonical(id, given);
    const key = `${id}|${pinKey(pins, this.closureFields(id))}`;
    let t = this.reachTables.get(key);
    if (t) return t;
    t = new Map();
    const exp = this.explore(id);
    if (!exp.tooLarge) {
      const table = t;
      const tables = exp.components.map((_, ci) => this.outcomeRows(exp, ci, pins));
      forEachCombo(exp, tables, (truths, rows) => {
        const st = this.stateOf(exp, truths);
        let n = 1;
        for (const r of rows) n *= r.count;
        const e = table.get(st.key);
        if (e) e.count += n;
        else table.set(st.key, { state: st, count: n });
        return false;
      });
    }
    this.reachTables.set(key, t);
    return t;
  }

  /**
   * `given` restricted to the fields a decision can see, each value replaced by the
   * representative of its class for the conditions the decision (and every decision it
   * reads) applies to that field — so equivalent inputs share one reach table.
   */
  private canonical(id: string, given: ReadonlyMap<number, unknown>): ReadonlyMap<number, unknown> {
    const scope = this.closureFields(id);
    const out = new Map<number, unknown>();
    for (const [f, v] of given) if (scope.has(f)) out.set(f, this.representative(id, f, v));
    return out;
  }

  private representative(id: string, field: number, value: unknown): unknown {
    const key = `${id}|${field}`;
    let classes = this.classCache.get(key);
    if (!classes) {
      const leaves: Cond[] = [];
      const walk = (d: string, seen: Set<string>): void => {
        if (seen.has(d)) return;
        seen.add(d);
        for (let side = 0; side < this.sides.length; side++)
          for (const c of this.ruleConds(d, side) ?? []) {
            leaves.push(...this.compileConds(side, factNodes(c.when).filter((n) => FIELD_INDEX.get(n.fact) === field)));
            for (const u of c.decisions) walk(u, seen);
          }
      };
      walk(id, new Set());
      const facts: unknown[] = new Array(INPUT_FIELDS.length).fill(undefined);
      const signature = (v: unknown) => {
        facts[field] = v;
        return leaves.map((l) => l.test(facts, [])).join('');
      };
      const reps = new Map<string, unknown>();
      const byValue = new Map<string, unknown>();
      classes = { signature, reps, byValue };
      this.classCache.set(key, classes);
    }
    const vk = JSON.stringify(value) ?? 'u';
    if (classes.byValue.has(vk)) return classes.byValue.get(vk);
    const sig = classes.signature(value);
    if (!classes.reps.has(sig)) classes.reps.set(sig, value);
    const rep = classes.reps.get(sig);
    classes.byValue.set(vk, rep);
    return rep;
  }

  /** Every outcome of a decision over its whole space. */
  states(id: string): ReadonlyMap<string, StateEntry> {
    return this.reachTable(id);
  }

  reach(id: string, given: ReadonlyMap<number, unknown> = NO_PINS): readonly MState[] {
    return [...this.reachTable(id, given).values()].map((e) => e.state);
  }

  reachable(id: string): readonly MState[] {
    return this.reach(id);
  }

  /** The decision's state on every side for a full truth vector of `exp`. */
  stateOf(exp: Exploration, truths: Uint8Array): MState {
    const sides = exp.ruleConds.map((rc, s) => {
      if (!rc) return undefined;
      const shape = this.shapes[s]!.get(exp.decision)!;
      return resolveState(shape, (i) => truths[rc[i]!] as Truth);
    });
    return this.mstate(exp.decision, sides);
  }

  mstate(id: string, sides: readonly (DecisionState | undefined)[]): MState {
    const keys = sides.map((st, s) => {
      const i = this.sides[s]!.decisionIndex.get(id);
      return i === undefined ? '(absent)' : stateKey(this.sides[s]!.decisions[i]!.model, st);
    });
    return { key: keys.join(' ⇒ '), keys, sides };
  }

  /**
   * Truth-vector classes of one component. Fields with a value in `given` are pinned to
   * it; the outcomes of the decisions the component reads are conditioned on the point's
   * fields and on `given`.
   */
  rows(exp: Exploration, ci: number, given: ReadonlyMap<number, unknown> = NO_PINS): ReadonlyMap<number | string, ClassRow> {
    const comp = exp.components[ci]!;
    const scope = new Set(comp.fields);
    for (const d of comp.decisions) for (const f of this.closureFields(d)) scope.add(f);
    const cacheKey = `${ci}|${pinKey(given, scope)}`;
    let cache = this.rowCache.get(exp);
    if (!cache) this.rowCache.set(exp, (cache = new Map()));
    const hit = cache.get(cacheKey);
    if (hit) return hit;
    const table = new Map<number | string, ClassRow>();
    cache.set(cacheKey, table);
    const upstreamDomain = this.domains.get(exp)!;
    const condList = comp.conds.map((k) => exp.conds[k]!);
    const nc = condList.length;
    const scratch = new Uint8Array(nc);
    const doms = comp.fields.map((f) => (given.has(f) ? [given.get(f)] : exp.domains.get(f)!));
    const facts: unknown[] = new Array(INPUT_FIELDS.length).fill(undefined);
    const stateBufs = this.sides.map((rs) => new Array<DecisionState>(rs.decisions.length));
    const upIndex = comp.decisions.map((d) => this.sides.map((rs) => rs.decisionIndex.get(d)));
    const context: Assignment = new Map([...given].filter(([f]) => scope.has(f)));
    const nf = doms.length;
    if (doms.some((d) => d.length === 0)) return table;
    const idx = new Array<number>(nf).fill(0);
    for (;;) {
      for (let k = 0; k < nf; k++) {
        const v = doms[k]![idx[k]!];
        facts[comp.fields[k]!] = v;
        context.set(comp.fields[k]!, v);
      }
      if (!comp.checkConsistency || consistent(context)) {
        const upDoms = comp.decisions.map((d) => upstreamDomain(d, context));
        const vals = doms.map((d, k) => d[idx[k]!]);
        forEachIndex(upDoms.map((d) => d.length), (upIdx) => {
          for (let k = 0; k < upDoms.length; k++) {
            const up = upDoms[k]![upIdx[k]!]!;
            for (let s = 0; s < this.sides.length; s++) {
              const di = upIndex[k]![s];
              if (di !== undefined && up.sides[s]) stateBufs[s]![di] = up.sides[s]!;
            }
          }
          // the class key: the truth vector read as a base-3 number (or a string when long)
          let key: number | string = 0;
          for (let k = 0; k < nc; k++) scratch[k] = condList[k]!.test(facts, stateBufs[condList[k]!.side]!);
          if (nc <= 30) for (let k = 0; k < nc; k++) key = (key as number) * 3 + scratch[k]!;
          else key = scratch.join('');
          const row = table.get(key);
          if (row) {
            row.count++;
            if (row.points.length < POINTS_PER_CLASS) row.points.push({ vals, ups: upDoms.map((d, k) => d[upIdx[k]!]!) });
          } else table.set(key, { truths: Uint8Array.from(scratch), count: 1, points: [{ vals, ups: upDoms.map((d, k) => d[upIdx[k]!]!) }] });
        });
      }
      let k = nf - 1;
      while (k >= 0 && ++idx[k]! >= doms[k]!.length) idx[k--] = 0;
      if (k < 0) break;
    }
    return table;
  }

  /**
   * The component's classes merged where they cannot change the decision's outcome: for a
   * collect rule only which values hold or may hold matters, for a score rule only the
   * points it adds to the lowest and highest score. Enough for outcomes (reachTable),
   * not for questions about single rules.
   */
  private outcomeRows(exp: Exploration, ci: number, given: ReadonlyMap<number, unknown>): ClassRow[] {
    const comp = exp.components[ci]!;
    const raw = [...this.rows(exp, ci, given).values()];
    const roles = comp.conds.map((k) => {
      for (let s = 0; s < exp.ruleConds.length; s++) {
        const i = exp.ruleConds[s]?.indexOf(k) ?? -1;
        if (i >= 0) return { side: s, rule: this.shapes[s]!.get(exp.decision)!.rules[i]!, policy: this.shapes[s]!.get(exp.decision)!.model.hitPolicy };
      }
      return undefined;
    });
    if (roles.every((r) => r?.policy === 'priority' || r === undefined)) return raw;
    const merged = new Map<string, ClassRow>();
    for (const row of raw) {
      const parts = this.sides.map(() => ({ hold: new Set<string>(), may: new Set<string>(), lo: 0, hi: 0, raw: '' }));
      let extra = '';
      roles.forEach((r, k) => {
        const t = row.truths[k]!;
        if (!r) extra += t;
        else if (r.policy === 'priority') parts[r.side]!.raw += t;
        else if (r.policy === 'collect') {
          if (t === 1) parts[r.side]!.hold.add(r.rule.value);
          else if (t === 2) parts[r.side]!.may.add(r.rule.value);
        } else if (t === 1) {
          parts[r.side]!.lo += r.rule.points;
          parts[r.side]!.hi += r.rule.points;
        } else if (t === 2) {
          if (r.rule.points < 0) parts[r.side]!.lo += r.rule.points;
          else parts[r.side]!.hi += r.rule.points;
        }
      });
      const key = `${extra}#${parts.map((p) => `${p.raw}/${[...p.hold].sort()}/${[...p.may].filter((v) => !p.hold.has(v)).sort()}/${p.lo}/${p.hi}`).join('#')}`;
      const m = merged.get(key);
      if (m) m.count += row.count;
      else merged.set(key, { truths: row.truths, count: row.count, points: [] });
    }
    return [...merged.values()];
  }

  /** Fields read by a decision and, transitively, by every decision it reads. */
  closureFields(id: string): ReadonlySet<number> {
    let s = this.closures.get(id);
    if (s) return s;
    const out = new Set<number>();
    this.closures.set(id, out);
    for (let side = 0; side < this.sides.length; side++)
      for (const c of this.ruleConds(id, side) ?? []) {
        for (const f of c.fields) out.add(f);
        for (const d of c.decisions) for (const f of this.closureFields(d)) out.add(f);
      }
    s = out;
    return s;
  }

  /**
   * A concrete assignment of fields realising a class combination of `exp` for which
   * `pred` holds, with every abstract upstream outcome realised by real inputs, and for
   * which `finish` (the caller's check against the real engine) holds. Undefined when none
   * exists (or the budget runs out: then `budget.steps <= 0`).
   */
  solve(exp: Exploration, pred: (truths: Uint8Array, rows: readonly ClassRow[]) => boolean, finish: Finish, budget: Budget = { steps: 200_000 }): ReadonlyMap<number, unknown> | undefined {
    if (exp.tooLarge) return undefined;
    const tables = exp.components.map((_, ci) => [...this.rows(exp, ci).values()]);
    const failed = new Set<string>();
    let result: ReadonlyMap<number, unknown> | undefined;
    forEachCombo(exp, tables, (truths, rows) => {
      if (!pred(truths, rows)) return false;
      result = this.choosePoints(exp, rows, 0, new Map(), new Map(), finish, budget, failed);
      return result !== undefined || budget.steps <= 0;
    });
    return result;
  }

  /** Fields whose value matters beyond the class a point belongs to (read upstream, or linked). */
  private relevant(exp: Exploration): ReadonlySet<number> {
    let out = this.relevantCache.get(exp);
    if (out) return out;
    out = new Set<number>();
    for (const d of exp.upstream.keys()) for (const f of this.closureFields(d)) out.add(f);
    for (const f of exp.domains.keys()) if (linkedFields().has(f)) out.add(f);
    this.relevantCache.set(exp, out);
    return out;
  }

  private choosePoints(
    exp: Exploration,
    rows: readonly ClassRow[],
    ci: number,
    fixed: Assignment,
    reqs: Map<string, MState>,
    finish: Finish,
    budget: Budget,
    failed: Set<string>,
  ): ReadonlyMap<number, unknown> | undefined {
    if (ci === rows.length) return this.solveReqs(reqs, fixed, finish, budget, failed);
    // components reading decisions first: their upstream outcomes constrain the fields most
    const at = exp.pickOrder[ci]!;
    const comp = exp.components[at]!;
    const relevant = this.relevant(exp);
    const seen = new Set<string>();
    for (const p of rows[at]!.points) {
      if (--budget.steps <= 0) return undefined;
      let sig = p.ups.map((u) => u.key).join('|');
      comp.fields.forEach((f, k) => {
        if (relevant.has(f)) sig += `|${f}=${JSON.stringify(p.vals[k])}`;
      });
      if (seen.has(sig)) continue;
      seen.add(sig);
      const fixed2 = new Map(fixed);
      comp.fields.forEach((f, k) => fixed2.set(f, p.vals[k]));
      const reqs2 = new Map(reqs);
      let clash = false;
      comp.decisions.forEach((d, k) => {
        const prev = reqs2.get(d);
        if (prev && prev.key !== p.ups[k]!.key) clash = true;
        reqs2.set(d, p.ups[k]!);
      });
      if (clash || !this.feasible(reqs2, fixed2)) continue;
      const r = this.choosePoints(exp, rows, ci + 1, fixed2, reqs2, finish, budget, failed);
      if (r || budget.steps <= 0) return r;
    }
    return undefined;
  }

  /** Quick necessary condition: every required upstream outcome is still reachable with the fields fixed so far. */
  private feasible(reqs: ReadonlyMap<string, MState>, fixed: ReadonlyMap<number, unknown>): boolean {
    for (const [d, st] of reqs) if (!this.reachTable(d, fixed).has(st.key)) return false;
    return true;
  }

  private solveReqs(reqs: Map<string, MState>, fixed: Assignment, finish: Finish, budget: Budget, failed: Set<string>): ReadonlyMap<number, unknown> | undefined {
    if (reqs.size === 0) return consistent(fixed) && finish(fixed) ? fixed : undefined;
    // only the fixed fields the required decisions can read (or that the case schema links
    // to those) decide whether this sub-search succeeds: memoise failures on that projection
    const scope = new Set<number>();
    for (const d of reqs.keys()) for (const f of this.closureFields(d)) scope.add(f);
    const links = linkedFields();
    for (const f of [...fixed.keys()]) if ([...(links.get(f) ?? [])].some((g) => scope.has(g))) scope.add(f);
    const memo = `${[...reqs].map(([d, s]) => `${d}:${s.key}`).sort().join(',')}#${pinKey(fixed, scope)}`;
    if (failed.has(memo)) return undefined;
    let target = '';
    for (const d of this.order) if (reqs.has(d)) target = d;
    const want = reqs.get(target)!.key;
    const rest = new Map(reqs);
    rest.delete(target);
    const exp = this.explore(target);
    if (exp.tooLarge) return undefined;
    const tables = exp.components.map((_, ci) => [...this.rows(exp, ci, fixed).values()]);
    let result: ReadonlyMap<number, unknown> | undefined;
    forEachCombo(exp, tables, (truths, rows) => {
      if (this.stateOf(exp, truths).key !== want) return false;
      result = this.choosePoints(exp, rows, 0, fixed, rest, finish, budget, failed);
      return result !== undefined || budget.steps <= 0;
    });
    if (!result && budget.steps > 0) failed.add(memo);
    return result;
  }

  /**
   * Compile free-standing conditions against one side's rule set (e.g. a part of a rule,
   * for explaining a contradiction) — through a synthetic model so that the closures are
   * exactly the engine's.
   */
  compileConds(side: number, whens: readonly ConditionModel[]): Cond[] {
    const rs = this.sides[side]!;
    const model: RulesetModel = rs.model;
    const probe = (when: ConditionModel, i: number): RuleModel => ({
      id: `probe${i}`,
      title: 'probe',
      decision: model.decisions[0]!.id,
      priority: 0,
      when,
      then: {},
      rationale: 'probe',
      evidence: [],
      src: when.src,
    });
    const synthetic: RulesetModel = {
      ...model,
      rules: whens.map(probe),
      decisions: model.decisions.map((d) => ({ ...d, rules: [] })),
      invariants: [],
    };
    const compiled = compileRuleset(synthetic, { params: rs.params });
    return whens.map((w, i) => condOf(side, compiled.ruleById.get(`probe${i}`)!.test, w));
  }
}

/** The fact comparisons of a condition. */
function factNodes(c: ConditionModel): Extract<ConditionModel, { kind: 'fact' }>[] {
  if (c.kind === 'all' || c.kind === 'any') return c.items.flatMap(factNodes);
  if (c.kind === 'not') return factNodes(c.item);
  return c.kind === 'fact' ? [c] : [];
}

export function condOf(side: number, test: CondFn, when: ConditionModel): Cond {
  const fields = [...new Set(leavesOf(when, {}).map((l) => FIELD_INDEX.get(l.fact)!))].sort((a, b) => a - b);
  return { side, test, when, fields, decisions: [...decisionsOf(when)] };
}


/** Every combination of indices below the given sizes, last varying fastest. */
function forEachIndex(sizes: readonly number[], visit: (idx: readonly number[]) => void): void {
  if (sizes.some((n) => n === 0)) return;
  const idx = new Array<number>(sizes.length).fill(0);
  for (;;) {
    visit(idx);
    let k = sizes.length - 1;
    while (k >= 0 && ++idx[k]! >= sizes[k]!) idx[k--] = 0;
    if (k < 0) return;
  }
}

/** Visit every combination of one class per component, with the full truth vector. */
export function forEachCombo(exp: Exploration, tables: readonly (readonly ClassRow[])[], visit: (truths: Uint8Array, rows: readonly ClassRow[]) => boolean): boolean {
  if (tables.some((t) => t.length === 0)) return false;
  const truths = new Uint8Array(exp.conds.length);
  const idx = new Array<number>(tables.length).fill(0);
  const rows: ClassRow[] = tables.map((t) => t[0]!);
  for (;;) {
    for (let c = 0; c < tables.length; c++) {
      const row = tables[c]![idx[c]!]!;
      rows[c] = row;
      const conds = exp.components[c]!.conds;
      for (let k = 0; k < conds.length; k++) truths[conds[k]!] = row.truths[k]!;
    }
    if (visit(truths, rows)) return true;
    let c = tables.length - 1;
    while (c >= 0 && ++idx[c]! >= tables[c]!.length) idx[c--] = 0;
    if (c < 0) return false;
  }
}

function splitComponents(
  conds: readonly Cond[],
  fields: readonly number[],
  domains: ReadonlyMap<number, readonly unknown[]>,
  upstream: ReadonlyMap<string, readonly MState[]>,
  closure?: (decision: string) => ReadonlySet<number>,
): Component[] {
  const parent = conds.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const union = (a: number, b: number) => {
    parent[find(a)] = find(b);
  };
  const owner = new Map<string, number>();
  conds.forEach((c, i) => {
    for (const key of [...c.fields.map((f) => `f${f}`), ...c.decisions.map((d) => `d${d}`)]) {
      const o = owner.get(key);
      if (o === undefined) owner.set(key, i);
      else union(o, i);
    }
  });
  const links = linkedFields();
  for (const f of fields)
    for (const g of links.get(f) ?? [])
      if (owner.has(`f${g}`)) union(owner.get(`f${f}`)!, owner.get(`f${g}`)!);

  if (closure) {
    const decisions = [...upstream.keys()];
    for (const d of decisions) {
      const reads = closure(d);
      for (const f of reads) if (owner.has(`f${f}`)) union(owner.get(`d${d}`)!, owner.get(`f${f}`)!);
      for (const e of decisions) if (e !== d && [...closure(e)].some((f) => reads.has(f))) union(owner.get(`d${d}`)!, owner.get(`d${e}`)!);
    }
  }
  const groups = new Map<number, number[]>();
  conds.forEach((_, i) => {
    const r = find(i);
    groups.set(r, [...(groups.get(r) ?? []), i]);
  });
  return [...groups.values()].map((members) => {
    const fs = [...new Set(members.flatMap((i) => conds[i]!.fields))].sort((a, b) => a - b);
    const ds = [...new Set(members.flatMap((i) => conds[i]!.decisions))].sort();
    const checkConsistency = fs.some((f) => fs.some((g) => links.get(f)?.has(g)));
    let size = 1;
    for (const f of fs) size *= domains.get(f)!.length;
    for (const d of ds) size *= upstream.get(d)!.length;
    return { conds: members, fields: fs, decisions: ds, checkConsistency, size };
  });
}

/** Decisions of all sides, every decision after those it reads. */
function decisionOrder(sides: readonly CompiledRuleset[]): string[] {
  const deps = new Map<string, Set<string>>();
  for (const rs of sides)
    for (const d of rs.model.decisions) {
      const s = deps.get(d.id) ?? new Set<string>();
      for (const x of d.dependsOn) s.add(x);
      deps.set(d.id, s);
    }
  const order: string[] = [];
  const state = new Map<string, number>();
  const visit = (id: string): void => {
    if (state.get(id) === 2) return;
    if (state.get(id) === 1) throw new DecisionCycleError(id);
    state.set(id, 1);
    for (const d of [...(deps.get(id) ?? [])].sort()) if (deps.has(d)) visit(d);
    state.set(id, 2);
    order.push(id);
  };
  for (const id of deps.keys()) visit(id);
  return order;
}

/** The two rule sets order their decisions incompatibly (A reads B in one, B reads A in the other). */
export class DecisionCycleError extends Error {
  constructor(readonly decision: string) {
    super(`decisions depend on each other in a cycle through "${decision}" across the two rule sets`);
  }
}
