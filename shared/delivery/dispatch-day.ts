// The daily tick's use case: the metrics of the day (snapshots and exports,
// every day), then what is due — today's reports and anything missed since
// the last tick that no dispatch queued — prepared once per as-of day and
// queued as one delivery job per report × scope. The ledger's dispatch marker
// is written after the jobs are queued: a tick that dies before it is simply
// run again (its jobs may be queued twice; the send ledger makes the second
// copy send nothing). A second run of the same tick finds the markers and
// queues nothing.
import type { SendLedger } from '../adapters/send-ledger.js';
import { daysBetween, localDateInZone } from '../domain/local-date.js';
import type { LocalDate } from '../domain/types.js';
import type { ReportDependencies } from '../reports/metrics-run.js';
import { prepareReports, type ReportedMetricsRun } from '../reports/report-run.js';
import { DELIVERY_METRICS, type DeliveryJob, type DeliveryQueue } from './delivery-job.js';
import type { DeliveryMetricsSink } from './delivery-metrics.js';
import { reportsDue, reportsNotCaughtUp, type DueReport } from './reports-due.js';

export interface DispatchDependencies extends ReportDependencies {
  ledger: Pick<SendLedger, 'lastTick' | 'recordTick' | 'wasDispatched' | 'markDispatched'>;
  queue: DeliveryQueue;
  metrics: DeliveryMetricsSink;
}

export interface DispatchOutcome {
  today: LocalDate;
  /** The metrics runs of today (quarter and week). */
  metrics: ReportedMetricsRun[];
  /** Reports queued by this tick, with how many jobs each. */
  queued: (DueReport & { periodId: string; jobs: number })[];
  /** Due reports another dispatch had already queued. */
  alreadyQueued: DueReport[];
  /** Reports that fell due while no tick ran and are too old to send now (counted as failed report runs). */
  notCaughtUp: { kind: DueReport['kind']; dueOn: LocalDate }[];
  daysSinceDealUpload: number | null;
}

export async function dispatchDay(deps: DispatchDependencies, today: LocalDate): Promise<DispatchOutcome> {
  const { ledger, calendar, config } = deps;
  const lastTick = await ledger.lastTick();
  const due: DueReport[] = [];
  const alreadyQueued: DueReport[] = [];
  const notCaughtUp = reportsNotCaughtUp(calendar, config.schedule, today, lastTick);
  if (notCaughtUp.length > 0) deps.metrics.count(DELIVERY_METRICS.failedRuns, notCaughtUp.length);
  for (const report of reportsDue(calendar, config.schedule, today, lastTick)) {
    if (await ledger.wasDispatched(report.kind, report.dueOn)) alreadyQueued.push(report);
    else due.push(report);
  }

  // One preparation per as-of day: today's always (the daily snapshot), and each caught-up or closed-quarter day's.
  // Today first: an earlier day prepared after it finds today's pipeline snapshot and leaves history alone.
  const days = [today, ...[...new Set(due.map((report) => report.asOf))].filter((day) => day !== today).sort().reverse()];
  const queued: DispatchOutcome['queued'] = [];
  let todaysMetrics: ReportedMetricsRun[] = [];
  for (const day of days) {
    const reports = due.filter((report) => report.asOf === day);
    const prepared = await prepareReports(deps, day, { kinds: reports.map((report) => report.kind) });
    if (day === today) todaysMetrics = prepared.metrics;
    for (const report of reports) {
      const scopes = prepared.scopes.filter((scope) => scope.kind === report.kind);
      const jobs: DeliveryJob[] = scopes.map((scope) => ({
        kind: scope.kind,
        periodId: scope.periodId,
        asOf: day,
        dueOn: report.dueOn,
        dispatchedOn: today,
        late: report.late,
        scope: scope.scope,
        dataKey: scope.dataKey,
      }));
      await deps.queue.send(jobs);
      const periodId = scopes[0]?.periodId ?? '';
      await ledger.markDispatched(report.kind, report.dueOn, { periodId, jobs: jobs.length, dispatchedOn: today }, deps.clock());
      queued.push({ ...report, periodId, jobs: jobs.length });
    }
  }
  await ledger.recordTick(today, deps.clock());

  const daysSinceDealUpload = await daysSinceLastDealUpload(deps, today);
  // Never a deals upload at all is stale data too: reported at the alarm's threshold.
  deps.metrics.gauge(DELIVERY_METRICS.daysSinceDealUpload, daysSinceDealUpload ?? config.alarms.staleDealUploadDays);
  return { today, metrics: todaysMetrics, queued, alreadyQueued, notCaughtUp, daysSinceDealUpload };
}

/** Days since the last deals file finished ingesting (org time zone); null before the first. */
async function daysSinceLastDealUpload(deps: DispatchDependencies, today: LocalDate): Promise<number | null> {
  let latest: string | null = null;
  for (const upload of await deps.table.uploads()) {
    if (!upload.key.startsWith('uploads/deals/') || !upload.finishedAt) continue;
    if (latest === null || upload.finishedAt > latest) latest = upload.finishedAt;
  }
  if (latest === null) return null;
  return Math.max(0, daysBetween(localDateInZone(new Date(latest), deps.config.org.timeZone), today));
}
