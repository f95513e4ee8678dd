// The one-shot local pipeline: embedded AWS up, a folder of CRM exports
// uploaded as uploads/<kind>/… (subfolders kept), the notifications drive the real ingest
// handler, the metrics run as of a date, every report × scope is rendered and
// mailed through the embedded SES, everything lands in an out folder, and
// nothing is left running.
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { createReadStream, createWriteStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Logger } from '@aws-lambda-powertools/logger';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { PREFIXES, UPLOAD_KINDS, type UploadKind } from '../shared/adapters/bucket-layout.js';
import type { RevperfConfig } from '../shared/config/schema.js';
import type { LocalDate } from '../shared/domain/types.js';
import type { IngestReport } from '../shared/ingest/types.js';
import { createRuntime, type Runtime } from '../functions/runtime.js';
import { createIngestHandler } from '../functions/ingest/ingest-handler.js';
import { jsonBytes } from '../shared/reports/json-bytes.js';
import { parseReportData } from '../shared/reports/report-data.js';
import { SCORECARD_CHART_CID } from '../shared/reports/renderers.js';
import { prepareReports, type ReportedMetricsRun, type ReportRunResult, type StoredReport } from '../shared/reports/report-run.js';
import type { RunRecord } from '../shared/adapters/send-ledger.js';
import { EmailWriter, localDeliveryQueue } from './local-delivery.js';
import { startEmbeddedAws, type EmbeddedAws, type FailedInvocation } from './embedded-aws.js';
import { silentLogger } from './silent-logger.js';
import type { RunMonitor } from './terminal-progress.js';

/** Upload order: rates and people first, so deals convert and resolve owners on their first pass. */
const UPLOAD_ORDER: readonly UploadKind[] = ['fx', 'people', 'accounts', 'quotas', 'deals'];

export interface LocalRunOptions {
  dataDir: string;
  config: RevperfConfig;
  outDir: string;
  /** Default: today in the org's time zone. */
  asOf?: LocalDate;
  clock?: () => Date;
  progress?: (message: string) => void;
  /** Told the phase and how far each upload's ingest is (the terminal's progress line); nothing changes without it. */
  monitor?: RunMonitor;
  /** Keep the embedded table and bucket in this folder between runs (week-over-week deltas); default: start empty. */
  stateDir?: string;
  /** The handlers' and use cases' structured logger; default silent (the CLI prints its own progress). */
  logger?: Logger;
}

export interface LocalRunResult {
  asOf: LocalDate;
  uploads: string[];
  ingestReports: IngestReport[];
  metrics: ReportedMetricsRun[];
  /** Every report rendered, with its bucket keys (relative paths under OUT as well). */
  reports: StoredReport[];
  /** Report files written under OUT/reports/. */
  reportFiles: string[];
  /** The run record of every report × scope delivered: who got it, who was refused. */
  deliveries: RunRecord[];
  /** Messages written under OUT/emails/<recipient>/. */
  emailFiles: string[];
  failedInvocations: readonly FailedInvocation[];
  written: string[];
  /** Seconds per phase and the process's peak RSS at the end of each (printed after a run; the e2e benchmark reads them). */
  phases: PhaseTimes;
}

export const RUN_PHASES = ['upload', 'ingest', 'metrics', 'render', 'send', 'write'] as const;
export type TimedPhase = (typeof RUN_PHASES)[number];

export interface PhaseTimes {
  /** Wall seconds per phase: upload = the files put into the bucket; ingest = waiting for the ingest they trigger; metrics = metrics and
   * report data computed and stored; render = each report × scope rendered and stored; send = their e-mails through SES; write = OUT written. */
  seconds: Record<TimedPhase, number>;
  /** Peak RSS of the process (MiB) when the phase ended: the high-water mark so far, so each is ≥ the one before. */
  peakRssMb: Record<TimedPhase, number>;
}

/** Accumulates wall seconds per phase (a phase may be entered many times: one upload after another). */
export class PhaseClock {
  readonly seconds = Object.fromEntries(RUN_PHASES.map((phase) => [phase, 0])) as Record<TimedPhase, number>;
  readonly peakRssMb = Object.fromEntries(RUN_PHASES.map((phase) => [phase, 0])) as Record<TimedPhase, number>;

