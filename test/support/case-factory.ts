/**
 * A valid, fully known case that tests override. `undefined` in an override removes the
 * field (unknown by omission), `null` keeps it as an explicit unknown, arrays replace.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type CaseObject = { id: string } & { [key: string]: Json | undefined };
export type Override = { [key: string]: Json | undefined | Override };

/** Infrarenal-to-renal tumour, patent IVC, 30 % of the circumference: primary repair. */
export const BASE_CASE = {
  schemaVersion: 1,
  id: 'base-case',
  patient: { age: 60, sex: 'female', asa: 2, solitaryKidney: 'none', egfr: 90 },
  tumor: {
    origin: 'ivc',
    imagingType: 'intermediate',
    maxDiameterMm: 60,
    grade: 2,
    biopsy: 'leiomyosarcoma',
    paragangliomaExcluded: true,
    recurrent: false,
    infiltrativeImaging: false,
    metastases: 'none',
    arterialInvolvement: [],
    adjacentOrgans: [],
  },
  ivc: {
    segments: ['II'],
    rightAtrialExtension: false,
    circumferencePercent: 30,
    lumen: 'patent',
    collaterals: 'limited',
    hepaticVeinInvolvement: false,
    diameterMm: 22,
    lengthMm: 40,
  },
  renalVeins: { left: 'free', right: 'free' },
} as const satisfies CaseObject;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) delete out[k];
    else if (isObject(v) && isObject(out[k])) out[k] = merge(out[k] as Record<string, unknown>, v);
    else out[k] = v;
  }
  return out;
}

/** A deep copy of BASE_CASE with the overrides applied. */
export function makeCase(override: Override = {}): CaseObject {
  return merge(structuredClone(BASE_CASE) as unknown as Record<string, unknown>, override) as CaseObject;
}

/** Set (or with `undefined` remove) one dotted field, e.g. setPath(c, 'ivc.lumen', 'occluded'). */
export function setPath(c: Record<string, unknown>, path: string, value: Json | undefined): void {
  const keys = path.split('.');
  let cur = c;
  for (const k of keys.slice(0, -1)) {
    if (!isObject(cur[k])) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  const last = keys[keys.length - 1]!;
  if (value === undefined) delete cur[last];
  else cur[last] = value;
}

/** A case with only an id and the given dotted fields (everything else unknown). */
export function sparseCase(id: string, fields: Readonly<Record<string, Json | undefined>>): CaseObject {
  const c: CaseObject = { id };
  for (const [path, value] of Object.entries(fields)) setPath(c, path, value);
  return c;
}
