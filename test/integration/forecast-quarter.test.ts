// A fiscal quarter of weekly uploads through the daily dispatcher, on the
// embedded AWS with the clock injected: every Monday the full Salesforce
// export is uploaded again with deals edited since the week before — pushed,
// pulled in, re-categorised, won, lost, removed — and the dispatch tick runs
// at 07:00 Madrid time; a last tick runs on the quarter's final day. The
// accountability figures in the stored metrics exports are checked against
// values computed by hand below: slip rate, close-date pushes, forecast
// accuracy at weeks 4 and 8 and the last week (from the projections the
// stored snapshots said), category moves and the movement waterfall.
//
// FY2026-Q1 = 2026-01-01 … 03-31 (90 days). Team Iberia: Ana (quota 40 000), Ben (20 000).
//
//   week of   change (amounts in USD)
//   Jan 5     A1 Ana 10 000 Feb 15 Commit · A2 Ana 20 000 Mar 10 Best Case · A3 Ana 5 000 Jan 30 · A5 Ana 3 000 Apr 20
//             B1 Ben 8 000 Feb 20 · B2 Ben 4 000 Mar 5 Commit · B3 Ben 6 000 May 10
//   Jan 12    A3 pushed to Feb 28
//   Jan 19    A3 won 5 000 on Jan 16 · B1 Pipeline → Best Case
//   Jan 26    A2 pushed to Mar 20 (1) · B2 lost on Jan 23
//   Feb 2     B1 pushed to Mar 15 (1)
//   Feb 9     B1 pushed to Apr 15 (2)
//   Feb 16    A1 won 12 000 on Feb 13 · B1 pushed to May 1 (3)
//   Feb 23    A2 pushed to Mar 25 (2) · A4 Ana 7 000 Mar 28 Commit, new
//   Mar 2     A5 pulled in to Mar 30 · B3 removed
//   Mar 9     A2 pushed to Apr 10 (3) · A5 removed
//   Mar 16    A4 won 7 000 on Mar 13
//   Mar 23, Mar 30, Mar 31   no change
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatchHandler } from '../../functions/dispatch/dispatch-handler.js';
import type { RevperfConfigInput } from '../../shared/config/schema.js';
import type { MetricsExport } from '../../shared/domain/metrics-export.js';
import type { EntityMetrics } from '../../shared/domain/metrics.js';
import type { PipelineMovementExport } from '../../shared/reports/metrics-run.js';
import { startLocalStack, type LocalStack } from './harness.js';
import { STUB_RENDERERS, zonedInstant } from './schedule-ticks.js';

const CONFIG: RevperfConfigInput = {
  org: { name: 'Iberia Sales', timeZone: 'Europe/Madrid' },
  fiscal: { yearStartMonth: 1, naming: 'end' },
  currency: { reporting: 'USD' },
  schedule: { dailyAt: '07:00', weeklyScorecardDay: 'monday' },
  mail: { from: 'revperf@iberia.example', allowedDomains: ['iberia.example'], leadership: ['ceo@iberia.example'] },
};

const PEOPLE = ['Name,Email,Team,Region,Role', 'Ana Ruiz,ana@iberia.example,Iberia,EMEA,rep', 'Ben Ortiz,ben@iberia.example,Iberia,EMEA,rep'].join('\n');
const QUOTAS = ['Rep,Period,Quota', 'ana@iberia.example,FY2026-Q1,"$40,000"', 'ben@iberia.example,FY2026-Q1,"$20,000"'].join('\n');

interface Row {
  id: string;
  owner: 'Ana Ruiz' | 'Ben Ortiz';
  stage: string;
  amount: number;
  close: string;
  created: string;
  category: string;
}

const open = (id: string, owner: Row['owner'], amount: number, close: string, category = 'Pipeline'): Row => ({
  id, owner, stage: 'Negotiation/Review', amount, close, created: '2025-12-01', category,
});

