/** The renderers: file snapshots of each format, and the properties each format promises. */
import { describe, expect, it } from 'vitest';
import type { BatchSummary } from '../../src/batch/summary.js';
import type { CaseResult } from '../../src/batch/types.js';
import { BATCH_FORMATS, runBatch, type BatchFormat } from '../../src/cli/commands/batch.js';
import { createCsvRenderer } from '../../src/report/batch-csv.js';
import { createMarkdownRenderer } from '../../src/report/batch-markdown.js';
import { createTableRenderer, WIDTH } from '../../src/report/batch-table.js';
import { PLAIN } from '../../src/report/style.js';
import { tempDir } from '../support/cli.js';
import { recordingIo, shippedRules } from './helpers.js';

const EXT: Record<BatchFormat, string> = { table: 'txt', json: 'json', jsonl: 'jsonl', csv: 'csv', markdown: 'md', html: 'html' };

async function render(paths: string[], format: BatchFormat, color = false, rules?: string): Promise<string> {
  const r = recordingIo({ colorOut: color });
  await runBatch({ paths, format, failOnDiscordance: false, cases: format === 'table', ...(rules ? { rules } : {}) }, r.io);
  return r.out();
}

// Snapshots use a small rule set of their own (one decision per hit policy), so that editing
// the shipped clinical rules does not change them; the shipped rules are covered by the
// hand-computed summary of the example cohort.
const RULES = 'fixtures/batch-rules';

describe('snapshots', () => {
  it.each(BATCH_FORMATS)('the mixed folder as %s', async (format) => {
    await expect(await render(['fixtures/batch-mixed'], format, false, RULES)).toMatchFileSnapshot(`__snapshots__/batch-mixed.${EXT[format]}`);
  });

  it.each(['table', 'markdown'] as const)('the example cohort as %s', async (format) => {
    await expect(await render(['fixtures/cohort/'], format, false, RULES)).toMatchFileSnapshot(`__snapshots__/cohort.${EXT[format]}`);
  });
});

describe('json', () => {
  it('streams exactly the bytes of the pretty-printed result object', async () => {
    const empty = tempDir();
    try {
      for (const path of ['fixtures/cohort', 'fixtures/batch-mixed', empty.dir]) {
        const out = await render([path], 'json');
        expect(out).toBe(JSON.stringify(JSON.parse(out), null, 2) + '\n');
      }
    } finally {
      empty.cleanup();
    }
  });

  it('has the schema version, the rule set, the inputs, every case and the summary', async () => {
    const out = JSON.parse(await render(['fixtures/cohort'], 'json')) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['schemaVersion', 'ruleset', 'inputs', 'cases', 'summary']);
    expect(out['schemaVersion']).toBe(1);
    expect(out['inputs']).toEqual(['fixtures/cohort']);
    expect(Object.keys(out['ruleset'] as object)).toEqual(['name', 'version', 'digest']);
  });
});

describe('jsonl', () => {
  it('has one case per line, then one summary line', async () => {
    const lines = (await render(['fixtures/cohort'], 'jsonl')).trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; summary?: BatchSummary });
    expect(lines.map((l) => l.type)).toEqual([...Array<string>(26).fill('case'), 'summary']);
    expect(lines.at(-1)!.summary!.cases.total).toBe(26);
  });
});

describe('csv', () => {
  it('quotes what needs quoting and joins lists with ";"', async () => {
    const rs = await shippedRules();
    const r = createCsvRenderer(rs.model);
    const head = r.begin().trimEnd().split(',');
    expect(head.slice(0, 6)).toEqual(['n', 'id', 'file', 'line', 'row', 'status']);
    const row: CaseResult = {
      n: 1,
      id: 'x',
      source: { file: 'a, "b".csv', line: 2, row: 1 },
      status: 'invalid',
      diagnostics: [{ file: 'a.csv', severity: 'error', code: 'case/enum', path: 'ivc.lumen', line: 2, message: 'must be one of:\npatent' }],
    };
    const line = r.case(row);
    expect(line).toMatch(/^1,x,"a, ""b"".csv",2,1,invalid,/);
    expect(line).toContain(',case/enum,ivc.lumen,2,,"must be one of:\npatent",1\n');
    const cells = r.case({ n: 2, id: 'y', source: { file: 'f' }, status: 'ok', decisions: { renalVeins: ['keep', 'left_ligation_acceptable'] } });
    expect(cells).toContain(',keep;left_ligation_acceptable,');
  });
});

describe('markdown', () => {
  it('escapes table cells', async () => {
    const rs = await shippedRules();
    const r = createMarkdownRenderer(rs.model, { ruleset: { name: 'n', version: '1', digest: 'abc' }, inputs: ['x'] });
    r.begin();
    const line = r.case({ n: 1, id: 'a', source: { file: 'dir|name.json' }, status: 'invalid', diagnostics: [{ file: 'f', severity: 'error', code: 'case/json', message: 'a | b\nc' }] });
    expect(line).toContain('dir\\|name.json');
    expect(line).toContain('case/json: a \\| b c');
    expect(line.trimEnd().split('\n').at(-1)!.match(/(?<!\\)\|/g)).toHaveLength(9);
  });
});

describe('table', () => {
  it('uses colour only when asked, through the Style', async () => {
    expect(await render(['fixtures/cohort'], 'table', false)).not.toMatch(/\x1b\[/);
    expect(await render(['fixtures/cohort'], 'table', true)).toMatch(/\x1b\[/);
  });

  it('fits 100 columns: the summary, and the case list of --cases, one line per case in order', async () => {
    const rs = await shippedRules();
    const r = createTableRenderer(rs.model, { ruleset: { name: 'n', version: '1', digest: 'abc' }, inputs: ['x'] }, PLAIN, { cases: true });
    let out = r.begin();
    const n = 1357;
    for (let i = 1; i <= n; i++) {
      const id = i === 1105 ? 'a-much-longer-case-identifier-than-the-column-has' : `case-${i}`;
      out += r.case({ n: i, id, source: { file: 'f.jsonl', line: i }, status: 'undetermined', decisions: { ivcManagement: 'undetermined' }, candidates: { ivcManagement: ['ligation'] } });
    }
    out += r.case({ n: n + 1, id: null, source: { file: 'a-long-folder-name/with-a-long-file-name.json', line: 3 }, status: 'invalid', diagnostics: [{ file: 'f', severity: 'error', code: 'case/enum', path: 'ivc.lumen', message: 'x'.repeat(300) }] });
    const rows = out.split('\n').filter((l) => /^\s+\d+ /.test(l));
    expect(rows.map((l) => Number(/\d+/.exec(l)![0]))).toEqual(Array.from({ length: n + 1 }, (_, i) => i + 1));
    expect(rows[1104]).toContain(' a-much-longer-… ');
    const whole = out + (await render(['fixtures/cohort', 'fixtures/batch-mixed'], 'table'));
    for (const line of whole.split('\n')) expect([...line].length, line).toBeLessThanOrEqual(WIDTH);
  });

  it('shows only the summary unless asked for the case list', async () => {
    const r = recordingIo();
    await runBatch({ paths: ['fixtures/cohort'], format: 'table', failOnDiscordance: false }, r.io);
    expect(r.out()).not.toMatch(/syn-el-01/);
    expect(r.out()).toMatch(/^26 case\(s\); the case list: --cases/m);
  });
});
