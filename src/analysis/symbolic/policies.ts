/**
 * Each hit policy's outcome as constraints: from the three-valued truth of a decision's
 * rules (in evaluation order) to the symbolic state a later rule, an invariant or diff
 * reads. One encoder per policy, in a Record keyed by the engine's policy type, so a new
 * policy does not compile until it has one. They restate exactly what the engine's
 * evaluation gives (engine/evaluate.ts); test/analysis/symbolic.test.ts checks the two
 * agree on random cases.
 *
 * A state is three families of booleans over the decision's values:
 *   val(v)    the decision's value is v (priority / score, when determined)
 *   cands(v)  v is in the state's candidate list (for a determined value: just that value;
 *             for collect: possibly included, not definitely)
 *   inc(v)    v is definitely included (collect)
 */
import type { DecisionModel } from '../../rules/model.js';
import type { HitPolicy } from '../semantics.js';
import type { B, Z } from './z3.js';

/** A condition's three-valued truth: `t` true, `f` false, neither unknown. */
export interface Tri {
  readonly t: B;
  readonly f: B;
}

export interface RuleTerm {
  readonly tri: Tri;
  readonly value: string;
  readonly points: number;
  /** The rule is the same in every rule set being encoded (diff's two sides). */
  readonly shared: boolean;
}

export interface StateTerms {
  readonly val: ReadonlyMap<string, B>;
  readonly cands: ReadonlyMap<string, B>;
  readonly inc: ReadonlyMap<string, B>;
}

/** `compare`: the encoding holds two rule sets (diff), whose common parts should be common terms. */
export type PolicyEncoder = (z: Z, decision: DecisionModel, rules: readonly RuleTerm[], compare: boolean) => StateTerms;

const orOf = (z: Z, xs: readonly B[]): B => (xs.length === 0 ? z.Bool.val(false) : xs.length === 1 ? xs[0]! : z.Or(...xs));
const andOf = (z: Z, xs: readonly B[]): B => (xs.length === 0 ? z.Bool.val(true) : xs.length === 1 ? xs[0]! : z.And(...xs));
const unknown = (z: Z, r: RuleTerm): B => z.And(z.Not(r.tri.t), z.Not(r.tri.f));

