// The daily tick (EventBridge Scheduler, org time zone): the dispatch use case
// as of the scheduled day — the metrics of the current fiscal quarter and week
// with their snapshots and exports every day, then what is due (today's
// reports and anything missed since the last tick) prepared and queued, one
// delivery job per report × scope, for the deliver worker.
import { isLocalDate } from '../../shared/domain/local-date.js';
import type { LocalDate } from '../../shared/domain/types.js';
import { dispatchDay } from '../../shared/delivery/dispatch-day.js';
import type { Runtime } from '../runtime.js';

export interface DispatchEvent {
  /** Override the day (an operator's re-run). */
  asOf?: LocalDate;
  /** Set by the schedule: a retried or late tick still reports on the day it was scheduled for. */
  scheduledTime?: string;
}

export function createDispatchHandler(runtime: Runtime, flushMetrics: () => void = () => undefined) {
  return async (event: DispatchEvent = {}) => {
    if (event.asOf !== undefined && !isLocalDate(event.asOf)) throw new Error(`dispatch: asOf must be a date YYYY-MM-DD, got ${JSON.stringify(event.asOf)}`);
    const asOf =
      event.asOf ??
      (event.scheduledTime ? runtime.calendar.localDate(new Date(event.scheduledTime)) : runtime.calendar.today(runtime.clock));
    const queue = runtime.deliveryQueue;
    if (!queue) throw new Error('the dispatch has no delivery queue (DELIVERY_QUEUE_URL is not set)');
    try {
      const outcome = await dispatchDay({ ...runtime, queue }, asOf);
      const runs = outcome.metrics.map((metrics) => ({ period: metrics.period.id, entities: metrics.result.entities.length, exportKey: metrics.exportKey }));
      const queued = outcome.queued.map((report) => ({ report: report.kind, period: report.periodId, dueOn: report.dueOn, late: report.late, jobs: report.jobs }));
      if (outcome.notCaughtUp.length > 0) {
        runtime.logger.warn('reports that fell due while no tick ran are too old to send now', { asOf, notCaughtUp: outcome.notCaughtUp });
      }
      runtime.logger.info('daily dispatch done', { asOf, runs, queued, alreadyQueued: outcome.alreadyQueued, daysSinceDealUpload: outcome.daysSinceDealUpload });
      return {
        asOf,
        runs,
        queued,
        alreadyQueued: outcome.alreadyQueued.length,
        notCaughtUp: outcome.notCaughtUp,
        daysSinceDealUpload: outcome.daysSinceDealUpload,
      };
    } catch (error) {
      runtime.logger.error('dispatch failed; the scheduler will retry', { asOf, error: error as Error });
      throw error;
    } finally {
      flushMetrics();
    }
  };
}
