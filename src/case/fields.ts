/**
 * The case-field catalogue: the single source of truth for every input a rule may read.
 * The case validator and its JSON Schema, the rule loader's type checks, the analysis's
 * input space and the "missing input → work-up" hints are all derived from this table.
 */

export type FieldKind = 'enum' | 'number' | 'integer' | 'boolean' | 'set';

export interface FieldSpec {
  /** Dotted path in the case file, e.g. "ivc.circumferencePercent". */
  readonly path: string;
  readonly kind: FieldKind;
  /** Allowed values for `enum` and `set` fields. */
  readonly values?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  readonly unit?: string;
  /** Short human label. */
  readonly label: string;
  /** How the team obtains this input when it is unknown. */
  readonly workup: string;
}

export const IVC_MANAGEMENT_VALUES = [
  'no_caval_resection',
  'primary_repair',
  'patch_cavoplasty',
  'interposition_graft',
  'ligation',
  'not_applicable',
] as const;

const f = (spec: FieldSpec): FieldSpec => spec;

/** Fields that describe the patient before surgery: the inputs of the rules. */
export const INPUT_FIELDS: readonly FieldSpec[] = [
  f({ path: 'patient.age', kind: 'number', min: 0, max: 120, unit: 'years', label: 'age', workup: 'clinical record' }),
  f({ path: 'patient.sex', kind: 'enum', values: ['female', 'male'], label: 'sex', workup: 'clinical record' }),
  f({ path: 'patient.asa', kind: 'integer', min: 1, max: 5, label: 'ASA class', workup: 'anaesthetic assessment' }),
  f({
    path: 'patient.solitaryKidney',
    kind: 'enum',
    values: ['none', 'left', 'right'],
    label: 'solitary kidney',
    workup: 'CT of both kidneys / split renal function (renography)',
  }),
  f({ path: 'patient.egfr', kind: 'number', min: 0, max: 250, unit: 'mL/min/1.73 m²', label: 'eGFR', workup: 'serum creatinine and eGFR' }),
  f({
    path: 'tumor.origin',
    kind: 'enum',
    values: ['ivc', 'right_renal_vein', 'left_renal_vein', 'adrenal_vein', 'gonadal_vein', 'iliac_vein'],
    label: 'vein of origin',
    workup: 'contrast CT / MRI with venous phase',
  }),
  f({
    path: 'tumor.imagingType',
    kind: 'enum',
    values: ['intraluminal', 'intermediate', 'extraluminal', 'peripheral'],
    label: 'imaging type',
    workup: 'contrast CT / MRI review by a sarcoma radiologist',
  }),
  f({ path: 'tumor.maxDiameterMm', kind: 'number', min: 0, max: 500, unit: 'mm', label: 'maximum tumour diameter', workup: 'contrast CT / MRI' }),
  f({ path: 'tumor.grade', kind: 'integer', min: 1, max: 3, label: 'FNCLCC grade', workup: 'core-needle biopsy' }),
  f({
    path: 'tumor.biopsy',
    kind: 'enum',
    values: ['leiomyosarcoma', 'other', 'not_done'],
    label: 'biopsy result',
    workup: 'image-guided core-needle biopsy',
  }),
  f({
    path: 'tumor.paragangliomaExcluded',
    kind: 'boolean',
    label: 'paraganglioma excluded',
    workup: 'plasma free or 24-h urinary fractionated metanephrines',
  }),
  f({
    path: 'tumor.recurrent',
    kind: 'boolean',
    label: 'recurrent tumour',
    workup: 'clinical record (previous resection of this tumour)',
  }),
  f({
    path: 'tumor.infiltrativeImaging',
    kind: 'boolean',
    label: 'extensive infiltrative reaction on imaging',
    workup: 'contrast CT / MRI review by a sarcoma radiologist',
  }),
  f({
    path: 'tumor.metastases',
    kind: 'enum',
    values: ['none', 'limited', 'widespread'],
    label: 'distant metastases',
    workup: 'staging CT of chest, abdomen and pelvis',
  }),
  f({
    path: 'tumor.arterialInvolvement',
    kind: 'set',
    values: ['aorta', 'sma', 'celiac', 'portal_vein', 'renal_artery', 'iliac_artery'],
    label: 'arterial / portal involvement',
    workup: 'CT angiography',
  }),
  f({
    path: 'tumor.adjacentOrgans',
    kind: 'set',
    values: [
      'right_kidney', 'left_kidney', 'adrenal', 'liver', 'duodenum', 'pancreas', 'colon', 'small_bowel', 'psoas', 'spine',
    ],
    label: 'adjacent organs needing resection',
    workup: 'contrast CT / MRI',
  }),
  f({
    path: 'ivc.segments',
    kind: 'set',
    values: ['I', 'II', 'III'],
    label: 'IVC segments involved',
    workup: 'contrast CT / MRI with venous phase',
  }),
  f({
    path: 'ivc.rightAtrialExtension',
    kind: 'boolean',
    label: 'right-atrial extension',
    workup: 'echocardiography and cardiac MRI / CT',
  }),
  f({
    path: 'ivc.circumferencePercent',
    kind: 'number',
    min: 0,
    max: 100,
    unit: '%',
    label: 'share of IVC circumference involved',
    workup: 'contrast CT / MRI with venous phase (axial and multiplanar review)',
  }),
  f({
    path: 'ivc.lumen',
    kind: 'enum',
    values: ['patent', 'partially_occluded', 'occluded'],
    label: 'IVC lumen',
    workup: 'CT / MR venography',
  }),
  f({
    path: 'ivc.collaterals',
    kind: 'enum',
    values: ['well_developed', 'limited', 'absent'],
    label: 'venous collaterals',
    workup: 'CT / MR venography (or cavography)',
  }),
  f({
    path: 'ivc.hepaticVeinInvolvement',
    kind: 'boolean',
    label: 'hepatic vein involvement',
    workup: 'contrast CT / MRI with hepatic venous phase, Doppler ultrasound',
  }),
  f({ path: 'ivc.diameterMm', kind: 'number', min: 1, max: 60, unit: 'mm', label: 'native IVC diameter', workup: 'CT / MRI: IVC diameter at the resection margins' }),
  f({ path: 'ivc.lengthMm', kind: 'number', min: 0, max: 400, unit: 'mm', label: 'length of IVC involvement', workup: 'CT / MRI multiplanar reconstruction' }),
  f({
    path: 'renalVeins.left',
    kind: 'enum',
    values: ['free', 'abutted', 'invaded'],
    label: 'left renal vein',
    workup: 'contrast CT / MRI with venous phase',
  }),
  f({
    path: 'renalVeins.right',
    kind: 'enum',
    values: ['free', 'abutted', 'invaded'],
    label: 'right renal vein',
    workup: 'contrast CT / MRI with venous phase',
  }),
];

