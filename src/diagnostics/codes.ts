/**
 * Every diagnostic code rvlms emits, in one typed catalogue. `Diagnostic.code` is typed by
 * it, so a code that is not listed here does not compile. Each code has a one-line summary
 * (the SARIF rule text and docs/diagnostics.md); the findings of `validate`, `test` and
 * `diff` also carry a default severity and the anchor of their section in
 * docs/rule-maintainers.md. Tests assert codes, never wording.
 *
 * The YAML reader is shared by four kinds of file; its codes carry the kind as prefix
 * (`rules/yaml`, `case/duplicate-key`, …) and are listed once for all four.
 */
import type { Severity } from './diagnostic.js';

export interface CodeInfo {
  readonly summary: string;
  /** Severity of a finding (analysis codes); input errors are always errors. */
  readonly severity?: Severity;
  /** Section of docs/rule-maintainers.md explaining the finding. */
  readonly anchor?: string;
}

/** File kinds read as YAML (io/yaml.ts), each with the reader's codes under its prefix. */
export const YAML_KINDS = ['case', 'rules', 'golden', 'map'] as const;
export type YamlKind = (typeof YAML_KINDS)[number];

const YAML_CODES = {
  yaml: 'The file is not valid YAML (or JSON), or a key is a list or a map.',
  'yaml-tag': 'A YAML tag (`!!set`, `!custom`, …) outside the plain data types; refused.',
  'duplicate-key': 'The same key twice in one map (also through an alias); the second would silently win.',
  'too-deep': 'Nesting deeper than the reader accepts; refused before parsing.',
  'alias-limit': 'More YAML aliases than the reader expands (a possible alias bomb).',
  'too-many-errors': 'More problems than are listed for one file or case; the rest are counted.',
} as const satisfies Record<string, string>;

export type YamlReaderCode = keyof typeof YAML_CODES;
type YamlCode = `${YamlKind}/${YamlReaderCode}`;

/** File kinds whose shape is checked by a schema (diagnostics/zod.ts), each with these codes under its prefix. */
export type SchemaKind = 'rules' | 'golden' | 'map';
const SCHEMA_KINDS: readonly SchemaKind[] = ['rules', 'golden', 'map'];

const SCHEMA_CODES = {
  schema: 'The file does not have the expected shape at this place.',
  type: 'A value has the wrong type (a list where a map belongs, a string for a number, …).',
  required: 'A required key is missing.',
  enum: 'A value outside its list of allowed values.',
  range: 'A number outside its range, or a list or text too short or too long.',
  format: 'An id or text does not have the required form.',
  'unknown-key': 'A key the schema does not have (often a misspelling).',
} as const satisfies Record<string, string>;

export type SchemaCode = keyof typeof SCHEMA_CODES;
type SchemaFamilyCode = `${SchemaKind}/${SchemaCode}`;

