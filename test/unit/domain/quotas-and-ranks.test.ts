// Quotas resolve to people, teams and regions like deal owners do; every quota
// row is used or named; reps without attainment are unranked and ties share a
// rank; required per business day skips weekends and configured holidays.
import { describe, expect, it } from 'vitest';
import { FiscalCalendar } from '../../../shared/domain/fiscal-calendar.js';
import { computeMetrics, type EntityMetrics, type MetricsInput } from '../../../shared/domain/metrics.js';
import { OrgChart } from '../../../shared/domain/org-chart.js';
import { resolveQuotaEntity } from '../../../shared/domain/quota-book.js';
import type { Deal, Person, Quota } from '../../../shared/domain/types.js';

const calendar = (holidays: string[] = []) =>
  new FiscalCalendar({ timeZone: 'UTC', yearStartMonth: 1, naming: 'end', weekStart: 'monday', holidays });

function person(name: string, email: string | null, team: string, extra: Partial<Person> = {}): Person {
  return { id: email ?? name.toLowerCase(), name, email, role: 'rep', team, manager: null, region: 'EMEA', active: true, effectiveFrom: null, ...extra };
}

let sequence = 0;
function won(owner: string, amount: number, closeDate: string): Deal {
  sequence += 1;
  return {
    id: `W${sequence}`,
    name: `Won ${sequence}`,
    account: 'Acme',
    owner,
    stage: 'Closed Won',
    stageClass: 'won',
    probability: 1,
    amount,
    currency: 'USD',
    originalAmount: amount,
    closeDate,
    createdDate: null,
    pipeline: null,
    lastActivityDate: null,
  };
}

function quota(level: Quota['level'], written: string, periodId: string, amount: number): Quota {
  // As ingest keys them: a rep by lower-cased e-mail or normalised name, a team or region as written.
  const entityId = level === 'rep' ? (written.includes('@') ? written.toLowerCase() : written.trim().toLowerCase()) : written;
  return { level, entityId, periodId, amount, written };
}

function run(people: Person[], deals: Deal[], quotas: Quota[], asOf = '2026-02-14', holidays: string[] = []) {
  const cal = calendar(holidays);
  const input: MetricsInput = {
    deals,
    people,
    quotas,
    keyAccounts: [],
    calendar: cal,
    period: cal.periodById('FY2026-Q1'),
    asOf,
    settings: { currency: 'USD', coverageTarget: 3, teamAttribution: 'history' },
  };
  return computeMetrics(input);
}

const rep = (entities: readonly EntityMetrics[], id: string) => entities.find((e) => e.level === 'rep' && e.id === id)!;

