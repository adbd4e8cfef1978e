/**
 * Cohort summary, accumulated case by case in bounded memory: counters keyed by the finite
 * sets of statuses, decision values, rules and input fields, plus the operative time and
 * blood loss of each imaging type for their medians (8 bytes per case that records them).
 * Every input case is counted exactly once in `cases`, so the totals add up.
 */
import { FIELD_BY_PATH, IVC_MANAGEMENT_VALUES } from '../case/fields.js';
import type { CaseInput } from '../case/schema.js';
import type { CompiledRuleset } from '../engine/compile.js';
import { UNDETERMINED } from '../engine/evaluate.js';
import type { Evaluated } from './evaluate-case.js';
import { cohensKappa, IdSet, NumberSample, percent, RateCounter, wilson, type Quartiles, type Rate } from './stats.js';
import { CONCORDANCE_ACTUAL, CONCORDANCE_DECISION, type Agreement, type CaseStatus } from './types.js';

export interface CaseCounts {
  readonly total: number;
  readonly ok: number;
  readonly undetermined: number;
  readonly invalid: number;
}

export interface ConfusionMatrix {
  /** Row labels: what was done (`actual.ivcManagement`), in the decision's value order. */
  readonly actual: readonly string[];
  /** Column labels: the same values in the same order, then "undetermined". */
  readonly recommended: readonly string[];
  /** counts[i][j]: cases with actual[i] and recommendation recommended[j]. */
  readonly counts: readonly (readonly number[])[];
}

/** A proportion with its Wilson 95 % interval, in percent to one decimal. */
export interface Proportion {
  readonly percent: number | null;
  readonly ci95: { readonly low: number; readonly high: number } | null;
}

/** Cohen's kappa with its 95 % interval (stats.ts: cohensKappa), to three decimals. */
export interface KappaSummary {
  readonly n: number;
  readonly kappa: number;
  readonly se: number;
  readonly ci95: { readonly low: number; readonly high: number };
}

export interface Concordance {
  readonly decision: string;
  readonly actualField: string;
  /** Valid cases that record what was done, and those that do not. */
  readonly withActual: number;
  readonly withoutActual: number;
  /** Cases with actual whose recommendation is determined: agree + disagree. */
  readonly determined: number;
  readonly agree: number;
  readonly disagree: number;
  /** 100 · agree / determined. */
  readonly agreementPercent: number | null;
  /** The same with its Wilson 95 % interval. */
  readonly agreement: Proportion;
  /** Cohen's kappa over the determined cases (recommended vs done), null when undefined. */
  readonly kappa: KappaSummary | null;
  readonly undetermined: { readonly total: number; readonly actualAmongCandidates: number; readonly actualNotAmongCandidates: number };
  readonly matrix: ConfusionMatrix;
}

export interface ImagingGroup {
  /** An imaging type, or "unknown". */
  readonly type: string;
  /** Valid cases of this type. */
  readonly n: number;
  readonly operativeTimeMin: Quartiles | null;
  readonly bloodLossMl: Quartiles | null;
  readonly transfusion: Rate;
  readonly icuAdmission: Rate;
  /** What was done to the IVC: cases that record it, and the count of each procedure (in value order, nonzero only). */
  readonly ivcProcedures: { readonly n: number; readonly counts: Readonly<Record<string, number>> };
  /** Agreement of the recommended IVC management with what was done, in this type's determined cases. */
  readonly agreement: { readonly determined: number; readonly agree: number } & Proportion;
}

export interface RuleCount {
  readonly rule: string;
  /** Cases in which this rule's outcome is part of the plan (priority: it decided; collect: its item is included; score: its points count). */
  readonly cases: number;
}

export interface DecisionRuleCounts {
  readonly decision: string;
  readonly determined: number;
  readonly undetermined: number;
  readonly rules: readonly RuleCount[];
}

export interface MissingCount {
  readonly field: string;
  readonly label: string;
  readonly workup: string;
  /** Cases in which this unknown input leaves some decision (or the graft size) open. */
  readonly cases: number;
  /** … of which it leaves the IVC management open. */
  readonly ivcManagement: number;
}

