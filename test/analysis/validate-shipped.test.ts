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
});
