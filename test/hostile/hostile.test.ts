/**
 * Hostile inputs to `rvlms plan` (the built bin): each is refused with exit 2, a diagnostic
 * code naming the file, no stack trace and nothing on stdout — or accepted where a user would
 * expect it to work. The files are in test/hostile/corpus/; the large ones are made here.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeIo, runBin, STACK_LINE, tempDir, useBuiltBin } from '../support/cli.js';
import { main } from '../../src/cli/index.js';
import { makeCase } from '../support/case-factory.js';

const CORPUS = join(import.meta.dirname, 'corpus');
const tmp = tempDir('rvlms-hostile-');

interface Refused {
  readonly file: string;
  readonly code: string;
  /** Expected position of the first diagnostic, when the input has one. */
  readonly at?: string;
  /** The file lives in the temporary folder (made at test time). */
  readonly generated?: boolean;
}

const REFUSED: Refused[] = [
  { file: 'malformed.json', code: 'case/json', at: '3:31' },
  { file: 'malformed.yaml', code: 'case/yaml' },
  { file: 'wrong-types.json', code: 'case/type', at: '4:12' },
  { file: 'unknown-keys.yaml', code: 'case/unknown-key' },
  { file: 'contradiction.json', code: 'case/contradiction' },
  { file: 'alias-bomb.yaml', code: 'case/alias-limit' },
  { file: 'deep-arrays.json', code: 'case/type' },
  { file: 'deep-objects.json', code: 'case/unknown-key' },
  { file: 'deep-flow.yaml', code: 'case/too-deep', at: '3:109' },
  { file: 'deep-block.yaml', code: 'case/too-deep', at: '4:205' },
  { file: 'proto.json', code: 'case/unknown-key' },
  { file: 'proto.yaml', code: 'case/unknown-key' },
  { file: 'binary.bin', code: 'io/binary' },
  { file: 'png-header.json', code: 'io/binary' },
  { file: 'invalid-utf8.json', code: 'io/encoding' },
  { file: 'crlf-error.yaml', code: 'case/enum', at: '3:10' },
  { file: 'empty.json', code: 'case/empty' },
  { file: 'whitespace.yaml', code: 'case/empty' },
  { file: 'comment-only.yaml', code: 'case/type' },
  { file: 'custom-tag.yaml', code: 'case/yaml-tag', at: '1:5' },
  { file: 'yaml11-set.yaml', code: 'case/yaml-tag', at: '2:6' },
  { file: 'duplicate-key.yaml', code: 'case/duplicate-key', at: '4:3' },
  { file: 'multi-doc.yaml', code: 'case/yaml' },
  { file: 'top-level-array.json', code: 'case/type' },
  { file: 'null.json', code: 'case/type' },
  { file: 'infinity.json', code: 'case/type' },
  { file: 'missing.json', code: 'io/not-found' },
  { file: '.', code: 'io/is-directory' },
  { file: 'oversized.json', code: 'io/too-large', generated: true },
  { file: 'oversized-deep.json', code: 'io/too-large', generated: true },
  { file: 'many-unknown-keys.json', code: 'case/too-many-errors', generated: true },
  { file: 'many-unknown-keys.yaml', code: 'case/too-many-errors', generated: true },
];

const ACCEPTED: { file: string; id: string }[] = [
  { file: 'bom-utf8.json', id: 'bom-utf8' },
  { file: 'bom-utf8.yaml', id: 'bom-utf8-yaml' },
  { file: 'crlf.yaml', id: 'crlf' },
  { file: 'crlf.json', id: 'crlf-json' },
  { file: 'utf16le.json', id: 'utf16le' },
  { file: 'utf16be.yaml', id: 'utf16be' },
];

useBuiltBin();
beforeAll(() => {
  // > 1 MiB: a valid case padded with a long note, and an over-deep array of the same size
  const big = makeCase({ id: 'oversized', source: { note: 'x'.repeat(3000) } });
  tmp.write('oversized.json', JSON.stringify(big) + ' '.repeat(1024 * 1024));
  tmp.write('oversized-deep.json', '['.repeat(1024 * 1024 + 1));
  const keys = Array.from({ length: 20_000 }, (_, i) => `k${i}`);
  tmp.write('many-unknown-keys.json', JSON.stringify(Object.fromEntries([['id', 'many'], ...keys.map((k) => [k, 1])])));
  tmp.write('many-unknown-keys.yaml', 'id: many\n' + keys.map((k) => `${k}: 1\n`).join(''));
  mkdirSync(join(tmp.dir, 'empty-dir'));
});
afterAll(() => tmp.cleanup());

describe('refused: exit 2, the code and the file on stderr, no stack trace, nothing on stdout', () => {
  it.each(REFUSED)('$file → $code', ({ file, code, at, generated }) => {
    const r = runBin(['plan', file, '--format', 'json'], { cwd: generated ? tmp.dir : CORPUS });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.stderr).not.toMatch(/internal error/);
    // the first line names the file (and the position, where the input has one)
    const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(r.stderr.split('\n')[0]).toMatch(new RegExp(`^rvlms: ${escaped}${at ? `:${at}` : '(:\\d+:\\d+)?'} error `));
    expect(r.stderr).toContain(` ${code} `);
    expect(r.stderr.split('\n').length).toBeLessThan(110);
  });

  it('a folder given as a case: exit 2, io/is-directory', () => {
    const r = runBin(['plan', join(tmp.dir, 'empty-dir')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('io/is-directory');
    expect(r.stdout).toBe('');
  });

  it('oversized on stdin: exit 2, io/too-large', () => {
    const r = runBin(['plan', '-'], { input: '{"id": "x"}' + ' '.repeat(1024 * 1024 + 10) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^rvlms: - error io\/too-large/);
    expect(r.stdout).toBe('');
  });

  it('binary on stdin: exit 2, io/binary', () => {
    const r = runBin(['plan', '-'], { input: Buffer.from([0, 1, 2, 3, 255]) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('io/binary');
  });
});

describe('accepted where a user expects it to work', () => {
  it.each(ACCEPTED)('$file → exit 0, case $id', ({ file, id }) => {
    const r = runBin(['plan', file, '--format', 'json'], { cwd: CORPUS });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as { case: { id: string }; decisions: Record<string, { value: unknown }> };
    expect(plan.case.id).toBe(id);
    expect(plan.decisions['ivcManagement']!.value).toBeDefined();
  });

  it('UTF-8 with BOM, CRLF and UTF-16 give the same plan as plain UTF-8', () => {
    const plans = ['crlf.yaml', 'utf16be.yaml', 'bom-utf8.yaml'].map((f) => JSON.parse(runBin(['plan', f, '--format', 'json'], { cwd: CORPUS }).stdout) as { decisions: unknown; inputs: unknown });
    expect(plans[1]!.decisions).toEqual(plans[0]!.decisions);
    expect(plans[2]!.inputs).toEqual(plans[0]!.inputs);
  });
});

describe('prototype keys never reach Object.prototype (in process)', () => {
  it.each(['proto.json', 'proto.yaml'])('%s', async (file) => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    const { io, out, err } = fakeIo();
    const code = await main(['plan', join(CORPUS, file)], io);
    expect(code).toBe(2);
    expect(out()).toBe('');
    expect(err()).toMatch(/case\/unknown-key unknown field "__proto__"/);
    expect(err()).toMatch(/case\/unknown-key unknown field "constructor"/);
    expect(err()).toMatch(/case\/unknown-key unknown field "ivc\.prototype"/);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
  });
});
