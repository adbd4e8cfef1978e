/** The plan as a markdown handout for the MDT meeting. */
import type { Plan } from '../engine/evaluate.js';
import type { RulesetModel } from '../rules/model.js';
import { citation, complexitySummary, decisionSummary, formatValue, graftLine, levelMarks, shortDigest, changeSummary } from './plan-common.js';

const esc = (s: string): string => s.replace(/\|/g, '\\|');

export function renderPlanMarkdown(plan: Plan, model: RulesetModel): string {
  const out: string[] = [];
  const ivc = plan.decisions['ivcManagement'];
  out.push(`# MDT plan — ${plan.case.id}`, '');
  out.push(`Rule set **${plan.ruleset.name} ${plan.ruleset.version}** (digest \`${shortDigest(plan.ruleset.digest)}\`).`, '');
  out.push('## Summary', '');
  if (ivc) {
    out.push(`- **IVC management:** ${decisionSummary(model, 'ivcManagement', ivc)}${ivc.rule ? ` (\`${ivc.rule}\`)` : ''}`);
    if (ivc.material && ivc.material !== 'none') out.push(`  - ${ivc.material}`);
    const g = graftLine(ivc);
    if (g) out.push(`  - ${g}`);
  }
  out.push(`- **Expected complexity:** ${complexitySummary(model, plan)}`, '');
  const m = levelMarks(plan);
  const cell = (x: boolean | undefined) => (x === undefined ? 'unknown' : x ? '**involved**' : '—');
  out.push('| level | involvement |', '|---|---|');
  out.push(`| right atrium | ${cell(m.atrium)} |`, `| segment III (hepatic veins → atrium) | ${cell(m.III)} |`);
  out.push(`| segment II (renal → hepatic veins) | ${cell(m.II)} |`, `| segment I (infrarenal) | ${cell(m.I)} |`);
  out.push(`| renal veins | left ${formatValue(plan.inputs?.['renalVeins.left'])}, right ${formatValue(plan.inputs?.['renalVeins.right'])} |`, '');
  out.push('## Decisions', '', '| decision | recommendation | rule(s) |', '|---|---|---|');
  for (const d of model.decisions) {
    const r = plan.decisions[d.id];
    if (!r) continue;
    const rules = r.rule ? [r.rule] : (r.rules ?? []);
    out.push(`| ${esc(r.title)} | ${esc(decisionSummary(model, d.id, r))} | ${rules.map((x) => `\`${x}\``).join(', ')} |`);
  }
  if (plan.complexity?.factors.length) {
    out.push('', '### Complexity factors', '', '| points | factor | status | evidence |', '|---|---|---|---|');
    for (const f of plan.complexity.factors) out.push(`| ${f.points} | ${esc(f.title)} | ${f.status} | ${f.evidence.join(', ')} |`);
    if (plan.complexity.references.length) {
      out.push('', 'Reference figures from published series:', '');
      for (const r of plan.complexity.references) out.push(`- ${r.label}: ${r.figures} [${r.evidence.join(', ')}]`);
    }
  }
  if (plan.invariantViolations.length) {
    out.push('', '## ⚠ Safety invariant violated', '');
    for (const v of plan.invariantViolations) out.push(`- \`${v.invariant}\`: ${v.decision} = ${v.values.join(', ')}`);
  }
  if (plan.warnings.length) {
    out.push('', '## Warnings', '');
    for (const w of plan.warnings) out.push(`- ${w.text} (\`${w.rule}\`)`);
  }
  if (plan.missing.length) {
    out.push('', '## Missing inputs', '', '| input | how to obtain | affects |', '|---|---|---|');
    for (const x of plan.missing) out.push(`| ${esc(x.label)} (\`${x.field}\`) | ${esc(x.workup)} | ${x.decisions.join(', ')} |`);
  }
  if (plan.borderline.length) {
    out.push('', '## Borderline values', '');
    for (const b of plan.borderline) {
      const ch = b.changes.length
        ? b.changes.map((c) => changeSummary(model, c)).join('; ')
        : 'no decision changes';
      out.push(`- \`${b.field}\` = ${b.value}, within ±${b.band} of ${b.threshold} (\`${b.parameter}\`). If ${b.otherSide}: ${ch}.`);
    }
  }
  out.push('', '## Evidence', '');
  for (const e of plan.evidence) out.push(`- **${e.id}** — ${citation(e)}`);
  out.push('', `_${model.intendedUse ?? 'Decision support for the MDT; the team decides.'}_`, '');
  return out.join('\n');
}
