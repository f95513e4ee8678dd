// Re-upload benchmark: the same Salesforce export loaded three times through
// the ingest use case (ingestUpload) into the embedded DynamoDB (dynalite, in
// process): a first load into an empty table, the same file again, and a file
// in which 5% of the deals changed. revperf compares each deal's content hash
// with what its scope stores and writes only what changed; the baseline is the
// same use case with the comparison switched off (every accepted deal is put
// again, as before content hashes), on the same table design.
//
// Every write request is counted and costed in DynamoDB write units (below)
// by a pass-through client. After each step the table is checked against a
// fresh load of the same export into an empty table, by a digest of every
// deal item minus the two attributes that name the run (lastSeenIn,
// uploadKey); a mismatch exits non-zero. That check is not timed.
//
//   node --import tsx bench/reupload.bench.ts revperf 100000
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createReadStream, createWriteStream, existsSync, renameSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteCommand, PutCommand, ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTableAndWait, createTableInput } from '../shared/adapters/dynamo-table.js';
import { RevperfTable } from '../shared/adapters/revperf-table.js';
import type { ObjectCreated } from '../shared/adapters/s3-events.js';
import { ALL_INDEXES, CONTENT_HASH_ATTRIBUTE, type IndexDesign } from '../shared/adapters/table-design.js';
import { parseConfig } from '../shared/config/schema.js';
import { FiscalCalendar } from '../shared/domain/fiscal-calendar.js';
import { ingestUpload, type IngestStore, type UploadObjects } from '../shared/ingest/ingest-upload.js';
import type { IngestReport } from '../shared/ingest/types.js';
import { runBenchChild, type WorkResult } from './lib/bench-child.js';
import { localFileObjects, startBenchDynalite } from './lib/bench-dynamo.js';
import { BENCH_CURRENCY_RATES, ensureSalesforceDealsCsv } from './lib/salesforce-deals-csv.js';

const DATA_DIR = join(import.meta.dirname, 'data');
const BUCKET = 'revperf-bench';
const UPLOAD_KEY = 'uploads/deals/salesforce-opportunities.csv';
/** One deal in this many changes in the second export: 5%. */
const CHANGE_EVERY = 20;

const config = parseConfig({
  org: { name: 'Bench Org', timeZone: 'America/New_York' },
  fiscal: { yearStartMonth: 2, naming: 'end' },
  currency: { reporting: 'USD', rates: BENCH_CURRENCY_RATES },
  mail: { from: 'revperf@bench.example', allowedDomains: ['bench.example'] },
  // Up to 1M rows per file (the default limit is lower than the largest bench size would need).
  ingest: { maxRows: 2_000_000 },
});
const calendar = new FiscalCalendar({ ...config.fiscal, timeZone: config.org.timeZone });

function exportPath(size: number, version: 'v1' | 'v2'): string {
  return join(DATA_DIR, version === 'v1' ? `salesforce-deals-${size}.csv` : `salesforce-deals-${size}-5pct-changed.csv`);
}

/** Whether data row `index` (0-based) is one of the 5% that change in the second export. */
function changes(index: number): boolean {
  return index % CHANGE_EVERY === CHANGE_EVERY - 1;
}

/**
 * The second export: every 20th deal changed, alternately its name (a field
 * no index keys on) and its close date (moved to another month: its
 * ByCloseMonth entry moves). Same rows, same order, footer kept.
 */
async function writeChangedExport(size: number): Promise<void> {
  const target = exportPath(size, 'v2');
  if (existsSync(target)) return;
  const partial = `${target}.partial`;
  const out = createWriteStream(partial);
  let row = -1;
  for await (const line of createInterface({ input: createReadStream(exportPath(size, 'v1'), 'utf8'), crlfDelay: Infinity })) {
    let text = line;
    if (row >= 0 && row < size && changes(row)) {
      // Generated fields never contain `","`; every field is quoted.
      const fields = line.slice(1, -1).split('","');
      if ((row / CHANGE_EVERY) % 2 < 1) fields[1] = `${fields[1]} (re-scoped)`;
      else fields[8] = fields[8]!.startsWith('6/') ? '7/15/2026' : '6/15/2026';
      text = `"${fields.join('","')}"`;
    }
    out.write(`${text}\r\n`);
    row += 1;
  }
  out.end();
  await once(out, 'close');
  renameSync(partial, target);
}

