/** The check shared by the invariants-*.test.ts files. */
import { expect, it } from 'vitest';
import { validateRules } from '../../src/analysis/validate.js';
import { buildRuleset } from '../../src/rules/build.js';
import { compileRuleset } from '../../src/engine/compile.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { validateCase } from '../../src/case/schema.js';
import { focusedSources, shippedCopy } from './broken-copy.js';
import type { Breakage } from './invariants-broken.js';

/**
 * Per breakage: validate on the broken copy reports exactly that invariant, with a
 * counterexample the engine confirms. (That the intact rules keep every invariant is the
 * shipped-rules validate test.)
 */
export function expectCaught(breakages: readonly Breakage[]): void {
  it('every invariant of the shipped rules has a breakage', () => {
    const ids = shippedCopy().invariants.map((i) => i.id);
    expect(ids.length).toBeGreaterThan(0);
    for (const b of breakages) expect(ids).toContain(b.invariant);
  });

  it.each(breakages.map((b) => [b.invariant, b.guard, b] as const))("%s: without %s", async (id, _guard, b) => {
    const rs = shippedCopy();
    b.breakIt(rs);
    const sources = focusedSources(rs, id, b.only);
    const found = (await validateRules(sources)).diagnostics.filter((d) => d.code === 'analysis/invariant');
    expect(found.map((d) => d.rules?.[0])).toEqual([id]);
    const v = validateCase(found[0]!.counterexample, 'counterexample');
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    const plan = evaluate(v.value, compileRuleset(buildRuleset(sources).model!));
    expect(plan.invariantViolations.map((x) => x.invariant)).toContain(id);
  });
}
