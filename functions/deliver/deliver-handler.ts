// The deliver worker (SQS, one job per message, batch size 1): renders one
// report of one scope and mails its recipients (shared/delivery). A job that
// fails is reported back as a batch item failure: SQS makes it visible again
// and, after the queue's maxReceiveCount, moves it to the dead-letter queue,
// which is alarmed. The ledger makes every retry send only what is missing.
import type { DeliveryJob } from '../../shared/delivery/delivery-job.js';
import { deliverJob, type DeliverDependencies, type DeliveryOutcome } from '../../shared/delivery/deliver-report.js';
import { REPORT_KINDS, type ReportKind } from '../../shared/reports/report-data.js';
import { reportRenderers } from '../../shared/reports/renderers.js';
import type { Runtime } from '../runtime.js';

export interface SqsRecord {
  messageId: string;
  body: string;
}

export function deliverDependencies(runtime: Runtime): DeliverDependencies {
  return { ...runtime, renderers: reportRenderers(runtime.config) };
}

/** A queued job, checked: a malformed message fails loudly instead of rendering something else. */
export function parseDeliveryJob(body: string): DeliveryJob {
  const job = JSON.parse(body) as Partial<DeliveryJob>;
  const missing = (['kind', 'periodId', 'asOf', 'dispatchedOn', 'scope', 'dataKey'] as const).filter((field) => job[field] === undefined);
  if (missing.length > 0) throw new Error(`delivery job without ${missing.join(', ')}: ${body.slice(0, 200)}`);
  if (!REPORT_KINDS.includes(job.kind as ReportKind)) throw new Error(`unknown report kind ${String(job.kind)}`);
  return { ...job, late: job.late === true } as DeliveryJob;
}

export function createDeliverHandler(runtime: Runtime, flushMetrics: () => void = () => undefined) {
  const deps = deliverDependencies(runtime);
  return async (event: { Records: SqsRecord[] }): Promise<{ batchItemFailures: { itemIdentifier: string }[] }> => {
    const batchItemFailures: { itemIdentifier: string }[] = [];
    try {
      for (const record of event.Records) {
        try {
          await deliverJob(deps, parseDeliveryJob(record.body));
        } catch (error) {
          runtime.logger.error('delivery job failed; SQS will retry it', { messageId: record.messageId, error: error as Error });
          batchItemFailures.push({ itemIdentifier: record.messageId });
        }
      }
    } finally {
      flushMetrics();
    }
    return { batchItemFailures };
  };
}

export type { DeliveryOutcome };
