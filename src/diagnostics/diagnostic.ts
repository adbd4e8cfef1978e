/** One shape for every finding and every input error, whatever the command. */
import { terminalText } from '../report/sanitize.js';
import { byCodeUnit } from '../io/order.js';
import type { DiagnosticCode } from './codes.js';

export type Severity = 'error' | 'warning' | 'info';

export interface SourceRef {
  /** File name as the user gave it ("-" for stdin). */
  readonly file?: string;
  /** Dotted path of the field inside the document, e.g. "ivc.lumen" or "rules[3].when". */
  readonly path?: string;
  readonly line?: number;
  readonly col?: number;
}

export interface Diagnostic extends SourceRef {
  /** Stable machine-readable code, e.g. "case/enum", from the catalogue (codes.ts). Tests assert codes, never wording. */
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  /** Other places involved (e.g. the first definition of a duplicate id). */
  readonly related?: readonly SourceRef[];
  readonly rules?: readonly string[];
  readonly suggestion?: string;
}

export function formatLocation(ref: SourceRef): string {
  let s = terminalText(ref.file ?? '<input>');
  if (ref.line !== undefined) s += `:${ref.line}:${ref.col ?? 1}`;
  return s;
}

/** `file:line:col code message (field path)` — the one textual form used everywhere; text from inputs cannot carry control characters (see terminalText). */
export function formatDiagnostic(d: Diagnostic): string {
  let s = `${formatLocation(d)} ${d.severity} ${d.code} ${terminalText(d.message)}`;
  if (d.path) s += ` [${terminalText(d.path)}]`;
  for (const r of d.related ?? []) s += `\n    see ${formatLocation(r)}${r.path ? ` [${terminalText(r.path)}]` : ''}`;
  if (d.suggestion) s += `\n    hint: ${terminalText(d.suggestion)}`;
  return s;
}

/** A diagnostic without a line is about its file as a whole (or counts the ones not shown): after the located ones. */
const lineOf = (d: Diagnostic): number => d.line ?? Number.MAX_SAFE_INTEGER;

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    byCodeUnit(a.file ?? '', b.file ?? '') ||
    lineOf(a) - lineOf(b) ||
    (a.col ?? 0) - (b.col ?? 0) ||
    byCodeUnit(a.code, b.code) ||
    byCodeUnit(a.path ?? '', b.path ?? '')
  );
}


/** Thrown only at I/O edges for input the command cannot use; caught once in the CLI → exit 2. */
export class InputError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'InputError';
  }
}

/** Dotted display form of a zod / YAML path: tumor.adjacentOrgans[2]. */
export function dotPath(path: readonly PropertyKey[]): string {
  let s = '';
  for (const k of path) {
    if (typeof k === 'number') s += `[${k}]`;
    else s += s ? `.${String(k)}` : String(k);
  }
  return s;
}
