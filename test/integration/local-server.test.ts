// `revperf local` without a terminal: the embedded AWS kept running in a
// persist folder, the sample organisation uploaded at start, uploads made with
// an S3 client of its own (as `aws s3 cp --endpoint-url` would) ingested as they
// arrive, and the daily dispatch run on a clock advanced by tick() and by the
// HTTP control endpoint; ticks only move forward.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATE_LOCK_FILE } from '../../local/embedded-aws.js';
import {
  CONTROL_FILE,
  findRunningServer,
  postTick,
  simulatedInstant,
  startLocalServer,
  summarize,
  TickRefusedError,
  type LocalServer,
} from '../../local/local-server.js';
import { generateSampleOrg, writeSampleUploads } from '../../local/sample-org/index.js';
import { parseConfig, type RevperfConfig } from '../../shared/config/schema.js';
import { localDateInZone } from '../../shared/domain/local-date.js';

const START = '2026-11-16';

describe('revperf local', () => {
  let work: string;
  let persist: string;
  let data: string;
  let config: RevperfConfig;
  let server: LocalServer | undefined;
  const lines: string[] = [];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'revperf-local-server-'));
    persist = join(work, 'state');
    data = join(work, 'data');
    const org = generateSampleOrg({ asOf: START, dealsScale: 0.1 });
    await writeSampleUploads(org, data);
    config = parseConfig(org.config);
  });
  afterAll(async () => {
    await server?.stop();
    await rm(work, { recursive: true, force: true });
  });

  const metricsKeys = async (s: LocalServer) => {
    const listed = await s.aws.clients.s3.send(new ListObjectsV2Command({ Bucket: s.endpoints.bucketName, Prefix: 'metrics/' }));
    return (listed.Contents ?? []).map((entry) => entry.Key!);
  };
  const dispatchedDays = async (s: LocalServer) => [...new Set((await metricsKeys(s)).map((key) => key.split('/').pop()!.replace('.json', '')))].sort();

  it('starts with the data uploaded and ingested, the dispatch run for the start day, the control file beside the state', async () => {
    server = await startLocalServer({ config, persistDir: persist, dataDir: data, startDay: START, log: (line) => lines.push(line) });
    expect(server.today()).toBe(START);
    expect(lines.some((line) => line.startsWith('✓ uploads/deals/'))).toBe(true);
    expect(lines.some((line) => line.startsWith(`▸ ${START} Mon: `))).toBe(true);
    expect(await dispatchedDays(server)).toEqual([START]);
    const control = JSON.parse(await readFile(join(persist, CONTROL_FILE), 'utf-8')) as { pid: number; url: string };
    expect(control).toMatchObject({ pid: process.pid, url: server.endpoints.control });
    expect(await readdir(persist)).toEqual(expect.arrayContaining([CONTROL_FILE, STATE_LOCK_FILE, 'dynamodb', 's3']));
    expect(server.endpoints.sesViewer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const viewer = await fetch(server.endpoints.sesViewer);
    expect(viewer.status).toBe(200);
    expect(await (await fetch(server.endpoints.sesStore)).json()).toHaveProperty('emails');
  });

  it('ingests an upload made with the printed endpoint and the S3RVER credentials', async () => {
    const s3 = new S3Client({
      endpoint: server!.endpoints.s3,
      region: server!.endpoints.region,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    const body = [
      'Opportunity ID,Opportunity Name,Account Name,Opportunity Owner,Stage,Amount,Opportunity Currency,Close Date,Created Date',
      'X1,Extra,Contoso,Nobody Known,Closed Won,"$1,000.00",USD,11/10/2026,09/01/2026',
    ].join('\n');
    await s3.send(new PutObjectCommand({ Bucket: server!.endpoints.bucketName, Key: 'uploads/deals/cli test/extra.csv', Body: body }));
    s3.destroy();
    await server!.aws.idle();
    const report = await server!.aws.clients.s3.send(
      new GetObjectCommand({ Bucket: server!.endpoints.bucketName, Key: 'ingest-reports/uploads/deals/cli test/extra.csv.json' }),
    );
    expect(JSON.parse(await report.Body!.transformToString())).toMatchObject({ uploadKey: 'uploads/deals/cli test/extra.csv', status: 'loaded' });
    expect(lines).toContain('✓ uploads/deals/cli test/extra.csv [salesforce]: 1 rows read, 1 accepted, 0 skipped, 0 rejected');
  });

  it('runs the dispatch for every day up to the tick, in order, and refuses to go back', async () => {
    const days = await server!.tick('2026-11-18');
    expect(days.map((day) => day.date)).toEqual(['2026-11-17', '2026-11-18']);
    expect(days.every((day) => day.error === undefined && day.summary !== null)).toBe(true);
    expect(server!.today()).toBe('2026-11-18');
    expect(await dispatchedDays(server!)).toEqual([START, '2026-11-17', '2026-11-18']);
    expect(lines.filter((line) => line.startsWith('▸ ')).map((line) => line.slice(2, 16))).toEqual([`${START} Mon`, '2026-11-17 Tue', '2026-11-18 Wed']);

    await expect(server!.tick('2026-11-10')).rejects.toBeInstanceOf(TickRefusedError);
    await expect(server!.tick('2026-11-10')).rejects.toThrow('cannot go back to 2026-11-10: the clock is at 2026-11-18');
    expect(await server!.tick('2026-11-18')).toEqual([]);
    expect((await server!.tick()).map((day) => day.date)).toEqual(['2026-11-19']);
  });

  it('ticks through the HTTP control endpoint found from the control file; refuses an earlier date and a missing token', async () => {
    const running = await findRunningServer(persist);
    expect(running?.content.pid).toBe(process.pid);
    const result = await postTick(running!, '2026-11-21');
    expect(result.today).toBe('2026-11-21');
    expect(result.days.map((day) => day.date)).toEqual(['2026-11-20', '2026-11-21']);
    expect(await dispatchedDays(server!)).toContain('2026-11-21');

    await expect(postTick(running!, '2026-11-01')).rejects.toThrow('cannot go back to 2026-11-01');
    const anonymous = await fetch(`${server!.endpoints.control}/tick`, { method: 'POST', body: '{}' });
    expect(anonymous.status).toBe(401);
    const bad = await fetch(`${server!.endpoints.control}/tick`, {
      method: 'POST',
      headers: { authorization: `Bearer ${running!.content.token}` },
      body: JSON.stringify({ date: '2026-02-30' }),
    });
    expect(bad.status).toBe(400);
    expect(server!.today()).toBe('2026-11-21');
  });

  it('stops cleanly, releasing the lock and the control file, and a later session on the folder sees what the first one did', async () => {
    await server!.stop();
    server = undefined;
    expect(await readdir(persist)).not.toContain(CONTROL_FILE);
    expect(await readdir(persist)).not.toContain(STATE_LOCK_FILE);
    expect(await findRunningServer(persist)).toBeNull();

    server = await startLocalServer({ config, persistDir: persist, startDay: '2026-11-23', log: () => undefined });
    expect(await dispatchedDays(server)).toEqual([START, '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21', '2026-11-23']);
    await server.stop();
    server = undefined;
  });
});

describe('revperf local helpers', () => {
  it('puts the simulated clock on the simulated day in the org time zone, across DST and near midnight', () => {
    for (const zone of ['America/New_York', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Europe/Madrid']) {
      for (const now of ['2026-03-08T04:30:00Z', '2026-11-01T05:59:00Z', '2026-06-15T23:59:59Z', '2026-06-15T00:00:00Z']) {
        for (const day of ['2026-03-08', '2026-11-01', '2026-12-31', '2027-01-01']) {
          expect(localDateInZone(simulatedInstant(day, new Date(now), zone), zone)).toBe(day);
        }
      }
    }
  });

  it('summarizes whatever the dispatch returns on one line', () => {
    expect(summarize({ asOf: '2026-11-16', runs: [{ period: 'FY2027-Q4' }, { period: 'W' }], due: ['weekly-scorecard'], reports: [] })).toBe(
      'asOf=2026-11-16 runs=2 item(s) due=[weekly-scorecard] reports=[]',
    );
    expect(summarize(undefined)).toBe('undefined');
    expect(summarize({ big: 'x'.repeat(500) }).length).toBeLessThanOrEqual(200);
  });
});
