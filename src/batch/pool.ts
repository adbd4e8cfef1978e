/**
 * Batch evaluation, in input order, on the main thread and on worker threads. A small input
 * is evaluated on the main thread; past POOL_AFTER entries of a JSON Lines input, the rest
 * goes in chunks to `threads - 1` worker threads that parse, evaluate and render each case
 * (the renderer's `case` is pure). The main thread reads, counts and writes, and evaluates
 * a chunk itself whenever every worker already has enough queued: it is one of the
 * `threads`, so no core waits for a thread that only reads and writes. The results are
 * yielded in input order, so the output is the same bytes whatever the number of threads
 * (test/batch/threads.test.ts).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CompiledRuleset } from '../engine/compile.js';
import type { RulesetModel } from '../rules/model.js';
import type { BatchRenderer } from '../report/batch-common.js';
import type { RendererSpec } from '../report/batch-renderers.js';
import { ChunkBuilder, evaluateChunk, evaluateEntry, type EvaluatedChunk } from './evaluate-case.js';
import { TallyContext } from './summary.js';
import { readInputBatches, readInputTexts, stdinBytes, type InputSpec, type ReadOptions } from './inputs.js';
import type { LineText } from './read-jsonl.js';
import type { InputItem } from './types.js';

/** What a worker thread is started with: plain data. */
export interface WorkerInput {
  readonly model: RulesetModel;
  readonly renderSpec: RendererSpec;
}

/** Entries, numbered from `first`: what the main thread sends a worker. */
export interface Chunk {
  readonly first: number;
  readonly entries: readonly (InputItem | LineText)[];
}

/** Entries evaluated on the main thread before any thread is started: a small input never waits for one. */
export const POOL_AFTER = 4096;
const CHUNK = 512;
/** Chunks queued on a worker before the main thread evaluates the next one itself. */
const QUEUED_PER_WORKER = 2;
const WORKER_YOUNG_GENERATION_MB = 4;

/** The worker's module, beside the bundle that runs this one (dist/ or dist/chunks/). */
function workerFile(): URL | undefined {
  for (const rel of ['./batch-worker.js', '../batch-worker.js']) {
    const url = new URL(rel, import.meta.url);
    if (url.protocol === 'file:' && existsSync(fileURLToPath(url))) return url;
  }
  return undefined;
}

/** Worker threads, each answering its chunks in the order it received them. */
class Pool {
  private readonly waiting: { resolve: (r: EvaluatedChunk) => void; reject: (e: unknown) => void }[][];
  private next = 0;

  constructor(
    private readonly workers: readonly Worker[],
  ) {
    this.waiting = workers.map(() => []);
    workers.forEach((w, i) => {
      w.on('message', (chunk: EvaluatedChunk) => this.waiting[i]!.shift()?.resolve(chunk));
      w.on('error', (e) => {
        for (const p of this.waiting[i]!.splice(0)) p.reject(e);
      });
    });
  }

