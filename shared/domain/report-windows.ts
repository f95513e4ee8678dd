// The report's date windows: as plain ranges of dates (`reportingWindows`),
// and as bits per close day for the pass over the deal columns (`DayWindows`).
//
// Windows (all inclusive, civil dates in the org's zone):
// - to date: period start → as-of day (or period end once over). Revenue,
//   won/lost, sales cycle and new pipeline count here — a won deal dated after
//   the as-of day has not happened yet as far as this report is concerned.
// - open pipeline: as-of day → period end. The as-of day itself counts: a deal
//   expected to close today is still winnable today. Deals dated before it are
//   past due instead (all history, not just this period); open deals without a
//   date are undated pipeline, in no window. Every open deal counts in the
//   total open pipeline its owner holds.
// - comparisons: the same span of days of the previous period / the same period
//   last year (`FiscalCalendar.comparisonWindow`).
// - trailing four quarters: the four fiscal quarters before the period
//   (`trailingFourQuarters`): won and lost deals there feed required coverage
//   and sales velocity.
import { NO_DAY } from './deal-columns.js';
import type { DateWindow, FiscalCalendar } from './fiscal-calendar.js';
import { trailingFourQuarters } from './forecast-figures.js';
import { toDayNumber } from './local-date.js';
import type { MetricsWindows } from './metrics.js';
import type { FiscalPeriod, LocalDate } from './types.js';

/** The result's windows, and the same as plain ranges for the pass; an empty one has end < start, so no date falls in it. */
export interface ReportingWindows extends MetricsWindows {
  /** `toDate` or an empty range, for the hot loop. */
  closedIn: DateWindow;
  pipelineIn: DateWindow;
  /** The whole period: a won or lost deal closing in it is this report's business, even after the as-of day. */
  period: DateWindow;
}

/** A range no date falls in. */
const NO_DATES: DateWindow = Object.freeze({ start: '9999-12-31', end: '0000-01-01' });

export function reportingWindows(calendar: FiscalCalendar, period: FiscalPeriod, asOf: LocalDate): ReportingWindows {
  const toDate = calendar.toDateWindow(period, asOf);
  const openPipeline = asOf <= period.end ? { start: maxDate(asOf, period.start), end: period.end } : null;
  const nextQuarter = calendar.next(calendar.period('quarter', period.end));
  return {
    toDate,
    openPipeline,
    previousPeriod: calendar.comparisonWindow(period, asOf, 'previous'),
    lastYear: calendar.comparisonWindow(period, asOf, 'lastYear'),
    nextQuarterPipeline: { start: maxDate(asOf, nextQuarter.start), end: nextQuarter.end },
    trailingFourQuarters: trailingFourQuarters(calendar, period, asOf),
    closedIn: toDate ?? NO_DATES,
    pipelineIn: openPipeline ?? NO_DATES,
    period: { start: period.start, end: period.end },
  };
}

function maxDate(a: LocalDate, b: LocalDate): LocalDate {
  return a > b ? a : b;
}

// Where a date falls among the report's windows, as bits.
export const TO_DATE = 1;
export const PREVIOUS_PERIOD = 2;
export const LAST_YEAR = 4;
export const OPEN_PIPELINE = 8;
export const NEXT_QUARTER = 16;
/** Before the as-of day. */
export const PAST_DUE = 32;
/** Anywhere in the reported period. */
export const IN_PERIOD = 64;
/** The trailing four fiscal quarters before the period. */
export const TRAILING = 128;

/** A window as inclusive day numbers; an empty one (end < start) stays empty. */
export function dayRange(window: DateWindow): { start: number; end: number } {
  if (window.end < window.start) return { start: 1, end: 0 };
  return { start: toDayNumber(window.start), end: toDayNumber(window.end) };
}

/**
 * The windows each close day falls in, as one byte per day from the earliest
 * window start to the latest window end (and the as-of day): a table read per
 * deal instead of a dozen comparisons. Days before the table are past due and
 * in no window; days after it are in none.
 */
export class DayWindows {
  private readonly first: number;
  private readonly bits: Uint8Array;

  constructor(windows: ReportingWindows, asOfDay: number) {
    const ranges: (readonly [bit: number, range: { start: number; end: number }])[] = (
      [
        [TO_DATE, windows.closedIn],
        [PREVIOUS_PERIOD, windows.previousPeriod],
        [LAST_YEAR, windows.lastYear],
        [OPEN_PIPELINE, windows.pipelineIn],
        [NEXT_QUARTER, windows.nextQuarterPipeline],
        [IN_PERIOD, windows.period],
        [TRAILING, windows.trailingFourQuarters],
      ] as const
    )
      .map(([bit, window]) => [bit, dayRange(window)] as const)
      .filter(([, range]) => range.start <= range.end);
    this.first = Math.min(asOfDay, ...ranges.map(([, range]) => range.start));
    const last = Math.max(asOfDay, ...ranges.map(([, range]) => range.end));
    this.bits = new Uint8Array(last - this.first + 1);
    for (let day = this.first; day < asOfDay; day += 1) this.bits[day - this.first] = PAST_DUE;
    for (const [bit, { start, end }] of ranges) for (let day = start; day <= end; day += 1) this.bits[day - this.first]! |= bit;
  }

  /** The windows of a close day; 0 for `NO_DAY` (undated: in no window, not past due). */
  of(day: number): number {
    const offset = day - this.first;
    if (offset >= 0) return offset < this.bits.length ? this.bits[offset]! : 0;
    return day === NO_DAY ? 0 : PAST_DUE;
  }
}

