/** The input readers: what each yields, with which source, for good and bad input. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeChunks } from '../../src/batch/decode.js';
import { readInputBatches, readInputItems, readInputTexts, type InputSpec } from '../../src/batch/inputs.js';
import { readCsv } from '../../src/batch/read-csv.js';
import { readJsonDocument } from '../../src/batch/read-json.js';
import { readJsonLines } from '../../src/batch/read-jsonl.js';
import type { InputItem } from '../../src/batch/types.js';
import { InputError } from '../../src/diagnostics/diagnostic.js';
import { chunks, collect } from './helpers.js';

/** The first diagnostic of an item that has diagnostics. */
const firstDiagnostic = (it: InputItem | undefined) => (it && 'diagnostics' in it ? it.diagnostics[0] : undefined);

/** A compact view of an item: its source, and its data or its diagnostic codes. */
const view = (it: InputItem) =>
  'diagnostics' in it ? { ...it.source, codes: it.diagnostics.map((d) => d.code) } : { ...it.source, data: it.data };

type Reader = (chunks: AsyncIterable<string>, file: string) => AsyncIterable<InputItem>;
const lines = (text: string) => readJsonLines(chunks(text) as AsyncIterable<string>, 'c.jsonl');

describe('chunk boundaries', () => {
  it.each<[string, Reader, string, number]>([
    ['JSON Lines', readJsonLines, '{"id":"a","x":"é"}\n{"id":"b"}\n\n{"id":"c"}\n', 3],
    ['a JSON array', readJsonDocument, '[{"id":"a","q":"\\"],"},\n{"id":"b"},{"id":"c"}]', 3],
    ['CSV', readCsv, 'id,ivc.segments,source.note\na,I;III,"x,\ny"\nb,[],z\n', 2],
  ])('%s: the same items wherever the chunks split the text', async (_name, read, text, count) => {
    const whole = (await collect(read(chunks(text) as AsyncIterable<string>, 'f'))).map(view);
    expect(whole).toHaveLength(count);
    for (let i = 1; i < text.length; i++) expect((await collect(read(chunks(text.slice(0, i), text.slice(i)) as AsyncIterable<string>, 'f'))).map(view)).toEqual(whole);
  });
});

describe('JSON Lines', () => {
  it('yields one item per non-blank line, with its line number', async () => {
    const text = '{"id":"a"}\n\n   \n{"id":"b"}\r\n{"id":"c"}';
    expect((await collect(lines(text))).map(view)).toEqual([
      { file: 'c.jsonl', line: 1, data: { id: 'a' } },
      { file: 'c.jsonl', line: 4, data: { id: 'b' } },
      { file: 'c.jsonl', line: 5, data: { id: 'c' } },
    ]);
  });

  it('reports a malformed line with its line and column, and reads on', async () => {
    const items = await collect(lines('{"id":"a"}\n{"id": "b",}\n{"id":"c"}\n'));
    expect(items.map(view)).toEqual([
      { file: 'c.jsonl', line: 1, data: { id: 'a' } },
      { file: 'c.jsonl', line: 2, codes: ['case/json'] },
      { file: 'c.jsonl', line: 3, data: { id: 'c' } },
    ]);
    const d = firstDiagnostic(items[1]);
    expect([d?.line, d?.col]).toEqual([2, 12]);
    expect(d?.message).not.toMatch(/position/); // an offset inside the line would mislead
  });

  it('refuses a case with a key given twice (JSON.parse would keep only the last), and reads on', async () => {
    const items = await collect(lines('{"id":"a","ivc":{"lumen":"patent","lumen":"occluded"}}\n{"id":"b"}\n'));
    expect(items.map(view)).toEqual([
      { file: 'c.jsonl', line: 1, codes: ['case/duplicate-key'] },
      { file: 'c.jsonl', line: 2, data: { id: 'b' } },
    ]);
    expect(firstDiagnostic(items[0])).toMatchObject({ path: 'ivc.lumen', line: 1, col: 35 });
  });

  it('refuses an oversized line without holding it, and reads on', async () => {
    const big = `{"id":"${'x'.repeat(100)}"}`;
    const r = readJsonLines(chunks(big.slice(0, 40), big.slice(40), '\n{"id":"b"}\n') as AsyncIterable<string>, 'c.jsonl', { maxLine: 50 });
    expect((await collect(r)).map(view)).toEqual([
      { file: 'c.jsonl', line: 1, codes: ['io/too-large'] },
      { file: 'c.jsonl', line: 2, data: { id: 'b' } },
    ]);
  });

  it('reports a line that is not UTF-8, and reads on', async () => {
    const bytes = Buffer.concat([Buffer.from('{"id":"a"}\n{"id":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n{"id":"c"}\n')]);
    const r = readJsonLines(decodeChunks(chunks(bytes), 'c.jsonl'), 'c.jsonl');
    expect((await collect(r)).map(view).map((v) => ('codes' in v ? v.codes : v.data))).toEqual([{ id: 'a' }, ['io/encoding'], { id: 'c' }]);
  });
});

