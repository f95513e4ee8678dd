import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FiscalCalendar } from '../../../shared/domain/fiscal-calendar.js';
import { addDays } from '../../../shared/domain/local-date.js';
import { computeMetrics } from '../../../shared/domain/metrics.js';
import type { EntityMetrics, MetricsInput, MetricsResult } from '../../../shared/domain/metrics.js';
import type { TeamAttribution } from '../../../shared/domain/org-chart.js';
import type { Deal, Person, Quota } from '../../../shared/domain/types.js';

const calendar = new FiscalCalendar({ timeZone: 'UTC', yearStartMonth: 1, naming: 'end', weekStart: 'monday', holidays: [] });
const period = calendar.periodById('FY2026-Q1'); // 2026-01-01 … 2026-03-31

function person(id: string, name: string, team: string, region: string, effectiveFrom: string | null = null): Person {
  return { id, name, email: id, role: 'rep', team, manager: null, region, active: true, effectiveFrom };
}

const basePeople: Person[] = [
  person('ana@x.com', 'Ana', 'Iberia', 'EMEA'),
  person('ben@x.com', 'Ben', 'Iberia', 'EMEA'),
  person('carla@x.com', 'Carla', 'DACH', 'EMEA'),
  person('dev@x.com', 'Dev', 'East', 'AMER'),
  person('eve@x.com', 'Eve', 'East', 'AMER'),
];
const ownerTexts = ['Ana', 'ben@x.com', 'CARLA', 'dev@x.com', 'Eve', ' eve@X.com ', 'Nobody Known'];
const quotas: Quota[] = [
  { level: 'rep', entityId: 'ana@x.com', periodId: 'FY2026-Q1', amount: 500_000 },
  { level: 'rep', entityId: 'carla@x.com', periodId: 'FY2026-M02', amount: 100_000 },
  { level: 'team', entityId: 'East', periodId: 'FY2026-Q1', amount: 900_000 },
];

/** Dates from 2025-09-01 to 2026-07-30: the quarter, its comparison windows and the next quarter. */
const date = fc.integer({ min: 0, max: 332 }).map((offset) => addDays('2025-09-01', offset));

const dealArbitrary = (index: number) =>
  fc.record({
    owner: fc.constantFrom(...ownerTexts),
    stageClass: fc.constantFrom<Deal['stageClass']>('won', 'lost', 'open'),
    amount: fc.integer({ min: -50_000, max: 50_000_000 }),
    probability: fc.oneof(fc.constantFrom(0, 0.1, 0.25, 0.5, 0.75, 1), fc.double({ min: 0, max: 1, noNaN: true })),
    closeDate: date,
    /** 0: an open deal the CRM has no close date for yet (won and lost deals always have one). */
    dated: fc.integer({ min: 0, max: 4 }),
    createdDate: fc.option(date, { nil: null }),
    account: fc.constantFrom('Acme Corp', 'acme  CORP', 'Initech'),
  }).map(
    ({ dated, closeDate, ...fields }): Deal => ({
      id: `D${index}`,
      name: `Deal ${index}`,
      stage: fields.stageClass,
      currency: 'USD',
      originalAmount: fields.amount,
      pipeline: null,
      lastActivityDate: null,
      closeDate: fields.stageClass === 'open' && dated === 0 ? null : closeDate,
      ...fields,
    }),
  );

const dealsArbitrary = fc
  .integer({ min: 0, max: 80 })
  .chain((count) => fc.tuple(...Array.from({ length: count }, (_, index) => dealArbitrary(index))));

/** Optionally one rep moves to another team on some date (a second people-file row). */
const moverArbitrary = fc.option(
  fc.record({ who: fc.integer({ min: 0, max: 4 }), team: fc.constantFrom(['Iberia', 'EMEA'], ['DACH', 'EMEA'], ['East', 'AMER'], ['West', 'AMER']), from: date }),
  { nil: null },
);

function peopleWith(mover: { who: number; team: readonly [string, string]; from: string } | null): Person[] {
  if (!mover) return basePeople;
  const moved = basePeople[mover.who]!;
  return [...basePeople, person(moved.id, moved.name, mover.team[0], mover.team[1], mover.from)];
}

