/**
 * The shapes that flow through `rvlms batch`: readers yield InputItems, evaluation turns each
 * into a CaseResult, the summary and the renderers consume CaseResults. Plain data only.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';

/** Where a case came from: the file as the user named it ("-" for stdin), its line, and for CSV its data row (1 = first row after the header). */
export interface CaseSource {
  readonly file: string;
  readonly line?: number;
  readonly row?: number;
}

/** One input item as a reader yields it: parsed but not yet validated data, or why it could not be parsed. */
export type InputItem =
  | {
      readonly source: CaseSource;
      readonly data: unknown;
      /** The item's own text (a JSON line, an array element, a whole file) to locate field errors in. */
      readonly text?: string;
      /** Column of the item's first character on `source.line` (array elements). */
      readonly col?: number;
    }
  | {
      readonly source: CaseSource;
      readonly diagnostics: readonly Diagnostic[];
      /** The id, when it could be read although the item could not (a table row with a cell the map cannot read). */
      readonly id?: string;
    };

/**
 * Items read together (the lines of one chunk of JSON Lines), in input order; possibly made
 * as they are iterated. An item that needs a second look at its text to place its error
 * (malformed JSON) is still a promise.
 */
export type ItemBatch = Iterable<InputItem | Promise<InputItem>>;

export type CaseStatus = 'ok' | 'undetermined' | 'invalid';

/** How the recommended IVC management relates to `actual.ivcManagement`. */
export type Agreement = 'agree' | 'disagree' | 'undetermined_candidate' | 'undetermined_not_candidate';

export interface CaseResult {
  /** 1-based position in the input stream: every input item gets one. */
  readonly n: number;
  /** The case id, or null when the input has none that can be shown. */
  readonly id: string | null;
  readonly source: CaseSource;
  /** ok: every decision determined; undetermined: at least one is not; invalid: not evaluated. */
  readonly status: CaseStatus;
  /** Every decision's value: a string (priority / score) or the items included (collect). */
  readonly decisions?: Readonly<Record<string, string | readonly string[]>>;
  /** Candidate values of each undetermined decision (collect: the items possibly needed). */
  readonly candidates?: Readonly<Record<string, readonly string[]>>;
  readonly complexity?: { readonly level: string; readonly score: number; readonly scoreMax: number };
  /** Inputs whose values would settle an undetermined decision (or the graft size). */
  readonly missing?: readonly string[];
  /** `actual.ivcManagement`, when the case records it. */
  readonly actual?: string;
  readonly agreement?: Agreement;
  readonly invariantViolations?: readonly string[];
  /** Why an invalid case was not evaluated: file, line, field and a stable code each. */
  readonly diagnostics?: readonly Diagnostic[];
}

/** Version of the batch output shape (json, jsonl). */
export const BATCH_SCHEMA_VERSION = 1;

/** The decision whose recommendation is compared with what was done, and the field that records it. */
export const CONCORDANCE_DECISION = 'ivcManagement';
export const CONCORDANCE_ACTUAL = 'actual.ivcManagement';
