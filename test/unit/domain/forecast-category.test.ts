// Forecast categories in the engine: commit, best-case and pipeline-category
// amounts over the open-pipeline window (as-of day → period end), commit
// attainment, the category on the deal lists, and deals stored without one
// (derived from the probability with the configured bands). Hand-computed.
import { describe, expect, it } from 'vitest';
import { dealItem, toDeal } from '../../../shared/adapters/table-items.js';
import { derivedForecastCategory } from '../../../shared/domain/forecast-category.js';
import { FiscalCalendar } from '../../../shared/domain/fiscal-calendar.js';
import { toMetricsExport } from '../../../shared/domain/metrics-export.js';
import { computeMetrics, type EntityMetrics, type MetricsInput, type MetricsResult } from '../../../shared/domain/metrics.js';
import type { Deal, EntityLevel, Person, Quota, StageClass, StoredDeal } from '../../../shared/domain/types.js';

const calendar = new FiscalCalendar({ timeZone: 'Europe/Madrid', yearStartMonth: 1, naming: 'end', weekStart: 'monday', holidays: [] });

const people: Person[] = [
  { id: 'ana@example.com', name: 'Ana Ruiz', email: 'ana@example.com', role: 'rep', team: 'Iberia', manager: null, region: 'EMEA', active: true, effectiveFrom: null },
  { id: 'ben@example.com', name: 'Ben Ortiz', email: 'ben@example.com', role: 'rep', team: 'Iberia', manager: null, region: 'EMEA', active: true, effectiveFrom: null },
];

// Ana has a quota; Ben has none (commit attainment n/a). Iberia's quota is the sum of its reps': 100 000.
const quotas: Quota[] = [{ level: 'rep', entityId: 'ana@example.com', periodId: 'FY2026-Q1', amount: 100_000 }];

