// The download function against the embedded S3: a signed link is checked and
// redirected to a 5-minute presigned GET that downloads the stored workbook; an
// expired or tampered link is refused. Then the whole way round: the deliver
// worker's link (signed with the runtime's DOWNLOAD_URL and the secret from a
// Secrets Manager stand-in) opened through a Function-URL-shaped HTTP server.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDownloadHandler, REDIRECT_EXPIRY_SECONDS, type FunctionUrlEvent } from '../../functions/download/download-handler.js';
import { deliverDependencies } from '../../functions/deliver/deliver-handler.js';
import { runtimeFromEnv } from '../../functions/runtime.js';
import { S3ObjectStore } from '../../shared/adapters/object-store.js';
import { parseConfig } from '../../shared/config/schema.js';
import { deliveryNotice } from '../../shared/delivery/deliver-report.js';
import type { DeliveryJob } from '../../shared/delivery/delivery-job.js';
import { signDownloadLink } from '../../shared/delivery/download-link.js';
import { startEmbeddedAws, type EmbeddedAws } from '../../local/embedded-aws.js';
import { silentLogger } from '../../local/silent-logger.js';
import { startSecretsManagerStandIn, type SecretsManagerStandIn } from '../support/secrets-manager-stand-in.js';
import { TEST_CONFIG } from './harness.js';

const SECRET = 'dL7pQ2vX9mK4wN8rT1yB6cF3hJ5sA0gE2uI7oP4zV9xR3kM6nW1qY8tL5bC0dH2j';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:revperf-download-AbCdEf';
const KEY = 'reports/pre-review-pack/FY2027-Q1/team-münchen & co.xlsx';
const WORKBOOK = Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7919) % 251));
const NOW = new Date('2026-11-16T12:00:00Z');
const HOUR = 3_600_000;
const JOB: DeliveryJob = { kind: 'pre-review-pack', periodId: 'FY2027-Q1', asOf: '2026-04-27', dispatchedOn: '2026-04-27', late: false, scope: { level: 'company' }, dataKey: 'reports/pre-review-pack/FY2027-Q1/metrics.json' };

