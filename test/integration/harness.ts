// A local stack wired like the deployed one: embedded AWS, the real runtime
// and the real ingest handler behind the bucket notifications.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ingestReportKeys } from '../../shared/adapters/bucket-layout.js';
import { RevperfTable } from '../../shared/adapters/revperf-table.js';
import type { S3EventNotification } from '../../shared/adapters/s3-events.js';
import { parseConfig, type RevperfConfig, type RevperfConfigInput } from '../../shared/config/schema.js';
import type { IngestReport } from '../../shared/ingest/types.js';
import { createRuntime, type Runtime } from '../../functions/runtime.js';
import { createIngestHandler } from '../../functions/ingest/ingest-handler.js';
import { startEmbeddedAws, type EmbeddedAws } from '../../local/embedded-aws.js';
import { localDeliveryQueue, type LocalDeliveryQueue } from '../../local/local-delivery.js';
import { silentLogger } from '../../local/silent-logger.js';
import type { ReportRenderers } from '../../shared/reports/report-run.js';

export const TEST_CONFIG: RevperfConfigInput = {
  org: { name: 'Northwind Cloud', timeZone: 'America/New_York' },
  fiscal: { yearStartMonth: 2, naming: 'end' },
  currency: { reporting: 'USD', rates: { EUR: 1.1, GBP: 1.25 } },
  mail: { from: 'revperf@northwind.example', allowedDomains: ['northwind.example'] },
};

export interface LocalStack {
  aws: EmbeddedAws;
  runtime: Runtime;
  config: RevperfConfig;
  scratchDir: string;
  /** Invoke the ingest handler directly (re-delivery of an event). */
  ingest: (event: S3EventNotification) => Promise<IngestReport[]>;
  upload(key: string, body: string | Uint8Array): Promise<void>;
  report(uploadKey: string): Promise<IngestReport>;
  rejectedCsv(uploadKey: string): Promise<string>;
  /** Every item of one entity family, keys stripped of volatile fields (tests only: the product never scans). */
  dump(entity: string): Promise<Record<string, unknown>[]>;
  /** The dispatch's queue: runs each delivery job in process, like the deployed worker (outcomes and failures kept). */
  delivery: LocalDeliveryQueue;
  /** A runtime whose DynamoDB document client is replaced (fault injection). */
  runtimeWith(documents: DynamoDBDocumentClient): Runtime;
  stop(): Promise<void>;
}

export interface LocalStackOptions {
  /** Replaces the real report renderers in the delivery worker (fast stubs for schedule tests). */
  renderers?: ReportRenderers;
  /** The runtime's clock (default: the real time). */
  clock?: () => Date;
}

export async function startLocalStack(configInput: RevperfConfigInput = TEST_CONFIG, options: LocalStackOptions = {}): Promise<LocalStack> {
  const aws = await startEmbeddedAws();
  const scratchDir = await mkdtemp(join(tmpdir(), 'revperf-scratch-'));
  const config = parseConfig(configInput);
  let deliveryRuntime: Runtime | undefined;
  const delivery = localDeliveryQueue(() => deliveryRuntime!, options.renderers);
  const runtimeWith = (documents: DynamoDBDocumentClient): Runtime => ({
    ...createRuntime({
      config,
      clients: { ...aws.clients, documents },
      tableName: aws.tableName,
      bucketName: aws.bucketName,
      scratchDir,
      logger: silentLogger(),
      deliveryQueue: delivery,
      ...(options.clock ? { clock: options.clock } : {}),
    }),
    table: new RevperfTable(documents, aws.tableName, { baseDelayMs: 1, maxDelayMs: 5 }),
  });
  const runtime = runtimeWith(aws.clients.documents);
  deliveryRuntime = runtime;
  const ingest = createIngestHandler(runtime);
  aws.onObjectCreated('ingest', async (event) => {
    await ingest(event);
  });

  const text = async (key: string) => {
    const object = await aws.clients.s3.send(new GetObjectCommand({ Bucket: aws.bucketName, Key: key }));
    return object.Body!.transformToString('utf-8');
  };

  return {
    aws,
    runtime,
    config,
    scratchDir,
    ingest,
    delivery,
    async upload(key, body) {
      await aws.clients.s3.send(new PutObjectCommand({ Bucket: aws.bucketName, Key: key, Body: body }));
      await aws.idle();
    },
    async report(uploadKey) {
      return JSON.parse(await text(ingestReportKeys(uploadKey).json)) as IngestReport;
    },
    rejectedCsv: (uploadKey) => text(ingestReportKeys(uploadKey).rejectedCsv),
    async dump(entity) {
      const items: Record<string, unknown>[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await aws.clients.documents.send(
          new ScanCommand({
            TableName: aws.tableName,
            FilterExpression: 'entity = :entity',
            ExpressionAttributeValues: { ':entity': entity },
            ExclusiveStartKey,
          }),
        );
        items.push(...(page.Items ?? []));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return items.sort((a, b) => `${a.pk}${a.sk}`.localeCompare(`${b.pk}${b.sk}`));
    },
    runtimeWith,
    async stop() {
      await aws.stop();
      await rm(scratchDir, { recursive: true, force: true });
    },
  };
}
