/**
 * The hostile-condition table's machinery: run rvlms in process (runOn, on streams that may
 * fail) or as the built bin, and look at what it left: exit code, diagnostic codes on stderr,
 * stdout, and the files of a scratch folder.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { Writable } from 'node:stream';
import { expect } from 'vitest';
import { runOn } from '../../src/cli/index.js';
import { plainEnv, STACK_LINE } from '../support/cli.js';
import { ROOT } from '../support/paths.js';

export interface Outcome {
  readonly code: number | null;
  readonly signal?: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** What a row expects. `stdout`: 'empty', 'whole' (equal to `reference`), or 'any' (e.g. cut by the reader). */
export interface Expected {
  readonly exit: number;
  /** Diagnostic codes that must appear on stderr, or in a report on stdout (` <code> `). */
  readonly codes?: readonly string[];
  readonly stdout: 'empty' | 'whole' | 'any';
  readonly reference?: string;
}

/** An errno error as node:fs raises it. */
export const errnoError = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: simulated`), { code });

/** A writable that keeps what it takes, failing with `fail` (an errno code) once `after` bytes were written. */
export function faultyWritable(fail?: string, after = 0, isTTY = false): Writable & { text: () => string; isTTY: boolean } {
  const chunks: Buffer[] = [];
  let written = 0;
  const w = new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (fail !== undefined && written + chunk.length > after) {
        cb(errnoError(fail));
        return;
      }
      written += chunk.length;
      chunks.push(chunk);
      cb();
    },
  });
  return Object.assign(w, { text: () => Buffer.concat(chunks).toString('utf8'), isTTY });
}

/** rvlms in this process, on writables that may fail. */
export async function inProcess(argv: readonly string[], o: { stdout?: ReturnType<typeof faultyWritable>; stderr?: ReturnType<typeof faultyWritable>; cwd?: string } = {}): Promise<Outcome> {
  const stdout = o.stdout ?? faultyWritable();
  const stderr = o.stderr ?? faultyWritable();
  const code = await runOn(argv, { stdout, stderr, env: plainEnv(), cwd: o.cwd ?? ROOT });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** The built bin with a shell pipeline or redirection around it (`$R` is the bin). */
export function shell(bin: string, script: string, cwd = ROOT): Outcome {
  const r = spawnSync('/bin/sh', ['-c', script], { cwd, env: { ...plainEnv(), R: `${process.execPath} ${bin}` }, encoding: 'utf8', timeout: 30_000 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Start the bin, wait until `ready(dir)` holds, send `signal`; the outcome once it has ended. */
export async function interrupted(bin: string, argv: readonly string[], signal: NodeJS.Signals, ready: () => boolean, cwd = ROOT): Promise<Outcome> {
  const child = spawn(process.execPath, [bin, ...argv], { cwd, env: plainEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.write('{"id":"first"}\n'); // stdin stays open: the run waits for more cases
  const done = new Promise<Outcome>((resolve) => child.on('close', (code, sig) => resolve({ code, signal: sig, stdout, stderr })));
  for (let i = 0; i < 300 && !ready(); i++) await new Promise((r) => setTimeout(r, 20));
  child.kill(signal);
  const outcome = await done;
  child.stdin.destroy();
  return outcome;
}

/** Files in a folder, sorted, dot-files included (a temporary file is one). */
export const filesIn = (dir: string): string[] => readdirSync(dir).sort();

/** Check an outcome against a row's expectation: exit, codes, stdout, no stack, no internal error. */
export function expectOutcome(r: Outcome, e: Expected): void {
  expect({ exit: r.code, stderr: r.stderr }).toMatchObject({ exit: e.exit });
  for (const c of e.codes ?? []) expect(r.stderr + r.stdout).toContain(` ${c} `); // stderr, or a report of findings on stdout
  expect(r.stderr).not.toMatch(STACK_LINE);
  expect(r.stderr).not.toMatch(/internal error/);
  if (e.stdout === 'empty') expect(r.stdout).toBe('');
  if (e.stdout === 'whole') expect(r.stdout).toBe(e.reference);
}
