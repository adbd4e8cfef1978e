/**
 * One input item → one CaseResult: the case validated, then decided by the decision core
 * (no Plan: batch shows values, candidates and missing inputs, not explanations). Pure and
 * synchronous; only an invalid item with source text takes the async step `locateInvalid`,
 * which adds the line and column of each bad field.
 */
import { readPath } from '../case/fields.js';
import { validateCase, type CaseInput } from '../case/schema.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { CompiledRuleset } from '../engine/compile.js';
import { decide, UNDETERMINED, type Decided } from '../engine/decide.js';
import { jsonItem, locatedDiagnostics, placeDiagnostic } from './items.js';
import type { LineText } from './read-jsonl.js';
import type { BatchRenderer } from '../report/batch-common.js';
import type { CaseTally, TallyContext } from './summary.js';
import { CONCORDANCE_DECISION, type Agreement, type CaseResult, type CaseSource, type InputItem } from './types.js';

/**
 * What the summary counts of a valid case beyond its CaseResult: the case and its decisions
 * as the core gave them (read in place, on the thread that evaluated the case).
 */
export interface CaseFindings {
  readonly input: CaseInput;
  readonly decided: Decided;
}

export interface Evaluated {
  readonly result: CaseResult;
  /** Of a valid case. */
  readonly findings?: CaseFindings;
}

/**
 * Consecutive cases evaluated, as batch uses them: their text in the run's format, each
 * case's id, the problems of the invalid ones, and the tally of all (summary.ts). Strings,
 * numbers and counters only, so a chunk evaluated on a worker thread is cheap to send back.
 */
export interface EvaluatedChunk {
  /** The number of the first case in the run. */
  readonly first: number;
  /**
   * The texts of the cases that have one, in input order, joined by the renderer's
   * separator and cut between cases into pieces of about PIECE_CHARS; `shown` cases in all.
   * The run writes the header or a separator, then the pieces.
   */
  readonly pieces: readonly string[];
  readonly shown: number;
  /** Per case, in input order. */
  readonly ids: readonly (string | null)[];
  /** The invalid cases with their problems, in input order. */
  readonly invalid: readonly { readonly n: number; readonly diagnostics: readonly Diagnostic[] }[];
  readonly tally: CaseTally;
}

/**
 * A chunk's text is kept in pieces of about this many characters: strings of a size V8
 * keeps in its young generation, freed by the next scavenge once written. One string per
 * chunk (hundreds of KB) would be a large object, freed only by a full collection, and the
 * written chunks of a long stream would pile up until one runs.
 */
const PIECE_CHARS = 16_384;

/**
 * An EvaluatedChunk built case by case: each case is rendered and counted as soon as it is
 * evaluated, so the evaluated cases of a chunk are garbage at once rather than all alive
 * until the chunk ends (on the main thread or a worker).
 */
export class ChunkBuilder {
  private readonly pieces: string[] = [];
  private piece = '';
  private shown = 0;
  private readonly ids: (string | null)[] = [];
  private readonly invalid: { n: number; diagnostics: readonly Diagnostic[] }[] = [];
  private readonly tally: CaseTally;

  constructor(
    readonly first: number,
    private readonly renderer: Pick<BatchRenderer, 'case' | 'separator'>,
    private readonly context: TallyContext,
  ) {
    this.tally = context.emptyTally();
  }

  get size(): number {
    return this.ids.length;
  }

  add(ev: Evaluated): void {
    const r = ev.result;
    const text = this.renderer.case(r);
    if (text) {
      this.piece += this.shown++ === 0 ? text : this.renderer.separator + text;
      if (this.piece.length >= PIECE_CHARS) {
        this.pieces.push(this.piece);
        this.piece = '';
      }
    }
    this.ids.push(r.id);
    if (r.status === 'invalid') this.invalid.push({ n: r.n, diagnostics: r.diagnostics ?? [] });
    this.context.add(this.tally, ev);
  }

  done(): EvaluatedChunk {
    if (this.piece) this.pieces.push(this.piece);
    this.piece = '';
    return { first: this.first, pieces: this.pieces, shown: this.shown, ids: this.ids, invalid: this.invalid, tally: this.tally };
  }
}

