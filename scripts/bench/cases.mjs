// Seeded synthetic cases for the benchmark (mulberry32, as in peers.md §7): every input
// field of case schema v1 (src/case/fields.ts), so every field the shipped rules read, and
// valid against the schema, cross-field contradictions included (the bench checks every
// case with validateCase). No two cases of one call are equal apart from their id.
//
// The distributions exercise the rules rather than mimic a cohort: every enum value occurs,
// and numbers cluster around the shipped parameters the rules compare them with
// (circumference 40 % and 75 % with the 10-point borderline band, age 75, ASA 3,
// eGFR 60, diameter 107 mm, grade 3), with the exact threshold itself drawn often.

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
const SEGMENTS = ['I', 'II', 'III'];
const ORIGINS = ['ivc', 'right_renal_vein', 'left_renal_vein', 'adrenal_vein', 'gonadal_vein', 'iliac_vein'];

/** The case fields the generator fills (every input field): must cover every fact the rules read. */
export const GENERATED_FIELDS = [
  'patient.age',
  'patient.sex',
  'patient.asa',
  'patient.solitaryKidney',
  'patient.egfr',
  'tumor.origin',
  'tumor.imagingType',
  'tumor.maxDiameterMm',
  'tumor.grade',
  'tumor.biopsy',
  'tumor.paragangliomaExcluded',
  'tumor.recurrent',
  'tumor.infiltrativeImaging',
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
  'ivc.lengthMm',
  'renalVeins.left',
  'renalVeins.right',
];

/**
 * `n` distinct cases from `seed`. Each input is then unknown (null) with probability
 * `pUnknown`; with pUnknown = 0 every case is fully known (what json-rules-engine can handle).
 * Unknowns never create a contradiction: every contradiction needs both its fields known.
 */
export function makeCases(n, seed, pUnknown = 0) {
  const out = [];
  for (const [c] of generate(n, seed, pUnknown)) out.push(c);
  return out;
}

const ID_PLACEHOLDER = '{"id":""';

/**
 * The cases of makeCases(n, seed, pUnknown) as JSON Lines, `chunk` lines (each ending with
 * "\n") per string yielded: for files and streams too large to hold as objects.
 */
export function* caseLineChunks(n, seed, pUnknown = 0, chunk = 5_000) {
  let text = '';
  let lines = 0;
  for (const [c, json] of generate(n, seed, pUnknown)) {
    text += `{"id":"${c.id}"${json.slice(ID_PLACEHOLDER.length)}\n`;
    if (++lines === chunk) {
      yield text;
      text = '';
      lines = 0;
    }
  }
  if (lines > 0) yield text;
}

/**
 * A 53-bit hash of a string (two multiplicative 32-bit lanes mixed at the end). Cases are
 * told apart by the hash of their JSON: a collision can only drop a case that was new,
 * never let a repeat through, and it keeps a million cases' worth of "seen" small.
 */
function hash53(text) {
  let a = 0x9e3779b9;
  let b = 0x85ebca6b;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    a = Math.imul(a ^ ch, 0x9e3779b1);
    b = Math.imul(b ^ ch, 0x5bd1e995);
  }
  a = Math.imul(a ^ (a >>> 16), 0x85ebca6b) ^ Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
  b = Math.imul(b ^ (b >>> 16), 0x85ebca6b) ^ Math.imul(a ^ (a >>> 13), 0xc2b2ae35);
  return (b & 0x1fffff) * 0x100000000 + (a >>> 0);
}

