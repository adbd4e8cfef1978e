/**
 * The statistics a journal asks for, against values computed by hand (the working is in the
 * comments), and the summary figures built on them: the same value order on both axes of the
 * confusion matrix, every figure by source, duplicate ids.
 */
import { describe, expect, it } from 'vitest';
import { cohensKappa, wilson } from '../../src/batch/stats.js';
import { runBatch } from '../../src/cli/commands/batch.js';
import type { BatchSummary } from '../../src/batch/summary.js';
import { recordingIo } from './helpers.js';

describe("Cohen's kappa with the Fleiss-Cohen-Everitt standard error", () => {
  it('a 3 × 3 table of 14 pairs, worked by hand', () => {
    // rows one rater (done), columns the other (recommended), categories A B C:
    //        A  B  C   | row
    //   A    4  1  0   |  5
    //   B    1  3  1   |  5
    //   C    0  1  3   |  4
    //   col  5  5  4   | n = 14
    // p_o = (4 + 3 + 3) / 14 = 10/14 = 0.714286
    // p_e = (5·5 + 5·5 + 4·4) / 14² = 66/196 = 0.336735
    // κ = (p_o − p_e) / (1 − p_e) = (140 − 66)/196 ÷ 130/196 = 74/130 = 0.569231;  1 − κ = 56/130
    // A = Σ p_ii [1 − (p_i. + p_.i)(1 − κ)]²
    //   A: 4/14 · [1 − (10/14)(56/130)]² = 4/14 · (9/13)²  = 0.136940
    //   B: 3/14 · (9/13)²                                  = 0.102705
    //   C: 3/14 · [1 − (8/14)(56/130)]² = 3/14 · (49/65)² = 0.121775
    //   A = 0.361420
    // B = (1 − κ)² Σ_{i≠j} p_ij (p_.i + p_j.)²
    //   cells AB, BA: 1/14 · (10/14)² each; BC, CB: 1/14 · (9/14)² each
    //   Σ = (100 + 100 + 81 + 81) / (196 · 14) = 362/2744 = 0.131924
    //   B = (56/130)² · 0.131924 = 0.185562 · 0.131924 = 0.024480
    // C = [κ − p_e(1 − κ)]² = (0.569231 − 0.336735 · 0.430769)² = (0.569231 − 0.145055)² = 0.179925
    // SE = √(A + B − C) / ((1 − p_e) √n) = √0.205975 / (0.663265 · 3.741657) = 0.453845 / 2.481713 = 0.182876
    // 95 % CI = κ ± 1.959964 · SE = 0.569231 ± 0.358431 = 0.210800 to 0.927661
    const k = cohensKappa([
      [4, 1, 0],
      [1, 3, 1],
      [0, 1, 3],
    ])!;
    expect(k.n).toBe(14);
    expect(k.observed).toBeCloseTo(0.714286, 6);
    expect(k.expected).toBeCloseTo(0.336735, 6);
    expect(k.kappa).toBeCloseTo(0.569231, 6);
    expect(k.se).toBeCloseTo(0.182876, 6);
    expect(k.ci95.low).toBeCloseTo(0.2108, 4);
    expect(k.ci95.high).toBeCloseTo(0.927661, 5);
  });

  it('perfect agreement: κ = 1 and SE = 0; agreement by chance alone: κ = 0', () => {
    // diagonal only: p_o = 1, κ = 1; A = Σ p_ii · 1² = 1, B = 0, C = (1 − 0)² = 1 → SE = 0
    const perfect = cohensKappa([
      [3, 0],
      [0, 2],
    ])!;
    expect([perfect.kappa, perfect.se, perfect.ci95.low, perfect.ci95.high]).toEqual([1, 0, 1, 1]);
    // every cell 1: p_o = 2/4 = 0.5, margins all 1/2, p_e = 0.5 → κ = 0
    expect(
      cohensKappa([
        [1, 1],
        [1, 1],
      ])!.kappa,
    ).toBe(0);
  });

  it('is undefined with no pairs, or when one category takes every pair (p_e = 1)', () => {
    expect(cohensKappa([[0]])).toBeNull();
    expect(
      cohensKappa([
        [5, 0],
        [0, 0],
      ]),
    ).toBeNull();
  });
});

describe('Wilson 95 % interval', () => {
  it('10 of 14, worked by hand', () => {
    // p = 0.714286, z² = 3.841459, n = 14
    // denominator 1 + z²/n = 1.274390
    // centre = (p + z²/2n) / 1.274390 = (0.714286 + 0.137195) / 1.274390 = 0.668148
    // half = z · √(p(1 − p)/n + z²/4n²) / 1.274390 = 1.959964 · √(0.014577 + 0.004900) / 1.274390 = 0.214640
    // interval 0.453508 to 0.882788
    const ci = wilson(10, 14)!;
    expect(ci.low).toBeCloseTo(0.453509, 5);
    expect(ci.high).toBeCloseTo(0.882786, 5);
  });

  it('stays within 0 and 1 at the edges, and is undefined for n = 0', () => {
    // k = 0, n = 10: centre = (0 + 0.192073) / 1.384146 = 0.138767, half the same: low 0
    const none = wilson(0, 10)!;
    expect(none.low).toBe(0);
    expect(none.high).toBeCloseTo(0.277533, 5);
    expect(wilson(10, 10)!.high).toBeCloseTo(1, 12);
    expect(wilson(0, 0)).toBeNull();
  });
});

