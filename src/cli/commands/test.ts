/** rvlms test: fixture files + rule set → golden run and coverage → render. */
import { resolve } from 'node:path';
import { InputError } from '../../diagnostics/diagnostic.js';
import { emit } from '../emit.js';
import type { ExitCode, Io } from '../io.js';
import type { GoldenSource } from '../../analysis/golden.js';
import type { RulesetModel } from '../../rules/model.js';

export interface TestOptions {
  readonly fixtures: readonly string[];
  readonly rules?: string;
  readonly format: 'text' | 'json' | 'junit';
  readonly threshold?: number;
  readonly explain: 'fails' | 'full' | 'off';
}

export const DEFAULT_FIXTURES = 'fixtures/golden';

/** Codes that mean a file could not be read as fixtures at all. */
const UNREADABLE_FIXTURE = /^golden\/(yaml|yaml-tag|schema|duplicate-key|too-deep|alias-limit|too-many-errors)$/;

/** --threshold: a percentage from 0 to 100 (exit 2 otherwise). */
export function parseThreshold(text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100)
    throw new InputError([{ severity: 'error', code: 'usage/threshold', message: `--threshold must be a percentage from 0 to 100, not "${text}"` }]);
  return n;
}

export async function runTest(opts: TestOptions, io: Io): Promise<ExitCode> {
  const { readFixtureSources, fixtureCaseResolver } = await import('../../analysis/load.js');
  const { loadRuleset } = await import('../../rules/load.js');
  const { compileRuleset } = await import('../../engine/compile.js');
  const { runTests } = await import('../../analysis/testing.js');
  const report = () => import('../../report/test-report.js');
  let model: RulesetModel;
  let sources: GoldenSource[];
  try {
    sources = readFixtureSources(opts.fixtures.length ? opts.fixtures : [DEFAULT_FIXTURES], io.cwd);
    model = (await loadRuleset(opts.rules === undefined ? undefined : resolve(io.cwd, opts.rules))).model;
  } catch (e) {
    // a CI report still says what went wrong (the error also goes to stderr, exit 2)
    if (e instanceof InputError && opts.format === 'junit') io.out((await report()).renderJunitFailure(e.diagnostics));
    throw e;
  }
  const result = runTests(sources, model, compileRuleset(model), fixtureCaseResolver(io.cwd), {
    explain: opts.explain,
    ...(opts.threshold !== undefined ? { threshold: opts.threshold } : {}),
  });
  await emit(io, opts.format, result, {
    junit: async () => (await report()).renderJunit(result),
    text: async (style) => (await report()).renderTestText(result, model, style),
  });
  // a file that is not a fixture file (YAML or fixture-schema errors) is bad input, not a failing fixture
  if (result.diagnostics.some((d) => d.severity === 'error' && UNREADABLE_FIXTURE.test(d.code))) return 2;
  return result.ok ? 0 : 1;
}
