/**
 * Each broken rule set under fixtures/rulesets/ yields its finding: code, rules, location,
 * and a counterexample that is a valid case and really reproduces the finding when the
 * engine evaluates it with that rule set.
 */
import { describe, expect, it } from 'vitest';
import { validateRules } from '../../src/analysis/validate.js';
import type { Finding } from '../../src/analysis/context.js';
import { buildRuleset } from '../../src/rules/build.js';
import { compileRuleset } from '../../src/engine/compile.js';
import { compiled, replay, ruleResult, sourcesOf } from './helpers.js';

const findings = async (name: string): Promise<Finding[]> => [...(await validateRules(sourcesOf(name))).diagnostics];
const only = async (name: string, code: string): Promise<Finding> => {
  const fs = (await findings(name)).filter((f) => f.code === code);
  expect(fs).toHaveLength(1);
  return fs[0]!;
};

describe('rule sets that do not build: every problem, with its position, and no analysis', () => {
  it.each([
    ['bad-yaml', [{ code: 'rules/yaml', line: 50 }]],
    ['bad-schema', [{ code: 'rules/enum', line: 40 }, { code: 'rules/required', line: 45 }]],
    ['unknown-field', [{ code: 'rules/unknown-field', line: 40 }]],
  ] as const)('%s', async (name, expected) => {
    const r = await validateRules(sourcesOf(name));
    expect(r.summary.analysed).toBe(false);
    expect(r.diagnostics.map((d) => ({ code: d.code, line: d.line }))).toEqual(expected);
    for (const d of r.diagnostics) {
      expect(d.severity).toBe('error');
      expect(d.file).toBe(`fixtures/rulesets/${name}/ruleset.yaml`);
      expect(d.col).toBeGreaterThan(0);
    }
  });
});