/** An id to show for an input that may not be a valid case. */
function shownId(id: unknown): string | null {
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

/** The case result of a valid case from its decisions. */
export function resultOf(n: number, source: CaseSource, input: CaseInput, decided: Decided, rs: CompiledRuleset): CaseResult {
  const decisions: Record<string, string | readonly string[]> = {};
  let candidates: Record<string, readonly string[]> | undefined;
  for (const d of rs.decisions) {
    const id = d.model.id;
    const r = decided.resolutions[d.index]!;
    decisions[id] = decided.values[d.index]!;
    if (!r.determined) (candidates ??= {})[id] = r.candidates;
  }
  const result: Mutable<CaseResult> = { n, id: input.id, source, status: decided.determined ? 'ok' : 'undetermined', decisions };
  if (candidates) result.candidates = candidates;
  if (rs.scoreDecision >= 0) {
    const score = decided.resolutions[rs.scoreDecision]!.score!;
    result.complexity = { level: decided.values[rs.scoreDecision] as string, score: score.min, scoreMax: score.max };
  }
  if (decided.missing.length) result.missing = decided.missing.map((m) => m.field);
  const actual = input.actual?.ivcManagement;
  const recommended = decisions[CONCORDANCE_DECISION];
  if (typeof actual === 'string') {
    result.actual = actual;
    if (typeof recommended === 'string') result.agreement = agreementOf(recommended, candidates?.[CONCORDANCE_DECISION], actual);
  }
  if (decided.violations.length) result.invariantViolations = decided.violations.map((v) => v.invariant);
  return result;
}

/** Evaluate one item; `n` is its 1-based position in the whole run. */
export function evaluateItem(item: InputItem, n: number, rs: CompiledRuleset): Evaluated {
  if ('diagnostics' in item) return invalid(n, item.source, shownId(item.id), item.diagnostics);
  const v = validateCase(item.data, item.source.file);
  if (!v.ok) return invalid(n, item.source, shownId(readPath(item.data, 'id')), v.diagnostics.map((d) => placeDiagnostic(d, item.source)));
  const input = v.value;
  const decided = decide(input, rs);
  return { result: resultOf(n, item.source, input, decided, rs), findings: { input, decided } };
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

/**
 * An item, or a line still to parse (JSON Lines read for the worker threads), evaluated
 * with its errors placed: synchronous for a valid case, a promise for an item that needs a
 * second look at its text. The one evaluation step of batch, on the main thread or a worker.
 */
export function evaluateEntry(entry: InputItem | LineText, n: number, rs: CompiledRuleset): Evaluated | Promise<Evaluated> {
  const item = 'line' in entry ? jsonItem(entry.line, entry.source) : entry;
  if (item instanceof Promise) return item.then((it) => evaluateEntry(it, n, rs));
  const ev = evaluateItem(item, n, rs);
  return ev.result.status === 'invalid' ? locateInvalid(ev, item) : ev;
}

/**
 * Consecutive entries, the first numbered `first`, evaluated into a chunk: synchronous
 * while every entry is (valid cases), a promise from the first entry that needs a second
 * look at its text. The one chunk step of batch, on a worker or on the main thread.
 */
export function evaluateChunk(entries: readonly (InputItem | LineText)[], first: number, rs: CompiledRuleset, renderer: Pick<BatchRenderer, 'case' | 'separator'>, context: TallyContext): EvaluatedChunk | Promise<EvaluatedChunk> {
  const out = new ChunkBuilder(first, renderer, context);
  for (let i = 0; i < entries.length; i++) {
    const ev = evaluateEntry(entries[i]!, first + i, rs);
    if (ev instanceof Promise) return finishChunk(entries, i, ev, out, rs);
    out.add(ev);
  }
  return out.done();
}

/** The rest of a chunk from entry `from`, whose evaluation is `pending`. */
async function finishChunk(entries: readonly (InputItem | LineText)[], from: number, pending: Promise<Evaluated>, out: ChunkBuilder, rs: CompiledRuleset): Promise<EvaluatedChunk> {
  out.add(await pending);
  const first = out.first;
  for (let i = from + 1; i < entries.length; i++) out.add(await evaluateEntry(entries[i]!, first + i, rs));
  return out.done();
}
