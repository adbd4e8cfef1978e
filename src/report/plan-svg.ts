/**
 * The vessel drawing of the handout as inline SVG: right atrium, IVC segments III / II / I,
 * hepatic veins, renal veins with the kidneys, iliac confluence; the tumour at each level
 * (or "?" where involvement is unknown), hepatic-vein, atrial and renal-vein status, and
 * the planned reconstruction (patch, graft, ligation, primary repair) and renal-vein plan.
 * Patient's right on the viewer's left, as on a CT. Pure: a string from the plan.
 *
 * What the drawing can show is anatomy; it reads the decisions it draws (the IVC plan and
 * the renal veins, found by their values) and draws nothing for a rule set without them.
 */
import type { ExplainedPlan } from './plan-explain.js';
import { htmlAttr } from './sanitize.js';

const esc = htmlAttr;

/** Colours shared with the legend. */
export const SVG_COLOURS = {
  vein: '#5b7fb5',
  tumour: '#b3261e',
  abutted: '#d9822b',
  unknown: '#8a6d00',
  patch: '#2e7d32',
  graft: '#6a4c93',
  ligature: '#111111',
} as const;

// Geometry (user units). The tube runs from the atrium to the iliac confluence.
const X0 = 108; // left wall of the IVC
const X1 = 132; // right wall
const XM = (X0 + X1) / 2;
const Y_ATRIUM = 58; // bottom of the atrium
const Y_HEPATIC = 118; // hepatic veins: segment III above, II below
const Y_RENAL = 208; // renal veins: segment II above, I below
const Y_CONFLUENCE = 292;
const SEGMENTS = [
  { id: 'III', top: Y_ATRIUM, bottom: Y_HEPATIC },
  { id: 'II', top: Y_HEPATIC, bottom: Y_RENAL },
  { id: 'I', top: Y_RENAL, bottom: Y_CONFLUENCE },
] as const;

type Tri = boolean | undefined;

function involvedRange(segments: readonly string[] | undefined): { top: number; bottom: number } | undefined {
  if (!segments?.length) return undefined;
  const hit = SEGMENTS.filter((s) => segments.includes(s.id));
  if (!hit.length) return undefined;
  return { top: Math.min(...hit.map((s) => s.top)), bottom: Math.max(...hit.map((s) => s.bottom)) };
}

const text = (x: number, y: number, s: string, attrs = ''): string => `<text x="${x}" y="${y}" ${attrs}>${esc(s)}</text>`;
const question = (x: number, y: number): string => `<text class="q" x="${x}" y="${y}" text-anchor="middle">?</text>`;

/** The ivcManagement-like decision: the one whose values include the reconstructions drawn. */
function reconstruction(plan: ExplainedPlan): { value?: string; open: boolean; graftMm?: number } | undefined {
  for (const d of Object.values(plan.decisions)) {
    if (d.hitPolicy !== 'priority') continue;
    const known = ['patch_cavoplasty', 'interposition_graft', 'ligation', 'primary_repair', 'no_caval_resection'];
    const values = [typeof d.value === 'string' ? d.value : '', ...(d.candidates ?? []).map((c) => c.value)];
    if (!values.some((v) => known.includes(v))) continue;
    if (d.status !== 'determined') return { open: true };
    return { value: d.value as string, open: false, ...(d.graftSize?.sizeMm !== undefined ? { graftMm: d.graftSize.sizeMm } : {}) };
  }
  return undefined;
}

/** Renal-vein plan items by side, from a collect decision whose items are named left_… / right_… / …into_graft. */
function renalPlan(plan: ExplainedPlan): { left: string[]; right: string[]; open: boolean } {
  const out = { left: [] as string[], right: [] as string[], open: false };
  for (const d of Object.values(plan.decisions)) {
    if (d.hitPolicy !== 'collect') continue;
    const items = d.value as readonly string[];
    const all = [...items, ...(d.candidates ?? []).map((c) => c.value)];
    if (!all.some((v) => /^(left|right)_|into_graft$/.test(v))) continue;
    for (const v of items) {
      const act = /ligation/.test(v) ? 'ligation' : /reimplant/.test(v) ? 'reimplant' : undefined;
      if (!act) continue;
      if (v.startsWith('left_')) out.left.push(act);
      else if (v.startsWith('right_')) out.right.push(act);
      else if (/into_graft$/.test(v)) {
        out.left.push('reimplant');
        out.right.push('reimplant');
      }
    }
    out.open = d.status !== 'determined';
  }
  return out;
}

