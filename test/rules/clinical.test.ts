/**
 * The shipped rule set over the whole finite space relevant to the safety invariants, and
 * targeted clinical scenarios (domain.md §0).
 */
import { describe, expect, it } from 'vitest';
import { evaluate, type Plan } from '../../src/engine/evaluate.js';
import { validateCase } from '../../src/case/schema.js';
import { IVC_MANAGEMENT_VALUES } from '../../src/case/fields.js';
import { shippedRuleset } from '../support/rules.js';
import { makeCase, setPath, type CaseObject, type Json } from '../support/case-factory.js';
import { decisionProblems, invariantProblems } from '../support/plan-checks.js';

const rs = shippedRuleset();
const U = undefined; // unknown (omitted)

const SEGMENTS: (Json | undefined)[] = [[], ['I'], ['II'], ['III'], ['I', 'II'], ['I', 'III'], ['II', 'III'], ['I', 'II', 'III'], U];
const BOOL: (Json | undefined)[] = [true, false, U];
const LUMEN: (Json | undefined)[] = ['patent', 'partially_occluded', 'occluded', U];
const COLLATERALS: (Json | undefined)[] = ['well_developed', 'limited', 'absent', U];
// thresholds 40 and 75 with their ±10 bands, 0 (no wall involvement) and the ends of the range
const CIRCUMFERENCE: (Json | undefined)[] = [U, 0, 1, 29, 30, 31, 39, 39.5, 40, 41, 49, 50, 51, 64, 65, 66, 74, 74.5, 75, 76, 84, 85, 86, 100];
const ARTERIAL: (Json | undefined)[] = [U, [], ['aorta'], ['renal_artery']];
const METASTASES: (Json | undefined)[] = ['none', 'limited', 'widespread', U];
const RENAL_VEIN: (Json | undefined)[] = ['free', 'abutted', 'invaded', U];
const SOLITARY: (Json | undefined)[] = ['none', 'left', 'right', U];

type Fields = Record<string, Json | undefined>;

function* product(axes: [string, readonly (Json | undefined)[]][]): Generator<Fields> {
  const idx = axes.map(() => 0);
  for (;;) {
    yield Object.fromEntries(axes.map(([k, vs], i) => [k, vs[idx[i]!]]));
    let i = axes.length - 1;
    while (i >= 0 && ++idx[i]! === axes[i]![1].length) idx[i--] = 0;
    if (i < 0) return;
  }
}

/** What is not enumerated: biopsy done, paraganglioma excluded, no adjacent organ, IVC diameter known, hepatic veins free (the first sweep enumerates them), origin unknown. */
function caseOf(n: number, fields: Fields): CaseObject {
  const c: CaseObject = {
    id: `space-${n}`,
    tumor: { biopsy: 'leiomyosarcoma', paragangliomaExcluded: true, adjacentOrgans: [] },
    ivc: { diameterMm: 22, hepaticVeinInvolvement: false },
  };
  for (const [path, v] of Object.entries(fields)) setPath(c, path, v);
  return c;
}

interface SpaceResult {
  evaluated: number;
  skipped: number;
  problems: string[];
  /** How often each IVC management value (or undetermined) was reached: the sweep is not vacuous. */
  ivc: Record<string, number>;
}

/** Evaluate every combination; schema-rejected ones must be contradictions, and are skipped. */
function sweep(cases: Iterable<Fields>, traceEvery = 16): SpaceResult {
  const res: SpaceResult = { evaluated: 0, skipped: 0, problems: [], ivc: {} };
  let n = 0;
  for (const fields of cases) {
    const c = caseOf(n++, fields);
    const v = validateCase(c, c.id);
    if (!v.ok) {
      const codes = [...new Set(v.diagnostics.map((x) => x.code))];
      if (codes.join() !== 'case/contradiction') res.problems.push(`${c.id} rejected with ${codes.join()}`);
      res.skipped++;
      continue;
    }
    let plan: Plan;
    try {
      // every case is checked; the full trace and the borderline probes run on a regular sample
      plan = evaluate(v.value, rs, { trace: n % traceEvery === 0, borderline: n % 4 === 0 });
    } catch (e) {
      res.problems.push(`${c.id}: evaluate threw ${String(e)}`);
      continue;
    }
    res.evaluated++;
    const ivc = String(plan.decisions['ivcManagement']!.value);
    res.ivc[ivc] = (res.ivc[ivc] ?? 0) + 1;
    const found = [...invariantProblems(v.value, plan), ...decisionProblems(plan, v.value), ...plan.invariantViolations.map((x) => `run-time invariant ${x.invariant}`)];
    if (found.length && res.problems.length < 20) res.problems.push(`${JSON.stringify(fields)}: ${found.join('; ')}`);
  }
  return res;
}

