// node scripts/bench/floor.mjs <cases.jsonl> io|decide: the floors under `rvlms batch` on one
// thread, for the bench to show beside it. io: read the file as a stream, JSON.parse each line
// and write a small JSON line (its id and number). decide: the same, plus case validation and
// decide() with the built library (dist/index.js) and the decisions' values in the line. No
// summary, no error placement, no output format: what any batch must do at least.
import { createReadStream, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [file, mode] = process.argv.slice(2);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let step = (c, n) => `{"id":${JSON.stringify(c.id)},"n":${n}}\n`;
if (mode === 'decide') {
  const api = await import(pathToFileURL(join(root, 'dist', 'index.js')).href);
  const rs = api.compileRuleset(JSON.parse(readFileSync(join(root, 'dist', 'ruleset.json'), 'utf8')));
  step = (c, n) => {
    const v = api.validateCase(c, file);
    if (!v.ok) return `{"id":${JSON.stringify(c.id ?? null)},"n":${n},"invalid":true}\n`;
    return `{"id":${JSON.stringify(c.id)},"n":${n},"values":${JSON.stringify(api.decide(v.value, rs).values)}}\n`;
  };
} else if (mode !== 'io') throw new Error('mode: io or decide');

let n = 0;
let tail = '';
for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 16 })) {
  const lines = (tail + chunk).split('\n');
  tail = lines.pop();
  let out = '';
  for (const line of lines) if (line) out += step(JSON.parse(line), ++n);
  if (!process.stdout.write(out)) await new Promise((r) => process.stdout.once('drain', r));
}
if (tail) process.stdout.write(step(JSON.parse(tail), n + 1));
