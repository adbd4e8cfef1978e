/**
 * `rvlms test --update`, the pure core: the expectations of failing fixtures rewritten to
 * what the rules now decide. Fixture texts and golden results in, new texts and the list of
 * changes (old → new per fixture) out; nothing is written here.
 *
 * Only the text of each changed expectation is replaced, so the rest of the file — comments,
 * flow or block style, spacing, key order — stays byte for byte as it was. A replaced list
 * keeps its style (flow `[a, b]` or block `- a`) and its items' quoting; comments inside a
 * replaced block list are lost. An expectation whose node carries a YAML anchor (aliases
 * elsewhere read it) is left alone and reported as not updated.
 */
import { isAlias, isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import { parseYaml } from '../io/yaml.js';
import { isMismatch, type ExpectValue, type GoldenCaseResult, type GoldenSource, type Mismatch } from './golden.js';

export interface ExpectationChange {
  /** Where in the fixture: expect.<decision>.<field>, warnings or borderline. */
  readonly path: string;
  readonly old: ExpectValue;
  /** null: the expectation is removed (the decision now has no deciding rule). */
  readonly new: ExpectValue | null;
}

export interface FixtureUpdate {
  readonly file: string;
  readonly fixture: string;
  readonly line?: number;
  readonly col?: number;
  readonly changes: readonly ExpectationChange[];
  /** Mismatches left as they are, with the reason (an anchored node, an unknown decision). */
  readonly kept: readonly string[];
}

export interface FileUpdate {
  readonly file: string;
  readonly text: string;
  readonly fixtures: readonly FixtureUpdate[];
}

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

type Range = readonly [number, number, number];
const rangeOf = (n: Node): Range => n.range as Range;

const PLAIN = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
/** Plain scalars YAML (1.1 or 1.2) would read as something other than a string. */
const NOT_A_STRING = /^(?:true|false|null|yes|no|on|off|y|n)$/i;

function scalarText(v: string, style: string | undefined): string {
  if (style === 'QUOTE_SINGLE') return `'${v.replace(/'/g, "''")}'`;
  if (style === 'QUOTE_DOUBLE' || !PLAIN.test(v) || NOT_A_STRING.test(v)) return JSON.stringify(v);
  return v;
}

/** The new value's text where the old node was, in the old node's style. */
function valueText(text: string, node: Node, value: ExpectValue, json: boolean): string {
  const itemStyle = (): string | undefined => {
    if (json) return 'QUOTE_DOUBLE';
    if (isScalar(node)) return node.type;
    const first = isSeq(node) ? node.items[0] : undefined;
    return isScalar(first) ? first.type : undefined;
  };
  const style = itemStyle();
  if (!Array.isArray(value)) return scalarText(value as string, style);
  const items = (value as readonly string[]).map((v) => scalarText(v, style));
  const [start, end] = rangeOf(node);
  if (isSeq(node) && !node.flow && items.length) {
    const indent = start - (text.lastIndexOf('\n', start - 1) + 1);
    return `- ${items.join(`\n${' '.repeat(indent)}- `)}${text[end - 1] === '\n' ? '\n' : ''}`;
  }
  const pad = isSeq(node) && node.flow && node.items.length > 0 && text[start + 1] === ' ' ? ' ' : '';
  return items.length ? `[${pad}${items.join(', ')}${pad}]` : '[]';
}

/** Remove one key of a map: its line in a block map, the entry and one separating comma in a flow map. */
function deletePair(text: string, map: YAMLMap, pair: Pair): Edit {
  const key = pair.key as Node;
  const value = pair.value as Node;
  if (map.items.length === 1) {
    // an expectation with nothing left checks nothing, but stays valid: {}
    const [start, end] = rangeOf(map);
    return { start, end: map.flow ? end : text[end - 1] === '\n' ? end - 1 : end, text: '{}' };
  }
  const [kStart] = rangeOf(key);
  const [, vEnd] = rangeOf(value);
  if (map.flow) {
    let before = kStart;
    while (before > 0 && /\s/.test(text[before - 1]!)) before--;
    if (text[before - 1] === ',') return { start: before - 1, end: vEnd, text: '' };
    let after = vEnd;
    while (/\s/.test(text[after] ?? '')) after++;
    if (text[after] === ',') after++;
    while (text[after] === ' ') after++;
    return { start: kStart, end: after, text: '' };
  }
  const lineStart = text.lastIndexOf('\n', kStart - 1) + 1;
  const nl = text.indexOf('\n', Math.max(vEnd - 1, kStart));
  return { start: lineStart, end: nl < 0 ? text.length : nl + 1, text: '' };
}

/** The value a mismatch's expectation becomes: what the plan has (warnings: those expected that are still raised). */
function newValue(m: Mismatch): ExpectValue | null {
  if (m.field === 'warnings') return (m.expected as readonly string[]).filter((w) => (m.actual as readonly string[]).includes(w));
  return m.actual;
}

const sameValue = (a: ExpectValue | null, b: ExpectValue | null): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * New texts for the fixture files with failing fixtures. `cases` are the golden results
 * (with their index in the file); files without a change are left out.
 */
export function updateFixtures(sources: readonly GoldenSource[], cases: readonly GoldenCaseResult[]): FileUpdate[] {
  const out: FileUpdate[] = [];
  for (const src of sources) {
    const failing = cases.filter((c) => c.status === 'fail' && c.src.file === src.file);
    if (!failing.length) continue;
    const parsed = parseYaml(src.text, src.file, 'golden');
    if (parsed.diagnostics.length) continue; // the run reported it; nothing to update
    const json = /\.json$/i.test(src.file);
    const edits: Edit[] = [];
    const fixtures: FixtureUpdate[] = [];
    for (const c of failing) {
      const changes: ExpectationChange[] = [];
      const kept: string[] = [];
      const seen = new Set<string>();
      for (const f of c.failures) {
        if (!isMismatch(f)) {
          kept.push(`${f.code}: ${f.message}`);
          continue;
        }
        const where = f.decision === undefined ? [f.field] : ['expect', f.decision, f.field];
        const path = where.join('.');
        if (seen.has(path)) continue; // one rewrite per expectation (a warning list fails once per absent warning)
        seen.add(path);
        const parentPath = ['cases', c.index, ...where.slice(0, -1)];
        const map = parsed.doc.getIn(parentPath, true) as Node | undefined;
        const pair = isMap(map) ? map.items.find((p) => isScalar(p.key) && p.key.value === f.field) : undefined;
        const node = pair?.value as Node | undefined;
        if (!isMap(map) || !pair || !node) {
          kept.push(`${path}: not found in the file`);
          continue;
        }
        // an anchored node (or one inside an anchored node) is read again wherever an alias names it
        const full = [...parentPath, f.field];
        if (isAlias(node) || full.some((_, k) => (parsed.doc.getIn(full.slice(0, k + 1), true) as Node | undefined)?.anchor)) {
          kept.push(`${path}: inside a YAML anchor or alias; edit it by hand`);
          continue;
        }
        const next = newValue(f);
        if (sameValue(next, f.expected)) continue;
        if (next === null) edits.push(deletePair(src.text, map, pair));
        else if (isSeq(node) && !node.flow && Array.isArray(next) && next.length === 0) {
          // an emptied block list becomes `key: []` on the key's line
          const [, end] = rangeOf(node);
          const colon = src.text.indexOf(':', rangeOf(pair.key as Node)[1]);
          edits.push({ start: colon + 1, end, text: ` []${src.text[end - 1] === '\n' ? '\n' : ''}` });
        } else {
          const [start, end] = rangeOf(node);
          edits.push({ start, end, text: valueText(src.text, node, next, json) });
        }
        changes.push({ path, old: f.expected, new: next });
      }
      if (changes.length || kept.length)
        fixtures.push({ file: src.file, fixture: c.name, ...(c.src.line !== undefined ? { line: c.src.line, col: c.src.col ?? 1 } : {}), changes, kept });
    }
    if (!edits.length) {
      if (fixtures.length) out.push({ file: src.file, text: src.text, fixtures });
      continue;
    }
    let text = src.text;
    for (const e of [...edits].sort((a, b) => b.start - a.start)) text = text.slice(0, e.start) + e.text + text.slice(e.end);
    out.push({ file: src.file, text, fixtures });
  }
  return out;
}
