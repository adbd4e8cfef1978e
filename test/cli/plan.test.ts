/** rvlms plan end to end, against the built bin. */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ANSI, plainEnv, runBin, STACK_LINE, tempDir, useBuiltBin } from '../support/cli.js';
import { makeCase } from '../support/case-factory.js';
import { shippedModel, RULES_DIR } from '../support/rules.js';
import { caseJsonSchema } from '../../src/case/schema.js';
import { rulesJsonSchema } from '../../src/rules/schema.js';
import { ROOT } from '../support/paths.js';

const tmp = tempDir('rvlms-cli-');
let good = '';
let undetermined = '';
let goodYaml = '';
let bad = '';

useBuiltBin();
beforeAll(() => {
  good = tmp.write('good.json', JSON.stringify(makeCase({ id: 'cli-good', ivc: { circumferencePercent: 70 } }), null, 2));
  undetermined = tmp.write('undetermined.json', JSON.stringify(makeCase({ id: 'cli-undet', ivc: { lumen: 'occluded', collaterals: null, circumferencePercent: 60 } })));
  goodYaml = tmp.write('good.yaml', stringify(makeCase({ id: 'cli-yaml' })));
  bad = tmp.write('bad.yaml', 'id: cli-bad\nivc:\n  segments: [II]\n  lumen: closed\n');
});
afterAll(() => tmp.cleanup());

/** Successful run: exit 0, output on stdout, nothing on stderr. */
function ok(args: string[], opts: Parameters<typeof runBin>[1] = {}): string {
  const r = runBin(args, opts);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

/** Usage or input error: exit 2, nothing on stdout, no stack trace. */
function usage(args: string[], opts: Parameters<typeof runBin>[1] = {}): string {
  const r = runBin(args, opts);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).not.toBe('');
  expect(r.stderr).not.toMatch(STACK_LINE);
  return r.stderr;
}

describe('exit codes and streams', () => {
  it('a valid case: exit 0, the plan on stdout, stderr empty', () => {
    expect(ok(['plan', good])).toContain('cli-good');
  });

  it('an invalid case: exit 2, file:line:col and code on stderr, stdout empty', () => {
    const err = usage(['plan', bad]);
    expect(err).toContain(`${bad}:4:10 error case/enum`);
    expect(err).toContain('[ivc.lumen]');
  });

  it('a missing file: exit 2 with io/not-found', () => {
    expect(usage(['plan', join(tmp.dir, 'nope.json')])).toContain('io/not-found');
  });

  it('the same input gives the same bytes, in every format', () => {
    for (const fmt of ['text', 'json', 'markdown', 'html']) {
      const a = runBin(['plan', good, '--format', fmt]);
      const b = runBin(['plan', good, '--format', fmt]);
      expect(a.code).toBe(0);
      expect(b.stdout).toBe(a.stdout);
      expect(b.stderr).toBe(a.stderr);
    }
  });
});

describe('--format json', () => {
  it('has the contract fields', () => {
    const plan = JSON.parse(ok(['plan', good, '--format', 'json'])) as Record<string, any>;
    expect(plan['schemaVersion']).toBe(1);
    expect(plan['case'].id).toBe('cli-good');
    const model = shippedModel();
    expect(plan['ruleset']).toMatchObject({ name: model.name, version: model.version, digest: model.digest });
    expect(plan['decisions'].ivcManagement).toMatchObject({ value: 'patch_cavoplasty', rule: 'ivc.patch', status: 'determined' });
    expect(plan['complexity']).toMatchObject({ level: expect.any(String), score: expect.any(Number) });
    expect(Array.isArray(plan['complexity'].factors)).toBe(true);
    expect(Array.isArray(plan['warnings'])).toBe(true);
    expect(plan['evidence'].length).toBeGreaterThan(0);
    expect(plan['evidence'][0]).toMatchObject({ id: expect.any(String), authors: expect.any(String) });
    expect(plan['trace'].length).toBe(model.rules.length);
    expect(plan['borderline'][0]).toMatchObject({ field: 'ivc.circumferencePercent', threshold: 75 });
  });

  it('an undetermined decision carries candidates and missing inputs', () => {
    const plan = JSON.parse(ok(['plan', undetermined, '--format', 'json'])) as Record<string, any>;
    const ivc = plan['decisions'].ivcManagement;
    expect(ivc.value).toBe('undetermined');
    expect(ivc.candidates.map((c: { value: string }) => c.value).sort()).toEqual(['interposition_graft', 'ligation']);
    expect(ivc.missing).toEqual(['ivc.collaterals']);
    expect(plan['missing'].map((m: { field: string }) => m.field)).toContain('ivc.collaterals');
  });

  it('YAML cases work as well as JSON', () => {
    const plan = JSON.parse(ok(['plan', goodYaml, '--format', 'json'])) as Record<string, any>;
    expect(plan['case'].id).toBe('cli-yaml');
    expect(plan['decisions'].ivcManagement.value).toBe('primary_repair');
  });
});

