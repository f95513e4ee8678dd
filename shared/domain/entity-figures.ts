// The figures of one entity from its rolled-up integer totals, and the ranks
// of reps. Every ratio is computed from the integers; a ratio whose
// denominator is zero or missing is null (n/a), never 0 or Infinity.
import type { Totals } from './deal-tally.js';
import { requiredCoverage, salesVelocity, type TrailingTotals } from './forecast-figures.js';
import type { EntityMetrics, Ratio } from './metrics.js';
import { UNASSIGNED } from './org-chart.js';
import type { EntityLevel, FiscalPeriod, MinorUnits } from './types.js';

export type CoverageHealthyBy = 'target' | 'required';

export interface EntityRef {
  level: EntityLevel;
  id: string;
  name: string;
  team: string | null;
  region: string | null;
}

/** What every entity of one report shares: the period and where the as-of date sits in it. */
export interface EntityShape {
  periodId: string;
  kind: FiscalPeriod['kind'];
  currency: string;
  coverageTarget: number;
  /** What `coverageHealthy` compares coverage with: the configured target, or the entity's required coverage (the target when that is n/a). */
  coverageHealthyBy: CoverageHealthyBy;
  daysInPeriod: number;
  elapsedDays: number;
  daysLeft: number;
  /** Business days after the as-of day up to the period end (weekends and configured holidays excluded). */
  businessDaysLeft: number;
  /** Whether an earlier pipeline snapshot exists to count close-date pushes from. */
  hasPushHistory: boolean;
  /** Whether the period has a pipeline snapshot before the as-of date (its first one is the slip rate's base). */
  hasSlipHistory: boolean;
}

export function entityMetrics(
  entity: EntityRef,
  totals: Totals,
  quota: MinorUnits | null,
  nextQuarterQuota: MinorUnits | null,
  shape: EntityShape,
): EntityMetrics {
  const { revenue } = totals;
  const attainment = ratio(revenue, quota);
  const gapToQuota = quota === null ? null : Math.max(quota - revenue, 0);
  const quotaMet = gapToQuota === 0;
  const pipelineCoverage = quotaMet ? null : ratio(totals.openPipeline, gapToQuota);
  const projectedRevenue = shape.elapsedDays > 0 ? divideRounded(revenue * shape.daysInPeriod, shape.elapsedDays) : null;
  const shareElapsed = shape.elapsedDays / shape.daysInPeriod;
  const cycle = cycleStatistics(totals.cycleDays);
  const trailing = trailingTotals(totals);
  const required = requiredCoverage(trailing);
  const healthyAt = shape.coverageHealthyBy === 'required' ? (required ?? shape.coverageTarget) : shape.coverageTarget;
  return {
    level: entity.level,
    id: entity.id,
    name: entity.name,
    period: shape.periodId,
    team: entity.team,
    region: entity.region,
    currency: shape.currency,
    revenue,
    quota,
    attainment,
    gapToQuota,
    growthQoQ: shape.kind === 'quarter' ? growth(revenue, totals.revenuePrevious) : null,
    growthYoY: growth(revenue, totals.revenueLastYear),
    growthWoW: shape.kind === 'week' ? growth(revenue, totals.revenuePrevious) : null,
    pace: attainment === null || shareElapsed === 0 ? null : attainment / shareElapsed,
    projectedRevenue,
    projectedAttainment: projectedRevenue === null ? null : ratio(projectedRevenue, quota),
    requiredPerDay: gapToQuota === null || shape.daysLeft === 0 ? null : divideRounded(gapToQuota, shape.daysLeft),
    requiredPerBusinessDay: gapToQuota === null || shape.businessDaysLeft === 0 ? null : divideRounded(gapToQuota, shape.businessDaysLeft),
    openPipeline: totals.openPipeline,
    weightedPipeline: totals.weightedPipeline,
    commitAmount: totals.commitAmount,
    bestCaseAmount: totals.bestCaseAmount,
    pipelineCategoryAmount: totals.pipelineCategoryAmount,
    commitAttainment: ratio(revenue + totals.commitAmount, quota),
    pipelineCoverage,
    quotaMet,
    coverageHealthy: quota === null ? null : quotaMet || (pipelineCoverage ?? 0) >= healthyAt,
    requiredCoverage: required,
    nextQuarterPipeline: totals.nextQuarterPipeline,
    nextQuarterQuota,
    nextQuarterCoverage: ratio(totals.nextQuarterPipeline, nextQuarterQuota),
    totalOpenPipeline: totals.totalOpenPipeline,
    totalOpenCount: totals.totalOpenCount,
    wonCount: totals.wonCount,
    lostCount: totals.lostCount,
    lostAmount: totals.lostAmount,
    winRate: ratio(totals.wonCount, totals.wonCount + totals.lostCount),
    valueWinRate: ratio(revenue, revenue + totals.lostAmount),
    averageDealSize: totals.wonCount > 0 ? divideRounded(revenue, totals.wonCount) : null,
    salesCycleMedianDays: cycle.median,
    salesCycleMeanDays: cycle.mean,
    newPipeline: totals.newPipeline,
    pastDueCount: totals.pastDueCount,
    pastDueAmount: totals.pastDueAmount,
    undatedOpenCount: totals.undatedOpenCount,
    undatedOpenAmount: totals.undatedOpenAmount,
    salesVelocity: salesVelocity(totals.totalOpenCount, trailing),
    slipRate: shape.hasSlipHistory ? ratio(totals.slippedCount, totals.slipBaseCount) : null,
    slipRateValue: shape.hasSlipHistory ? ratio(totals.slippedValue, totals.slipBaseValue) : null,
    pushedThreeTimesCount: shape.hasPushHistory ? totals.pushedOftenCount : null,
    staleOpenCount: totals.activityDatedOpenCount > 0 ? totals.staleOpenCount : null,
    // Judged once the period is over, from the stored snapshots (computeMetrics).
    forecastAccuracyWeek4: null,
    forecastAccuracyWeek8: null,
    forecastAccuracyLastWeek: null,
    attainmentDistribution: null,
    rankInTeam: null,
    rankInCompany: null,
    revenueComparisons: {
      previousPeriod: totals.revenuePrevious,
      lastYear: totals.revenueLastYear,
      previousWeek: shape.kind === 'week' ? totals.revenuePrevious : null,
    },
  };
}

