/** Property-based tests: plan never crashes; every valid case gets an honest plan; invariants hold; determinism. */
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { main } from '../../src/cli/index.js';
import { validateCase } from '../../src/case/schema.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { fakeIo, STACK_LINE, tempDir } from '../support/cli.js';
import { caseCandidate, caseShaped } from '../support/arbitraries.js';
import { shippedRuleset } from '../support/rules.js';
import { decisionProblems, invariantProblems } from '../support/plan-checks.js';

const tmp = tempDir('rvlms-prop-');
afterAll(() => tmp.cleanup());
const rs = shippedRuleset();
let n = 0;

/** Run `rvlms plan` in process on this file content; check the outcome is a clean 0 or 2. */
async function planNeverCrashes(content: string, ext: 'json' | 'yaml'): Promise<void> {
  const file = tmp.write(`input-${n++}.${ext}`, content);
  const { io, out, err } = fakeIo();
  const code = await main(['plan', file, '--format', 'json'], io);
  expect([0, 2]).toContain(code);
  expect(err()).not.toMatch(STACK_LINE);
  expect(err()).not.toMatch(/internal error/);
  if (code === 0) {
    expect(err()).toBe('');
    const plan = JSON.parse(out()) as { decisions: Record<string, unknown> };
    expect(Object.keys(plan.decisions).length).toBeGreaterThan(0);
  } else {
    expect(out()).toBe('');
    expect(err()).toMatch(/^rvlms: .+ error [a-z]+\/[a-z-]+ /);
  }
}

describe('plan never crashes (in process, exit 0 or 2, no stack trace)', () => {
  it('arbitrary JSON values, as .json', async () => {
    await fc.assert(fc.asyncProperty(fc.jsonValue(), (v) => planNeverCrashes(JSON.stringify(v), 'json')), { numRuns: 100 });
  });

  it('arbitrary JSON values, as .yaml', async () => {
    await fc.assert(fc.asyncProperty(fc.jsonValue(), (v) => planNeverCrashes(stringify(v), 'yaml')), { numRuns: 40 });
  });

  it('objects shaped like cases with random values', async () => {
    await fc.assert(fc.asyncProperty(caseShaped, (c) => planNeverCrashes(JSON.stringify(c), 'json')), { numRuns: 200 });
  });

  it('arbitrary text', async () => {
    await fc.assert(fc.asyncProperty(fc.string({ maxLength: 200 }), fc.constantFrom<'json' | 'yaml'>('json', 'yaml'), (s, ext) => planNeverCrashes(s, ext)), { numRuns: 40 });
  });
});

describe('every valid case', () => {
  const validCase = caseCandidate().filter((c) => validateCase(c, c.id).ok);

  it('gets, for each decision, a value or undetermined with candidates and missing inputs (that are unknown)', () => {
    fc.assert(
      fc.property(validCase, (c) => {
        const plan = evaluate(c, rs, { trace: false });
        expect(decisionProblems(plan, c)).toEqual([]);
        expect(Object.keys(plan.decisions).sort()).toEqual(rs.decisions.map((d) => d.model.id).sort());
      }),
      { numRuns: 400 },
    );
  });

  it('satisfies the safety invariants (run-time check and an independent one)', () => {
    fc.assert(
      fc.property(validCase, (c) => {
        const plan = evaluate(c, rs, { trace: false });
        expect(plan.invariantViolations).toEqual([]);
        expect(invariantProblems(c, plan)).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it('is evaluated deterministically (same JSON bytes twice)', () => {
    fc.assert(
      fc.property(validCase, (c) => {
        expect(JSON.stringify(evaluate(c, rs))).toBe(JSON.stringify(evaluate(structuredClone(c), rs)));
      }),
      { numRuns: 100 },
    );
  });

  it('what was done (actual.*) never changes the recommendation', () => {
    fc.assert(
      fc.property(
        caseCandidate(true).filter((c) => validateCase(c, c.id).ok),
        (c) => {
          const { actual: _actual, ...without } = c;
          expect(evaluate(c, rs, { trace: false }).decisions).toEqual(evaluate(without as typeof c, rs, { trace: false }).decisions);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('plan through the CLI gives the same bytes twice, and exit 0', async () => {
    await fc.assert(
      fc.asyncProperty(validCase, async (c) => {
        const file = tmp.write(`valid-${n++}.json`, JSON.stringify(c));
        const runs = [fakeIo(), fakeIo()];
        const codes = [];
        for (const r of runs) codes.push(await main(['plan', file, '--format', 'json'], r.io));
        expect(codes).toEqual([0, 0]);
        expect(runs[1]!.out()).toBe(runs[0]!.out());
        expect(JSON.parse(runs[0]!.out()).case.id).toBe(c.id);
      }),
      { numRuns: 25 },
    );
  });
});
