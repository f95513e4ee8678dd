// The uploaded object as batches of rows, opened as often as ingest needs to
// read it. CSV streams straight from S3; XLSX is spooled to scratch for its zip
// directory.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ObjectCreated } from '../adapters/s3-events.js';
import type { ReaderLimits } from './file-format.js';
import type { IngestDependencies } from './ingest-upload.js';
import { openSpreadsheet, type OpenedRows } from './spreadsheet-source.js';
import { openXlsx } from './xlsx-reader.js';

/**
 * The upload, opened as batches of rows as often as ingest needs to read it
 * (a full export is read once to check what it would remove, then once to
 * load). CSV streams straight from S3 each time; XLSX is spooled to scratch
 * once, for its zip directory, and removed by `dispose`.
 */
export class UploadReader {
  private spooled: string | null = null;

  constructor(
    private readonly object: ObjectCreated,
    private readonly limits: ReaderLimits,
    private readonly deps: IngestDependencies,
  ) {}

  async open(): Promise<OpenedRows> {
    const { object, limits, deps } = this;
    const sheet = deps.config.ingest.sheet;
    if (this.spooled !== null) return openXlsx(this.spooled, limits, sheet);
    const stream = await deps.objects.open(object.bucket, object.key, object.versionId);
    return openSpreadsheet(stream.body, limits, sheet, async () => {
      const path = join(deps.scratchDir, `upload-${process.pid}-${object.sequencer}.xlsx`);
      this.spooled = path;
      await deps.objects.download(object.bucket, object.key, object.versionId, path);
      return path;
    });
  }

  async dispose(): Promise<void> {
    if (this.spooled !== null) await rm(this.spooled, { force: true });
  }
}
