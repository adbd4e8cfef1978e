/**
 * The command line: argument declarations and the one error boundary. Each command's code
 * is imported only when that command runs, so `rvlms plan` starts fast.
 */
import { Argument, Command, CommanderError, Option } from 'commander';
import { formatDiagnostic, InputError } from '../diagnostics/diagnostic.js';
import type { ExitCode, Io } from './io.js';

export const VERSION = '0.1.0';

export interface Ctx {
  readonly io: Io;
  /** Set by the action that ran. */
  code: ExitCode;
}

const examples = (lines: string[]): string => `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;

function registerPlan(program: Command, ctx: Ctx): void {
  program
    .command('plan')
    .description('plan one case for the MDT: IVC management, renal veins, access, support, work-up, complexity')
    .argument('<case>', 'case file (.json or .yaml), or - for stdin')
    .option('--rules <dir>', 'rule-set folder (default: the shipped rules)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .option('--explain', 'show the full trace: every rule and condition with the values seen', false)
    .addHelpText(
      'after',
      examples([
        'rvlms plan fixtures/cases/published/zhang2021-case1.json',
        'rvlms plan case.yaml --format markdown > handout.md',
        'cat case.json | rvlms plan - --format json',
        'rvlms plan case.json --explain',
      ]),
    )
    .action(async (casePath: string, o: { rules?: string; format: 'text' | 'json' | 'markdown'; explain: boolean }) => {
      const { runPlan } = await import('./commands/plan.js');
      ctx.code = await runPlan({ casePath, format: o.format, explain: o.explain, ...(o.rules ? { rules: o.rules } : {}) }, ctx.io);
    });
}

function registerSchema(program: Command, ctx: Ctx): void {
  program
    .command('schema')
    .description('print the JSON Schema of a case file or of a rule file')
    .addArgument(new Argument('<kind>', 'case or rules').choices(['case', 'rules']))
    .addHelpText('after', examples(['rvlms schema case > case.schema.json', 'rvlms schema rules > rules.schema.json']))
    .action(async (kind: 'case' | 'rules') => {
      const { runSchema } = await import('./commands/schema.js');
      ctx.code = await runSchema(kind, ctx.io);
    });
}

function registerBatch(program: Command, ctx: Ctx): void {
  program
    .command('batch')
    .description('run the rules over a historical cohort: every case, concordance with what was done, summaries by imaging type and rule')
    .argument('<path...>', 'folders (.json/.yaml, recursive), .json (a case or an array), .jsonl/.ndjson, .csv with dotted headers, or - for JSON Lines on stdin')
    .option('--rules <dir>', 'rule-set folder (default: the shipped rules)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'jsonl', 'csv', 'markdown']).default('table'))
    .option('--out <file>', 'write the output to this file, atomically (whole or not at all)')
    .option('--fail-on-discordance', 'exit 1 when a determined IVC recommendation differs from actual.ivcManagement', false)
    .addHelpText(
      'after',
      examples([
        'rvlms batch fixtures/cohort/',
        'rvlms batch fixtures/cohort.csv --format markdown --out cohort-report.md',
        'rvlms batch registry.jsonl --format jsonl > decisions.jsonl',
        'cat registry.jsonl | rvlms batch - --format csv',
        'rvlms batch fixtures/cohort/ --fail-on-discordance',
      ]) + '\nExit codes: 0 done, 1 discordance (with --fail-on-discordance) or a safety invariant broken, 2 bad path or any invalid case (all others are still reported).\n',
    )
    .action(async (paths: string[], o: { rules?: string; format: 'table' | 'json' | 'jsonl' | 'csv' | 'markdown'; out?: string; failOnDiscordance: boolean }) => {
      const { runBatch, stdoutDrain } = await import('./commands/batch.js');
      const opts = { paths, format: o.format, failOnDiscordance: o.failOnDiscordance, ...(o.rules ? { rules: o.rules } : {}), ...(o.out ? { out: o.out } : {}) };
      ctx.code = await runBatch(opts, { ...ctx.io, drain: stdoutDrain });
    });
}
// [validate]
// [test]
// [diff]

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
  return program;
}

/** Run the CLI; never throws, never prints a stack trace. */
export async function main(argv: readonly string[], io: Io): Promise<ExitCode> {
  const ctx: Ctx = { io, code: 0 };
  const program = buildProgram(ctx);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ctx.code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
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

/** Entry point used by bin/rvlms.js. */
export async function run(): Promise<void> {
  const { wantsColor } = await import('../report/style.js');
  const io: Io = {
    out: (s) => void process.stdout.write(s),
    err: (s) => void process.stderr.write(s),
    colorOut: wantsColor(process.stdout, process.env),
    colorErr: wantsColor(process.stderr, process.env),
    stderrIsTTY: process.stderr.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
  };
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
  });
  process.exitCode = await main(process.argv.slice(2), io);
}
