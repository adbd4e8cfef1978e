/**
 * A compiled rule set (or two, for diff) as solver constraints over one input space:
 *
 *   field      one boolean per value class (exactly one true; class 0 = unknown)
 *   condition  a pair of booleans (true, false; neither = unknown), built bottom-up:
 *              a comparison from its class table, all / any / not by three-valued logic,
 *              a decision reference from the decision's symbolic state
 *   rule       named booleans equal to its condition's pair
 *   decision   named booleans val / cands / inc (policies.ts), from its rules in order
 *
 * Every case of the input space is a model and every model a case, so a check is one
 * satisfiability question; nothing is enumerated. Pure apart from the solver context.
 */
import type { CompiledRuleset } from '../../engine/compile.js';
import type { ConditionModel, DecisionModel, RuleModel } from '../../rules/model.js';
import { atomKey, resolved, type DecisionOperatorName } from '../semantics.js';
import { POLICY_ENCODERS, type StateTerms, type Tri } from './policies.js';
import type { InputSpace } from './space.js';
import type { B, Z } from './z3.js';

export interface SymState extends StateTerms {
  readonly decision: string;
  readonly model: DecisionModel;
  /** Every value the state can mention. */
  readonly values: readonly string[];
}

export class Encoding {
  /** Constraints that hold in every case (definitions of rules and states, variable ranges). */
  readonly base: B[] = [];
  /** Per field: one boolean per value class, exactly one of them true. */
  readonly vars = new Map<number, readonly B[]>();
  private readonly atomMemo = new Map<string, Tri>();
  private readonly ruleTris: Map<string, Tri>[];
  private readonly states: Map<string, SymState>[];
  private fresh = 0;
  private readonly names = new Map<number, B>();

  constructor(
    readonly z: Z,
    readonly space: InputSpace,
    readonly sides: readonly CompiledRuleset[],
  ) {
    for (const f of space.fields) {
      const xs = f.values.map((_, i) => z.Bool.const(`x${f.field}=${i}`));
      this.vars.set(f.field, xs);
      this.base.push(z.PbEq(xs as [B, ...B[]], xs.map(() => 1) as [number, ...number[]], 1));
    }
    this.ruleTris = sides.map(() => new Map<string, Tri>());
    this.states = sides.map(() => new Map<string, SymState>());
    const meanings = sides.map((rs) => new Map(rs.decisions.flatMap((d) => d.rules.map((r) => [r.model.id, ruleMeaning(r.model)] as const))));
    const shared = (id: string) => meanings.every((m) => m.get(id) === meanings[0]!.get(id));
    sides.forEach((rs, side) => {
      for (const d of rs.decisions) {
        const terms = d.rules.map((r) => {
          const tri = this.name(this.cond(side, r.model.when), `s${side}.${r.model.id}`);
          this.ruleTris[side]!.set(r.model.id, tri);
          return { tri, value: r.model.then.value ?? '', points: r.model.then.points ?? 0, shared: shared(r.model.id) };
        });
        const raw = POLICY_ENCODERS[d.model.hitPolicy](z, d.model, terms, sides.length > 1);
        this.states[side]!.set(d.model.id, this.nameState(d.model, raw, `s${side}.${d.model.id}`));
      }
    });
  }

  /** The field takes its class `index`. */
  is(field: number, index: number): B {
    return this.vars.get(field)![index]!;
  }

  /** The class index of each field in a model. */
  decode(holds: (b: B) => boolean): Map<number, number> {
    const out = new Map<number, number>();
    for (const [f, xs] of this.vars) out.set(f, Math.max(0, xs.findIndex(holds)));
    return out;
  }

  /** The truth of a rule of one side. */
  rule(side: number, id: string): Tri {
    return this.ruleTris[side]!.get(id)!;
  }

  /** The symbolic state of a decision on one side (undefined where the side lacks it). */
  state(side: number, id: string): SymState | undefined {
    return this.states[side]!.get(id);
  }

