/**
 * Issue 13, output integrity (items 1–4, 17 stderr, 18 flags): a table of conditions → exit
 * code, diagnostic codes, stdout empty / whole / cut by its reader, and the files left behind.
 * Faults are simulated without privileges: writables that fail, a fault-injecting fs wrapper
 * for --out, /dev/full where the system has it, real pipes and signals for the rest.
 */
import * as fs from 'node:fs';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBatch } from '../../src/cli/commands/batch.js';
import type { FileOps } from '../../src/batch/output.js';
import { builtBin, fakeIo, runBin, tempDir, useBuiltBin } from '../support/cli.js';
import { ROOT } from '../support/paths.js';
import { errnoError, expectOutcome, faultyWritable, filesIn, inProcess, interrupted, shell, type Expected, type Outcome } from './harness.js';

useBuiltBin();
const tmp = tempDir('rvlms-out-');
afterAll(() => tmp.cleanup());

const COHORT = join(ROOT, 'fixtures', 'cohort.jsonl');
const CASE = join(ROOT, 'fixtures', 'cases', 'examples', 'segment-ii-70pct.json');

/** Each command's whole stdout, from a clean in-process run. */
const COMMANDS: Record<string, string[]> = {
  batch: ['batch', COHORT, '--format', 'csv'],
  plan: ['plan', CASE],
  validate: ['validate', '--rules', 'fixtures/rulesets/minimal'],
  test: ['test', 'fixtures/golden/published.yaml'],
  diff: ['diff', 'fixtures/rulesets/minimal', 'fixtures/rulesets/minimal'],
  schema: ['schema', 'case'],
};
const reference: Record<string, Outcome> = {};
beforeAll(async () => {
  for (const [name, argv] of Object.entries(COMMANDS)) reference[name] = await inProcess(argv);
});