/** Where a case comes from, by its `source` (see sourceKind). */
export const SOURCE_KINDS = ['published', 'registry', 'synthetic'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/**
 * A case's provenance: `synthetic` when `source.note` starts with "SYNTHETIC" (whatever else
 * it cites), else `published` when it has a citation or DOI, else `registry`. The one place
 * this is decided, so a synthetic case never counts towards a published figure.
 */
export function sourceKind(input: CaseInput): SourceKind {
  const s = input.source;
  if (typeof s?.note === 'string' && /^\s*synthetic\b/i.test(s.note)) return 'synthetic';
  if ((typeof s?.citation === 'string' && s.citation.trim() !== '') || (typeof s?.doi === 'string' && s.doi.trim() !== '')) return 'published';
  return 'registry';
}

/** The figures of the cases of one provenance (valid cases only: an invalid case has no trusted source). */
export interface SourceSummary {
  readonly source: SourceKind;
  readonly cases: { readonly total: number; readonly ok: number; readonly undetermined: number };
  readonly concordance: Concordance | null;
  readonly byImagingType: readonly ImagingGroup[];
}

/** Case ids given to more than one input case. */
export interface DuplicateIds {
  /** Ids seen more than once. */
  readonly ids: number;
  /** Input cases beyond the first of each such id. */
  readonly extraCases: number;
  /** The first 20 such ids (in order of their second appearance), with the cases (n) that carry each, up to 10. */
  readonly examples: readonly { readonly id: string; readonly cases: readonly number[] }[];
}

export interface BatchSummary {
  readonly cases: CaseCounts;
  /** null when the rule set has no `ivcManagement` decision. */
  readonly concordance: Concordance | null;
  readonly byImagingType: readonly ImagingGroup[];
  readonly byRule: readonly DecisionRuleCounts[];
  /** Sorted by cases blocked, most first. */
  readonly undeterminedReasons: readonly MissingCount[];
  /** Cases whose plan broke a safety invariant of the rule set, by invariant. */
  readonly invariantViolations: { readonly cases: number; readonly byInvariant: Readonly<Record<string, number>> };
  /** The same figures for each provenance: published, registry, synthetic. */
  readonly bySource: readonly SourceSummary[];
  readonly duplicateIds: DuplicateIds;
}

const bump = (map: Map<string, number>, key: string): void => void map.set(key, (map.get(key) ?? 0) + 1);

class ImagingAccumulator {
  n = 0;
  readonly time = new NumberSample();
  readonly blood = new NumberSample();
  readonly transfusion = new RateCounter();
  readonly icu = new RateCounter();
  readonly procedures = new Map<string, number>();
  determined = 0;
  agree = 0;

  add(actual: CaseInput['actual'], agreement: Agreement | undefined): void {
    if (agreement === 'agree' || agreement === 'disagree') {
      this.determined++;
      if (agreement === 'agree') this.agree++;
    }
    this.n++;
    if (!actual) return;
    const { operativeTimeMin: time, bloodLossMl: blood, ivcManagement: done } = actual;
    if (typeof time === 'number') this.time.add(time);
    if (typeof blood === 'number') this.blood.add(blood);
    this.transfusion.add(actual.transfusion);
    this.icu.add(actual.icuAdmission);
    if (typeof done === 'string') bump(this.procedures, done);
  }

  merge(o: ImagingAccumulator): void {
    this.n += o.n;
    this.time.merge(o.time);
    this.blood.merge(o.blood);
    this.transfusion.merge(o.transfusion);
    this.icu.merge(o.icu);
    for (const [k, v] of o.procedures) this.procedures.set(k, (this.procedures.get(k) ?? 0) + v);
    this.determined += o.determined;
    this.agree += o.agree;
  }

  result(type: string, order: readonly string[]): ImagingGroup {
    const counts: Record<string, number> = {};
    let n = 0;
    for (const v of sortedKeys(this.procedures, order)) {
      counts[v] = this.procedures.get(v)!;
      n += counts[v];
    }
    return {
      type,
      n: this.n,
      operativeTimeMin: this.time.quartiles(),
      bloodLossMl: this.blood.quartiles(),
      transfusion: this.transfusion.rate(),
      icuAdmission: this.icu.rate(),
      ivcProcedures: { n, counts },
      agreement: { determined: this.determined, agree: this.agree, ...proportion(this.agree, this.determined) },
    };
  }
}

/** Keys in a given order first, then any others in code-point order. */
function sortedKeys(map: ReadonlyMap<string, unknown>, order: readonly string[]): string[] {
  const known = order.filter((k) => map.has(k));
  const extra = [...map.keys()].filter((k) => !order.includes(k)).sort();
  return [...known, ...extra];
}

const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

function proportion(k: number, n: number): Proportion {
  const ci = wilson(k, n);
  return { percent: percent(k, n), ci95: ci ? { low: round(100 * ci.low, 1), high: round(100 * ci.high, 1) } : null };
}

/** The value order of both axes of the confusion matrix: the decision's values, then any other value seen, in code-point order. */
function axisOrder(decisionValues: readonly string[], seen: Iterable<string>): string[] {
  const order = [...decisionValues, ...IVC_MANAGEMENT_VALUES.filter((v) => !decisionValues.includes(v))];
  const extra = [...new Set(seen)].filter((v) => v !== UNDETERMINED && !order.includes(v)).sort();
  return [...order, ...extra];
}

/** Concordance, imaging groups and counts of one set of cases (the whole cohort, or one provenance). */
class CohortAccumulator {
  readonly counts: Record<CaseStatus, number> = { ok: 0, undetermined: 0, invalid: 0 };
  readonly imaging = new Map<string, ImagingAccumulator>();
  /** actual value → recommended value → cases */
  readonly matrix = new Map<string, Map<string, number>>();
  readonly agreement = { agree: 0, disagree: 0, undetermined_candidate: 0, undetermined_not_candidate: 0 };
  withoutActual = 0;

  constructor(imagingTypes: readonly string[]) {
    for (const t of [...imagingTypes, 'unknown']) this.imaging.set(t, new ImagingAccumulator());
  }

  add(ev: Evaluated, hasConcordance: boolean): void {
    const r = ev.result;
    this.counts[r.status]++;
    const f = ev.findings;
    if (!f) return;
    const type = f.input.tumor?.imagingType;
    (this.imaging.get(typeof type === 'string' ? type : 'unknown') ?? this.imaging.get('unknown')!).add(f.input.actual, r.agreement);
    if (!hasConcordance) return;
    if (r.agreement === undefined || r.actual === undefined) {
      this.withoutActual++;
      return;
    }
    this.agreement[r.agreement]++;
    const row = this.matrix.get(r.actual) ?? new Map<string, number>();
    bump(row, String(r.decisions?.[CONCORDANCE_DECISION]));
    this.matrix.set(r.actual, row);
  }

  merge(o: CohortAccumulator): void {
    for (const k of Object.keys(this.counts) as CaseStatus[]) this.counts[k] += o.counts[k];
    for (const [type, acc] of o.imaging) this.imaging.get(type)!.merge(acc);
    for (const [actual, row] of o.matrix) {
      const into = this.matrix.get(actual) ?? new Map<string, number>();
      for (const [k, v] of row) into.set(k, (into.get(k) ?? 0) + v);
      this.matrix.set(actual, into);
    }
    for (const k of Object.keys(this.agreement) as Agreement[]) this.agreement[k] += o.agreement[k];
    this.withoutActual += o.withoutActual;
  }

  concordance(decisionValues: readonly string[]): Concordance {
    const a = this.agreement;
    const seen: string[] = [...this.matrix.keys()];
    for (const row of this.matrix.values()) seen.push(...row.keys());
    const values = axisOrder(decisionValues, seen);
    const cols = [...values, UNDETERMINED];
    const counts = values.map((row) => cols.map((col) => this.matrix.get(row)?.get(col) ?? 0));
    const determined = a.agree + a.disagree;
    const undetermined = a.undetermined_candidate + a.undetermined_not_candidate;
    const k = cohensKappa(counts.map((row) => row.slice(0, values.length)));
    return {
      decision: CONCORDANCE_DECISION,
      actualField: CONCORDANCE_ACTUAL,
      withActual: determined + undetermined,
      withoutActual: this.withoutActual,
      determined,
      agree: a.agree,
      disagree: a.disagree,
      agreementPercent: percent(a.agree, determined),
      agreement: proportion(a.agree, determined),
      kappa: k ? { n: k.n, kappa: round(k.kappa, 3), se: round(k.se, 3), ci95: { low: round(k.ci95.low, 3), high: round(k.ci95.high, 3) } } : null,
      undetermined: { total: undetermined, actualAmongCandidates: a.undetermined_candidate, actualNotAmongCandidates: a.undetermined_not_candidate },
      matrix: { actual: values, recommended: cols, counts },
    };
  }

  byImagingType(): ImagingGroup[] {
    return [...this.imaging].map(([type, acc]) => acc.result(type, IVC_MANAGEMENT_VALUES));
  }
}

/** How many examples of duplicate ids the summary lists, and how many cases of each. */
const DUPLICATE_EXAMPLES = 20;
const DUPLICATE_CASES = 10;

/**
 * Everything the summary counts of a run of cases except their ids: counters that add up,
 * so the tallies of separate runs merge into the tally of all of them (worker threads each
 * tally their chunk; the main thread merges the chunks in input order). Plain fields only:
 * `merge` reads another tally's fields, so it takes a structured clone of one too.
 */
export class CaseTally {
  readonly all: CohortAccumulator;
  readonly sources = new Map<SourceKind, CohortAccumulator>();
  readonly determined: number[];
  readonly undetermined: number[];
  /** Per rule, in the rule set's decision and rule order. */
  readonly ruleCases: number[];
  readonly missing = new Map<string, { label: string; workup: string; cases: number; ivc: number }>();
  readonly violations = new Map<string, number>();
  violationCases = 0;

  constructor(rs: CompiledRuleset) {
    const imagingTypes = FIELD_BY_PATH.get('tumor.imagingType')?.values ?? [];
    this.all = new CohortAccumulator(imagingTypes);
    for (const k of SOURCE_KINDS) this.sources.set(k, new CohortAccumulator(imagingTypes));
    this.determined = rs.decisions.map(() => 0);
    this.undetermined = rs.decisions.map(() => 0);
    this.ruleCases = rs.decisions.flatMap((d) => d.rules.map(() => 0));
  }

  /** `ruleOffset[d]`: the number of decision d's first rule in the rule set's rule order. */
  add(ev: Evaluated, ruleOffset: readonly number[], hasConcordance: boolean): void {
    const r = ev.result;
    this.all.add(ev, hasConcordance);
    const f = ev.findings;
    if (!f) return;
    this.sources.get(sourceKind(f.input))!.add(ev, hasConcordance);
    const resolutions = f.decided.resolutions;
    for (let i = 0; i < resolutions.length; i++) {
      const res = resolutions[i]!;
      if (res.determined) this.determined[i]!++;
      else this.undetermined[i]!++;
      // the rules whose outcome is part of the result (deciding, included, scoring)
      for (const rule of res.applied) this.ruleCases[ruleOffset[i]! + rule]!++;
    }
    // an input the IVC management waits for only while it is undetermined (the native diameter
    // of a graft already chosen sizes the graft: it does not leave the management open)
    const ivcOpen = r.decisions?.[CONCORDANCE_DECISION] === UNDETERMINED;
    for (const m of f.decided.missing) {
      const spec = FIELD_BY_PATH.get(m.field);
      const entry = this.missing.get(m.field) ?? { label: spec?.label ?? m.field, workup: spec?.workup ?? '', cases: 0, ivc: 0 };
      entry.cases++;
      if (ivcOpen && m.decisions.includes(CONCORDANCE_DECISION)) entry.ivc++;
      this.missing.set(m.field, entry);
    }
    if (r.invariantViolations) {
      this.violationCases++;
      for (const v of r.invariantViolations) bump(this.violations, v);
    }
  }

  merge(o: CaseTally): void {
    this.all.merge(o.all);
    for (const [k, acc] of o.sources) this.sources.get(k)!.merge(acc);
    o.determined.forEach((x, i) => (this.determined[i]! += x));
    o.undetermined.forEach((x, i) => (this.undetermined[i]! += x));
    o.ruleCases.forEach((x, i) => (this.ruleCases[i]! += x));
    for (const [field, m] of o.missing) {
      const entry = this.missing.get(field);
      if (entry === undefined) this.missing.set(field, { ...m });
      else {
        entry.cases += m.cases;
        entry.ivc += m.ivc;
      }
    }
    for (const [k, v] of o.violations) this.violations.set(k, (this.violations.get(k) ?? 0) + v);
    this.violationCases += o.violationCases;
  }
}

/** What a rule set gives every tally of a run: the rule numbering and whether there is an IVC decision to compare. */
export class TallyContext {
  /** Per decision (by index): the number of its first rule in the rule set's rule order. */
  readonly ruleOffset: readonly number[];
  readonly hasConcordance: boolean;
  readonly decisionValues: readonly string[];

  constructor(readonly rs: CompiledRuleset) {
    const ivc = rs.decisions.find((d) => d.model.id === CONCORDANCE_DECISION);
    this.hasConcordance = ivc !== undefined;
    this.decisionValues = Object.keys(ivc?.model.values ?? {});
    const offsets: number[] = [];
    let next = 0;
    for (const d of rs.decisions) {
      offsets[d.index] = next;
      next += d.rules.length;
    }
    this.ruleOffset = offsets;
  }

  emptyTally(): CaseTally {
    return new CaseTally(this.rs);
  }

  /** Count one case into a tally. */
  add(t: CaseTally, ev: Evaluated): void {
    t.add(ev, this.ruleOffset, this.hasConcordance);
  }
}

/** The summary of a run: the merged tallies of its cases, and their ids (duplicates are found in input order). */
export class SummaryBuilder {
  private readonly context: TallyContext;
  private readonly counts: CaseTally;
  /** The ids seen (with the first case that carried each); the cases of the ids seen again. */
  private readonly ids = new IdSet();
  private readonly duplicates = new Map<string, number[]>();
  /** The ids seen again beyond those listed, and how many distinct ones. */
  private readonly unlisted = new IdSet();
  private unlistedIds = 0;
  private duplicateCases = 0;

  constructor(private readonly rs: CompiledRuleset) {
    this.context = new TallyContext(rs);
    this.counts = new CaseTally(rs);
  }

  /** A case's id, in input order (`n`: its number in the run). */
  countId(id: string | null, n: number): void {
    if (id === null) return;
    const first = this.ids.firstOf(id, n);
    if (first === undefined) return;
    this.duplicateCases++;
    const cases = this.duplicates.get(id);
    if (cases !== undefined) {
      if (cases.length < DUPLICATE_CASES) cases.push(n);
    } else if (this.duplicates.size < DUPLICATE_EXAMPLES) this.duplicates.set(id, [first, n]);
    else if (this.unlisted.firstOf(id, n) === undefined) this.unlistedIds++; // counted, not listed
  }

  /** The tally of some cases (their ids go to countId). */
  merge(t: CaseTally): void {
    this.counts.merge(t);
  }

  result(): BatchSummary {
    const t = this.counts;
    const c = t.all.counts;
    const byRule = this.rs.decisions.map((d, i) => ({
      decision: d.model.id,
      determined: t.determined[i]!,
      undetermined: t.undetermined[i]!,
      rules: d.rules.map((r, j) => ({ rule: r.model.id, cases: t.ruleCases[this.context.ruleOffset[d.index]! + j]! })),
    }));
    const undeterminedReasons = [...t.missing]
      .map(([field, m]) => ({ field, label: m.label, workup: m.workup, cases: m.cases, ivcManagement: m.ivc }))
      .sort((x, y) => y.cases - x.cases || y.ivcManagement - x.ivcManagement || (x.field < y.field ? -1 : 1));
    const byInvariant: Record<string, number> = {};
    for (const k of [...t.violations.keys()].sort()) byInvariant[k] = t.violations.get(k)!;
    const concordance = (acc: CohortAccumulator): Concordance | null => (this.context.hasConcordance ? acc.concordance(this.context.decisionValues) : null);
    return {
      cases: { total: c.ok + c.undetermined + c.invalid, ok: c.ok, undetermined: c.undetermined, invalid: c.invalid },
      concordance: concordance(t.all),
      byImagingType: t.all.byImagingType(),
      byRule,
      undeterminedReasons,
      invariantViolations: { cases: t.violationCases, byInvariant },
      bySource: SOURCE_KINDS.map((source) => {
        const acc = t.sources.get(source)!;
        const k = acc.counts;
        return { source, cases: { total: k.ok + k.undetermined, ok: k.ok, undetermined: k.undetermined }, concordance: concordance(acc), byImagingType: acc.byImagingType() };
      }),
      duplicateIds: {
        ids: this.duplicates.size + this.unlistedIds,
        extraCases: this.duplicateCases,
        examples: [...this.duplicates].map(([id, cases]) => ({ id, cases })),
      },
    };
  }
}
