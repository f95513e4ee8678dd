// One report run reads each partition once (RevperfTable.forOneRun): ranges
// cut from a month, an open shard or a quota period read earlier in the run
// equal what the table's own range queries return, in the same order, and
// cost no further read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../shared/domain/local-date.js';
import type { Quota, StoredDeal } from '../../shared/domain/types.js';
import { storedDeal } from '../support/stored-deal.js';
import { startLocalStack, type LocalStack } from './harness.js';

const AS_OF = '2026-11-16';

function deals(): StoredDeal[] {
  const list: StoredDeal[] = [];
  for (let offset = 0; offset < 400; offset += 1) {
    const closeDate = offset % 13 === 0 ? null : addDays('2025-10-01', offset);
    const stageClass = closeDate === null || closeDate >= AS_OF ? 'open' : offset % 3 === 0 ? 'lost' : 'won';
    list.push(
      storedDeal({
        id: `d-${offset}`,
        name: `Deal ${offset}`,
        account: `Account ${offset % 7}`,
        stageClass,
        amount: 1_000 + offset,
        closeDate,
        createdDate: addDays('2025-09-01', offset),
      }),
    );
  }
  return list;
}

const ids = (list: readonly { id: string }[]) => list.map((deal) => deal.id);

describe('a report run reads each partition once', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack();
    await stack.runtime.table.putDeals(deals());
    const quotas: Quota[] = ['FY2027-Q4', 'FY2027-Q3'].map((periodId) => ({ level: 'rep', entityId: 'ana garcía', periodId, amount: 5_000 }));
    await stack.runtime.table.putQuotas(quotas);
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('answers overlapping ranges from what it read, as the table would', async () => {
    const table = stack.runtime.table;
    const run = table.forOneRun();
    // The widest read first, as the quarter's run does; then ranges inside it, mid-month edges included.
    expect(ids(await run.dealsClosingBetween('2025-11-01', '2027-01-31'))).toEqual(ids(await table.dealsClosingBetween('2025-11-01', '2027-01-31')));
    expect(ids(await run.openDealsClosingBetween(null, null))).toEqual(ids(await table.openDealsClosingBetween(null, null)));
    expect(ids(await run.dealsCreatedBetween('2026-11-01', '2027-01-31'))).toEqual(ids(await table.dealsCreatedBetween('2026-11-01', '2027-01-31')));
    expect(await run.quotas(['FY2027-Q4', 'FY2027-Q3', 'FY2027-Q2'])).toEqual(await table.quotas(['FY2027-Q4', 'FY2027-Q3', 'FY2027-Q2']));
    const readOnce = run.itemsRead;
    expect(readOnce).toBeGreaterThan(0);

    for (const [start, end] of [
      ['2026-11-10', '2026-11-16'],
      ['2025-11-15', '2026-02-14'],
      ['2026-08-01', '2026-10-31'],
      ['2026-12-31', '2026-12-31'],
    ] as const) {
      expect(ids(await run.dealsClosingBetween(start, end))).toEqual(ids(await table.dealsClosingBetween(start, end)));
      expect(ids(await run.openDealsClosingBetween(start, end))).toEqual(ids(await table.openDealsClosingBetween(start, end)));
    }
    expect(ids(await run.openDealsClosingBetween('2026-11-16', null))).toEqual(ids(await table.openDealsClosingBetween('2026-11-16', null)));
    expect(ids(await run.dealsCreatedBetween('2026-11-20', '2026-12-05'))).toEqual(ids(await table.dealsCreatedBetween('2026-11-20', '2026-12-05')));
    expect(await run.quotas(['FY2027-Q4'])).toEqual(await table.quotas(['FY2027-Q4']));
    // Nothing more was read for any of them.
    expect(run.itemsRead).toBe(readOnce);

    // A new run reads afresh: deals written since are seen.
    await table.putDeals([{ ...deals()[5]!, id: 'd-new', closeDate: '2026-11-12', stageClass: 'won', stage: 'Closed Won' }]);
    expect(ids(await run.dealsClosingBetween('2026-11-12', '2026-11-12'))).not.toContain('d-new');
    expect(ids(await table.forOneRun().dealsClosingBetween('2026-11-12', '2026-11-12'))).toContain('d-new');
  });

  it('counts a deal whose id starts past U+FFFF on the last day of a range, read from the table or from memory', async () => {
    // DynamoDB orders keys by UTF-8 byte, where an emoji sorts after U+FFFF: a range ending at `day#\uffff` missed it.
    const table = stack.runtime.table;
    const base = deals()[7]!;
    await table.putDeals([
      { ...base, id: '😀-won', closeDate: '2026-10-31', stageClass: 'won', stage: 'Closed Won' },
      { ...base, id: '😀-open', closeDate: '2026-12-31', stageClass: 'open', stage: 'Proposal', createdDate: '2026-12-05' },
    ]);
    const run = table.forOneRun();
    await run.dealsClosingBetween('2026-08-01', '2027-01-31');
    await run.dealsCreatedBetween('2026-11-01', '2027-01-31');
    for (const read of [table, run]) {
      expect(ids(await read.dealsClosingBetween('2026-08-01', '2026-10-31'))).toContain('😀-won');
      expect(ids(await read.openDealsClosingBetween('2026-11-16', '2026-12-31'))).toContain('😀-open');
      expect(ids(await read.dealsCreatedBetween('2026-11-20', '2026-12-05'))).toContain('😀-open');
    }
    expect(ids(await run.dealsClosingBetween('2026-08-01', '2026-10-31'))).toEqual(ids(await table.dealsClosingBetween('2026-08-01', '2026-10-31')));
  });
});
