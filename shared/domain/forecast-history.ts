// The accountability figures: what the stored history of reports says about
// how reliable a forecast was. Pure functions of stored snapshots (the open
// pipeline deal by deal, and the metric snapshot of what each report said):
// - close-date pushes: how many times an open deal's close date moved later
//   across the stored pipeline snapshots (carried from snapshot to snapshot);
// - slip rate: of the deals the period's first snapshot expected to close in
//   the period, the share still neither won nor lost (tallied in deal-tally.ts);
// - forecast accuracy: 1 − |projected revenue as reported − actual| ÷ actual,
//   at fixed checkpoints of a finished period;
// - category moves: open deals whose forecast category changed between two
//   pipeline snapshots.
// Null (n/a) wherever the history needed does not exist — never 0.
import type { DateWindow } from './fiscal-calendar.js';
import { forecastCategoryOf, type ForecastBands } from './forecast-category.js';
import { addDays } from './local-date.js';
import type { DealSnapshot } from './pipeline-movement.js';
import type { ForecastCategory, FiscalPeriod, LocalDate, MinorUnits } from './types.js';

/** Config `forecast.staleAfterDays` default: an open deal without activity this many days is stale. */
export const DEFAULT_STALE_AFTER_DAYS = 30;

/** Deals pushed this many times or more are flagged in the scorecard and listed in the pack. */
export const PUSHED_OFTEN = 3;

/** What a pipeline snapshot keeps of a deal for the history figures. */
export interface SnapshotDealHistory {
  id: string;
  closeDate: LocalDate | null;
  /** Pushes counted up to that snapshot; absent on snapshots stored before pushes were kept (counts as 0). */
  closeDatePushes?: number;
}

/**
 * Each current open deal's push count: the count its latest earlier snapshot
 * carried, plus one when its close date is now later than it was then. A date
 * moved earlier, set for the first time or cleared is not a push; a deal not in
 * the earlier snapshot (new, or reopened) starts from 0. Null without an earlier
 * snapshot: the history to count in does not exist yet.
 */
export function closeDatePushes(
  previous: readonly SnapshotDealHistory[] | null,
  current: readonly { id: string; closeDate: LocalDate | null }[],
): Map<string, number> | null {
  if (previous === null) return null;
  // A snapshot stored before pushes were counted starts the count: until a counted one exists, n/a, not 0.
  if (previous.length > 0 && previous.every((deal) => deal.closeDatePushes === undefined)) return null;
  const before = new Map(previous.map((deal) => [deal.id, deal]));
  const pushes = new Map<string, number>();
  for (const deal of current) {
    const earlier = before.get(deal.id);
    if (!earlier) {
      pushes.set(deal.id, 0);
      continue;
    }
    const moved = earlier.closeDate !== null && deal.closeDate !== null && deal.closeDate > earlier.closeDate ? 1 : 0;
    pushes.set(deal.id, (earlier.closeDatePushes ?? 0) + moved);
  }
  return pushes;
}

export const ACCURACY_CHECKPOINTS = ['week4', 'week8', 'lastWeek'] as const;
export type AccuracyCheckpoint = (typeof ACCURACY_CHECKPOINTS)[number];

/**
 * The dates whose latest snapshot's projection a finished period is judged by:
 * week N (4, 8) — period start + 7·N − 1 days; last week — period end − 7 days.
 * Null when the checkpoint falls outside the period before its last day (a week
 * has no week 4; a 6-week period has no week 8), so a snapshot taken at the end
 * — the actual figure itself — is never scored against itself.
 */
export function accuracyCheckpoints(period: Pick<FiscalPeriod, 'start' | 'end'>): Record<AccuracyCheckpoint, LocalDate | null> {
  const within = (date: LocalDate) => (date >= period.start && date < period.end ? date : null);
  return {
    week4: within(addDays(period.start, 7 * 4 - 1)),
    week8: within(addDays(period.start, 7 * 8 - 1)),
    lastWeek: within(addDays(period.end, -7)),
  };
}

