// The accountability figures on hand-made history: close-date pushes (a date
// moved earlier then later, set, cleared, a deal new since the last
// snapshot), the accuracy checkpoints and formula (actual revenue 0, no
// snapshot, a projection off by more than the actual), category moves, and the
// engine's slip rate, push flags, stale deals and accuracy on a tiny org with
// every figure computed by hand — n/a (null), never 0, where history is missing.
import { describe, expect, it } from 'vitest';
import { FiscalCalendar } from '../../../shared/domain/fiscal-calendar.js';
import {
  accuracyCheckpoints,
  categoryMoves,
  closeDatePushes,
  entityKey,
  forecastAccuracy,
  type CategorySnapshotDeal,
  type ReportedProjections,
} from '../../../shared/domain/forecast-history.js';
import { computeMetrics, type EntityMetrics, type MetricsHistory, type MetricsInput } from '../../../shared/domain/metrics.js';
import { toMetricsExport } from '../../../shared/domain/metrics-export.js';
import type { Deal, EntityLevel, Person, StageClass } from '../../../shared/domain/types.js';

const calendar = new FiscalCalendar({ timeZone: 'Europe/Madrid', yearStartMonth: 1, naming: 'end', weekStart: 'monday', holidays: [] });

describe('closeDatePushes', () => {
  it('counts a move later, not one earlier: earlier then later is one push', () => {
    let snapshot = closeDatePushes([], [{ id: 'd', closeDate: '2026-03-31' }])!; // first seen: 0
    expect(snapshot.get('d')).toBe(0);
    const stored = (date: string | null) => [{ id: 'd', closeDate: date, closeDatePushes: snapshot.get('d')! }];
    let previous = stored('2026-03-31');
    snapshot = closeDatePushes(previous, [{ id: 'd', closeDate: '2026-03-15' }])!; // pulled in
    expect(snapshot.get('d')).toBe(0);
    previous = stored('2026-03-15');
    snapshot = closeDatePushes(previous, [{ id: 'd', closeDate: '2026-04-10' }])!; // pushed
    expect(snapshot.get('d')).toBe(1);
    previous = stored('2026-04-10');
    snapshot = closeDatePushes(previous, [{ id: 'd', closeDate: '2026-04-10' }])!; // unchanged
    expect(snapshot.get('d')).toBe(1);
    previous = stored('2026-04-10');
    snapshot = closeDatePushes(previous, [{ id: 'd', closeDate: '2026-05-01' }])!;
    previous = stored('2026-05-01');
    snapshot = closeDatePushes(previous, [{ id: 'd', closeDate: '2026-06-30' }])!;
    expect(snapshot.get('d')).toBe(3);
  });

  it('does not count a date set or cleared, carries counts through, and starts new deals at 0', () => {
    const previous = [
      { id: 'undated', closeDate: null, closeDatePushes: 1 },
      { id: 'cleared', closeDate: '2026-02-01', closeDatePushes: 2 },
      { id: 'old', closeDate: '2026-02-01' }, // stored before pushes were kept: 0 so far
    ];
    const pushes = closeDatePushes(previous, [
      { id: 'undated', closeDate: '2026-09-01' },
      { id: 'cleared', closeDate: null },
      { id: 'old', closeDate: '2026-02-02' },
      { id: 'new', closeDate: '2026-12-31' },
    ])!;
    expect(Object.fromEntries(pushes)).toEqual({ undated: 1, cleared: 2, old: 1, new: 0 });
  });

  it('is null without an earlier snapshot (n/a, not 0)', () => {
    expect(closeDatePushes(null, [{ id: 'd', closeDate: '2026-03-31' }])).toBeNull();
  });

  it('is null after a snapshot stored before pushes were counted: counting starts there, it is not 0 pushes', () => {
    expect(closeDatePushes([{ id: 'd', closeDate: '2026-01-31' }], [{ id: 'd', closeDate: '2026-03-31' }])).toBeNull();
    // An empty earlier snapshot (no open deals then) is a real one: counts start at 0.
    expect(closeDatePushes([], [{ id: 'd', closeDate: '2026-03-31' }])?.get('d')).toBe(0);
  });
});

