import { describe, expect, it } from 'vitest';
import {
  FORECAST_CATEGORIES,
  LOST,
  NO_CATEGORY,
  NO_DAY,
  OPEN,
  OTHER_CATEGORY,
  toDealColumns,
  WON,
} from '../../../shared/domain/deal-columns.js';
import { FiscalCalendar } from '../../../shared/domain/fiscal-calendar.js';
import { toDayNumber } from '../../../shared/domain/local-date.js';
import { computeMetricsFromColumns, type ColumnarMetricsInput } from '../../../shared/domain/metrics.js';
import type { Deal, ForecastCategory, Person } from '../../../shared/domain/types.js';

function deal(id: string, overrides: Partial<Deal> = {}): Deal {
  return {
    id,
    name: `Deal ${id}`,
    account: 'Acme',
    owner: 'Ana Ruiz',
    stage: 'Prospecting',
    stageClass: 'open',
    probability: 0.25,
    amount: 100_00,
    currency: 'USD',
    originalAmount: 100_00,
    closeDate: '2026-02-10',
    createdDate: '2026-01-05',
    pipeline: null,
    lastActivityDate: null,
    ...overrides,
  };
}

describe('toDealColumns', () => {
  it('holds each deal field the tallies read, in the order the deals came in', () => {
    const deals = [
      deal('A', { stageClass: 'won', stage: 'Closed Won', probability: 1, amount: 250_00, closeDate: '2026-01-31', lastActivityDate: '2026-01-30' }),
      deal('B', { closeDate: null, createdDate: null, probability: 0.9, forecastCategory: 'commit' }),
      deal('C', { stageClass: 'lost', stage: 'Closed Lost', probability: 0, owner: 'ben@example.com', account: 'Globex', currency: 'EUR' }),
    ];
    const columns = toDealColumns(deals);

    expect(columns.length).toBe(3);
    expect(columns.deals).toBe(deals);
    expect([...columns.closeDay]).toEqual([toDayNumber('2026-01-31'), NO_DAY, toDayNumber('2026-02-10')]);
    expect([...columns.createdDay]).toEqual([toDayNumber('2026-01-05'), NO_DAY, toDayNumber('2026-01-05')]);
    expect([...columns.lastActivityDay]).toEqual([toDayNumber('2026-01-30'), NO_DAY, NO_DAY]);
    expect([...columns.amount]).toEqual([250_00, 100_00, 100_00]);
    expect([...columns.probability]).toEqual([1, 0.9, 0]);
    expect([...columns.probabilityPoints]).toEqual([10_000, 9_000, 0]);
    expect([...columns.stageClass]).toEqual([WON, OPEN, LOST]);
    expect([...columns.forecastCategory]).toEqual([NO_CATEGORY, FORECAST_CATEGORIES.indexOf('commit'), NO_CATEGORY]);
  });

  it('dictionary-encodes owners, accounts, stages and currencies: one code per distinct text', () => {
    const columns = toDealColumns([
      deal('A', { owner: 'Ana Ruiz', account: 'Acme', stage: 'Prospecting', currency: 'USD' }),
      deal('B', { owner: 'ben@example.com', account: 'Acme', stage: 'Proposal', currency: 'EUR' }),
      deal('C', { owner: 'Ana Ruiz', account: 'Globex', stage: 'Prospecting', currency: 'USD' }),
    ]);

    const decode = (codes: Int32Array, texts: readonly string[]) => [...codes].map((code) => texts[code]);
    expect(columns.owners).toEqual(['Ana Ruiz', 'ben@example.com']);
    expect(decode(columns.owner, columns.owners)).toEqual(['Ana Ruiz', 'ben@example.com', 'Ana Ruiz']);
    expect(decode(columns.account, columns.accounts)).toEqual(['Acme', 'Acme', 'Globex']);
    expect(decode(columns.stage, columns.stages)).toEqual(['Prospecting', 'Proposal', 'Prospecting']);
    expect(decode(columns.currency, columns.currencies)).toEqual(['USD', 'EUR', 'USD']);
  });

  it('marks a stored category text that names no category, and refuses an unknown stage class', () => {
    const columns = toDealColumns([deal('A', { forecastCategory: 'upside' as ForecastCategory })]);
    expect(columns.forecastCategory[0]).toBe(OTHER_CATEGORY);
    expect(() => toDealColumns([deal('B', { stageClass: 'pending' as Deal['stageClass'] })])).toThrow(/stage class 'pending'/);
  });
});

describe('computeMetricsFromColumns', () => {
  it('computes from columns: past-due and undated lists, key accounts and the reconciliation read the deals by index', () => {
    const calendar = new FiscalCalendar({ timeZone: 'Europe/Madrid', yearStartMonth: 1, naming: 'end', weekStart: 'monday', holidays: [] });
    const people: Person[] = [
      { id: 'ana', name: 'Ana Ruiz', email: 'ana@example.com', role: 'rep', team: 'Iberia', region: 'EMEA', manager: null, active: true, effectiveFrom: null },
    ];
    const deals = [
      deal('A', { stageClass: 'won', probability: 1, amount: 500_00, closeDate: '2026-01-20' }),
      deal('B', { closeDate: '2026-01-02' }), // past due on 14 February
      deal('C', { closeDate: null, owner: 'Someone Else' }),
      // Lost after the as-of day, not created in the period: named by the reconciliation, earliest first.
      deal('D', { stageClass: 'lost', probability: 0, closeDate: '2026-03-01', createdDate: null }),
      deal('E', { stageClass: 'lost', probability: 0, closeDate: '2026-02-20', createdDate: null }),
    ];
    const input: ColumnarMetricsInput = {
      columns: toDealColumns(deals),
      people,
      quotas: [{ level: 'rep', entityId: 'ana', periodId: 'FY2026-Q1', amount: 1_000_00 }],
      keyAccounts: [{ id: 'acme', name: 'Acme', tier: 'key' }],
      calendar,
      period: calendar.periodById('FY2026-Q1'),
      asOf: '2026-02-14',
      settings: { currency: 'USD', coverageTarget: 3, teamAttribution: 'history' },
    };
    const fromColumns = computeMetricsFromColumns(input);
    const ana = fromColumns.entities.find((entity) => entity.id === 'ana')!;
    expect(ana).toMatchObject({ revenue: 500_00, wonCount: 1, lostCount: 0, pastDueCount: 1, openPipeline: 0 });
    expect(fromColumns.pastDueDeals.map((entry) => entry.deal.id)).toEqual(['B']);
    expect(fromColumns.undatedOpenDeals.map((entry) => entry.deal.id)).toEqual(['C']);
    expect(fromColumns.keyAccounts[0]).toMatchObject({ id: 'acme', revenue: 500_00, wonCount: 1 });
    const unused = fromColumns.reconciliation.deals.unused;
    expect(unused.map((group) => group.code).sort()).toEqual(['closed-after-as-of', 'owner-unmatched']);
    expect(unused.find((group) => group.code === 'closed-after-as-of')).toMatchObject({
      count: 2,
      examples: ['Deal E (E) · 2026-02-20', 'Deal D (D) · 2026-03-01'],
    });
  });
});
