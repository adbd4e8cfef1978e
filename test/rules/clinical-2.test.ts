/**
 * Rule set 2.0: one named scenario per clinical decision of domain.md §0.b (items 11–24),
 * asserting decision values, deciding rules, item order and warning ids — never wording.
 */
import { describe, expect, it } from 'vitest';
import { evaluate, type DecisionResult, type Plan } from '../../src/engine/evaluate.js';
import { validateCase } from '../../src/case/schema.js';
import { shippedModel, shippedRuleset } from '../support/rules.js';
import { makeCase, type CaseObject, type Override } from '../support/case-factory.js';

const rs = shippedRuleset();

/** The shared base case, fully known (including the 2.0 inputs), with overrides. */
const make = (over: Override = {}): CaseObject =>
  makeCase({ ...over, tumor: { recurrent: false, infiltrativeImaging: false, ...((over['tumor'] as Override | undefined) ?? {}) } });

function plan(over: Override = {}): Plan {
  const c = make(over);
  const v = validateCase(c, c.id);
  if (!v.ok) throw new Error(`invalid test case: ${v.diagnostics.map((d) => `${d.code} ${d.path}`).join(', ')}`);
  return evaluate(v.value, rs);
}

const d = (p: Plan, id: string): DecisionResult => p.decisions[id]!;
const warnings = (p: Plan): string[] => p.warnings.map((w) => w.id);
/** Values a decision may still take (value or candidates; collect: items and possible items). */
const possible = (r: DecisionResult): string[] => [...(Array.isArray(r.value) ? (r.value as string[]) : r.status === 'determined' ? [r.value as string] : []), ...(r.candidates ?? []).map((c) => c.value)];

const OCCLUDED_II: Override = { segments: ['II'], lumen: 'occluded', collaterals: 'well_developed', circumferencePercent: 100 };

describe('§0.b 11: hepatic-vein involvement bans ligation', () => {
  it('occluded segment II with hepatic veins → graft, borderline, upper-IVC access and support', () => {
    const p = plan({ ivc: { ...OCCLUDED_II, hepaticVeinInvolvement: true } });
    expect(d(p, 'ivcManagement')).toMatchObject({ value: 'interposition_graft', rule: 'ivc.graft-occluded-hepatic' });
    expect(d(p, 'resectability')).toMatchObject({ value: 'borderline', rule: 'res.hepatic-veins' });
    expect(d(p, 'access')).toMatchObject({ value: 'thoracoabdominal_or_sternotomy', rule: 'acc.hepatic-veins' });
    expect(d(p, 'circulatorySupport')).toMatchObject({ value: 'bypass_with_hepatic_exclusion', rule: 'cs.upper' });
    expect(warnings(p)).toContain('hepatic-outflow');
    expect(p.invariantViolations).toEqual([]);
  });

  it('hepatic veins unknown → ligation only a candidate, the input named', () => {
    const p = plan({ ivc: { ...OCCLUDED_II, hepaticVeinInvolvement: null } });
    expect(d(p, 'ivcManagement').status).toBe('undetermined');
    expect(possible(d(p, 'ivcManagement')).sort()).toEqual(['interposition_graft', 'ligation']);
    expect(d(p, 'ivcManagement').missing).toContain('ivc.hepaticVeinInvolvement');
  });
});