  /**
   * A condition of one side. Decisions it reads come from `stateOf` (the real states by
   * default; free ones to ask whether a condition can hold at all).
   */
  cond(side: number, c: ConditionModel, stateOf: (id: string) => SymState = (id) => this.state(side, id)!): Tri {
    const z = this.z;
    switch (c.kind) {
      case 'all': {
        const xs = c.items.map((x) => this.cond(side, x, stateOf));
        return { t: z.And(...xs.map((x) => x.t)), f: z.Or(...xs.map((x) => x.f)) };
      }
      case 'any': {
        const xs = c.items.map((x) => this.cond(side, x, stateOf));
        return { t: z.Or(...xs.map((x) => x.t)), f: z.And(...xs.map((x) => x.f)) };
      }
      case 'not': {
        const x = this.cond(side, c.item, stateOf);
        return { t: x.f, f: x.t };
      }
      case 'fact':
        return this.atom(atomKey(resolved(c, this.sides[side]!.params)));
      case 'decision':
        return decisionRef(z, stateOf(c.decision), c);
    }
  }

  private atom(key: string): Tri {
    let tri = this.atomMemo.get(key);
    if (tri) return tri;
    const table = this.space.atoms.get(key)!;
    const xs = this.vars.get(table.field)!;
    const z = this.z;
    const of = (want: number): B => {
      const parts = xs.filter((_, i) => table.truths[i] === want);
      return parts.length === 0 ? z.Bool.val(false) : parts.length === 1 ? parts[0]! : z.Or(...parts);
    };
    tri = { t: of(1), f: of(0) };
    this.atomMemo.set(key, tri);
    return tri;
  }

  /**
   * A named boolean defined as `e` (in `base`). The same term (the solver shares equal
   * terms) always gets the same name: what two rule sets have in common stays one term,
   * so diff's question about it simplifies away instead of being proved twice.
   */
  private named(e: B, label: string): B {
    if (this.z.isTrue(e) || this.z.isFalse(e)) return e;
    let b = this.names.get(e.id());
    if (!b) {
      b = this.z.Bool.const(label);
      this.base.push(b.eq(e));
      this.names.set(e.id(), b);
    }
    return b;
  }

  /** Named copies (t, f) of a truth pair. */
  private name(tri: Tri, label: string): Tri {
    return { t: this.named(tri.t, `${label}.t`), f: this.named(tri.f, `${label}.f`) };
  }

  private nameState(model: DecisionModel, raw: StateTerms, label: string): SymState {
    const named = (m: ReadonlyMap<string, B>, kind: string) => {
      const out = new Map<string, B>();
      for (const [v, e] of m) out.set(v, this.named(e, `${label}.${kind}.${v}`));
      return out;
    };
    const values = [...new Set([...Object.keys(model.values), ...raw.val.keys(), ...raw.cands.keys(), ...raw.inc.keys()])];
    return { decision: model.id, model, values, val: named(raw.val, 'val'), cands: named(raw.cands, 'cands'), inc: named(raw.inc, 'inc') };
  }

  /**
   * A decision state with no rules behind it: any outcome the decision could declare (one
   * value; or undetermined with any candidates; for collect, any included and possible
   * items). Its constraints go to `into`.
   */
  freeState(side: number, id: string, into: B[]): SymState {
    const z = this.z;
    const real = this.state(side, id)!;
    const k = this.fresh++;
    const mk = (kind: string) => new Map(real.values.map((v) => [v, z.Bool.const(`free${k}.${id}.${kind}.${v}`)] as const));
    const val = mk('val');
    const cands = mk('cands');
    const inc = mk('inc');
    const vs = [...val.values()];
    if (real.model.hitPolicy === 'collect') {
      for (const v of real.values) into.push(z.Not(val.get(v)!), z.Not(z.And(inc.get(v)!, cands.get(v)!)));
    } else {
      if (vs.length > 1) into.push(z.AtMost(vs as [B, ...B[]], 1));
      const det = vs.length ? z.Or(...vs) : z.Bool.val(false);
      for (const v of real.values) into.push(z.Not(inc.get(v)!), z.Implies(det, cands.get(v)!.eq(val.get(v)!)));
    }
    return { decision: id, model: real.model, values: real.values, val, cands, inc };
  }

