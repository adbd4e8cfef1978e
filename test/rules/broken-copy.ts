/**
 * Deliberately broken copies of the shipped rules, for the invariant tests: the rule files
 * as plain objects, a mutation (a guarding condition removed, or a guarding rule deleted),
 * then only what the invariant under test needs — its decision, the decisions that one reads,
 * and that invariant — written back as rule sources for `validateRules`.
 */
import { parse } from 'yaml';
import type { RuleSource } from '../../src/rules/build.js';
import { readRuleSources } from '../../src/rules/load.js';
import { RULES_DIR } from '../support/rules.js';

export type Cond = { all?: Cond[]; any?: Cond[]; not?: Cond; fact?: string; decision?: string; operator?: string; value?: unknown };
export interface Rule { id: string; decision: string; when: Cond; [k: string]: unknown }
export interface Inv { id: string; when: Cond; then: { decision: string }; [k: string]: unknown }
export interface RuleSet {
  head: Record<string, unknown>;
  decisions: Record<string, unknown>;
  rules: Rule[];
  invariants: Inv[];
}

export function shippedCopy(): RuleSet {
  const out: RuleSet = { head: {}, decisions: {}, rules: [], invariants: [] };
  for (const src of readRuleSources(RULES_DIR, 'rules')) {
    const doc = (parse(src.text) ?? {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(doc)) {
      if (k === 'rules') out.rules.push(...(v as Rule[]));
      else if (k === 'invariants') out.invariants.push(...(v as Inv[]));
      else if (k === 'decisions') Object.assign(out.decisions, v);
      else if (k === 'evidence' || k === 'parameters' || k === 'glossary') out.head[k] = { ...((out.head[k] as object) ?? {}), ...(v as object) };
      else out.head[k] = v;
    }
  }
  return out;
}

const matches = (c: Cond, leaf: Cond): boolean =>
  c.fact === leaf.fact && c.decision === leaf.decision && c.operator === leaf.operator && (leaf.value === undefined || JSON.stringify(c.value) === JSON.stringify(leaf.value));

/** Remove every leaf matching `leaf` (fact/decision, operator, value if given) from a rule's conditions; counts the removals. */
export function dropCondition(rs: RuleSet, ruleId: string, leaf: Cond): number {
  const rule = rs.rules.find((r) => r.id === ruleId);
  if (!rule) throw new Error(`no rule ${ruleId}`);
  let n = 0;
  const walk = (c: Cond): Cond => {
    if (c.all) return { all: c.all.filter((x) => (matches(x, leaf) ? (n++, false) : true)).map(walk) };
    if (c.any) {
      const kept = c.any.filter((x) => (matches(x, leaf) ? (n++, false) : true)).map(walk);
      return kept.length ? { any: kept } : { all: [] };
    }
    if (c.not) return { not: walk(c.not) };
    if (matches(c, leaf)) {
      n++;
      return { all: [] };
    }
    return c;
  };
  rule.when = walk(rule.when);
  return n;
}

export function deleteRule(rs: RuleSet, ruleId: string): void {
  const i = rs.rules.findIndex((r) => r.id === ruleId);
  if (i < 0) throw new Error(`no rule ${ruleId}`);
  rs.rules.splice(i, 1);
}

function decisionsRead(c: Cond, into: Set<string>): void {
  if (c.decision) into.add(c.decision);
  for (const x of [...(c.all ?? []), ...(c.any ?? []), ...(c.not ? [c.not] : [])]) decisionsRead(x, into);
}

/**
 * Rule sources holding only `invariantId`, its decision and every decision those read
 * (transitively). `only`: keep just these rules of the invariant's own decision.
 */
export function focusedSources(rs: RuleSet, invariantId: string, only?: readonly string[]): RuleSource[] {
  const inv = rs.invariants.find((x) => x.id === invariantId);
  if (!inv) throw new Error(`no invariant ${invariantId}`);
  const keep = new Set<string>([inv.then.decision]);
  decisionsRead(inv.when, keep);
  for (let grew = true; grew; ) {
    grew = false;
    for (const r of rs.rules) {
      if (!keep.has(r.decision)) continue;
      const before = keep.size;
      decisionsRead(r.when, keep);
      if (keep.size > before) grew = true;
    }
  }
  const file = {
    ...rs.head,
    decisions: Object.fromEntries(Object.entries(rs.decisions).filter(([id]) => keep.has(id))),
    rules: rs.rules.filter((r) => keep.has(r.decision) && (only === undefined || r.decision !== inv.then.decision || only.includes(r.id))),
    invariants: [inv],
  };
  return [{ file: 'rules/broken.yaml', text: JSON.stringify(file, null, 1) + '\n' }];
}
