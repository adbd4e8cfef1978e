/** rvlms validate: read the rule folder → validate (schema, then the solver over every case) → render. */
import { InputError } from '../../diagnostics/diagnostic.js';
import { emit } from '../emit.js';
import type { ValidateFormat } from '../formats.js';
import type { ExitCode, Io } from '../io.js';
import { outputColumns } from '../../report/wrap.js';

export interface AnalysisLimitOptions {
  /** Whole analysis, in seconds. */
  readonly timeBudget?: number;
  /** Solver work per question (Z3 resource units). */
  readonly solverSteps?: number;
  /** Solver memory, in MB. */
  readonly maxMemory?: number;
  readonly allowIncomplete: boolean;
}

export interface ValidateOptions extends AnalysisLimitOptions {
  readonly rules?: string;
  readonly format: ValidateFormat;
}

/** A positive number from a command-line flag (exit 2 otherwise). */
export function parsePositive(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InputError([{ severity: 'error', code: 'usage/number', message: `${flag} must be a positive number, not "${text}"` }]);
  return n;
}

/** The analysis limits of the flags; the clock is read here, at the edge. */
export async function limitsOf(o: AnalysisLimitOptions) {
  const { DEFAULT_LIMITS } = await import('../../analysis/symbolic/solve.js');
  const start = performance.now();
  const budget = (o.timeBudget ?? DEFAULT_TIME_BUDGET_S) * 1000;
  return {
    steps: o.solverSteps ?? DEFAULT_LIMITS.steps,
    memoryMb: o.maxMemory ?? DEFAULT_LIMITS.memoryMb,
    remainingMs: () => budget - (performance.now() - start),
  };
}

export const DEFAULT_TIME_BUDGET_S = 600;

export async function runValidate(opts: ValidateOptions, io: Io, version: string): Promise<ExitCode> {
  const { readRulesFolder } = await import('../../analysis/load.js');
  const { validateRules } = await import('../../analysis/validate.js');
  const result = await validateRules(readRulesFolder(opts.rules, io.cwd), { limits: await limitsOf(opts), allowIncomplete: opts.allowIncomplete });
  const report = () => import('../../report/validate-report.js');
  await emit(io, opts.format, result, {
    sarif: async () => (await report()).renderSarif(result, version),
    text: async (style) => (await report()).renderValidateText(result, style, outputColumns(io.columns)),
  });
  return result.summary.errors > 0 ? 1 : 0;
}