  async time<T>(phase: TimedPhase, work: () => Promise<T>): Promise<T> {
    const started = process.hrtime.bigint();
    try {
      return await work();
    } finally {
      this.add(phase, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }

  add(phase: TimedPhase, seconds: number): void {
    this.seconds[phase] += seconds;
    this.peakRssMb[phase] = process.resourceUsage().maxRSS / 1024;
  }

  result(): PhaseTimes {
    return { seconds: { ...this.seconds }, peakRssMb: { ...this.peakRssMb } };
  }
}

export class DataFolderError extends Error {
  override name = 'DataFolderError';
}

export async function runLocalPipeline(options: LocalRunOptions): Promise<LocalRunResult> {
  const progress = options.progress ?? (() => undefined);
  const files = await findUploads(options.dataDir);
  if (files.length === 0) {
    throw new DataFolderError(
      `${options.dataDir} has no uploads: put CRM exports in ${UPLOAD_KINDS.map((kind) => `${kind}/`).join(', ')} (e.g. ${join(options.dataDir, 'deals', 'opportunities.csv')})`,
    );
  }

  const phases = new PhaseClock();
  progress('starting the embedded AWS (DynamoDB, S3, SES on 127.0.0.1)');
  const aws = await startEmbeddedAws({ stateDir: options.stateDir, dynamoOnDisk: true });
  try {
    const runtime = createRuntime({
      config: options.config,
      clients: aws.clients,
      tableName: aws.tableName,
      bucketName: aws.bucketName,
      clock: options.clock,
      logger: options.logger ?? silentLogger(),
    });
    const monitor = options.monitor ?? {};
    const ingest = createIngestHandler(runtime, monitor.ingest ? { onProgress: (step) => monitor.ingest!(step) } : {});
    aws.onObjectCreated('ingest', async (event) => {
      await ingest(event);
    });

    const uploads = await uploadAll(aws, files, progress, monitor, phases);
    const failed = aws.failedInvocations;
    if (failed.length > 0) {
      throw new Error(`ingest failed for ${failed.length} upload(s): ${failed.map((f) => f.error.message).join('; ')}`);
    }
    const ingestReports = (await collectIngestReports(aws, options.outDir)).filter((report) => uploads.includes(report.uploadKey)).sort(
      (a, b) => uploads.indexOf(a.uploadKey) - uploads.indexOf(b.uploadKey),
    );
    // Each upload's outcome is said once, in the verdict the caller prints (terminal-verdict.ts).

    const asOf = options.asOf ?? runtime.calendar.today(runtime.clock);
    progress(`computing metrics and rendering the reports as of ${asOf}`);
    // Locally every scope's scorecard and the quarter's pack, whatever the schedule says.
    monitor.phase?.('metrics');
    const prepared = await phases.time('metrics', () => prepareReports(runtime, asOf, { everyRep: true }));
    const metrics = prepared.metrics;
    // Each report × scope through the deliver worker's use case, as the deployed queue would: rendered,
    // stored, mailed through the embedded SES to the recipients the config and the people file give.
    // The time inside SES is the send phase; the rest of each job is render.
    let sendSeconds = 0;
    const mailer: Runtime['mailer'] = {
      async sendRaw(raw, envelope) {
        const started = process.hrtime.bigint();
        try {
          return await runtime.mailer.sendRaw(raw, envelope);
        } finally {
          sendSeconds += Number(process.hrtime.bigint() - started) / 1e9;
        }
      },
    };
    // Every job renders from the report data as the deployed worker reads it — the stored JSON, parsed — but parsed
    // once for the run, not once per job (78 MB of JSON at 100k deals). prepareReports stores the same bytes under
    // each kind's key. The computed object is dropped before the stored copy is read; its quarter's metrics export
    // (about half of it) stays held by the metrics runs until OUT/metrics is written, beside the parsed copy.
    const [firstKey] = prepared.dataKeys;
    const storedData = prepared.data !== null && firstKey !== undefined;
    prepared.data = null;
    let data = storedData ? parseReportData(await runtime.objects.getBytes(runtime.bucketName, firstKey)) : null;
    const delivery = localDeliveryQueue(() => ({ ...runtime, mailer }), undefined, (key) => (data && prepared.dataKeys.includes(key) ? data : undefined));
    const jobs = prepared.scopes.map((scope) => ({ ...scope, asOf, dispatchedOn: asOf, late: false }));
    // Each job's messages are written out as it finishes and dropped (the workbooks attached to them add up).
    const emails = new EmailWriter(options.outDir);
    const emailFiles: string[] = [];
    let emailSeconds = 0;
    const reportsStarted = process.hrtime.bigint();
    for (const [index, job] of jobs.entries()) {
      monitor.phase?.('reports', { done: index + 1, total: jobs.length });
      const before = delivery.outcomes.length;
      await delivery.send([job]);
      const writeStarted = process.hrtime.bigint();
      for (const outcome of delivery.outcomes.slice(before)) {
        emailFiles.push(...(await emails.write([outcome])));
        outcome.messages = [];
      }
      emailSeconds += Number(process.hrtime.bigint() - writeStarted) / 1e9;
    }
    // Every job has rendered: the parsed report data is not held while OUT is written.
    data = null;
    phases.add('send', sendSeconds);
    phases.add('render', Number(process.hrtime.bigint() - reportsStarted) / 1e9 - sendSeconds - emailSeconds);
    phases.add('write', emailSeconds);
    if (delivery.failures.length > 0) {
      throw new Error(`delivery failed for ${delivery.failures.length} report(s): ${delivery.failures.map((f) => `${f.job.kind} ${f.job.periodId} ${JSON.stringify(f.job.scope)}: ${f.error.message}`).join('; ')}`);
    }
    monitor.phase?.('write');
    const writeStarted = process.hrtime.bigint();
    const run = { reports: delivery.outcomes.map((outcome) => outcome.report), dataKeys: prepared.dataKeys };
    const written = [...ingestReports.flatMap((report) => ingestOutputs(options.outDir, report))];
    for (const metricsRun of metrics) {
      const path = join(options.outDir, 'metrics', `${metricsRun.period.id}.json`);
      // Indented for the reader, built a piece at a time (39 MB compact at 100k deals).
      await writeOut(path, jsonBytes(metricsRun.export, 2));
      written.push(path);
    }
    const reportFiles = await downloadReports(aws, options.outDir, run);
    written.push(...reportFiles);
    written.push(...emailFiles);
    const deliveries = delivery.outcomes.map((outcome) => outcome.run);
    phases.add('write', Number(process.hrtime.bigint() - writeStarted) / 1e9);
    return {
      asOf,
      uploads,
      ingestReports,
      metrics,
      reports: run.reports,
      reportFiles,
      deliveries,
      emailFiles,
      failedInvocations: failed,
      written,
      phases: phases.result(),
    };
  } finally {
    await aws.stop();
  }
}

export async function findUploads(dataDir: string): Promise<{ kind: UploadKind; path: string; name: string }[]> {
  const stats = await stat(dataDir).catch(() => null);
  if (!stats?.isDirectory()) throw new DataFolderError(`data folder ${dataDir} does not exist or is not a folder`);
  const files: { kind: UploadKind; path: string; name: string }[] = [];
  for (const kind of UPLOAD_ORDER) {
    for (const file of await filesUnder(join(dataDir, kind), '')) files.push({ kind, ...file });
  }
  return files;
}

/**
 * The files of a kind folder, subfolders included (DIR/deals/emea/x.csv → `emea/x.csv`): a folder under
 * uploads/deals/ is a snapshot scope of its own. Each folder's files first, then its subfolders, by name.
 */
async function filesUnder(folder: string, relative: string): Promise<{ path: string; name: string }[]> {
  const entries = (await readdir(folder, { withFileTypes: true }).catch(() => [])).filter((entry) => !entry.name.startsWith('.'));
  entries.sort((a, b) => a.name.localeCompare(b.name));
  const files = entries.filter((entry) => entry.isFile()).map((entry) => ({ path: join(folder, entry.name), name: `${relative}${entry.name}` }));
  for (const entry of entries.filter((entry) => entry.isDirectory())) {
    files.push(...(await filesUnder(join(folder, entry.name), `${relative}${entry.name}/`)));
  }
  return files;
}

export async function uploadAll(
  aws: EmbeddedAws,
  files: { kind: UploadKind; path: string; name: string }[],
  progress: (message: string) => void,
  monitor: RunMonitor = {},
  phases?: PhaseClock,
) {
  const timed = <T>(phase: TimedPhase, work: () => Promise<T>) => (phases ? phases.time(phase, work) : work());
  const keys: string[] = [];
  for (const kind of UPLOAD_ORDER) {
    const ofKind = files.filter((file) => file.kind === kind);
    for (const file of ofKind) {
      const key = `${PREFIXES.uploads}${kind}/${file.name}`;
      const { size } = await stat(file.path);
      progress(`uploading ${key} (${Math.ceil(size / 1024)} KB)`);
      monitor.phase?.('upload', { done: keys.length + 1, total: files.length, item: `${kind}/${file.name}` });
      await timed('upload', () =>
        aws.clients.s3.send(new PutObjectCommand({ Bucket: aws.bucketName, Key: key, Body: createReadStream(file.path), ContentLength: size })),
      );
      keys.push(key);
      // Deals files settle one by one: two full exports of one snapshot scope (same folder and CRM) then apply in
      // name order — the later replaces the earlier, or is held — instead of racing each other's removals.
      if (kind === 'deals') await timed('ingest', () => aws.idle());
    }
    // Like a user who uploads rates and people before deals: each kind settles first.
    await timed('ingest', () => aws.idle());
  }
  return keys;
}

async function collectIngestReports(aws: EmbeddedAws, outDir: string): Promise<IngestReport[]> {
  const listed = await aws.clients.s3.send(new ListObjectsV2Command({ Bucket: aws.bucketName, Prefix: PREFIXES.ingestReports }));
  const reports: IngestReport[] = [];
  for (const object of listed.Contents ?? []) {
    const body = await aws.clients.s3.send(new GetObjectCommand({ Bucket: aws.bucketName, Key: object.Key! }));
    const text = await body.Body!.transformToString('utf-8');
    const relative = object.Key!.slice(PREFIXES.ingestReports.length);
    await writeOut(join(outDir, 'ingest', relative), text);
    if (object.Key!.endsWith('.json')) reports.push(JSON.parse(text) as IngestReport);
  }
  return reports;
}

/** Copies every report of the run from the bucket to OUT, under the same relative keys. */
async function downloadReports(aws: EmbeddedAws, outDir: string, run: Pick<ReportRunResult, 'dataKeys' | 'reports'>): Promise<string[]> {
  const written: string[] = [];
  const download = async (key: string, edit?: (bytes: Uint8Array) => Uint8Array) => {
    const object = await aws.clients.s3.send(new GetObjectCommand({ Bucket: aws.bucketName, Key: key }));
    const path = join(outDir, key);
    await mkdir(dirname(path), { recursive: true });
    // Streamed to the file unless edited (the report data is 78 MB at 100k deals, under each kind's key).
    if (edit) await writeFile(path, edit(await object.Body!.transformToByteArray()));
    else await pipeline(object.Body as Readable, createWriteStream(path));
    written.push(path);
  };
  for (const key of run.dataKeys) await download(key);
  for (const report of run.reports) {
    const { png } = report.keys;
    for (const key of Object.values(report.keys)) {
      // The e-mail shows its chart by Content-ID; the copy in OUT points at the PNG beside it, so a browser shows it too.
      const viewable = key.endsWith('.html') && png
        ? (bytes: Uint8Array) => Buffer.from(Buffer.from(bytes).toString('utf-8').replaceAll(`cid:${SCORECARD_CHART_CID}`, basename(png)))
        : undefined;
      await download(key, viewable);
    }
  }
  return written;
}

function ingestOutputs(outDir: string, report: IngestReport): string[] {
  return [join(outDir, 'ingest', `${report.uploadKey}.json`), join(outDir, 'ingest', `${report.uploadKey}.rejected.csv`)];
}

export function describeIngest(report: IngestReport): string {
  const { read, accepted, skipped, rejected } = report.counts;
  if (report.status === 'refused') return `✗ ${report.uploadKey}: refused — ${report.refusal}`;
  const preset = report.preset ? ` [${report.preset}]` : '';
  return `✓ ${report.uploadKey}${preset}: ${read} rows read, ${accepted} accepted, ${skipped} skipped, ${rejected} rejected`;
}

async function writeOut(path: string, text: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}

