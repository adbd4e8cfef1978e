/** validate / test / diff on the command line: argument mapping, formats, exit codes 0/1/2, no stack traces. */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index.js';
import { runTest } from '../../src/cli/commands/test.js';
import { InputError } from '../../src/diagnostics/diagnostic.js';
import { fakeIo, tempDir } from '../support/cli.js';
import { rulesetDir } from './helpers.js';

async function run(args: string[]) {
  const { io, out, err } = fakeIo();
  const code = await main(args, io);
  return { code, out: out(), err: err() };
}

describe('rvlms validate', () => {
  it('the shipped rules: exit 0, a summary line', async () => {
    const r = await run(['validate']);
    expect(r.code).toBe(0);
    // warnings: analysis/incomplete only, where the enumeration cannot finish (validate-shipped.test.ts)
    expect(r.out).toMatch(/rvlms validate: rvlms-default .* — 0 errors, \d+ warnings\n$/);
  });

  it.each(['gap', 'conflict', 'masked', 'invariant-violation', 'contradiction', 'bad-yaml', 'bad-schema', 'unknown-field'])(
    '%s: exit 1 with error-severity findings (json has schemaVersion)',
    async (name) => {
      const r = await run(['validate', '--rules', rulesetDir(name), '--format', 'json']);
      expect(r.code).toBe(1);
      const json = JSON.parse(r.out) as { schemaVersion: number; summary: { errors: number } };
      expect(json.schemaVersion).toBe(2);
      expect(json.summary.errors).toBeGreaterThan(0);
    },
  );

  it('sarif output parses', async () => {
    const r = await run(['validate', '--rules', rulesetDir('gap'), '--format', 'sarif']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).version).toBe('2.1.0');
  });

  it('a missing folder or a bad format: exit 2, message, no stack trace', async () => {
    const missing = await run(['validate', '--rules', '/no/such/folder']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/io\/not-found/);
    const bad = await run(['validate', '--format', 'xml']);
    expect(bad.code).toBe(2);
    for (const r of [missing, bad]) expect(r.err).not.toMatch(/^ {4}at /m);
  });
});

describe('rvlms test', () => {
  it('outside a rule project without fixture paths: io/not-found naming the default folder, the current folder and a suggestion', async () => {
    const t = tempDir();
    try {
      const io = { ...fakeIo().io, cwd: t.dir };
      const e = await runTest({ fixtures: [], format: 'text', explain: 'off' }, io).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(InputError);
      const [d, ...rest] = (e as InputError).diagnostics;
      expect(rest).toEqual([]);
      expect([d!.code, d!.file]).toEqual(['io/not-found', 'fixtures/golden']);
      expect(d!.message).toContain(t.dir);
      expect(d!.suggestion).toBeDefined();
    } finally {
      t.cleanup();
    }
  });

  it('the shipped fixtures pass with 100 % rule and outcome coverage', async () => {
    const r = await run(['test', '--threshold', '100', '--format', 'json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as { ok: boolean; summary: { failed: number; errors: number; total: number }; coverage: { rules: { percent: number }; outcomes: { percent: number } } };
    expect(json.ok).toBe(true);
    expect(json.summary.failed + json.summary.errors).toBe(0);
    expect(json.summary.total).toBeGreaterThanOrEqual(50);
    expect(json.coverage.rules.percent).toBe(100);
    expect(json.coverage.outcomes.percent).toBe(100);
  });

  it('one fixture file alone falls below a threshold: exit 1', async () => {
    const r = await run(['test', 'fixtures/golden/published.yaml', '--threshold', '90']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/test\/coverage/);
  });

  it('a failing fixture: exit 1, FAIL line with the trace (explain fails), junit failure', async () => {
    const tmp = tempDir();
    try {
      const f = tmp.write('f.yaml', 'cases:\n  - name: wrong\n    input: { id: x, ivc: { segments: [] } }\n    expect: { ivcManagement: { value: ligation } }\n');
      const text = await run(['test', f]);
      expect(text.code).toBe(1);
      expect(text.out).toMatch(/^FAIL .*f\.yaml:2:5 wrong$/m);
      expect(text.out).toMatch(/ivc\.not-involved \(priority 900\)/);
      const off = await run(['test', f, '--explain', 'off']);
      expect(off.out).not.toMatch(/priority 900/);
      const junit = await run(['test', f, '--format', 'junit']);
      expect(junit.code).toBe(1);
      expect(junit.out).toMatch(/<failure message="wrong: ivcManagement.value expected ligation, got undetermined" type="golden\/mismatch">/);
    } finally {
      tmp.cleanup();
    }
  });

  it('bad threshold, missing fixtures: exit 2', async () => {
    for (const args of [['test', '--threshold', '120'], ['test', '--threshold', 'lots'], ['test', 'no/such/fixtures.yaml'], ['test', '--explain', 'some']]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).not.toMatch(/^ {4}at /m);
    }
  });
});

describe('rvlms diff', () => {
  it('a folder that is not a rule set: exit 2', async () => {
    const r = await run(['diff', 'fixtures/golden', 'rules']);
    expect(r.code).toBe(2);
    expect(r.err).not.toMatch(/^ {4}at /m);
  });

  it('help lists the three commands with examples', async () => {
    for (const cmd of ['validate', 'test', 'diff']) {
      const r = await run([cmd, '--help']);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/Examples:\n {2}\$ rvlms /);
    }
  });
});