describe('the whole space relevant to the safety invariants', () => {
  it('IVC anatomy: segments × atrium × lumen × collaterals × circumference × hepatic veins', () => {
    const axes: [string, readonly (Json | undefined)[]][] = [
      ['ivc.segments', SEGMENTS],
      ['ivc.rightAtrialExtension', BOOL],
      ['ivc.lumen', LUMEN],
      ['ivc.collaterals', COLLATERALS],
      ['ivc.circumferencePercent', CIRCUMFERENCE],
      ['ivc.hepaticVeinInvolvement', BOOL],
    ];
    // the other inputs cycle through all their 64 combinations along the sweep (stride 37, coprime with 64)
    const others = [...product([
      ['tumor.arterialInvolvement', ARTERIAL],
      ['tumor.metastases', METASTASES],
      ['patient.solitaryKidney', SOLITARY],
    ])];
    let i = 0;
    const cases = (function* () {
      for (const f of product(axes)) yield { ...f, ...others[(i++ * 37) % others.length] };
    })();
    const r = sweep(cases);
    expect(r.problems).toEqual([]);
    expect(r.evaluated + r.skipped).toBe(9 * 3 * 4 * 4 * CIRCUMFERENCE.length * 3);
    expect(r.evaluated).toBeGreaterThan(20_000);
    expect(Object.keys(r.ivc).sort()).toEqual([...IVC_MANAGEMENT_VALUES, 'undetermined'].sort());
  });

  it('resectability and kidneys: segments × atrium × arterial × metastases × renal veins × solitary kidney', () => {
    // a ligation-prone IVC (good collaterals, circumferential), occluded or of unknown lumen in turn
    let i = 0;
    const cases = (function* () {
      for (const f of product([
        ['ivc.segments', SEGMENTS],
        ['ivc.rightAtrialExtension', BOOL],
        ['tumor.arterialInvolvement', ARTERIAL],
        ['tumor.metastases', METASTASES],
        ['renalVeins.left', RENAL_VEIN],
        ['renalVeins.right', RENAL_VEIN],
        ['patient.solitaryKidney', SOLITARY],
      ]))
        yield { ...f, 'ivc.lumen': i++ % 2 ? 'occluded' : U, 'ivc.collaterals': 'well_developed', 'ivc.circumferencePercent': 80 };
    })();
    const r = sweep(cases);
    expect(r.problems).toEqual([]);
    expect(r.evaluated + r.skipped).toBe(9 * 3 * 4 * 4 * 4 * 4 * 4);
    expect(r.ivc['ligation']).toBeGreaterThan(0);
    expect(r.ivc['not_applicable']).toBeGreaterThan(0);
  });
});

/** A fully known resectable case with the given IVC findings. */
const ivcCase = (ivc: Record<string, Json | undefined>, extra: Parameters<typeof makeCase>[0] = {}) => makeCase({ ...extra, ivc: { ...ivc, ...(extra['ivc'] as object | undefined) } });
const plan = (c: CaseObject) => {
  const v = validateCase(c, c.id);
  if (!v.ok) throw new Error(`invalid test case: ${v.diagnostics.map((d) => d.code + ' ' + d.path).join(', ')}`);
  return evaluate(v.value, rs);
};