function byValue(rules: readonly RuleTerm[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  rules.forEach((r, i) => out.set(r.value, [...(out.get(r.value) ?? []), i]));
  return out;
}

/** First rule that is not definitely false decides when it is true; unknown ones before it are candidates. */
const priority: PolicyEncoder = (z, _d, rules) => {
  const decides: B[] = [];
  const open: B[] = [];
  let noneBefore: B[] = [];
  let noTrueBefore: B[] = [];
  for (const r of rules) {
    decides.push(z.And(r.tri.t, andOf(z, noneBefore)));
    open.push(z.And(z.Not(r.tri.f), andOf(z, noTrueBefore)));
    noneBefore = [...noneBefore, r.tri.f];
    noTrueBefore = [...noTrueBefore, z.Not(r.tri.t)];
  }
  const val = new Map<string, B>();
  for (const [v, idx] of byValue(rules)) val.set(v, orOf(z, idx.map((i) => decides[i]!)));
  const det = orOf(z, [...val.values()]);
  const cands = new Map<string, B>();
  for (const [v, idx] of byValue(rules)) cands.set(v, z.Or(val.get(v)!, z.And(z.Not(det), orOf(z, idx.map((i) => open[i]!)))));
  return { val, cands, inc: new Map() };
};

/** Every true rule includes its item; unknown ones make it possible. */
const collect: PolicyEncoder = (z, _d, rules) => {
  const inc = new Map<string, B>();
  const cands = new Map<string, B>();
  for (const [v, idx] of byValue(rules)) {
    const i = orOf(z, idx.map((k) => rules[k]!.tri.t));
    inc.set(v, i);
    cands.set(v, z.And(z.Not(i), orOf(z, idx.map((k) => unknown(z, rules[k]!)))));
  }
  return { val: new Map(), cands, inc };
};

/**
 * Points of true rules, unknown ones widening the range; a level when both ends agree.
 *
 * Each end of the range is compared with each level's threshold. For one rule set, as a
 * pseudo-boolean constraint (the solver's own reasoning on sums). When two rule sets are
 * compared, through a sequential counter instead: "the first k rules give at least j
 * points" as a boolean built from the one for k − 1 rules, the rules both sets share
 * first, so the counter of what they share is one term and the solver reasons about the
 * rest only. (With separate pseudo-boolean constraints the two versions of a grown score
 * were unrelated and proving that no further level change existed took minutes; for one
 * rule set the counter is slower than the pseudo-boolean constraint.)
 */
const score: PolicyEncoder = (z, d, rules, compare) => {
  const levels = d.levels ?? [];
  if (levels.length === 0) return { val: new Map([['undetermined', z.Bool.val(true)]]), cands: new Map([['undetermined', z.Bool.val(true)]]), inc: new Map() };
  // points and thresholds as integers: scaled by a common power of ten (exact for these)
  const scale = 10 ** Math.max(0, ...[...rules.map((r) => r.points), ...levels.map((l) => l.minScore)].map(decimals));
  const int = (x: number) => Math.round(x * scale);
  // the order of a sum is free: rules both sides share first, so their counters are common terms
  const ordered = [...rules.filter((r) => r.shared), ...rules.filter((r) => !r.shared)];
  // the lowest score counts a negative factor unless it is definitely false, the highest a positive one
  const sum = (terms: readonly { lit: B; c: number }[]): ((m: number) => B) => (compare ? counter(z, terms) : (m) => pbGe(z, terms, m));
  const lo = sum(ordered.map((r) => ({ lit: r.points < 0 ? z.Not(r.tri.f) : r.tri.t, c: int(r.points) })));
  const hi = sum(ordered.map((r) => ({ lit: r.points > 0 ? z.Not(r.tri.f) : r.tri.t, c: int(r.points) })));
  const levelIs = (geq: (m: number) => B, k: number): B =>
    andOf(z, [...(k === 0 ? [] : [geq(int(levels[k]!.minScore))]), ...levels.slice(k + 1).map((l) => z.Not(geq(int(l.minScore))))]);
  const atLo = levels.map((_, k) => levelIs(lo, k));
  const atHi = levels.map((_, k) => levelIs(hi, k));
  const det = orOf(z, levels.map((_, k) => z.And(atLo[k]!, atHi[k]!)));
  const val = new Map<string, B>();
  const cands = new Map<string, B>();
  levels.forEach((l, k) => {
    const v = z.And(det, atLo[k]!);
    const between = z.And(orOf(z, atLo.slice(0, k + 1)), orOf(z, atHi.slice(k)));
    val.set(l.value, val.has(l.value) ? z.Or(val.get(l.value)!, v) : v);
    const c = z.Or(v, z.And(z.Not(det), between));
    cands.set(l.value, cands.has(l.value) ? z.Or(cands.get(l.value)!, c) : c);
  });
  return { val, cands, inc: new Map() };
};

/**
 * `m => Σ c·lit ≥ m` for integer weights, as a sequential counter over the terms in
 * order: geq(k, j) says the first k terms sum to at least j. Constant where the prefix's
 * range settles it; otherwise built from geq(k − 1, ·), memoised.
 */
function counter(z: Z, terms: readonly { lit: B; c: number }[]): (m: number) => B {
  const live = terms.filter((t) => t.c !== 0);
  const lowest = [0];
  const highest = [0];
  live.forEach((t, i) => {
    lowest.push(lowest[i]! + Math.min(0, t.c));
    highest.push(highest[i]! + Math.max(0, t.c));
  });
  const memo = new Map<string, B>();
  const geq = (k: number, j: number): B => {
    if (j <= lowest[k]!) return z.Bool.val(true);
    if (j > highest[k]!) return z.Bool.val(false);
    const key = `${k},${j}`;
    let out = memo.get(key);
    if (out) return out;
    const { lit, c } = live[k - 1]!;
    // with the term the prefix needs j − c; without it, j
    out = c > 0 ? z.Or(geq(k - 1, j), z.And(lit, geq(k - 1, j - c))) : z.And(geq(k - 1, j), z.Or(z.Not(lit), geq(k - 1, j - c)));
    memo.set(key, out);
    return out;
  };
  return (m) => geq(live.length, m);
}

/** Σ c·lit ≥ k as a pseudo-boolean constraint (negative weights moved to the negated literal). */
function pbGe(z: Z, terms: readonly { lit: B; c: number }[], k: number): B {
  const args: B[] = [];
  const coeffs: number[] = [];
  let bound = k;
  for (const { lit, c } of terms) {
    if (c === 0) continue;
    if (c > 0) {
      args.push(lit);
      coeffs.push(c);
    } else {
      // c·l = c + |c|·¬l
      args.push(z.Not(lit));
      coeffs.push(-c);
      bound -= c;
    }
  }
  if (args.length === 0) return z.Bool.val(0 >= bound);
  return z.PbGe(args as [B, ...B[]], coeffs as [number, ...number[]], bound);
}

function decimals(x: number): number {
  const m = /\.(\d+)$/.exec(String(x));
  return m ? m[1]!.length : 0;
}

export const POLICY_ENCODERS: Record<HitPolicy, PolicyEncoder> = { priority, collect, score };
