import { describe, expect, it } from 'vitest';
import { FiscalCalendar } from '../../../shared/domain/fiscal-calendar.js';
import { reportsDueOn } from '../../../shared/delivery/reports-due.js';

// Fiscal year from February: FY2027-Q4 = 2026-11-01 … 2027-01-31 (a Sunday).
const calendar = (holidays: string[] = []) => new FiscalCalendar({ timeZone: 'UTC', yearStartMonth: 2, naming: 'end', weekStart: 'monday', holidays });
const schedule = { dailyAt: '07:00', weeklyScorecardDay: 'monday' as const, quarterlyPackBusinessDaysBefore: 10, repScorecards: false };

describe('reports due on a day', () => {
  it('is the weekly scorecard on its weekday only', () => {
    expect(reportsDueOn(calendar(), schedule, '2026-11-16')).toEqual(['weekly-scorecard']);
    expect(reportsDueOn(calendar(), schedule, '2026-11-17')).toEqual([]);
    expect(reportsDueOn(calendar(), { ...schedule, weeklyScorecardDay: 'friday' }, '2026-11-20')).toEqual(['weekly-scorecard']);
  });

  it('is the pack N business days before the quarter ends, holidays not counted', () => {
    // Ten business days before Sunday 31 Jan 2027: Fri 29 … Mon 18 Jan.
    expect(reportsDueOn(calendar(), schedule, '2027-01-18')).toEqual(['weekly-scorecard', 'pre-review-pack']);
    expect(reportsDueOn(calendar(), schedule, '2027-01-19')).toEqual([]);
    // With Friday 22 Jan a holiday the count reaches one business day further back: Friday 15 Jan.
    expect(reportsDueOn(calendar(['2027-01-22']), schedule, '2027-01-15')).toEqual(['pre-review-pack']);
  });
});
