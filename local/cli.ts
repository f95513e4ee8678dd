// revperf on a laptop: `revperf run --data DIR` runs the whole pipeline on the
// embedded AWS and writes what it produced to an out folder.
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError, parseConfigText, type RevperfConfig } from '../shared/config/schema.js';
import { isLocalDate } from '../shared/domain/local-date.js';
import { deliveryLines } from './local-delivery.js';
import { DataFolderError, RUN_PHASES, runLocalPipeline, type LocalRunResult, type PhaseTimes } from './local-run.js';
import { StateDirInUseError } from './embedded-aws.js';
import { findRunningServer, LocalServerInUseError, postTick, runLocalServerCommand, summarize, TickRefusedError } from './local-server.js';
import { renderScorecard } from './terminal-scorecard.js';
import { terminalLabels, type TerminalLabels } from './terminal-labels.js';
import { verdictLines } from './terminal-verdict.js';
import { TerminalProgress } from './terminal-progress.js';
import type { ReportLocale } from '../shared/reports/labels/index.js';
import { registerOperatorCommands } from './operator-commands.js';
import { registerOnboardingCommands } from './onboarding-commands.js';
import { registerReplayFailedCommand } from './replay-failed.js';

process.env.AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING ??= '1';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export async function loadConfigFile(path: string): Promise<RevperfConfig> {
  const text = await readFile(path, 'utf-8').catch((error: NodeJS.ErrnoException) => {
    throw new ConfigError(path, [`(file): cannot be read (${error.code ?? error.message})`]);
  });
  return parseConfigText(text, path);
}

/** Config precedence: --config, then DIR/revperf.config.json, then ./revperf.config.json. */
async function resolveConfigPath(dataDir: string, explicit: string | undefined): Promise<string> {
  if (explicit) return resolve(explicit);
  for (const candidate of [join(dataDir, 'revperf.config.json'), resolve('revperf.config.json')]) {
    if (await readFile(candidate).then(() => true, () => false)) return candidate;
  }
  throw new ConfigError(join(dataDir, 'revperf.config.json'), [
    '(file): no config found — pass --config FILE or put revperf.config.json in the data folder (see revperf.config.example.json)',
  ]);
}

function asOfOption(value: string): string {
  if (!isLocalDate(value)) throw new InvalidArgumentError(`'${value}' is not a date YYYY-MM-DD`);
  return value;
}

export interface RunSummaryContext {
  outDir: string;
  /** The config file the run read. */
  configPath: string;
  /** The data folder (for `revperf inspect --data DIR`). */
  dataDir: string;
  /** The config's `org.locale`: the language of everything printed. */
  locale: ReportLocale;
  /** Every rep in the scorecard, however many (`--all-reps`). */
  allReps?: boolean;
}

/**
 * What a run prints when it is done, in the config's `org.locale`: the verdict
 * (what was used, what needs attention and what fixes it), then the details —
 * the quarter's scorecard, the rows that count for no one, where the outputs
 * are, who was mailed.
 */
export function printRunSummary(result: LocalRunResult, context: RunSummaryContext, log: (line: string) => void): void {
  const labels = terminalLabels(context.locale);
  const { outDir } = context;
  log('');
  for (const line of verdictLines(result, { configPath: context.configPath, dataDir: context.dataDir, labels })) log(line);
  log('');
  log(`── ${labels.details.heading} ──`);
  const quarter = result.metrics.find((run) => run.period.kind === 'quarter');
  if (quarter) {
    log('');
    log(labels.scorecard.heading(quarter.period.label, result.asOf, quarter.result.currency));
    log(renderScorecard(quarter.result, { allReps: context.allReps, labels }));
  }
  const warnings = reconciliationWarnings(result, labels);
  if (warnings.length > 0) {
    log('');
    for (const warning of warnings) log(warning);
  }
  const text = labels.details;
  log('');
  log(text.outputs(outDir));
  const column = (name: string) => name.padEnd(16);
  log(`  ${column(text.ingest)} ${join(outDir, 'ingest')}/ ${text.ingestReports(result.ingestReports.length)}`);
  for (const run of result.metrics) log(`  ${column(text.metrics)} ${join(outDir, 'metrics', `${run.period.id}.json`)}`);
  for (const kind of ['weekly-scorecard', 'pre-review-pack'] as const) {
    const reports = result.reports.filter((report) => report.kind === kind);
    if (reports.length === 0) continue;
    const count = (level: string) => reports.filter((report) => report.scope.level === level).length;
    const scopes = [
      count('company') > 0 ? text.scopes.organisation : null,
      count('team') ? text.scopes.teams(count('team')) : null,
      count('rep') ? text.scopes.reps(count('rep')) : null,
    ]
      .filter(Boolean)
      .join(', ');
    const folder = join(outDir, 'reports', kind, reports[0]!.periodId);
    log(`  ${column(kind === 'weekly-scorecard' ? text.scorecards : text.pack)} ${folder}/ (${scopes}: .xlsx, .html, .txt)`);
  }
  log(`  ${column(text.emails)} ${join(outDir, 'emails')}/${text.emailFiles}`);
  for (const line of deliveryLines(result, labels)) log(line);
  log('');
  log(timingLine(result.phases, labels));
}

