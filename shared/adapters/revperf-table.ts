// The DynamoDB repository: every read and write revperf makes to its one
// table, keyed as shared/adapters/table-design.ts describes. The report path
// only Queries the indexes for the months it reports on; nothing here Scans.
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type Deal, type FxRate, type KeyAccount, type LocalDate, type Person, type Quota, type StoredDeal } from '../domain/types.js';
import { addDays, monthKeysBetween } from '../domain/local-date.js';
import { batchWrite, type BatchWriteOptions, type WriteRequest } from './batch-writer.js';
import { compareSequencers } from './s3-events.js';
import { CONTENT_HASH_ATTRIBUTE, INDEXES, OPEN_PIPELINE_SHARDS, PIPELINE_SNAPSHOT_SHARDS, TTL_ATTRIBUTE } from './table-design.js';
import {
  accountItem,
  dealItem,
  expiredBy,
  fxItem,
  NO_DATE,
  personItem,
  pipelineSnapshotPartition,
  pipelineSnapshotPartitions,
  pipelineSnapshotShard,
  quotaItem,
  scopeIndexKey,
  shardsOf,
  snapshotDealOf,
  stripKeys,
  toDeal,
  toPipelineSnapshotDeal,
  type Item,
  type PipelineSnapshotDeal,
} from './table-items.js';

/** Open deals turned into snapshot items and written per call to batchWrite (40 requests of 25, 4 in flight). */
const SNAPSHOT_WRITE_SLICE = 1_000;

/** Item families of small sets listed through the ByKind index (`upload`: finished ingest ledger entries). */
export type ListedKind = 'person' | 'account' | 'fx' | 'upload';

/** What the ingest ledger says about an object version. */
export type IngestClaim =
  | { outcome: 'claimed' }
  | { outcome: 'duplicate'; sequencer: string }
  | { outcome: 'older'; newerSequencer: string }
  /** An older version of the key is still loading (claimed at `startedAt`, not done). Nothing was claimed. */
  | { outcome: 'busy'; olderSequencer: string; startedAt: string };

export interface IngestLedgerEntry {
  bucket: string;
  key: string;
  versionId: string | null;
  sequencer: string;
  status: 'in-progress' | 'done';
  startedAt: string;
  finishedAt?: string;
  summary?: Record<string, unknown>;
}

/** The table's own keys, for partition reads of the table (not an index). */
const TABLE_PARTITION = { partitionKey: 'pk', sortKey: 'sk' } as const;

/**
 * The upper bound of a `date#id` sort key range that ends on `day`: every key of that day sorts before it ('#' <
 * '$'), in byte order and in UTF-16 order alike. A `${day}#\uffff` bound would drop an id starting past U+FFFF
 * (an emoji sorts after U+FFFF in UTF-8).
 */
function throughDay(day: LocalDate): string {
  return `${day}$`;
}

export class RevperfTable {
  /** Items read by queries since construction (RCU-independent count), for tests and logs. */
  itemsRead = 0;

  constructor(
    private readonly documents: DynamoDBDocumentClient,
    readonly tableName: string,
    private readonly writeOptions: BatchWriteOptions = {},
    /** Set by forOneRun: each partition read, whole, by index (or table) and key. */
    private readonly runReads: Map<string, Promise<{ key: string; value: unknown }[]>> | null = null,
  ) {}

  /**
   * This table for one report run: each partition the report path reads — a close or created month, an open
   * shard, a quota period — is queried once, whole, and every later read of it (the week's windows inside the
   * quarter's, the trend's quarters inside the trailing year, the open deals inside every close range) is
   * answered from memory, in the order the query would return, with the same deal objects. The deals do not
   * change under a run (the index is eventually consistent anyway); writes go to the table as ever. Nothing is
   * evicted or refreshed: one instance per run, never a long-lived one.
   */
  forOneRun(): RevperfTable {
    return new RevperfTable(this.documents, this.tableName, this.writeOptions, new Map());
  }

  // ── writes (ingest path) ─────────────────────────────────────────────────

