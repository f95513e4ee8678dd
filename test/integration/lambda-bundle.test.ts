// The artifact the stack deploys, run for real: each handler bundled by
// esbuild with the stack's options, loaded in a fresh Node process that only
// has the environment the stack sets (plus emulator endpoints), and invoked
// with a real-shaped event against the embedded AWS.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { esbuildOptions } from '../../infra/constructs/function-bundling.js';
import { bundledConfigCommands, chartAssetCommands } from '../../infra/constructs/revperf-function.js';
import { parseConfig } from '../../shared/config/schema.js';
import { startEmbeddedAws, type EmbeddedAws } from '../../local/embedded-aws.js';
import { signDownloadLink } from '../../shared/delivery/download-link.js';
import { startSecretsManagerStandIn, type SecretsManagerStandIn } from '../support/secrets-manager-stand-in.js';
import { TEST_CONFIG } from './harness.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const RESULT_MARK = 'HANDLER-RESULT ';
const DOWNLOAD_SECRET = 'bundle-test-link-key-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGH';
const DOWNLOAD_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:revperf-download-XyZ123';

async function bundle(name: 'ingest' | 'dispatch' | 'deliver' | 'download', outDir: string): Promise<string> {
  const outfile = join(outDir, name, 'index.mjs');
  // The stack's options; target node20, the machine running this test (the stack targets node22, a superset).
  await build(esbuildOptions(join(ROOT, 'functions', name, 'handler.ts'), outfile, { target: 'node20' }));
  return outfile;
}

/** Loads the bundle in a fresh process and invokes `handler(event)`, like the Lambda runtime. */
function invoke(bundlePath: string, event: unknown, env: Record<string, string>): Promise<{ code: number | null; result: unknown; stderr: string }> {
  // Like the Lambda runtime, the process does not wait for idle keep-alive sockets: it exits after the handler returns.
  const script = [
    `const { handler } = await import(${JSON.stringify(bundlePath)});`,
    `const result = await handler(${JSON.stringify(event)});`,
    `process.stdout.write('\\n' + ${JSON.stringify(RESULT_MARK)} + JSON.stringify(result ?? null) + '\\n');`,
    'process.exit(0);',
  ].join('\n');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => {
      // Powertools logs go to stdout too; the result is the marked line.
      const line = stdout.split('\n').find((candidate) => candidate.startsWith(RESULT_MARK));
      resolve({ code, result: line ? JSON.parse(line.slice(RESULT_MARK.length)) : null, stderr });
    });
  });
}

interface SqsStandIn {
  url: string;
  /** Bodies of the messages the dispatch sent. */
  messages: string[];
  stop(): Promise<void>;
}

