#!/usr/bin/env node
// Grown rule sets for scaling runs: the shipped rules plus N plausible rules of the kind a
// centre adds over time — fitness and tumour factors on age, ASA, eGFR, size, grade, IVC
// length and diameter, origin and imaging type, with numeric thresholds (some of them new
// parameters), spread over the score, collect and priority decisions, plus a few
// invariants. Deterministic for a given seed. The rules are for measuring the analysis,
// not for patients.
//
//   node scripts/grow-rules.mjs <out-dir> --extra 130 [--seed 1] [--rules rules]
//
// Also importable: growRules({ rulesDir, extra, seed }) → [{ file, text }] (shipped files
// plus zz-grown.yaml), writeGrown(outDir, options).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

const NUMERIC = {
  'patient.age': [50, 60, 65, 70, 75, 80, 85],
  'patient.egfr': [30, 45, 60, 75, 90],
  'tumor.maxDiameterMm': [50, 80, 100, 120, 150, 200],
  'ivc.lengthMm': [20, 30, 50, 70, 100],
  'ivc.diameterMm': [15, 18, 20, 25],
};
const INTEGER = { 'patient.asa': [2, 3, 4], 'tumor.grade': [2, 3] };
const ENUMS = {
  'tumor.origin': ['ivc', 'right_renal_vein', 'left_renal_vein', 'iliac_vein'],
  'tumor.imagingType': ['intraluminal', 'intermediate', 'extraluminal', 'peripheral'],
  'tumor.metastases': ['none', 'limited'],
  'patient.sex': ['female', 'male'],
};
const COLLECT = {
  preparation: ['staging_ct', 'venography', 'cardiothoracic_team', 'core_needle_biopsy'],
  aftercare: ['follow_up_schedule', 'oedema_and_renal_watch', 'radiotherapy_if_positive_margin'],
};
const PRIORITY = {
  access: ['open_laparotomy', 'thoracoabdominal_or_sternotomy'],
  circulatorySupport: ['none', 'bypass_with_hepatic_exclusion'],
};

function rng(seed) {
  let s = seed % 2147483647 || 1;
  return () => (s = (s * 48271) % 2147483647) / 2147483647;
}

export function growRules({ rulesDir = join(ROOT, 'rules'), extra, seed = 1 }) {
  const rnd = rng(seed);
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const files = readdirSync(rulesDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => ({ file: f, text: readFileSync(join(rulesDir, f), 'utf8') }));
  const evidence = [...(files.find((f) => f.file === 'evidence.yaml')?.text ?? '').matchAll(/^ {2}([A-Za-z0-9_.-]+):\s*$/gm)].map((m) => m[1]);
  const cite = () => `[${evidence.length ? pick(evidence) : 'laskin'}]`;
  const params = [];
  const numericCond = () => {
    const numeric = rnd() < 0.75;
    const [fact, values] = numeric ? pick(Object.entries(NUMERIC)) : pick(Object.entries(INTEGER));
    const t = pick(values);
    const op = pick(['greaterThanInclusive', 'lessThan', 'greaterThan', 'lessThanInclusive']);
    if (numeric && rnd() < 0.3) {
      const id = `grown${params.length + 1}${fact.split('.')[1].replace(/^./, (c) => c.toUpperCase())}`;
      params.push(`  ${id}:\n    default: ${t}\n    description: Threshold of a grown rule on ${fact}.\n    evidence: ${cite()}\n`);
      return `{ fact: ${fact}, operator: ${op}, value: { param: ${id} } }`;
    }
    return `{ fact: ${fact}, operator: ${op}, value: ${t} }`;
  };
  const enumCond = () => {
    const [fact, values] = pick(Object.entries(ENUMS));
    return rnd() < 0.5 ? `{ fact: ${fact}, operator: equal, value: ${pick(values)} }` : `{ fact: ${fact}, operator: in, value: [${pick(values)}, ${pick(values)}] }`;
  };
  const cond = () => (rnd() < 0.7 ? numericCond() : enumCond());
  const when = (n) => (n === 1 ? cond() : `\n      all:\n${Array.from({ length: n }, () => `        - ${cond()}`).join('\n')}`);
  const rules = [];
  const used = new Map();
  for (let i = 1; i <= extra; i++) {
    const r = rnd();
    const n = 1 + Math.floor(rnd() * 3);
    const head = `  - id: grown.r${i}\n    title: Grown rule ${i}\n`;
    const tail = `    rationale: A factor of the kind a centre adds (generated for scaling runs).\n    evidence: ${cite()}\n`;
    if (r < 0.4) rules.push(`${head}    decision: complexity\n    when: ${when(n)}\n    then: { points: ${pick([1, 1, 2])} }\n${tail}`);
    else if (r < 0.75) {
      const [decision, values] = pick(Object.entries(COLLECT));
      rules.push(`${head}    decision: ${decision}\n    priority: ${10 + i}\n    when: ${when(n)}\n    then: { value: ${pick(values)} }\n${tail}`);
    } else {
      const [decision, values] = pick(Object.entries(PRIORITY));
      // unique priorities above the catch-alls, below the unresectable guards
      const p = 150 + i;
      used.set(decision, (used.get(decision) ?? 0) + 1);
      rules.push(`${head}    decision: ${decision}\n    priority: ${p}\n    when:\n      all:\n        - { decision: resectability, operator: in, value: [resectable, borderline] }\n${Array.from({ length: n }, () => `        - ${cond()}`).join('\n')}\n    then: { value: ${pick(values)} }\n${tail}`);
    }
  }
  const invariants = [];
  for (let i = 1; i <= Math.max(1, Math.floor(extra / 15)); i++)
    invariants.push(
      `  - id: grown.inv${i}\n    title: Grown invariant ${i}\n    when: ${cond()}\n    then: ${pick(['{ decision: complexity, operator: notIn, value: [very_high] }', '{ decision: access, operator: notIn, value: [laparoscopic_feasible] }'])}\n    evidence: ${cite()}\n`,
    );
  const grown = [
    '# Generated by scripts/grow-rules.mjs for scaling runs; not clinical rules.',
    ...(params.length ? ['parameters:', ...params] : []),
    'rules:',
    ...rules,
    'invariants:',
    ...invariants,
  ].join('\n');
  return [...files, { file: 'zz-grown.yaml', text: grown }];
}

export function writeGrown(outDir, options) {
  mkdirSync(outDir, { recursive: true });
  for (const f of growRules(options)) writeFileSync(join(outDir, f.file), f.text);
  return outDir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const out = args[0];
  const opt = (name, dflt) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : dflt;
  };
  if (!out || opt('extra') === undefined) {
    console.error('usage: node scripts/grow-rules.mjs <out-dir> --extra N [--seed S] [--rules DIR]');
    process.exit(2);
  }
  writeGrown(out, { rulesDir: opt('rules', join(ROOT, 'rules')), extra: Number(opt('extra')), seed: Number(opt('seed', '1')) });
  console.log(`wrote ${out}`);
}
