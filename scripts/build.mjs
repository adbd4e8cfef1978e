// Build: bundle the CLI, the library and the batch worker with esbuild (with source maps),
// precompile the shipped rule set (dist/ruleset.json, with a copy of the rule files it was
// built from, dist/ruleset.sources: src/rules/load.ts uses it only while the rule files are
// those bytes), and write the JSON Schemas.
//
// The CLI (bin/rvlms.js) runs one CommonJS file, dist/cli.cjs: start-up is most of what a
// `plan` costs, and one file read and compiled by require() costs a fraction of the ES module
// loader resolving, reading and linking twenty chunks. Every import() in it becomes a
// require() of a module that runs only when first used, so a command runs only its own code.
// The packages it uses (but commander, which every run needs) are bundled apart, one file
// each in dist/vendor/, and loaded by that require() only when used: a `plan` of a JSON case
// never reads the YAML parser. The library (dist/index.js) and the batch worker stay ES
// modules, code-split.
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
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
};
rmSync(dist, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { index: join(root, 'src/index.ts'), 'batch-worker': join(root, 'src/batch/worker.ts') },
  outdir: dist,
  splitting: true,
  format: 'esm',
  chunkNames: 'chunks/[name]-[hash]',
  external: ['z3-solver'], // loads its WebAssembly from its own folder
  // commander and cli-table3 are CommonJS and require Node built-ins
  banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
});

/** A package the CLI imports, but commander: a file of its own in dist/vendor/, required when first used. */
const vendored = new Map(); // package specifier → file name
const vendor = {
  name: 'vendor',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, ({ path }) => {
      if (path.startsWith('node:') || path === 'commander' || path === 'z3-solver') return undefined;
      const file = `${path.replace(/[^A-Za-z0-9]+/g, '-')}.cjs`;
      vendored.set(path, file);
      return { path: `./vendor/${file}`, external: true };
    });
  },
};
/**
 * commander requires node:child_process for subcommands that are separate executables,
 * which rvlms has none of; loading it costs a `plan` more than commander itself. This gives
 * commander the module when it first touches it.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, ({ importer }) => (/[\\/]node_modules[\\/]commander[\\/]/.test(importer) ? { path: 'child_process', namespace: 'lazy' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_, name) => require('node:child_process')[name] });",
      loader: 'js',
    }));
  },
};
const cjs = {
  ...common,
  format: 'cjs',
  supported: { 'dynamic-import': false }, // import() → a require() when first used
  define: { 'import.meta.url': '__rvlms_import_meta_url' },
  banner: { js: "var __rvlms_import_meta_url=require('node:url').pathToFileURL(__filename).href;" },
};
await build({
  ...cjs,
  entryPoints: [join(root, 'src/cli/index.ts')],
  outfile: join(dist, 'cli.cjs'),
  external: ['z3-solver'],
  plugins: [vendor, lazyChildProcess],
});
for (const [path, file] of vendored) await build({ ...cjs, entryPoints: [path], outfile: join(dist, 'vendor', file), absWorkingDir: root });

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
// The bytes it was built from, after a line naming them and the digest (src/rules/load.ts):
// ruleset.json is used only while the rule files are these bytes.
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
