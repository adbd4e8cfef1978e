/** Batch results as markdown: the case list as it streams, then the summary tables. */
import type { BatchSummary } from '../batch/summary.js';
import { shortDigest, type RulesetModel } from '../rules/model.js';
import { htmlText, terminalText } from './sanitize.js';
import { CASE_DETAIL_COLUMNS, CASE_HEAD, caseRow, matrixTable, summaryTables, type BatchMeta, type BatchRenderer, type SummaryTable } from './batch-common.js';

const cell = (s: string): string => htmlText(s).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const line = (cells: readonly string[]): string => `| ${cells.map(cell).join(' | ')} |\n`;
const rule = (n: number, numeric: readonly number[] = []): string =>
  `|${Array.from({ length: n }, (_, i) => (numeric.includes(i) ? '---:' : '---')).join('|')}|\n`;

function table(t: SummaryTable): string {
  const body = t.rows.length ? line(t.head) + rule(t.head.length, t.numeric) + t.rows.map(line).join('') : '_none_\n';
  return `### ${t.title}\n\n${body}${t.note ? `\n_${t.note}_\n` : ''}`;
}

/** The confusion matrix of each provenance that has one. */
const sourceMatrices = (summary: BatchSummary): string =>
  summary.bySource
    .map((g) => (g.concordance ? matrixTable(g.concordance.matrix, `Confusion matrix, ${g.source} cases`) : undefined))
    .filter((t): t is SummaryTable => t !== undefined)
    .map((t) => '\n' + table(t))
    .join('');

export function createMarkdownRenderer(model: RulesetModel, meta: BatchMeta, options: { cases: boolean } = { cases: true }): BatchRenderer {
  return {
    begin: () =>
      `# rvlms batch\n\nRule set **${meta.ruleset.name} ${meta.ruleset.version}** (digest \`${shortDigest(meta.ruleset.digest)}\`) · ` +
      `inputs: ${meta.inputs.map((i) => `\`${terminalText(i)}\``).join(', ')}\n\n${options.cases ? '## Cases\n\n' : ''}`,
    head: line(CASE_HEAD) + rule(CASE_HEAD.length, [0]),
    separator: '',
    case(r) {
      if (!options.cases) return '';
      const row = caseRow(r, model, meta, true);
      const detail = 'problem' in row.detail ? [row.detail.problem, ...Array<string>(CASE_DETAIL_COLUMNS - 1).fill('')] : row.detail;
      return line([...row.lead, ...detail]);
    },
    end: (summary: BatchSummary, shown: number) =>
      `${shown || !options.cases ? '' : '_no cases_\n'}${options.cases ? '\n' : ''}## Summary\n\n${summaryTables(summary).map(table).join('\n')}${sourceMatrices(summary)}`,
  };
}
