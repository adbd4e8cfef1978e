/**
 * Writing a command's result in the format asked for. Each command passes a renderer for
 * every one of its formats but json (formats.ts): JSON is the result object itself. The
 * renderers load their modules on demand.
 */
import { makeStyle, type Style } from '../report/style.js';
import { renderJson } from '../report/json.js';
import type { Io } from './io.js';

export type Renderer = (style: Style) => Promise<string>;

export type Renderers<F extends string> = Readonly<Record<Exclude<F, 'json'>, Renderer>>;

export async function emit<F extends string>(io: Io, format: F, result: unknown, renderers: Renderers<F>): Promise<void> {
  if (format === 'json') {
    io.out(renderJson(result));
    return;
  }
  io.out(await (renderers as Readonly<Record<string, Renderer>>)[format]!(await makeStyle(io.colorOut)));
}
