// Days in stage on hand-made deals: the pure rule (as-of − stage-change date;
// n/a, never 0, without a date or with one after the as-of date) and the
// engine's deal lists and metrics export carrying it.
import { describe, expect, it } from 'vitest';
import { daysInStage } from '../../../shared/domain/days-in-stage.js';
import { FiscalCalendar } from '../../../shared/domain/fiscal-calendar.js';
import { toMetricsExport } from '../../../shared/domain/metrics-export.js';
import { computeMetrics } from '../../../shared/domain/metrics.js';
import type { Deal, Person } from '../../../shared/domain/types.js';

describe('daysInStage', () => {
  it('counts days from the stage change to the as-of date', () => {
    expect(daysInStage('2026-01-15', '2026-02-14')).toBe(30); // 16 days left in January + 14
    expect(daysInStage('2025-02-14', '2026-02-14')).toBe(365);
    expect(daysInStage('2024-02-28', '2024-03-01')).toBe(2); // leap day counted
    expect(daysInStage('2026-02-14', '2026-02-14')).toBe(0); // entered the stage today
  });

  it('is null (n/a, never 0) without a stage-change date', () => {
    expect(daysInStage(null, '2026-02-14')).toBeNull();
    expect(daysInStage(undefined, '2026-02-14')).toBeNull();
  });

  it('is null for a stage-change date after the as-of date', () => {
    expect(daysInStage('2026-02-15', '2026-02-14')).toBeNull();
    expect(daysInStage('2027-01-01', '2026-02-14')).toBeNull();
  });
});

describe('days in stage on the engine deal lists', () => {
  const calendar = new FiscalCalendar({ timeZone: 'Europe/Madrid', yearStartMonth: 1, naming: 'end', weekStart: 'monday', holidays: [] });
  const people: Person[] = [{ id: 'ana@example.com', name: 'Ana Ruiz', email: 'ana@example.com', role: 'rep', team: 'Iberia', region: 'EMEA', manager: null, active: true, effectiveFrom: null }];
  const asOf = '2026-02-14';

  function open(id: string, amount: number, closeDate: string | null, stageChangeDate?: string | null): Deal {
    return {
      id,
      name: id,
      account: 'Acme',
      owner: 'Ana Ruiz',
      stage: 'Proposal',
      stageClass: 'open',
      probability: 0.5,
      amount,
      currency: 'USD',
      originalAmount: amount,
      closeDate,
      createdDate: '2025-12-01',
      pipeline: null,
      lastActivityDate: null,
      ...(stageChangeDate !== undefined ? { stageChangeDate } : {}),
    };
  }

  const deals = [
    open('entered-jan-15', 5_000, '2026-02-01', '2026-01-15'), // past due, 30 days in stage
    open('no-column', 4_000, '2026-02-02'), // export without the column: absent
    open('blank-cell', 3_000, '2026-02-03', null), // column there, cell blank
    open('future-change', 2_000, '2026-02-04', '2026-02-20'), // after the as-of date
    open('undated-today', 1_000, null, '2026-02-14'), // undated, entered its stage today
    open('in-window', 9_000, '2026-03-10', '2025-11-01'), // open pipeline: in no deal list
  ];
  const result = computeMetrics({
    deals,
    people,
    quotas: [],
    keyAccounts: [],
    calendar,
    period: calendar.period('quarter', asOf),
    asOf,
    settings: { currency: 'USD', coverageTarget: 3, teamAttribution: 'history', staleAfterDays: 30 },
  });

  it('puts daysInStage on each past-due and undated deal, null where the date is missing or later', () => {
    expect(result.pastDueDeals.map((line) => [line.deal.id, line.daysInStage, line.daysPastDue])).toEqual([
      ['entered-jan-15', 30, 13],
      ['no-column', null, 12],
      ['blank-cell', null, 11],
      ['future-change', null, 10],
    ]);
    expect(result.undatedOpenDeals.map((line) => [line.deal.id, line.daysInStage])).toEqual([['undated-today', 0]]);
  });

  it('leaves stale deals to the last-activity date', () => {
    expect(result.entities.find((entity) => entity.level === 'rep')!.staleOpenCount).toBeNull();
  });

  it('exports daysInStage and the stage-change date as plain JSON (version 6)', () => {
    const exported = JSON.parse(JSON.stringify(toMetricsExport(result, { org: 'Acme', asOf, generatedAt: '2026-02-15T07:00:00Z' })));
    expect(exported.version).toBe(6);
    expect(exported.pastDueDeals.map((line: { deal: Deal; daysInStage: number | null }) => [line.deal.id, line.deal.stageChangeDate, line.daysInStage])).toEqual([
      ['entered-jan-15', '2026-01-15', 30],
      ['no-column', undefined, null],
      ['blank-cell', null, null],
      ['future-change', '2026-02-20', null],
    ]);
    expect(exported.pastDueDeals[1]).toHaveProperty('daysInStage', null);
    expect(exported.undatedOpenDeals[0]).toMatchObject({ daysInStage: 0, deal: { id: 'undated-today', stageChangeDate: '2026-02-14' } });
  });
});