/** A Function URL in front of the handler: the query URL-decoded into queryStringParameters, the result as the response. */
async function functionUrl(handler: (event: FunctionUrlEvent) => Promise<{ statusCode: number; headers: Record<string, string>; body?: string }>) {
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const query = Object.fromEntries(url.searchParams);
    void handler({ queryStringParameters: Object.keys(query).length > 0 ? query : undefined }).then((result) => {
      response.writeHead(result.statusCode, result.headers).end(result.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('the download function', () => {
  let aws: EmbeddedAws;
  let clock = () => NOW;
  let handler: ReturnType<typeof createDownloadHandler>;
  const query = (link: string) => Object.fromEntries(new URL(link).searchParams);
  const link = (expiresAt: Date, key = KEY) => signDownloadLink('https://dl.example/', key, expiresAt, SECRET);

  beforeAll(async () => {
    aws = await startEmbeddedAws();
    await aws.clients.s3.send(new PutObjectCommand({ Bucket: aws.bucketName, Key: KEY, Body: WORKBOOK }));
    handler = createDownloadHandler({
      objects: new S3ObjectStore(aws.clients.s3),
      bucketName: aws.bucketName,
      secret: async () => SECRET,
      clock: () => clock(),
      logger: silentLogger(),
    });
  });
  afterAll(async () => {
    await aws?.stop();
  });

  it('redirects a valid link to a 5-minute presigned GET that downloads the object, and tells caches to keep nothing', async () => {
    clock = () => new Date();
    const result = await handler({ queryStringParameters: query(link(new Date(Date.now() + 72 * HOUR))) });
    expect(result.statusCode).toBe(302);
    expect(result.headers['Cache-Control']).toBe('no-store');
    const location = result.headers.Location!;
    expect(new URL(location).searchParams.get('X-Amz-Expires')).toBe(String(REDIRECT_EXPIRY_SECONDS));
    const response = await fetch(location);
    expect(response.status).toBe(200);
    expect(Buffer.compare(Buffer.from(await response.arrayBuffer()), WORKBOOK)).toBe(0);
  });

  it('answers 410 to an expired link, with a short plain-text body', async () => {
    clock = () => NOW;
    const result = await handler({ queryStringParameters: query(link(new Date(NOW.getTime() - 1000))) });
    expect(result).toEqual({ statusCode: 410, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }, body: expect.stringMatching(/expired/) });
    expect(result.headers.Location).toBeUndefined();
  });

  it('answers 403 to a tampered key, expiry or signature, and to a key outside reports/ — naming nothing internal', async () => {
    clock = () => NOW;
    const valid = query(link(new Date(NOW.getTime() + HOUR)));
    const tampered = [
      { ...valid, key: 'reports/pre-review-pack/FY2027-Q1/organisation.xlsx' },
      { ...valid, exp: String(Number(valid.exp) + 7 * 24 * 3600) },
      { ...valid, sig: valid.sig!.replace(/^./, (c) => (c === 'f' ? 'e' : 'f')) },
      { ...valid, key: 'uploads/people/people.csv' },
      { ...valid, key: 'reports/../uploads/people/people.csv' },
    ];
    for (const queryStringParameters of tampered) {
      const result = await handler({ queryStringParameters });
      expect(result.statusCode, JSON.stringify(queryStringParameters)).toBe(403);
      expect(result.headers.Location).toBeUndefined();
      expect(result.body).not.toMatch(/reports\/|uploads\/|sig|hmac|bucket|revperf-local/i);
    }
  });

  it('answers 400 to a link without its parameters', async () => {
    expect((await handler({})).statusCode).toBe(400);
    expect((await handler({ queryStringParameters: { key: KEY } })).statusCode).toBe(400);
  });

  it('answers 500, plainly, when the secret cannot be read', async () => {
    const failing = createDownloadHandler({
      objects: new S3ObjectStore(aws.clients.s3),
      bucketName: aws.bucketName,
      secret: async () => {
        throw new Error('AccessDeniedException: arn:aws:secretsmanager:…');
      },
      clock: () => NOW,
      logger: silentLogger(),
    });
    const result = await failing({ queryStringParameters: query(link(new Date(NOW.getTime() + HOUR))) });
    expect(result.statusCode).toBe(500);
    expect(result.body).not.toMatch(/AccessDenied|arn:/);
  });

  describe("the deliver worker's links", () => {
    let secrets: SecretsManagerStandIn;
    let server: Awaited<ReturnType<typeof functionUrl>>;
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };

    beforeAll(async () => {
      secrets = await startSecretsManagerStandIn({ [SECRET_ARN]: SECRET });
      server = await functionUrl(handler);
      // The runtime's Secrets Manager client uses the default credential chain, as in Lambda.
      process.env.AWS_ACCESS_KEY_ID = 'local';
      process.env.AWS_SECRET_ACCESS_KEY = 'local';
    });
    afterAll(async () => {
      await server?.stop();
      await secrets?.stop();
      process.env.AWS_ACCESS_KEY_ID = saved.id;
      process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
      if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
    });

    const env = (extra: Record<string, string>) => ({
      REVPERF_CONFIG: JSON.stringify({ ...TEST_CONFIG, mail: { ...TEST_CONFIG.mail, maxAttachmentBytes: 1024, linkExpiryHours: 168 } }),
      TABLE_NAME: aws.tableName,
      BUCKET_NAME: aws.bucketName,
      AWS_REGION: 'us-east-1',
      REVPERF_SECRETSMANAGER_ENDPOINT: secrets.url,
      ...extra,
    });

    it('a workbook too large to attach gets a link that works until exactly linkExpiryHours after sending, then 410', async () => {
      const runtime = runtimeFromEnv(env({ DOWNLOAD_URL: server.url, DOWNLOAD_SECRET_ARN: SECRET_ARN }));
      const sentAt = new Date();
      const deps = { ...deliverDependencies(runtime), clock: () => sentAt };
      expect(deps.downloadLinks).toBeDefined();
      const stored = { kind: JOB.kind, periodId: JOB.periodId, scope: JOB.scope, keys: { xlsx: KEY } };
      const notice = await deliveryNotice(deps, JOB, stored, { xlsx: WORKBOOK });
      expect(notice.attachment).toBeUndefined();
      const { url, expiresAt } = notice.link!;
      expect(url.startsWith(`${server.url}?key=`)).toBe(true);
      // What the e-mail promises is what the link carries: 168 hours after sending, to the second.
      expect(expiresAt.getTime()).toBe(Math.floor(sentAt.getTime() / 1000) * 1000 + 168 * HOUR);
      expect(Number(new URL(url).searchParams.get('exp')) * 1000).toBe(expiresAt.getTime());

      clock = () => new Date();
      const response = await fetch(url); // follows the 302 to the embedded S3
      expect(response.status).toBe(200);
      expect(Buffer.compare(Buffer.from(await response.arrayBuffer()), WORKBOOK)).toBe(0);

      clock = () => new Date(expiresAt.getTime() - 1000);
      expect((await fetch(url, { redirect: 'manual' })).status).toBe(302);
      clock = () => expiresAt;
      const expired = await fetch(url, { redirect: 'manual' });
      expect(expired.status).toBe(410);
      expect(expired.headers.get('location')).toBeNull();

      // Read from Secrets Manager once for the container, not once per link.
      await deliveryNotice(deps, JOB, stored, { xlsx: WORKBOOK });
      expect(secrets.requests).toEqual([SECRET_ARN]);
    });

    it('without DOWNLOAD_URL and DOWNLOAD_SECRET_ARN (the local stack) the link is a direct presigned S3 URL', async () => {
      expect(runtimeFromEnv(env({})).downloadLinks).toBeUndefined();
      expect(runtimeFromEnv(env({ DOWNLOAD_URL: server.url })).downloadLinks).toBeUndefined();
      const deps = { ...deliverDependencies(runtimeFromEnv(env({}))), config: parseConfig({ ...TEST_CONFIG, mail: { ...TEST_CONFIG.mail, maxAttachmentBytes: 1024 } }) };
      const notice = await deliveryNotice(deps, JOB, { kind: JOB.kind, periodId: JOB.periodId, scope: JOB.scope, keys: { xlsx: KEY } }, { xlsx: WORKBOOK });
      expect(notice.link!.url).toMatch(/X-Amz-Expires=259200/);
    });
  });
});
