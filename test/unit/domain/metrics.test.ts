import { describe, expect, it } from 'vitest';
import { FiscalCalendar } from '../../../shared/domain/fiscal-calendar.js';
import { computeMetrics } from '../../../shared/domain/metrics.js';
import { divideRounded } from '../../../shared/domain/entity-figures.js';
import type { EntityMetrics, MetricsInput, MetricsResult } from '../../../shared/domain/metrics.js';
import { toMetricsExport } from '../../../shared/domain/metrics-export.js';
import type { Deal, EntityLevel, KeyAccount, Person, Quota, StageClass } from '../../../shared/domain/types.js';

// ---------------------------------------------------------------------------
// A tiny org, every figure computed by hand below.
//
// Calendar: fiscal year = calendar year (FY2026 = 2026), ISO weeks.
// Period FY2026-Q1 = 2026-01-01 … 2026-03-31 (31 + 28 + 31 = 90 days).
// As of 2026-02-14: elapsed 31 + 14 = 45 days (half), 45 days left.
// Comparison windows (same 45 days): previous quarter 2025-10-01 … 2025-11-14,
// same quarter last year 2025-01-01 … 2025-02-14. Next quarter FY2026-Q2.
//
// EMEA ─ Iberia ─ Ana (ana@example.com), Ben (ben@example.com)   manager Mia
//      └ DACH ─── Carla ("carla mayer", no e-mail)
// AMER ─ East ─── Dev (dev@example.com), Eve (eve@example.com)
// ---------------------------------------------------------------------------

function person(overrides: Partial<Person> & Pick<Person, 'id' | 'name' | 'team' | 'region'>): Person {
  return { email: null, role: 'rep', manager: null, active: true, effectiveFrom: null, ...overrides };
}

let dealCount = 0;
function deal(
  owner: string,
  stageClass: StageClass,
  amount: number,
  closeDate: string,
  extra: Partial<Deal> = {},
): Deal {
  dealCount += 1;
  return {
    id: extra.id ?? `D${dealCount}`,
    name: `Deal ${dealCount}`,
    account: 'Some Account',
    owner,
    stage: stageClass,
    stageClass,
    probability: stageClass === 'won' ? 1 : stageClass === 'lost' ? 0 : 0.1,
    amount,
    currency: 'USD',
    originalAmount: amount,
    closeDate,
    createdDate: null,
    pipeline: null,
    lastActivityDate: null,
    ...extra,
  };
}

const calendarYear = new FiscalCalendar({ timeZone: 'Europe/Madrid', yearStartMonth: 1, naming: 'end', weekStart: 'monday', holidays: [] });

const people: Person[] = [
  person({ id: 'ana@example.com', name: 'Ana Ruiz', email: 'ana@example.com', team: 'Iberia', region: 'EMEA', manager: 'mia@example.com' }),
  person({ id: 'ben@example.com', name: 'Ben Ortiz', email: 'ben@example.com', team: 'Iberia', region: 'EMEA', manager: 'mia@example.com' }),
  person({ id: 'mia@example.com', name: 'Mia López', email: 'mia@example.com', role: 'manager', team: 'Iberia', region: 'EMEA' }),
  person({ id: 'carla mayer', name: 'Carla Mayer', team: 'DACH', region: 'EMEA' }),
  person({ id: 'dev@example.com', name: 'Dev Patel', email: 'dev@example.com', team: 'East', region: 'AMER' }),
  person({ id: 'eve@example.com', name: 'Eve Stone', email: 'eve@example.com', team: 'East', region: 'AMER' }),
];

const quotas: Quota[] = [
  { level: 'rep', entityId: 'ana@example.com', periodId: 'FY2026-Q1', amount: 100_000 },
  { level: 'rep', entityId: 'ben@example.com', periodId: 'FY2026-Q1', amount: 50_000 },
  // Carla has monthly quotas only: her quarter is their sum, 60 000.
  { level: 'rep', entityId: 'carla mayer', periodId: 'FY2026-M01', amount: 20_000 },
  { level: 'rep', entityId: 'carla mayer', periodId: 'FY2026-M02', amount: 20_000 },
  { level: 'rep', entityId: 'carla mayer', periodId: 'FY2026-M03', amount: 20_000 },
  // Dev has no quota (n/a).
  { level: 'rep', entityId: 'eve@example.com', periodId: 'FY2026-Q1', amount: 40_000 },
  // Iberia's own figure (200 000) wins over the sum of its reps (150 000).
  { level: 'team', entityId: 'Iberia', periodId: 'FY2026-Q1', amount: 200_000 },
  { level: 'company', entityId: 'company', periodId: 'FY2026-Q1', amount: 400_000 },
  { level: 'rep', entityId: 'ana@example.com', periodId: 'FY2026-Q2', amount: 120_000 },
];

