import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FiscalCalendar, type FiscalCalendarSettings, type Weekday } from '../../../shared/domain/fiscal-calendar.js';
import { addDays, daysBetween, fromDayNumber, isoWeekday, parseLocalDate } from '../../../shared/domain/local-date.js';
import type { PeriodKind } from '../../../shared/domain/types.js';

function calendar(overrides: Partial<FiscalCalendarSettings> = {}): FiscalCalendar {
  return new FiscalCalendar({
    timeZone: 'America/New_York',
    yearStartMonth: 1,
    naming: 'end',
    weekStart: 'monday',
    holidays: [],
    ...overrides,
  });
}

/** Just the dates and id of a period, for compact expectations. */
function span(period: { id: string; start: string; end: string }): string {
  return `${period.id} ${period.start}..${period.end}`;
}

const calendarYear = calendar();
const februaryEnd = calendar({ yearStartMonth: 2, naming: 'end' });
const februaryStart = calendar({ yearStartMonth: 2, naming: 'start' });
const octoberEnd = calendar({ yearStartMonth: 10, naming: 'end' });
const octoberStart = calendar({ yearStartMonth: 10, naming: 'start' });

describe('settings', () => {
  it('rejects an unknown time zone, a month outside 1–12, an unknown weekday and a bad holiday', () => {
    expect(() => calendar({ timeZone: 'Mars/Phobos' })).toThrow(/time zone 'Mars\/Phobos'/);
    expect(() => calendar({ timeZone: 'Mars/Phobos' })).toThrow(RangeError);
    expect(() => calendar({ yearStartMonth: 13 })).toThrow(/year start month 13/);
    expect(() => calendar({ yearStartMonth: 0 })).toThrow(RangeError);
    expect(() => calendar({ yearStartMonth: 1.5 })).toThrow(RangeError);
    expect(() => calendar({ weekStart: 'funday' as Weekday })).toThrow(/week start 'funday'/);
    expect(() => calendar({ holidays: ['2026-02-30'] })).toThrow(/holiday '2026-02-30'/);
  });

  it('keeps its own copy of the holidays', () => {
    const holidays = ['2026-12-25'];
    const withChristmas = calendar({ holidays });
    holidays.push('2026-12-24');
    expect(withChristmas.isBusinessDay('2026-12-24')).toBe(true);
    expect(withChristmas.settings.holidays).toEqual(['2026-12-25']);
  });
});