describe('§0.b 12: a solitary kidney bans renal-level ligation; no action on an absent kidney', () => {
  it.each([
    ['left', 'right'],
    ['right', 'left'],
  ] as const)('solitary %s kidney, occluded segment II → graft, only the remaining kidney acted on', (kidney, absent) => {
    const p = plan({ patient: { solitaryKidney: kidney }, ivc: OCCLUDED_II, renalVeins: { [absent]: undefined } });
    expect(d(p, 'ivcManagement')).toMatchObject({ value: 'interposition_graft', rule: 'ivc.graft-occluded-solitary' });
    expect(d(p, 'renalVeins')).toMatchObject({ value: ['solitary_reimplant_into_graft'], rules: ['rv.graft-confluence-solitary'] });
    expect(d(p, 'renalFunction')).toMatchObject({ value: 'split_renal_function', rule: 'rf.solitary' });
    expect(possible(d(p, 'intraoperative'))).not.toContain('nephrectomy_if_no_clamp');
    expect(possible(d(p, 'intraoperative')).includes('right_renal_artery_clamp')).toBe(kidney === 'right');
    expect(warnings(p)).not.toContain('renal-drainage-at-ligation');
  });

  it('two kidneys: the same cava is ligated (the ban does not reach it)', () => {
    const p = plan({ ivc: OCCLUDED_II });
    expect(d(p, 'ivcManagement')).toMatchObject({ value: 'ligation', rule: 'ivc.ligation-suprarenal' });
    expect([...(d(p, 'renalVeins').value as string[])].sort()).toEqual(['left_ligation_acceptable', 'right_reimplantation_or_nephrectomy']);
  });

  it('solitary left kidney, infrarenal occlusion → ligation still allowed (below the renal veins)', () => {
    const p = plan({ patient: { solitaryKidney: 'left' }, ivc: { ...OCCLUDED_II, segments: ['I'] }, renalVeins: { right: undefined } });
    expect(d(p, 'ivcManagement')).toMatchObject({ value: 'ligation', rule: 'ivc.ligation-infrarenal' });
    expect(d(p, 'renalVeins').value).toEqual(['keep']);
  });
});

describe('§0.b 13: histology gate', () => {
  it('biopsy shows another histology → every surgical decision out of scope, with the reason', () => {
    const p = plan({ tumor: { biopsy: 'other' } });
    expect(d(p, 'resectability')).toMatchObject({ value: 'out_of_scope', rule: 'res.other-histology' });
    for (const [id, rule] of [
      ['ivcManagement', 'ivc.out-of-scope'],
      ['veinOfOrigin', 'orig.out-of-scope'],
      ['access', 'acc.out-of-scope'],
      ['circulatorySupport', 'cs.out-of-scope'],
      ['systemicTherapy', 'st.out-of-scope'],
    ])
      expect(d(p, id!)).toMatchObject({ status: 'determined', value: 'out_of_scope', rule });
    expect(d(p, 'renalVeins').value).toEqual(['out_of_scope', 'not_applicable']);
    expect(d(p, 'complexity').value).toBe('not_applicable');
    expect(d(p, 'aftercare').value).toEqual(['not_applicable']);
    expect(warnings(p)).toContain('other-histology');
  });

  it.each(['not_done', null])('biopsy %s → the plan proceeds and says histology is unconfirmed', (biopsy) => {
    const p = plan({ tumor: { biopsy } });
    expect(d(p, 'resectability')).toMatchObject({ value: 'resectable', rule: 'res.resectable' });
    expect(d(p, 'preparation').value).toContain('core_needle_biopsy');
    expect(warnings(p)).toContain('histology-unconfirmed');
  });
});

describe('§0.b 14: paraganglioma is excluded before any biopsy', () => {
  it.each([false, null])('paraganglioma excluded = %s → metanephrines first, then biopsy, in that order', (excluded) => {
    const p = plan({ tumor: { biopsy: 'not_done', paragangliomaExcluded: excluded, metastases: null } });
    const items = d(p, 'preparation').value as string[];
    expect(items.slice(0, 3)).toEqual(['paraganglioma_workup', 'core_needle_biopsy', 'staging_ct']);
    expect(d(p, 'preparation').rules!.slice(0, 2)).toEqual(['prep.paraganglioma', 'prep.biopsy']);
  });

  it('every preparation item is declared, and ordered by priority, in the clinical order', () => {
    const model = shippedModel();
    const prep = model.decisions.find((x) => x.id === 'preparation')!;
    const byRule = prep.rules.map((id) => model.rules.find((r) => r.id === id)!.then.value);
    expect(byRule).toEqual(['paraganglioma_workup', 'core_needle_biopsy', 'staging_ct', 'venography', 'cardiothoracic_team', 'mdt_review']);
  });
});