const keyAccounts: KeyAccount[] = [
  { id: 'acme corp', name: 'Acme Corp', tier: 'A' },
  { id: 'globex', name: 'Globex', tier: null },
];

const deals: Deal[] = [
  // Won this quarter to date.
  deal('Ana Ruiz', 'won', 30_000, '2026-01-10', { createdDate: '2025-12-01', account: 'ACME   corp' }), // cycle 40
  deal('Ana Ruiz', 'won', 20_000, '2026-02-14', { createdDate: '2026-01-15' }), // as-of day counts; cycle 30; new
  deal('ben@example.com', 'won', 50_000, '2026-02-01', { createdDate: '2026-01-02', account: 'Acme Corp' }), // cycle 30; new
  deal('  carla   MAYER ', 'won', 12_000, '2026-01-20'), // no created date: no cycle
  deal('EVE@example.com', 'won', 8_000, '2026-02-10', { createdDate: '2026-02-03' }), // cycle 7; new
  deal('dev@example.com', 'won', 5_000, '2026-01-05', { createdDate: '2025-10-05' }), // cycle 92
  deal('Ana Ruiz', 'won', 99_999, '2026-02-15'), // after the as-of day: not revenue yet
  // Lost this quarter.
  deal('Ana Ruiz', 'lost', 10_000, '2026-01-25', { createdDate: '2025-12-01' }),
  deal('carla mayer', 'lost', 12_000, '2026-02-05', { createdDate: '2026-01-10' }), // new pipeline
  deal('carla mayer', 'lost', 6_000, '2026-02-06'),
  // Open.
  deal('Ana Ruiz', 'open', 40_000, '2026-02-14', { probability: 0.5, createdDate: '2026-01-20' }), // in pipeline (as-of day); new
  deal('Ana Ruiz', 'open', 15_000, '2026-03-31', { probability: 0.3, createdDate: '2025-12-15' }), // last day of Q1: in
  deal('Ana Ruiz', 'open', 70_000, '2026-04-01', { probability: 0.2, createdDate: '2025-11-01' }), // next day: next quarter
  deal('ben@example.com', 'open', 10_000, '2026-02-13', { id: 'PD-BEN', probability: 0.25, createdDate: '2025-12-20' }), // past due 1 day
  deal('carla mayer', 'open', 33_333, '2026-03-01', { probability: 0.1, createdDate: '2025-12-01' }), // weighted 3 333.3
  deal('eve@example.com', 'open', 20_001, '2026-03-15', { probability: 0.5, createdDate: '2026-02-15' }), // weighted 10 000.5; created after as-of
  deal('dev@example.com', 'open', 9_000, '2025-11-30', { id: 'PD-DEV', probability: 0.6, createdDate: '2025-09-01' }), // past due 76 days
  deal('Zed Unknown', 'open', 5_000, '2026-03-10', { probability: 0.4, createdDate: '2026-01-05' }), // Unassigned; new
  // Comparison periods.
  deal('Ana Ruiz', 'won', 25_000, '2025-11-14', { account: 'Acme Corp' }), // last day of the previous-quarter window
  deal('Ana Ruiz', 'won', 7_000, '2025-11-15'), // day 46 of Q4: outside the window
  deal('Ana Ruiz', 'won', 40_000, '2025-02-14', { account: 'Acme Corp' }), // last day of the last-year window
  deal('dev@example.com', 'won', 5_000, '2025-01-03'),
  deal('eve@example.com', 'won', 16_000, '2025-10-20'),
  // Far history: touches nothing.
  deal('Ana Ruiz', 'lost', 1_000_000, '2024-06-30'),
];

function baseInput(overrides: Partial<MetricsInput> = {}): MetricsInput {
  return {
    deals,
    people,
    quotas,
    keyAccounts,
    calendar: calendarYear,
    period: calendarYear.periodById('FY2026-Q1'),
    asOf: '2026-02-14',
    settings: { currency: 'USD', coverageTarget: 3, teamAttribution: 'history' },
    ...overrides,
  };
}

function entity(result: MetricsResult, level: EntityLevel, id: string): EntityMetrics {
  const found = result.entities.find((e) => e.level === level && e.id === id);
  if (!found) throw new Error(`no ${level} ${id} in ${result.entities.map((e) => `${e.level}:${e.id}`).join(', ')}`);
  return found;
}

