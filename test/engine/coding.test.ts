/**
 * Value codes (engine/coding.ts) and the truth tables compiled from them: a condition on a
 * coded field must give exactly what the operator table's test gives on the value itself,
 * for every value of the catalogue, for unknown, and for values the catalogue does not
 * have (those get no code and run the test as written).
 */
import { describe, expect, it } from 'vitest';
import { INPUT_FIELDS } from '../../src/case/fields.js';
import { codingOf, decode, encode, NO_CODE, UNKNOWN_CODE } from '../../src/engine/coding.js';
import { factsOf, type CompiledRuleset, type DecisionState, type Facts } from '../../src/engine/compile.js';
import { decide } from '../../src/engine/decide.js';
import { DECISION_OPERATORS, FACT_OPERATORS, type DecisionOperatorTable, type OperatorTable } from '../../src/engine/operators.js';
import { F, T, U, not, type Truth } from '../../src/engine/truth.js';
import type { ConditionModel } from '../../src/rules/model.js';
import { makeCases, mulberry32 } from '../../scripts/bench/cases.mjs';
import { miniRuleset, rule, shippedRuleset } from '../support/rules.js';

const rs = shippedRuleset();

describe('value codes', () => {
  const coded = INPUT_FIELDS.map((spec) => ({ spec, coding: codingOf(spec) })).filter((x) => x.coding !== undefined);

  it('code every enum and boolean field of the catalogue and its small set fields, and no number field', () => {
    const expected = INPUT_FIELDS.filter((f) => f.kind === 'enum' || f.kind === 'boolean' || (f.kind === 'set' && f.values!.length <= 6));
    expect(coded.map((x) => x.spec.path)).toEqual(expected.map((f) => f.path));
    expect(coded.some((x) => x.spec.kind === 'set')).toBe(true);
  });

  it.each(coded.map((x) => [x.spec.path, x.coding!] as const))('%s: every code decodes to a value that encodes back to it', (_path, coding) => {
    for (let code = 0; code < coding.size; code++) expect(encode(coding, decode(coding, code))).toBe(code);
    expect(encode(coding, undefined)).toBe(UNKNOWN_CODE);
  });

  it('a set is coded by the items it holds, whatever their order; a repeated or unknown item, or a non-list, gets no code', () => {
    const segments = codingOf(INPUT_FIELDS.find((f) => f.path === 'ivc.segments')!)!;
    expect(encode(segments, ['III', 'I'])).toBe(encode(segments, ['I', 'III']));
    expect(encode(segments, [])).toBe(1);
    expect(encode(segments, ['I', 'I'])).toBe(NO_CODE);
    expect(encode(segments, ['IV'])).toBe(NO_CODE);
    expect(encode(segments, 'I')).toBe(NO_CODE);
    const lumen = codingOf(INPUT_FIELDS.find((f) => f.path === 'ivc.lumen')!)!;
    expect(encode(lumen, 'no-such-value')).toBe(NO_CODE);
    expect(encode(lumen, true)).toBe(NO_CODE);
  });
});

/** The facts of a case whose fields have these values (one per field, undefined: not given). */
function factsOfValues(rs: CompiledRuleset, values: readonly unknown[]): Facts {
  const input: Record<string, Record<string, unknown>> = {};
  values.forEach((v, i) => {
    const [section, key] = rs.fieldPaths[i]!.split('.') as [string, string];
    input[section] ??= {};
    if (v !== undefined) input[section][key] = v;
  });
  return factsOf(rs, input);
}

