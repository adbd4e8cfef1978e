/**
 * The streaming renderer of each batch format (formats.ts lists them), its module loaded
 * on demand. Built from plain data (`RendererSpec`), so a worker thread builds the same
 * renderer as the main thread and renders the cases it evaluates (batch/pool.ts).
 */
import type { BatchFormat } from '../cli/formats.js';
import type { RulesetModel } from '../rules/model.js';
import type { BatchMeta, BatchRenderer } from './batch-common.js';

export interface RendererSpec {
  readonly format: BatchFormat;
  readonly meta: BatchMeta;
  /** List the cases (false: --summary, only the summaries). */
  readonly cases: boolean;
  /** The terminal table's case list (--cases). */
  readonly tableCases: boolean;
  /** Colour the terminal table. */
  readonly color: boolean;
}

const RENDERERS: Readonly<Record<BatchFormat, (spec: RendererSpec, model: RulesetModel) => Promise<BatchRenderer>>> = {
  json: async (spec) => (await import('./batch-json.js')).createJsonRenderer(spec.meta, { cases: spec.cases }),
  jsonl: async (spec) => (await import('./batch-json.js')).createJsonLinesRenderer(spec.meta, { cases: spec.cases }),
  csv: async (_spec, model) => (await import('./batch-csv.js')).createCsvRenderer(model),
  markdown: async (spec, model) => (await import('./batch-markdown.js')).createMarkdownRenderer(model, spec.meta, { cases: spec.cases }),
  html: async (spec, model) => (await import('./batch-html.js')).createHtmlRenderer(model, spec.meta, { cases: spec.cases }),
  table: async (spec, model) => {
    const { makeStyle } = await import('./style.js');
    return (await import('./batch-table.js')).createTableRenderer(model, spec.meta, await makeStyle(spec.color), { cases: spec.tableCases });
  },
};

export const createBatchRenderer = (spec: RendererSpec, model: RulesetModel): Promise<BatchRenderer> => RENDERERS[spec.format](spec, model);
