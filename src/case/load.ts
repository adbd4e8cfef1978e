/**
 * Case text → validated case. JSON takes a fast path (JSON.parse); YAML, and the positions
 * of any error, use the yaml parser, loaded only when needed.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { validateCase, type CaseInput } from './schema.js';
import { findDuplicateKey } from './json-duplicates.js';
import { capDiagnostics } from '../io/bounds.js';

export type CaseLoad = { ok: true; value: CaseInput } | { ok: false; diagnostics: Diagnostic[] };

export type CaseFormat = 'json' | 'yaml';

export function guessFormat(file: string, text: string): CaseFormat {
  if (/\.ya?ml$/i.test(file)) return 'yaml';
  if (/\.json$/i.test(file)) return 'json';
  const first = text.trimStart()[0];
  return first === '{' || first === '[' ? 'json' : 'yaml';
}

/** Split "ivc.segments[1]" into ["ivc", "segments", 1]. */
export function splitPath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of path.split(/\.|(?=\[)/)) {
    const m = /^\[(\d+)\]$/.exec(part);
    if (m) out.push(Number(m[1]));
    else if (part) out.push(part);
  }
  return out;
}

async function yamlModule() {
  return import('../io/yaml.js');
}

/** Attach line:col to diagnostics that name a field, using a YAML parse of the same text. */
export async function withPositions(text: string, diagnostics: Diagnostic[]): Promise<Diagnostic[]> {
  const { parseYaml, locate } = await yamlModule();
  const parsed = parseYaml(text, diagnostics[0]?.file ?? '', 'case');
  if (parsed.diagnostics.length) return diagnostics;
  const placed = diagnostics.map((d) => {
    if (d.line !== undefined || !d.path) return d;
    const first = d.path.split(', ')[0]!;
    const path = splitPath(first);
    const key = d.code === 'case/unknown-key' ? String(path.pop()) : undefined;
    return { ...d, ...locate(parsed, path, key) };
  });
  // in the order of the file; a diagnostic without a position (the count of problems not shown) stays last
  const at = (d: Diagnostic): number => (d.line === undefined ? Infinity : d.line * 1e6 + (d.col ?? 0));
  return placed.sort((a, b) => at(a) - at(b));
}

export async function parseCaseText(text: string, file: string, format: CaseFormat = guessFormat(file, text)): Promise<CaseLoad> {
  let data: unknown;
  if (text.trim() === '') return { ok: false, diagnostics: [{ file, line: 1, col: 1, severity: 'error', code: 'case/empty', message: 'the input is empty' }] };
  if (format === 'json') {
    try {
      data = JSON.parse(text);
    } catch (e) {
      return { ok: false, diagnostics: [await jsonError(text, file, e)] };
    }
    const dup = findDuplicateKey(text);
    if (dup) {
      const before = text.slice(0, dup.offset).split('\n');
      const path = [...dup.path, dup.key].map(String).join('.');
      return {
        ok: false,
        diagnostics: [
          { file, line: before.length, col: before[before.length - 1]!.length + 1, path, severity: 'error', code: 'case/duplicate-key', message: `key "${dup.key}" appears twice; JSON would keep only the last value` },
        ],
      };
    }
  } else {
    const { parseYaml } = await yamlModule();
    const parsed = parseYaml(text, file, 'case');
    if (parsed.diagnostics.length) return { ok: false, diagnostics: capDiagnostics(parsed.diagnostics, file, 'case') };
    data = parsed.value;
  }
  const r = validateCase(data, file);
  if (r.ok) return r;
  return { ok: false, diagnostics: await withPositions(text, capDiagnostics(r.diagnostics, file, 'case')) };
}

async function jsonError(text: string, file: string, e: unknown): Promise<Diagnostic> {
  const msg = e instanceof Error ? e.message : String(e);
  const m = /position (\d+)/.exec(msg);
  let line = 1;
  let col = 1;
  if (m) {
    const offset = Number(m[1]);
    const before = text.slice(0, offset).split('\n');
    line = before.length;
    col = before[before.length - 1]!.length + 1;
  } else {
    const { parseYaml } = await yamlModule();
    const p = parseYaml(text, file, 'case');
    const first = p.diagnostics[0];
    if (first?.line) ({ line, col } = { line: first.line, col: first.col ?? 1 });
  }
  return { file, line, col, severity: 'error', code: 'case/json', message: `malformed JSON: ${msg.replace(/^JSON\.parse: /, '').replace(/ \(line \d+ column \d+\)$/, '')}` }; // the same text on every Node version
}