describe('computeMetrics on a hand-computed org (FY2026-Q1 as of 2026-02-14)', () => {
  const result = computeMetrics(baseInput());

  it('lists the company, regions, teams and reps in order, Unassigned last', () => {
    expect(result.entities.map((e) => `${e.level}:${e.id}`)).toEqual([
      'company:company',
      'region:AMER',
      'region:EMEA',
      'region:Unassigned',
      'team:East',
      'team:DACH',
      'team:Iberia',
      'team:Unassigned',
      'rep:carla mayer',
      'rep:dev@example.com',
      'rep:eve@example.com',
      'rep:ana@example.com',
      'rep:ben@example.com',
      'rep:unassigned',
    ]);
    expect(entity(result, 'rep', 'ana@example.com')).toMatchObject({ name: 'Ana Ruiz', team: 'Iberia', region: 'EMEA', period: 'FY2026-Q1', currency: 'USD' });
    expect(entity(result, 'team', 'East')).toMatchObject({ team: null, region: 'AMER' });
  });

  it('Ana: on pace, pipeline under target, growth against both comparison windows', () => {
    expect(entity(result, 'rep', 'ana@example.com')).toMatchObject({
      revenue: 50_000, // 30 000 + 20 000; the 99 999 win dated after the as-of day is not in
      quota: 100_000,
      attainment: 0.5,
      gapToQuota: 50_000,
      pace: 1, // 0.5 ÷ (45 / 90)
      projectedRevenue: 100_000, // 50 000 ÷ 45 × 90
      projectedAttainment: 1,
      requiredPerDay: 1_111, // 50 000 ÷ 45 = 1 111.1
      openPipeline: 55_000, // 40 000 (as-of day) + 15 000 (last day of Q1)
      weightedPipeline: 24_500, // 20 000 + 4 500
      pipelineCoverage: 1.1, // 55 000 ÷ 50 000
      quotaMet: false,
      coverageHealthy: false, // below 3×
      nextQuarterPipeline: 70_000,
      nextQuarterQuota: 120_000,
      wonCount: 2,
      lostCount: 1,
      lostAmount: 10_000,
      averageDealSize: 25_000,
      salesCycleMedianDays: 35, // [30, 40]
      salesCycleMeanDays: 35,
      newPipeline: 60_000, // 20 000 won + 40 000 open created in Q1 to date
      pastDueCount: 0,
      pastDueAmount: 0,
      growthQoQ: 1, // (50 000 − 25 000) ÷ 25 000
      growthYoY: 0.25, // (50 000 − 40 000) ÷ 40 000
      growthWoW: null,
      revenueComparisons: { previousPeriod: 25_000, lastYear: 40_000, previousWeek: null },
      rankInTeam: 2,
      rankInCompany: 2,
    });
    const ana = entity(result, 'rep', 'ana@example.com');
    expect(ana.nextQuarterCoverage).toBeCloseTo(70_000 / 120_000, 12);
    expect(ana.winRate).toBeCloseTo(2 / 3, 12);
    expect(ana.valueWinRate).toBeCloseTo(50_000 / 60_000, 12);
  });

  it('Ben: gap 0 means quota met — coverage is n/a, not infinite', () => {
    expect(entity(result, 'rep', 'ben@example.com')).toMatchObject({
      revenue: 50_000,
      quota: 50_000,
      attainment: 1,
      gapToQuota: 0,
      quotaMet: true,
      pipelineCoverage: null,
      coverageHealthy: true,
      requiredPerDay: 0,
      pace: 2,
      projectedRevenue: 100_000,
      projectedAttainment: 2,
      openPipeline: 0, // his only open deal is past due
      pastDueCount: 1,
      pastDueAmount: 10_000,
      winRate: 1,
      valueWinRate: 1,
      growthQoQ: null, // nothing to compare with
      growthYoY: null,
      nextQuarterQuota: null,
      nextQuarterCoverage: null,
      rankInTeam: 1,
      rankInCompany: 1,
    });
  });

  it('Carla: quarter quota from monthly quotas, weighted pipeline rounded once', () => {
    const carla = entity(result, 'rep', 'carla mayer');
    expect(carla).toMatchObject({
      revenue: 12_000,
      quota: 60_000,
      attainment: 0.2,
      gapToQuota: 48_000,
      requiredPerDay: 1_067, // 48 000 ÷ 45 = 1 066.7
      openPipeline: 33_333,
      weightedPipeline: 3_333, // 3 333.3
      wonCount: 1,
      lostCount: 2,
      lostAmount: 18_000,
      valueWinRate: 0.4, // 12 000 ÷ 30 000
      salesCycleMedianDays: null, // her only win has no created date
      salesCycleMeanDays: null,
      newPipeline: 12_000,
      rankInCompany: 3,
      rankInTeam: 1,
    });
    expect(carla.pace).toBeCloseTo(0.4, 12);
    expect(carla.pipelineCoverage).toBeCloseTo(33_333 / 48_000, 12);
    expect(carla.winRate).toBeCloseTo(1 / 3, 12);
  });

  it('Dev: no quota makes every quota ratio n/a, and he is unranked', () => {
    expect(entity(result, 'rep', 'dev@example.com')).toMatchObject({
      revenue: 5_000,
      quota: null,
      attainment: null,
      gapToQuota: null,
      pace: null,
      projectedRevenue: 10_000,
      projectedAttainment: null,
      requiredPerDay: null,
      pipelineCoverage: null,
      quotaMet: false,
      coverageHealthy: null,
      pastDueCount: 1,
      pastDueAmount: 9_000,
      salesCycleMedianDays: 92,
      growthYoY: 0, // 5 000 vs 5 000
      rankInTeam: null,
      rankInCompany: null,
    });
  });

  it('Eve: weighted pipeline 10 000.5 rounds half away from zero; ties Carla for rank 3', () => {
    expect(entity(result, 'rep', 'eve@example.com')).toMatchObject({
      revenue: 8_000,
      attainment: 0.2,
      requiredPerDay: 711, // 32 000 ÷ 45 = 711.1
      openPipeline: 20_001,
      weightedPipeline: 10_001,
      growthQoQ: -0.5, // (8 000 − 16 000) ÷ 16 000
      newPipeline: 8_000, // her open deal was created after the as-of day
      rankInTeam: 1,
      rankInCompany: 3,
    });
  });

  it('Unassigned: an unknown owner is counted, listed and never ranked', () => {
    expect(entity(result, 'rep', 'unassigned')).toMatchObject({
      name: 'Unassigned',
      team: 'Unassigned',
      region: 'Unassigned',
      openPipeline: 5_000,
      weightedPipeline: 2_000,
      newPipeline: 5_000,
      quota: null,
      rankInTeam: null,
      rankInCompany: null,
    });
    expect(result.unmatchedOwners).toEqual(['Zed Unknown']);
  });

  it('teams: own uploaded quota wins over the members’ sum; otherwise the sum of members who have one', () => {
    expect(entity(result, 'team', 'Iberia')).toMatchObject({
      revenue: 100_000,
      quota: 200_000, // uploaded, not 150 000
      attainment: 0.5,
      gapToQuota: 100_000,
      requiredPerDay: 2_222,
      openPipeline: 55_000,
      weightedPipeline: 24_500,
      pipelineCoverage: 0.55,
      wonCount: 3,
      lostCount: 1,
      averageDealSize: 33_333, // 100 000 ÷ 3
      salesCycleMedianDays: 30, // [30, 30, 40]
      newPipeline: 110_000,
      pastDueCount: 1,
      pastDueAmount: 10_000,
      growthQoQ: 3, // (100 000 − 25 000) ÷ 25 000
      growthYoY: 1.5, // (100 000 − 40 000) ÷ 40 000
    });
    expect(entity(result, 'team', 'Iberia').salesCycleMeanDays).toBeCloseTo(100 / 3, 12);
    expect(entity(result, 'team', 'DACH')).toMatchObject({ quota: 60_000, revenue: 12_000 });
    expect(entity(result, 'team', 'East')).toMatchObject({
      revenue: 13_000,
      quota: 40_000, // Eve's 40 000; Dev has none
      attainment: 0.325,
      salesCycleMedianDays: 49.5, // [7, 92]
      salesCycleMeanDays: 49.5,
      growthQoQ: -0.1875, // (13 000 − 16 000) ÷ 16 000
      growthYoY: 1.6, // (13 000 − 5 000) ÷ 5 000
    });
    expect(entity(result, 'team', 'Unassigned')).toMatchObject({ quota: null, openPipeline: 5_000 });
  });

  it('regions and company roll up; the company uses its own uploaded quota', () => {
    expect(entity(result, 'region', 'EMEA')).toMatchObject({
      revenue: 112_000,
      quota: 260_000, // Iberia 200 000 (own) + DACH 60 000 (summed)
      openPipeline: 88_333,
      weightedPipeline: 27_833,
      wonCount: 4,
      lostCount: 3,
      newPipeline: 122_000,
    });
    expect(entity(result, 'region', 'AMER')).toMatchObject({ revenue: 13_000, quota: 40_000 });
    expect(entity(result, 'company', 'company')).toMatchObject({
      name: 'Company',
      revenue: 125_000,
      quota: 400_000, // uploaded; the regions sum to 300 000
      attainment: 0.3125,
      wonCount: 6,
      lostCount: 3,
      lostAmount: 28_000,
      openPipeline: 113_334,
      weightedPipeline: 39_834, // 24 500 + 3 333 + 10 001 + 2 000
      nextQuarterPipeline: 70_000,
      newPipeline: 135_000,
      pastDueCount: 2,
      pastDueAmount: 19_000,
      revenueComparisons: { previousPeriod: 41_000, lastYear: 45_000, previousWeek: null },
    });
  });

  it('key accounts: revenue, share of company revenue, growth', () => {
    expect(result.keyAccounts).toEqual([
      {
        id: 'acme corp',
        name: 'Acme Corp',
        tier: 'A',
        revenue: 80_000, // 30 000 (written "ACME   corp") + 50 000
        wonCount: 2,
        shareOfRevenue: 0.64, // 80 000 ÷ 125 000
        growthQoQ: 2.2, // (80 000 − 25 000) ÷ 25 000
        growthYoY: 1, // (80 000 − 40 000) ÷ 40 000
        revenueComparisons: { previousPeriod: 25_000, lastYear: 40_000 },
      },
      {
        id: 'globex',
        name: 'Globex',
        tier: null,
        revenue: 0,
        wonCount: 0,
        shareOfRevenue: 0,
        growthQoQ: null,
        growthYoY: null,
        revenueComparisons: { previousPeriod: 0, lastYear: 0 },
      },
    ]);
  });

  it('past-due deals: open deals dated before the as-of day, from all history, oldest first', () => {
    expect(result.pastDueDeals.map((d) => [d.deal.id, d.repId, d.team, d.region, d.daysPastDue])).toEqual([
      ['PD-DEV', 'dev@example.com', 'East', 'AMER', 76],
      ['PD-BEN', 'ben@example.com', 'Iberia', 'EMEA', 1],
    ]);
    expect(result.pastDueDeals[0]).toMatchObject({ repName: 'Dev Patel', deal: { amount: 9_000, closeDate: '2025-11-30' } });
  });

  it('reports the comparison periods and windows it used', () => {
    expect(result.comparisonPeriods.previous.id).toBe('FY2025-Q4');
    expect(result.comparisonPeriods.lastYear.id).toBe('FY2025-Q1');
    expect(result.comparisonPeriods.nextQuarter.id).toBe('FY2026-Q2');
    expect(result.windows).toEqual({
      toDate: { start: '2026-01-01', end: '2026-02-14' },
      openPipeline: { start: '2026-02-14', end: '2026-03-31' },
      previousPeriod: { start: '2025-10-01', end: '2025-11-14' },
      lastYear: { start: '2025-01-01', end: '2025-02-14' },
      nextQuarterPipeline: { start: '2026-04-01', end: '2026-06-30' },
      trailingFourQuarters: { start: '2025-01-01', end: '2025-12-31' },
    });
  });
});