describe('CSV piped to stdin without --input-format csv', () => {
  const STDIN: InputSpec = { path: '-', kind: 'stdin' };
  const COHORT_HEAD = 'schemaVersion,id,patient.age,patient.sex\n1,a,62,female\n1,b,54,male\n';
  /** The codes an input's reading stops with, or the number of items it gives. */
  async function outcome(read: AsyncIterable<Iterable<unknown> | unknown>, flat: boolean): Promise<string[] | number> {
    try {
      let n = 0;
      for await (const x of read) n += flat ? 1 : [...(x as Iterable<unknown>)].length;
      return n;
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      return e.diagnostics.map((d) => `${d.file} ${d.severity} ${d.code}`);
    }
  }
  const readers = {
    items: (text: string[]) => outcome(readInputItems(STDIN, () => chunks(...text)), true),
    batches: (text: string[]) => outcome(readInputBatches(STDIN, () => chunks(...text)), false),
    texts: (text: string[]) => outcome(readInputTexts(STDIN, () => chunks(...text)), false),
  };

  it.each(Object.keys(readers) as (keyof typeof readers)[])('%s: a CSV header is one batch/stdin-csv, not one error per row', async (reader) => {
    const refused = ['- error batch/stdin-csv'];
    expect(await readers[reader]([COHORT_HEAD])).toEqual(refused);
    // the header split across chunks, after blank lines, with semicolons, quoted, or an Excel sep= line
    expect(await readers[reader](['\n\r\nschemaVersion,i', 'd,patient.age\r\n1,a,3\n'])).toEqual(refused);
    expect(await readers[reader](['record_id;Hep veins;EBL (L)\nA-01;ja;0,8\n'])).toEqual(refused);
    expect(await readers[reader](['"record_id"\t"sex"'])).toEqual(refused);
    expect(await readers[reader](['sep=;\nid;sex\n'])).toEqual(refused);
  });

  it.each(Object.keys(readers) as (keyof typeof readers)[])('%s: JSON Lines, and lines that are no header, are read as before', async (reader) => {
    expect(await readers[reader](['\n\n{"id": "a"}\n', '{"id": "b"}'])).toBe(2);
    expect(await readers[reader](['[1, 2]\n"a,b"\n'])).toBe(2);
    expect(await readers[reader](['hello\n{"id": "b"}\n'])).toBe(2);
    expect(await readers[reader](['{"id": "a", "b": 1}, {"id": "c"}\n'])).toBe(1);
    expect(await readers[reader]([''])).toBe(0);
  });
});

