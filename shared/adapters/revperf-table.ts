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
import {
  normaliseName,
  type Deal,
  type FxRate,
  type KeyAccount,
  type LocalDate,
  type Person,
  type Quota,
  type StageClass,
  type StoredDeal,
} from '../domain/types.js';
import { monthKeysBetween } from '../domain/local-date.js';
import { batchWrite, type BatchWriteOptions, type WriteRequest } from './batch-writer.js';
import { compareSequencers } from './s3-events.js';
import { INDEXES, OPEN_PIPELINE_SHARDS } from './table-design.js';

type Item = Record<string, unknown>;

/** Item families of small sets listed through the ByKind index. */
export type ListedKind = 'person' | 'account' | 'fx';

const KEY_ATTRIBUTES = new Set([
  'pk',
  'sk',
  'entity',
  'gsi1pk',
  'gsi1sk',
  'gsi2pk',
  'gsi2sk',
  'gsi3pk',
  'gsi3sk',
  'gsi4pk',
  'gsi4sk',
  'gsi5pk',
  'gsi5sk',
  'gsi6pk',
  'gsi6sk',
]);

const NO_DATE = '0000-00-00';
/** Sort key of an undated open deal: after every `YYYY-MM-DD` ('U' > '9'). */
const UNDATED_SORT_KEY = 'UNDATED';

/** A stable shard in [0, OPEN_PIPELINE_SHARDS) for a deal id (FNV-1a). */
export function openPipelineShard(dealId: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < dealId.length; index += 1) {
    hash ^= dealId.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % OPEN_PIPELINE_SHARDS;
}

/** Distinct owners seen, by their key; an export has tens of owners, not one per deal. */
const MAX_REMEMBERED_OWNERS = 10_000;
const ownerKeys = new Map<string, string>();

/**
 * The owner index's key for an owner as the CRM writes them. normaliseName
 * (NFKC and a regex) per deal was an eighth of a million-row ingest; each
 * distinct owner is normalised once, and the cache is cleared rather than
 * grown without end should a file have more owners than that.
 */
function ownerKey(owner: string): string {
  let key = ownerKeys.get(owner);
  if (key === undefined) {
    if (ownerKeys.size >= MAX_REMEMBERED_OWNERS) ownerKeys.clear();
    key = `OWNER#${normaliseName(owner)}`;
    // A copy as the key: an owner read from a CSV can be a slice of a 64 KB text chunk, which a kept slice would keep alive.
    ownerKeys.set(Buffer.from(owner, 'utf8').toString('utf8'), key);
  }
  return key;
}

/** The BySource index key of a snapshot scope (see table-design.ts). */
export function scopeIndexKey(scope: string): string {
  return `SCOPE#${scope}`;
}

export function dealItem(deal: StoredDeal): Item {
  // Spelled out, not `{ pk, sk, entity, ...deal }`: ingest builds a million of these, and on Node 20 the
  // spread followed by the index keys cost 3–4× this literal. Typed StoredDeal, so a field left out is an error.
  const item: Item & StoredDeal = {
    pk: `DEAL#${deal.id}`,
    sk: 'DEAL',
    entity: 'deal',
    id: deal.id,
    name: deal.name,
    account: deal.account,
    owner: deal.owner,
    stage: deal.stage,
    stageClass: deal.stageClass,
    probability: deal.probability,
    amount: deal.amount,
    currency: deal.currency,
    originalAmount: deal.originalAmount,
    closeDate: deal.closeDate,
    createdDate: deal.createdDate,
    pipeline: deal.pipeline,
    lastActivityDate: deal.lastActivityDate,
    source: deal.source,
    scope: deal.scope,
    uploadKey: deal.uploadKey,
    lastSeenIn: deal.lastSeenIn,
    removed: deal.removed,
  };
  if (deal.removed) return item; // out of every index: removed deals stop counting
  // An undated open deal is in no close month, and sorts after every dated deal where it is listed.
  const closeKey = deal.closeDate === null ? `${UNDATED_SORT_KEY}#${deal.id}` : `${deal.closeDate}#${deal.id}`;
  if (deal.closeDate !== null) {
    item.gsi1pk = `CLOSE#${deal.closeDate.slice(0, 7)}`;
    item.gsi1sk = closeKey;
  }
  if (deal.stageClass === 'open') {
    item.gsi2pk = `OPEN#${openPipelineShard(deal.id)}`;
    item.gsi2sk = closeKey;
  }
  if (deal.createdDate) {
    item.gsi3pk = `CREATED#${deal.createdDate.slice(0, 7)}`;
    item.gsi3sk = `${deal.createdDate}#${deal.id}`;
  }
  item.gsi4pk = scopeIndexKey(deal.scope);
  item.gsi4sk = deal.id;
  item.gsi5pk = ownerKey(deal.owner);
  item.gsi5sk = closeKey;
  return item;
}

