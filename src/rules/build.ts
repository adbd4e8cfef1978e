/**
 * Rule files → normalized model. Pure: takes file texts, returns the model and every
 * problem found (all of them, each with file:line:col and a stable code), never throws.
 * Passes: YAML parse → zod schema → merge (duplicate ids) → references and types → order.
 */
import type { DiagnosticCode } from '../diagnostics/codes.js';
import { rulesetDigest } from './digest.js';
import * as z from 'zod/mini';
import { FIELD_BY_PATH } from '../case/fields.js';
import { compareDiagnostics, dotPath, type Diagnostic, type SourceRef } from '../diagnostics/diagnostic.js';
import { suggest } from '../diagnostics/suggest.js';
import { locate, parseYaml, type ParsedYaml } from '../io/yaml.js';
import { schemaDiagnostics } from '../diagnostics/zod.js';
import type {
  ConditionModel,
  DecisionModel,
  EvidenceModel,
  GlossaryModel,
  HitPolicy,
  InvariantModel,
  ParameterModel,
  RuleModel,
  RulesetModel,
  Scalar,
} from './model.js';
import { DECISION_OPERATORS, FACT_OPERATORS, type DecisionOperatorName, type DecisionOperatorTable, type Operator, type OperatorTable } from '../engine/operators.js';
import { conditionForm, ruleFileKeys, ruleFileSchema, type ConditionInput, type RuleFile } from './schema.js';
import { byCodeUnit } from '../io/order.js';
import { MAX_RULES } from '../io/bounds.js';

export interface RuleSource {
  /** Display name, e.g. "rules/ivc.yaml". */
  readonly file: string;
  readonly text: string;
}

export interface BuildResult {
  readonly model?: RulesetModel;
  readonly diagnostics: Diagnostic[];
}

export { rulesetDigest, normalizeText } from './digest.js';

interface Located<T> {
  readonly value: T;
  readonly parsed: ParsedYaml;
  readonly path: (string | number)[];
}

/**
 * What the files left out of the build (their errors already reported) declare, as far as
 * their text tells. A reference to one of these ids, a decision whose rules are there, or
 * metadata declared there is not reported as missing: that would follow from the error
 * above it, and one typo in the file that declares the decisions would otherwise bury
 * itself under hundreds of "unknown decision" errors. A file that is not YAML at all tells
 * nothing, so then no reference is reported missing.
 */
class LeftOut {
  /** A file whose declarations cannot be read at all. */
  unreadable = false;
  metadata = false;
  readonly ids = { parameter: new Set<string>(), decision: new Set<string>(), evidence: new Set<string>() };
  /** Decisions that rules in a left-out file belong to. */
  readonly ruleDecisions = new Set<string>();

  /** Note what a file that failed its schema declares (its raw YAML value). */
  add(raw: unknown): void {
    if (!isRecord(raw)) {
      this.unreadable = true;
      return;
    }
    if (raw.metadata !== undefined) this.metadata = true;
    const keys = (section: unknown, into: Set<string>) => {
      if (isRecord(section)) for (const k of Object.keys(section)) into.add(k);
      else if (section !== undefined) this.unreadable = true;
    };
    keys(raw.parameters, this.ids.parameter);
    keys(raw.decisions, this.ids.decision);
    keys(raw.evidence, this.ids.evidence);
    if (raw.rules === undefined) return;
    if (!Array.isArray(raw.rules)) this.unreadable = true;
    else for (const r of raw.rules as unknown[]) {
      if (isRecord(r) && typeof r.decision === 'string') this.ruleDecisions.add(r.decision);
      else this.unreadable = true;
    }
  }

