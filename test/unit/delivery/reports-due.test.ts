import { describe, expect, it } from 'vitest';
import { FiscalCalendar } from '../../../shared/domain/fiscal-calendar.js';
import { reportsDue, reportsDueOn, reportsNotCaughtUp } from '../../../shared/delivery/reports-due.js';

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

describe('reports due at a tick, with catch-up since the last tick', () => {
  it('is only today on the first tick ever, and on a tick the day after the last', () => {
    expect(reportsDue(calendar(), schedule, '2026-11-16', null)).toEqual([{ kind: 'weekly-scorecard', dueOn: '2026-11-16', asOf: '2026-11-16', late: false }]);
    expect(reportsDue(calendar(), schedule, '2026-11-17', null)).toEqual([]);
    expect(reportsDue(calendar(), schedule, '2026-11-16', '2026-11-15')).toEqual([{ kind: 'weekly-scorecard', dueOn: '2026-11-16', asOf: '2026-11-16', late: false }]);
    // A re-run of today's tick asks for today again (the ledger says it was queued).
    expect(reportsDue(calendar(), schedule, '2026-11-16', '2026-11-16')).toEqual([{ kind: 'weekly-scorecard', dueOn: '2026-11-16', asOf: '2026-11-16', late: false }]);
  });

  it("catches up a scorecard day the ticks missed, once, marked late", () => {
    // Last tick Sunday 15th; next on Wednesday 18th: Monday's scorecard is late.
    expect(reportsDue(calendar(), schedule, '2026-11-18', '2026-11-15')).toEqual([{ kind: 'weekly-scorecard', dueOn: '2026-11-16', asOf: '2026-11-16', late: true }]);
    // Missed for two weeks: only the latest scorecard day, not both.
    expect(reportsDue(calendar(), schedule, '2026-11-25', '2026-11-08')).toEqual([{ kind: 'weekly-scorecard', dueOn: '2026-11-23', asOf: '2026-11-23', late: true }]);
  });

  it("catches up this quarter's pack, never a pack of a quarter that has ended", () => {
    // Pack due Monday 18 Jan 2027 (also a scorecard day); ticks stopped on the 17th and resumed Thursday 21st.
    expect(reportsDue(calendar(), schedule, '2027-01-21', '2027-01-17')).toEqual([
      { kind: 'weekly-scorecard', dueOn: '2027-01-18', asOf: '2027-01-18', late: true },
      { kind: 'pre-review-pack', dueOn: '2027-01-18', asOf: '2027-01-18', late: true },
    ]);
    // Resumed in the next quarter (1 Feb 2027 starts FY2028-Q1): the old quarter's pack is gone, and of the
    // missed scorecard days (18 and 25 Jan, 1 Feb) only the latest is sent.
    expect(reportsDue(calendar(), schedule, '2027-02-02', '2027-01-17')).toEqual([{ kind: 'weekly-scorecard', dueOn: '2027-02-01', asOf: '2027-02-01', late: true }]);
    // Nothing fell due between the last tick and today: nothing to catch up.
    expect(reportsDue(calendar(), { ...schedule, weeklyScorecardDay: 'tuesday' }, '2027-02-08', '2027-02-03')).toEqual([]);
  });
});

describe('the quarter-close pack', () => {
  const withClose = { ...schedule, quarterClosePackBusinessDaysAfter: 2 };

  it('is due N business days after the quarter ends, with the figures as of its last day; off unless configured', () => {
    // FY2027-Q4 ends Sunday 31 Jan 2027: Mon 1 Feb is the first business day after, Tue 2 Feb the second.
    expect(reportsDueOn(calendar(), withClose, '2027-02-02')).toEqual(['quarter-close-pack']);
    expect(reportsDueOn(calendar(), schedule, '2027-02-02')).toEqual([]);
    expect(reportsDue(calendar(), withClose, '2027-02-02', '2027-02-01')).toEqual([{ kind: 'quarter-close-pack', dueOn: '2027-02-02', asOf: '2027-01-31', late: false }]);
    // With Monday a holiday, the second business day is Wednesday.
    expect(reportsDueOn(calendar(['2027-02-01']), withClose, '2027-02-03')).toEqual(['quarter-close-pack']);
    // Missed, it is caught up within the new quarter, still as of the closed quarter's last day.
    expect(reportsDue(calendar(), withClose, '2027-02-04', '2027-02-01')).toEqual([{ kind: 'quarter-close-pack', dueOn: '2027-02-02', asOf: '2027-01-31', late: true }]);
  });
});

describe('reports missed for good', () => {
  it('names the scorecard days older than the one caught up, and a pack of a quarter that has ended', () => {
    // Ticks stopped on Sunday 8 Nov 2026 and resumed on Wednesday 25 Nov: 9 and 16 Nov are not caught up, 23 Nov is.
    expect(reportsNotCaughtUp(calendar(), schedule, '2026-11-25', '2026-11-08')).toEqual([
      { kind: 'weekly-scorecard', dueOn: '2026-11-09' },
      { kind: 'weekly-scorecard', dueOn: '2026-11-16' },
    ]);
    // Stopped before the FY2027-Q4 pack day (18 Jan 2027) and resumed in the next quarter.
    expect(reportsNotCaughtUp(calendar(), schedule, '2027-02-02', '2027-01-17')).toEqual([
      { kind: 'weekly-scorecard', dueOn: '2027-01-18' },
      { kind: 'pre-review-pack', dueOn: '2027-01-18' },
      { kind: 'weekly-scorecard', dueOn: '2027-01-25' },
    ]);
    expect(reportsNotCaughtUp(calendar(), schedule, '2026-11-25', null)).toEqual([]);
    expect(reportsNotCaughtUp(calendar(), schedule, '2026-11-18', '2026-11-15')).toEqual([]);
  });
});