  /**
   * Writes the deals; with `stored` (id → content hash of what the table
   * holds, from dealHashesOfScope), only those whose item differs from it,
   * and `stored` is then updated with what was written (so a later row of
   * the same id compares with what is really stored). Returns how many were written.
   */
  async putDeals(deals: readonly StoredDeal[], stored?: Map<string, string>): Promise<number> {
    const requests: WriteRequest[] = [];
    for (const deal of deals) {
      const item = dealItem(deal);
      if (stored !== undefined && stored.get(deal.id) === item[CONTENT_HASH_ATTRIBUTE]) continue;
      requests.push({ PutRequest: { Item: item } });
    }
    await this.write(requests);
    if (stored !== undefined) {
      for (const request of requests) {
        if ('PutRequest' in request) stored.set(request.PutRequest.Item.id as string, request.PutRequest.Item[CONTENT_HASH_ATTRIBUTE] as string);
      }
    }
    return requests.length;
  }

  async putPeople(people: readonly Person[], runId: string): Promise<void> {
    await this.write(people.map((person) => ({ PutRequest: { Item: personItem(person, runId) } })));
  }

  async putQuotas(quotas: readonly Quota[]): Promise<void> {
    await this.write(quotas.map((quota) => ({ PutRequest: { Item: quotaItem(quota) } })));
  }

  async putKeyAccounts(accounts: readonly KeyAccount[], runId: string): Promise<void> {
    await this.write(accounts.map((account) => ({ PutRequest: { Item: accountItem(account, runId) } })));
  }

  async putFxRates(rates: readonly FxRate[]): Promise<void> {
    await this.write(rates.map((rate) => ({ PutRequest: { Item: fxItem(rate) } })));
  }

  private async write(requests: WriteRequest[]): Promise<void> {
    if (requests.length > 0) await batchWrite(this.documents, this.tableName, requests, this.writeOptions);
  }

