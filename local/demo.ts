// `npm start [OUT]`: the whole pipeline on the sample organisation, locally,
// for a fixed date, so every run shows the same numbers (OUT defaults to out/).
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseConfig } from '../shared/config/schema.js';
import { generateSampleOrg, writeSampleUploads } from './sample-org/index.js';
import { runLocalPipeline } from './local-run.js';
import { printRunSummary } from './cli.js';
import { terminalLabels } from './terminal-labels.js';
import { TerminalProgress, type ProgressStream } from './terminal-progress.js';

process.env.AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING ??= '1';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const DEMO_AS_OF = '2026-11-16';

export interface DemoOptions {
  /** Every rep in the terminal scorecard (`npm start -- --all-reps`). */
  allReps?: boolean;
  /** The progress line's stream (default: none; the command line passes stderr, drawn only when it is a terminal). */
  progressStream?: ProgressStream;
}

export async function runDemo(outDir: string, log: (line: string) => void = console.log, options: DemoOptions = {}) {
  await rm(outDir, { recursive: true, force: true });
  const org = generateSampleOrg({ asOf: DEMO_AS_OF });
  const dataDir = join(outDir, 'sample-data');
  await writeSampleUploads(org, dataDir);
  log(`• sample organisation '${org.config.org.name}': ${org.people.length} people, ${org.deals.length} deals → ${dataDir}`);
  const configPath = join(dataDir, 'revperf.config.json');
  const config = parseConfig(org.config, configPath);
  const bar = options.progressStream ? new TerminalProgress(options.progressStream, terminalLabels(config.org.locale)) : undefined;
  const result = await runLocalPipeline({
    dataDir,
    config,
    outDir,
    asOf: DEMO_AS_OF,
    progress: (line) => {
      bar?.clear();
      log(`• ${line}`);
    },
    ...(bar ? { monitor: bar } : {}),
  }).finally(() => bar?.clear());
  printRunSummary(result, { outDir, configPath, dataDir, locale: config.org.locale, allReps: options.allReps }, log);
  return result;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  // No process.exit on success: the process ends by itself only if nothing was left running.
  // npm start [-- [OUT] [--all-reps]]
  const args = process.argv.slice(2);
  const out = args.find((arg) => !arg.startsWith('--')) ?? 'out';
  runDemo(resolve(out), console.log, { allReps: args.includes('--all-reps'), progressStream: process.stderr }).catch((error: Error) => {
    console.error(`revperf demo failed: ${error.stack ?? error.message}`);
    process.exitCode = 1;
  });
}