/** Yields [case, JSON of the case with an empty id] for each of n distinct cases. */
function* generate(n, seed, pUnknown) {
  const rnd = mulberry32(seed);
  const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = (a) => a[Math.floor(rnd() * a.length)];
  const weighted = (pairs) => {
    let x = rnd();
    for (const [v, w] of pairs) if ((x -= w) < 0) return v;
    return pairs[pairs.length - 1][0];
  };
  const subset = (all, p) => all.filter(() => rnd() < p);
  /** A number in [lo, hi]: half the time near a threshold (a third of those exactly on it), else uniform. */
  const around = (thresholds, spread, lo, hi, step = 1) => {
    let x;
    if (rnd() < 0.5) {
      const t = pick(thresholds);
      x = rnd() < 0.33 ? t : t + (int(-spread / step, spread / step) || 1) * step;
    } else x = lo + Math.floor(rnd() * ((hi - lo) / step + 1)) * step;
    return Math.min(hi, Math.max(lo, x));
  };
  /** Share of the circumference: 0 or 100 at times, else around the repair and graft thresholds. */
  const circumference = () => {
    const x = rnd();
    return x < 0.08 ? 0 : x < 0.15 ? 100 : around([40, 75], 12, 0, 100, 0.5);
  };
  const unk = (v) => (rnd() < pUnknown ? null : v);
  const seen = new Set();
  for (let i = 0; i < n; ) {
    const solitaryKidney = weighted([['none', 0.7], ['left', 0.15], ['right', 0.15]]);
    // a tumour cannot arise from the renal vein of a kidney that is gone
    const removedVein = solitaryKidney === 'left' ? 'right_renal_vein' : solitaryKidney === 'right' ? 'left_renal_vein' : undefined;
    let origin;
    do origin = weighted([['ivc', 0.45], ['right_renal_vein', 0.13], ['left_renal_vein', 0.13], ['adrenal_vein', 0.08], ['gonadal_vein', 0.08], ['iliac_vein', 0.13]]);
    while (origin === removedVein);
    let segments = subset(SEGMENTS, 0.45);
    if (segments.length === 0 && origin === 'ivc' && rnd() < 0.9) segments = [pick(SEGMENTS)];
    const none = segments.length === 0;
    // with no IVC segment involved: no IVC origin, no circumference, no hepatic veins, lumen not occluded
    if (none && origin === 'ivc') origin = pick(ORIGINS.filter((o) => o !== 'ivc' && o !== removedVein));
    const vein = () => weighted([['free', 0.6], ['abutted', 0.15], ['invaded', 0.25]]);
    let left = solitaryKidney === 'right' ? 'free' : vein();
    let right = solitaryKidney === 'left' ? 'free' : vein();
    // the renal vein of origin is not free
    if (origin === 'left_renal_vein' && left === 'free') left = pick(['abutted', 'invaded']);
    if (origin === 'right_renal_vein' && right === 'free') right = pick(['abutted', 'invaded']);
    const c = {
      id: '',
      patient: {
        age: around([75], 3, 18, 95),
        sex: pick(['female', 'male']),
        asa: weighted([[1, 0.12], [2, 0.38], [3, 0.35], [4, 0.12], [5, 0.03]]),
        solitaryKidney,
        egfr: around([60], 5, 10, 130),
      },
      tumor: {
        origin,
        imagingType: pick(['intraluminal', 'intermediate', 'extraluminal', 'peripheral']),
        maxDiameterMm: around([107], 5, 15, 300),
        grade: pick([1, 2, 3]),
        biopsy: weighted([['leiomyosarcoma', 0.6], ['not_done', 0.3], ['other', 0.1]]),
        paragangliomaExcluded: rnd() < 0.7,
        recurrent: rnd() < 0.15,
        infiltrativeImaging: rnd() < 0.2,
        metastases: weighted([['none', 0.76], ['limited', 0.18], ['widespread', 0.06]]),
        arterialInvolvement: subset(ARTERIES, 0.025),
        adjacentOrgans: rnd() < 0.04 ? [...subset(ORGANS, 0.15), 'spine'] : subset(ORGANS, 0.15),
      },
      ivc: {
        segments,
        rightAtrialExtension: segments.includes('III') && rnd() < 0.35,
        circumferencePercent: none ? 0 : circumference(),
        lumen: none ? pick(['patent', 'partially_occluded']) : weighted([['patent', 0.35], ['partially_occluded', 0.3], ['occluded', 0.35]]),
        collaterals: pick(['well_developed', 'limited', 'absent']),
        // the hepatic veins join where segment II ends: involved only with II or III
        hepaticVeinInvolvement: !none && rnd() < (segments.includes('III') ? 0.4 : 0.1) && (segments.includes('II') || segments.includes('III')),
        diameterMm: 14 + int(0, 32) / 2,
        lengthMm: none ? 0 : int(10, 160),
      },
      renalVeins: { left, right },
    };
    if (pUnknown > 0)
      for (const part of ['patient', 'tumor', 'ivc', 'renalVeins']) for (const k of Object.keys(c[part])) c[part][k] = unk(c[part][k]);
    const json = JSON.stringify(c); // the id is still empty: equal inputs give equal text
    const h = hash53(json);
    if (seen.has(h)) continue;
    seen.add(h);
    c.id = `bench-${seed}-${i++}`;
    yield [c, json];
  }
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
