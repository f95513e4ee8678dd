// Required coverage, sales velocity and the attainment distribution: the pure
// formulas on hand-made totals (n/a cases, rounding, the band edges exactly at
// 50/80/100/120%), then the engine on a tiny org with every figure computed by
// hand, and the export carrying them.
import { describe, expect, it } from 'vitest';
import { FiscalCalendar } from '../../../shared/domain/fiscal-calendar.js';
import {
  attainmentBand,
  attainmentDistribution,
  requiredCoverage,
  salesVelocity,
  trailingFourQuarters,
  type TrailingTotals,
} from '../../../shared/domain/forecast-figures.js';
import { computeMetrics, type EntityMetrics, type MetricsInput, type MetricsResult } from '../../../shared/domain/metrics.js';
import { toMetricsExport } from '../../../shared/domain/metrics-export.js';
import type { Deal, EntityLevel, Person, Quota, StageClass } from '../../../shared/domain/types.js';

const calendar = new FiscalCalendar({ timeZone: 'Europe/Madrid', yearStartMonth: 1, naming: 'end', weekStart: 'monday', holidays: [] });

function trailing(overrides: Partial<TrailingTotals>): TrailingTotals {
  return { revenue: 0, wonCount: 0, lostCount: 0, lostAmount: 0, cycleDaysSum: 0, cycleCount: 0, ...overrides };
}

describe('trailingFourQuarters', () => {
  it('is the four fiscal quarters before the quarter the period starts in', () => {
    const q1 = calendar.period('quarter', '2026-01-01');
    expect(trailingFourQuarters(calendar, q1, '2026-02-14')).toEqual({ start: '2025-01-01', end: '2025-12-31' });
    // A month or week in the middle of Q1: the same four complete quarters.
    expect(trailingFourQuarters(calendar, calendar.period('month', '2026-02-10'), '2026-02-14')).toEqual({ start: '2025-01-01', end: '2025-12-31' });
    expect(trailingFourQuarters(calendar, calendar.period('week', '2026-02-10'), '2026-02-14')).toEqual({ start: '2025-01-01', end: '2025-12-31' });
    // A week starting in Q2 looks back to the end of Q1.
    expect(trailingFourQuarters(calendar, calendar.period('week', '2026-04-08'), '2026-04-08')).toEqual({ start: '2025-04-01', end: '2026-03-31' });
  });

  it('ends at the as-of day when that comes first (a closed deal dated later has not happened yet)', () => {
    expect(trailingFourQuarters(calendar, calendar.period('quarter', '2026-01-01'), '2025-11-30')).toEqual({ start: '2025-01-01', end: '2025-11-30' });
  });
});

describe('requiredCoverage', () => {
  it('is 1 ÷ the value win rate: 25% asks for 4×', () => {
    expect(requiredCoverage(trailing({ revenue: 25_000, lostAmount: 75_000 }))).toBe(4);
    expect(requiredCoverage(trailing({ revenue: 40_000, lostAmount: 20_000 }))).toBe(1.5);
    expect(requiredCoverage(trailing({ revenue: 10_000 }))).toBe(1);
  });

  it('is n/a with no history and with a win rate of 0 — never Infinity', () => {
    expect(requiredCoverage(trailing({}))).toBeNull();
    expect(requiredCoverage(trailing({ lostCount: 3, lostAmount: 9_000 }))).toBeNull();
  });
});

