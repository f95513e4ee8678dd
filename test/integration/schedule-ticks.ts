// Runs a span of daily dispatch ticks on its own embedded AWS, with the clock
// injected, and returns what happened: each tick's two dispatch results (the
// tick and the scheduler's retry of it), the delivery outcomes of each, the
// send ledger of every period sent and what the embedded SES received
// (delivery-schedule.test.ts asserts on it). A tick is ~40 DynamoDB queries
// and a few writes to the embedded AWS: ~100 ms of one core, whatever the data.
import { createDispatchHandler } from '../../functions/dispatch/dispatch-handler.js';
import type { SendRecord } from '../../shared/adapters/send-ledger.js';
import type { RevperfConfigInput } from '../../shared/config/schema.js';
import type { DeliveryOutcome } from '../../shared/delivery/deliver-report.js';
import { scopeId, type ReportData, type ReportScope } from '../../shared/reports/report-data.js';
import type { RenderedFiles, ReportRenderers } from '../../shared/reports/report-run.js';
import { startLocalStack } from './harness.js';

// --- dates, independently of the product's calendar ---------------------------

export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export function weekdayOf(day: string): Weekday {
  return WEEKDAYS[new Date(`${day}T00:00:00Z`).getUTCDay()]!;
}

export function daysFrom(first: string, last: string): string[] {
  const days: string[] = [];
  for (let day = first; day <= last; day = addDays(day, 1)) days.push(day);
  return days;
}

/** The wall clock of an instant in a time zone: date, HH:MM, and the same fields read as if they were UTC. */
export function wallClock(instant: Date, timeZone: string): { date: string; time: string; asUtcMs: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  ) as Record<string, string>;
  const [year, month, day, hour, minute, second] = ['year', 'month', 'day', 'hour', 'minute', 'second'].map((name) => Number(parts[name])) as [
    number, number, number, number, number, number,
  ];
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}`, asUtcMs: Date.UTC(year, month - 1, day, hour, minute, second) };
}

/** The instant the wall clock in `timeZone` shows `time` on `day` (twice round, so the offset is the one of the instant itself). */
export function zonedInstant(day: string, time: string, timeZone: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  const offsetAt = (instant: number) => wallClock(new Date(instant), timeZone).asUtcMs - instant;
  let instant = wall - offsetAt(wall);
  instant = wall - offsetAt(instant);
  return new Date(instant);
}

// --- stub renderers: tiny and fixed, but they say what they rendered -----------

/** The smallest valid zip (an empty archive) stands in for every workbook. */
export const STUB_XLSX = Uint8Array.from([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)]);

/** The subject (and body line) the stubs render: `Scorecard 2026-W47 team-enterprise as of 2026-11-16`. */
export function stubSubject(kind: string, periodId: string, scope: string, asOf: string): string {
  return `${kind === 'weekly-scorecard' ? 'Scorecard' : 'Pack'} ${periodId} ${scope} as of ${asOf}`;
}

function stub(kind: string, period: string, data: ReportData, scope: ReportScope): RenderedFiles {
  const line = stubSubject(kind, period, scopeId(scope), data.metrics.asOf);
  return { xlsx: STUB_XLSX, html: `<html><body><p>${line}</p></body></html>`, text: line, subject: line };
}

export const STUB_RENDERERS: ReportRenderers = {
  scorecard: async (data, scope) => stub('weekly-scorecard', data.week.id, data, scope),
  pack: async (data, scope) => stub('pre-review-pack', data.metrics.period.id, data, scope),
};

// --- the run ------------------------------------------------------------------

export interface TickRun {
  config: RevperfConfigInput;
  /** Uploaded before the first tick, in order: [key, body]. */
  uploads: [string, string][];
  /** The days to tick, in order; each is dispatched twice at `dailyAt` in the org's time zone. */
  days: string[];
  dailyAt: string;
}

type DispatchResult = Awaited<ReturnType<ReturnType<typeof createDispatchHandler>>>;

export interface TickLog {
  day: string;
  scheduledTime: string;
  first: DispatchResult;
  second: DispatchResult;
  /** Delivery outcomes of the first call's jobs. */
  outcomes: DeliveryOutcome[];
  /** How many delivery outcomes the second call added (it should add none). */
  outcomesOfSecond: number;
}

export interface StoredEmail {
  messageId: string;
  destination: { to: string[] };
  subject: string;
  attachments: { filename?: string; size: number }[];
}

export interface TickRunResult {
  ticks: TickLog[];
  /** Every send ledger record of every period anything was delivered for. */
  ledger: SendRecord[];
  /** What the embedded SES received. */
  store: StoredEmail[];
  /** Delivery jobs that failed every attempt. */
  failures: { kind: string; periodId: string; scope: string; error: string }[];
  elapsedMs: number;
}

export async function runTicks(input: TickRun): Promise<TickRunResult> {
  let now = new Date(`${addDays(input.days[0]!, -1)}T12:00:00Z`);
  const stack = await startLocalStack(input.config, { renderers: STUB_RENDERERS, clock: () => now });
  try {
    for (const [key, body] of input.uploads) await stack.upload(key, body);
    const dispatch = createDispatchHandler(stack.runtime);
    const timeZone = stack.config.org.timeZone;
    const ticks: TickLog[] = [];
    const started = performance.now();
    for (const day of input.days) {
      const scheduled = zonedInstant(day, input.dailyAt, timeZone);
      now = new Date(scheduled.getTime() + 1_000);
      const before = stack.delivery.outcomes.length;
      const first = await dispatch({ scheduledTime: scheduled.toISOString() });
      const afterFirst = stack.delivery.outcomes.length;
      // The scheduler's retry of the same tick, a minute later.
      now = new Date(scheduled.getTime() + 61_000);
      const second = await dispatch({ scheduledTime: scheduled.toISOString() });
      ticks.push({
        day,
        scheduledTime: scheduled.toISOString(),
        first,
        second,
        outcomes: stack.delivery.outcomes.slice(before, afterFirst),
        outcomesOfSecond: stack.delivery.outcomes.length - afterFirst,
      });
    }
    const elapsedMs = performance.now() - started;
    const periods = [...new Set(stack.delivery.outcomes.map((outcome) => outcome.run.periodId))];
    const ledger: SendRecord[] = [];
    for (const period of periods) ledger.push(...(await stack.runtime.ledger.sends(period)));
    const store = ((await (await fetch(`${stack.aws.sesUrl}/store`)).json()) as { emails: StoredEmail[] }).emails;
    const failures = stack.delivery.failures.map((failure) => ({
      kind: failure.job.kind,
      periodId: failure.job.periodId,
      scope: scopeId(failure.job.scope),
      error: failure.error.message,
    }));
    return { ticks, ledger, store, failures, elapsedMs };
  } finally {
    await stack.stop();
  }
}
