// The daily tick (EventBridge Scheduler, org time zone): the report use case
// as of the scheduled day — the metrics of the current fiscal quarter and week
// with their snapshots and exports every day, and the reports due that day
// (the weekly scorecard on its weekday, the pre-review pack N business days
// before quarter end) rendered and stored under reports/. Sending them is
// delivery's job.
import type { LocalDate } from '../../shared/domain/types.js';
import { reportRenderers } from '../../shared/reports/renderers.js';
import { reportsDueOn } from '../../shared/reports/reports-due.js';
import { runReports } from '../../shared/reports/report-run.js';
import type { Runtime } from '../runtime.js';

export interface DispatchEvent {
  /** Override the as-of date (catch-up or re-run). */
  asOf?: LocalDate;
  /** Set by the schedule: a retried or late tick still reports on the day it was scheduled for. */
  scheduledTime?: string;
}

export function createDispatchHandler(runtime: Runtime) {
  return async (event: DispatchEvent = {}) => {
    const asOf =
      event.asOf ??
      (event.scheduledTime ? runtime.calendar.localDate(new Date(event.scheduledTime)) : runtime.calendar.today(runtime.clock));
    try {
      const kinds = reportsDueOn(runtime.calendar, runtime.config.schedule, asOf);
      const run = await runReports(runtime, reportRenderers(runtime.config), asOf, { kinds });
      const runs = run.metrics.map((metrics) => ({ period: metrics.period.id, entities: metrics.result.entities.length, exportKey: metrics.exportKey }));
      const reports = run.reports.map((report) => report.keys.xlsx);
      runtime.logger.info('metrics computed and reports rendered', { asOf, runs, due: kinds, reports: reports.length });
      return { asOf, runs, due: kinds, reports };
    } catch (error) {
      runtime.logger.error('dispatch failed; the scheduler will retry', { asOf, error: error as Error });
      throw error;
    }
  };
}
