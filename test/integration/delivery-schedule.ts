// A fiscal year of daily ticks on the embedded AWS, with the clock injected:
// the dispatch handler is called the way EventBridge Scheduler calls it — with
// the instant of 07:00 in the org's time zone (computed with Intl, so both DST
// changes are crossed) — twice every day, for a fiscal year starting in
// January (New York) and one starting in February (Madrid). One week has no
// ticks at all. What must hold: one weekly scorecard per scope × recipient per
// week, one pre-review pack per quarter × scope on the right business day
// (a configured holiday in the window skipped), nothing sent twice, the missed
// scorecard caught up once and marked late, and the send ledger agreeing with
// what the embedded SES received. The renderers are stubs (the real ones are
// tested elsewhere): every tick still runs the real metrics, preparation,
// recipients, ledger and SES.
import { beforeAll, describe, expect, it } from 'vitest';
import { dynamoEmulatorFromEnv } from '../../local/dynamodb-local.js';
import type { RevperfConfigInput } from '../../shared/config/schema.js';
import { en } from '../../shared/reports/labels/en.js';
import { scopeId } from '../../shared/reports/report-data.js';
import {
  addDays,
  daysFrom,
  STUB_XLSX,
  stubSubject,
  runTicks,
  wallClock,
  weekdayOf,
  type TickRunResult,
  type Weekday,
} from './schedule-ticks.js';

/** `count` business days before `end` (weekends and holidays skipped), the way the schedule means it. */
function businessDaysBefore(end: string, count: number, holidays: readonly string[]): string {
  let day = end;
  for (let remaining = count; remaining > 0; ) {
    day = addDays(day, -1);
    const weekday = weekdayOf(day);
    if (weekday !== 'saturday' && weekday !== 'sunday' && !holidays.includes(day)) remaining -= 1;
  }
  return day;
}

// --- the organisation ---------------------------------------------------------

const LEADERSHIP = ['ceo@northwind.example', 'cfo@northwind.example'];
const REPS = ['ana.garcia@northwind.example', 'ben.okafor@northwind.example', 'chloe.martin@northwind.example'];
const PEOPLE = [
  'Name,Email,Team,Region,Role',
  'María López,maria.lopez@northwind.example,Enterprise,Americas,manager',
  'Jon Weber,jon.weber@northwind.example,EMEA Core,EMEA,manager',
  'Ana García,ana.garcia@northwind.example,Enterprise,Americas,rep',
  'Ben Okafor,ben.okafor@northwind.example,Enterprise,Americas,rep',
  'Chloé Martin,chloe.martin@northwind.example,EMEA Core,EMEA,rep',
].join('\n');

const TEAM_ENTERPRISE = scopeId({ level: 'team', team: 'Enterprise' });
const TEAM_EMEA = scopeId({ level: 'team', team: 'EMEA Core' });
/** scope → who receives it, for every report (reps only get the weekly scorecard). */
const TEAM_RECIPIENTS: Record<string, string[]> = {
  organisation: LEADERSHIP,
  [TEAM_ENTERPRISE]: ['maria.lopez@northwind.example'],
  [TEAM_EMEA]: ['jon.weber@northwind.example'],
};
const REP_RECIPIENTS: Record<string, string[]> = Object.fromEntries(REPS.map((rep) => [scopeId({ level: 'rep', repId: rep }), [rep]]));

function pairs(recipients: Record<string, string[]>): string[] {
  return Object.entries(recipients)
    .flatMap(([scope, addresses]) => addresses.map((address) => `${scope} → ${address}`))
    .sort();
}
const WEEKLY_PAIRS = pairs({ ...TEAM_RECIPIENTS, ...REP_RECIPIENTS });
const PACK_PAIRS = pairs(TEAM_RECIPIENTS);

const HEADER = 'Opportunity ID,Opportunity Name,Account Name,Opportunity Owner,Stage,Amount,Opportunity Currency,Close Date,Created Date';
const DEALS = [
  HEADER,
  'W1,Win one,Contoso,Ana García,Closed Won,"$20,000.00",USD,01/20/2026,11/01/2025',
  'W2,Win two,Fabrikam,Chloé Martin,Closed Won,"$5,000.00",USD,03/10/2026,01/15/2026',
  'W3,Win three,Tailspin,Ben Okafor,Closed Won,"$12,000.00",USD,06/18/2026,02/05/2026',
  'O1,Open one,Contoso,Ana García,Negotiation/Review,"$30,000.00",USD,09/15/2026,04/01/2026',
  'O2,Open two,Initech,Ben Okafor,Proposal/Price Quote,"$9,000.00",USD,12/01/2026,05/07/2026',
  'O3,Open three,Fabrikam,Chloé Martin,Qualification,"$4,000.00",USD,01/10/2027,06/09/2026',
].join('\n');

