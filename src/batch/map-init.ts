/**
 * `rvlms map init EXPORT`: a starting column map from an export's header and the values its
 * columns hold. Pure: a table in, YAML text out.
 *
 * What it matches, and only that:
 * - a column to a field when its name is the field's path (`ivc.lumen`), the path's last part
 *   (`lumen`), either written another way (`IVC Lumen`, `ivc_lumen`, `circumferencePercent`),
 *   or one of a few common registry names (COLUMN_SYNONYMS: `record_id` → id, `gender` → sex);
 * - a code to a value when it is the value written another way (`Partially occluded` →
 *   partially_occluded), or a coding that carries no clinical judgement (VALUE_SYNONYMS:
 *   F/M for sex, Yes/No and 1/0 for a yes-no field, `none` for an empty list);
 * - a list column's separator, when every cell splits into values with it (`I+II`);
 * - a unit written in the column name (`size_cm`), when it converts to the field's unit;
 * - the usual "not recorded" codes (NA, n/a, unknown …) into `missing`, from every column,
 *   matched or not (`missing` is read in every column).
 *
 * Everything else is written as a question (`field: null`, or a code with the value null) with
 * the values seen, and a map with an open question is refused by `batch --map`: a clinical
 * reading of a code (Yes/No collaterals onto well_developed / limited / absent, say) is the
 * coordinator's to write, never guessed.
 */
import { SPECS, isCaseField, TEXT_FIELDS, codeKey } from './table-cases.js';
import { MAP_VERSION, UNKNOWN, unitFactor } from './map-load.js';
import type { FieldSpec } from '../case/fields.js';

/** Normalised form of a column or field name: lower case, letters and digits only. */
const norm = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * A code as compared with a field's values: lower case, its words however they are separated
 * (spaces, `_`, `-`) or joined (camelCase). Every other character counts, so that a code is
 * taken for a value only when it is that value written another way: `I/II` and `I-II` are not
 * `III` (norm, for column names, would make them so).
 */
const valueWords = (s: string): string =>
  s
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_-]+/)
    .filter(Boolean)
    .join(' ');
/** The value of `values` that `code` writes another way, if one. */
const valueWritten = (values: readonly string[], code: string): string | undefined => values.find((v) => valueWords(v) === valueWords(code));

/**
 * Fields whose codes are always asked, even a code that is one of the field's values as
 * written: registries differ in what they mean by it. A solitary-kidney column may name the
 * kidney that remains (what the case field holds) or the one that was removed, and reading it
 * the wrong way round turns every rule about the remaining kidney against it.
 */
const ALWAYS_ASK: Readonly<Record<string, string>> = { 'patient.solitaryKidney': 'the side of the kidney that remains' };

/** Common registry column names of fields, normalised. Names only: no code is implied. */
const COLUMN_SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  id: ['recordid', 'record', 'caseid', 'patientid', 'studyid', 'subjectid', 'pid'],
  'patient.sex': ['gender'],
  'patient.asa': ['asaclass', 'asascore'],
  'tumor.maxDiameterMm': ['tumorsize', 'tumoursize', 'size', 'diameter', 'maxdiameter', 'tumordiameter', 'tumourdiameter'],
  'tumor.grade': ['fnclcc', 'fnclccgrade', 'grading'],
  'tumor.imagingType': ['imagingtype', 'type'],
  'ivc.segments': ['ivclevel', 'level', 'levels', 'segment', 'ivcsegment', 'ivcsegments'],
  'ivc.circumferencePercent': ['circpct', 'circumference', 'circ', 'circumferencepct', 'ivccircumference'],
  'ivc.rightAtrialExtension': ['atrialextension', 'atrium', 'raextension'],
  'ivc.hepaticVeinInvolvement': ['hepaticveins', 'hepaticvein', 'hvinvolvement'],
  'renalVeins.left': ['leftrenalvein', 'lrv', 'renalveinleft'],
  'renalVeins.right': ['rightrenalvein', 'rrv', 'renalveinright'],
  'actual.ivcManagement': ['ivcprocedure', 'ivcmanagement', 'cavalprocedure', 'ivcreconstruction', 'ivcrepair'],
  'actual.operativeTimeMin': ['optime', 'operativetime', 'operationtime', 'surgerytime', 'durationofsurgery'],
  'actual.bloodLossMl': ['ebl', 'bloodloss', 'estimatedbloodloss'],
  'actual.icuAdmission': ['icu'],
  'actual.margin': ['resectionmargin', 'rstatus'],
  'actual.clavienDindo': ['clavien', 'clavienDindoGrade'.toLowerCase(), 'complicationgrade'],
};

