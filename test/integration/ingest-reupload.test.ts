// Re-uploads through the embedded AWS: an unchanged export writes no deal, a
// changed one writes exactly the deals that changed, removals stay exact, and
// a crash part-way through a re-upload still converges to a fresh load of it.
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { BatchWriteCommand, DeleteCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { S3EventNotification } from '../../shared/adapters/s3-events.js';
import type { IngestReport } from '../../shared/ingest/types.js';
import { createIngestHandler } from '../../functions/ingest/ingest-handler.js';
import { startLocalStack, type LocalStack } from './harness.js';

const HEADER =
  '"Opportunity ID","Opportunity Name","Account Name","Opportunity Owner","Stage","Amount","Opportunity Currency","Probability (%)","Close Date","Created Date"';
const KEY = 'uploads/deals/opportunities.csv';

function salesforceReport(rows: readonly string[][]): string {
  const body = rows.map((row) => row.map((cell) => `"${cell.replace(/"/g, '""')}"`).join(',')).join('\r\n');
  return `${HEADER}\r\n${body}\r\n\r\n"Grand Totals (${rows.length} records)"\r\n`;
}

const ROWS: readonly string[][] = Array.from({ length: 40 }, (_, index) => [
  `006R${String(index).padStart(5, '0')}`,
  `Renewal ${index}`,
  `Account ${index % 5}`,
  index % 2 === 0 ? 'Ana García' : 'Ben Okafor',
  index % 3 === 0 ? 'Closed Won' : index % 3 === 1 ? 'Closed Lost' : 'Negotiation/Review',
  `$${(2000 + index * 125).toLocaleString('en-US')}.00`,
  'USD',
  index % 3 === 0 ? '100' : index % 3 === 1 ? '0' : '90',
  `12/${String((index % 28) + 1).padStart(2, '0')}/2026`,
  '10/1/2026',
]);

/** The rows with column `column` of the rows at `indexes` replaced. */
function changed(rows: readonly string[][], indexes: readonly number[], column: number, value: (row: string[]) => string): string[][] {
  return rows.map((row, index) => (indexes.includes(index) ? row.map((cell, at) => (at === column ? value(row) : cell)) : [...row]));
}

interface WriteCount {
  /** Deal items put by BatchWriteItem. */
  dealPuts: number;
  /** Deal items updated in place (marked removed). */
  dealUpdates: number;
  /** Every item write of any kind (ledger and people included). */
  items: number;
}

/** Counts every item the client writes; passes everything through (optionally failing writes after `okBatches` batch writes). */
function countingClient(real: DynamoDBDocumentClient, okBatches = Number.POSITIVE_INFINITY) {
  const count: WriteCount = { dealPuts: 0, dealUpdates: 0, items: 0 };
  let batches = 0;
  const client = new Proxy(real, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver);
      return async (command: unknown) => {
        if (command instanceof BatchWriteCommand) {
          if (++batches > okBatches) throw new Error('socket hang up: connection reset');
          for (const requests of Object.values(command.input.RequestItems ?? {})) {
            for (const request of requests) {
              count.items += 1;
              if (request.PutRequest?.Item?.entity === 'deal') count.dealPuts += 1;
            }
          }
        } else if (command instanceof UpdateCommand || command instanceof PutCommand || command instanceof DeleteCommand) {
          count.items += 1;
          const key = command instanceof PutCommand ? command.input.Item : command.input.Key;
          if (String(key?.pk).startsWith('DEAL#')) count.dealUpdates += 1;
        }
        return target.send(command as never);
      };
    },
  });
  return { client, count };
}

/** Puts the object with the notification handler detached, so the test invokes ingest with its own client. */
async function uploadWithoutHandler(stack: LocalStack, body: string): Promise<S3EventNotification> {
  stack.aws.onObjectCreated('ingest', async () => undefined);
  await stack.aws.clients.s3.send(new PutObjectCommand({ Bucket: stack.aws.bucketName, Key: KEY, Body: body }));
  await stack.aws.idle();
  return stack.aws.dispatchedEvents.at(-1)!.event;
}

