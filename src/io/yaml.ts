/**
 * Safe YAML parsing with positions: core schema only (no custom tags), duplicate keys
 * rejected, aliases bounded, and every node's range kept so any problem found later can be
 * reported as file:line:col.
 */
import { Document, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

export const MAX_ALIAS_COUNT = 100;

export interface ParsedYaml {
  readonly file: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
  readonly value: unknown;
  readonly diagnostics: Diagnostic[];
}

export function parseYaml(text: string, file: string, codePrefix: string): ParsedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    uniqueKeys: true,
    prettyErrors: false,
    schema: 'core',
    customTags: [],
    strict: true,
    merge: false,
  });
  const diagnostics: Diagnostic[] = [];
  for (const e of doc.errors) {
    const pos = lines.linePos(e.pos[0]);
    const dup = e.code === 'DUPLICATE_KEY';
    diagnostics.push({
      file,
      line: pos.line,
      col: pos.col,
      severity: 'error',
      code: dup ? `${codePrefix}/duplicate-key` : `${codePrefix}/yaml`,
      message: firstLine(e.message),
    });
  }
  let value: unknown;
  if (diagnostics.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      diagnostics.push({
        file,
        line: 1,
        col: 1,
        severity: 'error',
        code: /alias/i.test(msg) ? `${codePrefix}/alias-limit` : `${codePrefix}/yaml`,
        message: /alias/i.test(msg) ? `too many YAML aliases (limit ${MAX_ALIAS_COUNT}): possible alias bomb` : firstLine(msg),
      });
    }
  }
  return { file, doc, lines, value, diagnostics };
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/**
 * Position of the node at `path` (a zod-style path). Falls back to the deepest existing
 * ancestor, and for a missing key to its parent map. With `key`, points at the key itself.
 */
export function locate(parsed: Pick<ParsedYaml, 'doc' | 'lines'>, path: readonly PropertyKey[], key?: string): { line: number; col: number } {
  let node: Node | null = parsed.doc.contents as Node | null;
  let offset = node?.range?.[0] ?? 0;
  const steps = key === undefined ? path : [...path, key];
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(step));
      if (!pair) break;
      const isLastKey = key !== undefined && i === steps.length - 1;
      const target = (isLastKey ? pair.key : (pair.value ?? pair.key)) as Node | null;
      node = target;
      offset = target?.range?.[0] ?? (pair.key as Node).range?.[0] ?? offset;
    } else if (isSeq(node) && typeof step === 'number') {
      const item = node.items[step] as Node | undefined;
      if (!item) break;
      node = item;
      offset = item.range?.[0] ?? offset;
    } else break;
  }
  const pos = parsed.lines.linePos(offset);
  return { line: pos.line, col: pos.col };
}