describe('computeMetrics edge cases', () => {
  it('a rep with a quota and no deals: zero revenue is 0% attainment, other ratios n/a', () => {
    const result = computeMetrics(baseInput({ deals: [] }));
    expect(entity(result, 'rep', 'ana@example.com')).toMatchObject({
      revenue: 0,
      attainment: 0,
      pace: 0,
      projectedRevenue: 0,
      projectedAttainment: 0,
      gapToQuota: 100_000,
      pipelineCoverage: 0,
      winRate: null,
      valueWinRate: null,
      averageDealSize: null,
      salesCycleMedianDays: null,
      growthQoQ: null,
      growthYoY: null,
    });
    expect(result.entities.some((e) => e.id === 'unassigned')).toBe(false);
    expect(result.keyAccounts[0]?.shareOfRevenue).toBeNull();
  });

  it('a deal closing on the last day of the quarter counts; the next day belongs to the next quarter', () => {
    const result = computeMetrics(
      baseInput({
        asOf: '2026-04-10', // the quarter is over: whole-quarter figures
        deals: [deal('Ana Ruiz', 'won', 1_000, '2026-03-31'), deal('Ana Ruiz', 'won', 2_000, '2026-04-01')],
      }),
    );
    expect(entity(result, 'rep', 'ana@example.com')).toMatchObject({
      revenue: 1_000,
      pace: 0.01, // over: attainment ÷ 1
      projectedRevenue: 1_000,
      requiredPerDay: null, // no days left
      openPipeline: 0,
    });
    expect(result.windows.openPipeline).toBeNull();
    expect(result.windows.previousPeriod).toEqual({ start: '2025-10-01', end: '2025-12-31' });
  });

  it('before the period starts nothing has elapsed: no revenue, pace and projection n/a, whole period is pipeline', () => {
    const result = computeMetrics(
      baseInput({ asOf: '2025-12-20', deals: [deal('Ana Ruiz', 'won', 5_000, '2026-01-02'), deal('Ana Ruiz', 'open', 8_000, '2026-03-31')] }),
    );
    expect(entity(result, 'rep', 'ana@example.com')).toMatchObject({
      revenue: 0,
      pace: null,
      projectedRevenue: null,
      openPipeline: 8_000,
    });
    expect(result.windows.toDate).toBeNull();
  });

  it('fiscal year starting in February: FY2027-Q1 is Feb–Apr 2026', () => {
    const calendar = new FiscalCalendar({ timeZone: 'UTC', yearStartMonth: 2, naming: 'end', weekStart: 'monday', holidays: [] });
    const result = computeMetrics(
      baseInput({
        calendar,
        period: calendar.periodById('FY2027-Q1'),
        asOf: '2026-05-05',
        quotas: [
          { level: 'rep', entityId: 'ana@example.com', periodId: 'FY2027-M01', amount: 1_000 },
          { level: 'rep', entityId: 'ana@example.com', periodId: 'FY2027-M03', amount: 3_000 },
        ],
        deals: [
          deal('Ana Ruiz', 'won', 100, '2026-01-31'), // FY2026
          deal('Ana Ruiz', 'won', 200, '2026-02-01'),
          deal('Ana Ruiz', 'won', 400, '2026-04-30'), // last day of FY2027-Q1
          deal('Ana Ruiz', 'won', 800, '2026-05-01'), // FY2027-Q2
        ],
      }),
    );
    expect(result.period).toMatchObject({ start: '2026-02-01', end: '2026-04-30' });
    // Quarter quota from the two monthly quotas uploaded: 1 000 + 3 000.
    expect(entity(result, 'rep', 'ana@example.com')).toMatchObject({ revenue: 600, quota: 4_000, attainment: 0.15 });
    expect(result.comparisonPeriods.previous.id).toBe('FY2026-Q4');
    expect(entity(result, 'rep', 'ana@example.com').revenueComparisons.previousPeriod).toBe(100);
  });

  it('fiscal year starting in October: quarter boundaries and a year quota from its quarters', () => {
    const calendar = new FiscalCalendar({ timeZone: 'UTC', yearStartMonth: 10, naming: 'end', weekStart: 'monday', holidays: [] });
    const deals = [
      deal('Ana Ruiz', 'won', 1_000, '2026-09-30'), // FY2026
      deal('Ana Ruiz', 'won', 2_000, '2026-10-01'), // FY2027-Q1
      deal('Ana Ruiz', 'won', 4_000, '2026-12-31'), // last day of FY2027-Q1
      deal('Ana Ruiz', 'won', 8_000, '2027-01-01'), // FY2027-Q2
    ];
    const quarterResult = computeMetrics(
      baseInput({ calendar, deals, quotas: [], period: calendar.periodById('FY2027-Q1'), asOf: '2027-01-15' }),
    );
    expect(quarterResult.period).toMatchObject({ start: '2026-10-01', end: '2026-12-31' });
    expect(entity(quarterResult, 'rep', 'ana@example.com').revenue).toBe(6_000);

    // Year quota: Q1 uploaded (10 000) + Q2 from months (1 000 + 2 000) + Q3, Q4 uploaded (5 000 each) = 23 000.
    const yearQuotas: Quota[] = [
      { level: 'rep', entityId: 'ana@example.com', periodId: 'FY2027-Q1', amount: 10_000 },
      { level: 'rep', entityId: 'ana@example.com', periodId: 'FY2027-M04', amount: 1_000 },
      { level: 'rep', entityId: 'ana@example.com', periodId: 'FY2027-M05', amount: 2_000 },
      { level: 'rep', entityId: 'ana@example.com', periodId: 'FY2027-Q3', amount: 5_000 },
      { level: 'rep', entityId: 'ana@example.com', periodId: 'FY2027-Q4', amount: 5_000 },
      { level: 'rep', entityId: 'ben@example.com', periodId: 'FY2027', amount: 7_000 },
      { level: 'rep', entityId: 'ben@example.com', periodId: 'FY2027-Q1', amount: 99 }, // ignored: own yearly figure wins
    ];
    const yearResult = computeMetrics(
      baseInput({ calendar, deals, quotas: yearQuotas, period: calendar.periodById('FY2027'), asOf: '2027-10-05' }),
    );
    expect(entity(yearResult, 'rep', 'ana@example.com')).toMatchObject({ revenue: 14_000, quota: 23_000, growthQoQ: null });
    expect(entity(yearResult, 'rep', 'ben@example.com').quota).toBe(7_000);
    expect(entity(yearResult, 'team', 'Iberia').quota).toBe(30_000);
  });

  it('an ISO week 53: week-over-week growth, weekly quota only, week-53 deals', () => {
    // 2026-W53 runs Mon 2026-12-28 … Sun 2027-01-03; the week before is 2026-W52 (Dec 21–27);
    // 2025 has 52 weeks, so last year's comparison is 2025-W52 (Dec 22–28, 2025).
    const week = calendarYear.periodById('2026-W53');
    expect(week).toMatchObject({ start: '2026-12-28', end: '2027-01-03' });
    const result = computeMetrics(
      baseInput({
        period: week,
        asOf: '2027-01-04',
        quotas: [
          { level: 'rep', entityId: 'ana@example.com', periodId: '2026-W53', amount: 10_000 },
          { level: 'rep', entityId: 'ben@example.com', periodId: 'FY2027-Q1', amount: 10_000 }, // not a weekly quota
        ],
        deals: [
          deal('Ana Ruiz', 'won', 3_000, '2026-12-28'),
          deal('Ana Ruiz', 'won', 3_000, '2027-01-03'), // Sunday, last day of week 53
          deal('Ana Ruiz', 'won', 9_000, '2027-01-04'), // week 1 of 2027
          deal('Ana Ruiz', 'won', 4_000, '2026-12-27'), // week 52
          deal('Ana Ruiz', 'won', 2_000, '2025-12-22'), // 2025-W52
          deal('Ana Ruiz', 'open', 5_000, '2027-04-02'), // next quarter after the week's reporting quarter
        ],
      }),
    );
    expect(entity(result, 'rep', 'ana@example.com')).toMatchObject({
      period: '2026-W53',
      revenue: 6_000,
      quota: 10_000,
      attainment: 0.6,
      growthWoW: 0.5, // (6 000 − 4 000) ÷ 4 000
      growthYoY: 2, // (6 000 − 2 000) ÷ 2 000
      growthQoQ: null,
      revenueComparisons: { previousPeriod: 4_000, lastYear: 2_000, previousWeek: 4_000 },
      nextQuarterPipeline: 5_000,
    });
    expect(entity(result, 'rep', 'ben@example.com').quota).toBeNull();
    expect(entity(result, 'team', 'Iberia').quota).toBe(10_000); // Σ members' weekly quotas
    expect(result.comparisonPeriods.nextQuarter.id).toBe('FY2027-Q2');
  });

  describe('a rep who moved teams mid-quarter', () => {
    // Fay: Iberia since always, East from 2026-02-01. One win in each stint.
    const moverPeople: Person[] = [
      ...people,
      person({ id: 'fay@example.com', name: 'Fay Kim', email: 'fay@example.com', team: 'Iberia', region: 'EMEA' }),
      person({ id: 'fay@example.com', name: 'Fay Kim', email: 'fay@example.com', team: 'East', region: 'AMER', effectiveFrom: '2026-02-01' }),
    ];
    const moverDeals = [
      deal('Fay Kim', 'won', 10_000, '2026-01-15'),
      deal('Fay Kim', 'won', 20_000, '2026-02-10'),
      deal('Fay Kim', 'open', 4_000, '2026-03-20', { probability: 0.5 }),
    ];

    it("'history': each deal stays with the team Fay was in at close; she is listed under her new team", () => {
      const result = computeMetrics(baseInput({ people: moverPeople, deals: moverDeals, quotas: [] }));
      expect(entity(result, 'rep', 'fay@example.com')).toMatchObject({ revenue: 30_000, team: 'East', region: 'AMER' });
      expect(entity(result, 'team', 'Iberia')).toMatchObject({ revenue: 10_000, openPipeline: 0 });
      expect(entity(result, 'team', 'East')).toMatchObject({ revenue: 20_000, openPipeline: 4_000 });
      expect(entity(result, 'region', 'EMEA').revenue).toBe(10_000);
      expect(entity(result, 'region', 'AMER').revenue).toBe(20_000);
    });

    it("'current': all of Fay's deals count for the team she is in on the as-of date", () => {
      const result = computeMetrics(
        baseInput({ people: moverPeople, deals: moverDeals, quotas: [], settings: { currency: 'USD', coverageTarget: 3, teamAttribution: 'current' } }),
      );
      expect(entity(result, 'rep', 'fay@example.com')).toMatchObject({ revenue: 30_000, team: 'East' });
      expect(entity(result, 'team', 'Iberia').revenue).toBe(0);
      expect(entity(result, 'team', 'East').revenue).toBe(30_000);
    });

    it("'history' for a past quarter lists her under the team she was in at its end", () => {
      const result = computeMetrics(
        baseInput({ people: moverPeople, deals: moverDeals, quotas: [], period: calendarYear.periodById('FY2025-Q4'), asOf: '2026-02-14' }),
      );
      expect(entity(result, 'rep', 'fay@example.com').team).toBe('Iberia');
    });
  });

  it('lists an inactive person only when deals count for them', () => {
    const withLeaver = [...people, person({ id: 'old@example.com', name: 'Old Timer', email: 'old@example.com', team: 'DACH', region: 'EMEA', active: false })];
    const quiet = computeMetrics(baseInput({ people: withLeaver, deals: [] }));
    expect(quiet.entities.some((e) => e.id === 'old@example.com')).toBe(false);
    const busy = computeMetrics(baseInput({ people: withLeaver, deals: [deal('Old Timer', 'won', 700, '2026-01-09')] }));
    expect(entity(busy, 'rep', 'old@example.com').revenue).toBe(700);
    expect(entity(busy, 'team', 'DACH').revenue).toBe(700);
  });

  it('skips negative sales cycles (a created date after the close date)', () => {
    const result = computeMetrics(
      baseInput({ deals: [deal('Ana Ruiz', 'won', 100, '2026-01-10', { createdDate: '2026-01-20' }), deal('Ana Ruiz', 'won', 100, '2026-01-10', { createdDate: '2026-01-04' })] }),
    );
    expect(entity(result, 'rep', 'ana@example.com')).toMatchObject({ salesCycleMedianDays: 6, salesCycleMeanDays: 6 });
  });

  it('weighted pipeline is rounded at the end of the sum, not per deal', () => {
    // Three deals of 1 × 0.5: per-deal rounding would give 3 (1 + 1 + 1); the sum is 1.5 → 2.
    const result = computeMetrics(
      baseInput({ deals: [1, 2, 3].map(() => deal('Ana Ruiz', 'open', 1, '2026-03-01', { probability: 0.5 })) }),
    );
    expect(entity(result, 'rep', 'ana@example.com').weightedPipeline).toBe(2);
  });
});

