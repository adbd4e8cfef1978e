/**
 * The plan for the terminal: the patient first, then the answer, the drawing, every
 * decision with its reasons, and the detail. Every line is wrapped to the width given
 * (the terminal's, 80 when not a terminal) with hanging indents. Driven by the rule set:
 * every decision it declares is shown, in its order.
 */
import type { RuleTrace } from '../engine/evaluate.js';
import type { TraceNode } from '../engine/compile.js';
import type { RulesetModel } from '../rules/model.js';
import { formatLocation } from '../diagnostics/diagnostic.js';
import { terminalText } from './sanitize.js';
import type { Style } from './style.js';
import {
  borderlineText,
  fieldLabels,
  citedEvidence,
  citation,
  decisionTitles,
  decisionValueText,
  formatValue,
  levelMarks,
  OPEN_MARK_MEANING,
  planHeading,
  summaryItems,
  valueDetails,
} from './plan-common.js';
import { followsText, type ExplainedDecision, type ExplainedPlan, type OpenReason, type Reason } from './plan-explain.js';
import { DEFAULT_COLUMNS, KEEP, keepTogether, wrap, wrapLabelled } from './wrap.js';

export function renderIvcDiagram(plan: Pick<ExplainedPlan, 'inputs'>, s: Style): string[] {
  const m = levelMarks(plan);
  const mark = (x: boolean | undefined) => (x === undefined ? s.yellow('?') : x ? s.red('█') : ' ');
  const note = (x: boolean | undefined) => (x === undefined ? s.yellow('unknown') : x ? s.red('tumour') : '');
  const rv = (side: 'left' | 'right') => formatValue(plan.inputs?.[`renalVeins.${side}`]);
  const hv = plan.inputs?.['ivc.hepaticVeinInvolvement'] as boolean | undefined;
  const hvNote = hv === undefined ? s.yellow('involvement unknown') : hv ? s.red('involved') : 'free';
  return [
    `   right atrium      ( ${mark(m.atrium)} )  ${note(m.atrium)}`.trimEnd(),
    `                     ─┬─`,
    `   segment III        │${mark(m.III)}│  ${note(m.III)}`.trimEnd(),
    `   hepatic veins  ════╡ ╞════  ${hvNote}`,
    `   segment II         │${mark(m.II)}│  ${note(m.II)}`.trimEnd(),
    `   renal veins    ════╡ ╞════  left ${rv('left')} · right ${rv('right')}`,
    `   segment I          │${mark(m.I)}│  ${note(m.I)}`.trimEnd(),
    `   iliac confluence  ─┴─`,
  ];
}

function traceLines(node: TraceNode, depth: number, s: Style, out: string[]): void {
  const pad = '      ' + '  '.repeat(depth);
  const mark = node.result === 'true' ? s.green('✓') : node.result === 'false' ? s.red('✗') : s.yellow('?');
  const loc = s.dim(formatLocation(node.src));
  if (node.kind === 'fact') {
    const exp = node.expected === null ? '' : ` ${formatValue(node.expected)}`;
    const cnt = node.count !== undefined ? ` (at least ${node.count})` : '';
    out.push(`${pad}${mark} ${node.fact} ${node.operator}${exp}${cnt} — seen ${formatValue(node.actual)}  ${loc}`);
  } else if (node.kind === 'decision') {
    const seen = node.actual.value ?? `candidates ${formatValue(node.actual.candidates)}`;
    out.push(`${pad}${mark} decision ${node.decision} ${node.operator} ${formatValue(node.expected)} — seen ${seen}  ${loc}`);
  } else {
    out.push(`${pad}${mark} ${node.kind}${node.children.length === 0 && node.kind === 'all' ? ' (always)' : ''}`);
    for (const c of node.children) traceLines(c, depth + 1, s, out);
  }
}

/** Every rule of a trace with each condition and the value seen (plan --explain, test --explain). */
export function renderTraceText(trace: readonly RuleTrace[], model: RulesetModel, s: Style): string[] {
  const out: string[] = [];
  let current = '';
  for (const t of trace) {
    if (t.decision !== current) {
      current = t.decision;
      out.push(`  ${s.bold(current)}`);
    }
    const mark = t.result === 'true' ? s.green('✓') : t.result === 'false' ? s.red('✗') : s.yellow('?');
    const rule = model.rules.find((r) => r.id === t.rule);
    out.push(`    ${mark} ${t.rule} (priority ${t.priority})${t.reached ? '' : s.dim(' — below the deciding rule')}  ${s.dim(rule ? formatLocation(rule.src) : '')}`);
    traceLines(t.when, 0, s, out);
  }
  return out;
}

