/** The plan as a markdown handout for the MDT meeting: the same sections as the HTML handout. */
import type { RulesetModel } from '../rules/model.js';
import {
  borderlineText,
  fieldLabels,
  citedEvidence,
  decisionTitles,
  decisionValueText,
  evidenceStrength,
  OPEN_MARK_MEANING,
  planHeading,
  shortCitation,
  summaryItems,
  valueDetails,
} from './plan-common.js';
import { followsText, type ExplainedDecision, type ExplainedPlan } from './plan-explain.js';
import { htmlText } from './sanitize.js';
import { PLAIN } from './style.js';
import { renderIvcDiagram, renderTraceText } from './plan-text.js';

/** Text made safe by the HTML sanitiser, then what markdown would read as markup escaped. */
const esc = (s: string): string =>
  htmlText(s)
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/([*_`[\]])/g, '\\$1')
    .replace(/\r?\n/g, ' ');
const ev = (ids: readonly string[]): string => (ids.length ? ` [${ids.map(esc).join(', ')}]` : '');

function decisionLines(d: ExplainedDecision): string[] {
  const out: string[] = [];
  const open = d.status !== 'determined';
  out.push(`**${esc(d.title)}** — ${open ? '? ' : ''}${esc(decisionValueText(d))}`, '');
  for (const x of valueDetails(d)) out.push(`- ${esc(x)}`);
  if (d.hitPolicy === 'score') {
    for (const f of d.factors ?? []) {
      const sign = f.points >= 0 ? `+${f.points}` : String(f.points);
      out.push(
        f.status === 'possible'
          ? `- ? ${sign} ${esc(f.title)} (\`${f.rule}\`)${f.if?.length ? ` if ${esc(f.if.join('; and '))}` : ''}`
          : `- ${sign} ${esc(f.title)}: ${esc(f.rationale)} (\`${f.rule}\`${ev(f.evidence)})`,
      );
    }
  } else {
    for (const r of d.reasons) {
      const item = d.hitPolicy === 'collect' && r.value ? `${esc(d.labels[r.value] ?? r.value)} — ` : 'Why: ';
      out.push(`- ${item}${esc(r.title)}: ${esc(r.rationale)} (\`${r.rule}\`${ev(r.evidence)})`);
    }
    // one item per candidate, however many rules could give it (as many as the count in the heading)
    for (const c of d.candidates ?? []) {
      const ways = c.reasons.map((r) => `(\`${r.rule}\`) if ${esc(r.if.join('; and '))}`);
      if (ways.length === 1) out.push(`- ? ${esc(c.label)} ${ways[0]}`);
      else out.push(`- ? ${esc(c.label)}, by any of:`, ...ways.map((w) => `  - ${w}`));
    }
  }
  if (open && d.missing?.length) out.push(`- _To settle it:_ ${esc(fieldLabels(d.missing))}`);
  if (out[out.length - 1] !== '') out.push('');
  return out;
}

export function renderPlanMarkdown(plan: ExplainedPlan, model: RulesetModel, opts: { explain?: boolean } = {}): string {
  const out: string[] = [];
  const h = planHeading(plan);
  out.push(`# MDT plan — ${esc(h.caseId)}${h.date ? ` — ${h.date}` : ''}`, '');
  out.push(`Rule set **${esc(plan.ruleset.name)} ${esc(plan.ruleset.version)}**, digest \`${plan.ruleset.digest.slice(0, 12)}\`.`, '');

  // a broken safety invariant first: the recommendation below must not be read without it
  if (plan.invariantViolations.length) {
    out.push('## ⚠ Safety invariant violated', '');
    for (const v of plan.invariantViolations) out.push(`- \`${v.invariant}\`: ${v.decision} = ${v.values.join(', ')}`);
    out.push('');
  }
  out.push('## Patient', '');
  out.push(`- **Given:** ${plan.patient.given.map((g) => `${esc(g.label)} ${esc(g.text)}${g.follows ? ` ${esc(followsText(g))}` : ''}`).join(' · ') || 'nothing'}`);
  out.push(`- **Unknown:** ${plan.patient.unknown.map((u) => esc(u.label)).join(' · ') || 'nothing'}`);
  if (plan.patient.unread?.length) out.push(`- **Given but read by no rule:** ${esc(fieldLabels(plan.patient.unread))}`);
  out.push('', '```', ...renderIvcDiagram(plan, PLAIN), '```', '');
  // the answer after the patient it rests on
  const summary = summaryItems(plan, model);
  out.push('## Recommendation', '', ...summary.map((x) => `- ${esc(x.title)}: **${x.open ? '? ' : ''}${esc(x.text)}**`), '');

  out.push('## Decisions and reasons', '');
  for (const m of model.decisions) {
    const d = plan.decisions[m.id];
    if (d) out.push(...decisionLines(d));
  }
  if (plan.complexity?.references.length) {
    out.push('Reference figures from published series:', '');
    for (const r of plan.complexity.references) out.push(`- ${esc(r.label)}: ${esc(r.figures)}${ev(r.evidence)}`);
    out.push('');
  }
  if (plan.warnings.length) {
    out.push('## Warnings', '');
    for (const w of plan.warnings) out.push(`- ${esc(w.text)} (\`${w.rule}\`)`);
    out.push('');
  }
  if (plan.missing.length) {
    out.push('## Missing inputs', '', '| input | investigation | affects |', '|---|---|---|');
    for (const x of plan.missing) out.push(`| ${esc(x.label)} (\`${x.field}\`) | ${esc(x.workup)} | ${esc(decisionTitles(model, x.decisions))} |`);
    out.push('');
  }
  if (plan.borderline.length) {
    out.push('## Borderline values', '');
    for (const b of plan.borderline) out.push(`- ${esc(borderlineText(model, b))}`);
    out.push('');
  }
  out.push('## MDT decision', '', '| | |', '|---|---|', '| Decision of the MDT | |', '| Differs from the plan because | |', '| Chair, date, signature | |', '');
  out.push('## Legend', '');
  out.push(`- **?** ${OPEN_MARK_MEANING}.`);
  out.push('- **Why:** the rule that decided, its rationale and evidence ids (in brackets, listed under References).');
  out.push('- In the drawing: █ tumour at that level, ? involvement unknown, blank not involved.', '');
  out.push('## References', '');
  for (const e of citedEvidence(plan)) {
    const strength = evidenceStrength(e);
    out.push(`- **${esc(e.id)}** — ${esc(shortCitation(e))}${strength ? `. _${esc(strength)}_` : ''}`);
  }
  if (opts.explain && plan.trace) out.push('', '## Trace', '', '```', ...renderTraceText(plan.trace, model, PLAIN), '```');
  out.push('', `_${esc(model.intendedUse ?? 'Decision support for the MDT; the team decides.')}_`, '');
  return out.join('\n');
}
