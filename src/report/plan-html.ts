/**
 * The MDT handout: one self-contained HTML page (no script, no network, inline SVG and
 * CSS) that prints on one A4 or Letter page, two at most. The patient and the answer on
 * top, the vessel drawing, every decision with its reasons, warnings, missing inputs with
 * their investigation, borderline notes, a box for the MDT's decision and sign-off, the
 * references as a short appendix and a legend for every mark. Pure: a string.
 */
import type { RulesetModel } from '../rules/model.js';
import {
  borderlineText,
  fieldLabels,
  citedEvidence,
  decisionValueText,
  evidenceStrength,
  OPEN_MARK_MEANING,
  planHeading,
  shortCitation,
  summaryItems,
  valueDetails,
} from './plan-common.js';
import { followsText, type ExplainedDecision, type ExplainedPlan } from './plan-explain.js';
import { renderVesselSvg, SVG_COLOURS } from './plan-svg.js';
import { renderTraceText } from './plan-text.js';
import { htmlAttr } from './sanitize.js';
import { PLAIN } from './style.js';

/** Every text from the plan or the rule set goes through the one HTML sanitiser (content and attributes alike). */
const e = htmlAttr;

const CSS = `
@page { margin: 8mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font: 7.6pt/1.22 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #111; margin: 0 auto; max-width: 194mm; padding: 0; overflow-wrap: anywhere; }
@media screen { body { padding: 8mm 0; } }
h1 { font-size: 12.5pt; margin: 0; }
h2 { font-size: 8.6pt; margin: 4px 0 1px; padding-bottom: 1px; border-bottom: 1px solid #999; text-transform: uppercase; letter-spacing: .03em; }
.meta { color: #444; font-size: 7.5pt; }
header { display: flex; justify-content: space-between; align-items: baseline; gap: 8px; border-bottom: 2px solid #111; padding-bottom: 2px; }
.summary { margin: 5px 0 0; padding: 3px 6px; background: #eef3fa; border-left: 4px solid #2c5aa0; }
.summary { columns: 2 16em; column-gap: 10px; }
.summary > b { column-span: all; display: block; }
.summary span { display: block; break-inside: avoid; }
.summary .open, .open { color: ${SVG_COLOURS.unknown}; }
.top { display: grid; grid-template-columns: 46mm 1fr; gap: 6px; }
.drawing svg { width: 46mm; height: auto; display: block; }
.inputs { columns: 2; column-gap: 10px; list-style: none; margin: 0; padding: 0; font-size: 7.4pt; }
.inputs li { break-inside: avoid; }
.inputs .k { color: #444; }
.unknown { font-size: 7.6pt; margin: 3px 0 0; }
.decisions { columns: 2; column-gap: 10px; }
.decisions .decision ul { font-size: 6.4pt; line-height: 1.12; }
.decisions .decision { break-inside: auto; }
.decision { margin: 1px 0 2px; break-inside: avoid; }
.decision .head { font-weight: bold; break-after: avoid; }
.decision .value { font-weight: bold; }
.decision ul { margin: 0; padding-left: 12px; font-size: 6.7pt; line-height: 1.18; list-style: none; }
.decision li.open { font-size: 6.4pt; line-height: 1.15; text-indent: 0; }
.decision li { text-indent: -10px; padding-left: 0; break-inside: avoid; }
.rule, .ev { color: #555; font-size: 6.2pt; }
.mark { display: inline-block; width: 10px; font-weight: bold; text-indent: 0; }
.cols { columns: 2; column-gap: 10px; }
ul.missing { columns: 3; column-gap: 10px; margin: 0; padding-left: 12px; font-size: 6.7pt; line-height: 1.2; }
ul.missing li { break-inside: avoid; }
ul.flat { margin: 0; padding-left: 12px; font-size: 6.7pt; line-height: 1.18; }
.mdt { border: 1.5px solid #111; padding: 3px 6px; margin-top: 5px; break-inside: avoid; }
.mdt .line { border-bottom: 1px solid #888; height: 14px; margin: 1px 0; font-size: 7.5pt; color: #444; }
.mdt .sign { display: grid; grid-template-columns: 2fr 1fr 2fr; gap: 8px; }
.close { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; margin-top: 5px; break-inside: avoid; }
.close .mdt { margin-top: 0; }
.legend { font-size: 6.6pt; line-height: 1.25; color: #333; margin: 0; }
.legend { columns: 2; column-gap: 6px; }
.legend span { display: block; break-inside: avoid; }
.legend svg { vertical-align: middle; }
.refs { font-size: 6pt; line-height: 1.12; columns: 3; column-gap: 10px; margin: 0; padding-left: 0; list-style: none; }
.refs li { break-inside: avoid; margin-bottom: 1px; }
.alert { border: 2px solid ${SVG_COLOURS.tumour}; padding: 2px 6px; color: ${SVG_COLOURS.tumour}; font-weight: bold; }
pre { font-size: 6.5pt; white-space: pre-wrap; }
footer { font-size: 6.3pt; line-height: 1.15; color: #555; margin-top: 2px; }
`;

