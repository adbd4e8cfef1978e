/**
 * The rule-file format. A rule set is a folder of YAML files; each file may hold any of the
 * sections below, and the files are merged (ids must be unique across the whole set).
 */
import * as z from 'zod/mini';
import { DECISION_OPERATORS, FACT_OPERATORS } from '../engine/operators.js';
import { HIT_POLICIES } from '../engine/policies.js';

const ID = /^[a-z][A-Za-z0-9_.-]*$/;
const id = () => z.string().check(z.regex(ID));
const text = () => z.string().check(z.minLength(1), z.maxLength(4000));

const paramRef = z.strictObject({ param: id() });
const scalar = z.union([z.string(), z.number(), z.boolean()]);
const value = z.union([scalar, z.array(scalar), paramRef]);

export interface ConditionInput {
  all?: ConditionInput[];
  any?: ConditionInput[];
  not?: ConditionInput;
  fact?: string;
  decision?: string;
  operator?: string;
  value?: unknown;
  count?: number;
}

/**
 * The forms of a condition, each told apart by its first key; the union below lists them in
 * this order, so that a condition's issues can be reported for the form it was meant to be
 * (a misspelt operator is named as such, not "not a valid condition").
 */
const CONDITION_FORMS = ['all', 'any', 'not', 'fact', 'decision'] as const;

export const conditionSchema: z.ZodMiniType<ConditionInput> = z.lazy(() => {
  const forms: Record<(typeof CONDITION_FORMS)[number], z.ZodMiniType> = {
    all: z.strictObject({ all: z.array(conditionSchema) }),
    any: z.strictObject({ any: z.array(conditionSchema).check(z.minLength(1)) }),
    not: z.strictObject({ not: conditionSchema }),
    fact: z.strictObject({
      fact: z.string().check(z.minLength(1)),
      operator: z.enum(Object.keys(FACT_OPERATORS) as [string, ...string[]]),
      value: z.optional(value),
      count: z.optional(z.int().check(z.gte(1))),
    }),
    decision: z.strictObject({
      decision: id(),
      operator: z.enum(Object.keys(DECISION_OPERATORS) as [string, ...string[]]),
      value: z.union([scalar, z.array(scalar)]),
    }),
  };
  return z.union(CONDITION_FORMS.map((k) => forms[k]) as [z.ZodMiniType, ...z.ZodMiniType[]]) as z.ZodMiniType<ConditionInput>;
});

/** Which form of a condition a value was meant to be (its index in the union), by its keys. */
export function conditionForm(v: unknown): number | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const i = CONDITION_FORMS.findIndex((k) => Object.hasOwn(v, k));
  return i < 0 ? undefined : i;
}

const warning = z.strictObject({ id: id(), text: text() });

const outcome = z.strictObject({
  value: z.optional(z.string().check(z.minLength(1))),
  points: z.optional(z.number().check(z.gte(-100), z.lte(100))),
  material: z.optional(text()),
  graftSizing: z.optional(z.boolean()),
  warnings: z.optional(z.array(warning)),
});

const rule = z.strictObject({
  id: id(),
  title: text(),
  decision: id(),
  priority: z.optional(z.int().check(z.gte(0), z.lte(100000))),
  when: conditionSchema,
  then: outcome,
  rationale: text(),
  evidence: z.array(id()).check(z.minLength(1)),
});

const parameter = z.strictObject({
  default: z.number(),
  unit: z.optional(z.string()),
  min: z.optional(z.number()),
  max: z.optional(z.number()),
  description: text(),
  /** Name of the parameter giving the width of the borderline band around this threshold. */
  borderlineBand: z.optional(id()),
  evidence: z.optional(z.array(id())),
  alternatives: z.optional(z.array(z.strictObject({ value: z.number(), note: text(), evidence: z.optional(z.array(id())) }))),
});

const reference = z.strictObject({
  label: text(),
  figures: text(),
  levels: z.optional(z.array(z.string())),
  evidence: z.array(id()).check(z.minLength(1)),
});

