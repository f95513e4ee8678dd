// The fiscal calendar an organisation's config describes.
import { FiscalCalendar } from '../domain/fiscal-calendar.js';
import type { RevperfConfig } from './schema.js';

export function calendarFromConfig(config: RevperfConfig): FiscalCalendar {
  return new FiscalCalendar({
    timeZone: config.org.timeZone,
    yearStartMonth: config.fiscal.yearStartMonth,
    naming: config.fiscal.naming,
    weekStart: config.fiscal.weekStart,
    holidays: config.fiscal.holidays,
  });
}
