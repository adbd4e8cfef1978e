/**
 * Issue 13, the fuzz target kept in the suite: structured-random cases, CSV and YAML (aliases,
 * duplicate keys, quotes, line endings, hostile strings) through `plan` and `batch`, in
 * process on real (collecting) streams. The contract asserted for every input:
 *   - exit 0, 1 or 2 only; never a stack trace or an "internal error";
 *   - stdout whole (it parses) or, when plan refuses its input, empty;
 *   - every input accounted for: one case result per JSON line, CSV row or YAML file.
 * Runs are few (a few seconds in all); a failure prints fast-check's seed to replay it.
 */
import fc from 'fast-check';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { caseShaped } from '../support/arbitraries.js';
import { STACK_LINE, tempDir } from '../support/cli.js';
import { inProcess, type Outcome } from './harness.js';

const tmp = tempDir('rvlms-fuzz-');
afterAll(() => tmp.cleanup());
let k = 0;
const scratch = (): string => {
  const d = join(tmp.dir, `run-${k++}`);
  mkdirSync(d);
  return d;
};

/** Strings that have broken parsers and renderers before. */
const hostile = fc.oneof(
  { arbitrary: fc.string({ maxLength: 12 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 8 }), weight: 1 },
  {
    arbitrary: fc.constantFrom('=1+1', '-2-3', '@SUM(A1)', '\u001b[2J', '<img src=x onerror=alert(1)>', '"', "'", '""', 'a"b', ',', ';', '\t', '\uFFFD', '𝄞', '\uD800', '~', 'null', '*a', '&a', '- x', ': x', '#', '%', '!!str', '__proto__'),
    weight: 3,
  },
);

/** The contract every run keeps. */
function contract(r: Outcome): void {
  expect([0, 1, 2]).toContain(r.code);
  expect(r.stderr).not.toMatch(STACK_LINE);
  expect(r.stderr).not.toMatch(/internal error/);
}

interface BatchJson {
  readonly cases: readonly { readonly status: string }[];
  readonly summary: { readonly cases: { readonly total: number } };
}

/** Batch's JSON output, which must be whole, holding `n` case results. */
function accounted(r: Outcome, n: number): void {
  contract(r);
  const out = JSON.parse(r.stdout) as BatchJson;
  expect(out.cases).toHaveLength(n);
  expect(out.summary.cases.total).toBe(n);
}

const lineEnd = fc.constantFrom('\n', '\r\n');

/** Results expected of a file of `n` records: one per record, or one for the whole file when a NUL makes it binary (refused as one invalid input, the output still whole). */
const expected = (text: string, n: number): number => (text.includes('\u0000') ? 1 : n);

describe('fuzz: plan', () => {
  it('structured-random JSON cases: exit 0/1/2, stdout whole JSON or (exit 2) empty', async () => {
    await fc.assert(
      fc.asyncProperty(caseShaped, async (c) => {
        const file = join(scratch(), 'case.json');
        writeFileSync(file, JSON.stringify(c));
        const r = await inProcess(['plan', file, '--format', 'json']);
        contract(r);
        if (r.code === 2) expect(r.stdout).toBe('');
        else expect(JSON.parse(r.stdout)).toHaveProperty('decisions');
      }),
      { numRuns: 60 },
    );
  });

  /** A YAML case: known fields with scalar values, quoted or not, an anchor and alias now and then, a key repeated (plainly or through an alias) now and then. */
  const yamlCase = fc.record({
    values: fc.array(fc.tuple(fc.constantFrom('lumen', 'collaterals', 'circumferencePercent', 'hepaticVeinInvolvement', 'noteless'), fc.oneof(fc.constantFrom('patent', 'occluded', 'limited', '70', 'true', 'null'), hostile), fc.constantFrom('plain', 'single', 'double')), { minLength: 1, maxLength: 5 }),
    alias: fc.boolean(),
    duplicate: fc.constantFrom('none', 'plain', 'alias'),
    eol: lineEnd,
  });
  const quote = (v: string, how: string): string =>
    how === 'double' ? JSON.stringify(v) : how === 'single' ? `'${v.replace(/'/g, "''")}'` : /^[\w.-]+$/.test(v) ? v : JSON.stringify(v);

  it('YAML with aliases, duplicate keys, quotes and line endings: a repeated key is always refused', async () => {
    await fc.assert(
      fc.asyncProperty(yamlCase, async ({ values, alias, duplicate, eol }) => {
        const seen = new Set<string>();
        const lines = ['id: fuzz', 'ivc:'];
        for (const [key, value, how] of values) {
          if (seen.has(key)) continue;
          seen.add(key);
          lines.push(`  ${alias && seen.size === 1 ? '&k ' : ''}${key}: ${quote(value, how)}`);
        }
        const first = [...seen][0]!;
        if (duplicate === 'plain') lines.push(`  ${first}: ${quote(values[0]![1], 'double')}`);
        if (duplicate === 'alias' && alias) lines.push(`  *k : ${quote(values[0]![1], 'double')}`);
        const file = join(scratch(), 'case.yaml');
        const text = lines.join(eol) + eol;
        writeFileSync(file, text);
        const r = await inProcess(['plan', file, '--format', 'json']);
        contract(r);
        if (r.code === 2) expect(r.stdout).toBe('');
        else expect(JSON.parse(r.stdout)).toHaveProperty('decisions');
        if (duplicate === 'plain' || (duplicate === 'alias' && alias)) {
          expect(r.code).toBe(2);
          expect(r.stderr).toContain(text.includes('\u0000') ? 'io/binary' : 'case/duplicate-key'); // a NUL is refused before the YAML is read
        }
      }),
      { numRuns: 80 },
    );
  });
});

