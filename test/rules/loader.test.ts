/** Rule-file problems: every one reported, each with a stable code and file:line:col. */
import { describe, expect, it } from 'vitest';
import { buildRuleset, type RuleSource } from '../../src/rules/build.js';
import { readRuleSources } from '../../src/rules/load.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { RULES_DIR } from '../support/rules.js';

/** Valid header: metadata, one parameter, one evidence id, one decision. */
const BASE = `metadata:
  name: mini
  version: 0.0.1
parameters:
  thr:
    default: 75
    description: threshold
evidence:
  e1:
    authors: A
    journal: J
decisions:
  m:
    title: M
    hitPolicy: priority
    values:
      yes: Y
      no: N
`;

/** A valid rule of decision m, as YAML lines at list indentation. */
const ruleYaml = (id: string, over: Record<string, string> = {}): string => {
  const fields: Record<string, string> = {
    title: 'T',
    decision: 'm',
    priority: '1',
    when: '{ all: [] }',
    then: '{ value: yes }',
    rationale: 'R',
    evidence: '[e1]',
    ...over,
  };
  return `  - id: ${id}\n` + Object.entries(fields).map(([k, v]) => `    ${k}: ${v}\n`).join('');
};

/** line:col (1-based) of the `nth` occurrence of `needle` in `text`, plus `shift` characters. */
function pos(text: string, needle: string, { nth = 0, shift = 0 } = {}): { line: number; col: number } {
  let i = -1;
  for (let k = 0; k <= nth; k++) {
    i = text.indexOf(needle, i + 1);
    if (i < 0) throw new Error(`"${needle}" not in text`);
  }
  i += shift;
  const before = text.slice(0, i).split('\n');
  return { line: before.length, col: before[before.length - 1]!.length + 1 };
}

const errors = (sources: RuleSource[]): Diagnostic[] => buildRuleset(sources).diagnostics.filter((d) => d.severity === 'error');
const brief = (ds: readonly Diagnostic[]) => ds.map((d) => ({ code: d.code, file: d.file, line: d.line, col: d.col }));

/** Errors of BASE (rules/base.yaml) plus `text` (rules/bad.yaml). */
const withBase = (text: string): Diagnostic[] =>
  errors([
    { file: 'rules/base.yaml', text: BASE },
    { file: 'rules/bad.yaml', text },
  ]);

const BAD = 'rules/bad.yaml';