describe('fiscal years, quarters and months', () => {
  it('a January year is the calendar year under either naming', () => {
    for (const cal of [calendarYear, calendar({ naming: 'start' })]) {
      expect(cal.period('year', '2026-05-15')).toEqual({
        kind: 'year',
        id: 'FY2026',
        label: 'FY2026',
        fiscalYear: 2026,
        start: '2026-01-01',
        end: '2026-12-31',
      });
      expect(cal.period('quarter', '2026-05-15')).toEqual({
        kind: 'quarter',
        id: 'FY2026-Q2',
        label: 'FY2026 Q2',
        fiscalYear: 2026,
        start: '2026-04-01',
        end: '2026-06-30',
      });
      expect(cal.period('month', '2026-05-15')).toEqual({
        kind: 'month',
        id: 'FY2026-M05',
        label: 'FY2026 M05 (May 2026)',
        fiscalYear: 2026,
        start: '2026-05-01',
        end: '2026-05-31',
      });
    }
  });

  it('a February year named by its end: Feb 2026 – Jan 2027 is FY2027', () => {
    expect(februaryEnd.period('year', '2026-02-01')).toMatchObject({ id: 'FY2027', fiscalYear: 2027, start: '2026-02-01', end: '2027-01-31' });
    expect(span(februaryEnd.period('quarter', '2026-02-01'))).toBe('FY2027-Q1 2026-02-01..2026-04-30');
    expect(februaryEnd.period('month', '2026-02-01')).toMatchObject({
      id: 'FY2027-M01',
      label: 'FY2027 M01 (Feb 2026)',
      start: '2026-02-01',
      end: '2026-02-28',
    });
    expect(span(februaryEnd.period('year', '2026-01-31'))).toBe('FY2026 2025-02-01..2026-01-31');
    expect(span(februaryEnd.period('quarter', '2026-01-31'))).toBe('FY2026-Q4 2025-11-01..2026-01-31');
    expect(februaryEnd.period('month', '2026-01-31').label).toBe('FY2026 M12 (Jan 2026)');
    expect(span(februaryEnd.period('quarter', '2026-11-15'))).toBe('FY2027-Q4 2026-11-01..2027-01-31');
    expect(februaryEnd.period('month', '2026-11-15').id).toBe('FY2027-M10');
  });

  it('a February year named by its start: Feb 2026 – Jan 2027 is FY2026', () => {
    expect(span(februaryStart.period('year', '2026-02-01'))).toBe('FY2026 2026-02-01..2027-01-31');
    expect(span(februaryStart.period('quarter', '2026-02-01'))).toBe('FY2026-Q1 2026-02-01..2026-04-30');
    expect(span(februaryStart.period('quarter', '2026-01-31'))).toBe('FY2025-Q4 2025-11-01..2026-01-31');
    expect(februaryStart.period('month', '2027-01-10').label).toBe('FY2026 M12 (Jan 2027)');
  });

  it('an October year under both namings', () => {
    expect(span(octoberEnd.period('year', '2026-10-01'))).toBe('FY2027 2026-10-01..2027-09-30');
    expect(span(octoberEnd.period('quarter', '2026-12-31'))).toBe('FY2027-Q1 2026-10-01..2026-12-31');
    expect(octoberEnd.period('month', '2026-10-01').label).toBe('FY2027 M01 (Oct 2026)');
    expect(span(octoberEnd.period('quarter', '2027-01-01'))).toBe('FY2027-Q2 2027-01-01..2027-03-31');
    expect(octoberEnd.period('month', '2027-01-01').label).toBe('FY2027 M04 (Jan 2027)');
    expect(span(octoberEnd.period('quarter', '2026-09-30'))).toBe('FY2026-Q4 2026-07-01..2026-09-30');
    expect(octoberEnd.period('month', '2026-09-30').label).toBe('FY2026 M12 (Sep 2026)');

    expect(span(octoberStart.period('year', '2026-10-01'))).toBe('FY2026 2026-10-01..2027-09-30');
    expect(span(octoberStart.period('quarter', '2026-10-01'))).toBe('FY2026-Q1 2026-10-01..2026-12-31');
    expect(span(octoberStart.period('quarter', '2026-09-30'))).toBe('FY2025-Q4 2026-07-01..2026-09-30');
  });

  it('counts days, including leap days', () => {
    expect(februaryEnd.daysIn(februaryEnd.periodById('FY2027'))).toBe(365);
    expect(februaryEnd.daysIn(februaryEnd.periodById('FY2029'))).toBe(366); // holds 2028-02-29
    expect(februaryEnd.daysIn(februaryEnd.periodById('FY2029-Q1'))).toBe(90);
    expect(februaryEnd.daysIn(februaryEnd.periodById('FY2028-Q1'))).toBe(89);
    expect(calendarYear.daysIn(calendarYear.periodById('FY2026-Q3'))).toBe(92);
  });

  it('contains its first and last day only', () => {
    const q1 = octoberEnd.periodById('FY2027-Q1');
    expect(octoberEnd.contains(q1, '2026-10-01')).toBe(true);
    expect(octoberEnd.contains(q1, '2026-12-31')).toBe(true);
    expect(octoberEnd.contains(q1, '2026-09-30')).toBe(false);
    expect(octoberEnd.contains(q1, '2027-01-01')).toBe(false);
  });

  it('divides years into quarters and months, and quarters into months', () => {
    const fy2027 = octoberEnd.periodById('FY2027');
    expect(octoberEnd.children(fy2027, 'quarter').map(span)).toEqual([
      'FY2027-Q1 2026-10-01..2026-12-31',
      'FY2027-Q2 2027-01-01..2027-03-31',
      'FY2027-Q3 2027-04-01..2027-06-30',
      'FY2027-Q4 2027-07-01..2027-09-30',
    ]);
    const months = octoberEnd.children(fy2027, 'month');
    expect(months.map((month) => month.id)).toEqual([
      'FY2027-M01', 'FY2027-M02', 'FY2027-M03', 'FY2027-M04', 'FY2027-M05', 'FY2027-M06',
      'FY2027-M07', 'FY2027-M08', 'FY2027-M09', 'FY2027-M10', 'FY2027-M11', 'FY2027-M12',
    ]);
    expect(months[11]?.label).toBe('FY2027 M12 (Sep 2027)');
    expect(octoberEnd.children(octoberEnd.periodById('FY2027-Q2'), 'month').map((month) => month.label)).toEqual([
      'FY2027 M04 (Jan 2027)',
      'FY2027 M05 (Feb 2027)',
      'FY2027 M06 (Mar 2027)',
    ]);
    expect(() => octoberEnd.children(octoberEnd.periodById('FY2027-Q2'), 'quarter')).toThrow(RangeError);
    expect(() => octoberEnd.children(octoberEnd.periodById('FY2027-M01'), 'month')).toThrow(RangeError);
    expect(() => octoberEnd.children(octoberEnd.period('week', '2026-10-01'), 'month')).toThrow(RangeError);
  });
});

