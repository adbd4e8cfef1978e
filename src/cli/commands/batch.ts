/**
 * rvlms batch: check every path → load and compile the rule set once → for each input case,
 * in order: evaluate, add to the summary, render and write at once → the summary → exit code.
 * Memory stays bounded: nothing per case is kept except two numbers of each case that records
 * operative time and blood loss (for the medians).
 */
import { InputError, formatDiagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { loadRuleset } from '../../rules/load.js';
import { compileRuleset } from '../../engine/compile.js';
import { statSync } from 'node:fs';
import { resolveInputs, type InputSpec, type ReadOptions } from '../../batch/inputs.js';
import { evaluateInput } from '../../batch/pool.js';
import { openFileOutput, StreamOutput, type FileOps, type Output } from '../../batch/output.js';
import { Progress } from '../../batch/progress.js';
import { SummaryBuilder, type BatchSummary } from '../../batch/summary.js';
import type { BatchMeta } from '../../report/batch-common.js';
import { createBatchRenderer, type RendererSpec } from '../../report/batch-renderers.js';
import { formatsOf, type BatchFormat } from '../formats.js';
import type { ExitCode, Io } from '../io.js';

export const BATCH_FORMATS = formatsOf('batch');
export type { BatchFormat } from '../formats.js';

export interface BatchOptions {
  readonly paths: readonly string[];
  readonly rules?: string;
  readonly format: BatchFormat;
  readonly out?: string;
  /** --force: --out may also be a symbolic link's target, a FIFO, a device or a read-only file. */
  readonly force?: boolean;
  readonly failOnDiscordance: boolean;
  /** Only the summaries: no case list, array or lines (not for csv, which has no summary). */
  readonly summary?: boolean;
  /** The per-case list in the terminal table (the table shows only the summaries by default). */
  readonly cases?: boolean;
  /** A column map for CSV and .xlsx inputs (map-load.ts). */
  readonly map?: string;
  /** The sheet of .xlsx inputs. */
  readonly sheet?: string;
  /** What "-" holds. */
  readonly inputFormat?: 'jsonl' | 'csv';
  /** Threads evaluating cases (JSON Lines past the first few thousand cases); default 1. */
  readonly threads?: number;
}

/** The bytes of all inputs when every one is a file (for the progress line's share and time left). */
function inputBytes(specs: readonly InputSpec[]): number | undefined {
  let total = 0;
  for (const s of specs) {
    if (s.kind === 'folder' || s.kind === 'stdin') return undefined;
    try {
      total += statSync(s.path).size;
    } catch {
      return undefined;
    }
  }
  return total;
}

/** What batch needs beyond Io; each has a default for the real process. */
export interface BatchIo extends Io {
  /** The bytes of stdin, for "-". */
  readonly stdin?: () => AsyncIterable<Uint8Array | string>;
  /** The file-system calls of --out (tests inject faults here). */
  readonly fs?: FileOps;
  /** Milliseconds, for the progress line. */
  readonly now?: () => number;
}

/** Invalid cases listed on stderr before the rest are only counted. */
const MAX_LISTED = 10;


const usage = (message: string): never => {
  throw new InputError([{ severity: 'error', code: 'cli/usage', message }]);
};

/** What an input that held no case was, in words. */
function emptyInput(spec: InputSpec): string {
  switch (spec.kind) {
    case 'folder':
      return 'no case files (.json, .yaml, .yml) in this folder';
    case 'stdin':
      return 'no case on stdin (it was empty, or every line blank)';
    case 'csv':
    case 'xlsx':
      return 'no case: the file is empty, or has a header and no data row';
    case 'json':
      return 'no case: an empty array';
    default:
      return 'no case: the file is empty, or every line is blank';
  }
}

/**
 * The inputs that held no case: a warning each when other inputs held cases, an error each
 * when none did (a run with no case must not look like a success: exit 2).
 */
function noCases(empty: readonly InputSpec[], total: number): Diagnostic[] {
  const severity = total === 0 ? 'error' : 'warning';
  return empty.map((spec) => ({
    file: spec.path,
    severity,
    code: 'batch/no-cases',
    message: emptyInput(spec),
    ...(total === 0 ? { suggestion: 'no case was read from any input; check that the export or copy that made it completed' } : {}),
  }));
}

/** Closing notes on stderr and the exit code: 2 if any case was invalid or none was read, 1 for findings, else 0. */
function conclude(s: BatchSummary, opts: BatchOptions, empty: readonly InputSpec[], err: (s: string) => void): ExitCode {
  let code: ExitCode = 0;
  for (const d of noCases(empty, s.cases.total)) err(`rvlms: ${formatDiagnostic(d)}\n`);
  if (s.cases.total === 0) code = 2;
  if (s.invariantViolations.cases) {
    err(`rvlms: ${s.invariantViolations.cases} case(s) broke a safety invariant of the rule set: ${Object.keys(s.invariantViolations.byInvariant).join(', ')}\n`);
    code = 1;
  }
  const disagree = s.concordance?.disagree ?? 0;
  if (opts.failOnDiscordance && disagree) {
    err(`rvlms: ${disagree} case(s) where the recommended IVC management differs from what was done\n`);
    code = 1;
  }
  if (s.cases.invalid) {
    err(`rvlms: ${s.cases.invalid} of ${s.cases.total} input case(s) are invalid; they are listed in the output and the others were evaluated\n`);
    code = 2;
  }
  return code;
}

export async function runBatch(opts: BatchOptions, io: BatchIo): Promise<ExitCode> {
  if (opts.summary && opts.format === 'csv') usage('--summary: the csv format is one row per case and has no summary; use --format table, markdown, json or jsonl');
  if (opts.cases && opts.format !== 'table') usage('--cases is for --format table; the other formats list every case (unless --summary)');
  if (opts.inputFormat && !opts.paths.includes('-')) usage('--input-format says what "-" (stdin) holds; the files are read by their extension');
  const specs = resolveInputs(opts.paths);
  const { model } = await loadRuleset(opts.rules);
  const rs = compileRuleset(model);
  const meta: BatchMeta = { ruleset: { name: model.name, version: model.version, digest: model.digest }, inputs: opts.paths };
  const renderSpec: RendererSpec = { format: opts.format, meta, cases: !opts.summary, tableCases: opts.cases === true && !opts.summary, color: opts.out === undefined && io.colorOut };
  const renderer = await createBatchRenderer(renderSpec, model);
  const inputs = opts.rules === undefined ? opts.paths : [...opts.paths, opts.rules];
  const output: Output = opts.out !== undefined ? openFileOutput(opts.out, { inputs, force: opts.force === true, ...(io.fs ? { fs: io.fs } : {}) }) : new StreamOutput(io.out, io.drain);
  const summary = new SummaryBuilder(rs);
  const totalBytes = inputBytes(specs);
  const progress = new Progress({ enabled: io.stderrIsTTY, write: io.err, now: io.now ?? (() => performance.now()), ...(totalBytes !== undefined ? { totalBytes } : {}) });
  const note = (s: string): void => {
    progress.done();
    io.err(s);
  };
  const map = opts.map !== undefined ? await (await import('../../batch/map-load.js')).loadMap(opts.map) : undefined;
  const read: ReadOptions = {
    note: (d: Diagnostic) => note(`rvlms: ${formatDiagnostic(d)}\n`),
    onBytes: (b) => progress.read(b),
    ...(map ? { map } : {}),
    ...(opts.sheet !== undefined ? { sheet: opts.sheet } : {}),
    ...(opts.inputFormat ? { stdinFormat: opts.inputFormat } : {}),
  };
  const threads = opts.threads ?? 1;
  let n = 0;
  let shown = 0;
  let listed = 0;
  /** The inputs that held no case. */
  const empty: InputSpec[] = [];
  let result: BatchSummary;
  try {
    await output.write(renderer.begin());
    for (const spec of specs) {
      const before = n;
      for await (const chunk of evaluateInput(spec, n + 1, { rs, model, threads, read, renderer, renderSpec, ...(io.stdin ? { stdin: io.stdin } : {}) })) {
        for (const bad of chunk.invalid) if (listed++ < MAX_LISTED) for (const d of bad.diagnostics) note(`rvlms: ${formatDiagnostic(d)}\n`);
        summary.merge(chunk.tally);
        for (const id of chunk.ids) summary.countId(id, ++n);
        if (chunk.shown) {
          const before = output.write(shown === 0 ? renderer.head : renderer.separator);
          if (before) await before;
          shown += chunk.shown;
          for (const piece of chunk.pieces) {
            const wait = output.write(piece);
            if (wait) await wait;
          }
        }
        progress.tick(n);
      }
      if (n === before) empty.push(spec);
    }
    result = summary.result();
    await output.write(renderer.end(result, shown));
    await output.finish();
  } catch (e) {
    output.abort();
    if (e instanceof InputError || !(e instanceof Error)) throw e;
    throw new Error(`while reading case ${n}: ${e.message}`, { cause: e });
  } finally {
    progress.done();
  }
  if (listed > MAX_LISTED) io.err(`rvlms: … and ${listed - MAX_LISTED} more invalid case(s)\n`);
  return conclude(result, opts, empty, io.err);
}
