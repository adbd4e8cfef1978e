/**
 * Golden fixtures (RuleTester style): named cases with expected decision values and rule
 * ids, never wording. Pure: fixture texts and a case resolver in, results out.
 *
 * File format (YAML):
 *   cases:
 *     - name: zhang2021-case1              # unique across all fixture files
 *       case: ../cases/published/zhang2021-case1.json   # path relative to this file
 *       # or  input: { id: ..., ivc: {...} }            # inline case
 *       expect:
 *         ivcManagement: { value: undetermined, candidates: [ligation, interposition_graft], missing: [ivc.collaterals] }
 *         resectability: { value: resectable, rule: res.resectable }
 *         renalVeins: { value: [keep], rules: [rv.keep] }
 *       warnings: [leg-oedema]              # optional: warning ids that must be present
 *       borderline: [ivc.circumferencePercent]   # optional: exact set of borderline fields
 * Every list is compared as a set; fields left out of `expect` are not checked.
 */
import { schemaDiagnostics } from '../diagnostics/zod.js';
import * as z from 'zod/mini';
import { dotPath, type Diagnostic, type SourceRef } from '../diagnostics/diagnostic.js';
import { suggest } from '../diagnostics/suggest.js';
import { locate, parseYaml, type ParsedYaml } from '../io/yaml.js';
import { validateCase } from '../case/schema.js';
import { evaluate, type Plan } from '../engine/evaluate.js';
import type { CompiledRuleset } from '../engine/compile.js';

const strList = z.array(z.string());
const expectation = z.strictObject({
  value: z.optional(z.union([z.string(), strList])),
  rule: z.optional(z.string()),
  rules: z.optional(strList),
  candidates: z.optional(strList),
  missing: z.optional(strList),
});
const goldenCase = z.strictObject({
  name: z.string().check(z.minLength(1)),
  description: z.optional(z.string()),
  case: z.optional(z.string()),
  input: z.optional(z.record(z.string(), z.unknown())),
  expect: z.record(z.string(), expectation),
  warnings: z.optional(strList),
  borderline: z.optional(strList),
});
export const goldenFileSchema = z.strictObject({ cases: z.array(goldenCase) });
export type GoldenCase = z.infer<typeof goldenCase>;

export interface GoldenSource {
  readonly file: string;
  readonly text: string;
}

/** An expectation a fixture states: a decision value or an id list. */
export type ExpectValue = string | readonly string[];

/** What a golden/mismatch diagnostic compared: the expectation (decision and field), the expected and the actual value (null: none). */
export interface Mismatch extends Diagnostic {
  readonly decision?: string;
  readonly field: 'value' | 'rule' | 'rules' | 'candidates' | 'missing' | 'warnings' | 'borderline';
  readonly expected: ExpectValue;
  readonly actual: ExpectValue | null;
}

export const isMismatch = (d: Diagnostic): d is Mismatch => 'field' in d && 'expected' in d;

export interface GoldenCaseResult {
  readonly name: string;
  /** Position of the fixture in its file's `cases` list. */
  readonly index: number;
  readonly src: SourceRef;
  readonly status: 'pass' | 'fail' | 'error';
  readonly failures: readonly (Diagnostic | Mismatch)[];
  readonly plan?: Plan;
}

export interface GoldenResult {
  readonly cases: readonly GoldenCaseResult[];
  /** Problems with the fixture files themselves (parse, schema, duplicates). */
  readonly diagnostics: readonly Diagnostic[];
  /** Fixtures left out by `only`. */
  readonly notRun: number;
}

/** Resolves `case:` paths: returns the case text, or throws an InputError. */
export type CaseResolver = (fromFile: string, path: string) => { file: string; text: string };

const sameSet = (a: readonly string[], b: readonly string[]): boolean => {
  const x = [...new Set(a)].sort();
  const y = [...new Set(b)].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
};

