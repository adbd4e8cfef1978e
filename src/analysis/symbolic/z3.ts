/**
 * The solver: Z3 (the z3-solver package, Z3's own WebAssembly build). Loaded on first
 * use only (validate and diff; no other command pays for it), one instance per process:
 * the WebAssembly module is immutable once loaded, every analysis makes its own Context
 * (`withZ3`).
 *
 * Releases wait for the end of the analysis. z3-solver frees the solver object behind
 * each JavaScript object (term, model, parameter set) when the garbage collector has
 * collected that object: at a moment that depends on the heap and on the clock, not on
 * the program. A release in the middle of an analysis changes the solver's memory, and
 * with it the solver's search (which case it finds first, how long it takes); one that
 * runs while a question is being solved (the question runs on another thread, the
 * release on the main one) is also a race inside Z3. So, while an analysis runs, the
 * releases the garbage collector asks for are only queued; they are done when no
 * analysis is running any more. Between the start and the end of an analysis the solver
 * therefore sees the same calls in the same order on every run.
 */
import type { Bool, Context, Arith } from 'z3-solver';

export type Z = Context<'rvlms'>;
export type B = Bool<'rvlms'>;
export type A = Arith<'rvlms'>;

type Api = Awaited<ReturnType<(typeof import('z3-solver'))['init']>>;

let loading: Promise<Api> | undefined;
/** Analyses running now (`withZ3` calls not yet returned). */
let running = 0;
/** Releases the garbage collector asked for while an analysis was running. */
const queued: (() => void)[] = [];
/** The platform's FinalizationRegistry (the global one is replaced while Z3 loads). */
const NativeRegistry = globalThis.FinalizationRegistry;

/**
 * The FinalizationRegistry that z3-solver gets: the same registry, except that a
 * release requested while an analysis runs is queued until none does.
 */
class DeferringRegistry<H> {
  private readonly registry: FinalizationRegistry<H>;
  constructor(release: (held: H) => void) {
    this.registry = new NativeRegistry<H>((held) => {
      if (running > 0) queued.push(() => release(held));
      else release(held);
    });
  }
  register(target: object, held: H, token?: object): void {
    this.registry.register(target, held, token);
  }
  unregister(token: object): boolean {
    return this.registry.unregister(token);
  }
}

/**
 * Loads Z3. Its high-level API makes its one FinalizationRegistry while `init` runs:
 * for that time the global constructor is the deferring one (restored right after; any
 * other registry made meanwhile only has its releases deferred the same way).
 * test/analysis/determinism.test.ts fails if Z3's releases stop being deferred.
 */
function load(): Promise<Api> {
  loading ??= import('z3-solver').then(async (m) => {
    globalThis.FinalizationRegistry = DeferringRegistry as unknown as FinalizationRegistryConstructor;
    try {
      return await m.init();
    } finally {
      globalThis.FinalizationRegistry = NativeRegistry;
    }
  });
  return loading;
}

/** Releases queued for the end of the running analyses (0 when none runs). */
export function queuedReleases(): number {
  return queued.length;
}

/**
 * Runs one analysis on a fresh solver context (the Z3 module itself is loaded once).
 * `memoryMb` caps what the solver may allocate: past it a question is answered
 * "unknown", never a crash. Nothing of Z3 is released while `run` is under way; what the
 * garbage collector gave back meanwhile is released when no analysis runs any more.
 */
export async function withZ3<T>(memoryMb: number, run: (z: Z) => Promise<T>): Promise<T> {
  const api = await load();
  running++;
  try {
    api.setParam('memory_max_size', String(memoryMb));
    return await run(api.Context('rvlms'));
  } finally {
    if (--running === 0) for (const release of queued.splice(0)) release();
  }
}