describe('item 1: a failed write on stdout is exit 2 with io/write, never a silent 0', () => {
  const rows = Object.keys(COMMANDS).flatMap((command) => [
    { command, fault: 'ENOSPC', after: 0 },
    { command, fault: 'EIO', after: 100 }, // a report truncated after its first lines
  ]);
  it.each(rows)('$command, stdout fails with $fault after $after bytes → 2, io/write', async ({ command, fault, after }) => {
    const stdout = faultyWritable(fault, after);
    const r = await inProcess(COMMANDS[command]!, { stdout });
    expect(reference[command]!.code).not.toBe(2);
    expectOutcome(r, { exit: 2, codes: ['io/write'], stdout: 'any' });
    expect(r.stderr).toContain(`<stdout> error io/write cannot write the output (${fault})`);
    expect(r.stderr.match(/io\/write/g)).toHaveLength(1); // reported once
  });

  it.runIf(existsSync('/dev/full'))('the built bin writing to /dev/full: exit 2, io/write, for every command', () => {
    for (const argv of Object.values(COMMANDS)) {
      const r = shell(builtBin(), `$R ${argv.join(' ')} > /dev/full`);
      expectOutcome(r, { exit: 2, codes: ['io/write'], stdout: 'empty' });
    }
  });

  it('the reader closing the pipe (EPIPE, `| head -1`): rvlms stops quietly, exit 0', async () => {
    const r = await inProcess(COMMANDS['batch']!, { stdout: faultyWritable('EPIPE', 300) });
    expectOutcome(r, { exit: 0, stdout: 'any' });
    expect(r.stderr).toBe('');
    const big = tmp.write('big.jsonl', readFileSync(COHORT, 'utf8').repeat(400));
    const p = shell(builtBin(), `$R batch ${big} --format jsonl | head -1; echo "rvlms=$?"`);
    expect(p.stderr).toBe('');
    expect(p.stdout.split('\n')[0]).toMatch(/^\{/);
  });
});

describe('item 17: stderr closed or failing early is no crash; the exit code still tells', () => {
  const rows: { name: string; argv: string[]; fault: string; exit: number }[] = [
    { name: 'missing input, stderr EPIPE', argv: ['batch', 'no/such/file.jsonl'], fault: 'EPIPE', exit: 2 },
    { name: 'valid plan, stderr EPIPE', argv: COMMANDS['plan']!, fault: 'EPIPE', exit: 0 },
    { name: 'missing input, stderr EIO (diagnostics lost)', argv: ['batch', 'no/such/file.jsonl'], fault: 'EIO', exit: 2 },
  ];
  it.each(rows)('$name → $exit', async ({ argv, fault, exit }) => {
    const r = await inProcess(argv, { stderr: faultyWritable(fault) });
    expect(r.code).toBe(exit);
  });

  it('the built bin with stderr closed (2>&-): no uncaught error, exit 2 for a missing input', () => {
    const r = shell(builtBin(), `$R batch no/such/file.jsonl 2>&-; echo "rvlms=$?"`);
    expect(r.stdout.trim()).toBe('rvlms=2');
  });

  it('the built bin whose stderr reader has gone (EPIPE): exit 2, not an uncaught exception', async () => {
    const child = spawn(process.execPath, [builtBin(), 'batch', 'no/such/file.jsonl'], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.destroy(); // the read end closes before rvlms writes its diagnostic
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(2);
  });
});

/** A fault-injecting node:fs for --out: `write` or `fsync` fails with `errno` once `after` bytes were written. */
function faultyFs(at: 'write' | 'fsync', errno: string, after = 0): FileOps {
  let written = 0;
  return {
    ...fs,
    writeSync: ((fd: number, buf: Buffer, off?: number, len?: number) => {
      const n = len ?? buf.length;
      if (at === 'write' && written + n > after) throw errnoError(errno);
      written += n;
      return fs.writeSync(fd, buf, off, n);
    }) as typeof fs.writeSync,
    fsyncSync: (fd: number) => {
      if (at === 'fsync') throw errnoError(errno);
      fs.fsyncSync(fd);
    },
  };
}

/** Batch in process with --out, an fs wrapper and, optionally, cases arriving slowly on stdin. */
async function batchOut(out: string, o: { fs?: FileOps; paths?: string[]; slowStdin?: boolean; force?: boolean } = {}): Promise<Outcome> {
  const { io, out: stdout, err } = fakeIo();
  const cases = readFileSync(COHORT, 'utf8').split('\n').filter(Boolean).slice(0, 3);
  const stdin = async function* (): AsyncGenerator<string> {
    for (const line of cases) {
      await new Promise((r) => setTimeout(r, 5)); // processing pauses: the writer flushes on its own
      yield line + '\n';
    }
  };
  let code: number;
  try {
    code = await runBatch(
      { paths: o.paths ?? (o.slowStdin ? ['-'] : [COHORT]), format: 'jsonl', out, failOnDiscordance: false, ...(o.force ? { force: true } : {}) },
      { ...io, ...(o.fs ? { fs: o.fs } : {}), ...(o.slowStdin ? { stdin } : {}) },
    );
  } catch (e) {
    const { InputError, formatDiagnostic } = await import('../../src/diagnostics/diagnostic.js');
    if (!(e instanceof InputError)) throw e;
    return { code: 2, stdout: stdout(), stderr: e.diagnostics.map((d) => `rvlms: ${formatDiagnostic(d)}\n`).join('') };
  }
  return { code, stdout: stdout(), stderr: err() };
}

interface OutRow {
  readonly item: string;
  readonly name: string;
  /** Make the scratch folder's files; returns the --out path (relative to the folder). */
  readonly setup: (dir: string) => string;
  readonly run: (dir: string, out: string) => Promise<Outcome> | Outcome;
  readonly expect: Expected;
  /** Files the folder must hold afterwards (no temporary file left). */
  readonly after: readonly string[];
  readonly check?: (dir: string) => void;
}

const cli = (argv: string[]) => (dir: string) => runBin(argv, { cwd: dir });
const same = (dir: string, name: string, content: string): void => expect(readFileSync(join(dir, name), 'utf8')).toBe(content);
const INPUT = readFileSync(COHORT, 'utf8');

const OUT_ROWS: OutRow[] = [
  {
    item: '2',
    name: '--out equal to the input',
    setup: (d) => (writeFileSync(join(d, 'i.jsonl'), INPUT), 'i.jsonl'),
    run: cli(['batch', 'i.jsonl', '--format', 'csv', '--out', 'i.jsonl']),
    expect: { exit: 2, codes: ['io/out-is-input'], stdout: 'empty' },
    after: ['i.jsonl'],
    check: (d) => same(d, 'i.jsonl', INPUT),
  },
  {
    item: '2',
    name: '--out a hard link of the input',
    setup: (d) => (writeFileSync(join(d, 'i.jsonl'), INPUT), fs.linkSync(join(d, 'i.jsonl'), join(d, 'h.jsonl')), 'h.jsonl'),
    run: cli(['batch', 'i.jsonl', '--out', 'h.jsonl']),
    expect: { exit: 2, codes: ['io/out-is-input'], stdout: 'empty' },
    after: ['h.jsonl', 'i.jsonl'],
    check: (d) => same(d, 'i.jsonl', INPUT),
  },
  {
    item: '2',
    name: '--out a case file inside an input folder',
    setup: (d) => (mkdirSync(join(d, 'cases')), fs.copyFileSync(CASE, join(d, 'cases', 'a.json')), 'cases/report.json'),
    run: cli(['batch', 'cases', '--format', 'json', '--out', 'cases/report.json']),
    expect: { exit: 2, codes: ['io/out-is-input'], stdout: 'empty' },
    after: ['cases'],
    check: (d) => expect(filesIn(join(d, 'cases'))).toEqual(['a.json']),
  },
  {
    item: '3',
    name: '--out a symbolic link',
    setup: (d) => (writeFileSync(join(d, 'real.txt'), 'keep'), symlinkSync('real.txt', join(d, 'link')), 'link'),
    run: cli(['batch', COHORT, '--out', 'link']),
    expect: { exit: 2, codes: ['io/out-symlink'], stdout: 'empty' },
    after: ['link', 'real.txt'],
    check: (d) => (expect(lstatSync(join(d, 'link')).isSymbolicLink()).toBe(true), same(d, 'real.txt', 'keep')),
  },
  {
    item: '3',
    name: '--out a symbolic link with --force: the link kept, its target replaced',
    setup: (d) => (writeFileSync(join(d, 'real.txt'), 'old'), symlinkSync('real.txt', join(d, 'link')), 'link'),
    run: cli(['batch', COHORT, '--format', 'csv', '--out', 'link', '--force']),
    expect: { exit: 0, stdout: 'empty' },
    after: ['link', 'real.txt'],
    check: (d) => (expect(lstatSync(join(d, 'link')).isSymbolicLink()).toBe(true), expect(readFileSync(join(d, 'real.txt'), 'utf8')).toMatch(/^n,/)),
  },
  {
    item: '3',
    name: '--out a FIFO',
    setup: (d) => (execFileSync('mkfifo', [join(d, 'fifo')]), 'fifo'),
    run: cli(['batch', COHORT, '--out', 'fifo']),
    expect: { exit: 2, codes: ['io/out-special'], stdout: 'empty' },
    after: ['fifo'],
    check: (d) => expect(lstatSync(join(d, 'fifo')).isFIFO()).toBe(true),
  },
  {
    item: '3',
    name: '--out a folder',
    setup: (d) => (mkdirSync(join(d, 'sub')), 'sub'),
    run: cli(['batch', COHORT, '--out', 'sub']),
    expect: { exit: 2, codes: ['io/out-is-directory'], stdout: 'empty' },
    after: ['sub'],
  },
  {
    item: '3',
    name: '--out a read-only (0444) file',
    setup: (d) => (writeFileSync(join(d, 'ro.csv'), 'keep'), chmodSync(join(d, 'ro.csv'), 0o444), 'ro.csv'),
    run: cli(['batch', COHORT, '--format', 'csv', '--out', 'ro.csv']),
    expect: { exit: 2, codes: ['io/out-read-only'], stdout: 'empty' },
    after: ['ro.csv'],
    check: (d) => same(d, 'ro.csv', 'keep'),
  },
  {
    item: '3',
    name: '--out a 0600 report: replaced, still 0600',
    setup: (d) => (writeFileSync(join(d, 'p.csv'), 'old', { mode: 0o600 }), chmodSync(join(d, 'p.csv'), 0o600), 'p.csv'),
    run: cli(['batch', COHORT, '--format', 'csv', '--out', 'p.csv']),
    expect: { exit: 0, stdout: 'empty' },
    after: ['p.csv'],
    check: (d) => (expect(statSync(join(d, 'p.csv')).mode & 0o777).toBe(0o600), expect(readFileSync(join(d, 'p.csv'), 'utf8')).toMatch(/^n,/)),
  },
  {
    item: '4',
    name: 'disk full while writing (fault-injecting fs): no output file, no temporary file',
    setup: (d) => (writeFileSync(join(d, 'r.jsonl'), 'previous'), 'r.jsonl'),
    run: (d, out) => batchOut(join(d, out), { fs: faultyFs('write', 'ENOSPC', 1000) }),
    expect: { exit: 2, codes: ['io/write'], stdout: 'empty' },
    after: ['r.jsonl'],
    check: (d) => same(d, 'r.jsonl', 'previous'),
  },
  {
    item: '4',
    name: 'disk full in the flush made while waiting for input: a diagnostic, not an uncaught error',
    setup: () => 'slow.jsonl',
    run: (d, out) => batchOut(join(d, out), { fs: faultyFs('write', 'ENOSPC'), slowStdin: true }),
    expect: { exit: 2, codes: ['io/write'], stdout: 'empty' },
    after: [],
  },
  {
    item: '4',
    name: 'disk full found at fsync (delayed allocation)',
    setup: () => 'sync.jsonl',
    run: (d, out) => batchOut(join(d, out), { fs: faultyFs('fsync', 'ENOSPC') }),
    expect: { exit: 2, codes: ['io/write'], stdout: 'empty' },
    after: [],
  },
  {
    item: '18',
    name: "--out ''",
    setup: () => '',
    run: cli(['batch', COHORT, '--out', '']),
    expect: { exit: 2, stdout: 'empty' },
    after: [],
  },
];

describe('items 2–4: --out refuses what it must not replace, keeps the mode, is whole or absent', () => {
  it.each(OUT_ROWS)('item $item: $name', async (row) => {
    const d = join(tmp.dir, `row-${OUT_ROWS.indexOf(row)}`);
    mkdirSync(d);
    const out = row.setup(d);
    const r = await row.run(d, out);
    expectOutcome(r, row.expect);
    expect(filesIn(d)).toEqual([...row.after].sort());
    row.check?.(d);
  });
});

describe('--out that cannot be created: the folder and the reason, with the errno (io/write)', () => {
  /** The one io/write diagnostic of a batch --out run that cannot start. */
  async function refusal(out: string, fsOps?: FileOps): Promise<{ file: string; message: string }> {
    const { InputError } = await import('../../src/diagnostics/diagnostic.js');
    const e = await runBatch({ paths: [COHORT], format: 'jsonl', out, failOnDiscordance: false }, { ...fakeIo().io, ...(fsOps ? { fs: fsOps } : {}) }).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(InputError);
    const ds = (e as InstanceType<typeof InputError>).diagnostics;
    expect(ds.map((d) => [d.code, d.file])).toEqual([['io/write', out]]);
    return { file: ds[0]!.file!, message: ds[0]!.message };
  }
  /** An fs whose exclusive create (the temporary file) fails with `code`. */
  const refusingCreate = (code: string): FileOps => ({
    ...fs,
    openSync: ((path: fs.PathLike, flags: fs.OpenMode, mode?: fs.Mode) => {
      if (flags === 'wx') throw errnoError(code);
      return fs.openSync(path, flags, mode);
    }) as typeof fs.openSync,
  });

  it('names the folder and says why: missing, not a folder, no permission, read-only, a virtual file system', async () => {
    const d = join(tmp.dir, 'create');
    mkdirSync(d);
    const file = join(d, 'a-file');
    writeFileSync(file, 'x');
    const rows: [string, FileOps | undefined, string, string][] = [
      [join(d, 'missing', 'sub', 'x.md'), undefined, join(d, 'missing', 'sub'), 'ENOENT'],
      [join(file, 'x.md'), undefined, file, 'ENOTDIR'],
      [join(d, 'x.md'), refusingCreate('EACCES'), d, 'EACCES'],
      [join(d, 'y.md'), refusingCreate('EROFS'), d, 'EROFS'],
      [join(d, 'z.md'), refusingCreate('ENOENT'), d, 'ENOENT'],
    ];
    const messages: string[] = [];
    for (const [out, fsOps, folder, errno] of rows) {
      const { message } = await refusal(out, fsOps);
      expect(message).toContain(` ${folder} `);
      expect(message).toContain(`(${errno})`);
      messages.push(message.replace(folder, 'FOLDER').replace(/\(\w+\)$/, ''));
    }
    // a different reason for each situation, not one "cannot write" for all
    expect(new Set(messages).size).toBe(rows.length);
    expect(filesIn(d)).toEqual(['a-file']);
  });

  it.runIf(existsSync('/proc/self'))('--out /proc/x: /proc named, ENOENT kept', async () => {
    const { message } = await refusal('/proc/x');
    expect(message).toContain(' /proc ');
    expect(message).toContain('(ENOENT)');
  });
});

describe('item 4: the temporary file is removed on every catchable signal', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const)('%s during batch --out: no temporary file, no output, ended by the signal', async (signal) => {
    const d = join(tmp.dir, `sig-${signal}`);
    mkdirSync(d);
    const r = await interrupted(builtBin(), ['batch', '-', '--out', 'r.jsonl', '--format', 'jsonl'], signal, () => filesIn(d).some((f) => f.endsWith('.tmp')), d);
    expect(r.signal).toBe(signal);
    expect(filesIn(d)).toEqual([]);
  });
});

describe('item 18: flags that must not be empty, and no command', () => {
  const rows: { argv: string[]; exit: number }[] = [
    { argv: ['plan', CASE, '--rules='], exit: 2 },
    { argv: ['batch', COHORT, '--rules='], exit: 2 },
    { argv: ['validate', '--rules', ''], exit: 2 },
    { argv: [], exit: 2 },
  ];
  it.each(rows)('rvlms $argv → $exit', async ({ argv, exit }) => {
    const r = await inProcess(argv);
    expectOutcome(r, { exit, stdout: 'empty' });
    expect(r.stderr).not.toBe('');
  });
});
