// Load: a burst of deal uploads arriving at once, drained through the deployed
// ingest path (S3 notification → SQS message → the ingest queue handler) with
// the concurrency the stack gives the ingest event source, into the embedded
// DynamoDB. Every row must be accounted for: Σ rows in the ingest reports =
// deals in the table, each upload with its own report, none lost.
//
// `npm test` runs a bounded size (still 200 uploads, so still 200 at once);
// `npm run load` runs 200 × 5,000 rows. REVPERF_LOAD_UPLOADS and
// REVPERF_LOAD_ROWS set another size.
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INGEST_CONCURRENCY } from '../../infra/reporting-stack.js';
import { snapshotScopeOf } from '../../shared/adapters/bucket-layout.js';
import type { S3EventNotification } from '../../shared/adapters/s3-events.js';
import type { IngestReport } from '../../shared/ingest/types.js';
import { createIngestQueueHandler, type BatchResponse } from '../../functions/ingest/ingest-handler.js';
import { startLocalStack, type LocalStack } from './harness.js';

const UPLOADS = positiveInteger('REVPERF_LOAD_UPLOADS', 200);
const ROWS = positiveInteger('REVPERF_LOAD_ROWS', 25);
/** Uploads put into the bucket at once while the burst arrives (the bodies of a large size are held in memory meanwhile). */
const PUTS_AT_ONCE = 16;

