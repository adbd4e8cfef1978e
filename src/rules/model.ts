/**
 * The normalized rule-set model: validated, merged across files, ordered, with the source
 * position of every rule and condition. Plain JSON (it is what the rule-set cache stores).
 */
import type { SourceRef } from '../diagnostics/diagnostic.js';
import type { DecisionOperatorName, Operator } from '../engine/operators.js';
import type { HitPolicyName } from '../engine/policies.js';
import type { EvidenceLevel } from './schema.js';

export type Scalar = string | number | boolean;

export type ConditionModel =
  | { readonly kind: 'all'; readonly items: readonly ConditionModel[]; readonly src: SourceRef }
  | { readonly kind: 'any'; readonly items: readonly ConditionModel[]; readonly src: SourceRef }
  | { readonly kind: 'not'; readonly item: ConditionModel; readonly src: SourceRef }
  | {
      readonly kind: 'fact';
      readonly fact: string;
      readonly operator: Operator;
      /** Literal operand; absent for isKnown/isUnknown/isEmpty/isNotEmpty or when `param` is set. */
      readonly value?: Scalar | readonly Scalar[];
      /** Parameter name when the operand is a parameter. */
      readonly param?: string;
      readonly count?: number;
      readonly src: SourceRef;
    }
  | {
      readonly kind: 'decision';
      readonly decision: string;
      readonly operator: DecisionOperatorName;
      readonly value: Scalar | readonly Scalar[];
      readonly src: SourceRef;
    };

export interface WarningModel {
  readonly id: string;
  readonly text: string;
}

export interface OutcomeModel {
  readonly value?: string;
  readonly points?: number;
  readonly material?: string;
  readonly graftSizing?: boolean;
  readonly warnings?: readonly WarningModel[];
}

export interface RuleModel {
  readonly id: string;
  readonly title: string;
  readonly decision: string;
  readonly priority: number;
  readonly when: ConditionModel;
  readonly then: OutcomeModel;
  readonly rationale: string;
  readonly evidence: readonly string[];
  readonly src: SourceRef;
}

export type HitPolicy = HitPolicyName;

export interface ReferenceModel {
  readonly label: string;
  readonly figures: string;
  readonly levels?: readonly string[];
  readonly evidence: readonly string[];
}

export interface DecisionModel {
  readonly id: string;
  readonly title: string;
  readonly hitPolicy: HitPolicy;
  /** value → label, in declared order. */
  readonly values: Readonly<Record<string, string>>;
  readonly description?: string;
  readonly levels?: readonly { readonly value: string; readonly minScore: number }[];
  readonly references?: readonly ReferenceModel[];
  /** Rule ids in evaluation order (priority descending, then file order). */
  readonly rules: readonly string[];
  /** Decisions this one reads. */
  readonly dependsOn: readonly string[];
  readonly src: SourceRef;
}

export interface ParameterModel {
  readonly id: string;
  readonly value: number;
  readonly unit?: string;
  readonly min?: number;
  readonly max?: number;
  readonly description: string;
  readonly borderlineBand?: string;
  readonly evidence: readonly string[];
  readonly alternatives?: readonly { readonly value: number; readonly note: string; readonly evidence?: readonly string[] }[];
  readonly src: SourceRef;
}

export interface EvidenceModel {
  readonly id: string;
  readonly authors: string;
  readonly year?: number;
  readonly title?: string;
  readonly journal: string;
  readonly doi?: string;
  readonly pmid?: string;
  readonly url?: string;
  readonly level?: EvidenceLevel;
  readonly n?: number;
  readonly population?: string;
  readonly design?: string;
  readonly note?: string;
}

export interface InvariantModel {
  readonly id: string;
  readonly title: string;
  readonly description?: string;
  readonly when: ConditionModel;
  readonly then: { readonly decision: string; readonly operator: 'in' | 'notIn'; readonly value: readonly string[] };
  readonly evidence: readonly string[];
  readonly src: SourceRef;
}

export interface GlossaryModel {
  readonly term: string;
  readonly definition: string;
  readonly provisional: boolean;
  readonly evidence: readonly string[];
}

export interface RulesetModel {
  readonly name: string;
  readonly version: string;
  readonly digest: string;
  /** Where `metadata.version` is written, for a finding about the version (diff/version-not-bumped). */
  readonly versionSrc?: SourceRef;
  readonly description?: string;
  readonly intendedUse?: string;
  readonly limitations: readonly string[];
  readonly files: readonly string[];
  readonly parameters: Readonly<Record<string, ParameterModel>>;
  /** In evaluation order (dependencies first). */
  readonly decisions: readonly DecisionModel[];
  readonly rules: readonly RuleModel[];
  readonly evidence: Readonly<Record<string, EvidenceModel>>;
  readonly invariants: readonly InvariantModel[];
  readonly glossary: readonly GlossaryModel[];
}

/** A rule set's digest as results print it: its first 12 hex digits (here, not in digest.ts, so that printing one loads no node:crypto). */
export const shortDigest = (d: string): string => d.slice(0, 12);