const decision = z.strictObject({
  title: text(),
  hitPolicy: z.enum(Object.keys(HIT_POLICIES) as [string, ...string[]]),
  values: z.record(z.string().check(z.regex(ID)), text()),
  description: z.optional(text()),
  /** score policy: the level reached at each minimum score, ascending. */
  levels: z.optional(z.array(z.strictObject({ value: z.string(), minScore: z.number() }))),
  references: z.optional(z.array(reference)),
});

/** How strong a source is, weakest first; a plan prints it beside the citation. */
export const EVIDENCE_LEVELS = [
  'case report',
  'case series',
  'retrospective cohort',
  'registry',
  'pooled analysis',
  'review',
  'consensus',
  'guideline',
  'trial',
] as const;
export type EvidenceLevel = (typeof EVIDENCE_LEVELS)[number];

const evidence = z.strictObject({
  authors: text(),
  year: z.optional(z.int().check(z.gte(1900), z.lte(2100))),
  title: z.optional(text()),
  journal: text(),
  doi: z.optional(z.string()),
  pmid: z.optional(z.string()),
  url: z.optional(z.string()),
  /** Study design as one of EVIDENCE_LEVELS. */
  level: z.optional(z.enum(EVIDENCE_LEVELS)),
  /** Study size: patients (or what `population` says is counted). */
  n: z.optional(z.int().check(z.gte(1))),
  /** Who or what `n` counts, when not simply patients with IVC leiomyosarcoma. */
  population: z.optional(text()),
  /** Free-text detail of the design (centres, period, how the source is used). */
  design: z.optional(text()),
  note: z.optional(text()),
});

const invariant = z.strictObject({
  id: id(),
  title: text(),
  description: z.optional(text()),
  when: conditionSchema,
  then: z.strictObject({
    decision: id(),
    operator: z.enum(['in', 'notIn']),
    value: z.array(z.string()).check(z.minLength(1)),
  }),
  evidence: z.optional(z.array(id())),
});

const glossaryEntry = z.strictObject({
  definition: text(),
  provisional: z.optional(z.boolean()),
  evidence: z.optional(z.array(id())),
});

export const ruleFileSchema = z.strictObject({
  metadata: z.optional(
    z.strictObject({
      name: z.string().check(z.regex(ID)),
      version: z.string().check(z.minLength(1)),
      description: z.optional(text()),
      intendedUse: z.optional(text()),
      limitations: z.optional(z.array(text())),
    }),
  ),
  parameters: z.optional(z.record(z.string().check(z.regex(ID)), parameter)),
  decisions: z.optional(z.record(z.string().check(z.regex(ID)), decision)),
  rules: z.optional(z.array(rule)),
  evidence: z.optional(z.record(z.string().check(z.regex(ID)), evidence)),
  invariants: z.optional(z.array(invariant)),
  glossary: z.optional(z.record(z.string().check(z.minLength(1)), glossaryEntry)),
});

export type RuleFile = z.infer<typeof ruleFileSchema>;
export type RuleInput = z.infer<typeof rule>;
export type DecisionInput = z.infer<typeof decision>;
export type ParameterInput = z.infer<typeof parameter>;
export type EvidenceInput = z.infer<typeof evidence>;
export type InvariantInput = z.infer<typeof invariant>;
export type GlossaryInput = z.infer<typeof glossaryEntry>;

/** Every key a rule file may hold anywhere (for "did you mean" on an unknown one). */
export function ruleFileKeys(): Set<string> {
  const keys = new Set<string>();
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    const props = (node as { properties?: Record<string, unknown> }).properties;
    if (props) for (const k of Object.keys(props)) keys.add(k);
    for (const v of Object.values(node)) walk(v);
  };
  walk(rulesJsonSchema());
  return keys;
}

export function rulesJsonSchema(): unknown {
  return z.toJSONSchema(ruleFileSchema, { unrepresentable: 'any', cycles: 'ref' });
}
