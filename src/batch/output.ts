/**
 * Where batch output goes: a writer that buffers small pieces into large writes — flushed
 * when 64 KB are waiting, and whenever processing pauses to wait for input, so a slow
 * producer on stdin still sees each result promptly — either to stdout (respecting
 * backpressure when a drain is supplied) or to a file written atomically —
 * a temporary file in the same folder, renamed over the target only when the run completes,
 * and removed on failure or interruption, so the target is whole or untouched.
 */
import { closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../diagnostics/diagnostic.js';

const FLUSH_AT = 1 << 16;

export interface Output {
  /** Buffer `s`; returns a promise only when the caller should wait (backpressure). */
  write(s: string): void | Promise<void>;
  /** Write what is buffered and commit (rename the file into place). */
  finish(): Promise<void>;
  /** Discard: remove the temporary file. Safe to call more than once. */
  abort(): void;
}

abstract class Buffered implements Output {
  private pieces: string[] = [];
  private size = 0;
  /** A flush queued for when the event loop next runs I/O callbacks, i.e. when processing waits for input. */
  private idle: NodeJS.Immediate | undefined;

  protected abstract flushText(text: string): void | Promise<void>;

  write(s: string): void | Promise<void> {
    if (!s) return;
    this.pieces.push(s);
    this.size += s.length;
    if (this.size >= FLUSH_AT) return this.flush();
    this.idle ??= setImmediate(() => {
      this.idle = undefined;
      void this.flush();
    });
  }

  protected flush(): void | Promise<void> {
    if (this.idle) {
      clearImmediate(this.idle);
      this.idle = undefined;
    }
    if (this.size === 0) return;
    const text = this.pieces.join('');
    this.pieces = [];
    this.size = 0;
    return this.flushText(text);
  }

  /** Drop what is buffered and any queued flush. */
  protected discard(): void {
    if (this.idle) clearImmediate(this.idle);
    this.idle = undefined;
    this.pieces = [];
    this.size = 0;
  }

  abstract finish(): Promise<void>;
  abstract abort(): void;
}

/** To a writer function (stdout); `drain` resolves when the stream can take more. */
export class StreamOutput extends Buffered {
  constructor(
    private readonly out: (s: string) => void,
    private readonly drain?: () => Promise<void>,
  ) {
    super();
  }

  protected flushText(text: string): void | Promise<void> {
    this.out(text);
    return this.drain?.();
  }

  async finish(): Promise<void> {
    await this.flush();
  }

  abort(): void {
    this.discard(); // what was already written stays written
  }
}

const ioFail = (file: string, code: string, message: string): never => {
  throw new InputError([{ file, severity: 'error', code, message }]);
};

/** To a file, atomically. The temporary file is created at once, so a bad target fails before any work. */
export class AtomicFileOutput extends Buffered {
  private readonly temp: string;
  private fd: number | undefined;
  private committed = false;
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.abort();
    process.kill(process.pid, signal);
  };

  constructor(private readonly target: string) {
    super();
    try {
      if (statSync(target).isDirectory()) ioFail(target, 'io/out-is-directory', '--out names a folder, not a file');
    } catch (e) {
      if (e instanceof InputError) throw e;
      // a missing target is the usual case
    }
    this.temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      this.fd = openSync(this.temp, 'wx');
    } catch (e) {
      ioFail(target, 'io/write', `cannot write next to the output file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
  }

  protected flushText(text: string): void {
    if (this.fd === undefined) return;
    try {
      writeSync(this.fd, text);
    } catch (e) {
      ioFail(this.target, 'io/write', `cannot write the output file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }

  async finish(): Promise<void> {
    this.flush();
    const fd = this.fd;
    if (fd === undefined) return;
    try {
      fsyncSync(fd);
      closeSync(fd);
      this.fd = undefined;
      renameSync(this.temp, this.target);
      this.committed = true;
    } catch (e) {
      this.abort();
      ioFail(this.target, 'io/write', `cannot write the output file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    this.release();
  }

  abort(): void {
    if (this.committed) return;
    this.discard();
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        /* already closed */
      }
      this.fd = undefined;
    }
    try {
      unlinkSync(this.temp);
    } catch {
      /* already gone */
    }
    this.release();
  }

  private release(): void {
    process.removeListener('SIGINT', this.onSignal);
    process.removeListener('SIGTERM', this.onSignal);
  }
}
