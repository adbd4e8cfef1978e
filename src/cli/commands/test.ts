/** rvlms test: fixture files + rule set → golden run and coverage → render. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { emit } from '../emit.js';
import type { TestFormat } from '../formats.js';
import type { ExitCode, Io } from '../io.js';
import type { GoldenSource } from '../../analysis/golden.js';
import type { FileUpdate } from '../../analysis/golden-update.js';
import type { TestResult } from '../../analysis/testing.js';
import type { RulesetModel } from '../../rules/model.js';

export interface TestOptions {
  readonly fixtures: readonly string[];
  readonly rules?: string;
  readonly format: TestFormat;
  readonly threshold?: number;
  readonly explain: 'fails' | 'full' | 'off';
  /** --run: a regular expression over fixture names. */
  readonly run?: string;
  /** --update: rewrite the expectations of failing fixtures. */
  readonly update?: boolean;
}

export const DEFAULT_FIXTURES = 'fixtures/golden';

/**
 * Bad input, not a failing fixture: a fixture file that cannot be read as fixtures (the YAML
 * reader's and the fixture schema's golden/* codes; duplicates are findings), or a --run
 * pattern that selects nothing.
 */
const FIXTURE_FINDINGS: ReadonlySet<string> = new Set(['golden/duplicate-name', 'golden/duplicate-case']);
const isBadInput = (d: Diagnostic): boolean => d.severity === 'error' && ((d.code.startsWith('golden/') && !FIXTURE_FINDINGS.has(d.code)) || d.code === 'test/no-match');

/** --run: a regular expression (exit 2 when it is not one). */
export function parseRunPattern(text: string): RegExp {
  try {
    return new RegExp(text, 'u');
  } catch (e) {
    throw new InputError([{ severity: 'error', code: 'usage/run-pattern', message: `--run must be a regular expression over fixture names: ${e instanceof Error ? e.message : String(e)}` }]);
  }
}

/** --threshold: a percentage from 0 to 100 (exit 2 otherwise). */
export function parseThreshold(text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100)
    throw new InputError([{ severity: 'error', code: 'usage/threshold', message: `--threshold must be a percentage from 0 to 100, not "${text}"` }]);
  return n;
}

/** The rewritten fixture files, each atomically; none when a rewritten file no longer reads as fixtures (a fault of the rewrite). */
async function writeUpdates(files: readonly FileUpdate[], result: TestResult, io: Io): Promise<void> {
  const broken = result.diagnostics.filter((d) => isBadInput(d) && files.some((f) => f.file === d.file));
  if (broken.length)
    throw new InputError(broken.map((d) => ({ ...d, code: 'test/update-failed', message: `the rewritten fixture file would not read (${d.code}: ${d.message}); nothing was written` })));
  const { AtomicFileOutput } = await import('../../batch/output.js');
  for (const f of files) {
    // a symbolic link is followed: the fixture is the file it points to
    const out = new AtomicFileOutput(resolve(io.cwd, f.file), { force: true });
    await out.write(f.text);
    await out.finish();
  }
}

/**
 * Without fixture paths, the default folder must be there: unlike the rules, which default to
 * the shipped rule set wherever rvlms runs, the fixtures default to a folder of the current one.
 */
function defaultFixturesPresent(cwd: string): void {
  if (existsSync(resolve(cwd, DEFAULT_FIXTURES))) return;
  throw new InputError([
    {
      file: DEFAULT_FIXTURES,
      severity: 'error',
      code: 'io/not-found',
      message: `no fixture paths were given, and the default, ${DEFAULT_FIXTURES}/ in the current folder (${cwd}), does not exist`,
      suggestion: 'give the fixture files or folders to run: rvlms test FIXTURES.yaml … (--rules defaults to the shipped rule set; the fixtures have no default outside a rule project)',
    },
  ]);
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
    if (!opts.fixtures.length) defaultFixturesPresent(io.cwd);
    sources = readFixtureSources(opts.fixtures.length ? opts.fixtures : [DEFAULT_FIXTURES], io.cwd);
    model = (await loadRuleset(opts.rules === undefined ? undefined : resolve(io.cwd, opts.rules))).model;
  } catch (e) {
    // a CI report still says what went wrong (the error also goes to stderr, exit 2)
    if (e instanceof InputError && opts.format === 'junit') io.out((await report()).renderJunitFailure(e.diagnostics));
    throw e;
  }
  const pattern = opts.run !== undefined ? parseRunPattern(opts.run) : undefined;
  const options = {
    explain: opts.explain,
    ...(opts.threshold !== undefined ? { threshold: opts.threshold } : {}),
    ...(pattern ? { only: (name: string) => pattern.test(name), pattern: opts.run! } : {}),
  };
  const rs = compileRuleset(model);
  let result: TestResult;
  if (opts.update) {
    const { updateTests } = await import('../../analysis/testing.js');
    const updated = updateTests(sources, model, rs, fixtureCaseResolver(io.cwd), options);
    result = updated.result;
    await writeUpdates(updated.files, result, io);
  } else result = runTests(sources, model, rs, fixtureCaseResolver(io.cwd), options);
  await emit(io, opts.format, result, {
    junit: async () => (await report()).renderJunit(result),
    text: async (style) => (await report()).renderTestText(result, model, style, opts.explain === 'full' ? Infinity : undefined),
  });
  if (result.diagnostics.some(isBadInput)) return 2;
  return result.ok ? 0 : 1;
}