export function personItem(person: Person, runId: string): Item {
  return {
    pk: `PERSON#${person.id}`,
    sk: `FROM#${person.effectiveFrom ?? NO_DATE}`,
    entity: 'person',
    gsi6pk: 'KIND#person',
    gsi6sk: `${person.id}#${person.effectiveFrom ?? NO_DATE}`,
    lastSeenIn: runId,
    ...person,
  };
}

export function quotaItem(quota: Quota): Item {
  return { pk: `QUOTA#${quota.periodId}`, sk: `${quota.level}#${quota.entityId}`, entity: 'quota', ...quota };
}

export function accountItem(account: KeyAccount, runId: string): Item {
  return { pk: 'ACCOUNT', sk: account.id, entity: 'account', gsi6pk: 'KIND#account', gsi6sk: account.id, lastSeenIn: runId, ...account };
}

export function fxItem(rate: FxRate): Item {
  const sk = `${rate.currency}#${rate.validFrom ?? NO_DATE}`;
  return { pk: 'FX', sk, entity: 'fx', gsi6pk: 'KIND#fx', gsi6sk: sk, ...rate };
}

function stripKeys<T>(item: Item): T {
  const value: Item = {};
  for (const [name, attribute] of Object.entries(item)) if (!KEY_ATTRIBUTES.has(name)) value[name] = attribute;
  return value as T;
}

function toDeal(item: Item): StoredDeal {
  return internDealTexts(stripKeys<StoredDeal>(item));
}

// ── shared texts of loaded deals (read path) ───────────────────────────────

/**
 * One string instance per distinct text. The SDK gives every item its own copy
 * of each text, so a million deals of 500 owners carry a million owner strings,
 * each hashed afresh by every Map lookup the metrics make. Deals sharing one
 * instance share its cached hash, and V8 compares identical instances by
 * pointer. Cleared when full, so a long-lived process cannot grow without limit
 * (a cleared pool only costs sharing, never correctness).
 */
class TextPool {
  private readonly texts = new Map<string, string>();

  constructor(private readonly capacity: number) {}

  shared(text: string): string {
    const known = this.texts.get(text);
    if (known !== undefined) return known;
    if (this.texts.size >= this.capacity) this.texts.clear();
    this.texts.set(text, text);
    return text;
  }
}

const POOL_CAPACITY = 200_000;
// One pool per field kind, so a flood of account names cannot evict the owners; all dates share one.
const owners = new TextPool(POOL_CAPACITY);
const accounts = new TextPool(POOL_CAPACITY);
const currencies = new TextPool(POOL_CAPACITY);
const stages = new TextPool(POOL_CAPACITY);
const stageClasses = new TextPool(POOL_CAPACITY);
const pipelines = new TextPool(POOL_CAPACITY);
const dates = new TextPool(POOL_CAPACITY);

/**
 * The deal with its repeated texts (owner, account, currency, stage, stage
 * class, pipeline, dates) replaced by the process-wide shared instances: the
 * same object with the same values (null and absent fields stay as they are).
 * Field by field rather than a loop over names: named property access keeps
 * this at a fraction of a microsecond per deal.
 */
export function internDealTexts<T extends Deal>(deal: T): T {
  if (typeof deal.owner === 'string') deal.owner = owners.shared(deal.owner);
  if (typeof deal.account === 'string') deal.account = accounts.shared(deal.account);
  if (typeof deal.currency === 'string') deal.currency = currencies.shared(deal.currency);
  if (typeof deal.stage === 'string') deal.stage = stages.shared(deal.stage);
  if (typeof deal.stageClass === 'string') deal.stageClass = stageClasses.shared(deal.stageClass) as StageClass;
  if (typeof deal.pipeline === 'string') deal.pipeline = pipelines.shared(deal.pipeline);
  if (typeof deal.closeDate === 'string') deal.closeDate = dates.shared(deal.closeDate);
  if (typeof deal.createdDate === 'string') deal.createdDate = dates.shared(deal.createdDate);
  if (typeof deal.lastActivityDate === 'string') deal.lastActivityDate = dates.shared(deal.lastActivityDate);
  return deal;
}

/** What the ingest ledger says about an object version. */
export type IngestClaim =
  | { outcome: 'claimed' }
  | { outcome: 'duplicate'; sequencer: string }
  | { outcome: 'older'; newerSequencer: string };

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

export class RevperfTable {
  /** Items read by queries since construction (RCU-independent count), for tests and logs. */
  itemsRead = 0;

  constructor(
    private readonly documents: DynamoDBDocumentClient,
    readonly tableName: string,
    private readonly writeOptions: BatchWriteOptions = {},
  ) {}

  // ── writes (ingest path) ─────────────────────────────────────────────────

