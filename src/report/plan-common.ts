/** Shared wording for the plan renderers (text, markdown, HTML): one phrasing per concept. */
import { FIELD_BY_PATH } from '../case/fields.js';
import type { DecisionResult, Plan } from '../engine/evaluate.js';
import type { EvidenceModel, RulesetModel } from '../rules/model.js';
import { shortLabel, type ExplainedDecision, type ExplainedPlan } from './plan-explain.js';
import { shortDigest } from '../rules/model.js';

/** What "?" means, in every format's legend. */
export const OPEN_MARK_MEANING = 'depends on an input that is unknown: it applies only if the conditions after "if" turn out to hold';

export function valueLabel(model: RulesetModel, decision: string, value: string): string {
  return model.decisions.find((d) => d.id === decision)?.values[value] ?? value.replace(/_/g, ' ');
}

const labelIn = (d: ExplainedDecision, v: string): string => d.labels[v] ?? v.replace(/_/g, ' ');

/** A decision's value as one short phrase: the label, the items, or "undetermined". */
export function decisionValueText(d: ExplainedDecision): string {
  if (d.hitPolicy === 'collect') {
    // the items themselves follow, each with its reason: the head line counts them
    const n = (d.value as readonly string[]).length;
    const k = (d.candidates ?? []).length;
    if (n === 0) return k ? `none certain, ${k} possible` : 'none';
    const items = n === 1 ? '1 item' : `${n} items`;
    return k ? `${items}, ${k} more possible` : items;
  }
  if (d.hitPolicy === 'score') {
    // a score in the lowest level, which has no lower bound, is shown by its level alone
    const inLowest = (x: number | undefined) => x !== undefined && d.openBelow !== undefined && x < d.openBelow;
    if (d.status === 'determined') return inLowest(d.score) ? labelIn(d, d.value as string) : `${labelIn(d, d.value as string)} (score ${d.score})`;
    const c = d.candidates ?? [];
    const range = inLowest(d.scoreMax) ? '' : inLowest(d.score) ? ` (score up to ${d.scoreMax})` : ` (score ${d.score} to ${d.scoreMax})`;
    return `undetermined: ${c.length ? `${c[0]!.label} to ${c[c.length - 1]!.label}` : ''}${range}`;
  }
  if (d.status === 'determined') return labelIn(d, d.value as string);
  const k = (d.candidates ?? []).length;
  return `undetermined (${k} candidate${k === 1 ? '' : 's'})`;
}

/** The summary line: every single-valued decision (priority and score), in rule-set order, each value by its first clause. */
export function summaryItems(plan: ExplainedPlan, model: RulesetModel): { id: string; title: string; text: string; open: boolean }[] {
  const out: { id: string; title: string; text: string; open: boolean }[] = [];
  for (const m of model.decisions) {
    const d = plan.decisions[m.id];
    if (!d || d.hitPolicy === 'collect') continue;
    const text = d.status === 'determined' && d.hitPolicy === 'priority' ? shortLabel(decisionValueText(d)) : decisionValueText(d);
    out.push({ id: m.id, title: d.title, text, open: d.status !== 'determined' });
  }
  return out;
}

export function citation(e: EvidenceModel): string {
  const s = citationText([e.authors, yearText(e), e.title, e.journal], e);
  const strength = evidenceStrength(e);
  return strength ? `${s} [${strength}]` : s;
}

/** How strong a source is, for printing beside its citation: "retrospective cohort, n = 24 (population)". */
export function evidenceStrength(e: EvidenceModel): string {
  const size = e.n === undefined ? undefined : `n = ${e.n}${e.population ? ` (${e.population})` : ''}`;
  return [e.level, size].filter(Boolean).join(', ');
}

/** The short form for a printed appendix: authors, year, journal, identifier. */
export function shortCitation(e: EvidenceModel): string {
  return citationText([e.authors, yearText(e), e.journal], e);
}

const yearText = (e: EvidenceModel): string | undefined => (e.year !== undefined ? String(e.year) : undefined);

/** Parts joined as sentences (a part ending in ? or ! keeps its own mark), then the DOI, else the PMID, else the URL. */
function citationText(parts: readonly (string | undefined)[], e: EvidenceModel): string {
  const s = parts
    .filter((p): p is string => Boolean(p))
    .map((p) => p.replace(/\.$/, ''))
    .reduce((acc, p) => (acc ? `${acc}${/[?!]$/.test(acc) ? ' ' : '. '}${p}` : p), '');
  const id = e.doi ? `doi:${e.doi}` : e.pmid ? `PMID ${e.pmid}` : e.url;
  return id ? `${s}. ${id}` : s;
}

