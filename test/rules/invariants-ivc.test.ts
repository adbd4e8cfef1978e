/** validate finds each ivcManagement safety invariant violated once its guard is removed (invariants-broken.ts). */
import { describe, expect, it } from 'vitest';
import { IVC_BREAKAGES, OTHER_BREAKAGES } from './invariants-broken.js';
import { shippedCopy } from './broken-copy.js';
import { expectCaught } from './invariants-check.js';

describe('a broken copy of the rules: validate reports the invariant whose guard was removed', () => {
  expectCaught(IVC_BREAKAGES);
});

it('every safety invariant of the shipped rules is broken by some test', () => {
  const tested = new Set([...IVC_BREAKAGES, ...OTHER_BREAKAGES].map((b) => b.invariant));
  expect(shippedCopy().invariants.map((i) => i.id).filter((id) => !tested.has(id))).toEqual([]);
});
