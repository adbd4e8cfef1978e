/**
 * rvlms diff: the graft threshold moved from 75 % to 50 % in a copy of the shipped rules.
 * The historical cases that move from patch to graft are exactly those a plain loop over
 * the same cases finds; the case space shows the change with a real example; git refs work.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index.js';
import type { Io } from '../../src/cli/io.js';
import { decide } from '../../src/engine/evaluate.js';
import { validateCase } from '../../src/case/schema.js';
import { compileRuleset } from '../../src/engine/compile.js';
import { buildRuleset } from '../../src/rules/build.js';
import { readRuleSources } from '../../src/rules/load.js';
import { HistoryDiff, type DiffResult } from '../../src/analysis/diff.js';
import { changeRows, MAX_ROWS, renderDiffMarkdown, renderDiffText } from '../../src/report/diff-report.js';
import { settledKey, stateKey } from '../../src/analysis/outcome.js';
import { PLAIN } from '../../src/report/style.js';
import { AGE_RULE, rulesetDir } from './helpers.js';
import { tempDir } from '../support/cli.js';
import { RULES_DIR } from '../support/rules.js';

/** An example case as the engine sees it after loading: validated, with derived anatomy filled in. */
function loaded(example: unknown): Record<string, unknown> {
  const v = validateCase(example, 'example');
  if (!v.ok) throw new Error(`the example case is not a valid case: ${JSON.stringify(v.diagnostics)}`);
  return v.value as unknown as Record<string, unknown>;
}

const tmp = tempDir('rvlms-diff-');
const rules50 = join(tmp.dir, 'rules50');
const casesFile = join(tmp.dir, 'history.jsonl');

function ioAt(cwd: string) {
  let out = '';
  let err = '';
  const io: Io = { out: (s) => void (out += s), err: (s) => void (err += s), colorOut: false, colorErr: false, stderrIsTTY: false, env: {}, cwd };
  return { io, out: () => out, err: () => err };
}

/** Deterministic historical cases spread over the circumference and the other IVC inputs. */
function history(n: number): Record<string, unknown>[] {
  let seed = 7;
  const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const segments = pick([['I'], ['II'], ['I', 'II'], ['III']]);
    const atrial = pick([false, false, true]);
    out.push({
      id: `h${i}`,
      tumor: { metastases: pick(['none', 'none', 'limited', undefined]), arterialInvolvement: pick([[], [], ['sma'], undefined]), adjacentOrgans: [] },
      ivc: {
        segments,
        // the tumour reaches the atrium only through segment III (a contradiction otherwise)
        rightAtrialExtension: atrial && segments.includes('III'),
        circumferencePercent: Math.floor(rnd() * 101),
        lumen: pick(['patent', 'partially_occluded', 'occluded', undefined]),
        collaterals: pick(['well_developed', 'limited', 'absent', undefined]),
      },
      renalVeins: { left: pick(['free', 'invaded']), right: 'free' },
    });
  }
  return out;
}

const base = () => compileRuleset(buildRuleset(readRuleSources(RULES_DIR, 'rules')).model!);
const head = () => compileRuleset(buildRuleset(readRuleSources(rules50, 'rules50')).model!);

beforeAll(() => {
  cpSync(RULES_DIR, rules50, { recursive: true });
  const file = join(rules50, 'ruleset.yaml');
  const text = readFileSync(file, 'utf8');
  const edited = text.replace(/(graftThresholdPercent:\n\s+default: )75/, '$150');
  expect(edited).not.toBe(text);
  writeFileSync(file, edited);
  writeFileSync(casesFile, history(3000).map((c) => JSON.stringify(c)).join('\n') + '\n');
});
afterAll(() => tmp.cleanup());

let shared: { code: number; result: DiffResult } | undefined;
/** One diff of the two rule sets with the historical cases, shared by the tests that read it. */
async function thresholdDiff() {
  shared ??= await diffJson([RULES_DIR, rules50, '--cases', casesFile]);
  return shared;
}

async function diffJson(args: string[], cwd = tmp.dir): Promise<{ code: number; result: DiffResult }> {
  const { io, out, err } = ioAt(cwd);
  const code = await main(['diff', ...args, '--format', 'json'], io);
  expect(err()).toBe('');
  return { code, result: JSON.parse(out()) as DiffResult };
}

