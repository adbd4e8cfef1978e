/** `node bin/rvlms.js batch …` end to end: the built CLI in a child process. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBin, STACK_LINE, tempDir, useBuiltBin } from '../support/cli.js';

useBuiltBin();
const run = (args: readonly string[], input?: string) => runBin(args, input === undefined ? {} : { input });
const t = tempDir();
afterAll(() => t.cleanup());

describe('rvlms batch (built CLI)', () => {
  it('runs the README example: the cohort folder as a table', () => {
    const r = run(['batch', 'fixtures/cohort/']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^rvlms batch · rules rvlms-default/);
    expect(r.stdout).not.toContain('syn-pe-05'); // the case list only with --cases
    expect(r.stdout).toMatch(/^ {4}agreement +75 % \(95 % CI 50\.5–89\.8\)$/m);
    expect(run(['batch', 'fixtures/cohort/', '--cases']).stdout).toContain('syn-pe-05');
  });

  it('reads JSON Lines on stdin and writes JSON Lines', () => {
    const input = readFileSync(join('fixtures', 'cohort.jsonl'), 'utf8');
    const r = run(['batch', '-', '--format', 'jsonl'], input);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; source?: { file: string; line: number } });
    expect(lines).toHaveLength(27);
    expect(lines[0]!.source).toEqual({ file: '-', line: 1 });
    expect(lines.at(-1)!.type).toBe('summary');
  });

  it('reads CSV and writes markdown to a file with --out', () => {
    const out = join(t.dir, 'cohort.md');
    const r = run(['batch', 'fixtures/cohort.csv', '--format', 'markdown', '--out', out]);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '', '']);
    expect(readFileSync(out, 'utf8')).toMatch(/^# rvlms batch\n/);
  });

  it('reads the registry .xlsx workbook as it reads the same export as CSV (the vendored reader, as installed)', () => {
    const map = join('fixtures', 'registry', 'registry.map.yaml');
    const xlsx = run(['batch', join('fixtures', 'registry', 'redcap-export.xlsx'), '--sheet', 'Patients', '--map', map, '--format', 'json', '--summary']);
    const csv = run(['batch', join('fixtures', 'registry', 'redcap-export.csv'), '--map', map, '--format', 'json', '--summary']);
    expect(xlsx.stderr).not.toContain('batch/xlsx');
    expect(xlsx.code).toBe(csv.code);
    const summary = (r: { stdout: string }) => (JSON.parse(r.stdout) as { summary: { cases: unknown } }).summary.cases;
    expect(summary(xlsx)).toEqual(summary(csv));
    const init = run(['map', 'init', join('fixtures', 'registry', 'redcap-export.xlsx'), '--sheet', 'Patients']);
    expect(init.code).toBe(0);
    expect(init.stderr).not.toContain('batch/xlsx');
    expect(init.stdout).toContain('# Column map for');
  });

  it('exits 1 with --fail-on-discordance on the example cohort', () => {
    const r = run(['batch', 'fixtures/cohort/', '--format', 'csv', '--fail-on-discordance']);
    expect(r.code).toBe(1);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(27);
  });

  it('exits 2 after reporting every case of the mixed folder, naming each bad file, line and code', () => {
    const r = run(['batch', 'fixtures/batch-mixed', '--format', 'jsonl']);
    expect(r.code).toBe(2);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(12);
    expect(r.stderr).toContain('fixtures/batch-mixed/e-unknown-key.yaml:2:1 error case/unknown-key');
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it.each([
    [['batch', 'no/such/folder'], /no\/such\/folder.*io\/not-found/],
    [['batch', 'fixtures/cohort', '--format', 'xml'], /argument 'xml' is invalid/],
    [['batch'], /missing required argument/],
  ])('refuses %j with exit 2 and a message, no stack trace', (args, message) => {
    const r = run(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it('documents itself in --help with examples', () => {
    const r = run(['batch', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--fail-on-discordance');
    expect(r.stdout).toContain('rvlms batch fixtures/cohort/');
  });
});