/** Codes that carry no clinical judgement, by field kind or field (normalised with codeKey). */
const BOOLEAN_CODES: Readonly<Record<string, boolean>> = { yes: true, no: false, y: true, n: false, '1': true, '0': false, true: true, false: false, ja: true, nein: false, oui: true, non: false };
const FIELD_CODES: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  'patient.sex': { f: 'female', m: 'male', w: 'female', woman: 'female', man: 'male' },
};
/** A list cell that says "none of them": the known empty list. */
const EMPTY_LIST_CODES = new Set(['none', '[]']);
/** Cells that mean "not recorded", proposed for `missing`. */
const MISSING_CODES = new Set(['na', 'n/a', 'n.a.', 'nd', 'n.d.', 'unknown', 'unk', 'missing', 'not recorded', '-', '--', '.', '?', 'k.a.', 'unbekannt']);
/** Separators tried for list cells, in order. */
const SEPARATORS = [';', '+', ',', '/', '|', ' '];
/** Units recognised in a column name (its last word): name token → unit. */
const NAME_UNITS: Readonly<Record<string, string>> = { cm: 'cm', mm: 'mm', m: 'm', h: 'h', hours: 'h', hrs: 'h', min: 'min', minutes: 'min', ml: 'mL', l: 'L', dl: 'dL', pct: '%', percent: '%' };

export interface ColumnStats {
  /** Distinct cell texts (trimmed, non-empty) and how often each occurs, in order of first appearance. */
  readonly values: ReadonlyMap<string, number>;
  /** Distinct values beyond those kept were seen. */
  readonly more: boolean;
  readonly blank: number;
}

/** At most this many distinct values are kept per column. */
export const MAX_DISTINCT = 60;

/** Collects column statistics row by row. */
export class TableProfile {
  readonly stats: { values: Map<string, number>; more: boolean; blank: number }[];
  rows = 0;

  constructor(readonly header: readonly string[]) {
    this.stats = header.map(() => ({ values: new Map(), more: false, blank: 0 }));
  }

  add(cells: readonly string[]): void {
    this.rows++;
    this.stats.forEach((s, i) => {
      const v = (cells[i] ?? '').trim();
      if (v === '') s.blank++;
      else if (s.values.has(v)) s.values.set(v, s.values.get(v)! + 1);
      else if (s.values.size < MAX_DISTINCT) s.values.set(v, 1);
      else s.more = true;
    });
  }
}

type Match = { field: string; how: string } | undefined;

function matchField(column: string, taken: Set<string>): Match {
  const name = column.trim();
  const n = norm(name);
  if (isCaseField(name)) return { field: name, how: 'the field path' };
  const fields = [...SPECS.keys(), ...TEXT_FIELDS];
  const found = (test: (f: string) => boolean, how: string): Match => {
    const hits = fields.filter((f) => !taken.has(f) && test(f));
    return hits.length === 1 ? { field: hits[0]!, how } : undefined;
  };
  return (
    found((f) => norm(f) === n, 'the field path written another way') ??
    found((f) => norm(f.split('.').pop()!) === n, "the field's name") ??
    found((f) => (COLUMN_SYNONYMS[f] ?? []).includes(n), 'a common registry name') ??
    unitStripped(name, taken)
  );
}

/** `tumour_size_cm` → the field `size` matches, with the unit taken from the name. */
function unitStripped(column: string, taken: Set<string>): Match {
  const words = column.trim().split(/[^A-Za-z0-9%]+/).filter(Boolean);
  if (words.length < 2 || !NAME_UNITS[words[words.length - 1]!.toLowerCase()]) return undefined;
  const m = matchField(words.slice(0, -1).join('_'), taken);
  return m ? { field: m.field, how: `${m.how}, with a unit` } : undefined;
}

function nameUnit(column: string): string | undefined {
  const words = column.trim().split(/[^A-Za-z0-9%]+/).filter(Boolean);
  return words.length > 1 ? NAME_UNITS[words[words.length - 1]!.toLowerCase()] : undefined;
}

const NUMBER = /^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$/;

