import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { openCsv } from '../../../shared/ingest/csv-reader.js';
import type { ReaderLimits } from '../../../shared/ingest/file-format.js';
import type { RawRow } from '../../../shared/ingest/types.js';

const limits: ReaderLimits = {
  maxFileBytes: 1024 * 1024,
  maxRows: 10_000,
  maxCellChars: 10_000,
  maxUncompressedBytes: 1024 * 1024,
  maxZipEntries: 100,
};

type Delimiter = ',' | ';' | '\t';
type Encoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/**
 * Characters that stress the tokeniser: every candidate delimiter, quotes,
 * line breaks, spaces, Latin-1 letters, a 3-byte UTF-8 '€', CJK, and an emoji
 * (a surrogate pair, 4 UTF-8 bytes).
 */
const cellCharacter = fc.constantFrom('a', 'Z', '7', ' ', ',', ';', '\t', '"', '\r', '\n', 'é', 'Ü', 'ñ', '€', '中', '😀');
const cell = fc.string({ unit: cellCharacter, maxLength: 8 });
const table = fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 12 });

/**
 * "minimal" quotes a field only when it has to: it holds a quote, a line
 * break or any candidate delimiter (left bare, a `;` in a comma file would
 * make the delimiter genuinely ambiguous), or it is the only, empty field of
 * its row — which unquoted would be a blank line (Python's csv module writes
 * `""` there too).
 */
function writeCsv(rows: string[][], delimiter: Delimiter, quoting: 'minimal' | 'all', lineEnd: string, finalLineEnd: boolean) {
  const field = (text: string, row: string[]) => {
    const mustQuote = quoting === 'all' || /[",;\t\r\n]/.test(text) || (row.length === 1 && text === '');
    return mustQuote ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const records = rows.map((row) => row.map((text) => field(text, row)).join(delimiter));
  return { text: records.join(lineEnd) + (finalLineEnd ? lineEnd : ''), records };
}

/** 1 + the line breaks (CRLF, CR or LF) before each record: where the reader should say it starts. */
function startLines(records: string[], lineEnd: string): number[] {
  let line = 1;
  return records.map((record) => {
    const start = line;
    line += (record.match(/\r\n|\r|\n/g)?.length ?? 0) + (lineEnd ? 1 : 0);
    return start;
  });
}

/** Windows-1252 only for text it can hold without looking like UTF-8: ASCII and À–ÿ (bytes 0xC0–0xFF, never continuation bytes). */
const fitsWindows1252 = (text: string) => /^[\u0000-\u007f\u00c0-\u00ff]*$/u.test(text);

function encode(text: string, encoding: Encoding): Buffer {
  switch (encoding) {
    case 'utf-8':
      return Buffer.from(text, 'utf8');
    case 'utf-8-bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    case 'utf-16le':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf16le')]);
    case 'utf-16be':
      return Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf16be')]);
    case 'windows-1252':
      return iconv.encode(text, 'windows1252');
  }
}

function expectedEncoding(text: string, encoding: Encoding): string {
  if (encoding === 'utf-8-bom') return 'utf-8';
  // Pure ASCII is the same bytes in both, and reported as UTF-8.
  if (encoding === 'windows-1252' && /^[\u0000-\u007f]*$/.test(text)) return 'utf-8';
  return encoding;
}

/** Splits bytes at the given chunk sizes (cycled): cuts land inside multi-byte characters and CRLFs. */
async function* inChunks(bytes: Buffer, sizes: number[]): AsyncGenerator<Uint8Array> {
  let start = 0;
  for (let i = 0; start < bytes.length; i++) {
    const size = sizes[i % sizes.length]!;
    yield bytes.subarray(start, start + size);
    start += size;
  }
}

describe('openCsv round trip (property)', () => {
  it('reads back any table, whatever the delimiter, quoting, line end, encoding and chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        table,
        fc.constantFrom<Delimiter>(',', ';', '\t'),
        fc.constantFrom<'minimal' | 'all'>('minimal', 'all'),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.boolean(),
        fc.constantFrom<Encoding>('utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be', 'windows-1252'),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 6 }),
        async (rows, delimiter, quoting, lineEnd, finalLineEnd, wantedEncoding, chunkSizes) => {
          const { text, records } = writeCsv(rows, delimiter, quoting, lineEnd, finalLineEnd);
          const encoding = wantedEncoding === 'windows-1252' && !fitsWindows1252(text) ? 'utf-8' : wantedEncoding;

          const { description, batches } = await openCsv(inChunks(encode(text, encoding), chunkSizes), limits);
          const readRows: RawRow[] = [];
          for await (const batch of batches) readRows.push(...batch);

          expect(readRows.map((row) => row.cells)).toEqual(rows);
          expect(readRows.map((row) => row.line)).toEqual(startLines(records, lineEnd));
          expect(description.encoding).toBe(expectedEncoding(text, encoding));
          if (rows.some((row) => row.length > 1)) expect(description.delimiter).toBe(delimiter);
        },
      ),
      { numRuns: 300 },
    );
  });
});