describe('rule-file errors with positions', () => {
  it('the base used below is valid', () => {
    expect(withBase('rules:\n' + ruleYaml('r1'))).toEqual([]);
  });

  it('bad YAML → rules/yaml', () => {
    const text = 'rules:\n  - id: r1\n    title: "unclosed\n';
    const ds = withBase(text);
    expect(ds.length).toBeGreaterThan(0);
    expect(ds.every((d) => d.code === 'rules/yaml' && d.file === BAD && d.line !== undefined && d.col !== undefined)).toBe(true);
    expect(ds[0]!.line).toBeGreaterThanOrEqual(3);
  });

  it('duplicate key → rules/duplicate-key at the second key', () => {
    const text = 'rules:\n' + ruleYaml('r1') + '    title: again\n';
    expect(brief(withBase(text))).toEqual([{ code: 'rules/duplicate-key', file: BAD, ...pos(text, 'title', { nth: 1 }) }]);
  });

  it('a missing required key → rules/required', () => {
    const text = 'rules:\n' + ruleYaml('r1').replace('    rationale: R\n', '');
    expect(withBase(text).map((d) => [d.code, d.path])).toEqual([['rules/required', 'rules[0].rationale']]);
  });

  it.each<{ name: string; over: Record<string, string>; code: string; at: string }>([
    { name: 'unknown key', over: { colour: 'red' }, code: 'rules/unknown-key', at: 'colour' },
    { name: 'a wrong type (not rules/required)', over: { priority: 'high' }, code: 'rules/type', at: 'high' },
    { name: 'a condition of no known form', over: { when: '{ colour: red }' }, code: 'rules/condition-shape', at: '{ colour' },
    { name: 'a misspelt operator (the fact form)', over: { when: '{ fact: ivc.lumen, operator: equals, value: occluded }' }, code: 'rules/enum', at: 'equals' },
    { name: 'a misspelt operator inside all', over: { when: '{ all: [{ fact: ivc.segments, operator: contain, value: I }] }' }, code: 'rules/enum', at: 'contain,' },
    { name: 'a misspelt decision operator', over: { when: '{ decision: m, operator: equals, value: yes }' }, code: 'rules/enum', at: 'equals' },
    { name: 'unknown field', over: { when: '{ fact: ivc.lumn, operator: equal, value: occluded }' }, code: 'rules/unknown-field', at: 'ivc.lumn' },
    { name: 'unknown value', over: { when: '{ fact: ivc.lumen, operator: equal, value: closed }' }, code: 'rules/unknown-value', at: 'closed' },
    { name: 'numeric operator on an enum', over: { when: '{ fact: ivc.collaterals, operator: lessThan, value: limited }' }, code: 'rules/operator-type', at: 'lessThan' },
    { name: 'equal on a set field', over: { when: '{ fact: ivc.segments, operator: equal, value: II }' }, code: 'rules/operator-type', at: 'equal' },
    { name: 'text for a boolean', over: { when: '{ fact: ivc.rightAtrialExtension, operator: equal, value: "yes" }' }, code: 'rules/operator-type', at: '"yes"' },
    { name: 'a list operator given one value', over: { when: '{ fact: ivc.lumen, operator: in, value: occluded }' }, code: 'rules/operator-type', at: 'in,' },
    { name: 'unknown parameter', over: { when: '{ fact: ivc.circumferencePercent, operator: lessThan, value: { param: nothr } }' }, code: 'rules/unknown-parameter', at: 'nothr' },
    { name: 'unknown decision in a condition', over: { when: '{ decision: ghost, operator: equal, value: x }' }, code: 'rules/unknown-decision', at: 'ghost' },
    { name: 'unknown evidence id', over: { evidence: '[e1, e9]' }, code: 'rules/unknown-evidence', at: 'e9' },
    { name: 'unknown decision of a rule (at its key)', over: { decision: 'nodecision' }, code: 'rules/unknown-decision', at: 'decision: nodecision' },
    { name: 'an outcome that is not a value of its decision', over: { then: '{ value: maybe }' }, code: 'rules/unknown-outcome', at: 'maybe' },
  ])('$name → $code at "$at"', ({ over, code, at }) => {
    const text = 'rules:\n' + ruleYaml('r1', over);
    expect(brief(withBase(text))).toEqual([{ code, file: BAD, ...pos(text, at) }]);
  });

  it('a line indented too far → rules/yaml with an indentation hint, once', () => {
    const text = 'rules:\n' + ruleYaml('r1').replace('    priority: 1', '      priority: 1');
    const ds = withBase(text);
    expect(ds.length).toBeGreaterThan(0);
    expect(ds.every((d) => d.code === 'rules/yaml')).toBe(true);
    expect(ds.filter((d) => d.suggestion !== undefined).map((d) => d.suggestion)).toEqual([expect.stringMatching(/indentation/)]);
  });

  it('an unclosed bracket → rules/yaml without the indentation hint', () => {
    const ds = withBase('rules: [\n');
    expect(ds.length).toBeGreaterThan(0);
    expect(ds.every((d) => d.code === 'rules/yaml' && d.suggestion === undefined)).toBe(true);
  });

  it('a file with more syntax errors than are listed: the count of the rest comes after them', () => {
    const text = Array.from({ length: 12 }, (_, i) => `k${i}: [unclosed\n  - x: : y`).join('\n') + '\n';
    const ds = buildRuleset([{ file: 'rules/base.yaml', text: BASE }, { file: BAD, text }]).diagnostics;
    expect(ds.at(-1)!.code).toBe('rules/too-many-errors');
    expect(ds.slice(0, -1).every((d) => d.code === 'rules/yaml' && d.line !== undefined)).toBe(true);
  });

  it('a misspelt operator or key names the word and the nearest allowed one', () => {
    const op = withBase('rules:\n' + ruleYaml('r1', { when: '{ fact: ivc.segments, operator: containz, value: I }' }));
    expect(op.map((d) => [d.code, d.path, d.suggestion, d.rules])).toEqual([['rules/enum', 'rules[0].when.operator', 'did you mean "contains"?', ['r1']]]);
    const key = withBase('rules:\n' + ruleYaml('r1', { when: '{ fact: ivc.lumen, opertor: equal, value: occluded }' }));
    expect(key.map((d) => [d.code, d.path, d.suggestion])).toEqual([
      ['rules/required', 'rules[0].when.operator', undefined],
      ['rules/unknown-key', 'rules[0].when.opertor', 'did you mean "operator"?'],
    ]);
  });

  it('a version written as a number → rules/type, with the quoted form as the hint', () => {
    const ds = errors([{ file: 'rules/base.yaml', text: BASE.replace('version: 0.0.1', 'version: 2.1') + 'rules:\n' + ruleYaml('r1') }]);
    expect(ds.map((d) => [d.code, d.path, d.suggestion])).toEqual([['rules/type', 'metadata.version', 'put it in quotes to make it text: "2.1"']]);
  });

  it('an empty evidence list → rules/range', () => {
    expect(withBase('rules:\n' + ruleYaml('r1', { evidence: '[]' })).map((d) => [d.code, d.path])).toEqual([['rules/range', 'rules[0].evidence']]);
  });

  describe('a file left out for its schema errors hides nothing and adds nothing', () => {
    // rules/bad.yaml reads the decision, parameter and evidence of rules/base.yaml
    const reader = 'rules:\n' + ruleYaml('r1', { when: '{ fact: ivc.circumferencePercent, operator: lessThan, value: { param: thr } }' });
    const build = (base: string, other = reader) =>
      buildRuleset([
        { file: 'rules/base.yaml', text: base },
        { file: 'rules/bad.yaml', text: other },
      ]).diagnostics;

    it.each([
      ['a parameter default that is not a number', BASE.replace('default: 75', 'default: 75%'), 'rules/type', 'parameters.thr.default'],
      ['an evidence entry with a misspelt key', BASE.replace('authors: A', 'authors: A\n    yeer: 2020'), 'rules/unknown-key', 'evidence.e1.yeer'],
      ['a decision with an unknown hit policy', BASE.replace('hitPolicy: priority', 'hitPolicy: priorty'), 'rules/enum', 'decisions.m.hitPolicy'],
      ['metadata with a numeric version', BASE.replace('version: 0.0.1', 'version: 2.1'), 'rules/type', 'metadata.version'],
    ])('%s: only that error, none for what the other file reads of it', (_name, base, code, path) => {
      expect(build(base).map((d) => [d.code, d.path])).toEqual([[code, path]]);
    });

    it('a rule file left out: no "decision has no rules" warning for the decision its rules belong to', () => {
      expect(build(BASE, reader.replace('    priority: 1\n', '    priorty: 1\n')).map((d) => [d.code, d.path])).toEqual([['rules/unknown-key', 'rules[0].priorty']]);
    });

    it('a file that is not YAML: its syntax errors only', () => {
      expect(new Set(build('metadata:\n  name: [mini\n').map((d) => d.code))).toEqual(new Set(['rules/yaml']));
    });

    it('a reference declared nowhere is still reported', () => {
      const ds = build(BASE.replace('default: 75', 'default: 75%'), reader.replace('evidence: [e1]', 'evidence: [e1, e9]'));
      expect(ds.map((d) => [d.file, d.code])).toEqual([
        ['rules/bad.yaml', 'rules/unknown-evidence'],
        ['rules/base.yaml', 'rules/type'],
      ]);
    });
  });

  it("an unknown evidence id of a parameter's alternative → rules/unknown-evidence at it", () => {
    const text = 'parameters:\n  thr2:\n    default: 5\n    description: D\n    evidence: [e1]\n    alternatives:\n      - { value: 4, note: N, evidence: [e1, e7] }\nrules:\n' + ruleYaml('r1');
    const ds = withBase(text);
    expect(brief(ds)).toEqual([{ code: 'rules/unknown-evidence', file: BAD, ...pos(text, 'e7') }]);
    expect(ds[0]!.path).toBe('parameters.thr2.alternatives[0].evidence[1]');
  });

  it('duplicate rule id across two files → rules/duplicate-id, related pointing at the first', () => {
    const first = BASE + 'rules:\n' + ruleYaml('r.same');
    const second = '# another file\nrules:\n' + ruleYaml('r.same');
    const ds = errors([
      { file: 'rules/b.yaml', text: second },
      { file: 'rules/a.yaml', text: first },
    ]);
    expect(brief(ds)).toEqual([{ code: 'rules/duplicate-id', file: 'rules/b.yaml', ...pos(second, 'id: r.same') }]);
    expect(ds[0]!.related).toEqual([{ file: 'rules/a.yaml', path: 'rules[0]', ...pos(first, 'id: r.same') }]);
  });

  it('decisions that read each other → rules/decision-cycle', () => {
    const text = [
      'decisions:',
      '  a: { title: A, hitPolicy: priority, values: { x: X } }',
      '  b: { title: B, hitPolicy: priority, values: { x: X } }',
      'rules:',
      ruleYaml('ra', { decision: 'a', when: '{ decision: b, operator: equal, value: x }', then: '{ value: x }' }).trimEnd(),
      ruleYaml('rb', { decision: 'b', when: '{ decision: a, operator: equal, value: x }', then: '{ value: x }' }).trimEnd(),
      '',
    ].join('\n');
    expect(brief(withBase(text))).toEqual([{ code: 'rules/decision-cycle', file: BAD, ...pos(text, '{ title: A') }]);
  });

  it('a rule reading its own decision → rules/decision-cycle at the condition', () => {
    const text = 'rules:\n' + ruleYaml('r1', { when: '{ decision: m, operator: equal, value: yes }' });
    const ds = withBase(text).filter((d) => d.file === BAD);
    expect(brief(ds)).toEqual([{ code: 'rules/decision-cycle', file: BAD, ...pos(text, '{ decision: m') }]);
  });

  it('no metadata anywhere → rules/no-metadata at 1:1 of the first file', () => {
    const text = BASE.replace(/^metadata:\n.*\n.*\n/, '');
    expect(brief(errors([{ file: 'rules/a.yaml', text }]))).toEqual([{ code: 'rules/no-metadata', file: 'rules/a.yaml', line: 1, col: 1 }]);
  });

  it('a second metadata block → rules/duplicate-metadata', () => {
    expect(errors([{ file: 'rules/a.yaml', text: BASE }, { file: 'rules/b.yaml', text: 'metadata: { name: other, version: "2" }\n' }]).map((d) => [d.code, d.file])).toEqual([
      ['rules/duplicate-metadata', 'rules/b.yaml'],
    ]);
  });

  it('an empty rule set → rules/empty', () => {
    expect(errors([]).map((d) => d.code)).toEqual(['rules/empty']);
  });

  it('several problems in one file are all reported at once, in file order', () => {
    const text =
      'rules:\n' +
      ruleYaml('r1', { when: '{ fact: ivc.lumn, operator: equal, value: occluded }' }) +
      ruleYaml('r2', { when: '{ fact: ivc.lumen, operator: equal, value: closed }', evidence: '[e9]' }) +
      ruleYaml('r3', { when: '{ fact: ivc.circumferencePercent, operator: lessThan, value: { param: nothr } }', then: '{ value: maybe }' }) +
      ruleYaml('r4', { decision: 'nodecision' });
    expect(brief(withBase(text))).toEqual([
      { code: 'rules/unknown-field', file: BAD, ...pos(text, 'ivc.lumn') },
      { code: 'rules/unknown-value', file: BAD, ...pos(text, 'closed') },
      { code: 'rules/unknown-evidence', file: BAD, ...pos(text, 'e9') },
      { code: 'rules/unknown-parameter', file: BAD, ...pos(text, 'nothr') },
      { code: 'rules/unknown-outcome', file: BAD, ...pos(text, 'maybe') },
      { code: 'rules/unknown-decision', file: BAD, ...pos(text, 'decision: nodecision') },
    ]);
  });

  it('problems in two files are both reported', () => {
    const ds = errors([
      { file: 'rules/base.yaml', text: BASE + 'rules:\n' + ruleYaml('r1', { evidence: '[nope]' }) },
      { file: 'rules/other.yaml', text: 'rules:\n' + ruleYaml('r2', { colour: 'x' }) },
    ]);
    expect(ds.map((d) => [d.file, d.code])).toEqual([
      ['rules/base.yaml', 'rules/unknown-evidence'],
      ['rules/other.yaml', 'rules/unknown-key'],
    ]);
  });
});

