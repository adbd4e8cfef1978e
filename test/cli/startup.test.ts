/**
 * The start-up caches change speed, never output: Node's compile cache (Node 22.1+, enabled
 * by bin/rvlms.js) and the precompiled shipped rule set (dist/ruleset.json, with the copy of
 * the rule files it was built from, dist/ruleset.sources) are ignored when damaged or made for
 * something else, and the precompiled rule set is never used for rule files that changed.
 * And a plan loads what it needs only: the bin and one bundle, no other package, no
 * node:crypto nor node:child_process.
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

  const pkg = (...parts: string[]): string => join(dirname(dirname(builtBin())), ...parts);
  /** Run `body` on the private package copy, then put back the files it names. */
  const keeping = (files: string[], body: () => void): void => {
    const saved = files.map((f) => [f, existsSync(f) ? readFileSync(f) : undefined] as const);
    try {
      body();
    } finally {
      for (const [f, b] of saved) if (b === undefined) rmSync(f, { force: true });
      else writeFileSync(f, b);
    }
  };
  const planJson = () => JSON.parse(reference().stdout) as { ruleset: { digest: string; parameters: Record<string, number> }; decisions: Record<string, { title: string }> };

  it('the precompiled rule set is used only while the rule files are the bytes it was built from', () => {
    const model = pkg('dist', 'ruleset.json');
    const ruleset = pkg('rules', 'ruleset.yaml');
    const extra = pkg('rules', 'zz-extra.yaml');
    const shipped = JSON.parse(readFileSync(model, 'utf8')) as { digest: string; decisions: { title: string }[] };
    keeping([model, ruleset, extra], () => {
      // a model with the right digest but marked titles: a plan shows them, so it is the model used
      writeFileSync(model, JSON.stringify({ ...shipped, decisions: shipped.decisions.map((d) => ({ ...d, title: `MARKED ${d.title}` })) }));
      expect(reference().stdout).toContain('MARKED');
      // a rule file edited in place, same length: the files are read, the edit is used
      const text = readFileSync(ruleset, 'utf8');
      const edited = text.replace(/graftThresholdPercent:\n {4}default: 75/, 'graftThresholdPercent:\n    default: 50');
      expect(edited).not.toBe(text);
      expect(Buffer.byteLength(edited)).toBe(Buffer.byteLength(text));
      writeFileSync(ruleset, edited);
      const plan = planJson();
      expect(plan.ruleset.parameters['graftThresholdPercent']).toBe(50);
      expect(plan.ruleset.digest).not.toBe(shipped.digest);
      expect(JSON.stringify(plan)).not.toContain('MARKED');
      writeFileSync(ruleset, text);
      expect(reference().stdout).toContain('MARKED');
      // a rule file added (only a comment: the same rules, another rule set)
      writeFileSync(extra, '# nothing yet\n');
      const added = planJson();
      expect(added.ruleset.digest).not.toBe(shipped.digest);
      expect(JSON.stringify(added)).not.toContain('MARKED');
    });
    // a rule file removed
    const evidence = pkg('rules', 'evidence.yaml');
    keeping([model, evidence], () => {
      writeFileSync(model, JSON.stringify({ ...shipped, decisions: shipped.decisions.map((d) => ({ ...d, title: `MARKED ${d.title}` })) }));
      rmSync(evidence);
      const r = reference();
      expect(r.stdout + r.stderr).not.toContain('MARKED');
      expect(r.code).toBe(2); // the rules cite evidence that is no longer there
    });
  });

  it('a damaged or foreign precompiled rule set is ignored', () => {
    const ref = reference();
    const file = pkg('dist', 'ruleset.json');
    const sources = pkg('dist', 'ruleset.sources');
    keeping([file, sources], () => {
      const good = readFileSync(file, 'utf8');
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
      writeFileSync(file, good);
      // the copy of the rule files: cut short, a byte changed, its header damaged or naming another digest
      const snap = readFileSync(sources);
      const eol = snap.indexOf(10);
      const flipped = Buffer.from(snap);
      flipped[eol + 100]! ^= 1;
      const header = JSON.parse(snap.toString('utf8', 0, eol)) as { digest: string };
      const otherDigest = Buffer.concat([Buffer.from(JSON.stringify({ ...header, digest: '0'.repeat(64) })), snap.subarray(eol)]);
      for (const damaged of [snap.subarray(0, snap.length - 1), flipped, snap.subarray(eol - 5), Buffer.alloc(0), otherDigest]) {
        writeFileSync(sources, damaged);
        expect(reference()).toEqual(ref);
      }
      rmSync(sources);
      expect(reference()).toEqual(ref);
    });
  });
});

describe('what a plan loads', () => {
  // a preloaded module reports, at exit, the package's files that were required and the Node built-ins loaded
  const hook = join(tmp, 'report-loads.cjs');
  writeFileSync(
    hook,
    [
      "const { relative } = require('node:path');",
      "process.on('exit', () => {",
      '  const pkg = process.env.RVLMS_PKG;',
      "  const files = Object.keys(require.cache).filter((f) => f.startsWith(pkg)).map((f) => relative(pkg, f).replaceAll('\\\\', '/')).sort();",
      "  const builtins = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13));",
      "  process.stderr.write('\\n' + JSON.stringify({ files, builtins }) + '\\n');",
      '});',
    ].join('\n'),
  );
  const loads = (args: string[]): { files: string[]; builtins: string[] } => {
    const r = runBin(args, { env: plainEnv({ NODE_OPTIONS: `--require=${hook}`, RVLMS_PKG: dirname(dirname(builtBin())) }) });
    expect(r.code).toBe(0);
    return JSON.parse(r.stderr.trim().split('\n').pop()!) as { files: string[]; builtins: string[] };
  };

  it('a plan of a JSON case with the shipped rules: the bin and one bundle, no other package, no node:crypto nor node:child_process', () => {
    const { files, builtins } = loads(['plan', CASE]);
    expect(files).toEqual(['bin/rvlms.js', 'dist/cli.cjs']);
    expect(builtins).toContain('fs');
    expect(builtins).not.toContain('crypto');
    expect(builtins).not.toContain('child_process');
  });

  it('a YAML case loads the YAML parser, bundled apart; --rules builds the rules (schema checks, digest)', () => {
    expect(loads(['plan', 'fixtures/cases/examples/occluded-infrarenal-collaterals.yaml']).files).toEqual(['bin/rvlms.js', 'dist/cli.cjs', 'dist/vendor/yaml.cjs']);
    const built = loads(['plan', CASE, '--rules', 'rules']);
    expect(built.files).toEqual(['bin/rvlms.js', 'dist/cli.cjs', 'dist/vendor/yaml.cjs', 'dist/vendor/zod-mini.cjs']);
    expect(built.builtins).toContain('crypto');
  });
});