export function graftLine(r: DecisionResult | ExplainedDecision): string | undefined {
  if (!r.graftSize) return undefined;
  const g = r.graftSize;
  if (g.status === 'determined') return `graft size ${g.sizeMm} mm (${g.note})`;
  return `graft size undetermined — needs the native IVC diameter (about ${g.ratio} × diameter, 12–16 mm ringed PTFE)`;
}

/** Extra lines of a decision's value: material and graft size. */
export function valueDetails(d: ExplainedDecision): string[] {
  const out: string[] = [];
  if (d.material && d.material !== 'none') out.push(d.material);
  const g = graftLine(d);
  if (g) out.push(g);
  return out;
}

export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return 'unknown';
  if (Array.isArray(v)) return v.length ? `[${v.join(', ')}]` : '[] (none)';
  if (typeof v === 'object' && v !== null && 'param' in v) {
    const p = v as { param: string; value: number };
    return `${p.value} (${p.param})`;
  }
  if (typeof v === 'string') return v;
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

/** Which IVC levels are involved: true / false / undefined (unknown). */
export function levelMarks(plan: Pick<Plan, 'inputs'>): { I?: boolean; II?: boolean; III?: boolean; atrium?: boolean } {
  const seg = plan.inputs?.['ivc.segments'] as string[] | undefined;
  const ra = plan.inputs?.['ivc.rightAtrialExtension'] as boolean | undefined;
  const has = (s: string) => (seg === undefined ? undefined : seg.includes(s));
  return { I: has('I'), II: has('II'), III: has('III'), atrium: ra };
}

/** "ivcManagement: patch → graft" or, for item lists, "aftercare: + x; − y". */
export function changeSummary(model: RulesetModel, c: { decision: string; from: string | readonly string[]; to: string | readonly string[] }): string {
  const title = model.decisions.find((d) => d.id === c.decision)?.title ?? c.decision;
  if (Array.isArray(c.from) || Array.isArray(c.to)) {
    const from = (Array.isArray(c.from) ? c.from : [c.from]) as string[];
    const to = (Array.isArray(c.to) ? c.to : [c.to]) as string[];
    const added = to.filter((x) => !from.includes(x)).map((x) => `+ ${valueLabel(model, c.decision, x)}`);
    const removed = from.filter((x) => !to.includes(x)).map((x) => `− ${valueLabel(model, c.decision, x)}`);
    return `${title}: ${[...added, ...removed].join(', ')}`;
  }
  return `${title}: ${valueLabel(model, c.decision, c.from as string)} → ${valueLabel(model, c.decision, c.to as string)}`;
}

/** A borderline note as one sentence. */
export function borderlineText(model: RulesetModel, b: Plan['borderline'][number]): string {
  const ch = b.changes.length ? b.changes.map((c) => changeSummary(model, c)).join('; ') : 'no decision changes';
  return `${b.field} = ${b.value} is within ±${b.band} of ${b.threshold} (${b.parameter}); if ${b.otherSide}: ${ch}`;
}

/** "Resectability, IVC management" from decision ids. */
export function decisionTitles(model: RulesetModel, ids: readonly string[]): string {
  return ids.map((id) => model.decisions.find((d) => d.id === id)?.title ?? id).join(', ');
}

/** The header facts: case, date, rule set. */
export function planHeading(plan: ExplainedPlan): { caseId: string; date?: string; rules: string } {
  return {
    caseId: plan.case.id,
    ...(plan.date ? { date: plan.date } : {}),
    rules: `${plan.ruleset.name} ${plan.ruleset.version} · digest ${shortDigest(plan.ruleset.digest)}`,
  };
}

/** Field paths as the labels a reader knows ("IVC lumen, venous collaterals"). */
export function fieldLabels(fields: readonly string[]): string {
  return fields.map((f) => FIELD_BY_PATH.get(f)?.label ?? f).join(', ');
}

/**
 * The references a rendered plan lists: the evidence of what it decided or counted (the
 * deciding rules, the items added, the factors present, the reference figures). Candidates
 * and possible factors show their rule, not their evidence, so their sources are listed
 * when they decide. In id order.
 */
export function citedEvidence(plan: ExplainedPlan): EvidenceModel[] {
  const ids = new Set<string>();
  for (const d of Object.values(plan.decisions)) {
    for (const r of d.reasons) for (const id of r.evidence) ids.add(id);
    for (const f of d.factors ?? []) if (f.status === 'present') for (const id of f.evidence) ids.add(id);
  }
  for (const r of plan.complexity?.references ?? []) for (const id of r.evidence) ids.add(id);
  return plan.evidence.filter((e) => ids.has(e.id));
}
