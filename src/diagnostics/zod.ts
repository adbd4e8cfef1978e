/**
 * Schema issues → diagnostics: the one mapping from the schema library's issues to rvlms
 * diagnostics, for every file whose shape a schema checks (rule files, fixtures, column
 * maps). Each issue becomes a code of the file kind's schema family (codes.ts), located at
 * the value (or, for an unknown key, at the key) in the YAML source.
 */
import type * as z from 'zod/mini';
import type { DiagnosticCode, SchemaKind } from './codes.js';
import { dotPath, type Diagnostic } from './diagnostic.js';
import { locate, type ParsedYaml } from '../io/yaml.js';

/** What a union issue means in each kind (rule conditions are the rule files' only union). */
const UNION_MESSAGE: Readonly<Record<SchemaKind, string>> = {
  rules: 'is not a valid condition: use all / any / not, {fact, operator, value} or {decision, operator, value}',
  golden: 'matches none of the allowed forms',
  map: 'matches none of the allowed forms',
};

export function schemaDiagnostics(issues: readonly z.core.$ZodIssue[], parsed: Pick<ParsedYaml, 'file' | 'doc' | 'lines'>, kind: SchemaKind): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const issue of issues) {
    const base = { file: parsed.file, severity: 'error' as const };
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) out.push({ ...base, ...locate(parsed, issue.path, k), code: `${kind}/unknown-key`, path: dotPath([...issue.path, k]), message: `unknown key "${k}"` });
      continue;
    }
    const path = dotPath(issue.path);
    const where = `"${path || '<root>'}"`;
    let code: DiagnosticCode = `${kind}/schema`;
    let message = `invalid value at ${where}${issue.message ? `: ${issue.message}` : ''}`;
    switch (issue.code) {
      case 'invalid_type':
        [code, message] = issue.input === undefined ? [`${kind}/required`, `${where} is required`] : [`${kind}/type`, `${where} must be ${issue.expected}`];
        break;
      case 'invalid_value':
        [code, message] = [`${kind}/enum`, `${where} must be one of: ${issue.values.map(String).join(', ')}`];
        break;
      case 'invalid_union':
        [code, message] = [kind === 'rules' ? 'rules/condition-shape' : `${kind}/schema`, `${where} ${UNION_MESSAGE[kind]}`];
        break;
      case 'invalid_format':
        [code, message] = [`${kind}/format`, `${where} has an invalid format${kind === 'rules' ? ' (ids are lower camel / kebab case)' : ''}`];
        break;
      case 'too_small':
      case 'too_big':
        [code, message] = [`${kind}/range`, `${where} is out of range or too short`];
        break;
      default:
        break;
    }
    out.push({ ...base, ...locate(parsed, issue.path), code, path, message });
  }
  return out;
}
