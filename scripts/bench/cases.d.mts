// Types of cases.mjs for the tests that generate cohorts with it.
export function mulberry32(seed: number): () => number;
export const GENERATED_FIELDS: readonly string[];
export function makeCases(n: number, seed: number, pUnknown: number): Record<string, unknown>[];
export function caseLineChunks(n: number, seed: number, pUnknown?: number, chunk?: number): Generator<string>;
export function flatFacts(c: Record<string, unknown>): Record<string, unknown>;
