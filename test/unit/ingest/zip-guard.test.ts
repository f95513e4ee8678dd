import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnreadableFileError } from '../../../shared/ingest/types.js';
import { checkZip, observeZipReads, openGuardedZip, readZipEntry, type ZipLimits } from '../../../shared/ingest/zip-guard.js';
import { buildZip, type ZipFixtureEntry } from './zip-fixture.js';

const limits: ZipLimits = { maxUncompressedBytes: 1024 * 1024 * 1024, maxZipEntries: 1_000 };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'revperf-zip-guard-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function zipFile(name: string, content: Buffer | ZipFixtureEntry[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, Array.isArray(content) ? buildZip(content) : content);
  return path;
}

/** What the guard let through while `action` ran: entries opened and bytes inflated. */
async function zipReadsDuring<T>(action: () => Promise<T>): Promise<{ result: T; opened: string[]; inflated: number }> {
  const opened: string[] = [];
  let inflated = 0;
  const stop = observeZipReads({ entryOpened: (name) => opened.push(name), bytesInflated: (_, bytes) => (inflated += bytes) });
  try {
    return { result: await action(), opened, inflated };
  } finally {
    stop();
  }
}

async function refusal(promise: Promise<unknown>): Promise<UnreadableFileError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof UnreadableFileError) return error;
    throw error;
  }
  throw new Error('expected the zip to be refused');
}

/**
 * A real deflate stream of `megabytes` of zeros, about 1 KB per MB. One
 * megabyte is deflated with a full flush (a self-contained, byte-aligned run of
 * blocks) and repeated, then closed with an empty final block — the way a
 * bomb is made, without spending seconds deflating 300 MB in a unit test.
 */
