// Figures that look back over the trailing four fiscal quarters to say what
// the entity needs going forward (required coverage, sales velocity), and how
// the reps under a team, region or the company spread over attainment bands.
// Pure: integers in, a ratio, integer minor units or counts out; null (n/a)
// whenever an input is missing or a denominator is 0, never Infinity or NaN.
import type { DateWindow, FiscalCalendar } from './fiscal-calendar.js';
import type { FiscalPeriod, LocalDate, MinorUnits } from './types.js';

/**
 * The four fiscal quarters before the period: from the start of the fourth
 * quarter back to the end of the quarter before the one the period starts in
 * (for a quarter: the four before it; for a week or month: the four complete
 * quarters before the quarter it is in). Closed deals dated after the as-of day
 * have not happened yet, as everywhere else, so the window ends there at the
 * latest.
 */
export function trailingFourQuarters(calendar: FiscalCalendar, period: FiscalPeriod, asOf: LocalDate): DateWindow {
  const last = calendar.previous(calendar.period('quarter', period.start));
  let first = last;
  for (let back = 0; back < 3; back += 1) first = calendar.previous(first);
  return { start: first.start, end: asOf < last.end ? asOf : last.end };
}

/** The integer totals of won and lost deals closing in the trailing window, for one entity. */
export interface TrailingTotals {
  revenue: MinorUnits;
  wonCount: number;
  lostCount: number;
  lostAmount: MinorUnits;
  /** Σ created → close days over the won deals with a usable created date, and how many they are. */
  cycleDaysSum: number;
  cycleCount: number;
}

/**
 * 1 ÷ the trailing value win rate = (won + lost value) ÷ won value: the
 * coverage the entity's own history says it needs (a 25% win rate asks for 4×).
 * Null without won or lost value (no history) or when nothing was won.
 */
export function requiredCoverage(trailing: TrailingTotals): number | null {
  const decided = trailing.revenue + trailing.lostAmount;
  if (decided === 0 || trailing.revenue === 0) return null;
  return decided / trailing.revenue;
}

/**
 * Open deals × average deal size × win rate (by count) ÷ average cycle days,
 * in minor units per day, over the trailing window. Computed from the integers
 * in one division — open × (revenue ÷ won) × (won ÷ (won + lost)) ÷
 * (cycle sum ÷ cycle count) = open × revenue × cycle count ÷ ((won + lost) ×
 * cycle sum) — and rounded once, half away from zero. Null when the average
 * deal size, win rate or cycle is n/a (nothing won, nothing decided, no cycle)
 * or the average cycle is 0 days.
 */
export function salesVelocity(openCount: number, trailing: TrailingTotals): MinorUnits | null {
  const decidedCount = trailing.wonCount + trailing.lostCount;
  if (trailing.wonCount === 0 || decidedCount === 0 || trailing.cycleCount === 0 || trailing.cycleDaysSum === 0) return null;
  // The product can pass 2^53 (a million deals × a billion in revenue): BigInt keeps it exact.
  return divideRoundedBig(
    BigInt(openCount) * BigInt(trailing.revenue) * BigInt(trailing.cycleCount),
    BigInt(decidedCount) * BigInt(trailing.cycleDaysSum),
  );
}

function divideRoundedBig(numerator: bigint, denominator: bigint): number {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  let quotient = n / d;
  if (2n * (n - quotient * d) >= d) quotient += 1n;
  return Number(negative ? -quotient : quotient) || 0;
}

/** How many reps with an attainment fall in each band. */
export interface AttainmentDistribution {
  /** attainment < 50% */
  below50: number;
  /** 50% ≤ attainment < 80% */
  from50to79: number;
  /** 80% ≤ attainment < 100% */
  from80to99: number;
  /** 100% ≤ attainment ≤ 120% */
  from100to120: number;
  /** attainment > 120% */
  above120: number;
}

export type AttainmentBand = keyof AttainmentDistribution;

export function emptyDistribution(): AttainmentDistribution {
  return { below50: 0, from50to79: 0, from80to99: 0, from100to120: 0, above120: 0 };
}

/**
 * The band of revenue ÷ quota, compared in integers (2·revenue < quota rather
 * than 0.5 in floating point) so a rep exactly on an edge lands in the band the
 * edge opens. Null without a quota or with a quota of 0 (no attainment).
 */
export function attainmentBand(revenue: MinorUnits, quota: MinorUnits | null): AttainmentBand | null {
  if (quota === null || quota <= 0) return null;
  if (2 * revenue < quota) return 'below50';
  if (5 * revenue < 4 * quota) return 'from50to79';
  if (revenue < quota) return 'from80to99';
  if (5 * revenue <= 6 * quota) return 'from100to120';
  return 'above120';
}

/** The distribution of these reps; reps without an attainment are not counted. */
export function attainmentDistribution(reps: readonly { revenue: MinorUnits; quota: MinorUnits | null }[]): AttainmentDistribution {
  const distribution = emptyDistribution();
  for (const rep of reps) {
    const band = attainmentBand(rep.revenue, rep.quota);
    if (band !== null) distribution[band] += 1;
  }
  return distribution;
}