describe('forecast accuracy', () => {
  it('checks weeks 4 and 8 and the last week inside the period, none for a week', () => {
    const q1 = calendar.period('quarter', '2026-01-01'); // 2026-01-01 … 03-31
    expect(accuracyCheckpoints(q1)).toEqual({ week4: '2026-01-28', week8: '2026-02-25', lastWeek: '2026-03-24' });
    expect(accuracyCheckpoints(calendar.period('week', '2026-01-14'))).toEqual({ week4: null, week8: null, lastWeek: null });
    expect(accuracyCheckpoints({ start: '2026-01-01', end: '2026-02-11' })).toEqual({ week4: '2026-01-28', week8: null, lastWeek: '2026-02-04' });
  });

  it('is 1 − |projected − actual| ÷ actual; null when actual is 0 or nothing was projected', () => {
    expect(forecastAccuracy(120_000, 84_000)).toBeCloseTo(1 - 36_000 / 84_000, 12);
    expect(forecastAccuracy(84_000, 84_000)).toBe(1);
    expect(forecastAccuracy(60_000, 80_000)).toBe(0.75);
    expect(forecastAccuracy(200_000, 80_000)).toBe(-0.5); // off by more than the actual
    expect(forecastAccuracy(50_000, 0)).toBeNull();
    expect(forecastAccuracy(null, 80_000)).toBeNull();
    expect(forecastAccuracy(undefined, 80_000)).toBeNull();
  });
});

describe('categoryMoves', () => {
  const snap = (id: string, overrides: Partial<CategorySnapshotDeal>): CategorySnapshotDeal => ({
    id,
    owner: 'Ana Ruiz',
    amount: 1_000,
    closeDate: '2026-03-01',
    stageClass: 'open',
    probability: 0.5,
    ...overrides,
  });
  const window = { start: '2026-01-01', end: '2026-03-31' };

  it('lists deals whose category changed, with the category derived where a snapshot kept none', () => {
    const opening = [
      snap('up', { forecastCategory: 'bestCase' }),
      snap('derived', { probability: 0.3 }), // no category stored on either side: pipeline by the default bands
      snap('mixed', { probability: 0.6 }), // stored before categories were kept: best case by the bands
      snap('same', { forecastCategory: 'commit' }),
      snap('left', { forecastCategory: 'pipeline', closeDate: '2026-03-30' }),
      snap('elsewhere', { forecastCategory: 'pipeline', closeDate: '2026-08-01' }),
      snap('gone', { forecastCategory: 'pipeline' }),
    ];
    const closing = [
      snap('up', { forecastCategory: 'commit', amount: 5_000 }),
      snap('derived', { probability: 0.95 }),
      snap('mixed', { probability: 0.6, forecastCategory: 'commit' }), // the CRM's own now: a new column, not a move
      snap('same', { forecastCategory: 'commit' }),
      snap('left', { forecastCategory: 'bestCase', closeDate: '2026-05-01' }), // pushed out and recategorised: in the window before
      snap('elsewhere', { forecastCategory: 'commit', closeDate: '2026-09-01' }), // never in the window
      snap('new', { forecastCategory: 'commit' }),
    ];
    expect(categoryMoves(opening, closing, window).map((move) => [move.dealId, move.from, move.to, move.amount])).toEqual([
      ['up', 'bestCase', 'commit', 5_000],
      ['derived', 'pipeline', 'commit', 1_000],
      ['left', 'pipeline', 'bestCase', 1_000],
    ]);
  });
});

// ---------------------------------------------------------------------------
// The engine. FY2026-Q1 (2026-01-01 … 03-31). Ana and Ben in Iberia.
// The period's first snapshot (as of 2026-01-05) expected, closing in Q1:
//   Ana: a1 10 000, a2 4 000, a3 6 000;  Ben: b1 5 000, b2 (closing in May: not expected).
// As of 2026-02-14: a1 won (02-01), a2 lost (02-10), a3 still open (pushed to 03-20);
// b1 still open, pushed to April.
//   Ana slip 1 of 3 by count, 6 000 of 20 000 by value; Ben 1 of 1, 5 000 of 5 000.
//   Iberia 2 of 4 = 0.5, 11 000 of 25 000 = 0.44.
// Pushes: a3 3 times, b1 4 times, Ana's a4 2 times → Ana 1, Ben 1, Iberia 2.
// Activity (stale after 30 days: on or before 2026-01-15): a3 last active 01-15 (stale), a4 02-10,
// b1 none. Ana 1; Ben n/a (no open deal carries a date); Iberia 1. b3 is past due (pushed once, not flagged).
// ---------------------------------------------------------------------------

