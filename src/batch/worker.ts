/**
 * A batch worker thread: compiles the rule set it is given (a RulesetModel: plain data) and
 * builds the run's renderer, then evaluates each chunk of entries it receives and posts
 * back the chunk's texts, ids, problems and tally (evaluate-case.ts: EvaluatedChunk). The
 * main thread puts the chunks back in input order (pool.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { compileRuleset } from '../engine/compile.js';
import { createBatchRenderer } from '../report/batch-renderers.js';
import { chunkOf, evaluateEntry, type Evaluated } from './evaluate-case.js';
import type { Chunk, WorkerInput } from './pool.js';
import { TallyContext } from './summary.js';

const port = parentPort!;
const input = workerData as WorkerInput;
const rs = compileRuleset(input.model);
const context = new TallyContext(rs);
// messages wait in the port's queue until the listener below is attached
const renderer = await createBatchRenderer(input.renderSpec, input.model);

port.on('message', (chunk: Chunk) => {
  const out: (Evaluated | Promise<Evaluated>)[] = [];
  let waits = false;
  for (let i = 0; i < chunk.entries.length; i++) {
    const ev = evaluateEntry(chunk.entries[i]!, chunk.first + i, rs);
    if (ev instanceof Promise) waits = true;
    out.push(ev);
  }
  if (!waits) port.postMessage(chunkOf(out as Evaluated[], chunk.first, renderer, context));
  // a rejection (a bug: evaluation reports bad input as results) ends the thread with an error the pool reports
  else void Promise.all(out.map((x) => Promise.resolve(x))).then((results) => port.postMessage(chunkOf(results, chunk.first, renderer, context)));
});
