/**
 * For every safety invariant of the shipped rules: the guard that keeps it (a condition or a
 * rule) and how to break it. Used by the invariants-*.test.ts files, which check that
 * `validate` reports exactly that invariant violated once the guard is gone.
 */
import { deleteRule, dropCondition, type RuleSet } from './broken-copy.js';

export interface Breakage {
  readonly invariant: string;
  /** What is removed, in words. */
  readonly guard: string;
  readonly breakIt: (rs: RuleSet) => void;
  /**
   * Keep only these rules of the invariant's decision. For complexity: the enumeration behind
   * validate cannot take every factor at once (it reports the decision as too large), so the
   * copy keeps the not-operated factor and the factors a non-operable case would score.
   */
  readonly only?: readonly string[];
}

const COMPLEXITY_CORE = ['cx.not-operated', 'cx.arterial', 'cx.organ', 'cx.graft'];

const drop = (rule: string, leaf: Parameters<typeof dropCondition>[2]) => (rs: RuleSet) => {
  if (dropCondition(rs, rule, leaf) === 0) throw new Error(`${rule}: no condition ${JSON.stringify(leaf)} to remove`);
};
/** Remove the branches of a rule's top-level `any` that read `fact`. */
const dropBranch = (rule: string, fact: string) => (rs: RuleSet) => {
  const r = rs.rules.find((x) => x.id === rule)!;
  const any = r.when.any!;
  const kept = any.filter((c) => !JSON.stringify(c).includes(`"fact":"${fact}"`));
  if (kept.length === any.length) throw new Error(`${rule}: no branch reads ${fact}`);
  r.when = { any: kept };
};
const del = (...rules: string[]) => (rs: RuleSet) => {
  for (const r of rules) deleteRule(rs, r);
};
const both = (...fs: ((rs: RuleSet) => void)[]) => (rs: RuleSet) => {
  for (const f of fs) f(rs);
};

/** Invariants on ivcManagement (the ligation bans and the caval-resection guarantees). */
export const IVC_BREAKAGES: readonly Breakage[] = [
  { invariant: 'inv.no-ligation-segment-iii', guard: 'segment III excluded from renal-level ligation', breakIt: drop('ivc.ligation-suprarenal', { fact: 'ivc.segments', operator: 'doesNotContain', value: 'III' }) },
  {
    invariant: 'inv.no-ligation-atrial',
    guard: 'atrial extension (and segment III, which it needs) excluded from renal-level ligation',
    breakIt: both(
      drop('ivc.ligation-suprarenal', { fact: 'ivc.rightAtrialExtension', operator: 'equal', value: false }),
      drop('ivc.ligation-suprarenal', { fact: 'ivc.segments', operator: 'doesNotContain', value: 'III' }),
    ),
  },
  { invariant: 'inv.no-ligation-hepatic-veins', guard: 'hepatic veins free, for renal-level ligation', breakIt: drop('ivc.ligation-suprarenal', { fact: 'ivc.hepaticVeinInvolvement', operator: 'equal', value: false }) },
  { invariant: 'inv.no-renal-level-ligation-solitary-kidney', guard: 'two kidneys, for renal-level ligation', breakIt: drop('ivc.ligation-suprarenal', { fact: 'patient.solitaryKidney', operator: 'equal', value: 'none' }) },
  { invariant: 'inv.no-ligation-poor-collaterals', guard: 'well-developed collaterals, for infrarenal ligation', breakIt: drop('ivc.ligation-infrarenal', { fact: 'ivc.collaterals', operator: 'equal', value: 'well_developed' }) },
  { invariant: 'inv.no-ligation-open-ivc', guard: 'occluded lumen, for infrarenal ligation', breakIt: drop('ivc.ligation-infrarenal', { fact: 'ivc.lumen', operator: 'equal', value: 'occluded' }) },
  { invariant: 'inv.ivc-origin-resected', guard: 'not of the IVC wall, for no caval resection', breakIt: drop('ivc.no-wall-involvement', { fact: 'tumor.origin', operator: 'notEqual', value: 'ivc' }) },
  { invariant: 'inv.occluded-resected', guard: 'open lumen, for no caval resection', breakIt: drop('ivc.no-wall-involvement', { fact: 'ivc.lumen', operator: 'notEqual', value: 'occluded' }) },
  { invariant: 'inv.unresectable-no-procedure', guard: 'the not-resectable rule', breakIt: del('ivc.not-resectable') },
  { invariant: 'inv.other-histology-no-caval-plan', guard: 'the out-of-scope rule', breakIt: del('ivc.out-of-scope') },
];

