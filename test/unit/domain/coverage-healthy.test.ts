// coverageHealthy: healthy at ≥ the coverage target (default 3×, config
// metrics.coverageTarget), so exactly at the target is healthy and one cent
// below is not; a non-default target moves the line.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../shared/config/schema.js';
import { FiscalCalendar } from '../../../shared/domain/fiscal-calendar.js';
import { computeMetrics } from '../../../shared/domain/metrics.js';
import type { Deal, Person, Quota } from '../../../shared/domain/types.js';

const calendar = new FiscalCalendar({ timeZone: 'UTC', yearStartMonth: 1, naming: 'end', weekStart: 'monday', holidays: [] });
const period = calendar.periodById('FY2026-Q1'); // 2026-01-01 … 2026-03-31
const ASOF = '2026-02-14';

const people: Person[] = [{ id: 'ana@x.com', name: 'Ana', email: 'ana@x.com', role: 'rep', team: 'Iberia', manager: null, region: 'EMEA', active: true, effectiveFrom: null }];
/** Quota 100 000.00, revenue 40 000.00: the gap is 60 000.00 (6 000 000 cents). */
const quotas: Quota[] = [{ level: 'rep', entityId: 'ana@x.com', periodId: 'FY2026-Q1', amount: 10_000_000 }];
const GAP = 6_000_000;

function deal(id: string, stageClass: Deal['stageClass'], amount: number, closeDate: string): Deal {
  return {
    id,
    name: id,
    account: 'Acme',
    owner: 'Ana',
    stage: stageClass,
    stageClass,
    probability: stageClass === 'won' ? 1 : 0.5,
    amount,
    currency: 'USD',
    originalAmount: amount,
    closeDate,
    createdDate: null,
    pipeline: null,
    lastActivityDate: null,
  };
}

/** Ana's figures with `pipeline` cents of open deals closing later this quarter. */
function ana(pipeline: number, coverageTarget?: number) {
  const settings = { currency: 'USD', coverageTarget: coverageTarget ?? parseConfig({ org: { name: 'X', timeZone: 'UTC' }, mail: { from: 'r@x.com', allowedDomains: ['x.com'] } }).metrics.coverageTarget, teamAttribution: 'history' as const };
  const deals = [deal('W', 'won', 4_000_000, '2026-01-20'), deal('O1', 'open', pipeline - 1, '2026-03-01'), deal('O2', 'open', 1, '2026-03-31')];
  const result = computeMetrics({ deals, people, quotas, keyAccounts: [], calendar, period, asOf: ASOF, settings });
  const rep = result.entities.find((entity) => entity.level === 'rep' && entity.id === 'ana@x.com')!;
  expect(rep).toMatchObject({ revenue: 4_000_000, gapToQuota: GAP, openPipeline: pipeline });
  return rep;
}

describe('coverageHealthy', () => {
  it('is healthy exactly at the default 3× target, and not one cent below it', () => {
    expect(ana(3 * GAP)).toMatchObject({ pipelineCoverage: 3, coverageHealthy: true });
    const below = ana(3 * GAP - 1);
    expect(below.pipelineCoverage).toBeLessThan(3);
    expect(below.coverageHealthy).toBe(false);
  });

  it('follows a non-default target: 2× is healthy at 2× and 2.5× coverage, which the default 3× calls unhealthy', () => {
    expect(ana(2 * GAP, 2)).toMatchObject({ pipelineCoverage: 2, coverageHealthy: true });
    expect(ana(2 * GAP - 1, 2).coverageHealthy).toBe(false);
    expect(ana(2.5 * GAP, 2).coverageHealthy).toBe(true);
    expect(ana(2.5 * GAP).coverageHealthy).toBe(false);
  });

  it('a higher target (4×) calls the default target’s healthy 3× unhealthy', () => {
    expect(ana(3 * GAP, 4).coverageHealthy).toBe(false);
    expect(ana(4 * GAP, 4).coverageHealthy).toBe(true);
  });
});
