// The report use case against the embedded AWS: every scope's scorecard and
// the quarter's packs land under deterministic keys with the report data
// beside them; running the same as-of date again overwrites instead of adding;
// a week later the scorecard compares with the stored snapshot.
import { readFile } from 'node:fs/promises';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportRenderers } from '../../shared/reports/renderers.js';
import { runMetrics } from '../../shared/reports/metrics-run.js';
import { prepareReports, runReports } from '../../shared/reports/report-run.js';
import { parseReportData, type ReportData } from '../../shared/reports/report-data.js';
import { startLocalStack, type LocalStack } from './harness.js';

const FIXTURES = new URL('../fixtures/quotas/', import.meta.url);
const DEALS = [
  'Deal ID,Deal Name,Account,Owner,Stage,Amount,Close Date,Created Date',
  'D1,Ana one,Contoso,ana@northwind.example,Closed Won,30000,2026-02-20,2026-01-05',
  'D2,Ben one,Globex,Ben Ito,Closed Won,12000,2026-03-10,2026-02-01',
  'D3,Ana big,Contoso,Ana Peña,Negotiation/Review,60000,2026-04-15,',
  'D4,Chloé next,Umbrella,chloe@northwind.example,Proposal/Price Quote,25000,2026-03-20,',
].join('\n');

describe('runReports', () => {
  let stack: LocalStack;
  const keys = async () => {
    const listed = await stack.aws.clients.s3.send(new ListObjectsV2Command({ Bucket: stack.aws.bucketName, Prefix: 'reports/' }));
    return (listed.Contents ?? []).map((object) => object.Key!).sort();
  };

  beforeAll(async () => {
    stack = await startLocalStack();
    await stack.upload('uploads/people/people.csv', await readFile(new URL('people.csv', FIXTURES)));
    await stack.upload('uploads/quotas/by-email.csv', await readFile(new URL('by-email.csv', FIXTURES)));
    await stack.upload('uploads/deals/deals.csv', DEALS);
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('stores every scope under deterministic keys, and a re-run overwrites them', async () => {
    const renderers = reportRenderers(stack.config);
    const first = await runReports(stack.runtime, renderers, '2026-03-16', { everyRep: true });
    const stored = await keys();
    expect(stored).toEqual(
      [
        'reports/pre-review-pack/FY2027-Q1/metrics.json',
        // The pack and its cover e-mail.
        ...['organisation', 'team-paris', 'team-west'].flatMap((scope) =>
          ['html', 'txt', 'xlsx'].map((extension) => `reports/pre-review-pack/FY2027-Q1/${scope}.${extension}`),
        ),
        'reports/weekly-scorecard/2026-W12/metrics.json',
        // Plain names keep their key; e-mails get a short hash of themselves (see scopeId).
        ...[
          'organisation',
          'rep-ana-northwind-example-068675f0',
          'rep-ben-northwind-example-2e09d42f',
          'rep-chloe-northwind-example-a14468ef',
          'team-paris',
          'team-west',
        ].flatMap((scope) =>
          ['html', 'png', 'txt', 'xlsx'].map((extension) => `reports/weekly-scorecard/2026-W12/${scope}.${extension}`),
        ),
      ].sort(),
    );
    expect(first.reports.find((report) => report.kind === 'weekly-scorecard' && report.scope.level === 'company')?.subject).toContain('FY2027-Q1');
    await runReports(stack.runtime, renderers, '2026-03-16', { everyRep: true });
    expect(await keys()).toEqual(stored);
  });

  it("a week later, after daily ticks that render nothing, compares with last week's snapshot, and names the uploads", async () => {
    for (const day of ['2026-03-17', '2026-03-18', '2026-03-19', '2026-03-20', '2026-03-21', '2026-03-22']) {
      const tick = await runReports(stack.runtime, reportRenderers(stack.config), day, { kinds: [] });
      expect(tick.reports).toEqual([]);
    }
    const later = await runReports(stack.runtime, reportRenderers(stack.config), '2026-03-23', { kinds: ['weekly-scorecard'] });
    const data = later.data as ReportData;
    expect(data.previous?.asOf).toBe('2026-03-16'); // not Sunday's tick: the scorecard compares week with week
    expect(data.movement?.openingAsOf).toBe('2026-03-16');
    expect(data.week.id).toBe('2026-W13');
    expect(data.uploads.map((upload) => [upload.file, upload.kind, upload.accepted])).toEqual([
      ['deals.csv', 'deals', 4],
      ['people.csv', 'people', 5],
      ['by-email.csv', 'quotas', 3],
    ]);
    expect(data.trend.periods).toHaveLength(5);
    expect(later.reports.every((report) => report.periodId === '2026-W13')).toBe(true);
  });

  it('stores the report data once, compactly: the same bytes under each kind, read back as the data computed', async () => {
    // As of the week D2 closed in (Tuesday 2026-03-10): the week's run loads a closed deal the quarter's loads too.
    const prepared = await prepareReports(stack.runtime, '2026-03-12', { everyRep: true });
    const stored = await Promise.all(prepared.dataKeys.map((key) => stack.runtime.objects.getBytes(stack.aws.bucketName, key)));
    expect(prepared.dataKeys).toEqual(['reports/weekly-scorecard/2026-W11/metrics.json', 'reports/pre-review-pack/FY2027-Q1/metrics.json']);
    expect(Buffer.from(stored[1]!).equals(Buffer.from(stored[0]!))).toBe(true);
    const text = Buffer.from(stored[0]!).toString('utf8');
    expect(text).toBe(JSON.stringify(prepared.data));
    expect(parseReportData(stored[0]!)).toEqual(JSON.parse(text));
    expect(prepared.metrics.map((run) => 'inputs' in run)).toEqual([false, false]);
    // The week's and the quarter's runs load many of the same deals: each is held once, not once per period.
    const [quarter, week] = await runMetrics(stack.runtime, '2026-03-12', ['quarter', 'week']);
    const quarterDeals = new Map(quarter!.inputs.deals.map((deal) => [deal.id, deal]));
    expect(week!.inputs.deals.map((deal) => deal.id)).toContain('D2');
    for (const deal of week!.inputs.deals) expect(quarterDeals.get(deal.id)).toBe(deal);
  });
});
