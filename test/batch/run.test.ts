/** runBatch in process: completeness, order, streaming, atomic output, exit codes, progress. */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Progress } from '../../src/batch/progress.js';
import type { BatchSummary } from '../../src/batch/summary.js';
import type { CaseResult } from '../../src/batch/types.js';
import { BATCH_FORMATS, runBatch, type BatchOptions } from '../../src/cli/commands/batch.js';
import { InputError } from '../../src/diagnostics/diagnostic.js';
import { tempDir } from '../support/cli.js';
import { fixture, recordingIo } from './helpers.js';

const opts = (paths: string[], over: Partial<BatchOptions> = {}): BatchOptions => ({ paths, format: 'jsonl', failOnDiscordance: false, ...over });

interface Line {
  readonly type: string;
  readonly summary?: BatchSummary;
}
const jsonLines = (text: string) => text.trim().split('\n').map((l) => JSON.parse(l) as Line & CaseResult);
const caseLines = (text: string) => jsonLines(text).filter((l) => l.type === 'case');

async function inputErrorOf(p: Promise<unknown>): Promise<string[]> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(InputError);
  return (e as InputError).diagnostics.map((d) => `${d.code} ${d.file}`);
}

const temps: { cleanup(): void }[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) t.cleanup();
});
const temp = () => {
  const t = tempDir();
  temps.push(t);
  return t;
};

describe('the mixed folder: good, malformed and invalid cases', () => {
  const MIXED = 'fixtures/batch-mixed';

  it('reports every case, and the counts add up', async () => {
    const r = recordingIo();
    expect(await runBatch(opts([MIXED]), r.io)).toBe(2); // invalid cases: exit 2 after the whole run
    const lines = jsonLines(r.out());
    const cases = lines.filter((l) => l.type === 'case');
    const summary = lines.at(-1)!.summary!;
    // 4 good (a-good.json, b-good.yaml, the first array element, nested/deeper/i-good.json)
    // + 7 invalid (enum in the array, malformed array element, truncated file, unknown key,
    //   contradiction, duplicate YAML key, empty file); notes.md, data.txt and .hidden/ are not read
    expect(summary.cases).toEqual({ total: 11, ok: 0, undetermined: 4, invalid: 7 });
    expect(summary.cases.ok + summary.cases.undetermined + summary.cases.invalid).toBe(cases.length);
    expect(cases.map((c) => [c.n, c.status, c.source.file.slice(MIXED.length + 1), c.source.line ?? null, c.diagnostics?.[0]?.code ?? null])).toEqual([
      [1, 'undetermined', 'a-good.json', null, null],
      [2, 'undetermined', 'b-good.yaml', null, null],
      [3, 'undetermined', 'c-array.json', 2, null],
      [4, 'invalid', 'c-array.json', 8, 'case/enum'],
      [5, 'invalid', 'c-array.json', 14, 'case/json'],
      [6, 'invalid', 'd-malformed.json', null, 'case/json'],
      [7, 'invalid', 'e-unknown-key.yaml', null, 'case/unknown-key'],
      [8, 'invalid', 'f-contradiction.json', null, 'case/contradiction'],
      [9, 'invalid', 'g-duplicate-key.yaml', null, 'case/duplicate-key'],
      [10, 'invalid', 'h-empty.json', 1, 'case/empty'],
      [11, 'undetermined', 'nested/deeper/i-good.json', null, null],
    ]);
    // the bad field is located in its file: line 11, column 22 of c-array.json
    expect(cases[3]!.diagnostics![0]).toMatchObject({ path: 'tumor.imagingType', line: 11, col: 22 });
    expect(cases[3]!.id).toBe('mixed-array-bad-enum');
    // stderr names each invalid case's file, line and code, then the count
    expect(r.err()).toContain(`${MIXED}/c-array.json:11:22 error case/enum`);
    expect(r.err()).toMatch(/7 of 11 input case\(s\) are invalid/);
  });

  it.each(BATCH_FORMATS)('lists all 11 cases in --format %s', async (format) => {
    const r = recordingIo();
    expect(await runBatch(opts([MIXED], { format, cases: format === 'table' }), r.io)).toBe(2);
    const out = r.out();
    if (format === 'json') expect((JSON.parse(out) as { cases: unknown[] }).cases).toHaveLength(11);
    else if (format === 'jsonl') expect(caseLines(out)).toHaveLength(11);
    else if (format === 'csv') expect(out.trim().split('\n').filter((l) => /^\d+,/.test(l))).toHaveLength(11);
    else if (format === 'table') for (const n of Array.from({ length: 11 }, (_, i) => i + 1)) expect(out).toMatch(new RegExp(`^\\s+${n} `, 'm'));
    else if (format === 'html') for (const n of Array.from({ length: 11 }, (_, i) => i + 1)) expect(out).toContain(`<tr><td class="n">${n}</td>`);
    else for (const n of Array.from({ length: 11 }, (_, i) => i + 1)) expect(out).toMatch(new RegExp(`[|│]\\s+${n} [|│]`));
  });
});