describe('§0.b 15: ligation needs an occluded IVC', () => {
  it.each(['patent', 'partially_occluded'])('%s IVC at 90 % with good collaterals → graft, ligation only after a clamp test', (lumen) => {
    const p = plan({ ivc: { segments: ['I'], lumen, collaterals: 'well_developed', circumferencePercent: 90 } });
    expect(d(p, 'ivcManagement')).toMatchObject({ value: 'interposition_graft', rule: 'ivc.graft-clamp-test' });
    expect(warnings(p)).toContain('ligation-if-clamp-test');
    expect(d(p, 'intraoperative').value).toContain('preserve_collaterals');
  });

  it('no clamp-test alternative where ligation is banned (limited collaterals)', () => {
    const p = plan({ ivc: { segments: ['I'], lumen: 'patent', collaterals: 'limited', circumferencePercent: 90 } });
    expect(d(p, 'ivcManagement')).toMatchObject({ value: 'interposition_graft', rule: 'ivc.graft-circumferential' });
    expect(warnings(p)).not.toContain('ligation-if-clamp-test');
  });
});

describe('§0.b 16: widespread metastases → systemic therapy, no operative plan', () => {
  it('referral, and no complexity, access, support, blood or surgical aftercare', () => {
    const p = plan({ tumor: { metastases: 'widespread' } });
    expect(d(p, 'resectability')).toMatchObject({ value: 'unresectable', rule: 'res.widespread-metastases' });
    expect(d(p, 'systemicTherapy')).toMatchObject({ value: 'systemic_referral', rule: 'st.widespread' });
    expect(d(p, 'complexity')).toMatchObject({ status: 'determined', value: 'not_applicable' });
    expect(p.complexity?.references).toEqual([]);
    for (const id of ['access', 'circulatorySupport', 'bloodProducts', 'operativeRisk', 'renalFunction']) expect(d(p, id).value).toBe('not_applicable');
    expect(d(p, 'aftercare').value).toEqual(['not_applicable']);
  });

  it('limited metastases → borderline, neoadjuvant discussion, operation still planned', () => {
    const p = plan({ tumor: { metastases: 'limited' } });
    expect(d(p, 'resectability')).toMatchObject({ value: 'borderline', rule: 'res.limited-metastases' });
    expect(d(p, 'systemicTherapy')).toMatchObject({ value: 'neoadjuvant_discussion', rule: 'st.downsize' });
    expect(d(p, 'aftercare').value).toContain('follow_up_schedule');
  });
});

describe('§0.b 17: graft cover and contamination', () => {
  it('every graft: covered, antibiotics', () => {
    const p = plan({ ivc: { circumferencePercent: 80 } });
    expect(d(p, 'graftCare')).toMatchObject({ value: 'cover_and_antibiotics', rule: 'gc.graft' });
  });

  it.each(['colon', 'small_bowel', 'duodenum', 'pancreas'])('graft with %s resected → contamination warning, autologous alternative', (organ) => {
    const p = plan({ tumor: { adjacentOrgans: [organ] }, ivc: { circumferencePercent: 80 } });
    expect(d(p, 'graftCare')).toMatchObject({ value: 'contaminated_field', rule: 'gc.contaminated' });
    expect(warnings(p)).toContain('graft-infection');
  });

  it('no graft → nothing to cover', () => {
    expect(d(plan({ tumor: { adjacentOrgans: ['colon'] } }), 'graftCare')).toMatchObject({ value: 'not_applicable', rule: 'gc.none' });
  });
});

