/**
 * Issue 13, hostile inputs and conditions (items 5, 7, 10–18 but 6 and CR-only JSON Lines):
 * one table, each row an input or condition → exit code, diagnostic codes, stdout empty or
 * whole. Rows run the built bin (in a scratch folder) unless they need the process itself.
 *
 * Permission rows (an unreadable folder): as root, a 0000 mode does not stop reads, so the
 * bin runs as user 65534 (nobody) when the tests run as root; as any other user the mode
 * itself does it. Only where neither is possible (root without setuid) is the row skipped.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtBin, plainEnv, runBin, tempDir, useBuiltBin, type Run } from '../support/cli.js';
import { ROOT } from '../support/paths.js';
import { expectOutcome, type Expected } from './harness.js';
import { MAX_SYNTAX_DIAGNOSTICS } from '../../src/io/bounds.js';

useBuiltBin();
const tmp = tempDir('rvlms-inputs-');
afterAll(() => tmp.cleanup());

const MINIMAL = readFileSync(join(ROOT, 'fixtures', 'rulesets', 'minimal', 'ruleset.yaml'), 'utf8');
const CASE = readFileSync(join(ROOT, 'fixtures', 'cases', 'examples', 'segment-ii-70pct.json'), 'utf8');
const IS_ROOT = process.getuid?.() === 0;
const NOBODY = 65534;

/** Run the bin as an unprivileged user (see the header): the folders it needs opened to that user. */
function runUnprivileged(argv: readonly string[], cwd: string): Run {
  if (!IS_ROOT) return runBin(argv, { cwd });
  for (let d = dirname(dirname(builtBin())); d !== dirname(d) && d.startsWith(dirname(tmp.dir)); d = dirname(d)) chmodSync(d, 0o755);
  chmodSync(tmp.dir, 0o755);
  const r = spawnSync(process.execPath, [builtBin(), ...argv], { cwd, env: plainEnv(), encoding: 'utf8', uid: NOBODY, gid: NOBODY, timeout: 30_000 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Whether this machine can run the unprivileged rows. */
const canDropPrivileges = (): boolean => !IS_ROOT || spawnSync(process.execPath, ['-e', '0'], { uid: NOBODY, gid: NOBODY }).status === 0;

interface Row {
  readonly item: string;
  readonly name: string;
  /** Make the row's files in its folder; the argv to run there. */
  readonly setup: (dir: string) => string[];
  readonly expect: Expected;
  readonly run?: (argv: string[], dir: string) => Run;
  /** More checks of the outcome. */
  readonly check?: (r: Run, dir: string) => void;
  readonly env?: Record<string, string>;
}

const w = (dir: string, name: string, data: string | Buffer): string => {
  mkdirSync(dirname(join(dir, name)), { recursive: true });
  writeFileSync(join(dir, name), data);
  return name;
};

const ROWS: Row[] = [
  {
    item: '5',
    name: 'plan: a list of 150,000 elements (no stack overflow)',
    setup: (d) => ['plan', w(d, 'big.json', JSON.stringify({ id: 'big', ivc: { segments: Array(150_000).fill('x') } })), '--format', 'json'],
    expect: { exit: 2, codes: ['case/too-long'], stdout: 'empty' },
    check: (r) => expect(r.stderr).toMatch(/^rvlms: big\.json:\d+:\d+ error case\/too-long .*\[ivc\.segments\]/),
  },
  {
    item: '5',
    name: 'batch: the same case, then a valid one: both reported, the JSON whole',
    setup: (d) => ['batch', w(d, 'big.jsonl', JSON.stringify({ id: 'big', ivc: { segments: Array(150_000).fill('x') } }) + '\n' + JSON.stringify(JSON.parse(CASE)) + '\n'), '--format', 'json'],
    expect: { exit: 2, codes: ['case/too-long'], stdout: 'any' },
    check: (r) => {
      const out = JSON.parse(r.stdout) as { cases: { status: string }[] };
      expect(out.cases.map((c) => c.status)).toEqual(['invalid', expect.not.stringMatching('invalid')]);
    },
  },
  {
    item: '1',
    name: 'batch: a valid input, then a CSV found binary part-way: reported, the JSON output still whole',
    setup: (d) => ['batch', join(ROOT, 'fixtures', 'cohort.jsonl'), w(d, 'nul.csv', 'id,source.note\na,\u0000\n'), '--format', 'json'],
    expect: { exit: 2, codes: ['io/binary'], stdout: 'any' },
    check: (r) => expect((JSON.parse(r.stdout) as { cases: { status: string }[] }).cases.at(-1)!.status).toBe('invalid'),
  },
  {
    item: '16',
    name: 'plan: a text file that is not YAML at all: the first syntax errors, then a count',
    setup: (d) => ['plan', w(d, 'notes.txt', Array.from({ length: 200 }, (_, i) => `${i % 3 ? '    ' : ''}Note ${i}: a: b: c`).join('\n'))],
    expect: { exit: 2, codes: ['case/yaml', 'case/too-many-errors'], stdout: 'empty' },
    check: (r) => {
      const lines = r.stderr.trim().split('\n');
      expect(lines.filter((l) => l.includes('case/yaml'))).toHaveLength(MAX_SYNTAX_DIAGNOSTICS);
      expect(lines.at(-1)).toMatch(/case\/too-many-errors \d+ more problems not shown/);
    },
  },
  {
    item: '16',
    name: 'batch: a case with 50,000 unknown keys: diagnostics capped',
    setup: (d) => ['batch', w(d, 'keys.jsonl', JSON.stringify(Object.fromEntries([['id', 'k'], ...Array.from({ length: 50_000 }, (_, i) => [`k${i}`, 1])])) + '\n'), '--format', 'json'],
    expect: { exit: 2, codes: ['case/unknown-key'], stdout: 'any' },
    check: (r) => {
      expect(r.stdout.length).toBeLessThan(100_000);
      expect(r.stdout).toContain('case/too-many-errors');
    },
  },
  {
    item: '16',
    name: 'batch: a folder 1,500 levels deep: the walk ends, the deep folder reported',
    setup: (d) => {
      w(d, 'deep/top.json', CASE);
      w(d, `deep/${'a/'.repeat(1500)}c.json`, CASE.replace(/"id": *"[^"]+"/, '"id": "deepest"'));
      return ['batch', 'deep', '--format', 'csv'];
    },
    expect: { exit: 2, codes: ['io/too-deep'], stdout: 'any' },
    check: (r) => expect(r.stdout).toMatch(/example-segment-ii-70pct/),
  },
  {
    item: '16',
    name: 'a rule set of 2,001 rules',
    setup: (d) => {
      const rule = (i: number) => `  - id: r${i}\n    title: r\n    decision: ivcManagement\n    priority: ${i}\n    when: { fact: ivc.segments, operator: isEmpty }\n    then: { value: no_caval_resection }\n    rationale: r.\n    evidence: [wjs2020]\n`;
      w(d, 'rules/ruleset.yaml', MINIMAL);
      w(d, 'rules/more.yaml', 'rules:\n' + Array.from({ length: 2001 }, (_, i) => rule(i)).join(''));
      return ['plan', w(d, 'case.json', CASE), '--rules', 'rules'];
    },
    expect: { exit: 2, codes: ['rules/too-many'], stdout: 'empty' },
  },
  {
    item: '10',
    name: 'test: a fixture whose case: leaves the project folder',
    setup: (d) => ['test', w(d, 'fx.yaml', `cases:\n  - name: probe\n    case: ${'../'.repeat(12)}etc/passwd\n    expect: { ivcManagement: { value: ligation } }\n  - name: abs\n    case: /etc/hostname\n    expect: { ivcManagement: { value: ligation } }\n`)],
    expect: { exit: 1, codes: ['golden/case-unreadable'], stdout: 'any' },
    check: (r) => {
      expect(r.stdout + r.stderr).toMatch(/outside the project folder/);
      expect(r.stdout + r.stderr).not.toMatch(/root:|unknown field/);
    },
  },
  {
    item: '11',
    name: 'plan: a duplicate key through an alias key',
    setup: (d) => ['plan', w(d, 'alias.yaml', 'id: a\nivc:\n  &k lumen: patent\n  *k : occluded\n')],
    expect: { exit: 2, codes: ['case/duplicate-key'], stdout: 'empty' },
  },
  {
    item: '11',
    name: 'validate: a rule file changing a parameter through an alias key',
    setup: (d) => ['validate', '--rules', w(d, 'r/ruleset.yaml', MINIMAL.replace('  graftThresholdPercent:\n    default: 75', '  &g graftThresholdPercent:\n    default: 75').replace('\ndecisions:', '  *g : { default: 50, description: d }\n\ndecisions:')).replace(/\/ruleset\.yaml$/, '')],
    expect: { exit: 1, codes: ['rules/duplicate-key'], stdout: 'any' },
  },
  {
    item: '13',
    name: 'plan with a rule folder holding only a comment',
    setup: (d) => ['plan', w(d, 'case.json', CASE), '--rules', w(d, 'empty/a.yaml', '# nothing yet\n---\n').replace(/\/a\.yaml$/, '')],
    expect: { exit: 2, codes: ['rules/empty'], stdout: 'empty' },
  },
  {
    item: '13',
    name: 'batch with a rule folder holding only an empty file',
    setup: (d) => ['batch', w(d, 'case.json', CASE), '--rules', w(d, 'empty/a.yaml', '').replace(/\/a\.yaml$/, '')],
    expect: { exit: 2, codes: ['rules/empty'], stdout: 'empty' },
  },
  {
    item: '13',
    name: 'validate with a rule folder holding only a comment',
    setup: (d) => ['validate', '--rules', w(d, 'empty/a.yaml', '# nothing\n').replace(/\/a\.yaml$/, '')],
    expect: { exit: 2, codes: ['rules/empty'], stdout: 'empty' },
  },
  {
    item: '14',
    name: 'plan: a valid U+FFFD character is text',
    setup: (d) => ['plan', w(d, 'fffd.json', JSON.stringify({ ...(JSON.parse(CASE) as object), source: { note: 'scanned: \uFFFD' } })), '--format', 'json'],
    expect: { exit: 0, stdout: 'any' },
  },
  {
    item: '14',
    name: 'plan: a NUL byte after the first 8 KiB',
    setup: (d) => ['plan', w(d, 'nul.json', Buffer.concat([Buffer.from(CASE.replace(/\}\s*$/, `, "source": { "note": "${'x'.repeat(9000)}\u0000" } }`))]))],
    expect: { exit: 2, codes: ['io/binary'], stdout: 'empty' },
  },
  {
    item: '14',
    name: 'plan: UTF-16 with an odd trailing byte',
    setup: (d) => ['plan', w(d, 'odd.json', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CASE, 'utf16le'), Buffer.from([0x41])]))],
    expect: { exit: 2, codes: ['io/encoding'], stdout: 'empty' },
  },
  {
    item: '15',
    name: 'plan with a FIFO named *.yaml in the rule folder: refused, no hang',
    setup: (d) => {
      w(d, 'rules/ruleset.yaml', MINIMAL);
      spawnSync('mkfifo', [join(d, 'rules', 'z.yaml')]);
      return ['plan', w(d, 'case.json', CASE), '--rules', 'rules'];
    },
    expect: { exit: 2, codes: ['io/not-regular'], stdout: 'empty' },
  },
  {
    item: '15',
    name: 'validate with the same FIFO',
    setup: (d) => {
      w(d, 'rules/ruleset.yaml', MINIMAL);
      spawnSync('mkfifo', [join(d, 'rules', 'z.yaml')]);
      return ['validate', '--rules', 'rules'];
    },
    expect: { exit: 2, codes: ['io/not-regular'], stdout: 'empty' },
  },
  {
    item: '18',
    name: 'test on a file that is not a fixture file',
    setup: () => ['test', join(ROOT, 'fixtures', 'cohort.jsonl')],
    expect: { exit: 2, codes: ['golden/yaml'], stdout: 'any' },
    // the YAML errors are capped (the coverage lines that follow grow with the rule set)
    check: (r) => expect((r.stdout + r.stderr).split('\n').filter((l) => l.includes('golden/yaml')).length).toBeLessThan(200),
  },
  {
    item: '17',
    name: 'diff against a git ref when git is missing',
    setup: () => ['diff', 'main'],
    run: (argv, d) => runBin(argv, { cwd: d, env: plainEnv({ PATH: '/nonexistent' }) }),
    expect: { exit: 2, codes: ['diff/no-git'], stdout: 'empty' },
  },
  {
    item: '17',
    name: 'diff against a ref whose rule file is over the size limit (ENOBUFS)',
    setup: (d) => {
      const g = (...a: string[]) => spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...a], { cwd: d });
      g('init', '-q', '.');
      w(d, 'rules/ruleset.yaml', MINIMAL + '# ' + 'x'.repeat(3 * 1024 * 1024) + '\n');
      g('add', 'rules');
      g('commit', '-qm', 'big');
      w(d, 'rules/ruleset.yaml', MINIMAL);
      return ['diff', 'HEAD'];
    },
    expect: { exit: 2, codes: ['io/too-large'], stdout: 'empty' },
    check: (r) => expect(r.stderr).toMatch(/HEAD:rules\/ruleset\.yaml/),
  },
  {
    item: '18',
    name: 'FORCE_COLOR=1 never colours a machine format',
    setup: () => ['batch', join(ROOT, 'fixtures', 'cohort.jsonl'), '--format', 'json'],
    env: { FORCE_COLOR: '1' },
    expect: { exit: 0, stdout: 'any' },
    check: (r) => expect(r.stdout).not.toMatch(/\u001b/),
  },
];