describe('divideRounded', () => {
  it('rounds half away from zero', () => {
    expect(divideRounded(5, 2)).toBe(3);
    expect(divideRounded(-5, 2)).toBe(-3);
    expect(divideRounded(7, 3)).toBe(2);
    expect(divideRounded(-7, 3)).toBe(-2);
    expect(divideRounded(0, 3)).toBe(0);
    expect(Object.is(divideRounded(-1, 3), 0)).toBe(true);
    expect(divideRounded(9_007_199_254_740_991, 2)).toBe(4_503_599_627_370_496);
  });
});

describe('toMetricsExport', () => {
  const result = computeMetrics(baseInput());
  const exported = toMetricsExport(result, { org: 'Acme Sales', asOf: '2026-02-14', generatedAt: '2026-02-15T07:00:00.000Z' });

  it('carries the document header and every entity', () => {
    expect(exported).toMatchObject({
      version: 6,
      org: 'Acme Sales',
      currency: 'USD',
      asOf: '2026-02-14',
      generatedAt: '2026-02-15T07:00:00.000Z',
      period: { id: 'FY2026-Q1', label: 'FY2026 Q1', start: '2026-01-01', end: '2026-03-31' },
      comparisonPeriods: { previous: 'FY2025-Q4', lastYear: 'FY2025-Q1', nextQuarter: 'FY2026-Q2' },
    });
    expect(exported.entities).toHaveLength(result.entities.length);
    expect(exported.entities[0]).toMatchObject({ level: 'company', revenue: 125_000, attainment: 0.3125 });
    expect(exported.pastDueDeals.map((d) => d.deal.id)).toEqual(['PD-DEV', 'PD-BEN']);
  });

  it('is plain JSON: it survives a stringify/parse round trip unchanged', () => {
    expect(JSON.parse(JSON.stringify(exported))).toEqual(exported);
    expect(JSON.stringify(exported)).not.toMatch(/NaN|Infinity|undefined/);
    expect(exported.entities.find((e) => e.id === 'dev@example.com')?.attainment).toBeNull();
  });

  it('shares what is already plain JSON with the result, and copies only what it changes, leaving the result as it was', () => {
    const [first, second] = result.pastDueDeals;
    const withGap: MetricsResult = { ...result, pastDueDeals: [{ ...first!, deal: { ...first!.deal, stageChangeDate: undefined } }, second!] };
    const shared = toMetricsExport(withGap, { org: 'x', asOf: '2026-02-14', generatedAt: 'now' });
    expect(shared.pastDueDeals[0]!.deal.stageChangeDate).toBeNull();
    expect(withGap.pastDueDeals[0]!.deal.stageChangeDate).toBeUndefined();
    expect(shared.pastDueDeals[1]).toBe(second);
    expect(shared.pastDueDeals).not.toBe(withGap.pastDueDeals);
    expect(shared.entities).toHaveLength(result.entities.length);
  });

  it('refuses a non-finite number instead of writing it', () => {
    const broken: MetricsResult = { ...result, entities: [{ ...result.entities[0]!, attainment: Number.NaN }] };
    expect(() => toMetricsExport(broken, { org: 'x', asOf: '2026-02-14', generatedAt: 'now' })).toThrow(/entities\[0\]\.attainment is NaN/);
  });
});
