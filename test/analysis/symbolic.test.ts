/**
 * The solver's encoding of the rules (symbolic/) agrees with the engine: for random points
 * of the input space, each field pinned to its class, the states the solver derives for
 * every decision are those the engine gives for the same case. Checks every hit-policy
 * encoder and decision chaining on the shipped rules plus a grown set.
 */
import { describe, expect, it } from 'vitest';
import { validateCase } from '../../src/case/schema.js';
import { compileRuleset } from '../../src/engine/compile.js';
import { decide } from '../../src/engine/evaluate.js';
import { stateKey } from '../../src/analysis/outcome.js';
import { Encoding } from '../../src/analysis/symbolic/encode.js';
import { DEFAULT_LIMITS, Session } from '../../src/analysis/symbolic/solve.js';
import { inputSpace } from '../../src/analysis/symbolic/space.js';
import { withZ3 } from '../../src/analysis/symbolic/z3.js';
import { buildRuleset } from '../../src/rules/build.js';
import { readRuleSources } from '../../src/rules/load.js';
import { RULES_DIR } from '../support/rules.js';
// @ts-expect-error plain ES module script without types
import { growRules } from '../../scripts/grow-rules.mjs';
import { deriveCase } from '../../src/case/derive.js';

/** Random points of the space of the given rule sets (encoded together, as diff does): every side's every decision as the engine decides it. */
async function agree(sets: { file: string; text: string }[][], cases: number): Promise<number> {
  const sides = sets.map((sources) => {
    const model = buildRuleset(sources).model!;
    return { model, rs: compileRuleset(model) };
  });
  return withZ3(DEFAULT_LIMITS.memoryMb, async (z) => {
    const enc = new Encoding(z, inputSpace(sides.map((s) => ({ model: s.model, params: s.rs.params }))), sides.map((s) => s.rs));
    const solver = new z.Solver('QF_FD');
    for (const c of enc.base) solver.add(c);
    const session = new Session(enc);
    let seed = 11;
    const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    let checked = 0;
    for (let k = 0; k < cases; k++) {
      const assignment = new Map(enc.space.fields.map((f) => [f.field, rnd() < 0.25 ? 0 : Math.floor(rnd() * f.values.length)] as const));
      const raw = session.caseOf(assignment, `p${k}`);
      const v = validateCase(raw, 'p');
      // points the case schema refuses, or that leave unknown an input the others settle, are not cases
      if (!v.ok || deriveCase(raw) !== raw) continue;
      const pins = [...assignment].map(([f, i]) => enc.is(f, i));
      expect(await solver.check(...pins)).toBe('sat');
      const m = solver.model();
      const truth = (b: Parameters<typeof m.eval>[0]) => z.isTrue(m.eval(b, true));
      sides.forEach(({ rs }, side) => {
        const engine = decide(v.value, rs).states;
        for (const d of rs.decisions) {
          const s = enc.state(side, d.model.id)!;
          const value = [...s.val].find(([, b]) => truth(b))?.[0];
          const mine = {
            ...(value !== undefined ? { value } : {}),
            candidates: [...s.cands].filter(([, b]) => truth(b)).map(([x]) => x),
            ...(d.model.hitPolicy === 'collect' ? { included: [...s.inc].filter(([, b]) => truth(b)).map(([x]) => x) } : {}),
            missing: [],
          };
          expect(stateKey(d.model, mine), `side ${side}: ${d.model.id} on ${JSON.stringify(raw)}`).toBe(stateKey(d.model, engine[d.index]));
          expect(mine.candidates.length).toBe(new Set(engine[d.index]!.candidates).size);
        }
      });
      checked++;
    }
    return checked;
  });
}

describe('the encoding agrees with the engine', () => {
  it('shipped rules: every decision, on 200 random points', async () => {
    expect(await agree([readRuleSources(RULES_DIR, 'rules')], 200)).toBeGreaterThan(100);
  });

  it('shipped plus 65 grown rules (score with many factors, parameters)', async () => {
    expect(await agree([growRules({ extra: 65, seed: 5 })], 100)).toBeGreaterThan(60);
  });

  it('two rule sets encoded together, as diff compares them (score sums as shared counters)', async () => {
    expect(await agree([readRuleSources(RULES_DIR, 'rules'), growRules({ extra: 65, seed: 5 })], 100)).toBeGreaterThan(60);
  });
});
