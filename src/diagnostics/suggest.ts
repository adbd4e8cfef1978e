/**
 * "Did you mean …?": the closest of a list of known names to a misspelt one, by edit
 * distance (insertions, deletions, substitutions, and swaps of two neighbours), compared
 * case-insensitively. Only a close match is offered: at most a third of the name's length
 * in edits (at least one).
 */

/** Optimal string alignment distance between two strings. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++)
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[(i - 2) * cols + j - 2]! + 1);
      d[i * cols + j] = v;
    }
  return d[rows * cols - 1]!;
}

/** The closest known name, if one is close enough; the first of equally close ones. */
export function closest(name: string, known: Iterable<string>): string | undefined {
  const target = name.toLowerCase();
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    if (Math.abs(k.length - name.length) > limit) continue;
    const dist = editDistance(target, k.toLowerCase());
    if (dist <= limit && dist < bestDistance) {
      best = k;
      bestDistance = dist;
    }
  }
  return best;
}

/** A diagnostic's suggestion for a misspelt name: `did you mean "x"?`, or undefined. */
export function suggest(name: string, known: Iterable<string>): string | undefined {
  if (name.length > 100) return undefined;
  const c = closest(name, known);
  return c === undefined || c === name ? undefined : `did you mean "${c}"?`;
}
