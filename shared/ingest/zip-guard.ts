// Zip-bomb guard for XLSX uploads. An XLSX is a zip; a small upload can
// declare gigabytes of XML. Everything here reads only the central directory
// (names and declared sizes), so a hostile archive is refused before a single
// byte is inflated. yauzl then holds every entry to its declared size while
// it inflates (validateEntrySizes), so lying about sizes does not help either.
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import type { ReaderLimits } from './file-format.js';
import { UnreadableFileError } from './types.js';

export type ZipLimits = Pick<ReaderLimits, 'maxUncompressedBytes' | 'maxZipEntries'>;

export interface ZipEntrySummary {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
}

/**
 * Spreadsheet XML deflates roughly 5–20×. Apache POI refuses entries past
 * 100× too; real workbooks never get there, bombs are at 1000×.
 */
export const MAX_COMPRESSION_RATIO = 100;
/** Tiny entries compress absurdly well (an empty sheet) and cannot hurt; the ratio is checked from here up. */
const RATIO_CHECKED_FROM_BYTES = 1024 * 1024;

/**
 * Sees every entry the guard lets be opened and every inflated chunk: the
 * evidence that a refused archive was never inflated. Observers must not
 * throw; nothing in ingest depends on them.
 */
export interface ZipReadObserver {
  entryOpened?(name: string): void;
  bytesInflated?(name: string, bytes: number): void;
}

const zipReadObservers = new Set<ZipReadObserver>();

/** Registers an observer of zip reads; returns the function that removes it. */
export function observeZipReads(observer: ZipReadObserver): () => void {
  zipReadObservers.add(observer);
  return () => zipReadObservers.delete(observer);
}

/** An archive whose central directory passed the guard, open for reading. */
export interface GuardedZip {
  zip: ZipFile;
  entries: Map<string, Entry>;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function refuseEntry(entry: Entry, totalDeclared: number, limits: ZipLimits): void {
  const { fileName: name, compressedSize, uncompressedSize } = entry;
  if (entry.isEncrypted()) {
    throw new UnreadableFileError(`zip entry "${name}" is encrypted; upload the workbook without a password`, 'not-a-spreadsheet');
  }
  if (totalDeclared > limits.maxUncompressedBytes) {
    throw new UnreadableFileError(
      `zip entry "${name}" declares ${uncompressedSize} bytes uncompressed (${compressedSize} compressed), ` +
        `bringing the archive to ${totalDeclared} bytes, over the ${limits.maxUncompressedBytes}-byte limit`,
      'zip-bomb',
    );
  }
  if (uncompressedSize >= RATIO_CHECKED_FROM_BYTES && uncompressedSize > compressedSize * MAX_COMPRESSION_RATIO) {
    const ratio = compressedSize === 0 ? 'infinitely' : `${Math.round(uncompressedSize / compressedSize)}×`;
    throw new UnreadableFileError(
      `zip entry "${name}" would inflate ${compressedSize} bytes to ${uncompressedSize} (${ratio}, ` +
        `the limit is ${MAX_COMPRESSION_RATIO}×)`,
      'zip-bomb',
    );
  }
}

/**
 * Opens a zip and checks its central directory: entry count, total declared
 * uncompressed size, per-entry compression ratio, encryption, duplicate names.
 * The caller owns the returned handle and must `zip.close()` it.
 */
export async function openGuardedZip(path: string, limits: ZipLimits): Promise<GuardedZip> {
  let zip: ZipFile;
  try {
    zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true });
  } catch (error) {
    throw new UnreadableFileError(`the file is not a readable zip archive (${describeError(error)})`, 'not-a-spreadsheet');
  }
  try {
    if (zip.entryCount > limits.maxZipEntries) {
      throw new UnreadableFileError(
        `the zip declares ${zip.entryCount} entries, over the ${limits.maxZipEntries}-entry limit`,
        'zip-bomb',
      );
    }
    const entries = new Map<string, Entry>();
    let totalDeclared = 0;
    for await (const entry of zip.eachEntry()) {
      totalDeclared += entry.uncompressedSize;
      refuseEntry(entry, totalDeclared, limits);
      // Two entries with one name would let the guard check one and the reader read the other.
      if (entries.has(entry.fileName)) {
        throw new UnreadableFileError(`zip entry "${entry.fileName}" appears twice`, 'not-a-spreadsheet');
      }
      entries.set(entry.fileName, entry);
    }
    return { zip, entries };
  } catch (error) {
    zip.close();
    if (error instanceof UnreadableFileError) throw error;
    throw new UnreadableFileError(`the zip archive is damaged (${describeError(error)})`, 'not-a-spreadsheet');
  }
}

/** Checks a zip before anything inflates; returns what its central directory declares. */
export async function checkZip(path: string, limits: ZipLimits): Promise<ZipEntrySummary[]> {
  const { zip, entries } = await openGuardedZip(path, limits);
  zip.close();
  return [...entries.values()].map(({ fileName, compressedSize, uncompressedSize }) => ({
    name: fileName,
    compressedSize,
    uncompressedSize,
  }));
}

/**
 * Inflates one entry. An entry that inflates past its declared size is cut
 * off by yauzl, and refused here as a bomb.
 */
export async function* readZipEntry(zip: ZipFile, entry: Entry): AsyncGenerator<Buffer> {
  let stream: NodeJS.ReadableStream & { destroy(): void };
  try {
    stream = await zip.openReadStreamPromise(entry);
  } catch (error) {
    throw new UnreadableFileError(`zip entry "${entry.fileName}" cannot be read (${describeError(error)})`, 'not-a-spreadsheet');
  }
  for (const observer of zipReadObservers) observer.entryOpened?.(entry.fileName);
  try {
    for await (const chunk of stream) {
      for (const observer of zipReadObservers) observer.bytesInflated?.(entry.fileName, (chunk as Buffer).length);
      yield chunk as Buffer;
    }
  } catch (error) {
    const message = describeError(error);
    // yauzl's wording when an entry inflates past the size its header declared.
    const code = message.startsWith('too many bytes') ? 'zip-bomb' : 'not-a-spreadsheet';
    throw new UnreadableFileError(`zip entry "${entry.fileName}" is damaged or lies about its size (${message})`, code);
  } finally {
    stream.destroy();
  }
}
