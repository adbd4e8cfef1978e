/** Running rvlms: the built bin in a child process, or main() in process with a fake Io. */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { Io } from '../../src/cli/io.js';
import { ROOT } from './paths.js';

let bin = join(ROOT, 'bin', 'rvlms.js');

/** `npm test` builds first; a bare `vitest run` on a fresh clone builds here. */
function ensureBuilt(): void {
  if (existsSync(join(ROOT, 'dist', 'cli.cjs'))) return;
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed:\n${r.stderr}`);
}

/** A private copy of the built package (bin, dist, rules: the same layout) that runs a plan; its folder. */
function snapshotPackage(): string {
  for (let attempt = 0; ; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), 'rvlms-pkg-'));
    try {
      for (const part of ['bin', 'dist', 'rules', 'package.json']) cpSync(join(ROOT, part), join(dir, part), { recursive: true });
      // the package's dependencies, as an installed package has them (validate and diff load z3-solver from there)
      symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
      const probe = spawnSync(process.execPath, [join(dir, 'bin', 'rvlms.js'), 'plan', '-', '--format', 'json'], { input: '{"id": "probe"}', encoding: 'utf8' });
      if (probe.status === 0) return dir;
    } catch {
      /* dist/ changed while it was copied: try again */
    }
    rmSync(dir, { recursive: true, force: true });
    if (attempt === 5) throw new Error('cannot take a consistent copy of the built package (dist/ keeps changing)');
    spawnSync(process.execPath, ['-e', 'setTimeout(() => {}, 1000)']);
  }
}

/**
 * Register hooks that build if needed and run the tests of this file against a private copy
 * of the built package, so that a rebuild in the same checkout while the tests run cannot
 * pull dist/ from under them.
 */
export function useBuiltBin(): void {
  let dir = '';
  beforeAll(() => {
    ensureBuilt();
    dir = snapshotPackage();
    bin = join(dir, 'bin', 'rvlms.js');
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
}

/** The bin that runBin runs (the private copy inside a file that called useBuiltBin). */
export const builtBin = (): string => bin;

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Environment without colour forcing, so results do not depend on the caller's shell. */
export function plainEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  delete env.RVLMS_DEBUG;
  delete env.COLUMNS; // sets the width of text output
  return { ...env, ...extra };
}

export function runBin(args: readonly string[], opts: { input?: string | Buffer; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Run {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: opts.cwd ?? ROOT,
    input: opts.input ?? '',
    env: opts.env ?? plainEnv(),
    encoding: 'utf8',
    timeout: 30_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A stack trace line as Node prints it. */
export const STACK_LINE = /^ {4}at /m;
 
export const ANSI = /\u001b\[/;

/** An Io that records what a command writes. */
export function fakeIo(): { io: Io; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const io: Io = {
    out: (s) => void (out += s),
    err: (s) => void (err += s),
    colorOut: false,
    colorErr: false,
    stderrIsTTY: false,
    env: {},
    cwd: ROOT,
  };
  return { io, out: () => out, err: () => err };
}

/** A temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'rvlms-test-'): { dir: string; write: (name: string, data: string | Buffer) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    write: (name, data) => {
      const p = join(dir, name);
      writeFileSync(p, data);
      return p;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
