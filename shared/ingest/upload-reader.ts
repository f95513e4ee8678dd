// The uploaded object as batches of rows, opened as often as ingest needs to
// read it. CSV streams straight from S3; XLSX is spooled to scratch for its zip
// directory.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ObjectCreated } from '../adapters/s3-events.js';
import { openCsv } from './csv-reader.js';
import { describeBinary, sniffFormat, type ReaderLimits } from './file-format.js';
import type { IngestDependencies } from './ingest-upload.js';
import { UnreadableFileError, type FileDescription, type RawRow } from './types.js';
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

  async open(): Promise<{ description: FileDescription; batches: AsyncIterable<RawRow[]> }> {
    const { object, limits, deps } = this;
    if (this.spooled !== null) return openXlsx(this.spooled, limits, deps.config.ingest.sheet);
    const stream = await deps.objects.open(object.bucket, object.key, object.versionId);
    const { head, body, close } = await peek(stream.body);
    if (head.length === 0) {
      await close();
      throw new UnreadableFileError('the file is empty', 'empty');
    }
    const format = sniffFormat(head);
    if (format === 'binary') {
      await close();
      throw new UnreadableFileError(`the file is ${describeBinary(head)}`, 'not-a-spreadsheet');
    }
    if (format === 'csv') return openCsv(body, limits);

    await close();
    const path = join(deps.scratchDir, `upload-${process.pid}-${object.sequencer}.xlsx`);
    this.spooled = path;
    await deps.objects.download(object.bucket, object.key, object.versionId, path);
    return openXlsx(path, limits, deps.config.ingest.sheet);
  }

  async dispose(): Promise<void> {
    if (this.spooled !== null) await rm(this.spooled, { force: true });
  }
}

/**
 * Reads the first chunk without losing it. `close` ends the source when the
 * rest is not wanted: an S3 response left half read keeps its socket, and a
 * warm Lambda that leaks one per refused upload runs out of them and hangs.
 */
async function peek(
  source: AsyncIterable<Uint8Array>,
): Promise<{ head: Uint8Array; body: AsyncIterable<Uint8Array>; close: () => Promise<void> }> {
  const iterator = source[Symbol.asyncIterator]();
  const first = await iterator.next();
  const head = first.done ? new Uint8Array(0) : first.value;
  let finished = first.done === true;
  const close = async () => {
    if (finished) return;
    finished = true;
    await iterator.return?.();
  };
  const body: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]: async function* () {
      try {
        if (head.length > 0) yield head;
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
        finished = true;
      } finally {
        // A reader that stops early (a refusal, a limit) ends the source too.
        await close();
      }
    },
  };
  return { head, body, close };
}
