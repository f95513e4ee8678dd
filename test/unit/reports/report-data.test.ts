import { describe, expect, it } from 'vitest';
import { FiscalCalendar } from '../../../shared/domain/fiscal-calendar.js';
import { toMetricsExport } from '../../../shared/domain/metrics-export.js';
import { computeMetrics } from '../../../shared/domain/metrics.js';
import { OrgChart } from '../../../shared/domain/org-chart.js';
import { pipelineMovement, type DealSnapshot } from '../../../shared/domain/pipeline-movement.js';
import type { Deal, Person } from '../../../shared/domain/types.js';
import { buildReportData } from '../../../shared/reports/build-report-data.js';
import { reportKey, scopeId } from '../../../shared/reports/report-data.js';

const calendar = new FiscalCalendar({ timeZone: 'UTC', yearStartMonth: 1, naming: 'end', weekStart: 'monday', holidays: [] });
const people: Person[] = [
  { id: 'ana@acme.com', name: 'Ana Peña', email: 'ana@acme.com', role: 'rep', team: 'West', manager: null, region: 'EMEA', active: true, effectiveFrom: null },
];
let sequence = 0;
function deal(stageClass: Deal['stageClass'], amount: number, closeDate: string | null, createdDate: string | null = '2026-01-02'): Deal {
  sequence += 1;
  return {
    id: `D${sequence}`,
    name: `Deal ${sequence}`,
    account: 'Acme',
    owner: 'Ana Peña',
    stage: stageClass,
    stageClass,
    probability: stageClass === 'won' ? 1 : stageClass === 'lost' ? 0 : 0.25,
    amount,
    currency: 'USD',
    originalAmount: amount,
    closeDate,
    createdDate,
    pipeline: null,
    lastActivityDate: null,
  };
}

describe('report data', () => {
  const asOf = '2026-02-16'; // Monday; the previous report was Monday 9 February
  const quarter = calendar.periodById('FY2026-Q1');
  const oldWin = deal('won', 100, '2026-02-09');
  const weekWin = deal('won', 300, '2026-02-12');
  const todayWin = deal('won', 200, '2026-02-16');
  const open = deal('open', 1_000, '2026-03-20');
  const slippedNow = deal('open', 5_000, '2026-05-10');
  const stillInQuarter = deal('open', 700, '2026-03-30');
  const undated = deal('open', 50, null, null);
  const deals = [oldWin, weekWin, todayWin, open, slippedNow, stillInQuarter, undated];
  const settings = { currency: 'USD', coverageTarget: 3, teamAttribution: 'history' as const };
  const result = computeMetrics({ deals, people, quotas: [], keyAccounts: [], calendar, period: quarter, asOf, settings });
  const lastWeek: DealSnapshot[] = [
    { ...slippedNow, closeDate: '2026-03-15' },
    { ...stillInQuarter, closeDate: '2026-03-01' },
    { ...open },
    { ...weekWin, stageClass: 'open' },
  ];
  const now = [slippedNow, stillInQuarter, open, undated].map((d): DealSnapshot => ({ ...d }));
  const movement = pipelineMovement(lastWeek, now, quarter, { org: new OrgChart(people), asOf, closed: { won: [{ ...weekWin }], lost: [] } });
  const data = buildReportData({
    calendar,
    asOf,
    metrics: toMetricsExport(result, { org: 'Acme', asOf, generatedAt: '2026-02-16T07:00:00Z' }),
    deals,
    people,
    teamAttribution: 'history',
    previous: { asOf: '2026-02-09', entities: [] },
    movement: { openingAsOf: '2026-02-09', closingAsOf: asOf, movement },
    earlierQuarters: [],
    uploads: [],
    settings: { locale: 'en', timeZone: 'UTC', rag: { green: 1, amber: 0.8 }, coverageTarget: 3 },
  });

  it("takes the week's wins since the last report, biggest first", () => {
    expect(data.deals.weekWins.map((line) => line.id)).toEqual([weekWin.id, todayWin.id]);
    expect(data.deals.quarterWins.map((line) => line.id)).toEqual([todayWin.id, weekWin.id, oldWin.id]);
  });

  it('lists as slipped only the deals pushed beyond the quarter, with the date they had', () => {
    expect(data.deals.slipped).toEqual([expect.objectContaining({ id: slippedNow.id, previousCloseDate: '2026-03-15', closeDate: '2026-05-10' })]);
  });

  it('lists every open deal with its weighted amount, age and next-quarter flag', () => {
    expect(data.deals.open.map((line) => [line.id, line.weighted, line.nextQuarter, line.ageDays])).toEqual([
      [slippedNow.id, 1_250, true, 45],
      [open.id, 250, false, 45],
      [stillInQuarter.id, 175, false, 45],
      [undated.id, 13, false, null],
    ]);
  });

  it('numbers the week within its quarter', () => {
    // W01 (29 Dec – 4 Jan) ends in the quarter, so it is its first week; W14 (30 Mar – 5 Apr) belongs to the next.
    expect(data.week).toMatchObject({ id: '2026-W08', numberInQuarter: 8, weeksInQuarter: 13 });
  });
});

