/** rvlms plan: load → validate → evaluate → render. */
import { readInput } from '../../io/read.js';
import { parseCaseText } from '../../case/load.js';
import { InputError } from '../../diagnostics/diagnostic.js';
import { loadRuleset } from '../../rules/load.js';
import { compileRuleset } from '../../engine/compile.js';
import { evaluate } from '../../engine/evaluate.js';
import type { ExitCode, Io } from '../io.js';

export interface PlanOptions {
  readonly casePath: string;
  readonly rules?: string;
  readonly format: 'text' | 'json' | 'markdown';
  readonly explain: boolean;
}

export async function runPlan(opts: PlanOptions, io: Io): Promise<ExitCode> {
  const text = readInput(opts.casePath);
  const loaded = await parseCaseText(text, opts.casePath);
  if (!loaded.ok) throw new InputError(loaded.diagnostics);
  const { model } = await loadRuleset(opts.rules);
  const rs = compileRuleset(model);
  const plan = evaluate(loaded.value, rs, { trace: true });
  if (opts.format === 'json') {
    const { renderJson } = await import('../../report/json.js');
    io.out(renderJson(plan));
  } else if (opts.format === 'markdown') {
    const { renderPlanMarkdown } = await import('../../report/plan-markdown.js');
    io.out(renderPlanMarkdown(plan, model));
  } else {
    const { renderPlanText } = await import('../../report/plan-text.js');
    const { makeStyle } = await import('../../report/style.js');
    io.out(renderPlanText(plan, model, await makeStyle(io.colorOut), { explain: opts.explain }));
  }
  if (plan.invariantViolations.length) {
    io.err(`rvlms: safety invariant violated: ${plan.invariantViolations.map((v) => v.invariant).join(', ')}\n`);
    return 1;
  }
  return 0;
}
