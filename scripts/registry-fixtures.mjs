// Writes fixtures/registry/: the same 30 invented patients as a registry would export them —
// a REDCap-style CSV (comma, LF), its European Excel twin (semicolon, decimal commas, CRLF,
// byte order mark) and an .xlsx workbook (numbers as numbers, dates as dates) — so that one
// column map can be tested on all three. Deterministic: a seeded generator, fixed workbook dates.
//
//   node scripts/registry-fixtures.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';

const out = join(import.meta.dirname, '..', 'fixtures', 'registry');
mkdirSync(out, { recursive: true });

// mulberry32: a small seeded generator, so the fixtures are the same on every run
let seed = 20261206;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
/** Blank a value now and then, as registries do. */
const gap = (v, p = 0.08) => (rand() < p ? null : v);

const HEADER = [
  'record_id', 'redcap_event_name', 'date_of_surgery', 'age', 'sex', 'asa', 'imaging_type', 'tumour_size_cm',
  'ivc_level', 'circ_pct', 'lumen', 'collaterals', 'hepatic_veins', 'atrial_extension', 'left_renal_vein',
  'right_renal_vein', 'solitary_kidney', 'arterial_involvement', 'adjacent_organs', 'metastases', 'ivc_procedure', 'op_time_min', 'ebl_ml', 'transfusion', 'icu', 'margin', 'notes',
];

const patients = [];
for (let i = 1; i <= 30; i++) {
  const type = pick(['1', '2', '3', '4']); // REDCap radio codes: 1 intraluminal, 2 intermediate, 3 extraluminal, 4 peripheral
  const level = pick(['I', 'II', 'I+II', 'II', 'I+II', 'II+III']);
  const circ = type === '4' ? int(0, 20) : int(15, 100);
  const lumen = circ > 85 ? pick(['occluded', 'partially occluded']) : circ > 40 ? pick(['Partially occluded', 'patent']) : 'patent';
  const procedure = circ === 0 ? 'none' : circ < 40 ? 'primary repair' : circ < 75 ? pick(['patch', 'primary repair']) : pick(['graft', 'graft', 'ligation']);
  const upper = level.includes('III');
  patients.push({
    record_id: String(i),
    redcap_event_name: 'surgery_arm_1',
    date_of_surgery: new Date(Date.UTC(2015 + int(0, 9), int(0, 11), int(1, 28))),
    age: int(34, 79),
    sex: pick(['F', 'F', 'M']),
    asa: gap(int(1, 3)),
    imaging_type: gap(type, 0.1),
    tumour_size_cm: Math.round((3 + rand() * 9) * 10) / 10,
    ivc_level: level,
    circ_pct: gap(circ % 7 === 3 ? circ + 0.5 : circ, 0.1),
    lumen: gap(lumen),
    collaterals: gap(lumen === 'patent' ? 'No' : pick(['Yes', 'No'])),
    hepatic_veins: upper ? 'Yes' : 'No',
    atrial_extension: upper && rand() < 0.3 ? 1 : 0,
    left_renal_vein: pick(['free', 'free', 'abutted', 'invaded']),
    right_renal_vein: gap(pick(['free', 'free', 'abutted'])),
    solitary_kidney: pick(['No', 'No', 'No', 'No', 'No', 'No', 'No', 'No', 'No', 'Left']),
    arterial_involvement: gap(pick(['none', 'none', 'none', 'none', 'renal artery']), 0.05),
    adjacent_organs: gap(pick(['none', 'none', 'right kidney', 'duodenum', 'right kidney;adrenal']), 0.05),
    metastases: pick(['none', 'none', 'none', 'limited']),
    ivc_procedure: procedure,
    op_time_min: gap(int(150, 520)),
    ebl_ml: gap(int(1, 40) * 50),
    transfusion: gap(pick([0, 0, 1])),
    icu: pick(['Yes', 'No', 'No']),
    margin: gap(pick(['R0', 'R0', 'R1']), 0.15),
    notes: i === 7 ? 'tumour thrombus, "friable"; see op note\nsecond line' : i === 12 ? 'NA' : i % 5 === 0 ? 'converted, bleeding' : '',
  });
}
// one patient recorded twice, as exports of repeated events do
patients.push({ ...patients[4], redcap_event_name: 'follow_up_arm_1' });

const iso = (d) => d.toISOString().slice(0, 10);
const text = (v, decimalComma) => {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return iso(v);
  if (typeof v === 'number') return decimalComma ? String(v).replace('.', ',') : String(v);
  return v;
};
const csvCell = (s, delimiter) => (s.includes(delimiter) || /["\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

function csv(delimiter, eol, decimalComma, bom) {
  const lines = [HEADER.join(delimiter), ...patients.map((p) => HEADER.map((h) => csvCell(text(p[h], decimalComma), delimiter)).join(delimiter))];
  return (bom ? '\uFEFF' : '') + lines.join(eol) + eol;
}

writeFileSync(join(out, 'redcap-export.csv'), csv(',', '\n', false, false));
writeFileSync(join(out, 'redcap-export-excel-eu.csv'), csv(';', '\r\n', true, true));

const wb = new ExcelJS.Workbook();
wb.creator = 'rvlms registry fixtures';
wb.created = new Date(Date.UTC(2026, 11, 6));
wb.modified = new Date(Date.UTC(2026, 11, 6));
const notes = wb.addWorksheet('About');
notes.addRow(['Invented patients for the rvlms registry tests; the data are on the sheet Patients.']);
const ws = wb.addWorksheet('Patients');
ws.addRow(HEADER);
for (const p of patients) ws.addRow(HEADER.map((h) => p[h] ?? null));
ws.getColumn(3).numFmt = 'yyyy-mm-dd';
await wb.xlsx.writeFile(join(out, 'redcap-export.xlsx'));
console.log(`wrote ${patients.length} rows to ${out}`);
