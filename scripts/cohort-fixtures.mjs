// Writes fixtures/cohort.jsonl and fixtures/cohort.csv from the case files in fixtures/cohort/
// (the source of truth), in the order `rvlms batch fixtures/cohort/` reads them. Run after
// editing a cohort case: `node scripts/build.mjs && node scripts/cohort-fixtures.mjs`.
// The batch tests check that the three forms give the same results.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { INPUT_FIELDS, ACTUAL_FIELDS } = await import(join(root, 'dist/index.js'));
const SOURCE_FIELDS = ['source.citation', 'source.doi', 'source.patient', 'source.url', 'source.note'];

/** Case files in batch's folder order: names in code-point order, depth first. */
function files(dir) {
  const names = readdirSync(dir).filter((n) => !n.startsWith('.')).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return names.flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : n.endsWith('.json') ? [p] : [];
  });
}

const read = (obj, path) => path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);
const quote = (s) => (/[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s);
function cell(v) {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return v.length ? v.join(';') : '[]';
  return quote(String(v));
}

const cases = files(join(root, 'fixtures/cohort')).map((f) => JSON.parse(readFileSync(f, 'utf8')));
const columns = ['schemaVersion', 'id', ...[...INPUT_FIELDS, ...ACTUAL_FIELDS].map((f) => f.path), ...SOURCE_FIELDS];
writeFileSync(join(root, 'fixtures/cohort.jsonl'), cases.map((c) => JSON.stringify(c) + '\n').join(''));
writeFileSync(join(root, 'fixtures/cohort.csv'), [columns.join(','), ...cases.map((c) => columns.map((k) => cell(read(c, k))).join(','))].join('\n') + '\n');
console.log(`wrote ${cases.length} cases to fixtures/cohort.jsonl and fixtures/cohort.csv`);
