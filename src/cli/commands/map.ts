/**
 * rvlms map init EXPORT: read an export's table (CSV of any delimiter, a sheet of an .xlsx
 * workbook, or CSV on stdin), profile its columns, and write a starting column map — to
 * stdout, or to --out (never over an existing map: that is the coordinator's edited work).
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { InputError, formatDiagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { defaultRulesDir } from '../../rules/load.js';
import { decodeChunks } from '../../batch/decode.js';
import { fileBytes, resolveInputs, stdinBytes } from '../../batch/inputs.js';
import { readCsvTable, type TableEvent } from '../../batch/read-csv.js';
import { initMap, TableProfile } from '../../batch/map-init.js';
import { openFileOutput } from '../../batch/output.js';
import type { ExitCode, Io } from '../io.js';

export interface MapInitOptions {
  readonly export: string;
  readonly sheet?: string;
  readonly out?: string;
  readonly force?: boolean;
}

export interface MapIo extends Io {
  readonly stdin?: () => AsyncIterable<Uint8Array | string>;
}

/** The table events of the export. */
async function* exportTable(path: string, kind: string, o: MapInitOptions, io: MapIo, note: (d: Diagnostic) => void): AsyncGenerator<TableEvent> {
  if (kind === 'xlsx') {
    const { readWorkbookTable } = await import('../../batch/read-xlsx.js');
    yield* await readWorkbookTable(path, o.sheet, note);
    return;
  }
  const bytes = path === '-' ? (io.stdin ?? stdinBytes)() : fileBytes(path);
  yield* readCsvTable(decodeChunks(bytes, path), path);
}

/** Where the map's editor finds the JSON Schema: relative to the map's folder. */
function schemaReference(out: string | undefined, cwd: string): string {
  const schema = resolve(defaultRulesDir(), '..', 'schemas', 'map.schema.json');
  const from = out !== undefined ? dirname(resolve(cwd, out)) : cwd;
  return relative(from, schema).split(sep).join('/');
}

export async function runMapInit(o: MapInitOptions, io: MapIo): Promise<ExitCode> {
  const [spec] = resolveInputs([o.export]);
  const kind = spec!.kind === 'stdin' ? 'csv' : spec!.kind;
  if (kind !== 'csv' && kind !== 'xlsx')
    throw new InputError([{ file: o.export, severity: 'error', code: 'map/export', message: 'map init reads a table: .csv / .tsv, .xlsx, or CSV on stdin (-)' }]);
  if (o.out !== undefined && existsSync(o.out) && !o.force)
    throw new InputError([{ file: o.out, severity: 'error', code: 'map/exists', message: 'a map is already there; it may hold your answers', suggestion: 'choose another --out, or --force to replace it' }]);
  const note = (d: Diagnostic): void => io.err(`rvlms: ${formatDiagnostic(d)}\n`);
  let profile: TableProfile | undefined;
  let bad = 0;
  for await (const e of exportTable(o.export, kind, o, io, note)) {
    if (e.kind === 'header') profile = new TableProfile(e.cells);
    else if (e.kind === 'row') profile!.add(e.cells);
    else bad++;
  }
  if (!profile) throw new InputError([{ file: o.export, severity: 'error', code: 'batch/header', message: 'the export is empty: no header row' }]);
  const result = initMap(profile, o.export, schemaReference(o.out, io.cwd));
  if (o.out !== undefined) {
    const output = openFileOutput(join(o.out), { inputs: [o.export], force: o.force === true });
    try {
      await output.write(result.text);
      await output.finish();
    } catch (e) {
      output.abort();
      throw e;
    }
  } else io.out(result.text);
  io.err(
    `rvlms: ${profile.header.length} column(s), ${profile.rows} row(s)${bad ? ` (${bad} unreadable, not profiled)` : ''}: ${result.matched} matched, ${result.questions} question(s) left in the map${o.out !== undefined ? ` ${o.out}` : ''}\n`,
  );
  return 0;
}
