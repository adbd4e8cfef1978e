/**
 * Small descriptive statistics for cohort summaries. Quartiles use linear interpolation
 * between order statistics (Hyndman & Fan type 7: R's and numpy's default): for sorted
 * x[0..n-1], the p-quantile is at position h = (n - 1)·p, i.e.
 * x[⌊h⌋] + (h - ⌊h⌋)·(x[⌊h⌋+1] - x[⌊h⌋]).
 */

export interface Quartiles {
  /** Cases with a value. */
  readonly n: number;
  readonly median: number;
  readonly q1: number;
  readonly q3: number;
}

export interface Rate {
  /** Cases where it is known. */
  readonly n: number;
  /** Cases where it is true. */
  readonly yes: number;
  /** 100 · yes / n, to one decimal; null when n is 0. */
  readonly percent: number | null;
}

const round = (x: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** 100 · part / whole to one decimal, or null for an empty whole. */
export const percent = (part: number, whole: number): number | null => (whole === 0 ? null : round((100 * part) / whole, 1));

/** Type-7 quantile of an ascending array. */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo]!;
  return lo + 1 < sorted.length ? a + (h - lo) * (sorted[lo + 1]! - a) : a;
}

/**
 * The values of one measure, for its median and IQR: 8 bytes per value, in a typed array
 * that doubles as it fills (exact quartiles need every value; 1,000,000 values take 8 MB).
 */
export class NumberSample {
  private data = new Float64Array(16);
  private size = 0;

  add(x: number): void {
    if (this.size === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.size++] = x;
  }

  get count(): number {
    return this.size;
  }

  quartiles(): Quartiles | null {
    if (this.size === 0) return null;
    const sorted = this.data.slice(0, this.size).sort();
    return { n: this.size, median: round(quantile(sorted, 0.5), 2), q1: round(quantile(sorted, 0.25), 2), q3: round(quantile(sorted, 0.75), 2) };
  }
}

/** Counts true / known of a yes-no measure. */
export class RateCounter {
  private known = 0;
  private yes = 0;

  add(x: unknown): void {
    if (typeof x !== 'boolean') return;
    this.known++;
    if (x) this.yes++;
  }

  rate(): Rate {
    return { n: this.known, yes: this.yes, percent: percent(this.yes, this.known) };
  }
}
