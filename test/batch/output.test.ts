/** The output writers: the bytes written are those of the pieces given, in order, however they are cut. */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AtomicFileOutput, StreamOutput } from '../../src/batch/output.js';
import { tempDir } from '../support/cli.js';

/** Pieces of every kind: ASCII, accented, astral (surrogate pairs, also split between pieces), lone surrogates, large. */
const piece = fc.oneof(
  fc.constantFrom('', '{"type":"case"}\n', 'é', '€', '𝄞', '\uD834', '\uDD1E', '\uDC00x', 'x\uD800'),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.nat({ max: 200_000 }).map((n) => 'a'.repeat(n)),
  fc.nat({ max: 70_000 }).map((n) => '€'.repeat(n)),
);

/** What writing the whole text at once gives. */
const utf8 = (pieces: readonly string[]): Buffer => Buffer.from(pieces.join(''), 'utf8');

const temps: { cleanup(): void }[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) t.cleanup();
});

describe('StreamOutput', () => {
  it('writes the UTF-8 of the pieces in order, whatever their sizes and characters', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 12 }), async (pieces) => {
        const out: string[] = [];
        const o = new StreamOutput((s) => out.push(s));
        for (const p of pieces) await o.write(p);
        await o.finish();
        expect(Buffer.from(out.join(''), 'utf8').equals(utf8(pieces))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('waits for the drain it is given once 64 KB are written, and not before', async () => {
    const out: string[] = [];
    let drains = 0;
    const o = new StreamOutput(
      (s) => out.push(s),
      () => {
        drains++;
        return Promise.resolve();
      },
    );
    expect(o.write('x'.repeat(1000))).toBeUndefined();
    expect(out).toEqual([]);
    await o.write('y'.repeat(65_000));
    expect(drains).toBe(1);
    expect(out.join('')).toBe('x'.repeat(1000) + 'y'.repeat(65_000));
    await o.finish();
  });

  it('writes what is buffered when processing pauses for input', async () => {
    const out: string[] = [];
    const o = new StreamOutput((s) => out.push(s));
    o.write('{"id":"first"}\n');
    expect(out).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(out).toEqual(['{"id":"first"}\n']);
    await o.finish();
  });
});

describe('AtomicFileOutput', () => {
  it('writes the UTF-8 of the pieces in order to the file', async () => {
    const t = tempDir();
    temps.push(t);
    let k = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 8 }), async (pieces) => {
        const target = join(t.dir, `out-${k++}.txt`);
        const o = new AtomicFileOutput(target);
        for (const p of pieces) await o.write(p);
        await o.finish();
        expect(readFileSync(target).equals(utf8(pieces))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
