// `revperf inspect` and `revperf init`: a data folder read the way ingest
// would read it, nothing written (inspect), and a starter config guessed from
// it (init). The use cases are in shared/onboarding/; this is the wiring.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { ConfigError, parseConfig, type RevperfConfig } from '../shared/config/schema.js';
import { guessConfig } from '../shared/onboarding/init-config.js';
import { initText } from '../shared/onboarding/init-text.js';
import { inspectData, type Inspection } from '../shared/onboarding/inspect-data.js';
import { inspectionText, verdictText } from '../shared/onboarding/inspect-text.js';
import { DataFolderError, findUploads } from './local-run.js';

export type Print = (line: string) => void;

export interface OnboardingHooks {
  loadConfig: (path: string) => Promise<RevperfConfig>;
  setExitCode: (code: number) => void;
  print?: Print;
  clock?: () => Date;
}

/** The machine's time zone, the default for a new config. */
function machineTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Config for inspect: --config, else DIR/revperf.config.json, else ./revperf.config.json, else the defaults (null source). */
async function inspectConfig(dataDir: string, explicit: string | undefined, hooks: OnboardingHooks): Promise<{ config: RevperfConfig; source: string | null }> {
  if (explicit) return { config: await hooks.loadConfig(resolve(explicit)), source: resolve(explicit) };
  for (const candidate of [join(dataDir, 'revperf.config.json'), resolve('revperf.config.json')]) {
    if (await readFile(candidate).then(() => true, () => false)) return { config: await hooks.loadConfig(candidate), source: candidate };
  }
  const config = parseConfig({
    org: { name: basename(dataDir), timeZone: machineTimeZone() },
    mail: { from: 'revperf@example.com', allowedDomains: ['example.com'] },
  });
  return { config, source: null };
}

/** JSON for scripts: everything inspect found, without the accepted rows it kept for the joins. */
export function inspectionJson(inspection: Inspection): string {
  return JSON.stringify(
    { ...inspection, files: inspection.files.map(({ entities: _entities, ownerCounts: _ownerCounts, ...file }) => ({ ...file, samples: file.samples.map((s) => ({ line: s.line, ...s.value })) })) },
    null,
    2,
  );
}

async function dataFiles(data: string) {
  const dataDir = resolve(data);
  const folder = await stat(dataDir).catch(() => null);
  if (!folder?.isDirectory()) throw new DataFolderError(`data folder ${dataDir} does not exist or is not a folder`);
  return { dataDir, files: await findUploads(dataDir) };
}

function monthOption(value: string): number {
  const month = Number(value);
  if (!Number.isInteger(month) || month < 1 || month > 12) throw new InvalidArgumentError(`'${value}' is not a month 1–12`);
  return month;
}

function currencyOption(value: string): string {
  if (!/^[A-Za-z]{3}$/.test(value)) throw new InvalidArgumentError(`'${value}' is not a 3-letter currency code such as EUR`);
  return value.toUpperCase();
}

export function registerOnboardingCommands(program: Command, hooks: OnboardingHooks): void {
  const print = hooks.print ?? ((line: string) => console.log(line));
  const clock = hooks.clock ?? (() => new Date());

  program
    .command('inspect')
    .description('read every file of DIR the way ingest would, write nothing, and say what needs a decision (exit 0 ready, 1 decide, 2 unreadable)')
    .requiredOption('--data <dir>', 'folder with deals/, people/, quotas/, accounts/, fx/ subfolders')
    .option('--config <file>', 'revperf.config.json (default: DIR/revperf.config.json, then ./revperf.config.json, else the defaults)')
    .option('--json', 'print what inspect found as JSON')
    .action(async (options: { data: string; config?: string; json?: boolean }) => {
      try {
        const { dataDir, files } = await dataFiles(options.data);
        const { config, source } = await inspectConfig(dataDir, options.config, hooks);
        const inspection = await inspectData({ files, config, configSource: source, clock });
        if (options.json) print(inspectionJson(inspection));
        else for (const line of inspectionText(inspection, { colour: hooks.print === undefined && process.stdout.isTTY })) print(line);
        hooks.setExitCode(inspection.exitCode);
      } catch (error) {
        exitUnreadable(error, hooks);
      }
    });

  program
    .command('init')
    .description('write a starter revperf.config.json guessed from the files of DIR, and say what to review')
    .requiredOption('--data <dir>', 'folder with deals/, people/, quotas/, accounts/, fx/ subfolders')
    .option('--org <name>', 'organisation name (default: the folder name)')
    .option('--time-zone <tz>', 'IANA time zone (default: this machine\'s)')
    .option('--fiscal-year-start <month>', 'month 1–12 the fiscal year starts (default 1)', monthOption)
    .option('--currency <code>', 'reporting currency (default: the one most amounts are in)', currencyOption)
    .option('--mail-domain <domain>', 'the only domain reports are mailed to (default: from --leader or the people file)')
    .addOption(new Option('--leader <email...>', 'who gets the organisation report').default([]))
    .option('--out <file>', 'where to write it (default: DIR/revperf.config.json)')
    .option('--force', 'overwrite an existing file')
    .addHelpText('after', '\nExit: 0 written and inspect finds it ready, 1 written but something needs a decision, 2 nothing written.')
    .action(
      async (options: {
        data: string;
        org?: string;
        timeZone?: string;
        fiscalYearStart?: number;
        currency?: string;
        mailDomain?: string;
        leader: string[];
        out?: string;
        force?: boolean;
      }) => {
        try {
          const { dataDir, files } = await dataFiles(options.data);
          const out = resolve(options.out ?? join(dataDir, 'revperf.config.json'));
          if (!options.force && (await stat(out).then(() => true, () => false))) {
            console.error(`revperf: ${out} exists: nothing written (pass --force to overwrite it, or --out FILE)`);
            hooks.setExitCode(2);
            return;
          }
          if (files.length === 0) throw new DataFolderError(`${dataDir} has no files under deals/, people/, quotas/, accounts/ or fx/`);
          const result = await guessConfig({
            files,
            org: options.org ?? basename(dataDir),
            timeZone: options.timeZone ?? machineTimeZone(),
            fiscalYearStart: options.fiscalYearStart,
            currency: options.currency,
            mailDomain: options.mailDomain,
            leaders: options.leader,
          });
          for (const line of initText(result)) print(line);
          await writeFile(out, `${JSON.stringify(result.document, null, 2)}\n`, { flag: options.force ? 'w' : 'wx' });
          print('');
          print(`Wrote ${out}. What revperf inspect says of the data with it:`);
          const inspection = await inspectData({ files, config: result.config, configSource: out, clock });
          for (const line of verdictText(inspection)) print(line);
          if (inspection.exitCode !== 0) print(`(details: revperf inspect --data ${options.data}${options.out ? ` --config ${options.out}` : ''})`);
          hooks.setExitCode(inspection.exitCode);
        } catch (error) {
          exitUnreadable(error, hooks);
        }
      },
    );
}

/** A config or data folder that cannot be read: said on stderr, exit 2; anything else is a bug and is thrown. */
function exitUnreadable(error: unknown, hooks: { setExitCode(code: number): void }): void {
  if (!(error instanceof ConfigError || error instanceof DataFolderError)) throw error;
  console.error(`revperf: ${error.message}`);
  hooks.setExitCode(2);
}
