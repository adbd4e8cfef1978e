/** Programmatic API: the pure core and the loaders, for tests, scripts and other tools. */
export { evaluate, decide, valueKey, PLAN_SCHEMA_VERSION, UNDETERMINED } from './engine/evaluate.js';
export type { Plan, DecisionResult, MissingInput, Borderline, RuleTrace } from './engine/evaluate.js';
export { compileRuleset, factsOf } from './engine/compile.js';
export type { CompiledRuleset, DecisionState, TraceNode } from './engine/compile.js';
export { buildRuleset, rulesetDigest } from './rules/build.js';
export type { RuleSource } from './rules/build.js';
export { loadRuleset, readRuleSources, defaultRulesDir } from './rules/load.js';
export type { RulesetModel, RuleModel, DecisionModel, ConditionModel } from './rules/model.js';
export { validateCase, caseJsonSchema, CASE_SCHEMA_VERSION } from './case/schema.js';
export type { CaseInput } from './case/schema.js';
export { parseCaseText } from './case/load.js';
export { INPUT_FIELDS, ACTUAL_FIELDS, FIELD_BY_PATH, IVC_MANAGEMENT_VALUES, readPath } from './case/fields.js';
export { rulesJsonSchema } from './rules/schema.js';
export { mapJsonSchema } from './batch/map-load.js';
export { formatDiagnostic, InputError } from './diagnostics/diagnostic.js';
export type { Diagnostic } from './diagnostics/diagnostic.js';
export { main } from './cli/index.js';
