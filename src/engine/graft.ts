/**
 * Graft sizing for an interposition graft: a ringed PTFE graft of about `graftDiameterRatio`
 * times the native IVC diameter, in the sizes the rule set's parameters allow. The ratio
 * and the sizes are parameters of the rule set (with their evidence), not choices made here.
 */
export const GRAFT_DIAMETER_FIELD = 'ivc.diameterMm';

export interface GraftSize {
  readonly status: 'determined' | 'undetermined';
  readonly sizeMm?: number;
  readonly nativeDiameterMm?: number;
  readonly ratio: number;
  /**
   * How the size was chosen from ratio × diameter: it is an available size (exact), the
   * nearest one (nearest), the smaller of two equally near (tie: the graft is undersized, as
   * in the series the ratio comes from), or the smallest / largest available (below / above).
   */
  readonly choice?: 'exact' | 'nearest' | 'tie' | 'below' | 'above';
  readonly note?: string;
  readonly missing?: readonly string[];
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** The nearest available size to ratio × diameter; undetermined while the diameter is unknown. */
export function graftSize(params: Readonly<Record<string, number>>, diameterMm: number | undefined): GraftSize {
  const ratio = params['graftDiameterRatio'] ?? 0.6;
  const min = params['graftMinMm'] ?? 12;
  const max = params['graftMaxMm'] ?? 16;
  const step = params['graftStepMm'] ?? 2;
  if (diameterMm === undefined) return { status: 'undetermined', ratio, missing: [GRAFT_DIAMETER_FIELD] };
  const target = diameterMm * ratio;
  let best = min;
  let tie = false;
  for (let s = min; s <= max + 1e-9; s += step) {
    const d = Math.abs(s - target) - Math.abs(best - target);
    if (d < -1e-9) {
      best = s;
      tie = false;
    } else if (s !== best && Math.abs(d) <= 1e-9) tie = true; // the smaller, found first, stays
  }
  const formula = `${ratio} × ${diameterMm} mm = ${round1(target)} mm`;
  // exact as shown: the product is printed to one decimal
  const choice = target < min - step / 2 ? 'below' : target > max + step / 2 ? 'above' : round1(target) === best ? 'exact' : tie ? 'tie' : 'nearest';
  const note = {
    below: `${formula}, below the smallest ringed graft; ${min} mm is the nearest`,
    above: `${formula}, above the largest ringed graft; ${max} mm is the nearest`,
    exact: formula,
    nearest: `${formula}; ${best} mm is the nearest size`,
    tie: `${formula}, midway between ${best} and ${best + step} mm; ${best} mm, the smaller, as the graft is undersized`,
  }[choice];
  return { status: 'determined', sizeMm: best, nativeDiameterMm: diameterMm, ratio, choice, note };
}
