/**
 * Batch results as JSON and JSON Lines, both streamed.
 *
 * json:  one object, byte for byte what `JSON.stringify(result, null, 2)` gives for
 *        { schemaVersion, ruleset, inputs, cases: [...], summary }, written case by case.
 * jsonl: one line per case ({"type":"case", ...CaseResult}) as it is evaluated, then one
 *        summary line ({"type":"summary", schemaVersion, ruleset, inputs, summary}).
 */
import type { BatchSummary } from '../batch/summary.js';
import { BATCH_SCHEMA_VERSION, type CaseResult } from '../batch/types.js';
import type { BatchMeta, BatchRenderer } from './batch-common.js';

/**
 * One JSON Lines case line: byte for byte `{"type":"case",` + JSON.stringify(r).slice(1), built
 * directly for the fixed shape of a CaseResult (twice as fast: it is the costliest step of a
 * JSONL run after the evaluation). Strings from the finite sets of decision values, field paths
 * and rule ids are encoded once and cached; an invalid case takes the generic path.
 */
export function caseLine(r: CaseResult, enc: (s: string) => string): string {
  if (r.diagnostics !== undefined || r.decisions === undefined) return `{"type":"case",${JSON.stringify(r).slice(1)}\n`;
  const src = r.source;
  let s = `{"type":"case","n":${r.n},"id":${JSON.stringify(r.id)},"source":{"file":${enc(src.file)}`;
  if (src.line !== undefined) s += `,"line":${src.line}`;
  if (src.row !== undefined) s += `,"row":${src.row}`;
  s += `},"status":${enc(r.status)},"decisions":${record(r.decisions, enc)}`;
  if (r.candidates !== undefined) s += `,"candidates":${record(r.candidates, enc)}`;
  const c = r.complexity;
  if (c !== undefined) s += `,"complexity":{"level":${enc(c.level)},"score":${c.score},"scoreMax":${c.scoreMax}}`;
  if (r.missing !== undefined) s += `,"missing":${list(r.missing, enc)}`;
  if (r.actual !== undefined) s += `,"actual":${enc(r.actual)}`;
  if (r.agreement !== undefined) s += `,"agreement":${enc(r.agreement)}`;
  if (r.invariantViolations !== undefined) s += `,"invariantViolations":${list(r.invariantViolations, enc)}`;
  return s + '}\n';
}

function list(xs: readonly string[], enc: (s: string) => string): string {
  let s = '[';
  for (let i = 0; i < xs.length; i++) s += (i ? ',' : '') + enc(xs[i]!);
  return s + ']';
}

function record(o: Readonly<Record<string, string | readonly string[]>>, enc: (s: string) => string): string {
  let s = '{';
  let first = true;
  for (const k in o) {
    const v = o[k]!;
    s += `${first ? '' : ','}${enc(k)}:${typeof v === 'string' ? enc(v) : list(v, enc)}`;
    first = false;
  }
  return s + '}';
}

/** JSON string encoding, cached: for the few distinct strings a run repeats on every line. */
export function cachedEncoder(limit = 10_000): (s: string) => string {
  const cache = new Map<string, string>();
  return (s) => {
    let e = cache.get(s);
    if (e === undefined) {
      e = JSON.stringify(s);
      if (cache.size < limit) cache.set(s, e);
    }
    return e;
  };
}

/** JSON.stringify(x, null, 2) placed at a given depth of an enclosing pretty-printed document. */
const nested = (x: unknown, indent: string): string => JSON.stringify(x, null, 2).replace(/\n/g, '\n' + indent);

export function createJsonRenderer(meta: BatchMeta, options: { cases: boolean } = { cases: true }): BatchRenderer {
  let count = 0;
  if (!options.cases)
    return {
      begin: () => '',
      case: () => '',
      end: (summary: BatchSummary) => JSON.stringify({ schemaVersion: BATCH_SCHEMA_VERSION, ruleset: meta.ruleset, inputs: meta.inputs, summary }, null, 2) + '\n',
    };
  return {
    begin: () =>
      `{\n  "schemaVersion": ${BATCH_SCHEMA_VERSION},\n  "ruleset": ${nested(meta.ruleset, '  ')},\n  "inputs": ${nested(meta.inputs, '  ')},\n  "cases": [`,
    case: (r: CaseResult) => `${count++ ? ',' : ''}\n    ${nested(r, '    ')}`,
    end: (summary: BatchSummary) => `${count ? '\n  ' : ''}],\n  "summary": ${nested(summary, '  ')}\n}\n`,
  };
}

export function createJsonLinesRenderer(meta: BatchMeta, options: { cases: boolean } = { cases: true }): BatchRenderer {
  const enc = cachedEncoder();
  return {
    begin: () => '',
    case: options.cases ? (r: CaseResult) => caseLine(r, enc) : () => '',
    end: (summary: BatchSummary) =>
      JSON.stringify({ type: 'summary', schemaVersion: BATCH_SCHEMA_VERSION, ruleset: meta.ruleset, inputs: meta.inputs, summary }) + '\n',
  };
}
