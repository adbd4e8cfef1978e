/**
 * Batch results as one self-contained HTML page (no script, no font, no request at view time),
 * for a paper or an appendix: the key figures, then inline SVG pictures — the confusion matrix
 * as a heat map, agreement by imaging type with its 95 % intervals, the distribution of
 * operative time and blood loss by imaging type as box plots — and the summary tables; then,
 * unless --summary, the case list. The case list streams as the cases come; the summary, built
 * at the end, is placed first on the page by the stylesheet (a column flex box).
 *
 * Every text from an input or the rule set goes through `htmlText` (report/sanitize.ts); the
 * attributes the page writes are constants and numbers.
 */
import type { BatchSummary, Concordance, ImagingGroup } from '../batch/summary.js';
import type { Quartiles } from '../batch/stats.js';
import type { RulesetModel } from '../rules/model.js';
import { CASE_DETAIL_COLUMNS, CASE_HEAD, caseRow, fmtKappa, fmtProportion, headline, matrixTable, summaryTables, type BatchMeta, type BatchRenderer, type SummaryTable } from './batch-common.js';
import { htmlText as h } from './sanitize.js';

const STYLE = `
:root { color-scheme: light; }
body { font: 10.5pt/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; margin: 0 auto; max-width: 60rem; padding: 1rem; }
main { display: flex; flex-direction: column; }
#summary { order: -1; }
h1 { font-size: 1.4rem; margin: 0 0 .2rem; } h2 { font-size: 1.15rem; margin: 1.4rem 0 .4rem; } h3 { font-size: 1rem; margin: 1rem 0 .3rem; }
.meta { color: #555; overflow-wrap: anywhere; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr)); gap: .5rem; margin: .6rem 0; }
.figure { border: 1px solid #ccd; border-radius: 4px; padding: .4rem .6rem; }
.figure b { display: block; font-size: 1.15rem; }
figure { margin: .8rem 0; break-inside: avoid; }
figcaption { color: #444; font-size: .9rem; }
svg { max-width: 100%; height: auto; }
svg text { font: 11px system-ui, sans-serif; fill: #1a1a1a; }
table { border-collapse: collapse; width: 100%; margin: .3rem 0 .6rem; font-size: .9rem; }
th, td { border-bottom: 1px solid #dde; padding: .15rem .4rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.note { color: #555; font-size: .85rem; margin: 0 0 .6rem; }
.invalid { color: #a40000; }
@page { size: A4; margin: 12mm; }
@media print { body { max-width: none; padding: 0; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
`;

const esc = (s: string | number): string => h(String(s));
const fmt = (x: number): string => String(Math.round(x * 10) / 10);

function table(t: SummaryTable): string {
  const num = new Set(t.numeric ?? []);
  const cell = (tag: 'th' | 'td', text: string, i: number): string => `<${tag}${num.has(i) ? ' class="n"' : ''}>${esc(text)}</${tag}>`;
  const body = t.rows.length ? t.rows.map((r) => `<tr>${r.map((c, i) => cell('td', c, i)).join('')}</tr>`).join('\n') : `<tr><td colspan="${t.head.length}">none</td></tr>`;
  return `<h3>${esc(t.title)}</h3>\n<table><thead><tr>${t.head.map((c, i) => cell('th', c, i)).join('')}</tr></thead>\n<tbody>\n${body}\n</tbody></table>\n${t.note ? `<p class="note">${esc(t.note)}</p>\n` : ''}`;
}

/** White to dark blue by share of the largest count. */
function heat(share: number): string {
  const mix = (a: number, b: number): number => Math.round(a + (b - a) * share);
  return `rgb(${mix(247, 8)},${mix(251, 69)},${mix(255, 148)})`;
}

