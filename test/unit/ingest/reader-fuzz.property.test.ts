// The CSV and XLSX readers on generated hostile bytes (test/support/hostile-uploads.ts):
// every file ends — all its rows read, or a typed refusal (UnreadableFileError) —
// and what it costs is bounded by evidence: rows within maxRows, cells within
// maxCellChars and Excel's columns, XLSX parts opened and bytes inflated within
// what the zip's central directory declared. No wall clock: a hang fails on the
// generous per-case timeout. `npm run fuzz` raises the number of cases
// (REVPERF_FUZZ_RUNS).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCsv } from '../../../shared/ingest/csv-reader.js';
import { sniffFormat, type ReaderLimits } from '../../../shared/ingest/file-format.js';
import { UnreadableFileError } from '../../../shared/ingest/types.js';
import { MAX_XLSX_COLUMNS, openXlsx } from '../../../shared/ingest/xlsx-reader.js';
import { observeZipReads } from '../../../shared/ingest/zip-guard.js';
import {
  garbageArbitrary,
  hostileCsvArbitrary,
  hostileXlsxArbitrary,
  millionEmptyStyledCells,
  nestedZipArbitrary,
  tooManyEntries,
  type HostileUpload,
} from '../../support/hostile-uploads.js';

const RUNS = Number(process.env.REVPERF_FUZZ_RUNS ?? 0);
const runs = (bounded: number) => (RUNS > 0 ? RUNS : bounded);
/** The whole property's time limit: generous per case, so only a hang hits it. */
const PROPERTY_TIMEOUT_MS = Math.max(600_000, RUNS * 2_000);
const CASE_TIMEOUT_MS = 30_000;

const limits: ReaderLimits = {
  maxFileBytes: 50 * 1024 * 1024,
  maxRows: 2_000,
  maxCellChars: 32_767,
  maxUncompressedBytes: 64 * 1024 * 1024,
  maxZipEntries: 10_000,
};

let dir: string;
let fileNumber = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'revperf-reader-fuzz-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The bytes in chunks of generated sizes, as S3 hands a stream over. */
async function* chunks(bytes: Uint8Array, sizes: readonly number[]): AsyncGenerator<Uint8Array> {
  let offset = 0;
  for (let i = 0; offset < bytes.length; i++) {
    const size = sizes.length === 0 ? 65_536 : sizes[i % sizes.length]!;
    yield bytes.subarray(offset, offset + size);
    offset += size;
  }
}

interface ReadOutcome {
  rows: number;
  refusal: UnreadableFileError | null;
  entriesOpened: number;
  bytesInflated: number;
}

/** Reads the upload to its end, as ingest does; anything but rows or a typed refusal is thrown on. */
async function readToEnd(upload: HostileUpload, chunkSizes: readonly number[]): Promise<ReadOutcome> {
  let entriesOpened = 0;
  let bytesInflated = 0;
  const stop = observeZipReads({ entryOpened: () => (entriesOpened += 1), bytesInflated: (_, bytes) => (bytesInflated += bytes) });
  let rows = 0;
  try {
    const format = sniffFormat(upload.bytes.subarray(0, 64 * 1024));
    if (format === 'binary' || upload.bytes.length === 0) return { rows, refusal: null, entriesOpened, bytesInflated };
    let opened;
    if (format === 'csv') {
      opened = await openCsv(chunks(upload.bytes, chunkSizes), limits);
    } else {
      const path = join(dir, `upload-${fileNumber++}.xlsx`);
      await writeFile(path, upload.bytes);
      opened = await openXlsx(path, limits);
    }
    for await (const batch of opened.batches) {
      expect(batch.length).toBeGreaterThan(0);
      for (const row of batch) {
        rows += 1;
        expect(row.line).toBeGreaterThan(0);
        if (opened.description.format === 'xlsx') expect(row.cells.length).toBeLessThanOrEqual(MAX_XLSX_COLUMNS);
        for (const cell of row.cells) if (typeof cell === 'string') expect(cell.length).toBeLessThanOrEqual(limits.maxCellChars);
      }
    }
    return { rows, refusal: null, entriesOpened, bytesInflated };
  } catch (error) {
    if (error instanceof UnreadableFileError) return { rows, refusal: error, entriesOpened, bytesInflated };
    throw error;
  } finally {
    stop();
  }
}

function expectBounded(upload: HostileUpload, outcome: ReadOutcome): void {
  expect(outcome.rows).toBeLessThanOrEqual(limits.maxRows);
  // The workbook's parts, each at most once: rels, workbook, its rels, shared strings, styles, the sheet.
  expect(outcome.entriesOpened).toBeLessThanOrEqual(6);
  // Never more than the central directory admitted (and the guard admits at most the limit).
  expect(outcome.bytesInflated).toBeLessThanOrEqual(Math.min(upload.declaredUncompressed, limits.maxUncompressedBytes));
}

const chunkSizes = fc.array(fc.integer({ min: 1, max: 70_000 }), { maxLength: 4 });

describe('readers on hostile bytes (fuzz)', () => {
  const property = (arbitrary: fc.Arbitrary<HostileUpload>) =>
    fc.asyncProperty(arbitrary, chunkSizes, async (upload, sizes) => {
      expectBounded(upload, await readToEnd(upload, sizes));
    });

  it('CSV in any encoding, delimiter and quoting, truncated or garbled: rows or a typed refusal', async () => {
    await fc.assert(property(hostileCsvArbitrary), { numRuns: runs(100), timeout: CASE_TIMEOUT_MS });
  }, PROPERTY_TIMEOUT_MS);

  it('XLSX with XML attacks, lying zip headers and flipped bytes: rows or a typed refusal, never more inflated than declared', async () => {
    await fc.assert(property(hostileXlsxArbitrary), { numRuns: runs(100), timeout: CASE_TIMEOUT_MS });
  }, PROPERTY_TIMEOUT_MS);

  it('garbage and nested zips: rows or a typed refusal', async () => {
    await fc.assert(property(fc.oneof(garbageArbitrary, nestedZipArbitrary)), { numRuns: runs(40), timeout: CASE_TIMEOUT_MS });
  }, PROPERTY_TIMEOUT_MS);
});

describe('readers on named hostile workbooks', () => {
  it('reads a sheet of a million empty styled cells as its header alone', async () => {
    const upload = millionEmptyStyledCells();
    const outcome = await readToEnd(upload, []);
    expect(outcome.refusal).toBeNull();
    expect(outcome.rows).toBe(1);
    expectBounded(upload, outcome);
  });

  it('refuses a zip with more entries than allowed without opening any', async () => {
    const upload = tooManyEntries();
    const outcome = await readToEnd(upload, []);
    expect(outcome.refusal?.code).toBe('zip-bomb');
    expect(outcome.entriesOpened).toBe(0);
  });
});