/**
 * 1 − |projected − actual| ÷ actual. Null without a projection (no snapshot at
 * the checkpoint, or the report then had no run rate yet) or when actual revenue
 * is 0. May be below 0 when the projection was off by more than the actual.
 */
export function forecastAccuracy(projected: MinorUnits | null | undefined, actual: MinorUnits): number | null {
  if (projected === null || projected === undefined || actual === 0) return null;
  return 1 - Math.abs(projected - actual) / actual;
}

/** The projections a finished period's reports stated, per checkpoint: `level#id` → projectedRevenue; null = no snapshot. */
export type ReportedProjections = Record<AccuracyCheckpoint, ReadonlyMap<string, MinorUnits | null> | null>;

export function entityKey(entity: { level: string; id: string }): string {
  return `${entity.level}#${entity.id}`;
}

/** The accuracy fields of one entity of a finished period; all null while the period runs or without snapshots. */
export function accuracyOf(
  entity: { level: string; id: string; revenue: MinorUnits },
  reported: ReportedProjections | null,
): Record<'forecastAccuracyWeek4' | 'forecastAccuracyWeek8' | 'forecastAccuracyLastWeek', number | null> {
  const at = (checkpoint: AccuracyCheckpoint) => {
    const projections = reported?.[checkpoint];
    return projections ? forecastAccuracy(projections.get(entityKey(entity)), entity.revenue) : null;
  };
  return { forecastAccuracyWeek4: at('week4'), forecastAccuracyWeek8: at('week8'), forecastAccuracyLastWeek: at('lastWeek') };
}

/** Whether the period is over as of the date (accuracy is judged only then). */
export function isPeriodOver(period: Pick<FiscalPeriod, 'end'>, asOf: LocalDate): boolean {
  return asOf >= period.end;
}

/** A deal whose forecast category changed between two pipeline snapshots. */
export interface CategoryMove {
  dealId: string;
  /** The owner now (the closing snapshot's). */
  owner: string;
  from: ForecastCategory;
  to: ForecastCategory;
  /** The closing snapshot's amount. */
  amount: MinorUnits;
  closeDate: LocalDate | null;
}

/** A pipeline snapshot's deal as category moves read it: the movement's fields and the category it kept, if any. */
export type CategorySnapshotDeal = Omit<DealSnapshot, 'createdDate'> & { forecastCategory?: ForecastCategory };

/**
 * Open deals in both snapshots whose forecast category differs, where either
 * snapshot has the deal closing in the window (the period's pipeline). Where
 * neither snapshot kept a category both are derived from the probability, as
 * the metrics do; where only one did (snapshots from before categories were
 * kept, a category column mapped since) the deal is not compared. Biggest
 * first, then by id.
 */
export function categoryMoves(
  opening: readonly CategorySnapshotDeal[],
  closing: readonly CategorySnapshotDeal[],
  window: DateWindow,
  bands?: ForecastBands,
): CategoryMove[] {
  const before = new Map(opening.map((deal) => [deal.id, deal]));
  const inWindow = (date: LocalDate | null) => date !== null && date >= window.start && date <= window.end;
  const moves: CategoryMove[] = [];
  for (const deal of closing) {
    const earlier = before.get(deal.id);
    if (!earlier || deal.stageClass !== 'open' || earlier.stageClass !== 'open') continue;
    if (!inWindow(deal.closeDate) && !inWindow(earlier.closeDate)) continue;
    // One side with the CRM's category and the other derived from the probability is no move, just a new column.
    if ((earlier.forecastCategory === undefined) !== (deal.forecastCategory === undefined)) continue;
    const from = forecastCategoryOf(earlier, bands);
    const to = forecastCategoryOf(deal, bands);
    if (from !== to) moves.push({ dealId: deal.id, owner: deal.owner, from, to, amount: deal.amount, closeDate: deal.closeDate });
  }
  return moves.sort((a, b) => b.amount - a.amount || (a.dealId < b.dealId ? -1 : a.dealId > b.dealId ? 1 : 0));
}
