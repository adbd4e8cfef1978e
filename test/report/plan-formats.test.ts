/**
 * The plan in every format: reasons and evidence beside every decision, the patient on top,
 * references = what the plan cites, renderers driven by the rule set (an extra decision
 * shows everywhere), text wrapped to the width, and snapshots of the published fixtures.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCaseText } from '../../src/case/load.js';
import { compileRuleset } from '../../src/engine/compile.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { citedEvidence } from '../../src/report/plan-common.js';
import { explainPlan, type ExplainedPlan } from '../../src/report/plan-explain.js';
import { renderPlanHtml } from '../../src/report/plan-html.js';
import { renderPlanMarkdown } from '../../src/report/plan-markdown.js';
import { renderPlanText } from '../../src/report/plan-text.js';
import { renderJson } from '../../src/report/json.js';
import { PLAIN } from '../../src/report/style.js';
import { readRuleSources } from '../../src/rules/load.js';
import type { RulesetModel } from '../../src/rules/model.js';
import { ROOT } from '../support/paths.js';
import { buildOk, RULES_DIR, shippedModel } from '../support/rules.js';
import { makeCase } from '../support/case-factory.js';

const fixtures = (dir: string): string[] =>
  readdirSync(join(ROOT, dir))
    .filter((f) => /\.(json|ya?ml)$/.test(f))
    .sort()
    .map((f) => join(ROOT, dir, f));
const PUBLISHED = fixtures('fixtures/cases/published');
const ALL = [...PUBLISHED, ...fixtures('fixtures/cases/examples')];
const name = (f: string) => f.split('/').pop()!.replace(/\.(json|ya?ml)$/, '');

async function explain(file: string, model: RulesetModel = shippedModel(), date?: string): Promise<ExplainedPlan> {
  const loaded = await parseCaseText(readFileSync(file, 'utf8'), file);
  if (!loaded.ok) throw new Error(`${file} is invalid`);
  return explainPlan(evaluate(loaded.value, compileRuleset(model), { trace: true }), model, date ? { date } : {});
}

function renderAll(plan: ExplainedPlan, model: RulesetModel): Record<string, string> {
  return {
    text: renderPlanText(plan, model, PLAIN, { width: 80 }),
    markdown: renderPlanMarkdown(plan, model),
    html: renderPlanHtml(plan, model),
    json: renderJson(plan),
  };
}

describe('reasons beside every decision', () => {
  it.each(ALL.map((f) => [name(f), f]))('%s: rationale, evidence and labels for every decision; candidates with their rule and condition', async (_n, file) => {
    const model = shippedModel();
    const plan = await explain(file);
    expect(Object.keys(plan.decisions)).toEqual(model.decisions.map((d) => d.id));
    for (const [id, d] of Object.entries(plan.decisions)) {
      const values = [...(typeof d.value === 'string' ? [d.value] : d.value), ...(d.candidates ?? []).map((c) => c.value)].filter((v) => v !== 'undetermined');
      for (const v of values) expect(d.labels[v], `${id} ${v}`).toBe(model.decisions.find((m) => m.id === id)!.values[v]);
      for (const r of d.reasons) {
        const rule = model.rules.find((x) => x.id === r.rule)!;
        expect(r.rationale).toBe(rule.rationale);
        expect(r.evidence).toEqual(rule.evidence);
        expect(r.evidence.length).toBeGreaterThan(0);
      }
      if (d.status === 'determined' && d.hitPolicy === 'priority') {
        expect(d.reasons.map((r) => r.rule)).toEqual([d.rule]);
        expect(d.rationale).toBe(d.reasons[0]!.rationale);
      }
      if (d.hitPolicy === 'collect') expect(d.reasons.map((r) => r.value).sort()).toEqual(expect.arrayContaining([...(d.value as string[])].sort()));
      for (const c of d.candidates ?? []) {
        if (d.hitPolicy === 'score') continue;
        expect(c.reasons.map((r) => r.rule)).toEqual(c.rules);
        for (const r of c.reasons) expect(r.if.length, `${id} ${c.value} ${r.rule}`).toBeGreaterThan(0);
      }
      for (const x of [...d.reasons, ...(d.candidates ?? []).flatMap((c) => c.reasons)]) for (const ev of x.evidence) expect(d.evidence).toContain(ev);
    }
  });

  it('an open condition names the unknown input and what it would have to be', async () => {
    const plan = explainPlan(evaluate(makeCase({ id: 'open', ivc: { lumen: 'occluded', collaterals: null, circumferencePercent: 60 } }), compileRuleset(shippedModel()), { trace: true }), shippedModel());
    const ivc = plan.decisions.ivcManagement!;
    expect(ivc.status).toBe('undetermined');
    const graft = ivc.candidates!.find((c) => c.value === 'interposition_graft')!;
    expect(graft.reasons.flatMap((r) => r.if).join(' | ')).toMatch(/venous collaterals is limited or absent/);
    expect(plan.patient.unknown.map((u) => u.field)).toContain('ivc.collaterals');
    expect(plan.patient.given.map((g) => g.field)).not.toContain('ivc.collaterals');
  });
});

describe('inputs that follow from others', () => {
  const explained = async (text: string) => {
    const r = await parseCaseText(text, 'case.json');
    if (!r.ok) throw new Error(r.diagnostics.map((d) => d.code).join());
    return explainPlan(evaluate(r.value, compileRuleset(shippedModel())), shippedModel());
  };

  it('are given with the inputs they follow from, in every format', async () => {
    const plan = await explained('{"id": "infrarenal", "ivc": {"segments": ["I"]}}');
    const byField = new Map(plan.patient.given.map((g) => [g.field, g]));
    expect(byField.get('ivc.hepaticVeinInvolvement')).toMatchObject({ value: false, follows: ['ivc.segments'] });
    expect(byField.get('ivc.rightAtrialExtension')).toMatchObject({ value: false, follows: ['ivc.segments'] });
    expect(byField.get('ivc.segments')!.follows).toBeUndefined();
    expect(plan.patient.unknown.map((u) => u.field)).not.toContain('ivc.hepaticVeinInvolvement');
    const out = renderAll(plan, shippedModel());
    for (const fmt of ['text', 'markdown', 'html'] as const) expect(out[fmt]!.replace(/\s+/g, ' '), fmt).toContain('(follows from IVC segments involved)');
  });

  it('a value recorded where the others do not settle it is only given', async () => {
    const plan = await explained('{"id": "upper", "ivc": {"segments": ["II"], "hepaticVeinInvolvement": true}}');
    const hv = plan.patient.given.find((g) => g.field === 'ivc.hepaticVeinInvolvement')!;
    expect(hv.value).toBe(true);
    expect(hv.follows).toBeUndefined();
  });
});

describe('a score in the lowest level, which has no lower bound', () => {
  const complexityText = async (text: string) => {
    const r = await parseCaseText(text, 'case.json');
    if (!r.ok) throw new Error(r.diagnostics.map((d) => d.code).join());
    const plan = explainPlan(evaluate(r.value, compileRuleset(shippedModel())), shippedModel());
    return { d: plan.decisions['complexity']!, out: renderAll(plan, shippedModel()) };
  };

  it('is shown by its level alone when decided there', async () => {
    const { d, out } = await complexityText('{"id": "no-operation", "tumor": {"metastases": "widespread"}}');
    expect([d.status, d.value]).toEqual(['determined', 'not_applicable']);
    expect(d.score).toBeLessThan(d.openBelow!);
    for (const fmt of ['text', 'markdown', 'html'] as const) expect(out[fmt], fmt).not.toMatch(/score -\d/);
  });

  it('leaves the lower end of an open range unsaid ("up to")', async () => {
    const { d, out } = await complexityText('{"id": "open", "ivc": {"segments": ["I"]}}');
    expect(d.status).toBe('undetermined');
    expect(d.score).toBeLessThan(d.openBelow!);
    for (const fmt of ['text', 'markdown', 'html'] as const) {
      expect(out[fmt], fmt).toContain(`(score up to ${d.scoreMax})`);
      expect(out[fmt], fmt).not.toMatch(/score -\d/);
    }
  });

  it('keeps its numbers when both ends are above it', async () => {
    const { d, out } = await complexityText(readFileSync(join(ROOT, 'fixtures/cases/published/zhang2021-case4.json'), 'utf8'));
    expect(d.score).toBeGreaterThanOrEqual(d.openBelow!);
    expect(out['text']).toContain(`score ${d.score}`);
  });
});

describe('every format shows the reasons, the patient and only the references it cites', () => {
  it.each(ALL.map((f) => [name(f), f]))('%s', async (_n, file) => {
    const model = shippedModel();
    const plan = await explain(file, model, '2026-03-02');
    const out = renderAll(plan, model);
    const refs = citedEvidence(plan).map((e) => e.id);
    for (const [fmt, s] of Object.entries(out)) {
      expect(s, fmt).toContain('2026-03-02');
      expect(s, fmt).toContain(plan.ruleset.version);
      expect(s, fmt).toContain(plan.ruleset.digest.slice(0, 12));
      for (const d of Object.values(plan.decisions)) {
        expect(s, `${fmt} ${d.title}`).toContain(d.title);
        for (const r of d.reasons) {
          expect(s, `${fmt} ${r.rule}`).toContain(r.rule);
          const flat = s.replace(/\s+/g, ' ');
          if (fmt === 'text' || fmt === 'json') expect(flat, `${fmt} rationale of ${r.rule}`).toContain(fmt === 'json' ? JSON.stringify(r.rationale).slice(1, -1) : r.rationale);
          else expect(flat, `${fmt} rationale of ${r.rule}`).toContain(r.rationale.split(' ').slice(0, 3).join(' '));
        }
        for (const c of d.candidates ?? []) for (const r of c.reasons) expect(s, `${fmt} candidate ${r.rule}`).toContain(r.rule);
      }
      for (const g of plan.patient.given) if (fmt !== 'json') expect(s, `${fmt} input ${g.field}`).toContain(g.label);
      // the patient before the answer, the answer before the detail
      if (fmt !== 'json') {
        const patient = s.search(/Patient/);
        const answer = s.search(/Recommendation/);
        expect(patient, fmt).toBeGreaterThan(0);
        expect(answer, fmt).toBeGreaterThan(patient);
        expect(s.search(/Decisions and reasons/i), fmt).toBeGreaterThan(answer);
      }
    }
    // references: every one listed is cited beside a decision, factor or figure, and each cited one is listed
    const cited = new Set<string>();
    for (const d of Object.values(plan.decisions)) {
      for (const r of d.reasons) r.evidence.forEach((x) => cited.add(x));
      for (const f of d.factors ?? []) if (f.status === 'present') f.evidence.forEach((x) => cited.add(x));
    }
    for (const r of plan.complexity?.references ?? []) r.evidence.forEach((x) => cited.add(x));
    expect(new Set(refs)).toEqual(cited);
    const md = out.markdown!;
    const refSection = md.slice(md.indexOf('\n## References\n'));
    expect(refSection.match(/^- \*\*/gm)?.length ?? 0).toBe(refs.length);
    for (const id of refs) expect(refSection).toContain(`**${id}**`);
  });

  it('the same plan twice gives the same bytes in every format; no date unless given', async () => {
    const model = shippedModel();
    const a = renderAll(await explain(PUBLISHED[0]!, model), model);
    const b = renderAll(await explain(PUBLISHED[0]!, model), model);
    expect(b).toEqual(a);
    for (const s of Object.values(a)) expect(s).not.toMatch(/\b20\d\d-\d\d-\d\d\b/);
  });
});

