// Civil-date arithmetic on `YYYY-MM-DD` strings. Every calculation runs on
// integer day numbers (days since 1970-01-01, proleptic Gregorian), so time
// zones and daylight-saving changes can never add or lose a day. The only place
// a time zone matters is turning an instant into the date it is somewhere.
import type { LocalDate } from './types.js';

/** A civil date split into its numeric parts (month and day are 1-based). */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

// The `YYYY-MM-DD` shape bounds the supported years to 0000–9999.
const LOCAL_DATE_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MIN_YEAR = 0;
const MAX_YEAR = 9999;

const DAYS_PER_400_YEARS = 146_097;
/** Day number of 0000-03-01, the epoch of the March-based year used below. */
const MARCH_EPOCH_OFFSET = 719_468;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function readCivilDate(text: string): CivilDate | null {
  const match = LOCAL_DATE_SHAPE.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

/** True for a real calendar date in `YYYY-MM-DD` form (rejects `2026-02-30`). */
export function isLocalDate(text: string): boolean {
  return readCivilDate(text) !== null;
}

/** Splits a local date into year, month and day; throws RangeError if it is not a real date. */
export function parseLocalDate(date: LocalDate): CivilDate {
  const civil = readCivilDate(date);
  if (!civil) throw new RangeError(`'${date}' is not a date in the form YYYY-MM-DD`);
  return civil;
}

/** Builds `YYYY-MM-DD`; throws RangeError if the parts do not name a real date. */
export function formatLocalDate(year: number, month: number, day: number): LocalDate {
  const text = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR || !isLocalDate(text)) {
    throw new RangeError(`${year}-${month}-${day} is not a calendar date between years ${MIN_YEAR} and ${MAX_YEAR}`);
  }
  return text;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

// Howard Hinnant's days_from_civil: counts from a year that starts in March,
// so the leap day is the last day of the year and needs no special case.
function dayNumberOfCivil({ year, month, day }: CivilDate): number {
  const marchYear = month <= 2 ? year - 1 : year;
  const era = Math.floor(marchYear / 400);
  const yearOfEra = marchYear - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * DAYS_PER_400_YEARS + dayOfEra - MARCH_EPOCH_OFFSET;
}

function civilOfDayNumber(dayNumber: number): CivilDate {
  const shifted = dayNumber + MARCH_EPOCH_OFFSET;
  const era = Math.floor(shifted / DAYS_PER_400_YEARS);
  const dayOfEra = shifted - era * DAYS_PER_400_YEARS;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const marchMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * marchMonth + 2) / 5) + 1;
  const month = marchMonth < 10 ? marchMonth + 3 : marchMonth - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Days since 1970-01-01 (negative before it). */
export function toDayNumber(date: LocalDate): number {
  return dayNumberOfCivil(parseLocalDate(date));
}

export function fromDayNumber(day: number): LocalDate {
  if (!Number.isInteger(day)) throw new RangeError(`day number ${day} is not an integer`);
  const { year, month, day: dayOfMonth } = civilOfDayNumber(day);
  return formatLocalDate(year, month, dayOfMonth);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** `to − from` in days: 1 for consecutive days, negative when `to` is earlier. */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: LocalDate): number {
  // Day 0 (1970-01-01) was a Thursday, ISO weekday 4.
  return mod(toDayNumber(date) + 3, 7) + 1;
}

function mod(value: number, modulus: number): number {
  return ((value % modulus) + modulus) % modulus;
}

/** Adds calendar months, clamping the day to the end of a shorter month (Jan 31 + 1 → Feb 28/29). */
export function addMonths(date: LocalDate, months: number): LocalDate {
  if (!Number.isInteger(months)) throw new RangeError(`month count ${months} is not an integer`);
  const { year, month, day } = parseLocalDate(date);
  const monthIndex = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = mod(monthIndex, 12) + 1;
  return formatLocalDate(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)));
}

/** The calendar month of a date, `YYYY-MM`. */
export function monthKey(date: LocalDate): string {
  parseLocalDate(date);
  return date.slice(0, 7);
}

/** Calendar months overlapping [start, end], both inclusive, in order; empty when end < start. */
export function monthKeysBetween(start: LocalDate, end: LocalDate): string[] {
  if (daysBetween(start, end) < 0) return [];
  const keys: string[] = [];
  const lastKey = monthKey(end);
  // Step from the 1st of the month so month-end clamping never skips a month.
  for (let first = `${monthKey(start)}-01`; monthKey(first) <= lastKey; first = addMonths(first, 1)) {
    keys.push(monthKey(first));
  }
  return keys;
}

// Building an Intl.DateTimeFormat is slow (tens of microseconds); ingest and
// reports convert many instants in the same zone, so keep one per zone.
const formattersByZone = new Map<string, Intl.DateTimeFormat>();

function dateFormatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formattersByZone.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
    });
    formattersByZone.set(timeZone, formatter);
  }
  return formatter;
}

/** The civil date an instant falls on in an IANA time zone. Throws RangeError for an unknown zone or invalid instant. */
export function localDateInZone(instant: Date, timeZone: string): LocalDate {
  if (Number.isNaN(instant.getTime())) throw new RangeError('cannot take the local date of an invalid Date');
  const parts = dateFormatterFor(timeZone).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value);
  return formatLocalDate(part('year'), part('month'), part('day'));
}
