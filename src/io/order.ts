/**
 * The one string order of the code base: UTF-16 code units, as `<` compares them. Never
 * `localeCompare`, whose order follows LANG / LC_ALL: file order, the rule-set digest and every
 * sorted list in an output must be the same bytes on every machine.
 */
export const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
