/**
 * `rvlms test`, the pure core: golden fixtures (golden.ts) plus coverage — which rules
 * never decide (or contribute) in any fixture, and which decision outcomes no fixture
 * reaches — and the --threshold verdict. One result object for every renderer.
 */
import type { Diagnostic, SourceRef } from '../diagnostics/diagnostic.js';
import type { CompiledRuleset } from '../engine/compile.js';
import type { Plan, RuleTrace } from '../engine/evaluate.js';
import type { RulesetModel } from '../rules/model.js';
import { isMismatch, runGolden, type CaseResolver, type GoldenOptions, type GoldenResult, type GoldenSource, type Mismatch } from './golden.js';
import { updateFixtures, type FileUpdate, type FixtureUpdate } from './golden-update.js';

export const TEST_SCHEMA_VERSION = 1;

export interface TestCase {
  readonly name: string;
  readonly file?: string;
  readonly line?: number;
  readonly col?: number;
  readonly status: 'pass' | 'fail' | 'error';
  /** golden/mismatch failures carry decision, field, expected and actual. */
  readonly failures: readonly (Diagnostic | Mismatch)[];
  /** The rule trace, when explained (--explain fails: failing cases; full: all). */
  readonly trace?: readonly RuleTrace[];
}

export interface Coverage {
  readonly rules: { readonly total: number; readonly covered: number; readonly percent: number; readonly uncovered: readonly { readonly rule: string; readonly decision: string; readonly src: SourceRef }[] };
  readonly outcomes: { readonly total: number; readonly covered: number; readonly percent: number; readonly uncovered: readonly { readonly decision: string; readonly value: string }[] };
}

export interface TestResult {
  readonly schemaVersion: number;
  readonly ruleset: { readonly name: string; readonly version: string; readonly digest: string };
  readonly summary: { readonly total: number; readonly passed: number; readonly failed: number; readonly errors: number };
  readonly cases: readonly TestCase[];
  readonly coverage: Coverage;
  readonly threshold?: number;
  /** --run: the name pattern and how many fixtures it left out. */
  readonly run?: { readonly pattern: string; readonly notRun: number };
  /** --update: the expectations rewritten, per fixture (after which the fixtures ran again). */
  readonly updates?: readonly FixtureUpdate[];
  /** Problems with the fixture files themselves, and the coverage verdict. */
  readonly diagnostics: readonly Diagnostic[];
  readonly ok: boolean;
}

export interface TestOptions extends GoldenOptions {
  /** Minimum rule and outcome coverage, in percent. */
  readonly threshold?: number;
  /** The --run pattern, as given (`only` is its test). */
  readonly pattern?: string;
}

const pct = (covered: number, total: number): number => (total === 0 ? 100 : Math.floor((covered / total) * 1000) / 10);

/** Rules that decided (priority) or contributed (collect, score), and outcomes reached. */
export function coverageOf(model: RulesetModel, plans: readonly Plan[]): Coverage {
  const usedRules = new Set<string>();
  const reached = new Set<string>();
  for (const plan of plans)
    for (const d of model.decisions) {
      const r = plan.decisions[d.id];
      if (!r) continue;
      if (r.rule) usedRules.add(r.rule);
      for (const id of r.rules ?? []) usedRules.add(id);
      if (r.status === 'determined' || r.hitPolicy === 'collect')
        for (const v of Array.isArray(r.value) ? (r.value as string[]) : [r.value as string]) reached.add(`${d.id}\0${v}`);
    }
  const uncoveredRules = model.decisions.flatMap((d) =>
    d.rules.filter((id) => !usedRules.has(id)).map((id) => ({ rule: id, decision: d.id, src: model.rules.find((r) => r.id === id)!.src })),
  );
  const outcomes = model.decisions.flatMap((d) => Object.keys(d.values).map((value) => ({ decision: d.id, value })));
  const uncoveredOutcomes = outcomes.filter((o) => !reached.has(`${o.decision}\0${o.value}`));
  const ruleTotal = model.rules.length;
  return {
    rules: { total: ruleTotal, covered: ruleTotal - uncoveredRules.length, percent: pct(ruleTotal - uncoveredRules.length, ruleTotal), uncovered: uncoveredRules },
    outcomes: {
      total: outcomes.length,
      covered: outcomes.length - uncoveredOutcomes.length,
      percent: pct(outcomes.length - uncoveredOutcomes.length, outcomes.length),
      uncovered: uncoveredOutcomes,
    },
  };
}