/** Uploads the export and ingests it through a counting client. */
async function uploadCounted(stack: LocalStack, rows: readonly string[][]): Promise<{ report: IngestReport; count: WriteCount }> {
  const event = await uploadWithoutHandler(stack, salesforceReport(rows));
  const counting = countingClient(stack.aws.clients.documents);
  const [report] = await createIngestHandler(stack.runtimeWith(counting.client))(event);
  return { report: report!, count: counting.count };
}

/** The deal items with the bookkeeping that names the upload and run left out (they differ between stacks by design). */
function comparable(items: Record<string, unknown>[]) {
  return items.map(({ lastSeenIn: _lastSeenIn, uploadKey: _uploadKey, ...rest }) => rest);
}

/** The deal items a fresh load of these rows into an empty table produces. */
async function freshLoad(rows: readonly string[][]) {
  const fresh = await startLocalStack();
  try {
    await fresh.upload(KEY, salesforceReport(rows));
    return comparable(await fresh.dump('deal'));
  } finally {
    await fresh.stop();
  }
}

describe('re-uploading a deals export', () => {
  let stack: LocalStack;
  beforeEach(async () => {
    stack = await startLocalStack();
  });
  afterEach(async () => {
    await stack.stop();
  });

  it('writes no deal when nothing changed, and leaves the table exactly as it was', async () => {
    const first = await uploadCounted(stack, ROWS);
    expect(first.count.dealPuts).toBe(ROWS.length);
    expect(first.report.unchangedDeals).toBe(0);
    const before = await stack.dump('deal');

    const again = await uploadCounted(stack, ROWS);
    expect(again.report).toMatchObject({ status: 'loaded', removedDeals: 0, unchangedDeals: ROWS.length, counts: { accepted: ROWS.length } });
    expect(again.count.dealPuts).toBe(0);
    expect(again.count.dealUpdates).toBe(0);
    // The ingest ledger's claim and completion: the only items written.
    expect(again.count.items).toBe(2);
    expect(again.count.items).toBeLessThanOrEqual(first.count.items / 10);
    expect(await stack.dump('deal')).toEqual(before);
    expect(await stack.runtime.table.ingestLedgerEntry(stack.aws.bucketName, KEY)).toMatchObject({ status: 'done' });
  });

  it('writes exactly the deals whose fields changed, and the table equals a fresh load of the new export', async () => {
    await uploadCounted(stack, ROWS);
    const amounts = changed(ROWS, [3, 17], 5, () => '$99,999.00');
    const moved = changed(amounts, [8], 8, () => '1/15/2027'); // another close month: other index keys
    const renamed = changed(moved, [21], 1, (row) => `${row[1]} (renamed)`);
    const { report, count } = await uploadCounted(stack, renamed);

    expect(count.dealPuts).toBe(4);
    expect(report).toMatchObject({ status: 'loaded', unchangedDeals: ROWS.length - 4, removedDeals: 0 });
    const deals = await stack.dump('deal');
    expect(deals.find((deal) => deal.id === '006R00003')).toMatchObject({ amount: 9_999_900 });
    expect(deals.find((deal) => deal.id === '006R00008')).toMatchObject({ closeDate: '2027-01-15', gsi3pk: 'CREATED#2026-10' });
    expect(comparable(deals)).toEqual(await freshLoad(renamed));
    // The reports see the change through the index.
    const january = await stack.runtime.table.dealsClosingBetween('2027-01-01', '2027-01-31');
    expect(january.map((deal) => deal.id)).toEqual(['006R00008']);
  });

  it('marks a deal dropped from the full export removed exactly as before, and writes nothing else', async () => {
    await uploadCounted(stack, ROWS);
    const dropped = ROWS[5]![0]!;
    const { report, count } = await uploadCounted(stack, ROWS.filter((row) => row[0] !== dropped));

    expect(report).toMatchObject({ status: 'loaded', removedDeals: 1, unchangedDeals: ROWS.length - 1 });
    expect(report.findings.join('\n')).toContain('1 salesforce deal(s) of uploads/deals/ missing from this full export were marked removed');
    expect(count.dealPuts).toBe(0);
    expect(count.dealUpdates).toBe(1);
    const item = (await stack.dump('deal')).find((deal) => deal.id === dropped)!;
    expect(item).toMatchObject({ removed: true, scope: '#salesforce' });
    for (const attribute of ['gsi1pk', 'gsi1sk', 'gsi3pk', 'gsi3sk', 'gsi4pk', 'gsi4sk', 'contentHash']) expect(item[attribute], attribute).toBeUndefined();
    const visible = await stack.runtime.table.dealsClosingBetween('2026-12-01', '2026-12-31');
    expect(visible.map((deal) => deal.id)).not.toContain(dropped);
    expect(visible).toHaveLength(ROWS.length - 1);

    // The same export again: nothing to write, nothing more to remove.
    const unchanged = await uploadCounted(stack, ROWS.filter((row) => row[0] !== dropped));
    expect(unchanged.report).toMatchObject({ removedDeals: 0, unchangedDeals: ROWS.length - 1 });
    expect(unchanged.count.items).toBe(2);

    // Back in the CRM: written again as a new deal, visible again, identical to a fresh load.
    const back = await uploadCounted(stack, ROWS);
    expect(back.count.dealPuts).toBe(1);
    expect(comparable(await stack.dump('deal'))).toEqual(await freshLoad(ROWS));
  });

  it('keeps a deal whose row is rejected', async () => {
    await uploadCounted(stack, ROWS);
    const broken = changed(ROWS, [9], 5, () => '12,3,4x');
    const rejected = await uploadCounted(stack, broken);
    expect(rejected.report).toMatchObject({ status: 'loaded-with-rejections', removedDeals: 0, counts: { rejected: 1 } });
    expect(rejected.count.items).toBe(2);
    expect((await stack.dump('deal')).filter((deal) => deal.removed)).toEqual([]);
  });

  it('writes the later of two rows of one id when they are written in different batches', async () => {
    // More rows than one write batch (500), so the first row of the id is written before the later one is read.
    const many = Array.from({ length: 520 }, (_, index) => ROWS[index % ROWS.length]!.map((cell, column) => (column === 0 ? `006M${String(index).padStart(5, '0')}` : cell)));
    await uploadCounted(stack, many);
    // Row 2 changes a deal; a later row of the same id (after the first batch) puts it back as stored: the later row wins.
    const twice = [...changed(many, [2], 5, () => '$1.00'), [...many[2]!]];
    const { report, count } = await uploadCounted(stack, twice);
    expect(report.counts.duplicates).toBe(1);
    expect(count.dealPuts).toBe(2);
    expect(comparable(await stack.dump('deal'))).toEqual(await freshLoad(many));
  });

  it('converges after a crash part-way through a re-upload: the retry writes what is still missing', async () => {
    await uploadCounted(stack, ROWS);
    const next = changed(ROWS, Array.from({ length: 30 }, (_, index) => index), 5, () => '$4,321.00');
    const event = await uploadWithoutHandler(stack, salesforceReport(next));
    const crashing = countingClient(stack.aws.clients.documents, 1);
    await expect(createIngestHandler(stack.runtimeWith(crashing.client))(event)).rejects.toThrow('connection reset');
    expect(await stack.runtime.table.ingestLedgerEntry(stack.aws.bucketName, KEY)).toMatchObject({ status: 'in-progress' });
    const partial = (await stack.dump('deal')).filter((deal) => deal.amount === 432_100).length;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(30);

    const retry = countingClient(stack.aws.clients.documents);
    const [report] = await createIngestHandler(stack.runtimeWith(retry.client))(event);
    expect(report?.status).toBe('loaded');
    // Only the deals the crashed run had not written yet.
    expect(retry.count.dealPuts).toBe(30 - partial);
    expect(comparable(await stack.dump('deal'))).toEqual(await freshLoad(next));
  });

  it('rewrites deals stored before content hashes were kept (and deals stored with an older index layout)', async () => {
    await uploadCounted(stack, ROWS);
    // As an earlier version stored them: no hash, and the dropped OpenPipeline/ByOwner keys.
    const legacy = await stack.dump('deal');
    for (const item of legacy.slice(0, 10)) {
      const { contentHash: _hash, ...old } = item;
      await stack.aws.clients.documents.send(new PutCommand({ TableName: stack.aws.tableName, Item: { ...old, gsi5pk: 'OWNER#x', gsi5sk: 'x' } }));
    }
    const { count } = await uploadCounted(stack, ROWS);
    expect(count.dealPuts).toBe(10);
    expect(comparable(await stack.dump('deal'))).toEqual(await freshLoad(ROWS));
  });
});
