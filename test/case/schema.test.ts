/** Case schema v1: unknown vs none, types, enums, ranges, unknown keys, contradictions; codes, paths, positions. */
import { describe, expect, it } from 'vitest';
import { validateCase, contradictions } from '../../src/case/schema.js';
import { parseCaseText } from '../../src/case/load.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { makeCase, sparseCase, type Override } from '../support/case-factory.js';
import { INPUT_FIELDS, ACTUAL_FIELDS } from '../../src/case/fields.js';

/** code + path, in path order (the order of zod's issues is not part of the contract). */
const codesAndPaths = (ds: readonly Diagnostic[]) =>
  ds.map((d) => ({ code: d.code, path: d.path })).sort((a, b) => (a.path ?? '').localeCompare(b.path ?? ''));

function invalid(input: unknown): Diagnostic[] {
  const r = validateCase(input, 'case.json');
  if (r.ok) throw new Error('expected the case to be rejected');
  expect(r.diagnostics.every((d) => d.file === 'case.json' && d.severity === 'error')).toBe(true);
  return r.diagnostics;
}

describe('valid cases', () => {
  it('a fully known case', () => {
    const r = validateCase(makeCase(), 'c');
    expect(r.ok).toBe(true);
  });

  it('only an id: everything else unknown', () => {
    expect(validateCase({ id: 'x' }, 'c').ok).toBe(true);
  });

  it('null and omitted both mean unknown; null is not replaced by a default', () => {
    const c = makeCase({ ivc: { collaterals: null, lumen: undefined }, patient: null });
    const r = validateCase(c, 'c');
    if (!r.ok) throw new Error('rejected');
    expect(r.value.ivc!.collaterals).toBeNull();
    expect('lumen' in r.value.ivc!).toBe(false);
    expect(r.value.patient).toBeNull();
  });

  it('[] is a known none, kept as []', () => {
    const r = validateCase(makeCase({ tumor: { adjacentOrgans: [], arterialInvolvement: [] } }), 'c');
    if (!r.ok) throw new Error('rejected');
    expect(r.value.tumor!.adjacentOrgans).toEqual([]);
  });

  it('accepts every catalogue field at its bounds', () => {
    for (const f of [...INPUT_FIELDS, ...ACTUAL_FIELDS]) {
      const values = f.kind === 'enum' ? f.values! : f.kind === 'set' ? [[...f.values!]] : f.kind === 'boolean' ? [true, false] : [f.min!, f.max!];
      for (const v of values) expect(validateCase(sparseCase('b', { [f.path]: v as never }), 'c').ok, `${f.path} = ${JSON.stringify(v)}`).toBe(true);
    }
  });

  it('schemaVersion 1, actual and source are accepted', () => {
    const c = makeCase({ schemaVersion: 1, actual: { ivcManagement: 'ligation', margin: 'R1' }, source: { citation: 'X', doi: '10.1/x', patient: 'case 1' } });
    expect(validateCase(c, 'c').ok).toBe(true);
  });
});

