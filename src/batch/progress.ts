/**
 * The progress line on stderr: only when stderr is a terminal, and only once the run has
 * lasted `delayMs` (2 s) — short runs and redirected stderr never see it. The clock is passed
 * in, so the behaviour is testable without waiting.
 */

export interface ProgressOptions {
  readonly enabled: boolean;
  readonly write: (s: string) => void;
  readonly now: () => number;
  readonly delayMs?: number;
  readonly everyMs?: number;
}

/** How many cases pass between two looks at the clock. */
const CHECK_EVERY = 512;

export class Progress {
  private readonly start: number;
  private last = -Infinity;
  private shown = false;

  constructor(private readonly o: ProgressOptions) {
    this.start = o.enabled ? o.now() : 0;
  }

  /** Called once per case with the number of cases so far. Cheap. */
  tick(cases: number): void {
    if (!this.o.enabled || cases % CHECK_EVERY !== 0) return;
    const now = this.o.now();
    const elapsed = now - this.start;
    if (elapsed < (this.o.delayMs ?? 2000) || now - this.last < (this.o.everyMs ?? 250)) return;
    this.last = now;
    this.shown = true;
    const rate = Math.round((cases * 1000) / elapsed);
    this.o.write(`\r\x1b[2Krvlms batch: ${cases.toLocaleString('en-US')} cases, ${rate.toLocaleString('en-US')}/s`);
  }

  /** Clear the line if it was shown. */
  done(): void {
    if (this.shown) this.o.write('\r\x1b[2K');
    this.shown = false;
  }
}