function person(id: string, name: string): Person {
  return { id, name, email: id, role: 'rep', team: 'Iberia', region: 'EMEA', manager: null, active: true, effectiveFrom: null };
}
const people = [person('ana@example.com', 'Ana Ruiz'), person('ben@example.com', 'Ben Ortiz')];

function deal(id: string, owner: string, stageClass: StageClass, amount: number, closeDate: string | null, lastActivityDate: string | null = null): Deal {
  return {
    id,
    name: id,
    account: 'Acme',
    owner,
    stage: stageClass,
    stageClass,
    probability: stageClass === 'won' ? 1 : stageClass === 'lost' ? 0 : 0.5,
    amount,
    currency: 'USD',
    originalAmount: amount,
    closeDate,
    createdDate: null,
    pipeline: null,
    lastActivityDate,
  };
}

const deals = [
  deal('a1', 'Ana Ruiz', 'won', 12_000, '2026-02-01'), // grew after the snapshot: slip uses the snapshot's 10 000
  deal('a2', 'Ana Ruiz', 'lost', 4_000, '2026-02-10'),
  deal('a3', 'Ana Ruiz', 'open', 6_000, '2026-03-20', '2026-01-15'),
  deal('a4', 'Ana Ruiz', 'open', 3_000, '2026-03-25', '2026-02-10'),
  deal('b1', 'Ben Ortiz', 'open', 5_000, '2026-04-15'),
  deal('b2', 'Ben Ortiz', 'open', 2_000, '2026-05-20'),
  deal('b3', 'Ben Ortiz', 'open', 1_000, '2026-02-01'), // past due, pushed once
];

const opening = {
  asOf: '2026-01-05',
  deals: [
    { id: 'a1', owner: 'Ana Ruiz', amount: 10_000, closeDate: '2026-02-01', stageClass: 'open' },
    { id: 'a2', owner: 'Ana Ruiz', amount: 4_000, closeDate: '2026-02-15', stageClass: 'open' },
    { id: 'a3', owner: 'Ana Ruiz', amount: 6_000, closeDate: '2026-01-31', stageClass: 'open' },
    { id: 'b1', owner: 'Ben Ortiz', amount: 5_000, closeDate: '2026-03-01', stageClass: 'open' },
    { id: 'b2', owner: 'Ben Ortiz', amount: 2_000, closeDate: '2026-05-01', stageClass: 'open' },
  ],
};

function input(history: MetricsHistory | undefined, overrides: Partial<MetricsInput> = {}): MetricsInput {
  return {
    deals,
    people,
    quotas: [],
    keyAccounts: [],
    calendar,
    period: calendar.period('quarter', '2026-01-01'),
    asOf: '2026-02-14',
    settings: { currency: 'USD', coverageTarget: 3, teamAttribution: 'history', staleAfterDays: 30 },
    ...(history ? { history } : {}),
    ...overrides,
  };
}

function figures(entities: EntityMetrics[], level: EntityLevel, id: string): EntityMetrics {
  const found = entities.find((entity) => entity.level === level && entity.id === id);
  if (!found) throw new Error(`no ${level} ${id}`);
  return found;
}

const pushes = new Map([
  ['a3', 3],
  ['a4', 2],
  ['b1', 4],
  ['b2', 0],
  ['b3', 1],
]);

