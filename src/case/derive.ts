/**
 * Inputs that follow from other inputs, filled in once, here, for every valid case (the
 * schema calls it after validation; batch's fast path calls it too). Pure: the input is not
 * changed; a case with nothing to derive is returned as it is.
 *
 * - IVC leiomyosarcoma grows contiguously, so a tumour reaches the right atrium only through
 *   segment III: when the segments are known and exclude III, right-atrial extension is known
 *   to be false. (Extension recorded as true without segment III is a contradiction, which
 *   the schema rejects before this runs.)
 */
/** Each derived input with the inputs it follows from (what an analysis must keep together). */
export const DERIVED_INPUTS: readonly { readonly path: string; readonly from: readonly string[] }[] = [
  { path: 'ivc.rightAtrialExtension', from: ['ivc.segments'] },
];

export function deriveCase<T>(c: T): T {
  if (c === null || typeof c !== 'object') return c;
  const ivc = (c as { ivc?: unknown }).ivc;
  if (ivc === null || typeof ivc !== 'object') return c;
  const { segments, rightAtrialExtension } = ivc as { segments?: unknown; rightAtrialExtension?: unknown };
  if (!Array.isArray(segments) || segments.includes('III') || (rightAtrialExtension !== undefined && rightAtrialExtension !== null)) return c;
  return { ...c, ivc: { ...ivc, rightAtrialExtension: false } };
}