/** The confusion matrix as a heat map: rows what was done, columns what was recommended, the same order on both axes. */
export function heatMap(c: Concordance): string {
  const m = c.matrix;
  const k = m.actual.length;
  const rows = m.actual.map((_, i) => i).filter((i) => m.counts[i]!.some((x) => x > 0) || m.counts.some((r) => r[i]! > 0));
  if (!rows.length) return '<p class="note">No case records what was done: no confusion matrix.</p>';
  const cols = [...rows, ...(m.counts.some((r) => r[k]! > 0) ? [k] : [])];
  const max = Math.max(1, ...rows.flatMap((i) => cols.map((j) => m.counts[i]![j]!)));
  const cell = 44;
  const left = 150;
  const top = 120;
  const width = left + Math.max(cols.length * cell + 70, 300);
  const height = top + rows.length * cell + 30;
  const parts: string[] = [];
  cols.forEach((j, x) => {
    const cx = left + x * cell + cell / 2;
    parts.push(`<text x="${cx}" y="${top - 8}" transform="rotate(-45 ${cx} ${top - 8})">${esc(m.recommended[j]!)}</text>`);
  });
  rows.forEach((i, y) => {
    const cy = top + y * cell;
    parts.push(`<text x="${left - 6}" y="${cy + cell / 2 + 4}" text-anchor="end">${esc(m.actual[i]!)}</text>`);
    cols.forEach((j, x) => {
      const n = m.counts[i]![j]!;
      const share = n / max;
      const diagonal = i === j;
      parts.push(
        `<rect x="${left + x * cell}" y="${cy}" width="${cell - 2}" height="${cell - 2}" fill="${heat(share)}"${diagonal ? ' stroke="#1a1a1a" stroke-width="1.5"' : ''}><title>done ${esc(m.actual[i]!)}, recommended ${esc(m.recommended[j]!)}: ${n}</title></rect>`,
        `<text x="${left + x * cell + (cell - 2) / 2}" y="${cy + cell / 2 + 3}" text-anchor="middle"${share > 0.55 ? ' style="fill:#fff"' : ''}>${n}</text>`,
      );
    });
  });
  parts.push(`<text x="${left}" y="${height - 8}">outlined: agreement (the diagonal)</text>`);
  return `<svg id="confusion-matrix" role="img" aria-label="Confusion matrix heat map" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">\n${parts.join('\n')}\n</svg>`;
}

/** Agreement by imaging type: a bar per type with its Wilson 95 % interval, and n. */
export function agreementChart(groups: readonly ImagingGroup[]): string {
  const rows = groups.filter((g) => g.agreement.determined > 0);
  if (!rows.length) return '<p class="note">No determined recommendation with what was done: no agreement to show.</p>';
  const left = 110;
  const plot = 400;
  const bar = 26;
  const top = 10;
  const width = left + plot + 90;
  const height = top + rows.length * bar + 36;
  const x = (p: number): number => left + (p / 100) * plot;
  const parts: string[] = [];
  for (const p of [0, 25, 50, 75, 100])
    parts.push(`<line x1="${x(p)}" y1="${top}" x2="${x(p)}" y2="${top + rows.length * bar}" stroke="#dde"/>`, `<text x="${x(p)}" y="${top + rows.length * bar + 14}" text-anchor="middle">${p} %</text>`);
  rows.forEach((g, i) => {
    const y = top + i * bar;
    const a = g.agreement;
    parts.push(
      `<text x="${left - 6}" y="${y + bar / 2 + 4}" text-anchor="end">${esc(g.type)}</text>`,
      `<rect x="${left}" y="${y + 5}" width="${fmt((a.percent! / 100) * plot)}" height="${bar - 10}" fill="#4a7ab5"><title>${esc(g.type)}: ${esc(fmtProportion(a))}, n=${a.determined}</title></rect>`,
    );
    if (a.ci95) {
      const cy = y + bar / 2;
      parts.push(
        `<line x1="${fmt(x(a.ci95.low))}" y1="${cy}" x2="${fmt(x(a.ci95.high))}" y2="${cy}" stroke="#1a1a1a" stroke-width="1.5"/>`,
        `<line x1="${fmt(x(a.ci95.low))}" y1="${cy - 5}" x2="${fmt(x(a.ci95.low))}" y2="${cy + 5}" stroke="#1a1a1a"/>`,
        `<line x1="${fmt(x(a.ci95.high))}" y1="${cy - 5}" x2="${fmt(x(a.ci95.high))}" y2="${cy + 5}" stroke="#1a1a1a"/>`,
      );
    }
    parts.push(`<text x="${left + plot + 8}" y="${y + bar / 2 + 4}">${esc(`${a.percent} % n=${a.determined}`)}</text>`);
  });
  parts.push(`<text x="${left}" y="${height - 4}">bars: agreement; lines: Wilson 95 % confidence interval</text>`);
  return `<svg id="agreement-by-type" role="img" aria-label="Agreement by imaging type" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">\n${parts.join('\n')}\n</svg>`;
}