function input(deals: readonly Deal[], people: readonly Person[], asOf: string, teamAttribution: TeamAttribution): MetricsInput {
  return {
    deals,
    people,
    quotas,
    keyAccounts: [{ id: 'acme corp', name: 'Acme Corp', tier: null }],
    calendar,
    period,
    asOf,
    settings: { currency: 'USD', coverageTarget: 3, teamAttribution },
  };
}

const ADDITIVE = [
  'revenue',
  'wonCount',
  'lostCount',
  'lostAmount',
  'openPipeline',
  'weightedPipeline',
  'nextQuarterPipeline',
  'newPipeline',
  'pastDueCount',
  'pastDueAmount',
  'undatedOpenCount',
  'undatedOpenAmount',
  'totalOpenCount',
  'totalOpenPipeline',
] as const;

function additive(entity: EntityMetrics): Record<string, number> {
  return {
    ...Object.fromEntries(ADDITIVE.map((field) => [field, entity[field]])),
    previousPeriod: entity.revenueComparisons.previousPeriod,
    lastYear: entity.revenueComparisons.lastYear,
  };
}

function sumOf(entities: readonly EntityMetrics[]): Record<string, number> {
  const total: Record<string, number> = Object.fromEntries([...ADDITIVE, 'previousPeriod', 'lastYear'].map((field) => [field, 0]));
  for (const entity of entities) for (const [field, value] of Object.entries(additive(entity))) total[field]! += value;
  return total;
}

/** Past-due deals with the same close date keep input order; compare them as a set. */
function withPastDueById(result: MetricsResult): MetricsResult {
  return { ...result, pastDueDeals: [...result.pastDueDeals].sort((a, b) => (a.deal.id < b.deal.id ? -1 : a.deal.id > b.deal.id ? 1 : 0)) };
}

function expectRollUps(result: MetricsResult, checkRepsIntoTeams: boolean): void {
  const at = (level: EntityMetrics['level']) => result.entities.filter((e) => e.level === level);
  if (checkRepsIntoTeams) {
    for (const team of at('team')) expect(sumOf(at('rep').filter((rep) => rep.team === team.id))).toEqual(additive(team));
  }
  for (const region of at('region')) expect(sumOf(at('team').filter((team) => team.region === region.id))).toEqual(additive(region));
  expect(sumOf(at('region'))).toEqual(additive(at('company')[0]!));
}

const asOfArbitrary = fc.integer({ min: 0, max: 120 }).map((offset) => addDays('2025-12-15', offset));

