// Forecast categories through the embedded AWS: a Salesforce report with a
// Forecast Category column is stored with each deal's category, an unknown
// value loads (with its probability's band) and is named once in the ingest
// report, and the metrics the report run computes sum the categories.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMetrics } from '../../shared/reports/metrics-run.js';
import type { IngestReport } from '../../shared/ingest/types.js';
import { startLocalStack, type LocalStack } from './harness.js';

const HEADER = ['Opportunity ID', 'Opportunity Name', 'Account Name', 'Opportunity Owner', 'Stage', 'Amount', 'Probability (%)', 'Close Date', 'Forecast Category'];
const ROWS = [
  ['006F1', 'Commit deal', 'Acme', 'Ana García', 'Prospecting', '$10,000.00', '10', '11/20/2026', 'Commit'],
  ['006F2', 'Best case deal', 'Acme', 'Ana García', 'Prospecting', '$4,000.00', '10', '11/25/2026', 'Best Case'],
  ['006F3', 'Pipeline deal', 'Acme', 'Ana García', 'Negotiation/Review', '$2,500.00', '90', '12/01/2026', 'Pipeline'],
  ['006F4', 'Unknown one', 'Acme', 'Ana García', 'Prospecting', '$1,000.00', '95', '12/02/2026', 'Upside'],
  ['006F5', 'Unknown two', 'Acme', 'Ana García', 'Prospecting', '$700.00', '55', '12/03/2026', 'upside'],
  ['006F6', 'Won deal', 'Acme', 'Ana García', 'Closed Won', '$3,000.00', '100', '11/02/2026', 'Closed'],
];
const KEY = 'uploads/deals/opportunities-forecast.csv';

function csv(rows: string[][]): string {
  return rows.map((row) => row.map((cell) => `"${cell}"`).join(',')).join('\r\n') + '\r\n';
}

describe('forecast categories through the embedded AWS', () => {
  let stack: LocalStack;
  let report: IngestReport;
  beforeAll(async () => {
    stack = await startLocalStack();
    await stack.upload(KEY, csv([HEADER, ...ROWS]));
    report = await stack.report(KEY);
  }, 60_000);
  afterAll(async () => {
    await stack.stop();
  });

  it('loads every row and names the unknown category once, with its count', () => {
    expect(report.status).toBe('loaded');
    expect(report.counts).toMatchObject({ read: 6, accepted: 6, rejected: 0 });
    expect(report.findings.filter((finding) => finding.includes('forecast category'))).toEqual([
      "2 deal(s) have forecast category 'Upside', which is not Pipeline, Best Case, Commit, Closed or Omitted: they were loaded " +
        'with the category their probability gives (commit ≥ 90%, best case ≥ 50%, pipeline ≥ 10%, omitted below; config forecast.bands)',
    ]);
  });

  it('stores each deal with its category', async () => {
    const deals = await stack.dump('deal');
    expect(Object.fromEntries(deals.map((deal) => [deal.id, deal.forecastCategory]))).toEqual({
      '006F1': 'commit',
      '006F2': 'bestCase',
      '006F3': 'pipeline',
      '006F4': 'commit',
      '006F5': 'bestCase',
      '006F6': 'closed',
    });
  });

  it('sums the categories in the metrics of the quarter', async () => {
    const [quarter] = await runMetrics(stack.runtime, '2026-11-16', ['quarter']);
    const company = quarter!.result.entities.find((entity) => entity.level === 'company')!;
    // commit 10 000 + 1 000; best case 4 000 + 700; pipeline 2 500 (in cents). No quota: no commit attainment.
    expect(company).toMatchObject({ commitAmount: 1_100_000, bestCaseAmount: 470_000, pipelineCategoryAmount: 250_000, commitAttainment: null });
    expect(company.openPipeline).toBe(1_820_000);
  });
});