describe('IVC management scenarios (domain.md §0)', () => {
  it.each([
    { where: 'infrarenal (segment I)', segments: ['I'], rule: 'ivc.ligation-infrarenal' },
    { where: 'below the hepatic veins (segment II)', segments: ['II'], rule: 'ivc.ligation-suprarenal' },
    { where: 'segments I and II', segments: ['I', 'II'], rule: 'ivc.ligation-suprarenal' },
  ])('occluded + well-developed collaterals $where → ligation', ({ segments, rule }) => {
    const p = plan(ivcCase({ segments, lumen: 'occluded', collaterals: 'well_developed', circumferencePercent: 100 }));
    expect(p.decisions['ivcManagement']).toMatchObject({ status: 'determined', value: 'ligation', rule });
    expect(p.decisions['ivcManagement']!.graftSize).toBeUndefined();
    expect(p.warnings.map((w) => w.id)).toContain('leg-oedema');
  });

  it('ligation involving segment II warns about renal failure and renal drainage', () => {
    const p = plan(ivcCase({ segments: ['II'], lumen: 'occluded', collaterals: 'well_developed' }));
    expect(p.warnings.map((w) => w.id)).toEqual(expect.arrayContaining(['renal-failure-after-ligation', 'renal-drainage-at-ligation']));
    expect(p.decisions['renalVeins']!.value).toEqual(expect.arrayContaining(['left_ligation_acceptable', 'right_reimplantation_or_nephrectomy']));
  });

  it.each(['limited', 'absent'])('occluded + %s collaterals → interposition graft, sized from the diameter', (collaterals) => {
    const p = plan(ivcCase({ segments: ['II'], lumen: 'occluded', collaterals, diameterMm: 22 }));
    expect(p.decisions['ivcManagement']).toMatchObject({ status: 'determined', value: 'interposition_graft', rule: 'ivc.graft-occluded-poor-collaterals' });
    expect(p.decisions['ivcManagement']!.graftSize).toMatchObject({ status: 'determined', sizeMm: 14 });
  });

  it('occluded + unknown collaterals → undetermined {ligation, interposition_graft}, asks for venography', () => {
    const p = plan(ivcCase({ segments: ['II'], lumen: 'occluded', collaterals: null, circumferencePercent: 60 }));
    const d = p.decisions['ivcManagement']!;
    expect(d.status).toBe('undetermined');
    expect(d.candidates!.map((c) => c.value).sort()).toEqual(['interposition_graft', 'ligation']);
    expect(d.missing).toEqual(['ivc.collaterals']);
    expect(p.missing.find((m) => m.field === 'ivc.collaterals')!.workup).toMatch(/venograph/i);
    expect(p.decisions['preparation']!.value).toContain('venography');
  });

  it('70 % of the circumference → patch, borderline: graft on the other side of 75 %', () => {
    const p = plan(ivcCase({ segments: ['II'], lumen: 'patent', circumferencePercent: 70 }));
    expect(p.decisions['ivcManagement']).toMatchObject({ status: 'determined', value: 'patch_cavoplasty', rule: 'ivc.patch' });
    expect(p.borderline).toEqual([
      expect.objectContaining({
        field: 'ivc.circumferencePercent',
        value: 70,
        parameter: 'graftThresholdPercent',
        threshold: 75,
        band: 10,
        changes: expect.arrayContaining([{ decision: 'ivcManagement', from: 'patch_cavoplasty', to: 'interposition_graft' }]),
      }),
    ]);
  });

  it('30 % → primary repair, borderline with the 40 % threshold (patch on the other side)', () => {
    const p = plan(ivcCase({ segments: ['II'], lumen: 'patent', circumferencePercent: 30 }));
    expect(p.decisions['ivcManagement']).toMatchObject({ status: 'determined', value: 'primary_repair', rule: 'ivc.primary-repair' });
    expect(p.borderline.map((b) => [b.threshold, b.changes.find((c) => c.decision === 'ivcManagement')])).toEqual([
      [40, { decision: 'ivcManagement', from: 'primary_repair', to: 'patch_cavoplasty' }],
    ]);
  });

  it('20 % → primary repair with no borderline note', () => {
    const p = plan(ivcCase({ segments: ['II'], lumen: 'patent', circumferencePercent: 20 }));
    expect(p.decisions['ivcManagement']!.value).toBe('primary_repair');
    expect(p.borderline).toEqual([]);
  });

  it('80 % with good collaterals but a patent IVC below the hepatic veins → graft (ligation only after a clamp test), borderline: patch below 75 %', () => {
    const p = plan(ivcCase({ segments: ['I'], lumen: 'patent', collaterals: 'well_developed', circumferencePercent: 80 }));
    expect(p.decisions['ivcManagement']).toMatchObject({ value: 'interposition_graft', rule: 'ivc.graft-clamp-test' });
    expect(p.borderline.flatMap((b) => b.changes).filter((c) => c.decision === 'ivcManagement')).toEqual([
      { decision: 'ivcManagement', from: 'interposition_graft', to: 'patch_cavoplasty' },
    ]);
  });

  it('segment III occluded with well-developed collaterals → graft, never ligation', () => {
    const p = plan(ivcCase({ segments: ['II', 'III'], lumen: 'occluded', collaterals: 'well_developed', circumferencePercent: 100 }));
    expect(p.decisions['ivcManagement']).toMatchObject({ status: 'determined', value: 'interposition_graft', rule: 'ivc.graft-occluded-upper' });
    expect(p.decisions['circulatorySupport']!.value).toBe('bypass_with_hepatic_exclusion');
    expect(p.decisions['access']!.value).toBe('thoracoabdominal_or_sternotomy');
    expect(p.decisions['resectability']!.value).toBe('borderline');
  });

  it('right-atrial extension → cardiopulmonary bypass, chest access, borderline, no ligation', () => {
    const p = plan(ivcCase({ segments: ['II', 'III'], rightAtrialExtension: true, lumen: 'occluded', collaterals: 'well_developed' }));
    expect(p.decisions['circulatorySupport']!.value).toBe('cardiopulmonary_bypass');
    expect(p.decisions['access']!.value).toBe('thoracoabdominal_or_sternotomy');
    expect(p.decisions['resectability']!.value).toBe('borderline');
    expect(p.decisions['ivcManagement']!.value).toBe('interposition_graft');
    expect(p.decisions['preparation']!.value).toContain('cardiothoracic_team');
  });

  it('a tributary tumour with the IVC free → no caval resection', () => {
    const p = plan(makeCase({ tumor: { origin: 'left_renal_vein' }, ivc: { segments: [], circumferencePercent: 0 }, renalVeins: { left: 'invaded' } }));
    expect(p.decisions['ivcManagement']).toMatchObject({ value: 'no_caval_resection', rule: 'ivc.not-involved' });
  });

  it('a tributary tumour with the IVC wall free (0 %) → no caval resection; an IVC-wall tumour never', () => {
    expect(plan(ivcCase({ segments: ['II'], circumferencePercent: 0 }, { tumor: { origin: 'gonadal_vein' } })).decisions['ivcManagement']).toMatchObject({ value: 'no_caval_resection', rule: 'ivc.no-wall-involvement' });
    expect(plan(ivcCase({ segments: ['II'], circumferencePercent: 0 })).decisions['ivcManagement']).toMatchObject({ value: 'primary_repair', rule: 'ivc.primary-repair' });
  });
});

