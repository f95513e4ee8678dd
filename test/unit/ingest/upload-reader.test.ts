// The upload's S3 stream is read, or closed: never left half read. An S3
// response left open keeps its socket, and a warm Lambda that leaked one per
// refused upload ran out of sockets and hung (found by the ingest fuzz test).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObjectCreated } from '../../../shared/adapters/s3-events.js';
import { parseConfig } from '../../../shared/config/schema.js';
import type { ReaderLimits } from '../../../shared/ingest/file-format.js';
import type { IngestDependencies } from '../../../shared/ingest/ingest-upload.js';
import { UnreadableFileError } from '../../../shared/ingest/types.js';
import { UploadReader } from '../../../shared/ingest/upload-reader.js';

const limits: ReaderLimits = { maxFileBytes: 50_000_000, maxRows: 3, maxCellChars: 32_767, maxUncompressedBytes: 1e9, maxZipEntries: 100 };
const object: ObjectCreated = { bucket: 'b', key: 'uploads/deals/x.csv', size: null, eTag: null, versionId: null, sequencer: '01', eventTime: '2026-11-16T00:00:00Z' };
const config = parseConfig({ org: { name: 'X', timeZone: 'UTC' }, mail: { from: 'r@x.example', allowedDomains: ['x.example'] } });

/** An S3 body in chunks that records whether it was read to its end or closed before. */
function trackedBody(chunks: readonly Uint8Array[]) {
  const state = { chunksRead: 0, drained: false, closed: false };
  const body: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]: async function* () {
      try {
        for (const chunk of chunks) {
          state.chunksRead += 1;
          yield chunk;
        }
        state.drained = true;
      } finally {
        state.closed = true;
      }
    },
  };
  return { body, state };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'revperf-upload-reader-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function readerOf(chunks: readonly Uint8Array[]) {
  const { body, state } = trackedBody(chunks);
  const downloads: string[] = [];
  const deps = {
    objects: {
      open: async () => ({ body, size: chunks.reduce((sum, chunk) => sum + chunk.length, 0) }),
      download: async (_bucket: string, _key: string, _version: string | null, path: string) => {
        // The stream must be closed before the object is fetched a second time.
        expect(state.closed).toBe(true);
        downloads.push(path);
        return 0;
      },
      put: async () => undefined,
    },
    config,
    scratchDir: dir,
  } as unknown as IngestDependencies;
  return { reader: new UploadReader(object, limits, deps), state, downloads };
}

async function refusalOf(promise: Promise<unknown>): Promise<UnreadableFileError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof UnreadableFileError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}

const csvChunk = (text: string) => Buffer.from(text, 'utf8');

describe('UploadReader closes the S3 stream it does not read to the end', () => {
  it('a binary upload: refused after its first chunk, and the stream closed', async () => {
    const { reader, state } = readerOf([new Uint8Array(65_536), new Uint8Array(65_536), new Uint8Array(65_536)]);
    expect((await refusalOf(reader.open())).code).toBe('not-a-spreadsheet');
    expect(state).toEqual({ chunksRead: 1, drained: false, closed: true });
  });

  it('an XLSX upload: the stream closed before the object is downloaded to scratch', async () => {
    const { reader, state, downloads } = readerOf([Buffer.from('PK\u0003\u0004rest of a zip', 'latin1'), new Uint8Array(1_000)]);
    await reader.open().catch(() => undefined); // the spooled "zip" is empty: refused, which is not the point here
    expect(downloads).toHaveLength(1);
    expect(state).toMatchObject({ drained: false, closed: true });
    await reader.dispose();
  });

  it('a CSV refused part-way (over the row limit): the stream closed at the refusal', async () => {
    // Ten chunks of 40 KB of rows: the limit (3 rows) is passed long before the last.
    const rows = Array.from({ length: 10 }, (_, i) => csvChunk(`${i},${'x'.repeat(40_000)}\n`));
    const { reader, state } = readerOf([csvChunk('Id,Name\n'), ...rows]);
    const { batches } = await reader.open();
    const error = await refusalOf(
      (async () => {
        for await (const _ of batches);
      })(),
    );
    expect(error.code).toBe('too-many-rows');
    expect(state.drained).toBe(false);
    expect(state.closed).toBe(true);
  });

  it('a CSV read to its end: the stream drained and closed', async () => {
    const { reader, state } = readerOf([csvChunk('Id,Name\n1,a\n'), csvChunk('2,b\n')]);
    const { batches } = await reader.open();
    let rows = 0;
    for await (const batch of batches) rows += batch.length;
    expect(rows).toBe(3);
    expect(state).toEqual({ chunksRead: 2, drained: true, closed: true });
  });

  it('an empty upload: refused, the stream closed', async () => {
    const { reader, state } = readerOf([]);
    expect((await refusalOf(reader.open())).code).toBe('empty');
    expect(state.closed).toBe(true);
  });
});