  static start(url: URL, input: WorkerInput, threads: number): Pool {
    // a small young generation: a worker's garbage is short-lived case objects, and V8's
    // default lets each worker's heap grow by tens of MB before it collects them
    return new Pool(Array.from({ length: threads }, () => new Worker(url, { workerData: input, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } })));
  }

  /** A worker with fewer than `limit` chunks queued, the least busy one, if any. */
  private withRoom(limit: number): number | undefined {
    let best: number | undefined;
    for (let k = 0; k < this.workers.length; k++) {
      const i = (this.next + k) % this.workers.length;
      if (this.waiting[i]!.length < limit && (best === undefined || this.waiting[i]!.length < this.waiting[best]!.length)) best = i;
    }
    return best;
  }

  /** Send a chunk to a worker with room, or undefined when all have `limit` chunks queued. */
  offer(chunk: Chunk, limit: number): Promise<EvaluatedChunk> | undefined {
    const i = this.withRoom(limit);
    if (i === undefined) return undefined;
    this.next = (i + 1) % this.workers.length;
    return new Promise((resolve, reject) => {
      this.waiting[i]!.push({ resolve, reject });
      this.workers[i]!.postMessage(chunk);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

export interface EvaluateOptions {
  readonly rs: CompiledRuleset;
  /** The model `rs` was compiled from (the workers compile their own). */
  readonly model: RulesetModel;
  /** Renders each case on the main thread; the workers build theirs from `renderSpec`. */
  readonly renderer: BatchRenderer;
  readonly renderSpec: RendererSpec;
  /** Threads for evaluation; 1 = the main thread only. */
  readonly threads: number;
  readonly stdin?: () => AsyncIterable<Uint8Array | string>;
  /** How inputs are read (notes, progress, column maps, what stdin holds). */
  readonly read?: ReadOptions;
}

/**
 * The results of one input's items, in order, a batch at a time; items are numbered from
 * `first`. Worker threads are used for JSON Lines past POOL_AFTER entries when `threads` > 1.
 */
export async function* evaluateInput(spec: InputSpec, first: number, o: EvaluateOptions): AsyncGenerator<EvaluatedChunk> {
  let n = first;
  const context = new TallyContext(o.rs);
  const url = o.threads > 1 ? workerFile() : undefined;
  if (url === undefined || !(spec.kind === 'jsonl' || (spec.kind === 'stdin' && o.read?.stdinFormat !== 'csv'))) {
    for await (const batch of readInputBatches(spec, o.stdin ?? stdinBytes, o.read)) {
      const chunk = new ChunkBuilder(n, o.renderer, context);
      for (const next of batch) {
        const ev = evaluateEntry(next instanceof Promise ? await next : next, n++, o.rs);
        chunk.add(ev instanceof Promise ? await ev : ev);
      }
      yield chunk.done();
    }
    return;
  }
  let pool: Pool | undefined;
  // A worker's chunk is a promise; the main thread's own chunk is evaluated only when its
  // turn to be written comes, so its results go out at once instead of waiting (and
  // surviving into the old generation) behind the workers' chunks.
  const inFlight: (Promise<EvaluatedChunk> | Chunk)[] = [];
  const take = (c: Promise<EvaluatedChunk> | Chunk): EvaluatedChunk | Promise<EvaluatedChunk> => (c instanceof Promise ? c : evaluateChunk(c.entries, c.first, o.rs, o.renderer, context));
  const workerInput: WorkerInput = { model: o.model, renderSpec: o.renderSpec };
  let pending: (InputItem | LineText)[] = [];
  let pendingFirst = n;
  try {
    for await (const batch of readInputTexts(spec, o.stdin ?? stdinBytes, o.read)) {
      const here = new ChunkBuilder(n, o.renderer, context);
      for (const entry of batch) {
        if (pool === undefined && n < first + POOL_AFTER) {
          const ev = evaluateEntry(entry, n++, o.rs);
          here.add(ev instanceof Promise ? await ev : ev);
          pendingFirst = n;
          continue;
        }
        pending.push(entry);
        n++;
        if (pending.length === CHUNK) {
          pool ??= Pool.start(url, workerInput, o.threads - 1);
          const chunk = { first: pendingFirst, entries: pending };
          inFlight.push(pool.offer(chunk, QUEUED_PER_WORKER) ?? chunk);
          pending = [];
          pendingFirst = n;
        }
      }
      if (here.size) yield here.done();
      // a bounded number of chunks in flight: memory stays flat however long the input
      while (inFlight.length > 2 * o.threads) yield await take(inFlight.shift()!);
    }
    if (pending.length) {
      pool ??= Pool.start(url, workerInput, o.threads - 1);
      const chunk = { first: pendingFirst, entries: pending };
      inFlight.push(pool.offer(chunk, QUEUED_PER_WORKER) ?? chunk);
    }
    while (inFlight.length) yield await take(inFlight.shift()!);
  } finally {
    await pool?.close();
  }
}