describe('weeks', () => {
  it.each([
    ['2026-11-25', '2026-W48', '2026-11-23', '2026-11-29'],
    ['2026-12-31', '2026-W53', '2026-12-28', '2027-01-03'],
    ['2027-01-01', '2026-W53', '2026-12-28', '2027-01-03'],
    ['2027-01-04', '2027-W01', '2027-01-04', '2027-01-10'],
    ['2020-12-31', '2020-W53', '2020-12-28', '2021-01-03'],
    ['2021-01-03', '2020-W53', '2020-12-28', '2021-01-03'],
    ['2015-12-31', '2015-W53', '2015-12-28', '2016-01-03'],
    ['2025-12-29', '2026-W01', '2025-12-29', '2026-01-04'],
    ['2026-01-01', '2026-W01', '2025-12-29', '2026-01-04'],
    ['2024-12-31', '2025-W01', '2024-12-30', '2025-01-05'],
    ['2026-03-08', '2026-W10', '2026-03-02', '2026-03-08'],
  ])('ISO week of %s is %s (%s – %s)', (date, id, start, end) => {
    expect(calendarYear.period('week', date)).toMatchObject({ kind: 'week', id, start, end });
  });

  it('labels weeks with their number, week-year and dates', () => {
    expect(calendarYear.period('week', '2026-11-25').label).toBe('Week 48, 2026 (Nov 23 – Nov 29)');
    expect(calendarYear.period('week', '2027-01-01').label).toBe('Week 53, 2026 (Dec 28 – Jan 3)');
  });

  it('gives a week the fiscal year its last day falls in', () => {
    expect(calendarYear.periodById('2026-W01').fiscalYear).toBe(2026); // ends 2026-01-04
    expect(calendarYear.periodById('2026-W53').fiscalYear).toBe(2027); // ends 2027-01-03
    expect(februaryEnd.periodById('2026-W05').fiscalYear).toBe(2027); // 2026-01-26 – 2026-02-01
    expect(februaryEnd.periodById('2026-W04').fiscalYear).toBe(2026); // 2026-01-19 – 2026-01-25
  });

  it('reports a week in the quarter in which it ends', () => {
    expect(calendarYear.reportingQuarterOfWeek(calendarYear.periodById('2026-W14')).id).toBe('FY2026-Q2'); // Mar 30 – Apr 5
    expect(calendarYear.reportingQuarterOfWeek(calendarYear.periodById('2026-W13')).id).toBe('FY2026-Q1'); // Mar 23 – Mar 29
    expect(calendarYear.reportingQuarterOfWeek(calendarYear.periodById('2026-W53')).id).toBe('FY2027-Q1');
    expect(februaryEnd.reportingQuarterOfWeek(februaryEnd.periodById('2026-W05')).id).toBe('FY2027-Q1');
    expect(() => calendarYear.reportingQuarterOfWeek(calendarYear.periodById('FY2026-Q1'))).toThrow(RangeError);
  });

  it('numbers Sunday weeks by the year holding their Wednesday', () => {
    const sundayWeeks = calendar({ weekStart: 'sunday' });
    expect(span(sundayWeeks.period('week', '2026-01-04'))).toBe('2026-W01 2026-01-04..2026-01-10');
    // 2025 has 53 Sunday weeks: week 1 started 2024-12-29 (the week of Saturday 4 January).
    expect(span(sundayWeeks.period('week', '2026-01-03'))).toBe('2025-W53 2025-12-28..2026-01-03');
    expect(span(sundayWeeks.period('week', '2025-01-01'))).toBe('2025-W01 2024-12-29..2025-01-04');
  });

  it('a week with a daylight-saving change still has seven days', () => {
    const newYork = calendar({ timeZone: 'America/New_York' });
    const madrid = calendar({ timeZone: 'Europe/Madrid' });
    const springForward = newYork.period('week', '2026-03-08');
    const fallBack = newYork.period('week', '2026-11-01');
    expect(span(springForward)).toBe('2026-W10 2026-03-02..2026-03-08');
    expect(span(fallBack)).toBe('2026-W44 2026-10-26..2026-11-01');
    expect(span(madrid.period('week', '2026-03-29'))).toBe('2026-W13 2026-03-23..2026-03-29');
    expect(span(madrid.period('week', '2026-10-25'))).toBe('2026-W43 2026-10-19..2026-10-25');
    for (const week of [springForward, fallBack]) expect(newYork.daysIn(week)).toBe(7);
  });

  it('every hour of the New York spring-forward week falls on one of its seven days', () => {
    const newYork = calendar({ timeZone: 'America/New_York' });
    const firstInstant = Date.parse('2026-03-02T05:00:00Z'); // Monday 00:00 EST
    const afterLast = Date.parse('2026-03-09T04:00:00Z'); // next Monday 00:00 EDT: 167 hours later
    const dates = new Set<string>();
    for (let instant = firstInstant; instant < afterLast; instant += 3_600_000) {
      dates.add(newYork.localDate(new Date(instant)));
    }
    expect([...dates]).toEqual(['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08']);
    expect(newYork.period('week', newYork.localDate(new Date(firstInstant - 1000))).id).toBe('2026-W09');
    expect(newYork.period('week', newYork.localDate(new Date(afterLast))).id).toBe('2026-W11');
  });
});

