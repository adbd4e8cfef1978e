/** `rvlms diff` renderers: text for the terminal and markdown for a pull-request comment. */
import { htmlText } from './sanitize.js';
import type { DecisionDiff, DiffResult } from '../analysis/diff.js';
import { shortDigest } from './plan-common.js';
import type { Style } from './style.js';
import { byCodeUnit } from '../io/order.js';

interface Row {
  readonly from: string;
  readonly to: string;
  readonly space: number;
  readonly history: number;
  readonly example?: Record<string, unknown>;
  readonly cases: readonly string[];
}

/** Case-space and historical groups of one decision, merged by old → new value. */
export function changeRows(d: DecisionDiff): Row[] {
  const rows = new Map<string, Row>();
  const key = (from: string, to: string) => `${from}\0${to}`;
  for (const g of d.space.groups) rows.set(key(g.from, g.to), { from: g.from, to: g.to, space: g.count, history: 0, cases: [], ...(g.example ? { example: g.example } : {}) });
  for (const g of d.history?.groups ?? []) {
    const prev = rows.get(key(g.from, g.to));
    rows.set(key(g.from, g.to), { from: g.from, to: g.to, space: prev?.space ?? 0, history: g.count, cases: g.cases ?? [], ...(prev?.example ? { example: prev.example } : {}) });
  }
  return [...rows.values()].sort((a, b) => b.history - a.history || b.space - a.space || byCodeUnit(a.from, b.from) || byCodeUnit(a.to, b.to));
}

const n = (x: number) => x.toLocaleString('en-US');
/** Rows shown per decision in text and markdown (all of them are in --format json). */
export const MAX_ROWS = 15;
const more = (rows: readonly Row[]) => (rows.length > MAX_ROWS ? `… ${rows.length - MAX_ROWS} more change group${rows.length - MAX_ROWS === 1 ? '' : 's'} (all in --format json)` : '');

function headline(r: DiffResult): string[] {
  const side = (s: DiffResult['base']) => `${s.label} (${s.name} ${s.version}, ${shortDigest(s.digest)})`;
  const out = [`base ${side(r.base)}`, `head ${side(r.head)}`];
  if (r.parameters.length) out.push(`parameters: ${r.parameters.map((p) => `${p.id} ${p.from ?? '(none)'} → ${p.to ?? '(none)'}`).join('; ')}`);
  const rc = r.rules;
  const parts = [rc.modified.length ? `modified ${rc.modified.join(', ')}` : '', rc.added.length ? `added ${rc.added.join(', ')}` : '', rc.removed.length ? `removed ${rc.removed.join(', ')}` : ''].filter(Boolean);
  if (parts.length) out.push(`rules: ${parts.join('; ')}`);
  if (r.history) out.push(`historical cases: ${n(r.history.cases)} evaluated, ${n(r.history.changedCases)} with a changed decision${r.history.invalid ? `, ${n(r.history.invalid)} invalid (not evaluated)` : ''}`);
  if (!r.spaceCompared) out.push('case space: not compared (the two rule sets order their decisions in a cycle)');
  return out;
}

export function renderDiffText(r: DiffResult, s: Style): string {
  const out = headline(r).map((l, i) => (i < 2 ? s.bold(l) : l));
  const changed = r.decisions.filter((d) => d.status !== 'unchanged');
  if (!changed.length) out.push(s.green('no decision changes, over the whole case space' + (r.history ? ' and the historical cases' : '')));
  for (const d of changed) {
    out.push('', s.bold(`${d.decision} — ${d.title}: ${d.status}`));
    if (d.status !== 'changed') continue;
    out.push(s.dim(`  case space: ${n(d.space.changed)} of ${n(d.space.total)} points change${d.history ? `; historical: ${n(d.history.changed)} of ${n(d.history.total)} cases` : ''}`));
    const rows = changeRows(d);
    for (const row of rows.slice(0, MAX_ROWS)) {
      const counts = [row.space ? `${n(row.space)} in the case space` : '', d.history ? `${n(row.history)} historical` : ''].filter(Boolean).join(', ');
      out.push(`  ${row.from} → ${row.to}  (${counts})`);
      if (row.cases.length) out.push(s.dim(`      cases: ${row.cases.join(', ')}`));
      if (row.example) out.push(s.dim(`      example: ${JSON.stringify(row.example)}`));
    }
    if (more(rows)) out.push(s.dim(`  ${more(rows)}`));
  }
  out.push('', `rvlms diff: ${changed.length ? s.yellow(`${changed.length} decision${changed.length === 1 ? '' : 's'} changed`) : s.green('no change')}`);
  return out.join('\n') + '\n';
}

const md = (t: string) => htmlText(t).replace(/\|/g, '\\|');

/** A pull-request comment: what changed, grouped by decision, examples folded. */
export function renderDiffMarkdown(r: DiffResult, maxExamples = 10): string {
  const changed = r.decisions.filter((d) => d.status !== 'unchanged');
  const out = [`## rvlms diff: ${changed.length ? `${changed.length} decision${changed.length === 1 ? '' : 's'} changed` : 'no decision changes'}`, ''];
  for (const l of headline(r)) out.push(`- ${md(l)}`);
  out.push('');
  if (!changed.length) out.push(`No decision changes over the whole case space${r.history ? ' or the historical cases' : ''}.`, '');
  for (const d of changed) {
    out.push(`### \`${d.decision}\` — ${md(d.title)} (${d.status})`, '');
    if (d.status !== 'changed') continue;
    out.push(
      `Case space: ${n(d.space.changed)} of ${n(d.space.total)} points change.${d.history ? ` Historical cases: ${n(d.history.changed)} of ${n(d.history.total)}.` : ''}`,
      '',
      '| old → new | case space | historical | example cases |',
      '|---|---:|---:|---|',
    );
    const rows = changeRows(d);
    for (const row of rows.slice(0, MAX_ROWS)) out.push(`| ${md(row.from)} → ${md(row.to)} | ${n(row.space)} | ${d.history ? n(row.history) : '–'} | ${row.cases.map((c) => `\`${md(c)}\``).join(', ')} |`);
    if (more(rows)) out.push('', `_${more(rows)}_`);
    const examples = rows.slice(0, MAX_ROWS).filter((x) => x.example).slice(0, maxExamples);
    if (examples.length) {
      out.push('', '<details><summary>Example cases from the case space</summary>', '');
      for (const row of examples) out.push(`**${md(row.from)} → ${md(row.to)}**`, '', '```json', JSON.stringify(row.example), '```', '');
      out.push('</details>');
    }
    out.push('');
  }
  return out.join('\n') + '\n';
}