const evidence = (ids: readonly string[]): string => (ids.length ? ` <span class="ev">[${ids.map(e).join(', ')}]</span>` : '');

function decisionHtml(id: string, d: ExplainedDecision): string {
  const open = d.status !== 'determined';
  const items: string[] = [];
  for (const x of valueDetails(d)) items.push(`<li><span class="mark">·</span>${e(x)}</li>`);
  if (d.hitPolicy === 'score') {
    const possible: string[] = [];
    for (const f of d.factors ?? []) {
      const sign = f.points >= 0 ? `+${f.points}` : String(f.points);
      if (f.status === 'possible') possible.push(`${e(sign)} ${e(f.title)} <span class="rule">${e(f.rule)}</span>`);
      else items.push(`<li><span class="mark">•</span>${e(sign)} <b>${e(f.title)}</b>: ${e(f.rationale)} <span class="rule">${e(f.rule)}</span>${evidence(f.evidence)}</li>`);
    }
    if (possible.length) items.push(`<li class="open"><span class="mark">?</span>would add, if the inputs they need turn out so: ${possible.join('; ')}</li>`);
  } else {
    for (const r of d.reasons) {
      const lead = d.hitPolicy === 'collect' && r.value ? `<b>${e(d.labels[r.value] ?? r.value)}</b> — ` : '';
      items.push(`<li><span class="mark">${d.hitPolicy === 'collect' ? '•' : '✓'}</span>${lead}${e(r.title)}: ${e(r.rationale)} <span class="rule">${e(r.rule)}</span>${evidence(r.evidence)}</li>`);
    }
    // the candidates run on in one paragraph: many short alternatives, printed without ragged lines
    const cands = (d.candidates ?? []).map((c) => {
      const ways = c.reasons.map((r) => `if ${e(r.if.join('; and '))} <span class="rule">${e(r.rule)}</span>`);
      return `<span class="cand"><b>? ${e(c.label)}</b> — ${ways.join('; <i>or</i> ')}</span>`;
    });
    if (cands.length) items.push(`<li class="open">${cands.join(' · ')}</li>`);
  }
  const value = decisionValueText(d);
  return (
    `<div class="decision" data-decision="${e(id)}">` +
    `<div class="head">${e(d.title)}: <span class="value${open ? ' open' : ''}">${open ? '? ' : ''}${e(value)}</span></div>` +
    (items.length ? `<ul>${items.join('')}</ul>` : '') +
    `</div>`
  );
}

const swatch = (inner: string): string => `<svg width="14" height="12" viewBox="0 0 14 12" aria-hidden="true">${inner}</svg>`;

function legendHtml(): string {
  const c = SVG_COLOURS;
  const entries = [
    [swatch(`<rect x="2" y="1" width="10" height="10" rx="2" fill="${c.tumour}"/>`), 'tumour at that level (red vein: involved / invaded)'],
    [swatch(`<rect x="2" y="1" width="10" height="10" fill="${c.abutted}"/>`), 'renal vein abutted'],
    [swatch(`<text x="7" y="11" text-anchor="middle" font-weight="bold" font-size="12" fill="${c.unknown}">?</text>`), OPEN_MARK_MEANING],
    [swatch(`<ellipse cx="7" cy="6" rx="4" ry="5.5" fill="${c.patch}"/>`), 'patch cavoplasty'],
    [swatch(`<rect x="1" y="1" width="12" height="10" fill="${c.graft}" fill-opacity=".35" stroke="${c.graft}"/><path d="M1 4H13M1 8H13" stroke="${c.graft}"/>`), 'ringed interposition graft'],
    [swatch(`<path d="M1 3H13M1 9H13" stroke="${c.ligature}" stroke-width="2.5"/>`), 'ligation (vein divided, not reconstructed)'],
    [swatch(`<path d="M4 1L9 3L4 5L9 7L4 9L9 11" fill="none" stroke="${c.patch}" stroke-width="1.5"/>`), 'primary repair (suture)'],
    [swatch(`<circle cx="7" cy="6" r="4" fill="#fff" stroke="${c.patch}" stroke-width="2"/>`), 'renal vein reimplanted'],
    [swatch(`<ellipse cx="7" cy="6" rx="4" ry="5.5" fill="none" stroke="#9c7b6b" stroke-dasharray="2 2"/>`), 'kidney absent (solitary kidney on the other side)'],
  ];
  return (
    `<div class="legend"><b>Legend.</b> ` +
    entries.map(([icon, text]) => `<span>${icon} ${e(text!)}</span>`).join('') +
    `<span>✓ the rule that decided · • an item with its rule · rule ids in grey, evidence ids in [brackets] (see References)</span></div>`
  );
}

