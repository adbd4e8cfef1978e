/**
 * The one I/O file of src/analysis: fixture files, `case:` references, rule sets from
 * folders or git refs. Everything else in this folder is pure. Failures are InputErrors
 * (exit 2) naming the path or ref.
 */
import type { DiagnosticCode } from '../diagnostics/codes.js';
import { execFileSync } from 'node:child_process';
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { isBelow } from '../io/paths.js';
import { MAX_RULE_FILE_BYTES } from '../io/bounds.js';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { InputError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { readInput } from '../io/read.js';
import type { RuleSource } from '../rules/build.js';
import { defaultRulesDir, readRuleSources } from '../rules/load.js';
import type { CaseResolver, GoldenSource } from './golden.js';

const fail = (file: string, code: DiagnosticCode, message: string, extra: Partial<Diagnostic> = {}): never => {
  throw new InputError([{ file, severity: 'error', code, message, ...extra }]);
};

const YAML_EXT = new Set(['.yaml', '.yml']);

/** Path as shown to the user: relative to the working directory when below it, with "/". */
export function shownPath(path: string, cwd: string): string {
  const abs = resolve(cwd, path);
  const rel = relative(cwd, abs);
  const shown = rel && !rel.startsWith('..') && !rel.startsWith(sep) ? rel : abs;
  return shown.split(sep).join('/');
}

function yamlFilesBelow(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...yamlFilesBelow(p));
    else if (st.isFile() && YAML_EXT.has(extname(name).toLowerCase())) out.push(p);
  }
  return out;
}

/** Fixture files: each path a .yaml file or a folder searched recursively. */
export function readFixtureSources(paths: readonly string[], cwd: string): GoldenSource[] {
  const files: string[] = [];
  for (const p of paths) {
    const abs = resolve(cwd, p);
    let st;
    try {
      st = statSync(abs);
    } catch {
      return fail(p, 'io/not-found', 'no such fixture file or folder');
    }
    if (st.isDirectory()) files.push(...yamlFilesBelow(abs));
    else files.push(abs);
  }
  const unique = [...new Set(files)];
  if (unique.length === 0) fail(paths.join(', '), 'test/no-fixtures', 'no fixture files (.yaml) found', { suggestion: 'fixtures live in fixtures/golden/ by default' });
  return unique.map((f) => ({ file: shownPath(f, cwd), text: readInput(f) }));
}

/**
 * `case:` paths are relative to the fixture file that names them, and must stay inside the
 * project folder (the working directory, links resolved): a fixture in a pull request must
 * not read, and print parts of, any other file of the machine that runs the tests.
 */
export function fixtureCaseResolver(cwd: string): CaseResolver {
  const root = realpathSync(cwd);
  return (fromFile, path) => {
    const abs = resolve(cwd, dirname(fromFile), path);
    let real = abs;
    try {
      real = realpathSync(abs);
    } catch {
      /* missing: readInput says so, if it is inside */
    }
    if (!isBelow(real, root)) fail(fromFile, 'test/case-outside', `case "${path}" is outside the project folder; refused`);
    return { file: shownPath(abs, cwd), text: readInput(abs) };
  };
}

/** The rule folder named by --rules, or the shipped one. */
export function readRulesFolder(dir: string | undefined, cwd: string): RuleSource[] {
  return dir === undefined ? readRuleSources(defaultRulesDir(), 'rules') : readRuleSources(resolve(cwd, dir), shownPath(dir, cwd));
}

export interface RuleSide {
  /** How the side is named in reports: the folder, or "ref:path". */
  readonly label: string;
  readonly sources: RuleSource[];
}

/** git's output; a missing git, or output over the rule-set size limit, is an InputError naming what was asked. */
function git(args: readonly string[], cwd: string): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: MAX_RULE_FILE_BYTES + 1 });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') fail('git', 'diff/no-git', 'git is not installed (or not on PATH): a git ref cannot be read', { suggestion: 'give two rule folders instead of refs' });
    if (code === 'ENOBUFS') fail(args[args.length - 1]!, 'io/too-large', `larger than the ${MAX_RULE_FILE_BYTES / 1024 / 1024} MiB limit of a rule file; refused`);
    throw e;
  }
}

/**
 * A rule set named on the diff command line: an existing folder, else a git ref whose
 * `rulesPath` folder is read with `git ls-tree` / `git show` (no shell involved).
 */
export function readRuleSide(spec: string, rulesPath: string, cwd: string): RuleSide {
  let isDir: boolean;
  try {
    isDir = statSync(resolve(cwd, spec)).isDirectory();
  } catch {
    isDir = false;
  }
  if (isDir) return { label: shownPath(spec, cwd), sources: readRuleSources(resolve(cwd, spec), shownPath(spec, cwd)) };
  if (spec.startsWith('-')) fail(spec, 'diff/bad-ref', 'not a rule folder or a git ref');
  try {
    git(['rev-parse', '--verify', '--quiet', `${spec}^{commit}`], cwd);
  } catch (e) {
    if (e instanceof InputError) throw e;
    fail(spec, 'diff/bad-ref', 'neither a rule folder nor a git ref of this repository', { suggestion: 'give a folder of .yaml rule files, or a branch, tag or commit (e.g. main)' });
  }
  const local = rulesPath.replace(/^\.\//, '').replace(/\/+$/, '');
  const folder = `${git(['rev-parse', '--show-prefix'], cwd).trim()}${local}`;
  let listing: string;
  try {
    // the path is relative to cwd, the names printed relative to the repository root
    listing = git(['ls-tree', '-z', '--full-name', '--name-only', spec, '--', `${local}/`], cwd);
  } catch {
    return fail(`${spec}:${folder}`, 'diff/bad-ref', 'cannot list the rule folder in this ref');
  }
  const files = listing
    .split('\0')
    .filter((f) => f && YAML_EXT.has(extname(f).toLowerCase()))
    .sort();
  if (files.length === 0) fail(`${spec}:${folder}`, 'diff/no-rules', `no .yaml rule files in "${folder}" at ${spec}`, { suggestion: 'use --rules-path to name the rule folder' });
  return {
    label: `${spec}:${folder}`,
    sources: files.map((f) => ({ file: `${spec}:${f}`, text: git(['show', `${spec}:${f}`], cwd) })),
  };
}