describe('the week of the quarter', () => {
  it('counts a week that ends in the next quarter as the week after the quarter\'s last', () => {
    // As of Monday 28 Sep 2026 the quarter is FY2026-Q3, but its week (28 Sep – 4 Oct) ends in Q4.
    const asOf = '2026-09-28';
    const quarter = calendar.periodById('FY2026-Q3');
    const result = computeMetrics({ deals: [], people, quotas: [], keyAccounts: [], calendar, period: quarter, asOf, settings: { currency: 'USD', coverageTarget: 3, teamAttribution: 'history' } });
    const data = buildReportData({
      calendar,
      asOf,
      metrics: toMetricsExport(result, { org: 'Acme', asOf, generatedAt: '2026-09-28T07:00:00Z' }),
      deals: [],
      people,
      teamAttribution: 'history',
      previous: null,
      movement: null,
      earlierQuarters: [],
      uploads: [],
      settings: { locale: 'en', timeZone: 'UTC', rag: { green: 1, amber: 0.8 }, coverageTarget: 3 },
    });
    expect(data.week).toMatchObject({ id: '2026-W40', numberInQuarter: 14, weeksInQuarter: 14 });
  });
});

describe('report keys', () => {
  it('are deterministic and file-name safe for any team or rep', () => {
    expect(scopeId({ level: 'company' })).toBe('organisation');
    expect(scopeId({ level: 'team', team: 'West' })).toBe('team-west');
    expect(scopeId({ level: 'team', team: 'UK & Ireland' })).toMatch(/^team-uk-ireland-[0-9a-f]{8}$/);
    expect(scopeId({ level: 'rep', repId: 'José.Peña@acme.com' })).toMatch(/^rep-jose-pena-acme-com-[0-9a-f]{8}$/);
    expect(scopeId({ level: 'team', team: '../../etc' })).toMatch(/^team-etc-[0-9a-f]{8}$/);
    expect(scopeId({ level: 'team', team: 'UK & Ireland' })).toBe(scopeId({ level: 'team', team: 'UK & Ireland' }));
  });

  it('never gives two teams that read alike the same key', () => {
    const alike = ['UK & Ireland', 'UK Ireland', 'UK-Ireland', 'uk ireland', 'UK/Ireland', 'UK_Ireland'];
    const ids = alike.map((team) => scopeId({ level: 'team', team }));
    expect(new Set(ids).size).toBe(alike.length);
    expect(reportKey('weekly-scorecard', '2026-W08', { level: 'team', team: 'West' }, 'xlsx')).toBe('reports/weekly-scorecard/2026-W08/team-west.xlsx');
  });
});
