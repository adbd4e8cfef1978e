// Build: bundle the CLI, the library and the batch worker with esbuild (ESM, code-split so
// each command loads only what it uses, with source maps), precompile the shipped rule set
// (dist/ruleset.json, used when its digest is that of the rule files: src/rules/load.ts),
// and write the JSON Schemas.
import { build } from 'esbuild';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  sourcemap: true,
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
  external: ['z3-solver'], // loads its WebAssembly from its own folder
  // commander and cli-table3 are CommonJS and require Node built-ins
  banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
});

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
