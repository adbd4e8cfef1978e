/** rvlms test --update, --run and the structured expected / actual of failures. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CaseResolver } from '../../src/analysis/golden.js';
import { runTests, updateTests } from '../../src/analysis/testing.js';
import { main } from '../../src/cli/index.js';
import { fakeIo, tempDir } from '../support/cli.js';
import { shippedModel, shippedRuleset } from '../support/rules.js';

const noFiles: CaseResolver = () => {
  throw new Error('no case files in this test');
};
const CASE = (id: string, circ?: number) =>
  `{ id: ${id}, tumor: { arterialInvolvement: [], adjacentOrgans: [], metastases: none }, ivc: { segments: [I], rightAtrialExtension: false, ${circ === undefined ? '' : `circumferencePercent: ${circ}, `}lumen: patent, collaterals: limited }, renalVeins: { left: free, right: free } }`;

const update = (text: string, file = 'f.yaml', pattern?: RegExp) =>
  updateTests([{ file, text }], shippedModel(), shippedRuleset(), noFiles, { explain: 'off', ...(pattern ? { only: (n: string) => pattern.test(n), pattern: pattern.source } : {}) });

describe('structured failures', () => {
  it('golden/mismatch carries decision, field, expected and actual', () => {
    const r = runTests(
      [{ file: 'f.yaml', text: `cases:\n  - name: x\n    input: ${CASE('a', 20)}\n    expect: { ivcManagement: { value: ligation, rule: ivc.ligation, candidates: [ligation] } }\n    borderline: [ivc.lengthMm]\n` }],
      shippedModel(),
      shippedRuleset(),
      noFiles,
      { explain: 'off' },
    );
    const fs = r.cases[0]!.failures.map((f) => ({ ...f }) as Record<string, unknown>);
    expect(fs.map((f) => [f.code, f.decision, f.field, f.expected, f.actual])).toEqual([
      ['golden/mismatch', 'ivcManagement', 'value', 'ligation', 'primary_repair'],
      ['golden/mismatch', 'ivcManagement', 'rule', 'ivc.ligation', 'ivc.primary-repair'],
      ['golden/mismatch', 'ivcManagement', 'candidates', ['ligation'], []],
      ['golden/mismatch', undefined, 'borderline', ['ivc.lengthMm'], []],
    ]);
  });
});

describe('--update: only the failing expectations change, the rest of the file stays as it was', () => {
  it('flow maps, block maps, block and flow lists, quoting, comments', () => {
    const text = `# fixtures kept by hand
cases:
  - name: flow            # a comment that stays
    input: ${CASE('a', 20)}
    expect: { ivcManagement: { value: patch_cavoplasty, rule: ivc.patch } }   # trailing
  - name: block
    input: ${CASE('b', 50)}
    expect:
      ivcManagement:
        value: 'primary_repair'   # single-quoted
        rule: "ivc.primary-repair"
      renalVeins:
        value:
          - keep
          - left_ligation_acceptable
        rules: [ rv.keep, rv.ligation-left ]
    warnings:
      - not-raised
  - name: passes
    input: ${CASE('c', 50)}
    expect: { ivcManagement: { value: patch_cavoplasty } }
`;
    const { result, files } = update(text);
    expect(result.ok).toBe(true);
    expect(result.summary).toEqual({ total: 3, passed: 3, failed: 0, errors: 0 });
    expect(files).toHaveLength(1);
    expect(files[0]!.text).toBe(
      text
        .replace('{ value: patch_cavoplasty, rule: ivc.patch } }   # trailing', '{ value: primary_repair, rule: ivc.primary-repair } }   # trailing')
        .replace("value: 'primary_repair'   # single-quoted", "value: 'patch_cavoplasty'   # single-quoted")
        .replace('rule: "ivc.primary-repair"', 'rule: "ivc.patch"')
        .replace('          - keep\n          - left_ligation_acceptable\n', '          - keep\n')
        .replace('rules: [ rv.keep, rv.ligation-left ]', 'rules: [ rv.keep ]')
        .replace('    warnings:\n      - not-raised\n', '    warnings: []\n'),
    );
    expect(result.updates).toEqual([
      {
        file: 'f.yaml',
        fixture: 'flow',
        line: 3,
        col: 5,
        changes: [
          { path: 'expect.ivcManagement.value', old: 'patch_cavoplasty', new: 'primary_repair' },
          { path: 'expect.ivcManagement.rule', old: 'ivc.patch', new: 'ivc.primary-repair' },
        ],
        kept: [],
      },
      {
        file: 'f.yaml',
        fixture: 'block',
        line: 6,
        col: 5,
        changes: [
          { path: 'expect.ivcManagement.value', old: 'primary_repair', new: 'patch_cavoplasty' },
          { path: 'expect.ivcManagement.rule', old: 'ivc.primary-repair', new: 'ivc.patch' },
          { path: 'expect.renalVeins.value', old: ['keep', 'left_ligation_acceptable'], new: ['keep'] },
          { path: 'expect.renalVeins.rules', old: ['rv.keep', 'rv.ligation-left'], new: ['rv.keep'] },
          { path: 'warnings', old: ['not-raised'], new: [] },
        ],
        kept: [],
      },
    ]);
  });

  it('a decision that becomes undetermined loses its rule expectation (flow and block)', () => {
    const text = `cases:
  - name: flow
    input: ${CASE('a')}
    expect: { ivcManagement: { value: patch_cavoplasty, rule: ivc.patch } }
  - name: block
    input: ${CASE('b')}
    expect:
      ivcManagement:
        rule: ivc.patch
        value: patch_cavoplasty
  - name: rule-only
    input: ${CASE('c')}
    expect: { ivcManagement: {rule: ivc.patch} }
`;
    const { result, files } = update(text);
    expect(result.ok).toBe(true);
    expect(files[0]!.text).toBe(
      text
        .replace('{ value: patch_cavoplasty, rule: ivc.patch } }', '{ value: undetermined } }')
        .replace('        rule: ivc.patch\n        value: patch_cavoplasty\n', '        value: undetermined\n')
        .replace('{ ivcManagement: {rule: ivc.patch} }', '{ ivcManagement: {} }'),
    );
    expect(result.updates!.map((u) => u.changes.find((c) => c.path.endsWith('.rule')))).toEqual([
      { path: 'expect.ivcManagement.rule', old: 'ivc.patch', new: null },
      { path: 'expect.ivcManagement.rule', old: 'ivc.patch', new: null },
      { path: 'expect.ivcManagement.rule', old: 'ivc.patch', new: null },
    ]);
  });

  it('a JSON fixture file stays JSON', () => {
    const text = `{
  "cases": [
    {
      "name": "json",
      "input": {"id": "j", "ivc": {"segments": ["I"], "rightAtrialExtension": false, "circumferencePercent": 20, "lumen": "patent", "collaterals": "limited"}, "tumor": {"arterialInvolvement": [], "adjacentOrgans": [], "metastases": "none"}},
      "expect": {"ivcManagement": {"value": "ligation", "rules": ["ivc.ligation"]}}
    }
  ]
}
`;
    const { result, files } = update(text, 'f.json');
    expect(result.ok).toBe(true);
    expect(files[0]!.text).toBe(text.replace('{"value": "ligation", "rules": ["ivc.ligation"]}', '{"value": "primary_repair", "rules": ["ivc.primary-repair"]}'));
    expect(JSON.parse(files[0]!.text)).toBeTruthy();
  });

  it('an anchored expectation is left alone and named; other fixtures still update; --run narrows what runs', () => {
    const text = `cases:
  - name: anchored
    input: ${CASE('a', 20)}
    expect: { ivcManagement: &e { value: ligation } }
  - name: plain
    input: ${CASE('b', 20)}
    expect: { ivcManagement: { value: ligation } }
`;
    const { result, files } = update(text);
    expect(result.summary).toEqual({ total: 2, passed: 1, failed: 1, errors: 0 });
    expect(result.updates!.map((u) => [u.fixture, u.changes.length, u.kept.length])).toEqual([
      ['anchored', 0, 1],
      ['plain', 1, 0],
    ]);
    expect(files[0]!.text).toBe(text.replace('{ ivcManagement: { value: ligation } }', '{ ivcManagement: { value: primary_repair } }'));
    const only = update(text, 'f.yaml', /^plain$/);
    expect(only.result.summary.total).toBe(1);
    expect(only.result.run).toEqual({ pattern: '^plain$', notRun: 1 });
    expect(only.result.updates!.map((u) => u.fixture)).toEqual(['plain']);
  });

  it('nothing to update when every fixture passes', () => {
    const { result, files } = update(`cases:\n  - name: ok\n    input: ${CASE('a', 50)}\n    expect: { ivcManagement: { value: patch_cavoplasty } }\n`);
    expect(result.ok).toBe(true);
    expect(files).toEqual([]);
    expect(result.updates).toEqual([]);
  });
});

describe('on the command line', () => {
  async function cli(args: string[]) {
    const { io, out, err } = fakeIo();
    const code = await main(args, io);
    return { code, out: out(), err: err() };
  }

  it('--update rewrites the file, shows old → new, and the second run passes (exit 0)', async () => {
    const tmp = tempDir();
    try {
      const f = tmp.write('f.yaml', `cases:\n  - name: wrong\n    input: ${CASE('a', 20)}\n    expect: { ivcManagement: { value: ligation } }   # was ligation\n`);
      const before = await cli(['test', f]);
      expect(before.code).toBe(1);
      const r = await cli(['test', f, '--update']);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^UPDATED .*f\.yaml:2:5 wrong\n {4}expect\.ivcManagement\.value: ligation → primary_repair$/m);
      expect(r.out).toMatch(/PASS: 1\/1 passed, 1 fixture updated\n$/);
      expect(readFileSync(f, 'utf8')).toContain('expect: { ivcManagement: { value: primary_repair } }   # was ligation\n');
      const again = await cli(['test', f, '--update', '--format', 'json']);
      expect(again.code).toBe(0);
      expect(JSON.parse(again.out).updates).toEqual([]);
    } finally {
      tmp.cleanup();
    }
  });

  it('--run: only matching fixtures run; no match or a bad pattern is exit 2', async () => {
    const tmp = tempDir();
    try {
      const f = tmp.write('f.yaml', `cases:\n  - name: alpha-1\n    input: ${CASE('a', 20)}\n    expect: { ivcManagement: { value: primary_repair } }\n  - name: beta-1\n    input: ${CASE('b', 20)}\n    expect: { ivcManagement: { value: ligation } }\n`);
      const alpha = await cli(['test', f, '--run', '^alpha', '--format', 'json']);
      expect(alpha.code).toBe(0);
      const json = JSON.parse(alpha.out) as { summary: { total: number }; run: unknown; cases: { name: string }[] };
      expect(json.summary.total).toBe(1);
      expect(json.run).toEqual({ pattern: '^alpha', notRun: 1 });
      expect(json.cases.map((c) => c.name)).toEqual(['alpha-1']);
      const beta = await cli(['test', f, '--run', 'beta', '--format', 'json']);
      expect(beta.code).toBe(1);
      const failure = (JSON.parse(beta.out) as { cases: { failures: Record<string, unknown>[] }[] }).cases[0]!.failures[0]!;
      expect(failure).toMatchObject({ code: 'golden/mismatch', decision: 'ivcManagement', field: 'value', expected: 'ligation', actual: 'primary_repair' });
      const none = await cli(['test', f, '--run', 'gamma']);
      expect(none.code).toBe(2);
      expect(none.out).toMatch(/test\/no-match/);
      const bad = await cli(['test', f, '--run', '(']);
      expect(bad.code).toBe(2);
      expect(bad.err).toMatch(/usage\/run-pattern/);
    } finally {
      tmp.cleanup();
    }
  });

  it('the shipped fixtures: --update changes nothing', async () => {
    const dir = join('fixtures', 'golden');
    const before = readFileSync(join(dir, 'published.yaml'), 'utf8');
    const r = await cli(['test', join(dir, 'published.yaml'), '--update', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).updates).toEqual([]);
    expect(readFileSync(join(dir, 'published.yaml'), 'utf8')).toBe(before);
  });
});
