import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  daysBetween,
  daysInMonth,
  formatLocalDate,
  fromDayNumber,
  isLocalDate,
  isoWeekday,
  localDateInZone,
  monthKey,
  monthKeysBetween,
  parseLocalDate,
  toDayNumber,
} from '../../../shared/domain/local-date.js';

const MS_PER_DAY = 86_400_000;

/** Day numbers from 1600-01-01 to 2399-12-31. */
const dayNumbers = fc.integer({ min: -135_140, max: 157_053 });

describe('isLocalDate', () => {
  it.each([
    ['2026-01-01', true],
    ['2024-02-29', true], // leap year
    ['2000-02-29', true], // divisible by 400
    ['2026-12-31', true],
    ['2026-02-29', false],
    ['2026-02-30', false],
    ['2100-02-29', false], // divisible by 100, not 400
    ['2026-04-31', false],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['2026-01-00', false],
    ['2026-1-5', false],
    [' 2026-01-01', false],
    ['2026-01-01T00:00', false],
    ['26-01-01', false],
    ['', false],
  ])('%s → %s', (text, expected) => {
    expect(isLocalDate(text)).toBe(expected);
  });
});

describe('day numbers', () => {
  it.each([
    ['1970-01-01', 0],
    ['1969-12-31', -1],
    ['2000-01-01', 10_957],
    ['2024-02-29', 19_782],
    ['2026-03-08', 20_520], // 56 years × 365 + 14 leap days + 66
    ['1900-03-01', -25_508],
    ['0001-01-01', -719_162],
    ['9999-12-31', 2_932_896],
  ])('%s is day %i', (date, day) => {
    expect(toDayNumber(date)).toBe(day);
    expect(fromDayNumber(day)).toBe(date);
  });

  it('rejects dates that do not exist and fractional day numbers', () => {
    expect(() => toDayNumber('2026-02-30')).toThrow(RangeError);
    expect(() => toDayNumber('not a date')).toThrow(/YYYY-MM-DD/);
    expect(() => fromDayNumber(1.5)).toThrow(RangeError);
    expect(() => fromDayNumber(2_932_897)).toThrow(RangeError); // 10000-01-01
  });

  it('agrees with UTC midnight of the same date, and round-trips', () => {
    fc.assert(
      fc.property(dayNumbers, (day) => {
        const date = fromDayNumber(day);
        expect(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)))).toBe(day * MS_PER_DAY);
        expect(toDayNumber(date)).toBe(day);
        expect(isLocalDate(date)).toBe(true);
      }),
    );
  });
});

describe('addDays and daysBetween', () => {
  it('crosses month, leap-day and year ends', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addDays('2026-03-08', 0)).toBe('2026-03-08');
    expect(addDays('2026-01-01', 365)).toBe('2027-01-01');
    expect(addDays('2024-01-01', 365)).toBe('2024-12-31');
  });

  it('counts to − from', () => {
    expect(daysBetween('2026-01-01', '2026-12-31')).toBe(364);
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(daysBetween('2026-03-10', '2026-03-01')).toBe(-9);
    expect(daysBetween('2026-03-08', '2026-03-09')).toBe(1); // a 23-hour day in New York is still one day
  });

  it('addDays is undone by daysBetween', () => {
    fc.assert(
      fc.property(dayNumbers, fc.integer({ min: -5000, max: 5000 }), (day, offset) => {
        const date = fromDayNumber(day);
        expect(daysBetween(date, addDays(date, offset))).toBe(offset);
      }),
    );
  });
});

describe('isoWeekday', () => {
  it.each([
    ['1970-01-01', 4], // Thursday
    ['2000-01-01', 6], // Saturday
    ['2026-03-08', 7], // Sunday
    ['2026-11-23', 1], // Monday
    ['1969-12-31', 3], // Wednesday, before day 0
    ['2024-02-29', 4],
  ])('%s → %i', (date, weekday) => {
    expect(isoWeekday(date)).toBe(weekday);
  });

  it('agrees with Date#getUTCDay', () => {
    fc.assert(
      fc.property(dayNumbers, (day) => {
        const sundayIsZero = new Date(day * MS_PER_DAY).getUTCDay();
        expect(isoWeekday(fromDayNumber(day))).toBe(sundayIsZero === 0 ? 7 : sundayIsZero);
      }),
    );
  });
});

describe('addMonths', () => {
  it.each([
    ['2026-01-15', 1, '2026-02-15'],
    ['2026-01-31', 1, '2026-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2026-05-31', 1, '2026-06-30'],
    ['2026-12-15', 1, '2027-01-15'],
    ['2026-01-15', -1, '2025-12-15'],
    ['2026-02-01', 12, '2027-02-01'],
    ['2024-02-29', -12, '2023-02-28'],
    ['2026-10-01', -25, '2024-09-01'],
  ])('%s %+i months → %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  it('rejects a fractional month count', () => {
    expect(() => addMonths('2026-01-01', 0.5)).toThrow(RangeError);
  });
});

