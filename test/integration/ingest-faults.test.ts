// Ingest under the faults the deployed service really produces, injected at
// the SDK's HTTP layer so the SDK's own deserialisers and retry strategy see
// them exactly as they would see AWS: S3 events delivered twice, concurrently
// and out of order; ProvisionedThroughputExceededException; a connection reset
// after DynamoDB applied a request; S3 answering 503; an object deleted before
// its event is handled. Each ends with the table a clean, in-order run writes.
import { Readable } from 'node:stream';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { HttpResponse, type HttpRequest } from '@smithy/core/protocols';
import type { DeserializeHandler, DeserializeHandlerArguments, MiddlewareStack } from '@smithy/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAwsClients, createS3Client } from '../../shared/adapters/aws-clients.js';
import { S3ObjectStore } from '../../shared/adapters/object-store.js';
import { objectCreatedRecords, type S3EventNotification } from '../../shared/adapters/s3-events.js';
import { ingestUpload, OLDER_VERSION_WAIT, OlderVersionStillLoadingError } from '../../shared/ingest/ingest-upload.js';
import { createIngestHandler, createIngestQueueHandler } from '../../functions/ingest/ingest-handler.js';
import { startLocalStack, type LocalStack } from './harness.js';

const HEADER =
  '"Opportunity ID","Opportunity Name","Account Name","Opportunity Owner","Stage","Amount","Opportunity Currency","Probability (%)","Close Date","Created Date"';
const KEY = 'uploads/deals/Salesforce Opportunities – Nov.csv';

function salesforceReport(rows: string[][]): string {
  const body = rows.map((row) => row.map((cell) => `"${cell.replace(/"/g, '""')}"`).join(',')).join('\r\n');
  return `${HEADER}\r\n${body}\r\n`;
}

/** 120 deals (five BatchWrites of 25 and more with their index items), amounts shifted by `bump` cents. */
function rows(count: number, bump = 0): string[][] {
  return Array.from({ length: count }, (_, index) => [
    `006F${String(index).padStart(5, '0')}`,
    `Renewal ${index}`,
    `Account ${index % 9}`,
    index % 2 === 0 ? 'Ana García' : 'Ben Okafor',
    index % 3 === 0 ? 'Closed Won' : index % 3 === 1 ? 'Closed Lost' : 'Negotiation/Review',
    ((2_000_00 + index * 1_25 + bump) / 100).toFixed(2),
    'USD',
    index % 3 === 0 ? '100' : index % 3 === 1 ? '0' : '60',
    `11/${String((index % 28) + 1).padStart(2, '0')}/2026`,
    '9/1/2026',
  ]);
}

/** Deal items without the provenance that names the run (it differs between stacks by design). */
function dealData(items: Record<string, unknown>[]) {
  return items.map(({ lastSeenIn: _lastSeenIn, ...rest }) => rest);
}

/** The deal items a clean, in-order ingest of these uploads writes, in a stack of its own. */
async function cleanRun(...bodies: string[]) {
  const clean = await startLocalStack();
  try {
    for (const body of bodies) await clean.upload(KEY, body);
    return dealData(await clean.dump('deal'));
  } finally {
    await clean.stop();
  }
}

/** Puts an object with the notification handler detached; the test delivers the event itself. */
async function putWithoutHandler(stack: LocalStack, body: string): Promise<S3EventNotification> {
  stack.aws.onObjectCreated('ingest', async () => undefined);
  await stack.aws.clients.s3.send(new PutObjectCommand({ Bucket: stack.aws.bucketName, Key: KEY, Body: body }));
  await stack.aws.idle();
  return stack.aws.dispatchedEvents.at(-1)!.event;
}

/**
 * s3rver keeps only an object's latest bytes; real S3 serves each event's own version.
 * This store serves the given events' versions (and anything else from s3rver).
 */
