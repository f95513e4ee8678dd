// S3 ObjectCreated → ingest each record. An infrastructure failure is logged
// with its context and rethrown, so Lambda retries and then sends the event to
// the failure destination; a bad file is not a failure (it gets a report).
import { objectCreatedRecords, type S3EventNotification } from '../../shared/adapters/s3-events.js';
import { ingestUpload } from '../../shared/ingest/ingest-upload.js';
import type { IngestReport } from '../../shared/ingest/types.js';
import type { Runtime } from '../runtime.js';

export function createIngestHandler(runtime: Runtime) {
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
        });
        runtime.logger.info('ingested', { key: object.key, sequencer: object.sequencer, status: report.status, counts: report.counts });
        reports.push(report);
      } catch (error) {
        runtime.logger.error('ingest failed; Lambda will retry', { key: object.key, sequencer: object.sequencer, error: error as Error });
        throw error;
      }
    }
    return reports;
  };
}
