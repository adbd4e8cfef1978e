/**
 * Three-valued logic: every condition is true, false or unknown (an input it needs is not
 * known). Small integers rather than strings so that a condition test allocates nothing;
 * TRUTH_NAMES gives the words the trace and the JSON output show.
 */
export const F = 0;
export const T = 1;
export const U = 2;
export type Truth = typeof F | typeof T | typeof U;

export const TRUTH_NAMES = ['false', 'true', 'unknown'] as const;
export type TruthName = (typeof TRUTH_NAMES)[number];

export const truthOf = (b: boolean): Truth => (b ? T : F);
export const not = (r: Truth): Truth => (r === U ? U : r === T ? F : T);
