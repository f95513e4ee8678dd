// Ingest, fed by the ingest queue: S3 sends each ObjectCreated notification
// to SQS, the event source hands it over one message at a time. An upload
// whose ingest fails (an infrastructure failure: a bad file is not a failure,
// it gets a report) is reported back as a batch item failure, so SQS retries
// it and, after the queue's maxReceiveCount, moves it to the dead-letter queue
// (`revperf replay-failed` moves it back). S3's test event is acknowledged.
import { objectCreatedRecords, s3EventOfQueueMessage, type S3EventNotification } from '../../shared/adapters/s3-events.js';
import { ingestUpload, OlderVersionStillLoadingError, type IngestDependencies, type IngestProgress } from '../../shared/ingest/ingest-upload.js';
import type { IngestReport } from '../../shared/ingest/types.js';
import type { Runtime } from '../runtime.js';

export interface SqsRecord {
  messageId: string;
  body: string;
  /** Lambda's SQS event carries both; a retry can be delayed with them (ChangeMessageVisibility). */
  receiptHandle?: string;
  eventSourceARN?: string;
}

export interface IngestHandlerOptions {
  /** Told how far each upload is read (the local terminal's progress line); the Lambda passes nothing. */
  onProgress?: (progress: IngestProgress) => void;
  /** How a newer version waits for an older one still loading (default OLDER_VERSION_WAIT). */
  olderVersionWait?: IngestDependencies['olderVersionWait'];
}

export interface IngestQueueOptions extends IngestHandlerOptions {
  /** Makes a message failed now visible again only after `seconds` (deployed: SQS ChangeMessageVisibility). */
  delayRetry?: (record: SqsRecord, seconds: number) => Promise<void>;
}

export interface BatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/**
 * S3 ObjectCreated → ingest each record; an infrastructure failure is logged with its context and rethrown.
 * `onProgress`: told how far each upload is read (the local terminal's progress line); the Lambda passes nothing.
 */
export function createIngestHandler(runtime: Runtime, options: IngestHandlerOptions = {}) {
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
          ...(options.olderVersionWait ? { olderVersionWait: options.olderVersionWait } : {}),
        });
        runtime.logger.info('ingested', { key: object.key, sequencer: object.sequencer, status: report.status, counts: report.counts });
        reports.push(report);
      } catch (error) {
        if (error instanceof OlderVersionStillLoadingError) runtime.logger.warn('ingest deferred', { key: object.key, sequencer: object.sequencer, reason: error.message });
        else runtime.logger.error('ingest failed', { key: object.key, sequencer: object.sequencer, error: error as Error });
        throw error;
      }
    }
    return reports;
  };
}

/** The deployed handler: SQS messages wrapping S3 event notifications, failures reported per message. */
export function createIngestQueueHandler(runtime: Runtime, options: IngestQueueOptions = {}) {
  const ingest = createIngestHandler(runtime, options);
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
        batchItemFailures.push({ itemIdentifier: record.messageId });
        if (error instanceof OlderVersionStillLoadingError && options.delayRetry) {
          // Not a failure: back once the older version's lease has run out, not a whole visibility timeout later
          // (which would also spend the receives that lead to the dead-letter queue while the older one retries).
          const seconds = Math.ceil(error.retryAfterMs / 1000) + 5;
          try {
            await options.delayRetry(record, seconds);
            runtime.logger.warn('upload deferred behind an older version of the same file', { messageId: record.messageId, retryInSeconds: seconds });
            continue;
          } catch (delayError) {
            runtime.logger.warn('could not delay the retry; SQS retries after the visibility timeout', { messageId: record.messageId, error: delayError as Error });
            continue;
          }
        }
        runtime.logger.error('upload not ingested; SQS will retry it, then move it to the ingest dead-letter queue', {
          messageId: record.messageId,
          error: error as Error,
        });
      }
    }
    return { batchItemFailures };
  };
}
