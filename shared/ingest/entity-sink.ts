// Accepted entities of one upload, buffered and written to the table in
// batches; the later row of an id wins.
import type { Deal, DealProvenance, FxRate, KeyAccount, Person, Quota, SourcePreset, StoredDeal } from '../domain/types.js';
import type { IngestStore } from './ingest-upload.js';
import { snapshotScopeOf } from '../adapters/bucket-layout.js';
import type { AcceptedEntity } from './types.js';

/** Entities buffered before a batch write; keys are unique within a flush. */
const FLUSH_SIZE = 500;

export function describeEntity(entity: AcceptedEntity): string {
  switch (entity.kind) {
    case 'deals':
      return `deal ${entity.value.id}`;
    case 'people':
      return `person ${entity.value.id}`;
    case 'quotas':
      return `quota ${entity.value.level} ${entity.value.entityId} ${entity.value.periodId}`;
    case 'accounts':
      return `key account ${entity.value.name}`;
    case 'fx':
      return `rate ${entity.value.currency}`;
  }
}

function entityKey(entity: AcceptedEntity): string {
  switch (entity.kind) {
    case 'deals':
      return entity.value.id;
    case 'people':
      return `${entity.value.id}#${entity.value.effectiveFrom ?? ''}`;
    case 'quotas':
      return `${entity.value.periodId}#${entity.value.level}#${entity.value.entityId}`;
    case 'accounts':
      return entity.value.id;
    case 'fx':
      return `${entity.value.currency}#${entity.value.validFrom ?? ''}`;
  }
}

/**
 * The deal as the table stores it, with where it came from. Spelled out rather
 * than `{ ...deal, source, … }`: on Node 20 V8 takes a slow path for
 * properties added after a spread (~10 µs per deal, more than all the rest of
 * a row's ingest). The StoredDeal return type makes the compiler name any
 * Deal field left out.
 */
export function storedDeal(deal: Deal, provenance: Omit<DealProvenance, 'removed'>): StoredDeal {
  return {
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
    source: provenance.source,
    scope: provenance.scope,
    uploadKey: provenance.uploadKey,
    lastSeenIn: provenance.lastSeenIn,
    removed: false,
  };
}

/**
 * Buffers accepted entities and writes them in batches. Within a file the
 * last row of an id wins: a later duplicate replaces a buffered one, or
 * overwrites the written one in a later flush (flushes run in order).
 *
 * Deals are compared with what their snapshot scope already stores (the
 * content hash of each, read once per upload) and only those that differ are
 * written: re-uploading an unchanged export writes no deal.
 */
export class EntitySink {
  private buffer = new Map<string, AcceptedEntity>();
  /** key → line it was last seen on, to report duplicates. */
  private readonly seen = new Map<string, number>();
  /** id → content hash of the deals stored for the upload's scope; kept up to date with what this sink writes. */
  private storedDeals: Promise<Map<string, string>> | null;
  /** Deals written, and deals left alone because the table already held them exactly so. */
  dealsWritten = 0;
  dealsUnchanged = 0;

  constructor(
    private readonly store: IngestStore,
    private readonly runId: string,
    private readonly uploadKey: string,
    private readonly source: () => SourcePreset,
    /** The scope's stored hashes when the caller has read them already (the mass-removal check does). */
    storedDeals: Map<string, string> | null = null,
  ) {
    this.storedDeals = storedDeals === null ? null : Promise.resolve(storedDeals);
  }

  /** Whether an accepted row of this key (a deal id, for deals) was added. */
  has(key: string): boolean {
    return this.seen.has(key);
  }

  /** Buffers the entity; returns the line of an earlier row with the same key, or null. Flush when `isFull`. */
  add(entity: AcceptedEntity): number | null {
    // A copy, not a slice: CSV cells share memory with the 64 KB text block they came from,
    // and a million retained slices would keep the whole file alive.
    const key = Buffer.from(entityKey(entity), 'utf8').toString('utf8');
    const earlier = this.seen.get(key) ?? null;
    this.seen.set(key, entity.line);
    this.buffer.set(key, entity);
    return earlier;
  }

  get isFull(): boolean {
    return this.buffer.size >= FLUSH_SIZE;
  }

  private dealProvenance(): Omit<DealProvenance, 'removed'> {
    const source = this.source();
    return { source, scope: snapshotScopeOf(this.uploadKey, source), uploadKey: this.uploadKey, lastSeenIn: this.runId };
  }

  async flush(): Promise<void> {
    const entities = [...this.buffer.values()];
    this.buffer = new Map();
    const deals: StoredDeal[] = [];
    const people: Person[] = [];
    const quotas: Quota[] = [];
    const accounts: KeyAccount[] = [];
    const rates: FxRate[] = [];
    let provenance: Omit<DealProvenance, 'removed'> | null = null;
    for (const entity of entities) {
      if (entity.kind === 'deals') {
        provenance ??= this.dealProvenance();
        deals.push(storedDeal(entity.value, provenance));
      }
      else if (entity.kind === 'people') people.push(entity.value);
      else if (entity.kind === 'quotas') quotas.push(entity.value);
      else if (entity.kind === 'accounts') accounts.push(entity.value);
      else rates.push(entity.value);
    }
    const putDeals = async () => {
      if (deals.length === 0 || provenance === null) return;
      this.storedDeals ??= this.store.dealHashesOfScope(provenance.scope);
      const written = await this.store.putDeals(deals, await this.storedDeals);
      this.dealsWritten += written;
      this.dealsUnchanged += deals.length - written;
    };
    await Promise.all([
      putDeals(),
      this.store.putPeople(people, this.runId),
      this.store.putQuotas(quotas),
      this.store.putKeyAccounts(accounts, this.runId),
      this.store.putFxRates(rates),
    ]);
  }
}
