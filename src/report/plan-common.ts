/** Shared wording helpers for the plan renderers (text and markdown). */
import type { DecisionResult, Plan } from '../engine/evaluate.js';
import type { EvidenceModel, RulesetModel } from '../rules/model.js';

export const shortDigest = (d: string): string => d.slice(0, 12);

export function valueLabel(model: RulesetModel, decision: string, value: string): string {
  return model.decisions.find((d) => d.id === decision)?.values[value] ?? value.replace(/_/g, ' ');
}

/** One-line summary of a decision: its value, or its candidates when undetermined. */
export function decisionSummary(model: RulesetModel, id: string, r: DecisionResult): string {
  if (r.hitPolicy === 'collect') {
    const items = (r.value as string[]).map((v) => valueLabel(model, id, v));
    const possible = (r.candidates ?? []).map((c) => valueLabel(model, id, c.value) + ' (?)');
    const all = [...items, ...possible];
    return all.length ? all.join('; ') : 'none';
  }
  if (r.status === 'determined') return valueLabel(model, id, r.value as string);
  return `undetermined — candidates: ${(r.candidates ?? []).map((c) => valueLabel(model, id, c.value)).join(' | ')}`;
}

export function complexitySummary(model: RulesetModel, plan: Plan): string {
  const c = plan.complexity;
  if (!c) return 'n/a';
  const r = plan.decisions['complexity'];
  if (c.status === 'determined') return `${valueLabel(model, 'complexity', c.level)} (score ${c.score})`;
  const cands = (r?.candidates ?? []).map((x) => valueLabel(model, 'complexity', x.value));
  return `undetermined — ${cands[0]} to ${cands[cands.length - 1]} (score ${c.score} to ${c.scoreMax})`;
}

export function citation(e: EvidenceModel): string {
  const parts = [e.authors, e.year !== undefined ? String(e.year) : undefined, e.title, e.journal].filter(Boolean);
  let s = parts.map((p) => String(p).replace(/\.$/, '')).join('. ');
  if (e.doi) s += `. doi:${e.doi}`;
  else if (e.pmid) s += `. PMID ${e.pmid}`;
  else if (e.url) s += `. ${e.url}`;
  const strength = evidenceStrength(e);
  return strength ? `${s} [${strength}]` : s;
}

/** How strong a source is, for printing beside its citation: "retrospective cohort, n = 24 (population)". */
export function evidenceStrength(e: EvidenceModel): string {
  const size = e.n === undefined ? undefined : `n = ${e.n}${e.population ? ` (${e.population})` : ''}`;
  return [e.level, size].filter(Boolean).join(', ');
}

export function graftLine(r: DecisionResult): string | undefined {
  if (!r.graftSize) return undefined;
  const g = r.graftSize;
  if (g.status === 'determined') return `graft size ${g.sizeMm} mm (${g.note})`;
  return `graft size undetermined — needs the native IVC diameter (about ${g.ratio} × diameter, 12–16 mm ringed PTFE)`;
}

export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return 'unknown';
  if (Array.isArray(v)) return v.length ? `[${v.join(', ')}]` : '[] (none)';
  if (typeof v === 'object' && v !== null && 'param' in v) {
    const p = v as { param: string; value: number };
    return `${p.value} (${p.param})`;
  }
  return String(v);
}

/** Which IVC levels are involved: true / false / undefined (unknown). */
export function levelMarks(plan: Plan): { I?: boolean; II?: boolean; III?: boolean; atrium?: boolean } {
  const seg = plan.inputs?.['ivc.segments'] as string[] | undefined;
  const ra = plan.inputs?.['ivc.rightAtrialExtension'] as boolean | undefined;
  const has = (s: string) => (seg === undefined ? undefined : seg.includes(s));
  return { I: has('I'), II: has('II'), III: has('III'), atrium: ra };
}

/** "ivcManagement: patch → graft" or, for item lists, "aftercare: + x; − y". */
export function changeSummary(model: RulesetModel, c: { decision: string; from: string | readonly string[]; to: string | readonly string[] }): string {
  if (Array.isArray(c.from) || Array.isArray(c.to)) {
    const from = (Array.isArray(c.from) ? c.from : [c.from]) as string[];
    const to = (Array.isArray(c.to) ? c.to : [c.to]) as string[];
    const added = to.filter((x) => !from.includes(x)).map((x) => `+ ${valueLabel(model, c.decision, x)}`);
    const removed = from.filter((x) => !to.includes(x)).map((x) => `− ${valueLabel(model, c.decision, x)}`);
    return `${c.decision}: ${[...added, ...removed].join(', ')}`;
  }
  return `${c.decision}: ${valueLabel(model, c.decision, c.from as string)} → ${valueLabel(model, c.decision, c.to as string)}`;
}