const CODES = {
  // --- command line ---
  'cli/usage': { summary: 'The command line is not valid (unknown option, missing argument, bad choice).' },
  'usage/date': { summary: '`--date` is not a calendar date written YYYY-MM-DD.' },
  'usage/number': { summary: 'An option that takes a number got something else.' },
  'usage/threshold': { summary: '`--threshold` is not a percentage between 0 and 100.' },
  'usage/run-pattern': { summary: '`--run` is not a valid regular expression.' },
  'usage/empty-value': { summary: 'An option that names a file was given an empty value.' },

  // --- files and output ---
  'io/not-found': { summary: 'A named file or folder does not exist.' },
  'io/read': { summary: 'A file could not be read (permissions, I/O error).' },
  'io/is-directory': { summary: 'A file was expected and a folder was named.' },
  'io/not-a-directory': { summary: 'A folder was expected and a file was named.' },
  'io/not-regular': { summary: 'The named path is a device, socket or pipe where a file was expected.' },
  'io/binary': { summary: 'The file holds binary data, not text.' },
  'io/encoding': { summary: 'The file is not valid UTF-8 (or UTF-16 with a byte-order mark).' },
  'io/too-large': { summary: 'The file is larger than rvlms reads.' },
  'io/too-deep': { summary: 'Folders nested deeper than rvlms walks; the cases below are not read.' },
  'io/write': { summary: 'Output could not be written completely (disk full, closed pipe, permissions): exit 2.' },
  'io/out-is-input': { summary: '`--out` names one of the inputs; refused.' },
  'io/out-is-directory': { summary: '`--out` names a folder.' },
  'io/out-symlink': { summary: '`--out` names a symbolic link; refused.' },
  'io/out-special': { summary: '`--out` names a device, socket or pipe.' },
  'io/out-read-only': { summary: '`--out` names a read-only file and `--force` was not given.' },

  // --- case files ---
  'case/json': { summary: 'A JSON Lines record or JSON case is not valid JSON.' },
  'case/empty': { summary: 'The case file is empty.' },
  'case/type': { summary: 'A case field has the wrong type (a string where a number belongs, …).' },
  'case/required': { summary: 'A required case field (the id) is missing.' },
  'case/enum': { summary: 'A case field has a value outside its list of values.' },
  'case/schema-version': { summary: 'The case declares a schema version rvlms does not read.' },
  'case/range': { summary: 'A numeric case field is outside its range.' },
  'case/format': { summary: 'The case id has characters outside A–Z, a–z, 0–9, ".", "_" and "-", or is too long.' },
  'case/unknown-key': { summary: 'A field the case schema does not have (often a misspelling).' },
  'case/duplicate-value': { summary: 'A list field names the same value twice.' },
  'case/contradiction': { summary: 'Fields that cannot all be true of one patient (e.g. right-atrial extension without segment III).' },
  'case/too-long': { summary: 'A list in the case is longer than rvlms accepts.' },
  'case/invalid': { summary: 'The case is invalid in a way no more specific code names.' },

  // --- rule sets ---
  'rules/condition-shape': { summary: 'A condition is not one of fact, decision, all, any or not.' },
  'rules/operator-type': { summary: 'An operator used on a field of a kind it does not apply to, or with the wrong operand.' },
  'rules/unknown-field': { summary: 'A condition reads a case field that does not exist.' },
  'rules/unknown-value': { summary: 'A condition compares a field with a value it cannot take.' },
  'rules/unknown-decision': { summary: 'A rule or invariant names a decision the rule set does not declare.' },
  'rules/unknown-outcome': { summary: 'A rule concludes, or a condition names, a value its decision does not declare.' },
  'rules/unknown-parameter': { summary: 'A condition names a parameter the rule set does not declare.' },
  'rules/unknown-evidence': { summary: 'A rule, parameter (or one of its alternatives), invariant or glossary entry cites an evidence id the evidence library does not hold.' },
  'rules/duplicate-id': { summary: 'Two rules, decisions, invariants, parameters or evidence entries share an id.' },
  'rules/duplicate-metadata': { summary: 'More than one file declares the rule set name and version.' },
  'rules/no-metadata': { summary: 'No file declares the rule set name and version.' },
  'rules/no-rules': { summary: 'The rule folder holds no rule files.' },
  'rules/empty': { summary: 'A rule file is empty.' },
  'rules/levels': { summary: 'A score decision\'s levels are not in ascending order of their minimum score.' },
  'rules/decision-cycle': { summary: 'Decisions read each other in a cycle.' },
  'rules/too-many': { summary: 'More rules than rvlms loads.' },
  'rules/too-many-files': { summary: 'More rule files than rvlms loads.' },

  // --- golden fixtures (rvlms test) ---
  'golden/unknown-decision': { summary: 'A fixture expects a decision the rule set does not have.' },
  'golden/duplicate-name': { summary: 'Two fixtures share a name.' },
  'golden/duplicate-case': { summary: 'Two fixtures test the same case.' },
  'golden/case-unreadable': { summary: 'The case a fixture names cannot be read.' },
  'golden/invalid-case': { summary: 'The case a fixture names is not a valid case.' },
  'golden/mismatch': { severity: 'error', summary: 'A fixture expectation does not match the plan.', anchor: 'goldenmismatch' },
  'test/coverage': { severity: 'error', summary: 'Rule or outcome coverage of the fixtures is below --threshold.', anchor: 'testcoverage' },
  'test/no-fixtures': { summary: 'The fixture folder holds no fixtures.' },
  'test/no-cases': { summary: 'The fixture files hold no cases.' },
  'test/no-match': { summary: 'No fixture name matches the `--run` pattern.' },
  'test/update-failed': { summary: '`--update` would write a fixture file that no longer reads; nothing was written.' },
  'test/case-outside': { summary: 'A fixture names a case file outside the project folder; refused.' },

  // --- batch and registry maps ---
  'batch/format': { summary: 'An input whose kind cannot be told from its name (not a folder, .json, .jsonl, .csv, .tsv, .xlsx, .yaml or -).' },
  'batch/header': { summary: 'A CSV or Excel export has no header row, or its header does not name the columns the map reads.' },
  'batch/csv-header': { summary: 'The CSV header repeats or leaves out a column name.' },
  'batch/csv-columns': { summary: 'A CSV row has more or fewer cells than the header.' },
  'batch/csv-quote': { summary: 'A CSV quote is not closed.' },
  'batch/columns-ignored': { summary: 'Columns of the export that the map does not read (a note).' },
  'batch/xlsx': { summary: 'The Excel workbook cannot be read.' },
  'batch/xlsx-sheet': { summary: 'Which sheet of the workbook is read, or a named sheet that does not exist.' },
  'batch/stdin-twice': { summary: 'Standard input ("-") named more than once.' },
  'batch/stdin-csv': { summary: 'Standard input, read as JSON Lines, starts with what looks like a CSV header; `--input-format csv` reads it as CSV.' },
  'batch/no-cases': { summary: 'An input holds no case (an empty file, a CSV header without rows, an empty array, a folder without case files): a warning when other inputs held cases, an error (exit 2) when no input did.' },
  'map/field': { summary: 'A column map names a case field that does not exist.' },
  'map/duplicate-field': { summary: 'Two columns of a map fill the same case field.' },
  'map/duplicate-code': { summary: 'A map lists the same export code twice for one column.' },
  'map/value': { summary: 'A map translates an export code to a value its field cannot take.' },
  'map/unit': { summary: 'A map gives a unit conversion that cannot apply to its field.' },
  'map/separator': { summary: 'A map gives a list separator for a column whose field holds one value.' },
  'map/ignore': { summary: 'A map both reads and ignores a column.' },
  'map/question': { summary: 'A map drafted by `map init` still has a question to answer.' },
  'map/exists': { summary: '`map init` would overwrite an existing map (use --force).' },
  'map/export': { summary: 'The export given to `map init` cannot be read as a table.' },

  // --- analysis findings (validate, test, diff) ---
  'analysis/gap': {
    severity: 'error',
    summary: 'A valid case for which every rule of a decision is definitely false, so the decision has no outcome (a warning for collect decisions: the plan lists no item).',
    anchor: 'analysisgap',
  },
  'analysis/conflict': {
    severity: 'error',
    summary: 'Two rules of a priority decision with the same priority and different outcomes both hold, with no higher rule holding: file order decides silently.',
    anchor: 'analysisconflict',
  },
  'analysis/masked': {
    severity: 'error',
    summary: 'A rule that can hold but never decides: whenever it holds, a higher-priority rule holds (or may hold) too.',
    anchor: 'analysismasked',
  },
  'analysis/unreachable': {
    severity: 'error',
    summary: 'A rule whose conditions are consistent on their own but never hold in a real case, because the decision values it reads never occur together with its other conditions.',
    anchor: 'analysisunreachable',
  },
  'analysis/contradiction': {
    severity: 'error',
    summary: 'Conditions inside one rule (or invariant) that can never hold together, e.g. lessThan 40 and greaterThan 75 on the same field; for an invariant this is a warning (it checks nothing).',
    anchor: 'analysiscontradiction',
  },
  'analysis/invariant': {
    severity: 'error',
    summary: 'A safety invariant is violated: for a valid case its condition holds and the decision value, or one of its candidates, is forbidden.',
    anchor: 'analysisinvariant',
  },
  'analysis/incomplete': {
    severity: 'error',
    summary: 'A check of a decision, rule or invariant could not be completed within the limits (time budget, solver work or memory); nothing is claimed for it. A warning with --allow-incomplete.',
    anchor: 'analysisincomplete',
  },
  'diff/changed': { severity: 'info', summary: 'A decision changes between the two rule sets for some cases.', anchor: 'diffchanged' },
  'diff/version-not-bumped': {
    severity: 'warning',
    summary: 'The head rule set differs from the base (another digest) but carries the same name and version: a changed rule set needs a new metadata.version.',
    anchor: 'diffversion-not-bumped',
  },
  'diff/no-git': { summary: '`diff` was given a git revision outside a git work tree, or git is not available.' },
  'diff/bad-ref': { summary: 'The git revision given to `diff` does not exist.' },
  'diff/no-rules': { summary: 'The git revision given to `diff` has no rule folder.' },
} as const satisfies Record<string, CodeInfo>;

