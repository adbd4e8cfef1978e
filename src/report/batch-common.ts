/**
 * What the batch renderers share: the streaming renderer shape, the case-list columns and
 * the summary as plain tables (title, header, rows) that the terminal renderer draws with
 * as aligned columns and the markdown renderer with pipes. Values stay machine values
 * (`primary_repair`), so the outputs are compact and greppable.
 */
import type { BatchSummary, Concordance, ConfusionMatrix, KappaSummary, MissingCount, Proportion } from '../batch/summary.js';
import type { Quartiles, Rate } from '../batch/stats.js';
import { CONCORDANCE_ACTUAL, CONCORDANCE_DECISION, type Agreement, type CaseResult, type CaseSource } from '../batch/types.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { shortDigest, type RulesetModel } from '../rules/model.js';

export interface BatchMeta {
  readonly ruleset: { readonly name: string; readonly version: string; readonly digest: string };
  /** The paths as the user gave them. */
  readonly inputs: readonly string[];
}

/**
 * A renderer streams: `begin` once, the text of each case in input order, `end` with the
 * summary. `case` is pure (no state: worker threads render cases too, batch/pool.ts); what
 * depends on a case's place is written by the caller: `head` before the first case whose
 * text is not empty, `separator` between two such cases. Nothing writes anything itself.
 */
export interface BatchRenderer {
  begin(): string;
  readonly head: string;
  readonly separator: string;
  case(result: CaseResult): string;
  /** `shown`: how many cases had text. */
  end(summary: BatchSummary, shown: number): string;
}

export const headline = (meta: BatchMeta): string =>
  `rules ${meta.ruleset.name} ${meta.ruleset.version} (${shortDigest(meta.ruleset.digest)}) · inputs: ${meta.inputs.join(' ')}`;

/** `file:line`; with `inputs`, a file inside a folder input is shown relative to that folder. */
export function sourceLabel(s: CaseSource, inputs: readonly string[] = []): string {
  let file = s.file;
  for (const input of inputs) {
    const dir = /[\\/]$/.test(input) ? input : input + '/';
    if (file.startsWith(dir) && file.length > dir.length) {
      file = file.slice(dir.length);
      break;
    }
  }
  return s.line !== undefined ? `${file}:${s.line}` : file;
}

export const AGREEMENT_LABELS: Readonly<Record<Agreement, string>> = {
  agree: 'agree',
  disagree: 'disagree',
  undetermined_candidate: 'among candidates',
  undetermined_not_candidate: 'not among candidates',
};

export const fmtNumber = (x: number): string => String(Math.round(x * 100) / 100);

export const fmtQuartiles = (q: Quartiles | null): string => (q ? `${fmtNumber(q.median)} (${fmtNumber(q.q1)}–${fmtNumber(q.q3)}) n=${q.n}` : '—');

export const fmtRate = (r: Rate): string => (r.percent === null ? '—' : `${r.percent} % (${r.yes}/${r.n})`);

export const fmtPercent = (p: number | null): string => (p === null ? '—' : `${p} %`);

/** The first problem of an invalid case, with its place and field; "+k more" for the rest. */
export function problemText(diagnostics: readonly Diagnostic[] | undefined): string {
  const d = diagnostics?.[0];
  if (!d) return 'invalid';
  const at = d.line !== undefined ? ` (line ${d.line}${d.col !== undefined ? `:${d.col}` : ''})` : '';
  const more = diagnostics.length > 1 ? ` (+${diagnostics.length - 1} more)` : '';
  return `${d.code}${d.path ? ` ${d.path}` : ''}: ${d.message}${at}${more}`;
}

/** The score decision (complexity), if the rule set has one. */
export const scoreDecision = (model: RulesetModel): string | undefined => model.decisions.find((d) => d.hitPolicy === 'score')?.id;

export function complexityText(r: CaseResult, decision: string | undefined): string {
  const c = r.complexity;
  if (!c) return '';
  if (c.level !== 'undetermined') return `${c.level} (${c.score})`;
  const cands = decision ? (r.candidates?.[decision] ?? []) : [];
  return `${cands[0] ?? '?'}–${cands[cands.length - 1] ?? '?'} (${c.score}–${c.scoreMax})`;
}

/** The recommended IVC management; when undetermined, its candidates (`full`) or their number. */
export function ivcText(r: CaseResult, full: boolean): string {
  const v = r.decisions?.[CONCORDANCE_DECISION];
  if (typeof v !== 'string') return '';
  if (v !== 'undetermined') return v;
  const cands = r.candidates?.[CONCORDANCE_DECISION] ?? [];
  return full ? `undetermined: ${cands.join(', ')}` : `undetermined (${cands.length})`;
}

