// Bytes → rows, wherever the bytes come from: the format is sniffed from the
// first chunk (the extension proves nothing), CSV streams, XLSX is read from a
// file on disk (its zip directory is at the end). The upload reader feeds it an
// S3 object; `revperf inspect` and `revperf init` feed it a local file.
import { createReadStream } from 'node:fs';
import { openCsv } from './csv-reader.js';
import { describeBinary, sniffFormat, type ReaderLimits } from './file-format.js';
import { UnreadableFileError, type FileDescription, type RawRow } from './types.js';
import { openXlsx } from './xlsx-reader.js';

export interface OpenedRows {
  description: FileDescription;
  batches: AsyncIterable<RawRow[]>;
}

/**
 * Opens a byte stream as batches of rows. `xlsxPath` is asked for only when
 * the bytes are a zip: it returns a path on disk holding the same bytes (the
 * stream is closed first).
 */
export async function openSpreadsheet(
  source: AsyncIterable<Uint8Array>,
  limits: ReaderLimits,
  sheet: string | undefined,
  xlsxPath: () => Promise<string>,
): Promise<OpenedRows> {
  const { head, body } = await peek(source);
  if (head.length === 0) throw new UnreadableFileError('the file is empty', 'empty');
  const format = sniffFormat(head);
  if (format === 'binary') {
    await closeIterable(body);
    throw new UnreadableFileError(`the file is ${describeBinary(head)}`, 'not-a-spreadsheet');
  }
  if (format === 'csv') return openCsv(body, limits);
  await closeIterable(body);
  return openXlsx(await xlsxPath(), limits, sheet);
}

/** A file on this machine, read exactly as ingest reads an upload (nothing is written). */
export async function openLocalSpreadsheet(path: string, limits: ReaderLimits, sheet?: string): Promise<OpenedRows> {
  return openSpreadsheet(createReadStream(path), limits, sheet, async () => path);
}

/** Reads the first chunk without losing it. */
async function peek(source: AsyncIterable<Uint8Array>): Promise<{ head: Uint8Array; body: AsyncIterable<Uint8Array> }> {
  const iterator = source[Symbol.asyncIterator]();
  const first = await iterator.next();
  const head = first.done ? new Uint8Array(0) : first.value;
  const body: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]: async function* () {
      if (head.length > 0) yield head;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    },
  };
  return { head, body };
}

async function closeIterable(source: AsyncIterable<Uint8Array>): Promise<void> {
  await source[Symbol.asyncIterator]().return?.();
}