describe('the shipped rule set', () => {
  const sources = readRuleSources(RULES_DIR, 'rules');
  const r = buildRuleset(sources);

  it('builds with no errors and no warnings', () => {
    expect(r.diagnostics).toEqual([]);
    expect(r.model).toBeDefined();
  });

  it('has every decision of the design, each with rules', () => {
    expect(r.model!.decisions.map((d) => d.id).sort()).toEqual(
      [
        'access', 'aftercare', 'bloodProducts', 'circulatorySupport', 'complexity', 'graftCare', 'intraoperative', 'ivcManagement',
        'operativeRisk', 'preparation', 'renalFunction', 'renalVeins', 'resectability', 'systemicTherapy', 'veinOfOrigin',
      ].sort(),
    );
    for (const d of r.model!.decisions) expect(d.rules.length, d.id).toBeGreaterThan(0);
  });

  it('the parameters of domain.md §0', () => {
    const p = r.model!.parameters;
    expect([p['graftThresholdPercent']?.value, p['primaryRepairThresholdPercent']?.value, p['borderlineBandPercent']?.value]).toEqual([75, 40, 10]);
  });

  it('every rule cites evidence that exists', () => {
    for (const rule of r.model!.rules) {
      expect(rule.evidence.length, rule.id).toBeGreaterThan(0);
      for (const e of rule.evidence) expect(r.model!.evidence[e], `${rule.id} → ${e}`).toBeDefined();
    }
  });

  it('the digest is computed, stable, and independent of line ends and file order', () => {
    const again = buildRuleset([...sources].reverse().map((s) => ({ ...s, text: s.text.replace(/\n/g, '\r\n') })));
    expect(r.model!.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(again.model!.digest).toBe(r.model!.digest);
    const edited = buildRuleset(sources.map((s, i) => (i === 0 ? { ...s, text: s.text + '\n# edited\n' } : s)));
    expect(edited.model!.digest).not.toBe(r.model!.digest);
  });
});
