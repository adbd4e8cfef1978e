/**
 * The solver: Z3 (the z3-solver package, Z3's own WebAssembly build). Loaded on first
 * use only (validate and diff; no other command pays for it), one instance per process:
 * the WebAssembly module is immutable once loaded, every analysis makes its own Context.
 */
import type { Bool, Context, Arith } from 'z3-solver';

export type Z = Context<'rvlms'>;
export type B = Bool<'rvlms'>;
export type A = Arith<'rvlms'>;

type Api = Awaited<ReturnType<(typeof import('z3-solver'))['init']>>;

let loading: Promise<Api> | undefined;

/**
 * A fresh solver context (the Z3 module itself is loaded once). `memoryMb` caps what the
 * solver may allocate: past it a question is answered "unknown", never a crash.
 */
export async function z3Context(memoryMb: number): Promise<Z> {
  loading ??= import('z3-solver').then((m) => m.init());
  const api = await loading;
  api.setParam('memory_max_size', String(memoryMb));
  return api.Context('rvlms');
}