  /** The state is settled: a value (priority, score) or no possible item left (collect). */
  determined(s: SymState): B {
    const z = this.z;
    if (s.model.hitPolicy === 'collect') return z.And(z.Bool.val(true), ...[...s.cands.values()].map((c) => z.Not(c)));
    return z.Or(z.Bool.val(false), ...s.val.values());
  }

  /**
   * Whether two states (of two sides, or free) read differently. Parts that are the same
   * term on both sides are left out: for a decision nothing upstream of it changed, the
   * answer is the constant false, without asking.
   */
  differ(a: SymState, b: SymState): B {
    const z = this.z;
    const values = [...new Set([...a.values, ...b.values])];
    const parts: B[] = [];
    for (const v of values)
      for (const k of ['val', 'cands', 'inc'] as const) {
        const x = a[k].get(v);
        const y = b[k].get(v);
        if (x && y && x.id() === y.id()) continue;
        if (!x && !y) continue;
        parts.push(z.Xor(x ?? z.Bool.val(false), y ?? z.Bool.val(false)));
      }
    return parts.length ? z.Or(...parts) : z.Bool.val(false);
  }
}

/** What a rule means, without where it is written (equal in two rule sets: the same rule). */
export const ruleMeaning = (r: RuleModel): string => JSON.stringify({ ...r, src: undefined, when: withoutSrc(r.when) });
const withoutSrc = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(withoutSrc) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'src').map(([k, x]) => [k, withoutSrc(x)])) : v;

type DecisionRefEncoder = (z: Z, s: SymState, list: readonly string[]) => Tri;

/**
 * The candidate list (a determined value's list is that value) against the operand list:
 * all in it → true, none → false, some → unknown, no candidate → unknown.
 */
const oneOf: DecisionRefEncoder = (z, s, list) => {
  const cand = (v: string) => s.cands.get(v) ?? z.Bool.val(false);
  const nonEmpty = s.values.length ? z.Or(...s.values.map(cand)) : z.Bool.val(false);
  const all = z.And(nonEmpty, ...s.values.filter((v) => !list.includes(v)).map((v) => z.Not(cand(v))));
  const none = z.And(nonEmpty, ...s.values.filter((v) => list.includes(v)).map((v) => z.Not(cand(v))));
  return { t: all, f: none };
};
const notOneOf: DecisionRefEncoder = (z, s, list) => {
  const r = oneOf(z, s, list);
  return { t: r.f, f: r.t };
};

/**
 * Each decision operator of the engine's table (DECISION_OPERATORS) as constraints over a
 * symbolic state, keyed by the table's names: an operator added there does not compile
 * until it has its encoder here; test/analysis/symbolic.test.ts checks both agree.
 */
const DECISION_REF_ENCODERS: Record<DecisionOperatorName, DecisionRefEncoder> = {
  equal: oneOf,
  in: oneOf,
  notEqual: notOneOf,
  notIn: notOneOf,
  // the included items (unknown while only possible)
  contains: (z, s, list) => {
    const inc = s.inc.get(list[0]!) ?? z.Bool.val(false);
    const cand = s.cands.get(list[0]!) ?? z.Bool.val(false);
    return { t: inc, f: z.And(z.Not(inc), z.Not(cand)) };
  },
};

/** A decision reference, as the engine reads a state. */
function decisionRef(z: Z, s: SymState, c: Extract<ConditionModel, { kind: 'decision' }>): Tri {
  const list = (Array.isArray(c.value) ? c.value : [c.value]).map(String);
  return DECISION_REF_ENCODERS[c.operator](z, s, list);
}
