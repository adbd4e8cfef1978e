/**
 * Inputs no rule reads. A plan lists every field the case provides that no rule or
 * invariant condition of the rule set refers to, so that nobody believes it was weighed.
 * Static over the rule set: a field some rule reads counts as read even when that rule was
 * not reached for this case. Pure.
 */
import type { ConditionModel, RulesetModel } from '../rules/model.js';

/** Read by an outcome rather than a condition: graft sizing takes the native IVC diameter. */
const GRAFT_SIZING_FIELD = 'ivc.diameterMm';

function collect(c: ConditionModel, into: Set<string>): void {
  switch (c.kind) {
    case 'all':
    case 'any':
      for (const x of c.items) collect(x, into);
      return;
    case 'not':
      collect(c.item, into);
      return;
    case 'fact':
      into.add(c.fact);
      return;
    case 'decision':
      return;
  }
}

/** Every case field a rule, an invariant or an outcome of the rule set reads. */
export function fieldsReadBy(model: RulesetModel): ReadonlySet<string> {
  const read = new Set<string>();
  for (const r of model.rules) {
    collect(r.when, read);
    if (r.then.graftSizing) read.add(GRAFT_SIZING_FIELD);
  }
  for (const inv of model.invariants) collect(inv.when, read);
  return read;
}

/** The provided fields (known value in `facts`) that no rule reads (`read`, by field), in catalogue order. */
export function unreadInputs(read: readonly boolean[], paths: readonly string[], facts: readonly unknown[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < paths.length; i++) if (facts[i] !== undefined && !read[i]) out.push(paths[i]!);
  return out;
}