function versionedObjects(stack: LocalStack, ...versions: [S3EventNotification, string][]): S3ObjectStore {
  const byVersion = new Map(versions.map(([event, body]) => [event.Records[0]!.s3.object.versionId!, body]));
  const s3 = new S3ObjectStore(stack.aws.clients.s3);
  return Object.assign(Object.create(s3) as S3ObjectStore, {
    async open(bucket: string, key: string, versionId: string | null) {
      const body = versionId === null ? undefined : byVersion.get(versionId);
      if (body === undefined) return s3.open(bucket, key, versionId);
      return { body: Readable.from([Buffer.from(body)]), size: Buffer.byteLength(body) };
    },
  });
}

/**
 * A fault at the HTTP layer, below the SDK's retry middleware: `fault` sees each attempt's request
 * (with the operation name) and either answers it itself or returns null to let it through.
 */
type Fault = (request: HttpRequest, operation: string, send: () => Promise<{ response: unknown }>) => Promise<{ response: unknown } | null>;

function injectFault(stack: MiddlewareStack<any, any>, fault: Fault): void {
  stack.addRelativeTo(
    (next: DeserializeHandler<any, any>, context: { commandName?: string }) => async (args: DeserializeHandlerArguments<any>) => {
      const request = args.request as HttpRequest;
      const operation = String(request.headers['x-amz-target'] ?? context.commandName ?? '').replace(/^DynamoDB_\d+\./, '');
      const answered = await fault(request, operation, () => next(args) as Promise<{ response: unknown }>);
      return (answered ?? (await next(args))) as never;
    },
    // Inside the deserializer (which turns an error response into the SDK's exception) and so inside the
    // retry middleware: every attempt, retries included, passes here.
    { relation: 'after', toMiddleware: 'deserializerMiddleware', name: 'injectedFault' },
  );
}

function jsonError(type: string, message: string, statusCode = 400) {
  return {
    response: new HttpResponse({
      statusCode,
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'injected' },
      body: Readable.from([Buffer.from(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message }))]),
    }),
  };
}

function connectionReset(): Error {
  return Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', errno: -104, syscall: 'read' });
}