/** The export of each Monday: the week before's rows with that week's edits. */
function weeklyExports(): [string, Row[]][] {
  let rows = new Map<string, Row>(
    [
      open('A1', 'Ana Ruiz', 10_000, '2026-02-15', 'Commit'),
      open('A2', 'Ana Ruiz', 20_000, '2026-03-10', 'Best Case'),
      open('A3', 'Ana Ruiz', 5_000, '2026-01-30'),
      open('A5', 'Ana Ruiz', 3_000, '2026-04-20'),
      open('B1', 'Ben Ortiz', 8_000, '2026-02-20'),
      open('B2', 'Ben Ortiz', 4_000, '2026-03-05', 'Commit'),
      open('B3', 'Ben Ortiz', 6_000, '2026-05-10'),
    ].map((row) => [row.id, row]),
  );
  const edit = (id: string, change: Partial<Row>) => rows.set(id, { ...rows.get(id)!, ...change });
  const won = (id: string, amount: number, close: string) => edit(id, { stage: 'Closed Won', amount, close, category: 'Closed' });
  const weeks: [string, (() => void) | null][] = [
    ['2026-01-05', null],
    ['2026-01-12', () => edit('A3', { close: '2026-02-28' })],
    ['2026-01-19', () => (won('A3', 5_000, '2026-01-16'), edit('B1', { category: 'Best Case' }))],
    ['2026-01-26', () => (edit('A2', { close: '2026-03-20' }), edit('B2', { stage: 'Closed Lost', close: '2026-01-23', category: 'Omitted' }))],
    ['2026-02-02', () => edit('B1', { close: '2026-03-15' })],
    ['2026-02-09', () => edit('B1', { close: '2026-04-15' })],
    ['2026-02-16', () => (won('A1', 12_000, '2026-02-13'), edit('B1', { close: '2026-05-01' }))],
    ['2026-02-23', () => (edit('A2', { close: '2026-03-25' }), rows.set('A4', { ...open('A4', 'Ana Ruiz', 7_000, '2026-03-28', 'Commit'), created: '2026-02-20' }))],
    ['2026-03-02', () => (edit('A5', { close: '2026-03-30' }), rows.delete('B3'))],
    ['2026-03-09', () => (edit('A2', { close: '2026-04-10' }), rows.delete('A5'))],
    ['2026-03-16', () => won('A4', 7_000, '2026-03-13')],
    ['2026-03-23', null],
    ['2026-03-30', null],
  ];
  return weeks.map(([day, change]) => {
    change?.();
    rows = new Map(rows);
    return [day, [...rows.values()]];
  });
}

function csv(rows: readonly Row[]): string {
  const header = 'Opportunity ID,Opportunity Name,Account Name,Opportunity Owner,Stage,Amount,Opportunity Currency,Close Date,Created Date,Forecast Category';
  return [header, ...rows.map((row) => [row.id, `Deal ${row.id}`, 'Acme', row.owner, row.stage, `"$${row.amount.toLocaleString('en-US')}.00"`, 'USD', row.close, row.created, row.category].join(','))].join('\n');
}

type Export = MetricsExport & { pipelineMovement: PipelineMovementExport | null };

