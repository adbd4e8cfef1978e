/**
 * Schema issues → diagnostics: the one mapping from the schema library's issues to rvlms
 * diagnostics, for every file whose shape a schema checks (rule files, fixtures, column
 * maps). Each issue becomes a code of the file kind's schema family (codes.ts), located at
 * the value (or, for an unknown key, at the key) in the YAML source, with a "did you mean"
 * where a misspelt key or value is close to an allowed one.
 */
import type * as z from 'zod/mini';
import type { DiagnosticCode, SchemaKind } from './codes.js';
import { dotPath, type Diagnostic } from './diagnostic.js';
import { suggest } from './suggest.js';
import { locate, type ParsedYaml } from '../io/yaml.js';

/** What a union issue means in each kind (rule conditions are the rule files' only union). */
const UNION_MESSAGE: Readonly<Record<SchemaKind, string>> = {
  rules: 'is not a valid condition: use all / any / not, {fact, operator, value} or {decision, operator, value}',
  golden: 'matches none of the allowed forms',
  map: 'matches none of the allowed forms',
};

export interface SchemaContext {
  /**
   * Which form of a union the value was meant to be (its index in the union), when its keys
   * tell: the issues of that form are reported instead of "matches none of the forms".
   */
  readonly unionForm?: (value: unknown) => number | undefined;
  /** Every key the schema knows, for "did you mean" on an unknown key. */
  readonly knownKeys?: () => Iterable<string>;
}

type Path = readonly PropertyKey[];

/** The document's value at a path (undefined when a step is missing). */
function valueAt(root: unknown, path: Path): unknown {
  let v = root;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/** A short rendering of a value given, to repeat in a message; undefined for a long or nested one. */
function shown(v: unknown): string | undefined {
  if (typeof v === 'string') return v.length <= 40 ? JSON.stringify(v) : undefined;
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  return undefined;
}

/**
 * The issues with their paths from the document's root. A union's issue is replaced by the
 * issues of the form its value was meant to be, when `unionForm` tells which.
 */
function flatten(issues: readonly z.core.$ZodIssue[], prefix: Path, root: unknown, context: SchemaContext, out: { issue: z.core.$ZodIssue; path: Path }[]): void {
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && context.unionForm) {
      const form = context.unionForm(valueAt(root, path));
      const meant = form === undefined ? undefined : issue.errors[form];
      if (meant?.length) {
        flatten(meant, path, root, context, out);
        continue;
      }
    }
    out.push({ issue, path });
  }
}

function rangeMessage(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const small = issue.code === 'too_small';
  const bound = String(small ? issue.minimum : issue.maximum);
  switch (issue.origin) {
    case 'array':
    case 'set':
      return small ? `must list at least ${bound} item${bound === '1' ? '' : 's'}` : `must list at most ${bound} items`;
    case 'string':
      return small ? (bound === '1' ? 'must not be empty' : `must be at least ${bound} characters long`) : `must be at most ${bound} characters long`;
    default:
      return `must be ${small ? 'at least' : 'at most'} ${bound}`;
  }
}

export function schemaDiagnostics(issues: readonly z.core.$ZodIssue[], parsed: Pick<ParsedYaml, 'file' | 'doc' | 'lines' | 'value'>, kind: SchemaKind, context: SchemaContext = {}): Diagnostic[] {
  const flat: { issue: z.core.$ZodIssue; path: Path }[] = [];
  flatten(issues, [], parsed.value, context, flat);
  const out: Diagnostic[] = [];
  let keys: string[] | undefined; // the schema's keys, gathered at the first unknown key
  for (const { issue, path: at } of flat) {
    const base = { file: parsed.file, severity: 'error' as const };
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) {
        if (context.knownKeys) keys ??= [...context.knownKeys()];
        const hint = keys ? suggest(k, keys) : undefined;
        out.push({ ...base, ...locate(parsed, at, k), code: `${kind}/unknown-key`, path: dotPath([...at, k]), message: `unknown key "${k}"`, ...(hint ? { suggestion: hint } : {}) });
      }
      continue;
    }
    const path = dotPath(at);
    const where = `"${path || '<root>'}"`;
    const given = valueAt(parsed.value, at);
    const was = shown(given);
    let code: DiagnosticCode = `${kind}/schema`;
    let message = `invalid value at ${where}${issue.message ? `: ${issue.message}` : ''}`;
    let suggestion: string | undefined;
    switch (issue.code) {
      case 'invalid_type':
        if (given === undefined) [code, message] = [`${kind}/required`, `${where} is required`];
        else {
          [code, message] = [`${kind}/type`, `${where} must be ${issue.expected}${was ? `, not ${was}` : ''}`];
          // YAML reads 2.1 or yes as a number or a boolean: text needs quotes
          if (issue.expected === 'string' && (typeof given === 'number' || typeof given === 'boolean')) suggestion = `put it in quotes to make it text: "${String(given)}"`;
        }
        break;
      case 'invalid_value':
        if (given === undefined) {
          [code, message] = [`${kind}/required`, `${where} is required (one of: ${issue.values.map(String).join(', ')})`];
          break;
        }
        [code, message] = [`${kind}/enum`, `${where} must be one of: ${issue.values.map(String).join(', ')}${was ? `; got ${was}` : ''}`];
        if (typeof given === 'string') suggestion = suggest(given, issue.values.map(String));
        break;
      case 'invalid_union':
        [code, message] = [kind === 'rules' ? 'rules/condition-shape' : `${kind}/schema`, `${where} ${UNION_MESSAGE[kind]}`];
        break;
      case 'invalid_format':
        [code, message] = [`${kind}/format`, `${where} has an invalid format${was ? ` (${was})` : ''}${kind === 'rules' ? ': ids are lower camel / kebab case' : ''}`];
        break;
      case 'too_small':
      case 'too_big':
        [code, message] = [`${kind}/range`, `${where} ${rangeMessage(issue)}${was ? `; got ${was}` : ''}`];
        break;
      default:
        break;
    }
    out.push({ ...base, ...locate(parsed, at), code, path, message, ...(suggestion ? { suggestion } : {}) });
  }
  return out;
}
