/**
 * When a rule set (or another input) cannot be read, the CI reports still say why: test's
 * JUnit and diff's markdown describe the error (the error also goes to stderr, exit 2); and
 * the workflow posts no comment for a diff that failed or found nothing.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index.js';
import { renderDiffFailureMarkdown } from '../../src/report/diff-report.js';
import { fakeIo, STACK_LINE, tempDir } from '../support/cli.js';
import { ROOT } from '../support/paths.js';
import { rulesetDir } from './helpers.js';

async function cli(args: string[]) {
  const { io, out, err } = fakeIo();
  const code = await main(args, io);
  return { code, out: out(), err: err() };
}

/** The <error> elements of a JUnit document: type (the diagnostic code) and message. */
const junitErrors = (xml: string) => [...xml.matchAll(/<error message="([^"]*)" type="([^"]*)">/g)].map((m) => ({ type: m[2], message: m[1] }));

describe('rvlms test --format junit when nothing can be run', () => {
  it.each([
    ['bad-yaml', ['rules/yaml']],
    ['bad-schema', ['rules/enum', 'rules/required']],
  ])('a rule set that does not parse (%s): exit 2, JUnit naming each error, the errors on stderr', async (name, codes) => {
    const r = await cli(['test', '--rules', rulesetDir(name), '--format', 'junit']);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="rvlms test" tests="(\d+)" failures="0" errors="\1">/);
    expect(junitErrors(r.out).map((e) => e.type)).toEqual(codes);
    expect(r.out).toMatch(new RegExp(`file="[^"]*fixtures/rulesets/${name}/ruleset\\.yaml" line="\\d+"`));
    for (const code of codes) expect(r.err).toContain(code);
    expect(r.err).not.toMatch(STACK_LINE);
  });

  it('missing fixtures: exit 2, JUnit with io/not-found', async () => {
    const r = await cli(['test', 'no/such/fixtures.yaml', '--format', 'junit']);
    expect(r.code).toBe(2);
    expect(junitErrors(r.out).map((e) => e.type)).toEqual(['io/not-found']);
  });

  it('a fixture file that is not fixtures (YAML or schema error): exit 2, the JUnit names it', async () => {
    const tmp = tempDir();
    try {
      for (const [text, code] of [
        ['cases:\n  - name: x\n    input: { id: x }\n    expekt: {}\n', 'golden/unknown-key'],
        ['cases:\n  - name: x\n    input: { id: x }\n', 'golden/required'],
        ['cases: [\n', 'golden/yaml'],
      ] as const) {
        const f = tmp.write('f.yaml', text);
        const r = await cli(['test', f, '--format', 'junit']);
        expect(r.code, code).toBe(2);
        expect(junitErrors(r.out).map((e) => e.type)).toContain(code);
      }
      // a duplicate is a finding about the fixtures (exit 1), not unreadable input
      const dup = tmp.write('d.yaml', 'cases:\n  - name: x\n    input: { id: x }\n    expect: {}\n  - name: x\n    input: { id: y }\n    expect: {}\n');
      expect((await cli(['test', dup])).code).toBe(1);
    } finally {
      tmp.cleanup();
    }
  });

  it('other formats keep stdout empty (the error is on stderr)', async () => {
    for (const format of ['text', 'json']) {
      const r = await cli(['test', '--rules', rulesetDir('bad-yaml'), '--format', format]);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(/rules\/yaml/);
    }
  });
});

const UNREADABLE = [
  ['a YAML error in the head', [rulesetDir('minimal'), rulesetDir('bad-yaml')], 'rules/yaml'],
  ['a schema error in the base', [rulesetDir('bad-schema'), rulesetDir('minimal')], 'rules/enum'],
  ['an unknown git ref', ['no-such-ref-xyz', rulesetDir('minimal')], 'diff/bad-ref'],
  ['missing historical cases', [rulesetDir('minimal'), rulesetDir('minimal'), '--cases', 'no/such/cohort.jsonl'], 'io/not-found'],
] as const;

describe('rvlms diff --format json when a side cannot be read', () => {
  it.each(UNREADABLE)('%s: exit 2, a JSON document with the errors that a CI step can read', async (_what, args, code) => {
    const r = await cli(['diff', ...args, '--format', 'json']);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.out) as { diff: string; complete: boolean; changed: boolean; diagnostics: { code: string; severity: string }[] };
    expect(doc).toMatchObject({ diff: 'failed', complete: false, changed: false });
    expect(doc.diagnostics.map((d) => d.code)).toContain(code);
    expect(doc.diagnostics.every((d) => d.severity === 'error')).toBe(true);
    expect(r.err).toContain(code);
    expect(r.err).not.toMatch(STACK_LINE);
  });

  it('text keeps stdout empty (the error is on stderr)', async () => {
    const r = await cli(['diff', rulesetDir('minimal'), rulesetDir('bad-yaml')]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain('rules/yaml');
  });
});

