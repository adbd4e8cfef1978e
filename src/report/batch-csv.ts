/**
 * Batch results as CSV (RFC 4180): a header, then one row per case, streamed. Lists are
 * joined with ";" like the CSV input. The summary does not fit a case table and is left to
 * the other formats.
 */
import { CONCORDANCE_ACTUAL, type CaseResult } from '../batch/types.js';
import type { RulesetModel } from '../rules/model.js';
import type { BatchRenderer } from './batch-common.js';
import { csvText } from './sanitize.js';

const quote = (s: string): string => (/[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s);
const list = (v: string | readonly string[] | undefined): string => (v === undefined ? '' : typeof v === 'string' ? v : v.join(';'));
const num = (x: number | undefined): string => (x === undefined ? '' : String(x));

export function createCsvRenderer(model: RulesetModel): BatchRenderer {
  const decisions = model.decisions.map((d) => d.id);
  const head = [
    'n',
    'id',
    'file',
    'line',
    'row',
    'status',
    ...decisions,
    ...decisions.map((d) => `${d}.candidates`),
    'complexity.score',
    'complexity.scoreMax',
    CONCORDANCE_ACTUAL,
    'agreement',
    'missing',
    'invariantViolations',
    'error.code',
    'error.path',
    'error.line',
    'error.col',
    'error.message',
    'errors',
  ];
  const row = (r: CaseResult): string => {
    const e = r.diagnostics?.[0];
    const cells = [
      String(r.n),
      r.id ?? '',
      r.source.file,
      num(r.source.line),
      num(r.source.row),
      r.status,
      ...decisions.map((d) => list(r.decisions?.[d])),
      ...decisions.map((d) => list(r.candidates?.[d])),
      num(r.complexity?.score),
      num(r.complexity?.scoreMax),
      r.actual ?? '',
      r.agreement ?? '',
      list(r.missing),
      list(r.invariantViolations),
      e?.code ?? '',
      e?.path ?? '',
      num(e?.line),
      num(e?.col),
      e?.message ?? '',
      r.diagnostics ? String(r.diagnostics.length) : '',
    ];
    return cells.map((c) => quote(csvText(c))).join(',') + '\n';
  };
  return {
    begin: () => head.map((c) => quote(csvText(c))).join(',') + '\n',
    head: '',
    separator: '',
    case: row,
    end: () => '',
  };
}
