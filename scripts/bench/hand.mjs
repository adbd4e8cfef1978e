// The shipped rule set (rvlms-default 2.3.0) written by hand as
// one JavaScript function: the "physical limit" the engine is compared with. Same
// decisions, same order, same value strings as rvlms decide(c, rs).values.map(valueKey), for
// fully-known cases only (no three-valued logic, like the json-rules-engine port): a rule
// that needs an unknown input ("… is unknown") never applies, and nothing else is checked
// for unknowns.
//
// Written from rules/*.yaml with the shipped parameter defaults (graft 75 %, primary repair
// 40 %, age 75, ASA 3, eGFR 60, grade 3, laparoscopy up to 107 mm). Priority decisions are
// if/else chains from the highest priority down; collect decisions push their items in rule
// order (first appearance kept); the complexity score adds the points of the rules that hold.
// Right-atrial extension is read as recorded: on a valid fully-known case it is false without
// segment III, which is all the derived input (src/case/derive.ts) adds. If the rules change,
// the bench's equality gate fails and this file must be updated with them.

/** The decisions handPlan returns, in this order (the bench checks it against the rule set). */
export const HAND_DECISIONS = [
  'resectability',
  'ivcManagement',
  'veinOfOrigin',
  'renalVeins',
  'access',
  'circulatorySupport',
  'intraoperative',
  'graftCare',
  'bloodProducts',
  'preparation',
  'systemicTherapy',
  'operativeRisk',
  'renalFunction',
  'aftercare',
  'complexity',
];

const GRAFT = 75;
const PRIMARY_REPAIR = 40;
const AGE = 75;
const ASA = 3;
const EGFR = 60;
const HIGH_GRADE = 3;
const LAPAROSCOPY_MAX_MM = 107;

const has = (a, x) => a.indexOf(x) !== -1;
const add = (a, x) => {
  if (a.indexOf(x) === -1) a.push(x);
};
const key = (a) => (a.length === 0 ? '(none)' : a.join('+'));