describe('invalid cases: code and path', () => {
  it.each<{ name: string; over: Override; code: string; path: string }>([
    { name: 'a string for a number', over: { ivc: { circumferencePercent: '60' } }, code: 'case/type', path: 'ivc.circumferencePercent' },
    { name: 'a number for a boolean', over: { ivc: { rightAtrialExtension: 1 } }, code: 'case/type', path: 'ivc.rightAtrialExtension' },
    { name: 'a string for a set', over: { ivc: { segments: 'II' } }, code: 'case/type', path: 'ivc.segments' },
    { name: 'a fraction for an integer', over: { patient: { asa: 2.5 } }, code: 'case/type', path: 'patient.asa' },
    { name: 'a list for a section', over: { ivc: ['II'] }, code: 'case/type', path: 'ivc' },
    { name: 'a number for an id', over: { id: 7 }, code: 'case/type', path: 'id' },
    { name: 'an unknown enum value', over: { ivc: { lumen: 'closed' } }, code: 'case/enum', path: 'ivc.lumen' },
    { name: 'an enum value in the wrong case', over: { tumor: { metastases: 'None' } }, code: 'case/enum', path: 'tumor.metastases' },
    { name: 'an unknown set value', over: { ivc: { segments: ['II', 'IV'] } }, code: 'case/enum', path: 'ivc.segments[1]' },
    { name: 'above the range', over: { ivc: { circumferencePercent: 101 } }, code: 'case/range', path: 'ivc.circumferencePercent' },
    { name: 'below the range', over: { patient: { asa: 0 } }, code: 'case/range', path: 'patient.asa' },
    { name: 'a negative size', over: { tumor: { maxDiameterMm: -1 } }, code: 'case/range', path: 'tumor.maxDiameterMm' },
    { name: 'an unknown top-level key', over: { ivcc: {} }, code: 'case/unknown-key', path: 'ivcc' },
    { name: 'an unknown nested key', over: { ivc: { colaterals: 'limited' } }, code: 'case/unknown-key', path: 'ivc.colaterals' },
    { name: 'an unknown key in source', over: { source: { year: 2020 } }, code: 'case/unknown-key', path: 'source.year' },
    { name: 'a duplicated set value', over: { ivc: { segments: ['II', 'II'] } }, code: 'case/duplicate-value', path: 'ivc.segments' },
    { name: 'schemaVersion 2', over: { schemaVersion: 2 }, code: 'case/schema-version', path: 'schemaVersion' },
    { name: 'a bad id', over: { id: 'zhang 2021/case 1' }, code: 'case/format', path: 'id' },
    { name: 'an empty id', over: { id: '' }, code: 'case/format', path: 'id' },
    { name: 'an actual value outside its list', over: { actual: { margin: 'R3' } }, code: 'case/enum', path: 'actual.margin' },
  ])('$name → $code at $path', ({ over, code, path }) => {
    expect(codesAndPaths(invalid(makeCase(over)))).toEqual([{ code, path }]);
  });

  it.each<[string, Override, string]>([
    ['an unknown enum value', { ivc: { lumen: 'closed' } }, '"closed"'],
    ['a number for an enum', { tumor: { imagingType: 3 } }, '3'],
    ['an unknown set item', { ivc: { segments: ['II', 'IV'] } }, '"IV"'],
    ['an object for an enum', { actual: { margin: { r: 1 } } }, '{"r":1}'],
    ['a quote in the value', { ivc: { lumen: 'a"b' } }, '"a\\"b"'],
    ['a long value, cut after 40 characters', { ivc: { lumen: 'x'.repeat(500) } }, `"${'x'.repeat(40)}…"`],
  ])('case/enum repeats the value given, JSON-quoted: %s', (_name, over, shown) => {
    const [d, ...rest] = invalid(makeCase(over));
    expect(rest).toEqual([]);
    expect(d!.code).toBe('case/enum');
    expect(d!.message).toContain(` ${shown};`);
    expect(d!.message.length).toBeLessThan(200);
  });

  it.each<[string, Override, string, string]>([
    ['a word for a number', { patient: { age: 'sixty' } }, 'case/type', '"sixty"'],
    ['a number for a boolean', { ivc: { rightAtrialExtension: 1 } }, 'case/type', '1'],
    ['a number out of range', { patient: { asa: 9 } }, 'case/range', '9'],
  ])('case/type and case/range repeat the value given: %s', (_name, over, code, shown) => {
    const [d, ...rest] = invalid(makeCase(over));
    expect(rest).toEqual([]);
    expect(d!.code).toBe(code);
    expect(d!.message).toContain(` is ${shown}`);
  });

  it('a missing id → case/required', () => {
    expect(codesAndPaths(invalid(makeCase({ id: undefined })))).toEqual([{ code: 'case/required', path: 'id' }]);
  });

  it.each([null, [], 'case', 42, true])('%j is not a case → case/type', (input) => {
    expect(invalid(input).map((d) => d.code)).toEqual(['case/type']);
  });

  it('reports every problem, not the first', () => {
    const ds = invalid(makeCase({ id: undefined, ivc: { lumen: 'closed', extra: 1 }, patient: { asa: 9 } }));
    expect(codesAndPaths(ds)).toEqual(
      expect.arrayContaining([
        { code: 'case/required', path: 'id' },
        { code: 'case/enum', path: 'ivc.lumen' },
        { code: 'case/unknown-key', path: 'ivc.extra' },
        { code: 'case/range', path: 'patient.asa' },
      ]),
    );
    expect(ds).toHaveLength(4);
  });

  it.each(['__proto__', 'constructor', 'prototype'])('"%s" is an unknown key and pollutes nothing', (key) => {
    const input = JSON.parse(`{"id":"p","ivc":{"${key}":{"polluted":true}},"${key}":{"polluted":true}}`) as unknown;
    const found = codesAndPaths(invalid(input));
    expect(found).toHaveLength(2);
    expect(found).toEqual(expect.arrayContaining([{ code: 'case/unknown-key', path: key }, { code: 'case/unknown-key', path: `ivc.${key}` }]));
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('contradictions', () => {
  const table: { name: string; over: Override; path: string }[] = [
    { name: 'no segment but right-atrial extension', over: { ivc: { segments: [], rightAtrialExtension: true, circumferencePercent: 0 }, tumor: { origin: 'right_renal_vein' }, renalVeins: { right: 'invaded' } }, path: 'ivc.rightAtrialExtension, ivc.segments' },
    { name: 'no segment but circumference involved', over: { ivc: { segments: [], circumferencePercent: 10 }, tumor: { origin: 'left_renal_vein' }, renalVeins: { left: 'invaded' } }, path: 'ivc.circumferencePercent, ivc.segments' },
    { name: 'no segment but hepatic veins involved', over: { ivc: { segments: [], hepaticVeinInvolvement: true, circumferencePercent: 0 }, tumor: { origin: 'gonadal_vein' } }, path: 'ivc.hepaticVeinInvolvement, ivc.segments' },
    { name: 'tumour of the IVC but no segment', over: { ivc: { segments: [], circumferencePercent: 0 } }, path: 'ivc.segments, tumor.origin' },
    { name: 'right renal vein origin recorded as free', over: { tumor: { origin: 'right_renal_vein' }, renalVeins: { right: 'free' } }, path: 'renalVeins.right, tumor.origin' },
    { name: 'left renal vein origin recorded as free', over: { tumor: { origin: 'left_renal_vein' }, renalVeins: { left: 'free' } }, path: 'renalVeins.left, tumor.origin' },
    { name: 'right-atrial extension without segment III', over: { ivc: { segments: ['I', 'II'], rightAtrialExtension: true } }, path: 'ivc.rightAtrialExtension, ivc.segments' },
    { name: 'hepatic veins involved with segment I only', over: { ivc: { segments: ['I'], hepaticVeinInvolvement: true } }, path: 'ivc.hepaticVeinInvolvement, ivc.segments' },
    { name: 'no segment but an occluded lumen', over: { ivc: { segments: [], lumen: 'occluded', circumferencePercent: 0 }, tumor: { origin: 'gonadal_vein' } }, path: 'ivc.lumen, ivc.segments' },
    { name: 'right renal vein origin with only the left kidney', over: { patient: { solitaryKidney: 'left' }, tumor: { origin: 'right_renal_vein' }, renalVeins: { right: undefined } }, path: 'tumor.origin, patient.solitaryKidney' },
  ];

  it.each(table)('$name → case/contradiction naming $path', ({ over, path }) => {
    expect(codesAndPaths(invalid(makeCase(over)))).toEqual([{ code: 'case/contradiction', path }]);
  });

  it('the table covers every contradiction the schema knows', () => {
    const found = new Set(table.flatMap(({ over }) => contradictions(makeCase(over)).map((x) => x.paths.join(', '))));
    expect([...found].sort()).toEqual([...new Set(table.map((t) => t.path))].sort());
  });

  it('several contradictions are all reported', () => {
    const ds = invalid(makeCase({ ivc: { segments: [], rightAtrialExtension: true, hepaticVeinInvolvement: true, circumferencePercent: 50 } }));
    expect(ds.map((d) => d.path).sort()).toEqual([
      'ivc.circumferencePercent, ivc.segments',
      'ivc.hepaticVeinInvolvement, ivc.segments',
      'ivc.rightAtrialExtension, ivc.segments',
      'ivc.segments, tumor.origin',
    ]);
  });

  it.each<{ name: string; over: Override }>([
    { name: 'no segment with 0 % circumference and unknown origin', over: { ivc: { segments: [], circumferencePercent: 0 }, tumor: { origin: null } } },
    { name: 'unknown segments with atrial extension', over: { ivc: { segments: null, rightAtrialExtension: true } } },
    { name: 'renal vein origin with an unknown renal vein', over: { tumor: { origin: 'right_renal_vein' }, renalVeins: { right: null } } },
    { name: 'renal vein origin with an abutted renal vein', over: { tumor: { origin: 'left_renal_vein' }, renalVeins: { left: 'abutted' } } },
    { name: 'hepatic veins involved with segment II (it ends at the hepatic veins)', over: { ivc: { segments: ['I', 'II'], hepaticVeinInvolvement: true } } },
    { name: 'hepatic veins involved with segment III', over: { ivc: { segments: ['III'], hepaticVeinInvolvement: true, rightAtrialExtension: false } } },
  ])('not a contradiction: $name', ({ over }) => {
    expect(validateCase(makeCase(over), 'c').ok).toBe(true);
  });
});

describe('positions (parseCaseText)', () => {
  async function fail(text: string, file: string): Promise<Diagnostic[]> {
    const r = await parseCaseText(text, file);
    if (r.ok) throw new Error('expected a failure');
    return r.diagnostics;
  }
  const at = (ds: Diagnostic[]) =>
    ds.map((d) => ({ code: d.code, path: d.path, file: d.file, line: d.line, col: d.col })).sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));

  it('YAML: the value of a wrong field, and the key of an unknown one', async () => {
    const text = ['id: pos-yaml', 'ivc:', '  segments: [II]', '  lumen: closed', '  colaterals: limited', 'patient:', '  asa: 7', ''].join('\n');
    expect(at(await fail(text, 'c.yaml'))).toEqual([
      { code: 'case/enum', path: 'ivc.lumen', file: 'c.yaml', line: 4, col: 10 },
      { code: 'case/unknown-key', path: 'ivc.colaterals', file: 'c.yaml', line: 5, col: 3 },
      { code: 'case/range', path: 'patient.asa', file: 'c.yaml', line: 7, col: 8 },
    ]);
  });

  it('JSON: the same, and the second item of a set', async () => {
    const text = '{\n  "id": "pos-json",\n  "ivc": {\n    "segments": ["II", "IV"],\n    "extra": 1\n  }\n}\n';
    expect(at(await fail(text, 'c.json'))).toEqual([
      { code: 'case/enum', path: 'ivc.segments[1]', file: 'c.json', line: 4, col: 24 },
      { code: 'case/unknown-key', path: 'ivc.extra', file: 'c.json', line: 5, col: 5 },
    ]);
  });

  it('a contradiction points at its first field', async () => {
    const text = 'id: c\ntumor:\n  origin: right_renal_vein\nrenalVeins:\n  right: free\n';
    expect(at(await fail(text, 'c.yaml'))).toEqual([{ code: 'case/contradiction', path: 'renalVeins.right, tumor.origin', file: 'c.yaml', line: 5, col: 10 }]);
  });

  it('a missing id points at the document', async () => {
    expect(at(await fail('ivc:\n  lumen: patent\n', 'c.yaml'))).toEqual([{ code: 'case/required', path: 'id', file: 'c.yaml', line: 1, col: 1 }]);
  });

  it('malformed JSON has a line and column', async () => {
    expect(at(await fail('{\n  "id": "x",\n  "ivc": {,}\n}', 'c.json'))).toEqual([{ code: 'case/json', path: undefined, file: 'c.json', line: 3, col: 11 }]);
  });

  it('malformed YAML and duplicate keys have a line and column', async () => {
    expect(at(await fail('id: x\nivc:\n  lumen: patent\n  lumen: occluded\n', 'c.yaml'))).toEqual([
      { code: 'case/duplicate-key', path: undefined, file: 'c.yaml', line: 4, col: 3 },
    ]);
    const ds = await fail('id: x\nivc: [II\n', 'c.yaml');
    expect(ds.length).toBeGreaterThan(0);
    expect(ds.every((d) => d.code === 'case/yaml' && d.line !== undefined)).toBe(true);
  });

  it('a file without an extension is read as JSON or YAML from its first character', async () => {
    expect((await parseCaseText('{"id": "j"}', 'stdin')).ok).toBe(true);
    expect((await parseCaseText('id: y\n', 'stdin')).ok).toBe(true);
  });
});

describe('inputs that follow from other inputs (case/derive.ts)', () => {
  const valid = (over: Override) => {
    const v = validateCase(makeCase(over), 'case.json');
    if (!v.ok) throw new Error(v.diagnostics.map((d) => d.code).join());
    return v.value;
  };

  it('segments known without III: right-atrial extension becomes known false', () => {
    expect(valid({ ivc: { segments: ['I', 'II'], rightAtrialExtension: undefined } }).ivc?.rightAtrialExtension).toBe(false);
    expect(valid({ ivc: { segments: ['II'], rightAtrialExtension: null } }).ivc?.rightAtrialExtension).toBe(false);
  });

  it('segment III or unknown segments: right-atrial extension stays unknown', () => {
    expect(valid({ ivc: { segments: ['II', 'III'], rightAtrialExtension: undefined } }).ivc?.rightAtrialExtension).toBeUndefined();
    expect(valid({ ivc: { segments: undefined, rightAtrialExtension: undefined } }).ivc?.rightAtrialExtension).toBeUndefined();
  });

  it('segments known without II or III: hepatic-vein involvement becomes known false', () => {
    expect(valid({ ivc: { segments: ['I'], hepaticVeinInvolvement: undefined } }).ivc?.hepaticVeinInvolvement).toBe(false);
    expect(valid({ ivc: { segments: [], hepaticVeinInvolvement: null, circumferencePercent: 0 }, tumor: { origin: 'gonadal_vein' } }).ivc?.hepaticVeinInvolvement).toBe(false);
  });

  it('segment II or III, or unknown segments: hepatic-vein involvement stays unknown', () => {
    expect(valid({ ivc: { segments: ['I', 'II'], hepaticVeinInvolvement: undefined } }).ivc?.hepaticVeinInvolvement).toBeUndefined();
    expect(valid({ ivc: { segments: ['III'], hepaticVeinInvolvement: undefined, rightAtrialExtension: undefined } }).ivc?.hepaticVeinInvolvement).toBeUndefined();
    expect(valid({ ivc: { segments: undefined, hepaticVeinInvolvement: undefined } }).ivc?.hepaticVeinInvolvement).toBeUndefined();
  });

  it('a recorded value is kept', () => {
    expect(valid({ ivc: { segments: ['I'], hepaticVeinInvolvement: false, rightAtrialExtension: false } }).ivc).toMatchObject({ hepaticVeinInvolvement: false, rightAtrialExtension: false });
  });

  it('does not change the input object', () => {
    const c = makeCase({ ivc: { segments: ['I'], rightAtrialExtension: undefined } });
    validateCase(c, 'case.json');
    expect((c['ivc'] as Record<string, unknown>)['rightAtrialExtension']).toBeUndefined();
  });

  it('tumor.recurrent is optional and boolean', () => {
    expect(valid({ tumor: { recurrent: undefined } }).tumor?.recurrent).toBeUndefined();
    expect(validateCase(makeCase({ tumor: { recurrent: 'yes' } }), 'c.json').ok).toBe(false);
  });
});
