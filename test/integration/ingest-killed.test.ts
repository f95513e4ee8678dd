// Ingest killed part-way, then retried: the function dies after k of its
// BatchWriteItem requests (the first, one in the middle, the last), the same
// upload is ingested again with a healthy client, and the whole table — every
// item of every kind, attribute by attribute — and the ingest report equal a
// single clean ingest of the same file into a fresh table.
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ingestReportKeys } from '../../shared/adapters/bucket-layout.js';
import { createIngestHandler } from '../../functions/ingest/ingest-handler.js';
import { startLocalStack, TEST_CONFIG, type LocalStack } from './harness.js';
import { killedAfterBatches, ProcessKilledError, salesforceReport, uploadWithoutHandler } from './ingest-fault-clients.js';

const KEY = 'uploads/deals/Salesforce Opportunities – Nov.csv';
const NOW = new Date('2026-11-20T14:00:00.000Z');

/** 1,262 rows: three flushes of the sink (500, 500, the rest), each many BatchWrites; two rows rejected. */
const ROWS = [
  ...Array.from({ length: 1_260 }, (_, index) => [
    `006K${String(index).padStart(6, '0')}`,
    `Renewal ${index}`,
    `Account ${index % 31}`,
    ['Ana García', 'Ben Okafor', 'Chen Wei'][index % 3]!,
    ['Closed Won', 'Closed Lost', 'Negotiation/Review', 'Prospecting'][index % 4]!,
    `$${(1_000 + index * 137).toLocaleString('en-US')}.${String(index % 100).padStart(2, '0')}`,
    index % 5 === 0 ? 'EUR' : 'USD',
    ['100', '0', '90', '10'][index % 4]!,
    `${(index % 12) + 1}/${String((index % 28) + 1).padStart(2, '0')}/2026`,
    '1/5/2026',
  ]),
  ['006KBAD001', 'Broken amount', 'Acme', 'Ana García', 'Closed Won', '12,3,4x', 'USD', '100', '11/5/2026', '9/1/2026'],
  ['006KBAD002', 'Broken date', 'Acme', 'Ben Okafor', 'Prospecting', '$5,000.00', 'USD', '10', '31/31/2026', '9/1/2026'],
];
const FILE = salesforceReport(ROWS);

/** Every item of the table, sorted by key, with the run's S3 sequencer (it differs between stacks) written as <sequencer>. */
async function wholeTable(stack: LocalStack, sequencer: string): Promise<unknown[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await stack.aws.clients.documents.send(new ScanCommand({ TableName: stack.aws.tableName, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  items.sort((a, b) => `${a.pk}\u0000${a.sk}`.localeCompare(`${b.pk}\u0000${b.sk}`));
  return items.map((item) => withoutSequencer(item, sequencer));
}

async function ingestReport(stack: LocalStack, sequencer: string): Promise<unknown> {
  const object = await stack.aws.clients.s3.send(new GetObjectCommand({ Bucket: stack.aws.bucketName, Key: ingestReportKeys(KEY).json }));
  return withoutSequencer(JSON.parse(await object.Body!.transformToString('utf-8')), sequencer);
}

function withoutSequencer(value: unknown, sequencer: string): unknown {
  if (typeof value === 'string') return value.split(sequencer).join('<sequencer>');
  if (Array.isArray(value)) return value.map((element) => withoutSequencer(element, sequencer));
  if (value instanceof Set) return new Set([...value].map((element) => withoutSequencer(element, sequencer)));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, element]) => [key, withoutSequencer(element, sequencer)]));
  }
  return value;
}

const startStack = () => startLocalStack(TEST_CONFIG, { clock: () => NOW });

describe('ingest killed after k batches, retried', () => {
  /** The table and report of one clean ingest of FILE into a fresh table, and how many BatchWrites it took. */
  let clean: { table: unknown[]; report: unknown; batchWrites: number };
  beforeAll(async () => {
    const stack = await startStack();
    try {
      const event = await uploadWithoutHandler(stack, KEY, FILE);
      const counting = killedAfterBatches(stack.aws.clients.documents, Number.POSITIVE_INFINITY);
      const [report] = await createIngestHandler(stack.runtimeWith(counting.client))(event);
      expect(report?.status).toBe('loaded-with-rejections');
      const sequencer = event.Records[0]!.s3.object.sequencer;
      clean = { table: await wholeTable(stack, sequencer), report: await ingestReport(stack, sequencer), batchWrites: counting.batchWrites };
    } finally {
      await stack.stop();
    }
    // 1,260 deals in BatchWrites of 25 at most: the cases below really do fall first, in the middle and last.
    expect(clean.batchWrites).toBeGreaterThanOrEqual(Math.ceil(1_260 / 25));
  });

  let stack: LocalStack | undefined;
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });

  const cases: [string, (total: number) => number][] = [
    ['after the first batch', () => 1],
    ['after a batch in the middle', (total) => Math.floor(total / 2)],
    ['after the second-to-last batch to complete', (total) => total - 1],
    ['after the last batch (every deal written, the ledger not yet done)', (total) => total],
  ];
  it.each(cases)('killed %s, retried: the table and the report equal a clean ingest of the file into a fresh table', async (_name, kOf) => {
    const k = kOf(clean.batchWrites);
    stack = await startStack();
    const event = await uploadWithoutHandler(stack, KEY, FILE);
    const sequencer = event.Records[0]!.s3.object.sequencer;

    const killed = killedAfterBatches(stack.aws.clients.documents, k);
    await expect(createIngestHandler(stack.runtimeWith(killed.client))(event)).rejects.toBeInstanceOf(ProcessKilledError);
    expect(killed.refused).toBeGreaterThan(0);
    expect(await stack.runtime.table.ingestLedgerEntry(stack.aws.bucketName, KEY)).toMatchObject({ status: 'in-progress' });
    // The kill left the table short of the clean one (no retry has happened yet).
    expect(await wholeTable(stack, sequencer)).not.toEqual(clean.table);

    const [retried] = await stack.ingest(event);
    expect(retried?.status).toBe('loaded-with-rejections');
    expect(await wholeTable(stack, sequencer)).toEqual(clean.table);
    // The report too, but for unchangedDeals: the retry finds the deals the killed attempt wrote already
    // stored exactly so, and says it left them alone (a clean run has none); they are all still accounted for.
    const { unchangedDeals, ...report } = (await ingestReport(stack, sequencer)) as { unchangedDeals: number };
    const { unchangedDeals: cleanUnchanged, ...cleanReport } = clean.report as { unchangedDeals: number };
    expect(report).toEqual(cleanReport);
    expect(cleanUnchanged).toBe(0);
    expect(unchangedDeals).toBeGreaterThanOrEqual(k === 1 ? 1 : 25);
    expect(unchangedDeals).toBeLessThanOrEqual(1_260);
  });
});
