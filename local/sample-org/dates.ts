// Civil-date and fiscal-quarter arithmetic the generator needs. Kept here (not
// borrowed from shared/domain) so the sample data is an independent witness:
// if the fiscal calendar module drifts, tests built on this org notice.
import type { LocalDate } from '../../shared/domain/types.js';

const MS_PER_DAY = 86_400_000;

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

export function parseCivilDate(date: LocalDate): CivilDate {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`'${date}' is not a YYYY-MM-DD date`);
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

export function toLocalDate(year: number, month: number, day: number): LocalDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Days since 1970-01-01. */
export function dayNumber(date: LocalDate): number {
  const { year, month, day } = parseCivilDate(date);
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

export function fromDayNumber(day: number): LocalDate {
  const instant = new Date(day * MS_PER_DAY);
  return toLocalDate(instant.getUTCFullYear(), instant.getUTCMonth() + 1, instant.getUTCDate());
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return fromDayNumber(dayNumber(date) + days);
}

export function daysBetween(from: LocalDate, to: LocalDate): number {
  return dayNumber(to) - dayNumber(from);
}

export function minDate(a: LocalDate, b: LocalDate): LocalDate {
  return a < b ? a : b;
}

export function maxDate(a: LocalDate, b: LocalDate): LocalDate {
  return a > b ? a : b;
}

/** 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: LocalDate): number {
  return ((((dayNumber(date) + 3) % 7) + 7) % 7) + 1;
}

/** The wall-clock instant of a civil date (and time) as a UTC `Date`, which is how spreadsheets store dates. */
export function spreadsheetDate(date: LocalDate, hours = 0, minutes = 0): Date {
  const { year, month, day } = parseCivilDate(date);
  return new Date(Date.UTC(year, month - 1, day, hours, minutes));
}

/**
 * A fiscal quarter of a year that starts on the 1st of `yearStartMonth` and is
 * named by the calendar year it ends in (Feb 2026 – Jan 2027 = FY2027).
 */
export interface FiscalQuarter {
  /** Consecutive integer per quarter: previous/next quarters are ordinal ∓ 1. */
  ordinal: number;
  /** `FY2027-Q4` */
  id: string;
  fiscalYear: number;
  /** 1–4 */
  quarter: number;
  start: LocalDate;
  end: LocalDate;
}

function fiscalYearLabel(startYear: number, yearStartMonth: number): number {
  return yearStartMonth === 1 ? startYear : startYear + 1;
}

export function fiscalQuarterByOrdinal(ordinal: number, yearStartMonth: number): FiscalQuarter {
  const startYear = Math.floor(ordinal / 4);
  const quarterIndex = ordinal - startYear * 4;
  const monthsFromJanuary = yearStartMonth - 1 + quarterIndex * 3;
  const startMonthYear = startYear + Math.floor(monthsFromJanuary / 12);
  const start = toLocalDate(startMonthYear, (monthsFromJanuary % 12) + 1, 1);
  const nextMonths = monthsFromJanuary + 3;
  const next = toLocalDate(startYear + Math.floor(nextMonths / 12), (nextMonths % 12) + 1, 1);
  const fiscalYear = fiscalYearLabel(startYear, yearStartMonth);
  return {
    ordinal,
    id: `FY${fiscalYear}-Q${quarterIndex + 1}`,
    fiscalYear,
    quarter: quarterIndex + 1,
    start,
    end: addDays(next, -1),
  };
}

export function fiscalQuarterOf(date: LocalDate, yearStartMonth: number): FiscalQuarter {
  const { year, month } = parseCivilDate(date);
  const startYear = month >= yearStartMonth ? year : year - 1;
  const fiscalMonthIndex = (month - yearStartMonth + 12) % 12;
  return fiscalQuarterByOrdinal(startYear * 4 + Math.floor(fiscalMonthIndex / 3), yearStartMonth);
}

/** The canonical fiscal month id of a calendar month, e.g. `2026-08` → `FY2027-M07` for a February year. */
export function fiscalMonthId(calendarYear: number, calendarMonth: number, yearStartMonth: number): string {
  const startYear = calendarMonth >= yearStartMonth ? calendarYear : calendarYear - 1;
  const fiscalMonth = ((calendarMonth - yearStartMonth + 12) % 12) + 1;
  return `FY${fiscalYearLabel(startYear, yearStartMonth)}-M${String(fiscalMonth).padStart(2, '0')}`;
}

/** The calendar months (year, month) of a fiscal quarter, in order. */
export function monthsOfQuarter(quarter: FiscalQuarter): { year: number; month: number }[] {
  const { year, month } = parseCivilDate(quarter.start);
  return [0, 1, 2].map((offset) => {
    const index = month - 1 + offset;
    return { year: year + Math.floor(index / 12), month: (index % 12) + 1 };
  });
}
