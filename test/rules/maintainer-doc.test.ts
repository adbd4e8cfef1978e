/**
 * The YAML examples of docs/rule-maintainers.md are real: the rule, parameter and invariant,
 * each put in place of its namesake in a copy of the shipped rules, load without a
 * diagnostic (schema, references, evidence ids); the fixtures pass against the shipped rules.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runTest } from '../../src/cli/commands/test.js';
import { buildRuleset } from '../../src/rules/build.js';
import { readRuleSources } from '../../src/rules/load.js';
import { fakeIo, tempDir } from '../support/cli.js';
import { ROOT } from '../support/paths.js';

const DOC = readFileSync(join(ROOT, 'docs', 'rule-maintainers.md'), 'utf8');
/** The doc's ```yaml blocks by their first key. */
const blocks = new Map([...DOC.matchAll(/```yaml\n(.*?)```/gs)].map((m) => [m[1]!.split(':')[0]!, m[1]!]));

type Doc = Record<string, unknown>;
interface Identified {
  readonly id: string;
}

describe('docs/rule-maintainers.md examples', () => {
  it('has a rule, a parameter, an invariant and fixtures', () => {
    expect([...blocks.keys()].sort()).toEqual(['cases', 'invariants', 'parameters', 'rules']);
  });

  it('the rule, the parameter and the invariant load in place of the shipped ones, without a diagnostic', () => {
    const t = tempDir();
    try {
      const dir = join(t.dir, 'rules');
      cpSync(join(ROOT, 'rules'), dir, { recursive: true });
      /** Put `doc`'s entries in place of the entries of the same id in `file` (written as JSON, which YAML reads). */
      const splice = (file: string, edit: (d: Doc) => void): void => {
        const d = parse(readFileSync(join(dir, file), 'utf8')) as Doc;
        edit(d);
        writeFileSync(join(dir, file), JSON.stringify(d));
      };
      const replaceById = (list: unknown, item: Identified): void => {
        const l = list as Identified[];
        const i = l.findIndex((x) => x.id === item.id);
        expect(i).toBeGreaterThanOrEqual(0);
        l[i] = item;
      };
      const rule = (parse(blocks.get('rules')!) as { rules: Identified[] }).rules[0]!;
      splice('ivc.yaml', (d) => replaceById(d['rules'], rule));
      const params = (parse(blocks.get('parameters')!) as { parameters: Doc }).parameters;
      splice('ruleset.yaml', (d) => {
        for (const [k, v] of Object.entries(params)) {
          expect(Object.keys(d['parameters'] as Doc)).toContain(k);
          (d['parameters'] as Doc)[k] = v;
        }
      });
      const inv = (parse(blocks.get('invariants')!) as { invariants: Identified[] }).invariants[0]!;
      splice('invariants.yaml', (d) => replaceById(d['invariants'], inv));
      const built = buildRuleset(readRuleSources(dir));
      expect(built.diagnostics.map((d) => `${d.code} ${d.file}:${d.line}`)).toEqual([]);
      expect(built.model).toBeDefined();
    } finally {
      t.cleanup();
    }
  });

  it('the fixtures pass against the shipped rules', async () => {
    const t = tempDir();
    try {
      const file = t.write('example.yaml', blocks.get('cases')!);
      const { io, out } = fakeIo();
      const code = await runTest({ fixtures: [file], format: 'json', explain: 'off' }, io);
      const result = JSON.parse(out()) as { summary: { total: number; passed: number } };
      expect([code, result.summary.passed, result.summary.total]).toEqual([0, 2, 2]);
    } finally {
      t.cleanup();
    }
  });
});