describe('other formats and options', () => {
  it('--format markdown is a handout: heading, patient, decisions with reasons, MDT box, references', () => {
    const md = ok(['plan', good, '--format', 'markdown']);
    expect(md.split('\n')[0]).toMatch(/^# .*cli-good/);
    for (const h of ['## Patient', '## Decisions and reasons', '## MDT decision', '## Legend', '## References']) expect(md).toContain(`\n${h}\n`);
    expect(md).toContain('`ivc.patch`');
    expect(md).not.toMatch(ANSI);
  });

  it('--format html is one self-contained page: no script, no external reference, the drawing inline', () => {
    const html = ok(['plan', good, '--format', 'html']);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<svg id="vessel-drawing"');
    expect(html).not.toMatch(/<script|<link|src="http|url\(/i);
    expect(html).not.toMatch(ANSI);
  });

  it('--date is printed in every format; without it no date appears (never the clock)', () => {
    for (const fmt of ['text', 'json', 'markdown', 'html']) {
      expect(ok(['plan', good, '--format', fmt, '--date', '2026-03-02']), fmt).toContain('2026-03-02');
      expect(ok(['plan', good, '--format', fmt]), fmt).not.toMatch(/\b20\d\d-\d\d-\d\d\b/);
    }
    expect(JSON.parse(ok(['plan', good, '--format', 'json', '--date=2026-03-02'])).date).toBe('2026-03-02');
  });

  it('text wraps at 80 columns when stdout is not a terminal, never inside a word', () => {
    const text = ok(['plan', undetermined]);
    for (const line of text.split('\n')) if (line.length > 80) expect(line.trim(), line).not.toContain(' ');
  });

  it('COLUMNS sets the width of text even when stdout is a pipe; a value that is no width is ignored', () => {
    const widest = (text: string) => Math.max(...text.split('\n').filter((l) => l.trim().includes(' ')).map((l) => [...l].length));
    expect(widest(ok(['plan', undetermined]))).toBeGreaterThan(60);
    expect(widest(ok(['plan', undetermined], { env: plainEnv({ COLUMNS: '60' }) }))).toBeLessThanOrEqual(60);
    expect(widest(ok(['plan', undetermined], { env: plainEnv({ COLUMNS: '120' }) }))).toBeGreaterThan(80);
    for (const bad of ['0', 'wide', '-5', '80.5', '']) expect(ok(['plan', undetermined], { env: plainEnv({ COLUMNS: bad }) }), bad).toBe(ok(['plan', undetermined]));
  });

  it('--explain shows every rule of the set; without it, only those that decide', () => {
    const plain = ok(['plan', good]);
    const explained = ok(['plan', good, '--explain']);
    const ids = shippedModel().rules.map((r) => r.id);
    for (const id of ids) expect(explained, id).toContain(id);
    expect(ids.filter((id) => !plain.includes(id)).length).toBeGreaterThan(0);
    expect(explained.startsWith(plain.split('\n')[0]!)).toBe(true);
  });

  it('- reads the case from stdin (JSON and YAML)', () => {
    const json = JSON.parse(ok(['plan', '-', '--format', 'json'], { input: readFileSync(good) })) as Record<string, any>;
    expect(json['case'].id).toBe('cli-good');
    const yaml = JSON.parse(ok(['plan', '-', '--format', 'json'], { input: 'id: from-stdin\nivc: { segments: [I] }\n' })) as Record<string, any>;
    expect(yaml['case'].id).toBe('from-stdin');
  });

  it('an invalid case on stdin names "-"', () => {
    expect(usage(['plan', '-'], { input: '{"id": "x", "ivc": {"lumen": "closed"}}' })).toMatch(/^rvlms: -:1:\d+ error case\/enum/m);
  });

  it('no ANSI escapes when not a TTY, nor with NO_COLOR; FORCE_COLOR turns colour on', () => {
    expect(ok(['plan', good])).not.toMatch(ANSI);
    expect(ok(['plan', good], { env: plainEnv({ NO_COLOR: '1' }) })).not.toMatch(ANSI);
    expect(ok(['plan', good], { env: plainEnv({ FORCE_COLOR: '1' }) })).toMatch(ANSI);
    expect(ok(['plan', good], { env: plainEnv({ FORCE_COLOR: '1', NO_COLOR: '1' }) })).not.toMatch(ANSI);
    expect(usage(['plan', bad], { env: plainEnv({ NO_COLOR: '1' }) })).not.toMatch(ANSI);
  });

  it('--help shows examples and exits 0, for the program and for plan', () => {
    expect(ok(['--help'])).toMatch(/Examples:\n\s+\$ rvlms plan /);
    expect(ok(['plan', '--help'])).toMatch(/Examples:\n\s+\$ rvlms plan .*\n\s+\$ rvlms plan /);
  });

  it('--version prints the version, exit 0', () => {
    expect(ok(['--version']).trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('usage errors → exit 2', () => {
  it.each([
    { name: 'an unknown option', args: ['plan', 'x.json', '--colour'] },
    { name: 'an unknown format', args: ['plan', 'x.json', '--format', 'pdf'] },
    { name: 'a missing case argument', args: ['plan'] },
    { name: 'an unknown command', args: ['plann', 'x.json'] },
    { name: 'an unknown schema kind', args: ['schema', 'plan'] },
  ])('$name', ({ args }) => {
    usage(args);
  });

  it.each(['2026-3-2', '2026-02-30', 'today', '20260302'])('--date %s: exit 2 with usage/date', (d) => {
    expect(usage(['plan', good, '--date', d])).toContain('usage/date');
    expect(usage(['plan', good, '--format', 'html', `--date=${d}`])).toContain('usage/date');
  });
});

describe('rvlms schema', () => {
  it.each([
    { kind: 'case', schema: caseJsonSchema },
    { kind: 'rules', schema: rulesJsonSchema },
  ])('schema $kind prints its JSON Schema', ({ kind, schema }) => {
    expect(JSON.parse(ok(['schema', kind]))).toEqual(schema());
  });
});

describe('--rules', () => {
  it('an edited copy of the rules is used (not the precompiled cache): new digest, new threshold', () => {
    const dir = join(tmp.dir, 'rules-50');
    cpSync(RULES_DIR, dir, { recursive: true });
    const file = join(dir, 'ruleset.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/graftThresholdPercent:\n {4}default: 75/, 'graftThresholdPercent:\n    default: 50'));
    const plan = JSON.parse(ok(['plan', good, '--rules', dir, '--format', 'json'])) as Record<string, any>;
    expect(plan['ruleset'].digest).not.toBe(shippedModel().digest);
    expect(plan['ruleset'].parameters.graftThresholdPercent).toBe(50);
    expect(plan['decisions'].ivcManagement.value).toBe('interposition_graft');
  });

  it('a broken rule set: exit 2, rule-file positions on stderr', () => {
    const dir = join(tmp.dir, 'rules-bad');
    cpSync(RULES_DIR, dir, { recursive: true });
    const file = join(dir, 'ivc.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('value: not_applicable', 'value: not_a_value'));
    expect(usage(['plan', good, '--rules', dir])).toMatch(/ivc\.yaml:\d+:\d+ error rules\/unknown-outcome/);
  });

  it('a rule set that breaks a safety invariant: exit 1, named on stderr, the plan still on stdout', () => {
    const dir = join(tmp.dir, 'rules-unsafe');
    cpSync(RULES_DIR, dir, { recursive: true });
    const file = join(dir, 'ivc.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('- { fact: ivc.segments, operator: doesNotContain, value: III }', ''));
    const c = tmp.write('seg3.json', JSON.stringify(makeCase({ id: 'seg3', ivc: { segments: ['II', 'III'], lumen: 'occluded', collaterals: 'well_developed' } })));
    const r = runBin(['plan', c, '--rules', dir, '--format', 'json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('inv.no-ligation-segment-iii');
    expect(JSON.parse(r.stdout).invariantViolations.map((v: { invariant: string }) => v.invariant)).toContain('inv.no-ligation-segment-iii');
    // every human format says so before the patient and the recommendation
    for (const format of ['text', 'markdown', 'html']) {
      const out = runBin(['plan', c, '--rules', dir, '--format', format]).stdout;
      const warned = out.search(/SAFETY INVARIANT VIOLATED|Safety invariant violated/i);
      expect(warned, format).toBeGreaterThan(0);
      expect(warned, format).toBeLessThan(out.search(/Patient|PATIENT/));
      expect(out.indexOf('inv.no-ligation-segment-iii'), format).toBeLessThan(out.search(/Recommendation/i));
    }
  });

  it('a missing rule folder: exit 2', () => {
    expect(usage(['plan', good, '--rules', join(ROOT, 'no-such-rules')])).toContain('io/not-found');
  });
});
