/** Checks shared by the clinical, property and CLI tests: what every plan must satisfy. */
import type { DecisionResult, Plan } from '../../src/engine/evaluate.js';
import { readPath } from '../../src/case/fields.js';

/** Values a decision may still take: its value, or its candidates (collect: included and possible items). */
function possibleValues(r: DecisionResult): string[] {
  const cands = (r.candidates ?? []).map((c) => c.value);
  if (Array.isArray(r.value)) return [...(r.value as string[]), ...cands];
  return r.status === 'determined' ? [r.value as string] : cands;
}

/**
 * Every decision has a value, or is `undetermined` with ≥ 1 candidate and ≥ 1 missing input,
 * each missing input really unknown in the case. Returns the problems found (empty when fine).
 */
export function decisionProblems(plan: Plan, input: unknown): string[] {
  const out: string[] = [];
  for (const [id, r] of Object.entries(plan.decisions)) {
    if (r.status === 'determined') {
      if (r.hitPolicy !== 'collect' && (typeof r.value !== 'string' || r.value === 'undetermined')) out.push(`${id}: determined without a value`);
      if (r.missing?.length) out.push(`${id}: determined but lists missing inputs`);
    } else {
      if (r.hitPolicy !== 'collect' && r.value !== 'undetermined') out.push(`${id}: undetermined but valued ${String(r.value)}`);
      if (!r.candidates?.length) out.push(`${id}: undetermined without candidates`);
      if (!r.missing?.length) out.push(`${id}: undetermined without missing inputs`);
    }
    for (const f of [...(r.missing ?? []), ...(r.graftSize?.missing ?? [])]) if (readPath(input, f) !== undefined) out.push(`${id}: "${f}" is known but listed as missing`);
  }
  return out;
}

const has = (v: unknown, x: string): boolean => Array.isArray(v) && v.includes(x);

/** The safety invariants of rules/invariants.yaml, written out independently of the engine's own check. */
export function invariantProblems(input: unknown, plan: Plan): string[] {
  const out: string[] = [];
  const f = (path: string) => readPath(input, path);
  const d = plan.decisions;
  const ivc = possibleValues(d['ivcManagement']!);
  const noLigation = (why: string) => ivc.includes('ligation') && out.push(`ligation possible with ${why}`);
  const upper = has(f('ivc.segments'), 'III');
  const atrial = f('ivc.rightAtrialExtension') === true;
  if (upper) noLigation('segment III');
  if (atrial) noLigation('right-atrial extension');
  const coll = f('ivc.collaterals');
  if (coll === 'limited' || coll === 'absent') noLigation(`${String(coll)} collaterals`);
  const circ = f('ivc.circumferencePercent');
  const lumen = f('ivc.lumen');
  if ((lumen === 'patent' || lumen === 'partially_occluded') && typeof circ === 'number' && circ < 75) noLigation('partial involvement of a non-occluded IVC');
  // rule set 2.0 (domain.md §0.b)
  if (lumen === 'patent' || lumen === 'partially_occluded') noLigation('an IVC the tumour has not occluded');
  if (f('ivc.hepaticVeinInvolvement') === true) noLigation('hepatic vein involvement');
  const solitary = f('patient.solitaryKidney');
  if ((solitary === 'left' || solitary === 'right') && has(f('ivc.segments'), 'II')) noLigation('a solitary kidney at the renal level');
  if ((f('tumor.origin') === 'ivc' || lumen === 'occluded') && ivc.includes('no_caval_resection')) out.push('no caval resection for an IVC-wall or occluding tumour');
  const absent = solitary === 'left' ? 'right' : solitary === 'right' ? 'left' : undefined;
  if (absent) {
    const rv = possibleValues(d['renalVeins']!);
    const bad = rv.filter((v) => v.startsWith(absent) || v === 'reimplant_into_graft');
    if (bad.length) out.push(`renal vein action on the absent ${absent} kidney: ${bad.join(', ')}`);
    const orig = possibleValues(d['veinOfOrigin']!).filter((v) => v.startsWith(absent) || v === 'right_nephrectomy_en_bloc');
    if (orig.length) out.push(`vein-of-origin action on an absent or solitary kidney: ${orig.join(', ')}`);
    const io = possibleValues(d['intraoperative']!);
    if (io.includes('nephrectomy_if_no_clamp')) out.push('contingency nephrectomy with a solitary kidney');
    if (absent === 'right' && io.includes('right_renal_artery_clamp')) out.push('right renal artery clamp without a right kidney');
  }
  const noOperation = (why: string) => {
    for (const id of ['ivcManagement', 'renalVeins', 'veinOfOrigin', 'access', 'circulatorySupport', 'intraoperative', 'bloodProducts', 'operativeRisk', 'renalFunction', 'aftercare'])
      if (possibleValues(d[id]!).some((v) => v !== 'not_applicable' && v !== 'out_of_scope')) out.push(`${why} but ${id} planned`);
    if (possibleValues(d['complexity']!).some((v) => v !== 'not_applicable')) out.push(`${why} but a complexity rating`);
  };
  if (f('tumor.biopsy') === 'other') {
    noOperation('another histology');
    if (d['resectability']!.value !== 'out_of_scope') out.push('another histology not out of scope');
  }
  if (f('tumor.metastases') === 'widespread') {
    noOperation('widespread metastases');
    if (possibleValues(d['systemicTherapy']!).some((v) => v !== 'systemic_referral' && v !== 'out_of_scope')) out.push('widespread metastases without systemic referral');
  }
  if (ivc.includes('interposition_graft') && d['ivcManagement']!.value === 'interposition_graft') {
    const gc = possibleValues(d['graftCare']!);
    if (gc.includes('not_applicable')) out.push('graft without cover and antibiotics');
    const bowel = ['colon', 'small_bowel', 'duodenum', 'pancreas'];
    const organs = f('tumor.adjacentOrgans');
    if (Array.isArray(organs) && organs.some((o) => bowel.includes(o as string)) && gc.some((v) => v !== 'contaminated_field')) out.push('graft with bowel resection without the contamination warning');
  }
  if (d['resectability']!.value === 'unresectable' && possibleValues(d['ivcManagement']!).join() !== 'not_applicable') out.push('unresectable but a caval procedure');
  const unresectable = d['resectability']!.value === 'unresectable';
  for (const id of ['access', 'circulatorySupport']) {
    if (unresectable && possibleValues(d[id]!).join() !== 'not_applicable') out.push(`unresectable but ${id} planned`);
  }
  if (atrial) {
    if (possibleValues(d['circulatorySupport']!).some((v) => v !== 'cardiopulmonary_bypass' && v !== 'not_applicable' && v !== 'out_of_scope'))
      out.push('atrial extension without cardiopulmonary bypass');
    if (possibleValues(d['resectability']!).includes('resectable')) out.push('atrial extension plainly resectable');
  }
  if ((upper || atrial) && possibleValues(d['access']!).includes('laparoscopic_feasible')) out.push('laparoscopy possible at segment III / atrium');
  if (f('ivc.hepaticVeinInvolvement') === true && possibleValues(d['access']!).includes('laparoscopic_feasible')) out.push('laparoscopy possible with hepatic vein involvement');
  return out;
}
