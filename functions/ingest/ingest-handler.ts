// Ingest, fed by the ingest queue: S3 sends each ObjectCreated notification
// to SQS, the event source hands it over one message at a time. An upload
// whose ingest fails (an infrastructure failure: a bad file is not a failure,
// it gets a report) is reported back as a batch item failure, so SQS retries
// it and, after the queue's maxReceiveCount, moves it to the dead-letter queue
// (`revperf replay-failed` moves it back). S3's test event is acknowledged.
import { objectCreatedRecords, s3EventOfQueueMessage, type S3EventNotification } from '../../shared/adapters/s3-events.js';
import { ingestUpload, type IngestProgress } from '../../shared/ingest/ingest-upload.js';
import type { IngestReport } from '../../shared/ingest/types.js';
import type { Runtime } from '../runtime.js';

export interface SqsRecord {
  messageId: string;
  body: string;
}

export interface BatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/**
 * S3 ObjectCreated → ingest each record; an infrastructure failure is logged with its context and rethrown.
 * `onProgress`: told how far each upload is read (the local terminal's progress line); the Lambda passes nothing.
 */
export function createIngestHandler(runtime: Runtime, options: { onProgress?: (progress: IngestProgress) => void } = {}) {
  return async (event: S3EventNotification): Promise<IngestReport[]> => {
    const reports: IngestReport[] = [];
    for (const object of objectCreatedRecords(event)) {
      try {
        const report = await ingestUpload(object, {
          store: runtime.table,
          objects: runtime.objects,
          config: runtime.config,
          calendar: runtime.calendar,
          clock: runtime.clock,
          scratchDir: runtime.scratchDir,
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        });
        runtime.logger.info('ingested', { key: object.key, sequencer: object.sequencer, status: report.status, counts: report.counts });
        reports.push(report);
      } catch (error) {
        runtime.logger.error('ingest failed', { key: object.key, sequencer: object.sequencer, error: error as Error });
        throw error;
      }
    }
    return reports;
  };
}

/** The deployed handler: SQS messages wrapping S3 event notifications, failures reported per message. */
export function createIngestQueueHandler(runtime: Runtime) {
  const ingest = createIngestHandler(runtime);
  return async (event: { Records: SqsRecord[] }): Promise<BatchResponse> => {
    const batchItemFailures: BatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      try {
        const notification = s3EventOfQueueMessage(record.body);
        if (notification === null) {
          runtime.logger.info('S3 test event: nothing to ingest', { messageId: record.messageId });
          continue;
        }
        await ingest(notification);
      } catch (error) {
        runtime.logger.error('upload not ingested; SQS will retry it, then move it to the ingest dead-letter queue', {
          messageId: record.messageId,
          error: error as Error,
        });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
}