describe('resectability scenarios', () => {
  it.each([
    { name: 'aortic involvement', over: { tumor: { arterialInvolvement: ['aorta'] } }, rule: 'res.arterial', systemic: 'neoadjuvant_discussion' },
    { name: 'spine', over: { tumor: { adjacentOrgans: ['spine'] } }, rule: 'res.spine', systemic: 'neoadjuvant_discussion' },
    { name: 'widespread metastases', over: { tumor: { metastases: 'widespread' } }, rule: 'res.widespread-metastases', systemic: 'systemic_referral' },
  ])('$name → unresectable, and no caval procedure', ({ over, rule, systemic }) => {
    const p = plan(makeCase(over));
    expect(p.decisions['resectability']).toMatchObject({ value: 'unresectable', rule });
    expect(p.decisions['ivcManagement']).toMatchObject({ status: 'determined', value: 'not_applicable' });
    expect(p.decisions['systemicTherapy']).toMatchObject({ status: 'determined', value: systemic });
  });

  it.each([
    { name: 'two major organs', over: { tumor: { adjacentOrgans: ['liver', 'duodenum'] } }, rule: 'res.multivisceral' },
    { name: 'limited metastases', over: { tumor: { metastases: 'limited' } }, rule: 'res.limited-metastases' },
  ])('$name → borderline', ({ over, rule }) => {
    expect(plan(makeCase(over)).decisions['resectability']).toMatchObject({ value: 'borderline', rule });
  });

  it('renal artery involvement alone is not a criterion of unresectability', () => {
    expect(plan(makeCase({ tumor: { arterialInvolvement: ['renal_artery'] } })).decisions['resectability']!.value).toBe('resectable');
  });

  it('unknown arterial involvement → undetermined between unresectable and resectable', () => {
    const d = plan(makeCase({ tumor: { arterialInvolvement: null } })).decisions['resectability']!;
    expect(d.candidates!.map((c) => c.value)).toEqual(['unresectable', 'resectable']);
    expect(d.missing).toEqual(['tumor.arterialInvolvement']);
  });
});