/** The three-valued meaning of a condition, straight from the operator tables: the oracle. */
function reference(c: ConditionModel, rs: CompiledRuleset, values: readonly unknown[], states: readonly DecisionState[]): Truth {
  switch (c.kind) {
    case 'all':
    case 'any': {
      const results = c.items.map((x) => reference(x, rs, values, states));
      const decisive = c.kind === 'all' ? F : T;
      return results.includes(decisive) ? decisive : results.includes(U) ? U : c.kind === 'all' ? T : F;
    }
    case 'not':
      return not(reference(c.item, rs, values, states));
    case 'fact': {
      const operand = c.param !== undefined ? rs.params[c.param] : c.value;
      return (FACT_OPERATORS as OperatorTable)[c.operator]!.test(values[rs.fieldIndex.get(c.fact)!], operand, c.count);
    }
    case 'decision': {
      const list = (Array.isArray(c.value) ? c.value : [c.value]).map(String);
      return (DECISION_OPERATORS as DecisionOperatorTable)[c.operator]!.test(states[rs.decisionIndex.get(c.decision)!]!, list);
    }
  }
}

/** Some values of a field, in and out of its catalogue. */
function valuesOf(path: string, rnd: () => number): unknown[] {
  const spec = INPUT_FIELDS.find((f) => f.path === path)!;
  const items = spec.values ?? [];
  const pick = () => items[Math.floor(rnd() * items.length)];
  switch (spec.kind) {
    case 'boolean':
      return [undefined, true, false, 'yes'];
    case 'enum':
      return [undefined, ...items, 'not-in-the-catalogue', 1];
    case 'set':
      return [undefined, [], [pick()], [pick(), pick()], [pick(), pick(), pick()], [pick(), 'not-in-the-catalogue'], [...items].reverse(), 'x'];
    default:
      return [undefined, 0, 40, 75, 74.5, 120];
  }
}

/** A value of the field's kind that gets no code: an unknown enum value, a repeated item, a string for a boolean. */
function outside(path: string): unknown {
  const spec = INPUT_FIELDS.find((f) => f.path === path)!;
  return spec.kind === 'enum' ? 'not-in-the-catalogue' : spec.kind === 'set' ? [spec.values![0], spec.values![0]] : spec.kind === 'boolean' ? 'yes' : 50;
}

