// Which reports are due, from the schedule in the config: the weekly
// scorecard on `schedule.weeklyScorecardDay`, the pre-review pack
// `schedule.quarterlyPackBusinessDaysBefore` business days before the fiscal
// quarter ends (configured holidays count as non-business days), and — when
// `schedule.quarterClosePackBusinessDaysAfter` is set — the quarter-close pack
// that many business days after a quarter ends. A tick also catches up what
// fell due since the last tick and was never queued: the latest scorecard day
// of the last seven days, and this quarter's pack days.
import type { RevperfConfig } from '../config/schema.js';
import type { FiscalCalendar } from '../domain/fiscal-calendar.js';
import { addDays, isoWeekday } from '../domain/local-date.js';
import type { LocalDate } from '../domain/types.js';
import type { ReportKind } from '../reports/report-data.js';

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

export function reportsDueOn(calendar: FiscalCalendar, schedule: RevperfConfig['schedule'], asOf: LocalDate): ReportKind[] {
  const due: ReportKind[] = [];
  if (WEEKDAYS[isoWeekday(asOf) - 1] === schedule.weeklyScorecardDay) due.push('weekly-scorecard');
  const quarter = calendar.period('quarter', asOf);
  if (calendar.businessDaysBefore(quarter.end, schedule.quarterlyPackBusinessDaysBefore) === asOf) due.push('pre-review-pack');
  const after = schedule.quarterClosePackBusinessDaysAfter;
  if (after !== undefined && businessDaysAfter(calendar, calendar.previous(quarter).end, after) === asOf) due.push('quarter-close-pack');
  return due;
}

/** The `count`-th business day after `date` (weekends and configured holidays skipped). */
function businessDaysAfter(calendar: FiscalCalendar, date: LocalDate, count: number): LocalDate {
  let day = date;
  for (let found = 0; found < count; ) {
    day = addDays(day, 1);
    if (calendar.isBusinessDay(day)) found += 1;
  }
  return day;
}

/** The day a report's figures are as of: the day it was due, except the quarter-close pack (the quarter's last day). */
export function figuresAsOf(calendar: FiscalCalendar, kind: ReportKind, dueOn: LocalDate): LocalDate {
  return kind === 'quarter-close-pack' ? calendar.previous(calendar.period('quarter', dueOn)).end : dueOn;
}

export interface DueReport {
  kind: ReportKind;
  /** The day it was due. */
  dueOn: LocalDate;
  /** The day its figures are as of: the day it was due; for the quarter-close pack, the closed quarter's last day. */
  asOf: LocalDate;
  /** Due before today: caught up, marked late. */
  late: boolean;
}

/**
 * What a tick on `today` should queue before the ledger is asked: today's due
 * reports, and — when an earlier tick ran (`lastTick`) and days were missed
 * since — the latest scorecard day and this quarter's pack day in the missed
 * days. A scorecard missed by more than a week is not worth sending; a pack of
 * a quarter that has ended neither. Without a last tick (the first run ever)
 * nothing is caught up. The caller drops what the ledger says was queued.
 */
export function reportsDue(
  calendar: FiscalCalendar,
  schedule: RevperfConfig['schedule'],
  today: LocalDate,
  lastTick: LocalDate | null,
): DueReport[] {
  const quarterStart = calendar.period('quarter', today).start;
  const weekAgo = addDays(today, -6);
  const sinceLastTick = lastTick === null || lastTick >= today ? today : addDays(lastTick, 1);
  // Nothing older than both windows can be due: a dispatch down for months looks back at most a quarter.
  const earliest = weekAgo < quarterStart ? weekAgo : quarterStart;
  const first = sinceLastTick > earliest ? sinceLastTick : earliest;
  const latest = new Map<ReportKind, LocalDate>();
  for (let day = first; day <= today; day = addDays(day, 1)) {
    for (const kind of reportsDueOn(calendar, schedule, day)) {
      if (kind === 'weekly-scorecard' && day < weekAgo) continue;
      if (kind !== 'weekly-scorecard' && day < quarterStart) continue;
      latest.set(kind, day);
    }
  }
  return [...latest].map(([kind, dueOn]) => ({ kind, dueOn, asOf: figuresAsOf(calendar, kind, dueOn), late: dueOn < today }));
}

/**
 * What fell due since the last tick and will not be sent: older scorecard days
 * than the one caught up, packs of quarters that have ended. Said and counted
 * by the dispatch, never dropped silently. At most a quarter is looked at.
 */
export function reportsNotCaughtUp(
  calendar: FiscalCalendar,
  schedule: RevperfConfig['schedule'],
  today: LocalDate,
  lastTick: LocalDate | null,
): { kind: ReportKind; dueOn: LocalDate }[] {
  if (lastTick === null || lastTick >= today) return [];
  const caughtUp = new Set(reportsDue(calendar, schedule, today, lastTick).map((report) => `${report.kind}@${report.dueOn}`));
  const lookBack = addDays(today, -92);
  const missed: { kind: ReportKind; dueOn: LocalDate }[] = [];
  for (let day = lastTick < lookBack ? lookBack : addDays(lastTick, 1); day < today; day = addDays(day, 1)) {
    for (const kind of reportsDueOn(calendar, schedule, day)) {
      if (!caughtUp.has(`${kind}@${day}`)) missed.push({ kind, dueOn: day });
    }
  }
  return missed;
}