describe('instants at the edge of a quarter', () => {
  it.each([
    ['America/New_York', '2026-04-01T03:59:00Z', 'FY2026-Q1'], // 23:59 EDT on 31 March
    ['America/New_York', '2026-04-01T04:00:00Z', 'FY2026-Q2'], // 00:00 EDT on 1 April
    ['Europe/Madrid', '2026-03-31T21:59:00Z', 'FY2026-Q1'], // 23:59 CEST
    ['Europe/Madrid', '2026-03-31T22:00:00Z', 'FY2026-Q2'],
    ['Australia/Lord_Howe', '2026-03-31T12:59:00Z', 'FY2026-Q1'], // 23:59 at +11:00
    ['Australia/Lord_Howe', '2026-03-31T13:00:00Z', 'FY2026-Q2'],
    ['UTC', '2026-03-31T23:59:59Z', 'FY2026-Q1'],
  ])('in %s, %s belongs to %s', (timeZone, instant, quarterId) => {
    const cal = calendar({ timeZone });
    expect(cal.period('quarter', cal.localDate(new Date(instant))).id).toBe(quarterId);
  });

  it('an October year in New York winter time: 31 December 23:59 EST is Q1, 1 January 00:00 is Q2', () => {
    const cal = calendar({ yearStartMonth: 10 });
    expect(cal.period('quarter', cal.today(() => new Date('2027-01-01T04:59:00Z'))).id).toBe('FY2027-Q1');
    expect(cal.period('quarter', cal.today(() => new Date('2027-01-01T05:00:00Z'))).id).toBe('FY2027-Q2');
  });
});

describe('periodById', () => {
  it('reads every canonical id', () => {
    expect(span(februaryEnd.periodById('FY2027'))).toBe('FY2027 2026-02-01..2027-01-31');
    expect(span(februaryEnd.periodById('FY2027-Q2'))).toBe('FY2027-Q2 2026-05-01..2026-07-31');
    expect(februaryEnd.periodById('FY2027-M04')).toMatchObject({ label: 'FY2027 M04 (May 2026)', start: '2026-05-01', end: '2026-05-31' });
    expect(span(februaryEnd.periodById('2026-W48'))).toBe('2026-W48 2026-11-23..2026-11-29');
  });

  it.each(['FY2027-Q5', 'fy2027', 'FY2027-M13', 'FY2027-M4', 'FY27', '2025-W53', '2026-W00', '2026-W54', '2026-04', '', 'garbage'])(
    'rejects %j',
    (id) => {
      expect(() => februaryEnd.periodById(id)).toThrow(RangeError);
    },
  );
});