  async putDeals(deals: readonly StoredDeal[]): Promise<void> {
    await this.write(deals.map((deal) => ({ PutRequest: { Item: dealItem(deal) } })));
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
   * that the run `runId` did not write (and whose id is not in `keep`) is
   * marked removed and leaves every index. Returns how many were marked.
   */
  async markDealsRemovedExcept(scope: string, runId: string, keep: ReadonlySet<string>): Promise<number> {
    let removed = 0;
    const scopeKey = scopeIndexKey(scope);
    for await (const item of this.queryAll({
      IndexName: INDEXES.bySource.name,
      KeyConditionExpression: 'gsi4pk = :pk',
      FilterExpression: 'lastSeenIn <> :run',
      ExpressionAttributeValues: { ':pk': scopeKey, ':run': runId },
      ProjectionExpression: 'pk, sk, id',
    })) {
      if (keep.has(item.id as string)) continue;
      try {
        await this.documents.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { pk: item.pk, sk: item.sk },
            // Only if no newer ingest has seen it meanwhile, and it is still in this scope (the index is eventually
            // consistent: a deal another folder's export has just taken over must not be removed from there).
            ConditionExpression: 'lastSeenIn <> :run AND gsi4pk = :pk',
            UpdateExpression:
              'SET removed = :true REMOVE gsi1pk, gsi1sk, gsi2pk, gsi2sk, gsi3pk, gsi3sk, gsi4pk, gsi4sk, gsi5pk, gsi5sk',
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
        IndexName: INDEXES.bySource.name,
        KeyConditionExpression: 'gsi4pk = :pk',
        ExpressionAttributeValues: { ':pk': scopeIndexKey(scope) },
        ProjectionExpression: 'pk',
        Limit: 1,
      }),
    );
    this.itemsRead += page.Items?.length ?? 0;
    return (page.Items?.length ?? 0) > 0;
  }