describe('streaming', () => {
  it('keeps input order and loses nothing, whatever each line holds', async () => {
    const t = temp();
    const lines: string[] = [];
    for (let i = 1; i <= 3000; i++) {
      if (i % 500 === 0) lines.push('{"id": "broken",');
      else if (i % 300 === 0) lines.push(JSON.stringify({ id: `bad-${i}`, ivc: { lumen: 'shut' } }));
      else if (i % 250 === 0) lines.push('');
      else lines.push(JSON.stringify({ id: `c-${i}`, ivc: { segments: i % 2 ? ['I'] : [] } }));
    }
    const file = t.write('many.jsonl', lines.join('\n') + '\n');
    const r = recordingIo();
    expect(await runBatch(opts([file]), r.io)).toBe(2);
    const cases = caseLines(r.out());
    const expected = lines.map((l, i) => ({ l, line: i + 1 })).filter((x) => x.l !== '');
    expect(cases.map((c) => c.source.line)).toEqual(expected.map((x) => x.line));
    expect(cases.map((c) => c.n)).toEqual(expected.map((_, i) => i + 1));
    expect(cases.filter((c) => c.status === 'invalid').map((c) => c.diagnostics![0]!.code)).toEqual(
      expected.filter((x) => !x.l.startsWith('{"id":"c-')).map((x) => (x.l.startsWith('{"id": "broken"') ? 'case/json' : 'case/enum')),
    );
    const enumError = cases.find((c) => c.id === 'bad-300')!;
    expect(enumError.diagnostics![0]).toMatchObject({ code: 'case/enum', path: 'ivc.lumen', line: 300, file });
    const summary = jsonLines(r.out()).at(-1)!.summary!;
    expect(summary.cases.total).toBe(expected.length);
  });

  it('writes each result as the input arrives, before the input ends', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    async function* stdin(): AsyncGenerator<string> {
      yield '{"id":"first"}\n{"id":"second"}\n';
      await gate;
      yield '{"id":"third"}\n';
    }
    const r = recordingIo({ stdin });
    const run = runBatch(opts(['-']), r.io);
    for (let i = 0; i < 200 && !r.out().includes('"second"'); i++) await new Promise((res) => setTimeout(res, 5));
    expect(caseLines(r.out()).map((c) => c.id)).toEqual(['first', 'second']);
    release();
    expect(await run).toBe(0);
    expect(caseLines(r.out()).map((c) => [c.id, c.source.file, c.source.line])).toEqual([
      ['first', '-', 1],
      ['second', '-', 2],
      ['third', '-', 3],
    ]);
  });

  it('reads several paths in the order given, numbering across them', async () => {
    const r = recordingIo();
    await runBatch(opts([fixture('cases/published/zhu2025-case.json'), fixture('cohort.jsonl')]), r.io);
    const cases = caseLines(r.out());
    expect(cases).toHaveLength(27);
    expect(cases[0]!.id).toBe('zhu2025-case');
    expect(cases[1]!.source).toEqual({ file: fixture('cohort.jsonl'), line: 1 });
    expect(cases.at(-1)!.n).toBe(27);
  });

  it('is deterministic: the same input gives the same bytes', async () => {
    for (const format of BATCH_FORMATS) {
      const a = recordingIo();
      const b = recordingIo();
      await runBatch(opts(['fixtures/cohort'], { format }), a.io);
      await runBatch(opts(['fixtures/cohort'], { format }), b.io);
      expect(a.out()).toBe(b.out());
    }
  });
});

