/** validate finds each safety invariant on the other decisions violated once its guard is removed (invariants-broken.ts). */
import { describe } from 'vitest';
import { OTHER_BREAKAGES } from './invariants-broken.js';
import { expectCaught } from './invariants-check.js';

describe('a broken copy of the rules: validate reports the invariant whose guard was removed', () => {
  expectCaught(OTHER_BREAKAGES);
});
