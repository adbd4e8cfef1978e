/** The JSON Schemas: well-formed, usable by a JSON Schema consumer, and the same as the files in schemas/. */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { parse } from 'yaml';
import { caseJsonSchema } from '../../src/case/schema.js';
import { rulesJsonSchema } from '../../src/rules/schema.js';
import { mapJsonSchema } from '../../src/batch/map-load.js';
import { ROOT } from '../support/paths.js';
import { makeCase } from '../support/case-factory.js';
import { RULES_DIR } from '../support/rules.js';

const TYPES = new Set(['object', 'array', 'string', 'number', 'integer', 'boolean', 'null']);

/** Structural checks of a JSON Schema (2020-12): known types, required ⊆ properties, every $ref resolves. */
function schemaProblems(root: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const defs = (root['$defs'] ?? {}) as Record<string, unknown>;
  const walk = (node: unknown, at: string): void => {
    if (typeof node === 'boolean') return;
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return void problems.push(`${at}: not a schema`);
    const s = node as Record<string, unknown>;
    const types = s['type'] === undefined ? [] : Array.isArray(s['type']) ? s['type'] : [s['type']];
    for (const t of types) if (!TYPES.has(String(t))) problems.push(`${at}: unknown type ${String(t)}`);
    if (typeof s['$ref'] === 'string') {
      const m = /^#\/\$defs\/(.+)$/.exec(s['$ref']);
      if (!(s['$ref'] === '#' || (m && m[1]! in defs))) problems.push(`${at}: dangling $ref ${s['$ref']}`);
    }
    if (s['pattern'] !== undefined) {
      try {
        new RegExp(String(s['pattern']), 'u');
      } catch {
        problems.push(`${at}: bad pattern`);
      }
    }
    const props = (s['properties'] ?? {}) as Record<string, unknown>;
    for (const r of (s['required'] ?? []) as string[]) if (!(r in props)) problems.push(`${at}: required "${r}" is not a property`);
    for (const [k, v] of Object.entries(props)) walk(v, `${at}.properties.${k}`);
    for (const key of ['items', 'additionalProperties', 'not', 'propertyNames'] as const) if (s[key] !== undefined && typeof s[key] !== 'boolean') walk(s[key], `${at}.${key}`);
    for (const key of ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const) ((s[key] ?? []) as unknown[]).forEach((x, i) => walk(x, `${at}.${key}[${i}]`));
  };
  if (root['$schema'] !== 'https://json-schema.org/draft/2020-12/schema') problems.push('$schema is not draft 2020-12');
  walk(root, '#');
  for (const [k, v] of Object.entries(defs)) walk(v, `#/$defs/${k}`);
  return problems;
}

const SCHEMAS = [
  { name: 'case', file: 'case.schema.json', make: caseJsonSchema, sources: ['src/case/schema.ts', 'src/case/fields.ts'] },
  { name: 'rules', file: 'rules.schema.json', make: rulesJsonSchema, sources: ['src/rules/schema.ts'] },
  { name: 'map', file: 'map.schema.json', make: mapJsonSchema, sources: ['src/batch/map-load.ts'] },
];

/** True when the files generating a schema are as committed (so the committed JSON must match them). */
function sourcesAsCommitted(paths: string[]): boolean {
  const r = spawnSync('git', ['diff', '--quiet', 'HEAD', '--', ...paths], { cwd: ROOT });
  return r.status === 0;
}

describe.each(SCHEMAS)('$name JSON Schema', ({ file, make, sources }) => {
  const schema = make() as Record<string, unknown>;

  it('is a well-formed JSON Schema', () => {
    expect(schemaProblems(schema)).toEqual([]);
  });

  it(`equals schemas/${file} byte for byte`, () => {
    const text = JSON.stringify(schema, null, 2) + '\n';
    expect(readFileSync(join(ROOT, 'schemas', file), 'utf8')).toBe(text);
    // the build rewrites schemas/; in a checkout whose schema sources are unchanged, the committed file must match too
    const git = spawnSync('git', ['show', `HEAD:schemas/${file}`], { cwd: ROOT, encoding: 'utf8' });
    if (git.status === 0 && sourcesAsCommitted(sources)) expect(git.stdout, `schemas/${file} is stale in git: rebuild and commit it`).toBe(text);
  });
});

describe('the schemas used by a JSON Schema consumer', () => {
  const caseSchema = z.fromJSONSchema(caseJsonSchema() as never);
  const rulesSchema = z.fromJSONSchema(rulesJsonSchema() as never);

  it('case: accepts valid cases and the published fixtures, rejects unknown keys, bad values and a missing id', () => {
    expect(caseSchema.safeParse(makeCase()).success).toBe(true);
    expect(caseSchema.safeParse({ id: 'x', ivc: { collaterals: null } }).success).toBe(true);
    const dir = join(ROOT, 'fixtures', 'cases', 'published');
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.json'))) expect(caseSchema.safeParse(JSON.parse(readFileSync(join(dir, f), 'utf8'))).success, f).toBe(true);
    expect(caseSchema.safeParse(makeCase({ ivcc: 1 })).success).toBe(false);
    expect(caseSchema.safeParse(makeCase({ ivc: { lumen: 'closed' } })).success).toBe(false);
    expect(caseSchema.safeParse(makeCase({ ivc: { circumferencePercent: 120 } })).success).toBe(false);
    expect(caseSchema.safeParse({ ivc: {} }).success).toBe(false);
  });

  it('rules: accepts every shipped rule file, rejects unknown keys and operators', () => {
    for (const f of readdirSync(RULES_DIR).filter((x) => x.endsWith('.yaml'))) {
      const r = rulesSchema.safeParse(parse(readFileSync(join(RULES_DIR, f), 'utf8')));
      expect(r.success, f).toBe(true);
    }
    expect(rulesSchema.safeParse({ colour: 'red' }).success).toBe(false);
    const badRule = { id: 'r', title: 'T', decision: 'm', when: { fact: 'ivc.lumen', operator: 'roughly', value: 1 }, then: { value: 'x' }, rationale: 'R', evidence: ['e'] };
    expect(rulesSchema.safeParse({ rules: [badRule] }).success).toBe(false);
    expect(rulesSchema.safeParse({ rules: [{ ...badRule, when: { fact: 'ivc.lumen', operator: 'equal', value: 'occluded' } }] }).success).toBe(true);
  });
});
