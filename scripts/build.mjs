// Build: bundle the CLI and the library with esbuild (ESM, code-split so each command
// loads only what it uses), precompile the shipped rule set, and write the JSON Schemas.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
rmSync(join(root, 'dist'), { recursive: true, force: true });
await build({
  entryPoints: { cli: join(root, 'src/cli/index.ts'), index: join(root, 'src/index.ts') },
  outdir: join(root, 'dist'),
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
  // commander and cli-table3 are CommonJS and require Node built-ins
  banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
});

const api = await import(join(root, 'dist/index.js'));
const sources = api.readRuleSources(join(root, 'rules'), 'rules');
const r = api.buildRuleset(sources);
if (!r.model) {
  for (const d of r.diagnostics) console.error(api.formatDiagnostic(d));
  console.error('build: the shipped rule set is invalid');
  process.exit(1);
}
writeFileSync(join(root, 'dist/ruleset.json'), JSON.stringify(r.model));
mkdirSync(join(root, 'schemas'), { recursive: true });
const write = (name, obj) => {
  const file = join(root, 'schemas', name);
  const text = JSON.stringify(obj, null, 2) + '\n';
  let old = '';
  try { old = readFileSync(file, 'utf8'); } catch {}
  if (old !== text) writeFileSync(file, text);
};
write('case.schema.json', api.caseJsonSchema());
write('rules.schema.json', api.rulesJsonSchema());