describe('salesVelocity', () => {
  it('is open deals × average deal size × win rate ÷ average cycle days', () => {
    // 3 open × 20 000 average × 2/3 ÷ 20 days = 2 000 a day.
    expect(salesVelocity(3, trailing({ revenue: 40_000, wonCount: 2, lostCount: 1, lostAmount: 20_000, cycleDaysSum: 40, cycleCount: 2 }))).toBe(2_000);
  });

  it('rounds once, half away from zero, from the exact figures', () => {
    // 1 × 10 001 × 1 ÷ 2 days = 5 000.5 → 5 001.
    expect(salesVelocity(1, trailing({ revenue: 10_001, wonCount: 1, cycleDaysSum: 2, cycleCount: 1 }))).toBe(5_001);
    // 1 × 10 001 ÷ 3 days = 3 333.67 → 3 334.
    expect(salesVelocity(1, trailing({ revenue: 10_001, wonCount: 1, cycleDaysSum: 3, cycleCount: 1 }))).toBe(3_334);
    // Beyond 2^53 in the intermediate product, still exact: 1 000 000 × 9e12 × 1 ÷ 7 = 1 285 714 285 714 285 714.28… → as a number.
    expect(salesVelocity(1_000_000, trailing({ revenue: 9_000_000_000_000, wonCount: 1, cycleDaysSum: 7, cycleCount: 1 }))).toBe(Number(9_000_000_000_000_000_000n / 7n));
  });

  it('is 0 with no open deals, and n/a when an input is n/a or the cycle is 0 days', () => {
    const history = trailing({ revenue: 40_000, wonCount: 2, lostCount: 1, lostAmount: 20_000, cycleDaysSum: 40, cycleCount: 2 });
    expect(salesVelocity(0, history)).toBe(0);
    expect(salesVelocity(3, trailing({}))).toBeNull(); // no history
    expect(salesVelocity(3, trailing({ lostCount: 2, lostAmount: 5_000 }))).toBeNull(); // nothing won: no average deal size
    expect(salesVelocity(3, { ...history, cycleCount: 0, cycleDaysSum: 0 })).toBeNull(); // no created dates: no cycle
    expect(salesVelocity(3, { ...history, cycleDaysSum: 0 })).toBeNull(); // won the day they were created: 0 days
  });
});

describe('attainment bands', () => {
  it('puts each edge in the band it opens: 50%, 80%, 100% in the upper band; 120% still in 100–120%', () => {
    const band = (revenue: number) => attainmentBand(revenue, 100_000);
    expect([49_999, 50_000, 79_999, 80_000, 99_999, 100_000, 120_000, 120_001].map(band)).toEqual([
      'below50',
      'from50to79',
      'from50to79',
      'from80to99',
      'from80to99',
      'from100to120',
      'from100to120',
      'above120',
    ]);
    expect(band(0)).toBe('below50');
  });

  it('has no band without a quota (or a quota of 0)', () => {
    expect(attainmentBand(5_000, null)).toBeNull();
    expect(attainmentBand(5_000, 0)).toBeNull();
  });

  it('counts reps with an attainment only', () => {
    expect(
      attainmentDistribution([
        { revenue: 5_000, quota: 10_000 },
        { revenue: 8_000, quota: 10_000 },
        { revenue: 10_000, quota: 10_000 },
        { revenue: 12_000, quota: 10_000 },
        { revenue: 12_001, quota: 10_000 },
        { revenue: 99_000, quota: null },
      ]),
    ).toEqual({ below50: 0, from50to79: 1, from80to99: 1, from100to120: 2, above120: 1 });
    expect(attainmentDistribution([])).toEqual({ below50: 0, from50to79: 0, from80to99: 0, from100to120: 0, above120: 0 });
  });
});

// ---------------------------------------------------------------------------
// The engine. FY2026-Q1 (2026-01-01 … 03-31) as of 2026-02-14; trailing four
// quarters 2025-01-01 … 2025-12-31. Quotas 10 000 each, Dev has none.
//
// EMEA ─ Iberia ─ Ana, Ben        AMER ─ East ─ Dev (no quota), Eve
//
// Ana  trailing: won 30 000 (30 days) + 10 000 (10 days), lost 20 000 on 12-31 (in);
//      won 999 on 2024-12-31 (out). Open now: 3 (10 000 in the period, undated, September).
//      Required 60 000 ÷ 40 000 = 1.5. Velocity 3 × 20 000 × 2/3 ÷ 20 = 2 000.
//      Period: won 5 000 → 50% (from50to79); gap 5 000, coverage 10 000 ÷ 5 000 = 2.
// Ben  trailing: won 10 001 (2 days). Open: 1. Required 1. Velocity 10 001 ÷ 2 = 5 000.5 → 5 001.
//      Period: won 12 000 → 120% (from100to120), quota met.
// Dev  trailing: lost 7 000 only → win rate 0: required n/a, velocity n/a. Open: 1. No quota: not counted.
// Eve  no history: required n/a, velocity n/a. Open: 25 000 in the period; revenue 0 → below50, coverage 2.5.
// Iberia: won 50 001 (3), lost 20 000 (1), cycle 42 days over 3, open 4.
//      Required 70 001 ÷ 50 001. Velocity 4 × 50 001 × 3 ÷ (4 × 42) = 3 571.5 → 3 572.
// Company: + lost 7 000, open 6. Required 77 001 ÷ 50 001.
//      Velocity 6 × 50 001 × 3 ÷ (5 × 42) = 900 018 ÷ 210 = 4 285.8 → 4 286.
// ---------------------------------------------------------------------------

