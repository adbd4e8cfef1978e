/** `rvlms diff` renderers: text for the terminal and markdown for a pull-request comment. */
import { htmlText } from './sanitize.js';
import { compareChanges, DIFF_SCHEMA_VERSION, type DecisionDiff, type DiffResult } from '../analysis/diff.js';
import { renderJson } from './json.js';
import { formatDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { shortDigest, type RulesetModel } from '../rules/model.js';
import type { SourceRef } from '../diagnostics/diagnostic.js';
import { codeInfo } from '../analysis/codes.js';
import { diagnosticResult, renderFailureSarif, SARIF_LEVEL, sarifLocation, sarifLog, sarifRules } from './sarif.js';
import type { Style } from './style.js';
import { DEFAULT_COLUMNS, wrap } from './wrap.js';

interface Row {
  readonly from: string;
  readonly to: string;
  /** Found over the case space. */
  readonly space: boolean;
  /** Historical cases that make this change. */
  readonly count: number;
  readonly example?: Record<string, unknown>;
  readonly region?: Readonly<Record<string, string>>;
  readonly cases: readonly string[];
}

/** Case-space and historical groups of one decision, merged by old → new value, in the order of every listing (compareChanges). */
export function changeRows(d: DecisionDiff): Row[] {
  const rows = new Map<string, Row>();
  const key = (from: string, to: string) => `${from}\0${to}`;
  for (const g of d.space?.groups ?? []) rows.set(key(g.from, g.to), { from: g.from, to: g.to, space: true, count: 0, cases: [], example: g.example, ...(g.region ? { region: g.region } : {}) });
  for (const g of d.history?.groups ?? []) {
    const prev = rows.get(key(g.from, g.to));
    rows.set(key(g.from, g.to), { ...(prev ?? { from: g.from, to: g.to, space: false }), count: g.count, cases: g.cases });
  }
  return [...rows.values()].sort(compareChanges);
}

const n = (x: number) => x.toLocaleString('en-US');
/** Rows shown per decision in text and markdown (all of them are in --format json). */
export const MAX_ROWS = 15;
/**
 * The case-space count in a decision's header. It counts what was found; "more exist" means
 * the search stopped before the last (diff.ts's listing limits), not rows hidden here.
 */
function spaceCount(d: DecisionDiff): string {
  const k = d.space?.groups.length ?? 0;
  const ways = `${k} way${k === 1 ? '' : 's'} to change`;
  if (d.space?.truncated) return `${ways} found, and more exist that are not listed`;
  if (d.space?.complete === false) return `${ways} found (comparison incomplete)`;
  return ways;
}
/** The notice under a listing cut at MAX_ROWS: how many of the rows found are not shown, and where they are (empty when none is cut). */
function cutNotice(rows: readonly Row[]): string {
  const hidden = rows.length - MAX_ROWS;
  return hidden > 0 ? `… ${hidden} more not shown here (${MAX_ROWS} of the ${rows.length} found are shown; all ${rows.length} in --format json)` : '';
}
const regionText = (r: Readonly<Record<string, string>>) => Object.entries(r).map(([f, iv]) => `${f} in ${iv}`).join(', ');

function headline(r: DiffResult): string[] {
  const side = (s: DiffResult['base']) => `${s.label} (${s.name} ${s.version}, ${shortDigest(s.digest)})`;
  const out = [`base ${side(r.base)}`, `head ${side(r.head)}`];
  if (r.parameters.length) out.push(`parameters: ${r.parameters.map((p) => `${p.id} ${p.from ?? '(none)'} → ${p.to ?? '(none)'}`).join('; ')}`);
  const rc = r.rules;
  const parts = [rc.modified.length ? `modified ${rc.modified.join(', ')}` : '', rc.added.length ? `added ${rc.added.join(', ')}` : '', rc.removed.length ? `removed ${rc.removed.join(', ')}` : ''].filter(Boolean);
  if (parts.length) out.push(`rules: ${parts.join('; ')}`);
  if (r.history) out.push(`historical cases: ${n(r.history.cases)} evaluated, ${n(r.history.changedCases)} with a changed decision${r.history.invalid ? `, ${n(r.history.invalid)} invalid (not evaluated)` : ''}`);
  if (!r.complete) out.push(`INCOMPLETE: the case space was not compared completely for ${r.incomplete.map((x) => `${x.decision} (${x.reason})`).join('; ')}`);
  return out;
}

/** The verdict line: a change, no change (only when everything was compared), or not known. */
function verdict(r: DiffResult, changed: readonly DecisionDiff[]): { kind: 'changed' | 'none' | 'unknown'; text: string } {
  if (changed.length) return { kind: 'changed', text: `${changed.length} decision${changed.length === 1 ? '' : 's'} changed${r.complete ? '' : ' (comparison incomplete: more may change)'}` };
  if (!r.complete) return { kind: 'unknown', text: 'no change found, but the comparison is incomplete: not shown to be unchanged' };
  return { kind: 'none', text: 'no change' };
}

/**
 * `width`: the columns the summary and the change rows wrap to. Diagnostics and example cases
 * stay one line each (tools read the first, the second is JSON to copy into a case file).
 */
export function renderDiffText(r: DiffResult, s: Style, width = DEFAULT_COLUMNS): string {
  const wrapped = (text: string, first: string, rest: string): string => wrap(text, width, { first, rest }).join('\n');
  const out = headline(r).map((l, i) => (i < 2 ? s.bold(l) : wrapped(l, '', '  ')));
  // under the two rule sets they are about (a version not bumped), before the changes
  for (const d of r.diagnostics) out.push((d.severity === 'error' ? s.red : s.yellow)(formatDiagnostic(d)));
  const changed = r.decisions.filter((d) => d.status !== 'unchanged' && d.status !== 'not-compared');
  if (!changed.length && r.complete) out.push(s.green('no decision changes, over the whole case space' + (r.history ? ' and the historical cases' : '')));
  for (const d of changed) {
    out.push('', s.bold(`${d.decision} — ${d.title}: ${d.status}`));
    if (d.status !== 'changed') continue;
    out.push(s.dim(wrapped(`case space: ${spaceCount(d)}${d.history ? `; historical: ${n(d.history.changed)} of ${n(d.history.total)} cases` : ''}`, '  ', '    ')));
    const rows = changeRows(d);
    for (const row of rows.slice(0, MAX_ROWS)) {
      const where = [row.space ? 'case space' : '', d.history ? `${n(row.count)} historical` : ''].filter(Boolean).join(', ');
      out.push(wrapped(`${row.from} → ${row.to}  (${where})`, '  ', '      '));
      if (row.cases.length) out.push(s.dim(`      cases: ${row.cases.join(', ')}`));
      if (row.example) out.push(s.dim(`      example: ${JSON.stringify(row.example)}`));
      if (row.region) out.push(s.dim(`      region: ${regionText(row.region)}`));
    }
    if (cutNotice(rows)) out.push(s.dim(wrapped(cutNotice(rows), '  ', '    ')));
  }
  const v = verdict(r, changed);
  out.push('', `rvlms diff: ${v.kind === 'none' ? s.green(v.text) : s.yellow(v.text)}`);
  return out.join('\n') + '\n';
}

const md = (t: string) => htmlText(t).replace(/\|/g, '\\|');

/** A pull-request comment: what changed, grouped by decision, examples folded. */
export function renderDiffMarkdown(r: DiffResult, maxExamples = 10): string {
  const changed = r.decisions.filter((d) => d.status !== 'unchanged' && d.status !== 'not-compared');
  const v = verdict(r, changed);
  const out = [`## rvlms diff: ${v.kind === 'none' ? 'no decision changes' : v.text}`, ''];
  for (const l of headline(r)) out.push(`- ${md(l)}`);
  out.push('');
  if (r.diagnostics.length) out.push(...fenced(r.diagnostics.map((d) => formatDiagnostic(d))), '');
  if (v.kind === 'none') out.push(`No decision changes over the whole case space${r.history ? ' or the historical cases' : ''}.`, '');
  for (const d of changed) {
    out.push(`### \`${d.decision}\` — ${md(d.title)} (${d.status})`, '');
    if (d.status !== 'changed') continue;
    out.push(
      `Case space: ${spaceCount(d)}.${d.history ? ` Historical cases: ${n(d.history.changed)} of ${n(d.history.total)}.` : ''}`,
      '',
      '| old → new | case space | historical | example cases |',
      '|---|:---:|---:|---|',
    );
    const rows = changeRows(d);
    for (const row of rows.slice(0, MAX_ROWS))
      out.push(`| ${md(row.from)} → ${md(row.to)} | ${row.space ? 'yes' : '–'} | ${d.history ? n(row.count) : '–'} | ${row.cases.map((c) => `\`${md(c)}\``).join(', ')} |`);
    if (cutNotice(rows)) out.push('', `_${md(cutNotice(rows))}_`);
    const examples = rows.slice(0, MAX_ROWS).filter((x) => x.example).slice(0, maxExamples);
    if (examples.length) {
      out.push('', '<details><summary>Example cases from the case space</summary>', '');
      for (const row of examples) out.push(`**${md(row.from)} → ${md(row.to)}**${row.region ? ` (${md(regionText(row.region))})` : ''}`, '', '```json', JSON.stringify(row.example), '```', '');
      out.push('</details>');
    }
    out.push('');
  }
  return out.join('\n') + '\n';
}

/** The comment when an input (a rule set, the historical cases) cannot be read: what is wrong, where. */
export function renderDiffFailureMarkdown(diagnostics: readonly Diagnostic[]): string {
  return ['## rvlms diff: failed', '', 'An input could not be read, so nothing was compared:', '', ...fenced(diagnostics.map((d) => formatDiagnostic(d))), ''].join('\n');
}

/** Diagnostic lines in a code block whose fence is longer than any run of backticks in them, so that none can close it. */
function fenced(lines: readonly string[]): string[] {
  const longest = Math.max(2, ...lines.map((l) => Math.max(0, ...[...l.matchAll(/`+/g)].map((m) => m[0].length))));
  const fence = '`'.repeat(longest + 1);
  return [fence, ...lines, fence];
}

