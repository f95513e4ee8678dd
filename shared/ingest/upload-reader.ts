// The uploaded object as batches of rows, opened as often as ingest needs to
// read it. CSV streams straight from S3; XLSX is spooled to scratch for its zip
// directory.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ObjectGoneError } from '../adapters/object-store.js';
import type { ObjectCreated } from '../adapters/s3-events.js';
import type { ReaderLimits } from './file-format.js';
import type { IngestDependencies, IngestProgress } from './ingest-upload.js';
import { openSpreadsheet, type OpenedRows } from './spreadsheet-source.js';
import { UnreadableFileError } from './types.js';
import { openXlsx } from './xlsx-reader.js';

/**
 * The upload, opened as batches of rows as often as ingest needs to read it
 * (a full export is read once to check what it would remove, then once to
 * load). CSV streams straight from S3 each time; XLSX is spooled to scratch
 * once, for its zip directory, and removed by `dispose`.
 */
export class UploadReader {
  private spooled: string | null = null;
  /** Bytes of the object read so far in the current pass (an XLSX: its size once spooled). */
  private bytesRead = 0;

  constructor(
    private readonly object: ObjectCreated,
    private readonly limits: ReaderLimits,
    private readonly deps: IngestDependencies,
  ) {}

  async open(): Promise<OpenedRows> {
    try {
      return await this.openOnce();
    } catch (error) {
      // Deleted between the event and the read: a refusal that says so, not a failure Lambda retries into the dead-letter queue.
      if (error instanceof ObjectGoneError) {
        throw new UnreadableFileError('the file was deleted from the bucket before ingest could read it; nothing was loaded (upload it again to load it)', 'gone');
      }
      throw error;
    }
  }

  private async openOnce(): Promise<OpenedRows> {
    const { object, limits, deps } = this;
    const sheet = deps.config.ingest.sheet;
    if (this.spooled !== null) {
      this.bytesRead = object.size ?? 0;
      return openXlsx(this.spooled, limits, sheet);
    }
    const stream = await deps.objects.open(object.bucket, object.key, object.versionId);
    this.bytesRead = 0;
    const body = deps.onProgress ? this.counted(stream.body) : stream.body;
    return openSpreadsheet(body, limits, sheet, async () => {
      const path = join(deps.scratchDir, `upload-${process.pid}-${object.sequencer}.xlsx`);
      this.spooled = path;
      this.bytesRead = await deps.objects.download(object.bucket, object.key, object.versionId, path);
      return path;
    });
  }

  /** Tells `onProgress`, if given, how far the current pass is. */
  progress(pass: IngestProgress['pass'], rowsRead: number): void {
    this.deps.onProgress?.({ key: this.object.key, pass, bytesRead: this.bytesRead, totalBytes: this.object.size, rowsRead });
  }

  private async *counted(body: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
    for await (const chunk of body) {
      this.bytesRead += chunk.byteLength;
      yield chunk;
    }
  }

  async dispose(): Promise<void> {
    if (this.spooled !== null) await rm(this.spooled, { force: true });
  }
}