export function runTests(sources: readonly GoldenSource[], model: RulesetModel, rs: CompiledRuleset, resolve: CaseResolver, options: TestOptions = {}): TestResult {
  const explain = options.explain ?? 'fails';
  return summarize(runGolden(sources, rs, resolve, { explain, ...(options.only ? { only: options.only } : {}) }), model, options);
}

/**
 * --update: run, rewrite the expectations of the failing fixtures (golden-update.ts), run
 * again on the new texts. Returns the result of the second run, with the changes, and the
 * files to write.
 */
export function updateTests(
  sources: readonly GoldenSource[],
  model: RulesetModel,
  rs: CompiledRuleset,
  resolve: CaseResolver,
  options: TestOptions = {},
): { result: TestResult; files: readonly FileUpdate[] } {
  const first = runGolden(sources, rs, resolve, options.only ? { only: options.only } : {});
  const files = updateFixtures(sources, first.cases);
  const texts = new Map(files.map((f) => [f.file, f.text]));
  const updated = sources.map((s) => ({ file: s.file, text: texts.get(s.file) ?? s.text }));
  const result = runTests(updated, model, rs, resolve, options);
  return { result: { ...result, updates: files.flatMap((f) => f.fixtures) }, files: files.filter((f) => f.text !== sources.find((s) => s.file === f.file)!.text) };
}

/**
 * The trace --explain fails shows: the rules of the decisions the case fails on (each of
 * their decision conditions shows the earlier decision's value it read). Every decision
 * when a failure names none. The whole trace of a plan is some hundred lines a case.
 */
function failingTrace(trace: readonly RuleTrace[], failures: readonly Diagnostic[]): readonly RuleTrace[] {
  const decisions = new Set<string>();
  for (const f of failures) {
    const decision = isMismatch(f) ? f.decision : undefined;
    if (decision === undefined) return trace;
    decisions.add(decision);
  }
  return trace.filter((t) => decisions.has(t.decision));
}

function summarize(golden: GoldenResult, model: RulesetModel, options: TestOptions): TestResult {
  const explain = options.explain ?? 'fails';
  const cases: TestCase[] = golden.cases.map((c) => ({
    name: c.name,
    ...(c.src.file !== undefined ? { file: c.src.file } : {}),
    ...(c.src.line !== undefined ? { line: c.src.line, col: c.src.col ?? 1 } : {}),
    status: c.status,
    failures: c.failures,
    ...(c.plan?.trace && explain === 'full' ? { trace: c.plan.trace } : {}),
    ...(c.plan?.trace && explain === 'fails' && c.status === 'fail' ? { trace: failingTrace(c.plan.trace, c.failures) } : {}),
  }));
  const coverage = coverageOf(model, golden.cases.flatMap((c) => (c.plan ? [c.plan] : [])));
  const diagnostics: Diagnostic[] = [...golden.diagnostics];
  if (cases.length === 0 && golden.notRun > 0)
    diagnostics.push({ severity: 'error', code: 'test/no-match', message: `no fixture name matches --run ${JSON.stringify(options.pattern ?? '')} (${golden.notRun} not run)` });
  else if (cases.length === 0 && golden.diagnostics.length === 0) diagnostics.push({ severity: 'error', code: 'test/no-cases', message: 'the fixture files hold no cases' });
  const t = options.threshold;
  if (t !== undefined)
    for (const [what, c] of [['rule', coverage.rules], ['outcome', coverage.outcomes]] as const)
      if (c.percent < t) diagnostics.push({ severity: 'error', code: 'test/coverage', message: `${what} coverage ${c.percent} % is below the threshold of ${t} %` });
  const count = (s: TestCase['status']) => cases.filter((c) => c.status === s).length;
  const summary = { total: cases.length, passed: count('pass'), failed: count('fail'), errors: count('error') };
  return {
    schemaVersion: TEST_SCHEMA_VERSION,
    ruleset: { name: model.name, version: model.version, digest: model.digest },
    summary,
    cases,
    coverage,
    ...(t !== undefined ? { threshold: t } : {}),
    ...(options.only ? { run: { pattern: options.pattern ?? '', notRun: golden.notRun } } : {}),
    diagnostics,
    ok: summary.failed === 0 && summary.errors === 0 && !diagnostics.some((d) => d.severity === 'error'),
  };
}
