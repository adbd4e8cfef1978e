/**
 * Worker threads change nothing but speed: past the first entries of a JSON Lines input,
 * batch evaluates on worker threads as well as the main thread, and its output (every byte, on stdout and stderr) and
 * exit code are those of a run on the main thread alone.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeCases } from '../../scripts/bench/cases.mjs';
import { POOL_AFTER } from '../../src/batch/pool.js';
import { pathToFileURL } from 'node:url';
import { plainEnv, runBin, useBuiltBin } from '../support/cli.js';

useBuiltBin();

const dir = mkdtempSync(join(tmpdir(), 'rvlms-threads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Valid cases with unknowns, and among them blank lines, malformed JSON, a bad value and a repeated key. */
function cohort(n: number): string {
  const cases = (makeCases(n, 31, 0.2) as unknown[]).map((c) => JSON.stringify(c));
  for (let i = 997; i < cases.length; i += 1499) cases[i] = '{"id": "broken", ';
  for (let i = 2003; i < cases.length; i += 2503) cases[i] = JSON.stringify({ id: `bad-${i}`, ivc: { lumen: 'sideways' } });
  for (let i = 3001; i < cases.length; i += 3001) cases[i] = `{"id": "twice-${i}", "id": "again"}`;
  for (let i = 500; i < cases.length; i += 4000) cases[i] += '\n';
  return cases.join('\n') + '\n';
}

describe('batch on worker threads', () => {
  const n = POOL_AFTER + 3_000;
  const file = join(dir, 'cohort.jsonl');
  writeFileSync(file, cohort(n));

  it.each(['jsonl', 'csv'])('gives the bytes of a single-thread run (%s, a file)', (format) => {
    const one = runBin(['batch', file, '--format', format, '--threads', '1']);
    expect(one.code).toBe(2); // the invalid lines
    expect(one.stdout.length).toBeGreaterThan(n * 100);
    // 2: the main thread and one worker; 3: and two workers
    for (const threads of ['2', '3']) {
      const more = runBin(['batch', file, '--format', format, '--threads', threads]);
      expect(more.code).toBe(one.code);
      expect(more.stderr).toBe(one.stderr);
      expect(more.stdout === one.stdout).toBe(true);
    }
  });

  it('does start worker threads (the same bytes would come from the main thread alone)', () => {
    // a preloaded module counts the workers the process starts and reports them at exit
    const hook = join(dir, 'count-workers.mjs');
    writeFileSync(
      hook,
      [
        "import wt from 'node:worker_threads';",
        "import { syncBuiltinESMExports } from 'node:module';",
        'let started = 0;',
        'const Original = wt.Worker;',
        'wt.Worker = class extends Original { constructor(...a) { super(...a); started++; } };',
        'syncBuiltinESMExports();',
        "process.on('exit', () => process.stderr.write(`workers started: ${started}\\n`));",
      ].join('\n'),
    );
    const env = plainEnv({ NODE_OPTIONS: `--import=${pathToFileURL(hook).href}` });
    const started = (threads: string) => /workers started: (\d+)/.exec(runBin(['batch', file, '--format', 'jsonl', '--threads', threads], { env }).stderr)?.[1];
    expect(started('1')).toBe('0');
    expect(started('2')).toBe('1');
    expect(started('3')).toBe('2');
  });

  it('gives the bytes of a single-thread run on stdin', () => {
    const input = cohort(n);
    const one = runBin(['batch', '-', '--format', 'jsonl', '--threads', '1'], { input });
    const two = runBin(['batch', '-', '--format', 'jsonl', '--threads', '2'], { input });
    expect(two.code).toBe(one.code);
    expect(two.stderr).toBe(one.stderr);
    expect(two.stdout === one.stdout).toBe(true);
    expect(one.stdout.split('\n').filter((l) => l.startsWith('{"type":"case"')).length).toBe(n);
  });
});