// ---------------------------------------------------------------- write units

/**
 * DynamoDB's write-unit accounting, applied to each write request: the base
 * item costs ceil(larger of before and after / 1 KB); each index the item is
 * in before or after costs ceil(entry / 1 KB) for a new entry, a deleted one,
 * or a changed projection, and twice when its key changes (delete + put);
 * nothing when neither its key nor a projected attribute changed. An entry is
 * the table keys, the index keys and the projected attributes. Sizes as
 * DynamoDB counts them (attribute name + value bytes; numbers ≈ digits/2 + 1).
 */
function attributeSize(name: string, value: unknown): number {
  const nameBytes = Buffer.byteLength(name);
  if (value === null || typeof value === 'boolean') return nameBytes + 1;
  if (typeof value === 'number') return nameBytes + 1 + Math.ceil(String(Math.abs(value)).replace(/[.-]/g, '').replace(/^0+/, '').length / 2);
  if (typeof value === 'string') return nameBytes + Buffer.byteLength(value);
  return nameBytes + 3 + Buffer.byteLength(JSON.stringify(value));
}

function units(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / 1024));
}

type Item = Record<string, unknown>;

function itemSize(item: Item, names?: ReadonlySet<string>): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) if (value !== undefined && (names === undefined || names.has(name))) size += attributeSize(name, value);
  return size;
}

/** What the meter remembers of each stored deal: enough to cost its next write. */
interface StoredShape {
  baseUnits: number;
  /** Per index: key text, the projected entry's fingerprint and its size in units (absent when not in the index). */
  entries: ({ key: string; fingerprint: string; units: number } | null)[];
}

function projectedNames(index: IndexDesign, item: Item): ReadonlySet<string> | undefined {
  if (index.projection.type === 'ALL') return undefined;
  return new Set(['pk', 'sk', index.partitionKey, index.sortKey, ...index.projection.attributes].filter((name) => name in item));
}

function shapeOf(item: Item): StoredShape {
  return {
    baseUnits: units(itemSize(item)),
    entries: ALL_INDEXES.map((index) => {
      if (typeof item[index.partitionKey] !== 'string' || typeof item[index.sortKey] !== 'string') return null;
      const names = projectedNames(index, item);
      const projected = names === undefined ? item : Object.fromEntries([...names].map((name) => [name, item[name]]));
      return {
        key: `${item[index.partitionKey] as string}\u0000${item[index.sortKey] as string}`,
        fingerprint: createHash('sha1').update(JSON.stringify(projected)).digest('base64'),
        units: units(itemSize(item, names)),
      };
    }),
  };
}

function writeCost(before: StoredShape | undefined, after: StoredShape | null): number {
  let cost = Math.max(before?.baseUnits ?? 0, after?.baseUnits ?? 0, 1);
  ALL_INDEXES.forEach((_, position) => {
    const old = before?.entries[position] ?? null;
    const next = after?.entries[position] ?? null;
    if (old === null && next === null) return;
    if (old === null) cost += next!.units;
    else if (next === null) cost += old.units;
    else if (old.key !== next.key) cost += old.units + next.units;
    else if (old.fingerprint !== next.fingerprint) cost += next.units;
  });
  return cost;
}

interface WriteTally {
  items: number;
  dealItems: number;
  units: number;
  dealUnits: number;
}