describe('previous, next and same period last year', () => {
  it('crosses fiscal year boundaries', () => {
    expect(span(calendarYear.previous(calendarYear.periodById('FY2026-Q1')))).toBe('FY2025-Q4 2025-10-01..2025-12-31');
    expect(span(calendarYear.next(calendarYear.periodById('FY2026-M12')))).toBe('FY2027-M01 2027-01-01..2027-01-31');
    expect(span(calendarYear.previous(calendarYear.periodById('FY2026')))).toBe('FY2025 2025-01-01..2025-12-31');
    expect(span(februaryEnd.next(februaryEnd.periodById('FY2027-Q4')))).toBe('FY2028-Q1 2027-02-01..2027-04-30');
    expect(span(februaryEnd.previous(februaryEnd.periodById('FY2027-M01')))).toBe('FY2026-M12 2026-01-01..2026-01-31');
  });

  it('crosses week-years, including week 53', () => {
    expect(span(calendarYear.previous(calendarYear.periodById('2026-W01')))).toBe('2025-W52 2025-12-22..2025-12-28');
    expect(span(calendarYear.next(calendarYear.periodById('2026-W53')))).toBe('2027-W01 2027-01-04..2027-01-10');
    expect(span(calendarYear.next(calendarYear.periodById('2020-W53')))).toBe('2021-W01 2021-01-04..2021-01-10');
  });

  it('finds the same quarter, month and year of the previous fiscal year', () => {
    expect(span(februaryEnd.sameLastYear(februaryEnd.periodById('FY2027-Q3')))).toBe('FY2026-Q3 2025-08-01..2025-10-31');
    expect(span(februaryEnd.sameLastYear(februaryEnd.periodById('FY2027-M01')))).toBe('FY2026-M01 2025-02-01..2025-02-28');
    expect(span(februaryEnd.sameLastYear(februaryEnd.periodById('FY2029')))).toBe('FY2028 2027-02-01..2028-01-31');
    expect(span(octoberEnd.sameLastYear(octoberEnd.periodById('FY2027-Q1')))).toBe('FY2026-Q1 2025-10-01..2025-12-31');
  });

  it('finds the same week number last year, or the last week when there is no week 53', () => {
    expect(span(calendarYear.sameLastYear(calendarYear.periodById('2027-W10')))).toBe('2026-W10 2026-03-02..2026-03-08');
    expect(span(calendarYear.sameLastYear(calendarYear.periodById('2026-W53')))).toBe('2025-W52 2025-12-22..2025-12-28');
    expect(span(calendarYear.sameLastYear(calendarYear.periodById('2021-W01')))).toBe('2020-W01 2019-12-30..2020-01-05');
  });
});

describe('to-date figures', () => {
  const q2 = calendarYear.periodById('FY2026-Q2'); // 2026-04-01 – 2026-06-30, 91 days

  it('ten days into a quarter', () => {
    expect(calendarYear.elapsedDays(q2, '2026-04-10')).toBe(10);
    expect(calendarYear.daysLeft(q2, '2026-04-10')).toBe(81);
    expect(calendarYear.toDateWindow(q2, '2026-04-10')).toEqual({ start: '2026-04-01', end: '2026-04-10' });
    expect(calendarYear.comparisonWindow(q2, '2026-04-10', 'previous')).toEqual({ start: '2026-01-01', end: '2026-01-10' });
    expect(calendarYear.comparisonWindow(q2, '2026-04-10', 'lastYear')).toEqual({ start: '2025-04-01', end: '2025-04-10' });
  });

  it('before the quarter starts nothing has elapsed', () => {
    expect(calendarYear.elapsedDays(q2, '2026-03-31')).toBe(0);
    expect(calendarYear.daysLeft(q2, '2026-03-31')).toBe(91);
    expect(calendarYear.toDateWindow(q2, '2026-03-31')).toBeNull();
    expect(calendarYear.comparisonWindow(q2, '2026-03-31', 'previous')).toEqual({ start: '2026-01-01', end: '2025-12-31' });
  });

  it('on the last day and after the end the whole period is to date', () => {
    for (const asOf of ['2026-06-30', '2026-08-15']) {
      expect(calendarYear.elapsedDays(q2, asOf)).toBe(91);
      expect(calendarYear.daysLeft(q2, asOf)).toBe(0);
      expect(calendarYear.toDateWindow(q2, asOf)).toEqual({ start: '2026-04-01', end: '2026-06-30' });
      expect(calendarYear.comparisonWindow(q2, asOf, 'previous')).toEqual({ start: '2026-01-01', end: '2026-03-31' });
    }
  });

  it('a 31-day month compared with a shorter one clamps to the shorter month', () => {
    const march = calendarYear.periodById('FY2026-M03');
    expect(calendarYear.comparisonWindow(march, '2026-03-10', 'previous')).toEqual({ start: '2026-02-01', end: '2026-02-10' });
    expect(calendarYear.comparisonWindow(march, '2026-03-30', 'previous')).toEqual({ start: '2026-02-01', end: '2026-02-28' });
    const may = calendarYear.periodById('FY2026-M05');
    expect(calendarYear.comparisonWindow(may, '2026-05-31', 'previous')).toEqual({ start: '2026-04-01', end: '2026-04-30' });
    expect(calendarYear.comparisonWindow(may, '2026-05-30', 'previous')).toEqual({ start: '2026-04-01', end: '2026-04-30' });
    expect(calendarYear.comparisonWindow(may, '2026-05-29', 'previous')).toEqual({ start: '2026-04-01', end: '2026-04-29' });
  });

  it('weeks compare with the same weekdays of the previous week and of last year', () => {
    const week = calendarYear.periodById('2026-W10'); // Mon 2 March – Sun 8 March
    expect(calendarYear.comparisonWindow(week, '2026-03-04', 'previous')).toEqual({ start: '2026-02-23', end: '2026-02-25' });
    expect(calendarYear.comparisonWindow(week, '2026-03-04', 'lastYear')).toEqual({ start: '2025-03-03', end: '2025-03-05' });
  });
});