/** Box plots of one measure by imaging type: whiskers min–max, box the interquartile range, the median a line. */
export function boxPlot(id: string, label: string, unit: string, groups: readonly ImagingGroup[], pick: (g: ImagingGroup) => Quartiles | null): string {
  const rows = groups.map((g) => [g.type, pick(g)] as const).filter((r): r is readonly [string, Quartiles] => r[1] !== null);
  if (!rows.length) return `<p class="note">No case records ${esc(label)}.</p>`;
  const hi = Math.max(...rows.map(([, q]) => q.max));
  const step = niceStep(hi);
  const top = Math.max(step, Math.ceil(hi / step) * step);
  const left = 110;
  const plot = 400;
  const row = 28;
  const y0 = 10;
  const width = left + plot + 60;
  const height = y0 + rows.length * row + 36;
  const x = (v: number): string => fmt(left + (v / top) * plot);
  const parts: string[] = [];
  for (let v = 0; v <= top; v += step)
    parts.push(`<line x1="${x(v)}" y1="${y0}" x2="${x(v)}" y2="${y0 + rows.length * row}" stroke="#dde"/>`, `<text x="${x(v)}" y="${y0 + rows.length * row + 14}" text-anchor="middle">${v}</text>`);
  rows.forEach(([type, q], i) => {
    const cy = y0 + i * row + row / 2;
    parts.push(
      `<text x="${left - 6}" y="${cy + 4}" text-anchor="end">${esc(type)}</text>`,
      `<line x1="${x(q.min)}" y1="${cy}" x2="${x(q.max)}" y2="${cy}" stroke="#1a1a1a"/>`,
      `<rect x="${x(q.q1)}" y="${cy - 8}" width="${fmt(((q.q3 - q.q1) / top) * plot)}" height="16" fill="#cfe0f3" stroke="#1a1a1a"><title>${esc(`${type}: median ${q.median} (IQR ${q.q1}–${q.q3}, range ${q.min}–${q.max}) ${unit}, n=${q.n}`)}</title></rect>`,
      `<line x1="${x(q.median)}" y1="${cy - 8}" x2="${x(q.median)}" y2="${cy + 8}" stroke="#08306b" stroke-width="2.5"/>`,
      `<text x="${left + plot + 8}" y="${cy + 4}">n=${q.n}</text>`,
    );
  });
  parts.push(`<text x="${left}" y="${height - 4}">${esc(`${label}, ${unit}: box interquartile range, line median, whiskers range`)}</text>`);
  return `<svg id="${id}" role="img" aria-label="${esc(label)} by imaging type" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">\n${parts.join('\n')}\n</svg>`;
}

/** A round axis step giving about five ticks up to `max`. */
function niceStep(max: number): number {
  if (max <= 0) return 1;
  const raw = max / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= raw)!;
}

