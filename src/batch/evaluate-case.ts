/**
 * One input item → one CaseResult. Pure and synchronous on the fast path: a certainly-valid
 * case goes straight to `evaluate` (no trace, no borderline search); anything else is judged
 * by `validateCase`. Only an invalid item with source text takes the async step
 * `locateInvalid`, which adds the line and column of each bad field.
 */
import { readPath } from '../case/fields.js';
import { validateCase, type CaseInput } from '../case/schema.js';
import { deriveCase } from '../case/derive.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { CompiledRuleset } from '../engine/compile.js';
import { evaluate, UNDETERMINED, type DecisionResult, type Plan } from '../engine/evaluate.js';
import { locatedDiagnostics, placeDiagnostic } from './items.js';
import { isCertainlyValid } from './quick-valid.js';
import { CONCORDANCE_DECISION, type Agreement, type CaseResult, type CaseSource, type InputItem } from './types.js';

export interface Evaluated {
  readonly result: CaseResult;
  /** The plan of a valid case (transient: the summary reads the deciding rules and missing inputs from it). */
  readonly plan?: Plan;
  /** The validated case: the summary reads the imaging type and the outcomes from it. */
  readonly input?: CaseInput;
}

/** Batch needs decision values, rules and missing inputs: no trace, no borderline search. */
const EVALUATE_OPTIONS = { trace: false, borderline: false } as const;

/** An id to show for an input that may not be a valid case. */
function shownId(data: unknown): string | null {
  const id = readPath(data, 'id');
  return typeof id === 'string' && id.length <= 200 ? id : null;
}

function invalid(n: number, source: CaseSource, id: string | null, diagnostics: readonly Diagnostic[]): Evaluated {
  return { result: { n, id, source, status: 'invalid', diagnostics } };
}

export function agreementOf(value: string, candidates: readonly string[] | undefined, actual: string): Agreement {
  if (value !== UNDETERMINED) return value === actual ? 'agree' : 'disagree';
  return candidates?.includes(actual) ? 'undetermined_candidate' : 'undetermined_not_candidate';
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The decision ids in order, and an object with each of them (undefined): the shape of CaseResult.decisions. */
interface Shape {
  readonly ids: readonly string[];
  readonly template: Readonly<Record<string, undefined>>;
}

const shapes = new WeakMap<CompiledRuleset, Shape>();

function shapeOf(rs: CompiledRuleset): Shape {
  let shape = shapes.get(rs);
  if (shape === undefined) {
    const ids = rs.decisions.map((d) => d.model.id);
    shape = { ids, template: Object.fromEntries(ids.map((id) => [id, undefined])) as Record<string, undefined> };
    shapes.set(rs, shape);
  }
  return shape;
}

const candidateValues = (cs: DecisionResult['candidates']): string[] => {
  const out: string[] = [];
  if (cs !== undefined) for (let i = 0; i < cs.length; i++) out.push(cs[i]!.value);
  return out;
};

/**
 * The case result of a valid case and its plan. Built with plain assignments, the decisions
 * from a template of their keys (one object shape for every case): this runs once per case.
 */
export function resultOf(n: number, source: CaseSource, input: CaseInput, plan: Plan, rs: CompiledRuleset): CaseResult {
  const { ids, template } = shapeOf(rs);
  const decisions = { ...template } as unknown as Record<string, string | readonly string[]>;
  let candidates: Record<string, readonly string[]> | undefined;
  let ivcCandidates: readonly string[] | undefined;
  const results = plan.decisions;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    const r = results[id]!;
    decisions[id] = r.value;
    if (r.status === 'undetermined') {
      const values = candidateValues(r.candidates);
      (candidates ??= {})[id] = values;
      if (id === CONCORDANCE_DECISION) ivcCandidates = values;
    }
  }
  const result: Mutable<CaseResult> = { n, id: plan.case.id, source, status: plan.status === 'determined' ? 'ok' : 'undetermined', decisions };
  if (candidates) result.candidates = candidates;
  const c = plan.complexity;
  if (c) result.complexity = { level: c.level, score: c.score, scoreMax: c.scoreMax };
  const missing = plan.missing;
  if (missing.length) {
    const fields: string[] = [];
    for (let i = 0; i < missing.length; i++) fields.push(missing[i]!.field);
    result.missing = fields;
  }
  const actual = input.actual?.ivcManagement;
  const recommended = decisions[CONCORDANCE_DECISION];
  if (typeof actual === 'string') {
    result.actual = actual;
    if (typeof recommended === 'string') result.agreement = agreementOf(recommended, ivcCandidates, actual);
  }
  if (plan.invariantViolations.length) result.invariantViolations = plan.invariantViolations.map((v) => v.invariant);
  return result;
}

/** Evaluate one item; `n` is its 1-based position in the whole run. */
export function evaluateItem(item: InputItem, n: number, rs: CompiledRuleset): Evaluated {
  if ('diagnostics' in item) return invalid(n, item.source, null, item.diagnostics);
  let input: CaseInput;
  if (isCertainlyValid(item.data)) input = deriveCase(item.data as CaseInput);
  else {
    const v = validateCase(item.data, item.source.file);
    if (!v.ok) return invalid(n, item.source, shownId(item.data), v.diagnostics.map((d) => placeDiagnostic(d, item.source)));
    input = v.value;
  }
  const plan = evaluate(input, rs, EVALUATE_OPTIONS);
  return { result: resultOf(n, item.source, input, plan, rs), plan, input };
}

/**
 * Give an invalid item's diagnostics the line and column of each field, from its text. A
 * one-line item (a JSON Lines case) keeps its line and field path without a column: finding
 * the column means parsing the text again as YAML, about 0.5 ms a case, which a cohort with
 * many invalid lines cannot afford.
 */
export async function locateInvalid(ev: Evaluated, item: InputItem): Promise<Evaluated> {
  if (ev.result.status !== 'invalid' || !('data' in item) || item.text === undefined || !item.text.includes('\n')) return ev;
  const diagnostics = await locatedDiagnostics(item.text, item.source, item.col ?? 1, ev.result.diagnostics ?? []);
  return { result: { ...ev.result, diagnostics } };
}
