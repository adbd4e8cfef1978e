/**
 * Safe YAML parsing with positions: core schema only (no custom tags), duplicate keys
 * rejected, aliases bounded, and every node's range kept so any problem found later can be
 * reported as file:line:col.
 */
import type { YamlKind, YamlReaderCode } from '../diagnostics/codes.js';
import { Document, isAlias, isMap, isPair, isScalar, isSeq, Lexer, LineCounter, parseDocument, visit, type Node } from 'yaml';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { capDiagnostics, MAX_SYNTAX_DIAGNOSTICS } from './bounds.js';

export const MAX_ALIAS_COUNT = 100;
/** Deepest nesting accepted. The yaml composer recurses once per level: a few hundred levels exhaust the stack, and 1 MiB of `[` costs ~1 GB of memory before it fails. */
export const MAX_NESTING = 100;

/**
 * Offset at which flow collections (`[`, `{`) or block indicators on one line (`- - -`) nest
 * deeper than `max`, or -1. Uses the yaml lexer (fast, flat), so brackets inside quoted
 * strings and comments are not counted. Indentation nesting is bounded by the input size.
 */
function tooDeepAt(text: string, max: number): number {
  let offset = 0;
  let flow = 0;
  let inline = 0;
  for (const tok of new Lexer().lex(text)) {
    if (tok === '[' || tok === '{') flow++;
    else if (tok === ']' || tok === '}') flow = Math.max(0, flow - 1);
    else if (tok === '-' || tok === '?') inline++;
    else if (tok.includes('\n')) inline = 0;
    if (flow > max || inline > max) return offset;
    if (tok !== '\x02' && tok !== '\x18' && tok !== '\x1f') offset += tok.length; // lexer control tokens have no source text
  }
  return -1;
}

export interface ParsedYaml {
  readonly file: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
  readonly value: unknown;
  readonly diagnostics: Diagnostic[];
}

/**
 * The parser's errors that mostly mean a line indented one step too far or too little (it
 * reports them where the structure broke, often the line above the one to fix).
 */
const INDENTATION_ERRORS: ReadonlySet<string> = new Set(['BAD_INDENT', 'BLOCK_AS_IMPLICIT_KEY', 'MULTILINE_IMPLICIT_KEY', 'MISSING_CHAR']);
/** MISSING_CHAR is also an unclosed bracket or quote ("… must end with a ]"): no indentation hint then. */
const isIndentation = (e: { code: string; message: string }): boolean => INDENTATION_ERRORS.has(e.code) && !/end with/.test(e.message);
const INDENTATION_HINT = 'check the indentation of this line and the next: the keys of one entry start in the same column, and what belongs to a key is indented further (spaces, not tabs)';

export function parseYaml(text: string, file: string, codePrefix: YamlKind): ParsedYaml {
  const lines = new LineCounter();
  const deep = tooDeepAt(text, MAX_NESTING);
  if (deep >= 0) {
    lines.addNewLine(0);
    for (let i = text.indexOf('\n'); i >= 0 && i < deep; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
    const pos = lines.linePos(deep);
    const diagnostic: Diagnostic = { file, line: pos.line, col: pos.col, severity: 'error', code: `${codePrefix}/too-deep`, message: `nested more than ${MAX_NESTING} levels deep; refused` };
    return { file, doc: new Document() as Document.Parsed, lines, value: undefined, diagnostics: [diagnostic] };
  }
  const doc = parseDocument(text, {
    lineCounter: lines,
    uniqueKeys: false, // checked below in linear time; the library's check is quadratic per map
    prettyErrors: false,
    schema: 'core',
    customTags: [],
    strict: true,
    merge: false,
    // `!!set`, `!!omap`, `!!timestamp`, `!!binary` … are YAML 1.1 types outside the core schema:
    // without this they would turn into Set / Map / Date / Buffer values that no schema expects.
    resolveKnownTags: false,
  });
  const diagnostics: Diagnostic[] = [];
  if (doc.errors.length === 0) duplicateKeys(doc, lines, file, codePrefix, diagnostics);
  // An unresolved tag is only a warning for the yaml library; custom tags are refused here.
  for (const e of [...doc.errors, ...doc.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED')]) {
    const pos = lines.linePos(e.pos[0]);
    const kinds: Partial<Record<string, YamlReaderCode>> = { DUPLICATE_KEY: 'duplicate-key', TAG_RESOLVE_FAILED: 'yaml-tag', RESOURCE_EXHAUSTION: 'too-deep' };
    const kind = kinds[e.code] ?? 'yaml';
    diagnostics.push({
      file,
      line: pos.line,
      col: pos.col,
      severity: 'error',
      code: `${codePrefix}/${kind}`,
      message: kind === 'too-deep' ? 'nested too deeply to parse; refused' : firstLine(e.message),
      // once per file: the errors after the first mostly follow from it
      ...(isIndentation(e) && !diagnostics.some((d) => d.suggestion === INDENTATION_HINT) ? { suggestion: INDENTATION_HINT } : {}),
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
  const syntaxOnly = diagnostics.length > 0 && diagnostics.every((d) => d.code === `${codePrefix}/yaml`);
  return { file, doc, lines, value, diagnostics: capDiagnostics(diagnostics, file, codePrefix, syntaxOnly ? MAX_SYNTAX_DIAGNOSTICS : undefined) };
}

/**
 * Keys that end up equal in the parsed object, with a Set per map: scalar keys compared as the
 * property names they become (`1` and `"1"` collide), and an alias used as a key (`*k : …`)
 * compared as the scalar it names — otherwise the alias silently replaces the anchored key's
 * value. A key that is a list or a map has no property name and is refused.
 */
function duplicateKeys(doc: Document.Parsed, lines: LineCounter, file: string, codePrefix: YamlKind, into: Diagnostic[]): void {
  const report = (key: unknown, code: YamlReaderCode, message: string): void => {
    const pos = lines.linePos((key as Node | null)?.range?.[0] ?? 0);
    into.push({ file, line: pos.line, col: pos.col, severity: 'error', code: `${codePrefix}/${code}`, message });
  };
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = isAlias(pair.key) ? pair.key.resolve(doc) : pair.key;
        if (key === null || key === undefined) continue;
        if (!isScalar(key)) {
          report(pair.key, 'yaml', 'a key must be a plain value, not a list or a map');
          continue;
        }
        const name = String(key.value);
        if (!seen.has(name)) {
          seen.add(name);
          continue;
        }
        report(pair.key, 'duplicate-key', `key ${JSON.stringify(name.length > 60 ? `${name.slice(0, 60)}…` : name)} appears twice in one map${isAlias(pair.key) ? ' (the second time through an alias)' : ''}; the second would silently win`);
      }
    },
  });
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/**
 * Position of the node at `path` (a zod-style path). Falls back to the deepest existing
 * ancestor, and for a missing key to its parent map. With `key`, points at the key itself.
 */
export function locate(parsed: Pick<ParsedYaml, 'doc' | 'lines'>, path: readonly PropertyKey[], key?: string): { line: number; col: number } {
  let node: Node | null = parsed.doc.contents;
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
