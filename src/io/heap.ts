/**
 * How far the main thread's heap may grow between full collections during a batch run.
 *
 * A batch stream passes every case's input line and output text through the main thread, and
 * what waits there across a few young-generation collections (lines read ahead, chunks of
 * output waiting for their turn) is promoted to the old generation, where it becomes garbage
 * soon after. V8 lets the old generation grow to up to four times what was live after the
 * last full collection before it collects again: on a stream of 1,000,000 cases the main
 * thread's heap reached about 100 MB to hold about 20 MB of live data. A growth factor of 1.5
 * bounds that at about 30 MB, for more frequent (short) full collections. Set through V8's
 * own flag, for this process only; it changes when memory is reclaimed, never what is computed.
 * docs/performance.md gives the measurements.
 */
import { setFlagsFromString } from 'node:v8';

/** Old-generation growth allowed between full collections, in percent of the live size. */
export const HEAP_GROWING_PERCENT = 50;

export function limitHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
