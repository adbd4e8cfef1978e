// Seeded synthetic cases for the benchmark (mulberry32, as in peers.md §7): every input
// field the shipped rules read, valid against case schema v1 (no cross-field
// contradictions: the bench checks every case with validateCase), optionally with unknown
// (null) inputs.

/** mulberry32: a small deterministic PRNG returning floats in [0, 1). */
export function mulberry32(seed) {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ARTERIES = ['aorta', 'sma', 'celiac', 'portal_vein', 'renal_artery', 'iliac_artery'];
const ORGANS = ['right_kidney', 'left_kidney', 'adrenal', 'liver', 'duodenum', 'pancreas', 'colon', 'small_bowel', 'psoas'];

/** The case fields the generator fills: must cover every fact the rules read. */
export const GENERATED_FIELDS = [
  'patient.solitaryKidney',
  'tumor.imagingType',
  'tumor.biopsy',
  'tumor.paragangliomaExcluded',
  'tumor.metastases',
  'tumor.arterialInvolvement',
  'tumor.adjacentOrgans',
  'ivc.segments',
  'ivc.rightAtrialExtension',
  'ivc.circumferencePercent',
  'ivc.lumen',
  'ivc.collaterals',
  'ivc.hepaticVeinInvolvement',
  'ivc.diameterMm',
  'renalVeins.left',
  'renalVeins.right',
];

/**
 * `n` cases from `seed`. Each input is unknown (null) with probability `pUnknown`;
 * with pUnknown = 0 every case is fully known (what json-rules-engine can handle).
 */
export function makeCases(n, seed, pUnknown = 0) {
  const rnd = mulberry32(seed);
  const pick = (a) => a[Math.floor(rnd() * a.length)];
  const weighted = (pairs) => {
    let x = rnd();
    for (const [v, w] of pairs) if ((x -= w) < 0) return v;
    return pairs[pairs.length - 1][0];
  };
  const subset = (all, p) => all.filter(() => rnd() < p);
  const unk = (v) => (pUnknown > 0 && rnd() < pUnknown ? null : v);
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const segments = subset(['I', 'II', 'III'], 0.45);
    const none = segments.length === 0;
    const circ = none ? 0 : rnd() < 0.05 ? 0 : Math.floor(rnd() * 101);
    const c = {
      id: `bench-${seed}-${i}`,
      patient: {
        solitaryKidney: unk(weighted([['none', 0.8], ['left', 0.1], ['right', 0.1]])),
      },
      tumor: {
        imagingType: unk(pick(['intraluminal', 'intermediate', 'extraluminal', 'peripheral'])),
        biopsy: unk(pick(['leiomyosarcoma', 'other', 'not_done'])),
        paragangliomaExcluded: unk(rnd() < 0.7),
        metastases: unk(weighted([['none', 0.8], ['limited', 0.15], ['widespread', 0.05]])),
        arterialInvolvement: unk(subset(ARTERIES, 0.03)),
        adjacentOrgans: unk(rnd() < 0.03 ? [...subset(ORGANS, 0.12), 'spine'] : subset(ORGANS, 0.12)),
      },
      ivc: {
        segments: unk(segments),
        rightAtrialExtension: unk(!none && rnd() < 0.12),
        circumferencePercent: unk(circ),
        lumen: unk(pick(['patent', 'partially_occluded', 'occluded'])),
        collaterals: unk(pick(['well_developed', 'limited', 'absent'])),
        hepaticVeinInvolvement: unk(!none && rnd() < 0.15),
        diameterMm: unk(15 + Math.floor(rnd() * 16)),
      },
      renalVeins: {
        left: unk(weighted([['free', 0.6], ['abutted', 0.2], ['invaded', 0.2]])),
        right: unk(weighted([['free', 0.6], ['abutted', 0.2], ['invaded', 0.2]])),
      },
    };
    // with one kidney left, the other side's renal vein cannot be involved
    const only = c.patient.solitaryKidney;
    if (only === 'left' && c.renalVeins.right !== null) c.renalVeins.right = 'free';
    if (only === 'right' && c.renalVeins.left !== null) c.renalVeins.left = 'free';
    out[i] = c;
  }
  return out;
}

/** A fully-known case flattened to {"ivc.segments": [...], ...}: json-rules-engine's facts. */
export function flatFacts(c) {
  const f = {};
  for (const path of GENERATED_FIELDS) {
    const [a, b] = path.split('.');
    f[path] = c[a][b];
  }
  return f;
}
