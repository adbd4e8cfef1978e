/**
 * Registry exports through a column map: the 30-patient REDCap-style export of
 * fixtures/registry/ as CSV, as its European Excel twin (semicolon, decimal commas, CRLF, BOM)
 * and as an .xlsx workbook, each mapping feature on small generated exports, and the map's own
 * checks (every problem with its line, a question never left open).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { parse as parseYamlText } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBatch } from '../../src/cli/commands/batch.js';
import { runMapInit } from '../../src/cli/commands/map.js';
import type { BatchSummary } from '../../src/batch/summary.js';
import type { CaseResult } from '../../src/batch/types.js';
import { InputError } from '../../src/diagnostics/diagnostic.js';
import { tempDir } from '../support/cli.js';
import { ROOT } from '../support/paths.js';
import { fixture, recordingIo } from './helpers.js';

const REGISTRY = fixture('registry');
const EXPORTS = ['redcap-export.csv', 'redcap-export-excel-eu.csv', 'redcap-export.xlsx'];

interface Run {
  code: number | InputError;
  out: string;
  err: string;
}

async function batch(paths: string[], extra: Record<string, unknown> = {}, stdin?: string): Promise<Run> {
  const r = recordingIo(stdin === undefined ? {} : { stdin: async function* () { yield stdin; } });
  const code = await runBatch({ paths, format: 'jsonl', failOnDiscordance: false, ...extra }, r.io).catch((e: unknown) => {
    if (e instanceof InputError) return e;
    throw e;
  });
  return { code, out: r.out(), err: r.err() };
}

const cases = (out: string): CaseResult[] => out.trim().split('\n').map((l) => JSON.parse(l) as CaseResult & { type: string }).filter((l) => (l as { type: string }).type === 'case');
const summary = (out: string): BatchSummary => (JSON.parse(out.trim().split('\n').at(-1)!) as { summary: BatchSummary }).summary;
const codes = (e: number | InputError) => (e instanceof InputError ? e.diagnostics.map((d) => [d.code, d.line]) : e);

describe('the registry exports of fixtures/registry with one map', () => {
  const map = join(REGISTRY, 'registry.map.yaml');
  let runs: Run[];
  beforeAll(async () => {
    runs = [];
    for (const f of EXPORTS) runs.push(await batch([join(REGISTRY, f)], { map, sheet: f.endsWith('.xlsx') ? 'Patients' : undefined }));
  });

  it('accounts for every row of each export: 31 rows, 31 cases numbered by row', () => {
    for (const r of runs) {
      const cs = cases(r.out);
      expect(cs.map((c) => c.source.row)).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
      expect(summary(r.out).cases.total).toBe(31);
    }
  });

  it('gives the same cases and the same summary from the CSV, its semicolon twin and the workbook', () => {
    const strip = (r: Run) => cases(r.out).map(({ source: _s, diagnostics, ...c }) => ({ ...c, diagnostics: diagnostics?.map(({ file: _f, ...d }) => d) }));
    expect(strip(runs[1]!)).toEqual(strip(runs[0]!));
    expect(strip(runs[2]!)).toEqual(strip(runs[0]!));
    expect(summary(runs[1]!.out)).toEqual(summary(runs[0]!.out));
    expect(summary(runs[2]!.out)).toEqual(summary(runs[0]!.out));
  });

  it('gives the figures docs/batch.md quotes for the example', async () => {
    const doc = readFileSync(join(ROOT, 'docs', 'batch.md'), 'utf8').replace(/\s+/g, ' ');
    const quoted = /The example gives (\d+) cases \((\d+) ok, (\d+) undetermined, (\d+) invalid\); of the (\d+) determined recommendations (\d+) agree with what was done: agreement ([\d.]+) % \(95 % CI ([\d.]+)–([\d.]+)\), Cohen's kappa ([\d.]+) \(95 % CI ([\d.]+)–([\d.]+)\)/.exec(doc);
    expect(quoted).not.toBeNull();
    const s = summary(runs[0]!.out);
    const c = s.concordance!;
    const k = c.kappa!;
    expect(quoted!.slice(1).map(Number)).toEqual([s.cases.total, s.cases.ok, s.cases.undetermined, s.cases.invalid, c.determined, c.agree, c.agreement.percent, c.agreement.ci95?.low, c.agreement.ci95?.high, k.kappa, k.ci95.low, k.ci95.high]);
    // and the line map init prints for the export
    const init = /rvlms: (\d+) column\(s\), (\d+) row\(s\): (\d+) matched, (\d+) question\(s\) left in the map registry\.map\.yaml/.exec(doc);
    expect(init).not.toBeNull();
    const t = tempDir();
    try {
      const r = recordingIo({ cwd: t.dir });
      expect(await runMapInit({ export: join(REGISTRY, 'redcap-export.csv'), out: join(t.dir, 'registry.map.yaml') }, r.io)).toBe(0);
      expect(r.err()).toContain(init![0].replace('registry.map.yaml', join(t.dir, 'registry.map.yaml')));
    } finally {
      t.cleanup();
    }
  });

  it('reports the invalid rows with their row, line and fields, and flags the repeated record', () => {
    const r = runs[0]!;
    expect(r.code).toBe(2);
    const bad = cases(r.out).filter((c) => c.status === 'invalid');
    expect(bad.map((c) => [c.source.row, c.source.line, c.diagnostics![0]!.code, c.diagnostics![0]!.path])).toEqual([
      [3, 4, 'case/contradiction', 'renalVeins.right, patient.solitaryKidney'],
      [7, 8, 'case/contradiction', 'renalVeins.right, patient.solitaryKidney'],
    ]);
    expect(summary(r.out).duplicateIds.examples).toEqual([{ id: '5', cases: [5, 31] }]);
  });

  it('ignores the columns the map says to ignore without a note; a column the map does not know gets one note', async () => {
    expect(runs[0]!.err).not.toMatch(/columns-ignored/);
    const t = tempDir();
    try {
      const text = readFileSync(join(REGISTRY, 'redcap-export.csv'), 'utf8').replace(/^record_id,/, 'extra_col,record_id,').replace(/\n(?=.)/g, '\nx,');
      writeFileSync(join(t.dir, 'e.csv'), text);
      const r = await batch([join(t.dir, 'e.csv')], { map });
      expect(r.err.match(/batch\/columns-ignored/g)).toHaveLength(1);
      expect(cases(r.out)).toHaveLength(31);
    } finally {
      t.cleanup();
    }
  });
});

describe('rvlms map init', () => {
  it('writes the committed starting map for the CSV export, and the same columns for its twins', async () => {
    const init = async (file: string, sheet?: string) => {
      const r = recordingIo({ cwd: REGISTRY });
      expect(await runMapInit({ export: join(REGISTRY, file), ...(sheet ? { sheet } : {}) }, r.io)).toBe(0);
      return r.out().replace(/^# yaml-language-server.*\n/, '').replace(/^(# Column map for |# {3}rvlms batch ).*\n/gm, '');
    };
    const csv = await init('redcap-export.csv');
    const committed = readFileSync(join(REGISTRY, 'map-init.yaml'), 'utf8').replace(/^# yaml-language-server.*\n/, '').replace(/^(# Column map for |# {3}rvlms batch ).*\n/gm, '');
    expect(csv).toBe(committed);
    expect(await init('redcap-export-excel-eu.csv')).toBe(csv);
    expect(await init('redcap-export.xlsx', 'Patients')).toBe(csv);
  });

  it('matches names and codes that carry no judgement, and asks about the rest', () => {
    const text = readFileSync(join(REGISTRY, 'map-init.yaml'), 'utf8');
    expect(text).toMatch(/^ {2}record_id: id # matched: a common registry name$/m);
    expect(text).toMatch(/^ {4}field: ivc\.segments .*\n {4}separator: "\+"$/m);
    expect(text).toMatch(/^ {4}field: tumor\.maxDiameterMm .*\n {4}unit: cm /m);
    expect(text).toMatch(/^ {6}"Partially occluded": partially_occluded$/m);
    expect(text).toMatch(/^ {6}F: female\n {6}M: male$/m);
    expect(text).toMatch(/^ {4}field: actual\.icuAdmission .*\n {4}values:\n {6}"No": false\n {6}"Yes": true$/m);
    // a Yes/No collaterals column is a clinical judgement: asked, never answered
    expect(text).toMatch(/^ {6}"No": null # QUESTION: what does this mean for ivc\.collaterals\?/m);
    expect(text).toMatch(/^ {6}"Yes": null # QUESTION: what does this mean for ivc\.collaterals\?/m);
    expect(text).toMatch(/^ {2}date_of_surgery:\n {4}field: null # QUESTION/m);
    expect(text.match(/QUESTION:/g)).toHaveLength(13);
  });

  it('takes a code for a value only when it is that value written another way: "I/II" is not segment III', async () => {
    const t = tempDir();
    try {
      const file = join(t.dir, 'levels.csv');
      writeFileSync(file, ['id,ivc_level,lumen', 'a,I,Partially occluded', 'b,II+III,partially-occluded', 'c,I/II,partiallyOccluded', 'd,I-II,open', 'e,I + II,patent'].join('\n') + '\n');
      const r = recordingIo({ cwd: t.dir });
      expect(await runMapInit({ export: file }, r.io)).toBe(0);
      const text = r.out();
      // no separator splits every cell into segments, so each cell is its own code
      expect(text).not.toMatch(/^ {4}separator:/m);
      expect(text).toMatch(/^ {6}I: \[I\]$/m);
      for (const code of ['"II+III"', '"I/II"', 'I-II', '"I + II"']) expect(text).toContain(`      ${code}: null # QUESTION: what does this mean for ivc.segments?`);
      expect(text).not.toMatch(/: \[?III\]?$/m);
      // words however separated or joined are the same words
      for (const code of ['"Partially occluded"', 'partially-occluded', 'partiallyOccluded']) expect(text).toContain(`      ${code}: partially_occluded\n`);
    } finally {
      t.cleanup();
    }
  });

  it('proposes every "not recorded" code for missing, from every column whether matched or not', async () => {
    const t = tempDir();
    try {
      // a German-style export: "Hep veins" is not matched to a field (a question), its NA still a missing code
      const file = t.write('export.csv', ['Patient No.;Hep veins;Lumen;EBL (L);Notiz', 'A-01;nein;?;0,8;', 'A-02;ja;patent;NA;k.A.', 'A-03;NA;patent;1,2;', 'A-04;n/a;-;na;unbekannt'].join('\r\n') + '\r\n');
      const r = recordingIo({ cwd: t.dir });
      expect(await runMapInit({ export: file }, r.io)).toBe(0);
      const map = parseYamlText(r.out()) as { missing?: string[]; columns: Record<string, unknown> };
      expect(map.columns['Hep veins']).toEqual({ field: null });
      // one entry per code as the map reads it ("NA" and "na" are one), in column order
      expect(map.missing).toEqual(['NA', 'n/a', '-', '?', 'k.A.', 'unbekannt']);
    } finally {
      t.cleanup();
    }
  });

  it('keeps the id of a row the map cannot read, in the report and the duplicate-id count', async () => {
    const t = tempDir();
    try {
      const file = t.write('export.csv', ['Patient No.;Hep veins', 'A-01;nein', 'A-02;ja', 'A-03;NA', 'A-03;vielleicht'].join('\n') + '\n');
      const map = t.write('m.yaml', 'rvlmsMap: 1\nmissing: [NA]\ncolumns:\n  "Patient No.": id\n  "Hep veins": { field: ivc.hepaticVeinInvolvement, values: { ja: true, nein: false } }\n');
      const r = await batch([file], { map });
      expect(r.code).toBe(2);
      expect(cases(r.out).map((c) => [c.id, c.status, c.diagnostics?.[0]?.code ?? null])).toEqual([
        ['A-01', 'undetermined', null],
        ['A-02', 'undetermined', null],
        ['A-03', 'undetermined', null],
        ['A-03', 'invalid', 'map/value'],
      ]);
      expect(summary(r.out).duplicateIds.ids).toBe(1);
    } finally {
      t.cleanup();
    }
  });

  it('a map it writes reads every row of its export, when a value also comes written another way', async () => {
    const t = tempDir();
    try {
      const file = join(t.dir, 'spellings.csv');
      writeFileSync(file, ['id,lumen,ivc_level', 'a,patent,I+II', 'b,Occluded,i+ii', 'c,Patent,II', 'd,PATENT,ii'].join('\n') + '\n');
      const r = recordingIo({ cwd: t.dir });
      expect(await runMapInit({ export: file }, r.io)).toBe(0);
      expect(r.out()).not.toContain('QUESTION:');
      const map = join(t.dir, 'spellings.map.yaml');
      writeFileSync(map, r.out());
      const run = await batch([file], { map });
      expect(run.err).toBe('');
      const read = cases(run.out);
      expect(read.map((c) => c.status)).not.toContain('invalid');
      expect(read).toHaveLength(4);
    } finally {
      t.cleanup();
    }
  });

  it('always asks what a solitary-kidney code means, a value as written too (which kidney remains?)', async () => {
    const t = tempDir();
    try {
      const file = join(t.dir, 'kidney.csv');
      writeFileSync(file, ['id,solitary_kidney', 'a,left', 'b,Right', 'c,none'].join('\n') + '\n');
      const r = recordingIo({ cwd: t.dir });
      expect(await runMapInit({ export: file }, r.io)).toBe(0);
      for (const code of ['left', 'Right', 'none']) expect(r.out()).toMatch(new RegExp(`^ {6}${code}: null # QUESTION: .*the kidney that remains`, 'm'));
    } finally {
      t.cleanup();
    }
  });

  it('will not write over an existing map without --force', async () => {
    const t = tempDir();
    try {
      const out = join(t.dir, 'm.yaml');
      writeFileSync(out, 'my answers\n');
      const r = recordingIo();
      const err = await runMapInit({ export: join(REGISTRY, 'redcap-export.csv'), out }, r.io).catch((e: unknown) => e);
      expect(codes(err as InputError)).toEqual([['map/exists', undefined]]);
      expect(readFileSync(out, 'utf8')).toBe('my answers\n');
      expect(await runMapInit({ export: join(REGISTRY, 'redcap-export.csv'), out, force: true }, r.io)).toBe(0);
      expect(readFileSync(out, 'utf8')).toMatch(/^rvlmsMap: 1$/m);
    } finally {
      t.cleanup();
    }
  });
});

describe('each mapping feature on a generated export', () => {
  const t = tempDir();
  const write = (name: string, text: string): string => {
    const p = join(t.dir, name);
    writeFileSync(p, text);
    return p;
  };
  afterAll(() => t.cleanup());

  const MAP = `rvlmsMap: 1
missing: [NA, "-"]
ignore: [date_of_surgery]
columns:
  record_id: id
  sex: { field: patient.sex, values: { F: female, M: male } }
  ivc_level: { field: ivc.segments, separator: "+" }
  circ_pct: { field: ivc.circumferencePercent, unit: "%" }
  size_cm: { field: tumor.maxDiameterMm, unit: cm }
  lumen: { field: ivc.lumen, values: { "partially occluded": partially_occluded, open: patent } }
  hv: { field: ivc.hepaticVeinInvolvement, values: { "Yes": true, "No": false } }
  atrium: { field: ivc.rightAtrialExtension, values: { "1": true, "0": false } }
  coll: { field: ivc.collaterals, values: { "Yes": well_developed, "No": absent, "?": unknown } }
  done: { field: actual.ivcManagement, values: { patch: patch_cavoplasty } }
  op_h: { field: actual.operativeTimeMin, unit: h }
`;
  const HEAD = 'record_id,date_of_surgery,sex,ivc_level,circ_pct,size_cm,lumen,hv,atrium,coll,done,op_h';
  const map = (): string => write('m.yaml', MAP);

  it.each([
    ['comma', ',', '.', '\n'],
    ['semicolon with decimal commas and CRLF', ';', ',', '\r\n'],
    ['tab', '\t', '.', '\n'],
  ])('%s: codes, lists, units, synonyms, missing codes and ignored columns', async (_name, d, dec, eol) => {
    const rows = [
      HEAD,
      ['a', '2020-01-02', 'F', 'I+II', `62${dec}5`, `5${dec}5`, 'Partially  Occluded', 'No', '0', 'Yes', 'patch', `4${dec}5`],
      ['b', '2021-03-04', 'M', 'II+III', 'NA', '-', 'open', 'Yes', '1', '?', 'primary_repair', ''],
    ].map((r) => (typeof r === 'string' ? r.replaceAll(',', d) : r.join(d)));
    const file = write(`e${d === '\t' ? 'tab' : d === ';' ? 'semi' : 'comma'}.csv`, rows.join(eol) + eol);
    const r = await batch([file], { map: map(), format: 'jsonl' });
    const cs = cases(r.out);
    expect(cs.map((c) => c.status)).not.toContain('invalid');
    expect(r.err).toBe('');
    const read = await readCases(file);
    expect(read[0]).toEqual({
      id: 'a',
      patient: { sex: 'female' },
      ivc: { segments: ['I', 'II'], circumferencePercent: 62.5, lumen: 'partially_occluded', hepaticVeinInvolvement: false, rightAtrialExtension: false, collaterals: 'well_developed' },
      tumor: { maxDiameterMm: 55 },
      actual: { ivcManagement: 'patch_cavoplasty', operativeTimeMin: 270 },
    });
    expect(read[1]).toEqual({
      id: 'b',
      patient: { sex: 'male' },
      ivc: { segments: ['II', 'III'], lumen: 'patent', hepaticVeinInvolvement: true, rightAtrialExtension: true },
      actual: { ivcManagement: 'primary_repair' },
    });
  });

  /** The cases a map reads from a file, straight from the reader. */
  async function readCases(file: string): Promise<unknown[]> {
    const { loadMap } = await import('../../src/batch/map-load.js');
    const { readInputItems, resolveInputs } = await import('../../src/batch/inputs.js');
    const m = await loadMap(join(t.dir, 'm.yaml'));
    const out: unknown[] = [];
    for await (const item of readInputItems(resolveInputs([file])[0]!, undefined, { map: m })) out.push('data' in item ? item.data : item.diagnostics);
    return out;
  }

  it('an .xlsx workbook: numbers, dates and the sheet chosen by name or number', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Readme').addRow(['nothing here']);
    const ws = wb.addWorksheet('Data');
    ws.addRow(HEAD.split(','));
    ws.addRow(['a', new Date(Date.UTC(2020, 0, 2)), 'F', 'I+II', 62.5, 5.5, 'partially occluded', 'No', 0, 'Yes', 'patch', 4.5]);
    ws.addRow([]);
    ws.addRow(['b', null, 'M', 'II+III', 'NA', null, 'open', 'Yes', 1, '?', 'primary_repair', null]);
    const file = join(t.dir, 'w.xlsx');
    await wb.xlsx.writeFile(file);
    map();
    for (const sheet of ['Data', '2']) {
      const r = await batch([file], { map: join(t.dir, 'm.yaml'), sheet });
      expect(cases(r.out).map((c) => [c.id, c.status !== 'invalid', c.source.line, c.source.row])).toEqual([
        ['a', true, 2, 1],
        ['b', true, 4, 2],
      ]);
    }
    const first = await batch([file], { map: join(t.dir, 'm.yaml') });
    expect(first.code).toEqual(expect.any(InputError)); // the first sheet has no record_id column: one header problem
    expect(codes(first.code)).toEqual([['batch/header', 1]]);
    expect(first.err).toMatch(/batch\/xlsx-sheet reading sheet "Readme", the first of 2/);
    expect(codes((await batch([file], { map: join(t.dir, 'm.yaml'), sheet: 'Nope' })).code)).toEqual([['batch/xlsx-sheet', undefined]]);
  });

  it('a cell with no code is invalid, naming its row, column and field; the other rows are read', async () => {
    const file = write('u.csv', `${HEAD}\na,,F,I,10,1,open,Maybe,0,Yes,patch,1\nb,,X,I,10,1,open,No,0,Yes,patch,1\nc,,M,I,10,1,open,No,0,Yes,patch,1\n`);
    const r = await batch([file], { map: map() });
    const cs = cases(r.out);
    expect(cs.map((c) => [c.source.row, c.status, c.diagnostics?.map((d) => [d.code, d.path, d.line])])).toEqual([
      [1, 'invalid', [['map/value', 'ivc.hepaticVeinInvolvement', 2]]],
      [2, 'invalid', [['map/value', 'patient.sex', 3]]],
      [3, 'undetermined', undefined],
    ]);
    expect(cs[0]!.diagnostics![0]!.message).toMatch(/"Maybe" in column "hv" has no code in the map/);
  });

  it('CSV on stdin with --input-format csv', async () => {
    const r = await batch(['-'], { map: map(), inputFormat: 'csv' }, `${HEAD}\na,,F,I,10,1,open,No,0,Yes,patch,1\n`);
    expect(cases(r.out).map((c) => [c.id, c.source.file, c.source.row])).toEqual([['a', '-', 1]]);
  });

  it('a mapped column the export lacks: one header problem, nothing read', async () => {
    const file = write('h.csv', 'record_id,sex\na,F\nb,M\n');
    const r = await batch([file], { map: map() });
    expect(codes(r.code)).toEqual([['batch/header', 1]]);
    expect((r.code as InputError).diagnostics[0]!.message).toMatch(/names column\(s\) the header does not have: "ivc_level", "circ_pct"/);
  });

  it.each([
    ['an open question', 'rvlmsMap: 1\ncolumns:\n  record_id: id\n  x:\n    field: null\n', [['map/question', 5]]],
    ['an unanswered code', 'rvlmsMap: 1\ncolumns:\n  record_id: id\n  c:\n    field: ivc.collaterals\n    values:\n      "Yes": null\n', [['map/question', 7]]],
    ['a field that does not exist', 'rvlmsMap: 1\ncolumns:\n  record_id: id\n  x: ivc.lumne\n', [['map/field', 4]]],
    ['a code that is no value of its field', 'rvlmsMap: 1\ncolumns:\n  record_id: id\n  l: { field: ivc.lumen, values: { o: open } }\n', [['map/value', 4]]],
    ['a unit that does not convert', 'rvlmsMap: 1\ncolumns:\n  record_id: id\n  s: { field: tumor.maxDiameterMm, unit: inch }\n', [['map/unit', 4]]],
    ['two columns for one field', 'rvlmsMap: 1\ncolumns:\n  record_id: id\n  a: ivc.lumen\n  b: ivc.lumen\n', [['map/duplicate-field', 5]]],
    ['a key the schema does not know', 'rvlmsMap: 1\ncolums: {}\n', [['map/required', 1], ['map/unknown-key', 2]]],
    ['every problem at once', 'rvlmsMap: 1\ncolumns:\n  record_id: id\n  x: nope\n  y: { field: null }\n', [['map/field', 4], ['map/question', 5]]],
  ])('refuses a map with %s, at its line', async (_name, text, expected) => {
    const file = write('bad.yaml', text);
    const csv = write('ok.csv', 'record_id\na\n');
    expect(codes((await batch([csv], { map: file })).code)).toEqual(expected);
  });
});

describe('--input-format and --summary refusals', () => {
  it('--input-format without - is a usage error', async () => {
    expect(codes((await batch([join(REGISTRY, 'redcap-export.csv')], { inputFormat: 'csv' })).code)).toEqual([['cli/usage', undefined]]);
  });

  it('--summary with csv is a usage error', async () => {
    expect(codes((await batch([fixture('cohort.csv')], { format: 'csv', summary: true })).code)).toEqual([['cli/usage', undefined]]);
  });
});

