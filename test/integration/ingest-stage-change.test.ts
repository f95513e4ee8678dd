// Days in stage through the embedded AWS: a Salesforce opportunity report with
// its `Last Stage Change Date` column is stored with each deal's stage-change
// date (null for a blank cell), an export without the column stores none, and
// the report run's metrics export lists each past-due and undated deal with
// its days in stage — n/a (null), never 0, without a date or with a later one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toMetricsExport, type MetricsExport } from '../../shared/domain/metrics-export.js';
import type { IngestReport } from '../../shared/ingest/types.js';
import { runMetrics } from '../../shared/reports/metrics-run.js';
import { startLocalStack, type LocalStack } from './harness.js';

const AS_OF = '2026-11-16';
const HEADER = ['Opportunity ID', 'Opportunity Name', 'Account Name', 'Opportunity Owner', 'Stage', 'Amount', 'Close Date', 'Last Activity', 'Last Stage Change Date'];
const ROWS = [
  ['006S1', 'Past due, 30 days in stage', 'Acme', 'Ana García', 'Prospecting', '$1,000.00', '11/02/2026', '10/20/2026', '10/17/2026'],
  ['006S2', 'Past due, blank stage change', 'Acme', 'Ana García', 'Prospecting', '$2,000.00', '11/05/2026', '', ''],
  ['006S3', 'Past due, stage change after the as-of date', 'Acme', 'Ana García', 'Prospecting', '$3,000.00', '11/06/2026', '', '11/20/2026'],
  ['006S4', 'Undated, entered its stage today', 'Acme', 'Ana García', 'Prospecting', '$4,000.00', '', '', '11/16/2026'],
  ['006S5', 'Won', 'Acme', 'Ana García', 'Closed Won', '$5,000.00', '11/02/2026', '', '11/02/2026'],
];
const KEY = 'uploads/deals/opportunities-stage.csv';
// Another folder (its own snapshot scope): the same report without the column.
const KEY_WITHOUT = 'uploads/deals/emea/opportunities.csv';

function csv(rows: string[][]): string {
  return rows.map((row) => row.map((cell) => `"${cell}"`).join(',')).join('\r\n') + '\r\n';
}

describe('days in stage through the embedded AWS', () => {
  let stack: LocalStack;
  let report: IngestReport;
  let withoutColumn: IngestReport;
  let exported: MetricsExport;
  beforeAll(async () => {
    stack = await startLocalStack();
    await stack.upload(KEY, csv([HEADER, ...ROWS]));
    report = await stack.report(KEY);
    await stack.upload(KEY_WITHOUT, csv([HEADER.slice(0, 8), ['006E1', 'No column', 'Initech', 'Ana García', 'Prospecting', '$500.00', '11/03/2026', '']]));
    withoutColumn = await stack.report(KEY_WITHOUT);
    const [quarter] = await runMetrics(stack.runtime, AS_OF, ['quarter']);
    exported = JSON.parse(JSON.stringify(toMetricsExport(quarter!.result, { org: 'Acme', asOf: AS_OF, generatedAt: '2026-11-16T07:00:00Z' }))) as MetricsExport;
  }, 60_000);
  afterAll(async () => {
    await stack.stop();
  });

  it('recognises the Salesforce column and loads every row', () => {
    expect(report.preset).toBe('salesforce');
    expect(report.counts).toMatchObject({ read: 5, accepted: 5, rejected: 0 });
    expect(withoutColumn.counts).toMatchObject({ read: 1, accepted: 1, rejected: 0 });
  });

  it('stores each deal with its stage-change date, null for a blank cell, and none from an export without the column', async () => {
    const items = await stack.dump('deal');
    const byId = new Map(items.map((item) => [item.id, item]));
    expect(ROWS.map(([id]) => [id, byId.get(id)?.stageChangeDate])).toEqual([
      ['006S1', '2026-10-17'],
      ['006S2', null],
      ['006S3', '2026-11-20'],
      ['006S4', '2026-11-16'],
      ['006S5', '2026-11-02'],
    ]);
    expect(byId.get('006E1')).toBeDefined();
    expect(byId.get('006E1')).not.toHaveProperty('stageChangeDate');
  });

  it("lists each past-due and undated deal with its days in stage in the report run's metrics export", () => {
    const pastDue = exported.pastDueDeals.map((line) => [line.deal.id, line.daysInStage, line.daysPastDue]).sort();
    expect(pastDue).toEqual([
      ['006E1', null, 13],
      ['006S1', 30, 14],
      ['006S2', null, 11],
      ['006S3', null, 10],
    ]);
    expect(exported.undatedOpenDeals.map((line) => [line.deal.id, line.daysInStage])).toEqual([['006S4', 0]]);
    expect(exported.version).toBe(6);
  });
});
