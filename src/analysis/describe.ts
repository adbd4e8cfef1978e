/** Short readable forms of conditions for finding messages. Pure. */
import type { ConditionModel } from '../rules/model.js';

const show = (v: unknown): string => (Array.isArray(v) ? `[${v.join(', ')}]` : String(v));

export function describeCond(c: ConditionModel, params: Readonly<Record<string, number>>): string {
  switch (c.kind) {
    case 'all':
      return c.items.length === 0 ? 'always' : c.items.map((x) => describeCond(x, params)).join(' and ');
    case 'any':
      return `any of (${c.items.map((x) => describeCond(x, params)).join('; ')})`;
    case 'not':
      return `not (${describeCond(c.item, params)})`;
    case 'decision':
      return `${c.decision} ${c.operator} ${show(c.value)}`;
    case 'fact': {
      const operand = c.param !== undefined ? ` ${params[c.param]} (${c.param})` : c.value !== undefined ? ` ${show(c.value)}` : '';
      const count = c.count !== undefined ? ` (at least ${c.count})` : '';
      return `${c.fact} ${c.operator}${operand}${count}`;
    }
  }
}
