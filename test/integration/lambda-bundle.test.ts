// The artifact the stack deploys, run for real: each handler bundled by
// esbuild with the stack's options, loaded in a fresh Node process that only
// has the environment the stack sets (plus emulator endpoints), and invoked
// with a real-shaped event against the embedded AWS.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_MAIN_FIELDS, chartAssetCommands, ESM_REQUIRE_BANNER } from '../../infra/constructs/revperf-function.js';
import { startEmbeddedAws, type EmbeddedAws } from '../../local/embedded-aws.js';
import { TEST_CONFIG } from './harness.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const RESULT_MARK = 'HANDLER-RESULT ';

async function bundle(name: 'ingest' | 'dispatch', outDir: string): Promise<string> {
  const outfile = join(outDir, name, 'index.mjs');
  await build({
    entryPoints: [join(ROOT, 'functions', name, 'handler.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20', // the machine running this test; the stack targets node22, a superset
    mainFields: [...BUNDLE_MAIN_FIELDS],
    banner: { js: ESM_REQUIRE_BANNER },
    minify: true,
    outfile,
    logLevel: 'silent',
  });
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

describe('the deployed bundles', () => {
  let aws: EmbeddedAws;
  let outDir: string;
  let env: Record<string, string>;
  const bundles: Record<string, string> = {};

  beforeAll(async () => {
    aws = await startEmbeddedAws();
    outDir = await mkdtemp(join(tmpdir(), 'revperf-bundle-'));
    bundles.ingest = await bundle('ingest', outDir);
    bundles.dispatch = await bundle('dispatch', outDir);
    // As the stack's afterBundling hook does for a function with chartAssets: the wasm and fonts beside the bundle.
    const copy = spawnSync('bash', ['-c', chartAssetCommands(ROOT, join(outDir, 'dispatch')).join(' && ')], { encoding: 'utf8' });
    if (copy.status !== 0) throw new Error(`copying the chart assets failed: ${copy.stderr}`);
    env = {
      TABLE_NAME: aws.tableName,
      BUCKET_NAME: aws.bucketName,
      REVPERF_CONFIG: JSON.stringify(TEST_CONFIG),
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
    await aws.stop();
    await rm(outDir, { recursive: true, force: true });
  });

  it('ingest: loads an upload from a real-shaped S3 event', async () => {
    const key = 'uploads/deals/crm export.csv';
    const csv = [
      'Opportunity ID,Opportunity Name,Account Name,Opportunity Owner,Stage,Amount,Close Date',
      '006X1,Renewal,Contoso,Ana García,Closed Won,"$12,500.00",11/03/2026',
      '006X2,Upsell,Fabrikam,Ben Okafor,Negotiation/Review,"€8.000,00",12/15/2026',
    ].join('\r\n');
    await aws.clients.s3.send(new PutObjectCommand({ Bucket: aws.bucketName, Key: key, Body: csv }));
    await aws.idle(); // no handler attached in this process: the event is only recorded
    const event = aws.dispatchedEvents.at(-1)!.event;

    const { code, result, stderr } = await invoke(bundles.ingest!, event, env);
    expect(stderr).not.toMatch(/Error/);
    expect(code).toBe(0);
    expect(result).toEqual([expect.objectContaining({ uploadKey: key, status: 'loaded', preset: 'salesforce', counts: expect.objectContaining({ accepted: 2 }) })]);
  });

  it('dispatch: computes and exports the metrics for the scheduled day, and renders the scorecard due on a Monday', async () => {
    const { code, result, stderr } = await invoke(bundles.dispatch!, { source: 'revperf.schedule', scheduledTime: '2026-11-16T12:00:00Z' }, env);
    expect(stderr).not.toMatch(/Error/);
    expect(code).toBe(0);
    expect(result).toMatchObject({
      asOf: '2026-11-16',
      runs: [{ period: 'FY2027-Q4' }, { period: '2026-W47' }],
      due: ['weekly-scorecard'],
      reports: ['reports/weekly-scorecard/2026-W47/organisation.xlsx'],
    });
  });

  it('fails fast, naming the variable, when the stack did not set the environment', async () => {
    const { code, stderr } = await invoke(bundles.ingest!, { Records: [] }, { PATH: process.env.PATH ?? '' });
    expect(code).not.toBe(0);
    expect(stderr).toContain('environment variable REVPERF_CONFIG is not set');
  });
});
