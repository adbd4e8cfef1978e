/**
 * A batch worker thread: compiles the rule set it is given (a RulesetModel: plain data) and
 * builds the run's renderer, then evaluates each chunk of entries it receives and posts
 * back the chunk's texts, ids, problems and tally (evaluate-case.ts: EvaluatedChunk). The
 * main thread puts the chunks back in input order (pool.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { compileRuleset } from '../engine/compile.js';
import { createBatchRenderer } from '../report/batch-renderers.js';
import { ChunkBuilder, evaluateEntry, type Evaluated, type EvaluatedChunk } from './evaluate-case.js';
import type { Chunk, WorkerInput } from './pool.js';
import { TallyContext } from './summary.js';

const port = parentPort!;
const input = workerData as WorkerInput;
const rs = compileRuleset(input.model);
const context = new TallyContext(rs);
// messages wait in the port's queue until the listener below is attached
const renderer = await createBatchRenderer(input.renderSpec, input.model);

/** A chunk evaluated; a promise only when some entry needs a second look at its text (an invalid one). */
function evaluateChunk(chunk: Chunk): EvaluatedChunk | Promise<EvaluatedChunk> {
  const out = new ChunkBuilder(chunk.first, renderer, context);
  for (let i = 0; i < chunk.entries.length; i++) {
    const ev = evaluateEntry(chunk.entries[i]!, chunk.first + i, rs);
    if (ev instanceof Promise) return finishChunk(chunk, i, ev, out);
    out.add(ev);
  }
  return out.done();
}

/** The rest of a chunk from entry `from`, whose evaluation is `pending`. */
async function finishChunk(chunk: Chunk, from: number, pending: Promise<Evaluated>, out: ChunkBuilder): Promise<EvaluatedChunk> {
  out.add(await pending);
  for (let i = from + 1; i < chunk.entries.length; i++) out.add(await evaluateEntry(chunk.entries[i]!, chunk.first + i, rs));
  return out.done();
}

// Chunks are answered in the order they came (pool.ts pairs answers with requests that way),
// so a chunk that waits holds back the ones behind it.
let queue: Promise<void> = Promise.resolve();
port.on('message', (chunk: Chunk) => {
  const r = evaluateChunk(chunk);
  if (!(r instanceof Promise)) queue = queue.then(() => port.postMessage(r));
  // a rejection (a bug: evaluation reports bad input as results) ends the thread with an error the pool reports
  else queue = queue.then(() => r.then((done) => port.postMessage(done)));
});