function figures(s: BatchSummary): string {
  const c = s.concordance;
  const box = (label: string, value: string): string => `<div class="figure">${esc(label)}<b>${esc(value)}</b></div>`;
  return `<div class="figures">
${box('cases', `${s.cases.total} (${s.cases.ok} ok, ${s.cases.undetermined} undetermined, ${s.cases.invalid} invalid)`)}
${c ? box('agreement, determined cases', `${fmtProportion(c.agreement)}, n=${c.determined}`) : ''}
${c ? box("Cohen's kappa", fmtKappa(c.kappa)) : ''}
${c ? box('undetermined, what was done among the candidates', `${c.undetermined.actualAmongCandidates} of ${c.undetermined.total}`) : ''}
${s.duplicateIds.ids ? box('duplicate case ids', `${s.duplicateIds.ids} id(s), ${s.duplicateIds.extraCases} extra case(s)`) : ''}
</div>`;
}

function summarySection(s: BatchSummary): string {
  const c = s.concordance;
  const pictures = [
    c ? `<figure>${heatMap(c)}<figcaption>Confusion matrix of ${esc(c.decision)}: what the rules recommended against ${esc(c.actualField)}, all valid cases.</figcaption></figure>` : '',
    `<figure>${agreementChart(s.byImagingType)}<figcaption>Agreement by imaging type (determined recommendations with what was done recorded).</figcaption></figure>`,
    `<figure>${boxPlot('operative-time', 'operative time', 'min', s.byImagingType, (g) => g.operativeTimeMin)}<figcaption>Operative time by imaging type.</figcaption></figure>`,
    `<figure>${boxPlot('blood-loss', 'blood loss', 'mL', s.byImagingType, (g) => g.bloodLossMl)}<figcaption>Blood loss by imaging type.</figcaption></figure>`,
  ].join('\n');
  const perSource = s.bySource
    .map((g) => (g.concordance ? matrixTable(g.concordance.matrix, `Confusion matrix, ${g.source} cases`) : undefined))
    .filter((t): t is SummaryTable => t !== undefined)
    .map(table)
    .join('\n');
  return `<section id="summary">
<h2>Summary</h2>
${figures(s)}
${pictures}
${summaryTables(s).map(table).join('\n')}
${perSource}
</section>`;
}

export function createHtmlRenderer(model: RulesetModel, meta: BatchMeta, options: { cases: boolean } = { cases: true }): BatchRenderer {
  return {
    begin: () =>
      `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>rvlms batch report</title>\n<style>${STYLE}</style>\n</head>\n<body>\n<header>\n<h1>rvlms batch</h1>\n<p class="meta">${esc(headline(meta))}</p>\n</header>\n<main>\n`,
    head: `<section id="cases">\n<h2>Cases</h2>\n<table><thead><tr>${CASE_HEAD.map((c, i) => `<th${i === 0 ? ' class="n"' : ''}>${esc(c)}</th>`).join('')}</tr></thead>\n<tbody>\n`,
    separator: '',
    case(r) {
      if (!options.cases) return '';
      const row = caseRow(r, model, meta, true);
      const lead = `<td class="n">${esc(row.lead[0])}</td><td>${esc(row.lead[1])}</td><td>${esc(row.lead[2])}</td><td${r.status === 'invalid' ? ' class="invalid"' : ''}>${esc(row.lead[3])}</td>`;
      const detail = 'problem' in row.detail ? `<td colspan="${CASE_DETAIL_COLUMNS}" class="invalid">${esc(row.detail.problem)}</td>` : row.detail.map((d) => `<td>${esc(d)}</td>`).join('');
      return `<tr>${lead}${detail}</tr>\n`;
    },
    end: (summary: BatchSummary, shown: number) => `${shown ? '</tbody></table>\n</section>\n' : options.cases ? '<section id="cases">\n<h2>Cases</h2>\n<p>No cases.</p>\n</section>\n' : ''}${summarySection(summary)}\n</main>\n</body>\n</html>\n`,
  };
}
