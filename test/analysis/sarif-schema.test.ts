/**
 * SARIF against the official SARIF 2.1.0 JSON Schema (OASIS, errata 01; the copy and its
 * origin are in test/schemas/): validate's and diff's, with findings, without findings, and
 * for rule sets that do not parse — the case where code-scanning upload must still work.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { validateRules } from '../../src/analysis/validate.js';
import { main } from '../../src/cli/index.js';
import { renderSarif } from '../../src/report/validate-report.js';
import { fakeIo, tempDir } from '../support/cli.js';
import { ROOT } from '../support/paths.js';
import { rulesetDir, sourcesOf } from './helpers.js';

const schema = JSON.parse(readFileSync(join(ROOT, 'test', 'schemas', 'sarif-schema-2.1.0.json'), 'utf8')) as Record<string, unknown>;
// CommonJS packages: their ES default export is the module object
const Ajv = AjvDraft04.default;
const addFormats = ajvFormats.default;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validateSarif = ajv.compile(schema);

function expectValid(text: string): { runs: { results: { ruleId: string; locations?: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }[] }[]; properties: { analysis: string } }[] } {
  const sarif = JSON.parse(text) as unknown;
  const ok = validateSarif(sarif);
  expect(validateSarif.errors ?? [], 'schema errors').toEqual([]);
  expect(ok).toBe(true);
  return sarif as ReturnType<typeof expectValid>;
}

async function cli(args: string[]) {
  const { io, out, err } = fakeIo();
  const code = await main(args, io);
  return { code, out: out(), err: err() };
}

describe('SARIF against the official 2.1.0 schema', () => {
  it('the schema is the OASIS text and rejects what it must (a relative helpUri, a missing version)', () => {
    expect(schema.id).toBe('https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json');
    const base = { version: '2.1.0', runs: [{ tool: { driver: { name: 'x', rules: [{ id: 'a', helpUri: 'https://example.org/a' }] } }, results: [] }] };
    expect(validateSarif(base)).toBe(true);
    expect(validateSarif({ ...base, runs: [{ tool: { driver: { name: 'x', rules: [{ id: 'a', helpUri: 'docs/guide.md' }] } } }] })).toBe(false);
    expect(validateSarif({ runs: base.runs })).toBe(false);
  });

  it.each([
    ['gap', 'analysis/gap'],
    ['conflict', 'analysis/conflict'],
    ['invariant-violation', 'analysis/invariant'],
    ['unknown-field', 'rules/unknown-field'],
  ])('with findings (%s): valid, results located on the rule line', async (name, code) => {
    const result = await validateRules(sourcesOf(name));
    const sarif = expectValid(renderSarif(result, '0.1.0'));
    const res = sarif.runs[0]!.results.find((r) => r.ruleId === code);
    expect(res, `${code} in ${name}`).toBeDefined();
    expect(res!.locations![0]!.physicalLocation.artifactLocation.uri).toBe(`fixtures/rulesets/${name}/ruleset.yaml`);
    expect(res!.locations![0]!.physicalLocation.region!.startLine).toBeGreaterThan(0);
  });

  it('a suggestion is in the message and the properties', async () => {
    const sarif = JSON.parse(renderSarif(await validateRules(sourcesOf('misspelt')), '0.1.0')) as { runs: { results: { ruleId: string; message: { text: string }; properties: { suggestion?: string } }[] }[] };
    expectValid(JSON.stringify(sarif));
    const res = sarif.runs[0]!.results.find((r) => r.ruleId === 'rules/unknown-parameter')!;
    expect(res.properties.suggestion).toBe('did you mean "graftThresholdPercent"?');
    expect(res.message.text).toBe('unknown parameter "graftTresholdPercent" (did you mean "graftThresholdPercent"?)');
  });

  it('without findings (minimal): valid, no results, analysis complete', async () => {
    const sarif = expectValid(renderSarif(await validateRules(sourcesOf('minimal')), '0.1.0'));
    expect(sarif.runs[0]!.results).toEqual([]);
    expect(sarif.runs[0]!.properties.analysis).toBe('complete');
  });

  it.each([
    ['bad-yaml', ['rules/yaml'], 50],
    ['bad-schema', ['rules/enum', 'rules/required'], 40],
  ])('a rule set that does not parse (%s): valid SARIF naming the error and its line', async (name, codes, line) => {
    const sarif = expectValid(renderSarif(await validateRules(sourcesOf(name)), '0.1.0'));
    expect(sarif.runs[0]!.properties.analysis).toBe('not-analysed');
    expect(sarif.runs[0]!.results.map((r) => r.ruleId)).toEqual(codes);
    expect(sarif.runs[0]!.results[0]!.locations![0]!.physicalLocation.region!.startLine).toBe(line);
  });

  it('file names that are not plain URIs (space, %, #, non-ASCII) are percent-encoded', async () => {
    const [src] = sourcesOf('gap');
    const file = 'rules dir/50% #1/règles.yaml';
    const sarif = expectValid(renderSarif(await validateRules([{ ...src!, file }]), '0.1.0'));
    expect(sarif.runs[0]!.results[0]!.locations![0]!.physicalLocation.artifactLocation.uri).toBe('rules%20dir/50%25%20%231/r%C3%A8gles.yaml');
  });

  it('on the command line: the shipped rules, a finding, a YAML error (exit 1, the finding is in the SARIF)', async () => {
    const shipped = await cli(['validate', '--format', 'sarif']);
    expect(shipped.code).toBe(0);
    expectValid(shipped.out);
    for (const [name, code] of [['gap', 'analysis/gap'], ['bad-yaml', 'rules/yaml']] as const) {
      const r = await cli(['validate', '--rules', rulesetDir(name), '--format', 'sarif']);
      expect(r.code).toBe(1);
      expect(expectValid(r.out).runs[0]!.results.map((x) => x.ruleId)).toContain(code);
    }
  });
});

describe('diff --format sarif against the official 2.1.0 schema', () => {
  const minimal = readFileSync(join(rulesetDir('minimal'), 'ruleset.yaml'), 'utf8');
  type DiffSarif = { runs: { results: { ruleId: string; level: string; message: { text: string }; locations?: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }[]; properties: { decision?: string; changes?: { from: string; to: string }[] } }[]; properties: { complete?: boolean; changed?: boolean } }[] };
  /** The minimal rule set edited as a maintainer would: with a new version (diff/version-not-bumped otherwise). */
  const bumped = (text: string) => text.replace('version: 0.0.1', 'version: 0.0.2');
  const diffSarif = async (head: string, ...more: string[]) => {
    const r = await cli(['diff', rulesetDir('minimal'), head, '--format', 'sarif', ...more]);
    return { code: r.code, sarif: expectValid(r.out) as unknown as DiffSarif };
  };

  it('a parameter change: one diff/changed result per changed decision, at the parameter in the head', async () => {
    const tmp = tempDir();
    try {
      tmp.write('ruleset.yaml', bumped(minimal.replace('default: 75', 'default: 50')));
      const { code, sarif } = await diffSarif(tmp.dir);
      expect(code).toBe(0);
      const [res, ...rest] = sarif.runs[0]!.results;
      expect(rest).toEqual([]);
      expect(res).toMatchObject({ ruleId: 'diff/changed', level: 'note', properties: { decision: 'ivcManagement' } });
      expect(res!.properties.changes).toContainEqual(expect.objectContaining({ from: 'primary_repair', to: 'interposition_graft' }));
      expect(res!.locations![0]!.physicalLocation.artifactLocation.uri).toBe(`${tmp.dir}/ruleset.yaml`);
      expect(res!.locations![0]!.physicalLocation.region!.startLine).toBe(10);
      expect(sarif.runs[0]!.properties).toMatchObject({ complete: true, changed: true });
    } finally {
      tmp.cleanup();
    }
  });

  it('a rule change: located at the changed rule', async () => {
    const tmp = tempDir();
    try {
      const text = bumped(minimal.replace(/(id: ivc\.graft[\s\S]*?)value: \{ param: graftThresholdPercent \}/, '$1value: 60'));
      expect(text).not.toBe(minimal);
      tmp.write('ruleset.yaml', text);
      const { sarif } = await diffSarif(tmp.dir);
      const line = text.split('\n').findIndex((l) => l.includes('id: ivc.graft')) + 1;
      expect(sarif.runs[0]!.results.map((x) => [x.ruleId, x.locations?.[0]?.physicalLocation.region?.startLine])).toEqual([['diff/changed', line]]);
    } finally {
      tmp.cleanup();
    }
  });

  it('a change under the same version: a diff/version-not-bumped warning at the version line', async () => {
    const tmp = tempDir();
    try {
      const text = minimal.replace('default: 75', 'default: 50');
      tmp.write('ruleset.yaml', text);
      const { code, sarif } = await diffSarif(tmp.dir);
      expect(code).toBe(0);
      const line = text.split('\n').findIndex((l) => /^ {2}version: /.test(l)) + 1;
      expect(sarif.runs[0]!.results.map((x) => [x.ruleId, x.level, x.locations?.[0]?.physicalLocation.region?.startLine])).toEqual([
        ['diff/changed', 'note', 10],
        ['diff/version-not-bumped', 'warning', line],
      ]);
    } finally {
      tmp.cleanup();
    }
  });

  it('no change: no results', async () => {
    const { code, sarif } = await diffSarif(rulesetDir('minimal'));
    expect(code).toBe(0);
    expect(sarif.runs[0]!.results).toEqual([]);
    expect(sarif.runs[0]!.properties).toMatchObject({ complete: true, changed: false });
  });

  it('a comparison not completed: an analysis/incomplete result, never silence', async () => {
    const tmp = tempDir();
    try {
      tmp.write('ruleset.yaml', minimal.replace('default: 75', 'default: 50'));
      const { code, sarif } = await diffSarif(tmp.dir, '--solver-steps', '1');
      expect(code).toBe(1);
      expect(sarif.runs[0]!.results.map((x) => [x.ruleId, x.properties.decision])).toContainEqual(['analysis/incomplete', 'ivcManagement']);
      expect(sarif.runs[0]!.properties.complete).toBe(false);
    } finally {
      tmp.cleanup();
    }
  });

  it('a rule set that does not parse: exit 2, valid SARIF with the error at its line', async () => {
    const { code, sarif } = await diffSarif(rulesetDir('bad-yaml'));
    expect(code).toBe(2);
    expect(sarif.runs[0]!.results.map((x) => [x.ruleId, x.level, x.locations?.[0]?.physicalLocation.region?.startLine])).toEqual([['rules/yaml', 'error', 50]]);
  });
});
