/** `rvlms test` renderers: text (failures with their trace, coverage, summary) and JUnit XML. */
import { formatDiagnostic, formatLocation, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { TestCase, TestResult } from '../analysis/testing.js';
import type { RulesetModel } from '../rules/model.js';
import { renderTraceText } from './plan-text.js';
import { findingText } from './validate-report.js';
import type { Style } from './style.js';

const showValue = (v: string | readonly string[]): string => (Array.isArray(v) ? `[${v.join(', ')}]` : String(v));

/**
 * Failing cases whose trace the text shows: a rule change that fails many fixtures would
 * otherwise print thousands of lines before the summary. JSON keeps every trace.
 */
export const TRACED_FAILURES = 5;

/** `tracedFailures`: how many failing cases get their trace (--explain full: all of them). */
export function renderTestText(r: TestResult, model: RulesetModel, s: Style, tracedFailures = TRACED_FAILURES): string {
  const out: string[] = [];
  for (const d of r.diagnostics.filter((x) => x.code !== 'test/coverage')) out.push(findingText(d, s));
  let traced = 0;
  let untraced = 0;
  for (const c of r.cases) {
    if (c.status === 'pass' && !c.trace) continue;
    const tag = c.status === 'pass' ? s.green('PASS') : c.status === 'fail' ? s.red('FAIL') : s.red('ERROR');
    out.push(`${tag} ${formatLocation(c)} ${c.name}`);
    for (const f of c.failures) out.push(`    ${formatDiagnostic(f).split('\n').join('\n    ')}`);
    if (!c.trace) continue;
    if (c.status === 'fail' && traced >= tracedFailures) untraced++;
    else {
      if (c.status === 'fail') traced++;
      out.push(...renderTraceText(c.trace, model, s).map((l) => `  ${l}`));
    }
  }
  if (untraced) out.push(s.dim(`traces of ${untraced} more failing case${untraced === 1 ? '' : 's'} not shown: --run NAME for one, --explain full for all, --format json for every trace`));
  for (const u of r.updates ?? []) {
    out.push(`${s.yellow('UPDATED')} ${formatLocation(u)} ${u.fixture}`);
    for (const c of u.changes) out.push(`    ${c.path}: ${showValue(c.old)} → ${c.new === null ? '(removed)' : showValue(c.new)}`);
    for (const k of u.kept) out.push(s.red(`    not updated: ${k}`));
  }
  if (r.run) out.push(`--run ${JSON.stringify(r.run.pattern)}: ${r.summary.total} fixture${r.summary.total === 1 ? '' : 's'} run, ${r.run.notRun} not run`);
  const cov = r.coverage;
  out.push(
    `coverage: rules ${cov.rules.covered}/${cov.rules.total} (${cov.rules.percent} %), outcomes ${cov.outcomes.covered}/${cov.outcomes.total} (${cov.outcomes.percent} %)${
      r.threshold !== undefined ? ` — threshold ${r.threshold} %` : ''
    }`,
  );
  // a --run subset leaves most rules uncovered by design: listed only when a threshold asks
  if (!r.run || r.threshold !== undefined) {
    for (const u of cov.rules.uncovered) out.push(s.yellow(`  rule never decides in a fixture: ${u.rule} (${u.decision}) ${s.dim(formatLocation(u.src))}`));
    for (const u of cov.outcomes.uncovered) out.push(s.yellow(`  outcome no fixture reaches: ${u.decision} = ${u.value}`));
  }
  for (const d of r.diagnostics.filter((x) => x.code === 'test/coverage')) out.push(s.red(`${d.severity} ${d.code} ${d.message}`));
  const { total, passed, failed, errors } = r.summary;
  const changed = (r.updates ?? []).filter((u) => u.changes.length).length;
  out.push(
    `${r.ok ? s.green('PASS') : s.red('FAIL')}: ${passed}/${total} passed${failed ? `, ${failed} failed` : ''}${errors ? `, ${errors} errors` : ''}${r.updates ? `, ${changed} fixture${changed === 1 ? '' : 's'} updated` : ''}`,
  );
  return out.join('\n') + '\n';
}

/** XML 1.0 text: the five entities escaped and characters XML cannot carry dropped. */
export function xmlEscape(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const attrs = (a: Record<string, string | number | undefined>): string =>
  Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`)
    .join('');

function testcaseXml(c: TestCase, suite: string): string {
  const head = `    <testcase${attrs({ classname: suite, name: c.name, file: c.file, line: c.line })}`;
  if (c.status === 'pass') return `${head}/>`;
  const tag = c.status === 'fail' ? 'failure' : 'error';
  const first = c.failures[0];
  const body = c.failures.map(formatDiagnostic).join('\n');
  return `${head}>\n      <${tag}${attrs({ message: first?.message ?? c.status, type: first?.code ?? c.status })}>${xmlEscape(body)}</${tag}>\n    </testcase>`;
}

/** A testsuite of problems that are not fixtures (unreadable files, coverage, a rule set that does not load): one errored testcase each. */
function problemSuite(name: string, diagnostics: readonly Diagnostic[]): string {
  const cases = diagnostics.map((d, i): TestCase => ({
    name: `${d.code} ${i + 1}`,
    ...(d.file ? { file: d.file } : {}),
    ...(d.line !== undefined ? { line: d.line } : {}),
    status: 'error',
    failures: [d],
  }));
  return [`  <testsuite${attrs({ name, tests: cases.length, failures: 0, errors: cases.length })}>`, ...cases.map((c) => testcaseXml(c, 'rvlms')), '  </testsuite>'].join('\n');
}

const junitDocument = (tests: number, failures: number, errors: number, suites: readonly string[]): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${attrs({ name: 'rvlms test', tests, failures, errors })}>\n${suites.join('\n')}\n</testsuites>\n`;

/** JUnit XML: one testsuite per fixture file, one testcase per fixture; fixture-file problems and coverage as their own suite. */
export function renderJunit(r: TestResult): string {
  const files = [...new Set(r.cases.map((c) => c.file ?? '(fixtures)'))];
  const suites = files.map((file) => {
    const cases = r.cases.filter((c) => (c.file ?? '(fixtures)') === file);
    const failures = cases.filter((c) => c.status === 'fail').length;
    const errors = cases.filter((c) => c.status === 'error').length;
    return [`  <testsuite${attrs({ name: file, tests: cases.length, failures, errors })}>`, ...cases.map((c) => testcaseXml(c, file)), '  </testsuite>'].join('\n');
  });
  const extra = r.diagnostics.length;
  if (extra) suites.push(problemSuite('rvlms fixtures and coverage', r.diagnostics));
  return junitDocument(r.summary.total + extra, r.summary.failed, r.summary.errors + extra, suites);
}

/** JUnit XML when nothing could be run (the rule set or the fixtures could not be read): the reasons, as errored testcases. */
export function renderJunitFailure(diagnostics: readonly Diagnostic[]): string {
  return junitDocument(diagnostics.length, 0, diagnostics.length, [problemSuite('rvlms: nothing was run', diagnostics)]);
}
