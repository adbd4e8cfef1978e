/** A case file planned in process with the shipped (or given) rules, explained and rendered as the handout. */
import { readFileSync } from 'node:fs';
import { parseCaseText } from '../../src/case/load.js';
import { compileRuleset } from '../../src/engine/compile.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { loadRuleset } from '../../src/rules/load.js';
import { explainPlan, type ExplainedPlan } from '../../src/report/plan-explain.js';
import { renderPlanHtml } from '../../src/report/plan-html.js';
import type { RulesetModel } from '../../src/rules/model.js';

export async function explainedCase(file: string, opts: { date?: string; rules?: string } = {}): Promise<{ plan: ExplainedPlan; model: RulesetModel }> {
  const loaded = await parseCaseText(readFileSync(file, 'utf8'), file);
  if (!loaded.ok) throw new Error(`${file}: invalid case`);
  const { model } = await loadRuleset(opts.rules);
  const plan = explainPlan(evaluate(loaded.value, compileRuleset(model), { trace: true }), model, opts.date ? { date: opts.date } : {});
  return { plan, model };
}

export async function renderHandout(file: string, opts: { date?: string; rules?: string } = {}): Promise<string> {
  const { plan, model } = await explainedCase(file, opts);
  return renderPlanHtml(plan, model);
}
