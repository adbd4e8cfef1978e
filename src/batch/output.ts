/**
 * Where batch output goes: a writer that buffers small pieces into large writes — flushed
 * when 64 KB are waiting, and whenever processing pauses to wait for input, so a slow
 * producer on stdin still sees each result promptly — either to stdout (respecting
 * backpressure when a drain is supplied) or to a file written atomically —
 * a temporary file in the same folder, renamed over the target only when the run completes,
 * and removed on failure or interruption, so the target is whole or untouched.
 *
 * `--out` refuses what it must not replace (see checkTarget): an input of the run, a folder,
 * a symbolic link, a FIFO, a device or socket, a read-only file — the last four unless asked
 * with --force (a link's target is then replaced and the link kept; a FIFO or device is
 * written directly, which cannot be atomic). The target's mode (and, where allowed, owner)
 * is kept. The temporary file is removed on failure, on SIGINT, SIGTERM, SIGHUP and SIGQUIT,
 * and at any exit; only SIGKILL can leave it behind.
 *
 * A failure of a write that the writer makes on its own (the flush when processing pauses)
 * is kept and thrown by the next write or by finish: it never escapes as an uncaught error.
 *
 * Pieces are encoded into one reused byte buffer as they arrive, while they are fresh in
 * memory, rather than kept as strings and joined at the flush: a case line is a string of
 * many small parts, and 64 KB of them kept alive until the flush cost the garbage collector
 * and the join more than the encoding does. The bytes are exactly what writing the strings
 * would give (UTF-8; a lone surrogate becomes U+FFFD either way).
 */
import type { DiagnosticCode } from '../diagnostics/codes.js';
import * as nodeFs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { isBelow } from '../io/paths.js';
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
  /** What that flush threw: thrown again by the next write or finish. */
  private failed: { error: unknown } | undefined;

  /** Hand over text (a piece too large for the buffer) or the first `length` bytes of `bytes`, which are reused afterwards. */
  protected abstract emit(text: string | Buffer, length: number): void | Promise<void>;

  /** Throw what a flush made on its own threw. */
  protected rethrow(): void {
    if (this.failed) throw this.failed.error;
  }

  /** The flush queued for a pause: its failure is kept for the next write or finish. */
  private idleFlush(): void {
    this.idle = undefined;
    const keep = (error: unknown): void => {
      this.failed ??= { error };
    };
    try {
      const wait = this.flush();
      if (wait) wait.catch(keep);
    } catch (e) {
      keep(e);
    }
  }

  write(s: string): void | Promise<void> {
    this.rethrow();
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
    this.idle ??= setImmediate(() => this.idleFlush());
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
    this.rethrow();
    await this.flush(true);
  }

  abort(): void {
    this.discard(); // what was already written stays written
  }
}

const ioFail = (file: string, code: DiagnosticCode, message: string, suggestion?: string): never => {
  throw new InputError([{ file, severity: 'error', code, message, ...(suggestion ? { suggestion } : {}) }]);
};

/** The file-system calls the file outputs make: node:fs, or a test's fault-injecting wrapper. */
export type FileOps = Pick<
  typeof nodeFs,
  'lstatSync' | 'statSync' | 'realpathSync' | 'readlinkSync' | 'openSync' | 'writeSync' | 'fsyncSync' | 'closeSync' | 'renameSync' | 'unlinkSync' | 'fchmodSync' | 'fchownSync'
>;

export interface FileOutputOptions {
  /** The paths the run reads (case files and folders, the rule folder): never replaced. */
  readonly inputs?: readonly string[];
  /** Also write to a symbolic link's target, a FIFO, a device or a read-only file. */
  readonly force?: boolean;
  readonly fs?: FileOps;
}

/** Case files a folder walk reads: a report saved under that name inside an input folder would be read back as a case. */
const CASE_EXTS = new Set(['.json', '.yaml', '.yml', '.jsonl', '.ndjson', '.csv']);

const errno = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? 'error';

/**
 * Why no file can be made in `dir` (the folder of --out), in words, with the errno: the
 * folder is missing or not a folder (looked at again, since ENOENT and ENOTDIR say only that
 * some part of the path is), or what the errno means for a folder that is there.
 */
