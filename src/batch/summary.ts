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
import { NumberSample, percent, RateCounter, type Quartiles, type Rate } from './stats.js';
import { CONCORDANCE_ACTUAL, CONCORDANCE_DECISION, type CaseStatus } from './types.js';

export interface CaseCounts {
  readonly total: number;
  readonly ok: number;
  readonly undetermined: number;
  readonly invalid: number;
}

export interface ConfusionMatrix {
  /** Row labels: what was done (`actual.ivcManagement`). */
  readonly actual: readonly string[];
  /** Column labels: what the rules recommend, then "undetermined". */
  readonly recommended: readonly string[];
  /** counts[i][j]: cases with actual[i] and recommendation recommended[j]. */
  readonly counts: readonly (readonly number[])[];
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
}

const bump = (map: Map<string, number>, key: string): void => void map.set(key, (map.get(key) ?? 0) + 1);

class ImagingAccumulator {
  n = 0;
  readonly time = new NumberSample();
  readonly blood = new NumberSample();
  readonly transfusion = new RateCounter();
  readonly icu = new RateCounter();
  readonly procedures = new Map<string, number>();

  add(actual: CaseInput['actual']): void {
    this.n++;
    if (!actual) return;
    const { operativeTimeMin: time, bloodLossMl: blood, ivcManagement: done } = actual;
    if (typeof time === 'number') this.time.add(time);
    if (typeof blood === 'number') this.blood.add(blood);
    this.transfusion.add(actual.transfusion);
    this.icu.add(actual.icuAdmission);
    if (typeof done === 'string') bump(this.procedures, done);
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
    };
  }
}

/** Keys in a given order first, then any others in code-point order. */
function sortedKeys(map: ReadonlyMap<string, unknown>, order: readonly string[]): string[] {
  const known = order.filter((k) => map.has(k));
  const extra = [...map.keys()].filter((k) => !order.includes(k)).sort();
  return [...known, ...extra];
}

export class SummaryBuilder {
  private readonly counts: Record<CaseStatus, number> = { ok: 0, undetermined: 0, invalid: 0 };
  private readonly imagingTypes: readonly string[];
  private readonly imaging = new Map<string, ImagingAccumulator>();
  private readonly decisionIds: readonly string[];
  private readonly determined: number[];
  private readonly undetermined: number[];
  /** rule id → index into ruleCases */
  private readonly ruleIndex = new Map<string, number>();
  private readonly ruleCases: number[] = [];
  private readonly missing = new Map<string, { label: string; workup: string; cases: number; ivc: number }>();
  private readonly violations = new Map<string, number>();
  private violationCases = 0;
  private readonly hasConcordance: boolean;
  private readonly recommendedOrder: readonly string[];
  /** actual value → recommended value → cases */
  private readonly matrix = new Map<string, Map<string, number>>();
  private readonly agreement = { agree: 0, disagree: 0, undetermined_candidate: 0, undetermined_not_candidate: 0 };
  private withoutActual = 0;

  constructor(private readonly rs: CompiledRuleset) {
    this.imagingTypes = FIELD_BY_PATH.get('tumor.imagingType')?.values ?? [];
    for (const t of [...this.imagingTypes, 'unknown']) this.imaging.set(t, new ImagingAccumulator());
    const ivc = rs.decisions.find((d) => d.model.id === CONCORDANCE_DECISION);
    this.hasConcordance = ivc !== undefined;
    this.recommendedOrder = [...Object.keys(ivc?.model.values ?? {}), UNDETERMINED];
    this.decisionIds = rs.decisions.map((d) => d.model.id);
    this.determined = this.decisionIds.map(() => 0);
    this.undetermined = this.decisionIds.map(() => 0);
    for (const d of rs.decisions)
      for (const r of d.rules) {
        this.ruleIndex.set(r.model.id, this.ruleCases.length);
        this.ruleCases.push(0);
      }
  }

  private countRule(rule: string): void {
    const i = this.ruleIndex.get(rule);
    if (i !== undefined) this.ruleCases[i]!++;
  }