describe('§0.b 18: intra-operative conduct attached to its procedure, in order', () => {
  it('partial resection: heparin then Satinsky', () => {
    expect(d(plan(), 'intraoperative')).toMatchObject({ value: ['heparin_act', 'satinsky_side_clamp'], rules: ['io.heparin', 'io.satinsky'] });
  });

  it('graft across the renal confluence: heparin, right renal artery clamp, collaterals, flushing', () => {
    const p = plan({ ivc: { circumferencePercent: 80 } });
    expect(d(p, 'intraoperative').value).toEqual(['heparin_act', 'right_renal_artery_clamp', 'preserve_collaterals', 'flush_before_anastomosis']);
  });

  it('renal vein tumour with two kidneys: nephrectomy if no clamp can be placed', () => {
    const p = plan({ renalVeins: { right: 'invaded' } });
    expect(d(p, 'intraoperative').value).toContain('nephrectomy_if_no_clamp');
  });

  it('no caval resection → no caval heparin or clamp', () => {
    const p = plan({ tumor: { origin: 'gonadal_vein' }, ivc: { segments: [], circumferencePercent: undefined } });
    expect(d(p, 'ivcManagement').value).toBe('no_caval_resection');
    expect(d(p, 'intraoperative')).toMatchObject({ value: ['no_caval_clamping'], rules: ['io.no-caval-clamping'] });
  });
});

describe('§0.b 19: fitness changes preparation and warnings, not resectability', () => {
  it.each([
    [{ age: 75 }, 'or.age'],
    [{ age: 74, asa: 3 }, 'or.asa'],
  ])('%o → anaesthetic assessment', (patient, rule) => {
    const p = plan({ patient });
    expect(d(p, 'operativeRisk')).toMatchObject({ value: 'anaesthetic_assessment', rule });
    expect(d(p, 'resectability').value).toBe('resectable');
    expect(warnings(p)).toContain('operative-risk');
  });

  it('age 74, ASA 2 → standard; unknown age → undetermined, age named', () => {
    expect(d(plan({ patient: { age: 74 } }), 'operativeRisk')).toMatchObject({ value: 'standard', rule: 'or.standard' });
    const p = plan({ patient: { age: null } });
    expect(d(p, 'operativeRisk')).toMatchObject({ status: 'undetermined', missing: ['patient.age'] });
  });

  it.each([
    [{ patient: { egfr: 59 } }, 'rf.egfr', 'reduced-renal-function'],
    [{ patient: { solitaryKidney: 'left' }, renalVeins: { right: undefined } }, 'rf.solitary', 'solitary-kidney-function'],
    [{ renalVeins: { left: 'invaded' } }, 'rf.renal-procedure', 'renal-function-at-risk'],
  ] as const)('%o → split renal function', (over, rule, warning) => {
    const p = plan(over as Override);
    expect(d(p, 'renalFunction')).toMatchObject({ value: 'split_renal_function', rule });
    expect(warnings(p)).toContain(warning);
  });

  it('eGFR 60, two kidneys, no renal procedure → no renal risk', () => {
    expect(d(plan({ patient: { egfr: 60 } }), 'renalFunction')).toMatchObject({ value: 'no_renal_risk', rule: 'rf.none' });
  });
});

