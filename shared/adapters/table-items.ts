// The items of revperf's table: how each entity is keyed for the reads the
// reports make (table-design.ts documents the families and indexes), and how
// loaded items are turned back into domain values with their repeated texts
// shared. Pure: no AWS SDK here; revperf-table.ts does the I/O.
import { normaliseName, type Deal, type ForecastCategory, type FxRate, type KeyAccount, type LocalDate, type Person, type Quota, type StageClass, type StoredDeal } from '../domain/types.js';
import { hash } from 'node:crypto';
import { CONTENT_HASH_ATTRIBUTE, OPEN_PIPELINE_SHARDS, PIPELINE_SNAPSHOT_SHARDS, TTL_ATTRIBUTE } from './table-design.js';

export type Item = Record<string, unknown>;

export const KEY_ATTRIBUTES = new Set([
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
  // Derived from the rest of the item (dealContentHash): bookkeeping, not part of the deal read back.
  CONTENT_HASH_ATTRIBUTE,
]);

export const NO_DATE = '0000-00-00';
/** Sort key of an undated open deal: after every `YYYY-MM-DD` ('U' > '9'). */
const UNDATED_SORT_KEY = 'UNDATED';

/** A stable shard in [0, OPEN_PIPELINE_SHARDS) for a deal id (FNV-1a). */
export function openPipelineShard(dealId: string): number {
  return fnv1a(dealId) % OPEN_PIPELINE_SHARDS;
}

