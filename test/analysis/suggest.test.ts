/** "Did you mean" (diagnostics/suggest.ts, tested in test/diagnostics): the closest declared id for misspelt references in rule files, case files and fixtures. */
import { describe, expect, it } from 'vitest';
import { runTests } from '../../src/analysis/testing.js';
import { validateRules } from '../../src/analysis/validate.js';
import { validateCase } from '../../src/case/schema.js';
import { main } from '../../src/cli/index.js';
import { fakeIo } from '../support/cli.js';
import { shippedModel, shippedRuleset } from '../support/rules.js';
import { rulesetDir, sourcesOf } from './helpers.js';

describe('rule files: misspelt field, value, parameter, decision and evidence ids', () => {
  it('each error of the misspelt rule set carries the id it most likely meant', async () => {
    const r = await validateRules(sourcesOf('misspelt'));
    expect(r.summary.analysed).toBe(false);
    expect(r.diagnostics.map((d) => [d.line, d.code, d.suggestion])).toEqual([
      [15, 'rules/unknown-evidence', 'did you mean "jgs2014"?'],
      [29, 'rules/unknown-decision', 'did you mean "ivcManagement"?'],
      [42, 'rules/unknown-field', 'did you mean "ivc.circumferencePercent"?'],
      [42, 'rules/unknown-parameter', 'did you mean "graftThresholdPercent"?'],
      [43, 'rules/unknown-value', 'did you mean "occluded"?'],
      [44, 'rules/unknown-outcome', 'did you mean "interposition_graft"?'],
      // nothing resembles these: the general hint for a field, none for evidence
      [52, 'rules/unknown-field', 'fields are dotted paths of the case schema, e.g. ivc.circumferencePercent (see rvlms schema case)'],
      [55, 'rules/unknown-evidence', undefined],
      [61, 'rules/unknown-decision', 'did you mean "ivcManagement"?'],
      [66, 'rules/unknown-value', 'did you mean "primary_repair"?'],
      [67, 'rules/unknown-value', 'did you mean "interposition_graft"?'],
    ]);
  });

  it('validate prints the suggestion as a hint under the finding', async () => {
    const { io, out } = fakeIo();
    expect(await main(['validate', '--rules', rulesetDir('misspelt')], io)).toBe(1);
    expect(out()).toMatch(/error rules\/unknown-parameter unknown parameter "graftTresholdPercent" .*\n {4}hint: did you mean "graftThresholdPercent"\?\n/);
  });
});

describe('case files: unknown keys and enum values', () => {
  it('suggests the key of the same section, and the allowed value', () => {
    const v = validateCase(
      {
        id: 'typos',
        tumour: {},
        patient: { sex: 'femal' },
        ivc: { segmnts: ['I'], lumen: 'ocluded' },
        tumor: { adjacentOrgans: ['right_kidny'], origin: 'banana' },
      },
      'c.json',
    );
    expect(v.ok).toBe(false);
    if (v.ok) return;
    const got = Object.fromEntries(v.diagnostics.map((d) => [`${d.code} ${d.path}`, d.suggestion]));
    expect(got).toEqual({
      'case/unknown-key tumour': 'did you mean "tumor"?',
      'case/unknown-key ivc.segmnts': 'did you mean "segments"?',
      'case/enum patient.sex': 'did you mean "female"?',
      'case/enum ivc.lumen': 'did you mean "occluded"?',
      'case/enum tumor.adjacentOrgans[0]': 'did you mean "right_kidney"?',
      'case/enum tumor.origin': undefined,
    });
  });

  it('an unknown key nothing resembles keeps the general hint', () => {
    const v = validateCase({ id: 'x', ivc: { zzzz: 1 } }, 'c.json');
    expect(v.ok ? [] : v.diagnostics.map((d) => [d.code, d.suggestion])).toEqual([['case/unknown-key', 'check the spelling; an unknown input is written as null or left out']]);
  });
});

describe('fixtures', () => {
  it('an expectation of a misspelt decision suggests the decision', () => {
    const r = runTests(
      [{ file: 'f.yaml', text: 'cases:\n  - name: x\n    input: { id: x }\n    expect: { ivcManagment: { value: undetermined } }\n' }],
      shippedModel(),
      shippedRuleset(),
      () => {
        throw new Error('no files');
      },
    );
    expect(r.cases[0]!.failures.map((f) => [f.code, f.suggestion])).toEqual([['golden/unknown-decision', 'did you mean "ivcManagement"?']]);
  });
});