describe('month keys', () => {
  it('names the calendar month', () => {
    expect(monthKey('2026-04-30')).toBe('2026-04');
    expect(() => monthKey('2026-04-31')).toThrow(RangeError);
  });

  it('lists every month overlapping the range, inclusive', () => {
    expect(monthKeysBetween('2026-01-31', '2026-03-01')).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(monthKeysBetween('2025-11-15', '2026-02-01')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthKeysBetween('2026-04-10', '2026-04-10')).toEqual(['2026-04']);
    expect(monthKeysBetween('2026-04-10', '2026-04-09')).toEqual([]);
  });
});

describe('parts', () => {
  it('splits and builds dates', () => {
    expect(parseLocalDate('2026-04-09')).toEqual({ year: 2026, month: 4, day: 9 });
    expect(formatLocalDate(2026, 4, 9)).toBe('2026-04-09');
    expect(formatLocalDate(987, 1, 2)).toBe('0987-01-02');
    expect(() => formatLocalDate(2026, 2, 29)).toThrow(RangeError);
    expect(() => formatLocalDate(10_000, 1, 1)).toThrow(RangeError);
    expect(daysInMonth(2026, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(2026, 9)).toBe(30);
    expect(daysInMonth(2026, 12)).toBe(31);
  });
});

describe('localDateInZone', () => {
  it.each([
    // New York springs forward on 2026-03-08 (00:00 EST = 05:00Z; next midnight is 00:00 EDT = 04:00Z).
    ['2026-03-08T04:59:59Z', 'America/New_York', '2026-03-07'],
    ['2026-03-08T05:00:00Z', 'America/New_York', '2026-03-08'],
    ['2026-03-09T03:59:59Z', 'America/New_York', '2026-03-08'],
    ['2026-03-09T04:00:00Z', 'America/New_York', '2026-03-09'],
    // …and falls back on 2026-11-01 (00:00 EDT = 04:00Z; next midnight is 00:00 EST = 05:00Z).
    ['2026-11-01T03:59:59Z', 'America/New_York', '2026-10-31'],
    ['2026-11-01T04:00:00Z', 'America/New_York', '2026-11-01'],
    ['2026-11-02T04:59:59Z', 'America/New_York', '2026-11-01'],
    ['2026-11-02T05:00:00Z', 'America/New_York', '2026-11-02'],
    // Madrid: 2026-03-29 starts at 23:00Z the day before (CET) and ends at 22:00Z (CEST).
    ['2026-03-28T22:59:59Z', 'Europe/Madrid', '2026-03-28'],
    ['2026-03-28T23:00:00Z', 'Europe/Madrid', '2026-03-29'],
    ['2026-03-29T21:59:59Z', 'Europe/Madrid', '2026-03-29'],
    ['2026-03-29T22:00:00Z', 'Europe/Madrid', '2026-03-30'],
    // Madrid: 2026-10-25 starts at 22:00Z (CEST) and ends at 23:00Z (CET).
    ['2026-10-24T21:59:59Z', 'Europe/Madrid', '2026-10-24'],
    ['2026-10-24T22:00:00Z', 'Europe/Madrid', '2026-10-25'],
    ['2026-10-25T22:59:59Z', 'Europe/Madrid', '2026-10-25'],
    ['2026-10-25T23:00:00Z', 'Europe/Madrid', '2026-10-26'],
    // Lord Howe leaves its 30-minute DST on 2026-04-05: midnight at +11:00, the next one at +10:30.
    ['2026-04-04T12:59:59Z', 'Australia/Lord_Howe', '2026-04-04'],
    ['2026-04-04T13:00:00Z', 'Australia/Lord_Howe', '2026-04-05'],
    ['2026-04-05T13:29:59Z', 'Australia/Lord_Howe', '2026-04-05'],
    ['2026-04-05T13:30:00Z', 'Australia/Lord_Howe', '2026-04-06'],
    ['2026-06-30T23:59:59Z', 'UTC', '2026-06-30'],
    ['2026-07-01T00:00:00Z', 'Asia/Kolkata', '2026-07-01'],
    ['2026-06-30T18:29:59Z', 'Asia/Kolkata', '2026-06-30'],
  ])('%s in %s is %s', (instant, zone, expected) => {
    expect(localDateInZone(new Date(instant), zone)).toBe(expected);
  });

  it('rejects unknown zones and invalid instants', () => {
    expect(() => localDateInZone(new Date('2026-01-01T00:00:00Z'), 'Mars/Olympus_Mons')).toThrow(RangeError);
    expect(() => localDateInZone(new Date(Number.NaN), 'UTC')).toThrow(RangeError);
  });
});
