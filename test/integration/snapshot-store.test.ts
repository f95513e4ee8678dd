// What the stored snapshots promise, on the embedded DynamoDB: a re-run as of
// the same date replaces the day's snapshots instead of adding items beside
// them (pipeline and metric); every pipeline snapshot item — the transient
// family, one item per open deal per run — carries the TTL attribute the
// table deletes by, metric snapshots (the record of what was reported) none;
// a day's pipeline snapshot is spread over several partitions; snapshots
// stored before sharding are still read; an expired one counts as gone.
import { PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedAws, type EmbeddedAws } from '../../local/embedded-aws.js';
import { RevperfTable } from '../../shared/adapters/revperf-table.js';
import { PIPELINE_SNAPSHOT_SHARDS, TTL_ATTRIBUTE } from '../../shared/adapters/table-design.js';
import { pipelineSnapshotExpiry } from '../../shared/adapters/table-items.js';
import type { Deal } from '../../shared/domain/types.js';

function deal(id: string, amount: number, closeDate = '2026-03-31'): Deal {
  return {
    id, name: id, account: 'Acme', owner: 'Ana', stage: 'Proposal', stageClass: 'open', probability: 0.5, amount,
    currency: 'USD', originalAmount: amount, closeDate, createdDate: '2026-01-02', pipeline: null, lastActivityDate: null,
  };
}

describe('snapshot store', () => {
  let aws: EmbeddedAws;
  let table: RevperfTable;
  const scan = async (entity: string) =>
    ((await aws.clients.documents.send(new ScanCommand({ TableName: aws.tableName, FilterExpression: 'entity = :e', ExpressionAttributeValues: { ':e': entity } }))).Items ?? []);

  beforeAll(async () => {
    aws = await startEmbeddedAws();
    table = new RevperfTable(aws.clients.documents, aws.tableName);
  });
  afterAll(async () => {
    await aws?.stop();
  });

  it('replaces the day\'s pipeline snapshot on a re-run as of the same date (no items left beside it)', async () => {
    const deals = Array.from({ length: 40 }, (_, index) => deal(`D${index}`, 1_000 + index));
    const expiry = pipelineSnapshotExpiry('2026-02-02', 400);
    await table.putPipelineSnapshot('2026-02-02', deals, new Map([['D1', 2]]), expiry);
    // The re-run: ten deals closed or were removed since, one changed, one is new.
    const rerun = [...deals.slice(10).map((d) => (d.id === 'D20' ? { ...d, amount: 99 } : d)), deal('N1', 5)];
    await table.putPipelineSnapshot('2026-02-02', rerun, null, expiry);
    const items = (await scan('pipeline-snapshot')).filter((item) => String(item.pk).startsWith('PIPESNAP#2026-02-02'));
    expect(items.map((item) => item.id).sort()).toEqual(rerun.map((d) => d.id).sort());
    const read = await table.latestPipelineSnapshotBefore('2026-02-03');
    expect(read?.asOf).toBe('2026-02-02');
    expect(read?.deals.find((d) => d.id === 'D20')?.amount).toBe(99);
    expect(read?.deals).toHaveLength(31);
    expect(read?.deals.every((d) => !(TTL_ATTRIBUTE in d))).toBe(true);
  });

  it('spreads a day over several partitions, each item and the index entry with the TTL (400 days by default)', async () => {
    const expiry = pipelineSnapshotExpiry('2026-02-09', 400);
    expect(expiry).toBe(Date.UTC(2027, 2, 16) / 1000); // 2026-02-09 + 400 days = 2027-03-16
    await table.putPipelineSnapshot('2026-02-09', Array.from({ length: 64 }, (_, index) => deal(`S${index}`, 10)), null, expiry);
    const items = await scan('pipeline-snapshot');
    const day = items.filter((item) => String(item.pk).startsWith('PIPESNAP#2026-02-09'));
    expect(day).toHaveLength(64);
    expect(new Set(day.map((item) => item.pk)).size).toBeGreaterThan(PIPELINE_SNAPSHOT_SHARDS / 2);
    // Every transient item carries the TTL attribute: all pipeline snapshot items and their index entries.
    for (const item of [...items, ...(await scan('pipeline-snapshot-index'))]) expect(typeof item[TTL_ATTRIBUTE]).toBe('number');
    expect((await scan('pipeline-snapshot-index')).find((item) => item.asOf === '2026-02-09')?.[TTL_ATTRIBUTE]).toBe(expiry);
  });

  it('keeps metric snapshots (no TTL) and replaces a re-run\'s entities, dropping ones the re-run no longer has', async () => {
    const entity = (id: string, revenue: number) => ({ level: 'rep', id, revenue });
    await table.putMetricSnapshot('FY2026-Q1', '2026-02-02', [entity('ana', 1), entity('ben', 2), entity('old', 3)]);
    await table.putMetricSnapshot('FY2026-Q1', '2026-02-02', [entity('ana', 10), entity('ben', 20)]);
    const stored = await table.latestMetricSnapshotBefore<{ id: string; revenue: number }>('FY2026-Q1', '2026-02-03');
    expect(stored?.entities.map((e) => [e.id, e.revenue]).sort()).toEqual([['ana', 10], ['ben', 20]]);
    const items = await scan('metric-snapshot');
    expect(items.length).toBe(2);
    expect(items.every((item) => !(TTL_ATTRIBUTE in item))).toBe(true);
  });

  it('reads a snapshot stored before sharding (one partition, no shard count)', async () => {
    const documents = aws.clients.documents;
    await documents.send(new PutCommand({ TableName: aws.tableName, Item: { pk: 'PIPESNAP#2025-12-01', sk: 'DEAL#L1', entity: 'pipeline-snapshot', ...deal('L1', 7), closeDate: '2025-12-20' } }));
    await documents.send(new PutCommand({ TableName: aws.tableName, Item: { pk: 'PIPESNAPS', sk: '2025-12-01', entity: 'pipeline-snapshot-index', asOf: '2025-12-01', deals: 1 } }));
    const legacy = await table.latestPipelineSnapshotBefore('2025-12-02');
    expect(legacy?.deals.map((d) => [d.id, d.amount])).toEqual([['L1', 7]]);
    // A re-run of that day writes it sharded and clears the old partition.
    await table.putPipelineSnapshot('2025-12-01', [deal('L2', 8)], null, pipelineSnapshotExpiry('2025-12-01', 400));
    const old = await documents.send(new QueryCommand({ TableName: aws.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'PIPESNAP#2025-12-01' } }));
    expect(old.Items).toEqual([]);
    expect((await table.latestPipelineSnapshotBefore('2025-12-02'))?.deals.map((d) => d.id)).toEqual(['L2']);
  });

  it('treats a snapshot expired by the day asked about as gone, even while its TTL deletion is pending', async () => {
    await table.putPipelineSnapshot('2024-01-08', [deal('E1', 1)], null, pipelineSnapshotExpiry('2024-01-08', 100));
    expect((await table.latestPipelineSnapshotBefore('2024-02-01'))?.asOf).toBe('2024-01-08');
    expect(await table.latestPipelineSnapshotBefore('2024-06-01')).toBeNull(); // 100 days later: expired
    expect(await table.earliestPipelineSnapshotBetween('2024-01-01', '2024-06-01')).toBeNull();
  });
});
