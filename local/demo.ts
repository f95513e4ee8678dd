// `npm start [OUT]`: the whole pipeline on the sample organisation, locally,
// for a fixed date, so every run shows the same numbers (OUT defaults to out/).
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseConfig } from '../shared/config/schema.js';
import { generateSampleOrg, writeSampleUploads } from './sample-org/index.js';
import { runLocalPipeline } from './local-run.js';
import { printRunSummary } from './cli.js';

process.env.AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING ??= '1';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const DEMO_AS_OF = '2026-11-16';

export async function runDemo(outDir: string, log: (line: string) => void = console.log) {
  await rm(outDir, { recursive: true, force: true });
  const org = generateSampleOrg({ asOf: DEMO_AS_OF });
  const dataDir = join(outDir, 'sample-data');
  await writeSampleUploads(org, dataDir);
  log(`• sample organisation '${org.config.org.name}': ${org.people.length} people, ${org.deals.length} deals → ${dataDir}`);
  const result = await runLocalPipeline({
    dataDir,
    config: parseConfig(org.config, join(dataDir, 'revperf.config.json')),
    outDir,
    asOf: DEMO_AS_OF,
    progress: (line) => log(`• ${line}`),
  });
  printRunSummary(result, outDir, log);
  return result;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  // No process.exit on success: the process ends by itself only if nothing was left running.
  runDemo(resolve(process.argv[2] ?? 'out')).catch((error: Error) => {
    console.error(`revperf demo failed: ${error.stack ?? error.message}`);
    process.exitCode = 1;
  });
}