  /**
   * Full-snapshot semantics: every not-removed deal of the snapshot `scope`
   * whose id is not in `keep` (the ids the export named, accepted or
   * rejected) is marked removed and leaves every index. Decided by id, not by
   * which run last wrote the deal: a re-upload no longer rewrites the deals it
   * left unchanged. Returns how many were marked.
   */
  async markDealsRemovedExcept(scope: string, runId: string, keep: { has(id: string): boolean }): Promise<number> {
    let removed = 0;
    const scopeKey = scopeIndexKey(scope);
    for await (const item of this.queryAll({
      IndexName: INDEXES.byScope.name,
      KeyConditionExpression: 'gsi4pk = :pk',
      ExpressionAttributeValues: { ':pk': scopeKey },
      // Keys only: the index's sort key is the deal id.
      ProjectionExpression: 'pk, sk, gsi4sk',
    })) {
      if (keep.has(item.gsi4sk as string)) continue;
      try {
        await this.documents.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { pk: item.pk, sk: item.sk },
            // Only if this run did not write it, and it is still in this scope (the index is eventually
            // consistent: a deal another folder's export has just taken over must not be removed from there).
            ConditionExpression: 'lastSeenIn <> :run AND gsi4pk = :pk',
            // gsi2/gsi5 (indexes since dropped) too, for items written before they were. The content hash goes
            // with the index keys: a removed deal is compared with nothing, and comes back as a new one.
            UpdateExpression:
              'SET removed = :true REMOVE gsi1pk, gsi1sk, gsi2pk, gsi2sk, gsi3pk, gsi3sk, gsi4pk, gsi4sk, gsi5pk, gsi5sk, contentHash',
            ExpressionAttributeValues: { ':true': true, ':run': runId, ':pk': scopeKey },
          }),
        );
        removed += 1;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    return removed;
  }

  /** Whether the snapshot scope holds any not-removed deal (one key read). */
  async scopeHasDeals(scope: string): Promise<boolean> {
    const page = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: INDEXES.byScope.name,
        KeyConditionExpression: 'gsi4pk = :pk',
        ExpressionAttributeValues: { ':pk': scopeIndexKey(scope) },
        ProjectionExpression: 'pk',
        Limit: 1,
      }),
    );
    this.itemsRead += page.Items?.length ?? 0;
    return (page.Items?.length ?? 0) > 0;
  }

  /**
   * The content hash of each not-removed deal of the scope, by deal id, read
   * from ByScope (which projects only the keys and the hash: tens of bytes
   * a deal, not the deal). Deals stored before hashes were kept have none:
   * they map to '' (which no hash equals), so a re-upload writes them again.
   */
  async dealHashesOfScope(scope: string): Promise<Map<string, string>> {
    const hashes = new Map<string, string>();
    for await (const item of this.queryAll({
      IndexName: INDEXES.byScope.name,
      KeyConditionExpression: 'gsi4pk = :pk',
      ExpressionAttributeValues: { ':pk': scopeIndexKey(scope) },
      ProjectionExpression: 'gsi4sk, contentHash',
    })) {
      hashes.set(item.gsi4sk as string, typeof item.contentHash === 'string' ? item.contentHash : '');
    }
    return hashes;
  }

  /** Full-replacement uploads (people, key accounts): delete the rows the run did not write. */
  async deleteListedExcept(kind: 'person' | 'account', runId: string): Promise<number> {
    const stale: WriteRequest[] = [];
    for await (const item of this.queryAll({
      IndexName: INDEXES.byKind.name,
      KeyConditionExpression: 'gsi6pk = :pk',
      FilterExpression: 'lastSeenIn <> :run',
      ExpressionAttributeValues: { ':pk': `KIND#${kind}`, ':run': runId },
      ProjectionExpression: 'pk, sk',
    })) {
      stale.push({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } });
    }
    await this.write(stale);
    return stale.length;
  }

  // ── ingest ledger ────────────────────────────────────────────────────────

  private ledgerKey(bucket: string, key: string) {
    return { pk: `LEDGER#INGEST#${bucket}/${key}`, sk: 'LEDGER' };
  }

  /**
   * Claims an object version for ingest with a conditional write (dynalite
   * has no transactions; a condition is all we need). The same sequencer
   * already done → duplicate; a newer sequencer recorded → older; an older
   * one still in progress and claimed after `takeOverBefore` → busy (the
   * caller waits for it; one claimed earlier is dead and is taken over).
   */
  async claimIngest(entry: Omit<IngestLedgerEntry, 'status' | 'finishedAt' | 'summary'>, takeOverBefore?: string): Promise<IngestClaim> {
    const current = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: this.ledgerKey(entry.bucket, entry.key), ConsistentRead: true }));
    const existing = current.Item as IngestLedgerEntry | undefined;
    if (existing) {
      const order = compareSequencers(entry.sequencer, existing.sequencer);
      if (order < 0) return { outcome: 'older', newerSequencer: existing.sequencer };
      if (order === 0 && existing.status === 'done') return { outcome: 'duplicate', sequencer: existing.sequencer };
      if (order > 0 && existing.status === 'in-progress' && takeOverBefore !== undefined && existing.startedAt >= takeOverBefore) {
        return { outcome: 'busy', olderSequencer: existing.sequencer, startedAt: existing.startedAt };
      }
    }
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...this.ledgerKey(entry.bucket, entry.key), entity: 'ingest-ledger', ...entry, status: 'in-progress' },
          // Nobody moved the entry on since we read it.
          ConditionExpression: existing ? 'sequencer = :seen AND #status = :seenStatus' : 'attribute_not_exists(pk)',
          ExpressionAttributeNames: existing ? { '#status': 'status' } : undefined,
          ExpressionAttributeValues: existing ? { ':seen': existing.sequencer, ':seenStatus': existing.status } : undefined,
        }),
      );
      return { outcome: 'claimed' };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return this.claimIngest(entry, takeOverBefore);
      throw error;
    }
  }

  async completeIngest(bucket: string, key: string, sequencer: string, finishedAt: string, summary: Record<string, unknown>): Promise<void> {
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: this.ledgerKey(bucket, key),
        ConditionExpression: 'sequencer = :sequencer',
        // Listed once done, so reports can say which uploads their figures come from.
        UpdateExpression: 'SET #status = :done, finishedAt = :finishedAt, summary = :summary, gsi6pk = :kind, gsi6sk = :listed',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':sequencer': sequencer,
          ':done': 'done',
          ':finishedAt': finishedAt,
          ':summary': summary,
          ':kind': 'KIND#upload',
          ':listed': `${bucket}/${key}`,
        },
      }),
    );
  }

  async ingestLedgerEntry(bucket: string, key: string): Promise<IngestLedgerEntry | null> {
    const result = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: this.ledgerKey(bucket, key), ConsistentRead: true }));
    return (result.Item as IngestLedgerEntry | undefined) ?? null;
  }

  // ── reads (report path: indexes only) ────────────────────────────────────

  /**
   * Deals (any class) whose close date is in [start, end], via ByCloseMonth:
   * the won and lost deals of each month, and the open deals of every shard
   * in that range.
   */
  async dealsClosingBetween(start: LocalDate, end: LocalDate): Promise<StoredDeal[]> {
    const [closed, open] = await Promise.all([
      Promise.all(monthKeysBetween(start, end).map((month) => this.partition(INDEXES.byCloseMonth, `CLOSE#${month}`, toDeal, { from: start, to: throughDay(end) }))),
      start <= end ? this.openDeals(start, end) : Promise.resolve([]),
    ]);
    return [...closed.flat(), ...open];
  }

  /**
   * Open deals whose expected close date is in [start, end] (either may be
   * open-ended), via ByCloseMonth's open shards. With no end, undated open deals come too.
   */
  async openDealsClosingBetween(start: LocalDate | null, end: LocalDate | null): Promise<StoredDeal[]> {
    return this.openDeals(start, end);
  }

  private async openDeals(start: LocalDate | null, end: LocalDate | null): Promise<StoredDeal[]> {
    const range = { from: start ?? NO_DATE, to: end === null ? '\uffff' : throughDay(end) };
    const shards = await Promise.all(Array.from({ length: OPEN_PIPELINE_SHARDS }, (_, shard) => this.partition(INDEXES.byCloseMonth, `OPEN#${shard}`, toDeal, range)));
    return shards.flat();
  }

  /** Deals created in [start, end], via ByCreatedMonth. */
  async dealsCreatedBetween(start: LocalDate, end: LocalDate): Promise<StoredDeal[]> {
    const months = await Promise.all(
      monthKeysBetween(start, end).map((month) => this.partition(INDEXES.byCreatedMonth, `CREATED#${month}`, toDeal, { from: start, to: throughDay(end) })),
    );
    return months.flat();
  }

  async people(): Promise<Person[]> {
    return (await this.listed('person')).map((item) => stripKeys<Person>(item));
  }

  async keyAccounts(): Promise<KeyAccount[]> {
    return (await this.listed('account')).map((item) => stripKeys<KeyAccount>(item));
  }

  /** Every upload whose ingest finished (one per object key: the latest version), with its status and counts. */
  async uploads(): Promise<IngestLedgerEntry[]> {
    return (await this.listed('upload')).map((item) => stripKeys<IngestLedgerEntry>(item));
  }

  async fxRates(): Promise<FxRate[]> {
    return (await this.listed('fx')).map((item) => stripKeys<FxRate>(item));
  }

  /** The quotas uploaded for these period ids. */
  async quotas(periodIds: readonly string[]): Promise<Quota[]> {
    const pages = await Promise.all([...new Set(periodIds)].map((periodId) => this.partition(TABLE_PARTITION, `QUOTA#${periodId}`, (item) => stripKeys<Quota>(item))));
    return pages.flat();
  }

  private async listed(kind: ListedKind): Promise<Item[]> {
    return this.collect({
      IndexName: INDEXES.byKind.name,
      KeyConditionExpression: 'gsi6pk = :pk',
      ExpressionAttributeValues: { ':pk': `KIND#${kind}` },
    });
  }

  // ── metric and pipeline snapshots ────────────────────────────────────────

  /**
   * Stores what a report actually said: one item per entity of a period as of a date. Kept for good (small, and
   * the record of what was reported). A re-run as of the same date replaces the day's snapshot: items of entities
   * it no longer has are deleted once the new ones are written, so no reader ever sees the day half-written.
   */
  async putMetricSnapshot<T extends { level: string; id: string }>(periodId: string, asOf: LocalDate, entities: readonly T[]): Promise<void> {
    const pk = `SNAPSHOT#${periodId}`;
    const items = entities.map((entity) => ({ pk, sk: `${asOf}#${entity.level}#${entity.id}`, entity: 'metric-snapshot', asOf, periodId, metrics: entity }));
    await this.write(items.map((Item) => ({ PutRequest: { Item } })));
    const written = new Set(items.map((item) => item.sk));
    const stale = await this.collect({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :asOf)',
      ExpressionAttributeValues: { ':pk': pk, ':asOf': `${asOf}#` },
      ProjectionExpression: 'pk, sk',
    });
    await this.write(stale.filter((item) => !written.has(item.sk as string)).map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } })));
  }

  /** Whether the period has a metric snapshot of a later day than `asOf` (a run as of an earlier day must not rewrite history). */
  async hasMetricSnapshotAfter(periodId: string, asOf: LocalDate): Promise<boolean> {
    const later = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk >= :next',
        ExpressionAttributeValues: { ':pk': `SNAPSHOT#${periodId}`, ':next': addDays(asOf, 1) },
        Limit: 1,
        ProjectionExpression: 'pk',
      }),
    );
    return (later.Items?.length ?? 0) > 0;
  }

  /** The latest metric snapshot of a period taken strictly before `before`, or null. */
  async latestMetricSnapshotBefore<T>(periodId: string, before: LocalDate): Promise<{ asOf: LocalDate; entities: T[] } | null> {
    const latest = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk < :before',
        ExpressionAttributeValues: { ':pk': `SNAPSHOT#${periodId}`, ':before': before },
        ScanIndexForward: false,
        Limit: 1,
        ProjectionExpression: 'asOf',
      }),
    );
    const asOf = latest.Items?.[0]?.asOf as LocalDate | undefined;
    if (!asOf) return null;
    const items = await this.collect({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :asOf)',
      ExpressionAttributeValues: { ':pk': `SNAPSHOT#${periodId}`, ':asOf': `${asOf}#` },
    });
    return { asOf, entities: items.map((item) => item.metrics as T) };
  }

  /**
   * The open pipeline as of a date, deal by deal, so next week's movement compares with it; with each deal's
   * close-date push count so far, which the next snapshot carries on. Spread over PIPELINE_SNAPSHOT_SHARDS
   * partitions (a partition takes ~1,000 writes a second); every item, the day's index entry included, expires
   * `expiresAt` (epoch seconds, DynamoDB TTL). A re-run as of the same date replaces the day's snapshot: the new
   * items are written, the index entry pointed at them, then what the earlier run wrote and this one did not is
   * deleted.
   */
  async putPipelineSnapshot(
    asOf: LocalDate,
    deals: readonly Deal[],
    closeDatePushes?: ReadonlyMap<string, number> | null,
    expiresAt?: number,
  ): Promise<void> {
    const expiry = expiresAt === undefined ? {} : { [TTL_ATTRIBUTE]: expiresAt };
    const previous = await this.pipelineSnapshotEntry(asOf);
    const written = new Set<string>();
    // Built and written a slice at a time, not the whole open pipeline as items at once (one more copy of it).
    for (let offset = 0; offset < deals.length; offset += SNAPSHOT_WRITE_SLICE) {
      await this.write(
        deals.slice(offset, offset + SNAPSHOT_WRITE_SLICE).map((deal) => {
          const pk = pipelineSnapshotPartition(asOf, pipelineSnapshotShard(deal.id));
          written.add(`${pk}\u0000DEAL#${deal.id}`);
          return {
            PutRequest: {
              Item: { pk, sk: `DEAL#${deal.id}`, entity: 'pipeline-snapshot', ...toPipelineSnapshotDeal(deal, closeDatePushes?.get(deal.id) ?? 0), ...expiry },
            },
          };
        }),
      );
    }
    // The index entry last: a snapshot is only found once all of it is written.
    await this.write([
      {
        PutRequest: {
          Item: { pk: 'PIPESNAPS', sk: asOf, entity: 'pipeline-snapshot-index', asOf, deals: deals.length, shards: PIPELINE_SNAPSHOT_SHARDS, ...expiry },
        },
      },
    ]);
    if (previous !== null) {
      const stale: WriteRequest[] = [];
      for (const pk of pipelineSnapshotPartitions(asOf, previous.shards)) {
        for (const item of await this.collect({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ProjectionExpression: 'pk, sk' })) {
          if (!written.has(`${item.pk as string}\u0000${item.sk as string}`)) stale.push({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } });
        }
      }
      await this.write(stale);
    }
  }

  /** Whether a pipeline snapshot of a later day exists (a run as of an earlier day is then writing into history). */
  async hasPipelineSnapshotAfter(asOf: LocalDate): Promise<boolean> {
    const later = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk > :asOf',
        ExpressionAttributeValues: { ':pk': 'PIPESNAPS', ':asOf': asOf },
        Limit: 1,
      }),
    );
    return (later.Items?.length ?? 0) > 0;
  }

  /**
   * The latest pipeline snapshot taken strictly before `before`, or null. One that had expired by then (its TTL
   * deletion may still be pending, or half done) counts as gone.
   */
  async latestPipelineSnapshotBefore(before: LocalDate): Promise<{ asOf: LocalDate; deals: PipelineSnapshotDeal[] } | null> {
    const latest = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk < :before',
        ExpressionAttributeValues: { ':pk': 'PIPESNAPS', ':before': before },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    const entry = latest.Items?.[0];
    return entry && !expiredBy(entry, before) ? this.pipelineSnapshot(entry.asOf as LocalDate, shardsOf(entry)) : null;
  }

  /** The earliest pipeline snapshot taken from `from` to `to` (inclusive), or null: a period's first. */
  async earliestPipelineSnapshotBetween(from: LocalDate, to: LocalDate): Promise<{ asOf: LocalDate; deals: PipelineSnapshotDeal[] } | null> {
    if (to < from) return null;
    for await (const entry of this.queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': 'PIPESNAPS', ':from': from, ':to': to },
    })) {
      if (!expiredBy(entry, to)) return this.pipelineSnapshot(entry.asOf as LocalDate, shardsOf(entry));
    }
    return null;
  }

  private async pipelineSnapshotEntry(asOf: LocalDate): Promise<{ shards: number } | null> {
    const found = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: { pk: 'PIPESNAPS', sk: asOf } }));
    return found.Item ? { shards: shardsOf(found.Item) } : null;
  }

  private async pipelineSnapshot(asOf: LocalDate, shards: number): Promise<{ asOf: LocalDate; deals: PipelineSnapshotDeal[] }> {
    const pages = await Promise.all(
      pipelineSnapshotPartitions(asOf, shards).map((pk) => this.collect({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } })),
    );
    return { asOf, deals: pages.flat().map((item) => snapshotDealOf(item)) };
  }

  // ── query plumbing ───────────────────────────────────────────────────────

  /**
   * The items of one partition of an index (or of the table) whose sort key is in [from, to] (all of them
   * without a range), converted. In a run's table (forOneRun) the partition is read once, whole, and ranges are
   * cut from it in memory. JavaScript compares strings by UTF-16 unit and DynamoDB by UTF-8 byte; the two orders
   * differ only past U+FFFF, and every bound (a day, `throughDay`, '\uffff') is decided within the keys' ASCII
   * date prefix, so both answer the same whatever the ids hold.
   */
  private async partition<T>(
    index: { name?: string; partitionKey: string; sortKey: string },
    key: string,
    convert: (item: Item) => T,
    range?: { from: string; to: string },
  ): Promise<T[]> {
    const wholePartition = { IndexName: index.name, KeyConditionExpression: `${index.partitionKey} = :pk`, ExpressionAttributeValues: { ':pk': key } };
    if (this.runReads === null) {
      const items = await this.collect(
        range === undefined
          ? wholePartition
          : {
              IndexName: index.name,
              KeyConditionExpression: `${index.partitionKey} = :pk AND ${index.sortKey} BETWEEN :from AND :to`,
              ExpressionAttributeValues: { ':pk': key, ':from': range.from, ':to': range.to },
            },
      );
      return items.map(convert);
    }
    const cacheKey = `${index.name ?? 'table'}\u0000${key}`;
    let whole = this.runReads.get(cacheKey);
    if (whole === undefined) {
      whole = this.collect(wholePartition).then((items) => items.map((item) => ({ key: item[index.sortKey] as string, value: convert(item) })));
      this.runReads.set(cacheKey, whole);
      // A failed read is not remembered: a later reader of the partition queries again.
      whole.catch(() => this.runReads?.delete(cacheKey));
    }
    const entries = range === undefined ? await whole : (await whole).filter((entry) => entry.key >= range.from && entry.key <= range.to);
    return entries.map((entry) => entry.value as T);
  }

  private async collect(input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    const items: Item[] = [];
    for await (const item of this.queryAll(input)) items.push(item);
    return items;
  }

  private async *queryAll(input: Omit<QueryCommandInput, 'TableName'>): AsyncGenerator<Item> {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(new QueryCommand({ ...input, TableName: this.tableName, ExclusiveStartKey }));
      this.itemsRead += page.Items?.length ?? 0;
      for (const item of page.Items ?? []) yield item;
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  }
}
