// End-to-end benchmark: `revperf run` on a generated org of N deals and one
// rep per 200 of them, 500 at 100k (bench/lib/scale-org.ts: config, people file, Salesforce report) —
// runLocalPipeline, the function the CLI calls, in this process: embedded
// DynamoDB / S3 / SES started, the files uploaded and ingested, the metrics
// and report data computed, every report × scope rendered and mailed, OUT
// written. The seconds are the whole run; the phases come from the run's own
// timing (LocalRunResult.phases, what the CLI prints), the peak RSS from the
// process, as for every benchmark.
//
// The baseline is the bare write loop goal 4 compares ingest with: the same
// deal items the ingest stores (taken from a table the ingest filled, once, in
// `prepare`), written into a fresh table of the same emulator with nothing but
// BatchWriteItem — 25 items a request, 4 requests in flight (the ingest's
// batchWrite concurrency), unprocessed items resent. Only that loop is timed.
//
//   node --import tsx bench/e2e.bench.ts revperf 100000
//   node --import tsx bench/e2e.bench.ts baseline 100000
import { createReadStream, createWriteStream, existsSync, renameSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { BatchWriteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { parseConfigText } from '../shared/config/schema.js';
import { createRuntime } from '../functions/runtime.js';
import { createIngestHandler } from '../functions/ingest/ingest-handler.js';
import { startEmbeddedAws } from '../local/embedded-aws.js';
import { findUploads, RUN_PHASES, runLocalPipeline, uploadAll } from '../local/local-run.js';
import { silentLogger } from '../local/silent-logger.js';
import { runBenchChild, type WorkResult } from './lib/bench-child.js';
import { ensureScaleOrg, SCALE_AS_OF, scaleOrgName } from './lib/scale-org.js';

const DATA_DIR = join(import.meta.dirname, 'data');
/** Requests in flight in the bare loop: batchWrite's default, which the ingest uses. */
const CONCURRENCY = 4;
const BATCH = 25;

function itemsPath(size: number): string {
  return join(DATA_DIR, `${scaleOrgName(size)}-deal-items.jsonl`);
}

async function configOf(dir: string) {
  const path = join(dir, 'revperf.config.json');
  return parseConfigText(await readFile(path, 'utf8'), path);
}

/** The deal items the ingest stores for this org, one JSON per line: the bare loop's input. */
async function writeDealItems(size: number, dir: string): Promise<void> {
  const target = itemsPath(size);
  if (existsSync(target)) return;
  const aws = await startEmbeddedAws();
  try {
    const runtime = createRuntime({ config: await configOf(dir), clients: aws.clients, tableName: aws.tableName, bucketName: aws.bucketName, logger: silentLogger() });
    const ingest = createIngestHandler(runtime, {});
    aws.onObjectCreated('ingest', async (event) => {
      await ingest(event);
    });
    await uploadAll(aws, await findUploads(dir), () => undefined);
    if (aws.failedInvocations.length > 0) throw new Error(`ingest failed: ${aws.failedInvocations[0]!.error.message}`);
    const partial = `${target}.partial`;
    const out = createWriteStream(partial);
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    let count = 0;
    do {
      const page = await aws.clients.documents.send(
        new ScanCommand({ TableName: aws.tableName, FilterExpression: 'entity = :deal', ExpressionAttributeValues: { ':deal': 'deal' }, ExclusiveStartKey }),
      );
      for (const item of page.Items ?? []) {
        out.write(`${JSON.stringify(item)}\n`);
        count += 1;
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    out.end();
    await once(out, 'close');
    if (count === 0) throw new Error('the ingest stored no deal');
    renameSync(partial, target);
  } finally {
    await aws.stop();
  }
}

async function readItems(size: number): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const line of createInterface({ input: createReadStream(itemsPath(size), 'utf8'), crlfDelay: Infinity })) {
    if (line.length > 0) items.push(JSON.parse(line) as Record<string, unknown>);
  }
  return items;
}

/** The bare loop: the items into a fresh table, nothing else. Untimed: starting the emulator and reading the items. */
async function bareWriteLoop(size: number): Promise<WorkResult> {
  const setupStarted = process.hrtime.bigint();
  const setupCpu = process.cpuUsage();
  const items = await readItems(size);
  // The same store `revperf run` ingests into (runLocalPipeline: dynalite on a temporary LevelDB folder), not memory.
  const aws = await startEmbeddedAws({ tableName: 'bare', dynamoOnDisk: true });
  const untimed = { seconds: Number(process.hrtime.bigint() - setupStarted) / 1e9, cpuSeconds: 0 };
  const used = process.cpuUsage(setupCpu);
  untimed.cpuSeconds = (used.user + used.system) / 1e6;
  try {
    const started = process.hrtime.bigint();
    let next = 0;
    let requests = 0;
    const worker = async () => {
      while (next < items.length) {
        let pending = items.slice(next, next + BATCH).map((Item) => ({ PutRequest: { Item } }));
        next += BATCH;
        while (pending.length > 0) {
          const result = await aws.clients.documents.send(new BatchWriteCommand({ RequestItems: { bare: pending } }));
          requests += 1;
          pending = (result.UnprocessedItems?.bare ?? []) as typeof pending;
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    process.stderr.write(`baseline ${size}: ${items.length} items in ${requests} requests, ${seconds.toFixed(1)} s\n`);
    return { rows: items.length, checksum: items.length, extra: { writeLoopSeconds: seconds, items: items.length, requests }, untimed };
  } finally {
    const stopStarted = process.hrtime.bigint();
    await aws.stop();
    untimed.seconds += Number(process.hrtime.bigint() - stopStarted) / 1e9;
  }
}

/** `revperf run --data <org> --as-of 2026-11-16 --out <tmp>`, in process. */
async function revperfRun(size: number): Promise<WorkResult> {
  const dir = ensureScaleOrg(DATA_DIR, size);
  const outDir = await mkdtemp(join(tmpdir(), 'revperf-e2e-out-'));
  try {
    const result = await runLocalPipeline({ dataDir: dir, config: await configOf(dir), outDir, asOf: SCALE_AS_OF });
    const refused = result.ingestReports.filter((report) => report.status !== 'loaded');
    if (refused.length > 0) throw new Error(`upload(s) not loaded: ${refused.map((report) => `${report.uploadKey} ${report.status} ${report.refusal ?? ''}`).join('; ')}`);
    const deals = result.ingestReports.filter((report) => report.uploadKey.includes('/deals/')).reduce((sum, report) => sum + report.counts.accepted, 0);
    const sent = result.deliveries.reduce((sum, run) => sum + run.sent.length, 0);
    const extra: Record<string, number> = { deals, reports: result.reports.length, emails: sent };
    for (const phase of RUN_PHASES) {
      extra[`${phase}Seconds`] = result.phases.seconds[phase];
      extra[`${phase}PeakRssMb`] = result.phases.peakRssMb[phase];
    }
    process.stderr.write(`revperf ${size}: ${JSON.stringify(extra)}\n`);
    return { rows: deals, checksum: deals + result.reports.length, extra };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

await runBenchChild({
  prepare: async (size) => {
    const dir = ensureScaleOrg(DATA_DIR, size);
    await writeDealItems(size, dir);
  },
  implementations: { baseline: bareWriteLoop, revperf: revperfRun },
});