describe('decoding', () => {
  it('reads UTF-16 with a BOM and keeps characters split across chunks', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"id":"é"}\n', 'utf16le')]);
    const text = (await collect(decodeChunks(chunks(utf16.subarray(0, 5), utf16.subarray(5)), 'x'))).join('');
    expect(text).toBe('{"id":"é"}\n');
    const utf8 = Buffer.from('\uFEFFé€');
    expect((await collect(decodeChunks(chunks(utf8.subarray(0, 4), utf8.subarray(4)), 'x'))).join('')).toBe('é€');
  });

  it('decodes any chunking of UTF-8 as one decoder would, ASCII chunks passed through', async () => {
    const piece = fc.constantFrom('{"id":"a"}\n', 'x', ' ', '\uFEFF', 'é', '€', '𝄞', '\uFFFD');
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { minLength: 1, maxLength: 20 }), fc.array(fc.nat(), { maxLength: 6 }), async (pieces, cuts) => {
        const bytes = Buffer.from(pieces.join(''));
        const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const parts = [0, ...at].map((from, i) => bytes.subarray(from, [...at, bytes.length][i]));
        const text = (await collect(decodeChunks(chunks(...parts), 'x'))).join('');
        expect(text).toBe(new TextDecoder().decode(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps a byte order mark that follows ASCII chunks as a character', async () => {
    const parts = [Buffer.from('{"id":"a"}\n'), Buffer.from('\uFEFF{"id":"b"}\n')];
    expect((await collect(decodeChunks(chunks(...parts), 'x'))).join('')).toBe('{"id":"a"}\n\uFEFF{"id":"b"}\n');
  });

  it('refuses binary input naming the file', async () => {
    const err = await collect(decodeChunks(chunks(Buffer.from([0x7b, 0x00, 0x01])), 'blob.jsonl')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).diagnostics.map((d) => [d.code, d.file])).toEqual([['io/binary', 'blob.jsonl']]);
  });
});

const doc = (...pieces: string[]) => readJsonDocument(chunks(...pieces) as AsyncIterable<string>, 'a.json');

describe('JSON documents', () => {
  it('reads a single case as one item without a line', async () => {
    expect((await collect(doc('\n {"id":"one"}\n'))).map(view)).toEqual([{ file: 'a.json', data: { id: 'one' } }]);
  });

  it('splits an array into its elements, each with the line it starts on', async () => {
    const text = '[\n  {"id":"a","s":"],{\\"[","n":[1,[2]]},\n  {"id":"b"}\n  ,{"id":"c"}\n]\n';
    expect((await collect(doc(text))).map(view)).toEqual([
      { file: 'a.json', line: 2, data: { id: 'a', s: '],{"[', n: [1, [2]] } },
      { file: 'a.json', line: 3, data: { id: 'b' } },
      { file: 'a.json', line: 4, data: { id: 'c' } },
    ]);
  });

  it('reports a malformed element at its own line and column, and reads the others', async () => {
    const items = await collect(doc('[\n  {"id":"a"},\n  {"id": "b",},\n  {"id":"c"}\n]'));
    expect(items.map(view)).toEqual([
      { file: 'a.json', line: 2, data: { id: 'a' } },
      { file: 'a.json', line: 3, codes: ['case/json'] },
      { file: 'a.json', line: 4, data: { id: 'c' } },
    ]);
    const d = firstDiagnostic(items[1]);
    expect([d?.line, d?.col]).toEqual([3, 14]);
  });

  it.each([
    ['an empty file', '', [{ file: 'a.json', line: 1, codes: ['case/empty'] }]],
    ['an empty array', ' [ ] ', []],
    ['an unclosed array', '[{"id":"a"},', [{ file: 'a.json', line: 1, data: { id: 'a' } }, { file: 'a.json', line: 1, codes: ['case/json'] }]],
    ['text after the array', '[{"id":"a"}]\nx', [{ file: 'a.json', line: 1, data: { id: 'a' } }, { file: 'a.json', line: 2, codes: ['case/json'] }]],
    ['a truncated element', '[{"id":"a"', [{ file: 'a.json', line: 1, codes: ['case/json'] }]],
  ])('handles %s', async (_name, text, expected) => {
    expect((await collect(doc(text))).map(view)).toEqual(expected);
  });

  it('refuses an oversized element and reads on', async () => {
    const r = readJsonDocument(chunks(`[{"id":"${'x'.repeat(200)}"},{"id":"b"}]`) as AsyncIterable<string>, 'a.json', { maxItem: 100 });
    expect((await collect(r)).map(view)).toEqual([
      { file: 'a.json', line: 1, codes: ['io/too-large'] },
      { file: 'a.json', line: 1, data: { id: 'b' } },
    ]);
  });
});

