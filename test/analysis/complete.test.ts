/**
 * validate never claims more than it checked, and a plausible rule does not switch the
 * proof off: regressions for the failures of the enumerating analysis (issue 9).
 */
import { describe, expect, it } from 'vitest';
import { validateRules } from '../../src/analysis/validate.js';
import { main } from '../../src/cli/index.js';
import { buildRuleset } from '../../src/rules/build.js';
import { compileRuleset } from '../../src/engine/compile.js';
import { readRuleSources } from '../../src/rules/load.js';
import { fakeIo } from '../support/cli.js';
import { RULES_DIR } from '../support/rules.js';
import { AGE_RULE, replay } from './helpers.js';
// @ts-expect-error plain ES module script without types
import { growRules } from '../../scripts/grow-rules.mjs';

const shipped = () => readRuleSources(RULES_DIR, 'rules');

/** A complexity factor on age and an invariant on complexity that the shipped rules break. */
const AGE = {
  file: 'rules/zz-age.yaml',
  text: `${AGE_RULE}invariants:
  - id: inv.no-very-high-without-atrium
    title: Very high complexity only with right-atrial extension
    when: { fact: ivc.rightAtrialExtension, operator: equal, value: false }
    then: { decision: complexity, operator: notIn, value: [very_high] }
    evidence: [mingoli1996]
`,
};

async function run(args: string[]) {
  const { io, out, err } = fakeIo();
  const code = await main(args, io);
  return { code, out: out(), err: err() };
}

describe('a complexity rule on age ≥ 65 keeps the analysis complete', () => {
  it('the invariant on complexity that the rules break is found, with a case the engine confirms', async () => {
    const sources = [...shipped(), AGE];
    const r = await validateRules(sources);
    expect(r.summary).toMatchObject({ analysed: true, complete: true, status: 'complete' });
    expect(r.incomplete).toEqual([]);
    const f = r.diagnostics.filter((d) => d.code === 'analysis/invariant');
    expect(f.map((d) => d.rules?.[0])).toEqual(['inv.no-very-high-without-atrium']);
    expect(f[0]!.line).toBe(10);
    const plan = replay(f[0]!.counterexample, compileRuleset(buildRuleset(sources).model!));
    expect(plan.invariantViolations.map((v) => v.invariant)).toEqual(['inv.no-very-high-without-atrium']);
    expect(plan.decisions.complexity!.value).toBe('very_high');
  });
});

describe('what cannot be checked is named, and fails the run', () => {
  it('with no solver work allowed: exit 1, "incomplete" in the summary, every skipped check named', async () => {
    {
      const dir = RULES_DIR;
      const json = await run(['validate', '--rules', dir, '--solver-steps', '1', '--format', 'json']);
      expect(json.code).toBe(1);
      const r = JSON.parse(json.out) as Awaited<ReturnType<typeof validateRules>>;
      expect(r.summary.status).toBe('incomplete');
      expect(r.summary.complete).toBe(false);
      expect(r.incomplete.length).toBeGreaterThan(0);
      for (const s of r.incomplete) expect(s.rule ?? s.invariant ?? s.decision).toBeTruthy();
      const codes = r.diagnostics.map((d) => d.code);
      expect(codes.filter((c) => c === 'analysis/incomplete')).toHaveLength(r.incomplete.length);
      for (const d of r.diagnostics.filter((x) => x.code === 'analysis/incomplete')) {
        expect(d.severity).toBe('error');
        expect(d.line).toBeGreaterThan(0);
      }
      expect(r.decisions.some((d) => !d.complete)).toBe(true);

      const text = await run(['validate', '--rules', dir, '--solver-steps', '1']);
      expect(text.code).toBe(1);
      expect(text.out).toMatch(/INCOMPLETE/);
      expect(text.out).not.toMatch(/\(complete\)/);
      expect(text.out).toMatch(/, incomplete\n$/);

      const allowed = await run(['validate', '--rules', dir, '--solver-steps', '1', '--allow-incomplete', '--format', 'json']);
      expect(allowed.code).toBe(0);
      const a = JSON.parse(allowed.out) as Awaited<ReturnType<typeof validateRules>>;
      expect(a.summary.status).toBe('incomplete');
      expect(a.diagnostics.filter((d) => d.code === 'analysis/incomplete').every((d) => d.severity === 'warning')).toBe(true);
    }
  });

  it('a spent time budget: the same', async () => {
    const r = await validateRules(shipped(), { limits: { steps: 1e9, memoryMb: 900, remainingMs: () => 0 } });
    expect(r.summary.status).toBe('incomplete');
    expect(r.summary.errors).toBeGreaterThan(0);
  });
});

describe('grown rule sets', () => {
  it('the shipped rules plus 65 plausible rules are analysed completely; every counterexample is real', async () => {
    const files = (growRules({ extra: 65, seed: 3 }) as { file: string; text: string }[]).map((f) => ({ file: `grown/${f.file}`, text: f.text }));
    const r = await validateRules(files);
    expect(r.summary.analysed).toBe(true);
    expect(r.incomplete).toEqual([]);
    expect(r.summary.status).toBe('complete');
    const rs = compileRuleset(buildRuleset(files).model!);
    for (const d of r.diagnostics) if (d.counterexample) replay(d.counterexample, rs);
  });
});