function quotas(quarters: readonly string[]): string {
  return ['Rep,Period,Quota', ...quarters.flatMap((quarter) => REPS.map((rep) => `${rep},${quarter},"$50,000"`))].join('\n');
}

const LATE_PREFIX = en.delivery.lateSubject.slice(0, en.delivery.lateSubject.indexOf('{subject}'));

// --- the simulations ----------------------------------------------------------

interface Simulation {
  name: string;
  config: RevperfConfigInput;
  timeZone: string;
  scorecardDay: Weekday;
  /** The fiscal year simulated, first and last day. */
  year: { first: string; last: string };
  quarters: { id: string; end: string; packDay: string; holidayInWindow: boolean }[];
  holidays: string[];
  packDaysBefore: number;
  /** A scorecard day whose tick (and the seven days around it) never happens. */
  missedScorecard: string;
  /** The days summer time starts and ends in the org's time zone. */
  dstChanges: [string, string];
}

function simulation(input: Omit<Simulation, 'config'> & { yearStartMonth: number }): Simulation {
  return {
    ...input,
    config: {
      org: { name: 'Northwind Cloud', timeZone: input.timeZone },
      fiscal: { yearStartMonth: input.yearStartMonth, naming: 'end', holidays: input.holidays },
      currency: { reporting: 'USD' },
      schedule: { dailyAt: '07:00', weeklyScorecardDay: input.scorecardDay, quarterlyPackBusinessDaysBefore: input.packDaysBefore, repScorecards: true },
      mail: { from: 'revperf@northwind.example', allowedDomains: ['northwind.example'], leadership: LEADERSHIP },
    },
  };
}

export const SIMULATIONS = {
  january:
  // FY2026 = calendar 2026, starting on a Thursday: 53 Thursdays. New York: DST starts 8 March, ends 1 November.
  simulation({
    name: 'fiscal year starting in January (America/New_York, Thursday scorecards)',
    yearStartMonth: 1,
    timeZone: 'America/New_York',
    scorecardDay: 'thursday',
    year: { first: '2026-01-01', last: '2026-12-31' },
    holidays: ['2026-03-26', '2026-07-03', '2026-12-24', '2026-12-25'],
    packDaysBefore: 5,
    quarters: [
      { id: 'FY2026-Q1', end: '2026-03-31', packDay: '2026-03-23', holidayInWindow: true },
      { id: 'FY2026-Q2', end: '2026-06-30', packDay: '2026-06-23', holidayInWindow: false },
      { id: 'FY2026-Q3', end: '2026-09-30', packDay: '2026-09-23', holidayInWindow: false },
      { id: 'FY2026-Q4', end: '2026-12-31', packDay: '2026-12-22', holidayInWindow: true },
    ],
    missedScorecard: '2026-08-06',
    dstChanges: ['2026-03-08', '2026-11-01'],
  }),
  february:
  // FY2027 = February 2026 to January 2027: 52 Mondays. Madrid: DST starts 29 March, ends 25 October.
  simulation({
    name: 'fiscal year starting in February (Europe/Madrid, Monday scorecards)',
    yearStartMonth: 2,
    timeZone: 'Europe/Madrid',
    scorecardDay: 'monday',
    year: { first: '2026-02-01', last: '2027-01-31' },
    holidays: ['2026-04-27', '2026-10-12', '2027-01-06', '2027-01-27'],
    packDaysBefore: 5,
    quarters: [
      { id: 'FY2027-Q1', end: '2026-04-30', packDay: '2026-04-22', holidayInWindow: true },
      { id: 'FY2027-Q2', end: '2026-07-31', packDay: '2026-07-24', holidayInWindow: false },
      { id: 'FY2027-Q3', end: '2026-10-31', packDay: '2026-10-26', holidayInWindow: false },
      { id: 'FY2027-Q4', end: '2027-01-31', packDay: '2027-01-22', holidayInWindow: true },
    ],
    missedScorecard: '2026-08-31',
    dstChanges: ['2026-03-29', '2026-10-25'],
  }),
} satisfies Record<string, Simulation>;

