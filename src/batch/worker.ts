/**
 * A batch worker thread: compiles the rule set it is given (a RulesetModel: plain data) and
 * builds the run's renderer, then evaluates each chunk of entries it receives and posts
 * back the chunk's texts, ids, problems and tally (evaluate-case.ts: EvaluatedChunk). The
 * main thread puts the chunks back in input order (pool.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { compileRuleset } from '../engine/compile.js';
import { createBatchRenderer } from '../report/batch-renderers.js';
import { evaluateChunk } from './evaluate-case.js';
import type { Chunk, WorkerInput } from './pool.js';
import { TallyContext } from './summary.js';

const port = parentPort!;
const input = workerData as WorkerInput;
const rs = compileRuleset(input.model);
const context = new TallyContext(rs);
// messages wait in the port's queue until the listener below is attached
const renderer = await createBatchRenderer(input.renderSpec, input.model);

// Chunks are answered in the order they came (pool.ts pairs answers with requests that way),
// so a chunk that waits holds back the ones behind it.
let queue: Promise<void> = Promise.resolve();
port.on('message', (chunk: Chunk) => {
  const r = evaluateChunk(chunk.entries, chunk.first, rs, renderer, context);
  if (!(r instanceof Promise)) queue = queue.then(() => port.postMessage(r));
  // a rejection (a bug: evaluation reports bad input as results) ends the thread with an error the pool reports
  else queue = queue.then(() => r.then((done) => port.postMessage(done)));
});
