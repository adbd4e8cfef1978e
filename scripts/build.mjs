// Build: bundle the CLI and the library with esbuild (ESM, code-split so each command
// loads only what it uses), precompile the shipped rule set, and write the JSON Schemas.
// For start-up, bin/rvlms.js runs the CLI from a second bundle, one CommonJS file
// (dist/cli.cjs), with a V8 code cache made here by running a plan (dist/cli.cjs.cache).
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const fail = (msg) => {
  console.error(`build: ${msg}`);
  process.exit(1);
};
rmSync(dist, { recursive: true, force: true });
await build({
  entryPoints: { cli: join(root, 'src/cli/index.ts'), index: join(root, 'src/index.ts'), 'batch-worker': join(root, 'src/batch/worker.ts') },
  outdir: dist,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
  external: ['z3-solver'], // loads its WebAssembly from its own folder
  // commander and cli-table3 are CommonJS and require Node built-ins
  banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
});

// The CLI for the bin: one CommonJS file, so that V8 can cache its compiled code (Node 20
// has no code cache for ES modules). Every import() becomes a require() of a lazily run
// module: what a command does not use is never run.
await build({
  entryPoints: [join(root, 'src/cli/index.ts')],
  outfile: join(dist, 'cli.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  charset: 'ascii',
  logLevel: 'warning',
  external: ['z3-solver'], // loads its WebAssembly from its own folder
  supported: { 'dynamic-import': false },
  define: { 'import.meta.url': '__rvlms_import_meta_url' },
  banner: { js: "var __rvlms_import_meta_url=require('node:url').pathToFileURL(__filename).href;" },
});
{
  const cjs = readFileSync(join(dist, 'cli.cjs'));
  if (cjs.some((b) => b > 0x7f)) fail('dist/cli.cjs is not ASCII (bin/rvlms.js reads it as latin1)');
  if (/\bimport\(/.test(cjs.toString('latin1'))) fail('dist/cli.cjs still calls import(): bin/rvlms.js runs it as a plain script');
}

const api = await import(join(dist, 'index.js'));
const rulesDir = join(root, 'rules');
const ruleFiles = () =>
  readdirSync(rulesDir)
    .filter((f) => /\.ya?ml$/i.test(f))
    .sort()
    .map((f) => [f, readFileSync(join(rulesDir, f))]);
const before = ruleFiles();
const sources = api.readRuleSources(rulesDir, 'rules');
const r = api.buildRuleset(sources);
if (!r.model) {
  for (const d of r.diagnostics) console.error(api.formatDiagnostic(d));
  fail('the shipped rule set is invalid');
}
const after = ruleFiles();
if (after.length !== before.length || after.some(([f, b], i) => f !== before[i][0] || !b.equals(before[i][1]))) fail('rules/ changed during the build; run it again');
writeFileSync(join(dist, 'ruleset.json'), JSON.stringify(r.model));
// The bytes the precompiled rule set was built from: rules/load.ts uses ruleset.json only
// when the files on disk are these (src/rules/load.ts, snapshotModel).
const header = JSON.stringify({ digest: r.model.digest, files: before.map(([f, b]) => [f, b.length]) });
writeFileSync(join(dist, 'ruleset.sources'), Buffer.concat([Buffer.from(header + '\n', 'utf8'), ...before.map(([, b]) => b)]));

mkdirSync(join(root, 'schemas'), { recursive: true });
const write = (name, obj) => {
  const file = join(root, 'schemas', name);
  const text = JSON.stringify(obj, null, 2) + '\n';
  let old = '';
  try { old = readFileSync(file, 'utf8'); } catch { /* not written yet */ }
  if (old !== text) writeFileSync(file, text);
};
write('case.schema.json', api.caseJsonSchema());
write('rules.schema.json', api.rulesJsonSchema());
write('map.schema.json', api.mapJsonSchema());

// V8 code cache for dist/cli.cjs: compile it, run `plan` (text and JSON) on a sample case so
// that V8 compiles what a plan runs, and save the compiled code. bin/rvlms.js checks that
// the cache was made from the same bytes; V8 checks its version and flags.
{
  const require = createRequire(import.meta.url);
  const { loadCli, packCache } = require('../bin/rvlms.js');
  const { exports: cli, script, bundle } = loadCli({ cache: false });
  const tmp = mkdtempSync(join(tmpdir(), 'rvlms-build-'));
  try {
    const caseFile = join(tmp, 'warm-up.json');
    writeFileSync(
      caseFile,
      JSON.stringify({
        id: 'warm-up',
        patient: { age: 55, sex: 'female', asa: 2, solitaryKidney: 'none', egfr: 80 },
        tumor: { origin: 'ivc', imagingType: 'intermediate', maxDiameterMm: 70, grade: 2, biopsy: 'leiomyosarcoma', paragangliomaExcluded: true, metastases: 'none', arterialInvolvement: [], adjacentOrgans: ['right_kidney'] },
        ivc: { segments: ['II'], rightAtrialExtension: false, circumferencePercent: 70, lumen: 'partially_occluded', collaterals: null, hepaticVeinInvolvement: false, diameterMm: 22 },
        renalVeins: { left: 'free', right: 'invaded' },
      }),
    );
    const quiet = { out: () => {}, err: () => {}, colorOut: false, colorErr: false, stderrIsTTY: false, env: {}, cwd: root };
    for (const argv of [['plan', caseFile], ['plan', caseFile, '--format', 'json']]) {
      const code = await cli.main(argv, quiet);
      if (code !== 0) fail(`warm-up \`rvlms ${argv.join(' ')}\` exited ${code}`);
    }
    // atomically: a bin starting meanwhile sees the old file or the new one, never a mix
    const cacheFile = join(dist, 'cli.cjs.cache');
    writeFileSync(cacheFile + '.tmp', packCache(bundle, script.createCachedData()));
    renameSync(cacheFile + '.tmp', cacheFile);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
