// The shipped rule set written by hand as one JavaScript function: the "physical limit"
// the engine is compared with. Same decisions, same order, same value strings as rvlms
// decide().values, for fully-known cases only (no three-valued logic: like the JRE port).
// Thresholds are the shipped parameter defaults (graft 75 %, primary repair 40 %).
// Written from rules/*.yaml; if the rules change, the bench's equality gate fails and
// this file must be updated with them.

const MAJOR = ['liver', 'duodenum', 'pancreas', 'colon', 'small_bowel'];

const has = (a, x) => a.indexOf(x) !== -1;
const add = (a, x) => {
  if (a.indexOf(x) === -1) a.push(x);
};
const key = (a) => (a.length === 0 ? '(none)' : a.join('+'));
const countIn = (a, list) => {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (list.indexOf(a[i]) !== -1) n++;
  return n;
};

/** resectability, ivcManagement, renalVeins, access, circulatorySupport, preparation, aftercare, complexity */
export function handPlan(c) {
  const p = c.patient;
  const t = c.tumor;
  const v = c.ivc;
  const rv = c.renalVeins;
  const seg = v.segments;
  const s2 = has(seg, 'II');
  const s3 = has(seg, 'III');
  const ra = v.rightAtrialExtension === true;
  const art = t.arterialInvolvement;
  const adj = t.adjacentOrgans;
  const circ = v.circumferencePercent;
  const occluded = v.lumen === 'occluded';
  const well = v.collaterals === 'well_developed';
  const multivisceral = countIn(adj, MAJOR) >= 2;

  let res;
  if (has(art, 'aorta') || has(art, 'sma') || has(art, 'celiac') || has(art, 'portal_vein')) res = 'unresectable';
  else if (has(adj, 'spine')) res = 'unresectable';
  else if (t.metastases === 'widespread') res = 'unresectable';
  else if (ra) res = 'borderline';
  else if (s3) res = 'borderline';
  else if (multivisceral) res = 'borderline';
  else if (t.metastases === 'limited') res = 'borderline';
  else res = 'resectable';

  let ivc;
  if (res === 'unresectable') ivc = 'not_applicable';
  else if (seg.length === 0) ivc = 'no_caval_resection';
  else if (circ <= 0) ivc = 'no_caval_resection';
  else if (!s2 && !s3 && !ra && well && (occluded || circ >= 75)) ivc = 'ligation';
  else if (s2 && !s3 && !ra && well && (occluded || circ >= 75)) ivc = 'ligation';
  else if (occluded && (s3 || ra)) ivc = 'interposition_graft';
  else if (occluded && (v.collaterals === 'limited' || v.collaterals === 'absent')) ivc = 'interposition_graft';
  else if (circ >= 75) ivc = 'interposition_graft';
  else if (!occluded && circ >= 40 && circ < 75) ivc = 'patch_cavoplasty';
  else if (!occluded && circ < 40) ivc = 'primary_repair';
  else ivc = 'undetermined';

  // renalVeins (collect, in rule order: priority descending)
  const solitary = p.solitaryKidney;
  const resected = res !== 'unresectable';
  const ligationII = ivc === 'ligation' && s2;
  const renal = [];
  if (!resected) add(renal, 'not_applicable');
  if (ivc === 'interposition_graft' && s2) add(renal, 'reimplant_into_graft');
  if (ligationII && solitary === 'right') add(renal, 'right_reimplantation');
  if (ligationII && solitary === 'none') add(renal, 'right_reimplantation_or_nephrectomy');
  if (ligationII && solitary === 'left') add(renal, 'left_reimplantation');
  if (ligationII && solitary === 'none') add(renal, 'left_ligation_acceptable');
  if (resected && rv.right === 'invaded' && solitary === 'right') add(renal, 'right_reimplantation');
  if (resected && rv.right === 'invaded' && solitary === 'none') add(renal, 'right_reimplantation_or_nephrectomy');
  if (resected && rv.left === 'invaded' && solitary === 'left') add(renal, 'left_reimplantation');
  if (resected && rv.left === 'invaded' && solitary === 'none') add(renal, 'left_ligation_acceptable');
  if (
    rv.left !== 'invaded' &&
    rv.right !== 'invaded' &&
    (!s2 || ivc === 'not_applicable' || ivc === 'no_caval_resection' || ivc === 'primary_repair' || ivc === 'patch_cavoplasty')
  )
    add(renal, 'keep');

  let access;
  if (!resected) access = 'not_applicable';
  else if (ra) access = 'thoracoabdominal_or_sternotomy';
  else if (s3) access = 'thoracoabdominal_or_sternotomy';
  else if (
    v.hepaticVeinInvolvement === false &&
    art.length === 0 &&
    countIn(adj, ['liver', 'duodenum', 'pancreas', 'colon', 'small_bowel', 'psoas', 'spine']) === 0 &&
    (ivc === 'no_caval_resection' || ivc === 'primary_repair')
  )
    access = 'laparoscopic_feasible';
  else access = 'open_laparotomy';

  let support;
  if (!resected) support = 'not_applicable';
  else if (ra) support = 'cardiopulmonary_bypass';
  else if (s3 || v.hepaticVeinInvolvement === true) support = 'bypass_with_hepatic_exclusion';
  else support = 'none';

  // preparation (collect); on a fully-known case the "is unknown" items are never needed
  const prep = [];
  if (t.biopsy === 'not_done') add(prep, 'core_needle_biopsy');
  if (t.paragangliomaExcluded === false) add(prep, 'paraganglioma_workup');
  if (
    solitary === 'left' ||
    solitary === 'right' ||
    has(adj, 'right_kidney') ||
    has(adj, 'left_kidney') ||
    has(renal, 'right_reimplantation_or_nephrectomy') ||
    has(renal, 'left_ligation_acceptable')
  )
    add(prep, 'split_renal_function');
  if (s3 || ra) add(prep, 'cardiothoracic_team');
  if (res === 'borderline' || res === 'unresectable') add(prep, 'neoadjuvant_discussion');
  if (resected) add(prep, 'blood_products');

  const after = [];
  if (ivc === 'interposition_graft') add(after, 'antithrombotic_per_protocol');
  if (ivc === 'ligation') add(after, 'oedema_and_renal_watch');
  if (ivc !== 'not_applicable') add(after, 'radiotherapy_if_positive_margin');
  add(after, 'imaging_follow_up');

  let score = 0;
  if (ra) score += 4;
  if (s3) score += 3;
  if (v.hepaticVeinInvolvement === true) score += 2;
  if (ivc === 'interposition_graft') score += 2;
  if (ivc === 'ligation' && s2) score += 2;
  if (ivc === 'patch_cavoplasty') score += 1;
  if (seg.length >= 2) score += 1;
  if (occluded) score += 1;
  if (t.imagingType === 'intraluminal') score += 1;
  if (t.imagingType === 'extraluminal' && ivc === 'no_caval_resection') score -= 1;
  if (countIn(adj, ['right_kidney', 'left_kidney', 'liver', 'duodenum', 'pancreas', 'colon', 'small_bowel', 'psoas']) > 0) score += 1;
  if (multivisceral) score += 2;
  if (art.length > 0) score += 2;
  if (rv.right === 'invaded') score += 1;
  if (ivc === 'interposition_graft' && s2) score += 2;
  const complexity = score >= 9 ? 'very_high' : score >= 6 ? 'high' : score >= 3 ? 'moderate' : 'low';

  return [res, ivc, key(renal), access, support, key(prep), key(after), complexity];
}