describe('--out', () => {
  it('writes the whole output to the file and nothing to stdout', async () => {
    const t = temp();
    const target = join(t.dir, 'report.jsonl');
    const r = recordingIo();
    expect(await runBatch(opts(['fixtures/cohort'], { out: target }), r.io)).toBe(0);
    expect(r.out()).toBe('');
    expect(caseLines(readFileSync(target, 'utf8'))).toHaveLength(26);
    expect(readdirSync(t.dir)).toEqual(['report.jsonl']);
  });

  it('an input found binary part-way is one invalid input: the run goes on, the report is whole, nothing else is left', async () => {
    const t = temp();
    const target = t.write('report.md', 'the previous report\n');
    const binary = t.write('broken.jsonl', Buffer.from([0x7b, 0x00, 0x00, 0x7d]));
    // the first input is fine and its cases are processed; the second is binary: reported, not a cut-off run
    const code = await runBatch(opts(['fixtures/cohort', binary], { format: 'markdown', out: target }), recordingIo().io);
    expect(code).toBe(2);
    const report = readFileSync(target, 'utf8');
    expect(report).toMatch(/io\/binary/);
    expect(report).toMatch(/## Summary/);
    expect(readdirSync(t.dir).sort()).toEqual(['broken.jsonl', 'report.md']);
  });

  it('fails before any work when the file cannot be written', async () => {
    const t = temp();
    const r = recordingIo();
    expect(await inputErrorOf(runBatch(opts(['fixtures/cohort'], { out: join(t.dir, 'missing', 'x.csv') }), r.io))).toEqual([
      `io/write ${join(t.dir, 'missing', 'x.csv')}`,
    ]);
    expect(await inputErrorOf(runBatch(opts(['fixtures/cohort'], { out: t.dir }), r.io))).toEqual([`io/out-is-directory ${t.dir}`]);
    expect(r.out()).toBe('');
  });
});

describe('exit codes and bad paths', () => {
  it('exits 1 with --fail-on-discordance when a determined recommendation differs from what was done', async () => {
    const r = recordingIo();
    expect(await runBatch(opts(['fixtures/cohort'], { failOnDiscordance: true }), r.io)).toBe(1);
    expect(r.err()).toMatch(/^rvlms: 4 case\(s\) where/m);
    expect(await runBatch(opts(['fixtures/cohort/published'], { failOnDiscordance: true }), recordingIo().io)).toBe(0); // all undetermined
  });

  it('exits 0 without the flag, and writes nothing to stderr', async () => {
    const r = recordingIo();
    expect(await runBatch(opts(['fixtures/cohort']), r.io)).toBe(0);
    expect(r.err()).toBe('');
  });

  it.each<[string, string[], string[]]>([
    ['a missing path', ['fixtures/cohort', 'no/such/file.jsonl'], ['io/not-found no/such/file.jsonl']],
    ['an unknown file kind', ['package-lock.txt'], []],
    ['stdin twice', ['-', '-'], ['batch/stdin-twice -']],
  ])('refuses %s before reading anything (InputError naming it)', async (_name, paths, expected) => {
    const t = temp();
    const real = paths.map((p) => (p === 'package-lock.txt' ? t.write('cases.txt', '{}') : p));
    const r = recordingIo();
    const codes = await inputErrorOf(runBatch(opts(real), r.io));
    expect(codes).toEqual(expected.length ? expected : [`batch/format ${real[0]}`]);
    expect(r.out()).toBe('');
  });

});

describe('CSV on stdin without --input-format csv', () => {
  it('stops with one batch/stdin-csv naming stdin (exit 2), not an error per row', async () => {
    const csv = readFileSync(fixture('cohort.csv'), 'utf8');
    const r = recordingIo({
      stdin: async function* () {
        yield csv;
      },
    });
    expect(await inputErrorOf(runBatch(opts(['-']), r.io))).toEqual(['batch/stdin-csv -']);
    expect(r.err()).not.toMatch(/case\/unknown-key/);
  });
});

describe('inputs that hold no case', () => {
  /** `file severity code` of each batch/no-cases line on stderr. */
  const noCaseLines = (err: string): string[] => [...err.matchAll(/^rvlms: (.+) (error|warning) batch\/no-cases /gm)].map((m) => `${m[1]} ${m[2]}`);
  const stdinOf = (text: string) => ({
    stdin: async function* () {
      yield text;
    },
  });

  it.each<[string, string, string]>([
    ['an empty .jsonl', 'empty.jsonl', ''],
    ['a .jsonl of blank lines', 'blank.jsonl', '\n  \n\n'],
    ['an empty .csv', 'empty.csv', ''],
    ['a .csv with a header only', 'header.csv', 'id,ivc.lumen\n'],
    ['an empty .tsv', 'empty.tsv', ''],
    ['a .json holding an empty array', 'empty.json', '[]'],
    ['a folder without case files', 'folder', ''],
  ])('%s alone: exit 2, an error naming it, the empty report still written', async (_name, file, text) => {
    const t = temp();
    let path: string;
    if (file === 'folder') {
      t.write('readme.md', '# nothing here');
      path = t.dir;
    } else path = t.write(file, text);
    const r = recordingIo();
    expect(await runBatch(opts([path], { format: 'json' }), r.io)).toBe(2);
    expect(noCaseLines(r.err())).toEqual([`${path} error`]);
    expect((JSON.parse(r.out()) as { cases: unknown[] }).cases).toEqual([]);
  });

  it.each<[string, 'jsonl' | 'csv' | undefined, string]>([
    ['empty stdin', undefined, ''],
    ['CSV on stdin with a header only', 'csv', 'id,ivc.lumen\n'],
  ])('%s: exit 2, an error naming "-"', async (_name, inputFormat, text) => {
    const r = recordingIo(stdinOf(text));
    expect(await runBatch(opts(['-'], inputFormat ? { inputFormat } : {}), r.io)).toBe(2);
    expect(noCaseLines(r.err())).toEqual(['- error']);
  });

  it('beside inputs that hold cases: a warning naming each empty one, and the exit code of the cases', async () => {
    const t = temp();
    const csv = t.write('header.csv', 'id,ivc.lumen\r\n');
    const jsonl = t.write('empty.jsonl', '');
    const r = recordingIo();
    expect(await runBatch(opts([csv, fixture('cohort.jsonl'), jsonl]), r.io)).toBe(0);
    expect(noCaseLines(r.err())).toEqual([`${csv} warning`, `${jsonl} warning`]);
    expect(caseLines(r.out())).toHaveLength(26);
  });

  it('an input of invalid cases is not empty: exit 2 for the invalid cases, no batch/no-cases', async () => {
    const t = temp();
    const r = recordingIo();
    expect(await runBatch(opts([t.write('bad.jsonl', '{"id": "a", "ivc": {"lumen": "open"}}\n')]), r.io)).toBe(2);
    expect(noCaseLines(r.err())).toEqual([]);
  });
});

describe('progress line', () => {
  const clockAt = (times: number[]) => {
    let i = 0;
    return () => times[Math.min(i++, times.length - 1)]!;
  };

  it('never shows when stderr is not a terminal, however long the run', () => {
    const written: string[] = [];
    const p = new Progress({ enabled: false, write: (s) => written.push(s), now: clockAt([0, 10_000, 20_000]) });
    for (let n = 1; n <= 5000; n++) p.tick(n);
    p.done();
    expect(written).toEqual([]);
  });

  it('shows on a terminal only after 2 s, and is cleared at the end', () => {
    const written: string[] = [];
    // start 0; the clock is read every 512 cases: at 1 s (too early), then 2.5 s, then 2.6 s (too soon after)
    const p = new Progress({ enabled: true, write: (s) => written.push(s), now: clockAt([0, 1000, 2500, 2600]) });
    for (let n = 1; n <= 2048; n++) p.tick(n);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/1,024 cases/);
    p.done();
    expect(written.at(-1)).toBe('\r\x1b[2K');
  });

  it('shows the share and the time left when every input is a file of known size', async () => {
    const err: string[] = [];
    const jsonl = 'fixtures/cohort.jsonl';
    // the clock moves 5 s at each look, so the line shows at the first look
    let t = 0;
    const r = recordingIo({ stderrIsTTY: true, now: () => (t += 5000), err: (s: string) => void err.push(s) });
    // 20 × 26 cases: the clock is looked at once the count passes 512 (after the 20th file)
    expect(await runBatch(opts(Array.from({ length: 20 }, () => jsonl)), r.io)).toBe(0);
    expect(err.join('')).toMatch(/rvlms batch: \d+ % · 520 cases · [\d,]+\/s · \d+:\d\d left/);
  });

  it('stays silent in a short run even on a terminal', async () => {
    const r = recordingIo({ stderrIsTTY: true });
    expect(await runBatch(opts(['fixtures/cohort']), r.io)).toBe(0);
    expect(r.err()).toBe('');
  });
});