let count = 0;
function deal(owner: string, stageClass: StageClass, amount: number, closeDate: string | null, probability: number, extra: Partial<Deal> = {}): Deal {
  count += 1;
  return {
    id: `F${count}`,
    name: `Deal ${count}`,
    account: 'Acme',
    owner,
    stage: stageClass,
    stageClass,
    probability,
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

// As of 2026-02-14 in FY2026-Q1 (Jan–Mar): the open-pipeline window is 2026-02-14 → 2026-03-31.
const deals: Deal[] = [
  deal('ana@example.com', 'won', 30_000, '2026-01-10', 1, { forecastCategory: 'closed' }), // revenue
  deal('ana@example.com', 'open', 40_000, '2026-03-01', 0.2, { forecastCategory: 'commit' }), // the CRM's category wins: commit
  deal('ana@example.com', 'open', 10_000, '2026-03-31', 0.9), // no category: 90% is commit (last day of the window)
  deal('ana@example.com', 'open', 20_000, '2026-02-14', 0.5), // 50%: best case (the as-of day counts)
  deal('ana@example.com', 'open', 5_000, '2026-03-15', 0.1), // 10%: pipeline
  deal('ana@example.com', 'open', 7_000, '2026-03-15', 0.09), // below 10%: omitted
  deal('ana@example.com', 'open', 6_000, '2026-03-20', 0.6, { forecastCategory: 'closed' }), // the CRM says closed: none of the three
  deal('ana@example.com', 'open', 9_000, '2026-04-01', 0.95, { forecastCategory: 'commit' }), // next quarter: not in the period
  deal('ana@example.com', 'open', 3_000, '2026-02-13', 0.95, { id: 'PAST', forecastCategory: 'commit' }), // past due: not in the window
  deal('ana@example.com', 'open', 4_000, null, 0.6, { id: 'UNDATED' }), // undated: in no window; best case by its probability
  deal('ben@example.com', 'open', 12_000, '2026-03-10', 0.95), // commit
  deal('ben@example.com', 'open', 8_000, '2026-03-10', 0.7, { forecastCategory: 'pipeline' }), // pipeline
];

function input(overrides: Partial<MetricsInput> = {}): MetricsInput {
  return {
    deals,
    people,
    quotas,
    keyAccounts: [],
    calendar,
    period: calendar.periodById('FY2026-Q1'),
    asOf: '2026-02-14',
    settings: { currency: 'USD', coverageTarget: 3, teamAttribution: 'history' },
    ...overrides,
  };
}

function entity(result: MetricsResult, level: EntityLevel, id: string): EntityMetrics {
  const found = result.entities.find((e) => e.level === level && e.id === id);
  if (!found) throw new Error(`no ${level} ${id}`);
  return found;
}

describe('forecast categories in the metrics', () => {
  const result = computeMetrics(input());

  it('sums the open pipeline of the period by category, per rep', () => {
    const ana = entity(result, 'rep', 'ana@example.com');
    expect(ana.openPipeline).toBe(88_000); // 40 000 + 10 000 + 20 000 + 5 000 + 7 000 + 6 000
    expect(ana).toMatchObject({ commitAmount: 50_000, bestCaseAmount: 20_000, pipelineCategoryAmount: 5_000 });
    // (30 000 revenue + 50 000 commit) ÷ 100 000
    expect(ana.commitAttainment).toBe(0.8);
  });

  it('has no commit attainment without a quota (n/a, never 0)', () => {
    const ben = entity(result, 'rep', 'ben@example.com');
    expect(ben).toMatchObject({ commitAmount: 12_000, bestCaseAmount: 0, pipelineCategoryAmount: 8_000, quota: null });
    expect(ben.commitAttainment).toBeNull();
    const zeroQuota = computeMetrics(input({ quotas: [{ level: 'rep', entityId: 'ben@example.com', periodId: 'FY2026-Q1', amount: 0 }] }));
    expect(entity(zeroQuota, 'rep', 'ben@example.com').commitAttainment).toBeNull();
  });

  it('rolls the amounts up to the team and company', () => {
    for (const [level, id] of [['team', 'Iberia'], ['region', 'EMEA'], ['company', 'company']] as const) {
      const figures = entity(result, level, id);
      expect(figures).toMatchObject({ commitAmount: 62_000, bestCaseAmount: 20_000, pipelineCategoryAmount: 13_000 });
    }
    // (30 000 + 62 000) ÷ 100 000 (Iberia's quota is Ana's: Ben has none)
    expect(entity(result, 'team', 'Iberia').commitAttainment).toBe(0.92);
  });

  it('derives categories with the configured bands for deals without one', () => {
    const banded = computeMetrics(input({ settings: { currency: 'USD', coverageTarget: 3, teamAttribution: 'history', forecastBands: { commit: 0.95, bestCase: 0.2, pipeline: 0.05 } } }));
    const ana = entity(banded, 'rep', 'ana@example.com');
    // 40 000 stays commit (stored); 90% → best case; 50% → best case; 10% and 9% → pipeline.
    expect(ana).toMatchObject({ commitAmount: 40_000, bestCaseAmount: 30_000, pipelineCategoryAmount: 12_000 });
  });

  it('puts each listed deal\'s category on its line, in the export too', () => {
    expect(result.pastDueDeals.map((line) => [line.deal.id, line.forecastCategory])).toEqual([['PAST', 'commit']]);
    expect(result.undatedOpenDeals.map((line) => [line.deal.id, line.forecastCategory])).toEqual([['UNDATED', 'bestCase']]);
    const exported = toMetricsExport(result, { org: 'Acme', asOf: '2026-02-14', generatedAt: '2026-02-14T07:00:00.000Z' });
    expect(exported.version).toBe(6);
    expect(exported.pastDueDeals[0]?.forecastCategory).toBe('commit');
    expect(exported.undatedOpenDeals[0]?.forecastCategory).toBe('bestCase');
    const ben = exported.entities.find((e) => e.id === 'ben@example.com')!;
    expect(ben).toMatchObject({ commitAmount: 12_000, bestCaseAmount: 0, pipelineCategoryAmount: 8_000, commitAttainment: null });
    expect(JSON.parse(JSON.stringify(exported))).toEqual(exported);
  });

  it('derives the category of a deal stored before categories were kept when it is read', () => {
    const provenance = { source: 'salesforce', scope: '#salesforce', uploadKey: 'uploads/deals/a.csv', lastSeenIn: 'run', removed: false } as const;
    const stored: StoredDeal = { ...deal('ben@example.com', 'open', 12_000, '2026-03-10', 0.5), ...provenance };
    delete stored.forecastCategory;
    const item = dealItem(stored);
    expect(item.forecastCategory).toBeUndefined();
    const read = toDeal(JSON.parse(JSON.stringify(item)) as Record<string, unknown>);
    expect('forecastCategory' in read).toBe(false);
    const figures = entity(computeMetrics(input({ deals: [read] })), 'rep', 'ben@example.com');
    expect(figures).toMatchObject({ commitAmount: 0, bestCaseAmount: 12_000, pipelineCategoryAmount: 0 });
  });
});

describe('derivedForecastCategory', () => {
  it('puts each band edge in the band above it; won is closed and lost omitted', () => {
    expect(['won', 'lost'].map((stageClass) => derivedForecastCategory(stageClass as StageClass, 0.5))).toEqual(['closed', 'omitted']);
    expect([1, 0.9, 0.89, 0.5, 0.49, 0.1, 0.09, 0].map((p) => derivedForecastCategory('open', p))).toEqual([
      'commit',
      'commit',
      'bestCase',
      'bestCase',
      'pipeline',
      'pipeline',
      'omitted',
      'omitted',
    ]);
  });
});