/**
 * Where a decision's change comes from, in the head rule set: its own added or modified
 * rules; else every added or modified rule (the change reaches it through a decision it
 * reads); else the changed parameters. Empty when only removals explain it.
 */
function causes(r: DiffResult, head: RulesetModel, decision: string): SourceRef[] {
  const changed = new Set([...r.rules.added, ...r.rules.modified]);
  const rules = head.rules.filter((x) => changed.has(x.id));
  const own = rules.filter((x) => x.decision === decision);
  if (own.length) return own.map((x) => x.src);
  if (rules.length) return rules.map((x) => x.src);
  return r.parameters.flatMap((p) => (head.parameters[p.id] ? [head.parameters[p.id]!.src] : []));
}

/**
 * SARIF 2.1.0 for code scanning: one diff/changed result per decision that changes, located
 * at the head's rule lines that cause it, with every old → new group as properties; a
 * decision not compared completely is an analysis/incomplete result (never silence).
 */
export function renderDiffSarif(r: DiffResult, head: RulesetModel, toolVersion: string): string {
  const changed = r.decisions.filter((d) => d.status !== 'unchanged' && d.status !== 'not-compared');
  const codes = [...new Set([...(changed.length ? ['diff/changed'] : []), ...(r.incomplete.length ? ['analysis/incomplete'] : []), ...r.diagnostics.map((d) => d.code)])].sort();
  const level = (code: string) => SARIF_LEVEL[codeInfo(code)?.severity ?? 'error'];
  const located = (refs: readonly SourceRef[]) => (refs.some((x) => x.file) ? { locations: refs.filter((x) => x.file).map(sarifLocation) } : {});
  const results = [
    ...changed.map((d) => {
      const rows = changeRows(d);
      const groups = rows.map((x) => `${x.from} → ${x.to}`);
      const text = `${d.decision} (${d.title}) ${d.status}${groups.length ? `: ${groups.slice(0, 5).join('; ')}${groups.length > 5 ? `; … ${groups.length - 5} more` : ''}` : ''}${d.history ? ` — ${n(d.history.changed)} of ${n(d.history.total)} historical cases` : ''}`;
      return {
        ruleId: 'diff/changed',
        ruleIndex: codes.indexOf('diff/changed'),
        level: level('diff/changed'),
        message: { text },
        ...located(causes(r, head, d.decision)),
        properties: { decision: d.decision, status: d.status, changes: rows.map((x) => ({ from: x.from, to: x.to, caseSpace: x.space, historical: x.count, ...(x.region ? { region: x.region } : {}) })) },
      };
    }),
    ...r.incomplete.map((x) => ({
      ruleId: 'analysis/incomplete',
      ruleIndex: codes.indexOf('analysis/incomplete'),
      level: level('analysis/incomplete'),
      message: { text: `${x.decision} was not compared completely (${x.reason}): nothing is claimed for it` },
      ...located(head.rules.filter((rule) => rule.decision === x.decision).slice(0, 1).map((rule) => rule.src)),
      properties: { decision: x.decision },
    })),
    ...r.diagnostics.map((d) => diagnosticResult(d, codes)),
  ];
  return sarifLog(toolVersion, sarifRules(codes, () => 'error'), results, {
    base: r.base,
    head: r.head,
    complete: r.complete,
    changed: r.changed,
    ...(r.parameters.length ? { parameters: r.parameters } : {}),
    rules: r.rules,
    ...(r.history ? { history: r.history } : {}),
  });
}

/** What marks a report of a diff that failed, in SARIF's run properties and at the top of the JSON. */
const FAILED = { diff: 'failed' } as const;

/** SARIF when an input cannot be read: the errors as results, at their lines. */
export const renderDiffFailureSarif = (diagnostics: readonly Diagnostic[], toolVersion: string): string => renderFailureSarif(diagnostics, toolVersion, FAILED);

/**
 * JSON when an input cannot be read: the errors as diagnostics, under the keys a CI step
 * reads from a diff's result (`complete` and `changed` both false: nothing was compared).
 */
export const renderDiffFailureJson = (diagnostics: readonly Diagnostic[]): string =>
  renderJson({ schemaVersion: DIFF_SCHEMA_VERSION, ...FAILED, complete: false, changed: false, diagnostics });
