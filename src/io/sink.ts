/**
 * Checked writes to stdout and stderr. Every write goes through a stream's callback and its
 * 'error' event, so no failure is lost; the first one is kept.
 *
 * - A failed write on stdout (ENOSPC, EIO, EBADF …) is an OutputError: the command stops at
 *   its next write, or, if the failure comes after the last write, when the CLI settles the
 *   stream before exiting. Either way: a coded diagnostic on stderr and exit 2.
 * - EPIPE on stdout means the reader closed the pipe on purpose (`| head -1`, a pager that
 *   quits): ReaderGone stops the command quietly — nothing on stderr, exit 0, as a filter
 *   stopped by SIGPIPE leaves the pipeline's status to its reader.
 * - stderr cannot report its own failure: once it fails, later writes to it are dropped, the
 *   command goes on, and a failure other than EPIPE makes the exit 2 (diagnostics were lost).
 */
import { InputError } from '../diagnostics/diagnostic.js';

/** The name stdout and stderr have in diagnostics. */
export type StdName = '<stdout>' | '<stderr>';

/** A write to stdout failed: exit 2 with the diagnostic this error carries. */
export class OutputError extends InputError {
  constructor(
    readonly stream: StdName,
    readonly errno: string,
  ) {
    super([{ file: stream, severity: 'error', code: 'io/write', message: `cannot write the output (${errno})` }]);
    this.name = 'OutputError';
  }
}

/**
 * The reader of stdout has gone (EPIPE): stop quietly. An InputError without diagnostics, so
 * that every edge that lets input errors through unchanged lets this through too.
 */
export class ReaderGone extends InputError {
  constructor() {
    super([]);
    this.name = 'ReaderGone';
  }
}

/** What a writable needs to be checked (process.stdout, process.stderr, or a test's stream). */
export interface WritableLike {
  write(chunk: string, cb: (e?: Error | null) => void): boolean;
  on(event: 'error', listener: (e: Error) => void): unknown;
  once(event: 'drain' | 'close', listener: () => void): unknown;
  removeListener(event: 'drain' | 'close', listener: () => void): unknown;
  readonly writableLength: number;
}

const errnoOf = (e: unknown): string => (e as NodeJS.ErrnoException | undefined)?.code ?? 'EIO';

/** Output waiting in the stream beyond which `drain` waits for it to be written. */
const BACKLOG = 1 << 22;

export class CheckedWriter {
  private fault: string | undefined;
  /** The failure was thrown to the command (which reports it). */
  private thrown = false;

  constructor(
    private readonly stream: WritableLike,
    readonly name: StdName,
  ) {
    stream.on('error', (e) => this.record(e));
  }

  private record(e: unknown): void {
    this.fault ??= errnoOf(e);
  }

  /** Whether a failure was thrown to the command, which reported it. */
  reported(): boolean {
    return this.thrown;
  }

  /** Throw what stops a command writing to stdout: ReaderGone or OutputError. */
  private stop(fault: string): never {
    this.thrown = true;
    if (fault === 'EPIPE') throw new ReaderGone();
    throw new OutputError(this.name, fault);
  }

  /**
   * Write `s`. On stdout, a failure already seen throws (the command stops there); on
   * stderr, writes after a failure are dropped.
   */
  readonly write = (s: string): void => {
    if (this.fault !== undefined) {
      if (this.name === '<stdout>') this.stop(this.fault);
      return;
    }
    try {
      this.stream.write(s, (e) => {
        if (e) this.record(e);
      });
    } catch (e) {
      this.record(e);
    }
  };

  /**
   * Backpressure without idling: while less than 4 MB waits to be written, yield to the event
   * loop (which writes what the stream takes) and go on; past it, wait for the stream to drain.
   * A failure seen meanwhile throws as `write` does.
   */
  readonly drain = async (): Promise<void> => {
    if (this.stream.writableLength > BACKLOG && this.fault === undefined)
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.stream.removeListener('drain', done);
          this.stream.removeListener('close', done);
          resolve();
        };
        this.stream.once('drain', done);
        this.stream.once('close', done); // a failed stream closes and never drains
      });
    else if (this.stream.writableLength > 0) await new Promise((resolve) => setImmediate(resolve));
    if (this.fault !== undefined && this.name === '<stdout>') this.stop(this.fault);
  };

  /** Resolves, once everything written so far has been handed to the system, with the first failure (an errno code) or undefined. */
  settle(): Promise<string | undefined> {
    if (this.fault !== undefined) return Promise.resolve(this.fault);
    return new Promise((resolve) => {
      try {
        this.stream.write('', (e) => {
          if (e) this.record(e);
          resolve(this.fault);
        });
      } catch (e) {
        this.record(e);
        resolve(this.fault);
      }
    });
  }
}

/**
 * The exit code once stdout and stderr have taken everything: a stdout failure other than
 * EPIPE is reported (on stderr, if it still works) and makes the exit 2; so does a failure of
 * stderr itself, which lost diagnostics.
 */
export async function settleExit<C extends number>(code: C, stdout: CheckedWriter, stderr: CheckedWriter): Promise<C | 2> {
  let final: C | 2 = code;
  const outFault = await stdout.settle();
  if (outFault !== undefined && outFault !== 'EPIPE') {
    if (!stdout.reported()) stderr.write(`rvlms: ${new OutputError(stdout.name, outFault).message}\n`);
    final = 2;
  }
  const errFault = await stderr.settle();
  if (errFault !== undefined && errFault !== 'EPIPE') final = 2;
  return final;
}