describe('ingest under injected service faults', () => {
  let stack: LocalStack;
  beforeEach(async () => {
    stack = await startLocalStack();
  });
  afterEach(async () => {
    await stack.stop();
  });

  it('every S3 event delivered twice, concurrently and out of order, leaves the table one in-order delivery leaves', async () => {
    const first = salesforceReport(rows(120));
    const second = salesforceReport(rows(110, 7)); // ten deals gone, every amount changed
    const clean = await cleanRun(first, second);

    const older = await putWithoutHandler(stack, first);
    const newer = await putWithoutHandler(stack, second);
    const objects = versionedObjects(stack, [older, first], [newer, second]);
    const ingest = createIngestHandler({ ...stack.runtime, objects });
    const reports = (await Promise.all([newer, older, newer, older].map((event) => ingest(event)))).flat();

    // [newer, older, newer, older]: each newer delivery loads or is the duplicate of the other (a copy delivered
    // while the first still runs loads the same version again: idempotent); each older one loads only if it
    // claimed the key before the newer arrived (the newer then waited for it), else it is ignored.
    const [newerStatuses = [], olderStatuses = []] = [reports.filter((_, index) => index % 2 === 0), reports.filter((_, index) => index % 2 === 1)].map(
      (list) => list.map((report) => report.status),
    );
    expect(newerStatuses).toContain('loaded');
    expect(newerStatuses.every((status) => status === 'loaded' || status === 'duplicate-event')).toBe(true);
    expect(olderStatuses.every((status) => status === 'loaded' || status === 'duplicate-event' || status === 'ignored-older-version')).toBe(true);
    const olderLoaded = olderStatuses.includes('loaded');

    // What reports read — every deal not removed — is exactly the in-order result. Only if the older version
    // loaded first (it claimed before the newer event arrived) do its ten dropped deals also exist, marked removed.
    const table = dealData(await stack.dump('deal'));
    const counted = (items: Record<string, unknown>[]) => items.filter((deal) => !deal.removed);
    expect(counted(table)).toEqual(counted(clean));
    expect(table).toEqual(olderLoaded ? clean : counted(clean));
    expect(await stack.runtime.table.ingestLedgerEntry(stack.aws.bucketName, KEY)).toMatchObject({ status: 'done', sequencer: newer.Records[0]!.s3.object.sequencer });
  });

  it('a newer version arriving while an older one is still loading waits for it, so the older never writes after the newer', async () => {
    const first = salesforceReport(rows(120));
    const second = salesforceReport(rows(110, 7));
    const clean = await cleanRun(first, second);
    const older = await putWithoutHandler(stack, first);
    const newer = await putWithoutHandler(stack, second);
    const objects = versionedObjects(stack, [older, first], [newer, second]);

    // The older run stalls at its first write (a slow, throttled batch) until the newer run has had to wait.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let stalled!: () => void;
    const stalling = new Promise<void>((resolve) => (stalled = resolve));
    const slow = createAwsClients(stack.aws.endpoints);
    injectFault(slow.dynamodb.middlewareStack, async (_request, operation) => {
      if (operation === 'BatchWriteItem') {
        stalled();
        await released;
      }
      return null;
    });
    try {
      const olderRun = createIngestHandler({ ...stack.runtimeWith(slow.documents), objects })(older);
      await stalling;

      let waits = 0;
      const [newerObject] = objectCreatedRecords(newer);
      const newerRun = ingestUpload(newerObject!, {
        store: stack.runtime.table,
        objects,
        config: stack.runtime.config,
        calendar: stack.runtime.calendar,
        clock: stack.runtime.clock,
        scratchDir: stack.scratchDir,
        olderVersionWait: {
          pollMs: 50,
          maxWaitMs: 60_000,
          sleep: async (ms) => {
            waits += 1;
            release();
            await new Promise((resolve) => setTimeout(resolve, ms));
          },
        },
      });
      const [[olderReport], newerReport] = await Promise.all([olderRun, newerRun]);

      expect(waits).toBeGreaterThan(0);
      expect(olderReport?.status).toBe('loaded');
      expect(newerReport.status).toBe('loaded');
      expect(dealData(await stack.dump('deal'))).toEqual(clean);
      expect(await stack.runtime.table.ingestLedgerEntry(stack.aws.bucketName, KEY)).toMatchObject({ status: 'done', sequencer: newerObject!.sequencer });
    } finally {
      release();
      slow.dynamodb.destroy();
      slow.s3.destroy();
      slow.ses.destroy();
    }
  });

  it('a newer version gives up waiting after the bound with a retryable error, and an older claim past the Lambda lease is taken over', async () => {
    const first = salesforceReport(rows(20));
    const second = salesforceReport(rows(20, 3));
    const older = await putWithoutHandler(stack, first);
    const newer = await putWithoutHandler(stack, second);
    const objects = versionedObjects(stack, [older, first], [newer, second]);
    const [olderObject] = objectCreatedRecords(older);
    const [newerObject] = objectCreatedRecords(newer);
    // An older run that claimed the key and died (its ledger entry stays in progress).
    const claimedAt = new Date('2026-11-30T10:00:00Z');
    expect(await stack.runtime.table.claimIngest({ ...olderObject!, startedAt: claimedAt.toISOString() })).toEqual({ outcome: 'claimed' });

    const deps = (now: Date) => ({
      store: stack.runtime.table,
      objects,
      config: stack.runtime.config,
      calendar: stack.runtime.calendar,
      clock: () => now,
      scratchDir: stack.scratchDir,
      olderVersionWait: { pollMs: 10, maxWaitMs: 30, sleep: async () => undefined },
    });
    // Five minutes later the older run may still be alive: wait, then a retryable error saying when to try again —
    // when the older claim's 16-minute lease runs out, 11 minutes on.
    const deferred = await ingestUpload(newerObject!, deps(new Date(claimedAt.getTime() + 5 * 60_000))).catch((error: unknown) => error);
    expect(deferred).toBeInstanceOf(OlderVersionStillLoadingError);
    expect((deferred as OlderVersionStillLoadingError).retryAfterMs).toBe(OLDER_VERSION_WAIT.leaseMs - 5 * 60_000);
    expect(await stack.dump('deal')).toEqual([]);
    // Past the lease no Lambda run can still be writing: the newer version takes over and loads.
    const report = await ingestUpload(newerObject!, deps(new Date(claimedAt.getTime() + OLDER_VERSION_WAIT.leaseMs + 1_000)));
    expect(report.status).toBe('loaded');
    expect(await stack.dump('deal')).toHaveLength(20);
  });

  it('from the ingest queue, a version deferred behind an older one is delayed until the older claim\'s lease runs out, not a whole visibility timeout', async () => {
    const body = salesforceReport(rows(10));
    const newer = await putWithoutHandler(stack, body);
    const [newerObject] = objectCreatedRecords(newer);
    // An older version of the key, claimed a minute ago and still in progress.
    const claimedAt = new Date(Date.now() - 60_000);
    const olderSequencer = '0'.repeat(newerObject!.sequencer.length);
    await stack.runtime.table.claimIngest({ ...newerObject!, sequencer: olderSequencer, startedAt: claimedAt.toISOString() });

    const delayed: { messageId: string; seconds: number }[] = [];
    const record = { messageId: 'm-newer', body: JSON.stringify(newer), receiptHandle: 'receipt-1', eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:revperf-ingest' };
    const handler = createIngestQueueHandler(stack.runtime, {
      olderVersionWait: { pollMs: 5, maxWaitMs: 10, sleep: async () => undefined },
      delayRetry: async (failed, seconds) => {
        delayed.push({ messageId: failed.messageId, seconds });
      },
    });
    expect(await handler({ Records: [record] })).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-newer' }] });
    expect(delayed).toHaveLength(1);
    // 16 minutes from the claim, a minute ago, plus a few seconds' margin.
    expect(delayed[0]!.seconds).toBeGreaterThanOrEqual(15 * 60);
    expect(delayed[0]!.seconds).toBeLessThanOrEqual(15 * 60 + 10);
    expect(await stack.dump('deal')).toEqual([]);

    // A delay that cannot be set still fails the message (SQS retries it after the visibility timeout).
    const failing = createIngestQueueHandler(stack.runtime, {
      olderVersionWait: { pollMs: 5, maxWaitMs: 10, sleep: async () => undefined },
      delayRetry: async () => {
        throw new Error('AccessDenied');
      },
    });
    expect(await failing({ Records: [record] })).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-newer' }] });
  });

  it('converges when every BatchWriteItem meets ProvisionedThroughputExceededException twice (the SDK backs off and retries)', async () => {
    const body = salesforceReport(rows(120));
    const clean = await cleanRun(body);
    const event = await putWithoutHandler(stack, body);

    const faulty = createAwsClients(stack.aws.endpoints);
    const failuresByBody = new Map<string, number>();
    let injected = 0;
    injectFault(faulty.dynamodb.middlewareStack, async (request, operation) => {
      if (operation !== 'BatchWriteItem') return null;
      const seen = failuresByBody.get(String(request.body)) ?? 0;
      if (seen >= 2) return null;
      failuresByBody.set(String(request.body), seen + 1);
      injected += 1;
      return jsonError('ProvisionedThroughputExceededException', 'The level of configured provisioned throughput for the table was exceeded.');
    });
    try {
      const [report] = await createIngestHandler(stack.runtimeWith(faulty.documents))(event);
      expect(report?.status).toBe('loaded');
      expect(injected).toBeGreaterThanOrEqual(2 * 5); // every one of at least five batches failed twice
      expect([...failuresByBody.values()].every((count) => count === 2)).toBe(true);
      expect(dealData(await stack.dump('deal'))).toEqual(clean);
    } finally {
      faulty.dynamodb.destroy();
      faulty.s3.destroy();
      faulty.ses.destroy();
    }
  });

  it('converges when the connection resets after DynamoDB applied a request (every operation, first attempt): no row lost or doubled, no false duplicate', async () => {
    const body = salesforceReport(rows(120));
    const clean = await cleanRun(body);
    const event = await putWithoutHandler(stack, body);

    const faulty = createAwsClients(stack.aws.endpoints);
    const reset = new Set<string>();
    const operations = new Set<string>();
    injectFault(faulty.dynamodb.middlewareStack, async (request, operation, send) => {
      const id = `${operation} ${String(request.body)}`;
      if (reset.has(id)) return null;
      reset.add(id);
      operations.add(operation);
      await send(); // DynamoDB applies it …
      throw connectionReset(); // … and the answer never arrives
    });
    try {
      const [report] = await createIngestHandler(stack.runtimeWith(faulty.documents))(event);
      expect(report?.status).toBe('loaded');
      expect(report?.counts.accepted).toBe(120);
      expect(operations).toContain('BatchWriteItem');
      expect(dealData(await stack.dump('deal'))).toEqual(clean);
      expect(await stack.runtime.table.ingestLedgerEntry(stack.aws.bucketName, KEY)).toMatchObject({ status: 'done' });
    } finally {
      faulty.dynamodb.destroy();
      faulty.s3.destroy();
      faulty.ses.destroy();
    }
  });

  it('retries an S3 read that fails transiently (503 Slow Down, then a reset connection) and loads the file', async () => {
    const body = salesforceReport(rows(60));
    const clean = await cleanRun(body);
    const event = await putWithoutHandler(stack, body);

    const s3 = createS3Client(stack.aws.endpoints);
    const failures: string[] = [];
    injectFault(s3.middlewareStack, async (request) => {
      if (request.method !== 'GET' || failures.length >= 2) return null;
      if (failures.length === 0) {
        failures.push('503');
        return {
          response: new HttpResponse({
            statusCode: 503,
            headers: { 'content-type': 'application/xml' },
            body: Readable.from([Buffer.from('<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>')]),
          }),
        };
      }
      failures.push('reset');
      throw connectionReset();
    });
    try {
      const [report] = await createIngestHandler({ ...stack.runtime, objects: new S3ObjectStore(s3) })(event);
      expect(failures).toEqual(['503', 'reset']);
      expect(report?.status).toBe('loaded');
      expect(dealData(await stack.dump('deal'))).toEqual(clean);
    } finally {
      s3.destroy();
    }
  });

  it('an object deleted before its event is handled gets a clear ingest report, not a retry loop; uploading it again loads it', async () => {
    const body = salesforceReport(rows(30));
    const event = await putWithoutHandler(stack, body);
    await stack.aws.clients.s3.send(new DeleteObjectCommand({ Bucket: stack.aws.bucketName, Key: KEY }));

    // The handler returns (Lambda would not retry it into the dead-letter queue) and says what happened.
    const [report] = await createIngestHandler(stack.runtime)(event);
    expect(report?.status).toBe('refused');
    expect(report?.refusal).toContain(KEY);
    expect(report?.refusal).toMatch(/deleted from the bucket before ingest could read it/);
    expect((await stack.report(KEY)).status).toBe('refused');
    expect(await stack.dump('deal')).toEqual([]);
    expect(await stack.runtime.table.ingestLedgerEntry(stack.aws.bucketName, KEY)).toMatchObject({ status: 'done' });

    // The same event again is a duplicate, not another attempt; a new upload of the key loads.
    const [again] = await createIngestHandler(stack.runtime)(event);
    expect(again?.status).toBe('duplicate-event');
    stack.aws.onObjectCreated('ingest', async (created) => {
      await stack.ingest(created);
    });
    await stack.upload(KEY, body);
    expect((await stack.report(KEY)).status).toBe('loaded');
    expect(await stack.dump('deal')).toHaveLength(30);
  });
});