export interface TextOptions {
  readonly explain?: boolean;
  /** Columns to wrap to (default 80). */
  readonly width?: number;
}

/** "title: rationale [rule; ev1, ev2]" — one reason, as words. */
const reasonText = (r: Reason, s: Style): string => `${r.title}: ${r.rationale} ${s.dim(`[${r.rule}${r.evidence.length ? `; ${r.evidence.join(', ')}` : ''}]`)}`;
const openText = (r: OpenReason, s: Style): string => `${s.dim(`[${r.rule}]`)} if ${r.if.join('; and ')}`;

function decisionBlock(d: ExplainedDecision, s: Style, width: number, labelWidth: number, out: string[]): void {
  const value = decisionValueText(d);
  const open = d.status !== 'determined';
  out.push(...wrapLabelled(s.bold(d.title), open ? s.yellow(value) : s.bold(value), width, labelWidth, '  '));
  for (const line of valueDetails(d)) out.push(...wrap(line, width, { first: ' '.repeat(labelWidth + 2) }));
  if (d.hitPolicy === 'score') {
    for (const f of d.factors ?? []) {
      const sign = f.points >= 0 ? `+${f.points}` : String(f.points);
      const mark = f.status === 'possible' ? s.yellow('?') : '•';
      const tail = f.status === 'possible' ? ` ${s.dim(`[${f.rule}]`)}${f.if?.length ? ` if ${f.if.join('; and ')}` : ''}` : ` — ${f.rationale} ${s.dim(`[${f.rule}; ${f.evidence.join(', ')}]`)}`;
      out.push(...wrap(`${mark} ${sign} ${f.title}${tail}`, width, { first: '    ', rest: '         ' }));
    }
    return;
  }
  for (const r of d.reasons) {
    const item = d.hitPolicy === 'collect' && r.value ? `${d.labels[r.value] ?? r.value} — ` : '';
    out.push(...wrap(`${item}${reasonText(r, s)}`, width, { first: `    ${d.hitPolicy === 'collect' ? '•' : 'why'} `, rest: '      ' }));
  }
  // one line per candidate, however many rules could give it (as many as the count in the heading)
  for (const c of d.candidates ?? []) {
    if (c.reasons.length === 1) {
      out.push(...wrap(`${c.label} ${openText(c.reasons[0]!, s)}`, width, { first: `    ${s.yellow('?')} `, rest: '      ' }));
      continue;
    }
    out.push(...wrap(`${c.label}, by any of:`, width, { first: `    ${s.yellow('?')} `, rest: '      ' }));
    for (const r of c.reasons) out.push(...wrap(openText(r, s), width, { first: '      - ', rest: '        ' }));
  }
  if (open && d.missing?.length) out.push(...wrap(`${s.dim('to settle it:')} ${fieldLabels(d.missing)}`, width, { first: '    ', rest: '      ' }));
}

/** A copy of plain data with every string passed through `f` (arrays and plain objects rebuilt). */
function mapStrings<T>(x: T, f: (s: string) => string): T {
  if (typeof x === 'string') return f(x) as T;
  if (Array.isArray(x)) return x.map((v: unknown) => mapStrings(v, f)) as T;
  if (x !== null && typeof x === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) out[k] = mapStrings(v, f);
    return out as T;
  }
  return x;
}

