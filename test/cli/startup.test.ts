/**
 * The start-up caches change speed, never output: Node's compile cache (Node 22.1+, enabled
 * by bin/rvlms.js) and the precompiled shipped rule set (dist/ruleset.json) are ignored when
 * damaged or made for something else.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import module from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtBin, plainEnv, runBin, useBuiltBin } from '../support/cli.js';

useBuiltBin();

const CASE = 'fixtures/cases/published/zhang2021-case4.json';
const tmp = mkdtempSync(join(tmpdir(), 'rvlms-startup-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const filesUnder = (dir: string): string[] =>
  (existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }) : [])
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());

describe('start-up caches', () => {
  const reference = () => runBin(['plan', CASE, '--format', 'json'], { env: plainEnv({ NODE_DISABLE_COMPILE_CACHE: '1' }) });

  it('a damaged compile cache is ignored', () => {
    const ref = reference();
    expect(ref.code).toBe(0);
    const cache = join(tmp, 'compile-cache');
    const env = plainEnv({ NODE_COMPILE_CACHE: cache });
    expect(runBin(['plan', CASE, '--format', 'json'], { env })).toEqual(ref); // fills the cache where Node has one
    const cached = filesUnder(cache);
    // Node 22.1+ has a compile cache (and fills it); Node 20 has none
    expect(cached.length > 0).toBe(typeof (module as { enableCompileCache?: unknown }).enableCompileCache === 'function');
    for (const f of cached) writeFileSync(f, Buffer.alloc(statSync(f).size || 64, 0xa5));
    expect(runBin(['plan', CASE, '--format', 'json'], { env })).toEqual(ref);
    // a cache location that is not a folder
    writeFileSync(join(tmp, 'not-a-folder'), 'x');
    expect(runBin(['plan', CASE, '--format', 'json'], { env: plainEnv({ NODE_COMPILE_CACHE: join(tmp, 'not-a-folder') }) })).toEqual(ref);
  });

  it('a damaged or foreign precompiled rule set is ignored', () => {
    const ref = reference();
    const file = join(dirname(dirname(builtBin())), 'dist', 'ruleset.json');
    const good = readFileSync(file, 'utf8');
    try {
      writeFileSync(file, good.slice(0, good.length >> 1)); // cut short
      expect(reference()).toEqual(ref);
      // another rule set's model (its digest is not the files'): a rule title changed
      const foreign = JSON.parse(good) as { digest: string; rules: { title: string }[] };
      foreign.digest = '0'.repeat(64);
      for (const r of foreign.rules) r.title = 'FOREIGN';
      writeFileSync(file, JSON.stringify(foreign));
      const run = reference();
      expect(run).toEqual(ref);
      expect(run.stdout).not.toContain('FOREIGN');
    } finally {
      writeFileSync(file, good);
    }
  });
});
