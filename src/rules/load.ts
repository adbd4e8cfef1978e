/**
 * Rule set I/O edge: read a folder of YAML files, build the model. The shipped rule set is
 * also precompiled at build time (dist/ruleset.json), with a copy of the rule files it was
 * built from (dist/ruleset.sources); it is used only when the rule files on disk are those
 * very bytes, so an edited, added or removed rule file is never ignored, and a damaged or
 * foreign precompiled file is ignored (test/cli/startup.test.ts).
 */
import type { DiagnosticCode } from '../diagnostics/codes.js';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { readInput } from '../io/read.js';
import { byCodeUnit } from '../io/order.js';
import { MAX_RULE_FILE_BYTES, MAX_RULE_FILES, MAX_RULESET_BYTES } from '../io/bounds.js';
import type { RulesetModel } from './model.js';
import type { RuleSource } from './build.js';

const here = fileURLToPath(new URL('.', import.meta.url));

/** The rule set that ships with the package. */
export function defaultRulesDir(): string {
  for (const up of ['../rules', '../../rules']) {
    const dir = resolve(here, up);
    if (existsSync(join(dir, 'ruleset.yaml'))) return dir;
  }
  return resolve(here, '../rules');
}

const RULE_FILE = /\.ya?ml$/i;

/** Read every .yaml file of a rule folder; `shown` is how the folder is named in messages. */
export function readRuleSources(dir: string, shown: string = dir): RuleSource[] {
  let st;
  try {
    st = statSync(dir);
  } catch {
    throw new InputError([{ file: dir, severity: 'error', code: 'io/not-found', message: 'rule folder not found' }]);
  }
  if (!st.isDirectory()) throw new InputError([{ file: dir, severity: 'error', code: 'io/not-a-directory', message: '--rules must be a folder of .yaml files' }]);
  return readRuleFiles(dir, shown);
}

const refuse = (file: string, code: DiagnosticCode, message: string): never => {
  throw new InputError([{ file, severity: 'error', code, message }]);
};

/** The names of a folder's rule files, in code-unit order (what a rule set is read from, and what its precompiled copy is checked against). */
const ruleFileNames = (dir: string): string[] => readdirSync(dir).filter((f) => RULE_FILE.test(f)).sort(byCodeUnit);

/** The .yaml files of a readable folder, in code-unit order, within the limits of src/io/bounds.ts; a folder without rules is refused. */
function readRuleFiles(dir: string, shown: string): RuleSource[] {
  let names: string[] = [];
  try {
    names = ruleFileNames(dir);
  } catch (e) {
    refuse(shown, 'io/read', `cannot read the rule folder (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (names.length > MAX_RULE_FILES) refuse(shown, 'rules/too-many-files', `${names.length} .yaml files; a rule set has at most ${MAX_RULE_FILES}`);
  let total = 0;
  const sources = names.map((f): RuleSource => {
    const path = join(dir, f);
    const file = join(shown, f);
    let isFile = false;
    try {
      isFile = statSync(path).isFile();
    } catch (e) {
      refuse(file, 'io/read', `cannot read the rule file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    if (!isFile) refuse(file, 'io/not-regular', 'a rule file must be a regular file (a FIFO or device would block or never end)');
    const text = readInput(path, MAX_RULE_FILE_BYTES);
    total += text.length;
    if (total > MAX_RULESET_BYTES) refuse(shown, 'io/too-large', `the rule files hold more than ${MAX_RULESET_BYTES / 1024 / 1024} MiB; refused`);
    return { file, text };
  });
  if (!sources.some((s) => hasYamlContent(s.text)))
    refuse(shown, 'rules/empty', sources.length ? 'every .yaml file of the rule folder is empty or only comments: there are no rules' : 'the rule folder holds no .yaml files');
  return sources;
}

/** Whether YAML text holds anything but blank lines, comments and document markers. */
const hasYamlContent = (text: string): boolean => text.split(/\r\n?|\n/).some((l) => !/^\s*(#.*)?$/.test(l) && !/^(---|\.\.\.)\s*(#.*)?$/.test(l));

/** Where the build puts the precompiled rule set, seen from this module (bundled or not). */
const DIST_DIRS = [here, resolve(here, '../dist'), resolve(here, '../../dist')];

/**
 * The first line of dist/ruleset.sources: the digest of the rule set built, and its files'
 * names (in code-unit order) and byte lengths; their bytes follow, one after the other.
 */
interface SourcesHeader {
  readonly digest: string;
  readonly files: readonly (readonly [name: string, bytes: number])[];
}

/** The digest recorded in a ruleset.sources snapshot when the rule files of `dir` are, byte for byte, its files; undefined otherwise. */
function snapshotDigest(snapshot: Buffer, dir: string): string | undefined {
  const eol = snapshot.indexOf(10);
  const head = JSON.parse(snapshot.toString('utf8', 0, eol)) as SourcesHeader;
  const names = ruleFileNames(dir);
  if (names.length !== head.files.length || names.some((f, i) => f !== head.files[i]![0])) return undefined;
  let at = eol + 1;
  for (const [name, bytes] of head.files) {
    const path = join(dir, name);
    const st = statSync(path);
    if (!st.isFile() || st.size !== bytes || !readFileSync(path).equals(snapshot.subarray(at, at + bytes))) return undefined;
    at += bytes;
  }
  return at === snapshot.length ? head.digest : undefined;
}

/**
 * The precompiled model of the shipped rules, when the rule files in `dir` are the ones it
 * was built from. Anything amiss (a file missing, damaged or from another build) means no
 * precompiled model: the rule files are the truth.
 */
function precompiled(dir: string): RulesetModel | undefined {
  for (const d of DIST_DIRS) {
    if (!existsSync(join(d, 'ruleset.json'))) continue;
    try {
      const digest = snapshotDigest(readFileSync(join(d, 'ruleset.sources')), dir);
      if (digest === undefined) return undefined;
      const m = JSON.parse(readFileSync(join(d, 'ruleset.json'), 'utf8')) as RulesetModel;
      return m.digest === digest ? m : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export interface LoadedRuleset {
  readonly model: RulesetModel;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Load and validate a rule folder (the shipped one when `dir` is undefined); throws
 * InputError (exit 2) with every problem found.
 */
export async function loadRuleset(dir?: string): Promise<LoadedRuleset> {
  if (dir === undefined) {
    const cached = precompiled(defaultRulesDir());
    if (cached) return { model: cached, diagnostics: [] };
  }
  const sources = dir === undefined ? readRuleSources(defaultRulesDir(), 'rules') : readRuleSources(dir);
  const { buildRuleset } = await import('./build.js');
  const r = buildRuleset(sources);
  if (!r.model) throw new InputError(r.diagnostics.filter((d) => d.severity === 'error'));
  return { model: r.model, diagnostics: r.diagnostics };
}