describe('§0.b 20: neoadjuvant discussion names the regimen and its source', () => {
  it.each([
    [{ tumor: { grade: 3 } }, 'st.high-grade'],
    [{ tumor: { infiltrativeImaging: true } }, 'st.infiltrative'],
    [{ tumor: { recurrent: true } }, 'st.recurrent'],
    [{ ivc: { segments: ['II', 'III'] } }, 'st.downsize'],
  ] as const)('%o → discussion', (over, rule) => {
    const p = plan(over as Override);
    expect(d(p, 'systemicTherapy')).toMatchObject({ value: 'neoadjuvant_discussion', rule });
    expect(p.evidence.map((e) => e.id)).toEqual(expect.arrayContaining(['strass2', 'zhang2021']));
  });

  it('no criterion → not routine; a criterion unknown → undetermined', () => {
    expect(d(plan(), 'systemicTherapy')).toMatchObject({ value: 'not_routine', rule: 'st.not-routine' });
    const p = plan({ tumor: { recurrent: null } });
    expect(d(p, 'systemicTherapy')).toMatchObject({ status: 'undetermined', missing: ['tumor.recurrent'] });
  });

  it('the discussion value names the regimen (doses) and the sources', () => {
    const label = shippedModel().decisions.find((x) => x.id === 'systemicTherapy')!.values['neoadjuvant_discussion']!;
    expect(label).toMatch(/doxorubicin 75 mg\/m².*dacarbazine 1 g\/m²/);
    expect(label).toMatch(/STRASS 2/);
    expect(label).toMatch(/Zhu 2025/);
  });
});

describe('§0.b 21: anatomy that follows from other inputs', () => {
  it('right-atrial extension without segment III → contradiction naming both fields', () => {
    const c = make({ ivc: { segments: ['I', 'II'], rightAtrialExtension: true } });
    const v = validateCase(c, 'case.json');
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.diagnostics.map((x) => [x.code, x.path])).toEqual([['case/contradiction', 'ivc.rightAtrialExtension, ivc.segments']]);
  });

  it('segments known without III → atrial extension known false (in the inputs and the decisions)', () => {
    const p = plan({ ivc: { ...OCCLUDED_II, segments: ['I'], rightAtrialExtension: undefined } });
    expect(p.inputs?.['ivc.rightAtrialExtension']).toBe(false);
    expect(d(p, 'ivcManagement')).toMatchObject({ status: 'determined', value: 'ligation', rule: 'ivc.ligation-infrarenal' });
    expect(p.missing.map((m) => m.field)).not.toContain('ivc.rightAtrialExtension');
  });

  it('segment III with atrial extension unknown stays unknown', () => {
    const p = plan({ ivc: { segments: ['II', 'III'], rightAtrialExtension: undefined } });
    expect(p.inputs?.['ivc.rightAtrialExtension']).toBeUndefined();
  });

  it.each([
    [{ ivc: { circumferencePercent: 0, lumen: 'occluded', collaterals: 'well_developed', segments: ['I'] } }],
    [{ ivc: { circumferencePercent: 0, segments: ['I'] } }],
    [{ ivc: { segments: undefined } }],
  ])('an IVC-wall or occluding tumour never lists no caval resection: %o', (over) => {
    expect(possible(d(plan(over as Override), 'ivcManagement'))).not.toContain('no_caval_resection');
  });

  it('a tributary tumour with a free plane and open lumen: no caval resection', () => {
    const p = plan({ tumor: { origin: 'gonadal_vein' }, ivc: { circumferencePercent: 0, segments: ['I'] } });
    expect(d(p, 'ivcManagement')).toMatchObject({ value: 'no_caval_resection', rule: 'ivc.no-wall-involvement' });
  });
});

