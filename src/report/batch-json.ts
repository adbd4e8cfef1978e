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

/** One JSON Lines case line: the case result with `"type":"case"` first. */
export const caseLine = (r: CaseResult): string => `{"type":"case",${JSON.stringify(r).slice(1)}\n`;

/** JSON.stringify(x, null, 2) placed at a given depth of an enclosing pretty-printed document. */
const nested = (x: unknown, indent: string): string => JSON.stringify(x, null, 2).replace(/\n/g, '\n' + indent);

export function createJsonRenderer(meta: BatchMeta, options: { cases: boolean } = { cases: true }): BatchRenderer {
  if (!options.cases)
    return {
      begin: () => '',
      head: '',
      separator: '',
      case: () => '',
      end: (summary: BatchSummary) => JSON.stringify({ schemaVersion: BATCH_SCHEMA_VERSION, ruleset: meta.ruleset, inputs: meta.inputs, summary }, null, 2) + '\n',
    };
  return {
    begin: () =>
      `{\n  "schemaVersion": ${BATCH_SCHEMA_VERSION},\n  "ruleset": ${nested(meta.ruleset, '  ')},\n  "inputs": ${nested(meta.inputs, '  ')},\n  "cases": [`,
    head: '',
    separator: ',',
    case: (r: CaseResult) => `\n    ${nested(r, '    ')}`,
    end: (summary: BatchSummary, shown: number) => `${shown ? '\n  ' : ''}],\n  "summary": ${nested(summary, '  ')}\n}\n`,
  };
}

export function createJsonLinesRenderer(meta: BatchMeta, options: { cases: boolean } = { cases: true }): BatchRenderer {
  return {
    begin: () => '',
    head: '',
    separator: '',
    case: options.cases ? caseLine : () => '',
    end: (summary: BatchSummary) =>
      JSON.stringify({ type: 'summary', schemaVersion: BATCH_SCHEMA_VERSION, ruleset: meta.ruleset, inputs: meta.inputs, summary }) + '\n',
  };
}
