// The metrics JSON written next to each report: the same figures the workbook
// shows, machine-readable for BI tools and for next week's comparison. Plain
// JSON: amounts are integer minor units, n/a ratios are null (never NaN,
// Infinity or a missing key), dates are `YYYY-MM-DD`.
import type { EntityMetrics, HygieneDeal, KeyAccountMetrics, MetricsResult, PastDueDeal } from './metrics.js';
import type { Reconciliation } from './reconciliation.js';
import type { LocalDate } from './types.js';

// Version 2: undated open deals, total open pipeline, required per business day, unranked reps (null), the reconciliation.
// Version 3: forecast categories — per entity commitAmount, bestCaseAmount, pipelineCategoryAmount, commitAttainment;
// forecastCategory on each line of the deal lists (pastDueDeals, undatedOpenDeals).
// Version 4: per entity requiredCoverage (1 ÷ trailing-four-quarter value win rate), salesVelocity (minor units per day,
// trailing four quarters) and attainmentDistribution (band counts of reps on teams, regions and the company; null on reps);
// coverageHealthy may compare with requiredCoverage (config metrics.coverageHealthyBy).
// Version 5: the accountability figures — per entity slipRate, slipRateValue, pushedThreeTimesCount, staleOpenCount,
// forecastAccuracyWeek4 / Week8 / LastWeek (finished periods; null where no snapshot existed); closeDatePushes on each
// line of the deal lists; category moves beside the pipeline movement.
// Version 6: daysInStage on each line of the deal lists (as-of date − the deal's stageChangeDate; null without one),
// and stageChangeDate on each line's deal where the export carries the column.
export const METRICS_EXPORT_VERSION = 6;

export interface MetricsExport {
  version: typeof METRICS_EXPORT_VERSION;
  org: string;
  currency: string;
  asOf: LocalDate;
  /** ISO 8601 instant the report was generated (passed in: the domain has no clock). */
  generatedAt: string;
  period: { id: string; label: string; start: LocalDate; end: LocalDate };
  comparisonPeriods: { previous: string; lastYear: string; nextQuarter: string };
  coverageTarget: number;
  entities: EntityMetrics[];
  keyAccounts: KeyAccountMetrics[];
  pastDueDeals: PastDueDeal[];
  /** Open deals with no close date (data hygiene, next to the past-due deals), biggest first. */
  undatedOpenDeals: HygieneDeal[];
  unmatchedOwners: string[];
  /** Every deal, quota and people row this report read: used, or named with why not. */
  reconciliation: Reconciliation;
}

export function toMetricsExport(
  result: MetricsResult,
  meta: { org: string; asOf: LocalDate; generatedAt: string },
): MetricsExport {
  const { period, comparisonPeriods } = result;
  const document: MetricsExport = {
    version: METRICS_EXPORT_VERSION,
    org: meta.org,
    currency: result.currency,
    asOf: meta.asOf,
    generatedAt: meta.generatedAt,
    period: { id: period.id, label: period.label, start: period.start, end: period.end },
    comparisonPeriods: {
      previous: comparisonPeriods.previous.id,
      lastYear: comparisonPeriods.lastYear.id,
      nextQuarter: comparisonPeriods.nextQuarter.id,
    },
    coverageTarget: result.coverageTarget,
    entities: result.entities,
    keyAccounts: result.keyAccounts,
    pastDueDeals: result.pastDueDeals,
    undatedOpenDeals: result.undatedOpenDeals,
    unmatchedOwners: result.unmatchedOwners,
    reconciliation: result.reconciliation,
  };
  return toJsonSafe(document, '') as MetricsExport;
}

/**
 * A copy that JSON.stringify round-trips exactly: undefined becomes null, and
 * a non-finite number — which would be a bug upstream — fails loudly here
 * rather than turning into a silent null in someone's spreadsheet. What is
 * already JSON-safe (a deal, most lists) is shared with the result, not
 * copied: the export lists every past-due and undated open deal, and is held
 * beside the result it was made from.
 */
function toJsonSafe(value: unknown, path: string): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`metrics export: ${path || 'value'} is ${value}, not a finite number`);
    return value === 0 ? 0 : value; // -0 reads back as 0
  }
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let index = 0; index < value.length; index += 1) {
      const item: unknown = value[index];
      const safe = toJsonSafe(item, `${path}[${index}]`);
      if (copy === undefined && !Object.is(safe, item)) copy = value.slice(0, index);
      copy?.push(safe);
    }
    return copy ?? value;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  let changed = Object.getPrototypeOf(value) !== Object.prototype;
  const safeEntries = entries.map(([key, item]) => {
    const safe = toJsonSafe(item, path ? `${path}.${key}` : key);
    if (!Object.is(safe, item)) changed = true;
    return [key, safe] as const;
  });
  return changed ? Object.fromEntries(safeEntries) : value;
}