/** Codes in a stable order: numbers by value, then text in code-point order. */
function byCode(a: string, b: string): number {
  const na = NUMBER.test(a) ? Number(a.replace(',', '.')) : NaN;
  const nb = NUMBER.test(b) ? Number(b.replace(',', '.')) : NaN;
  if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  if (!Number.isNaN(na)) return -1;
  if (!Number.isNaN(nb)) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The value a code stands for without judgement, if any. */
function codeValue(spec: FieldSpec, text: string): unknown {
  const key = codeKey(text);
  if (spec.kind === 'boolean') return BOOLEAN_CODES[key];
  if (spec.kind === 'enum') {
    const fixed = FIELD_CODES[spec.path]?.[key];
    if (fixed !== undefined) return fixed;
    return valueWritten(spec.values!, text);
  }
  if (spec.kind === 'set') {
    if (EMPTY_LIST_CODES.has(key)) return [];
    const v = valueWritten(spec.values!, text);
    return v === undefined ? undefined : [v];
  }
  return undefined;
}

/** The separator that splits every list cell into known values, if one does. */
function listSeparator(spec: FieldSpec, cells: readonly string[]): string | undefined {
  const known = (part: string): boolean => valueWritten(spec.values!, part) !== undefined;
  for (const sep of SEPARATORS) {
    const ok = cells.every((c) => EMPTY_LIST_CODES.has(codeKey(c)) || c.split(sep).map((p) => p.trim()).filter(Boolean).every(known));
    if (ok && cells.some((c) => c.includes(sep))) return sep;
  }
  return undefined;
}

// ---- YAML writing -------------------------------------------------------------------------

const PLAIN = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const RESERVED = new Set(['true', 'false', 'null', 'yes', 'no', 'on', 'off', 'y', 'n', '~']);
/** A YAML scalar: plain when unambiguous, else double-quoted (a JSON string is a valid YAML one). */
export const yamlString = (s: string): string => (PLAIN.test(s) && !RESERVED.has(s.toLowerCase()) ? s : JSON.stringify(s));
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- cell values are text, numbers or booleans
const yamlValue = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? `[${v.map((x) => yamlString(String(x))).join(', ')}]` : typeof v === 'string' ? yamlString(v) : String(v));
/** Values seen, for a comment: `Yes (18), No (12)`. */
const seen = (s: ColumnStats, limit = 8): string => {
  const list = [...s.values].slice(0, limit).map(([v, n]) => `${JSON.stringify(v)} (${n})`);
  return (list.join(', ') || 'only blank cells') + (s.values.size > limit || s.more ? ', …' : '');
};
const oneLine = (s: string): string => s.replace(/[\r\n]+/g, ' ');

export interface InitResult {
  readonly text: string;
  /** Columns and codes left for the coordinator to answer. */
  readonly questions: number;
  /** Columns matched to a field. */
  readonly matched: number;
}

/**
 * The starting map. `source` names the export in the header comment; `decimalComma`: the
 * export is `;`-delimited, so `62,5` is a number.
 */