describe('computeMetrics with history', () => {
  const result = computeMetrics(input({ closeDatePushes: pushes, periodOpening: opening, reportedProjections: null }));
  const pick = (level: EntityLevel, id: string) => {
    const entity = figures(result.entities, level, id);
    return [entity.slipRate, entity.slipRateValue, entity.pushedThreeTimesCount, entity.staleOpenCount];
  };

  it('computes slip rate by count and by the snapshot amounts, pushes flagged and stale deals per entity', () => {
    expect(pick('rep', 'ana@example.com')).toEqual([1 / 3, 6_000 / 20_000, 1, 1]);
    expect(pick('rep', 'ben@example.com')).toEqual([1, 1, 1, null]);
    expect(pick('team', 'Iberia')).toEqual([0.5, 11_000 / 25_000, 2, 1]);
    expect(pick('company', 'company')).toEqual([0.5, 11_000 / 25_000, 2, 1]);
  });

  it('counts a slip for whoever holds the deal now, not its owner at the snapshot (who may have left)', () => {
    const reassigned = { ...opening, deals: opening.deals.map((deal) => (deal.id === 'b1' ? { ...deal, owner: 'Someone Who Left' } : deal)) };
    const moved = computeMetrics(input({ closeDatePushes: pushes, periodOpening: reassigned, reportedProjections: null }));
    const ben = figures(moved.entities, 'rep', 'ben@example.com');
    expect([ben.slipRate, ben.slipRateValue]).toEqual([1, 1]);
    expect(moved.entities.some((entity) => entity.level === 'rep' && entity.id === 'unassigned')).toBe(false);
  });

  it('leaves accuracy n/a while the period runs', () => {
    const ana = figures(result.entities, 'rep', 'ana@example.com');
    expect([ana.forecastAccuracyWeek4, ana.forecastAccuracyWeek8, ana.forecastAccuracyLastWeek]).toEqual([null, null, null]);
  });

  it('is n/a (null, never 0) with no history at all', () => {
    const bare = computeMetrics(input(undefined));
    const ana = figures(bare.entities, 'rep', 'ana@example.com');
    expect([ana.slipRate, ana.slipRateValue, ana.pushedThreeTimesCount]).toEqual([null, null, null]);
    expect(ana.staleOpenCount).toBe(1); // from the deals themselves
  });

  it('puts closeDatePushes on each listed deal, and exports every new field as plain JSON (version 6)', () => {
    const exported = JSON.parse(JSON.stringify(toMetricsExport(result, { org: 'Acme', asOf: '2026-02-14', generatedAt: '2026-02-15T07:00:00Z' })));
    expect(exported.version).toBe(6);
    expect(exported.entities.find((entity: EntityMetrics) => entity.id === 'Iberia')).toMatchObject({
      slipRate: 0.5,
      slipRateValue: 0.44,
      pushedThreeTimesCount: 2,
      staleOpenCount: 1,
      forecastAccuracyWeek4: null,
      forecastAccuracyWeek8: null,
      forecastAccuracyLastWeek: null,
    });
    expect(exported.pastDueDeals.map((line: { deal: Deal; closeDatePushes: number }) => [line.deal.id, line.closeDatePushes])).toEqual([['b3', 1]]);
  });
});

describe('forecast accuracy in the engine, once the period is over', () => {
  // As of 2026-03-31 Ana has won 12 000 (a1); Ben 0. Stated projections: week 4 — Ana 20 000, Ben 1 000;
  // week 8 — Ana 9 000 and nothing for Ben (he was not in that snapshot); last week — no snapshot.
  const projections = (entries: [string, number | null][]) => new Map(entries);
  const reported: ReportedProjections = {
    week4: projections([
      [entityKey({ level: 'rep', id: 'ana@example.com' }), 20_000],
      [entityKey({ level: 'rep', id: 'ben@example.com' }), 1_000],
      [entityKey({ level: 'team', id: 'Iberia' }), 21_000],
    ]),
    week8: projections([[entityKey({ level: 'rep', id: 'ana@example.com' }), 9_000]]),
    lastWeek: null,
  };
  const over = computeMetrics(input({ closeDatePushes: null, periodOpening: null, reportedProjections: reported }, { asOf: '2026-03-31' }));

  it('scores each checkpoint against the actual revenue; null without a snapshot or with no revenue', () => {
    const ana = figures(over.entities, 'rep', 'ana@example.com');
    // |20 000 − 12 000| ÷ 12 000 = 2/3 → 1/3; |9 000 − 12 000| ÷ 12 000 = 1/4 → 3/4.
    expect(ana.forecastAccuracyWeek4).toBeCloseTo(1 / 3, 12);
    expect(ana.forecastAccuracyWeek8).toBe(0.75);
    expect(ana.forecastAccuracyLastWeek).toBeNull();
    const ben = figures(over.entities, 'rep', 'ben@example.com');
    expect([ben.forecastAccuracyWeek4, ben.forecastAccuracyWeek8]).toEqual([null, null]); // actual 0 / not in the snapshot
    expect(figures(over.entities, 'team', 'Iberia').forecastAccuracyWeek4).toBeCloseTo(1 - 9_000 / 12_000, 12);
  });

  it('uses the projection as reported, not a recomputation: another stated figure changes the result', () => {
    const restated = computeMetrics(
      input(
        { closeDatePushes: null, periodOpening: null, reportedProjections: { ...reported, week4: projections([[entityKey({ level: 'rep', id: 'ana@example.com' }), 12_000]]) } },
        { asOf: '2026-03-31' },
      ),
    );
    expect(figures(restated.entities, 'rep', 'ana@example.com').forecastAccuracyWeek4).toBe(1);
  });
});
