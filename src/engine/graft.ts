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
  for (let s = min; s <= max + 1e-9; s += step) if (Math.abs(s - target) < Math.abs(best - target) - 1e-9) best = s;
  const formula = `${ratio} × ${diameterMm} mm = ${round1(target)} mm`;
  const note =
    target < min - step / 2
      ? `${formula}, below the smallest ringed graft; ${min} mm is the nearest`
      : target > max + step / 2
        ? `${formula}, above the largest ringed graft; ${max} mm is the nearest`
        : formula;
  return { status: 'determined', sizeMm: best, nativeDiameterMm: diameterMm, ratio, note };
}
