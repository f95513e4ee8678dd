// The three to five sentences a rep's page opens with: what a manager would
// say first in the quarterly review, chosen by fixed rules from the figures in
// a fixed priority order, so the same figures always give the same points.
//
//  1. Quota: pace with the amount needed per business day (or quota met, or
//     the gap once the quarter is over); no quota → what was won, never a
//     ratio.
//  2. Deals that slipped out of the quarter (count and amount); deals pushed
//     3+ times (else a slip rate by value ≥ 25%); last quarter's forecast
//     accuracy at week 8, where a snapshot of it was stored.
//  3. Coverage against the target, with next quarter's (quota only).
//  4. The rep's key account with the biggest year-on-year swing (≥ 20%).
//  5. Win rate 10+ points off the team's, else a sales cycle ≥ 1.5× or
//     ≤ ⅔ of the team's median.
//  6. CRM hygiene: past-due and undated open deals.
// Fewer than three apply → revenue, open pipeline and new pipeline fill in.
import type { EntityMetrics } from '../../domain/metrics.js';
import type { MinorUnits } from '../../domain/types.js';
import { formatMoney, formatMultiple, formatPercent } from '../charts/chart-format.js';
import { fill, type PackLabels } from './pack-labels.js';

export type PackLocale = 'en' | 'es';

export interface TalkingPointContext {
  /** The period's label, e.g. "FY2027-Q3". */
  periodLabel: string;
  /** Healthy coverage multiple (config, default 3). */
  coverageTarget: number;
  /** The rep's team: the benchmark for win rate and cycle; null when unknown. */
  team: EntityMetrics | null;
  /** The rep's deals that slipped out of the quarter. */
  slipped: readonly { amount: MinorUnits }[];
  /** The rep's key accounts with the account's year-on-year growth (company-wide). */
  keyAccounts: readonly { name: string; growthYoY: number | null }[];
  /** The rep's open deals pushed 3 or more times (absent: none known). */
  pushedOften?: readonly { amount: MinorUnits }[];
  /** Last quarter as its reports saw it: the projection stated at week 8 and what closed (absent without a snapshot then). */
  lastQuarter?: { label: string; projectedWeek8: MinorUnits; actual: MinorUnits; accuracyWeek8: number } | null;
}

/** A slip rate (by value) at or above this is worth raising. */
export const SLIP_RATE_WORTH_RAISING = 0.25;

export const MIN_TALKING_POINTS = 3;
export const MAX_TALKING_POINTS = 5;
/** A key account's year-on-year change worth raising. */
export const KEY_ACCOUNT_SWING = 0.2;
/** Win rate this far (in ratio points) from the team's is worth raising. */
export const WIN_RATE_GAP = 0.1;
/** Closed deals (won + lost) a win rate needs before it is compared. */
export const WIN_RATE_MIN_CLOSED = 3;
/** A median cycle this many times the team's (or its inverse) is worth raising. */
export const CYCLE_FACTOR = 1.5;

