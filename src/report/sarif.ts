/**
 * SARIF 2.1.0, the pieces every SARIF report shares (validate's findings, diff's changes):
 * rule descriptors from the diagnostic catalogue, locations as percent-encoded relative
 * URIs with regions, and the log around them. Checked against the official OASIS schema in
 * the tests (test/schemas/).
 */
import { codeInfo, DOCS_URL } from '../analysis/codes.js';
import type { Diagnostic, Severity, SourceRef } from '../diagnostics/diagnostic.js';

export const SARIF_LEVEL: Readonly<Record<Severity, string>> = { error: 'error', warning: 'warning', info: 'note' };

/** A file path as a SARIF artifact URI (a relative reference): `/` separators, every segment percent-encoded. */
export const artifactUri = (file: string): string => file.replace(/\\/g, '/').split('/').map(encodeURIComponent).join('/');

export function sarifLocation(d: SourceRef) {
  return {
    physicalLocation: {
      artifactLocation: { uri: artifactUri(d.file ?? '') },
      ...(d.line !== undefined ? { region: { startLine: d.line, startColumn: d.col ?? 1 } } : {}),
    },
  };
}

/** One reporting descriptor per code, sorted; `severityOf` gives the level of a code the catalogue has no severity for. */
export function sarifRules(codes: readonly string[], severityOf: (code: string) => Severity) {
  return codes.map((code) => {
    const info = codeInfo(code);
    return {
      id: code,
      name: code.replace(/[^A-Za-z0-9]+(.)/g, (_, c: string) => c.toUpperCase()),
      shortDescription: { text: info?.summary ?? `rule-set problem ${code}` },
      defaultConfiguration: { level: SARIF_LEVEL[info?.severity ?? severityOf(code)] },
      // the guide ships with the rules, not at a fixed address: named as text (helpUri must be absolute)
      help: { text: `See ${DOCS_URL}, section "${info?.anchor ?? 'schema-and-reference-problems'}".` },
    };
  });
}

/** A result for a diagnostic: its code, level, message (with the suggestion) and places. */
export function diagnosticResult(d: Diagnostic, codes: readonly string[], properties: Record<string, unknown> = {}) {
  return {
    ruleId: d.code,
    ruleIndex: codes.indexOf(d.code),
    level: SARIF_LEVEL[d.severity],
    message: { text: d.suggestion ? `${d.message} (${d.suggestion})` : d.message },
    ...(d.file ? { locations: [sarifLocation(d)] } : {}),
    ...(d.related?.some((x) => x.file)
      ? { relatedLocations: d.related.filter((x) => x.file).map((x, i) => ({ id: i + 1, ...sarifLocation(x), ...(x.path ? { message: { text: x.path } } : {}) })) }
      : {}),
    properties: {
      ...(d.path ? { path: d.path } : {}),
      ...(d.rules ? { rules: d.rules } : {}),
      ...(d.suggestion ? { suggestion: d.suggestion } : {}),
      ...properties,
    },
  };
}

/** The log: one run of rvlms with its rules, results and run properties. */
export function sarifLog(toolVersion: string, rules: readonly object[], results: readonly object[], properties: Record<string, unknown>): string {
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'rvlms', version: toolVersion, rules } }, properties, results }],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

/** A report for input that could not be read: the errors as results, so that an upload still shows them. */
export function renderFailureSarif(diagnostics: readonly Diagnostic[], toolVersion: string, properties: Record<string, unknown>): string {
  const codes = [...new Set(diagnostics.map((d) => d.code))].sort();
  return sarifLog(toolVersion, sarifRules(codes, () => 'error'), diagnostics.map((d) => diagnosticResult(d, codes)), properties);
}
