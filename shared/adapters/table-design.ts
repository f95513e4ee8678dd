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
// Indexes (all projecting ALL, all sparse: only items with the attributes appear):
//   ByCloseMonth   CLOSE#<YYYY-MM> / <closeDate>#<dealId>     deals closing in a month (any class, not removed)
//   OpenPipeline   OPEN#<shard>    / <closeDate>#<dealId>     open deals only; sharded to spread writes
//   ByCreatedMonth CREATED#<YYYY-MM> / <createdDate>#<dealId> new pipeline
//   BySource       SCOPE#<folder>#<preset> / <dealId>         not-removed deals of a snapshot scope: the upload's folder
//                                                             under uploads/deals/ plus its CRM (full-snapshot removal and
//                                                             the mass-removal hold). Named BySource from when the scope
//                                                             was the CRM alone; kept so the deployed index never changes.
//   ByOwner        OWNER#<owner>   / <closeDate>#<dealId>     one rep's deals
//   ByKind         KIND#<kind>     / <id>                     all people / key accounts / fx rates (small sets)

export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

export interface IndexDesign {
  name: string;
  partitionKey: string;
  sortKey: string;
}

export const INDEXES = {
  byCloseMonth: { name: 'ByCloseMonth', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  openPipeline: { name: 'OpenPipeline', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  byCreatedMonth: { name: 'ByCreatedMonth', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
  bySource: { name: 'BySource', partitionKey: 'gsi4pk', sortKey: 'gsi4sk' },
  byOwner: { name: 'ByOwner', partitionKey: 'gsi5pk', sortKey: 'gsi5sk' },
  byKind: { name: 'ByKind', partitionKey: 'gsi6pk', sortKey: 'gsi6sk' },
} as const satisfies Record<string, IndexDesign>;

export const ALL_INDEXES: readonly IndexDesign[] = Object.values(INDEXES);

/** Number of OpenPipeline partitions; readers query all of them in parallel. */
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
