/**
 * Same input, same bytes. z3-solver frees the solver object behind a JavaScript object
 * when the garbage collector has collected it, at moments that differ from run to run;
 * a release during an analysis changed the solver's search, and so which cases diff and
 * validate list (symbolic/z3.ts holds releases back until the analysis ends). Here each
 * analysis runs twice in one process, the second time with the collector forced to run
 * every 100 ms — also while the solver works — and must give the same bytes (without
 * the hold-back, both comparisons failed on every try).
 * The time budget only interrupts the solver when it runs out, and no solver parameter
 * changes between questions.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import { diffRulesets, type DiffSide } from '../../src/analysis/diff.js';
import { Encoding } from '../../src/analysis/symbolic/encode.js';
import { DEFAULT_LIMITS, Session } from '../../src/analysis/symbolic/solve.js';
import { inputSpace } from '../../src/analysis/symbolic/space.js';
import { queuedReleases, withZ3, type B } from '../../src/analysis/symbolic/z3.js';
import { validateRules } from '../../src/analysis/validate.js';
import { compileRuleset } from '../../src/engine/compile.js';
import type { RuleSource } from '../../src/rules/build.js';
import { readRuleSources } from '../../src/rules/load.js';
import { buildOk, RULES_DIR } from '../support/rules.js';
// @ts-expect-error plain ES module script without types
import { growRules } from '../../scripts/grow-rules.mjs';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** `run` with a full garbage collection every 100 ms while it is under way. */
async function collecting<T>(run: () => Promise<T>): Promise<T> {
  const timer = setInterval(gc, 100);
  try {
    return await run();
  } finally {
    clearInterval(timer);
  }
}

const side = (label: string, sources: readonly RuleSource[]): DiffSide => {
  const model = buildOk(sources);
  return { label, model, rs: compileRuleset(model) };
};

// shipped rules plus 60 grown ones: a few seconds per analysis, changes in several decisions, findings with counterexamples
const grown = (): RuleSource[] => growRules({ extra: 60, seed: 2 });

/** The JSON of a result, line by line (a difference shows as the lines that differ). */
const lines = (x: unknown): string[] => JSON.stringify(x, null, 1).split('\n');

describe('diff and validate give the same bytes on every run', () => {
  it('diff shipped → shipped + 60 rules: identical JSON with and without garbage collections during the run', async () => {
    const base = side('rules', readRuleSources(RULES_DIR, 'rules'));
    const head = side('grown', grown());
    const first = await diffRulesets(base, head);
    const second = await collecting(() => diffRulesets(base, head));
    expect(first.complete).toBe(true);
    expect(first.decisions.filter((d) => d.status === 'changed').length).toBeGreaterThan(0);
    expect(lines(second)).toEqual(lines(first));
  });

  it('validate shipped + 60 rules: identical findings and counterexamples with and without garbage collections', async () => {
    const first = await validateRules(grown());
    const second = await collecting(() => validateRules(grown()));
    expect(first.summary.complete).toBe(true);
    expect(first.diagnostics.filter((d) => d.counterexample).length).toBeGreaterThan(0);
    expect(lines(second)).toEqual(lines(first));
  });

  it('nothing of Z3 is released while an analysis runs; what was held back is released when it ends', async () => {
    await withZ3(DEFAULT_LIMITS.memoryMb, async (z) => {
      for (let i = 0; i < 2000; i++) z.Not(z.Bool.const(`dropped${i}`));
      gc();
      // the collector's callbacks run as tasks of their own
      await new Promise((r) => setTimeout(r, 50));
      expect(queuedReleases()).toBeGreaterThan(0);
    });
    expect(queuedReleases()).toBe(0);
  });
});

describe('the time budget', () => {
  /** Pigeons into holes, one pigeon too many: unsatisfiable, and hard for the solver from about 11 pigeons. */
  function pigeonholes(z: Parameters<Parameters<typeof withZ3>[1]>[0], pigeons: number): B[] {
    const holes = pigeons - 1;
    const x = Array.from({ length: pigeons }, (_, p) => Array.from({ length: holes }, (_, h) => z.Bool.const(`p${pigeons}.${p}.${h}`)));
    const out: B[] = x.map((row) => z.Or(...row));
    for (let h = 0; h < holes; h++) for (let p = 0; p < pigeons; p++) for (let q = p + 1; q < pigeons; q++) out.push(z.Or(z.Not(x[p]![h]!), z.Not(x[q]![h]!)));
    return out;
  }

  const shippedEncoding = (z: Parameters<Parameters<typeof withZ3>[1]>[0]) => {
    const model = buildOk(readRuleSources(RULES_DIR, 'rules'));
    const rs = compileRuleset(model);
    return new Encoding(z, inputSpace([{ model, params: rs.params }]), [rs]);
  };

  it('a question still running when the budget ends is interrupted: unknown, on time', async () => {
    await withZ3(DEFAULT_LIMITS.memoryMb, async (z) => {
      const start = performance.now();
      const session = new Session(shippedEncoding(z), { ...DEFAULT_LIMITS, remainingMs: () => 300 - (performance.now() - start) });
      const asked = performance.now();
      expect(await session.sat(pigeonholes(z, 13))).toBe('unknown');
      expect(performance.now() - asked).toBeLessThan(5000);
      // spent: no further question is started
      expect(await session.sat([])).toBe('unknown');
    });
  });

  it('within the budget the answers are those without one, and no solver parameter is set per question', async () => {
    await withZ3(DEFAULT_LIMITS.memoryMb, async (z) => {
      const set = vi.spyOn(z.Solver.prototype, 'set');
      try {
        const enc = shippedEncoding(z);
        const budgeted = new Session(enc, { ...DEFAULT_LIMITS, remainingMs: () => 600_000 });
        const unbounded = new Session(enc);
        const calls = set.mock.calls.length;
        for (const session of [budgeted, unbounded]) {
          expect(await session.sat(pigeonholes(z, 6))).toBe('unsat');
          expect(await session.sat([])).toBe('sat');
        }
        expect(set.mock.calls.length).toBe(calls);
      } finally {
        set.mockRestore();
      }
    });
  });
});