describe('renal vein scenarios', () => {
  it.each([
    { name: 'left vein invaded, two kidneys', over: { renalVeins: { left: 'invaded' } }, items: ['left_ligation_acceptable'] },
    { name: 'left vein invaded, solitary left kidney', over: { renalVeins: { left: 'invaded' }, patient: { solitaryKidney: 'left' } }, items: ['left_reimplantation'] },
    { name: 'right vein invaded, two kidneys', over: { renalVeins: { right: 'invaded' } }, items: ['right_reimplantation_or_nephrectomy'] },
    { name: 'right vein invaded, solitary right kidney', over: { renalVeins: { right: 'invaded' }, patient: { solitaryKidney: 'right' } }, items: ['right_reimplantation'] },
    { name: 'both free', over: {}, items: ['keep'] },
    { name: 'abutted veins are kept', over: { renalVeins: { left: 'abutted', right: 'abutted' } }, items: ['keep'] },
  ])('$name → $items', ({ over, items }) => {
    expect(plan(makeCase(over)).decisions['renalVeins']).toMatchObject({ status: 'determined', value: items });
  });

  it('a graft across segment II reimplants the renal veins into it', () => {
    const p = plan(ivcCase({ segments: ['II'], lumen: 'occluded', collaterals: 'absent' }));
    expect(p.decisions['renalVeins']!.value).toContain('reimplant_into_graft');
    expect(p.decisions['renalVeins']!.value).not.toContain('keep');
  });
});

describe('access, preparation, aftercare and complexity scenarios', () => {
  it('limited infrahepatic disease with primary repair → laparoscopy feasible', () => {
    const p = plan(makeCase());
    expect(p.decisions['access']).toMatchObject({ value: 'laparoscopic_feasible', rule: 'acc.laparoscopic' });
    expect(p.decisions['circulatorySupport']!.value).toBe('none');
  });

  it('a graft → open laparotomy and antithrombotic therapy per protocol', () => {
    const p = plan(ivcCase({ lumen: 'occluded', collaterals: 'limited' }));
    expect(p.decisions['access']!.value).toBe('open_laparotomy');
    expect(p.decisions['aftercare']!.value).toContain('antithrombotic_per_protocol');
    expect(p.warnings.map((w) => w.id)).toContain('no-antithrombotic-consensus');
  });

  it('unknown histology and paraganglioma status → biopsy and metanephrines in the work-up', () => {
    const p = plan(makeCase({ tumor: { biopsy: null, paragangliomaExcluded: undefined } }));
    expect(p.decisions['preparation']!.value).toEqual(expect.arrayContaining(['core_needle_biopsy', 'paraganglioma_workup']));
  });

  it('complexity: a small side repair is low; atrial extension with a graft is very high', () => {
    expect(plan(makeCase()).complexity).toMatchObject({ level: 'low', status: 'determined' });
    const p = plan(ivcCase({ segments: ['II', 'III'], rightAtrialExtension: true, hepaticVeinInvolvement: true, lumen: 'occluded' }));
    expect(p.complexity).toMatchObject({ level: 'very_high', status: 'determined' });
    expect(p.complexity!.factors.map((f) => f.rule)).toEqual(expect.arrayContaining(['cx.atrial', 'cx.segment-iii', 'cx.hepatic-veins', 'cx.graft']));
    expect(p.complexity!.references.length).toBeGreaterThan(0);
  });

  it('a fully known case is determined throughout', () => {
    const p = plan(makeCase());
    expect(p.status).toBe('determined');
    expect(p.missing).toEqual([]);
  });
});
