/**
 * The output formats of each command, in one place: commander's `--format` choices and
 * help, the commands' option types and their renderer tables (each command keeps a
 * `Record<its format, renderer>`, so the compiler asks for a renderer when a format is
 * added here) all come from this table. The first format of a command is its default.
 */
export const FORMATS = {
  plan: {
    text: 'for the terminal, wrapped to its width',
    json: 'the plan as data',
    markdown: 'for a document or a ticket',
    html: 'a printable MDT handout with the vessel drawing',
  },
  batch: {
    table: 'summaries for the terminal; --cases adds the case list',
    json: 'one document: cases and summaries',
    jsonl: 'one line per case, then the summaries (streams)',
    csv: 'one row per case, for a spreadsheet',
    markdown: 'a report for a document',
    html: 'a self-contained report page with charts',
  },
  validate: {
    text: 'findings as file:line:col severity code message',
    json: 'the findings and the summary',
    sarif: 'SARIF 2.1.0, for code-scanning upload',
  },
  test: {
    text: 'pass/fail per fixture and coverage',
    json: 'each fixture with expected and actual values',
    junit: 'JUnit XML, for CI test reports',
  },
  diff: {
    text: 'the changes per decision',
    json: 'the changes as data',
    markdown: 'a pull-request comment',
    sarif: 'SARIF 2.1.0: each changed decision at the rule lines that change it, for code scanning',
  },
} as const;

export type Command = keyof typeof FORMATS;
export type FormatOf<C extends Command> = keyof (typeof FORMATS)[C] & string;

export type PlanFormat = FormatOf<'plan'>;
export type BatchFormat = FormatOf<'batch'>;
export type ValidateFormat = FormatOf<'validate'>;
export type TestFormat = FormatOf<'test'>;
export type DiffFormat = FormatOf<'diff'>;

/** A command's formats, the default first. */
export const formatsOf = <C extends Command>(command: C): FormatOf<C>[] => Object.keys(FORMATS[command]) as FormatOf<C>[];

/** The "Formats:" section of a command's help: each format with what it is for. */
export function formatHelp(command: Command): string {
  const table = Object.entries(FORMATS[command] as Readonly<Record<string, string>>);
  const width = Math.max(...table.map(([f]) => f.length));
  return `\nFormats (--format):\n${table.map(([f, what], i) => `  ${f.padEnd(width)}  ${what}${i === 0 ? ' (default)' : ''}`).join('\n')}`;
}