const csv = (...pieces: string[]) => readCsv(chunks(...pieces) as AsyncIterable<string>, 'c.csv');

describe('CSV', () => {
  it('builds nested cases from dotted headers and converts cells by field kind', async () => {
    const text = [
      'id,tumor.imagingType,ivc.segments,ivc.rightAtrialExtension,ivc.circumferencePercent,tumor.adjacentOrgans,patient.asa,source.note',
      'a,intraluminal,I;II,true,62.5,[],2,"synthetic, ""quoted"""',
      'b,,,FALSE,,,,',
    ].join('\n');
    expect((await collect(csv(text))).map(view)).toEqual([
      {
        file: 'c.csv',
        line: 2,
        row: 1,
        data: {
          id: 'a',
          tumor: { imagingType: 'intraluminal', adjacentOrgans: [] },
          ivc: { segments: ['I', 'II'], rightAtrialExtension: true, circumferencePercent: 62.5 },
          patient: { asa: 2 },
          source: { note: 'synthetic, "quoted"' },
        },
      },
      { file: 'c.csv', line: 3, row: 2, data: { id: 'b', ivc: { rightAtrialExtension: false } } },
    ]);
  });

  it('keeps a cell that does not convert as text, for the schema to report', async () => {
    const [item] = await collect(csv('id,ivc.circumferencePercent,ivc.lumen\na,sixty,open\n'));
    expect(view(item!)).toEqual({ file: 'c.csv', line: 2, row: 1, data: { id: 'a', ivc: { circumferencePercent: 'sixty', lumen: 'open' } } });
  });

  it('gives a multi-line record the line it starts on, and skips blank rows', async () => {
    const items = await collect(csv('id,source.note\n\na,"two\nlines"\n,\nb,x\n'));
    expect(items.map(view)).toEqual([
      { file: 'c.csv', line: 3, row: 1, data: { id: 'a', source: { note: 'two\nlines' } } },
      { file: 'c.csv', line: 6, row: 2, data: { id: 'b', source: { note: 'x' } } },
    ]);
  });

  it('reports a row with the wrong number of cells, and reads on', async () => {
    expect((await collect(csv('id,patient.age\na,1,extra\nb,2\n'))).map(view)).toEqual([
      { file: 'c.csv', line: 2, row: 1, codes: ['batch/csv-columns'] },
      { file: 'c.csv', line: 3, row: 2, data: { id: 'b', patient: { age: 2 } } },
    ]);
  });

  it('reports a row with text after a closing quote, and reads on', async () => {
    expect((await collect(csv('id,patient.age\na,1\n"b"x,2\nc,3\n'))).map(view)).toEqual([
      { file: 'c.csv', line: 2, row: 1, data: { id: 'a', patient: { age: 1 } } },
      { file: 'c.csv', line: 3, row: 2, codes: ['batch/csv-quote'] },
      { file: 'c.csv', line: 4, row: 3, data: { id: 'c', patient: { age: 3 } } },
    ]);
  });

  it.each([
    ['a repeated column', 'id,id\na,b\n'],
    ['an unnamed column', 'id,,patient.age\na,,1\n'],
  ])('refuses a header with %s (InputError naming the file)', async (_name, text) => {
    const err = await collect(csv(text)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).diagnostics.map((d) => [d.code, d.file, d.line])).toEqual([['batch/header', 'c.csv', 1]]);
  });

  it('ignores a "__proto__" column (not a case field) and never writes into a prototype', async () => {
    const notes: string[] = [];
    const items = await collect(readCsv(chunks('id,__proto__.polluted,constructor.prototype.polluted\na,yes,yes\n') as AsyncIterable<string>, 'c.csv', { note: (d) => notes.push(d.code) }));
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(items.map(view)).toEqual([{ file: 'c.csv', line: 2, row: 1, data: { id: 'a' } }]);
    expect(notes).toEqual(['batch/columns-ignored']);
  });
});
