// The promise "an export split into several files gives the figures of the
// whole one", checked through the real path: generated Salesforce exports are
// uploaded to the embedded S3, ingested by the real handler into the embedded
// DynamoDB, and the metrics are run on what was stored. Each part goes into its
// own folder under uploads/deals/ (its own snapshot scope, as the README says a
// split export must), in a generated order. The expected figures come from a
// second, fresh stack that ingested the whole export as one file, and the
// quarter's revenue is checked against the rows themselves, so two empty
// results cannot agree with each other.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { runMetrics, type MetricsRun } from '../../shared/reports/metrics-run.js';
import { startLocalStack, type LocalStack } from './harness.js';

const AS_OF = '2026-11-16'; // FY2027 Q4 (Nov 2026 – Jan 2027) with a February fiscal year
const QUARTER_START = '2026-11-01';

const PEOPLE = [
  'Name,Email,Team,Region,Role',
  'Ana García,ana.garcia@northwind.example,Enterprise,Americas,rep',
  'Ben Okafor,ben.okafor@northwind.example,Mid-Market,Americas,rep',
  'Chloé Martin,chloe.martin@northwind.example,EMEA Core,EMEA,rep',
].join('\n');

const QUOTAS = ['Rep,Period,Quota', 'ana.garcia@northwind.example,FY2027-Q4,"$120,000"', 'chloe.martin@northwind.example,FY2027-Q4,"$100,000"'].join('\n');

const HEADER = ['Opportunity ID', 'Opportunity Name', 'Account Name', 'Opportunity Owner', 'Stage', 'Amount', 'Opportunity Currency', 'Probability (%)', 'Close Date', 'Created Date'];

/** ISO dates around the quarter: the previous quarter, this one to date, after the as-of day, next quarter. */
const CLOSE_DATES = ['2026-08-20', '2026-10-31', '2026-11-01', '2026-11-09', '2026-11-16', '2026-11-17', '2026-12-18', '2027-01-31', '2027-02-10'];
const STAGES = [
  { stage: 'Closed Won', probability: '100' },
  { stage: 'Closed Lost', probability: '0' },
  { stage: 'Negotiation/Review', probability: '75' },
  { stage: 'Prospecting', probability: '10' },
] as const;

interface GeneratedDeal {
  owner: string;
  stage: (typeof STAGES)[number];
  cents: number;
  closeDate: string;
  createdDate: string;
  account: string;
}

const dealArbitrary: fc.Arbitrary<GeneratedDeal> = fc.record({
  // Names, e-mails, odd case and an owner nobody knows (Unassigned).
  owner: fc.constantFrom('Ana García', 'ben.okafor@northwind.example', 'CHLOÉ MARTIN', 'Nobody Known'),
  stage: fc.constantFrom(...STAGES),
  cents: fc.integer({ min: 0, max: 5_000_000 }),
  closeDate: fc.constantFrom(...CLOSE_DATES),
  createdDate: fc.constantFrom('2026-06-01', '2026-11-02', '2026-11-15'),
  account: fc.constantFrom('Acme Corp', 'acme  CORP', 'Initech'),
});

const usDate = (iso: string) => `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)}`;
const money = (cents: number) => `$${Math.floor(cents / 100).toLocaleString('en-US')}.${String(cents % 100).padStart(2, '0')}`;

function row(deal: GeneratedDeal, index: number): string[] {
  return [
    `006P${String(index).padStart(5, '0')}`,
    `Deal ${index}`,
    deal.account,
    deal.owner,
    deal.stage.stage,
    money(deal.cents),
    'USD',
    deal.stage.probability,
    usDate(deal.closeDate),
    usDate(deal.createdDate),
  ];
}

function salesforceReport(rows: readonly string[][]): string {
  const lines = [HEADER, ...rows].map((cells) => cells.map((cell) => `"${cell.replace(/"/g, '""')}"`).join(','));
  return `${lines.join('\r\n')}\r\n\r\n"Grand Totals (${rows.length} records)"\r\n`;
}

/** Every figure the reports show (deal provenance and read order left out: they are not figures). */
function figures(runs: readonly MetricsRun[]) {
  return runs.map(({ result }) => ({
    period: result.period.id,
    entities: result.entities,
    keyAccounts: result.keyAccounts,
    pastDue: result.pastDueDeals.map((due) => ({ id: due.deal.id, amount: due.deal.amount, repId: due.repId })).sort((a, b) => a.id.localeCompare(b.id)),
    unmatchedOwners: [...result.unmatchedOwners].sort(),
  }));
}

const stacks: LocalStack[] = [];
async function stackWithPeopleAndQuotas(): Promise<LocalStack> {
  const stack = await startLocalStack();
  stacks.push(stack);
  await stack.upload('uploads/people/people.csv', PEOPLE);
  await stack.upload('uploads/quotas/quotas.csv', QUOTAS);
  return stack;
}

/** Deals, a part for each, and the order the parts are uploaded in. */
const splitExport = fc
  .array(dealArbitrary, { minLength: 1, maxLength: 14 })
  .chain((deals) =>
    fc.record({
      deals: fc.constant(deals),
      partOf: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: deals.length, maxLength: deals.length }),
      order: fc.shuffledSubarray([0, 1, 2, 3], { minLength: 4, maxLength: 4 }),
    }),
  );

describe('split uploads through the embedded AWS (property)', () => {
  afterEach(async () => {
    await Promise.all(stacks.splice(0).map((stack) => stack.stop()));
  });

  it('gives the same figures when one upload is split into several files and loaded in any order', async () => {
    await fc.assert(
      fc.asyncProperty(splitExport, async ({ deals, partOf, order }) => {
        try {
          const rows = deals.map(row);
          const whole = await stackWithPeopleAndQuotas();
          await whole.upload('uploads/deals/opportunities.csv', salesforceReport(rows));
          expect(await whole.report('uploads/deals/opportunities.csv')).toMatchObject({ status: 'loaded', counts: { accepted: rows.length } });
          const expected = figures(await runMetrics(whole.runtime, AS_OF, ['quarter', 'week']));

          // Not two empty results agreeing: the quarter's revenue is the rows' own.
          const revenue = deals
            .filter((deal) => deal.stage.stage === 'Closed Won' && deal.closeDate >= QUARTER_START && deal.closeDate <= AS_OF)
            .reduce((sum, deal) => sum + deal.cents, 0);
          expect(expected[0]!.entities.find((entity) => entity.level === 'company')!.revenue).toBe(revenue);

          const split = await stackWithPeopleAndQuotas();
          for (const part of order) {
            const partRows = rows.filter((_, index) => partOf[index] === part);
            if (partRows.length === 0) continue;
            const key = `uploads/deals/part-${part}/opportunities.csv`;
            await split.upload(key, salesforceReport(partRows));
            expect(await split.report(key), key).toMatchObject({ status: 'loaded', removedDeals: 0, counts: { accepted: partRows.length } });
          }
          expect(figures(await runMetrics(split.runtime, AS_OF, ['quarter', 'week']))).toEqual(expected);
        } finally {
          await Promise.all(stacks.splice(0).map((stack) => stack.stop()));
        }
      }),
      { numRuns: Number(process.env.REVPERF_SPLIT_RUNS ?? 8) },
    );
  }, 180_000);
});
