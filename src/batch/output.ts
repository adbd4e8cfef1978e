/**
 * Where batch output goes: a writer that buffers small pieces into large writes — flushed
 * when 64 KB are waiting, and whenever processing pauses to wait for input, so a slow
 * producer on stdin still sees each result promptly — either to stdout (respecting
 * backpressure when a drain is supplied) or to a file written atomically —
 * a temporary file in the same folder, renamed over the target only when the run completes,
 * and removed on failure or interruption, so the target is whole or untouched.
 *
 * Pieces are encoded into one reused byte buffer as they arrive, while they are fresh in
 * memory, rather than kept as strings and joined at the flush: a case line is a string of
 * many small parts, and 64 KB of them kept alive until the flush cost the garbage collector
 * and the join more than the encoding does. The bytes are exactly what writing the strings
 * would give (UTF-8; a lone surrogate becomes U+FFFD either way).
 */
import { closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../diagnostics/diagnostic.js';

const FLUSH_AT = 1 << 16;
/** Room for FLUSH_AT bytes and the piece that crosses it (a UTF-16 code unit takes at most 3 bytes). */
const BUFFER_BYTES = 1 << 18;

export interface Output {
  /** Buffer `s`; returns a promise only when the caller should wait (backpressure). */
  write(s: string): void | Promise<void>;
  /** Write what is buffered and commit (rename the file into place). */
  finish(): Promise<void>;
  /** Discard: remove the temporary file. Safe to call more than once. */
  abort(): void;
}

const isHighSurrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;

abstract class Buffered implements Output {
  private readonly bytes = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;
  /** A high surrogate that ended the last piece: encoded with the next piece, so that a pair split between two pieces stays one character. */
  private pending = '';
  /** A flush queued for when the event loop next runs I/O callbacks, i.e. when processing waits for input. */
  private idle: NodeJS.Immediate | undefined;

  /** Hand over text (a piece too large for the buffer) or the first `length` bytes of `bytes`, which are reused afterwards. */
  protected abstract emit(text: string | Buffer, length: number): void | Promise<void>;

  write(s: string): void | Promise<void> {
    if (this.pending) {
      s = this.pending + s;
      this.pending = '';
    }
    if (!s) return;
    if (isHighSurrogate(s.charCodeAt(s.length - 1))) {
      this.pending = s.slice(-1);
      s = s.slice(0, -1);
    }
    if (3 * s.length > BUFFER_BYTES - this.used) {
      // only a piece of over 64K characters: hand over what is buffered, then the piece itself
      const first = this.flush();
      const then = this.emit(s, s.length);
      return first ? first.then(() => then) : then;
    }
    this.used += this.bytes.write(s, this.used, 'utf8');
    if (this.used >= FLUSH_AT) return this.flush();
    this.idle ??= setImmediate(() => {
      this.idle = undefined;
      void this.flush();
    });
  }

  /** Hand over what is buffered; at the end (`last`), a high surrogate left alone too. */
  protected flush(last = false): void | Promise<void> {
    if (this.idle) {
      clearImmediate(this.idle);
      this.idle = undefined;
    }
    if (last && this.pending) {
      this.used += this.bytes.write(this.pending, this.used, 'utf8');
      this.pending = '';
    }
    if (this.used === 0) return;
    const length = this.used;
    this.used = 0;
    return this.emit(this.bytes, length);
  }

  /** Drop what is buffered and any queued flush. */
  protected discard(): void {
    if (this.idle) clearImmediate(this.idle);
    this.idle = undefined;
    this.used = 0;
    this.pending = '';
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

  protected emit(text: string | Buffer, length: number): void | Promise<void> {
    this.out(typeof text === 'string' ? text : text.toString('utf8', 0, length));
    return this.drain?.();
  }

  async finish(): Promise<void> {
    await this.flush(true);
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

  protected emit(text: string | Buffer, length: number): void {
    if (this.fd === undefined) return;
    try {
      if (typeof text === 'string') writeSync(this.fd, text);
      else for (let at = 0; at < length; ) at += writeSync(this.fd, text, at, length - at);
    } catch (e) {
      ioFail(this.target, 'io/write', `cannot write the output file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }

  async finish(): Promise<void> {
    this.flush(true);
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
