/**
 * rvlms diff: two rule sets (folders or git refs; head defaults to the working tree's rule
 * folder) → both over the whole case space and, with --cases, over historical cases (read
 * with batch's readers) → render.
 */
import { resolve } from 'node:path';
import { InputError, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { RuleSource } from '../../rules/build.js';
import type { DiffSide, HistoryDiff } from '../../analysis/diff.js';
import { emit } from '../emit.js';
import type { DiffFormat } from '../formats.js';
import type { ExitCode, Io } from '../io.js';
import { outputColumns } from '../../report/wrap.js';
import { limitsOf, type AnalysisLimitOptions } from './validate.js';

export interface DiffOptions {
  readonly base: string;
  readonly head?: string;
  readonly cases?: string;
  readonly format: DiffFormat;
  readonly failOnChange: boolean;
  readonly rulesPath: string;
}

export type DiffCommandOptions = DiffOptions & AnalysisLimitOptions;

async function side(label: string, sources: RuleSource[]): Promise<DiffSide> {
  const { buildRuleset } = await import('../../rules/build.js');
  const { compileRuleset } = await import('../../engine/compile.js');
  const built = buildRuleset(sources);
  if (!built.model) throw new InputError(built.diagnostics.filter((d) => d.severity === 'error'));
  return { label, model: built.model, rs: compileRuleset(built.model) };
}

interface Inputs {
  readonly base: DiffSide;
  readonly head: DiffSide;
  readonly history?: HistoryDiff;
}

/** Both rule sets and the historical cases; throws an InputError when any cannot be read. */
async function readInputs(opts: DiffCommandOptions, io: Io): Promise<Inputs> {
  const { readRuleSide, shownPath } = await import('../../analysis/load.js');
  const { readRuleSources } = await import('../../rules/load.js');
  const { HistoryDiff } = await import('../../analysis/diff.js');
  const b = readRuleSide(opts.base, opts.rulesPath, io.cwd);
  const h =
    opts.head !== undefined
      ? readRuleSide(opts.head, opts.rulesPath, io.cwd)
      : { label: `${shownPath(opts.rulesPath, io.cwd)} (working tree)`, sources: readRuleSources(resolve(io.cwd, opts.rulesPath), shownPath(opts.rulesPath, io.cwd)) };
  const base = await side(b.label, b.sources);
  const head = await side(h.label, h.sources);
  if (opts.cases === undefined) return { base, head };
  const history = new HistoryDiff(base, head);
  const { resolveInputs, readInputItems } = await import('../../batch/inputs.js');
  const { validateCase } = await import('../../case/schema.js');
  const [spec] = resolveInputs([opts.cases]);
  for await (const item of readInputItems(spec!)) {
    if ('diagnostics' in item) {
      history.addInvalid(item.diagnostics);
      continue;
    }
    const v = validateCase(item.data, item.source.file);
    if (v.ok) history.add(v.value.id, v.value);
    else history.addInvalid(v.diagnostics.map((d) => (item.source.line !== undefined && d.line === undefined ? { ...d, line: item.source.line } : d)));
  }
  return { base, head, history };
}

type Report = typeof import('../../report/diff-report.js');

/**
 * The report of a diff whose inputs cannot be read, per format: a pull-request comment, a
 * code-scanning upload or a CI step parsing the JSON still gets one that says why. Text has
 * none: the errors go to stderr, as for every command.
 */
const FAILURE: Readonly<Partial<Record<DiffFormat, (report: Report, diagnostics: readonly Diagnostic[], version: string) => string>>> = {
  json: (report, diagnostics) => report.renderDiffFailureJson(diagnostics),
  markdown: (report, diagnostics) => report.renderDiffFailureMarkdown(diagnostics),
  sarif: (report, diagnostics, version) => report.renderDiffFailureSarif(diagnostics, version),
};

export async function runDiff(opts: DiffCommandOptions, io: Io, version: string): Promise<ExitCode> {
  const report = () => import('../../report/diff-report.js');
  let inputs: Inputs;
  try {
    inputs = await readInputs(opts, io);
  } catch (e) {
    // the error also goes to stderr, exit 2
    if (e instanceof InputError) {
      const failure = FAILURE[opts.format];
      if (failure) io.out(failure(await report(), e.diagnostics, version));
    }
    throw e;
  }
  const { diffRulesets } = await import('../../analysis/diff.js');
  const { base, head, history } = inputs;
  const result = await diffRulesets(base, head, history, await limitsOf(opts));
  await emit(io, opts.format, result, {
    markdown: async () => (await report()).renderDiffMarkdown(result),
    sarif: async () => (await report()).renderDiffSarif(result, head.model, version),
    text: async (style) => (await report()).renderDiffText(result, style, outputColumns(io.columns)),
  });
  if (!result.complete && !opts.allowIncomplete) return 1;
  return opts.failOnChange && result.changed ? 1 : 0;
}