function positiveInteger(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive whole number, not '${text}'`);
  return value;
}

const HEADER =
  '"Opportunity ID","Opportunity Name","Account Name","Opportunity Owner","Stage","Amount","Opportunity Currency","Probability (%)","Close Date","Created Date"';
const STAGES = [
  ['Closed Won', '100'],
  ['Closed Lost', '0'],
  ['Negotiation/Review', '90'],
  ['Prospecting', '10'],
] as const;

/** Upload `upload`'s Salesforce export: `rows` deals with ids of its own (a folder of its own, so a snapshot scope of its own). */
function exportOf(upload: number, rows: number): string {
  const lines = [HEADER];
  for (let row = 0; row < rows; row += 1) {
    const [stage, probability] = STAGES[(upload + row) % STAGES.length]!;
    const amount = 1_000 + ((upload * 7_919 + row * 104_729) % 250_000);
    lines.push(
      [
        `006L${String(upload).padStart(4, '0')}${String(row).padStart(7, '0')}`,
        `Load ${upload}-${row}`,
        `Account ${(upload + row) % 97}`,
        `Rep ${row % 40}`,
        stage,
        `${amount}.00`,
        'USD',
        probability,
        `11/${String((row % 28) + 1).padStart(2, '0')}/2026`,
        '9/1/2026',
      ]
        .map((cell) => `"${cell}"`)
        .join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}

const keyOf = (upload: number) => `uploads/deals/load-${String(upload).padStart(4, '0')}/opportunities-${upload}.csv`;

/**
 * The ingest queue and its event source: messages wait until `open()` (the burst has arrived), then at most
 * `concurrency` invocations run at once, each with one message, as the deployed event source with maxConcurrency.
 */
function ingestQueue(handler: (event: { Records: { messageId: string; body: string }[] }) => Promise<BatchResponse>, concurrency: number) {
  const waiting: { messageId: string; body: string }[] = [];
  const done: { messageId: string; response: BatchResponse }[] = [];
  const wakers: (() => void)[] = [];
  let inFlight = 0;
  let peak = 0;
  let opened = false;
  const pump = () => {
    while (opened && inFlight < concurrency && waiting.length > 0) {
      const message = waiting.shift()!;
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      void handler({ Records: [message] })
        .then((response) => done.push({ messageId: message.messageId, response }))
        .finally(() => {
          inFlight -= 1;
          pump();
          if (inFlight === 0 && waiting.length === 0) for (const wake of wakers.splice(0)) wake();
        });
    }
  };
  return {
    send(event: S3EventNotification, messageId: string) {
      waiting.push({ messageId, body: JSON.stringify(event) });
      pump();
    },
    open() {
      opened = true;
      pump();
    },
    drained(): Promise<void> {
      return inFlight === 0 && waiting.length === 0 ? Promise.resolve() : new Promise((resolve) => wakers.push(resolve));
    },
    get peak() {
      return peak;
    },
    done,
  };
}

async function countDeals(stack: LocalStack): Promise<number> {
  let count = 0;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await stack.aws.clients.documents.send(
      new ScanCommand({
        TableName: stack.aws.tableName,
        Select: 'COUNT',
        FilterExpression: 'entity = :entity',
        ExpressionAttributeValues: { ':entity': 'deal' },
        ExclusiveStartKey,
      }),
    );
    count += page.Count ?? 0;
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return count;
}

describe(`ingest load: ${UPLOADS} uploads × ${ROWS} rows arriving at once`, () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  it(
    'drains a burst of uploads at the stack’s ingest concurrency and accounts for every row: Σ ingest reports = deals in the table, each upload with its own report',
    async () => {
      const started = process.hrtime.bigint();
      const queue = ingestQueue(createIngestQueueHandler(stack.runtime), INGEST_CONCURRENCY);
      let messages = 0;
      stack.aws.onObjectCreated('ingest', async (event) => {
        queue.send(event, `m-${++messages}`);
      });

      // The burst: every upload lands in the bucket (and its notification in the queue) before ingest drains it.
      let next = 0;
      const putter = async () => {
        while (next < UPLOADS) {
          const upload = next++;
          await stack.aws.clients.s3.send(new PutObjectCommand({ Bucket: stack.aws.bucketName, Key: keyOf(upload), Body: exportOf(upload, ROWS) }));
        }
      };
      await Promise.all(Array.from({ length: Math.min(PUTS_AT_ONCE, UPLOADS) }, putter));
      await stack.aws.idle();
      expect(messages).toBe(UPLOADS);
      queue.open();
      await queue.drained();
      const ingestSeconds = Number(process.hrtime.bigint() - started) / 1e9;

      // Never more than the stack's concurrency at once, and the burst did keep that many busy.
      expect(queue.peak).toBe(Math.min(INGEST_CONCURRENCY, UPLOADS));
      expect(queue.done).toHaveLength(UPLOADS);
      expect(queue.done.filter(({ response }) => response.batchItemFailures.length > 0)).toEqual([]);

      let reported = 0;
      for (let upload = 0; upload < UPLOADS; upload += 1) {
        const key = keyOf(upload);
        const report: IngestReport = await stack.report(key);
        expect(report.uploadKey).toBe(key);
        expect(report.status).toBe('loaded');
        expect(report.counts).toEqual({ read: ROWS, accepted: ROWS, skipped: 0, rejected: 0, duplicates: 0 });
        expect((await stack.runtime.table.ingestLedgerEntry(stack.aws.bucketName, key))?.status).toBe('done');
        // This upload's own deals, every one of them, under its own snapshot scope.
        expect((await stack.runtime.table.dealHashesOfScope(snapshotScopeOf(key, 'salesforce'))).size).toBe(ROWS);
        reported += report.counts.accepted;
      }
      expect(reported).toBe(UPLOADS * ROWS);
      expect(await countDeals(stack)).toBe(reported);

      const rows = UPLOADS * ROWS;
      console.info(
        `ingest load: ${UPLOADS} uploads × ${ROWS} rows = ${rows} rows at ${INGEST_CONCURRENCY} at once: ` +
          `${ingestSeconds.toFixed(1)} s, ${Math.round(rows / ingestSeconds)} rows/s, peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
      );
    },
    // The full size (`npm run load`) runs for many minutes on 2 cores; the bounded size in seconds.
    UPLOADS * ROWS > 50_000 ? 4 * 60 * 60_000 : 300_000,
  );
});
