/**
 * Input items from text, and diagnostics placed where an item sits in its file. A JSON line
 * or array element is parsed with JSON.parse (the fast path); only a failing item goes through
 * `parseCaseText`, which finds the line and column of the syntax error or of the bad field.
 */
import type { DiagnosticCode } from '../diagnostics/codes.js';
import { parseCaseText } from '../case/load.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { hasDuplicateKeys } from '../case/json-duplicates.js';
import type { CaseSource, InputItem } from './types.js';

/** JSON.parse's offset, which counts from the item's start, not the file's: the line and column replace it. */
const RELATIVE_OFFSET = / in JSON at position \d+(?: \(line \d+ column \d+\))?/;

/** Move a diagnostic found in an item's own text to its place in the file. */
export function placeDiagnostic(d: Diagnostic, source: CaseSource, col = 1): Diagnostic {
  if (source.line === undefined) return d;
  if (d.line === undefined) return { ...d, line: source.line };
  return {
    ...d,
    line: source.line + d.line - 1,
    col: d.line === 1 ? (d.col ?? 1) + col - 1 : (d.col ?? 1),
    message: d.message.replace(RELATIVE_OFFSET, ''),
  };
}

/**
 * Diagnostics of an item's text (JSON or YAML syntax, schema and field errors, with positions),
 * placed in the file; `fallback` when the text turns out fine (it never should).
 */
export async function locatedDiagnostics(text: string, source: CaseSource, col: number, fallback: readonly Diagnostic[]): Promise<readonly Diagnostic[]> {
  const r = await parseCaseText(text, source.file);
  if (r.ok) return fallback;
  return r.diagnostics.map((d) => placeDiagnostic(d, source, col));
}

function malformed(text: string, source: CaseSource, col: number): Promise<InputItem> {
  const fallback: Diagnostic = { file: source.file, severity: 'error', code: 'case/json', message: 'malformed JSON' };
  return locatedDiagnostics(text, source, col, [placeDiagnostic(fallback, source)]).then((diagnostics) => ({ source, diagnostics }));
}

/**
 * One JSON text (a line, an array element, a file) → an item; malformed JSON, or a key given
 * twice (JSON.parse would keep only the last value), → its diagnostics.
 */
export function jsonItem(text: string, source: CaseSource, col = 1): InputItem | Promise<InputItem> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return malformed(text, source, col);
  }
  if (hasDuplicateKeys(text, data)) return malformed(text, source, col); // parseCaseText names the key
  return col === 1 ? { source, data, text } : { source, data, text, col };
}

/** An item that could not be read at all (too large, bad encoding …). */
export function failedItem(source: CaseSource, code: DiagnosticCode, message: string): InputItem {
  return { source, diagnostics: [placeDiagnostic({ file: source.file, severity: 'error', code, message }, source)] };
}
