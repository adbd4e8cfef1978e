/** The checks `validate` runs after the schema pass, in this order. */
import type { Check } from '../context.js';
import { contradiction } from './contradiction.js';
import { gap } from './gap.js';
import { conflict } from './conflict.js';
import { masked } from './masked.js';
import { invariant } from './invariant.js';

export const CHECKS: readonly { readonly name: string; readonly check: Check }[] = [
  { name: 'contradiction', check: contradiction },
  { name: 'gap', check: gap },
  { name: 'conflict', check: conflict },
  { name: 'masked', check: masked },
  { name: 'invariant', check: invariant },
];