export const CASE_HEAD = ['#', 'case', 'source', 'status', 'IVC management', 'done', 'agreement', 'complexity'] as const;
/** Columns after `status`: one cell spanning them explains an invalid case. */
export const CASE_DETAIL_COLUMNS = CASE_HEAD.length - 4;

export interface CaseRow {
  readonly lead: readonly [string, string, string, string];
  /** The detail cells, or the problem of an invalid case. */
  readonly detail: readonly string[] | { readonly problem: string };
}

/** `full`: candidates listed and sources in full (markdown); otherwise counted and shortened (terminal). */
export function caseRow(r: CaseResult, model: RulesetModel, meta: BatchMeta, full: boolean): CaseRow {
  const lead = [String(r.n), r.id ?? '—', sourceLabel(r.source, full ? [] : meta.inputs), r.status] as const;
  if (r.status === 'invalid') return { lead, detail: { problem: problemText(r.diagnostics) } };
  return {
    lead,
    detail: [ivcText(r, full), r.actual ?? '', r.agreement ? AGREEMENT_LABELS[r.agreement] : '', complexityText(r, scoreDecision(model))],
  };
}

export interface SummaryTable {
  readonly title: string;
  readonly head: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Columns aligned right (counts). */
  readonly numeric?: readonly number[];
  readonly note?: string | undefined;
}

/** `75 % (95 % CI 50.5–89.8)` */
export const fmtProportion = (p: Proportion): string => (p.percent === null ? '—' : `${p.percent} %${p.ci95 ? ` (95 % CI ${p.ci95.low}–${p.ci95.high})` : ''}`);

/** `0.62 (95 % CI 0.35–0.89)` */
export const fmtKappa = (k: KappaSummary | null): string => (k ? `${k.kappa} (95 % CI ${k.ci95.low}–${k.ci95.high})` : '—');

/** The matrix's rows and columns that hold a case (both axes keep the same order; an empty value is left out of both). */
function matrixShape(m: ConfusionMatrix): { values: number[]; undetermined: boolean } {
  const k = m.actual.length;
  const used = (i: number): boolean => m.counts[i]!.some((x) => x > 0) || m.counts.some((row) => row[i]! > 0);
  return { values: m.actual.map((_, i) => i).filter(used), undetermined: m.counts.some((row) => row[k]! > 0) };
}

/**
 * The confusion matrix as a table: rows what was done, columns what was recommended, the same
 * values in the same order on both axes (numbered, with the names in the row labels, so that
 * the table stays narrow), then the undetermined recommendations.
 */
export function matrixTable(m: ConfusionMatrix, title = 'Confusion matrix'): SummaryTable | undefined {
  const { values, undetermined } = matrixShape(m);
  if (!values.length) return undefined;
  const k = m.actual.length;
  const cols = [...values, ...(undetermined ? [k] : [])];
  return {
    title: `${title} (rows: done; columns: recommended, numbered as the rows; values with no case left out)`,
    // numbered from 1 as shown (the numbers only pair a column with its row)
    head: ['done \\ recommended', ...values.map((_, n) => `(${n + 1})`), ...(undetermined ? ['undetermined'] : [])],
    numeric: cols.map((_, c) => c + 1),
    rows: values.map((i, n) => [`(${n + 1}) ${m.actual[i]!}`, ...cols.map((j) => String(m.counts[i]![j]))]),
  };
}

function concordanceFigures(c: Concordance, title: string): SummaryTable {
  const u = c.undetermined;
  return {
    title,
    head: ['', 'cases'],
    numeric: [1],
    rows: [
      ['with what was done recorded', String(c.withActual)],
      ['  recommendation determined', String(c.determined)],
      ['    agree', String(c.agree)],
      ['    disagree', String(c.disagree)],
      ['    agreement', fmtProportion(c.agreement)],
      ["    Cohen's kappa", fmtKappa(c.kappa)],
      ['  recommendation undetermined', String(u.total)],
      ['    actual among the candidates', String(u.actualAmongCandidates)],
      ['    actual not among the candidates', String(u.actualNotAmongCandidates)],
      ['without what was done recorded', String(c.withoutActual)],
    ],
    note: "agreement = agree / determined, Wilson 95 % CI; Cohen's kappa over the determined cases, 95 % CI from the Fleiss-Cohen-Everitt standard error",
  };
}

