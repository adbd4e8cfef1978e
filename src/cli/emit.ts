/** Writing a command's result: JSON is the result object itself, other formats are renderers loaded on demand. */
import type { Style } from '../report/style.js';
import type { Io } from './io.js';

export type Renderer = (style: Style) => Promise<string>;

export async function emit(io: Io, format: string, result: unknown, renderers: Readonly<Record<string, Renderer>>): Promise<void> {
  if (format === 'json') {
    const { renderJson } = await import('../report/json.js');
    io.out(renderJson(result));
    return;
  }
  const { makeStyle } = await import('../report/style.js');
  io.out(await renderers[format]!(await makeStyle(io.colorOut)));
}