/** A pass-through document client that counts and costs every item written. */
function meteredClient(real: DynamoDBDocumentClient) {
  const stored = new Map<string, StoredShape>();
  let tally: WriteTally = { items: 0, dealItems: 0, units: 0, dealUnits: 0 };
  const record = (isDeal: boolean, cost: number) => {
    tally.items += 1;
    tally.units += cost;
    if (isDeal) {
      tally.dealItems += 1;
      tally.dealUnits += cost;
    }
  };
  const client = new Proxy(real, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver);
      return async (command: unknown) => {
        const result = await target.send(command as never);
        if (command instanceof BatchWriteCommand) {
          // Costed once written: what DynamoDB left unprocessed comes back in a later request.
          const unprocessed = new Set(Object.values((result as { UnprocessedItems?: Record<string, { PutRequest?: { Item: Item } }[]> }).UnprocessedItems ?? {}).flat().map((request) => request.PutRequest?.Item));
          for (const requests of Object.values(command.input.RequestItems ?? {})) {
            for (const request of requests) {
              const item = request.PutRequest?.Item as Item | undefined;
              if (item === undefined || unprocessed.has(item)) continue;
              const key = `${item.pk as string}\u0000${item.sk as string}`;
              const after = shapeOf(item);
              record(item.entity === 'deal', writeCost(stored.get(key), after));
              stored.set(key, after);
            }
          }
        } else if (command instanceof UpdateCommand) {
          const key = `${command.input.Key?.pk as string}\u0000${command.input.Key?.sk as string}`;
          const isDeal = String(command.input.Key?.pk).startsWith('DEAL#');
          // Ingest updates deals only to mark them removed: out of every index.
          const before = stored.get(key);
          if (isDeal && before) {
            const after: StoredShape = { baseUnits: before.baseUnits, entries: before.entries.map(() => null) };
            record(true, writeCost(before, after));
            stored.set(key, after);
          } else {
            record(isDeal, (command.input.UpdateExpression ?? '').includes('gsi6pk') ? 2 : 1); // the ledger (listed once done)
          }
        } else if (command instanceof PutCommand) {
          record(false, units(itemSize(command.input.Item as Item)));
        }
        return result;
      };
    },
  });
  return {
    client,
    /** The tally since the last call. */
    take(): WriteTally {
      const taken = tally;
      tally = { items: 0, dealItems: 0, units: 0, dealUnits: 0 };
      return taken;
    },
  };
}

// ---------------------------------------------------------------- the steps