function trailingTotals(totals: Totals): TrailingTotals {
  return {
    revenue: totals.trailingRevenue,
    wonCount: totals.trailingWonCount,
    lostCount: totals.trailingLostCount,
    lostAmount: totals.trailingLostAmount,
    cycleDaysSum: totals.trailingCycleDaysSum,
    cycleCount: totals.trailingCycleCount,
  };
}

export function ratio(numerator: number, denominator: number | null): Ratio {
  return denominator === null || denominator === 0 ? null : numerator / denominator;
}

export function growth(current: MinorUnits, comparison: MinorUnits): Ratio {
  return ratio(current - comparison, comparison);
}

function cycleStatistics(days: readonly number[]): { median: number | null; mean: number | null } {
  if (days.length === 0) return { median: null, mean: null };
  const sorted = Float64Array.from(days).sort();
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  let sum = 0;
  for (const value of days) sum += value;
  return { median, mean: sum / days.length };
}

/**
 * Competition ranking by attainment within the company and within each team
 * (1, 2, 2, 4): ties share a rank. A rep without attainment (no quota) is
 * unranked (null), and Unassigned is no rep.
 */
export function rankReps(reps: EntityMetrics[]): void {
  const ranked = reps.filter((rep) => rep.id !== UNASSIGNED.id);
  assignRanks(ranked, (rep, rank) => (rep.rankInCompany = rank));
  const byTeam = new Map<string, EntityMetrics[]>();
  for (const rep of ranked) {
    const teamReps = byTeam.get(rep.team!);
    if (teamReps) teamReps.push(rep);
    else byTeam.set(rep.team!, [rep]);
  }
  for (const teamReps of byTeam.values()) assignRanks(teamReps, (rep, rank) => (rep.rankInTeam = rank));
}

function assignRanks(reps: readonly EntityMetrics[], setRank: (rep: EntityMetrics, rank: number | null) => void): void {
  const attainments = reps
    .map((rep) => rep.attainment)
    .filter((attainment): attainment is number => attainment !== null)
    .sort((a, b) => b - a);
  // The rank of an attainment is 1 + the number of strictly better ones: its first position.
  const rankOf = new Map<number, number>();
  attainments.forEach((attainment, index) => {
    if (!rankOf.has(attainment)) rankOf.set(attainment, index + 1);
  });
  for (const rep of reps) setRank(rep, rep.attainment === null ? null : rankOf.get(rep.attainment)!);
}

/** numerator ÷ denominator rounded half away from zero, for integer amounts. */
export function divideRounded(numerator: number, denominator: number): number {
  const sign = Math.sign(numerator) * Math.sign(denominator);
  const n = Math.abs(numerator);
  const d = Math.abs(denominator);
  let quotient = Math.floor(n / d);
  let remainder = n - quotient * d;
  // n / d is a rounded float: correct the quotient by one if it landed on the wrong side.
  if (remainder < 0) {
    quotient -= 1;
    remainder += d;
  } else if (remainder >= d) {
    quotient += 1;
    remainder -= d;
  }
  if (2 * remainder >= d) quotient += 1;
  return sign * quotient || 0;
}