/** The drawing; `id` names the svg element. */
export function renderVesselSvg(plan: ExplainedPlan, id = 'vessel-drawing'): string {
  const c = SVG_COLOURS;
  const inputs = plan.inputs ?? {};
  const segments = inputs['ivc.segments'] as readonly string[] | undefined;
  const atrium = inputs['ivc.rightAtrialExtension'] as Tri;
  const hepatic = inputs['ivc.hepaticVeinInvolvement'] as Tri;
  const circumference = inputs['ivc.circumferencePercent'] as number | undefined;
  const renal = { left: inputs['renalVeins.left'] as string | undefined, right: inputs['renalVeins.right'] as string | undefined };
  const kidney = inputs['patient.solitaryKidney'] as string | undefined;
  const parts: string[] = [];
  const desc: string[] = [];

  // veins
  parts.push(`<g class="veins" stroke="${c.vein}" fill="none" stroke-linecap="round">`);
  const hvStroke = hepatic === true ? c.tumour : c.vein;
  parts.push(`<path d="M${X0 + 2} ${Y_HEPATIC - 6} L66 ${Y_HEPATIC - 30} M${XM + 4} ${Y_HEPATIC - 8} L${XM + 22} ${Y_HEPATIC - 46} M${X1 - 2} ${Y_HEPATIC - 6} L174 ${Y_HEPATIC - 30}" stroke="${hvStroke}" stroke-width="7"/>`);
  const rvColour = (s: string | undefined) => (s === 'invaded' ? c.tumour : s === 'abutted' ? c.abutted : c.vein);
  // patient's right renal vein on the viewer's left
  parts.push(`<path d="M${X0} ${Y_RENAL} L40 ${Y_RENAL}" stroke="${rvColour(renal.right)}" stroke-width="9"/>`);
  parts.push(`<path d="M${X1} ${Y_RENAL} L200 ${Y_RENAL}" stroke="${rvColour(renal.left)}" stroke-width="9"/>`);
  parts.push(`<path d="M${X0 + 4} ${Y_CONFLUENCE} L84 334 M${X1 - 4} ${Y_CONFLUENCE} L156 334" stroke-width="14"/>`);
  parts.push('</g>');
  // kidneys (a missing one dashed)
  const kid = (x: number, present: boolean) => `<ellipse cx="${x}" cy="${Y_RENAL + 4}" rx="13" ry="22" fill="${present ? '#e9d3c9' : 'none'}" stroke="#9c7b6b" ${present ? '' : 'stroke-dasharray="3 3"'}/>`;
  parts.push(kid(28, kidney !== 'left'), kid(212, kidney !== 'right'));
  // atrium and IVC
  parts.push(`<ellipse cx="${XM}" cy="36" rx="42" ry="24" fill="#f4e3e3" stroke="${c.vein}" stroke-width="2"/>`);
  parts.push(`<rect x="${X0}" y="${Y_ATRIUM - 2}" width="${X1 - X0}" height="${Y_CONFLUENCE - Y_ATRIUM + 4}" rx="4" fill="#dfe8f5" stroke="${c.vein}" stroke-width="2"/>`);
  // level boundaries
  parts.push(`<path d="M${X0 - 6} ${Y_HEPATIC} H${X1 + 6} M${X0 - 6} ${Y_RENAL} H${X1 + 6}" stroke="#777" stroke-width="1" stroke-dasharray="2 2"/>`);

  // tumour: atrium
  if (atrium === true) {
    parts.push(`<ellipse class="tumour" cx="${XM}" cy="44" rx="16" ry="11" fill="${c.tumour}"/>`);
    desc.push('tumour extends into the right atrium');
  } else if (atrium === undefined) {
    parts.push(question(XM, 42));
    desc.push('atrial extension unknown');
  }
  // tumour: segments
  for (const s of SEGMENTS) {
    const involved = segments === undefined ? undefined : segments.includes(s.id);
    if (involved === true) parts.push(`<rect class="tumour" x="${X0 + 3}" y="${s.top + 4}" width="${X1 - X0 - 6}" height="${s.bottom - s.top - 8}" rx="5" fill="${c.tumour}"/>`);
    else if (involved === undefined) parts.push(question(XM, (s.top + s.bottom) / 2 + 5));
    parts.push(text(X0 - 6, s.id === 'III' ? s.top + 16 : (s.top + s.bottom) / 2 + 4, s.id, 'class="seg" text-anchor="end"'));
  }
  desc.push(segments === undefined ? 'involved segments unknown' : segments.length ? `tumour in segment ${segments.join(', ')}` : 'IVC not involved');
  if (circumference !== undefined && segments?.length) {
    const r = involvedRange(segments)!;
    // right of the tube, clear of the hepatic-vein label above and the left kidney below
    const y = r.top >= Y_RENAL ? Y_RENAL + 40 : Math.max(r.top, Y_HEPATIC) + 16;
    parts.push(text(X1 + 10, y, `${circumference}%`, 'class="note b"'), text(X1 + 10, y + 10, 'of circumference', 'class="note"'));
  }
  // hepatic veins, renal veins: status marks
  if (hepatic === undefined) parts.push(question(60, Y_HEPATIC - 32));
  parts.push(text(238, Y_HEPATIC - 38, hepatic === true ? 'hepatic veins: involved' : hepatic === false ? 'hepatic veins: free' : 'hepatic veins: ?', 'class="note" text-anchor="end"'));
  const rvLabel = (s: string | undefined) => (s === undefined ? '?' : s);
  parts.push(text(2, Y_RENAL - 30, 'right renal v.', 'class="note"'), text(2, Y_RENAL - 21, rvLabel(renal.right), 'class="note b"'));
  parts.push(text(238, Y_RENAL - 30, 'left renal v.', 'class="note" text-anchor="end"'), text(238, Y_RENAL - 21, rvLabel(renal.left), 'class="note b" text-anchor="end"'));
  desc.push(`hepatic veins ${hepatic === undefined ? 'unknown' : hepatic ? 'involved' : 'free'}`, `renal veins: right ${rvLabel(renal.right)}, left ${rvLabel(renal.left)}`);

  // the planned reconstruction
  const plan1 = reconstruction(plan);
  const range = involvedRange(segments);
  let planLabel = '';
  if (plan1?.open) planLabel = 'IVC plan ? (undetermined)';
  else if (plan1?.value) {
    const v = plan1.value;
    if (v === 'patch_cavoplasty' && range) {
      parts.push(`<ellipse class="patch" cx="${X1}" cy="${(range.top + range.bottom) / 2}" rx="7" ry="${(range.bottom - range.top) / 2 - 6}" fill="${c.patch}" fill-opacity="0.85" stroke="#1b4d1e"/>`);
      planLabel = 'patch cavoplasty';
    } else if (v === 'interposition_graft' && range) {
      const rings: string[] = [];
      for (let y = range.top + 6; y < range.bottom - 2; y += 7) rings.push(`M${X0 - 3} ${y} H${X1 + 3}`);
      parts.push(`<rect class="graft" x="${X0 - 3}" y="${range.top + 1}" width="${X1 - X0 + 6}" height="${range.bottom - range.top - 2}" fill="${c.graft}" fill-opacity="0.35" stroke="${c.graft}" stroke-width="2"/>`);
      parts.push(`<path d="${rings.join(' ')}" stroke="${c.graft}" stroke-width="1.5"/>`);
      planLabel = `interposition graft${plan1.graftMm !== undefined ? ` ${plan1.graftMm} mm` : ''}`;
    } else if (v === 'ligation' && range) {
      parts.push(`<path class="ligature" d="M${X0 - 8} ${range.top + 2} H${X1 + 8} M${X0 - 8} ${range.bottom - 2} H${X1 + 8}" stroke="${c.ligature}" stroke-width="4"/>`);
      planLabel = 'ligation (no reconstruction)';
    } else if (v === 'primary_repair' && range) {
      const zig: string[] = [];
      let up = true;
      for (let y = range.top + 6; y <= range.bottom - 6; y += 6, up = !up) zig.push(`${zig.length ? 'L' : 'M'}${X1 + (up ? 2 : 7)} ${y}`);
      parts.push(`<path class="suture" d="${zig.join(' ')}" fill="none" stroke="${c.patch}" stroke-width="2"/>`);
      planLabel = 'primary repair (suture)';
    } else planLabel = (plan.decisions[Object.keys(plan.decisions).find((k) => plan.decisions[k]!.value === v) ?? '']?.labels[v] ?? v).toLowerCase();
  }
  if (planLabel) {
    parts.push(text(XM, 356, planLabel, 'class="plan" text-anchor="middle"'));
    desc.push(`planned: ${planLabel}`);
  }
  // renal-vein plan
  const rp = renalPlan(plan);
  const renalMark = (side: 'left' | 'right', x: number) => {
    for (const act of rp[side]) {
      if (act === 'ligation') parts.push(`<path class="ligature" d="M${x} ${Y_RENAL - 9} V${Y_RENAL + 9}" stroke="${c.ligature}" stroke-width="4"/>`);
      else parts.push(`<circle class="reimplant" cx="${x}" cy="${Y_RENAL}" r="6" fill="#fff" stroke="${c.patch}" stroke-width="2.5"/>`);
    }
  };
  renalMark('right', 74);
  renalMark('left', 166);
  // renal-vein plan still open: "?" on both veins, where its marks would be
  if (rp.open) parts.push(question(74, Y_RENAL + 22), question(166, Y_RENAL + 22));

  // orientation
  parts.push(text(2, 10, "patient's right", 'class="orient"'), text(238, 10, "patient's left", 'class="orient" text-anchor="end"'));
  parts.push(text(2, Y_CONFLUENCE + 30, 'iliac confluence', 'class="orient"'), text(XM + 46, 40, 'right atrium', 'class="orient"'));

  const label = `Vessel drawing: ${desc.join('; ')}.`;
  return (
    `<svg id="${esc(id)}" class="vessels" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 240 362" role="img" aria-label="${esc(label)}">` +
    `<title>${esc(label)}</title>` +
    `<style>text{font:9.5px sans-serif;fill:#222}.q{font:bold 14px sans-serif;fill:${c.unknown}}.seg{font:bold 11px sans-serif}.note{font-size:9px}.orient{font-size:8.5px;fill:#555}.b{font-weight:bold}.plan{font:bold 11px sans-serif}</style>` +
    parts.join('') +
    `</svg>`
  );
}
