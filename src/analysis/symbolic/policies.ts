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
}

export interface StateTerms {
  readonly val: ReadonlyMap<string, B>;
  readonly cands: ReadonlyMap<string, B>;
  readonly inc: ReadonlyMap<string, B>;
}

export type PolicyEncoder = (z: Z, decision: DecisionModel, rules: readonly RuleTerm[]) => StateTerms;

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

/** Points of true rules, unknown ones widening the range; a level when both ends agree. */
const score: PolicyEncoder = (z, d, rules) => {
  const levels = d.levels ?? [];
  if (levels.length === 0) return { val: new Map([['undetermined', z.Bool.val(true)]]), cands: new Map([['undetermined', z.Bool.val(true)]]), inc: new Map() };
  // points and thresholds as integers: scaled by a common power of ten (exact for these)
  const scale = 10 ** Math.max(0, ...[...rules.map((r) => r.points), ...levels.map((l) => l.minScore)].map(decimals));
  const int = (x: number) => Math.round(x * scale);
  // the lowest score counts a negative factor unless it is definitely false, the highest a positive one
  const lo = rules.map((r) => ({ lit: r.points < 0 ? z.Not(r.tri.f) : r.tri.t, c: int(r.points) }));
  const hi = rules.map((r) => ({ lit: r.points > 0 ? z.Not(r.tri.f) : r.tri.t, c: int(r.points) }));
  const atLeast = (terms: typeof lo, m: number) => pbGe(z, terms, int(m));
  const levelIs = (terms: typeof lo, k: number): B =>
    andOf(z, [...(k === 0 ? [] : [atLeast(terms, levels[k]!.minScore)]), ...levels.slice(k + 1).map((l) => z.Not(atLeast(terms, l.minScore)))]);
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