function person(id: string, name: string, team: string, region: string): Person {
  return { id, name, email: id, role: 'rep', team, region, manager: null, active: true, effectiveFrom: null };
}

let dealCount = 0;
function deal(owner: string, stageClass: StageClass, amount: number, closeDate: string | null, createdDate: string | null = null): Deal {
  dealCount += 1;
  return {
    id: `F${dealCount}`,
    name: `Deal ${dealCount}`,
    account: 'Some Account',
    owner,
    stage: stageClass,
    stageClass,
    probability: stageClass === 'won' ? 1 : stageClass === 'lost' ? 0 : 0.5,
    amount,
    currency: 'USD',
    originalAmount: amount,
    closeDate,
    createdDate,
    pipeline: null,
    lastActivityDate: null,
  };
}

const people = [
  person('ana@example.com', 'Ana Ruiz', 'Iberia', 'EMEA'),
  person('ben@example.com', 'Ben Ortiz', 'Iberia', 'EMEA'),
  person('dev@example.com', 'Dev Patel', 'East', 'AMER'),
  person('eve@example.com', 'Eve Stone', 'East', 'AMER'),
];

const quotas: Quota[] = ['ana@example.com', 'ben@example.com', 'eve@example.com'].map((entityId) => ({
  level: 'rep',
  entityId,
  periodId: 'FY2026-Q1',
  amount: 10_000,
}));

const deals: Deal[] = [
  deal('Ana Ruiz', 'won', 30_000, '2025-03-31', '2025-03-01'),
  deal('Ana Ruiz', 'won', 10_000, '2025-06-11', '2025-06-01'),
  deal('Ana Ruiz', 'lost', 20_000, '2025-12-31'),
  deal('Ana Ruiz', 'won', 999, '2024-12-31', '2024-12-01'),
  deal('Ana Ruiz', 'won', 5_000, '2026-01-05'),
  deal('Ana Ruiz', 'open', 10_000, '2026-03-01'),
  deal('Ana Ruiz', 'open', 5_000, null),
  deal('Ana Ruiz', 'open', 2_000, '2026-09-01'),
  deal('Ben Ortiz', 'won', 10_001, '2025-05-04', '2025-05-02'),
  deal('Ben Ortiz', 'won', 12_000, '2026-02-01'),
  deal('Ben Ortiz', 'open', 1_000, '2026-02-20'),
  deal('Dev Patel', 'lost', 7_000, '2025-08-01'),
  deal('Dev Patel', 'won', 3_000, '2026-01-20'),
  deal('Dev Patel', 'open', 4_000, '2026-05-01'),
  deal('Eve Stone', 'open', 25_000, '2026-03-15'),
];

function input(coverageHealthyBy?: 'target' | 'required', overrides: Partial<MetricsInput> = {}): MetricsInput {
  return {
    deals,
    people,
    quotas,
    keyAccounts: [],
    calendar,
    period: calendar.period('quarter', '2026-01-01'),
    asOf: '2026-02-14',
    settings: { currency: 'USD', coverageTarget: 3, teamAttribution: 'history', ...(coverageHealthyBy ? { coverageHealthyBy } : {}) },
    ...overrides,
  };
}

function entity(result: MetricsResult, level: EntityLevel, id: string): EntityMetrics {
  const found = result.entities.find((e) => e.level === level && e.id === id);
  if (!found) throw new Error(`no ${level} ${id}`);
  return found;
}

