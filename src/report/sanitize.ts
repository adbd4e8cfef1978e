/**
 * The one place where text from an input (case ids, key names, file names, messages that
 * quote them, rule-file text) is made safe for the output it goes to. Renderers wrap each
 * such value in the function of their format; they never write input text raw.
 *
 * - terminalText: text, tables and stderr. Control characters (C0 but tab, DEL, C1) and the
 *   bidirectional overrides are shown as `\u001b`-style escapes, so an input cannot clear the
 *   screen, move the cursor, forge a line ("ALL CHECKS PASSED") or reorder what is shown.
 * - csvText: a CSV cell's text (before quoting). Control characters but line breaks (quoting
 *   keeps those) escaped as above, and a
 *   cell that a spreadsheet would take for a formula (CWE-1236: starting with = + - @, tab or
 *   CR) is prefixed with an apostrophe, which spreadsheets show as text.
 * - htmlText / htmlAttr: markdown and HTML content / attribute values. Control characters but
 *   line breaks escaped, then & < > (and in attributes " ') as entities, so an id like
 *   `<img src=x onerror=…>` is shown, never run or rendered. A markdown renderer still turns
 *   line breaks inside a table cell into spaces itself.
 * Machine formats (JSON, JSON Lines, SARIF) escape by their own encoding and need none of this.
 */

/** C0 controls (tab excepted), DEL, C1 controls, and the Unicode bidi embeddings, overrides and isolates. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
/** The same without line feed and carriage return, which CSV quoting and markdown cells handle themselves. */
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const escapeOne = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

const escapeControls = (s: string, re: RegExp): string => {
  re.lastIndex = 0;
  return re.test(s) ? s.replace(re, escapeOne) : s;
};

/** Text for a terminal, a text report or stderr: control characters (line breaks too: a value is one line) shown as escapes. */
export function terminalText(s: string): string {
  return escapeControls(s, CONTROL);
}

/** A spreadsheet reads a cell starting with one of these as a formula (or as the start of one). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain number ("-2", "+1.5") is a number to a spreadsheet, not a formula. */
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

/** A CSV cell's text (quote it afterwards): controls but line breaks escaped, a would-be formula made text with a leading apostrophe. */
export function csvText(s: string): string {
  if (FORMULA_START.test(s) && !PLAIN_NUMBER.test(s)) s = `'${s}`;
  return escapeControls(s, CONTROL_BUT_LINES);
}

const ENTITY: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for markdown or HTML content: controls but line breaks escaped, then & < > as entities. */
export function htmlText(s: string): string {
  return escapeControls(s, CONTROL_BUT_LINES).replace(/[&<>]/g, (c) => ENTITY[c]!);
}

/** Text for an HTML attribute value (quoted): as htmlText, quotes too. */
export function htmlAttr(s: string): string {
  return escapeControls(s, CONTROL_BUT_LINES).replace(/[&<>"']/g, (c) => ENTITY[c]!);
}
