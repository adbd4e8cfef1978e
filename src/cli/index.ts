/**
 * The command line: argument declarations and the one error boundary. `plan`, whose
 * start-up is most of its cost, is imported with the CLI; every other command's code is
 * imported only when that command runs.
 */
import { formatHelp, formatsOf, type BatchFormat, type Command as FormatCommand, type DiffFormat, type TestFormat, type ValidateFormat } from './formats.js';
import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { formatDiagnostic, InputError } from '../diagnostics/diagnostic.js';
import { runPlan, type PlanOptions } from './commands/plan.js';
import type { ExitCode, Io } from './io.js';
import { CheckedWriter, settleExit, type WritableLike } from '../io/sink.js';
import { wantsColor } from '../report/style.js';

export const VERSION = '0.1.0';

export interface Ctx {
  readonly io: Io;
  /** Set by the action that ran. */
  code: ExitCode;
}

/** An option value that must not be empty (`--out ''`, `--rules=` would otherwise mean "not given"). */
const nonEmpty = (what: string) => (value: string): string => {
  if (value === '') throw new InvalidArgumentError(`${what} must not be empty`);
  return value;
};

const threadCount = (value: string): number => {
  const n = Number(value);
  if (!/^[0-9]+$/.test(value) || n < 1 || n > 64) throw new InvalidArgumentError('--threads must be a whole number from 1 to 64');
  return n;
};

/** `--format`, its choices and default from the command's formats (formats.ts); the help lists them after the options. */
const formatOption = (command: FormatCommand): InstanceType<typeof Option> =>
  new Option('--format <format>', 'output format (see Formats below)').choices(formatsOf(command)).default(formatsOf(command)[0]);