function concordanceTables(s: BatchSummary): SummaryTable[] {
  const c = s.concordance;
  if (!c) return [];
  const figures = concordanceFigures(c, `Concordance: ${c.decision} recommended vs ${c.actualField}`);
  const matrix = matrixTable(c.matrix);
  return matrix ? [figures, matrix] : [figures];
}

/** Each provenance on one row: agreement and kappa with their intervals, so a synthetic case never lifts a published figure. */
function sourceTable(s: BatchSummary): SummaryTable {
  return {
    title: 'By source (published: cites a paper; synthetic: source.note starts with SYNTHETIC; registry: the rest)',
    head: ['source', 'cases', 'determined', 'agreement', "Cohen's kappa"],
    numeric: [1, 2],
    rows: s.bySource.map((g) => [g.source, String(g.cases.total), String(g.concordance?.determined ?? 0), fmtProportion(g.concordance?.agreement ?? { percent: null, ci95: null }), fmtKappa(g.concordance?.kappa ?? null)]),
    note: 'valid cases; the confusion matrix of each source is in --format json, markdown and html',
  };
}

function duplicateTable(s: BatchSummary): SummaryTable[] {
  const d = s.duplicateIds;
  if (!d.ids) return [];
  return [
    {
      title: `Duplicate case ids: ${d.ids} id(s) given to more than one case (${d.extraCases} extra case(s))`,
      head: ['id', 'cases (#)'],
      rows: d.examples.map((e) => [e.id, e.cases.join(', ')]),
      note: d.examples.length < d.ids ? `the first ${d.examples.length} are listed` : undefined,
    },
  ];
}

const procedures = (counts: Readonly<Record<string, number>>): string =>
  Object.entries(counts)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ') || '—';

const reasonRow = (m: MissingCount): string[] => [m.field, String(m.cases), String(m.ivcManagement), m.workup];

/** The summary as plain tables, in reading order. */
export function summaryTables(s: BatchSummary): SummaryTable[] {
  const c = s.cases;
  const out: SummaryTable[] = [
    {
      title: 'Cases',
      head: ['status', 'cases'],
      numeric: [1],
      rows: [
        ['ok', String(c.ok)],
        ['undetermined', String(c.undetermined)],
        ['invalid', String(c.invalid)],
        ['total', String(c.total)],
      ],
    },
    ...duplicateTable(s),
    ...concordanceTables(s),
    sourceTable(s),
    {
      title: 'By imaging type',
      head: ['imaging type', 'n', 'operative time, min', 'blood loss, mL', 'transfusion', 'ICU admission'],
      numeric: [1],
      rows: s.byImagingType.map((g) => [g.type, String(g.n), fmtQuartiles(g.operativeTimeMin), fmtQuartiles(g.bloodLossMl), fmtRate(g.transfusion), fmtRate(g.icuAdmission)]),
      note: 'median (interquartile range) n=cases with a value; rates of the cases where it is known',
    },
    {
      title: 'Agreement and IVC procedure done, by imaging type',
      head: ['imaging type', 'agreement', 'procedures done'],
      rows: s.byImagingType.map((g) => [g.type, g.agreement.determined ? `${fmtProportion(g.agreement)} n=${g.agreement.determined}` : '—', procedures(g.ivcProcedures.counts)]),
      note: `agreement of the determined recommendations, Wilson 95 % CI; procedures from ${CONCORDANCE_ACTUAL}`,
    },
    {
      title: 'By rule: cases in which each rule decided',
      head: ['decision', 'rule', 'cases'],
      numeric: [2],
      rows: s.byRule.flatMap((d) => [
        ...d.rules.map((r, i) => [i === 0 ? d.decision : '', r.rule, String(r.cases)]),
        [d.rules.length ? '' : d.decision, '(undetermined)', String(d.undetermined)],
      ]),
    },
    {
      title: 'Undetermined: missing inputs that leave the most cases open',
      head: ['input', 'cases', `of which ${CONCORDANCE_DECISION}`, 'work-up'],
      numeric: [1, 2],
      rows: s.undeterminedReasons.map(reasonRow),
    },
  ];
  const v = s.invariantViolations;
  if (v.cases)
    out.push({
      title: 'Safety invariants violated',
      head: ['invariant', 'cases'],
      numeric: [1],
      rows: Object.entries(v.byInvariant).map(([k, n]) => [k, String(n)]),
    });
  return out;
}
