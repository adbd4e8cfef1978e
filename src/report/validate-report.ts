/** `rvlms validate` renderers: text (file:line:col severity code message) and SARIF 2.1.0. */
import { formatDiagnostic, type Diagnostic, type Severity } from '../diagnostics/diagnostic.js';
import type { Finding } from '../analysis/context.js';
import type { ValidationResult } from '../analysis/validate.js';
import { diagnosticResult, sarifLog, sarifRules } from './sarif.js';
import { shortDigest } from '../rules/model.js';
import type { Style } from './style.js';
import { DEFAULT_COLUMNS, keepTogether, wrap } from './wrap.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function severityMark(sev: Severity, s: Style): (t: string) => string {
  return sev === 'error' ? s.red : sev === 'warning' ? s.yellow : s.cyan;
}

/** One finding: its diagnostic line(s), then the counterexample on one line. */
export function findingText(d: Diagnostic & { counterexample?: unknown; region?: Readonly<Record<string, string>> }, s: Style): string {
  const [first, ...rest] = formatDiagnostic(d).split('\n');
  const lines = [first!.replace(` ${d.severity} `, ` ${severityMark(d.severity, s)(d.severity)} `), ...rest.map(s.dim)];
  if (d.rules?.length) lines.push(s.dim(`    rules: ${d.rules.join(', ')}`));
  if (d.counterexample) lines.push(`    counterexample: ${JSON.stringify(d.counterexample)}`);
  if (d.region) lines.push(`    region: ${Object.entries(d.region).map(([f, iv]) => `${f} in ${iv}`).join(', ')}`);
  return lines.join('\n');
}

/** `width`: the columns to wrap the summary lines to (diagnostics stay one line each, for tools that read them). */
export function renderValidateText(r: ValidationResult, s: Style, width = DEFAULT_COLUMNS): string {
  const wrapped = (text: string): string => wrap(text, width, { rest: '  ' }).join('\n');
  const out = r.diagnostics.map((d) => findingText(d, s));
  const { errors, warnings } = r.summary;
  const head = r.ruleset ? `${r.ruleset.name} ${r.ruleset.version} (${shortDigest(r.ruleset.digest)})` : 'rule set';
  if (r.ruleset && r.summary.complete) {
    out.push(
      s.dim(wrapped(`checked ${plural(r.decisions.length, 'decision')} and every invariant over every possible case, by solving (complete): ${r.decisions.map((d) => keepTogether(`${d.id} ${plural(d.inputs, 'input')}`)).join(', ')}`)),
    );
  } else if (r.ruleset) {
    const open = r.decisions.filter((d) => !d.complete).map((d) => d.id);
    const invs = [...new Set(r.incomplete.filter((x) => x.invariant).map((x) => x.invariant))];
    out.push(s.yellow(wrapped(`INCOMPLETE: ${plural(r.incomplete.length, 'check')} not done${open.length ? ` (decisions ${open.join(', ')})` : ''}${invs.length ? ` (invariants ${invs.join(', ')})` : ''}; nothing is claimed for them`)));
  } else out.push(s.dim('the rule files have the errors above; the case-space analysis runs once they are fixed'));
  const verdict = errors ? s.red(plural(errors, 'error')) : s.green('0 errors');
  out.push(`rvlms validate: ${head} — ${verdict}, ${plural(warnings, 'warning')}${r.summary.status === 'incomplete' ? ', incomplete' : ''}`);
  return out.join('\n') + '\n';
}

/** SARIF 2.1.0: one rule per finding code, one result per finding, positions as regions. */
export function renderSarif(r: ValidationResult, toolVersion: string): string {
  const codes = [...new Set(r.diagnostics.map((d) => d.code))].sort();
  const rules = sarifRules(codes, (code) => r.diagnostics.find((d) => d.code === code)!.severity);
  const results = r.diagnostics.map((d: Finding) =>
    diagnosticResult(d, codes, {
      ...(d.decision ? { decision: d.decision } : {}),
      ...(d.counterexample ? { counterexample: d.counterexample } : {}),
      ...(d.region ? { region: d.region } : {}),
    }),
  );
  return sarifLog(toolVersion, rules, results, { ...(r.ruleset ? { ruleset: r.ruleset } : {}), analysis: r.summary.status, ...(r.incomplete.length ? { incomplete: r.incomplete } : {}) });
}