describe('hostile inputs and conditions → exit, codes, stdout', () => {
  it.each(ROWS)('item $item: $name', (row) => {
    const d = join(tmp.dir, `row-${ROWS.indexOf(row)}`);
    mkdirSync(d);
    const argv = row.setup(d);
    const r = row.run ? row.run(argv, d) : runBin(argv, { cwd: d, ...(row.env ? { env: plainEnv(row.env) } : {}) });
    expectOutcome(r, row.expect);
    row.check?.(r, d);
  });
});

describe('item 12: the rule-set digest does not depend on the locale', () => {
  it('aa.yaml and b.yaml (å sorts after z in Danish): one digest under C and da_DK', () => {
    const d = join(tmp.dir, 'locale');
    w(d, 'r/ruleset.yaml', MINIMAL);
    w(d, 'r/aa.yaml', '# a\n');
    w(d, 'r/b.yaml', '# b\n');
    const digest = (lang: string) => (JSON.parse(runBin(['validate', '--rules', 'r', '--format', 'json'], { cwd: d, env: plainEnv({ LANG: lang, LC_ALL: lang }) }).stdout) as { ruleset: { digest: string } }).ruleset.digest;
    expect(digest('da_DK.UTF-8')).toBe(digest('C'));
  });
});

describe('items 7 and 17: unreadable folders (as an unprivileged user; see the header)', () => {
  const able = canDropPrivileges();
  let d = '';
  beforeAll(() => {
    d = join(tmp.dir, 'perm');
    w(d, 'cases/a.json', CASE);
    w(d, 'cases/locked/b.json', CASE.replace(/"id": *"[^"]+"/, '"id": "locked"'));
    w(d, 'cases/z.json', CASE.replace(/"id": *"[^"]+"/, '"id": "last"'));
    w(d, 'rules/ruleset.yaml', MINIMAL);
    w(d, 'case.json', CASE);
    chmodSync(join(d, 'cases', 'locked'), 0);
    chmodSync(d, 0o755);
  });

  it.runIf(able)('item 7: batch over a folder with an unreadable subfolder: reported as invalid, the others evaluated', () => {
    const r = runUnprivileged(['batch', 'cases', '--format', 'csv'], d);
    expectOutcome(r, { exit: 2, codes: ['io/read'], stdout: 'any' });
    expect(r.stdout).toMatch(/cases\/locked/);
    expect(r.stdout).toMatch(/,last,/);
    expect(r.stdout.trim().split('\n')).toHaveLength(4); // header, a, locked, z
  });

  it.runIf(able)('item 17: plan with an unreadable --rules folder: io/read naming it, not an internal error', () => {
    chmodSync(join(d, 'rules'), 0);
    try {
      const r = runUnprivileged(['plan', 'case.json', '--rules', 'rules'], d);
      expectOutcome(r, { exit: 2, codes: ['io/read'], stdout: 'empty' });
      expect(r.stderr).toMatch(/^rvlms: rules error io\/read/);
    } finally {
      chmodSync(join(d, 'rules'), 0o755);
    }
  });
});

describe('item 15: a read that waits says so', () => {
  const hasScript = spawnSync('script', ['--version']).status === 0; // util-linux script(1) gives a terminal

  it.runIf(hasScript)('plan on a FIFO, stderr a terminal: "waiting for a writer", then the plan', () => {
    const fifo = join(tmp.dir, 'wait.json');
    spawnSync('mkfifo', [fifo]);
    const src = join(tmp.dir, 'src.json');
    copyFileSync(join(ROOT, 'fixtures', 'cases', 'examples', 'segment-ii-70pct.json'), src);
    const cmd = `(sleep 0.5; cat '${src}' > '${fifo}') & ${process.execPath} ${builtBin()} plan '${fifo}' --format json`;
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', timeout: 20_000, env: plainEnv() });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/is a FIFO: waiting for a writer/);
    expect(r.stdout).toMatch(/"decisions"/);
  });

  it.runIf(hasScript)('plan - with a terminal as stdin: says it reads from the terminal', () => {
    const r = spawnSync('script', ['-qec', `${process.execPath} ${builtBin()} plan -`, '/dev/null'], { input: '{"id": "tty"}\n\u0004', encoding: 'utf8', timeout: 20_000, env: plainEnv() });
    expect(r.stdout).toMatch(/reading the case from the terminal/);
  });
});

describe('item 18: SIGUSR1 does not open the inspector', () => {
  it('a plan waiting on stdin, sent SIGUSR1, goes on and ends normally', async () => {
    const child = spawn(process.execPath, [builtBin(), 'plan', '-', '--format', 'json'], { env: plainEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    // send the signal once the process catches it (/proc: SigCgt bit 10), however slow its start
    const catches = (): boolean => {
      try {
        const m = /SigCgt:\s*([0-9a-f]+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        return m !== null && (BigInt(`0x${m[1]}`) & (1n << 9n)) !== 0n;
      } catch {
        return false;
      }
    };
    for (let waited = 0; !catches() && waited < 10_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 400));
    child.kill('SIGUSR1');
    await new Promise((r) => setTimeout(r, 300));
    child.stdin.end(CASE);
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/Debugger listening/);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toHaveProperty('decisions');
  });
});