/** Reads uploads from bench/data instead of S3 (the benchmark is about the table). */
/** The pre-hash behaviour: every accepted deal is put again, whatever the table holds. */
function withoutComparison(table: RevperfTable): IngestStore {
  return new Proxy(table, {
    get(target, property, receiver) {
      if (property === 'putDeals') return (deals: Parameters<RevperfTable['putDeals']>[0]) => target.putDeals(deals);
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as IngestStore;
}

async function ingest(store: IngestStore, objects: UploadObjects, scratchDir: string, version: string, sequencer: string, size: number): Promise<IngestReport> {
  const object: ObjectCreated = { bucket: BUCKET, key: UPLOAD_KEY, size, eTag: null, versionId: version, sequencer, eventTime: '2026-11-16T12:00:00Z' };
  const report = await ingestUpload(object, { store, objects, config, calendar, clock: () => new Date('2026-11-16T12:00:00Z'), scratchDir });
  if (report.status !== 'loaded') throw new Error(`${version}: ${report.status} ${report.refusal ?? ''} (${report.counts.rejected} rejected)`);
  return report;
}

/** Order-independent digest of every deal item minus the run's bookkeeping, with counts. */
async function tableDigest(documents: DynamoDBDocumentClient, tableName: string): Promise<string> {
  const sum = Buffer.alloc(32);
  let deals = 0;
  let removed = 0;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(new ScanCommand({ TableName: tableName, FilterExpression: 'entity = :deal', ExpressionAttributeValues: { ':deal': 'deal' }, ExclusiveStartKey }));
    for (const item of page.Items ?? []) {
      const { lastSeenIn: _run, uploadKey: _key, ...rest } = item;
      const text = JSON.stringify(Object.keys(rest).sort().map((name) => [name, rest[name]]));
      const digest = createHash('sha256').update(text).digest();
      for (let byte = 0; byte < 32; byte += 1) sum[byte]! ^= digest[byte]!;
      deals += 1;
      if (item.removed === true) removed += 1;
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return `${deals} deals, ${removed} removed, ${sum.toString('hex')}`;
}

async function reupload(size: number, compare: boolean): Promise<WorkResult> {
  const dynamo = await startBenchDynalite();
  const { clients } = dynamo;
  const scratchDir = await mkdtemp(join(tmpdir(), 'revperf-reupload-'));
  try {
    for (const name of ['revperf', 'revperf-fresh']) await createTableAndWait(clients.dynamodb, createTableInput(name));
    const meter = meteredClient(clients.documents);
    const table = new RevperfTable(meter.client, 'revperf');
    const store = compare ? table : withoutComparison(table);
    const versions = new Map([['v1', exportPath(size, 'v1')], ['v2', exportPath(size, 'v2')]]);
    const objects = localFileObjects((_key, versionId) => versions.get(versionId ?? '')!);
    const bytes = { v1: (await stat(exportPath(size, 'v1'))).size, v2: (await stat(exportPath(size, 'v2'))).size };
    const untimed = { seconds: 0, cpuSeconds: 0 };
    const check = async (expected: string, what: string) => {
      const started = process.hrtime.bigint();
      const cpu = process.cpuUsage();
      const actual = await tableDigest(clients.documents, 'revperf');
      if (actual !== expected) throw new Error(`${what}: the table (${actual}) is not a fresh load of the same export (${expected})`);
      untimed.seconds += Number(process.hrtime.bigint() - started) / 1e9;
      const used = process.cpuUsage(cpu);
      untimed.cpuSeconds += (used.user + used.system) / 1e6;
    };
    const step = async (version: 'v1' | 'v2', sequencer: string) => {
      const started = process.hrtime.bigint();
      const report = await ingest(store, objects, scratchDir, version, sequencer, bytes[version]);
      return { seconds: Number(process.hrtime.bigint() - started) / 1e9, report, writes: meter.take() };
    };

    // 1. First load: the table is, by definition, a fresh load of the export.
    const first = await step('v1', '0001');
    const freshV1 = await tableDigest(clients.documents, 'revperf');
    // 2. The same export again.
    const unchanged = await step('v1', '0002');
    await check(freshV1, 'unchanged re-upload');
    // 3. 5% of the deals changed; compared with a fresh load of that export into an empty table (untimed).
    const changed = await step('v2', '0003');
    {
      const started = process.hrtime.bigint();
      const cpu = process.cpuUsage();
      await ingest(new RevperfTable(clients.documents, 'revperf-fresh'), objects, scratchDir, 'v2', '0001', bytes.v2);
      const freshV2 = await tableDigest(clients.documents, 'revperf-fresh');
      untimed.seconds += Number(process.hrtime.bigint() - started) / 1e9;
      const used = process.cpuUsage(cpu);
      untimed.cpuSeconds += (used.user + used.system) / 1e6;
      await check(freshV2, '5%-changed re-upload');
    }

    const deals = first.report.counts.accepted;
    const changedDeals = Math.floor(size / CHANGE_EVERY);
    const extra = {
      deals,
      changedDeals,
      firstLoadSeconds: first.seconds,
      firstLoadItems: first.writes.items,
      firstLoadWriteUnits: first.writes.units,
      newDealWriteUnits: first.writes.dealUnits / first.writes.dealItems,
      unchangedSeconds: unchanged.seconds,
      unchangedItems: unchanged.writes.items,
      unchangedWriteUnits: unchanged.writes.units,
      unchangedDealsSkipped: unchanged.report.unchangedDeals,
      changedSeconds: changed.seconds,
      changedItems: changed.writes.items,
      changedWriteUnits: changed.writes.units,
      changedDealItems: changed.writes.dealItems,
      changedDealWriteUnits: changed.writes.dealUnits,
      removedDeals: unchanged.report.removedDeals + changed.report.removedDeals,
      tableMatchesFreshLoad: 1,
    };
    process.stderr.write(`${compare ? 'revperf' : 'baseline'} ${size}: ${JSON.stringify(extra)}\n`);
    return { rows: deals, checksum: first.writes.items + unchanged.writes.items + changed.writes.items, extra, untimed };
  } finally {
    await dynamo.stop();
    await rm(scratchDir, { recursive: true, force: true });
  }
}

await runBenchChild({
  prepare: async (size) => {
    ensureSalesforceDealsCsv(exportPath(size, 'v1'), size);
    await writeChangedExport(size);
  },
  implementations: { baseline: (size) => reupload(size, false), revperf: (size) => reupload(size, true) },
});
