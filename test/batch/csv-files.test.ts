/**
 * CSV as registries and spreadsheets write it, and CSV that is broken: every data row is
 * accounted for (a case or an error row with its line), whatever the quotes and line ends do.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCsv, readCsvTable, detectDelimiter } from '../../src/batch/read-csv.js';
import { readJsonLines } from '../../src/batch/read-jsonl.js';
import type { InputItem } from '../../src/batch/types.js';
import { chunks, collect } from './helpers.js';

const view = (it: InputItem) => ('diagnostics' in it ? { line: it.source.line, row: it.source.row, codes: it.diagnostics.map((d) => d.code) } : { line: it.source.line, row: it.source.row, data: it.data });
const read = async (text: string, ...split: number[]) => {
  const pieces: string[] = [];
  let at = 0;
  for (const s of [...split, text.length]) {
    pieces.push(text.slice(at, s));
    at = s;
  }
  return (await collect(readCsv(chunks(...pieces) as AsyncIterable<string>, 'c.csv'))).map(view);
};

describe('broken quotes lose no row (issue 13 item 6)', () => {
  it('text after a closing quote: that row is an error, the next rows are cases', async () => {
    expect(await read('id,source.note\nr1,"a"b\nr2,x\nr3,y\n')).toEqual([
      { line: 2, row: 1, codes: ['batch/csv-quote'] },
      { line: 3, row: 2, data: { id: 'r2', source: { note: 'x' } } },
      { line: 4, row: 3, data: { id: 'r3', source: { note: 'y' } } },
    ]);
  });

  it('a quote inside an unquoted cell is reported once', async () => {
    const items = await read('id,source.note\nr1,a"b"c\nr2,x\n');
    expect(items).toEqual([
      { line: 2, row: 1, codes: ['batch/csv-quote'] },
      { line: 3, row: 2, data: { id: 'r2', source: { note: 'x' } } },
    ]);
  });

  it('an unclosed quote in row 10 of 1,000: one error row, the 990 rows after it read', async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => (i === 9 ? `r${i + 1},"unclosed` : `r${i + 1},n${i + 1}`));
    const items = await read(['id,source.note', ...rows].join('\n') + '\n', 1234, 5000);
    expect(items).toHaveLength(1000);
    expect(items[9]).toEqual({ line: 11, row: 10, codes: ['batch/csv-quote'] });
    expect(items.filter((i) => 'data' in i)).toHaveLength(999);
    expect(items[999]).toEqual({ line: 1001, row: 1000, data: { id: 'r1000', source: { note: 'n1000' } } });
  });

  it('an unclosed quote that a later quote seems to close: the swallowed rows are read again', async () => {
    const text = 'id,source.note\nr1,"open\nr2,x\nr3,"quoted"\nr4,y\n';
    expect(await read(text)).toEqual([
      { line: 2, row: 1, codes: ['batch/csv-quote'] },
      { line: 3, row: 2, data: { id: 'r2', source: { note: 'x' } } },
      { line: 4, row: 3, data: { id: 'r3', source: { note: 'quoted' } } },
      { line: 5, row: 4, data: { id: 'r4', source: { note: 'y' } } },
    ]);
  });

  it('a quoted cell longer than the record limit is refused, and reading goes on', async () => {
    const text = `id,source.note\nr1,"${'x\n'.repeat(50)}\nr2,y\n`;
    const items = (await collect(readCsv(chunks(text) as AsyncIterable<string>, 'c.csv', { maxRecord: 40 }))).map(view);
    expect(items[0]).toEqual({ line: 2, row: 1, codes: ['batch/csv-quote'] });
    expect(items[items.length - 1]).toEqual({ line: 53, row: items.length, data: { id: 'r2', source: { note: 'y' } } });
  });

  it('a quoted cell with line ends and doubled quotes is one cell', async () => {
    expect(await read('id,source.note\r\nr1,"two\r\nlines, ""quoted"""\r\nr2,x\r\n')).toEqual([
      { line: 2, row: 1, data: { id: 'r1', source: { note: 'two\r\nlines, "quoted"' } } },
      { line: 4, row: 2, data: { id: 'r2', source: { note: 'x' } } },
    ]);
  });
});

describe('line ends', () => {
  it.each([
    ['a CRLF header with LF rows', 'id,patient.age\r\nr1,1\nr2,2\n'],
    ['CR only (old Mac exports)', 'id,patient.age\rr1,1\rr2,2\r'],
    ['CRLF throughout', 'id,patient.age\r\nr1,1\r\nr2,2\r\n'],
    ['no line end at the end', 'id,patient.age\nr1,1\nr2,2'],
  ])('%s: one case per row, with its line', async (_name, text) => {
    for (let cut = 1; cut < text.length; cut++)
      expect(await read(text, cut)).toEqual([
        { line: 2, row: 1, data: { id: 'r1', patient: { age: 1 } } },
        { line: 3, row: 2, data: { id: 'r2', patient: { age: 2 } } },
      ]);
  });

  it('JSON Lines with CR-only line ends are separate lines (issue 13 item 14)', async () => {
    for (const text of ['{"id":"a"}\r{"id":"b"}\r{"id":"c"}', '{"id":"a"}\r\n{"id":"b"}\r{"id":"c"}\n'])
      for (let cut = 1; cut < text.length; cut++) {
        const items = await collect(readJsonLines(chunks(text.slice(0, cut), text.slice(cut)) as AsyncIterable<string>, 'c.jsonl'));
        expect(items.map((i) => [i.source.line, 'data' in i ? (i.data as { id: string }).id : 'bad'])).toEqual([
          [1, 'a'],
          [2, 'b'],
          [3, 'c'],
        ]);
      }
  });
});

describe('delimiters and decimal commas', () => {
  it.each([
    ['id,patient.age', ','],
    ['id;patient.age', ';'],
    ['id\tpatient.age', '\t'],
    ['"a;b",c', ','],
    ['id', ','],
  ])('%j is delimited by %j', (line, d) => expect(detectDelimiter(line)).toBe(d));

  it('a semicolon export with decimal commas, a BOM and `sep=;`', async () => {
    const text = '\uFEFFsep=;\nid;ivc.circumferencePercent;source.note\nr1;62,5;"a; b"\nr2;40;x,y\n';
    expect(await read(text)).toEqual([
      { line: 3, row: 1, data: { id: 'r1', ivc: { circumferencePercent: 62.5 }, source: { note: 'a; b' } } },
      { line: 4, row: 2, data: { id: 'r2', ivc: { circumferencePercent: 40 }, source: { note: 'x,y' } } },
    ]);
  });

  it('a decimal comma is not a number under a comma delimiter (it would be two cells)', async () => {
    expect(await read('id,ivc.circumferencePercent\nr1,"62,5"\n')).toEqual([{ line: 2, row: 1, data: { id: 'r1', ivc: { circumferencePercent: '62,5' } } }]);
  });

  it('tab-delimited', async () => {
    expect(await read('id\tpatient.age\nr1\t61\n')).toEqual([{ line: 2, row: 1, data: { id: 'r1', patient: { age: 61 } } }]);
  });
});

describe('header problems are reported once', () => {
  it('columns that are no case field: one note, the rows read', async () => {
    const notes: string[] = [];
    const items = await collect(readCsv(chunks('record_id,id,date_of_surgery,patient.age\n1,a,2020-01-01,60\n2,b,2021-02-02,61\n') as AsyncIterable<string>, 'c.csv', { note: (d) => notes.push(`${d.code} ${d.message}`) }));
    expect(items.map(view)).toEqual([
      { line: 2, row: 1, data: { id: 'a', patient: { age: 60 } } },
      { line: 3, row: 2, data: { id: 'b', patient: { age: 61 } } },
    ]);
    expect(notes).toEqual(['batch/columns-ignored 2 column(s) hold no case field and are ignored: "record_id", "date_of_surgery"']);
  });

  it.each([
    ['no id column', 'record_id,patient.age\n1,60\n', 'id'],
    ['a dotted name that is no case field (a typo)', 'id,ivc.lumne\na,patent\n', 'ivc.lumne'],
  ])('%s stops the file with one diagnostic', async (_name, text, path) => {
    const err = (await collect(readCsv(chunks(text) as AsyncIterable<string>, 'c.csv')).catch((e: unknown) => e)) as { diagnostics: { code: string; path?: string; line?: number }[] };
    expect(err.diagnostics.map((d) => [d.code, d.path, d.line])).toEqual([['batch/header', path, 1]]);
  });
});

describe('every row accounted for (property)', () => {
  it('random cells, quotes and line ends: as many items as data records the tokenizer saw, rows numbered 1…n', async () => {
    const cell = fc.oneof(fc.constantFrom('', 'x', '"', '""', '"a"b', 'a"b', '"a,b"', '"l1\nl2"', ';', ',', '\r', '\r\n'), fc.string({ maxLength: 4 }));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { maxLength: 12 }), fc.constantFrom('\n', '\r\n', '\r'), async (rows, eol) => {
        const text = ['id,source.note', ...rows.map((r) => `r,${r.join(',')}`)].join(eol) + eol;
        const events = await collect(readCsvTable(chunks(text) as AsyncIterable<string>, 'c.csv'));
        const data = events.filter((e) => e.kind !== 'header');
        expect(data.map((e) => ('row' in e ? e.row : 0))).toEqual(data.map((_, i) => i + 1));
        // each data line starts with "r," so no line is lost: every line starting a record is counted
        const lines = new Set(data.map((e) => e.line));
        expect(lines.size).toBe(data.length);
        const items = await collect(readCsv(chunks(text) as AsyncIterable<string>, 'c.csv'));
        expect(items).toHaveLength(data.length);
      }),
      { numRuns: 300 },
    );
  });
});
