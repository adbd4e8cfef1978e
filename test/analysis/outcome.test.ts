/**
 * The analysis resolves decisions itself (outcome.ts) to evaluate millions of rule vectors;
 * it must agree with the engine. Differential check on random valid cases.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateCase } from '../../src/case/schema.js';
import { factsOf } from '../../src/engine/compile.js';
import { decide } from '../../src/engine/evaluate.js';
import { sameState, stateKey, statesOf } from '../../src/analysis/outcome.js';
import { caseCandidate } from '../support/arbitraries.js';
import { shippedRuleset } from '../support/rules.js';

const validCase = caseCandidate().filter((c) => validateCase(c, 'x').ok);

describe('outcome.ts agrees with the engine', () => {
  it('same value, candidates and included items for every decision', () => {
    const rs = shippedRuleset();
    fc.assert(
      fc.property(validCase, (c) => {
        const mine = statesOf(rs, factsOf(rs, c));
        const engine = decide(c, rs).states;
        rs.decisions.forEach((d, i) => {
          expect(stateKey(d.model, mine[i]), d.model.id).toBe(stateKey(d.model, engine[i]));
          expect(sameState(mine[i], engine[i])).toBe(true);
        });
      }),
      { numRuns: 400, seed: 20261122 },
    );
  });
});