/** Invariants on the other decisions. */
export const OTHER_BREAKAGES: readonly Breakage[] = [
  { invariant: 'inv.no-action-absent-right-kidney', guard: 'two kidneys, for both renal veins into the graft', breakIt: drop('rv.graft-confluence', { fact: 'patient.solitaryKidney', operator: 'equal', value: 'none' }) },
  { invariant: 'inv.no-action-absent-left-kidney', guard: 'two kidneys, for both renal veins into the graft', breakIt: drop('rv.graft-confluence', { fact: 'patient.solitaryKidney', operator: 'equal', value: 'none' }) },
  { invariant: 'inv.no-origin-action-absent-kidney', guard: 'two kidneys, for en bloc right nephrectomy', breakIt: drop('orig.right-renal', { fact: 'patient.solitaryKidney', operator: 'equal', value: 'none' }) },
  { invariant: 'inv.no-renal-artery-clamp-absent-right-kidney', guard: 'a right kidney, for the right renal artery clamp', breakIt: drop('io.right-renal-artery', { fact: 'patient.solitaryKidney', operator: 'in' }) },
  { invariant: 'inv.no-nephrectomy-solitary-kidney', guard: 'two kidneys, for the contingency nephrectomy', breakIt: drop('io.nephrectomy-if-no-clamp', { fact: 'patient.solitaryKidney', operator: 'equal', value: 'none' }) },
  { invariant: 'inv.other-histology-out-of-scope', guard: 'the histology gate', breakIt: del('res.other-histology') },
  { invariant: 'inv.other-histology-no-access', guard: 'the out-of-scope rule', breakIt: del('acc.out-of-scope') },
  { invariant: 'inv.other-histology-no-complexity', guard: 'another histology in the not-operated factor', breakIt: dropBranch('cx.not-operated', 'tumor.biopsy'), only: COMPLEXITY_CORE },
  { invariant: 'inv.widespread-systemic-referral', guard: 'the widespread-metastases rule', breakIt: del('st.widespread') },
  { invariant: 'inv.widespread-no-access', guard: 'the not-resectable rule', breakIt: del('acc.not-resectable') },
  { invariant: 'inv.widespread-no-support', guard: 'the not-resectable rule', breakIt: del('cs.not-resectable') },
  { invariant: 'inv.widespread-no-complexity', guard: 'widespread metastases in the not-operated factor', breakIt: drop('cx.not-operated', { fact: 'tumor.metastases', operator: 'equal', value: 'widespread' }), only: COMPLEXITY_CORE },
  { invariant: 'inv.widespread-no-aftercare', guard: 'an operation, for the follow-up schedule', breakIt: drop('after.follow-up', { decision: 'resectability', operator: 'in' }) },
  { invariant: 'inv.unresectable-no-access', guard: 'the not-resectable rule', breakIt: del('acc.not-resectable') },
  { invariant: 'inv.unresectable-no-support', guard: 'the not-resectable rule', breakIt: del('cs.not-resectable') },
  { invariant: 'inv.unresectable-no-complexity', guard: 'arterial involvement in the not-operated factor', breakIt: drop('cx.not-operated', { fact: 'tumor.arterialInvolvement', operator: 'containsAny' }), only: COMPLEXITY_CORE },
  { invariant: 'inv.graft-protected', guard: 'the graft rule, and no graft for "not applicable"', breakIt: both(del('gc.graft'), drop('gc.none', { decision: 'ivcManagement', operator: 'notEqual' })) },
  { invariant: 'inv.graft-contamination-warned', guard: 'the contamination rule', breakIt: del('gc.contaminated') },
  { invariant: 'inv.atrial-bypass', guard: 'the atrial rule', breakIt: del('cs.atrial') },
  { invariant: 'inv.hepatic-veins-support', guard: 'hepatic veins in the upper-IVC support rule', breakIt: drop('cs.upper', { fact: 'ivc.hepaticVeinInvolvement', operator: 'equal', value: true }) },
  {
    invariant: 'inv.no-laparoscopy-upper',
    guard: 'the segment III access rule and segment III excluded from laparoscopy',
    breakIt: both(del('acc.segment-iii'), drop('acc.laparoscopic', { fact: 'ivc.segments', operator: 'doesNotContain', value: 'III' })),
  },
  {
    invariant: 'inv.no-laparoscopy-hepatic-veins',
    guard: 'the hepatic-vein access rule and hepatic veins excluded from laparoscopy',
    breakIt: both(del('acc.hepatic-veins'), drop('acc.laparoscopic', { fact: 'ivc.hepaticVeinInvolvement', operator: 'equal', value: false })),
  },
  {
    invariant: 'inv.no-laparoscopy-solitary-kidney-vein',
    guard: "the solitary kidney's renal vein excluded from laparoscopy",
    breakIt: (rs) => {
      const when = rs.rules.find((r) => r.id === 'acc.laparoscopic')!.when;
      const kept = when.all!.filter((c) => !(c.not && JSON.stringify(c).includes('patient.solitaryKidney')));
      if (kept.length === when.all!.length) throw new Error('acc.laparoscopic: no solitary-kidney exclusion to remove');
      when.all = kept;
    },
  },
  { invariant: 'inv.no-clamping-act-on-bypass', guard: 'cardiopulmonary bypass excluded from the clamping ACT', breakIt: drop('io.heparin', { decision: 'circulatorySupport', operator: 'notEqual' }) },
  { invariant: 'inv.no-side-clamp-without-caval-flow', guard: 'the side clamp only without bypass', breakIt: drop('io.satinsky', { decision: 'circulatorySupport', operator: 'equal' }) },
  { invariant: 'inv.atrial-not-plainly-resectable', guard: 'the atrial and segment III resectability rules', breakIt: del('res.atrial', 'res.segment-iii') },
  { invariant: 'inv.hepatic-veins-not-plainly-resectable', guard: 'the hepatic-vein resectability rule', breakIt: del('res.hepatic-veins') },
  { invariant: 'inv.older-patient-assessed', guard: 'the age rule', breakIt: del('or.age') },
  { invariant: 'inv.asa-assessed', guard: 'the ASA rule', breakIt: del('or.asa') },
  { invariant: 'inv.renal-risk-split-function', guard: 'the solitary-kidney rule', breakIt: del('rf.solitary') },
];
