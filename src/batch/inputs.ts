/**
 * The I/O edge of batch: which reader each path needs, checked before anything is read, and
 * the byte streams behind them. A folder is read recursively (`.json`, `.yaml`, `.yml`, in
 * code-point order of the names, dot-entries skipped); a file by its extension; "-" is JSON
 * Lines on stdin. A path that is missing, unreadable or of an unknown kind is an InputError
 * (exit 2) naming it; a bad file inside a folder is reported as a bad case and the run goes on.
 */
import type { DiagnosticCode } from '../diagnostics/codes.js';
import { accessSync, constants, createReadStream, readdirSync, statSync, type Dirent } from 'node:fs';
import { extname, join } from 'node:path';
import { InputError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { readInput } from '../io/read.js';
import { decodeChunks } from './decode.js';
import { readJsonDocument } from './read-json.js';
import { readJsonLineBatches, readJsonLines, readJsonLineTexts, type LineText } from './read-jsonl.js';
import type { TableOptions } from './table-cases.js';
import type { InputItem, ItemBatch } from './types.js';

export type InputKind = 'folder' | 'jsonl' | 'json' | 'csv' | 'xlsx' | 'yaml' | 'stdin';

export interface InputSpec {
  readonly path: string;
  readonly kind: InputKind;
}

const KIND_BY_EXT: Readonly<Record<string, InputKind>> = {
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.json': 'json',
  '.csv': 'csv',
  '.tsv': 'csv',
  '.xlsx': 'xlsx',
  '.yaml': 'yaml',
  '.yml': 'yaml',
};
const FOLDER_EXTS = new Set(['.json', '.yaml', '.yml']);
const CHUNK = 1 << 16;
/** JSON Lines are read in larger chunks: each is one batch of items (fewer asynchronous steps). */
const LINES_CHUNK = 1 << 18;

const fail = (file: string, code: DiagnosticCode, message: string, suggestion?: string): never => {
  const d: Diagnostic = { file, severity: 'error', code, message, ...(suggestion ? { suggestion } : {}) };
  throw new InputError([d]);
};

/** Check every path up front: exists, readable, of a known kind. */
export function resolveInputs(paths: readonly string[]): InputSpec[] {
  if (paths.filter((p) => p === '-').length > 1) fail('-', 'batch/stdin-twice', 'stdin ("-") can be read only once');
  return paths.map((path): InputSpec => {
    if (path === '-') return { path, kind: 'stdin' };
    let st;
    try {
      st = statSync(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return code === 'ENOENT' || code === 'ENOTDIR' ? fail(path, 'io/not-found', 'no such file or folder') : fail(path, 'io/read', `cannot read (${code ?? 'error'})`);
    }
    try {
      accessSync(path, constants.R_OK);
    } catch {
      fail(path, 'io/read', 'permission denied');
    }
    if (st.isDirectory()) return { path, kind: 'folder' };
    const kind = KIND_BY_EXT[extname(path).toLowerCase()];
    if (!kind)
      return fail(path, 'batch/format', 'unknown input format', 'use a folder, .json (a case or an array of cases), .jsonl / .ndjson, .csv / .tsv, .xlsx, .yaml / .yml, or - for stdin (JSON Lines, or CSV with --input-format csv)');
    return { path, kind };
  });
}

/** A file's bytes in large chunks; a read failure names the file. */
export async function* fileBytes(path: string, chunkSize = CHUNK): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: chunkSize })) yield chunk as Buffer;
  } catch (e) {
    if (e instanceof InputError) throw e;
    fail(path, 'io/read', `cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

async function yamlItem(text: string, file: string): Promise<InputItem> {
  const { parseYaml } = await import('../io/yaml.js');
  const parsed = parseYaml(text, file, 'case');
  if (parsed.diagnostics.length) return { source: { file }, diagnostics: parsed.diagnostics };
  return { source: { file }, data: parsed.value, text };
}

/** One case file inside a folder (or named alone): a JSON case or array, or a YAML case. */
async function* caseFile(path: string, kind: 'json' | 'yaml'): AsyncGenerator<InputItem> {
  let text: string;
  try {
    text = readInput(path);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    yield { source: { file: path }, diagnostics: e.diagnostics };
    return;
  }
  if (kind === 'yaml') yield await yamlItem(text, path);
  else yield* readJsonDocument([text], path);
}

/** Folders deeper than this below a folder input are reported, not read (a walk must end). */
export const MAX_FOLDER_DEPTH = 64;

/** A case file of a folder walk, or a folder it could not read (reported as an invalid input; the walk goes on). */
export type FolderEntry = { readonly file: string } | { readonly problem: Diagnostic };

/** The entries of one folder in code-unit order of their names, dot-entries skipped; or why it cannot be read. */
function sortedEntries(dir: string): Dirent[] | Diagnostic {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    return { file: dir, severity: 'error', code: 'io/read', message: `cannot read the folder (${(e as NodeJS.ErrnoException).code ?? 'error'}); its cases are not in this run` };
  }
  return entries.filter((e) => !e.name.startsWith('.')).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

interface Frame {
  readonly entries: readonly Dirent[];
  readonly dir: string;
  readonly depth: number;
  next: number;
}

/**
 * Case files below a folder, depth first in name order; symbolic links followed, each folder
 * (by device and inode) read once, folders deeper than MAX_FOLDER_DEPTH reported. A loop over
 * an explicit stack of open folders: the work per file does not grow with the depth (the
 * recursive generator it replaces was cubic in it).
 */
export function* folderFiles(root: string): Generator<FolderEntry> {
  const seen = new Set<string>();
  const frames: Frame[] = [];
  const problem = (dir: string, code: DiagnosticCode, message: string): FolderEntry => ({ problem: { file: dir, severity: 'error', code, message } });
  /** Open a folder: push its frame, or say why it cannot be read. */
  const open = (dir: string, depth: number): FolderEntry | undefined => {
    let id: string;
    try {
      const st = statSync(dir);
      id = `${st.dev}:${st.ino}`;
    } catch (e) {
      return problem(dir, 'io/read', `cannot read the folder (${(e as NodeJS.ErrnoException).code ?? 'error'}); its cases are not in this run`);
    }
    if (seen.has(id)) return undefined;
    seen.add(id);
    const entries = sortedEntries(dir);
    if (!Array.isArray(entries)) return { problem: entries };
    frames.push({ entries, dir, depth, next: 0 });
    return undefined;
  };
  const first = open(root, 0);
  if (first) yield first;
  while (frames.length) {
    const f = frames[frames.length - 1]!;
    if (f.next === f.entries.length) {
      frames.pop();
      continue;
    }
    const entry = f.entries[f.next++]!;
    const path = join(f.dir, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const st = statSync(path);
        isDir = st.isDirectory();
        isFile = st.isFile();
      } catch {
        continue; // a dangling link is not a case
      }
    }
    if (isDir) {
      const bad =
        f.depth + 1 > MAX_FOLDER_DEPTH
          ? problem(path, 'io/too-deep', `folders nested more than ${MAX_FOLDER_DEPTH} levels deep are not read; its cases are not in this run`)
          : open(path, f.depth + 1);
      if (bad) yield bad;
    } else if (isFile && FOLDER_EXTS.has(extname(entry.name).toLowerCase())) yield { file: path };
  }
}

async function* folderItems(dir: string): AsyncGenerator<InputItem> {
  for (const entry of folderFiles(dir)) {
    if ('problem' in entry) yield { source: { file: entry.problem.file! }, diagnostics: [entry.problem] };
    else yield* caseFile(entry.file, extname(entry.file).toLowerCase() === '.json' ? 'json' : 'yaml');
  }
}

/** Standard input as bytes. */
export async function* stdinBytes(): AsyncGenerator<Uint8Array> {
  for await (const chunk of process.stdin) yield chunk as Buffer;
}

/** Characters of stdin read before its first line is judged, at most. */
const FIRST_LINE_LIMIT = 1 << 16;

/**
 * A first line that is not JSON but reads as a CSV header: an Excel `sep=` line, or two or
 * more non-empty names split by the most frequent of , ; tab, none with a brace.
 */
export function looksLikeCsvHeader(line: string, detectDelimiter: (line: string) => string): boolean {
  const s = line.trim();
  if (s === '' || s.startsWith('{') || s.startsWith('[')) return false;
  try {
    JSON.parse(s);
    return false;
  } catch {
    /* not JSON: a header? */
  }
  if (/^sep=.$/i.test(s)) return true;
  const cells = s.split(detectDelimiter(s)).map((c) => c.trim().replace(/^"(.*)"$/, '$1').trim());
  return cells.length >= 2 && cells.every((c) => c !== '' && !/[{}]/.test(c));
}

/**
 * Stdin's text as JSON Lines; refused at once, with one diagnostic (batch/stdin-csv), when
 * its first non-blank line looks like a CSV header: CSV piped without `--input-format csv`
 * would otherwise be one error per row.
 */
async function* stdinJsonText(stdin: () => AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  let head = '';
  let judged = false;
  const judge = async (line: string | undefined): Promise<void> => {
    judged = true;
    if (line === undefined || line.startsWith('{')) return;
    const { detectDelimiter } = await import('./read-csv.js');
    if (!looksLikeCsvHeader(line, detectDelimiter)) return;
    const shown = line.length > 60 ? `${line.slice(0, 60)}…` : line;
    fail('-', 'batch/stdin-csv', `stdin is read as JSON Lines, and its first line looks like a CSV header: ${JSON.stringify(shown)}`, 'add --input-format csv to read CSV from stdin');
  };
  for await (const chunk of decodeChunks(stdin(), '-')) {
    if (judged) {
      yield chunk;
      continue;
    }
    head += chunk;
    const first = /^\s*(\S[^\r\n]*)[\r\n]/.exec(head);
    if (!first && head.length < FIRST_LINE_LIMIT) continue;
    await judge(first?.[1]);
    yield head;
    head = '';
  }
  if (!judged) {
    await judge(/^\s*(\S[^\r\n]*)/.exec(head)?.[1]);
    if (head) yield head;
  }
}

/** How tables are read (a column map, notes, the sheet of a workbook), what stdin holds, and a count of the bytes read (for progress). */
export interface ReadOptions extends TableOptions {
  readonly sheet?: string;
  /** What "-" holds: JSON Lines (default) or CSV. */
  readonly stdinFormat?: 'jsonl' | 'csv';
  readonly onBytes?: (bytes: number) => void;
}

/** Bytes passed on, counted. */
async function* counted(bytes: AsyncIterable<Uint8Array | string>, onBytes: ((n: number) => void) | undefined): AsyncGenerator<Uint8Array | string> {
  for await (const b of bytes) {
    onBytes?.(b.length);
    yield b;
  }
}

async function* csvItems(path: string, bytes: AsyncIterable<Uint8Array | string>, options: ReadOptions): AsyncGenerator<InputItem> {
  const { readCsv } = await import('./read-csv.js');
  yield* readCsv(decodeChunks(counted(bytes, options.onBytes), path), path, options);
}

async function* xlsxItems(path: string, options: ReadOptions): AsyncGenerator<InputItem> {
  const { readXlsx } = await import('./read-xlsx.js');
  yield* readXlsx(path, options);
  try {
    options.onBytes?.(statSync(path).size);
  } catch {
    /* the count is for the progress line only */
  }
}

/** The items of one input, in order. `stdin` supplies the bytes for "-". */
export function readInputItems(spec: InputSpec, stdin: () => AsyncIterable<Uint8Array | string> = stdinBytes, options: ReadOptions = {}): AsyncIterable<InputItem> {
  return untilUnreadable(rawItems(spec, stdin, options), spec.path, (item) => item);
}

/**
 * The items of an input, and, if its bytes turn out unreadable part-way (binary, not text, a
 * read error: io/… codes), one more item carrying that problem, after which
 * the input ends: the run goes on with the next input and its output stays whole, where the
 * error would have cut it off mid-stream.
 */
async function* untilUnreadable<T>(items: AsyncIterable<T>, file: string, wrap: (item: InputItem) => T): AsyncGenerator<T> {
  try {
    for await (const item of items) yield item;
  } catch (e) {
    // only the bytes' problems (io/…): a header or mapping that does not fit (batch/…) stops the run
    if (!(e instanceof InputError) || e.diagnostics.length === 0 || !e.diagnostics.every((d) => d.code.startsWith('io/'))) throw e;
    yield wrap({ source: { file: e.diagnostics[0]!.file ?? file }, diagnostics: e.diagnostics });
  }
}

function rawItems(spec: InputSpec, stdin: () => AsyncIterable<Uint8Array | string>, options: ReadOptions): AsyncIterable<InputItem> {
  const bytes = (path: string): AsyncIterable<Uint8Array | string> => counted(fileBytes(path), options.onBytes);
  switch (spec.kind) {
    case 'folder':
      return folderItems(spec.path);
    case 'stdin':
      if (options.stdinFormat === 'csv') return csvItems('-', stdin(), options);
      return readJsonLines(stdinJsonText(stdin), '-');
    case 'jsonl':
      return readJsonLines(decodeChunks(bytes(spec.path), spec.path), spec.path);
    case 'json':
      return readJsonDocument(decodeChunks(bytes(spec.path), spec.path), spec.path);
    case 'csv':
      return csvItems(spec.path, fileBytes(spec.path), options);
    case 'xlsx':
      return xlsxItems(spec.path, options);
    case 'yaml':
      return caseFile(spec.path, 'yaml');
  }
}

/** A reader's items one batch each. */
async function* oneByOne(items: AsyncIterable<InputItem>): AsyncGenerator<ItemBatch> {
  for await (const item of items) yield [item];
}

/**
 * The items of one input in batches, in order: batch's fast path. JSON Lines come a chunk's
 * lines at a time; the other kinds one item per batch, as `readInputItems` yields them.
 */
export function readInputBatches(spec: InputSpec, stdin: () => AsyncIterable<Uint8Array | string> = stdinBytes, options: ReadOptions = {}): AsyncIterable<ItemBatch> {
  switch (spec.kind) {
    case 'stdin':
      if (options.stdinFormat === 'csv') return oneByOne(readInputItems(spec, stdin, options));
      return untilUnreadable(readJsonLineBatches(stdinJsonText(stdin), '-'), '-', (item) => [item]);
    case 'jsonl':
      return untilUnreadable(readJsonLineBatches(decodeChunks(counted(fileBytes(spec.path, LINES_CHUNK), options.onBytes), spec.path), spec.path), spec.path, (item) => [item]);
    default:
      return oneByOne(readInputItems(spec, stdin, options));
  }
}

/** The lines of a JSON Lines input (a file or stdin) unparsed, a chunk at a time: for batch's worker threads. */
export function readInputTexts(spec: InputSpec, stdin: () => AsyncIterable<Uint8Array | string> = stdinBytes, options: ReadOptions = {}): AsyncIterable<Iterable<InputItem | LineText>> {
  return spec.kind === 'stdin'
    ? untilUnreadable(readJsonLineTexts(stdinJsonText(stdin), '-'), '-', (item) => [item])
    : untilUnreadable(readJsonLineTexts(decodeChunks(counted(fileBytes(spec.path, LINES_CHUNK), options.onBytes), spec.path), spec.path), spec.path, (item) => [item]);
}
