/**
 * Text that fits the terminal: words wrapped to a width with a hanging indent, never broken
 * inside a word (a word longer than the line stays whole on a line of its own). Widths
 * count what the terminal shows: ANSI colour codes take no columns. A no-break space
 * (KEEP) holds a phrase together on one line and is printed as a plain space. Pure.
 */

/** Joins the words of a phrase that must not be split across lines ("maximum tumour diameter 77 mm"). */
export const KEEP = '\u00a0';
export const keepTogether = (phrase: string): string => phrase.replace(/ /g, KEEP);

/** The width when stdout is not a terminal (a file, a pipe, a test). */
export const DEFAULT_COLUMNS = 80;
/** Narrower terminals still get this many columns (a plan cannot be laid out in fewer). */
export const MIN_COLUMNS = 40;

/** The width to wrap to: the terminal's columns when it is one, else 80. */
export function outputColumns(terminalColumns: number | undefined): number {
  if (terminalColumns === undefined || !Number.isFinite(terminalColumns) || terminalColumns <= 0) return DEFAULT_COLUMNS;
  return Math.max(MIN_COLUMNS, Math.floor(terminalColumns));
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** A surrogate pair: one code point in two code units. */
const PAIR = /[\ud800-\udbff][\udc00-\udfff]/g;

/** Columns a string takes on a terminal (code points; colour codes take none). */
export function visibleWidth(s: string): number {
  const shown = s.replace(ANSI, '');
  return shown.length - (shown.match(PAIR)?.length ?? 0);
}

export interface WrapOptions {
  /** Prefix of the first line (counted in the width). Default ''. */
  readonly first?: string;
  /** Prefix of every following line: the hanging indent. Default: spaces as wide as `first`. */
  readonly rest?: string;
}

/**
 * Wrap `text` to `width` columns. Runs of spaces between words collapse to one; a newline
 * in `text` starts a new line (with the hanging indent). Returns the lines, without '\n'.
 */
export function wrap(text: string, width: number, options: WrapOptions = {}): string[] {
  const first = options.first ?? '';
  const rest = options.rest ?? ' '.repeat(visibleWidth(first));
  const lines: string[] = [];
  let prefix = first;
  for (const paragraph of text.split('\n')) {
    let line = prefix;
    let used = visibleWidth(prefix);
    let empty = true;
    for (const word of paragraph.split(' ')) {
      if (word === '') continue;
      const w = visibleWidth(word);
      if (!empty && used + 1 + w > width) {
        lines.push(line);
        line = rest;
        used = visibleWidth(rest);
        empty = true;
      }
      line += (empty ? '' : ' ') + word;
      used += (empty ? 0 : 1) + w;
      empty = false;
    }
    lines.push(line.trimEnd() === '' ? '' : line);
    prefix = rest;
  }
  return lines.map((l) => l.replaceAll(KEEP, ' '));
}

/** "label   text…" with the text wrapped under itself: a two-column line. */
export function wrapLabelled(label: string, text: string, width: number, labelWidth: number, indent = ''): string[] {
  const pad = Math.max(labelWidth, visibleWidth(label) + 1);
  const first = indent + label + ' '.repeat(pad - visibleWidth(label));
  return wrap(text, width, { first, rest: ' '.repeat(visibleWidth(indent) + pad) });
}
