/** rvlms plan: load → validate → evaluate → explain → render. */
import { readInput } from '../../io/read.js';
import { parseCaseText } from '../../case/load.js';
import { InputError } from '../../diagnostics/diagnostic.js';
import { loadRuleset } from '../../rules/load.js';
import { compileRuleset } from '../../engine/compile.js';
import { evaluate } from '../../engine/evaluate.js';
import { emit } from '../emit.js';
import { explainPlan } from '../../report/plan-explain.js';
import { renderPlanText } from '../../report/plan-text.js';
import { outputColumns } from '../../report/wrap.js';
import type { PlanFormat } from '../formats.js';
import type { ExitCode, Io } from '../io.js';

export type { PlanFormat } from '../formats.js';

export interface PlanOptions {
  readonly casePath: string;
  readonly rules?: string;
  readonly format: PlanFormat;
  readonly explain: boolean;
  /** YYYY-MM-DD printed on the plan; never taken from the clock. */
  readonly date?: string;
}

/** A calendar date written YYYY-MM-DD that exists (2025-02-30 does not). */
export function checkDate(text: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const ok = m !== null && (() => {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const t = new Date(Date.UTC(y, mo - 1, d));
    return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
  })();
  if (!ok) throw new InputError([{ severity: 'error', code: 'usage/date', message: `--date must be a calendar date written YYYY-MM-DD, not "${text}"` }]);
  return text;
}

export async function runPlan(opts: PlanOptions, io: Io): Promise<ExitCode> {
  const date = opts.date === undefined ? undefined : checkDate(opts.date);
  const text = readInput(opts.casePath, undefined, (kind) => {
    if (kind === 'tty') io.err('rvlms: reading the case from the terminal; end it with Ctrl-D (or give a file)\n');
    else if (io.stderrIsTTY) io.err(`rvlms: ${opts.casePath} is a FIFO: waiting for a writer\n`);
  });
  const loaded = await parseCaseText(text, opts.casePath);
  if (!loaded.ok) throw new InputError(loaded.diagnostics);
  const { model } = await loadRuleset(opts.rules);
  const rs = compileRuleset(model);
  const plan = explainPlan(evaluate(loaded.value, rs, { trace: true }), model, date ? { date } : {});
  const explain = { explain: opts.explain };
  await emit(io, opts.format, plan, {
    markdown: async () => (await import('../../report/plan-markdown.js')).renderPlanMarkdown(plan, model, explain),
    html: async () => (await import('../../report/plan-html.js')).renderPlanHtml(plan, model, explain),
    text: (style) => Promise.resolve(renderPlanText(plan, model, style, { ...explain, width: outputColumns(io.columns) })),
  });
  if (plan.invariantViolations.length) {
    io.err(`rvlms: safety invariant violated: ${plan.invariantViolations.map((v) => v.invariant).join(', ')}\n`);
    return 1;
  }
  return 0;
}