/** One line: wall seconds per phase, then the process's peak RSS. */
export function timingLine(phases: PhaseTimes, labels: TerminalLabels): string {
  const seconds = (value: number) => `${new Intl.NumberFormat(labels.numberLocale, { maximumFractionDigits: value < 10 ? 1 : 0 }).format(value)} s`;
  const parts = RUN_PHASES.map((phase) => `${labels.details.phases[phase]} ${seconds(phases.seconds[phase])}`);
  return labels.details.timing(parts.join(' · '), Math.round(Math.max(...Object.values(phases.peakRssMb))));
}

/**
 * One warning per upload kind with rows that count for no one (data problems
 * are reported, not fatal), each reason on its own line; a problem seen by
 * both the quarter and the week is said once.
 */
export function reconciliationWarnings(result: Pick<LocalRunResult, 'metrics'>, labels: TerminalLabels = terminalLabels('en')): string[] {
  const lines: string[] = [];
  const said = new Set<string>();
  for (const run of result.metrics) {
    for (const kind of Object.values(run.export.reconciliation)) {
      const fresh = kind.unused.filter((group) => !said.has(`${kind.kind}\u0000${group.code}\u0000${group.reason}`));
      if (fresh.length === 0) continue;
      lines.push(labels.details.unusedRows(kind.kind, kind.loaded - kind.used, kind.loaded, run.period.id));
      for (const group of fresh) {
        said.add(`${kind.kind}\u0000${group.code}\u0000${group.reason}`);
        const shown = group.examples.slice(0, 3).join('; ');
        lines.push(`    ${group.count} × ${group.reason} (${shown}${group.count > 3 ? '; …' : ''})`);
      }
    }
  }
  return lines;
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name('revperf')
    .description('Revenue performance from CRM exports, run locally on embedded AWS emulators.')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  let exitCode = 0;
  program
    .command('run')
    .description('ingest DIR/{deals,people,quotas,accounts,fx}/** and compute the metrics as of a date')
    .requiredOption(
      '--data <dir>',
      'folder with deals/, people/, quotas/, accounts/, fx/ subfolders; their files (subfolders too: DIR/deals/emea/x.csv → uploads/deals/emea/x.csv) are uploaded',
    )
    .option('--config <file>', 'revperf.config.json (default: DIR/revperf.config.json, then ./revperf.config.json)')
    .option('--as-of <date>', 'report date YYYY-MM-DD (default: today in the org time zone)', asOfOption)
    .option('--out <dir>', 'where to write the outputs', 'out')
    .option('--state <dir>', 'keep the embedded DynamoDB table and S3 bucket in DIR between runs, for week-over-week deltas (default: start empty)')
    .option('--all-reps', 'print every rep in the terminal scorecard (default: above 25 reps, teams and the top and bottom 5 reps)')
    .action(async (options: { data: string; config?: string; asOf?: string; out: string; state?: string; allReps?: boolean }) => {
      const dataDir = resolve(options.data);
      const outDir = resolve(options.out);
      try {
        const folder = await stat(dataDir).catch(() => null);
        if (!folder?.isDirectory()) throw new DataFolderError(`data folder ${dataDir} does not exist or is not a folder`);
        const configPath = await resolveConfigPath(dataDir, options.config);
        const config = await loadConfigFile(configPath);
        const labels = terminalLabels(config.org.locale);
        const stateDir = options.state === undefined ? undefined : resolve(options.state);
        console.log(
          stateDir
            ? `• using the state in ${stateDir}: compared with the snapshots earlier runs left there`
            : '• starting empty: nothing is kept after this run, so there are no week-over-week deltas — pass --state DIR to keep them',
        );
        // A progress line on stderr, only when it is a terminal; cleared before each line printed.
        const bar = new TerminalProgress(process.stderr, labels);
        const result = await runLocalPipeline({
          dataDir,
          config,
          outDir,
          asOf: options.asOf,
          stateDir,
          progress: (line) => {
            bar.clear();
            console.log(`• ${line}`);
          },
          monitor: bar,
        }).finally(() => bar.clear());
        printRunSummary(result, { outDir, configPath, dataDir, locale: config.org.locale, allReps: options.allReps }, (line) => console.log(line));
        exitCode = result.ingestReports.some((report) => report.status === 'refused') ? 3 : 0;
        if (exitCode !== 0) console.error(`\n${labels.details.refusedExit}`);
      } catch (error) {
        if (error instanceof ConfigError || error instanceof DataFolderError || error instanceof StateDirInUseError) {
          console.error(`revperf: ${error.message}`);
          exitCode = 2;
          return;
        }
        throw error;
      }
    });

  program
    .command('local')
    .description('keep the embedded AWS running: uploads are ingested as they arrive, the daily dispatch runs on a clock you advance')
    .option('--persist <dir>', 'keep the table and bucket in DIR between sessions (default: temporary, gone at Ctrl-C)')
    .option('--data <dir>', 'upload DIR/{deals,people,quotas,accounts,fx}/** at start')
    .option('--config <file>', 'revperf.config.json (default: DIR/revperf.config.json with --data, then ./revperf.config.json)')
    .option(
      '--tick <date>',
      'with a revperf local running: advance its clock to DATE, running the dispatch for each day up to it; else: start with today = DATE',
      asOfOption,
    )
    .addHelpText(
      'after',
      `
Examples:
  $ revperf local --persist .revperf-state --data out/sample-data --tick 2026-11-16
  $ revperf local --tick 2026-11-30        # from another terminal: runs the dispatch for 17…30 Nov
While it runs, type 'tick' (next day) or 'tick YYYY-MM-DD'; Ctrl-C stops it.`,
    )
    .action(async (options: { persist?: string; data?: string; config?: string; tick?: string }) => {
      try {
        if (options.tick) {
          const running = await findRunningServer(options.persist);
          if (running) {
            if (options.data || options.config) console.log('• a revperf local is running: --data and --config are ignored, only the tick is sent');
            console.log(`• advancing the clock of revperf local (process ${running.content.pid}) to ${options.tick}`);
            const result = await postTick(running, options.tick);
            for (const day of result.days) console.log(`▸ ${day.date}: ${day.error ? `✗ dispatch failed: ${day.error}` : summarize(day.summary)}`);
            console.log(`• today is ${result.today} (${result.days.length} day(s) run)`);
            exitCode = result.days.some((day) => day.error) ? 1 : 0;
            return;
          }
        }
        const dataDir = options.data === undefined ? undefined : resolve(options.data);
        const configPath = await resolveConfigPath(dataDir ?? resolve('.'), options.config);
        const config = await loadConfigFile(configPath);
        exitCode = await runLocalServerCommand({ config, persist: options.persist, data: dataDir, tick: options.tick });
      } catch (error) {
        if (
          error instanceof ConfigError ||
          error instanceof DataFolderError ||
          error instanceof StateDirInUseError ||
          error instanceof LocalServerInUseError ||
          error instanceof TickRefusedError
        ) {
          console.error(`revperf: ${error.message}`);
          exitCode = 2;
          return;
        }
        throw error;
      }
    });

  registerOperatorCommands(program, {
    loadConfig: async (dir, explicit) => loadConfigFile(await resolveConfigPath(dir, explicit)),
    setExitCode: (code) => (exitCode = code),
  });

  registerOnboardingCommands(program, { loadConfig: loadConfigFile, setExitCode: (code) => (exitCode = code) });
  registerReplayFailedCommand(program, { setExitCode: (code) => (exitCode = code) });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    const code = (error as { exitCode?: number }).exitCode;
    if (typeof code === 'number') return code === 0 ? 0 : 2;
    throw error;
  }
  return exitCode;
}

const invokedDirectly = process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname);
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: Error) => {
      console.error(`revperf: ${error.stack ?? error.message}`);
      process.exitCode = 1;
    },
  );
}
