// The DynamoDB table design: one module that both the CDK data stack and the
// local stack read. Pure data and key builders: no AWS SDK here.
//
// Item families (pk / sk):
//   DEAL#<id>                 / DEAL                       a deal (current state)
//   PERSON#<id>               / FROM#<effectiveFrom|0000-00-00>   a people-file row
//   QUOTA#<periodId>          / <level>#<entityId>         a quota
//   ACCOUNT                   / <account id>               a key account
//   FX                        / <currency>#<validFrom|0000-00-00> an exchange rate
//   LEDGER#INGEST#<bucket>/<key> / LEDGER                  ingest ledger (one entry per object key; newest version wins)
//   SNAPSHOT#<periodId>       / <asOf>#<level>#<entityId>  metrics as reported
//   PIPESNAP#<asOf>           / DEAL#<id>                  open-pipeline deal snapshot
//   PIPESNAPS                 / <asOf>                     index of pipeline snapshots
//
// Indexes (all sparse: only items with the attributes appear). Each deal index copy costs a write unit per
// deal written, so a new deal is in at most three (base item + 3 = 4 write units at under 1 KB):
//   ByCloseMonth   CLOSE#<YYYY-MM> / <closeDate>#<dealId>     won and lost deals closing in a month
//                  OPEN#<shard>    / <closeDate>#<dealId>     open deals by expected close date (undated last),
//                                                             sharded to spread writes. One index for both, so a
//                                                             deal is in one of them, never two: deals closing in a
//                                                             range = the closed months + the open shards' range.
//                                                             (Open deals had an OpenPipeline index of their own,
//                                                             and a copy here too.) Projects ALL: reports read deals.
//   ByCreatedMonth CREATED#<YYYY-MM> / <createdDate>#<dealId> new pipeline; projects ALL (reports read deals)
//   ByScope        SCOPE#<folder>#<preset> / <dealId>         not-removed deals of a snapshot scope: the upload's folder
//                                                             under uploads/deals/ plus its CRM (full-snapshot removal, the
//                                                             mass-removal hold, and the content hashes a re-upload compares
//                                                             against). Projects keys + contentHash only: ingest is its only
//                                                             reader and never needs the deal. It replaces BySource (same
//                                                             keys, projecting ALL): a deployed index's projection cannot
//                                                             be changed in place, only replaced by one of another name.
//   ByKind         KIND#<kind>     / <id>                     all people / key accounts / fx rates / uploads (small sets); ALL
// (A ByOwner index, OWNER#<owner> / <closeDate>#<dealId>, was dropped: no report read it, yet every deal paid its write.)

export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

/** What an index copies from the item: everything, or the keys plus a few named attributes. */
export type IndexProjection = { type: 'ALL' } | { type: 'INCLUDE'; attributes: readonly string[] };

export interface IndexDesign {
  name: string;
  partitionKey: string;
  sortKey: string;
  projection: IndexProjection;
}

/** The deal attribute that holds the hash of its stored content (see dealContentHash in table-items.ts). */
export const CONTENT_HASH_ATTRIBUTE = 'contentHash';

const ALL = { type: 'ALL' } as const;

export const INDEXES = {
  byCloseMonth: { name: 'ByCloseMonth', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: ALL },
  byCreatedMonth: { name: 'ByCreatedMonth', partitionKey: 'gsi3pk', sortKey: 'gsi3sk', projection: ALL },
  byScope: { name: 'ByScope', partitionKey: 'gsi4pk', sortKey: 'gsi4sk', projection: { type: 'INCLUDE', attributes: [CONTENT_HASH_ATTRIBUTE] } },
  byKind: { name: 'ByKind', partitionKey: 'gsi6pk', sortKey: 'gsi6sk', projection: ALL },
} as const satisfies Record<string, IndexDesign>;

export const ALL_INDEXES: readonly IndexDesign[] = Object.values(INDEXES);

/** Number of open-deal partitions (`OPEN#<shard>`) of ByCloseMonth; readers query all of them in parallel. */
export const OPEN_PIPELINE_SHARDS = 4;

/**
 * Partitions of one day's pipeline snapshot (a partition takes ~1,000 writes a second: 8 write a 100k-deal
 * snapshot in a few seconds); readers query all of them in parallel.
 */
export const PIPELINE_SNAPSHOT_SHARDS = 8;

/** Attribute DynamoDB's TTL deletes by (epoch seconds); used for transient items. */
export const TTL_ATTRIBUTE = 'expiresAt';

/** Every key attribute is a string. */
export const KEY_ATTRIBUTE_TYPE = 'S' as const;
