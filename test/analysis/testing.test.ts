/** rvlms test core: pass / fail / duplicates / coverage / threshold / explain, and the JUnit report. */
import { describe, expect, it } from 'vitest';
import { runTests } from '../../src/analysis/testing.js';
import type { CaseResolver } from '../../src/analysis/golden.js';
import { renderJunit, renderTestText, TRACED_FAILURES, xmlEscape } from '../../src/report/test-report.js';
import { PLAIN } from '../../src/report/style.js';
import { shippedModel, shippedRuleset } from '../support/rules.js';

const noFiles: CaseResolver = () => {
  throw new Error('no case files in this test');
};
const run = (text: string, threshold?: number, explain: 'fails' | 'full' | 'off' = 'fails') =>
  runTests([{ file: 'f.yaml', text }], shippedModel(), shippedRuleset(), noFiles, { explain, ...(threshold !== undefined ? { threshold } : {}) });

const CASE = (id: string, circ: number) =>
  `{ id: ${id}, tumor: { arterialInvolvement: [], adjacentOrgans: [], metastases: none }, ivc: { segments: [I], rightAtrialExtension: false, circumferencePercent: ${circ}, lumen: patent, collaterals: limited } }`;

describe('golden runner', () => {
  it('passes and fails by decision value and rule id', () => {
    const r = run(`cases:
  - name: patch
    input: ${CASE('a', 50)}
    expect: { ivcManagement: { value: patch_cavoplasty, rule: ivc.patch } }
  - name: wrong
    input: ${CASE('b', 20)}
    expect: { ivcManagement: { value: patch_cavoplasty } }
`);
    expect(r.summary).toEqual({ total: 2, passed: 1, failed: 1, errors: 0 });
    expect(r.ok).toBe(false);
    const fail = r.cases.find((c) => c.name === 'wrong')!;
    expect(fail.failures.map((f) => [f.code, f.path])).toEqual([['golden/mismatch', 'cases[1].expect.ivcManagement.value']]);
    expect(fail.trace?.length).toBeGreaterThan(0); // --explain fails: the failing case's trace,
    expect(new Set(fail.trace!.map((t) => t.decision))).toEqual(new Set(['ivcManagement'])); // of the decision it fails on
    expect(r.cases.find((c) => c.name === 'patch')!.trace).toBeUndefined();
  });

  it('text traces the first failing cases only, then says how many more; every one when asked', () => {
    const n = TRACED_FAILURES + 3;
    const cases = Array.from({ length: n }, (_, i) => `  - name: wrong-${i}\n    input: ${CASE(`w${i}`, 20 + i)}\n    expect: { ivcManagement: { value: patch_cavoplasty } }\n`).join('');
    const r = run(`cases:\n${cases}`);
    expect(r.cases.every((c) => c.trace !== undefined)).toBe(true); // the result keeps them all
    const traced = (text: string) => text.split('\n').filter((l) => /^ {4}ivcManagement$/.test(l)).length;
    const capped = renderTestText(r, shippedModel(), PLAIN);
    expect(traced(capped)).toBe(TRACED_FAILURES);
    expect(capped).toContain(`traces of 3 more failing cases not shown`);
    expect(traced(renderTestText(r, shippedModel(), PLAIN, Infinity))).toBe(n);
  });

  it('explain full traces every case, off none', () => {
    const text = `cases:\n  - name: one\n    input: ${CASE('a', 50)}\n    expect: { ivcManagement: { value: primary_repair } }\n`;
    expect(run(text, undefined, 'full').cases[0]!.trace).toBeDefined();
    expect(run(text, undefined, 'off').cases[0]!.trace).toBeUndefined();
  });

  it('rejects duplicate names and duplicate cases', () => {
    const r = run(`cases:
  - name: one
    input: ${CASE('a', 50)}
    expect: {}
  - name: one
    input: ${CASE('b', 50)}
    expect: {}
  - name: two
    input: ${CASE('a', 50)}
    expect: {}
`);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['golden/duplicate-name', 'golden/duplicate-case']);
    expect(r.ok).toBe(false);
  });

  it('coverage: rules that never decide and outcomes never reached; threshold verdict', () => {
    const text = `cases:\n  - name: one\n    input: ${CASE('a', 50)}\n    expect: {}\n`;
    const r = run(text, 50);
    const model = shippedModel();
    expect(r.coverage.rules.total).toBe(model.rules.length);
    expect(r.coverage.rules.uncovered.map((u) => u.rule)).toContain('ivc.graft-circumferential');
    expect(r.coverage.rules.uncovered.map((u) => u.rule)).not.toContain('ivc.patch');
    expect(r.coverage.outcomes.uncovered).toContainEqual({ decision: 'ivcManagement', value: 'ligation' });
    expect(r.coverage.rules.percent).toBeLessThan(50);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['test/coverage', 'test/coverage']);
    expect(r.ok).toBe(false);
    expect(run(text, 0).ok).toBe(true);
  });

  it('no cases is an error, not a pass', () => {
    expect(run('cases: []\n').diagnostics.map((d) => d.code)).toEqual(['test/no-cases']);
  });
});

describe('JUnit XML', () => {
  it('escapes markup and drops characters XML 1.0 cannot carry', () => {
    expect(xmlEscape(`a<b>&"c'\u0001\u0007z\u{1F600}`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;z\u{1F600}');
  });

  it('is well formed, with one testcase per fixture and failures carrying their code', () => {
    const r = run(`cases:
  - name: "odd <name> & \\"quotes\\" \\u0001"
    input: ${CASE('a', 20)}
    expect: { ivcManagement: { value: patch_cavoplasty } }
  - name: ok
    input: ${CASE('b', 50)}
    expect: { ivcManagement: { value: patch_cavoplasty } }
`);
    const xml = renderJunit(r);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites')).toBe(true);
    expect(xml).toMatch(/<testsuites name="rvlms test" tests="2" failures="1" errors="0">/);
    expect(xml).toContain('name="odd &lt;name&gt; &amp; &quot;quotes&quot; "');
    expect(xml).toMatch(/<failure message="[^"]*" type="golden\/mismatch">/);
    // every control character gone, every tag closed in order
     
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    const stack: string[] = [];
    for (const m of xml.matchAll(/<(\/?)([A-Za-z]+)[^>]*?(\/?)>/g)) {
      if (m[3]) continue;
      if (m[1]) expect(stack.pop()).toBe(m[2]);
      else stack.push(m[2]!);
    }
    expect(stack).toEqual([]);
    // no raw & or < inside attribute values or text
    expect(xml.replace(/<[^>]*>/g, '')).not.toMatch(/&(?!amp;|lt;|gt;|quot;|apos;)|</);
  });
});
