/**
 * The summary of the example cohort (fixtures/cohort/: 6 published + 20 synthetic cases),
 * checked against figures computed by hand from the case files. Quartiles are type 7:
 * for sorted x[0..n-1] the p-quantile sits at h = (n-1)·p, between x[⌊h⌋] and x[⌊h⌋+1].
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NumberSample, percent, quantile } from '../../src/batch/stats.js';
import type { BatchSummary } from '../../src/batch/summary.js';
import type { CaseResult } from '../../src/batch/types.js';
import { runBatch } from '../../src/cli/commands/batch.js';
import { fixture, recordingIo } from './helpers.js';

interface JsonOutput {
  readonly cases: CaseResult[];
  readonly summary: BatchSummary;
}

async function batchJson(path: string): Promise<JsonOutput> {
  const r = recordingIo();
  const code = await runBatch({ paths: [path], format: 'json', failOnDiscordance: false }, r.io);
  expect(code).toBe(0);
  return JSON.parse(r.out()) as JsonOutput;
}

describe('type-7 quartiles', () => {
  it.each([
    // n = 1: every quartile is the value
    [[7], 7, 7, 7],
    // n = 4, sorted 10 20 30 40: q1 at h=0.75 → 10 + .75·10 = 17.5; median h=1.5 → 25; q3 h=2.25 → 30 + .25·10 = 32.5
    [[40, 10, 30, 20], 17.5, 25, 32.5],
    // n = 5: q1, median, q3 at h = 1, 2, 3 exactly
    [[5, 1, 4, 2, 3], 2, 3, 4],
  ])('%j → q1 %d, median %d, q3 %d', (values, q1, median, q3) => {
    const s = new NumberSample();
    for (const v of values) s.add(v);
    expect(s.quartiles()).toEqual({ n: values.length, q1, median, q3, min: Math.min(...values), max: Math.max(...values) });
  });

  it('grows past its initial size and handles the edges', () => {
    const s = new NumberSample();
    for (let i = 100; i >= 1; i--) s.add(i);
    // 1..100: median h=49.5 → 50.5; q1 h=24.75 → 25.75; q3 h=74.25 → 75.25
    expect(s.quartiles()).toEqual({ n: 100, q1: 25.75, median: 50.5, q3: 75.25, min: 1, max: 100 });
    expect(new NumberSample().quartiles()).toBeNull();
    expect(quantile([3, 9], 1)).toBe(9);
    expect([percent(1, 3), percent(2, 3), percent(0, 0)]).toEqual([33.3, 66.7, null]);
  });
});

describe('the example cohort, by hand', async () => {
  const { cases, summary: s } = await batchJson(fixture('cohort'));

  it('counts every case once', () => {
    // 20 synthetic cases; 16 have a determined IVC recommendation, and 15 of those have every
    // input known (syn-im-06 lacks patient.solitaryKidney and renalVeins.left): ok = 15.
    // The other 11 (6 published, 4 synthetic with unknown IVC inputs, syn-im-06) are undetermined.
    expect(s.cases).toEqual({ total: 26, ok: 15, undetermined: 11, invalid: 0 });
    expect(cases.map((c) => c.n)).toEqual(Array.from({ length: 26 }, (_, i) => i + 1));
  });

  it('concordance of the IVC management with what was done', () => {
    // determined (16): agree 12; disagree 4 —
    //   syn-el-01 primary_repair (rule set 2.0: a tumour of the IVC wall, 0 % recorded, still needs a caval
    //   resection) vs no_caval_resection, syn-el-03 primary_repair (10 % < 40 %) vs no_caval_resection,
    //   syn-il-04 patch_cavoplasty (60 %) vs primary_repair, syn-im-04 patch_cavoplasty (45 %) vs primary_repair.
    // agreement 12 / 16 = 75 %.
    // undetermined (10): 6 published + syn-el-04 + syn-im-05 + syn-pe-05 have the actual among the
    // candidates (9); syn-il-05 (occluded, collaterals unknown: ligation | interposition_graft)
    // was a primary_repair (1).
    const c = s.concordance!;
    expect(c).toMatchObject({
      withActual: 26,
      withoutActual: 0,
      determined: 16,
      agree: 12,
      disagree: 4,
      agreementPercent: 75,
      undetermined: { total: 10, actualAmongCandidates: 9, actualNotAmongCandidates: 1 },
    });
    expect(c.determined + c.undetermined.total).toBe(c.withActual);
    const disagreeing = cases.filter((x) => x.agreement === 'disagree').map((x) => x.id);
    expect(disagreeing).toEqual(['syn-el-01', 'syn-el-03', 'syn-il-04', 'syn-im-04']);
  });

  it('confusion matrix', () => {
    const m = s.concordance!.matrix;
    const cell = (done: string, rec: string) => m.counts[m.actual.indexOf(done)]![m.recommended.indexOf(rec)];
    // no_caval_resection done: pe-01, pe-02 recommended so; el-01, el-03 primary_repair; pe-05 undetermined
    expect([cell('no_caval_resection', 'no_caval_resection'), cell('no_caval_resection', 'primary_repair'), cell('no_caval_resection', 'undetermined')]).toEqual([2, 2, 1]);
    // primary_repair done: el-02 im-01 im-03 im-06 pe-03 pe-04 agree (6); il-04 im-04 patch (2);
    // zhang case 1-4, el-04, il-05, im-05 undetermined (7)
    expect([cell('primary_repair', 'primary_repair'), cell('primary_repair', 'patch_cavoplasty'), cell('primary_repair', 'undetermined')]).toEqual([6, 2, 7]);
    expect(cell('patch_cavoplasty', 'patch_cavoplasty')).toBe(1); // im-02
    expect([cell('interposition_graft', 'interposition_graft'), cell('interposition_graft', 'undetermined')]).toEqual([2, 1]); // il-02, il-03; jgs2014
    expect([cell('ligation', 'ligation'), cell('ligation', 'undetermined')]).toEqual([1, 1]); // il-01; zhu2025
    const total = m.counts.flat().reduce((a, b) => a + b, 0);
    expect(total).toBe(26);
  });

  it('by imaging type', () => {
    const g = Object.fromEntries(s.byImagingType.map((x) => [x.type, x]));
    // intraluminal (il-01..05): time 390 420 450 480 510 → 420 / 450 / 480;
    // blood 800 1000 1200 1500 2000 → 1000 / 1200 / 1500; transfusion 4/5; ICU 4/5
    expect(g['intraluminal']).toEqual({
      type: 'intraluminal',
      n: 5,
      operativeTimeMin: { n: 5, q1: 420, median: 450, q3: 480, min: 390, max: 510 },
      bloodLossMl: { n: 5, q1: 1000, median: 1200, q3: 1500, min: 800, max: 2000 },
      transfusion: { n: 5, yes: 4, percent: 80 },
      icuAdmission: { n: 5, yes: 4, percent: 80 },
      ivcProcedures: { n: 5, counts: { primary_repair: 2, interposition_graft: 2, ligation: 1 } },
      // determined: il-01..04 (il-05 undetermined); il-04 is recommended a patch, primary repair done: 3 of 4,
      // Wilson 95 %: centre (0.75 + 0.480182)/1.960365, half 1.959964·√(0.046875 + 0.060023)/1.960365 = 0.326886 around 0.627527 → 30.1 to 95.4
      agreement: { determined: 4, agree: 3, percent: 75, ci95: { low: 30.1, high: 95.4 } },
    });
    // intermediate (im-01..06; im-06 has no time, im-05 no ICU): time 240 270 300 330 360 → 270 / 300 / 330;
    // blood 300 400 500 600 700 900: q1 h=1.25 → 400+.25·100 = 425, median h=2.5 → 550, q3 h=3.75 → 600+.75·100 = 675;
    // transfusion 2/6 = 33.3 %; ICU 1/5 = 20 %
    expect(g['intermediate']).toEqual({
      type: 'intermediate',
      n: 6,
      operativeTimeMin: { n: 5, q1: 270, median: 300, q3: 330, min: 240, max: 360 },
      bloodLossMl: { n: 6, q1: 425, median: 550, q3: 675, min: 300, max: 900 },
      transfusion: { n: 6, yes: 2, percent: 33.3 },
      icuAdmission: { n: 5, yes: 1, percent: 20 },
      ivcProcedures: { n: 6, counts: { primary_repair: 5, patch_cavoplasty: 1 } },
      // determined: im-01..04 and im-06 (im-05 undetermined); im-04 disagrees: 4 of 5
      agreement: { determined: 5, agree: 4, percent: 80, ci95: { low: 37.6, high: 96.4 } },
    });
    // extraluminal (el-01..04): time 200 220 260 280: q1 h=.75 → 215, median → 240, q3 h=2.25 → 265;
    // blood 150 250 350 450 → 225 / 300 / 375; transfusion 1/4; ICU 1/3 (el-04 unknown)
    expect(g['extraluminal']).toEqual({
      type: 'extraluminal',
      n: 4,
      operativeTimeMin: { n: 4, q1: 215, median: 240, q3: 265, min: 200, max: 280 },
      bloodLossMl: { n: 4, q1: 225, median: 300, q3: 375, min: 150, max: 450 },
      transfusion: { n: 4, yes: 1, percent: 25 },
      icuAdmission: { n: 3, yes: 1, percent: 33.3 },
      ivcProcedures: { n: 4, counts: { no_caval_resection: 2, primary_repair: 2 } },
      // determined: el-01..03 (el-04 undetermined); el-01 and el-03 are recommended primary repair
      // (el-01: an IVC-wall tumour always gets a caval resection), no resection done: 1 of 3;
      // Wilson 95 %: centre (1/3 + 1.96²/6) / (1 + 1.96²/3) = .427, half-width .365 → 6.1–79.2
      agreement: { determined: 3, agree: 1, percent: 33.3, ci95: { low: 6.1, high: 79.2 } },
    });
    // peripheral (pe-01..05; pe-05 has no blood loss): time 150 180 210 240 300 → 180 / 210 / 240;
    // blood 100 150 200 600: q1 h=.75 → 137.5, median → 175, q3 h=2.25 → 200+.25·400 = 300
    expect(g['peripheral']).toEqual({
      type: 'peripheral',
      n: 5,
      operativeTimeMin: { n: 5, q1: 180, median: 210, q3: 240, min: 150, max: 300 },
      bloodLossMl: { n: 4, q1: 137.5, median: 175, q3: 300, min: 100, max: 600 },
      transfusion: { n: 5, yes: 1, percent: 20 },
      icuAdmission: { n: 5, yes: 0, percent: 0 },
      ivcProcedures: { n: 5, counts: { no_caval_resection: 3, primary_repair: 2 } },
      // determined: pe-01..04, all agree (pe-05 undetermined): 4 of 4, upper limit 1
      agreement: { determined: 4, agree: 4, percent: 100, ci95: { low: 51, high: 100 } },
    });
    // unknown (the 6 published cases): time 224 256 373 467 (Zhang 1-4): q1 224+.75·32 = 248,
    // median (256+373)/2 = 314.5 (Zhang's reported median: 314.5), q3 373+.25·94 = 396.5;
    // blood 200 300 800 1500 → 275 / 550 (Zhang: 550) / 975; transfusion 3/4 (Zhang: 3 of 4); no ICU data
    expect(g['unknown']).toEqual({
      type: 'unknown',
      n: 6,
      operativeTimeMin: { n: 4, q1: 248, median: 314.5, q3: 396.5, min: 224, max: 467 },
      bloodLossMl: { n: 4, q1: 275, median: 550, q3: 975, min: 200, max: 1500 },
      transfusion: { n: 4, yes: 3, percent: 75 },
      icuAdmission: { n: 0, yes: 0, percent: null },
      ivcProcedures: { n: 6, counts: { primary_repair: 4, interposition_graft: 1, ligation: 1 } },
      // no published case has a determined recommendation
      agreement: { determined: 0, agree: 0, percent: null, ci95: null },
    });
    expect(s.byImagingType.reduce((a, x) => a + x.n, 0)).toBe(26);
  });

  it('by rule: which IVC rule decided how often', () => {
    const ivc = s.byRule.find((d) => d.decision === 'ivcManagement')!;
    const count = Object.fromEntries(ivc.rules.map((r) => [r.rule, r.cases]));
    // not-involved: pe-01, pe-02 (segments []); no-wall-involvement: none (el-01 is of the IVC wall);
    // ligation-suprarenal: il-01; graft-occluded-upper: il-03 (segment III); graft-occluded-poor-collaterals: il-02;
    // patch: il-04, im-02, im-04; primary-repair: el-01, el-02, el-03, im-01, im-03, im-06, pe-03, pe-04
    expect(count).toMatchObject({
      'ivc.not-involved': 2,
      'ivc.no-wall-involvement': 0,
      'ivc.ligation-infrarenal': 0,
      'ivc.ligation-suprarenal': 1,
      'ivc.graft-occluded-upper': 1,
      'ivc.graft-occluded-poor-collaterals': 1,
      'ivc.graft-circumferential': 0,
      'ivc.patch': 3,
      'ivc.primary-repair': 8,
    });
    // 2+1+1+1+3+8 = 16 determined, + 10 undetermined = 26
    expect(ivc.determined).toBe(16);
    expect(ivc.undetermined).toBe(10);
    for (const d of s.byRule) expect(d.determined + d.undetermined).toBe(26);
  });

  it('undetermined reasons: the inputs that block the most cases', () => {
    const byField = Object.fromEntries(s.undeterminedReasons.map((m) => [m.field, m]));
    // circumference is unknown in the 6 published cases, el-04, im-05 and pe-05: 9, each leaving the IVC open
    expect(byField['ivc.circumferencePercent']).toMatchObject({ cases: 9, ivcManagement: 9 });
    // collaterals are unknown in the 6 published cases and il-05, and a ligation rule stays open in each: 7
    expect(byField['ivc.collaterals']).toMatchObject({ cases: 7, ivcManagement: 7 });
    expect(s.undeterminedReasons[0]!.field).toBe('ivc.circumferencePercent');
    const counts = s.undeterminedReasons.map((m) => m.cases);
    expect([...counts].sort((a, b) => b - a)).toEqual(counts);
  });

  it('a graft chosen without the native IVC diameter waits for it for its size, not for the IVC management', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rvlms-summary-'));
    try {
      const known = { metastases: 'none', arterialInvolvement: [], adjacentOrgans: [], biopsy: 'leiomyosarcoma', paragangliomaExcluded: true };
      const graft = { id: 'graft', tumor: known, ivc: { segments: ['I'], lumen: 'occluded', collaterals: 'limited' } };
      const open = { id: 'open', tumor: known, ivc: { segments: ['I'], lumen: 'occluded' } };
      const file = join(dir, 'c.jsonl');
      writeFileSync(file, [graft, open].map((c) => JSON.stringify(c)).join('\n') + '\n');
      const out = await batchJson(file);
      expect(out.cases.map((c) => c.decisions?.['ivcManagement'])).toEqual(['interposition_graft', 'undetermined']);
      const byField = Object.fromEntries(out.summary.undeterminedReasons.map((m) => [m.field, m]));
      expect(byField['ivc.diameterMm']).toMatchObject({ cases: 1, ivcManagement: 0 });
      expect(byField['ivc.collaterals']).toMatchObject({ cases: 1, ivcManagement: 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds no safety invariant broken', () => {
    expect(s.invariantViolations).toEqual({ cases: 0, byInvariant: {} });
  });
});

describe('the example cohort in its three forms', async () => {
  const strip = (o: JsonOutput) => ({ cases: o.cases.map(({ source: _source, ...rest }) => rest), summary: o.summary });
  const folder = strip(await batchJson(fixture('cohort')));

  it.each(['cohort.csv', 'cohort.jsonl'])('%s gives the same results as the folder', async (file) => {
    expect(strip(await batchJson(fixture(file)))).toEqual(folder);
  });

  it('keeps the published cases identical to fixtures/cases/published', () => {
    for (const id of ['jgs2014-case', 'zhang2021-case1', 'zhang2021-case2', 'zhang2021-case3', 'zhang2021-case4', 'zhu2025-case'])
      expect(readFileSync(fixture(`cohort/published/${id}.json`), 'utf8')).toBe(readFileSync(fixture(`cases/published/${id}.json`), 'utf8'));
  });

  it('marks every synthetic case as synthetic', () => {
    const synthetic = folder.cases.filter((c) => c.id?.startsWith('syn-'));
    expect(synthetic).toHaveLength(20);
    for (const c of synthetic) {
      const data = JSON.parse(readFileSync(fixture(`cohort/synthetic/${c.id}.json`), 'utf8')) as { source?: { note?: string } };
      expect(data.source?.note).toMatch(/^SYNTHETIC:/);
    }
  });
});
