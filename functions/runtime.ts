// What every function needs, built once per process (module scope in Lambda,
// once per embedded stack locally): config, calendar, clients, repositories.
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Logger } from '@aws-lambda-powertools/logger';
import { createAwsClients, endpointsFromEnv, type AwsClients } from '../shared/adapters/aws-clients.js';
import { S3ObjectStore } from '../shared/adapters/object-store.js';
import { RevperfTable } from '../shared/adapters/revperf-table.js';
import { SendLedger } from '../shared/adapters/send-ledger.js';
import { SesMailer, type Mailer } from '../shared/adapters/ses-mailer.js';
import { SqsDeliveryQueue } from '../shared/adapters/sqs-queue.js';
import { cachedSecretString, secretsManagerClient } from '../shared/adapters/secret-value.js';
import type { DeliveryQueue } from '../shared/delivery/delivery-job.js';
import { signedDownloadLinks, type DownloadLinks } from '../shared/delivery/download-link.js';
import { RecordingMetrics, type DeliveryMetricsSink } from '../shared/delivery/delivery-metrics.js';
import { SQSClient } from '@aws-sdk/client-sqs';
import { BUNDLED_CONFIG_FILE, CONFIG_OVERRIDE_VARIABLE } from '../shared/config/bundled-config.js';
import { calendarFromConfig } from '../shared/config/calendar.js';
import { parseConfigText, type RevperfConfig } from '../shared/config/schema.js';
import type { FiscalCalendar } from '../shared/domain/fiscal-calendar.js';

export interface Runtime {
  config: RevperfConfig;
  calendar: FiscalCalendar;
  clients: AwsClients;
  table: RevperfTable;
  objects: S3ObjectStore;
  bucketName: string;
  /** What was mailed to whom, and what each dispatch queued. */
  ledger: SendLedger;
  mailer: Mailer;
  metrics: DeliveryMetricsSink;
  /** Where the dispatch queues delivery jobs (SQS when deployed; set by the local stack). Null in functions that do not queue. */
  deliveryQueue: DeliveryQueue | null;
  /** Links to the download function for workbooks too large to attach (deployed); absent = direct presigned S3 links (local). */
  downloadLinks?: DownloadLinks;
  clock: () => Date;
  scratchDir: string;
  logger: Logger;
}

export interface RuntimeOptions {
  config: RevperfConfig;
  clients: AwsClients;
  tableName: string;
  bucketName: string;
  clock?: () => Date;
  scratchDir?: string;
  logger?: Logger;
  mailer?: Mailer;
  metrics?: DeliveryMetricsSink;
  deliveryQueue?: DeliveryQueue | null;
  downloadLinks?: DownloadLinks;
}

export function createRuntime(options: RuntimeOptions): Runtime {
  return {
    config: options.config,
    calendar: calendarFromConfig(options.config),
    clients: options.clients,
    table: new RevperfTable(options.clients.documents, options.tableName),
    objects: new S3ObjectStore(options.clients.s3),
    bucketName: options.bucketName,
    ledger: new SendLedger(options.clients.documents, options.tableName),
    mailer: options.mailer ?? new SesMailer(options.clients.ses),
    metrics: options.metrics ?? new RecordingMetrics(),
    deliveryQueue: options.deliveryQueue ?? null,
    ...(options.downloadLinks ? { downloadLinks: options.downloadLinks } : {}),
    clock: options.clock ?? (() => new Date()),
    scratchDir: options.scratchDir ?? tmpdir(),
    logger: options.logger ?? new Logger({ serviceName: 'revperf' }),
  };
}

function requiredEnv(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is not set (the CDK stack sets it)`);
  return value;
}

/**
 * The config a function runs with, validated again at cold start (fails fast):
 * REVPERF_CONFIG when set (local runs and tests of a handler outside its
 * bundle), else the revperf.config.json the stack ships next to the bundle.
 * Bundled, this module is inlined into index.mjs, so `moduleDir` is the asset's folder.
 */
export function functionConfig(
  env: NodeJS.ProcessEnv = process.env,
  moduleDir: string = dirname(fileURLToPath(import.meta.url)),
): RevperfConfig {
  const override = env[CONFIG_OVERRIDE_VARIABLE];
  if (override) return parseConfigText(override, CONFIG_OVERRIDE_VARIABLE);
  const bundled = join(moduleDir, BUNDLED_CONFIG_FILE);
  if (existsSync(bundled)) return parseConfigText(readFileSync(bundled, 'utf8'), bundled);
  throw new Error(
    `no revperf config: ${bundled} is not in the function bundle (the CDK stack writes it there) and ${CONFIG_OVERRIDE_VARIABLE} is not set (local runs and tests)`,
  );
}

/** The Lambda runtime: the bundled config and the names the stack wires in the environment; fails fast on a bad config. */
export function runtimeFromEnv(env: NodeJS.ProcessEnv = process.env, metrics?: DeliveryMetricsSink): Runtime {
  const endpoints = endpointsFromEnv(env);
  const queueUrl = env.DELIVERY_QUEUE_URL;
  return createRuntime({
    config: functionConfig(env),
    clients: createAwsClients(endpoints),
    tableName: requiredEnv(env, 'TABLE_NAME'),
    bucketName: requiredEnv(env, 'BUCKET_NAME'),
    ...(metrics ? { metrics } : {}),
    deliveryQueue: queueUrl ? new SqsDeliveryQueue(new SQSClient({ region: endpoints.region, endpoint: endpoints.sqs }), queueUrl) : null,
    ...downloadLinksFromEnv(env),
  });
}

/**
 * The download function's links when the stack set DOWNLOAD_URL and
 * DOWNLOAD_SECRET_ARN (the deliver worker); the secret is read on the first
 * large workbook and kept for the container's life.
 */
function downloadLinksFromEnv(env: NodeJS.ProcessEnv): { downloadLinks?: DownloadLinks } {
  const url = env.DOWNLOAD_URL;
  const secretArn = env.DOWNLOAD_SECRET_ARN;
  if (!url || !secretArn) return {};
  const endpoints = endpointsFromEnv(env);
  return { downloadLinks: signedDownloadLinks(url, cachedSecretString(secretsManagerClient(endpoints.region, endpoints.secretsManager), secretArn)) };
}
