// The report path reads only what it needs: one quarter's metrics from a
// table holding three years of deals touch a fraction of them, and adding
// more (older) history changes the read count not at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../shared/domain/local-date.js';
import type { Person, Quota, StoredDeal } from '../../shared/domain/types.js';
import { runMetrics } from '../../shared/reports/metrics-run.js';
import { storedDeal } from '../support/stored-deal.js';
import { startLocalStack, type LocalStack } from './harness.js';

const AS_OF = '2026-11-16'; // FY2027 Q4 (Nov 2026 – Jan 2027) with a February fiscal year

const REPS: Person[] = ['Ana García', 'Ben Okafor', 'Chloé Martin', 'Dev Patel'].map((name, index) => ({
  id: name.toLowerCase(),
  name,
  email: null,
  role: 'rep',
  team: index < 2 ? 'Enterprise' : 'Mid-Market',
  manager: null,
  region: 'Americas',
  active: true,
  effectiveFrom: null,
}));

/** One deal every `step` days from `from` for `days` days; closed before the as-of date, open after. */
function dealsBetween(from: string, days: number, step: number, prefix: string): StoredDeal[] {
  const deals: StoredDeal[] = [];
  for (let offset = 0; offset < days; offset += step) {
    const closeDate = addDays(from, offset);
    const index = deals.length;
    const stageClass = closeDate >= AS_OF ? 'open' : index % 3 === 0 ? 'lost' : 'won';
    deals.push(
      storedDeal({
        id: `${prefix}-${index}`,
        name: `Deal ${index}`,
        account: `Account ${index % 11}`,
        owner: REPS[index % REPS.length]!.name,
        ...(stageClass === 'open' ? { stage: 'Negotiation/Review' } : {}),
        stageClass,
        amount: 100_000 + (index % 17) * 5_000,
        closeDate,
        createdDate: addDays(closeDate, -45),
      }),
    );
  }
  return deals;
}

describe('report path read cost', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack();
    await stack.runtime.table.putPeople(REPS, 'seed');
    const quotas: Quota[] = REPS.map((rep) => ({ level: 'rep', entityId: rep.id, periodId: 'FY2027-Q4', amount: 5_000_000 }));
    await stack.runtime.table.putQuotas(quotas);
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('reads a fraction of three years of deals for one quarter, and no more when older history is added', async () => {
    const threeYears = dealsBetween('2024-02-01', 3 * 365 + 60, 1, 'recent'); // to early 2027, two a day
    threeYears.push(...dealsBetween('2024-02-01', 3 * 365 + 60, 1, 'recent-b'));
    await stack.runtime.table.putDeals(threeYears);

    stack.runtime.table.itemsRead = 0;
    const [first] = await runMetrics(stack.runtime, AS_OF, ['quarter']);
    const readWithThreeYears = stack.runtime.table.itemsRead;

    expect(first!.period.id).toBe('FY2027-Q4');
    const company = first!.result.entities.find((entity) => entity.level === 'company')!;
    const wonInQuarterToDate = threeYears.filter((deal) => deal.stageClass === 'won' && deal.closeDate! >= '2026-11-01' && deal.closeDate! <= AS_OF);
    expect(company.revenue).toBe(wonInQuarterToDate.reduce((sum, deal) => sum + deal.amount, 0));
    // What the run needs: deals closing in the quarter and the four before it (comparison windows and the trailing
    // year of required coverage and velocity, each day read once), the open pipeline and the quarter's new deals.
    // It reads no more than that (plus people, quotas and snapshots), not the rest of the history.
    const needed = new Set(
      threeYears
        .filter(
          (deal) =>
            (deal.closeDate! >= '2025-11-01' && deal.closeDate! <= '2027-01-31') ||
            deal.stageClass === 'open' ||
            (deal.createdDate! >= '2026-11-01' && deal.createdDate! <= '2027-01-31'),
        )
        .map((deal) => deal.id),
    );
    expect(readWithThreeYears).toBeLessThan(needed.size * 1.5);
    expect(needed.size).toBeLessThan(threeYears.length * 0.5);

    // A re-run as of the same day also reads the keys of the snapshot it replaces; older history adds nothing to it.
    stack.runtime.table.itemsRead = 0;
    await runMetrics(stack.runtime, AS_OF, ['quarter']);
    const rerunWithThreeYears = stack.runtime.table.itemsRead;
    expect(rerunWithThreeYears).toBe(readWithThreeYears + threeYears.filter((deal) => deal.stageClass === 'open').length);

    await stack.runtime.table.putDeals(dealsBetween('2019-02-01', 4 * 365, 1, 'old'));
    stack.runtime.table.itemsRead = 0;
    await runMetrics(stack.runtime, AS_OF, ['quarter']);
    expect(stack.runtime.table.itemsRead).toBe(rerunWithThreeYears);
  });
});
