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
  if (d['resectability']!.value === 'unresectable' && possibleValues(d['ivcManagement']!).join() !== 'not_applicable') out.push('unresectable but a caval procedure');
  const unresectable = d['resectability']!.value === 'unresectable';
  for (const id of ['access', 'circulatorySupport']) {
    if (unresectable && possibleValues(d[id]!).join() !== 'not_applicable') out.push(`unresectable but ${id} planned`);
  }
  if (atrial) {
    if (possibleValues(d['circulatorySupport']!).some((v) => v !== 'cardiopulmonary_bypass' && v !== 'not_applicable'))
      out.push('atrial extension without cardiopulmonary bypass');
    if (possibleValues(d['resectability']!).includes('resectable')) out.push('atrial extension plainly resectable');
  }
  if ((upper || atrial) && possibleValues(d['access']!).includes('laparoscopic_feasible')) out.push('laparoscopy possible at segment III / atrium');
  if (f('ivc.hepaticVeinInvolvement') === true && possibleValues(d['access']!).includes('laparoscopic_feasible')) out.push('laparoscopy possible with hepatic vein involvement');
  return out;
}