describe('computeMetrics: required coverage, velocity, attainment distribution', () => {
  const result = computeMetrics(input());

  it('reports the trailing window it read', () => {
    expect(result.windows.trailingFourQuarters).toEqual({ start: '2025-01-01', end: '2025-12-31' });
  });

  it('computes required coverage per entity from the trailing value win rate', () => {
    expect(entity(result, 'rep', 'ana@example.com').requiredCoverage).toBe(1.5);
    expect(entity(result, 'rep', 'ben@example.com').requiredCoverage).toBe(1);
    expect(entity(result, 'rep', 'dev@example.com').requiredCoverage).toBeNull(); // win rate 0
    expect(entity(result, 'rep', 'eve@example.com').requiredCoverage).toBeNull(); // no history
    expect(entity(result, 'team', 'Iberia').requiredCoverage).toBe(70_001 / 50_001);
    expect(entity(result, 'team', 'East').requiredCoverage).toBeNull();
    expect(entity(result, 'region', 'EMEA').requiredCoverage).toBe(70_001 / 50_001);
    expect(entity(result, 'company', 'company').requiredCoverage).toBe(77_001 / 50_001);
  });

  it('computes sales velocity per entity in minor units per day', () => {
    const velocity = (level: EntityLevel, id: string) => entity(result, level, id).salesVelocity;
    expect(velocity('rep', 'ana@example.com')).toBe(2_000);
    expect(velocity('rep', 'ben@example.com')).toBe(5_001);
    expect(velocity('rep', 'dev@example.com')).toBeNull();
    expect(velocity('rep', 'eve@example.com')).toBeNull();
    expect(velocity('team', 'Iberia')).toBe(3_572);
    expect(velocity('team', 'East')).toBeNull();
    expect(velocity('region', 'AMER')).toBeNull();
    expect(velocity('company', 'company')).toBe(4_286);
  });

  it('is n/a everywhere with no history', () => {
    const fresh = computeMetrics(input('target', { deals: deals.filter((d) => d.stageClass === 'open' || (d.closeDate ?? '') >= '2026-01-01') }));
    for (const figures of fresh.entities) {
      expect(figures.requiredCoverage).toBeNull();
      expect(figures.salesVelocity).toBeNull();
    }
  });

  it('counts the reps of each team, region and the company by attainment band; reps without quota are not counted', () => {
    const iberia = { below50: 0, from50to79: 1, from80to99: 0, from100to120: 1, above120: 0 };
    const east = { below50: 1, from50to79: 0, from80to99: 0, from100to120: 0, above120: 0 };
    expect(entity(result, 'team', 'Iberia').attainmentDistribution).toEqual(iberia);
    expect(entity(result, 'team', 'East').attainmentDistribution).toEqual(east);
    expect(entity(result, 'region', 'EMEA').attainmentDistribution).toEqual(iberia);
    expect(entity(result, 'region', 'AMER').attainmentDistribution).toEqual(east);
    expect(entity(result, 'company', 'company').attainmentDistribution).toEqual({ below50: 1, from50to79: 1, from80to99: 0, from100to120: 1, above120: 0 });
    for (const rep of result.entities.filter((e) => e.level === 'rep')) expect(rep.attainmentDistribution).toBeNull();
  });

  it('judges coverage against the target by default, against required coverage when configured', () => {
    const healthy = (r: MetricsResult) => ['ana@example.com', 'ben@example.com', 'dev@example.com', 'eve@example.com'].map((id) => entity(r, 'rep', id).coverageHealthy);
    // Ana: coverage 2 < target 3, ≥ required 1.5. Ben: quota met. Dev: no quota. Eve: 2.5, required n/a → the target.
    expect(healthy(result)).toEqual([false, true, null, false]);
    expect(healthy(computeMetrics(input('target')))).toEqual([false, true, null, false]);
    expect(healthy(computeMetrics(input('required')))).toEqual([true, true, null, false]);
  });

  it('exports the three figures (version 5 since the accountability figures), null on reps for the distribution, as plain JSON', () => {
    const exported = toMetricsExport(computeMetrics(input()), { org: 'Acme', asOf: '2026-02-14', generatedAt: '2026-02-14T07:00:00.000Z' });
    expect(exported.version).toBe(6);
    const byId = (level: EntityLevel, id: string) => exported.entities.find((e) => e.level === level && e.id === id)!;
    expect(byId('rep', 'ana@example.com')).toMatchObject({ requiredCoverage: 1.5, salesVelocity: 2_000, attainmentDistribution: null });
    expect(byId('rep', 'dev@example.com')).toMatchObject({ requiredCoverage: null, salesVelocity: null, attainmentDistribution: null });
    expect(byId('company', 'company')).toMatchObject({
      salesVelocity: 4_286,
      attainmentDistribution: { below50: 1, from50to79: 1, from80to99: 0, from100to120: 1, above120: 0 },
    });
    for (const figures of exported.entities) {
      expect(figures).toHaveProperty('requiredCoverage');
      expect(figures).toHaveProperty('salesVelocity');
      expect(figures).toHaveProperty('attainmentDistribution');
    }
    expect(JSON.parse(JSON.stringify(exported))).toEqual(exported);
  });
});