export function renderPlanText(raw: ExplainedPlan, rawModel: RulesetModel, s: Style, opts: TextOptions = {}): string {
  // every text from the case or the rule files passes the terminal sanitiser before it is styled
  const { trace, ...rest } = raw;
  const plan: ExplainedPlan = { ...mapStrings(rest, terminalText), ...(trace ? { trace } : {}) };
  // the model's texts the renderer shows: decisions (titles, value labels) and the intended use; the trace names rules only by id and source location
  const model: RulesetModel = { ...rawModel, decisions: mapStrings(rawModel.decisions, terminalText), ...(rawModel.intendedUse !== undefined ? { intendedUse: terminalText(rawModel.intendedUse) } : {}) };
  const width = opts.width ?? DEFAULT_COLUMNS;
  const out: string[] = [];
  const head = (t: string) => out.push('', ...wrap(s.bold(t), width));
  const h = planHeading(plan);
  out.push(...wrap(`${s.bold('rvlms plan')} · case ${s.bold(h.caseId)}${h.date ? ` · ${h.date}` : ''} · rules ${h.rules}`, width, { rest: '  ' }));

  // a broken safety invariant first: the recommendation below must not be read without it
  if (plan.invariantViolations.length) {
    head(s.red('SAFETY INVARIANT VIOLATED'));
    for (const v of plan.invariantViolations) out.push(...wrap(`${v.invariant}: ${v.decision} = ${v.values.join(', ')}`, width, { first: `  ${s.red('✗')} ` }));
  }
  head('Patient');
  out.push(...wrapLabelled('given', plan.patient.given.map((g) => keepTogether(`${g.label} ${g.text}`) + (g.follows ? ` ${followsText(g)}` : '')).join(`${KEEP}· `) || 'nothing', width, 10, '  '));
  out.push(...wrapLabelled('unknown', plan.patient.unknown.map((u) => keepTogether(u.label)).join(`${KEEP}· `) || 'nothing', width, 10, '  '));
  if (plan.patient.unread?.length) out.push(...wrapLabelled('not read', `${fieldLabels(plan.patient.unread)} (given, but no rule reads it)`, width, 10, '  '));

  // decision titles in one column, as wide as the longest (within reason)
  const labelWidth = Math.min(32, Math.max(16, ...Object.values(plan.decisions).map((d) => d.title.length + 2)));
  head('Recommendation');
  for (const x of summaryItems(plan, model)) out.push(...wrapLabelled(x.title, x.open ? s.yellow(x.text) : s.bold(x.text), width, labelWidth, '  '));
  out.push('');
  out.push(...renderIvcDiagram(plan, s));

  head('Decisions and reasons');
  out.push(...wrap(s.dim(`why = the deciding rule · • = an item and its rule · ? = ${OPEN_MARK_MEANING}`), width, { first: '  ', rest: '  ' }));
  for (const m of model.decisions) {
    const d = plan.decisions[m.id];
    if (!d) continue;
    out.push('');
    decisionBlock(d, s, width, labelWidth, out);
  }
  if (plan.complexity?.references.length) {
    out.push(...wrap(s.dim('reference figures from published series:'), width, { first: '  ' }));
    for (const r of plan.complexity.references) out.push(...wrap(`${r.label}: ${r.figures} ${s.dim(`[${r.evidence.join(', ')}]`)}`, width, { first: '    · ', rest: '      ' }));
  }

  if (plan.warnings.length) {
    head('Warnings');
    for (const w of plan.warnings) out.push(...wrap(`${w.text} ${s.dim(`[${w.rule}]`)}`, width, { first: `  ${s.yellow('!')} ` }));
  }
  if (plan.missing.length) {
    head('Missing inputs (what would settle the undetermined decisions)');
    for (const m of plan.missing) out.push(...wrap(`${m.label} ${s.dim(`(${m.field})`)} — ${m.workup}; affects ${decisionTitles(model, m.decisions)}`, width, { first: '  • ' }));
  }
  if (plan.borderline.length) {
    head('Borderline values');
    for (const b of plan.borderline) out.push(...wrap(borderlineText(model, b), width, { first: '  ~ ' }));
  }
  head('References (cited above)');
  for (const e of citedEvidence(plan)) out.push(...wrap(`[${e.id}] ${citation(e)}`, width, { first: '  ', rest: '    ' }));
  if (opts.explain && plan.trace) {
    head('Trace (every rule, in evaluation order)');
    for (const line of renderTraceText(plan.trace, model, s)) {
      const indent = /^ */.exec(line)![0];
      out.push(...wrap(line.slice(indent.length), width, { first: indent, rest: `${indent}    ` }));
    }
  }
  out.push('');
  out.push(...wrap(s.dim(model.intendedUse ?? 'Decision support for the MDT; the team decides.'), width));
  return out.join('\n') + '\n';
}
