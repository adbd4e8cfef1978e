/**
 * Issue 13, injection (items 8, 9): ids and key names from a case cannot become a spreadsheet
 * formula in CSV, a terminal escape on stderr or in a table, or markup in markdown. A table of
 * hostile inputs × formats → what must never appear in the output.
 */
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { csvText, htmlAttr, htmlText, terminalText } from '../../src/report/sanitize.js';
import { tempDir } from '../support/cli.js';
import { expectOutcome, inProcess } from './harness.js';

const tmp = tempDir('rvlms-inject-');
afterAll(() => tmp.cleanup());

const ESC = '\u001b';
const FORMULAS = ['=1+1', "=cmd|' /C calc'!A0", '-2-3', '+1+1', '@SUM(A1)', '\t=1', '\r=1'];
const SCREEN = `${ESC}[2J${ESC}[32mALL CHECKS PASSED`;
const HTML = '<img src=x onerror=alert(1)>';

/** One JSON line per hostile value: as the id, and as an unknown key's name. */
const lines = [SCREEN, HTML, ...FORMULAS].flatMap((v, i) => [JSON.stringify({ id: v }), JSON.stringify({ id: `k${i}`, [v]: 1 })]);
const input = tmp.write('hostile.jsonl', lines.join('\n') + '\n');

/** A spreadsheet formula trigger at the start of a cell that is not a plain number. */
const isFormula = (cell: string): boolean => /^[=+\-@\t\r]/.test(cell) && !/^[+-]?\d+(\.\d+)?$/.test(cell);

describe('item 8: CSV cells never start a formula (CWE-1236)', () => {
  it('every id and key name above reaches the CSV as text', async () => {
    const r = await inProcess(['batch', input, '--format', 'csv']);
    expectOutcome(r, { exit: 2, codes: ['case/unknown-key'], stdout: 'any' });
    const rows = parse(r.stdout, { relax_column_count: false }) as string[][];
    expect(rows).toHaveLength(lines.length + 1); // every input accounted for
    const cells = rows.flat();
    expect(cells.filter(isFormula)).toEqual([]);
    expect(cells).toContain("'=1+1"); // shown, as text
    expect(cells.some((c) => c.includes('@SUM(A1)'))).toBe(true);
  });
});

describe('item 9: no terminal escape or markup from an input reaches the output', () => {
  const rows: { format: string; where: 'stdout' | 'stderr'; forbidden: RegExp }[] = [
    { format: 'table', where: 'stdout', forbidden: /\u001b/ },
    { format: 'table', where: 'stderr', forbidden: /\u001b/ },
    { format: 'csv', where: 'stdout', forbidden: /\u001b/ },
    { format: 'markdown', where: 'stdout', forbidden: /<img|\u001b/ },
  ];
  it.each(rows)('batch --format $format: $where holds no $forbidden', async ({ format, where, forbidden }) => {
    const r = await inProcess(['batch', input, '--format', format, ...(format === 'table' ? ['--cases'] : [])]);
    expectOutcome(r, { exit: 2, stdout: 'any' });
    expect(r[where]).not.toMatch(forbidden);
    expect(r[where]).toMatch(/\\u001b\[2J|&lt;img|case\/unknown-key/); // the value is shown, escaped
  });

  it('plan of a case whose key name holds escapes: the diagnostic on stderr is escaped', async () => {
    const file = tmp.write('screen.json', JSON.stringify({ id: 'k', [SCREEN]: 1 }));
    const r = await inProcess(['plan', file]);
    expectOutcome(r, { exit: 2, codes: ['case/unknown-key'], stdout: 'empty' });
    expect(r.stderr).not.toContain(ESC);
    expect(r.stderr).toContain('\\u001b[2J');
  });
});

describe('the sanitising functions', () => {
  it.each([
    ['terminalText', terminalText, `a${ESC}[31mb\nc\u202ed`, 'a\\u001b[31mb\\u000ac\\u202ed'],
    ['terminalText', terminalText, 'plain é 𝄞\ttab', 'plain é 𝄞\ttab'],
    ['csvText', csvText, '=1+1', "'=1+1"],
    ['csvText', csvText, '-2', '-2'],
    ['csvText', csvText, '-2-3', "'-2-3"],
    ['csvText', csvText, '\r=1', "'\r=1"],
    ['htmlText', htmlText, HTML, '&lt;img src=x onerror=alert(1)&gt;'],
    ['htmlText', htmlText, `"&'${ESC}\n`, '"&amp;\'\\u001b\n'],
    ['htmlAttr', htmlAttr, `"&'`, '&quot;&amp;&#39;'],
    ['csvText', csvText, 'a\nb', 'a\nb'],
  ] as const)('%s(%j)', (_name, f, input, expected) => {
    expect(f(input)).toBe(expected);
  });
});