/** A JSON Lines cohort: [id, source, lumen/collaterals giving a known recommendation, what was done]. */
const line = (id: string, source: object, done: string, graft: boolean): string =>
  JSON.stringify({
    id,
    source,
    tumor: { origin: 'ivc', imagingType: 'intraluminal', metastases: 'none', arterialInvolvement: [], adjacentOrgans: [], biopsy: 'leiomyosarcoma', paragangliomaExcluded: true },
    ivc: { segments: ['I'], rightAtrialExtension: false, hepaticVeinInvolvement: false, circumferencePercent: graft ? 90 : 20, lumen: 'patent', collaterals: 'limited', diameterMm: 20 },
    renalVeins: { left: 'free', right: 'free' },
    patient: { solitaryKidney: 'none' },
    actual: { ivcManagement: done },
  });

async function summaryOf(lines: string[]): Promise<BatchSummary> {
  const r = recordingIo({ stdin: async function* () { yield lines.join('\n') + '\n'; } });
  await runBatch({ paths: ['-'], format: 'json', failOnDiscordance: false, summary: true }, r.io);
  return (JSON.parse(r.out()) as { summary: BatchSummary }).summary;
}

describe('the summary', () => {
  it('orders both axes of the confusion matrix the same way, and splits every figure by source', async () => {
    const published = { citation: 'A paper', doi: '10.1/x' };
    const synthetic = { note: 'SYNTHETIC: made up', citation: 'modelled on a paper' };
    const s = await summaryOf([
      line('p1', published, 'primary_repair', false),
      line('p2', published, 'interposition_graft', true),
      line('r1', {}, 'primary_repair', true),
      line('s1', synthetic, 'primary_repair', false),
      line('s2', synthetic, 'primary_repair', false),
    ]);
    const m = s.concordance!.matrix;
    expect(m.recommended).toEqual([...m.actual, 'undetermined']);
    const recommended = (done: string, rec: string) => m.counts[m.actual.indexOf(done)]![m.recommended.indexOf(rec)];
    expect(recommended('primary_repair', 'primary_repair')).toBe(3);
    expect(recommended('primary_repair', 'interposition_graft')).toBe(1);
    expect(recommended('interposition_graft', 'interposition_graft')).toBe(1);
    expect(s.concordance!.agreement).toEqual({ percent: 80, ci95: { low: 37.6, high: 96.4 } }); // Wilson, 4 of 5
    expect(s.byImagingType.find((g) => g.type === 'intraluminal')!.agreement).toEqual({ determined: 5, agree: 4, percent: 80, ci95: { low: 37.6, high: 96.4 } });
    expect(s.bySource.map((g) => [g.source, g.cases.total, g.concordance!.determined, g.concordance!.agree])).toEqual([
      ['published', 2, 2, 2],
      ['registry', 1, 1, 0],
      ['synthetic', 2, 2, 2], // a SYNTHETIC note wins over a citation
    ]);
    // published: 2 of 2 agree, both categories on the diagonal: p_o = 1, p_e = ½·½ + ½·½ = ½ → κ = 1
    expect(s.bySource[0]!.concordance!.kappa).toMatchObject({ n: 2, kappa: 1 });
    // synthetic: one category only → p_e = 1, κ undefined
    expect(s.bySource[2]!.concordance!.kappa).toBeNull();
  });

  it('flags case ids given to more than one case', async () => {
    const s = await summaryOf(['a', 'b', 'a', 'c', 'a', 'b'].map((id) => line(id, {}, 'primary_repair', false)));
    expect(s.duplicateIds).toEqual({ ids: 2, extraCases: 3, examples: [{ id: 'a', cases: [1, 3, 5] }, { id: 'b', cases: [2, 6] }] });
  });

  it('lists the first 20 duplicated ids and counts the rest', async () => {
    const ids = Array.from({ length: 25 }, (_, i) => `d${i}`);
    const s = await summaryOf([...ids, ...ids, ...ids].map((id) => line(id, {}, 'primary_repair', false)));
    expect(s.duplicateIds.ids).toBe(25);
    expect(s.duplicateIds.extraCases).toBe(50);
    expect(s.duplicateIds.examples).toHaveLength(20);
    expect(s.duplicateIds.examples[0]).toEqual({ id: 'd0', cases: [1, 26, 51] });
  });
});

describe('the progress line', () => {
  it('shows the share read and the time left when the input size is known', async () => {
    const { progressLine } = await import('../../src/batch/progress.js');
    // 25 % of the bytes in 10 s: 30 s left at that pace; 90,000 cases in 10 s: 9,000/s
    expect(progressLine(90_000, 10_000, 250, 1000)).toBe('rvlms batch: 25 % · 90,000 cases · 9,000/s · 0:30 left');
    expect(progressLine(90_000, 10_000, 0, undefined)).toBe('rvlms batch: 90,000 cases · 9,000/s');
    expect(progressLine(10, 3_600_000, 1, 2)).toBe('rvlms batch: 50 % · 10 cases · 0/s · 1:00:00 left');
  });
});

describe('IdSet', () => {
  it('finds each id seen before, with the case that first carried it, through many growths', async () => {
    const { IdSet } = await import('../../src/batch/stats.js');
    const set = new IdSet();
    for (let i = 1; i <= 100_000; i++) expect(set.firstOf(`case-${i}`, i)).toBeUndefined();
    for (let i = 1; i <= 100_000; i += 997) expect(set.firstOf(`case-${i}`, 200_000 + i)).toBe(i);
    expect(set.firstOf('', 1)).toBeUndefined();
    expect(set.firstOf('', 2)).toBe(1);
  });
});