/** Stable stringify for duplicate detection (key order does not matter). */
export function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined && (v as Record<string, unknown>)[k] !== null)
      .map((k) => `${JSON.stringify(k)}:${stableStringify((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

function parseCaseData(text: string, file: string): unknown {
  const t = text.replace(/^\uFEFF/, '');
  if (/\.json$/i.test(file)) return JSON.parse(t);
  const p = parseYaml(t, file, 'case');
  if (p.diagnostics.length) throw new Error(p.diagnostics[0]!.message);
  return p.value;
}

export function compareExpectations(plan: Plan, g: GoldenCase, at: (path: (string | number)[]) => SourceRef): (Diagnostic | Mismatch)[] {
  const out: (Diagnostic | Mismatch)[] = [];
  const show = (v: ExpectValue | null) => (v === null ? '(none)' : Array.isArray(v) ? `[${v.join(', ')}]` : String(v));
  const fail = (decision: string | undefined, field: Mismatch['field'], expected: ExpectValue, actual: ExpectValue | null, message?: string) =>
    out.push({
      ...at(decision === undefined ? [field] : ['expect', decision, field]),
      severity: 'error',
      code: 'golden/mismatch',
      message: `${g.name}: ${message ?? `${decision === undefined ? field : `${decision}.${field}`} expected ${show(expected)}, got ${show(actual)}`}`,
      ...(decision !== undefined ? { decision } : {}),
      field,
      expected,
      actual,
    });
  for (const [decision, exp] of Object.entries(g.expect)) {
    const r = plan.decisions[decision];
    if (!r) {
      const suggestion = suggest(decision, Object.keys(plan.decisions));
      out.push({ ...at(['expect', decision]), severity: 'error', code: 'golden/unknown-decision', message: `${g.name}: no decision "${decision}" in the rule set`, ...(suggestion ? { suggestion } : {}) });
      continue;
    }
    const value: ExpectValue = r.value;
    if (exp.value !== undefined) {
      const ok = Array.isArray(exp.value) ? Array.isArray(value) && sameSet(exp.value, value) : exp.value === value;
      if (!ok) fail(decision, 'value', exp.value, value);
    }
    if (exp.rule !== undefined && exp.rule !== r.rule) fail(decision, 'rule', exp.rule, r.rule ?? null);
    const rules = r.rules ?? (r.rule ? [r.rule] : []);
    if (exp.rules !== undefined && !sameSet(exp.rules, rules)) fail(decision, 'rules', exp.rules, rules);
    if (exp.candidates !== undefined) {
      const got = (r.candidates ?? []).map((c) => c.value);
      if (!sameSet(exp.candidates, got)) fail(decision, 'candidates', exp.candidates, got);
    }
    if (exp.missing !== undefined && !sameSet(exp.missing, r.missing ?? [])) fail(decision, 'missing', exp.missing, r.missing ?? []);
  }
  if (g.warnings) {
    const got = plan.warnings.map((w) => w.id);
    const absent = g.warnings.filter((w) => !got.includes(w));
    for (const w of absent) fail(undefined, 'warnings', g.warnings, got, `warning "${w}" expected, not raised (raised: ${bracketed(got)})`);
  }
  if (g.borderline) {
    const got = plan.borderline.map((b) => b.field);
    if (!sameSet(g.borderline, got)) fail(undefined, 'borderline', g.borderline, got);
  }
  return out;
}
const bracketed = (v: readonly string[]) => `[${v.join(', ')}]`;

export interface GoldenOptions {
  /** Keep the full trace in the plan: of every case (full), of failing cases (fails), of none (off, the default). */
  readonly explain?: 'off' | 'fails' | 'full';
  /** Run only the fixtures whose name this accepts (the others are still checked for duplicate names). */
  readonly only?: (name: string) => boolean;
}

export function runGolden(sources: readonly GoldenSource[], rs: CompiledRuleset, resolve: CaseResolver, options: GoldenOptions = {}): GoldenResult {
  const explain = options.explain ?? 'off';
  const diagnostics: Diagnostic[] = [];
  const cases: GoldenCaseResult[] = [];
  const names = new Map<string, SourceRef>();
  const inputs = new Map<string, SourceRef>();
  let notRun = 0;
  for (const src of sources) {
    const parsed: ParsedYaml = parseYaml(src.text, src.file, 'golden');
    diagnostics.push(...parsed.diagnostics);
    if (parsed.diagnostics.length) continue;
    const r = z.safeParse(goldenFileSchema, parsed.value);
    if (!r.success) {
      diagnostics.push(...schemaDiagnostics(r.error.issues, parsed, 'golden'));
      continue;
    }
    r.data.cases.forEach((g, i) => {
      const at = (path: (string | number)[]): SourceRef => ({ file: src.file, path: dotPath(['cases', i, ...path]), ...locate(parsed, ['cases', i, ...path]) });
      const here = at([]);
      const first = names.get(g.name);
      if (first) {
        diagnostics.push({ ...at(['name']), severity: 'error', code: 'golden/duplicate-name', message: `duplicate fixture name "${g.name}"`, related: [first] });
        return;
      }
      names.set(g.name, here);
      if (options.only && !options.only(g.name)) {
        notRun++;
        return;
      }
      let data: unknown;
      let caseFile = src.file;
      try {
        if ((g.case === undefined) === (g.input === undefined)) throw new Error('give exactly one of `case` and `input`');
        if (g.case !== undefined) {
          const c = resolve(src.file, g.case);
          caseFile = c.file;
          data = parseCaseData(c.text, c.file);
        } else data = g.input;
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        cases.push({ name: g.name, index: i, src: here, status: 'error', failures: [{ ...at(['case']), severity: 'error', code: 'golden/case-unreadable', message: `${g.name}: ${msg}` }] });
        return;
      }
      const key = stableStringify(data);
      const dup = inputs.get(key);
      if (dup) {
        diagnostics.push({ ...here, severity: 'error', code: 'golden/duplicate-case', message: `fixture "${g.name}" repeats the case of an earlier fixture`, related: [dup] });
        return;
      }
      inputs.set(key, here);
      const v = validateCase(data, caseFile);
      if (!v.ok) {
        cases.push({ name: g.name, index: i, src: here, status: 'error', failures: v.diagnostics.map((d) => ({ ...d, code: 'golden/invalid-case', message: `${g.name}: ${d.message}` })) });
        return;
      }
      let plan = evaluate(v.value, rs, { trace: explain === 'full' });
      const failures = compareExpectations(plan, g, at);
      if (failures.length && explain === 'fails') plan = evaluate(v.value, rs, { trace: true });
      cases.push({ name: g.name, index: i, src: here, status: failures.length ? 'fail' : 'pass', failures, plan });
    });
  }
  return { cases, diagnostics, notRun };
}
