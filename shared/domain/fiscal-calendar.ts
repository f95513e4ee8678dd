// The organisation's fiscal calendar: which week, fiscal month, quarter and
// year a date belongs to, how far through a period a date is, and which days
// are business days. Every calculation is on civil dates (day numbers); the
// time zone is used only to find the civil date of an instant.
import {
  addDays,
  addMonths,
  daysBetween,
  formatLocalDate,
  isLocalDate,
  isoWeekday,
  localDateInZone,
  parseLocalDate,
  toDayNumber,
} from './local-date.js';
import type { FiscalPeriod, LocalDate, PeriodKind } from './types.js';

export type Weekday = 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday';

export interface FiscalCalendarSettings {
  /** IANA time zone of the organisation, e.g. `Europe/Madrid`. */
  timeZone: string;
  /** Month (1–12) on whose 1st the fiscal year starts. */
  yearStartMonth: number;
  /** Label a fiscal year by the calendar year it starts in or ends in. */
  naming: 'start' | 'end';
  weekStart: Weekday;
  holidays: readonly LocalDate[];
}

export interface DateWindow {
  start: LocalDate;
  end: LocalDate;
}

const WEEKDAYS: readonly Weekday[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;
const MONTHS_PER_QUARTER = 3;

// Canonical ids: the inverse of the ids built below. Nothing else is accepted.
const YEAR_ID = /^FY(\d{4})$/;
const QUARTER_ID = /^FY(\d{4})-Q([1-4])$/;
const MONTH_ID = /^FY(\d{4})-M(0[1-9]|1[0-2])$/;
const WEEK_ID = /^(\d{4})-W(\d{2})$/;

export class FiscalCalendar {
  readonly settings: FiscalCalendarSettings;
  private readonly holidays: ReadonlySet<LocalDate>;
  /** Day numbers of the holidays that fall Monday–Friday (weekend holidays cost no business day). */
  private readonly weekdayHolidayNumbers: readonly number[];
  /** ISO weekday number (1 = Monday) on which weeks start. */
  private readonly weekStartDay: number;

  constructor(settings: FiscalCalendarSettings) {
    assertValidSettings(settings);
    this.settings = Object.freeze({ ...settings, holidays: Object.freeze([...settings.holidays]) });
    this.holidays = new Set(settings.holidays);
    this.weekdayHolidayNumbers = [...this.holidays].filter((holiday) => isoWeekday(holiday) <= 5).map(toDayNumber);
    this.weekStartDay = WEEKDAYS.indexOf(settings.weekStart) + 1;
  }

  /** The civil date of an instant in the organisation's time zone. */
  localDate(instant: Date): LocalDate {
    return localDateInZone(instant, this.settings.timeZone);
  }

  today(clock: () => Date): LocalDate {
    return this.localDate(clock());
  }

  /** The week, fiscal month, quarter or year containing the date. */
  period(kind: PeriodKind, date: LocalDate): FiscalPeriod {
    if (kind === 'week') return this.weekPeriod(this.weekStartOf(date));
    const { fiscalYear, fiscalMonth } = this.fiscalPositionOf(date);
    switch (kind) {
      case 'year':
        return this.yearPeriod(fiscalYear);
      case 'quarter':
        return this.quarterPeriod(fiscalYear, Math.ceil(fiscalMonth / MONTHS_PER_QUARTER));
      case 'month':
        return this.monthPeriod(fiscalYear, fiscalMonth);
    }
  }

  /** The period with this canonical id (`FY2027`, `FY2027-Q1`, `FY2027-M01`, `2026-W48`). */
  periodById(id: string): FiscalPeriod {
    const period = withinSupportedYears(() => this.periodFromId(id));
    if (!period) {
      throw new RangeError(`'${id}' is not a fiscal period id such as FY2027, FY2027-Q1, FY2027-M01 or 2026-W48`);
    }
    return period;
  }

  previous(period: FiscalPeriod): FiscalPeriod {
    return this.period(period.kind, addDays(period.start, -1));
  }

  next(period: FiscalPeriod): FiscalPeriod {
    return this.period(period.kind, addDays(period.end, 1));
  }

  /**
   * The same quarter, month or year of the previous fiscal year; for a week,
   * the week with the same number in the previous week-year (week 53 becomes
   * that year's last week when it has only 52).
   */
  sameLastYear(period: FiscalPeriod): FiscalPeriod {
    if (period.kind !== 'week') return this.period(period.kind, addMonths(period.start, -12));
    const { weekYear, weekNumber } = this.weekNumberOf(period.start);
    const lastYear = weekYear - 1;
    return this.weekPeriod(this.weekStartOfNumber(lastYear, Math.min(weekNumber, this.weeksInWeekYear(lastYear))));
  }

  /** The quarters or fiscal months that make up a longer period, in order. */
  children(period: FiscalPeriod, kind: 'month' | 'quarter'): FiscalPeriod[] {
    if (!isCoarser(period.kind, kind)) {
      throw new RangeError(`a ${period.kind} is not divided into ${kind}s`);
    }
    const parts: FiscalPeriod[] = [];
    for (let part = this.period(kind, period.start); part.start <= period.end; part = this.next(part)) {
      parts.push(part);
    }
    return parts;
  }

  contains(period: FiscalPeriod, date: LocalDate): boolean {
    return daysBetween(period.start, date) >= 0 && daysBetween(date, period.end) >= 0;
  }

  daysIn(period: FiscalPeriod): number {
    return daysBetween(period.start, period.end) + 1;
  }

  /** Days from the period start through the end of the as-of day, within [0, daysIn]. */
  elapsedDays(period: FiscalPeriod, asOf: LocalDate): number {
    return clamp(daysBetween(period.start, asOf) + 1, 0, this.daysIn(period));
  }

  /** Days after the as-of day up to the period end, within [0, daysIn]; elapsed + left = daysIn. */
  daysLeft(period: FiscalPeriod, asOf: LocalDate): number {
    return clamp(daysBetween(asOf, period.end), 0, this.daysIn(period));
  }

  /** The period so far: its start through the as-of day (or its end, once over); null before it starts. */
  toDateWindow(period: FiscalPeriod, asOf: LocalDate): DateWindow | null {
    if (daysBetween(period.start, asOf) < 0) return null;
    return { start: period.start, end: minDate(asOf, period.end) };
  }

  /**
   * The window of the comparison period (previous one, or same one last year)
   * that matches the to-date span of `period`: its first `elapsedDays` days,
   * never past its end; the whole comparison period once `period` is over.
   * Before `period` starts nothing has elapsed and the window is empty: its
   * `end` is the day before its `start`.
   */
  comparisonWindow(period: FiscalPeriod, asOf: LocalDate, against: 'previous' | 'lastYear'): DateWindow {
    const comparison = against === 'previous' ? this.previous(period) : this.sameLastYear(period);
    if (daysBetween(period.end, asOf) >= 0) return { start: comparison.start, end: comparison.end };
    const spanEnd = addDays(comparison.start, this.elapsedDays(period, asOf) - 1);
    return { start: comparison.start, end: minDate(spanEnd, comparison.end) };
  }

  /** Monday to Friday and not a configured holiday. */
  isBusinessDay(date: LocalDate): boolean {
    return isoWeekday(date) <= 5 && !this.holidays.has(date);
  }

  /** Business days in [start, end], both inclusive; 0 when end < start. */
  businessDaysBetween(start: LocalDate, end: LocalDate): number {
    const first = toDayNumber(start);
    const last = toDayNumber(end);
    if (last < first) return 0;
    const holidaysInRange = this.weekdayHolidayNumbers.filter((day) => day >= first && day <= last).length;
    return weekdaysBefore(last + 1) - weekdaysBefore(first) - holidaysInRange;
  }

  /** The business day that lies `count` business days before `date` (`date` itself when count is 0). */
  businessDaysBefore(date: LocalDate, count: number): LocalDate {
    if (!Number.isInteger(count) || count < 0) {
      throw new RangeError(`business day count ${count} must be a whole number of 0 or more`);
    }
    let day = date;
    for (let remaining = count; remaining > 0; ) {
      day = addDays(day, -1);
      if (this.isBusinessDay(day)) remaining -= 1;
    }
    return day;
  }

  /** Weekly reporting counts a week in the quarter in which it ends. */
  reportingQuarterOfWeek(week: FiscalPeriod): FiscalPeriod {
    if (week.kind !== 'week') throw new RangeError(`${week.id} is a ${week.kind}, not a week`);
    return this.period('quarter', week.end);
  }

  /**
   * Reads a period as people write it in quota files: `FY2027-Q1`, `FY2027 Q1`,
   * `Q1 FY2027`, `Q1-2027`, `2027 Q1`, `FY27 Q1`, `FY2027`, `FY2027-M04`, a
   * calendar month (`2026-04`, `Apr 2026`, `April 2026`) or a week id
   * (`2026-W48`). Case, spaces, underscores and dashes are free. A bare year
   * next to a quarter is the fiscal year label; two-digit years are 20xx.
   * Null for anything else, including periods that do not exist (Q5, M13).
   */
  parsePeriod(text: string): FiscalPeriod | null {
    const normalised = text.trim().toUpperCase().replace(/[\s_-]+/g, ' ');
    for (const { shape, read } of this.writtenPeriodShapes) {
      const match = shape.exec(normalised);
      if (match) return withinSupportedYears(() => read(match));
    }
    return null;
  }

  // The shapes are mutually exclusive, so their order does not matter.
  private readonly writtenPeriodShapes: ReadonlyArray<{ shape: RegExp; read: (match: RegExpExecArray) => FiscalPeriod | null }> = [
    { shape: /^FY ?(\d{4}|\d{2}) ?Q(\d)$/, read: (m) => this.quarterOrNull(fiscalYearLabel(m[1]), Number(m[2])) },
    { shape: /^Q(\d) ?FY ?(\d{4}|\d{2})$/, read: (m) => this.quarterOrNull(fiscalYearLabel(m[2]), Number(m[1])) },
    { shape: /^Q(\d) (\d{4})$/, read: (m) => this.quarterOrNull(Number(m[2]), Number(m[1])) },
    { shape: /^(\d{4}) ?Q(\d)$/, read: (m) => this.quarterOrNull(Number(m[1]), Number(m[2])) },
    { shape: /^FY ?(\d{4}|\d{2})$/, read: (m) => this.yearPeriod(fiscalYearLabel(m[1])) },
    { shape: /^FY ?(\d{4}|\d{2}) ?M(\d{1,2})$/, read: (m) => this.monthOrNull(fiscalYearLabel(m[1]), Number(m[2])) },
    { shape: /^(\d{4}) ?W(\d{1,2})$/, read: (m) => this.weekOrNull(Number(m[1]), Number(m[2])) },
    { shape: /^(\d{4}) (\d{1,2})$/, read: (m) => this.calendarMonthOrNull(Number(m[1]), Number(m[2])) },
    { shape: /^([A-Z]{3,}) (\d{4})$/, read: (m) => this.calendarMonthOrNull(Number(m[2]), monthNumberOfName(m[1])) },
  ];

  private periodFromId(id: string): FiscalPeriod | null {
    let match = YEAR_ID.exec(id);
    if (match) return this.yearPeriod(Number(match[1]));
    match = QUARTER_ID.exec(id);
    if (match) return this.quarterPeriod(Number(match[1]), Number(match[2]));
    match = MONTH_ID.exec(id);
    if (match) return this.monthPeriod(Number(match[1]), Number(match[2]));
    match = WEEK_ID.exec(id);
    if (match) return this.weekOrNull(Number(match[1]), Number(match[2]));
    return null;
  }

  // --- fiscal years, quarters and months -----------------------------------

  /** The fiscal year label of a date and its fiscal month (1 = the year's first month). */
  private fiscalPositionOf(date: LocalDate): { fiscalYear: number; fiscalMonth: number } {
    const { year, month } = parseLocalDate(date);
    const { yearStartMonth } = this.settings;
    const startYear = month >= yearStartMonth ? year : year - 1;
    return { fiscalYear: this.labelOfStartYear(startYear), fiscalMonth: ((month - yearStartMonth + 12) % 12) + 1 };
  }

  /** A year starting in January ends in the same calendar year; any other start ends in the next one. */
  private labelOfStartYear(startYear: number): number {
    return this.settings.naming === 'end' && this.settings.yearStartMonth !== 1 ? startYear + 1 : startYear;
  }

  /** First day of fiscal month `fiscalMonth` (1–12) of the labelled fiscal year. */
  private fiscalMonthStart(fiscalYear: number, fiscalMonth: number): LocalDate {
    const { naming, yearStartMonth } = this.settings;
    const startYear = naming === 'end' && yearStartMonth !== 1 ? fiscalYear - 1 : fiscalYear;
    return addMonths(formatLocalDate(startYear, yearStartMonth, 1), fiscalMonth - 1);
  }

  /** Fiscal months [firstMonth, firstMonth + months) as one inclusive date range. */
  private fiscalMonthSpan(fiscalYear: number, firstMonth: number, months: number): DateWindow {
    const start = this.fiscalMonthStart(fiscalYear, firstMonth);
    return { start, end: addDays(addMonths(start, months), -1) };
  }

  private yearPeriod(fiscalYear: number): FiscalPeriod {
    const id = fiscalYearId(fiscalYear);
    return { kind: 'year', id, label: id, fiscalYear, ...this.fiscalMonthSpan(fiscalYear, 1, 12) };
  }

  private quarterPeriod(fiscalYear: number, quarter: number): FiscalPeriod {
    return {
      kind: 'quarter',
      id: `${fiscalYearId(fiscalYear)}-Q${quarter}`,
      label: `${fiscalYearId(fiscalYear)} Q${quarter}`,
      fiscalYear,
      ...this.fiscalMonthSpan(fiscalYear, (quarter - 1) * MONTHS_PER_QUARTER + 1, MONTHS_PER_QUARTER),
    };
  }

  private monthPeriod(fiscalYear: number, fiscalMonth: number): FiscalPeriod {
    const span = this.fiscalMonthSpan(fiscalYear, fiscalMonth, 1);
    const { year, month } = parseLocalDate(span.start);
    const monthNumber = String(fiscalMonth).padStart(2, '0');
    return {
      kind: 'month',
      id: `${fiscalYearId(fiscalYear)}-M${monthNumber}`,
      label: `${fiscalYearId(fiscalYear)} M${monthNumber} (${shortMonthName(month)} ${year})`,
      fiscalYear,
      ...span,
    };
  }

  private quarterOrNull(fiscalYear: number, quarter: number): FiscalPeriod | null {
    return quarter >= 1 && quarter <= 4 ? this.quarterPeriod(fiscalYear, quarter) : null;
  }

  private monthOrNull(fiscalYear: number, fiscalMonth: number): FiscalPeriod | null {
    return fiscalMonth >= 1 && fiscalMonth <= 12 ? this.monthPeriod(fiscalYear, fiscalMonth) : null;
  }

  private calendarMonthOrNull(year: number, month: number | null): FiscalPeriod | null {
    return month !== null && month >= 1 && month <= 12 ? this.period('month', formatLocalDate(year, month, 1)) : null;
  }

  // --- weeks -----------------------------------------------------------------
  // ISO 8601 rules generalised to any start day: a week belongs to the calendar
  // year holding its 4th day (Thursday for Monday weeks), so week 1 is the week
  // containing 4 January. With Monday weeks these are exactly ISO week numbers.

  private weekStartOf(date: LocalDate): LocalDate {
    return addDays(date, -((isoWeekday(date) - this.weekStartDay + 7) % 7));
  }

  private firstWeekStart(weekYear: number): LocalDate {
    return this.weekStartOf(formatLocalDate(weekYear, 1, 4));
  }

  private weeksInWeekYear(weekYear: number): number {
    return daysBetween(this.firstWeekStart(weekYear), this.firstWeekStart(weekYear + 1)) / 7;
  }

  private weekStartOfNumber(weekYear: number, weekNumber: number): LocalDate {
    return addDays(this.firstWeekStart(weekYear), (weekNumber - 1) * 7);
  }

  private weekNumberOf(weekStart: LocalDate): { weekYear: number; weekNumber: number } {
    const weekYear = parseLocalDate(addDays(weekStart, 3)).year;
    return { weekYear, weekNumber: daysBetween(this.firstWeekStart(weekYear), weekStart) / 7 + 1 };
  }

  private weekPeriod(weekStart: LocalDate): FiscalPeriod {
    const { weekYear, weekNumber } = this.weekNumberOf(weekStart);
    const end = addDays(weekStart, 6);
    return {
      kind: 'week',
      id: `${String(weekYear).padStart(4, '0')}-W${String(weekNumber).padStart(2, '0')}`,
      label: `Week ${weekNumber}, ${weekYear} (${monthAndDay(weekStart)} – ${monthAndDay(end)})`,
      fiscalYear: this.fiscalPositionOf(end).fiscalYear,
      start: weekStart,
      end,
    };
  }

  private weekOrNull(weekYear: number, weekNumber: number): FiscalPeriod | null {
    if (weekNumber < 1 || weekNumber > this.weeksInWeekYear(weekYear)) return null;
    return this.weekPeriod(this.weekStartOfNumber(weekYear, weekNumber));
  }
}

/**
 * Periods whose dates fall outside years 0000–9999 cannot be written as
 * `YYYY-MM-DD`; building one throws RangeError, which here means "no such period".
 */
function withinSupportedYears(build: () => FiscalPeriod | null): FiscalPeriod | null {
  try {
    return build();
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}

function assertValidSettings(settings: FiscalCalendarSettings): void {
  if (!isTimeZone(settings.timeZone)) {
    throw new RangeError(`fiscal calendar: time zone '${settings.timeZone}' is not an IANA time zone such as Europe/Madrid`);
  }
  if (!Number.isInteger(settings.yearStartMonth) || settings.yearStartMonth < 1 || settings.yearStartMonth > 12) {
    throw new RangeError(`fiscal calendar: year start month ${settings.yearStartMonth} must be a month number from 1 to 12`);
  }
  if (settings.naming !== 'start' && settings.naming !== 'end') {
    throw new RangeError(`fiscal calendar: naming '${String(settings.naming)}' must be 'start' or 'end'`);
  }
  if (!WEEKDAYS.includes(settings.weekStart)) {
    throw new RangeError(`fiscal calendar: week start '${settings.weekStart}' must be a weekday such as monday`);
  }
  const badHoliday = settings.holidays.find((holiday) => !isLocalDate(holiday));
  if (badHoliday !== undefined) {
    throw new RangeError(`fiscal calendar: holiday '${badHoliday}' is not a date in the form YYYY-MM-DD`);
  }
}

function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

// Shortest first; weeks do not nest in months, but nothing is divided into weeks.
const KINDS_BY_LENGTH: readonly PeriodKind[] = ['week', 'month', 'quarter', 'year'];

function isCoarser(kind: PeriodKind, than: PeriodKind): boolean {
  return KINDS_BY_LENGTH.indexOf(kind) > KINDS_BY_LENGTH.indexOf(than);
}

/** `FY2027`: four digits, so ids sort as text within a kind. */
function fiscalYearId(fiscalYear: number): string {
  return `FY${String(fiscalYear).padStart(4, '0')}`;
}

/** `27` → 2027; four-digit labels as written. */
function fiscalYearLabel(digits: string | undefined): number {
  const year = Number(digits);
  return digits?.length === 2 ? 2000 + year : year;
}

/** 1–12 for a month name or an abbreviation of at least three letters (`APR`, `SEPT`), else null. */
function monthNumberOfName(name: string | undefined): number | null {
  if (name === undefined) return null;
  const index = MONTH_NAMES.findIndex((month) => month.toUpperCase().startsWith(name));
  return index === -1 ? null : index + 1;
}

function shortMonthName(month: number): string {
  return (MONTH_NAMES[month - 1] ?? '').slice(0, 3);
}

function monthAndDay(date: LocalDate): string {
  const { month, day } = parseLocalDate(date);
  return `${shortMonthName(month)} ${day}`;
}

/** Number of Monday–Friday days with day number below `dayNumber`, counted from a Monday anchor. */
function weekdaysBefore(dayNumber: number): number {
  const MONDAY_1970_01_05 = 4;
  const sinceAnchor = dayNumber - MONDAY_1970_01_05;
  const weeks = Math.floor(sinceAnchor / 7);
  return weeks * 5 + Math.min(sinceAnchor - weeks * 7, 5);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

function minDate(a: LocalDate, b: LocalDate): LocalDate {
  return daysBetween(a, b) < 0 ? b : a;
}