describe('rvlms diff --format markdown when a side cannot be read', () => {
  it.each(UNREADABLE)('%s: exit 2, a comment that says the diff failed and why', async (_what, args, code) => {
    const r = await cli(['diff', ...args, '--format', 'markdown']);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/^## rvlms diff: failed\n/);
    expect(r.out).toContain(` error ${code} `);
    expect(r.err).toContain(code);
    expect(r.err).not.toMatch(STACK_LINE);
  });
});

describe('the failure comment', () => {
  it('fences the errors so that no message can close the fence', () => {
    const md = renderDiffFailureMarkdown([{ severity: 'error', code: 'rules/unknown-key', file: 'r.yaml', line: 3, col: 1, message: 'unknown key "```` x"' }]);
    const fences = md.split('\n').filter((l) => /^`{3,}$/.test(l));
    expect(fences).toEqual(['`````', '`````']);
    expect(md).toContain('r.yaml:3:1 error rules/unknown-key unknown key "```` x"');
  });
});

interface Workflow {
  on: { pull_request: { paths: string[] } };
  permissions: Record<string, string>;
  jobs: Record<string, { permissions?: Record<string, string>; steps: { uses?: string; run?: string; name?: string }[] }>;
}

describe('the rules workflow', () => {
  const text = readFileSync(join(ROOT, '.github', 'workflows', 'rules.yml'), 'utf8');
  const wf = parse(text) as Workflow;

  it('runs on changes to the rules, the code, the dependencies and the cohort; reads actions', () => {
    const paths = wf.on.pull_request.paths;
    for (const p of ['rules/**', 'src/**', 'fixtures/golden/**', 'fixtures/cohort.jsonl']) expect(paths).toContain(p);
    expect(paths.some((p) => p === 'package*.json' || p === 'package.json')).toBe(true);
    expect(paths.some((p) => p === 'package*.json' || p === 'package-lock.json')).toBe(true);
    expect(wf.permissions).toEqual({ contents: 'read', actions: 'read' });
    expect(wf.jobs.rules!.permissions).toMatchObject({ actions: 'read' });
  });

  it('pins every action to a full commit SHA', () => {
    const uses = Object.values(wf.jobs).flatMap((j) => j.steps.flatMap((s) => (s.uses ? [s.uses] : [])));
    expect(uses.length).toBeGreaterThanOrEqual(5);
    for (const u of uses) expect(u).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
  });

  it('marks the diff for a comment only when it ran completely and changed something', () => {
    const diffStep = wf.jobs.rules!.steps.find((s) => s.name === 'rvlms diff')!.run!;
    expect(diffStep).toMatch(/if \[ "\$status" = 0 \] && node -e '[^']+'; then touch rvlms-diff-comment; fi/);
    const gate = /node -e '([^']+)'/.exec(diffStep)![1]!;
    const tmp = tempDir();
    try {
      const decide = (result: object) => {
        tmp.write('rvlms-diff.json', JSON.stringify(result));
        return spawnSync(process.execPath, ['-e', gate], { cwd: tmp.dir }).status;
      };
      expect(decide({ complete: true, changed: true })).toBe(0);
      expect(decide({ complete: true, changed: false })).toBe(1);
      expect(decide({ complete: false, changed: true })).toBe(1);
    } finally {
      tmp.cleanup();
    }
    // the diff's SARIF is written even when the diff fails (it then holds the errors), and uploaded
    expect(diffStep).toMatch(/--format sarif > rvlms-diff\.sarif \|\| true/);
    expect(wf.jobs.rules!.steps.some((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@') && (s as { with?: { sarif_file?: string } }).with?.sarif_file === 'rvlms-diff.sarif')).toBe(true);
    const comment = wf.jobs.comment!.steps.find((s) => s.run?.includes('gh pr comment'))!.run!;
    expect(comment).toMatch(/\[ -f rvlms-diff-comment \] && \[ -s rvlms-diff\.md \] \|\| exit 0/);
    expect(wf.jobs.comment!.permissions).toEqual({ 'pull-requests': 'write' });
  });
});
