/**
 * Inputs that follow from other inputs, filled in once, here, for every valid case (the
 * schema calls it after validation; batch's fast path calls it too). Pure: the input is not
 * changed; a case with nothing to derive is returned as it is.
 *
 * - IVC leiomyosarcoma grows contiguously, so a tumour reaches the right atrium only through
 *   segment III: when the segments are known and exclude III, right-atrial extension is known
 *   to be false. (Extension recorded as true without segment III is a contradiction, which
 *   the schema rejects before this runs.)
 * - For the same reason a tumour reaches the hepatic veins, which join the IVC where segment II
 *   ends and segment III begins, only through segment II or III: when the segments are known
 *   and include neither, hepatic-vein involvement is known to be false (recorded as true, it is
 *   a contradiction).
 *
 * Both rest on the definition of the segments by the veins that bound them (the registry's
 * levels, evidence id mingoli1996: I below the renal veins, II from the renal to the hepatic
 * veins, III from the hepatic veins to the right atrium), not on a clinical judgement.
 */
/** Each derived input with the inputs it follows from (what an analysis must keep together). */
export const DERIVED_INPUTS: readonly { readonly path: string; readonly from: readonly string[] }[] = [
  { path: 'ivc.rightAtrialExtension', from: ['ivc.segments'] },
  { path: 'ivc.hepaticVeinInvolvement', from: ['ivc.segments'] },
];

const known = (v: unknown): boolean => v !== undefined && v !== null;

export function deriveCase<T>(c: T): T {
  if (c === null || typeof c !== 'object') return c;
  const ivc = (c as { ivc?: unknown }).ivc;
  if (ivc === null || typeof ivc !== 'object') return c;
  const { segments, rightAtrialExtension, hepaticVeinInvolvement } = ivc as { segments?: unknown; rightAtrialExtension?: unknown; hepaticVeinInvolvement?: unknown };
  if (!Array.isArray(segments) || segments.includes('III')) return c;
  const atrium = !known(rightAtrialExtension);
  const hepatic = !segments.includes('II') && !known(hepaticVeinInvolvement);
  if (!atrium && !hepatic) return c;
  return { ...c, ivc: { ...ivc, ...(atrium ? { rightAtrialExtension: false } : {}), ...(hepatic ? { hepaticVeinInvolvement: false } : {}) } };
}

/**
 * The value that the inputs `path` follows from give it (`read` gives an input by its path),
 * with those inputs' paths; undefined when `path` is not a derived input or they do not
 * settle it. A plan uses it to say that a value follows from others (whether given or not).
 */
export function derivedValue(path: string, read: (path: string) => unknown): { readonly value: unknown; readonly from: readonly string[] } | undefined {
  const d = DERIVED_INPUTS.find((x) => x.path === path);
  if (d === undefined) return undefined;
  const c: Record<string, Record<string, unknown>> = {};
  for (const p of d.from) {
    const [group, key] = p.split('.') as [string, string];
    (c[group] ??= {})[key] = read(p);
  }
  const [group, key] = path.split('.') as [string, string];
  const value = deriveCase(c)[group]?.[key];
  return value === undefined ? undefined : { value, from: d.from };
}