describe('terminal text fits', () => {
  it.each([60, 80, 120])('every published and example plan at %i columns: no line wider, unless it is one word', async (width) => {
    const model = shippedModel();
    for (const file of ALL) {
      const text = renderPlanText(await explain(file, model, '2026-03-02'), model, PLAIN, { width, explain: true });
      for (const line of text.split('\n')) if ([...line].length > width) expect(line.trim(), `${name(file)}: ${line}`).not.toContain(' ');
    }
  });
});

describe('renderers follow the rule set, not a list of decision ids', () => {
  const EXTRA = `
decisions:
  anticoagulationBridge:
    title: Perioperative anticoagulation bridge
    hitPolicy: priority
    values:
      bridge_needed: Bridge with low-molecular-weight heparin
      no_bridge: No bridging needed
rules:
  - id: bridge.occluded
    title: Occluded cava
    decision: anticoagulationBridge
    priority: 500
    when: { fact: ivc.lumen, operator: equal, value: occluded }
    then: { value: bridge_needed }
    rationale: A test rationale for the extra decision, long enough to be recognised in every format.
    evidence: [wjs2020]
  - id: bridge.otherwise
    title: Cava not occluded
    decision: anticoagulationBridge
    priority: 100
    when: { fact: ivc.lumen, operator: notEqual, value: occluded }
    then: { value: no_bridge }
    rationale: Another test rationale for the extra decision.
    evidence: [wjs2020]
`;
  const model = buildOk([...readRuleSources(RULES_DIR, 'rules'), { file: 'rules/extra.yaml', text: EXTRA }]);

  it.each([
    ['determined', { ivc: { lumen: 'occluded' } }, 'Bridge with low-molecular-weight heparin'],
    ['undetermined', { ivc: { lumen: null } }, 'Bridge with low-molecular-weight heparin'],
  ])('an extra %s decision appears in text, markdown, HTML and JSON with its reason', (_s, over, label) => {
    const plan = explainPlan(evaluate(makeCase({ id: 'extra', ...over }), compileRuleset(model), { trace: true }), model);
    const d = plan.decisions.anticoagulationBridge!;
    expect(d).toBeDefined();
    const out = renderAll(plan, model);
    for (const [fmt, s] of Object.entries(out)) {
      expect(s, fmt).toContain('Perioperative anticoagulation bridge');
      expect(s, fmt).toContain(label);
      expect(s, fmt).toContain('bridge.occluded');
    }
    if (d.status === 'determined') {
      for (const fmt of ['text', 'markdown', 'html']) expect(out[fmt], fmt).toContain('A test rationale for the extra decision');
      expect(JSON.parse(out.json!).decisions.anticoagulationBridge.rationale).toMatch(/^A test rationale/);
    } else {
      for (const fmt of ['text', 'markdown', 'html']) expect(out[fmt], fmt).toMatch(/IVC lumen is occluded/);
    }
  });
});

