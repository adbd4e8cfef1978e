/**
 * Batch results for the terminal (cli-table3): the case list, then the summary tables. The
 * case list is drawn in blocks, so memory stays bounded however large the cohort: the first
 * block (FIRST_BLOCK rows) fixes the column widths, later blocks (BLOCK rows) reuse them, long
 * cells wrapping, and join without a seam. A cohort of up to FIRST_BLOCK cases is one table
 * fitted to its content. cli-table3's layout costs more per row the longer a table is (about
 * 0.35 ms a row at 1,000 rows, 0.15 ms at 100), hence the short later blocks; cohorts of
 * hundreds of thousands of cases are better read as jsonl or csv.
 */
import Table from 'cli-table3';
import type { BatchSummary } from '../batch/summary.js';
import type { CaseResult } from '../batch/types.js';
import type { RulesetModel } from '../rules/model.js';
import { CASE_DETAIL_COLUMNS, CASE_HEAD, caseRow, headline, summaryTables, type BatchMeta, type BatchRenderer, type SummaryTable } from './batch-common.js';
import type { Style } from './style.js';
import { terminalText } from './sanitize.js';

export const FIRST_BLOCK = 1000;
export const BLOCK = 100;
/** Problem texts of invalid cases wrap at this width, so they do not widen the table. */
const PROBLEM_WIDTH = 64;

/** Break text into lines of at most `width` characters, at spaces where possible. */
function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let cur = '';
  for (const word of text.split(' ')) {
    if (cur && cur.length + 1 + word.length > width) {
      lines.push(cur);
      cur = word;
    } else cur = cur ? `${cur} ${word}` : word;
    while (cur.length > width) {
      lines.push(cur.slice(0, width));
      cur = cur.slice(width);
    }
  }
  if (cur) lines.push(cur);
  return lines.join('\n');
}

const STYLE = { head: [], border: [], compact: true };

function tone(s: Style, text: string): string {
  switch (text) {
    case 'ok':
    case 'agree':
      return s.green(text);
    case 'undetermined':
    case 'among candidates':
      return s.yellow(text);
    case 'invalid':
    case 'disagree':
    case 'not among candidates':
      return s.red(text);
    default:
      return text;
  }
}

function drawSummaryTable(t: SummaryTable, s: Style): string {
  const table = new Table({ head: t.head.map((h) => s.bold(h)), style: STYLE });
  const right = new Set(t.numeric ?? []);
  for (const row of t.rows) table.push(row.map((text, i) => (right.has(i) ? { content: terminalText(text), hAlign: 'right' as const } : terminalText(text))));
  return `${s.bold(t.title)}\n${table.toString()}\n${t.note ? s.dim(t.note) + '\n' : ''}`;
}

export function createTableRenderer(model: RulesetModel, meta: BatchMeta, s: Style): BatchRenderer {
  let rows: CaseResult[] = [];
  let widths: (number | null)[] | undefined;
  let blocks = 0;

  /** One block of the case list as cli-table3 draws it, and the column widths it used. */
  const draw = (head: boolean, colWidths?: (number | null)[]): { lines: string[]; widths: (number | null)[] } => {
    const table = new Table({
      ...(head ? { head: CASE_HEAD.map((h) => s.bold(h)) } : {}),
      style: STYLE,
      ...(colWidths ? { colWidths, wordWrap: true, wrapOnWordBoundary: false } : {}),
    });
    for (const r of rows) {
      const row = caseRow(r, model, meta, false);
      const lead = [{ content: row.lead[0], hAlign: 'right' as const }, terminalText(row.lead[1]), terminalText(row.lead[2]), tone(s, row.lead[3])];
      if ('problem' in row.detail) table.push([...lead, { content: s.red(wrap(terminalText(row.detail.problem), PROBLEM_WIDTH)), colSpan: CASE_DETAIL_COLUMNS }]);
      else table.push([...lead, ...row.detail.map((d) => tone(s, d))]);
    }
    const lines = table.toString().split('\n');
    return { lines, widths: [...table.options.colWidths] };
  };

  const drawBlock = (more: boolean): string => {
    if (rows.length === 0) return '';
    const first = blocks === 0;
    let { lines, widths: fitted } = draw(first, widths);
    if (first && more) {
      // later rows grow in case number, id and line number: room for them, so they rarely wrap
      fitted[0] = Math.max(fitted[0] ?? 0, 9); // up to 9,999,999 cases
      fitted[1] = (fitted[1] ?? 0) + 4;
      fitted[2] = (fitted[2] ?? 0) + 4;
      ({ lines } = draw(true, fitted));
    }
    widths ??= fitted;
    if (!first) lines = lines.slice(1); // the previous block's rows continue here
    if (more) lines = lines.slice(0, -1); // … and the next block's continue after
    blocks++;
    rows = [];
    return lines.join('\n') + '\n';
  };

  return {
    begin: () => `${s.bold('rvlms batch')} · ${terminalText(headline(meta))}\n\n`,
    case(r) {
      const out = rows.length === (blocks === 0 ? FIRST_BLOCK : BLOCK) ? drawBlock(true) : '';
      rows.push(r);
      return out;
    },
    end(summary: BatchSummary) {
      const list =
        blocks === 0 && rows.length === 0
          ? s.dim('no cases') + '\n'
          : drawBlock(false) + s.dim('undetermined (k): k candidate values, listed by --format markdown, json, jsonl and csv') + '\n';
      return list + '\n' + summaryTables(summary).map((t) => drawSummaryTable(t, s)).join('\n');
    },
  };
}