  /** Whether a reference to `id` that resolves to nothing may be a declaration left out. */
  mayDeclare(kind: keyof LeftOut['ids'], id: string): boolean {
    return this.unreadable || this.ids[kind].has(id);
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export function buildRuleset(sources: readonly RuleSource[]): BuildResult {
  const diagnostics: Diagnostic[] = [];
  const files: { parsed: ParsedYaml; data: RuleFile }[] = [];
  if (sources.length === 0) {
    diagnostics.push({ severity: 'error', code: 'rules/empty', message: 'the rule set has no .yaml files' });
    return { diagnostics };
  }
  const leftOut = new LeftOut();
  const rawRules = new Map<string, unknown>(); // file → its `rules` list as written, to name a rule by its id
  for (const src of [...sources].sort((a, b) => byCodeUnit(a.file, b.file))) {
    const parsed = parseYaml(src.text, src.file, 'rules');
    diagnostics.push(...parsed.diagnostics);
    if (isRecord(parsed.value)) rawRules.set(src.file, parsed.value.rules);
    if (parsed.diagnostics.length) {
      leftOut.unreadable = true;
      continue;
    }
    if (parsed.value === null || parsed.value === undefined) continue; // an empty file is allowed
    const r = z.safeParse(ruleFileSchema, parsed.value);
    if (!r.success) {
      diagnostics.push(...schemaDiagnostics(r.error.issues, parsed, 'rules', { unionForm: conditionForm, knownKeys: ruleFileKeys }));
      leftOut.add(parsed.value);
      continue;
    }
    files.push({ parsed, data: r.data });
  }

  const at = (l: Pick<Located<unknown>, 'parsed' | 'path'>, key?: string): SourceRef => ({
    file: l.parsed.file,
    path: dotPath(l.path),
    ...locate(l.parsed, l.path, key),
  });
  const err = (code: DiagnosticCode, where: SourceRef, message: string, extra: Partial<Diagnostic> = {}): void => {
    diagnostics.push({ ...where, severity: 'error', code, message, ...extra });
  };
  /** The suggestion for a misspelt reference: the closest declared id, if one is close. */
  const near = (word: string, known: Iterable<string>): Partial<Diagnostic> => {
    const suggestion = suggest(word, known);
    return suggestion ? { suggestion } : {};
  };

  // ---- bounds: nothing reads an empty rule set, nor spends minutes on an absurd one
  if (files.length === 0 && !diagnostics.some((d) => d.severity === 'error')) {
    diagnostics.push({ file: sources[0]!.file, severity: 'error', code: 'rules/empty', message: 'every .yaml file is empty or only comments: there are no rules' });
    return { diagnostics };
  }
  const ruleCount = files.reduce((n, f) => n + (f.data.rules?.length ?? 0), 0);
  if (ruleCount > MAX_RULES) {
    diagnostics.push({ file: files[0]!.parsed.file, severity: 'error', code: 'rules/too-many', message: `${ruleCount} rules; a rule set has at most ${MAX_RULES}` });
    return { diagnostics };
  }

  // ---- merge, rejecting duplicate ids across the whole set
  const seen = new Map<string, SourceRef>();
  const claim = (kind: string, id: string, where: SourceRef): boolean => {
    const key = `${kind}:${id}`;
    const first = seen.get(key);
    if (first) {
      err('rules/duplicate-id', where, `duplicate ${kind} id "${id}"`, { related: [first] });
      return false;
    }
    seen.set(key, where);
    return true;
  };

  let metadata: Located<NonNullable<RuleFile['metadata']>> | undefined;
  const params = new Map<string, Located<NonNullable<RuleFile['parameters']>[string]>>();
  const decisions = new Map<string, Located<NonNullable<RuleFile['decisions']>[string]>>();
  const rules: Located<NonNullable<RuleFile['rules']>[number]>[] = [];
  const evidence = new Map<string, Located<NonNullable<RuleFile['evidence']>[string]>>();
  const invariants: Located<NonNullable<RuleFile['invariants']>[number]>[] = [];
  const glossary = new Map<string, Located<NonNullable<RuleFile['glossary']>[string]>>();

  for (const { parsed, data } of files) {
    if (data.metadata) {
      const here = { value: data.metadata, parsed, path: ['metadata'] };
      if (metadata) err('rules/duplicate-metadata', at(here, 'metadata'), 'metadata is declared twice', { related: [at(metadata)] });
      else metadata = here;
    }
    const mapSection = <T>(kind: string, section: Record<string, T> | undefined, into: Map<string, Located<T>>, sectionName: string) => {
      for (const [id, value] of Object.entries(section ?? {})) {
        const l = { value, parsed, path: [sectionName, id] };
        if (claim(kind, id, at({ parsed, path: [sectionName] }, id))) into.set(id, l);
      }
    };
    mapSection('parameter', data.parameters, params, 'parameters');
    mapSection('decision', data.decisions, decisions, 'decisions');
    mapSection('evidence', data.evidence, evidence, 'evidence');
    mapSection('glossary', data.glossary, glossary, 'glossary');
    (data.rules ?? []).forEach((rule, i) => {
      const l = { value: rule, parsed, path: ['rules', i] };
      if (claim('rule', rule.id, at(l, 'id'))) rules.push(l);
    });
    (data.invariants ?? []).forEach((inv, i) => {
      const l = { value: inv, parsed, path: ['invariants', i] };
      if (claim('invariant', inv.id, at(l, 'id'))) invariants.push(l);
    });
  }
  if (!metadata && files.length && !leftOut.metadata && !leftOut.unreadable) err('rules/no-metadata', { file: files[0]!.parsed.file, line: 1, col: 1 }, 'no file declares the rule set metadata (name, version)');

  // ---- references
  const checkEvidence = (ids: readonly string[] | undefined, l: Located<unknown>, key: string) => {
    (ids ?? []).forEach((id, i) => {
      if (!evidence.has(id) && !leftOut.mayDeclare('evidence', id)) err('rules/unknown-evidence', at({ parsed: l.parsed, path: [...l.path, key, i] }), `unknown evidence id "${id}"`, near(id, evidence.keys()));
    });
  };

  const convert = (c: ConditionInput, l: Located<unknown>, path: (string | number)[], ownDecision?: string): ConditionModel => {
    const src = at({ parsed: l.parsed, path });
    if (c.all) return { kind: 'all', items: c.all.map((x, i) => convert(x, l, [...path, 'all', i], ownDecision)), src };
    if (c.any) return { kind: 'any', items: c.any.map((x, i) => convert(x, l, [...path, 'any', i], ownDecision)), src };
    if (c.not) return { kind: 'not', item: convert(c.not, l, [...path, 'not'], ownDecision), src };
    if (c.decision !== undefined) {
      const d = decisions.get(c.decision);
      if (!d) {
        if (!leftOut.mayDeclare('decision', c.decision)) err('rules/unknown-decision', at({ parsed: l.parsed, path: [...path, 'decision'] }), `unknown decision "${c.decision}"`, near(c.decision, decisions.keys()));
      } else {
        if (c.decision === ownDecision) err('rules/decision-cycle', src, `a rule of "${ownDecision}" cannot read its own decision`);
        const allowed = d.value.hitPolicy === 'score' ? (d.value.levels ?? []).map((x) => x.value) : Object.keys(d.value.values);
        const vals = Array.isArray(c.value) ? c.value : [c.value];
        const wantsList = (DECISION_OPERATORS as DecisionOperatorTable)[c.operator!]!.operand === 'list';
        if (wantsList !== Array.isArray(c.value))
          err('rules/operator-type', at({ parsed: l.parsed, path: [...path, 'operator'] }), `operator "${c.operator}" takes ${wantsList ? 'a list' : 'a single value'}`);
        vals.forEach((v) => {
          if (!allowed.includes(String(v)))
            err('rules/unknown-value', at({ parsed: l.parsed, path: [...path, 'value'] }), `"${String(v)}" is not a value of decision "${c.decision}"`, near(String(v), allowed));
        });
      }
      return { kind: 'decision', decision: c.decision, operator: c.operator as DecisionOperatorName, value: c.value as Scalar, src };
    }
    const fact = c.fact!;
    const op = c.operator as Operator;
    const spec = FIELD_BY_PATH.get(fact);
    let param: string | undefined;
    let value = c.value as Scalar | Scalar[] | { param: string } | undefined;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      param = value.param;
      value = undefined;
      if (!params.has(param) && !leftOut.mayDeclare('parameter', param)) err('rules/unknown-parameter', at({ parsed: l.parsed, path: [...path, 'value', 'param'] }), `unknown parameter "${param}"`, near(param, params.keys()));
    }
    if (!spec) {
      err('rules/unknown-field', at({ parsed: l.parsed, path: [...path, 'fact'] }), `unknown case field "${fact}"`, {
        suggestion: 'fields are dotted paths of the case schema, e.g. ivc.circumferencePercent (see rvlms schema case)',
        ...near(fact, FIELD_BY_PATH.keys()),
      });
      return { kind: 'fact', fact, operator: op, src, ...(value !== undefined ? { value } : {}), ...(param ? { param } : {}) };
    }
    const operator = (FACT_OPERATORS as OperatorTable)[op]!; // the schema admitted only the table's names
    const typeErr = (msg: string) => err('rules/operator-type', at({ parsed: l.parsed, path: [...path, 'operator'] }), msg);
    if (!operator.fields.includes(spec.kind)) {
      const fitting = Object.keys(FACT_OPERATORS).filter((name) => (FACT_OPERATORS as OperatorTable)[name]!.fields.includes(spec.kind));
      typeErr(`operator "${op}" does not apply to "${fact}", a ${spec.kind} field: use ${fitting.join(' / ')}`);
    }
    const takesValue = operator.operand !== 'none';
    if (!takesValue && (value !== undefined || param)) typeErr(`operator "${op}" takes no value`);
    if (takesValue && value === undefined && !param) err('rules/required', at({ parsed: l.parsed, path }), `operator "${op}" needs a value`);
    if (operator.count && c.count === undefined) err('rules/required', at({ parsed: l.parsed, path }), `operator "${op}" needs a count`);
    if (!operator.count && c.count !== undefined) typeErr(`operator "${op}" takes no count`);
    if (param && operator.operand !== 'number') typeErr(`a parameter can only be the operand of a numeric comparison`);
    if (value !== undefined && takesValue) {
      const vals = Array.isArray(value) ? value : [value];
      const wantsList = operator.operand === 'list';
      if (wantsList !== Array.isArray(value)) typeErr(`operator "${op}" takes ${wantsList ? 'a list' : 'a single value'}`);
      const isNum = spec.kind === 'number' || spec.kind === 'integer';
      vals.forEach((v) => {
        const vpath = at({ parsed: l.parsed, path: [...path, 'value'] });
        if (spec.values && !spec.values.includes(String(v))) err('rules/unknown-value', vpath, `"${String(v)}" is not a value of "${fact}" (${spec.values.join(', ')})`, near(String(v), spec.values));
        else if (spec.kind === 'boolean' && typeof v !== 'boolean') err('rules/operator-type', vpath, `"${fact}" is true or false`);
        else if (isNum && typeof v !== 'number') err('rules/operator-type', vpath, `"${fact}" is numeric`);
        else if (spec.values && typeof v !== 'string') err('rules/operator-type', vpath, `"${fact}" takes text values`);
      });
    }
    return {
      kind: 'fact',
      fact,
      operator: op,
      src,
      ...(value !== undefined ? { value } : {}),
      ...(param ? { param } : {}),
      ...(c.count !== undefined ? { count: c.count } : {}),
    };
  };

  const ruleModels: RuleModel[] = [];
  for (const l of rules) {
    const r = l.value;
    const d = decisions.get(r.decision);
    if (!d && !leftOut.mayDeclare('decision', r.decision)) err('rules/unknown-decision', at(l, 'decision'), `unknown decision "${r.decision}"`, near(r.decision, decisions.keys()));
    checkEvidence(r.evidence, l, 'evidence');
    if (d) {
      const pol = d.value.hitPolicy;
      if (pol === 'priority' && r.priority === undefined) err('rules/required', at(l, 'id'), `rule "${r.id}" of a priority decision needs a priority`);
      if (pol !== 'score' && r.then.value === undefined) err('rules/required', at({ parsed: l.parsed, path: [...l.path, 'then'] }), `rule "${r.id}" must set then.value`);
      if (pol === 'score' && r.then.points === undefined) err('rules/required', at({ parsed: l.parsed, path: [...l.path, 'then'] }), `rule "${r.id}" of a score decision must set then.points`);
      if (r.then.value !== undefined && pol !== 'score' && !(r.then.value in d.value.values))
        err('rules/unknown-outcome', at({ parsed: l.parsed, path: [...l.path, 'then', 'value'] }), `"${r.then.value}" is not a value of decision "${r.decision}"`, near(r.then.value, Object.keys(d.value.values)));
    }
    const when = convert(r.when, l, [...l.path, 'when'], r.decision);
    ruleModels.push({
      id: r.id,
      title: r.title,
      decision: r.decision,
      priority: r.priority ?? 0,
      when,
      then: r.then,
      rationale: r.rationale.trim(),
      evidence: r.evidence,
      src: at(l, 'id'),
    });
  }

  const paramModels: Record<string, ParameterModel> = {};
  for (const [id, l] of [...params].sort(([a], [b]) => byCodeUnit(a, b))) {
    const p = l.value;
    checkEvidence(p.evidence, l, 'evidence');
    (p.alternatives ?? []).forEach((a, j) => checkEvidence(a.evidence, { ...l, path: [...l.path, 'alternatives', j] }, 'evidence'));
    if (p.borderlineBand && !params.has(p.borderlineBand) && !leftOut.mayDeclare('parameter', p.borderlineBand)) err('rules/unknown-parameter', at(l, 'borderlineBand'), `unknown parameter "${p.borderlineBand}"`, near(p.borderlineBand, params.keys()));
    if ((p.min !== undefined && p.default < p.min) || (p.max !== undefined && p.default > p.max))
      err('rules/range', at(l, 'default'), `parameter "${id}" default ${p.default} is outside ${p.min ?? '-∞'}–${p.max ?? '∞'}`);
    paramModels[id] = {
      id,
      value: p.default,
      description: p.description.trim(),
      evidence: p.evidence ?? [],
      src: at(l),
      ...(p.unit !== undefined ? { unit: p.unit } : {}),
      ...(p.min !== undefined ? { min: p.min } : {}),
      ...(p.max !== undefined ? { max: p.max } : {}),
      ...(p.borderlineBand !== undefined ? { borderlineBand: p.borderlineBand } : {}),
      ...(p.alternatives !== undefined ? { alternatives: p.alternatives } : {}),
    };
  }

  const invModels: InvariantModel[] = invariants.map((l) => {
    const inv = l.value;
    checkEvidence(inv.evidence, l, 'evidence');
    const d = decisions.get(inv.then.decision);
    if (!d) {
      if (!leftOut.mayDeclare('decision', inv.then.decision)) err('rules/unknown-decision', at({ parsed: l.parsed, path: [...l.path, 'then', 'decision'] }), `unknown decision "${inv.then.decision}"`, near(inv.then.decision, decisions.keys()));
    } else
      inv.then.value.forEach((v, i) => {
        const allowed = d.value.hitPolicy === 'score' ? (d.value.levels ?? []).map((x) => x.value) : Object.keys(d.value.values);
        if (!allowed.includes(v)) err('rules/unknown-value', at({ parsed: l.parsed, path: [...l.path, 'then', 'value', i] }), `"${v}" is not a value of decision "${inv.then.decision}"`, near(v, allowed));
      });
    return {
      id: inv.id,
      title: inv.title,
      when: convert(inv.when, l, [...l.path, 'when']),
      then: inv.then,
      evidence: inv.evidence ?? [],
      src: at(l, 'id'),
      ...(inv.description ? { description: inv.description.trim() } : {}),
    };
  });

  for (const [, l] of glossary) checkEvidence(l.value.evidence, l, 'evidence');

  // ---- decisions: rule order, dependencies, evaluation order
  const decisionDeps = new Map<string, Set<string>>();
  const collectDeps = (c: ConditionModel, into: Set<string>): void => {
    if (c.kind === 'all' || c.kind === 'any') c.items.forEach((x) => collectDeps(x, into));
    else if (c.kind === 'not') collectDeps(c.item, into);
    else if (c.kind === 'decision') into.add(c.decision);
  };
  for (const r of ruleModels) {
    const s = decisionDeps.get(r.decision) ?? new Set<string>();
    collectDeps(r.when, s);
    decisionDeps.set(r.decision, s);
  }
  const order: string[] = [];
  const state = new Map<string, 1 | 2>();
  const visit = (id: string, stack: string[]): void => {
    if (state.get(id) === 2) return;
    if (state.get(id) === 1) {
      const l = decisions.get(id)!;
      err('rules/decision-cycle', at(l), `decisions depend on each other in a cycle: ${[...stack, id].join(' → ')}`);
      return;
    }
    state.set(id, 1);
    for (const dep of [...(decisionDeps.get(id) ?? [])].sort()) if (decisions.has(dep)) visit(dep, [...stack, id]);
    state.set(id, 2);
    order.push(id);
  };
  for (const id of decisions.keys()) visit(id, []);

  const decisionModels: DecisionModel[] = order.map((id) => {
    const l = decisions.get(id)!;
    const d = l.value;
    if (d.hitPolicy === 'score') {
      if (!d.levels?.length) err('rules/required', at(l), `score decision "${id}" needs levels`);
      else if (d.levels.some((x, i) => i > 0 && x.minScore <= d.levels![i - 1]!.minScore))
        err('rules/levels', at(l, 'levels'), `levels of "${id}" must have ascending minScore`);
    }
    for (const ref of d.references ?? [])
      ref.evidence.forEach((e) => {
        if (!evidence.has(e) && !leftOut.mayDeclare('evidence', e)) err('rules/unknown-evidence', at(l, 'references'), `unknown evidence id "${e}"`, near(e, evidence.keys()));
      });
    const own = ruleModels
      .map((r, i) => ({ r, i }))
      .filter(({ r }) => r.decision === id)
      .sort((a, b) => b.r.priority - a.r.priority || a.i - b.i)
      .map(({ r }) => r.id);
    if (own.length === 0 && !leftOut.unreadable && !leftOut.ruleDecisions.has(id)) diagnostics.push({ ...at(l), severity: 'warning', code: 'rules/no-rules', message: `decision "${id}" has no rules` });
    return {
      id,
      title: d.title,
      hitPolicy: d.hitPolicy as HitPolicy,
      values: d.hitPolicy === 'score' ? Object.fromEntries((d.levels ?? []).map((x) => [x.value, d.values[x.value] ?? x.value])) : d.values,
      rules: own,
      dependsOn: [...(decisionDeps.get(id) ?? [])].sort(),
      src: at(l),
      ...(d.description ? { description: d.description.trim() } : {}),
      ...(d.levels ? { levels: d.levels } : {}),
      ...(d.references ? { references: d.references } : {}),
    };
  });

  // a problem inside a rule names the rule (`rules[12]` alone sends the reader counting)
  for (const [i, d] of diagnostics.entries()) {
    const index = d.rules === undefined && d.file !== undefined ? /^rules\[(\d+)\]/.exec(d.path ?? '')?.[1] : undefined;
    const list = index === undefined ? undefined : rawRules.get(d.file!);
    const id = Array.isArray(list) && isRecord(list[Number(index)]) ? (list[Number(index)] as Record<string, unknown>).id : undefined;
    if (typeof id === 'string') diagnostics[i] = { ...d, rules: [id] };
  }
  diagnostics.sort(compareDiagnostics);
  if (diagnostics.some((d) => d.severity === 'error') || !metadata) return { diagnostics };

  const m = metadata.value;
  const ev: Record<string, EvidenceModel> = {};
  for (const [id, l] of [...evidence].sort(([a], [b]) => byCodeUnit(a, b))) ev[id] = { id, ...l.value };
  const gl: GlossaryModel[] = [...glossary].map(([term, l]) => ({
    term,
    definition: l.value.definition.trim(),
    provisional: l.value.provisional ?? false,
    evidence: l.value.evidence ?? [],
  }));
  return {
    diagnostics,
    model: {
      name: m.name,
      version: m.version,
      digest: rulesetDigest(sources),
      versionSrc: at({ parsed: metadata.parsed, path: [...metadata.path, 'version'] }),
      limitations: m.limitations ?? [],
      files: sources.map((s) => s.file).sort(),
      parameters: paramModels,
      decisions: decisionModels,
      rules: ruleModels,
      evidence: ev,
      invariants: invModels,
      glossary: gl,
      ...(m.description ? { description: m.description.trim() } : {}),
      ...(m.intendedUse ? { intendedUse: m.intendedUse.trim() } : {}),
    },
  };
}
