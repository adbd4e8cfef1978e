/** Batch test helpers, on top of test/support: a recording BatchIo, fixtures, item collection. */
import { join } from 'node:path';
import type { BatchIo } from '../../src/cli/commands/batch.js';
import { compileRuleset, type CompiledRuleset } from '../../src/engine/compile.js';
import { loadRuleset } from '../../src/rules/load.js';
import { fakeIo } from '../support/cli.js';
import { ROOT } from '../support/paths.js';

export const fixture = (p: string): string => join(ROOT, 'fixtures', p);

let shipped: Promise<CompiledRuleset> | undefined;
/** The shipped rule set, compiled once per test file. */
export const shippedRules = (): Promise<CompiledRuleset> => (shipped ??= loadRuleset().then(({ model }) => compileRuleset(model)));

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of items) out.push(x);
  return out;
}

/** Text as one chunk per piece (to place chunk boundaries where a test wants them). */
export async function* chunks(...pieces: (string | Uint8Array)[]): AsyncGenerator<string | Uint8Array> {
  for (const p of pieces) yield p;
}

/** fakeIo with batch's extras: `over` sets the TTY flags, stdin or the clock. */
export function recordingIo(over: Partial<BatchIo> = {}): { io: BatchIo; out: () => string; err: () => string } {
  const f = fakeIo();
  return { io: { ...f.io, ...over }, out: f.out, err: f.err };
}