/** One value string per decision of HAND_DECISIONS. */
export function handPlan(c) {
  const p = c.patient;
  const t = c.tumor;
  const v = c.ivc;
  const seg = v.segments;
  const s1 = has(seg, 'I');
  const s2 = has(seg, 'II');
  const s3 = has(seg, 'III');
  const ra = v.rightAtrialExtension === true;
  const hep = v.hepaticVeinInvolvement === true;
  const circ = v.circumferencePercent;
  const occluded = v.lumen === 'occluded';
  const well = v.collaterals === 'well_developed';
  const solitary = p.solitaryKidney;
  const twoKidneys = solitary === 'none';
  const origin = t.origin;
  const renalOrigin = origin === 'left_renal_vein' || origin === 'right_renal_vein';
  const leftInv = c.renalVeins.left === 'invaded';
  const rightInv = c.renalVeins.right === 'invaded';
  const art = t.arterialInvolvement;
  const adj = t.adjacentOrgans;
  const other = t.biopsy === 'other';
  const majorArtery = has(art, 'aorta') || has(art, 'sma') || has(art, 'celiac') || has(art, 'portal_vein');
  const spine = has(adj, 'spine');
  const widespread = t.metastases === 'widespread';
  let majorOrgans = 0;
  if (has(adj, 'liver')) majorOrgans++;
  if (has(adj, 'duodenum')) majorOrgans++;
  if (has(adj, 'pancreas')) majorOrgans++;
  if (has(adj, 'colon')) majorOrgans++;
  if (has(adj, 'small_bowel')) majorOrgans++;
  const kidneyOrgan = has(adj, 'right_kidney') || has(adj, 'left_kidney');

  // resectability
  let res;
  if (other) res = 'out_of_scope';
  else if (majorArtery || spine || widespread) res = 'unresectable';
  else if (ra || s3 || majorOrgans >= 2 || t.metastases === 'limited' || hep) res = 'borderline';
  else res = 'resectable';
  const operated = res === 'resectable' || res === 'borderline';

  // ivcManagement
  let ivc;
  if (res === 'out_of_scope') ivc = 'out_of_scope';
  else if (res === 'unresectable') ivc = 'not_applicable';
  else if (seg.length === 0) ivc = 'no_caval_resection';
  else if (circ <= 0 && origin !== 'ivc' && !occluded) ivc = 'no_caval_resection';
  else if (occluded && well && !ra && !hep && !s3 && ((s1 && !s2) || (s2 && twoKidneys))) ivc = 'ligation';
  else if (occluded && (hep || s3 || ra || (s2 && !twoKidneys) || !well)) ivc = 'interposition_graft';
  else if (circ >= GRAFT) ivc = 'interposition_graft'; // with or without a clamp test: the same value
  else if (!occluded && circ >= PRIMARY_REPAIR) ivc = 'patch_cavoplasty';
  else if (!occluded) ivc = 'primary_repair';
  else ivc = 'undetermined';
  const graft = ivc === 'interposition_graft';
  const ligation = ivc === 'ligation';

  // veinOfOrigin
  let vo;
  if (other) vo = 'out_of_scope';
  else if (!operated) vo = 'not_applicable';
  else if (origin === 'ivc') vo = 'caval_wall';
  else if (origin === 'right_renal_vein' && twoKidneys) vo = 'right_nephrectomy_en_bloc';
  else if (origin === 'right_renal_vein' && solitary === 'right') vo = 'right_vein_reconstruction_solitary';
  else if (origin === 'left_renal_vein' && twoKidneys) vo = 'left_vein_resection';
  else if (origin === 'left_renal_vein' && solitary === 'left') vo = 'left_vein_resection_reimplant';
  else if (origin === 'adrenal_vein' || origin === 'gonadal_vein') vo = 'tributary_en_bloc';
  else if (origin === 'iliac_vein') vo = seg.length > 0 ? 'iliocaval_resection' : 'iliac_en_bloc';
  else vo = 'undetermined';

  // renalVeins (collect)
  const renal = [];
  if (other) renal.push('out_of_scope');
  if (!operated) renal.push('not_applicable');
  if (graft && s2) renal.push(twoKidneys ? 'reimplant_into_graft' : 'solitary_reimplant_into_graft');
  if (ligation && s2 && twoKidneys) renal.push('right_reimplantation_or_nephrectomy', 'left_ligation_acceptable');
  if (operated && rightInv && solitary === 'right') add(renal, 'right_reimplantation');
  if (operated && rightInv && twoKidneys) add(renal, 'right_reimplantation_or_nephrectomy');
  if (operated && leftInv && solitary === 'left') add(renal, 'left_reimplantation');
  if (operated && leftInv && twoKidneys) add(renal, 'left_ligation_acceptable');
  if (
    operated &&
    (!leftInv || solitary === 'right') &&
    (!rightInv || solitary === 'left') &&
    (!s2 || ivc === 'no_caval_resection' || ivc === 'primary_repair' || ivc === 'patch_cavoplasty')
  )
    renal.push('keep');

  // access
  let access;
  if (other) access = 'out_of_scope';
  else if (!operated) access = 'not_applicable';
  else if (ra || hep || s3) access = 'thoracoabdominal_or_sternotomy';
  else if (
    art.length === 0 &&
    majorOrgans === 0 &&
    !has(adj, 'psoas') &&
    !spine &&
    (ivc === 'no_caval_resection' || ivc === 'primary_repair') &&
    vo !== 'right_vein_reconstruction_solitary' &&
    vo !== 'left_vein_resection_reimplant' &&
    vo !== 'iliocaval_resection' &&
    !(solitary === 'right' && (origin === 'right_renal_vein' || rightInv)) &&
    !(solitary === 'left' && (origin === 'left_renal_vein' || leftInv)) &&
    t.maxDiameterMm <= LAPAROSCOPY_MAX_MM
  )
    access = 'laparoscopic_feasible';
  else access = 'open_laparotomy';

  // circulatorySupport
  let support;
  if (other) support = 'out_of_scope';
  else if (!operated) support = 'not_applicable';
  else if (ra) support = 'cardiopulmonary_bypass';
  else if (s3 || hep) support = 'bypass_with_hepatic_exclusion';
  else support = 'none';

  // intraoperative (collect)
  const io = [];
  if (!operated) io.push('not_applicable');
  if (ivc === 'no_caval_resection') io.push('no_caval_clamping');
  const repair = ivc === 'primary_repair' || ivc === 'patch_cavoplasty';
  if (repair || graft || ligation) io.push(support === 'cardiopulmonary_bypass' ? 'heparin_bypass' : 'heparin_act');
  if (operated && solitary !== 'left' && (rightInv || origin === 'right_renal_vein' || ((graft || ligation) && s2))) io.push('right_renal_artery_clamp');
  if (repair && support === 'none') io.push('satinsky_side_clamp');
  if (graft || ligation) io.push('preserve_collaterals');
  if (operated && hep) io.push('hepatic_outflow');
  if (
    graft ||
    ivc === 'patch_cavoplasty' ||
    (operated && (rightInv || (leftInv && solitary === 'left') || (renalOrigin && !twoKidneys)))
  )
    io.push('flush_before_anastomosis');
  if (operated && twoKidneys && (leftInv || rightInv || renalOrigin)) io.push('nephrectomy_if_no_clamp');

  // graftCare
  let graftCare;
  if (graft && (has(adj, 'colon') || has(adj, 'small_bowel') || has(adj, 'duodenum') || has(adj, 'pancreas'))) graftCare = 'contaminated_field';
  else if (graft) graftCare = 'cover_and_antibiotics';
  else graftCare = 'not_applicable';

  // bloodProducts
  let blood;
  if (!operated) blood = 'not_applicable';
  else if (graft || (ligation && s2) || s3 || hep || ra) blood = 'major';
  else blood = 'standard';

  // preparation (collect); the "is unknown" alternatives never hold on a fully-known case
  const prep = [];
  if (t.paragangliomaExcluded === false && t.biopsy !== 'leiomyosarcoma') prep.push('paraganglioma_workup');
  if (t.biopsy === 'not_done') prep.push('core_needle_biopsy');
  if (s3 || ra) prep.push('cardiothoracic_team');
  prep.push('mdt_review');

  // systemicTherapy
  let systemic;
  if (other) systemic = 'out_of_scope';
  else if (widespread) systemic = 'systemic_referral';
  else if (res === 'borderline' || res === 'unresectable' || t.grade >= HIGH_GRADE || t.infiltrativeImaging === true || t.recurrent === true)
    systemic = 'neoadjuvant_discussion';
  else systemic = 'not_routine';

  // operativeRisk
  let risk;
  if (!operated) risk = 'not_applicable';
  else if (p.age >= AGE || p.asa >= ASA) risk = 'anaesthetic_assessment';
  else risk = 'standard';

  // renalFunction
  let renalFunction;
  if (!operated) renalFunction = 'not_applicable';
  else if (p.egfr < EGFR || !twoKidneys || leftInv || rightInv || renalOrigin || kidneyOrgan || ((ligation || graft) && s2)) renalFunction = 'split_renal_function';
  else renalFunction = 'no_renal_risk';

  // aftercare (collect)
  const after = [];
  if (!operated) after.push('not_applicable');
  if (graft) after.push('antithrombotic_per_protocol');
  if (ligation) after.push('oedema_and_renal_watch');
  if (operated) after.push('radiotherapy_if_positive_margin', 'follow_up_schedule');

  // complexity (score)
  let score = 0;
  if (ra) score += 4;
  if (s3) score += 3;
  if (hep) score += 2;
  if (graft) score += 2;
  if (ligation && s2) score += 2;
  if (ivc === 'patch_cavoplasty') score += 1;
  if (seg.length >= 2) score += 1;
  if (occluded) score += 1;
  if (t.imagingType === 'intraluminal') score += 1;
  if (t.imagingType === 'extraluminal' && ivc === 'no_caval_resection') score -= 1;
  if (kidneyOrgan || majorOrgans > 0 || has(adj, 'psoas')) score += 1;
  if (majorOrgans >= 2) score += 2;
  if (art.length > 0) score += 2;
  if (rightInv && solitary !== 'left') score += 1;
  if (graft && s2) score += 2;
  if (other || widespread || majorArtery || spine) score -= 100;
  const complexity = score >= 9 ? 'very_high' : score >= 6 ? 'high' : score >= 3 ? 'moderate' : score >= -50 ? 'low' : 'not_applicable';

  return [
    res,
    ivc,
    vo,
    key(renal),
    access,
    support,
    key(io),
    graftCare,
    blood,
    key(prep),
    systemic,
    risk,
    renalFunction,
    key(after),
    complexity,
  ];
}
