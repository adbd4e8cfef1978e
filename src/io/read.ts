/**
 * Reading input text: files or stdin ("-"), with a size limit, BOM / UTF-16 handling and
 * refusal of binary data. Every failure is an InputError carrying one diagnostic.
 */
import type { DiagnosticCode } from '../diagnostics/codes.js';
import { closeSync, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { isatty } from 'node:tty';
import { InputError, type Diagnostic } from '../diagnostics/diagnostic.js';

export const MAX_INPUT_BYTES = 1024 * 1024;

const fail = (file: string, code: DiagnosticCode, message: string, extra: Partial<Diagnostic> = {}): never => {
  throw new InputError([{ file, severity: 'error', code, message, ...extra }]);
};

/**
 * Decode bytes to text: UTF-8 (BOM stripped) or UTF-16 with a BOM. Refused: a NUL anywhere
 * (binary data, not text), bytes that are not valid UTF-8 (a U+FFFD written as such is a
 * valid character and is kept), UTF-16 whose last character is cut (an odd byte count) or
 * that holds a lone surrogate.
 */
export function decodeText(buf: Buffer, file: string): string {
  const utf16 = buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff));
  if (!utf16) {
    const nul = buf.indexOf(0);
    if (nul >= 0) fail(file, 'io/binary', nul < 8192 ? 'the file is binary, not text (JSON or YAML expected)' : `a NUL byte at offset ${nul}: binary data, not text`);
  } else if ((buf.length - 2) % 2 !== 0) fail(file, 'io/encoding', 'UTF-16 text with an odd number of bytes: its last character is cut');
  let text: string;
  try {
    text = new TextDecoder(utf16 ? (buf[0] === 0xff ? 'utf-16le' : 'utf-16be') : 'utf-8', { fatal: true }).decode(buf); // the BOM is dropped
  } catch {
    return fail(file, 'io/encoding', utf16 ? 'the file is not valid UTF-16 text' : 'the file is not valid UTF-8 text');
  }
  if (utf16 && text.includes('\0')) fail(file, 'io/binary', 'a NUL character: binary data, not text');
  return text;
}

function readFd(fd: number, file: string, maxBytes: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  const chunk = Buffer.allocUnsafe(65536);
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, chunk, 0, chunk.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') continue;
      if (code === 'EOF') break;
      if (code === 'EISDIR') fail(file, 'io/is-directory', 'is a directory, not a file');
      throw e;
    }
    if (n === 0) break;
    total += n;
    if (total > maxBytes) fail(file, 'io/too-large', `input is larger than ${Math.round(maxBytes / 1024)} KiB; refused`);
    chunks.push(Buffer.from(chunk.subarray(0, n)));
  }
  return Buffer.concat(chunks);
}

/** What a read is about to wait for: a person typing on the terminal, or a writer to open a FIFO. */
export type WaitKind = 'tty' | 'fifo';

/**
 * Read a whole input as text. `-` reads stdin. `onWait` is told, before a read that may wait
 * without end, what it waits for (stdin is a terminal; the file is a FIFO), so that the user
 * is not left before a silent prompt.
 */
export function readInput(file: string, maxBytes = MAX_INPUT_BYTES, onWait?: (kind: WaitKind) => void): string {
  if (file === '-') {
    if (onWait && isatty(0)) onWait('tty');
    return decodeText(readFd(0, '-', maxBytes), '-');
  }
  let st: Stats | undefined;
  try {
    st = statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') fail(file, 'io/not-found', 'no such file');
    fail(file, 'io/read', `cannot read the file (${code ?? 'error'})`);
  }
  if (st!.isDirectory()) fail(file, 'io/is-directory', 'is a directory, not a file', { suggestion: 'give a case file; rvlms batch reads folders' });
  if (onWait && st!.isFIFO()) onWait('fifo');
  if (st!.isFile() && st!.size > maxBytes) fail(file, 'io/too-large', `file is ${st!.size} bytes, larger than the ${Math.round(maxBytes / 1024)} KiB limit; refused`);
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    return fail(file, 'io/read', `cannot open the file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    if (!fstatSync(fd).isFile() && !fstatSync(fd).isFIFO() && !fstatSync(fd).isCharacterDevice()) fail(file, 'io/read', 'not a regular file');
    return decodeText(readFd(fd, file, maxBytes), file);
  } finally {
    closeSync(fd);
  }
}