describe('analysis findings', () => {
  it('minimal: the reference rule set is clean', async () => {
    expect(await findings('minimal')).toEqual([]);
  });

  it('gap: 40–74 % has no rule; the counterexample has no outcome', async () => {
    const f = await only('gap', 'analysis/gap');
    expect(f).toMatchObject({ severity: 'error', decision: 'ivcManagement', rules: ['ivc.not-involved', 'ivc.graft', 'ivc.repair'] });
    expect(f.related).toHaveLength(3);
    expect((await findings('gap')).map((x) => x.code)).toEqual(['analysis/gap']);
    const { rs } = compiled('gap');
    const plan = replay(f.counterexample, rs);
    const d = plan.decisions.ivcManagement!;
    expect(d.status).toBe('undetermined');
    expect(d.candidates).toEqual([]);
    const circ = (f.counterexample as { ivc: { circumferencePercent: number } }).ivc.circumferencePercent;
    expect(circ).toBeGreaterThanOrEqual(40);
    expect(circ).toBeLessThan(75);
  });

  it('conflict: ivc.graft and ivc.repair both hold at priority 600', async () => {
    const f = await only('conflict', 'analysis/conflict');
    expect(f).toMatchObject({ severity: 'error', decision: 'ivcManagement', rules: ['ivc.graft', 'ivc.repair'], line: 46 });
    expect(f.related?.[0]?.line).toBe(37);
    const { rs } = compiled('conflict');
    const plan = replay(f.counterexample, rs);
    expect(ruleResult(plan, 'ivc.graft')).toBe('true');
    expect(ruleResult(plan, 'ivc.repair')).toBe('true');
    expect(ruleResult(plan, 'ivc.not-involved')).toBe('false');
    expect(plan.decisions.ivcManagement!.rule).toBe('ivc.graft'); // file order decided
  });

  it('masked: ivc.small-repair holds but never decides', async () => {
    const f = await only('masked', 'analysis/masked');
    expect(f.rules?.[0]).toBe('ivc.small-repair');
    expect(f.rules).toContain('ivc.repair');
    expect(f.line).toBe(55);
    const { rs } = compiled('masked');
    const plan = replay(f.counterexample, rs);
    expect(ruleResult(plan, 'ivc.small-repair')).toBe('true');
    expect(plan.decisions.ivcManagement!.rule).not.toBe('ivc.small-repair');
    expect(f.rules).toContain(plan.decisions.ivcManagement!.rule);
  });

  it('invariant-violation: primary repair at segment III', async () => {
    const f = await only('invariant-violation', 'analysis/invariant');
    expect(f).toMatchObject({ severity: 'error', decision: 'ivcManagement', rules: ['inv.no-repair-segment-iii', 'ivc.repair'], line: 56 });
    const { rs } = compiled('invariant-violation');
    const plan = replay(f.counterexample, rs);
    expect(plan.invariantViolations).toEqual([{ invariant: 'inv.no-repair-segment-iii', decision: 'ivcManagement', values: ['primary_repair'] }]);
    expect(plan.decisions.ivcManagement).toMatchObject({ value: 'primary_repair', rule: 'ivc.repair' });
    expect((await findings('invariant-violation')).map((x) => x.code)).toEqual(['analysis/invariant']);
  });

  it('contradiction: lessThan 40 and greaterThan 75 in ivc.narrow', async () => {
    const f = await only('contradiction', 'analysis/contradiction');
    expect(f).toMatchObject({ severity: 'error', rules: ['ivc.narrow'], line: 54 });
    expect(f.related?.map((r) => r.path)).toEqual(['rules[3].when.all[1]', 'rules[3].when.all[2]']);
    const { rs } = compiled('contradiction');
    const plan = replay(f.counterexample, rs);
    const when = plan.trace!.find((t) => t.rule === 'ivc.narrow')!.when;
    expect(when.kind).toBe('all');
    if (when.kind === 'all') {
      expect(when.children[1]!.result).toBe('true');
      expect(when.children[2]!.result).toBe('false');
    }
  });

  it('unreachable: the counterexample is a case where the field conditions hold and the decision read is not ligation', async () => {
    const fs = (await findings('unreachable')).filter((f) => f.code === 'analysis/unreachable');
    expect(fs.map((f) => f.rules)).toEqual([['cx.ligation-upper'], ['cx.ligation-atrial-no-ivc']]);
    const f = fs[0]!;
    expect(f).toMatchObject({ severity: 'error', decision: 'complexity', line: 70, region: { 'ivc.circumferencePercent': '[50, 100]' } });
    expect(f.related?.map((r) => r.path)).toEqual(['rules[4].when.all[0]']); // the decision condition
    const ivc = (f.counterexample as { ivc: { segments: string[]; circumferencePercent: number } }).ivc;
    expect(ivc.segments).toContain('III');
    expect(ivc.circumferencePercent).toBeGreaterThanOrEqual(50);
    const { rs } = compiled('unreachable');
    const plan = replay(f.counterexample, rs);
    const when = plan.trace!.find((t) => t.rule === 'cx.ligation-upper')!.when;
    expect(when.kind === 'all' && when.children.map((c) => c.result)).toEqual(['false', 'true', 'true']);
    expect(plan.decisions.ivcManagement).toMatchObject({ status: 'determined', value: 'interposition_graft' });
  });

  it('unreachable: field conditions that hold in no valid case give no counterexample and point at those conditions', async () => {
    const f = (await findings('unreachable')).find((x) => x.rules?.[0] === 'cx.ligation-atrial-no-ivc')!;
    expect(f).toMatchObject({ code: 'analysis/unreachable', severity: 'error', decision: 'complexity', line: 82 });
    expect(f.counterexample).toBeUndefined();
    expect(f.related?.map((r) => r.path)).toEqual(['rules[5].when.all[1]', 'rules[5].when.all[2]']);
  });

  it('an invariant is checked on the candidates too: a decision that may be forbidden is a violation', async () => {
    // the minimal set with ivc.not-involved moved below the circumference rules
    const [src] = sourcesOf('minimal');
    const text = src!.text.replace('    priority: 900\n', '    priority: 100\n');
    const r = await validateRules([{ file: 'demoted.yaml', text }]);
    const f = r.diagnostics.find((d) => d.code === 'analysis/invariant')!;
    expect(f.rules?.[0]).toBe('inv.no-graft-without-ivc');
    const built = buildRuleset([{ file: 'demoted.yaml', text }]);
    const plan = replay(f.counterexample, compileRuleset(built.model!));
    const d = plan.decisions.ivcManagement!;
    expect(d.status).toBe('undetermined');
    expect(d.candidates?.map((c) => c.value)).toContain('interposition_graft');
    expect(plan.invariantViolations.map((v) => v.invariant)).toEqual(['inv.no-graft-without-ivc']);
  });
});