export function initMap(profile: TableProfile, source: string, schemaRef: string): InitResult {
  const taken = new Set<string>();
  // `missing` is read in every column, so the codes of every column are proposed for it,
  // whether or not the column was matched to a field (one entry per code as the map reads it)
  const missing = new Map<string, string>();
  profile.header.forEach((name, i) => {
    if (name.trim() === '') return;
    for (const c of [...profile.stats[i]!.values.keys()].sort(byCode)) if (MISSING_CODES.has(codeKey(c)) && !missing.has(codeKey(c))) missing.set(codeKey(c), c);
  });
  const blocks: string[] = [];
  let questions = 0;
  let matched = 0;
  profile.header.forEach((rawName, i) => {
    const column = rawName.trim();
    if (column === '') return;
    const stats = profile.stats[i]!;
    const key = `  ${yamlString(column)}:`;
    const m = matchField(column, taken);
    if (!m) {
      questions++;
      blocks.push(`${key}\n    field: null # QUESTION: which case field does this column hold (or ignore)? values: ${oneLine(seen(stats))}`);
      return;
    }
    taken.add(m.field);
    matched++;
    const spec = SPECS.get(m.field);
    const lines = [`${key}`, `    field: ${m.field} # matched: ${m.how}`];
    if (spec) {
      // one entry per code as the map reads it (case and spacing do not matter). batch takes a
      // cell that is a value exactly as that value and looks every other one up among the
      // codes: where a value also comes written another way ("patent" and "Patent"), the entry
      // is written for that other spelling, or its cells would have no code.
      const exact = (c: string): boolean => spec.values?.includes(c) === true;
      const byKey = new Map<string, string>();
      for (const c of stats.values.keys()) {
        const had = byKey.get(codeKey(c));
        if (had === undefined || (exact(had) && !exact(c))) byKey.set(codeKey(c), c);
      }
      const cells = [...byKey.values()].sort(byCode);
      const unmissing = cells.filter((c) => !MISSING_CODES.has(codeKey(c)));
      if (spec.kind === 'number' || spec.kind === 'integer') {
        const unit = nameUnit(column);
        if (unit && spec.unit && unit !== spec.unit) {
          const f = unitFactor(m.field, unit);
          if (typeof f === 'number') lines.push(`    unit: ${yamlString(unit)} # from the column name; converted to ${spec.unit}`);
          else {
            questions++;
            lines.push(`    unit: ${yamlString(unit)} # QUESTION: ${f}`);
          }
        }
        const odd = unmissing.filter((c) => !NUMBER.test(c));
        if (odd.length) {
          questions++;
          lines.push(`    values: # QUESTION: cells that are not numbers; give each a number or ${UNKNOWN}`);
          for (const c of odd) lines.push(`      ${yamlString(c)}: null`);
        }
      } else if (spec.kind !== 'set' || !listSeparator(spec, unmissing)) {
        const codes: string[] = [];
        const ask = ALWAYS_ASK[m.field];
        for (const c of unmissing) {
          const v = ask === undefined ? codeValue(spec, c) : undefined;
          if (v !== undefined) {
            if (!(typeof v === 'string' && v === c)) codes.push(`      ${yamlString(c)}: ${yamlValue(v)}`);
          } else {
            questions++;
            codes.push(`      ${yamlString(c)}: null # QUESTION: what does this mean for ${m.field}${ask ? ` (${ask})` : ''}? (${spec.kind === 'boolean' ? 'true, false' : spec.values!.join(', ')}, or ${UNKNOWN})`);
          }
        }
        if (stats.more) {
          questions++;
          codes.push(`      # QUESTION: more than ${MAX_DISTINCT} distinct values; the others are not listed here`);
        }
        if (codes.length) lines.push('    values:', ...codes);
      } else {
        const sep = listSeparator(spec, unmissing)!;
        if (sep !== ';') lines.push(`    separator: ${JSON.stringify(sep)}`);
        // the items written otherwise than the value itself, and "none of them", as codes (from
        // every spelling of the cells: "I+II" and "i+ii" are one code key but not the same items)
        const codes = new Map<string, string>();
        for (const c of [...stats.values.keys()].filter((x) => !MISSING_CODES.has(codeKey(x)))) {
          if (EMPTY_LIST_CODES.has(codeKey(c))) {
            if (c !== '[]') codes.set(codeKey(c), `      ${yamlString(c)}: [] # none of them`);
            continue;
          }
          for (const part of c.split(sep).map((p) => p.trim()).filter(Boolean)) {
            const v = valueWritten(spec.values!, part)!;
            if (v !== part && !codes.has(codeKey(part))) codes.set(codeKey(part), `      ${yamlString(part)}: ${v}`);
          }
        }
        if (codes.size) lines.push('    values:', ...[...codes.values()].sort());
      }
    }
    blocks.push(lines.length === 2 && !spec ? `${key} ${m.field} # matched: ${m.how}` : lines.join('\n'));
  });
  const head = [
    `# yaml-language-server: $schema=${schemaRef}`,
    `# Column map for ${oneLine(source)}, started by rvlms map init from its header and the values of ${profile.rows} row(s).`,
    `# Answer every QUESTION (${questions} open): a map with an open question is refused. Then:`,
    `#   rvlms batch ${oneLine(source)} --map THIS-FILE`,
    '# field: a case field (rvlms schema case), or ignore. values: what each code means (unknown: not recorded).',
    '# separator: splits a list cell. unit: the unit of the column, converted to the field\'s.',
    `rvlmsMap: ${MAP_VERSION}`,
  ];
  if (missing.size) head.push(`missing: [${[...missing.values()].map(yamlString).join(', ')}] # read as unknown in every column`);
  return { text: [...head, 'columns:', ...blocks].join('\n') + '\n', questions, matched };
}