export type DiagnosticCode = keyof typeof CODES | YamlCode | SchemaFamilyCode;

/** The codes of a family, one per kind and code of the family. */
function family<K extends string, C extends string>(kinds: readonly K[], codes: Readonly<Record<C, string>>): Record<`${K}/${C}`, CodeInfo> {
  const out: Partial<Record<`${K}/${C}`, CodeInfo>> = {};
  for (const kind of kinds) for (const [code, summary] of Object.entries<string>(codes)) out[`${kind}/${code as C}`] = { summary };
  return out as Record<`${K}/${C}`, CodeInfo>;
}

/** The whole catalogue, code → information, in a fixed order. */
export const DIAGNOSTIC_CODES: Readonly<Record<DiagnosticCode, CodeInfo>> = { ...CODES, ...family(YAML_KINDS, YAML_CODES), ...family(SCHEMA_KINDS, SCHEMA_CODES) };

/** Codes whose findings have a section in docs/rule-maintainers.md (validate, test, diff). */
export type FindingCode = {
  [K in keyof typeof CODES]: (typeof CODES)[K] extends { anchor: string } ? K : never;
}[keyof typeof CODES];

export function isDiagnosticCode(code: string): code is DiagnosticCode {
  return Object.hasOwn(DIAGNOSTIC_CODES, code);
}

export function codeInfo(code: string): CodeInfo | undefined {
  return isDiagnosticCode(code) ? DIAGNOSTIC_CODES[code] : undefined;
}