const examples = (lines: string[]): string => `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;

function registerPlan(program: Command, ctx: Ctx): void {
  program
    .command('plan')
    .description('plan one case for the MDT: IVC management, renal veins, access, support, work-up, complexity')
    .argument('<case>', 'case file (.json or .yaml), or - for stdin')
    .option('--rules <dir>', 'rule-set folder (default: the shipped rules)', nonEmpty('the rule folder'))
    .addOption(formatOption('plan'))
    .addHelpText('after', formatHelp('plan'))
    .option('--date <YYYY-MM-DD>', 'date printed on the plan (the MDT meeting); never taken from the clock')
    .option('--explain', 'show the full trace: every rule and condition with the values seen', false)
    .addHelpText(
      'after',
      examples([
        'rvlms plan fixtures/cases/published/zhang2021-case1.json',
        'rvlms plan case.yaml --format html --date 2026-03-02 > handout.html',
        'rvlms plan case.yaml --format markdown > handout.md',
        'cat case.json | rvlms plan - --format json',
        'rvlms plan case.json --explain',
      ]),
    )
    .action(async (casePath: string, o: { rules?: string; format: PlanOptions['format']; explain: boolean; date?: string }) => {
      ctx.code = await runPlan(
        { casePath, format: o.format, explain: o.explain, ...(o.rules ? { rules: o.rules } : {}), ...(o.date !== undefined ? { date: o.date } : {}) },
        ctx.io,
      );
    });
}

function registerSchema(program: Command, ctx: Ctx): void {
  program
    .command('schema')
    .description('print the JSON Schema of a case file, a rule file or a column map')
    .addArgument(new Argument('<kind>', 'case, rules or map').choices(['case', 'rules', 'map']))
    .addHelpText('after', examples(['rvlms schema case > case.schema.json', 'rvlms schema rules > rules.schema.json', 'rvlms schema map > map.schema.json']))
    .action(async (kind: 'case' | 'rules' | 'map') => {
      const { runSchema } = await import('./commands/schema.js');
      ctx.code = await runSchema(kind, ctx.io);
    });
}

function registerBatch(program: Command, ctx: Ctx): void {
  program
    .command('batch')
    .description('run the rules over a historical cohort: every case, concordance with what was done, summaries by imaging type and rule')
    .argument('<path...>', 'folders (.json/.yaml, recursive), .json (a case or an array), .jsonl/.ndjson, .csv/.tsv (dotted headers, or any with --map), .xlsx, or - for stdin')
    .option('--rules <dir>', 'rule-set folder (default: the shipped rules)', nonEmpty('the rule folder'))
    .addOption(formatOption('batch'))
    .addHelpText('after', formatHelp('batch'))
    .option('--out <file>', 'write the output to this file, atomically (whole or not at all); refuses an input, a folder, a link, a FIFO or device, a read-only file', nonEmpty('the output file'))
    .option('--force', '--out may also replace a read-only file or a link\'s target, or write directly to a FIFO or device', false)
    .option('--fail-on-discordance', 'exit 1 when a determined IVC recommendation differs from actual.ivcManagement', false)
    .option('--summary', 'only the summaries (agreement, kappa, by source, by imaging type …), no case list', false)
    .option('--cases', 'table format: the per-case list before the summaries', false)
    .option('--map <file>', 'column map for CSV and .xlsx inputs (write one with rvlms map init)', nonEmpty('the map file'))
    .option('--sheet <name>', '.xlsx inputs: the sheet to read, by name or number from 1 (default: the first)')
    .addOption(new Option('--input-format <format>', 'what - (stdin) holds').choices(['jsonl', 'csv']))
    .option('--threads <n>', 'threads that evaluate JSON Lines past the first 4,096 cases, the main thread among them (default: one per core; 1 = the main thread only); the output is the same', threadCount)
    .addHelpText(
      'after',
      examples([
        'rvlms batch fixtures/cohort/',
        'rvlms batch fixtures/cohort/ --cases',
        'rvlms batch fixtures/cohort.csv --format markdown --out cohort-report.md',
        'rvlms batch registry.jsonl --summary --format json',
        'rvlms batch export.csv --map registry.map.yaml --format markdown --out report.md',
        'rvlms batch cohort.jsonl --format html --summary --out report.html',
        'rvlms batch export.xlsx --sheet Patients --map registry.map.yaml',
        'cat export.csv | rvlms batch - --input-format csv --map registry.map.yaml',
        'rvlms batch registry.jsonl --format jsonl > decisions.jsonl',
        'cat registry.jsonl | rvlms batch - --format csv',
        'rvlms batch fixtures/cohort/ --fail-on-discordance',
        'rvlms batch big-registry.jsonl --format jsonl --threads 1 > decisions.jsonl',
      ]) + '\nExit codes: 0 done, 1 discordance (with --fail-on-discordance) or a safety invariant broken, 2 bad path, any invalid case (all others are still reported) or no case in any input.\n',
    )
    .action(async (paths: string[], o: { rules?: string; format: BatchFormat; out?: string; force: boolean; failOnDiscordance: boolean; summary: boolean; cases: boolean; map?: string; sheet?: string; inputFormat?: 'jsonl' | 'csv'; threads?: number }) => {
      const { runBatch } = await import('./commands/batch.js');
      const { availableParallelism } = await import('node:os');
      (await import('../io/heap.js')).limitHeapGrowth();
      const opts = {
        paths,
        format: o.format,
        failOnDiscordance: o.failOnDiscordance,
        force: o.force,
        summary: o.summary,
        cases: o.cases,
        threads: o.threads ?? availableParallelism(),
        ...(o.rules !== undefined ? { rules: o.rules } : {}),
        ...(o.out !== undefined ? { out: o.out } : {}),
        ...(o.map !== undefined ? { map: o.map } : {}),
        ...(o.sheet !== undefined ? { sheet: o.sheet } : {}),
        ...(o.inputFormat !== undefined ? { inputFormat: o.inputFormat } : {}),
      };
      ctx.code = await runBatch(opts, ctx.io);
    });
}

function registerMap(program: Command, ctx: Ctx): void {
  const map = program.command('map').description('column maps: how a registry export\'s columns and codes become case fields (batch --map)');
  map
    .command('init')
    .description('write a starting column map from an export\'s header and values: matched columns and codes, and a QUESTION for everything else')
    .argument('<export>', 'the export: .csv / .tsv (any delimiter), .xlsx, or - for CSV on stdin')
    .option('--sheet <name>', '.xlsx: the sheet to read, by name or number from 1 (default: the first)')
    .option('--out <file>', 'write the map to this file (never over an existing one without --force)', nonEmpty('the map file'))
    .option('--force', '--out may replace an existing file', false)
    .addHelpText(
      'after',
      examples([
        'rvlms map init registry-export.csv --out registry.map.yaml',
        'rvlms map init registry.xlsx --sheet Patients --out registry.map.yaml',
        'rvlms batch registry-export.csv --map registry.map.yaml',
      ]) + '\nAnswer every QUESTION in the map (a map with an open question is refused), then run batch with --map.\nExit codes: 0 written, 2 unreadable export or bad flags.\n',
    )
    .action(async (exportPath: string, o: { sheet?: string; out?: string; force: boolean }) => {
      const { runMapInit } = await import('./commands/map.js');
      ctx.code = await runMapInit({ export: exportPath, force: o.force, ...(o.sheet !== undefined ? { sheet: o.sheet } : {}), ...(o.out !== undefined ? { out: o.out } : {}) }, ctx.io);
    });
}

function registerValidate(program: Command, ctx: Ctx): void {
  program
    .command('validate')
    .description('check a rule set: schema and references, then over every possible case (by solving, not sampling) — gaps, conflicts, masked rules, contradictions, invariants')
    .option('--rules <dir>', 'rule-set folder (default: the shipped rules)', nonEmpty('the rule folder'))
    .addOption(formatOption('validate'))
    .addHelpText('after', formatHelp('validate'))
    .option('--allow-incomplete', 'exit 0 even when some check could not be completed within the limits (they are still listed, as warnings)', false)
    .option('--time-budget <seconds>', 'time for the whole analysis; checks not reached are reported as not done (default 600)')
    .option('--solver-steps <n>', 'solver work allowed per question (Z3 resource units; deterministic, unlike time)')
    .option('--max-memory <MB>', 'solver memory ceiling (default 900)')
    .addHelpText(
      'after',
      examples(['rvlms validate', 'rvlms validate --rules my-centre/rules', 'rvlms validate --format sarif > rvlms.sarif', 'rvlms validate --format json | jq .summary', 'rvlms validate --time-budget 60 --allow-incomplete']) +
        '\nEach finding: file:line:col severity code message, the rules involved and a counterexample case (numeric inputs also as the region that behaves the same).\nA check that cannot be completed within the limits is an analysis/incomplete error naming the decision, rule or invariant; the summary then says "incomplete".\nExit codes: 0 clean and complete (warnings allowed), 1 error-severity findings or an incomplete analysis (without --allow-incomplete), 2 unreadable rule folder or bad flags.\n',
    )
    .action(async (o: { rules?: string; format: ValidateFormat; allowIncomplete: boolean; timeBudget?: string; solverSteps?: string; maxMemory?: string }) => {
      const { runValidate, parsePositive } = await import('./commands/validate.js');
      ctx.code = await runValidate(
        {
          format: o.format,
          allowIncomplete: o.allowIncomplete,
          ...(o.rules ? { rules: o.rules } : {}),
          ...(o.timeBudget !== undefined ? { timeBudget: parsePositive('--time-budget', o.timeBudget) } : {}),
          ...(o.solverSteps !== undefined ? { solverSteps: parsePositive('--solver-steps', o.solverSteps) } : {}),
          ...(o.maxMemory !== undefined ? { maxMemory: parsePositive('--max-memory', o.maxMemory) } : {}),
        },
        ctx.io,
        VERSION,
      );
    });
}

function registerTest(program: Command, ctx: Ctx): void {
  program
    .command('test')
    .description('run golden fixtures (expected decision values and deciding rules) and report rule and outcome coverage')
    .argument('[fixtures...]', 'fixture files or folders (default: fixtures/golden/)')
    .option('--rules <dir>', 'rule-set folder (default: the shipped rules)', nonEmpty('the rule folder'))
    .addOption(formatOption('test'))
    .addHelpText('after', formatHelp('test'))
    .option('--threshold <percent>', 'exit 1 when rule or outcome coverage is below this percentage')
    .addOption(new Option('--explain <mode>', 'traces to show: of the decisions failing cases fail on, of every case, or none').choices(['fails', 'full', 'off']).default('fails'))
    .option('--run <pattern>', 'run only the fixtures whose name matches this regular expression')
    .option('--update', 'rewrite the expectations of failing fixtures to what the rules now decide, and show each change (old → new)', false)
    .addHelpText(
      'after',
      examples([
        'rvlms test',
        'rvlms test fixtures/golden/published.yaml --explain full',
        'rvlms test --threshold 100',
        'rvlms test --format junit > rvlms-junit.xml',
        "rvlms test --run '^zhang2021-'",
        "rvlms test --run 'patch-7[0-9]' --update",
        'rvlms test --format json | jq \'.cases[] | select(.status == "fail") | .failures[] | {decision, field, expected, actual}\'',
      ]) +
        '\n--update changes only the expectations that fail (value, rule, rules, candidates, missing, borderline; warnings no longer raised are dropped), keeps the rest of each file as it is, then runs the fixtures again. Read every change before committing it.' +
        '\nExit codes: 0 all fixtures pass (and coverage meets --threshold), 1 a fixture fails or coverage is too low, 2 missing fixtures, invalid rule set or bad flags (--format junit then still writes a JUnit file naming each problem).\n',
    )
    .action(async (fixtures: string[], o: { rules?: string; format: TestFormat; threshold?: string; explain: 'fails' | 'full' | 'off'; run?: string; update: boolean }) => {
      const { runTest, parseThreshold } = await import('./commands/test.js');
      const threshold = o.threshold === undefined ? undefined : parseThreshold(o.threshold);
      ctx.code = await runTest(
        { fixtures, format: o.format, explain: o.explain, update: o.update, ...(o.rules ? { rules: o.rules } : {}), ...(threshold !== undefined ? { threshold } : {}), ...(o.run !== undefined ? { run: o.run } : {}) },
        ctx.io,
      );
    });
}

function registerDiff(program: Command, ctx: Ctx): void {
  program
    .command('diff')
    .description('what a rule change does to patients: two rule sets over the whole case space and historical cases, every changed decision grouped by old → new value')
    .argument('<base>', 'base rule set: a folder, or a git ref whose rule folder is read (e.g. main)')
    .argument('[head]', 'head rule set: a folder or git ref (default: the working tree)')
    .option('--cases <path>', 'historical cases: a folder of .json/.yaml cases, a JSON array, JSON Lines or CSV (as rvlms batch)', nonEmpty('the cases path'))
    .addOption(formatOption('diff'))
    .addHelpText('after', formatHelp('diff'))
    .option('--fail-on-change', 'exit 1 when any decision changes', false)
    .option('--allow-incomplete', 'exit 0 even when a decision could not be compared completely within the limits (it is still named)', false)
    .option('--time-budget <seconds>', 'time for the case-space comparison (default 600)')
    .option('--solver-steps <n>', 'solver work allowed per question (Z3 resource units)')
    .option('--max-memory <MB>', 'solver memory ceiling (default 900)')
    .option('--rules-path <dir>', 'the rule folder inside a git ref, and the working tree', nonEmpty('the rule folder path'), 'rules')
    .addHelpText(
      'after',
      examples([
        'rvlms diff main',
        'rvlms diff main --cases registry.jsonl --format markdown > diff.md',
        'rvlms diff main --format sarif > rvlms-diff.sarif',
        'rvlms diff v1.0.0 my-branch --fail-on-change',
        'rvlms diff rules/ my-centre/rules/ --cases fixtures/cases/',
      ]) +
        '\nThe case space is compared by solving: every way each decision changes, also through the decisions it reads, each with a real example case.' +
        '\nA head that changed but kept the base\'s name and metadata.version is a warning (diff/version-not-bumped) in every format; like every warning it never changes the exit code, not even with --fail-on-change (which is about decisions).' +
        '\nExit codes: 0 done, 1 a decision changes (with --fail-on-change) or a decision could not be compared completely (without --allow-incomplete), 2 bad ref or folder, invalid rule set or bad flags (for a ref, folder, rule set or --cases file that cannot be read, --format markdown, json and sarif still write a report saying why).\n',
    )
    .action(
      async (
        base: string,
        head: string | undefined,
        o: { cases?: string; format: DiffFormat; failOnChange: boolean; rulesPath: string; allowIncomplete: boolean; timeBudget?: string; solverSteps?: string; maxMemory?: string },
      ) => {
      const { runDiff } = await import('./commands/diff.js');
      const { parsePositive } = await import('./commands/validate.js');
      const opts = {
        base,
        format: o.format,
        failOnChange: o.failOnChange,
        rulesPath: o.rulesPath,
        allowIncomplete: o.allowIncomplete,
        ...(head !== undefined ? { head } : {}),
        ...(o.cases !== undefined ? { cases: o.cases } : {}),
        ...(o.timeBudget !== undefined ? { timeBudget: parsePositive('--time-budget', o.timeBudget) } : {}),
        ...(o.solverSteps !== undefined ? { solverSteps: parsePositive('--solver-steps', o.solverSteps) } : {}),
        ...(o.maxMemory !== undefined ? { maxMemory: parsePositive('--max-memory', o.maxMemory) } : {}),
      };
      ctx.code = await runDiff(opts, ctx.io, VERSION);
      },
    );
}

/** The commander program. */
export function buildProgram(ctx: Ctx): Command {
  const program = new Command('rvlms');
  program
    .description('Surgical planning for retroperitoneal vascular leiomyosarcoma: explainable, evidence-linked rules for the MDT')
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => ctx.io.out(s), writeErr: (s) => ctx.io.err(s) })
    .addHelpText(
      'after',
      examples([
        'rvlms plan fixtures/cases/published/zhang2021-case1.json',
        'rvlms plan case.json --format json',
        'rvlms schema case',
      ]) + '\nExit codes: 0 success, 1 findings, 2 usage or input error.\n',
    );
  registerPlan(program, ctx);
  registerSchema(program, ctx);
  registerBatch(program, ctx);
  registerMap(program, ctx);
  registerValidate(program, ctx);
  registerTest(program, ctx);
  registerDiff(program, ctx);
  return program;
}

/** Run the CLI; never throws, never prints a stack trace. */
export async function main(argv: readonly string[], io: Io): Promise<ExitCode> {
  const ctx: Ctx = { io, code: 0 };
  try {
    await buildProgram(ctx).parseAsync([...argv], { from: 'user' });
    return ctx.code;
  } catch (e) {
    if (e instanceof Error && e.name === 'ReaderGone') return 0; // stdout's reader stopped reading: see src/io/sink.ts
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
      if (e.code === 'commander.help') return e.exitCode === 0 ? 0 : 2; // help asked for, or shown because no command was given
      if (e.code === 'commander.executeSubCommandAsync') return 0;
      return 2;
    }
    if (e instanceof InputError) {
      for (const d of e.diagnostics) io.err(`rvlms: ${formatDiagnostic(d)}\n`);
      return 2;
    }
    const msg = e instanceof Error ? e.message : String(e);
    io.err(`rvlms: internal error: ${msg}\n`);
    if (io.env.RVLMS_DEBUG && e instanceof Error && e.stack) io.err(e.stack + '\n');
    return 2;
  }
}

/**
 * The width of text output: COLUMNS when the environment sets it to a whole number (it then
 * holds for a pipe or a file too: `COLUMNS=100 rvlms plan case.json | less`), else the
 * terminal's width when stdout is one; without either, text wraps at 80 (report/wrap.ts).
 */
function columnsOf(p: ProcessStreams): { columns?: number } {
  const set = p.env.COLUMNS;
  if (set !== undefined && /^[1-9][0-9]{0,4}$/.test(set)) return { columns: Number(set) };
  return p.stdout.isTTY && p.stdout.columns ? { columns: p.stdout.columns } : {};
}

/** The process's side of the CLI: its streams, environment and folder (tests pass their own streams). */
export interface ProcessStreams {
  readonly stdout: WritableLike & { readonly isTTY?: boolean; readonly columns?: number };
  readonly stderr: WritableLike & { readonly isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

/**
 * Run the CLI on real streams: every write checked (src/io/sink.ts), and the exit code known
 * only once stdout and stderr have taken everything — a failed write is exit 2, never 0.
 */
export async function runOn(argv: readonly string[], p: ProcessStreams): Promise<ExitCode> {
  const stdout = new CheckedWriter(p.stdout, '<stdout>');
  const stderr = new CheckedWriter(p.stderr, '<stderr>');
  const io: Io = {
    out: stdout.write,
    err: stderr.write,
    drain: stdout.drain,
    colorOut: wantsColor(p.stdout, p.env),
    ...columnsOf(p),
    colorErr: wantsColor(p.stderr, p.env),
    stderrIsTTY: p.stderr.isTTY === true,
    env: p.env,
    cwd: p.cwd,
  };
  return settleExit(await main(argv, io), stdout, stderr);
}

/** Entry point used by bin/rvlms.js. */
export async function run(): Promise<void> {
  process.exitCode = await runOn(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
}
