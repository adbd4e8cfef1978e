/** The plan for the terminal: the answer first, then the detail. Returns a string. */
import type { Plan, RuleTrace } from '../engine/evaluate.js';
import type { TraceNode } from '../engine/compile.js';
import type { RulesetModel } from '../rules/model.js';
import { formatLocation } from '../diagnostics/diagnostic.js';
import type { Style } from './style.js';
import { citation, complexitySummary, decisionSummary, formatValue, graftLine, levelMarks, shortDigest, changeSummary } from './plan-common.js';

const ORDER = ['resectability', 'renalVeins', 'access', 'circulatorySupport', 'preparation', 'aftercare'];

export function renderIvcDiagram(plan: Plan, s: Style): string[] {
  const m = levelMarks(plan);
  const mark = (x: boolean | undefined) => (x === undefined ? s.yellow('?') : x ? s.red('█') : ' ');
  const note = (x: boolean | undefined) => (x === undefined ? s.yellow('unknown') : x ? s.red('tumour') : '');
  const rv = (side: 'left' | 'right') => formatValue(plan.inputs?.[`renalVeins.${side}`]);
  return [
    `   right atrium      ( ${mark(m.atrium)} )  ${note(m.atrium)}`,
    `                     ─┬─`,
    `   segment III        │${mark(m.III)}│  ${note(m.III)}`,
    `   hepatic veins  ════╡ ╞════`,
    `   segment II         │${mark(m.II)}│  ${note(m.II)}`,
    `   renal veins    ════╡ ╞════  left ${rv('left')} · right ${rv('right')}`,
    `   segment I          │${mark(m.I)}│  ${note(m.I)}`,
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

export function renderPlanText(plan: Plan, model: RulesetModel, s: Style, opts: { explain?: boolean } = {}): string {
  const out: string[] = [];
  const head = (t: string) => out.push('', s.bold(t));
  const ivc = plan.decisions['ivcManagement'];
  out.push(
    `${s.bold('rvlms plan')} · case ${s.bold(plan.case.id)} · rules ${plan.ruleset.name} ${plan.ruleset.version} (${shortDigest(plan.ruleset.digest)})`,
  );
  out.push('');
  if (ivc) {
    const v = decisionSummary(model, 'ivcManagement', ivc);
    out.push(`${s.bold('IVC management')}   ${ivc.status === 'determined' ? s.green(s.bold(v)) : s.yellow(v)}${ivc.rule ? s.dim(`  [${ivc.rule}]`) : ''}`);
    if (ivc.material && ivc.material !== 'none') out.push(`                 ${ivc.material}`);
    const g = graftLine(ivc);
    if (g) out.push(`                 ${g}`);
    if (ivc.missing?.length) out.push(`                 ${s.yellow('to settle it:')} ${ivc.missing.join(', ')}`);
  }
  if (plan.complexity) {
    const c = plan.complexity;
    const txt = complexitySummary(model, plan);
    out.push(`${s.bold('Complexity')}       ${c.status === 'determined' ? s.bold(txt) : s.yellow(txt)}`);
  }
  out.push('');
  out.push(...renderIvcDiagram(plan, s));

  head('Decisions');
  for (const id of ORDER) {
    const r = plan.decisions[id];
    if (!r) continue;
    const label = (r.title + ':').padEnd(26);
    const body = decisionSummary(model, id, r);
    const colored = r.status === 'determined' ? body : s.yellow(body);
    const rules = r.rule ? [r.rule] : (r.rules ?? []);
    out.push(`  ${label}${colored}${rules.length ? s.dim(`  [${rules.join(', ')}]`) : ''}`);
    if (r.status === 'undetermined' && r.missing?.length) out.push(`  ${''.padEnd(26)}${s.dim('missing: ' + r.missing.join(', '))}`);
  }

  if (plan.complexity?.factors.length) {
    head('Complexity factors');
    for (const f of plan.complexity.factors) {
      const sign = f.points >= 0 ? `+${f.points}` : String(f.points);
      out.push(`  ${sign.padStart(3)} ${f.title}${f.status === 'possible' ? s.yellow(' (possible: input unknown)') : ''}  ${s.dim(`[${f.rule}; ${f.evidence.join(', ')}]`)}`);
    }
    if (plan.complexity.references.length) {
      out.push(s.dim('  reference figures:'));
      for (const r of plan.complexity.references) out.push(`   · ${r.label}: ${r.figures} ${s.dim(`[${r.evidence.join(', ')}]`)}`);
    }
  }

  if (plan.invariantViolations.length) {
    head(s.red('SAFETY INVARIANT VIOLATED'));
    for (const v of plan.invariantViolations) out.push(`  ${s.red('✗')} ${v.invariant}: ${v.decision} = ${v.values.join(', ')}`);
  }

  if (plan.warnings.length) {
    head('Warnings');
    for (const w of plan.warnings) out.push(`  ${s.yellow('!')} ${w.text} ${s.dim(`[${w.rule}]`)}`);
  }

  if (plan.missing.length) {
    head('Missing inputs (what would settle the undetermined decisions)');
    for (const m of plan.missing) out.push(`  • ${m.label} ${s.dim(`(${m.field})`)} — ${m.workup}; affects ${m.decisions.join(', ')}`);
  }

  if (plan.borderline.length) {
    head('Borderline values');
    for (const b of plan.borderline) {
      const ch = b.changes.length
        ? b.changes.map((c) => changeSummary(model, c)).join('; ')
        : 'no decision changes';
      out.push(`  ~ ${b.field} = ${b.value} is within ±${b.band} of ${b.threshold} (${b.parameter}); if ${b.otherSide}: ${ch}`);
    }
  }

  head('Evidence');
  for (const e of plan.evidence) out.push(`  [${e.id}] ${citation(e)}`);

  if (opts.explain && plan.trace) {
    head('Trace (every rule, in evaluation order)');
    out.push(...renderTraceText(plan.trace, model, s));
  }

  out.push('');
  out.push(s.dim(model.intendedUse ?? 'Decision support for the MDT; the team decides.'));
  return out.join('\n') + '\n';
}
