/**
 * A batch worker thread: compiles the rule set it is given (a RulesetModel: plain data),
 * then evaluates each chunk of entries it receives and posts back their results, in order.
 * The main thread numbers the entries and puts the results back in input order (pool.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { compileRuleset } from '../engine/compile.js';
import type { RulesetModel } from '../rules/model.js';
import { evaluateEntry, type Evaluated } from './evaluate-case.js';
import type { Chunk } from './pool.js';

const port = parentPort!;
const rs = compileRuleset((workerData as { model: RulesetModel }).model);

port.on('message', (chunk: Chunk) => {
  const out: (Evaluated | Promise<Evaluated>)[] = [];
  let waits = false;
  for (let i = 0; i < chunk.entries.length; i++) {
    const ev = evaluateEntry(chunk.entries[i]!, chunk.first + i, rs);
    if (ev instanceof Promise) waits = true;
    out.push(ev);
  }
  if (!waits) port.postMessage(out);
  // a rejection (a bug: evaluation reports bad input as results) ends the thread with an error the pool reports
  else void Promise.all(out.map((x) => Promise.resolve(x))).then((results) => port.postMessage(results));
});
