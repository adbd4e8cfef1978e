/**
 * Rule set I/O edge: read a folder of YAML files, build the model, compile it. The shipped
 * rule set is also precompiled at build time (dist/ruleset.json); it is used only when its
 * digest equals the digest of the files on disk, so an edited rule file is never ignored.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { InputError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { readInput } from '../io/read.js';
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

/** Read every .yaml file of a rule folder; `shown` is how the folder is named in messages. */
export function readRuleSources(dir: string, shown: string = dir): RuleSource[] {
  let st;
  try {
    st = statSync(dir);
  } catch {
    throw new InputError([{ file: dir, severity: 'error', code: 'io/not-found', message: 'rule folder not found' }]);
  }
  if (!st.isDirectory()) throw new InputError([{ file: dir, severity: 'error', code: 'io/not-a-directory', message: '--rules must be a folder of .yaml files' }]);
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/i.test(f))
    .sort()
    .map((f) => ({ file: join(shown, f), text: readInput(join(dir, f), 2 * 1024 * 1024) }));
}

/** Same digest as build.ts's rulesetDigest, without loading the builder. */
function quickDigest(sources: readonly RuleSource[]): string {
  const h = createHash('sha256');
  const base = (f: string) => f.split(/[\\/]/).pop()!;
  for (const s of [...sources].sort((a, b) => base(a.file).localeCompare(base(b.file))))
    h.update(base(s.file)).update('\0').update(s.text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n')).update('\0');
  return h.digest('hex');
}

function precompiled(digest: string): RulesetModel | undefined {
  for (const p of [resolve(here, 'ruleset.json'), resolve(here, '../dist/ruleset.json'), resolve(here, '../../dist/ruleset.json')]) {
    if (!existsSync(p)) continue;
    try {
      const m = JSON.parse(readFileSync(p, 'utf8')) as RulesetModel;
      if (m.digest === digest) return m;
    } catch {
      /* a damaged cache is ignored: the rule files are the truth */
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
  const sources = dir === undefined ? readRuleSources(defaultRulesDir(), 'rules') : readRuleSources(dir);
  if (dir === undefined) {
    const cached = precompiled(quickDigest(sources));
    if (cached) return { model: cached, diagnostics: [] };
  }
  const { buildRuleset } = await import('./build.js');
  const r = buildRuleset(sources);
  if (!r.model) throw new InputError(r.diagnostics.filter((d) => d.severity === 'error'));
  return { model: r.model, diagnostics: r.diagnostics };
}
