/**
 * batch bounds the main thread's heap growth between full collections (src/io/heap.ts), and
 * only batch: a plan does not touch V8's flags. A preloaded module records every flag set.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { HEAP_GROWING_PERCENT } from '../../src/io/heap.js';
import { plainEnv, runBin, useBuiltBin } from '../support/cli.js';
import { ROOT } from '../support/paths.js';

useBuiltBin();

const dir = mkdtempSync(join(tmpdir(), 'rvlms-heap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hook = join(dir, 'record-flags.mjs');
writeFileSync(
  hook,
  [
    "import v8 from 'node:v8';",
    "import { syncBuiltinESMExports } from 'node:module';",
    'const flags = [];',
    'const original = v8.setFlagsFromString;',
    'v8.setFlagsFromString = (s) => { flags.push(s); return original(s); };',
    'syncBuiltinESMExports();',
    "process.on('exit', () => process.stderr.write(`v8 flags set: ${JSON.stringify(flags)}\\n`));",
  ].join('\n'),
);
const env = plainEnv({ NODE_OPTIONS: `--import=${pathToFileURL(hook).href}` });
const flagsSet = (stderr: string): unknown => JSON.parse(/v8 flags set: (.*)/.exec(stderr)?.[1] ?? 'null');

describe('the heap growth of a batch run', () => {
  it('is bounded by batch', () => {
    const r = runBin(['batch', join(ROOT, 'fixtures/cohort.jsonl'), '--format', 'jsonl'], { env });
    expect(r.code).toBe(0);
    expect(flagsSet(r.stderr)).toEqual([`--heap-growing-percent=${HEAP_GROWING_PERCENT}`]);
  });

  it('is left to V8 by plan', () => {
    const r = runBin(['plan', join(ROOT, 'fixtures/cases/published/zhang2021-case4.json')], { env });
    expect(r.code).toBe(0);
    expect(flagsSet(r.stderr)).toEqual([]);
  });
});