export function cannotCreateIn(dir: string, e: unknown, fs: Pick<FileOps, 'statSync'> = nodeFs): string {
  const code = errno(e);
  const where = dir === '.' ? 'the current folder' : dir;
  let st: nodeFs.Stats | undefined;
  try {
    st = fs.statSync(dir);
  } catch (se) {
    const why = errno(se);
    if (why === 'ENOENT') return `the folder ${dir} does not exist (${code})`;
    if (why === 'ENOTDIR') return `${dir} is not a folder: part of its path is a file (${code})`;
    if (why === 'EACCES' || why === 'EPERM') return `no permission to reach the folder ${dir} (${code})`;
  }
  if (st && !st.isDirectory()) return `${dir} is not a folder (${code})`;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return `no permission to create a file in ${where} (${code})`;
    case 'EROFS':
      return `${where} is on a read-only file system (${code})`;
    case 'ENOSPC':
      return `no space left on the device of ${where} (${code})`;
    case 'EDQUOT':
      return `the disk quota is used up in ${where} (${code})`;
    case 'ENAMETOOLONG':
      return `the file name is too long for ${where} (${code})`;
    case 'ENOENT':
      // the folder is there, yet a file cannot be made in it: a virtual file system such as /proc
      return `${where} does not allow new files in it (${code})`;
    default:
      return `cannot create a file in ${where} (${code})`;
  }
}


/** Refuse a target that is one of the inputs, or a case file inside an input folder. */
function checkNotInput(target: string, st: nodeFs.Stats | undefined, inputs: readonly string[], fs: FileOps): void {
  let realDir: string;
  try {
    realDir = fs.realpathSync(dirname(target));
  } catch {
    return; // the folder is missing: the temporary file cannot be made, and says so
  }
  const realTarget = join(realDir, basename(target));
  for (const input of inputs) {
    if (input === '-') continue;
    let ist: nodeFs.Stats;
    try {
      ist = fs.statSync(input);
    } catch {
      continue;
    }
    if (st && !st.isDirectory() && ist.dev === st.dev && ist.ino === st.ino) ioFail(target, 'io/out-is-input', `--out is the input ${input}; it would be replaced by the report`);
    if (ist.isDirectory() && CASE_EXTS.has(extname(target).toLowerCase()) && isBelow(realTarget, fs.realpathSync(input)))
      ioFail(target, 'io/out-is-input', `--out is inside the input folder ${input}, where it would be read as a case`, 'write the report outside the folders that are read');
  }
}

/**
 * What `--out target` may be: the path to write (a symbolic link's target under --force) and
 * how — atomically (a temporary file renamed over it) or directly (a FIFO or device under
 * --force). Refusals are InputErrors with codes io/out-*.
 */
export function checkTarget(target: string, o: FileOutputOptions = {}): { path: string; direct: boolean; mode?: nodeFs.Stats } {
  const fs = o.fs ?? nodeFs;
  if (target === '') ioFail('--out', 'usage/empty-value', '--out needs a file name');
  let st: nodeFs.Stats | undefined;
  try {
    st = fs.lstatSync(target);
  } catch (e) {
    if (errno(e) === 'ENOTDIR' || errno(e) === 'EACCES') ioFail(target, 'io/write', `cannot write the output: ${cannotCreateIn(dirname(target), e, fs)}`);
    if (errno(e) !== 'ENOENT') ioFail(target, 'io/write', `cannot check the output file (${errno(e)})`);
  }
  let path = target;
  if (st?.isSymbolicLink()) {
    if (!o.force) ioFail(target, 'io/out-symlink', '--out is a symbolic link; refused', 'give the real file, or add --force to replace the file the link points to');
    try {
      path = fs.realpathSync(target);
      st = fs.statSync(path);
    } catch (e) {
      if (errno(e) !== 'ENOENT') ioFail(target, 'io/write', `cannot follow the symbolic link (${errno(e)})`);
      path = resolve(dirname(target), fs.readlinkSync(target)); // a link to a file still to be made
      st = undefined;
      if (fs.lstatSync(path, { throwIfNoEntry: false })) ioFail(target, 'io/out-symlink', 'the symbolic link leads to another link; refused');
    }
  }
  checkNotInput(path, st, o.inputs ?? [], fs);
  if (st === undefined) return { path, direct: false };
  if (st.isDirectory()) ioFail(target, 'io/out-is-directory', '--out names a folder, not a file');
  if (!st.isFile()) {
    if (!o.force) ioFail(target, 'io/out-special', '--out is a FIFO, device or socket, not a regular file; refused', 'add --force to write to it directly (not atomically)');
    return { path, direct: true };
  }
  if ((st.mode & 0o222) === 0 && !o.force) ioFail(target, 'io/out-read-only', '--out is a read-only file; refused', 'add --force to replace it (its mode is kept)');
  return { path, direct: false, mode: st };
}

/** The signals after which the temporary file is removed (then the signal is raised again). SIGKILL cannot be caught. */
const CLEANUP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];

