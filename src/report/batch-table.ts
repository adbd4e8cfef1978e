/**
 * Batch results for the terminal, at most WIDTH (100) columns wide: the summary tables, and
 * with `cases` the per-case list before them. Both are drawn as plain aligned columns: the
 * list streams one line per case (fixed column widths, over-long cells cut with "…"), so it
 * costs the same per case however large the cohort; a summary table fits its columns to
 * their content and wraps the widest text column at word boundaries when the whole would be
 * wider than WIDTH.
 */
import type { BatchSummary } from '../batch/summary.js';
import type { CaseResult } from '../batch/types.js';
import type { RulesetModel } from '../rules/model.js';
import { AGREEMENT_LABELS, headline, ivcText, problemText, sourceLabel, summaryTables, type BatchMeta, type BatchRenderer, type SummaryTable } from './batch-common.js';
import type { Style } from './style.js';
import { terminalText } from './sanitize.js';
import { wrap } from './wrap.js';

/** The widest line drawn. */
export const WIDTH = 100;
const GAP = '  ';

/** `text` cut to `width` characters, the last one "…" when cut. */
export function fit(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : chars.slice(0, Math.max(0, width - 1)).join('') + '…';
}

const pad = (text: string, width: number, right = false): string => {
  const gap = ' '.repeat(Math.max(0, width - [...text].length));
  return right ? gap + text : text + gap;
};

/** `text` in lines of at most `width` columns: wrapped at spaces (an indent kept), a word longer than the line cut. */
function lines(text: string, width: number): string[] {
  const indent = /^ */.exec(text)![0];
  return wrap(text.slice(indent.length), width, { first: indent }).map((l) => fit(l, width));
}

function tone(s: Style, text: string): string {
  switch (text.trim()) {
    case 'ok':
    case 'agree':
      return s.green(text);
    case 'undetermined':
    case AGREEMENT_LABELS.undetermined_candidate:
      return s.yellow(text);
    case 'invalid':
    case 'disagree':
    case AGREEMENT_LABELS.undetermined_not_candidate:
      return s.red(text);
    default:
      return text;
  }
}

/** Column widths that fit `WIDTH`: the content's, the widest text column narrowed (and wrapped) while too wide. */
function columnWidths(t: SummaryTable): number[] {
  const widths = t.head.map((h, i) => Math.max([...h].length, ...t.rows.map((r) => [...(r[i] ?? '')].length)));
  const numeric = new Set(t.numeric ?? []);
  const total = (): number => widths.reduce((a, b) => a + b, 0) + GAP.length * (widths.length - 1);
  while (total() > WIDTH) {
    let widest = -1;
    widths.forEach((w, i) => {
      if (!numeric.has(i) && (widest < 0 || w > widths[widest]!)) widest = i;
    });
    if (widest < 0 || widths[widest]! <= 12) break;
    widths[widest] = Math.max(12, widths[widest]! - (total() - WIDTH));
  }
  return widths;
}

export function drawSummaryTable(table: SummaryTable, s: Style): string {
  const t: SummaryTable = { ...table, rows: table.rows.map((r) => r.map(terminalText)) };
  const widths = columnWidths(t);
  const numeric = new Set(t.numeric ?? []);
  const line = (cells: readonly string[], head: boolean): string[] => {
    const wrapped = cells.map((c, i) => lines(c, widths[i]!));
    const height = Math.max(...wrapped.map((w) => w.length));
    const out: string[] = [];
    for (let k = 0; k < height; k++)
      out.push(
        wrapped
          .map((w, i) => {
            const text = pad(w[k] ?? '', widths[i]!, numeric.has(i));
            return head ? s.bold(text) : k === 0 ? tone(s, text) : text;
          })
          .join(GAP)
          .trimEnd(),
      );
    return out;
  };
  const rule = s.dim(widths.map((w) => '─'.repeat(w)).join(GAP));
  const body = t.rows.length ? t.rows.flatMap((r) => line(r, false)) : [s.dim('none')];
  const note = t.note ? lines(t.note, WIDTH).map((l) => s.dim(l)) : [];
  return [...lines(t.title, WIDTH).map((l) => s.bold(l)), ...line(t.head, true), rule, ...body, ...note].join('\n') + '\n';
}