describe('business days', () => {
  // Friday 20 March, Good Friday 3 April, Easter Monday 6 April, and a Sunday holiday.
  const withHolidays = calendar({ holidays: ['2026-03-20', '2026-04-03', '2026-04-06', '2026-03-22'] });

  it('are Monday to Friday except holidays', () => {
    expect(withHolidays.isBusinessDay('2026-03-19')).toBe(true);
    expect(withHolidays.isBusinessDay('2026-03-20')).toBe(false);
    expect(withHolidays.isBusinessDay('2026-03-21')).toBe(false);
    expect(withHolidays.isBusinessDay('2026-03-22')).toBe(false);
    expect(calendarYear.isBusinessDay('2026-03-20')).toBe(true);
  });

  it('are counted inclusively', () => {
    expect(calendarYear.businessDaysBetween('2026-03-01', '2026-03-31')).toBe(22);
    expect(withHolidays.businessDaysBetween('2026-03-01', '2026-03-31')).toBe(21); // the Sunday holiday costs nothing
    expect(calendarYear.businessDaysBetween('2026-01-01', '2026-03-31')).toBe(64); // 22 + 20 + 22
    expect(calendarYear.businessDaysBetween('2026-03-23', '2026-03-23')).toBe(1);
    expect(calendarYear.businessDaysBetween('2026-03-21', '2026-03-22')).toBe(0);
    expect(calendarYear.businessDaysBetween('2026-03-31', '2026-03-01')).toBe(0);
  });

  it('are counted back from a date, skipping weekends and holidays', () => {
    expect(calendarYear.businessDaysBefore('2026-03-31', 10)).toBe('2026-03-17');
    expect(withHolidays.businessDaysBefore('2026-03-31', 10)).toBe('2026-03-16');
    expect(withHolidays.businessDaysBefore('2026-04-07', 1)).toBe('2026-04-02');
    expect(withHolidays.businessDaysBefore('2026-03-23', 1)).toBe('2026-03-19');
    expect(withHolidays.businessDaysBefore('2026-03-21', 0)).toBe('2026-03-21');
    expect(() => calendarYear.businessDaysBefore('2026-03-31', -1)).toThrow(RangeError);
    expect(() => calendarYear.businessDaysBefore('2026-03-31', 1.5)).toThrow(RangeError);
  });
});