describe('fuzz: batch (every input accounted for)', () => {
  /** A JSON line: a case-shaped object, or a line of hostile text (never blank, never a line break). */
  const jsonLine = fc.oneof(
    { arbitrary: caseShaped.map((c) => JSON.stringify(c)), weight: 4 },
    { arbitrary: hostile.filter((s) => s.trim() !== '' && !/[\r\n\u2028\u2029]/.test(s)), weight: 1 },
  );

  it('JSON Lines: one result per line, the JSON whole', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(jsonLine, { minLength: 1, maxLength: 12 }), lineEnd, async (lines, eol) => {
        const file = join(scratch(), 'cases.jsonl');
        writeFileSync(file, lines.join(eol) + eol);
        accounted(await inProcess(['batch', file, '--format', 'json']), expected(lines.join(eol), lines.length));
      }),
      { numRuns: 40 },
    );
  });

  const COLUMNS = ['ivc.lumen', 'ivc.circumferencePercent', 'ivc.segments', 'renalVeins.left', 'source.note'] as const;
  const cell = fc.oneof(fc.constantFrom('', 'patent', 'occluded', '70', '75.5', 'II', 'I;II', 'free', 'invaded'), hostile);
  /** RFC 4180: a cell with a quote, comma or line break is quoted, its quotes doubled. */
  const csvCell = (s: string): string => (/[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s);

  it('CSV with hostile cells and either line ending: one result per row, the JSON whole', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.stringMatching(/^[a-z0-9]{1,8}$/), fc.array(cell, { minLength: COLUMNS.length, maxLength: COLUMNS.length })), { minLength: 1, maxLength: 10 }), lineEnd, async (rows, eol) => {
        const text = ['id', ...COLUMNS].join(',') + eol + rows.map(([id, cells]) => [id, ...cells].map(csvCell).join(',')).join(eol) + eol;
        const file = join(scratch(), 'cases.csv');
        writeFileSync(file, text);
        accounted(await inProcess(['batch', file, '--format', 'json']), expected(text, rows.length));
      }),
      { numRuns: 40 },
    );
  });

  it('a folder of YAML and JSON files, some broken: one result per file', async () => {
    const file = fc.oneof(
      caseShaped.map((c) => ({ ext: '.json', text: JSON.stringify(c) })),
      fc.tuple(hostile, hostile).map(([a, b]) => ({ ext: '.yaml', text: `id: ${JSON.stringify(a)}\nivc:\n  lumen: ${JSON.stringify(b)}\n` })),
      hostile.map((s) => ({ ext: '.yaml', text: `&a id: x\n*a : ${JSON.stringify(s)}\n` })),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(file, { minLength: 1, maxLength: 8 }), async (files) => {
        const d = scratch();
        files.forEach((f, i) => writeFileSync(join(d, `c${String(i).padStart(2, '0')}${f.ext}`), f.text));
        accounted(await inProcess(['batch', d, '--format', 'json']), files.length);
      }),
      { numRuns: 30 },
    );
  });
});