describe('quota resolution', () => {
  const people = [
    person('Dana Reyes', 'dana@acme.com', 'West'),
    person('José Peña', null, 'West'),
    person('Sam Lee', 'sam.a@acme.com', 'East'),
    person('Sam Lee', 'sam.b@acme.com', 'East'),
  ];

  it('matches a rep written by name (case, accents, spacing ignored) or by e-mail, and a team or region by name', () => {
    const org = new OrgChart(people);
    expect(resolveQuotaEntity(quota('rep', '  DANA   reyes ', 'FY2026-Q1', 1), org)).toEqual({ ok: true, id: 'dana@acme.com' });
    expect(resolveQuotaEntity(quota('rep', 'Dana@ACME.com', 'FY2026-Q1', 1), org)).toEqual({ ok: true, id: 'dana@acme.com' });
    expect(resolveQuotaEntity(quota('rep', 'Jose Pena', 'FY2026-Q1', 1), org)).toEqual({ ok: true, id: 'josé peña' });
    expect(resolveQuotaEntity(quota('team', ' west ', 'FY2026-Q1', 1), org)).toEqual({ ok: true, id: 'West' });
    expect(resolveQuotaEntity(quota('region', 'emea', 'FY2026-Q1', 1), org)).toEqual({ ok: true, id: 'EMEA' });
  });

  it('applies a quota by a name two people share to neither, and says so', () => {
    const result = run(people, [won('sam.a@acme.com', 5_000, '2026-01-10')], [quota('rep', 'Sam Lee', 'FY2026-Q1', 10_000)]);
    expect(rep(result.entities, 'sam.a@acme.com').quota).toBeNull();
    expect(rep(result.entities, 'sam.b@acme.com').quota).toBeNull();
    expect(result.reconciliation.quotas).toEqual({
      kind: 'quotas',
      loaded: 1,
      used: 0,
      unused: [
        {
          code: 'quota-person-ambiguous',
          reason: "'Sam Lee' names 2 people in the people file (sam.a@acme.com, sam.b@acme.com): applied to neither — write the quota by e-mail",
          count: 1,
          examples: ['Sam Lee · FY2026-Q1'],
        },
      ],
    });
  });

  it('uses quotas by name and by e-mail alike, and names one for no one, a team that does not exist and a duplicate', () => {
    const quotas = [
      quota('rep', 'Dana Reyes', 'FY2026-Q1', 20_000),
      quota('rep', 'jose pena', 'FY2026-Q1', 10_000),
      quota('rep', 'dana@acme.com', 'FY2026-Q1', 25_000), // same person and period, by e-mail: this one applies
      quota('rep', 'Pat Nobody', 'FY2026-Q1', 7_000),
      quota('team', 'North', 'FY2026-Q1', 1_000),
      quota('team', 'WEST', 'FY2026-Q1', 30_000),
    ];
    const result = run(people, [won('Dana Reyes', 10_000, '2026-02-01')], quotas);
    expect(rep(result.entities, 'dana@acme.com')).toMatchObject({ quota: 25_000, attainment: 0.4 });
    expect(rep(result.entities, 'josé peña')).toMatchObject({ quota: 10_000, attainment: 0 });
    expect(result.entities.find((e) => e.level === 'team' && e.id === 'West')).toMatchObject({ quota: 30_000 });
    const { quotas: reconciled } = result.reconciliation;
    expect(reconciled.loaded).toBe(6);
    expect(reconciled.used).toBe(3);
    expect(reconciled.unused.map((group) => [group.code, group.examples])).toEqual(
      expect.arrayContaining([
        ['quota-duplicate', ['Dana Reyes · FY2026-Q1']],
        ['quota-person-unknown', ['Pat Nobody · FY2026-Q1']],
        ['quota-team-unknown', ['North · FY2026-Q1']],
      ]),
    );
    expect(reconciled.unused.reduce((sum, group) => sum + group.count, 0)).toBe(reconciled.loaded - reconciled.used);
  });

  it('lists a manager who carries a quota as a rep, and one who neither sells nor carries one not at all', () => {
    const staff = [person('Mo Boss', 'mo@acme.com', 'West', { role: 'manager' }), person('Lu Boss', 'lu@acme.com', 'East', { role: 'manager' }), person('Ana', 'ana@acme.com', 'West')];
    const result = run(staff, [], [quota('rep', 'mo@acme.com', 'FY2026-Q1', 5_000)]);
    expect(rep(result.entities, 'mo@acme.com')).toMatchObject({ quota: 5_000 });
    expect(rep(result.entities, 'lu@acme.com')).toBeUndefined();
    expect(result.reconciliation.quotas.used).toBe(1);
  });
});

describe('ranks', () => {
  it('ties share a rank (1, 2, 2, 4) and reps without attainment are unranked', () => {
    const people = ['a', 'b', 'c', 'd', 'e'].map((name) => person(name, `${name}@acme.com`, name < 'c' ? 'West' : 'East'));
    const quotas = ['a', 'b', 'c', 'd'].map((name) => quota('rep', `${name}@acme.com`, 'FY2026-Q1', 10_000));
    const deals = [won('a@acme.com', 9_000, '2026-01-05'), won('b@acme.com', 5_000, '2026-01-05'), won('c@acme.com', 5_000, '2026-01-06'), won('d@acme.com', 1_000, '2026-01-07'), won('e@acme.com', 99_000, '2026-01-07')];
    const { entities } = run(people, deals, quotas);
    expect(['a', 'b', 'c', 'd', 'e'].map((name) => rep(entities, `${name}@acme.com`).rankInCompany)).toEqual([1, 2, 2, 4, null]);
    expect(['a', 'b', 'c', 'd', 'e'].map((name) => rep(entities, `${name}@acme.com`).rankInTeam)).toEqual([1, 2, 1, 2, null]);
  });
});

describe('required per business day', () => {
  // As of Thursday 2026-03-26: left are Fri 27, Mon 30, Tue 31 March (3 business days, 5 days).
  const people = [person('Ana', 'ana@acme.com', 'West')];
  const quotas = [quota('rep', 'ana@acme.com', 'FY2026-Q1', 100_000)];
  const deals = [won('ana@acme.com', 40_000, '2026-02-01')];

  it('divides the gap by the business days left, weekends excluded', () => {
    const ana = rep(run(people, deals, quotas, '2026-03-26').entities, 'ana@acme.com');
    expect(ana.requiredPerDay).toBe(12_000); // 60 000 / 5
    expect(ana.requiredPerBusinessDay).toBe(20_000); // 60 000 / 3
  });

  it('excludes configured holidays, and is n/a when no business day is left', () => {
    expect(rep(run(people, deals, quotas, '2026-03-26', ['2026-03-30']).entities, 'ana@acme.com').requiredPerBusinessDay).toBe(30_000);
    const lastFriday = rep(run(people, deals, quotas, '2026-03-27', ['2026-03-30', '2026-03-31']).entities, 'ana@acme.com');
    expect(lastFriday.requiredPerDay).toBe(15_000); // 60 000 / 4 calendar days
    expect(lastFriday.requiredPerBusinessDay).toBeNull();
  });
});
