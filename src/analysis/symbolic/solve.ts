/**
 * Questions to the solver, and the answers turned into real cases.
 *
 * `find` asks for a case satisfying some constraints, then makes it real: the class
 * indices of the model become a case file (each field its class representative, unknown
 * ones left out); the case schema must accept it (a case the schema refuses for a
 * cross-field contradiction adds a lemma excluding that combination, and the question is
 * asked again); the real engine must confirm the finding on it (`realize`); then every
 * input that the finding does not need is made unknown again, one at a time, keeping the
 * case short. Numeric inputs are widened into the region of values that behave the same.
 *
 * Every question has a budget. An answer is `found`, `none` (proven: no case exists) or
 * `unknown` (budget, solver limit, or a case the engine did not confirm) — the caller
 * then reports the check as not done, never as passed.
 *
 * Same rule sets, same answers: a question's work is bounded by a count of solver steps
 * (set once, for every question), never by time, and nothing about the solver changes
 * between questions. The analysis's time budget only stops the solver when it runs out
 * (an interrupt from a timer): an analysis that finishes within its budget asks and gets
 * exactly what it would without one.
 */
import { INPUT_FIELDS } from '../../case/fields.js';
import { contradictions, validateCase, type CaseInput } from '../../case/schema.js';
import { DERIVED_INPUTS, deriveCase } from '../../case/derive.js';
import { caseFromFields, FIELD_INDEX } from '../space.js';
import type { Encoding } from './encode.js';
import type { B } from './z3.js';

export interface Limits {
  /**
   * Work allowed for one question, in the solver's resource units (Z3's rlimit: counted
   * work, not time, so the same rule set always gives the same answer on any machine).
   */
  readonly steps: number;
  /** Time left for the whole analysis, in milliseconds, read from the caller's clock. */
  readonly remainingMs?: () => number;
  /** Solver memory ceiling in megabytes. */
  readonly memoryMb: number;
}

export const DEFAULT_LIMITS: Limits = { steps: 200_000_000, memoryMb: 900 };

export type Answer<T> =
  | { readonly status: 'found'; readonly value: T; readonly case: Record<string, unknown>; readonly region?: Readonly<Record<string, string>> }
  | { readonly status: 'none' }
  | { readonly status: 'unknown'; readonly reason: string };

interface Sample {
  readonly status: 'sample';
  readonly raw: Record<string, unknown>;
  readonly input: CaseInput;
  readonly assignment: ReadonlyMap<number, number>;
}

/** Which targets some real case meets, which none can, and which were not settled (why). */
export interface Coverage {
  readonly met: ReadonlySet<number>;
  readonly none: ReadonlySet<number>;
  readonly unknown: ReadonlyMap<number, string>;
}

/** How many times a model the engine does not confirm is excluded before giving up. */
const MAX_RETRIES = 8;

/** The longest delay a timer takes (about 24.8 days); a longer budget is waited for in parts. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What the solver said to one question; 'budget' when the analysis's time ran out before or during it. */
type Verdict = 'sat' | 'unsat' | 'unknown' | 'budget' | `error: ${string}`;

export class Session {
  private readonly solver;
  private lemmas = 0;
  private goals = 0;

  constructor(
    readonly enc: Encoding,
    private readonly limits: Limits = DEFAULT_LIMITS,
  ) {
    const z = enc.z;
    // propositional with pseudo-boolean sums: Z3's SAT-based finite-domain solver
    this.solver = new z.Solver('QF_FD');
    this.solver.set('rlimit', limits.steps);
    for (const c of enc.base) this.solver.add(c);
  }

  /** Milliseconds left of the analysis's time budget (Infinity without one). */
  private left(): number {
    return this.limits.remainingMs?.() ?? Infinity;
  }