/** To a file, atomically. The temporary file is created at once, so a bad target fails before any work. */
export class AtomicFileOutput extends Buffered {
  private readonly temp: string;
  private readonly path: string;
  private readonly fs: FileOps;
  private fd: number | undefined;
  private committed = false;
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.abort();
    process.kill(process.pid, signal);
  };
  private readonly onExit = (): void => this.abort();

  constructor(
    private readonly target: string,
    options: FileOutputOptions = {},
  ) {
    super();
    this.fs = options.fs ?? nodeFs;
    const checked = checkTarget(target, options);
    if (checked.direct) ioFail(target, 'io/out-special', 'not a regular file'); // openFileOutput writes these directly
    this.path = checked.path;
    this.temp = join(dirname(this.path), `.${basename(this.path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    // the handlers first: a signal that comes as soon as the file exists must find them
    for (const s of CLEANUP_SIGNALS) process.once(s, this.onSignal);
    process.once('exit', this.onExit);
    try {
      this.fd = this.fs.openSync(this.temp, 'wx', checked.mode ? checked.mode.mode & 0o7777 : 0o666);
    } catch (e) {
      this.release();
      // the report is written to a temporary file beside the target, then renamed over it
      ioFail(target, 'io/write', `cannot write the output: ${cannotCreateIn(dirname(this.path), e, this.fs)}`);
    }
    if (checked.mode) this.keepMode(checked.mode);
  }

  /** The replaced file's mode (open's mode is masked by the umask) and, where allowed, owner. */
  private keepMode(st: nodeFs.Stats): void {
    try {
      this.fs.fchmodSync(this.fd!, st.mode & 0o7777);
    } catch (e) {
      this.abort();
      ioFail(this.target, 'io/write', `cannot set the mode of the output file (${errno(e)})`);
    }
    try {
      this.fs.fchownSync(this.fd!, st.uid, st.gid);
    } catch {
      /* only the owner's own files, unless privileged: the mode is what protects the data */
    }
  }

  protected emit(text: string | Buffer, length: number): void {
    if (this.fd !== undefined) writeAll(this.fs, this.fd, text, length, this.target);
  }

  async finish(): Promise<void> {
    try {
      this.rethrow();
      await this.flush(true);
      const fd = this.fd;
      if (fd === undefined) return;
      this.fs.fsyncSync(fd);
      this.fs.closeSync(fd);
      this.fd = undefined;
      this.fs.renameSync(this.temp, this.path);
      this.committed = true;
    } catch (e) {
      this.abort();
      if (e instanceof InputError) throw e;
      ioFail(this.target, 'io/write', `cannot write the output file (${errno(e)})`);
    }
    this.release();
  }

  abort(): void {
    if (this.committed) return;
    this.discard();
    if (this.fd !== undefined) {
      try {
        this.fs.closeSync(this.fd);
      } catch {
        /* already closed */
      }
      this.fd = undefined;
    }
    try {
      this.fs.unlinkSync(this.temp);
    } catch {
      /* already gone */
    }
    this.release();
  }

  private release(): void {
    for (const s of CLEANUP_SIGNALS) process.removeListener(s, this.onSignal);
    process.removeListener('exit', this.onExit);
  }
}

/** To a FIFO or device named with --out --force: written directly, as it comes (it cannot be replaced atomically). */
export class DirectFileOutput extends Buffered {
  private fd: number | undefined;
  private readonly fs: FileOps;

  constructor(
    private readonly target: string,
    fs: FileOps = nodeFs,
  ) {
    super();
    this.fs = fs;
    try {
      this.fd = fs.openSync(target, 'w');
    } catch (e) {
      ioFail(target, 'io/write', `cannot open the output (${errno(e)})`);
    }
  }

  protected emit(text: string | Buffer, length: number): void {
    if (this.fd !== undefined) writeAll(this.fs, this.fd, text, length, this.target);
  }

  async finish(): Promise<void> {
    this.rethrow();
    await this.flush(true);
    this.close();
  }

  abort(): void {
    this.discard();
    this.close();
  }

  private close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      this.fs.closeSync(fd);
    } catch (e) {
      ioFail(this.target, 'io/write', `cannot close the output (${errno(e)})`);
    }
  }
}

/** Write a piece (text, or the first `length` bytes) whole: a short write is continued, a failure names the target. */
function writeAll(fs: FileOps, fd: number, text: string | Buffer, length: number, target: string): void {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const n = typeof text === 'string' ? bytes.length : length;
  try {
    for (let at = 0; at < n; ) at += fs.writeSync(fd, bytes, at, n - at);
  } catch (e) {
    ioFail(target, 'io/write', `cannot write the output file (${errno(e)})`);
  }
}

/** Where --out writes: atomically to a regular file, or directly to what --force allows. */
export function openFileOutput(target: string, options: FileOutputOptions = {}): Output {
  const checked = checkTarget(target, options);
  return checked.direct ? new DirectFileOutput(checked.path, options.fs) : new AtomicFileOutput(target, options);
}