/** SQS's SendMessageBatch (JSON protocol) and nothing else: there is no SQS emulator, and this is all the dispatch calls. */
async function startSqsStandIn(): Promise<SqsStandIn> {
  const messages: string[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (request.headers['x-amz-target'] !== 'AmazonSQS.SendMessageBatch') {
        response.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify({ __type: 'UnsupportedOperation' }));
        return;
      }
      const entries = (JSON.parse(body) as { Entries: { Id: string; MessageBody: string }[] }).Entries;
      messages.push(...entries.map((entry) => entry.MessageBody));
      const md5 = (text: string) => createHash('md5').update(text).digest('hex');
      const successful = entries.map((entry) => ({ Id: entry.Id, MessageId: randomUUID(), MD5OfMessageBody: md5(entry.MessageBody) }));
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify({ Successful: successful, Failed: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, messages, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('the deployed bundles', () => {
  let aws: EmbeddedAws;
  let outDir: string;
  let env: Record<string, string>;
  let sqs: SqsStandIn;
  let secrets: SecretsManagerStandIn;
  const bundles: Record<string, string> = {};

  beforeAll(async () => {
    aws = await startEmbeddedAws();
    outDir = await mkdtemp(join(tmpdir(), 'revperf-bundle-'));
    bundles.ingest = await bundle('ingest', outDir);
    bundles.dispatch = await bundle('dispatch', outDir);
    bundles.deliver = await bundle('deliver', outDir);
    bundles.download = await bundle('download', outDir);
    // As the stack's afterBundling hook does for a function with chartAssets: the wasm and fonts beside the bundle.
    for (const name of ['dispatch', 'deliver']) {
      const copy = spawnSync('bash', ['-c', chartAssetCommands(ROOT, join(outDir, name)).join(' && ')], { encoding: 'utf8' });
      if (copy.status !== 0) throw new Error(`copying the chart assets failed: ${copy.stderr}`);
    }
    // As the stack's afterBundling hook does for every function given the config: revperf.config.json beside the bundle.
    const config = parseConfig({ ...TEST_CONFIG, mail: { ...TEST_CONFIG.mail, leadership: ['vp.sales@northwind.example'] } });
    for (const name of ['ingest', 'dispatch', 'deliver']) {
      const write = spawnSync('bash', ['-c', bundledConfigCommands(join(outDir, name), config).join(' && ')], { encoding: 'utf8' });
      if (write.status !== 0) throw new Error(`writing the bundled config failed: ${write.stderr}`);
    }
    sqs = await startSqsStandIn();
    secrets = await startSecretsManagerStandIn({ [DOWNLOAD_SECRET_ARN]: DOWNLOAD_SECRET });
    env = {
      TABLE_NAME: aws.tableName,
      BUCKET_NAME: aws.bucketName,
      DELIVERY_QUEUE_URL: `${sqs.url}/000000000000/revperf-delivery`,
      REVPERF_SQS_ENDPOINT: sqs.url,
      POWERTOOLS_SERVICE_NAME: 'revperf-test',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'S3RVER', // s3rver insists on these; the other emulators accept any
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      REVPERF_DYNAMODB_ENDPOINT: aws.endpoints.dynamodb!,
      REVPERF_S3_ENDPOINT: aws.endpoints.s3!,
      REVPERF_SES_ENDPOINT: aws.endpoints.ses!,
    };
  });
  afterAll(async () => {
    await sqs.stop();
    await secrets.stop();
    await aws.stop();
    await rm(outDir, { recursive: true, force: true });
  });

  it('ingest: loads an upload from the ingest queue (an SQS message wrapping a real-shaped S3 event), acknowledges S3\'s test event, fails a malformed message alone', async () => {
    const key = 'uploads/deals/crm export.csv';
    const csv = [
      'Opportunity ID,Opportunity Name,Account Name,Opportunity Owner,Stage,Amount,Close Date',
      '006X1,Renewal,Contoso,Ana García,Closed Won,"$12,500.00",11/03/2026',
      '006X2,Upsell,Fabrikam,Ben Okafor,Negotiation/Review,"€8.000,00",12/15/2026',
    ].join('\r\n');
    await aws.clients.s3.send(new PutObjectCommand({ Bucket: aws.bucketName, Key: key, Body: csv }));
    await aws.idle(); // no handler attached in this process: the event is only recorded
    const s3Event = aws.dispatchedEvents.at(-1)!.event;
    const sqsRecord = (messageId: string, body: string) => ({
      messageId,
      receiptHandle: `${messageId}-receipt`,
      body,
      attributes: { ApproximateReceiveCount: '1' },
      messageAttributes: {},
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:RevperfReporting-IngestQueue',
      awsRegion: 'us-east-1',
    });
    const testEvent = { Service: 'Amazon S3', Event: 's3:TestEvent', Time: '2026-11-16T12:00:00.000Z', Bucket: aws.bucketName, RequestId: 'R', HostId: 'H' };

    const { code, result, stderr } = await invoke(
      bundles.ingest!,
      { Records: [sqsRecord('m-test', JSON.stringify(testEvent)), sqsRecord('m-upload', JSON.stringify(s3Event)), sqsRecord('m-garbled', 'not json')] },
      env,
    );
    expect(code).toBe(0);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-garbled' }] });
    expect(stderr).not.toMatch(/Uncaught|ERR_/);
    const stored = await aws.clients.s3.send(new GetObjectCommand({ Bucket: aws.bucketName, Key: `ingest-reports/${key}.json` }));
    const report = JSON.parse(await stored.Body!.transformToString()) as Record<string, unknown>;
    expect(report).toMatchObject({ uploadKey: key, status: 'loaded', preset: 'salesforce', counts: expect.objectContaining({ accepted: 2 }) });
  });

  it('dispatch then deliver: the Monday tick queues the scorecard, the worker renders it and mails leadership', async () => {
    const { code, result, stderr } = await invoke(bundles.dispatch!, { source: 'revperf.schedule', scheduledTime: '2026-11-16T12:00:00Z' }, env);
    expect(stderr).not.toMatch(/Error/);
    expect(code).toBe(0);
    expect(result).toMatchObject({
      asOf: '2026-11-16',
      runs: [{ period: 'FY2027-Q4' }, { period: '2026-W47' }],
      queued: [{ report: 'weekly-scorecard', period: '2026-W47', dueOn: '2026-11-16', late: false, jobs: 1 }],
    });
    expect(sqs.messages).toHaveLength(1);
    const job = JSON.parse(sqs.messages[0]!) as { kind: string; scope: unknown };
    expect(job).toMatchObject({ kind: 'weekly-scorecard', scope: { level: 'company' } });

    const delivered = await invoke(bundles.deliver!, { Records: [{ messageId: 'm-1', body: sqs.messages[0] }] }, env);
    expect(delivered.stderr).not.toMatch(/Error/);
    expect(delivered.code).toBe(0);
    expect(delivered.result).toEqual({ batchItemFailures: [] });
    const store = (await (await fetch(`${aws.sesUrl}/store`)).json()) as { emails: { destination: { to: string[] } }[] };
    expect(store.emails.map((email) => email.destination.to)).toEqual([['vp.sales@northwind.example']]);
  });

  it('download: redirects a signed link to the workbook (secret from Secrets Manager), refuses a tampered one', async () => {
    const key = 'reports/pre-review-pack/FY2027-Q4/organisation.xlsx';
    const workbook = Buffer.from('PK\u0003\u0004 not really a workbook, but bytes all the same');
    await aws.clients.s3.send(new PutObjectCommand({ Bucket: aws.bucketName, Key: key, Body: workbook }));
    const link = new URL(signDownloadLink('https://dl.example/', key, new Date(Date.now() + 3_600_000), DOWNLOAD_SECRET));
    const downloadEnv = {
      BUCKET_NAME: aws.bucketName,
      DOWNLOAD_SECRET_ARN,
      REVPERF_SECRETSMANAGER_ENDPOINT: secrets.url,
      POWERTOOLS_SERVICE_NAME: 'revperf-test',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      REVPERF_S3_ENDPOINT: aws.endpoints.s3!,
    };
    // A Function URL event (payload 2.0), as Lambda hands it over: the query decoded into queryStringParameters.
    const event = (query: Record<string, string>) => ({
      version: '2.0',
      rawPath: '/',
      rawQueryString: new URLSearchParams(query).toString(),
      queryStringParameters: query,
      requestContext: { http: { method: 'GET', path: '/' } },
      isBase64Encoded: false,
    });
    const query = Object.fromEntries(link.searchParams);
    const { code, result, stderr } = await invoke(bundles.download!, event(query), downloadEnv);
    expect(stderr).not.toMatch(/Error/);
    expect(code).toBe(0);
    const { statusCode, headers } = result as { statusCode: number; headers: Record<string, string> };
    expect(statusCode).toBe(302);
    expect(headers['Cache-Control']).toBe('no-store');
    expect(Buffer.from(await (await fetch(headers.Location!)).arrayBuffer())).toEqual(workbook);
    expect(secrets.requests).toEqual([DOWNLOAD_SECRET_ARN]);

    const tampered = await invoke(bundles.download!, event({ ...query, key: 'reports/pre-review-pack/FY2027-Q4/team-west.xlsx' }), downloadEnv);
    expect(tampered.result).toMatchObject({ statusCode: 403 });
    expect((tampered.result as { headers: Record<string, string> }).headers.Location).toBeUndefined();
  });

  it('fails fast, naming the variable, when the stack did not set the environment', async () => {
    const { code, stderr } = await invoke(bundles.ingest!, { Records: [] }, { PATH: process.env.PATH ?? '' });
    expect(code).not.toBe(0);
    expect(stderr).toContain('environment variable TABLE_NAME is not set');
  });

  it('fails fast, naming the file and the override, when the bundle carries no config', async () => {
    const bare = await bundle('ingest', join(outDir, 'without-config'));
    const { code, stderr } = await invoke(bare, { Records: [] }, env);
    expect(code).not.toBe(0);
    expect(stderr).toContain(`${join(outDir, 'without-config', 'ingest', 'revperf.config.json')} is not in the function bundle`);
    expect(stderr).toContain('REVPERF_CONFIG is not set');
  });

  it('reads REVPERF_CONFIG before the bundled file: local runs and tests can override it', async () => {
    const bare = await bundle('ingest', join(outDir, 'overridden'));
    const { code, result } = await invoke(bare, { Records: [] }, { ...env, REVPERF_CONFIG: JSON.stringify(TEST_CONFIG) });
    expect(code).toBe(0);
    expect(result).toEqual({ batchItemFailures: [] });
  });
});