describe('graftThresholdPercent 75 → 50', () => {
  it('historical cases: exactly the cases a plain loop finds move from patch to graft', async () => {
    const cases = history(3000);
    const [b, h] = [base(), head()];
    const ivc = b.decisionIndex.get('ivcManagement')!;
    // each case as batch and diff read it: validated, with the inputs that follow from others (case/derive.ts)
    const read = (c: Record<string, unknown>) => {
      const v = validateCase(c, 'history');
      if (!v.ok) throw new Error(`history case ${String(c.id)} is invalid`);
      return v.value;
    };
    const moved = cases.filter((c) => decide(read(c), b).values[ivc] === 'patch_cavoplasty' && decide(read(c), h).values[ivc] === 'interposition_graft').map((c) => c.id as string);
    expect(moved.length).toBeGreaterThan(50);

    const { code, result } = await thresholdDiff();
    expect(code).toBe(0);
    expect(result.parameters).toEqual([{ id: 'graftThresholdPercent', from: 75, to: 50 }]);
    expect(result.rules).toEqual({ added: [], removed: [], modified: [] });
    const d = result.decisions.find((x) => x.decision === 'ivcManagement')!;
    expect(d.status).toBe('changed');
    const group = d.history!.groups.find((g) => g.from === 'patch_cavoplasty' && g.to === 'interposition_graft')!;
    expect(group.count).toBe(moved.length);
    expect(group.cases).toEqual(moved.slice(0, 5));

    // every id, not only the first five
    const all = new HistoryDiff({ label: 'b', model: b.model, rs: b }, { label: 'h', model: h.model, rs: h }, Infinity);
    for (const c of cases) all.add(c.id as string, read(c));
    expect(all.decision('ivcManagement').groups.find((g) => g.from === 'patch_cavoplasty' && g.to === 'interposition_graft')!.cases).toEqual(moved);
    expect(result.history).toMatchObject({ cases: 3000, invalid: 0 });
  });

  it('case space: the same move, with an example case that really moves', async () => {
    const { result } = await thresholdDiff();
    const d = result.decisions.find((x) => x.decision === 'ivcManagement')!;
    expect(d.space!.complete).toBe(true);
    const g = d.space!.groups.find((x) => x.from === 'patch_cavoplasty' && x.to === 'interposition_graft')!;
    expect(g.example).toBeDefined();
    expect(g.region?.['ivc.circumferencePercent']).toBe('[50, 75)');
    const ivc = base().decisionIndex.get('ivcManagement')!;
    expect(decide(loaded(g.example), base()).values[ivc]).toBe('patch_cavoplasty');
    expect(decide(loaded(g.example), head()).values[ivc]).toBe('interposition_graft');
    const circ = (g.example as { ivc: { circumferencePercent: number } }).ivc.circumferencePercent;
    expect(circ).toBeGreaterThanOrEqual(50);
    expect(circ).toBeLessThan(75);
    // nothing upstream of the IVC decision changes
    expect(result.decisions.find((x) => x.decision === 'resectability')!.status).toBe('unchanged');
    // every group with an example is real on both rule sets
    const sides = [base(), head()];
    for (const dec of result.decisions)
      for (const grp of dec.space?.groups ?? []) {
        const [b, h] = sides.map((rs) => stateKey(rs.model.decisions.find((x) => x.id === dec.decision)!, decide(loaded(grp.example), rs).states[rs.decisionIndex.get(dec.decision)!]));
        expect(b, dec.decision).toBe(grp.from);
        expect(h, dec.decision).toBe(grp.to);
      }
    expect(result.complete).toBe(true);
  });

  it('--fail-on-change exits 1; the same rules exit 0 with no change', async () => {
    const { io } = ioAt(tmp.dir);
    expect(await main(['diff', RULES_DIR, rules50, '--fail-on-change'], io)).toBe(1);
    const same = await diffJson([RULES_DIR, RULES_DIR, '--fail-on-change']);
    expect(same.code).toBe(0);
    expect(same.result.changed).toBe(false);
  });

  it('markdown for a pull-request comment', async () => {
    const md = renderDiffMarkdown((await thresholdDiff()).result);
    expect(md).toMatch(/^## rvlms diff: \d+ decisions changed/);
    expect(md).toContain('### `ivcManagement`');
    expect(md).toMatch(/\| patch_cavoplasty → interposition_graft \| yes \| [\d,]+ \|/);
  });
});

/** The old → new pairs a text listing shows for one decision, in order. */
function textRows(text: string, decision: string): string[] {
  const block = text.split('\n\n').find((b) => b.startsWith(`${decision} — `))!;
  return [...block.matchAll(/^ {2}(\S.*?) +\((?:case space|[\d,]+ historical)/gm)].map((m) => m[1]!);
}
/** The old → new pairs of one decision's markdown table, in order. */
function markdownRows(text: string, decision: string): string[] {
  const section = text.split('### ').find((b) => b.startsWith(`\`${decision}\``))!;
  return [...section.matchAll(/^\| (.+?) \| (?:yes|–) \|/gm)].map((m) => m[1]!.replace(/\\\|/g, '|'));
}
const settledPair = (pair: string) => pair.split(' → ').every(settledKey);

describe('the listing of text and markdown', () => {
  it('is in the order of --format json (settled changes first); a cut leaves out the last, and the counts agree', async () => {
    const { result } = await diffJson([RULES_DIR, rules50]);
    const text = renderDiffText(result, PLAIN, Infinity); // one line per change, to read them back
    const md = renderDiffMarkdown(result);
    let cut = 0;
    for (const d of result.decisions.filter((x) => x.status === 'changed')) {
      const json = d.space!.groups.map((g) => `${g.from} → ${g.to}`);
      const shown = json.slice(0, MAX_ROWS);
      expect(textRows(text, d.decision), d.decision).toEqual(shown);
      expect(markdownRows(md, d.decision), d.decision).toEqual(shown.map((p) => p.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')));
      // every settled change found is shown: only undetermined ones are left out
      for (const p of json.filter(settledPair)) expect(shown, d.decision).toContain(p);
      // settled first
      const firstUnsettled = shown.findIndex((p) => !settledPair(p));
      if (firstUnsettled >= 0) expect(shown.slice(firstUnsettled).filter(settledPair), d.decision).toEqual([]);
      // the header's count is the number shown plus the number the cut notice gives
      const block = text.split('\n\n').find((b) => b.startsWith(`${d.decision} — `))!;
      const header = Number(/case space: (\d+) way/.exec(block)![1]);
      const hidden = Number(/… (\d+) more not shown/.exec(block)?.[1] ?? 0);
      expect(header, d.decision).toBe(json.length);
      expect(shown.length + hidden, d.decision).toBe(header);
      cut += hidden;
    }
    // the rules of this edit do cut a listing (renalVeins, intraoperative): the order matters here
    expect(cut).toBeGreaterThan(0);
    expect(result.decisions.find((x) => x.decision === 'renalVeins')!.space!.groups.filter((g) => settledPair(`${g.from} → ${g.to}`)).length).toBeGreaterThan(0);
  });
});

describe('the text at a terminal width', () => {
  it('wraps the summary and every change to the width; diagnostics and example cases stay one line', async () => {
    const { result } = await diffJson([RULES_DIR, rules50]);
    const lines = renderDiffText(result, PLAIN, 80).split('\n');
    const free = lines.filter((l) => !/^ {6}(example|region|cases): /.test(l) && !/^\S+:\d+:\d+ (warning|error) /.test(l));
    expect(free.filter((l) => l.length > 80)).toEqual([]);
    expect(lines.some((l) => l.startsWith('      example: {') && l.length > 80)).toBe(true);
  });
});

describe('the order of changes', () => {
  it('settled before undetermined also with historical cases; within each, most cases first', () => {
    const rows = changeRows({
      decision: 'renalVeins',
      title: 'Renal veins',
      status: 'changed',
      space: { complete: true, truncated: false, groups: [{ from: '[keep]', to: '[reimplant_into_graft]', example: {} }] },
      history: {
        total: 100,
        changed: 60,
        groups: [
          { from: '[] + possibly [keep]', to: '[] + possibly [reimplant_into_graft]', count: 40, cases: [] },
          { from: '[keep]', to: '[reimplant_into_graft]', count: 5, cases: [] },
          { from: '[left_reimplantation]', to: '[left_reimplantation, solitary_reimplant_into_graft]', count: 15, cases: [] },
        ],
      },
    });
    expect(rows.map((r) => [r.from, r.count])).toEqual([
      ['[left_reimplantation]', 15],
      ['[keep]', 5],
      ['[] + possibly [keep]', 40],
    ]);
  });
});

describe('git refs', () => {
  it('rvlms diff main compares the working tree rules with main\'s', async () => {
    const repo = join(tmp.dir, 'repo');
    cpSync(RULES_DIR, join(repo, 'rules'), { recursive: true });
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', '-c', 'init.defaultBranch=main', ...args], { cwd: repo, stdio: 'pipe' });
    git('init', '-q');
    git('add', 'rules');
    git('commit', '-q', '-m', 'rules');
    cpSync(join(rules50, 'ruleset.yaml'), join(repo, 'rules', 'ruleset.yaml'));
    const { code, result } = await diffJson(['main'], repo);
    expect(code).toBe(0);
    expect(result.base.label).toBe('main:rules');
    expect(result.head.label).toBe('rules (working tree)');
    expect(result.parameters).toEqual([{ id: 'graftThresholdPercent', from: 75, to: 50 }]);
    expect(result.decisions.find((d) => d.decision === 'ivcManagement')!.status).toBe('changed');
  });

  it('an unknown ref is an input error (exit 2), no stack trace', async () => {
    const { io, err } = ioAt(tmp.dir);
    expect(await main(['diff', 'no-such-ref-xyz'], io)).toBe(2);
    expect(err()).toMatch(/diff\/bad-ref/);
    expect(err()).not.toMatch(/^ {4}at /m);
  });
});

describe('a changed rule set that keeps its version', () => {
  const minimal = readFileSync(join(rulesetDir('minimal'), 'ruleset.yaml'), 'utf8');
  /** A copy of the minimal rule set, edited. */
  const edited = (name: string, edit: (t: string) => string) => {
    const dir = join(tmp.dir, name);
    mkdirSync(dir, { recursive: true });
    const text = edit(minimal);
    expect(text).not.toBe(minimal);
    writeFileSync(join(dir, 'ruleset.yaml'), text);
    return dir;
  };
  const run = async (args: string[]) => {
    const { io, out } = ioAt(tmp.dir);
    return { code: await main(['diff', rulesetDir('minimal'), ...args], io), out: out() };
  };

  it('is a diff/version-not-bumped warning at metadata.version in every format; the exit code stays 0, also with --fail-on-change', async () => {
    // a comment only: the content (the digest) changes, no decision does
    const dir = edited('comment-only', (t) => t.replace('metadata:', '# reviewed\nmetadata:'));
    const line = readFileSync(join(dir, 'ruleset.yaml'), 'utf8').split('\n').findIndex((l) => /^ {2}version: /.test(l)) + 1;
    const json = await run([dir, '--format', 'json', '--fail-on-change']);
    expect(json.code).toBe(0);
    const r = JSON.parse(json.out) as DiffResult;
    expect(r.changed).toBe(false);
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.line, d.path])).toEqual([['diff/version-not-bumped', 'warning', line, 'metadata.version']]);
    for (const format of ['text', 'markdown']) {
      const x = await run([dir, '--format', format, '--fail-on-change']);
      expect(x.code, format).toBe(0);
      expect(x.out, format).toContain(`ruleset.yaml:${line}:`);
      expect(x.out, format).toContain(' warning diff/version-not-bumped ');
    }
    const sarif = await run([dir, '--format', 'sarif', '--fail-on-change']);
    expect(sarif.code).toBe(0);
    const results = (JSON.parse(sarif.out) as { runs: { results: { ruleId: string; level: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[] }).runs[0]!.results;
    expect(results.map((x) => [x.ruleId, x.level, x.locations[0]!.physicalLocation.region.startLine])).toEqual([['diff/version-not-bumped', 'warning', line]]);
    // a decision change with the version unchanged: the warning, and --fail-on-change exits 1 for the change alone
    const moved = edited('threshold-same-version', (t) => t.replace('default: 75', 'default: 50'));
    const both = await run([moved, '--format', 'json', '--fail-on-change']);
    expect(both.code).toBe(1);
    expect((JSON.parse(both.out) as DiffResult).diagnostics.map((d) => d.code)).toEqual(['diff/version-not-bumped']);
  });

  it('no warning when the version is new, the name is another, or nothing changed', async () => {
    const bumped = edited('bumped', (t) => t.replace('default: 75', 'default: 50').replace('version: 0.0.1', 'version: 0.0.2'));
    const renamed = edited('renamed', (t) => t.replace('default: 75', 'default: 50').replace('name: minimal', 'name: minimal-centre'));
    for (const head of [bumped, renamed, rulesetDir('minimal')]) {
      const { out } = await run([head, '--format', 'json']);
      expect((JSON.parse(out) as DiffResult).diagnostics, head).toEqual([]);
    }
  });
});

/** Rule text added to a copy of the shipped rules, in a file of its own. */
function withExtra(name: string, text: string): string {
  const dir = join(tmp.dir, name);
  cpSync(RULES_DIR, dir, { recursive: true });
  writeFileSync(join(dir, 'zz-extra.yaml'), text);
  return dir;
}

// each compares the shipped rules with an edited copy over the whole case space and lists every change
describe('downstream changes over the case space alone', { timeout: 240_000 }, () => {
  it('a patch for long partial resections moves access from laparoscopy to open surgery', async () => {
    const dir = withExtra(
      'patch-long',
      `rules:
  - id: ivc.patch-long-resection
    title: Long partial resection closed with a patch
    decision: ivcManagement
    priority: 450
    when:
      all:
        - { fact: ivc.lumen, operator: notEqual, value: occluded }
        - { fact: ivc.circumferencePercent, operator: lessThan, value: { param: primaryRepairThresholdPercent } }
        - { fact: ivc.lengthMm, operator: greaterThanInclusive, value: 50 }
    then: { value: patch_cavoplasty }
    rationale: A long suture line narrows the cava; a patch avoids it.
    evidence: [vladov2012]
`,
    );
    const { code, result } = await diffJson([RULES_DIR, dir]);
    expect(code).toBe(0);
    expect(result.complete).toBe(true);
    expect(result.rules.added).toEqual(['ivc.patch-long-resection']);
    const ivc = result.decisions.find((x) => x.decision === 'ivcManagement')!;
    expect(ivc.space!.groups.map((g) => `${g.from} → ${g.to}`)).toContain('primary_repair → patch_cavoplasty');
    const access = result.decisions.find((x) => x.decision === 'access')!;
    expect(access.status).toBe('changed');
    const lap = access.space!.groups.filter((g) => g.from === 'laparoscopic_feasible');
    expect(lap.length).toBeGreaterThan(0);
    const [b, h] = [base(), compileRuleset(buildRuleset(readRuleSources(dir, 'x')).model!)];
    const access0 = b.model.decisions.find((x) => x.id === 'access')!;
    for (const g of lap) {
      const i = b.decisionIndex.get('access')!;
      expect(decide(loaded(g.example), b).values[i]).toBe('laparoscopic_feasible');
      expect(stateKey(access0, decide(loaded(g.example), h).states[i])).toBe(g.to);
      if (!/undetermined/.test(g.to)) expect((g.example as { ivc: { lengthMm: number } }).ivc.lengthMm).toBeGreaterThanOrEqual(50);
    }
    expect(lap.some((g) => g.to === 'open_laparotomy')).toBe(true);
  });

  it('a complexity factor on age ≥ 65: the change is found (--fail-on-change exits 1)', async () => {
    const dir = withExtra('age', AGE_RULE);
    const { code, result } = await diffJson([RULES_DIR, dir, '--fail-on-change']);
    expect(code).toBe(1);
    const cx = result.decisions.find((x) => x.decision === 'complexity')!;
    expect(cx.status).toBe('changed');
    expect(cx.space!.groups.length).toBeGreaterThan(0);
    const settled = cx.space!.groups.filter((g) => !/undetermined/.test(g.from + g.to));
    expect(settled.length).toBeGreaterThan(0);
    for (const g of settled) expect((g.example as { patient: { age: number } }).patient.age).toBeGreaterThanOrEqual(65);
  });

  it('a comparison that cannot be completed is never "no change": exit 1, named', async () => {
    const { io, out } = ioAt(tmp.dir);
    expect(await main(['diff', RULES_DIR, rules50, '--solver-steps', '1', '--format', 'json'], io)).toBe(1);
    const r = JSON.parse(out()) as DiffResult;
    expect(r.complete).toBe(false);
    expect(r.incomplete.map((x) => x.decision)).toContain('ivcManagement');
    // changes the engine confirmed on random points are listed; the listing is not claimed to be all of them
    const ivc = r.decisions.find((d) => d.decision === 'ivcManagement')!;
    expect(ivc.status).toBe('changed');
    expect(ivc.space).toMatchObject({ complete: false });
    for (const g of ivc.space!.groups) expect(g.from).not.toBe(g.to);
    // a decision with no change found and an unanswered question is "not-compared", never "unchanged"
    expect(r.decisions.find((d) => d.decision === 'access')!.status).toBe('not-compared');
    for (const x of r.incomplete) expect(r.decisions.find((d) => d.decision === x.decision)!.status).not.toBe('unchanged');
    // resectability reads nothing that changed: its outcome is the same term on both sides, no question needed
    expect(r.decisions.find((d) => d.decision === 'resectability')!.status).toBe('unchanged');
    const text = ioAt(tmp.dir);
    expect(await main(['diff', RULES_DIR, rules50, '--solver-steps', '1'], text.io)).toBe(1);
    expect(text.out()).not.toMatch(/no change\n/);
    expect(text.out()).toMatch(/INCOMPLETE/);
    const allowed = ioAt(tmp.dir);
    expect(await main(['diff', RULES_DIR, rules50, '--solver-steps', '1', '--allow-incomplete'], allowed.io)).toBe(0);
  });
});