export function talkingPoints(rep: EntityMetrics, context: TalkingPointContext, labels: PackLabels, locale: PackLocale): string[] {
  const money = (amount: MinorUnits) => formatMoney(amount, rep.currency, locale);
  const percent = (ratio: number) => formatPercent(ratio, locale);
  const times = (ratio: number) => formatMultiple(ratio, locale);
  const points: string[] = [];
  const hasQuota = rep.quota !== null;

  // 1. Quota
  if (!hasQuota) {
    points.push(fill(labels.tpNoQuota, { period: context.periodLabel, revenue: money(rep.revenue) }));
  } else if (rep.quotaMet && rep.attainment !== null) {
    points.push(fill(labels.tpQuotaMet, { attainment: percent(rep.attainment), revenue: money(rep.revenue) }));
  } else if (rep.pace !== null && rep.pace < 1 && rep.requiredPerBusinessDay !== null) {
    points.push(fill(labels.tpPaceBehind, { pace: percent(rep.pace), required: money(rep.requiredPerBusinessDay) }));
  } else if (rep.pace !== null && rep.pace >= 1 && rep.projectedAttainment !== null) {
    points.push(fill(labels.tpPaceOnTrack, { pace: percent(rep.pace), projected: percent(rep.projectedAttainment) }));
  } else if (rep.attainment !== null && rep.gapToQuota !== null) {
    points.push(fill(labels.tpAttainmentGap, { attainment: percent(rep.attainment), gap: money(rep.gapToQuota) }));
  }

  // 2. Slipped deals
  if (context.slipped.length > 0) {
    const amount = money(context.slipped.reduce((sum, deal) => sum + deal.amount, 0));
    const count = context.slipped.length;
    points.push(fill(count === 1 ? labels.tpSlippedOne : labels.tpSlippedOther, { count, amount }));
  }

  // 2b. Deals whose dates keep moving, and how much of what the quarter expected has not closed
  const pushed = context.pushedOften ?? [];
  if (pushed.length > 0) {
    const amount = money(pushed.reduce((sum, deal) => sum + deal.amount, 0));
    points.push(fill(pushed.length === 1 ? labels.tpPushedOne : labels.tpPushedOther, { count: pushed.length, amount }));
  } else if (rep.slipRateValue !== null && rep.slipRateValue >= SLIP_RATE_WORTH_RAISING && rep.slipRate !== null) {
    points.push(fill(labels.tpSlipRate, { rate: percent(rep.slipRate), value: percent(rep.slipRateValue) }));
  }

  // 2c. How right last quarter's forecast was
  const last = context.lastQuarter;
  if (last) {
    points.push(fill(labels.tpAccuracy, { quarter: last.label, projected: money(last.projectedWeek8), actual: money(last.actual), accuracy: percent(last.accuracyWeek8) }));
  }

  // 3. Coverage (only against a quota)
  if (hasQuota) {
    const target = formatMultiple(context.coverageTarget, locale, true);
    if (rep.pipelineCoverage !== null) {
      const next = rep.nextQuarterCoverage === null ? '' : fill(labels.tpCoverageNext, { next: times(rep.nextQuarterCoverage) });
      points.push(fill(labels.tpCoverage, { coverage: times(rep.pipelineCoverage), target }) + next);
    } else if (rep.nextQuarterCoverage !== null) {
      points.push(fill(labels.tpNextQuarterCoverage, { next: times(rep.nextQuarterCoverage), target }));
    }
  }

  // 4. Key account swing
  const swing = biggestSwing(context.keyAccounts);
  if (swing !== null) points.push(fill(labels.tpKeyAccount, { account: swing.name, growth: signedPercent(swing.growthYoY, locale) }));

  // 5. Win rate, else cycle, against the team
  const team = context.team;
  if (team !== null) {
    const closed = rep.wonCount + rep.lostCount;
    if (rep.winRate !== null && team.winRate !== null && closed >= WIN_RATE_MIN_CLOSED && Math.abs(rep.winRate - team.winRate) >= WIN_RATE_GAP - 1e-9) {
      points.push(fill(labels.tpWinRate, { winRate: percent(rep.winRate), teamWinRate: percent(team.winRate) }));
    } else if (rep.salesCycleMedianDays !== null && team.salesCycleMedianDays !== null && team.salesCycleMedianDays > 0) {
      const factor = rep.salesCycleMedianDays / team.salesCycleMedianDays;
      if (factor >= CYCLE_FACTOR || factor <= 1 / CYCLE_FACTOR) {
        points.push(fill(labels.tpCycle, { days: wholeDays(rep.salesCycleMedianDays, locale), teamDays: wholeDays(team.salesCycleMedianDays, locale) }));
      }
    }
  }

  // 6. Hygiene
  const hygiene: string[] = [];
  if (rep.pastDueCount > 0) {
    hygiene.push(fill(rep.pastDueCount === 1 ? labels.tpPastDueOne : labels.tpPastDueOther, { count: rep.pastDueCount, amount: money(rep.pastDueAmount) }));
  }
  if (rep.undatedOpenCount > 0) {
    hygiene.push(
      fill(rep.undatedOpenCount === 1 ? labels.tpUndatedOne : labels.tpUndatedOther, { count: rep.undatedOpenCount, amount: money(rep.undatedOpenAmount) }),
    );
  }
  if (hygiene.length > 0) points.push(fill(labels.tpHygiene, { items: hygiene.join(labels.tpHygieneJoin) }));

  // Fill-ins, so every page has at least three points.
  const fillIns = [
    hasQuota ? fill(labels.tpRevenue, { revenue: money(rep.revenue), won: rep.wonCount }) : null,
    fill(labels.tpOpenPipeline, { open: money(rep.openPipeline), weighted: money(rep.weightedPipeline) }),
    fill(labels.tpNewPipeline, { amount: money(rep.newPipeline) }),
    hasQuota ? null : fill(labels.tpRevenue, { revenue: money(rep.revenue), won: rep.wonCount }),
  ];
  for (const point of fillIns) {
    if (points.length >= MIN_TALKING_POINTS) break;
    if (point !== null) points.push(point);
  }
  return points.slice(0, MAX_TALKING_POINTS);
}

function biggestSwing(accounts: TalkingPointContext['keyAccounts']): { name: string; growthYoY: number } | null {
  let best: { name: string; growthYoY: number } | null = null;
  for (const account of accounts) {
    const growth = account.growthYoY;
    if (growth === null || Math.abs(growth) < KEY_ACCOUNT_SWING) continue;
    // Biggest swing first; ties by name, so input order never matters.
    if (best === null || Math.abs(growth) > Math.abs(best.growthYoY) || (Math.abs(growth) === Math.abs(best.growthYoY) && account.name < best.name)) {
      best = { name: account.name, growthYoY: growth };
    }
  }
  return best;
}

/** −35% / +12% ("−35 %" in Spanish), with a true minus sign. */
export function signedPercent(ratio: number, locale: PackLocale): string {
  return formatter(locale, 'signedPercent').format(ratio).replace('-', '\u2212');
}

function wholeDays(days: number, locale: PackLocale): string {
  return formatter(locale, 'days').format(days);
}

// Building an Intl.NumberFormat costs far more than using one: one per locale and use, for 500 rep pages.
const formatters = new Map<string, Intl.NumberFormat>();
function formatter(locale: PackLocale, use: 'signedPercent' | 'days'): Intl.NumberFormat {
  const key = `${locale}:${use}`;
  let cached = formatters.get(key);
  if (cached === undefined) {
    cached = new Intl.NumberFormat(
      locale,
      use === 'signedPercent' ? { style: 'percent', maximumFractionDigits: 0, signDisplay: 'exceptZero' } : { maximumFractionDigits: 0 },
    );
    formatters.set(key, cached);
  }
  return cached;
}