/** A rule set with one decision and no ivcManagement: batch still runs, without concordance. */
const NO_IVC_RULES = `metadata:
  name: no-ivc
  version: 0.0.1
  description: Test rule set without an ivcManagement decision.
decisions:
  cavaInvolved:
    title: IVC involved
    hitPolicy: priority
    values:
      involved: Involved
      free: Free
rules:
  - id: cava.free
    title: No segment involved
    decision: cavaInvolved
    priority: 2
    when: { fact: ivc.segments, operator: isEmpty }
    then: { value: free }
    rationale: No segment is involved.
    evidence: [ref]
  - id: cava.involved
    title: A segment is involved
    decision: cavaInvolved
    priority: 1
    when: { fact: ivc.segments, operator: isNotEmpty }
    then: { value: involved }
    rationale: Some segment is involved.
    evidence: [ref]
evidence:
  ref:
    authors: Test
    year: 2025
    journal: Test
`;

describe('rule sets', () => {
  it('runs with --rules; without an ivcManagement decision the summary has no concordance', async () => {
    const t = temp();
    mkdirSync(join(t.dir, 'rules'));
    t.write('rules/ruleset.yaml', NO_IVC_RULES);
    const r = recordingIo();
    expect(await runBatch(opts(['fixtures/cohort'], { rules: join(t.dir, 'rules'), format: 'json' }), r.io)).toBe(0);
    const out = JSON.parse(r.out()) as { ruleset: { name: string }; cases: CaseResult[]; summary: BatchSummary };
    expect(out.ruleset.name).toBe('no-ivc');
    expect(out.summary.concordance).toBeNull();
    expect(out.cases.every((c) => c.agreement === undefined)).toBe(true);
    // segments unknown: zhang2021-case2, zhu2025-case, syn-el-04, syn-pe-05 (4, undetermined);
    // segments []: syn-pe-01, syn-pe-02 (2, free); every other case names a segment (26 - 4 - 2 = 20)
    expect(out.summary.byRule).toEqual([
      { decision: 'cavaInvolved', determined: 22, undetermined: 4, rules: [{ rule: 'cava.free', cases: 2 }, { rule: 'cava.involved', cases: 20 }] },
    ]);
  });
});
