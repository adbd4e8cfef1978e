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
  /** Bytes of input in all, when known (files only, no folder or stdin): the line then shows the share read and the time left. */
  readonly totalBytes?: number;
}

/** How many cases pass between two looks at the clock. */
const CHECK_EVERY = 512;

export class Progress {
  private readonly start: number;
  private last = -Infinity;
  private shown = false;
  /** Bytes of input read so far. */
  private bytes = 0;
  /** The count at the last tick that read the clock. */
  private ticked = 0;

  constructor(private readonly o: ProgressOptions) {
    this.start = o.enabled ? o.now() : 0;
  }

  /** Input bytes read (called by the readers as they read). */
  read(bytes: number): void {
    this.bytes += bytes;
  }

  /** Called with the number of cases so far, after a case or a chunk of them. Cheap: the clock is read once per CHECK_EVERY cases. */
  tick(cases: number): void {
    if (!this.o.enabled || Math.floor(cases / CHECK_EVERY) === Math.floor(this.ticked / CHECK_EVERY)) return;
    this.ticked = cases;
    const now = this.o.now();
    const elapsed = now - this.start;
    if (elapsed < (this.o.delayMs ?? 2000) || now - this.last < (this.o.everyMs ?? 250)) return;
    this.last = now;
    this.shown = true;
    this.o.write(`\r\x1b[2K${progressLine(cases, elapsed, this.bytes, this.o.totalBytes)}`);
  }

  /** Clear the line if it was shown. */
  done(): void {
    if (this.shown) this.o.write('\r\x1b[2K');
    this.shown = false;
  }
}

const thousands = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const clock = (ms: number): string => {
  const s = Math.max(0, Math.round(ms / 1000));
  return s >= 3600 ? `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}` : `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

/**
 * The progress text: cases and rate, and when the input size is known the share read and
 * the time left at the rate so far (`rvlms batch: 45 % · 90,000 cases · 9,000/s · 0:11 left`).
 */
export function progressLine(cases: number, elapsedMs: number, bytes: number, totalBytes: number | undefined): string {
  const rate = elapsedMs > 0 ? Math.round((cases * 1000) / elapsedMs) : 0;
  const counts = `${thousands(cases)} cases · ${thousands(rate)}/s`;
  if (!totalBytes || bytes <= 0) return `rvlms batch: ${counts}`;
  const share = Math.min(1, bytes / totalBytes);
  const left = (elapsedMs * (1 - share)) / share;
  return `rvlms batch: ${Math.floor(share * 100)} % · ${counts} · ${clock(left)} left`;
}