describe('computeMetrics properties', () => {
  it("rolls up: team = Σ its reps', region = Σ its teams', company = Σ regions' ('current' attribution, reps may move)", () => {
    fc.assert(
      fc.property(dealsArbitrary, moverArbitrary, asOfArbitrary, (deals, mover, asOf) => {
        expectRollUps(computeMetrics(input(deals, peopleWith(mover), asOf, 'current')), true);
      }),
      { numRuns: 200 },
    );
  });

  it("rolls up in 'history' attribution: reps into teams when nobody moves; teams into regions and the company always", () => {
    fc.assert(
      fc.property(dealsArbitrary, moverArbitrary, asOfArbitrary, (deals, mover, asOf) => {
        expectRollUps(computeMetrics(input(deals, peopleWith(mover), asOf, 'history')), mover === null);
      }),
      { numRuns: 200 },
    );
  });

  it('matches a naive recomputation of the company figures', () => {
    fc.assert(
      fc.property(dealsArbitrary, asOfArbitrary, (deals, asOf) => {
        const result = computeMetrics(input(deals, basePeople, asOf, 'history'));
        const company = result.entities[0]!;
        const toDateEnd = asOf < period.end ? asOf : period.end;
        const closedToDate = (d: Deal) => d.closeDate !== null && d.closeDate >= period.start && d.closeDate <= toDateEnd;
        const closesBefore = (d: Deal, day: string) => d.closeDate !== null && d.closeDate < day;
        const sum = (list: Deal[]) => list.reduce((total, d) => total + d.amount, 0);
        const won = deals.filter((d) => d.stageClass === 'won' && closedToDate(d));
        const open = deals.filter((d) => d.stageClass === 'open');
        expect(company.revenue).toBe(sum(won));
        expect(company.wonCount).toBe(won.length);
        expect(company.lostCount).toBe(deals.filter((d) => d.stageClass === 'lost' && closedToDate(d)).length);
        expect(company.openPipeline).toBe(
          sum(open.filter((d) => d.closeDate !== null && d.closeDate >= asOf && d.closeDate >= period.start && d.closeDate <= period.end)),
        );
        expect(company.pastDueAmount).toBe(sum(open.filter((d) => closesBefore(d, asOf))));
        const undated = open.filter((d) => d.closeDate === null);
        expect(company.undatedOpenCount).toBe(undated.length);
        expect(company.undatedOpenAmount).toBe(sum(undated));
        expect(result.undatedOpenDeals.map((entry) => entry.deal.id).sort()).toEqual(undated.map((d) => d.id).sort());
        expect(company.totalOpenPipeline).toBe(sum(open));
        expect(company.totalOpenCount).toBe(open.length);
        expect(company.newPipeline).toBe(sum(deals.filter((d) => d.createdDate !== null && d.createdDate >= period.start && d.createdDate <= toDateEnd)));
        expect(result.pastDueDeals).toHaveLength(open.filter((d) => closesBefore(d, asOf)).length);
        const closeDates = result.pastDueDeals.map((p) => p.deal.closeDate);
        expect(closeDates).toEqual([...closeDates].sort());
        // Unknown owners are listed when a deal of theirs counts somewhere in this report
        // (the trailing four quarters' won and lost deals count in required coverage and velocity).
        const { previousPeriod, lastYear, trailingFourQuarters } = result.windows;
        const inWindow = (day: string | null, w: { start: string; end: string }) => day !== null && day >= w.start && day <= w.end;
        const trailingWon = sum(deals.filter((d) => d.stageClass === 'won' && inWindow(d.closeDate, trailingFourQuarters)));
        const trailingLost = sum(deals.filter((d) => d.stageClass === 'lost' && inWindow(d.closeDate, trailingFourQuarters)));
        expect(company.requiredCoverage).toBe(trailingWon === 0 ? null : (trailingWon + trailingLost) / trailingWon);
        const counts = (d: Deal) =>
          d.stageClass === 'open' ||
          closedToDate(d) ||
          inWindow(d.closeDate, trailingFourQuarters) ||
          (d.stageClass === 'won' && (inWindow(d.closeDate, previousPeriod) || inWindow(d.closeDate, lastYear))) ||
          inWindow(d.createdDate, { start: period.start, end: toDateEnd });
        expect(result.unmatchedOwners).toEqual(deals.some((d) => d.owner === 'Nobody Known' && counts(d)) ? ['Nobody Known'] : []);
      }),
      { numRuns: 200 },
    );
  });

  it('does not depend on deal order', () => {
    const shuffled = dealsArbitrary.chain((deals) =>
      fc.tuple(fc.constant(deals), fc.shuffledSubarray(deals, { minLength: deals.length, maxLength: deals.length })),
    );
    fc.assert(
      fc.property(shuffled, moverArbitrary, asOfArbitrary, fc.constantFrom<TeamAttribution>('history', 'current'), ([deals, reordered], mover, asOf, mode) => {
        const people = peopleWith(mover);
        expect(withPastDueById(computeMetrics(input(reordered, people, asOf, mode)))).toEqual(
          withPastDueById(computeMetrics(input(deals, people, asOf, mode))),
        );
      }),
      { numRuns: 150 },
    );
  });

  // 'The same figures when one upload is split into several files' is checked through real ingest:
  // test/integration/split-upload.property.test.ts.

  it('never produces NaN or Infinity, and amounts stay integers', () => {
    fc.assert(
      fc.property(dealsArbitrary, asOfArbitrary, (deals, asOf) => {
        for (const entity of computeMetrics(input(deals, basePeople, asOf, 'history')).entities) {
          for (const [field, value] of Object.entries(entity)) {
            if (typeof value === 'number') expect(Number.isFinite(value), field).toBe(true);
          }
          for (const field of [...ADDITIVE, 'projectedRevenue', 'requiredPerDay', 'averageDealSize'] as const) {
            const value = entity[field];
            if (value !== null) expect(Number.isInteger(value), field).toBe(true);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
