/** `rvlms validate` renderers: text (file:line:col severity code message) and SARIF 2.1.0. */
import { formatDiagnostic, type Diagnostic, type Severity } from '../diagnostics/diagnostic.js';
import type { Finding } from '../analysis/context.js';
import type { ValidationResult } from '../analysis/validate.js';
import { codeInfo, DOCS_URL } from '../analysis/codes.js';
import { shortDigest } from './plan-common.js';
import type { Style } from './style.js';

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

export function renderValidateText(r: ValidationResult, s: Style): string {
  const out = r.diagnostics.map((d) => findingText(d, s));
  const { errors, warnings } = r.summary;
  const head = r.ruleset ? `${r.ruleset.name} ${r.ruleset.version} (${shortDigest(r.ruleset.digest)})` : 'rule set';
  if (r.ruleset && r.summary.complete) {
    out.push(
      s.dim(`checked ${plural(r.decisions.length, 'decision')} and every invariant over every possible case, by solving (complete): ${r.decisions.map((d) => `${d.id} ${plural(d.inputs, 'input')}`).join(', ')}`),
    );
  } else if (r.ruleset) {
    const open = r.decisions.filter((d) => !d.complete).map((d) => d.id);
    const invs = [...new Set(r.incomplete.filter((x) => x.invariant).map((x) => x.invariant))];
    out.push(s.yellow(`INCOMPLETE: ${plural(r.incomplete.length, 'check')} not done${open.length ? ` (decisions ${open.join(', ')})` : ''}${invs.length ? ` (invariants ${invs.join(', ')})` : ''}; nothing is claimed for them`));
  } else out.push(s.dim('the rule set has schema errors; the case-space analysis did not run'));
  const verdict = errors ? s.red(plural(errors, 'error')) : s.green('0 errors');
  out.push(`rvlms validate: ${head} — ${verdict}, ${plural(warnings, 'warning')}${r.summary.status === 'incomplete' ? ', incomplete' : ''}`);
  return out.join('\n') + '\n';
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note' };

/** A file path as a SARIF artifact URI (a relative reference): `/` separators, every segment percent-encoded. */
export const artifactUri = (file: string): string => file.replace(/\\/g, '/').split('/').map(encodeURIComponent).join('/');

function location(d: { file?: string; line?: number; col?: number }) {
  return {
    physicalLocation: {
      artifactLocation: { uri: artifactUri(d.file ?? '') },
      ...(d.line !== undefined ? { region: { startLine: d.line, startColumn: d.col ?? 1 } } : {}),
    },
  };
}

/** SARIF 2.1.0: one rule per finding code, one result per finding, positions as regions. */
export function renderSarif(r: ValidationResult, toolVersion: string): string {
  const codes = [...new Set(r.diagnostics.map((d) => d.code))].sort();
  const rules = codes.map((code) => {
    const info = codeInfo(code);
    const level = info?.severity ?? r.diagnostics.find((d) => d.code === code)!.severity;
    return {
      id: code,
      name: code.replace(/[^A-Za-z0-9]+(.)/g, (_, c: string) => c.toUpperCase()),
      shortDescription: { text: info?.summary ?? `rule-set problem ${code}` },
      defaultConfiguration: { level: SARIF_LEVEL[level] },
      // the guide ships with the rules, not at a fixed address: named as text (helpUri must be absolute)
      help: { text: `See ${DOCS_URL}, section "${info?.anchor ?? 'schema-and-reference-problems'}".` },
    };
  });
  const results = r.diagnostics.map((d: Finding) => ({
    ruleId: d.code,
    ruleIndex: codes.indexOf(d.code),
    level: SARIF_LEVEL[d.severity],
    message: { text: d.suggestion ? `${d.message} (${d.suggestion})` : d.message },
    ...(d.file ? { locations: [location(d)] } : {}),
    ...(d.related?.some((x) => x.file)
      ? { relatedLocations: d.related.filter((x) => x.file).map((x, i) => ({ id: i + 1, ...location(x), ...(x.path ? { message: { text: x.path } } : {}) })) }
      : {}),
    properties: {
      ...(d.path ? { path: d.path } : {}),
      ...(d.rules ? { rules: d.rules } : {}),
      ...(d.decision ? { decision: d.decision } : {}),
      ...(d.suggestion ? { suggestion: d.suggestion } : {}),
      ...(d.counterexample ? { counterexample: d.counterexample } : {}),
      ...(d.region ? { region: d.region } : {}),
    },
  }));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'rvlms', version: toolVersion, rules } },
        properties: { ...(r.ruleset ? { ruleset: r.ruleset } : {}), analysis: r.summary.status, ...(r.incomplete.length ? { incomplete: r.incomplete } : {}) },
        results,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
