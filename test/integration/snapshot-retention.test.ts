// Growth and re-runs, through the real report run (ingest → prepareReports →
// DynamoDB) on the embedded AWS: the same as-of date run twice replaces that
// day's pipeline and metric snapshots instead of adding items beside them;
// pipeline snapshots expire by TTL after snapshots.pipelineRetentionDays (400
// by default, any configured value followed); metric snapshots are kept; and
// across the whole table, every transient item carries the TTL attribute and
// nothing else does.
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TTL_ATTRIBUTE } from '../../shared/adapters/table-design.js';
import { parseConfig } from '../../shared/config/schema.js';
import { prepareReports } from '../../shared/reports/report-run.js';
import { startLocalStack, TEST_CONFIG, type LocalStack } from './harness.js';

const PEOPLE = ['Name,Email,Team,Manager,Region', 'Ana Peña,ana@northwind.example,West,,Americas', 'Ben Ito,ben@northwind.example,West,,Americas'].join('\n');
const HEADER = 'Deal ID,Deal Name,Account,Owner,Stage,Amount,Close Date,Created Date';
const MONDAY = [
  HEADER,
  'D1,One,Contoso,ana@northwind.example,Proposal/Price Quote,10000,2026-04-10,2026-01-05',
  'D2,Two,Globex,ben@northwind.example,Proposal/Price Quote,20000,2026-04-20,2026-01-05',
  'D3,Three,Umbrella,ana@northwind.example,Proposal/Price Quote,30000,2026-04-25,2026-01-05',
  'D4,Four,Initech,ben@northwind.example,Closed Won,5000,2026-03-02,2026-01-05',
].join('\n');
// Later the same day: D1 won, D2 grew, D5 new. A re-run as of the same date must see only this.
const MONDAY_AGAIN = [
  HEADER,
  'D1,One,Contoso,ana@northwind.example,Closed Won,10000,2026-03-16,2026-01-05',
  'D2,Two,Globex,ben@northwind.example,Proposal/Price Quote,22000,2026-04-20,2026-01-05',
  'D3,Three,Umbrella,ana@northwind.example,Proposal/Price Quote,30000,2026-04-25,2026-01-05',
  'D4,Four,Initech,ben@northwind.example,Closed Won,5000,2026-03-02,2026-01-05',
  'D5,Five,Hooli,ana@northwind.example,Qualification,7000,2026-04-28,2026-03-16',
].join('\n');

const DAY = 86_400;
const epoch = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000;

describe('snapshot re-runs and retention, through the report run', () => {
  let stack: LocalStack;
  /** Every item in the table (tests only: the product never scans). */
  const everything = async () => {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await stack.aws.clients.documents.send(new ScanCommand({ TableName: stack.aws.tableName, ExclusiveStartKey }));
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  };
  const pipelineItems = async (asOf: string) => (await stack.dump('pipeline-snapshot')).filter((item) => String(item.pk).startsWith(`PIPESNAP#${asOf}`));
  const metricItems = async (asOf: string) => (await stack.dump('metric-snapshot')).filter((item) => item.asOf === asOf);

  beforeAll(async () => {
    stack = await startLocalStack(TEST_CONFIG);
    await stack.upload('uploads/people/people.csv', PEOPLE);
    await stack.upload('uploads/deals/deals.csv', MONDAY);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('the same as-of date run twice: the day\'s pipeline and metric snapshots are replaced, not accumulated', async () => {
    await prepareReports(stack.runtime, '2026-03-16');
    expect((await pipelineItems('2026-03-16')).map((item) => item.id).sort()).toEqual(['D1', 'D2', 'D3']);
    const metricsBefore = await metricItems('2026-03-16');
    expect(metricsBefore.length).toBeGreaterThan(0);

    await stack.upload('uploads/deals/deals.csv', MONDAY_AGAIN);
    await prepareReports(stack.runtime, '2026-03-16');
    const pipeline = await pipelineItems('2026-03-16');
    expect(pipeline.map((item) => [item.id, item.amount]).sort()).toEqual([
      ['D2', 2_200_000],
      ['D3', 3_000_000],
      ['D5', 700_000],
    ]);
    expect((await stack.dump('pipeline-snapshot-index')).filter((item) => item.asOf === '2026-03-16')).toHaveLength(1);
    const metricsAfter = await metricItems('2026-03-16');
    expect(metricsAfter.map((item) => item.sk).sort()).toEqual(metricsBefore.map((item) => item.sk).sort());
    const company = (items: Record<string, unknown>[]) =>
      (items.find((item) => String(item.sk).includes('#company#')) as { metrics: { revenue: number } } | undefined)?.metrics.revenue;
    // The re-run's figures, not the first run's: D1 was won in between.
    expect(company(metricsAfter)).toBe((company(metricsBefore) ?? 0) + 1_000_000);
  });

  it('pipeline snapshots expire by TTL 400 days after their as-of date by default; metric snapshots are kept', async () => {
    expect(parseConfig(TEST_CONFIG).snapshots.pipelineRetentionDays).toBe(400);
    const expiry = epoch('2026-03-16') + 400 * DAY;
    for (const item of await pipelineItems('2026-03-16')) expect(item[TTL_ATTRIBUTE]).toBe(expiry);
    expect((await stack.dump('pipeline-snapshot-index')).find((item) => item.asOf === '2026-03-16')?.[TTL_ATTRIBUTE]).toBe(expiry);
    // Long enough for next year's report as of the same week to find it.
    expect(expiry).toBeGreaterThan(epoch('2027-03-15'));
    const metrics = await stack.dump('metric-snapshot');
    expect(metrics.length).toBeGreaterThan(0);
    for (const item of metrics) expect(item).not.toHaveProperty(TTL_ATTRIBUTE);
  });

  it('follows a configured snapshots.pipelineRetentionDays (120): each pipeline snapshot item expires 120 days after its as-of date', async () => {
    const config = parseConfig({ ...TEST_CONFIG, snapshots: { pipelineRetentionDays: 120 } });
    await prepareReports({ ...stack.runtime, config }, '2026-03-23');
    const expiry = epoch('2026-03-23') + 120 * DAY;
    const items = await pipelineItems('2026-03-23');
    expect(items.map((item) => item.id).sort()).toEqual(['D2', 'D3', 'D5']);
    for (const item of items) expect(item[TTL_ATTRIBUTE]).toBe(expiry);
    expect((await stack.dump('pipeline-snapshot-index')).find((item) => item.asOf === '2026-03-23')?.[TTL_ATTRIBUTE]).toBe(expiry);
  });

  it('the TTL attribute is on every transient item (pipeline snapshots and their index) and on no other item in the table', async () => {
    const items = await everything();
    const transient = new Set(['pipeline-snapshot', 'pipeline-snapshot-index']);
    const families = new Set(items.map((item) => String(item.entity)));
    // The run wrote more than snapshots: the check covers deals, people, the ingest ledger and metric snapshots too.
    for (const family of ['deal', 'person', 'ingest-ledger', 'metric-snapshot', ...transient]) expect(families).toContain(family);
    for (const item of items) {
      if (transient.has(String(item.entity))) expect(typeof item[TTL_ATTRIBUTE], `${String(item.pk)} ${String(item.sk)}`).toBe('number');
      else expect(item, `${String(item.pk)} ${String(item.sk)}`).not.toHaveProperty(TTL_ATTRIBUTE);
    }
  });
});