describe('parsePeriod', () => {
  it.each([
    ['FY2027-Q1', 'FY2027-Q1'],
    ['fy2027 q1', 'FY2027-Q1'],
    ['FY2027_Q1', 'FY2027-Q1'],
    ['FY2027Q1', 'FY2027-Q1'],
    ['FY 2027 Q1', 'FY2027-Q1'],
    ['Q1 FY2027', 'FY2027-Q1'],
    ['q1-fy27', 'FY2027-Q1'],
    ['Q1-2027', 'FY2027-Q1'],
    ['2027-Q1', 'FY2027-Q1'],
    ['2027 Q1', 'FY2027-Q1'],
    ['2027q3', 'FY2027-Q3'],
    ['FY27 Q1', 'FY2027-Q1'],
    ['  FY2027-Q4  ', 'FY2027-Q4'],
    ['FY2027', 'FY2027'],
    ['fy27', 'FY2027'],
    ['FY2027-M04', 'FY2027-M04'],
    ['FY2027-M4', 'FY2027-M04'],
    ['2026-04', 'FY2027-M03'],
    ['2026_04', 'FY2027-M03'],
    ['2026-1', 'FY2026-M12'],
    ['Apr 2026', 'FY2027-M03'],
    ['April 2026', 'FY2027-M03'],
    ['APRIL-2026', 'FY2027-M03'],
    ['Sept 2026', 'FY2027-M08'],
    ['jan 2027', 'FY2027-M12'],
    ['2026-W48', '2026-W48'],
    ['2026w48', '2026-W48'],
    ['2020-W53', '2020-W53'],
  ])('%j → %s (February year named by its end)', (text, id) => {
    expect(februaryEnd.parsePeriod(text)?.id).toBe(id);
  });

  it('reads the year next to a quarter as the fiscal year label', () => {
    expect(februaryEnd.parsePeriod('Q1 2027')?.start).toBe('2026-02-01');
    expect(februaryStart.parsePeriod('Q1 2027')?.start).toBe('2027-02-01');
    expect(calendarYear.parsePeriod('Q1 2026')?.start).toBe('2026-01-01');
    expect(octoberStart.parsePeriod('FY2026-Q1')?.start).toBe('2026-10-01');
  });

  it.each([
    '',
    'Q5 2027',
    'Q0 FY2027',
    'FY2027-M13',
    'FY2027-M00',
    '2026-13',
    '2026-00',
    'Foo 2026',
    'Ma 2026',
    '2026-W54',
    '2025-W53',
    '2027',
    'Q1',
    'FY2027-Q1 extra',
    'FY202-Q1',
    '20270-Q1',
    '2026-04-01',
  ])('%j → null', (text) => {
    expect(februaryEnd.parsePeriod(text)).toBeNull();
  });
});

// ---- properties -------------------------------------------------------------