  /** The ids of the scope's not-removed deals, streamed page by page (only the id is read). */
  async *dealIdsOfScope(scope: string): AsyncGenerator<string> {
    for await (const item of this.queryAll({
      IndexName: INDEXES.bySource.name,
      KeyConditionExpression: 'gsi4pk = :pk',
      ExpressionAttributeValues: { ':pk': scopeIndexKey(scope) },
      ProjectionExpression: 'id',
    })) {
      yield item.id as string;
    }
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
   * already done → duplicate; a newer sequencer recorded → older.
   */
  async claimIngest(entry: Omit<IngestLedgerEntry, 'status' | 'finishedAt' | 'summary'>): Promise<IngestClaim> {
    const current = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: this.ledgerKey(entry.bucket, entry.key), ConsistentRead: true }));
    const existing = current.Item as IngestLedgerEntry | undefined;
    if (existing) {
      const order = compareSequencers(entry.sequencer, existing.sequencer);
      if (order < 0) return { outcome: 'older', newerSequencer: existing.sequencer };
      if (order === 0 && existing.status === 'done') return { outcome: 'duplicate', sequencer: existing.sequencer };
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
      if (error instanceof ConditionalCheckFailedException) return this.claimIngest(entry);
      throw error;
    }
  }

  async completeIngest(bucket: string, key: string, sequencer: string, finishedAt: string, summary: Record<string, unknown>): Promise<void> {
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: this.ledgerKey(bucket, key),
        ConditionExpression: 'sequencer = :sequencer',
        UpdateExpression: 'SET #status = :done, finishedAt = :finishedAt, summary = :summary',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sequencer': sequencer, ':done': 'done', ':finishedAt': finishedAt, ':summary': summary },
      }),
    );
  }

  async ingestLedgerEntry(bucket: string, key: string): Promise<IngestLedgerEntry | null> {
    const result = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: this.ledgerKey(bucket, key), ConsistentRead: true }));
    return (result.Item as IngestLedgerEntry | undefined) ?? null;
  }

  // ── reads (report path: indexes only) ────────────────────────────────────

  /** Deals (any class) whose close date is in [start, end], via the ByCloseMonth index. */
  async dealsClosingBetween(start: LocalDate, end: LocalDate): Promise<StoredDeal[]> {
    const months = monthKeysBetween(start, end);
    const pages = await Promise.all(
      months.map((month) =>
        this.collect({
          IndexName: INDEXES.byCloseMonth.name,
          KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': `CLOSE#${month}`, ':from': start, ':to': `${end}#\uffff` },
        }),
      ),
    );
    return pages.flat().map(toDeal);
  }

  /**
   * Open deals whose expected close date is in [start, end] (either may be
   * open-ended), via OpenPipeline. With no end, undated open deals come too.
   */
  async openDealsClosingBetween(start: LocalDate | null, end: LocalDate | null): Promise<StoredDeal[]> {
    const pages = await Promise.all(
      Array.from({ length: OPEN_PIPELINE_SHARDS }, (_, shard) =>
        this.collect({
          IndexName: INDEXES.openPipeline.name,
          KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': `OPEN#${shard}`, ':from': start ?? NO_DATE, ':to': end === null ? '\uffff' : `${end}#\uffff` },
        }),
      ),
    );
    return pages.flat().map(toDeal);
  }

  /** Deals created in [start, end], via ByCreatedMonth. */
  async dealsCreatedBetween(start: LocalDate, end: LocalDate): Promise<StoredDeal[]> {
    const pages = await Promise.all(
      monthKeysBetween(start, end).map((month) =>
        this.collect({
          IndexName: INDEXES.byCreatedMonth.name,
          KeyConditionExpression: 'gsi3pk = :pk AND gsi3sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': `CREATED#${month}`, ':from': start, ':to': `${end}#\uffff` },
        }),
      ),
    );
    return pages.flat().map(toDeal);
  }

  /** One owner's deals (as the CRM names them), via ByOwner. */
  async dealsOfOwner(owner: string): Promise<StoredDeal[]> {
    const items = await this.collect({
      IndexName: INDEXES.byOwner.name,
      KeyConditionExpression: 'gsi5pk = :pk',
      ExpressionAttributeValues: { ':pk': `OWNER#${normaliseName(owner)}` },
    });
    return items.map(toDeal);
  }

  async people(): Promise<Person[]> {
    return (await this.listed('person')).map((item) => stripKeys<Person>(item));
  }

  async keyAccounts(): Promise<KeyAccount[]> {
    return (await this.listed('account')).map((item) => stripKeys<KeyAccount>(item));
  }

  async fxRates(): Promise<FxRate[]> {
    return (await this.listed('fx')).map((item) => stripKeys<FxRate>(item));
  }

  /** The quotas uploaded for these period ids. */
  async quotas(periodIds: readonly string[]): Promise<Quota[]> {
    const pages = await Promise.all(
      [...new Set(periodIds)].map((periodId) =>
        this.collect({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `QUOTA#${periodId}` } }),
      ),
    );
    return pages.flat().map((item) => stripKeys<Quota>(item));
  }

  private async listed(kind: ListedKind): Promise<Item[]> {
    return this.collect({
      IndexName: INDEXES.byKind.name,
      KeyConditionExpression: 'gsi6pk = :pk',
      ExpressionAttributeValues: { ':pk': `KIND#${kind}` },
    });
  }

  // ── metric and pipeline snapshots ────────────────────────────────────────

  /** Stores what a report actually said: one item per entity of a period as of a date. */
  async putMetricSnapshot<T extends { level: string; id: string }>(periodId: string, asOf: LocalDate, entities: readonly T[]): Promise<void> {
    await this.write(
      entities.map((entity) => ({
        PutRequest: {
          Item: { pk: `SNAPSHOT#${periodId}`, sk: `${asOf}#${entity.level}#${entity.id}`, entity: 'metric-snapshot', asOf, periodId, metrics: entity },
        },
      })),
    );
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

  /** The open pipeline as of a date, deal by deal, so next week's movement compares with it. */
  async putPipelineSnapshot(asOf: LocalDate, deals: readonly Deal[]): Promise<void> {
    await this.write(
      deals.map((deal) => ({
        PutRequest: { Item: { pk: `PIPESNAP#${asOf}`, sk: `DEAL#${deal.id}`, entity: 'pipeline-snapshot', ...toPipelineSnapshotDeal(deal) } },
      })),
    );
    // The index entry last: a snapshot is only found once all of it is written.
    await this.write([{ PutRequest: { Item: { pk: 'PIPESNAPS', sk: asOf, entity: 'pipeline-snapshot-index', asOf, deals: deals.length } } }]);
  }

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
    const asOf = latest.Items?.[0]?.asOf as LocalDate | undefined;
    if (!asOf) return null;
    const items = await this.collect({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `PIPESNAP#${asOf}` } });
    return { asOf, deals: items.map((item) => stripKeys<PipelineSnapshotDeal>(item)) };
  }

  // ── query plumbing ───────────────────────────────────────────────────────

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

/** The fields of a deal the open-pipeline snapshot keeps: enough to explain next week's movement. */
export function toPipelineSnapshotDeal(deal: Deal): PipelineSnapshotDeal {
  return {
    id: deal.id,
    owner: deal.owner,
    amount: deal.amount,
    closeDate: deal.closeDate,
    stageClass: deal.stageClass,
    probability: deal.probability,
    createdDate: deal.createdDate,
  };
}

export interface PipelineSnapshotDeal {
  id: string;
  owner: string;
  amount: number;
  closeDate: LocalDate | null;
  stageClass: Deal['stageClass'];
  probability: number;
  createdDate: LocalDate | null;
}
