// Which item families each function may write, by partition-key pattern (IAM
// StringLike: `*` is any run of characters). The CDK stack turns these into
// `dynamodb:LeadingKeys` conditions on each role's write statement; the key
// builders in table-items.ts, revperf-table.ts and send-ledger.ts must produce
// keys these patterns match (test/infra/table-access.test.ts checks both).
// Pure data: no AWS SDK here.

/** Functions that write the table. */
export type TableWriter = 'ingest' | 'dispatch' | 'deliver';

/** Read actions every table-reading function gets, on the table and its indexes (no Scan: nothing reads the whole table). */
export const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query'] as const;

/** Write actions, on the table only (items are never written through an index). */
export const TABLE_WRITE_ACTIONS: Record<TableWriter, readonly string[]> = {
  // Batch puts of deals, people, quotas, accounts and rates (and batch deletes of people and accounts no longer
  // listed), the removed flag on deals a full export no longer has, the ingest ledger's conditional claim and completion.
  ingest: ['dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
  // Batch puts of metric and pipeline snapshots, the dispatch ledger's conditional put and tick update.
  dispatch: ['dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
  // The send ledger: conditional claims and updates, run records and resends, one item at a time.
  deliver: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
};

/** The partition keys each function writes (table-design.ts lists the item families). */
export const TABLE_WRITE_PARTITIONS: Record<TableWriter, readonly string[]> = {
  ingest: ['DEAL#*', 'PERSON#*', 'QUOTA#*', 'ACCOUNT', 'FX', 'LEDGER#INGEST#*'],
  dispatch: ['SNAPSHOT#*', 'PIPESNAP#*', 'PIPESNAPS', 'DISPATCH'],
  deliver: ['SENDS#*'],
};

/** Whether a partition key matches an IAM StringLike pattern (`*` any characters, `?` one). */
export function partitionMatches(pattern: string, partitionKey: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
  return regex.test(partitionKey);
}

/** The function allowed to write an item with this partition key, or null (then no function may). */
export function writerOf(partitionKey: string): TableWriter | null {
  const writers = (Object.keys(TABLE_WRITE_PARTITIONS) as TableWriter[]).filter((writer) =>
    TABLE_WRITE_PARTITIONS[writer].some((pattern) => partitionMatches(pattern, partitionKey)),
  );
  if (writers.length > 1) throw new Error(`${partitionKey} is writable by ${writers.join(' and ')}: the families overlap`);
  return writers[0] ?? null;
}