describe('compiled conditions with truth tables', () => {
  it('give what the operator tables give on the values themselves: catalogue values, unknown, and values without a code', () => {
    const rnd = mulberry32(7);
    const base = makeCases(30, 99, 0.2);
    const conditions = [
      ...[...rs.ruleById.values()].map((r) => ({ id: r.model.id, when: r.model.when, test: r.test })),
      ...rs.invariants.map((inv) => ({ id: inv.model.id, when: inv.model.when, test: inv.test })),
    ];
    const differ: string[] = [];
    let compared = 0;
    for (const c of base) {
      const decided = decide(c, rs);
      const values = decided.facts.values;
      for (let field = 0; field < values.length; field++) {
        for (const v of valuesOf(rs.fieldPaths[field]!, rnd)) {
          const changed = values.slice();
          changed[field] = v;
          // the decisions read by their states (slots not filled), and by the codes decide gave them
          const facts = factsOfValues(rs, changed);
          const withDecisions = factsOfValues(rs, changed);
          for (let k = 0; k < rs.decisions.length; k++) withDecisions.codes[rs.decisionSlot + k] = decided.facts.codes[rs.decisionSlot + k]!;
          for (const cond of conditions) {
            compared++;
            const expected = reference(cond.when, rs, changed, decided.states);
            if (cond.test(facts, decided.states) !== expected || cond.test(withDecisions, decided.states) !== expected)
              differ.push(`${cond.id} with ${rs.fieldPaths[field]} = ${JSON.stringify(v)}`);
          }
        }
      }
    }
    expect(differ.slice(0, 5)).toEqual([]);
    expect(compared).toBeGreaterThan(100_000);
  });

  it('every operator of the table on every coded field, alone, negated and inside all / any, agrees with the table', () => {
    // built from the operator table, so that an operator added there is covered too
    const leaves: unknown[] = [];
    for (const [operator, op] of Object.entries(FACT_OPERATORS as OperatorTable))
      for (const spec of INPUT_FIELDS) {
        if (codingOf(spec) === undefined || !op.fields.includes(spec.kind) || op.operand === 'number') continue;
        const items: unknown[] = spec.kind === 'boolean' ? [true, false] : [...spec.values!];
        const value = op.operand === 'scalar' ? items[0] : op.operand === 'list' ? items.slice(0, 2) : undefined;
        leaves.push({ fact: spec.path, operator, ...(value !== undefined ? { value } : {}), ...(op.count ? { count: 2 } : {}) });
      }
    expect(leaves.length).toBeGreaterThan(30);
    const shapes = leaves.flatMap((leaf, i) => {
      const next = leaves[(i + 1) % leaves.length];
      return [leaf, { not: leaf }, { all: [leaf, { not: next }] }, { any: [{ not: leaf }, next] }, { not: { any: [leaf, { not: next }] } }];
    });
    const mini = miniRuleset({
      decisions: { d: { title: 'D', hitPolicy: 'collect', values: Object.fromEntries(shapes.map((_, i) => [`v${i}`, `V${i}`])) } },
      rules: shapes.map((when, i) => rule(`r${i}`, 'd', when, { value: `v${i}` })),
    });
    const rnd = mulberry32(11);
    const differ: string[] = [];
    for (const c of makeCases(40, 17, 0.25)) {
      const values = factsOf(mini, c).values.slice();
      // also values the catalogue does not have, in a few fields at a time
      for (let field = 0; field < values.length; field++) if (rnd() < 0.15) values[field] = outside(mini.fieldPaths[field]!);
      const facts = factsOfValues(mini, values);
      for (const r of mini.ruleById.values())
        if (r.test(facts, []) !== reference(r.model.when, mini, values, [])) differ.push(`${r.model.id} ${JSON.stringify(r.model.when)}`);
    }
    expect(differ.slice(0, 5)).toEqual([]);
  });

  it('factsOf codes what it reads: the same facts as coding the values read', () => {
    for (const c of makeCases(50, 5, 0.3)) {
      const facts = factsOf(rs, c);
      const expected = facts.values.map((v, i) => (rs.fieldCodings[i] === undefined ? NO_CODE : encode(rs.fieldCodings[i]!, v)));
      // the decision slots stay for decide to fill
      expect(facts.codes).toEqual([...expected, ...rs.decisions.map(() => NO_CODE)]);
      expect(facts.codes.some((code) => code > UNKNOWN_CODE)).toBe(true);
    }
  });

  it('factsOf reads own properties only: an inherited value is unknown, never a default', () => {
    const ivc = Object.create({ lumen: 'occluded', segments: ['I'] }) as Record<string, unknown>;
    ivc['collaterals'] = 'none';
    const facts = factsOf(rs, { id: 'inherited', ivc, tumor: Object.create({ biopsy: 'lms' }) });
    const at = (path: string) => rs.fieldIndex.get(path)!;
    expect(facts.values[at('ivc.lumen')]).toBeUndefined();
    expect(facts.values[at('ivc.segments')]).toBeUndefined();
    expect(facts.values[at('tumor.biopsy')]).toBeUndefined();
    expect(facts.codes[at('ivc.lumen')]).toBe(UNKNOWN_CODE);
    expect(facts.values[at('ivc.collaterals')]).toBe('none');
  });

  it('a decision decided by a rule is the state made for that rule at compile time', () => {
    const decided = decide(makeCases(1, 3, 0)[0]!, rs);
    let shared = 0;
    for (const d of rs.decisions) {
      const r = decided.resolutions[d.index]!;
      if (r.decidedBy === undefined) continue;
      expect(decided.states[d.index]).toBe(d.decidedStates[r.decidedBy]);
      expect(decided.facts.codes[rs.decisionSlot + d.index]).toBe(r.decidedBy);
      expect(decided.states[d.index]).toEqual({ value: r.value, candidates: [r.value], missing: [] });
      shared++;
    }
    expect(shared).toBeGreaterThan(5);
  });
});