/** What was done (historical cases). Never read by the rules. */
export const ACTUAL_FIELDS: readonly FieldSpec[] = [
  f({ path: 'actual.ivcManagement', kind: 'enum', values: IVC_MANAGEMENT_VALUES, label: 'IVC management performed', workup: 'operative note' }),
  f({ path: 'actual.approach', kind: 'enum', values: ['open', 'laparoscopic', 'robotic', 'converted'], label: 'approach', workup: 'operative note' }),
  f({ path: 'actual.operativeTimeMin', kind: 'number', min: 0, max: 3000, unit: 'min', label: 'operative time', workup: 'operative note' }),
  f({ path: 'actual.bloodLossMl', kind: 'number', min: 0, max: 100000, unit: 'mL', label: 'blood loss', workup: 'operative note' }),
  f({ path: 'actual.transfusion', kind: 'boolean', label: 'transfusion', workup: 'operative note' }),
  f({ path: 'actual.icuAdmission', kind: 'boolean', label: 'ICU admission', workup: 'discharge summary' }),
  f({ path: 'actual.margin', kind: 'enum', values: ['R0', 'R1', 'R2'], label: 'margin', workup: 'pathology report' }),
  f({ path: 'actual.clavienDindo', kind: 'integer', min: 0, max: 5, label: 'highest Clavien-Dindo grade', workup: 'discharge summary' }),
];

export const FIELD_BY_PATH: ReadonlyMap<string, FieldSpec> = new Map(INPUT_FIELDS.map((s) => [s.path, s]));

/** Read a dotted path; `undefined` and `null` both mean unknown. */
export function readPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = Object.prototype.hasOwnProperty.call(cur, key) ? (cur as Record<string, unknown>)[key] : undefined;
  }
  return cur === null ? undefined : cur;
}
