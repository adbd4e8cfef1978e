/**
 * Limits on what one input may hold, checked before the validator sees it, so that no input
 * can exhaust the stack, the memory or the output: the validator collects one issue per bad
 * list element (150,000 elements overflowed its stack), and a case with 50,000 unknown keys
 * printed 12 MB of diagnostics. Each limit is far above what a real case holds and is
 * reported as a diagnostic naming the file and the field.
 */
import type { YamlKind } from '../diagnostics/codes.js';
import { dotPath, type Diagnostic } from '../diagnostics/diagnostic.js';

/** Elements of one list (the longest list field of a case has a dozen possible values). */
export const MAX_LIST_LENGTH = 1000;
/** Diagnostics reported per case; the rest are counted in one more. */
export const MAX_CASE_DIAGNOSTICS = 50;

/**
 * The first list longer than MAX_LIST_LENGTH in `data`, as a diagnostic. The walk is a loop
 * over an explicit stack (never recursion) and visits each value once; a value's path is
 * kept as a link to its parent's, so a case without a long list costs no path arrays.
 */
export function oversizedList(data: unknown, file: string): Diagnostic | undefined {
  interface Step {
    readonly value: unknown;
    readonly key?: PropertyKey;
    readonly parent?: Step;
  }
  const pathOf = (s: Step): PropertyKey[] => {
    const out: PropertyKey[] = [];
    for (let x: Step | undefined = s; x?.parent !== undefined; x = x.parent) out.push(x.key!);
    return out.reverse();
  };
  const stack: Step[] = [{ value: data }];
  while (stack.length) {
    const step = stack.pop()!;
    const value = step.value;
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      if (value.length > MAX_LIST_LENGTH)
        return { file, path: dotPath(pathOf(step)), severity: 'error', code: 'case/too-long', message: `a list of ${value.length} elements; at most ${MAX_LIST_LENGTH} are accepted` };
      for (let i = 0; i < value.length; i++) if (value[i] !== null && typeof value[i] === 'object') stack.push({ value: value[i], key: i, parent: step });
    } else
      for (const key in value)
        if (Object.hasOwn(value, key)) {
          const v = (value as Record<string, unknown>)[key];
          if (v !== null && typeof v === 'object') stack.push({ value: v, key, parent: step });
        }
  }
  return undefined;
}

/**
 * Syntax errors listed per file, at most: after the first, a YAML parser's errors mostly follow
 * from it (a file that is not YAML at all gives one or two per line).
 */
export const MAX_SYNTAX_DIAGNOSTICS = 5;

/** At most `max` (MAX_CASE_DIAGNOSTICS) diagnostics per file or case, then one `<kind>/too-many-errors` counting the rest. */
export function capDiagnostics(ds: Diagnostic[], file: string, kind: YamlKind, max = MAX_CASE_DIAGNOSTICS): Diagnostic[] {
  if (ds.length <= max) return ds;
  const more = ds.length - max;
  return [...ds.slice(0, max), { file, severity: 'error', code: `${kind}/too-many-errors`, message: `${more} more problem${more === 1 ? '' : 's'} not shown` }];
}

/** A rule set: files, bytes of one file, bytes in all, rules (the shipped set: 10 files, 64 KB, 76 rules). */
export const MAX_RULE_FILES = 500;
export const MAX_RULE_FILE_BYTES = 2 * 1024 * 1024;
export const MAX_RULESET_BYTES = 4 * 1024 * 1024;
export const MAX_RULES = 2000;
