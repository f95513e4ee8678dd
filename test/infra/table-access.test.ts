// The item families each role may write (shared/adapters/table-access.ts) are
// the keys the code actually writes: built by the same key builders the
// repositories use, each key is writable by exactly the function that writes it.
import { describe, expect, it } from 'vitest';
import { partitionMatches, TABLE_WRITE_PARTITIONS, writerOf } from '../../shared/adapters/table-access.js';
import { accountItem, dealItem, fxItem, personItem, quotaItem } from '../../shared/adapters/table-items.js';

describe('table write families', () => {
  it('matches IAM StringLike semantics: * is any run of characters, everything else literal', () => {
    expect(partitionMatches('DEAL#*', 'DEAL#006X1')).toBe(true);
    expect(partitionMatches('DEAL#*', 'DEAL#')).toBe(true);
    expect(partitionMatches('DEAL#*', 'XDEAL#1')).toBe(false);
    expect(partitionMatches('FX', 'FXX')).toBe(false);
    expect(partitionMatches('PIPESNAP#*', 'PIPESNAPS')).toBe(false);
    expect(partitionMatches('LEDGER#INGEST#*', 'LEDGER#INGEST#bucket/uploads/a b.csv')).toBe(true);
  });

  it('gives every family one writer: no two roles may write the same partition', () => {
    const all = Object.values(TABLE_WRITE_PARTITIONS).flat();
    expect(new Set(all).size).toBe(all.length);
    for (const pattern of all) expect(writerOf(pattern.replace(/\*$/, 'x'))).not.toBeNull();
  });

  it('lets ingest write what the ingest path writes, and nobody else', () => {
    const deal = dealItem({ id: '006X1', scope: '#salesforce', owner: 'Ana', removed: false, stageClass: 'open', closeDate: '2026-12-01' } as never);
    const keys = [
      deal.pk,
      personItem({ id: 'ana', effectiveFrom: null } as never, 'run').pk,
      quotaItem({ periodId: 'FY2027-Q4', level: 'rep', entityId: 'ana' } as never).pk,
      accountItem({ id: 'contoso' } as never, 'run').pk,
      fxItem({ currency: 'EUR', validFrom: null } as never).pk,
      'LEDGER#INGEST#revperf-bucket/uploads/deals/x.csv',
    ];
    for (const key of keys) expect(writerOf(key as string), key as string).toBe('ingest');
  });

  it('lets dispatch write snapshots and its ledger, deliver the send ledger', () => {
    for (const key of ['SNAPSHOT#FY2027-Q4', 'PIPESNAP#2026-11-16', 'PIPESNAPS', 'DISPATCH']) expect(writerOf(key)).toBe('dispatch');
    expect(writerOf('SENDS#2026-W47')).toBe('deliver');
  });
});