describe('snapshots of the published patients (review any change to how a plan looks)', () => {
  it.each(PUBLISHED.map((f) => [name(f), f]))('%s', async (n, file) => {
    const model = shippedModel();
    const plan = await explain(file, model, '2026-03-02');
    const out = renderAll(plan, model);
    await expect(out.text).toMatchFileSnapshot(`__snapshots__/plans/${n}.txt`);
    await expect(out.markdown).toMatchFileSnapshot(`__snapshots__/plans/${n}.md`);
    // the stylesheet is the same for every plan (its effect is checked in Chromium): left out here
    await expect(out.html!.replace(/<style>[\s\S]*?<\/style>/, '<style>/* plan-html.ts */</style>')).toMatchFileSnapshot(`__snapshots__/plans/${n}.html`);
  });
});

describe('text from the rule files is sanitised in every format', () => {
  const HOSTILE = `
decisions:
  hostileDecision:
    title: "Hostile <b>title</b>"
    hitPolicy: priority
    values:
      x: "Value <img src=x onerror=alert(1)>"
rules:
  - id: hostile.rule
    title: "Title \\u001b[2J cleared"
    decision: hostileDecision
    priority: 100
    when: { all: [] }
    then: { value: x }
    rationale: "Rationale <script>alert(1)</script> \\u001b]0;owned\\u0007 end"
    evidence: [wjs2020]
`;
  const model = buildOk([...readRuleSources(RULES_DIR, 'rules'), { file: 'rules/hostile.yaml', text: HOSTILE }]);
  const plan = explainPlan(evaluate(makeCase({ id: 'hostile' }), compileRuleset(model), { trace: true }), model);

  it('no raw markup in HTML or markdown, no escape character in text', () => {
    const out = renderAll(plan, model);
    for (const fmt of ['html', 'markdown']) {
      expect(out[fmt], fmt).not.toContain('<script>');
      expect(out[fmt], fmt).not.toContain('<img');
      expect(out[fmt], fmt).not.toContain('<b>title');
      expect(out[fmt], fmt).not.toContain('\u001b');
    }
    expect(out.text).not.toContain('\u001b');
    expect(out.text).not.toContain('\u0007');
    expect(out.text).toContain('\\u001b[2J cleared');
    expect(out.html).toContain('&lt;script&gt;');
    // JSON keeps the rule set's text as it is (its own encoding escapes it)
    expect(JSON.parse(out.json!).decisions.hostileDecision.rationale).toContain('<script>');
  });
});
