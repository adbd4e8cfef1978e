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
  /** The smallest and largest value (the whiskers of a box plot). */
  readonly min: number;
  readonly max: number;
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

  /** Add the values of another sample (or of its structured clone: only its fields are read). */
  merge(o: NumberSample): void {
    for (let i = 0; i < o.size; i++) this.add(o.data[i]!);
  }

  quartiles(): Quartiles | null {
    if (this.size === 0) return null;
    const sorted = this.data.slice(0, this.size).sort();
    return {
      n: this.size,
      median: round(quantile(sorted, 0.5), 2),
      q1: round(quantile(sorted, 0.25), 2),
      q3: round(quantile(sorted, 0.75), 2),
      min: sorted[0]!,
      max: sorted[this.size - 1]!,
    };
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

  /** Add another counter's counts (or its structured clone's). */
  merge(o: RateCounter): void {
    this.known += o.known;
    this.yes += o.yes;
  }
}

/** The standard normal quantile for a two-sided 95 % interval. */
export const Z95 = 1.959963984540054;

/** A 95 % confidence interval, in the unit of its estimate. */
export interface Interval {
  readonly low: number;
  readonly high: number;
}

/**
 * Wilson score interval of a proportion `k / n` (Wilson 1927, J Am Stat Assoc 22:209–212;
 * recommended over the Wald interval by Newcombe 1998, Stat Med 17:857–872), as fractions:
 *
 *   centre = (p + z²/2n) / (1 + z²/n),  half-width = z·√(p(1−p)/n + z²/4n²) / (1 + z²/n)
 *
 * null when n is 0.
 */
export function wilson(k: number, n: number, z = Z95): Interval | null {
  if (n === 0) return null;
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

export interface Kappa {
  /** Pairs compared. */
  readonly n: number;
  /** Observed agreement p_o and agreement expected by chance p_e, as fractions. */
  readonly observed: number;
  readonly expected: number;
  readonly kappa: number;
  /** Large-sample standard error (Fleiss, Cohen & Everitt 1969). */
  readonly se: number;
  /** κ ± z·SE, kept within [−1, 1]. */
  readonly ci95: Interval;
}

/**
 * Cohen's kappa of a square table of counts (rows one rater, columns the other, the same
 * categories in the same order on both axes), with the large-sample standard error of Fleiss,
 * Cohen & Everitt 1969 (Psychol Bull 72:323–327; Fleiss, Levin & Paik, Statistical Methods for
 * Rates and Proportions, 3rd ed. 2003, eq. 18.12) — the error for an interval around κ, not
 * the one for testing κ = 0. With p_ij = n_ij / n, row and column margins p_i. and p_.j:
 *
 *   p_o = Σ p_ii,  p_e = Σ p_i.·p_.i,  κ = (p_o − p_e) / (1 − p_e)
 *   A = Σ_i p_ii·[1 − (p_i. + p_.i)(1 − κ)]²
 *   B = (1 − κ)²·Σ_{i≠j} p_ij·(p_.i + p_j.)²
 *   C = [κ − p_e(1 − κ)]²
 *   SE = √(A + B − C) / ((1 − p_e)·√n)
 *
 * null when there are no pairs or when chance agreement is total (p_e = 1: κ is undefined).
 */
export function cohensKappa(counts: readonly (readonly number[])[], z = Z95): Kappa | null {
  const k = counts.length;
  let n = 0;
  for (const row of counts) for (const x of row) n += x;
  if (n === 0) return null;
  const rows = counts.map((row) => row.reduce((a, b) => a + b, 0) / n);
  const cols = counts.map((_, j) => counts.reduce((a, row) => a + row[j]!, 0) / n);
  let po = 0;
  let pe = 0;
  for (let i = 0; i < k; i++) {
    po += counts[i]![i]! / n;
    pe += rows[i]! * cols[i]!;
  }
  if (pe >= 1 - 1e-12) return null;
  const kappa = (po - pe) / (1 - pe);
  let a = 0;
  let b = 0;
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      const p = counts[i]![j]! / n;
      if (i === j) a += p * (1 - (rows[i]! + cols[i]!) * (1 - kappa)) ** 2;
      else b += p * (cols[i]! + rows[j]!) ** 2;
    }
  b *= (1 - kappa) ** 2;
  const c = (kappa - pe * (1 - kappa)) ** 2;
  const se = Math.sqrt(Math.max(0, a + b - c)) / ((1 - pe) * Math.sqrt(n));
  return { n, observed: po, expected: pe, kappa, se, ci95: { low: Math.max(-1, kappa - z * se), high: Math.min(1, kappa + z * se) } };
}

/**
 * The ids seen so far, in about 25 bytes per id whatever its length (an open-addressing table,
 * at most half full, of 53-bit hashes and the case number that first carried each), so that a
 * stream of millions of cases stays in bounded memory. Two different ids are taken for one only when both 32-bit hashes of their
 * text (FNV-1a, and a second with other constants) collide: for a million distinct ids, a
 * chance of about 1 in 10,000 that any one pair is.
 */
export class IdSet {
  private keys = new Float64Array(1024);
  private first = new Int32Array(1024);
  private size = 0;

  private static hash(s: string): number {
    let a = 0x811c9dc5;
    let b = 0x9747b28c;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 13;
    }
    // 32 bits of one and 21 of the other: a whole number below 2^53, never 0 (0 marks a free slot)
    return (a >>> 0) * 2097152 + (b >>> 11) + 1;
  }

  /** The case number that first carried `id`, or undefined (and `n` is recorded) when it is new. */
  firstOf(id: string, n: number): number | undefined {
    if (this.size * 2 >= this.keys.length) this.grow();
    const h = IdSet.hash(id);
    const mask = this.keys.length - 1;
    for (let i = h % this.keys.length; ; i = (i + 1) & mask) {
      const k = this.keys[i]!;
      if (k === 0) {
        this.keys[i] = h;
        this.first[i] = n;
        this.size++;
        return undefined;
      }
      if (k === h) return this.first[i];
    }
  }

  private grow(): void {
    const keys = this.keys;
    const first = this.first;
    this.keys = new Float64Array(keys.length * 2);
    this.first = new Int32Array(keys.length * 2);
    const mask = this.keys.length - 1;
    for (let j = 0; j < keys.length; j++) {
      const h = keys[j]!;
      if (h === 0) continue;
      let i = h % this.keys.length;
      while (this.keys[i] !== 0) i = (i + 1) & mask;
      this.keys[i] = h;
      this.first[i] = first[j]!;
    }
  }
}