  add(ev: Evaluated): void {
    const r = ev.result;
    this.counts[r.status]++;
    const plan = ev.plan;
    if (!plan || !ev.input) return;
    const type = ev.input.tumor?.imagingType;
    (this.imaging.get(typeof type === 'string' ? type : 'unknown') ?? this.imaging.get('unknown')!).add(ev.input.actual);

    const ids = this.decisionIds;
    for (let i = 0; i < ids.length; i++) {
      const res = plan.decisions[ids[i]!];
      if (!res) continue;
      if (res.status === 'determined') this.determined[i]!++;
      else this.undetermined[i]!++;
      if (res.rule !== undefined) this.countRule(res.rule);
      else if (res.rules) for (const rule of res.rules) this.countRule(rule);
    }
    for (const m of ev.plan.missing) {
      const entry = this.missing.get(m.field) ?? { label: m.label, workup: m.workup, cases: 0, ivc: 0 };
      entry.cases++;
      if (m.decisions.includes(CONCORDANCE_DECISION)) entry.ivc++;
      this.missing.set(m.field, entry);
    }
    if (r.invariantViolations) {
      this.violationCases++;
      for (const v of r.invariantViolations) bump(this.violations, v);
    }
    if (!this.hasConcordance) return;
    if (r.agreement === undefined || r.actual === undefined) {
      this.withoutActual++;
      return;
    }
    this.agreement[r.agreement]++;
    const row = this.matrix.get(r.actual) ?? new Map<string, number>();
    bump(row, String(r.decisions?.[CONCORDANCE_DECISION]));
    this.matrix.set(r.actual, row);
  }

  private concordance(): Concordance | null {
    if (!this.hasConcordance) return null;
    const a = this.agreement;
    const rows = [...new Set([...IVC_MANAGEMENT_VALUES, ...sortedKeys(this.matrix, IVC_MANAGEMENT_VALUES)])];
    const seenCols = new Map<string, number>();
    for (const row of this.matrix.values()) for (const k of row.keys()) seenCols.set(k, 1);
    const cols = [...new Set([...this.recommendedOrder, ...sortedKeys(seenCols, this.recommendedOrder)])];
    const determined = a.agree + a.disagree;
    const undetermined = a.undetermined_candidate + a.undetermined_not_candidate;
    return {
      decision: CONCORDANCE_DECISION,
      actualField: CONCORDANCE_ACTUAL,
      withActual: determined + undetermined,
      withoutActual: this.withoutActual,
      determined,
      agree: a.agree,
      disagree: a.disagree,
      agreementPercent: percent(a.agree, determined),
      undetermined: { total: undetermined, actualAmongCandidates: a.undetermined_candidate, actualNotAmongCandidates: a.undetermined_not_candidate },
      matrix: { actual: rows, recommended: cols, counts: rows.map((row) => cols.map((col) => this.matrix.get(row)?.get(col) ?? 0)) },
    };
  }

  result(): BatchSummary {
    const c = this.counts;
    const byRule = this.rs.decisions.map((d, i) => ({
      decision: d.model.id,
      determined: this.determined[i]!,
      undetermined: this.undetermined[i]!,
      rules: d.rules.map((r) => ({ rule: r.model.id, cases: this.ruleCases[this.ruleIndex.get(r.model.id)!]! })),
    }));
    const undeterminedReasons = [...this.missing]
      .map(([field, m]) => ({ field, label: m.label, workup: m.workup, cases: m.cases, ivcManagement: m.ivc }))
      .sort((x, y) => y.cases - x.cases || y.ivcManagement - x.ivcManagement || (x.field < y.field ? -1 : 1));
    const byInvariant: Record<string, number> = {};
    for (const k of [...this.violations.keys()].sort()) byInvariant[k] = this.violations.get(k)!;
    return {
      cases: { total: c.ok + c.undetermined + c.invalid, ok: c.ok, undetermined: c.undetermined, invalid: c.invalid },
      concordance: this.concordance(),
      byImagingType: [...this.imaging].map(([type, acc]) => acc.result(type, IVC_MANAGEMENT_VALUES)),
      byRule,
      undeterminedReasons,
      invariantViolations: { cases: this.violationCases, byInvariant },
    };
  }
}