describe('a simulated quarter of weekly uploads through the dispatcher', () => {
  let stack: LocalStack;
  let now = new Date('2026-01-04T12:00:00Z');
  const exports = new Map<string, Export>();

  beforeAll(async () => {
    stack = await startLocalStack(CONFIG, { renderers: STUB_RENDERERS, clock: () => now });
    await stack.upload('uploads/people/people.csv', PEOPLE);
    await stack.upload('uploads/quotas/quotas.csv', QUOTAS);
    const dispatch = createDispatchHandler(stack.runtime);
    const tick = async (day: string) => {
      const scheduled = zonedInstant(day, '07:00', 'Europe/Madrid');
      now = new Date(scheduled.getTime() + 1_000);
      await dispatch({ scheduledTime: scheduled.toISOString() });
      const object = await stack.aws.clients.s3.send(new GetObjectCommand({ Bucket: stack.aws.bucketName, Key: `metrics/FY2026-Q1/${day}.json` }));
      exports.set(day, JSON.parse(await object.Body!.transformToString('utf-8')) as Export);
    };
    for (const [day, rows] of weeklyExports()) {
      now = zonedInstant(day, '06:00', 'Europe/Madrid');
      await stack.upload('uploads/deals/opportunities.csv', csv(rows));
      const report = await stack.report('uploads/deals/opportunities.csv');
      expect([report.counts.rejected, report.counts.accepted]).toEqual([0, rows.length]);
      await tick(day);
    }
    await tick('2026-03-31');
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const entity = (day: string, level: string, id: string): EntityMetrics => {
    const found = exports.get(day)!.entities.find((candidate) => candidate.level === level && candidate.id === id);
    if (!found) throw new Error(`no ${level} ${id} as of ${day}`);
    return found;
  };
  const ANA = 'ana@iberia.example';
  const BEN = 'ben@iberia.example';

  it('counts the revenue the way the quarter went (the base every other figure is checked against)', () => {
    expect(entity('2026-03-31', 'rep', ANA).revenue).toBe(2_400_000);
    expect(entity('2026-03-31', 'rep', BEN).revenue).toBe(0);
  });

  it('slip rate: of the deals the quarter expected on Jan 5, those neither won nor lost, by count and by the Jan 5 amounts', () => {
    // Ana: A1, A2, A3 expected (35 000); A2 still open. Ben: B1, B2 (12 000); B1 still open. A5 closed in April then.
    expect([entity('2026-03-31', 'rep', ANA).slipRate, entity('2026-03-31', 'rep', ANA).slipRateValue]).toEqual([1 / 3, 2_000_000 / 3_500_000]);
    expect([entity('2026-03-31', 'rep', BEN).slipRate, entity('2026-03-31', 'rep', BEN).slipRateValue]).toEqual([1 / 2, 800_000 / 1_200_000]);
    expect([entity('2026-03-31', 'team', 'Iberia').slipRate, entity('2026-03-31', 'team', 'Iberia').slipRateValue]).toEqual([2 / 5, 2_800_000 / 4_700_000]);
    // The first run has no earlier snapshot in the quarter: n/a, not 0.
    expect(entity('2026-01-05', 'rep', ANA).slipRate).toBeNull();
    // Mid-quarter (Feb 9): A3 won; A1, A2 open; B2 lost; B1 open.
    expect(entity('2026-02-09', 'team', 'Iberia').slipRate).toBe(3 / 5);
  });

  it('close-date pushes: A2 and B1 pushed three times are flagged; A3 (pushed once, then won) is not', () => {
    expect(entity('2026-03-31', 'rep', ANA).pushedThreeTimesCount).toBe(1);
    expect(entity('2026-03-31', 'rep', BEN).pushedThreeTimesCount).toBe(1);
    expect(entity('2026-03-31', 'team', 'Iberia').pushedThreeTimesCount).toBe(2);
    expect(entity('2026-02-09', 'rep', BEN).pushedThreeTimesCount).toBe(0); // twice so far
    expect(entity('2026-01-05', 'rep', BEN).pushedThreeTimesCount).toBeNull(); // no snapshot to count from yet
  });

  it('forecast accuracy once the quarter is over, from the projections the Jan 26, Feb 23 and Mar 23 reports stated', () => {
    // Stated: Jan 26 — 500 000 won in 26 of 90 days → 1 730 769; Feb 23 — 1 700 000 in 54 days → 2 833 333;
    // Mar 23 — 2 400 000 in 82 days → 2 634 146. Actual 2 400 000.
    expect(entity('2026-01-26', 'rep', ANA).projectedRevenue).toBe(1_730_769);
    expect(entity('2026-02-23', 'rep', ANA).projectedRevenue).toBe(2_833_333);
    expect(entity('2026-03-23', 'rep', ANA).projectedRevenue).toBe(2_634_146);
    for (const [level, id] of [['rep', ANA], ['team', 'Iberia'], ['company', 'company']] as const) {
      const figures = entity('2026-03-31', level, id);
      expect(figures.forecastAccuracyWeek4).toBeCloseTo(1 - 669_231 / 2_400_000, 12);
      expect(figures.forecastAccuracyWeek8).toBeCloseTo(1 - 433_333 / 2_400_000, 12);
      expect(figures.forecastAccuracyLastWeek).toBeCloseTo(1 - 234_146 / 2_400_000, 12);
    }
    // Ben closed nothing: accuracy against 0 is n/a. While the quarter runs, nobody has one.
    const ben = entity('2026-03-31', 'rep', BEN);
    expect([ben.forecastAccuracyWeek4, ben.forecastAccuracyWeek8, ben.forecastAccuracyLastWeek]).toEqual([null, null, null]);
    expect(entity('2026-03-30', 'rep', ANA).forecastAccuracyWeek4).toBeNull();
  });

  it('category moves: B1 went from Pipeline to Best Case in the week to Jan 19', () => {
    expect(exports.get('2026-01-19')!.pipelineMovement!.categoryMoves).toEqual([
      { dealId: 'B1', owner: 'Ben Ortiz', from: 'pipeline', to: 'bestCase', amount: 800_000, closeDate: '2026-02-20' },
    ]);
    expect(exports.get('2026-01-26')!.pipelineMovement!.categoryMoves).toEqual([]);
  });

  it('the waterfall of each week, term by term, against the hand-computed opening and closing', () => {
    const company = (day: string) => {
      const movement = exports.get(day)!.pipelineMovement!;
      const figures = movement.entities.find((candidate) => candidate.level === 'company')!;
      const { level, id, name, team, region, ...terms } = figures;
      void level, id, name, team, region;
      return Object.fromEntries(Object.entries(terms).filter(([, value]) => value !== 0));
    };
    // Jan 26 vs Jan 19: A1 10 000 + A2 20 000 + B1 8 000 + B2 4 000 open in Q1; B2 lost.
    expect(company('2026-01-26')).toEqual({ opening: 4_200_000, lost: 400_000, closing: 3_800_000 });
    // Feb 16 vs Feb 9: A1 won at 12 000 (grew 2 000 on the way); B1 already out of the quarter.
    expect(company('2026-02-16')).toEqual({ opening: 3_000_000, increased: 200_000, won: 1_200_000, closing: 2_000_000 });
    // Feb 23: A4 new.
    expect(company('2026-02-23')).toEqual({ opening: 2_000_000, new: 700_000, closing: 2_700_000 });
    // Mar 2: A5 pulled in from April; B3 removed, but it was never in the quarter.
    expect(company('2026-03-02')).toEqual({ opening: 2_700_000, pulledIn: 300_000, closing: 3_000_000 });
    // Mar 9: A2 pushed to April, A5 removed from the CRM.
    expect(company('2026-03-09')).toEqual({ opening: 3_000_000, pushedOut: 2_000_000, removed: 300_000, closing: 700_000 });
  });

  const reportData = async (week: string) => {
    const object = await stack.aws.clients.s3.send(new GetObjectCommand({ Bucket: stack.aws.bucketName, Key: `reports/weekly-scorecard/${week}/metrics.json` }));
    return JSON.parse(await object.Body!.transformToString('utf-8'));
  };

  it('names the deals behind each bar of the waterfall in the stored report data (Mar 9: A2 pushed out, A5 removed)', async () => {
    const data = await reportData('2026-W11');
    expect(data.movement.openingAsOf).toBe('2026-03-02');
    expect(data.movement.deals.map((line: { term: string; id: string; name: string; amount: number }) => [line.term, line.id, line.name, line.amount])).toEqual([
      ['pushedOut', 'A2', 'Deal A2', 2_000_000],
      ['removed', 'A5', '', 300_000],
    ]);
  });

  it('lists each open deal with its push count in the stored report data', async () => {
    const data = await reportData('2026-W14');
    const pushes = Object.fromEntries((data.deals.open as { id: string; closeDatePushes: number }[]).map((deal) => [deal.id, deal.closeDatePushes]));
    expect(pushes).toEqual({ A2: 3, B1: 3 });
    expect((data.deals.pushed as { id: string }[]).map((deal) => deal.id).sort()).toEqual(['A2', 'B1']);
  });
});
