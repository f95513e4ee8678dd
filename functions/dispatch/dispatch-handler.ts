// The daily tick (EventBridge Scheduler, org time zone): compute the metrics
// of the current fiscal quarter and week as of today, store the snapshots and
// write the metrics export. Reports and e-mails join this run as they arrive.
import type { LocalDate } from '../../shared/domain/types.js';
import type { Runtime } from '../runtime.js';
import { runMetrics } from '../../shared/reports/metrics-run.js';

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
      const runs = await runMetrics(runtime, asOf, ['quarter', 'week']);
      const summary = runs.map((run) => ({ period: run.period.id, entities: run.result.entities.length, exportKey: run.exportKey }));
      runtime.logger.info('metrics computed', { asOf, runs: summary });
      return { asOf, runs: summary };
    } catch (error) {
      runtime.logger.error('dispatch failed; the scheduler will retry', { asOf, error: error as Error });
      throw error;
    }
  };
}
