// The shipped rule set ported to json-rules-engine 7.3.1, mechanically, from the compiled
// rule-set model (so the port follows the YAML; the equality gate catches any drift).
//
// - One engine, one `engine.run(facts)` per case. Decisions are evaluated in the model's
//   order: decision d's rules get the priority band (D - d) * 10000 + rank, so every rule
//   of an earlier decision has run before any rule that reads it (JRE runs priority sets
//   one after another, higher first).
// - A rule reading an earlier decision reads the fact "decision:<id>", which a `success`
//   handler adds with almanac.addRuntimeFact (JRE's documented rule chaining). Priority
//   decisions: the first (highest-priority) rule that fires sets the value. Collect: every
//   rule that fires adds its item. Score: points of the rules that fired, summed.
// - Operators JRE lacks (containsAny, containsNone, containsAtLeast, isEmpty, isNotEmpty,
//   isKnown, isUnknown) are added with engine.addOperator.
// - JRE has no unknown: a missing fact rejects the run, and `allowUndefinedFacts` compares
//   undefined as a value. The port is therefore only defined, and only used, on fully-known
//   cases; the facts are the flattened case fields.
import jre from 'json-rules-engine';

const { Engine } = jre;
const BAND = 10000;

function operators(engine) {
  engine.addOperator('containsAny', (fact, list) => Array.isArray(fact) && fact.some((x) => list.includes(x)));
  engine.addOperator('containsNone', (fact, list) => Array.isArray(fact) && !fact.some((x) => list.includes(x)));
  engine.addOperator('containsAtLeast', (fact, v) => Array.isArray(fact) && fact.filter((x) => v.values.includes(x)).length >= v.count);
  engine.addOperator('isEmpty', (fact) => Array.isArray(fact) && fact.length === 0);
  engine.addOperator('isNotEmpty', (fact) => Array.isArray(fact) && fact.length > 0);
  engine.addOperator('isKnown', (fact) => fact !== undefined && fact !== null);
  engine.addOperator('isUnknown', (fact) => fact === undefined || fact === null);
}

function condition(c, params) {
  switch (c.kind) {
    case 'all':
      return { all: c.items.map((x) => condition(x, params)) };
    case 'any':
      return { any: c.items.map((x) => condition(x, params)) };
    case 'not':
      return { not: condition(c.item, params) };
    case 'decision':
      return { fact: `decision:${c.decision}`, operator: c.operator, value: c.value };
    case 'fact': {
      let value = c.param !== undefined ? params[c.param] : c.value;
      if (c.operator === 'containsAtLeast') value = { values: c.value, count: c.count ?? 1 };
      if (value === undefined) value = true; // isEmpty / isKnown … take no operand; JRE requires one
      return { fact: c.fact, operator: c.operator, value };
    }
    default:
      throw new Error(`port-jre: unknown condition kind ${c.kind}`);
  }
}

/** Build the engine and a `run(facts) → values[]` matching rvlms decide()'s values. */
export function portToJre(model, params) {
  const engine = new Engine([]);
  operators(engine);
  const decisions = model.decisions;
  const D = decisions.length;
  const rulesById = new Map(model.rules.map((r) => [r.id, r]));
  const ported = [];
  decisions.forEach((d, di) => {
    const ranks = [...new Set(d.rules.map((id) => rulesById.get(id).priority))].sort((a, b) => a - b);
    if (ranks.length >= BAND) throw new Error('port-jre: too many priorities in one decision');
    for (const id of d.rules) {
      const r = rulesById.get(id);
      const rule = {
        name: r.id,
        priority: (D - di) * BAND + ranks.indexOf(r.priority) + 1,
        conditions: r.when.kind === 'all' || r.when.kind === 'any' || r.when.kind === 'not' ? condition(r.when, params) : { all: [condition(r.when, params)] },
        event: { type: 'rvlms', params: { decision: d.id, policy: d.hitPolicy, rule: r.id, value: r.then.value, points: r.then.points ?? 0 } },
      };
      engine.addRule(rule);
      ported.push(rule);
    }
  });

  // Rule chaining: make each decision's outcome a fact for the decisions after it.
  engine.on('success', async (event, almanac) => {
    const st = await almanac.factValue('$state');
    const p = event.params;
    st.fired.add(p.rule);
    if (p.policy === 'priority') {
      if (!st.values.has(p.decision)) {
        st.values.set(p.decision, p.value);
        almanac.addRuntimeFact(`decision:${p.decision}`, p.value);
      }
    } else if (p.policy === 'collect') {
      const items = st.items.get(p.decision) ?? [];
      if (!items.includes(p.value)) items.push(p.value);
      st.items.set(p.decision, items);
      almanac.addRuntimeFact(`decision:${p.decision}`, items);
    }
  });

  // Collect decisions read by later rules start empty (nothing included yet).
  const collectIds = decisions.filter((d) => d.hitPolicy === 'collect').map((d) => d.id);

  /** Decision values in model order, in the form of rvlms decide().values. */
  const valuesOf = (st) =>
    decisions.map((d) => {
      if (d.hitPolicy === 'priority') return st.values.get(d.id) ?? 'undetermined';
      if (d.hitPolicy === 'collect') {
        const items = [];
        for (const id of d.rules) {
          const v = rulesById.get(id).then.value;
          if (st.fired.has(id) && !items.includes(v)) items.push(v);
        }
        return items.join('+') || '(none)';
      }
      let score = 0;
      for (const id of d.rules) if (st.fired.has(id)) score += rulesById.get(id).then.points ?? 0;
      let level = 'undetermined';
      for (const l of d.levels ?? []) if (score >= l.minScore) level = l.value;
      return level;
    });

  async function run(facts) {
    const st = { fired: new Set(), values: new Map(), items: new Map() };
    const runtime = { ...facts, $state: st };
    for (const id of collectIds) runtime[`decision:${id}`] = [];
    await engine.run(runtime);
    return valuesOf(st);
  }
  return { engine, run, rules: ported };
}
