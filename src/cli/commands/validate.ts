/** rvlms validate: read the rule folder → validate (schema, then exhaustive analysis) → render. */
import { emit } from '../emit.js';
import type { ExitCode, Io } from '../io.js';

export interface ValidateOptions {
  readonly rules?: string;
  readonly format: 'text' | 'json' | 'sarif';
}

export async function runValidate(opts: ValidateOptions, io: Io, version: string): Promise<ExitCode> {
  const { readRulesFolder } = await import('../../analysis/load.js');
  const { validateRules } = await import('../../analysis/validate.js');
  const result = validateRules(readRulesFolder(opts.rules, io.cwd));
  const report = () => import('../../report/validate-report.js');
  await emit(io, opts.format, result, {
    sarif: async () => (await report()).renderSarif(result, version),
    text: async (style) => (await report()).renderValidateText(result, style),
  });
  return result.summary.errors > 0 ? 1 : 0;
}
