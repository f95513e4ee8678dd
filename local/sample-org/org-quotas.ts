// Quotas as a sales-ops team uploads them: per rep per quarter, next quarter
// included (ramping reps lower), one team with its own figure below the sum of
// its reps (quota over-assignment), and one team on monthly quotas from the
// previous quarter on.
import type { Quota } from '../../shared/domain/types.js';
import { fiscalMonthId, minDate, monthsOfQuarter, type FiscalQuarter } from './dates.js';
import type { QuotaRow, Timeline } from './model.js';
import { roundTo } from './money.js';
import { quarterAt, quartersSinceHire, RAMP_QUOTA, rampShare, teamAt, type RepPlan } from './org-people.js';
import {
  FISCAL_YEAR_START_MONTH,
  NOMINAL_WIN_RATE,
  Q4_DEAL_SIZE,
  QUARTERLY_GROWTH,
  SEASONALITY,
  SEGMENTS,
  TEAMS,
  type TeamPlan,
} from './roster.js';

/** The team whose uploaded quota is lower than the sum of its reps'. */
export const TEAM_WITH_OWN_QUOTA = 'UK & Ireland';
const QUOTA_OVER_ASSIGNMENT = 1.15;
/** The team whose reps have monthly quotas from the previous quarter on. */
export const TEAM_WITH_MONTHLY_QUOTAS = 'Japan';
/** Quotas ask a little more than a typical rep is expected to win. */
const QUOTA_STRETCH = 1.1;

/** A fully ramped rep's quarterly quota in whole dollars: the stretched expected revenue of a typical rep. */
function quarterlyQuotaUsd(team: TeamPlan, quarter: FiscalQuarter, offsetFromCurrent: number): number {
  const segment = SEGMENTS[team.segment];
  const meanDealUsd = segment.medianDealUsd * Math.exp((segment.sigma * segment.sigma) / 2) * (quarter.quarter === 4 ? Q4_DEAL_SIZE : 1);
  const expectedDeals = segment.dealsPerQuarter * (SEASONALITY[quarter.quarter] ?? 1) * (1 + QUARTERLY_GROWTH) ** offsetFromCurrent;
  return roundTo(expectedDeals * NOMINAL_WIN_RATE * meanDealUsd * QUOTA_STRETCH, 5_000);
}

export function buildQuotaRows(reps: readonly RepPlan[], timeline: Timeline): QuotaRow[] {
  const rows: QuotaRow[] = [];
  const monthlyFrom = quarterAt(timeline, -1).ordinal;
  // Next quarter's quotas are set before it starts, so next-quarter coverage has a denominator.
  for (const quarter of [...timeline.quarters, quarterAt(timeline, 1)]) {
    const teamTotals = new Map<string, number>();
    for (const rep of reps) {
      const since = quartersSinceHire(rep, quarter);
      if (since === null || (rep.leaveDate !== null && rep.leaveDate < quarter.start)) continue;
      const team = teamAt(rep, rep.leaveDate === null ? quarter.end : minDate(quarter.end, rep.leaveDate));
      const fullQuota = quarterlyQuotaUsd(team, quarter, quarter.ordinal - timeline.current.ordinal);
      const amountUsd = roundTo(fullQuota * rampShare(RAMP_QUOTA, since), 5_000);
      teamTotals.set(team.name, (teamTotals.get(team.name) ?? 0) + amountUsd);
      const base = { rep: rep.email, team: team.name, region: team.region };
      if (team.name === TEAM_WITH_MONTHLY_QUOTAS && quarter.ordinal >= monthlyFrom) {
        for (const { year, month } of monthsOfQuarter(quarter)) {
          rows.push({ ...base, period: `${year}-${String(month).padStart(2, '0')}`, amountUsd: roundTo(amountUsd / 3, 1_000) });
        }
      } else {
        rows.push({ ...base, period: quarter.id, amountUsd });
      }
    }
    const team = TEAMS.find((candidate) => candidate.name === TEAM_WITH_OWN_QUOTA);
    const repTotal = teamTotals.get(TEAM_WITH_OWN_QUOTA) ?? 0;
    if (quarter.fiscalYear === timeline.current.fiscalYear && team !== undefined && repTotal > 0) {
      rows.push({
        rep: '',
        team: team.name,
        region: team.region,
        period: quarter.id,
        amountUsd: roundTo(repTotal / QUOTA_OVER_ASSIGNMENT, 10_000),
      });
    }
  }
  return rows;
}

export function toDomainQuota(row: QuotaRow): Quota {
  const month = /^(\d{4})-(\d{2})$/.exec(row.period);
  const periodId = month ? fiscalMonthId(Number(month[1]), Number(month[2]), FISCAL_YEAR_START_MONTH) : row.period;
  return row.rep === ''
    ? { level: 'team', entityId: row.team, periodId, amount: row.amountUsd * 100 }
    : { level: 'rep', entityId: row.rep, periodId, amount: row.amountUsd * 100 };
}