const DAILY_AT = '07:00';
const YEAR_TIMEOUT_MS = dynamoEmulatorFromEnv() === 'local' ? 900_000 : 300_000;

/** The days ticked: the whole fiscal year but the eight days around the missed scorecard day. */
function skippedDays(sim: Simulation): Set<string> {
  return new Set(daysFrom(addDays(sim.missedScorecard, -6), addDays(sim.missedScorecard, 1)));
}

/** The simulated year's tests; one test file per fiscal-year start, so vitest runs the two years in parallel. */
export function describeSimulatedYear(sim: Simulation): void {
  describe(`a simulated fiscal year of daily ticks: ${sim.name}`, () => {
    const skipped = skippedDays(sim);
    const resumeDay = addDays(sim.missedScorecard, 2);
    let ticks: TickRunResult['ticks'] = [];
    let store: TickRunResult['store'] = [];
    let ledger: TickRunResult['ledger'] = [];
    let failures: TickRunResult['failures'] = [];

    beforeAll(async () => {
      const uploads: [string, string][] = [
        ['uploads/people/people.csv', PEOPLE],
        ['uploads/quotas/quotas.csv', quotas(sim.quarters.map((quarter) => quarter.id))],
        ['uploads/deals/opportunities.csv', DEALS],
      ];
      const days = daysFrom(sim.year.first, sim.year.last).filter((day) => !skipped.has(day));
      const result = await runTicks({ config: sim.config, uploads, days, dailyAt: DAILY_AT });
      ({ ticks, store, ledger, failures } = result);
      console.info(`${sim.name}: ${ticks.length} days × 2 ticks in ${(result.elapsedMs / 1000).toFixed(1)} s (${(result.elapsedMs / ticks.length / 2).toFixed(0)} ms a tick)`);
      // ~30,000 queries: DynamoDB Local answers each over HTTP from a JVM, several times slower than dynalite in process.
    }, YEAR_TIMEOUT_MS);

    const outcomes = () => ticks.flatMap((tick) => tick.outcomes);
    const sent = (kind: string) =>
      outcomes()
        .filter((outcome) => outcome.run.kind === kind)
        .flatMap((outcome) => outcome.run.sent.map((send) => ({ ...send, run: outcome.run })));

    it('ticks at 07:00 in the org time zone every day, across both DST changes, and reports as of that day', () => {
      expect(ticks).toHaveLength(daysFrom(sim.year.first, sim.year.last).length - skipped.size);
      const offsets = new Set<string>();
      for (const tick of ticks) {
        const wall = wallClock(new Date(tick.scheduledTime), sim.timeZone);
        expect({ date: wall.date, time: wall.time }).toEqual({ date: tick.day, time: DAILY_AT });
        expect(tick.first.asOf).toBe(tick.day);
        expect(tick.second.asOf).toBe(tick.day);
        offsets.add(tick.scheduledTime.slice(11, 16));
      }
      // Winter and summer time: 07:00 local is two different UTC times, and the year starts and ends in winter time.
      expect(offsets.size).toBe(2);
      expect(ticks[0]!.scheduledTime.slice(11, 16)).toBe(ticks.at(-1)!.scheduledTime.slice(11, 16));
      const changes = ticks.filter((tick, index) => index > 0 && tick.scheduledTime.slice(11, 16) !== ticks[index - 1]!.scheduledTime.slice(11, 16));
      expect(changes.map((tick) => tick.day)).toEqual(sim.dstChanges);
      expect(failures).toEqual([]);
    });

    it('sends exactly one weekly scorecard per scope and recipient per week, for every scorecard day of the year', () => {
      const scorecardDays = daysFrom(sim.year.first, sim.year.last).filter((day) => weekdayOf(day) === sim.scorecardDay);
      expect([52, 53]).toContain(scorecardDays.length);

      const weekly = sent('weekly-scorecard');
      const byWeek = new Map<string, string[]>();
      for (const send of weekly) byWeek.set(send.run.periodId, [...(byWeek.get(send.run.periodId) ?? []), `${send.run.scopeId} → ${send.address}`]);
      expect(byWeek.size).toBe(scorecardDays.length);
      for (const [week, received] of byWeek) expect(received.sort(), week).toEqual(WEEKLY_PAIRS);
      expect(weekly).toHaveLength(scorecardDays.length * WEEKLY_PAIRS.length);

      // Each week's scorecard shows the figures as of its own scorecard day, one per scorecard day.
      const asOfByWeek = new Map(weekly.map((send) => [send.run.periodId, send.run.asOf]));
      expect([...asOfByWeek.values()].sort()).toEqual(scorecardDays);
      // On time everywhere but the missed week.
      for (const send of weekly) expect(send.run.late, `${send.run.periodId} ${send.address}`).toBe(send.run.asOf === sim.missedScorecard);
    });

    it('sends one pre-review pack per quarter and scope, on the configured business day before quarter end, skipping holidays', () => {
      for (const quarter of sim.quarters) {
        const expected = businessDaysBefore(quarter.end, sim.packDaysBefore, sim.holidays);
        expect(expected, quarter.id).toBe(quarter.packDay);
        // The holiday really moves the day in the quarters that have one in the window.
        expect(businessDaysBefore(quarter.end, sim.packDaysBefore, []) !== quarter.packDay, quarter.id).toBe(quarter.holidayInWindow);
      }
      expect(sim.quarters.some((quarter) => quarter.holidayInWindow)).toBe(true);

      const packs = sent('pre-review-pack');
      const byQuarter = new Map<string, { pairs: string[]; days: Set<string> }>();
      for (const send of packs) {
        const entry = byQuarter.get(send.run.periodId) ?? { pairs: [], days: new Set<string>() };
        entry.pairs.push(`${send.run.scopeId} → ${send.address}`);
        entry.days.add(`${send.run.asOf} dispatched ${send.run.dispatchedOn}${send.run.late ? ' late' : ''}`);
        byQuarter.set(send.run.periodId, entry);
      }
      expect([...byQuarter.keys()].sort()).toEqual(sim.quarters.map((quarter) => quarter.id));
      for (const quarter of sim.quarters) {
        const entry = byQuarter.get(quarter.id)!;
        expect(entry.pairs.sort(), quarter.id).toEqual(PACK_PAIRS);
        expect([...entry.days], quarter.id).toEqual([`${quarter.packDay} dispatched ${quarter.packDay}`]);
      }
      // The dispatch queued a pack on those days and no others.
      const packTicks = ticks.filter((tick) => tick.first.queued.some((report) => report.report === 'pre-review-pack')).map((tick) => tick.day);
      expect(packTicks).toEqual(sim.quarters.map((quarter) => quarter.packDay));
    });

    it('sends nothing when the same tick runs a second time', () => {
      for (const tick of ticks) {
        expect(tick.second.queued, tick.day).toEqual([]);
        // What was due today, found queued (a caught-up report is not looked for again: the first call moved the last tick to today).
        expect(tick.second.alreadyQueued, tick.day).toBe(tick.first.queued.filter((report) => !report.late).length);
        expect(tick.outcomesOfSecond, tick.day).toBe(0);
      }
      // And no report × scope × recipient was ever sent twice, nor found already sent by a job.
      const keys = [...sent('weekly-scorecard'), ...sent('pre-review-pack')].map((send) => `${send.run.kind} ${send.run.periodId} ${send.run.scopeId} ${send.address}`);
      expect(new Set(keys).size).toBe(keys.length);
      for (const outcome of outcomes()) expect(outcome.run.alreadySent).toEqual([]);
      for (const outcome of outcomes()) expect(outcome.run.failed).toEqual([]);
      for (const outcome of outcomes()) expect(outcome.run.refused).toEqual([]);
    });

    it('catches up the scorecard of a week without ticks once, at the next tick, marked late, and never again', () => {
      expect(weekdayOf(sim.missedScorecard)).toBe(sim.scorecardDay);
      expect(skipped.size).toBeGreaterThanOrEqual(8);
      expect(ticks.find((tick) => tick.day === resumeDay)).toBeDefined();
      expect(ticks.some((tick) => skipped.has(tick.day))).toBe(false);

      const resumed = ticks.find((tick) => tick.day === resumeDay)!;
      expect(resumed.first.queued).toEqual([expect.objectContaining({ report: 'weekly-scorecard', dueOn: sim.missedScorecard, late: true, jobs: Object.keys(TEAM_RECIPIENTS).length + REPS.length })]);
      expect(resumed.outcomes.map((outcome) => outcome.run.late)).toEqual(resumed.outcomes.map(() => true));
      const missedWeek = resumed.outcomes[0]!.run.periodId;
      for (const outcome of resumed.outcomes) {
        expect(outcome.run).toMatchObject({ kind: 'weekly-scorecard', periodId: missedWeek, asOf: sim.missedScorecard, dispatchedOn: resumeDay, late: true });
        for (const message of outcome.messages) {
          expect(message.subject.startsWith(LATE_PREFIX)).toBe(true);
          expect(message.subject).toContain(`as of ${sim.missedScorecard}`);
          expect(message.html).toContain(sim.missedScorecard);
        }
      }
      // Every scope × recipient of that week got it then, and nothing of that week was sent on any other day.
      const ofMissedWeek = sent('weekly-scorecard').filter((send) => send.run.periodId === missedWeek);
      expect(ofMissedWeek.map((send) => `${send.run.scopeId} → ${send.address}`).sort()).toEqual(WEEKLY_PAIRS);
      expect(new Set(ofMissedWeek.map((send) => send.run.dispatchedOn))).toEqual(new Set([resumeDay]));
      // No other tick queued it (before: no tick ran; after: the dispatch marker says it went).
      const queuedOn = ticks.filter((tick) => [...tick.first.queued, ...tick.second.queued].some((report) => report.dueOn === sim.missedScorecard)).map((tick) => tick.day);
      expect(queuedOn).toEqual([resumeDay]);
      // The ledger marks exactly those sends late.
      const lateInLedger = ledger.filter((record) => record.late);
      expect(lateInLedger.map((record) => `${record.scopeId} → ${record.address}`).sort()).toEqual(WEEKLY_PAIRS);
      expect(new Set(lateInLedger.map((record) => `${record.kind} ${record.periodId} ${record.asOf}`))).toEqual(new Set([`weekly-scorecard ${missedWeek} ${sim.missedScorecard}`]));
      const lateSubjects = store.filter((email) => email.subject.startsWith(LATE_PREFIX));
      expect(lateSubjects).toHaveLength(WEEKLY_PAIRS.length);
      expect(new Set(lateSubjects.map((email) => email.subject.slice(LATE_PREFIX.length).split(' ')[1]))).toEqual(new Set([missedWeek]));
    });

    it('agrees with itself: the send ledger, the SES store and the delivery outcomes hold the same messages', () => {
      const periods = [...new Set(outcomes().map((outcome) => outcome.run.periodId))];
      expect(ledger.filter((record) => record.status !== 'sent')).toEqual([]);

      const storeById = new Map(store.map((email) => [email.messageId, email]));
      expect(storeById.size).toBe(store.length);
      expect(ledger).toHaveLength(store.length);
      expect(ledger).toHaveLength(outcomes().reduce((total, outcome) => total + outcome.messages.length, 0));
      for (const record of ledger) {
        const email = storeById.get(record.messageId!);
        expect(email, `${record.kind} ${record.periodId} ${record.scopeId} ${record.address}`).toBeDefined();
        expect(email!.destination.to.map((to) => /<([^>]+)>$/.exec(to)?.[1] ?? to)).toEqual([record.address]);
        const subject = stubSubject(record.kind, record.periodId, record.scopeId, record.asOf);
        expect(email!.subject).toBe(record.late ? `${LATE_PREFIX}${subject}` : subject);
        expect(email!.attachments.map((attachment) => attachment.size)).toEqual([STUB_XLSX.byteLength]);
      }
      // Per period, the counts agree too.
      const weeks = periods.filter((period) => period.includes('-W'));
      for (const period of periods) {
        const inLedger = ledger.filter((record) => record.periodId === period).length;
        const inStore = store.filter((email) => email.subject.replace(LATE_PREFIX, '').split(' ')[1] === period).length;
        expect(inStore, period).toBe(inLedger);
        expect(inLedger, period).toBe(weeks.includes(period) ? WEEKLY_PAIRS.length : PACK_PAIRS.length);
      }
    });
  });
}
