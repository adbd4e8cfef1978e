/**
 * Reading input text: files or stdin ("-"), with a size limit, BOM / UTF-16 handling and
 * refusal of binary data. Every failure is an InputError carrying one diagnostic.
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { InputError, type Diagnostic } from '../diagnostics/diagnostic.js';

export const MAX_INPUT_BYTES = 1024 * 1024;

const fail = (file: string, code: string, message: string, extra: Partial<Diagnostic> = {}): never => {
  throw new InputError([{ file, severity: 'error', code, message, ...extra }]);
};

/** Decode bytes to text: UTF-8 (BOM stripped) or UTF-16 with a BOM; NUL bytes are refused. */
export function decodeText(buf: Buffer, file: string): string {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return buf.subarray(2).toString('utf16le');
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) {
    const swapped = Buffer.from(buf.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  const limit = Math.min(buf.length, 8192);
  for (let i = 0; i < limit; i++) if (buf[i] === 0) fail(file, 'io/binary', 'the file is binary, not text (JSON or YAML expected)');
  let text = buf.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes('\uFFFD')) fail(file, 'io/encoding', 'the file is not valid UTF-8 text');
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

/** Read a whole input as text. `-` reads stdin. */
export function readInput(file: string, maxBytes = MAX_INPUT_BYTES): string {
  if (file === '-') return decodeText(readFd(0, '-', maxBytes), '-');
  let st;
  try {
    st = statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') fail(file, 'io/not-found', 'no such file');
    fail(file, 'io/read', `cannot read the file (${code ?? 'error'})`);
  }
  if (st!.isDirectory()) fail(file, 'io/is-directory', 'is a directory, not a file', { suggestion: 'give a case file; rvlms batch reads folders' });
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
