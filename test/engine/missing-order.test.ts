/**
 * Plan.missing lists fields in code-unit order (locale-independent). It used localeCompare
 * before; for the fields of the catalogue both orders are the same, in these locales too, so
 * plans did not change. A new field that sorts differently fails here: decide then.
 */
import { describe, expect, it } from 'vitest';
import { INPUT_FIELDS } from '../../src/case/fields.js';

const paths = INPUT_FIELDS.map((f) => f.path);
const codeUnit = [...paths].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

describe('the order of missing inputs', () => {
  it.each(['en-US', 'en-GB', 'de', 'fr', 'sv', 'da', 'lt', 'tr', 'ja', 'zh'])('code-unit order equals localeCompare order for every catalogue field (%s)', (locale) => {
    expect([...paths].sort((a, b) => a.localeCompare(b, locale))).toEqual(codeUnit);
  });
});