  /**
   * One check of the solver under the goal. None is started once the time budget is
   * spent; one still running when it ends is interrupted (answer 'budget'), so the run
   * ends on time with the check named as incomplete. The timer touches the solver only
   * then: a check that ends within the budget runs as it would without one.
   */
  private async ask(goal: readonly B[], onSat?: () => void): Promise<Verdict> {
    if (this.left() <= 0) return 'budget';
    let ranOut = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      timer = setTimeout(
        () => {
          if (this.left() > 0) return arm();
          ranOut = true;
          this.enc.z.interrupt();
        },
        Math.max(1, Math.ceil(Math.min(this.left(), MAX_TIMER_MS))),
      );
    };
    if (this.left() !== Infinity) arm();
    try {
      const verdict = await this.solver.check(this.literal(goal));
      if (verdict === 'sat') onSat?.();
      return verdict === 'unknown' && (ranOut || this.left() <= 0) ? 'budget' : verdict;
    } catch (e) {
      return ranOut ? 'budget' : `error: ${e instanceof Error ? e.message : String(e)}`;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The goal as one assumption literal: a fresh boolean that implies every goal
   * constraint. Checking under an assumption keeps the solver's learnt clauses between
   * questions (much faster than push / pop, which restarts the incremental core).
   */
  private literal(goal: readonly B[]): B {
    const z = this.enc.z;
    const g = z.Bool.const(`goal${this.goals++}`);
    this.solver.add(z.Implies(g, goal.length === 0 ? z.Bool.val(true) : z.And(...goal)));
    return g;
  }

  /** Whether some case satisfies the constraints ('unknown' when the budget ran out). */
  async sat(goal: readonly B[]): Promise<'sat' | 'unsat' | 'unknown'> {
    const verdict = await this.ask(goal);
    return verdict === 'sat' || verdict === 'unsat' ? verdict : 'unknown';
  }

  /**
   * A schema-valid case satisfying the constraints, or why there is none. A case the
   * schema refuses for a cross-field contradiction adds a lemma excluding that
   * combination for good, and the question is asked again.
   */
  private async validCase(goal: readonly B[], id: string): Promise<Sample | { readonly status: 'none' } | { readonly status: 'unknown'; readonly reason: string }> {
    for (;;) {
      let assignment: Map<number, number> | undefined;
      const verdict = await this.ask(goal, () => {
        const m = this.solver.model();
        assignment = this.enc.decode((b) => this.enc.z.isTrue(m.eval(b, true)));
        // released here rather than by the garbage collector: at the same point on every run
        m.release();
      });
      if (verdict === 'unsat') return { status: 'none' };
      if (verdict === 'budget') return { status: 'unknown', reason: 'the time budget of the analysis ran out' };
      if (!assignment) return { status: 'unknown', reason: verdict === 'unknown' ? `the solver gave up (limit of ${this.limits.steps} steps and ${this.limits.memoryMb} MB per question)` : `the solver failed (${verdict})` };
      const raw = this.caseOf(assignment, id);
      const v = validateCase(raw, id);
      const derived = v.ok ? this.derivedLemma(raw, assignment) : undefined;
      if (v.ok && !derived) return { status: 'sample', raw, input: v.value, assignment };
      const lemma = derived ?? this.lemmaFor(raw, assignment);
      if (!lemma) return { status: 'unknown', reason: `the case schema refuses the solver's case (${v.ok ? 'an input its other inputs settle is left unknown' : (v.diagnostics[0]?.message ?? 'invalid')})` };
      this.solver.add(lemma);
      if (++this.lemmas > 10_000) return { status: 'unknown', reason: 'too many case-schema refinements' };
    }
  }

  private exclude(assignment: ReadonlyMap<number, number>): B {
    const z = this.enc.z;
    return z.Not(z.And(...[...assignment].map(([f, i]) => this.enc.is(f, i))));
  }

  /**
   * A real case for the constraints on which `realize` (the check against the real
   * engine) gives a value.
   */
  async find<T>(goal: readonly B[], realize: (c: CaseInput, raw: Record<string, unknown>) => T | undefined, id: string, minimal = true): Promise<Answer<T>> {
    const excluded: B[] = [];
    for (let attempt = 0; ; attempt++) {
      const s = await this.validCase([...goal, ...excluded], id);
      if (s.status !== 'sample') return s;
      const value = realize(s.input, s.raw);
      if (value !== undefined) return minimal ? this.shrink(s.raw, value, realize, id) : { status: 'found', value, case: s.raw };
      if (attempt >= MAX_RETRIES) return { status: 'unknown', reason: 'the engine did not confirm the cases the solver found' };
      excluded.push(this.exclude(s.assignment));
    }
  }

  /**
   * Many questions of the same kind at once: for each target, whether some real case
   * meets it. One question asks for a case meeting any target still open; the engine's
   * plan for that case then settles every target it meets (`hit`), usually several. When
   * no case meets any open target, they are all proven impossible.
   */
  async cover<P>(targets: readonly B[], run: (c: CaseInput) => P, hit: (plan: P, target: number) => boolean, id: string): Promise<Coverage> {
    const z = this.enc.z;
    const open = new Set(targets.map((_, i) => i));
    const met = new Set<number>();
    const excluded: B[] = [];
    let misses = 0;
    while (open.size > 0) {
      const s = await this.validCase([z.Or(...[...open].map((i) => targets[i]!)), ...excluded], id);
      if (s.status === 'none') return { met, none: open, unknown: new Map() };
      if (s.status === 'unknown') return { met, none: new Set(), unknown: new Map([...open].map((i) => [i, s.reason])) };
      const plan = run(s.input);
      let any = false;
      for (const i of open)
        if (hit(plan, i)) {
          any = true;
          met.add(i);
        }
      for (const i of met) open.delete(i);
      if (any) continue;
      excluded.push(this.exclude(s.assignment));
      if (++misses > MAX_RETRIES) return { met, none: new Set(), unknown: new Map([...open].map((i) => [i, 'the engine did not confirm the cases the solver found'])) };
    }
    return { met, none: new Set(), unknown: new Map() };
  }

  /**
   * Random points of the input space that the case schema accepts (seeded: the same
   * every run). Cheap to judge with the engine, they settle most covering targets before
   * the solver is asked.
   */
  sample(n: number, id: string, unknownShare = 0.15): { readonly raw: Record<string, unknown>; readonly input: CaseInput }[] {
    let seed = 20261206;
    const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const out: { raw: Record<string, unknown>; input: CaseInput }[] = [];
    for (let k = 0; k < n; k++) {
      const assignment = new Map<number, number>();
      // most fields known, some unknown: both kinds of outcome get settled
      for (const f of this.enc.space.fields) assignment.set(f.field, rnd() < unknownShare ? 0 : 1 + Math.floor(rnd() * (f.values.length - 1)));
      const raw = this.caseOf(assignment, id);
      const v = validateCase(raw, id);
      if (v.ok) out.push({ raw, input: v.value });
    }
    return out;
  }

  /** The case of a model: each field's class representative, unknown ones left out. */
  caseOf(assignment: ReadonlyMap<number, number>, id: string): Record<string, unknown> {
    const values = new Map<number, unknown>();
    for (const [f, i] of assignment) values.set(f, this.enc.space.byField.get(f)!.values[i]);
    return caseFromFields(values, id);
  }

  /**
   * A case that leaves unknown an input its other inputs settle (derived anatomy) is the same
   * case as the one with that input written, which the space also holds: keep only that form.
   */
  private derivedLemma(raw: Record<string, unknown>, assignment: ReadonlyMap<number, number>): B | undefined {
    const z = this.enc.z;
    const derived = deriveCase(raw) as Record<string, Record<string, unknown> | undefined>;
    if (derived === raw) return undefined;
    const eqs: B[] = [];
    for (const d of DERIVED_INPUTS) {
      const [group, key] = d.path.split('.') as [string, string];
      if ((raw[group] as Record<string, unknown> | undefined)?.[key] !== undefined || derived[group]?.[key] === undefined) continue;
      const fields = [d.path, ...d.from].map((p) => FIELD_INDEX.get(p));
      // an input no rule reads is not in the space: its derived value changes nothing the analysis sees
      if (fields.some((f) => f === undefined || !this.enc.vars.has(f) || !assignment.has(f))) continue;
      for (const f of fields) eqs.push(this.enc.is(f!, assignment.get(f!)!));
    }
    return eqs.length ? z.Not(z.And(...eqs)) : undefined;
  }

  private lemmaFor(raw: Record<string, unknown>, assignment: ReadonlyMap<number, number>): B | undefined {
    const z = this.enc.z;
    const found = contradictions(raw);
    if (found.length === 0) return undefined;
    const parts: B[] = [];
    for (const c of found) {
      const eqs: B[] = [];
      for (const p of c.paths) {
        const f = FIELD_INDEX.get(p);
        if (f === undefined || !this.enc.vars.has(f)) return undefined;
        eqs.push(this.enc.is(f, assignment.get(f)!));
      }
      parts.push(z.Not(z.And(...eqs)));
    }
    return z.And(...parts);
  }

  /** Make unneeded inputs unknown again (while `realize` still holds); add the numeric regions. */
  shrink<T>(raw: Record<string, unknown>, value: T, realize: (c: CaseInput, raw: Record<string, unknown>) => T | undefined, id: string): Answer<T> {
    let best = raw;
    let bestValue = value;
    for (const f of INPUT_FIELDS) {
      const [group, key] = f.path.split('.') as [string, string];
      const g = best[group] as Record<string, unknown> | undefined;
      if (!g || !(key in g)) continue;
      const { [key]: _, ...rest } = g;
      const trial: Record<string, unknown> = { ...best };
      if (Object.keys(rest).length) trial[group] = rest;
      else delete trial[group];
      const v = validateCase(trial, id);
      if (!v.ok) continue;
      const got = realize(v.value, trial);
      if (got === undefined) continue;
      best = trial;
      bestValue = got;
    }
    const region = this.regions(best, realize, id);
    return { status: 'found', value: bestValue, case: best, ...(region ? { region } : {}) };
  }

  /**
   * For each numeric input of the case: the widest interval of values around it that
   * every comparison of the rule sets treats the same (and the case schema accepts),
   * e.g. "[40, 75)". Only intervals wider than one value are given.
   */
  private regions<T>(c: Record<string, unknown>, realize: (c: CaseInput, raw: Record<string, unknown>) => T | undefined, id: string): Record<string, string> | undefined {
    const out: Record<string, string> = {};
    for (const fs of this.enc.space.fields) {
      const spec = INPUT_FIELDS[fs.field]!;
      if (spec.kind !== 'number' && spec.kind !== 'integer') continue;
      const [group, key] = spec.path.split('.') as [string, string];
      const v = (c[group] as Record<string, unknown> | undefined)?.[key];
      if (typeof v !== 'number') continue;
      const tests = (this.enc.space.atomsByField.get(fs.field) ?? []).map((k) => this.enc.space.atoms.get(k)!.test);
      const points = [...new Set([spec.min ?? -1e6, spec.max ?? 1e6, ...(this.enc.space.atomsByField.get(fs.field) ?? []).flatMap((k) => [(JSON.parse(k) as unknown[])[2]].flat()).filter((x): x is number => typeof x === 'number')])]
        .filter((p) => p >= (spec.min ?? -1e6) && p <= (spec.max ?? 1e6))
        .sort((a, b) => a - b);
      // cells: each point, and the open interval between neighbours (with a value inside)
      const cells: { lo: number; hi: number; closed: boolean; rep: number }[] = [];
      points.forEach((p, i) => {
        cells.push({ lo: p, hi: p, closed: true, rep: p });
        const q = points[i + 1];
        if (q === undefined) return;
        const rep = spec.kind === 'integer' ? Math.floor(p) + 1 : (p + q) / 2;
        if (rep > p && rep < q) cells.push({ lo: p, hi: q, closed: false, rep });
      });
      const works = (x: number): string => {
        const trial = { ...c, [group]: { ...(c[group] as Record<string, unknown>), [key]: x } };
        const ok = validateCase(trial, id);
        if (!ok.ok || realize(ok.value, trial) === undefined) return 'x';
        return tests.map((t) => t(x)).join('');
      };
      const at = cells.findIndex((cell) => (cell.closed ? v === cell.lo : v > cell.lo && v < cell.hi));
      if (at < 0) continue;
      const sig = works(v);
      let a = at;
      let b = at;
      while (a > 0 && works(cells[a - 1]!.rep) === sig) a--;
      while (b < cells.length - 1 && works(cells[b + 1]!.rep) === sig) b++;
      if (a === b && cells[a]!.closed) continue;
      const left = cells[a]!;
      const right = cells[b]!;
      out[spec.path] = `${left.closed ? '[' : '('}${left.lo}, ${right.hi}${right.closed ? ']' : ')'}`;
    }
    return Object.keys(out).length ? out : undefined;
  }
}