describe('§0.b 22: origin-specific renal and tributary plans', () => {
  const noIvc = { segments: [], circumferencePercent: undefined, lumen: undefined, collaterals: undefined };
  it.each([
    [{ tumor: { origin: 'right_renal_vein' }, renalVeins: { right: 'invaded' } }, 'right_nephrectomy_en_bloc', 'orig.right-renal'],
    [{ patient: { solitaryKidney: 'right' }, tumor: { origin: 'right_renal_vein' }, renalVeins: { right: 'invaded', left: undefined } }, 'right_vein_reconstruction_solitary', 'orig.right-renal-solitary'],
    [{ tumor: { origin: 'left_renal_vein' }, renalVeins: { left: 'invaded' } }, 'left_vein_resection', 'orig.left-renal'],
    [{ patient: { solitaryKidney: 'left' }, tumor: { origin: 'left_renal_vein' }, renalVeins: { left: 'invaded', right: undefined } }, 'left_vein_resection_reimplant', 'orig.left-renal-solitary'],
    [{ tumor: { origin: 'gonadal_vein' } }, 'tributary_en_bloc', 'orig.tributary'],
    [{ tumor: { origin: 'adrenal_vein' } }, 'tributary_en_bloc', 'orig.tributary'],
    [{ tumor: { origin: 'iliac_vein' } }, 'iliac_en_bloc', 'orig.iliac'],
  ] as const)('%o', (over, value, rule) => {
    const o = over as Override;
    const p = plan({ ...o, ivc: noIvc });
    expect(d(p, 'veinOfOrigin')).toMatchObject({ status: 'determined', value, rule });
  });

  it('iliac origin reaching segment I → iliocaval resection', () => {
    expect(d(plan({ tumor: { origin: 'iliac_vein' }, ivc: { segments: ['I'] } }), 'veinOfOrigin')).toMatchObject({ value: 'iliocaval_resection', rule: 'orig.iliac-confluence' });
  });

  it('a right renal vein origin with only the left kidney is a contradiction', () => {
    const v = validateCase(make({ patient: { solitaryKidney: 'left' }, tumor: { origin: 'right_renal_vein' }, renalVeins: { right: undefined } }), 'c');
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.diagnostics.map((x) => x.path)).toEqual(['tumor.origin, patient.solitaryKidney']);
  });
});

describe('§0.b 23: blood products scale with the operation', () => {
  it.each([
    [{}, 'standard', 'bp.standard'],
    [{ ivc: { circumferencePercent: 80 } }, 'major', 'bp.major'],
    [{ ivc: OCCLUDED_II }, 'major', 'bp.major'],
    [{ ivc: { segments: ['II', 'III'] } }, 'major', 'bp.major'],
    [{ ivc: { hepaticVeinInvolvement: true } }, 'major', 'bp.major'],
    [{ tumor: { arterialInvolvement: ['sma'] } }, 'not_applicable', 'bp.not-operated'],
  ] as const)('%o → %s', (over, value, rule) => {
    expect(d(plan(over as Override), 'bloodProducts')).toMatchObject({ value, rule });
  });
});

describe('§0.b 24: pathway items every plan carries', () => {
  it.each([{}, { tumor: { metastases: 'widespread' } }, { tumor: { biopsy: 'other' } }] as const)('MDT review at a high-volume centre: %o', (over) => {
    const p = plan(over as Override);
    expect(d(p, 'preparation').value).toContain('mdt_review');
    expect(d(p, 'preparation').rules).toContain('prep.mdt');
  });

  it('an operative plan carries the follow-up schedule and radiotherapy only for a positive margin', () => {
    const p = plan();
    expect(d(p, 'aftercare')).toMatchObject({ value: ['radiotherapy_if_positive_margin', 'follow_up_schedule'], rules: ['after.radiotherapy', 'after.follow-up'] });
  });

  it('a non-operative plan says follow-up belongs to oncology', () => {
    expect(d(plan({ tumor: { arterialInvolvement: ['aorta'] } }), 'aftercare')).toMatchObject({ value: ['not_applicable'], rules: ['after.not-operated'] });
  });
});

describe('inputs used or declared unused', () => {
  it('age, ASA, eGFR, grade, size and origin are read by rules', () => {
    const p = plan();
    for (const f of ['patient.age', 'patient.asa', 'patient.egfr', 'tumor.grade', 'tumor.maxDiameterMm', 'tumor.origin', 'tumor.recurrent', 'tumor.infiltrativeImaging'])
      expect(p.unreadInputs).not.toContain(f);
  });

  it('a provided input no rule reads is listed; an unknown one is not', () => {
    expect(plan().unreadInputs).toEqual(['patient.sex', 'ivc.lengthMm']);
    expect(plan({ patient: { sex: undefined } }).unreadInputs).toEqual(['ivc.lengthMm']);
  });
});