export function renderPlanHtml(plan: ExplainedPlan, model: RulesetModel, opts: { explain?: boolean } = {}): string {
  const h = planHeading(plan);
  const out: string[] = [];
  out.push(
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>MDT plan — ${e(h.caseId)}${h.date ? ` — ${e(h.date)}` : ''}</title>`,
    `<style>${CSS}</style></head><body>`,
  );
  out.push(
    `<header><h1>MDT plan — ${e(h.caseId)}</h1><div class="meta">${h.date ? `${e(h.date)} · ` : ''}rules ${e(h.rules)}</div></header>`,
  );
  if (plan.invariantViolations.length) {
    out.push(`<div class="alert">SAFETY INVARIANT VIOLATED: ${plan.invariantViolations.map((v) => `${e(v.invariant)} (${e(v.decision)} = ${e(v.values.join(', '))})`).join('; ')}</div>`);
  }
  // the patient and the drawing
  const rows = plan.patient.given.map((g) => `<li><span class="k">${e(g.label)}</span> <b>${e(g.text)}</b>${g.follows ? ` <span class="k">${e(followsText(g))}</span>` : ''}</li>`).join('');
  out.push(
    `<section class="top"><div class="drawing">${renderVesselSvg(plan)}</div><div>`,
    `<h2>Patient — inputs given</h2><ul class="inputs">${rows || '<li>nothing</li>'}</ul>`,
    `<p class="unknown"><b>Unknown:</b> <span class="open">${plan.patient.unknown.map((u) => e(u.label)).join(' · ') || 'nothing'}</span></p>`,
    plan.patient.unread?.length ? `<p class="unknown"><b>Given, read by no rule:</b> ${e(fieldLabels(plan.patient.unread))}</p>` : '',
    // the answer after the patient it rests on
    `<div class="summary"><b>Recommendation:</b> ${summaryItems(plan, model)
      .map((x) => `<span${x.open ? ' class="open"' : ''}>${e(x.title)}: <b>${x.open ? '? ' : ''}${e(x.text)}</b></span>`)
      .join('')}</div>`,
    `</div></section>`,
  );
  out.push('<h2>Decisions and reasons</h2>', '<div class="decisions">');
  for (const m of model.decisions) {
    const d = plan.decisions[m.id];
    if (d) out.push(decisionHtml(m.id, d));
  }
  out.push('</div>');
  if (plan.complexity?.references.length) {
    out.push(`<ul class="flat">${plan.complexity.references.map((r) => `<li>${e(r.label)}: ${e(r.figures)}${evidence(r.evidence)}</li>`).join('')}</ul>`);
  }
  if (plan.warnings.length) {
    out.push('<h2>Warnings</h2>', `<ul class="flat">${plan.warnings.map((w) => `<li>! ${e(w.text)} <span class="rule">${e(w.rule)}</span></li>`).join('')}</ul>`);
  }
  if (plan.missing.length) {
    out.push(
      '<h2>Missing inputs — investigation to obtain each</h2>',
      `<ul class="missing">${plan.missing
        .map((m) => `<li><b>${e(m.label)}</b>: ${e(m.workup)}</li>`)
        .join('')}</ul>`,
    );
  }
  if (plan.borderline.length) {
    out.push('<h2>Borderline values</h2>', `<ul class="flat">${plan.borderline.map((b) => `<li>~ ${e(borderlineText(model, b))}</li>`).join('')}</ul>`);
  }
  // the MDT's own box, with the legend beside it
  out.push(
    `<div class="close"><section class="mdt"><b>MDT decision</b>`,
    `<div class="line">Decision:</div><div class="line"></div><div class="line">If different from the plan, why:</div>`,
    `<div class="sign"><div class="line">Chair:</div><div class="line">Date:</div><div class="line">Signature:</div></div></section>`,
    legendHtml(),
    `</div>`,
  );
  out.push(
    '<h2>References cited</h2>',
    `<ul class="refs">${citedEvidence(plan)
      .map((x) => {
        const strength = evidenceStrength(x);
        return `<li><b>${e(x.id)}</b> ${e(shortCitation(x))}${strength ? `. <i>${e(strength)}</i>` : ''}</li>`;
      })
      .join('')}</ul>`,
  );
  if (opts.explain && plan.trace) out.push('<h2>Trace</h2>', `<pre>${e(renderTraceText(plan.trace, model, PLAIN).join('\n'))}</pre>`);
  out.push(`<footer>${e(model.intendedUse ?? 'Decision support for the MDT; the team decides.')}</footer>`);
  out.push('</body></html>', '');
  return out.join('\n');
}
