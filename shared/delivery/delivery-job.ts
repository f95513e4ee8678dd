// The unit of delivery: one report of one scope, as of one day. The daily
// dispatch decides what is due, computes the figures once and stores the
// report data; then it queues one job per report × scope, and the deliver
// worker renders that scope and mails its recipients, each job on its own, so
// one failing scope (or recipient) never stops the others.
import type { LocalDate } from '../domain/types.js';
import type { ReportKind, ReportScope } from '../reports/report-data.js';

export interface DeliveryJob {
  kind: ReportKind;
  /** The period the report is filed under: the week (`2026-W47`) or the fiscal quarter (`FY2027-Q3`). */
  periodId: string;
  /** The day the figures are as of: the day the report was due (a caught-up report keeps its own day). */
  asOf: LocalDate;
  /** The day it was due (default `asOf`; the quarter-close pack is due days after the quarter it is as of). */
  dueOn?: LocalDate;
  /** The tick that sent it; later than `asOf` when a missed report is caught up. */
  dispatchedOn: LocalDate;
  /** Caught up after its day: marked late in the subject and the body. */
  late: boolean;
  scope: ReportScope;
  /** Bucket key of the stored ReportData the scope renders from (reports/<kind>/<period>/metrics.json). */
  dataKey: string;
}

/** Where the dispatch puts the jobs: SQS when deployed, the deliver handler in process locally. */
export interface DeliveryQueue {
  send(jobs: readonly DeliveryJob[]): Promise<void>;
}

/** CloudWatch metric names the deliver worker and the dispatch emit (namespace METRICS_NAMESPACE). */
export const DELIVERY_METRICS = {
  namespace: 'revperf',
  sent: 'EmailsSent',
  /** Permanent rejections and sends that failed after every retry. */
  failed: 'EmailsFailed',
  /** Recipients outside mail.allowedDomains (or without an address). */
  refused: 'EmailsRefused',
  /** A report × scope that could not be rendered or delivered. */
  failedRuns: 'ReportRunsFailed',
  /** Days since the last deal upload finished, emitted by every daily dispatch. */
  daysSinceDealUpload: 'DaysSinceDealUpload',
} as const;
