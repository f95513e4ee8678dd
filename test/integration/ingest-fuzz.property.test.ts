// Generated hostile uploads (test/support/hostile-uploads.ts) through the real
// ingest path on the embedded AWS: S3 put → bucket notification → ingest
// handler → DynamoDB and the ingest report. Whatever the bytes, the handler
// never throws (Lambda would retry a bad file, then dead-letter it), every
// upload ends with an ingest report — loaded, loaded with rejections, or
// refused with a reason — and its ledger entry is done. What ingest spent is
// bounded by evidence: rows read within ingest.maxRows, zip parts opened and
// bytes inflated within what the central directory declared (a full deals
// export is read twice: once to check what it would remove, once to load),
// nothing left in scratch, and nothing read from outside the upload (an XML
// external entity never pulls in a local file). No wall clock: a hang fails on
// fast-check's generous per-case timeout. `npm run fuzz` raises the number of
// cases (REVPERF_FUZZ_RUNS).
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RevperfConfigInput } from '../../shared/config/schema.js';
import type { IngestReport } from '../../shared/ingest/types.js';
import { observeZipReads } from '../../shared/ingest/zip-guard.js';
import {
  EXTERNAL_ENTITY_TARGET,
  hostileUploadArbitrary,
  millionEmptyStyledCells,
  tooManyEntries,
  type HostileUpload,
} from '../support/hostile-uploads.js';
import { startLocalStack, TEST_CONFIG, type LocalStack } from './harness.js';

const RUNS = Number(process.env.REVPERF_FUZZ_RUNS ?? 0);
/** The whole property's time limit: generous per case, so only a hang hits it. */
const PROPERTY_TIMEOUT_MS = Math.max(900_000, RUNS * 2_000);
const CASE_TIMEOUT_MS = 60_000;
const INGEST: RevperfConfigInput['ingest'] = { maxRows: 2_000, maxUncompressedBytes: 64 * 1024 * 1024 };
const STATUSES = ['loaded', 'loaded-with-rejections', 'refused'];

let stack: LocalStack;
let handlerErrors: unknown[] = [];
let uploadNumber = 0;
let passwdFirstLine = '';

beforeAll(async () => {
  stack = await startLocalStack({ ...TEST_CONFIG, ingest: INGEST });
  stack.aws.onObjectCreated('ingest', async (event) => {
    try {
      await stack.ingest(event);
    } catch (error) {
      handlerErrors.push(error);
      throw error;
    }
  });
  passwdFirstLine = (await readFile(EXTERNAL_ENTITY_TARGET, 'utf8').catch(() => '')).split('\n')[0] ?? '';
});
afterAll(async () => {
  await stack?.stop();
});

interface IngestOutcome {
  key: string;
  report: IngestReport;
  entriesOpened: number;
  bytesInflated: number;
}

/** REVPERF_FUZZ_DUMP=DIR keeps the case being ingested (bytes and shape), so a hang can be replayed. */
const DUMP_DIR = process.env.REVPERF_FUZZ_DUMP;

async function ingest(upload: HostileUpload): Promise<IngestOutcome> {
  handlerErrors = [];
  if (DUMP_DIR) {
    await writeFile(join(DUMP_DIR, 'case.bin'), upload.bytes);
    await writeFile(join(DUMP_DIR, 'case.json'), JSON.stringify({ shape: upload.shape, kind: upload.kind, fileName: upload.fileName, declared: upload.declaredUncompressed }));
  }
  const key = `uploads/${upload.kind}/fuzz-${uploadNumber++}/${upload.fileName}`;
  let entriesOpened = 0;
  let bytesInflated = 0;
  const stop = observeZipReads({ entryOpened: () => (entriesOpened += 1), bytesInflated: (_, bytes) => (bytesInflated += bytes) });
  try {
    await stack.upload(key, upload.bytes);
  } finally {
    stop();
  }
  expect(handlerErrors).toEqual([]);
  expect(stack.aws.failedInvocations).toEqual([]);
  expect(await stack.runtime.table.ingestLedgerEntry(stack.aws.bucketName, key)).toMatchObject({ status: 'done' });
  return { key, report: await stack.report(key), entriesOpened, bytesInflated };
}

async function expectBounded(upload: HostileUpload, { key, report, entriesOpened, bytesInflated }: IngestOutcome): Promise<void> {
  expect(STATUSES).toContain(report.status);
  expect(report.uploadKey).toBe(key);
  if (report.status === 'refused') expect(report.refusal).toMatch(new RegExp(`^${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .+`));
  expect(report.counts.read).toBeLessThanOrEqual(INGEST!.maxRows!);
  expect(report.counts.accepted + report.counts.rejected).toBeLessThanOrEqual(report.counts.read);
  // Read at most twice (a full deals export is checked, then loaded), each time within what the zip declared.
  expect(entriesOpened).toBeLessThanOrEqual(12);
  expect(bytesInflated).toBeLessThanOrEqual(2 * Math.min(upload.declaredUncompressed, INGEST!.maxUncompressedBytes!));
  expect(await readdir(stack.scratchDir)).toEqual([]);
  const everything = `${JSON.stringify(report)}\n${await stack.rejectedCsv(key)}`;
  if (passwdFirstLine !== '') expect(everything).not.toContain(passwdFirstLine);
}

describe('ingest on hostile uploads through the embedded AWS (fuzz)', () => {
  it('ends every generated upload with an ingest report, within bounds, and never throws', async () => {
    await fc.assert(
      fc.asyncProperty(hostileUploadArbitrary, async (upload) => {
        await expectBounded(upload, await ingest(upload));
      }),
      { numRuns: RUNS > 0 ? RUNS : 100, timeout: CASE_TIMEOUT_MS },
    );
  }, PROPERTY_TIMEOUT_MS);
});

describe('ingest on named hostile workbooks', () => {
  it('loads a sheet of a million empty styled cells as a header without rows', async () => {
    const upload = millionEmptyStyledCells();
    const outcome = await ingest(upload);
    expect(outcome.report).toMatchObject({ status: 'loaded', counts: { read: 0, accepted: 0 } });
    await expectBounded(upload, outcome);
  });

  it('refuses a workbook with more zip entries than allowed without opening one', async () => {
    const upload = tooManyEntries();
    const outcome = await ingest(upload);
    expect(outcome.report.status).toBe('refused');
    expect(outcome.report.refusal).toContain('over the 10000-entry limit');
    expect(outcome.entriesOpened).toBe(0);
  });
});