/** A stable shard in [0, PIPELINE_SNAPSHOT_SHARDS) of a day's pipeline snapshot for a deal id. */
export function pipelineSnapshotShard(dealId: string): number {
  return fnv1a(dealId) % PIPELINE_SNAPSHOT_SHARDS;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The partition of one shard of a day's pipeline snapshot. */
export function pipelineSnapshotPartition(asOf: LocalDate, shard: number): string {
  return `PIPESNAP#${asOf}#${shard}`;
}

/** Every partition of a day's snapshot: `shards` of them, or the one partition snapshots had before sharding (0). */
export function pipelineSnapshotPartitions(asOf: LocalDate, shards: number): string[] {
  return shards === 0 ? [`PIPESNAP#${asOf}`] : Array.from({ length: shards }, (_, shard) => pipelineSnapshotPartition(asOf, shard));
}

/** How many partitions a snapshot index entry says its snapshot has (0: stored before sharding). */
export function shardsOf(entry: Item): number {
  return typeof entry.shards === 'number' ? entry.shards : 0;
}

/** Whether an item with a TTL had expired by the start of `day` (UTC): it then counts as gone, deleted or not yet. */
export function expiredBy(item: Item, day: LocalDate): boolean {
  const expiresAt = item[TTL_ATTRIBUTE];
  return typeof expiresAt === 'number' && expiresAt * 1000 <= Date.parse(`${day}T00:00:00Z`);
}

/** The TTL (epoch seconds) of a pipeline snapshot as of `asOf` kept `retentionDays` days. */
export function pipelineSnapshotExpiry(asOf: LocalDate, retentionDays: number): number {
  return Date.parse(`${asOf}T00:00:00Z`) / 1000 + retentionDays * 86_400;
}

/** A stored pipeline snapshot item as the deal it describes (keys and TTL left out). */
export function snapshotDealOf(item: Item): PipelineSnapshotDeal {
  const deal = stripKeys<PipelineSnapshotDeal & { [TTL_ATTRIBUTE]?: number }>(item);
  delete deal[TTL_ATTRIBUTE];
  return deal;
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

/** The ByScope index key of a snapshot scope (see table-design.ts). */
export function scopeIndexKey(scope: string): string {
  return `SCOPE#${scope}`;
}

export function dealItem(deal: StoredDeal): Item {
  // Spelled out, not `{ pk, sk, entity, ...deal }`: ingest builds a million of these, and on Node 20 the
  // spread followed by the index keys cost 3–4× this literal. Typed StoredDeal, so a field left out is an error.
  // A deal without a forecast category (built before categories were kept) stores none (undefined is dropped on
  // write) and reads back without one: the metrics derive it from the probability (forecastCategoryOf). Likewise a
  // deal from an export without a stage-change column stores no stageChangeDate (its days in stage are n/a).
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
    stageChangeDate: deal.stageChangeDate,
    forecastCategory: deal.forecastCategory,
    source: deal.source,
    scope: deal.scope,
    uploadKey: deal.uploadKey,
    lastSeenIn: deal.lastSeenIn,
    removed: deal.removed,
  };
  if (deal.removed) return item; // out of every index: removed deals stop counting
  // An undated open deal is in no close month, and sorts after every dated deal where it is listed.
  const closeKey = deal.closeDate === null ? `${UNDATED_SORT_KEY}#${deal.id}` : `${deal.closeDate}#${deal.id}`;
  // ByCloseMonth: open deals in their shard (dated or not), won and lost deals in their close month. One copy each.
  if (deal.stageClass === 'open') {
    item.gsi1pk = `OPEN#${openPipelineShard(deal.id)}`;
    item.gsi1sk = closeKey;
  } else if (deal.closeDate !== null) {
    item.gsi1pk = `CLOSE#${deal.closeDate.slice(0, 7)}`;
    item.gsi1sk = closeKey;
  }
  if (deal.createdDate) {
    item.gsi3pk = `CREATED#${deal.createdDate.slice(0, 7)}`;
    item.gsi3sk = `${deal.createdDate}#${deal.id}`;
  }
  item.gsi4pk = scopeIndexKey(deal.scope);
  item.gsi4sk = deal.id;
  item[CONTENT_HASH_ATTRIBUTE] = contentHashOver(item, DEAL_ITEM_HASHED_NAMES);
  return item;
}

// ── content hash of a stored deal ──────────────────────────────────────────

/**
 * Attributes the content hash leaves out: they name the upload and the run
 * that last wrote the deal, so they differ on every upload and would make
 * every deal look changed. A deal a re-upload leaves alone therefore keeps the
 * upload key and run of the upload that last changed it (nothing reads them
 * but ingest's own bookkeeping).
 */
const NOT_HASHED: ReadonlySet<string> = new Set(['uploadKey', 'lastSeenIn', CONTENT_HASH_ATTRIBUTE]);

/**
 * A hash of everything the item stores but NOT_HASHED: every deal field,
 * provenance that matters (source, scope, removed) and the index keys — so a
 * changed field, a field added to deals later, or a changed key layout all
 * change it, and the item is written again. Canonical: attribute names sorted,
 * undefined attributes left out (the client drops them on write), nested
 * values canonical too. 128 bits of SHA-256, base64url (22 characters).
 */
export function dealContentHash(item: Item): string {
  return contentHashOver(item, hashedNames(item));
}

/** The hash over `names` (sorted, with their JSON text): an attribute not named, or undefined, is left out. */
function contentHashOver(item: Item, names: readonly (readonly [string, string])[]): string {
  let text = '{';
  for (const [name, quotedName] of names) {
    const value = item[name];
    if (value === undefined) continue;
    text += `${text.length > 1 ? ',' : ''}${quotedName}:${typeof value === 'string' ? JSON.stringify(value) : canonicalJson(value)}`;
  }
  return hash('sha256', `${text}}`, 'base64url').slice(0, 22);
}

/**
 * Every attribute dealItem can write: StoredDeal's fields (a field added to StoredDeal and not here is a type
 * error) and the keys. dealItem hashes over these, sorted, instead of sorting each item's own names: the same text,
 * since an attribute an item lacks is left out as an undefined one is (test/unit/adapters/deal-item.test.ts holds
 * the two equal) — at a million deals an upload, the per-item sort was a third of the hash's cost.
 */
const DEAL_ITEM_FIELDS: Record<keyof StoredDeal, true> = {
  id: true, name: true, account: true, owner: true, stage: true, stageClass: true, probability: true, amount: true,
  currency: true, originalAmount: true, closeDate: true, createdDate: true, pipeline: true, lastActivityDate: true,
  stageChangeDate: true, forecastCategory: true, source: true, scope: true, uploadKey: true, lastSeenIn: true, removed: true,
};
const DEAL_ITEM_KEYS = ['pk', 'sk', 'entity', 'gsi1pk', 'gsi1sk', 'gsi3pk', 'gsi3sk', 'gsi4pk', 'gsi4sk'] as const;
const DEAL_ITEM_HASHED_NAMES = [...Object.keys(DEAL_ITEM_FIELDS), ...DEAL_ITEM_KEYS]
  .filter((name) => !NOT_HASHED.has(name))
  .sort()
  .map((name) => [name, JSON.stringify(name)] as const);

/** Sorted hashed names (with their JSON text) per item shape: ingest hashes a million items of a handful of shapes. */
const hashedNamesByShape = new Map<string, (readonly [string, string])[]>();
const MAX_REMEMBERED_SHAPES = 1_000;

function hashedNames(item: Item): readonly (readonly [string, string])[] {
  const names = Object.keys(item);
  const shape = names.join('\u0000');
  let sorted = hashedNamesByShape.get(shape);
  if (sorted === undefined) {
    if (hashedNamesByShape.size >= MAX_REMEMBERED_SHAPES) hashedNamesByShape.clear();
    sorted = names.filter((name) => !NOT_HASHED.has(name)).sort().map((name) => [name, JSON.stringify(name)] as const);
    hashedNamesByShape.set(shape, sorted);
  }
  return sorted;
}

function canonicalJson(value: unknown, leaveOut?: ReadonlySet<string>): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((element) => canonicalJson(element)).join(',')}]`;
  const record = value as Record<string, unknown>;
  let text = '{';
  for (const name of Object.keys(record).sort()) {
    const attribute = record[name];
    if (attribute === undefined || leaveOut?.has(name)) continue;
    text += `${text.length > 1 ? ',' : ''}${JSON.stringify(name)}:${canonicalJson(attribute)}`;
  }
  return `${text}}`;
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

export function stripKeys<T>(item: Item): T {
  const value: Item = {};
  for (const [name, attribute] of Object.entries(item)) if (!KEY_ATTRIBUTES.has(name)) value[name] = attribute;
  return value as T;
}

export function toDeal(item: Item): StoredDeal {
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
const forecastCategories = new TextPool(64);
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
  if (typeof deal.forecastCategory === 'string') deal.forecastCategory = forecastCategories.shared(deal.forecastCategory) as ForecastCategory;
  if (typeof deal.closeDate === 'string') deal.closeDate = dates.shared(deal.closeDate);
  if (typeof deal.createdDate === 'string') deal.createdDate = dates.shared(deal.createdDate);
  if (typeof deal.lastActivityDate === 'string') deal.lastActivityDate = dates.shared(deal.lastActivityDate);
  if (typeof deal.stageChangeDate === 'string') deal.stageChangeDate = dates.shared(deal.stageChangeDate);
  return deal;
}

/**
 * The fields of a deal the open-pipeline snapshot keeps: enough to explain next
 * week's movement and category moves, and the deal's close-date push count so far.
 */
export function toPipelineSnapshotDeal(deal: Deal, closeDatePushes?: number): PipelineSnapshotDeal {
  return {
    id: deal.id,
    owner: deal.owner,
    amount: deal.amount,
    closeDate: deal.closeDate,
    stageClass: deal.stageClass,
    probability: deal.probability,
    createdDate: deal.createdDate,
    ...(deal.forecastCategory !== undefined ? { forecastCategory: deal.forecastCategory } : {}),
    ...(closeDatePushes !== undefined ? { closeDatePushes } : {}),
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
  /** The category ingest stored; absent on snapshots stored before categories were kept (derived when read). */
  forecastCategory?: ForecastCategory;
  /** Close-date pushes counted up to this snapshot; absent on snapshots stored before pushes were kept. */
  closeDatePushes?: number;
}