/** The per-case list's columns: header and width (`#` right-aligned); the last takes the rest of the line. */
const LIST_COLUMNS = [
  ['#', 6],
  ['case', 15],
  ['status', 12],
  ['IVC management', 19],
  ['done', 19],
  ['agreement', 9],
  ['complexity', 0],
] as const;
const LIST_GAP = ' ';
const LIST_REST = WIDTH - LIST_COLUMNS.reduce((a, [, w]) => a + w, 0) - LIST_GAP.length * (LIST_COLUMNS.length - 1);
const LIST_WIDTHS = LIST_COLUMNS.map(([, w]) => w || LIST_REST);
/** Short agreement labels for the narrow column. */
const AGREEMENT_SHORT = { agree: 'agree', disagree: 'disagree', undetermined_candidate: '∈ cand.', undetermined_not_candidate: '∉ cand.' } as const;

export interface TableOptions {
  /** The per-case list before the summary (--cases). */
  readonly cases: boolean;
}

export function createTableRenderer(model: RulesetModel, meta: BatchMeta, s: Style, options: TableOptions = { cases: false }): BatchRenderer {
  void model;
  const cells = (values: readonly string[]): string[] => values.map((v, i) => pad(fit(terminalText(v), LIST_WIDTHS[i]!), LIST_WIDTHS[i]!, i === 0));
  const listLine = (values: readonly string[]): string => cells(values).map((c, i) => (i === 2 || i === 5 ? tone(s, c) : c)).join(LIST_GAP).trimEnd() + '\n';
  /** Complexity in a narrow column: `moderate (4)`, or `? (0–6)` while undetermined. */
  const complexity = (r: CaseResult): string => {
    const c = r.complexity;
    if (!c) return '';
    return c.level === 'undetermined' ? `? (${c.score}–${c.scoreMax})` : `${c.level} (${c.score})`;
  };

  return {
    begin: () => lines(`rvlms batch · ${terminalText(headline(meta))}`, WIDTH).map((l, i) => (i === 0 ? s.bold(l) : l)).join('\n') + '\n\n',
    head: s.bold(cells(LIST_COLUMNS.map(([h]) => h)).join(LIST_GAP).trimEnd()) + '\n',
    separator: '',
    case(r: CaseResult) {
      if (!options.cases) return '';
      if (r.status === 'invalid') {
        const lead = cells([String(r.n), r.id ?? '—', r.status]).join(LIST_GAP);
        const rest = WIDTH - [...lead].length - LIST_GAP.length;
        return `${lead.replace(/invalid\s*$/, (m) => s.red(m))}${LIST_GAP}${s.red(fit(terminalText(`${sourceLabel(r.source, meta.inputs)} ${problemText(r.diagnostics)}`), rest))}\n`;
      }
      return listLine([String(r.n), r.id ?? '—', r.status, ivcText(r, false), r.actual ?? '', r.agreement ? AGREEMENT_SHORT[r.agreement] : '', complexity(r)]);
    },
    end(summary: BatchSummary, shown: number) {
      const list = !options.cases
        ? s.dim(`${summary.cases.total} case(s); the case list: --cases, or --format csv, jsonl, markdown, html`) + '\n'
        : shown === 0
          ? s.dim('no cases') + '\n'
          : lines('undetermined (k): k candidate values; ∈ / ∉ cand.: what was done is / is not among the candidates; complexity ? (a–b): undetermined, score a to b', WIDTH).map((l) => s.dim(l)).join('\n') + '\n';
      return list + '\n' + summaryTables(summary).map((t) => drawSummaryTable(t, s)).join('\n');
    },
  };
}
