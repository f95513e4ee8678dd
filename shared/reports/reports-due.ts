// Which reports the daily tick renders on a day, from the schedule in the
// config: the weekly scorecard on `schedule.weeklyScorecardDay`, the
// pre-review pack `schedule.quarterlyPackBusinessDaysBefore` business days
// before the fiscal quarter ends (configured holidays count as non-business
// days). Catching up missed days and the send ledger come with delivery.
import type { RevperfConfig } from '../config/schema.js';
import type { FiscalCalendar } from '../domain/fiscal-calendar.js';
import { isoWeekday } from '../domain/local-date.js';
import type { LocalDate } from '../domain/types.js';
import type { ReportKind } from './report-data.js';

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

export function reportsDueOn(calendar: FiscalCalendar, schedule: RevperfConfig['schedule'], asOf: LocalDate): ReportKind[] {
  const due: ReportKind[] = [];
  if (WEEKDAYS[isoWeekday(asOf) - 1] === schedule.weeklyScorecardDay) due.push('weekly-scorecard');
  const quarter = calendar.period('quarter', asOf);
  if (calendar.businessDaysBefore(quarter.end, schedule.quarterlyPackBusinessDaysBefore) === asOf) due.push('pre-review-pack');
  return due;
}
