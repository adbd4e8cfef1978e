/** validate on the shipped rules: clean, every decision analysed; a new invariant is checked against them. */
import { beforeAll, describe, expect, it } from 'vitest';
import { validateRules } from '../../src/analysis/validate.js';
import { readRuleSources } from '../../src/rules/load.js';
import { buildRuleset } from '../../src/rules/build.js';
import { compileRuleset } from '../../src/engine/compile.js';
import { RULES_DIR } from '../support/rules.js';
import { replay } from './helpers.js';

const shipped = () => readRuleSources(RULES_DIR, 'rules');

describe('the shipped rule set', () => {
  let result: Awaited<ReturnType<typeof validateRules>>;
  beforeAll(async () => {
    result = await validateRules(shipped());
  });

  it('validates clean: no finding of any severity', async () => {
    expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    expect(result.summary).toEqual({ errors: 0, warnings: 0, infos: 0, analysed: true, complete: true, status: 'complete' });
    expect(result.incomplete).toEqual([]);
  });

  it('analyses every decision over a non-trivial space', async () => {
    expect(result.decisions.map((d) => d.id)).toEqual([
      'resectability',
      'ivcManagement',
      'veinOfOrigin',
      'renalVeins',
      'access',
      'circulatorySupport',
      'intraoperative',
      'graftCare',
      'bloodProducts',
      'preparation',
      'systemicTherapy',
      'operativeRisk',
      'renalFunction',
      'aftercare',
      'complexity',
    ]);
    for (const d of result.decisions) {
      expect(d.inputs).toBeGreaterThan(0);
      expect(d.complete).toBe(true);
    }
  });

  it('checks a new invariant against the shipped rules: laparoscopy for an intraluminal tumour is found', async () => {
    const extra = {
      file: 'rules/zz-extra.yaml',
      text: [
        'invariants:',
        '  - id: inv.no-laparoscopy-intraluminal',
        '    title: No laparoscopy for an intraluminal tumour',
        '    when: { fact: tumor.imagingType, operator: equal, value: intraluminal }',
        '    then: { decision: access, operator: notIn, value: [laparoscopic_feasible] }',
        '',
      ].join('\n'),
    };
    const r = await validateRules([...shipped(), extra]);
    const f = r.diagnostics.filter((d) => d.code === 'analysis/invariant');
    expect(f).toHaveLength(1);
    expect(f[0]!.rules?.[0]).toBe('inv.no-laparoscopy-intraluminal');
    expect(f[0]!.rules).toContain('acc.laparoscopic');
    expect(f[0]!.file).toBe('rules/zz-extra.yaml');
    const rs = compileRuleset(buildRuleset([...shipped(), extra]).model!);
    const plan = replay(f[0]!.counterexample, rs);
    expect(plan.invariantViolations.map((v) => v.invariant)).toEqual(['inv.no-laparoscopy-intraluminal']);
  });

  it('a complexity factor for ligation at segment III is unreachable, shown by a case with segment III', async () => {
    const extra = {
      file: 'rules/zz-extra.yaml',
      text: [
        'rules:',
        '  - id: cx.ligation-upper',
        '    title: Ligation above the hepatic veins',
        '    decision: complexity',
        '    when:',
        '      all:',
        '        - { decision: ivcManagement, operator: equal, value: ligation }',
        '        - { fact: ivc.segments, operator: contains, value: III }',
        '    then: { points: 2 }',
        '    rationale: Never holds.',
        '    evidence: [daylami2010]',
        '',
      ].join('\n'),
    };
    const r = await validateRules([...shipped(), extra]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['analysis/unreachable']);
    const f = r.diagnostics[0]!;
    expect(f).toMatchObject({ file: 'rules/zz-extra.yaml', line: 2, decision: 'complexity', rules: ['cx.ligation-upper'] });
    // only the rule's field condition is set (which segments besides III is the solver's choice)
    const cex = f.counterexample as { id: string; ivc: { segments: string[] } };
    expect(Object.keys(cex).sort()).toEqual(['id', 'ivc', 'schemaVersion']);
    expect(cex.id).toBe('unreachable-cx.ligation-upper');
    expect(Object.keys(cex.ivc)).toEqual(['segments']);
    expect(cex.ivc.segments).toContain('III');
    const plan = replay(f.counterexample, compileRuleset(buildRuleset([...shipped(), extra]).model!));
    expect(plan.trace!.find((t) => t.rule === 'cx.ligation-upper')!.result).toBe('false');
    expect(plan.decisions.ivcManagement!.candidates?.map((c) => c.value)).not.toContain('ligation');
  });
});