function deflatedZeros(megabytes: number): { bytes: Buffer; crc: number; size: number } {
  const megabyte = Buffer.alloc(1024 * 1024);
  const segment = deflateRawSync(megabyte, { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  const finalBlock = deflateRawSync(Buffer.alloc(0));
  let crc = 0;
  for (let i = 0; i < megabytes; i++) crc = crc32(megabyte, crc);
  return {
    bytes: Buffer.concat([...Array<Buffer>(megabytes).fill(segment), finalBlock]),
    crc,
    size: megabytes * megabyte.length,
  };
}

describe('checkZip', () => {
  it('lists the declared sizes of a sound archive', async () => {
    const path = await zipFile('sound.zip', [
      { name: '[Content_Types].xml', data: '<Types/>' },
      { name: 'xl/workbook.xml', data: 'x'.repeat(5_000) },
    ]);
    const summary = await checkZip(path, limits);
    expect(summary.map(({ name, uncompressedSize }) => ({ name, uncompressedSize }))).toEqual([
      { name: '[Content_Types].xml', uncompressedSize: 8 },
      { name: 'xl/workbook.xml', uncompressedSize: 5_000 },
    ]);
    expect(summary[1]!.compressedSize).toBeLessThan(100);
  });

  it('refuses a real deflate bomb (300 MB of zeros in ~300 KB) from its central directory alone, opening no entry', async () => {
    const small = deflatedZeros(3);
    expect(inflateRawSync(small.bytes).equals(Buffer.alloc(3 * 1024 * 1024))).toBe(true);
    expect(crc32(Buffer.alloc(3 * 1024 * 1024))).toBe(small.crc);
    const bomb = deflatedZeros(300);
    expect(bomb.bytes.length).toBeLessThan(400 * 1024);
    const path = await zipFile('bomb.xlsx', [
      { name: '[Content_Types].xml', data: '<Types/>' },
      { name: 'xl/worksheets/sheet1.xml', deflated: bomb },
    ]);
    const { result: error, opened, inflated } = await zipReadsDuring(() => refusal(checkZip(path, limits)));
    expect(opened).toEqual([]);
    expect(inflated).toBe(0);
    expect(error.code).toBe('zip-bomb');
    expect(error.message).toBe(
      `zip entry "xl/worksheets/sheet1.xml" would inflate ${bomb.bytes.length} bytes to 314572800 ` +
        `(${Math.round(314572800 / bomb.bytes.length)}×, the limit is 100×)`,
    );
  });

  it('refuses an archive whose declared sizes add up past the limit, without inflating anything', async () => {
    // The entry's data is not even valid deflate: had the guard inflated it, it would fail differently.
    const garbage = Buffer.from('not deflate at all, just bytes');
    const path = await zipFile('declared.xlsx', [
      { name: 'xl/sharedStrings.xml', deflated: { bytes: garbage, crc: 0, size: 0 }, declaredSize: 600 },
      { name: 'xl/worksheets/sheet1.xml', deflated: { bytes: garbage, crc: 0, size: 0 }, declaredSize: 700 },
    ]);
    const error = await refusal(checkZip(path, { ...limits, maxUncompressedBytes: 1_000 }));
    expect(error.code).toBe('zip-bomb');
    expect(error.message).toBe(
      'zip entry "xl/worksheets/sheet1.xml" declares 700 bytes uncompressed (30 compressed), ' +
        'bringing the archive to 1300 bytes, over the 1000-byte limit',
    );
  });

  it('refuses too many entries before reading them', async () => {
    const entries = Array.from({ length: 101 }, (_, i) => ({ name: `xl/media/image${i}.png`, data: 'x' }));
    const path = await zipFile('many.xlsx', entries);
    const error = await refusal(checkZip(path, { ...limits, maxZipEntries: 100 }));
    expect(error.code).toBe('zip-bomb');
    expect(error.message).toBe('the zip declares 101 entries, over the 100-entry limit');
    await expect(checkZip(path, { ...limits, maxZipEntries: 101 })).resolves.toHaveLength(101);
  });

  it('refuses two entries with the same name', async () => {
    const path = await zipFile('twice.xlsx', [
      { name: 'xl/workbook.xml', data: 'a' },
      { name: 'xl/workbook.xml', data: 'b' },
    ]);
    const error = await refusal(checkZip(path, limits));
    expect(error).toMatchObject({ code: 'not-a-spreadsheet', message: 'zip entry "xl/workbook.xml" appears twice' });
  });

  it('calls a truncated zip not a spreadsheet', async () => {
    const whole = buildZip([{ name: 'xl/workbook.xml', data: 'x'.repeat(10_000) }]);
    const path = await zipFile('truncated.xlsx', whole.subarray(0, Math.floor(whole.length / 2)));
    const error = await refusal(checkZip(path, limits));
    expect(error.code).toBe('not-a-spreadsheet');
    expect(error.message).toMatch(/^the file is not a readable zip archive \(/);
  });

  it('calls a damaged central directory not a spreadsheet', async () => {
    const zip = buildZip([{ name: 'xl/workbook.xml', data: 'hello' }]);
    const centralDirectoryAt = zip.readUInt32LE(zip.length - 6);
    zip.writeUInt32LE(0xdeadbeef, centralDirectoryAt); // break the first central header's signature
    const error = await refusal(checkZip(await zipFile('damaged.xlsx', zip), limits));
    expect(error.code).toBe('not-a-spreadsheet');
    expect(error.message).toMatch(/^the zip archive is damaged \(/);
  });
});

describe('readZipEntry', () => {
  it('inflates an entry, and its observers see the entry opened and every byte inflated', async () => {
    const path = await zipFile('read.zip', [{ name: 'a.txt', data: 'pipeline'.repeat(1000) }]);
    const { zip, entries } = await openGuardedZip(path, limits);
    const chunks: Buffer[] = [];
    const { opened, inflated } = await zipReadsDuring(async () => {
      for await (const chunk of readZipEntry(zip, entries.get('a.txt')!)) chunks.push(chunk);
    });
    zip.close();
    expect(Buffer.concat(chunks).toString()).toBe('pipeline'.repeat(1000));
    // The counters the bomb tests rely on really count: 8 000 bytes, one entry.
    expect(opened).toEqual(['a.txt']);
    expect(inflated).toBe(8_000);
  });

  it('stops an entry that inflates past the size it declared', async () => {
    const path = await zipFile('liar.xlsx', [{ name: 'xl/worksheets/sheet1.xml', data: 'x'.repeat(5_000_000), declaredSize: 1_000 }]);
    const { zip, entries } = await openGuardedZip(path, limits);
    let yielded = 0;
    const { result: error, inflated } = await zipReadsDuring(() =>
      refusal(
        (async () => {
          for await (const chunk of readZipEntry(zip, entries.get('xl/worksheets/sheet1.xml')!)) yielded += chunk.length;
        })(),
      ),
    );
    zip.close();
    expect(error.code).toBe('zip-bomb');
    expect(error.message).toMatch(/^zip entry "xl\/worksheets\/sheet1.xml" is damaged or lies about its size \(too many bytes/);
    expect(yielded).toBeLessThanOrEqual(1_000);
    expect(inflated).toBeLessThanOrEqual(1_000);
  });
});