const WEEKDAYS: readonly Weekday[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const KINDS: readonly PeriodKind[] = ['week', 'month', 'quarter', 'year'];

const settingsArbitrary = fc.record({
  timeZone: fc.constantFrom('UTC', 'America/New_York', 'Europe/Madrid', 'Australia/Lord_Howe'),
  yearStartMonth: fc.integer({ min: 1, max: 12 }),
  naming: fc.constantFrom<'start' | 'end'>('start', 'end'),
  weekStart: fc.constantFrom(...WEEKDAYS),
  holidays: fc.constant<readonly string[]>([]),
});
/** Dates from 1900-01-01 to 2199-12-31. */
const dateArbitrary = fc.integer({ min: -25_567, max: 84_005 }).map(fromDayNumber);

const DAYS_IN: Record<PeriodKind, [number, number]> = { week: [7, 7], month: [28, 31], quarter: [89, 92], year: [365, 366] };

describe('properties', () => {
  it('periods contain their date, round-trip through their id and tile the timeline', () => {
    fc.assert(
      fc.property(settingsArbitrary, fc.constantFrom(...KINDS), dateArbitrary, (settings, kind, date) => {
        const cal = new FiscalCalendar(settings);
        const period = cal.period(kind, date);
        expect(cal.contains(period, date)).toBe(true);
        expect(cal.periodById(period.id)).toEqual(period);
        expect(cal.parsePeriod(period.id)).toEqual(period);
        expect(cal.next(cal.previous(period))).toEqual(period);
        expect(cal.previous(cal.next(period))).toEqual(period);
        // Constant over its own span and followed by the next one the day after: no gaps, no overlaps.
        expect(cal.period(kind, period.start)).toEqual(period);
        expect(cal.period(kind, period.end)).toEqual(period);
        expect(cal.period(kind, addDays(period.start, -1)).id).not.toBe(period.id);
        expect(daysBetween(period.end, cal.next(period).start)).toBe(1);
        expect(cal.next(period).id > period.id).toBe(true);
        const [fewest, most] = DAYS_IN[kind];
        expect(cal.daysIn(period)).toBeGreaterThanOrEqual(fewest);
        expect(cal.daysIn(period)).toBeLessThanOrEqual(most);
      }),
      { numRuns: 500 },
    );
  });

  it('fiscal years start on the 1st of the start month and split into 4 quarters and 12 months', () => {
    fc.assert(
      fc.property(settingsArbitrary, dateArbitrary, (settings, date) => {
        const cal = new FiscalCalendar(settings);
        const year = cal.period('year', date);
        expect(parseLocalDate(year.start)).toMatchObject({ month: settings.yearStartMonth, day: 1 });
        const expectedLabel = parseLocalDate(settings.naming === 'start' ? year.start : year.end).year;
        expect(year.fiscalYear).toBe(expectedLabel);
        for (const [kind, count] of [['quarter', 4], ['month', 12]] as const) {
          const parts = cal.children(year, kind);
          expect(parts).toHaveLength(count);
          expect(parts[0]?.start).toBe(year.start);
          expect(parts.at(-1)?.end).toBe(year.end);
          parts.slice(1).forEach((part, index) => expect(daysBetween(parts[index]?.end ?? '', part.start)).toBe(1));
          expect(parts.every((part) => part.fiscalYear === year.fiscalYear)).toBe(true);
        }
      }),
    );
  });

  it('Monday weeks are ISO-8601 weeks', () => {
    const cal = calendar();
    fc.assert(
      fc.property(dateArbitrary, (date) => {
        expect(cal.period('week', date).id).toBe(isoWeekIdByDate(date));
      }),
      { numRuns: 1000 },
    );
  });

  it('any week starts on its weekday and belongs to the year holding its 4th day; week 1 holds 4 January', () => {
    fc.assert(
      fc.property(settingsArbitrary, dateArbitrary, (settings, date) => {
        const week = new FiscalCalendar(settings).period('week', date);
        expect(WEEKDAYS[isoWeekday(week.start) - 1]).toBe(settings.weekStart);
        const [weekYear, weekNumber] = week.id.split('-W').map(Number) as [number, number];
        const fourthDayOfWeekOne = parseLocalDate(addDays(week.start, 3 - 7 * (weekNumber - 1)));
        expect(fourthDayOfWeekOne.year).toBe(weekYear);
        expect(fourthDayOfWeekOne.month).toBe(1);
        expect(fourthDayOfWeekOne.day).toBeLessThanOrEqual(7);
      }),
    );
  });

  it('elapsed and remaining days add up, and comparison windows span the elapsed days', () => {
    fc.assert(
      fc.property(settingsArbitrary, fc.constantFrom(...KINDS), dateArbitrary, fc.integer({ min: -40, max: 400 }), (settings, kind, date, offset) => {
        const cal = new FiscalCalendar(settings);
        const period = cal.period(kind, date);
        const asOf = addDays(period.start, offset);
        const elapsed = cal.elapsedDays(period, asOf);
        expect(elapsed + cal.daysLeft(period, asOf)).toBe(cal.daysIn(period));
        const comparison = cal.previous(period);
        const window = cal.comparisonWindow(period, asOf, 'previous');
        expect(window.start).toBe(comparison.start);
        const windowDays = daysBetween(window.start, window.end) + 1;
        expect(windowDays).toBe(asOf >= period.end ? cal.daysIn(comparison) : Math.min(elapsed, cal.daysIn(comparison)));
      }),
    );
  });

  it('business days agree with counting day by day', () => {
    const holidaysArbitrary = fc.uniqueArray(fc.integer({ min: 20_454, max: 20_454 + 120 }).map(fromDayNumber), { maxLength: 15 });
    fc.assert(
      fc.property(
        holidaysArbitrary,
        fc.integer({ min: 20_454 - 10, max: 20_454 + 130 }).map(fromDayNumber),
        fc.integer({ min: -3, max: 60 }),
        fc.integer({ min: 0, max: 30 }),
        (holidays, start, length, count) => {
          const cal = calendar({ holidays });
          const end = addDays(start, length);
          let expected = 0;
          for (let day = start; day <= end; day = addDays(day, 1)) {
            if (isoWeekday(day) <= 5 && !holidays.includes(day)) expected += 1;
          }
          expect(cal.businessDaysBetween(start, end)).toBe(expected);
          const before = cal.businessDaysBefore(end, count);
          expect(cal.businessDaysBetween(before, addDays(end, -1))).toBe(count);
          if (count > 0) expect(cal.isBusinessDay(before)).toBe(true);
        },
      ),
    );
  });
});

/** ISO week id by the textbook Date algorithm: the week-year is the year of the week's Thursday. */
function isoWeekIdByDate(date: string): string {
  const { year, month, day } = parseLocalDate(date);
  const thursday = new Date(Date.UTC(year, month - 1, day));
  const isoDay = thursday.getUTCDay() || 7;
  thursday.setUTCDate(thursday.getUTCDate() + 4 - isoDay);
  const weekYear = thursday.getUTCFullYear();
  const dayOfYear = (thursday.getTime() - Date.UTC(weekYear, 0, 1)) / 86_400_000;
  const week = Math.floor(dayOfYear / 7) + 1;
  return `${weekYear}-W${String(week).padStart(2, '0')}`;
}
