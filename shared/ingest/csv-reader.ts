// Streams a CSV upload into batches of raw rows: sniffs the encoding and delimiter from
// the first bytes, then tokenises decoded text chunk by chunk. Nothing holds
// the file; memory stays flat however long it is. This is the hot path of the
// ingest benchmark, so the tokeniser jumps between quotes, delimiters and line
// breaks with indexOf and slices instead of walking characters.
import { isAscii, isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { describeBinary, hasUtf16Bom, sniffFormat, type ReaderLimits } from './file-format.js';
import { UnreadableFileError, type FileDescription, type RawRow } from './types.js';

export type CsvEncoding = NonNullable<FileDescription['encoding']>;
export type CsvDelimiter = NonNullable<FileDescription['delimiter']>;

/** Enough text to sniff the delimiter from the first few dozen records. */
const HEAD_BYTES = 64 * 1024;
/** Source chunks are cut to this size so one huge chunk cannot pile up thousands of rows. */
const MAX_DECODE_BYTES = 64 * 1024;
const SNIFF_RECORDS = 50;
/** Excel's column limit; a "row" wider than this is garbage, and must not grow an array without end. */
const MAX_CSV_COLUMNS = 16_384;

const ICONV_NAMES: Record<CsvEncoding, 'utf8' | 'utf16le' | 'utf16be' | 'windows1252'> = {
  'utf-8': 'utf8',
  'utf-16le': 'utf16le',
  'utf-16be': 'utf16be',
  'windows-1252': 'windows1252',
};

/**
 * Opens a CSV byte stream. Resolves once the head is sniffed; `batches` then
 * reads the rest lazily, handing over the records completed by each decoded
 * chunk as one array (a few hundred rows; never empty): one `await` per chunk
 * instead of one per row, which on a million-row file is a large share of the
 * time. Refuses the file with an UnreadableFileError when it is empty, binary,
 * a zip, or (while reading rows) over `maxFileBytes` / `maxRows`. A refusal
 * mid-stream comes after a last batch holding every row before the point of
 * refusal; the caller decides what those rows are worth.
 *
 * `description.encoding` is what the first bytes show. A file that is pure
 * ASCII at first is decided at its first non-ASCII byte, and the description
 * is updated then (it is final once `batches` is exhausted).
 *
 * CSV cells are strings; an empty field is `''`. Fully blank lines are skipped.
 */
export async function openCsv(
  source: AsyncIterable<Uint8Array>,
  limits: ReaderLimits,
): Promise<{ description: FileDescription; batches: AsyncGenerator<RawRow[]> }> {
  const chunks = limitedChunks(source, limits.maxFileBytes);
  const head = await readHead(chunks);
  const headBytes = Buffer.concat(head.chunks);
  try {
    refuseNonCsv(headBytes);
  } catch (error) {
    await chunks.return(undefined);
    throw error;
  }
  const decoder = new CsvTextDecoder(headBytes);
  // Decoded chunk by chunk like the rest, so every chunk boundary takes the same path.
  const headTexts = head.chunks.map((chunk) => decoder.decode(chunk));
  const delimiter = sniffDelimiter(headTexts.join(''), head.isWholeFile);
  const description: FileDescription = { format: 'csv', encoding: decoder.encoding ?? 'utf-8', delimiter };

  async function* readBatches(): AsyncGenerator<RawRow[]> {
    const tokenizer = new CsvTokenizer(delimiter, limits);
    try {
      for (const text of headTexts) tokenizer.write(text);
      for (;;) {
        if (tokenizer.hasRecords()) yield tokenizer.takeRecords();
        description.encoding = decoder.encoding ?? 'utf-8';
        const next = await chunks.next();
        if (next.done) break;
        tokenizer.write(decoder.decode(next.value));
      }
      tokenizer.write(decoder.end());
      tokenizer.end();
      description.encoding = decoder.encoding ?? 'utf-8';
      if (tokenizer.hasRecords()) yield tokenizer.takeRecords();
    } catch (error) {
      // The records completed before a refusal in the same chunk come first, so the
      // refusal falls exactly where the file went over a limit, not at a chunk boundary.
      if (tokenizer.hasRecords()) yield tokenizer.takeRecords();
      throw error;
    } finally {
      await chunks.return(undefined);
    }
  }

  return { description, batches: readBatches() };
}

function refuseNonCsv(head: Buffer): void {
  if (head.length === 0) throw new UnreadableFileError('the file is empty', 'empty');
  const format = sniffFormat(head);
  if (format === 'xlsx') {
    throw new UnreadableFileError('the file is a zip archive (an XLSX workbook?), not CSV text', 'unsupported');
  }
  if (format === 'binary') {
    throw new UnreadableFileError(`the file is ${describeBinary(head)}`, 'not-a-spreadsheet');
  }
}

/** Counts bytes against the file limit and cuts large source chunks into decoder-sized pieces. */
async function* limitedChunks(source: AsyncIterable<Uint8Array>, maxFileBytes: number): AsyncGenerator<Buffer> {
  let bytesRead = 0;
  for await (const chunk of source) {
    bytesRead += chunk.byteLength;
    if (bytesRead > maxFileBytes) {
      throw new UnreadableFileError(`the file is larger than the ${maxFileBytes}-byte limit`, 'too-large');
    }
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (let start = 0; start < bytes.length; start += MAX_DECODE_BYTES) {
      yield bytes.subarray(start, start + MAX_DECODE_BYTES);
    }
  }
}

async function readHead(chunks: AsyncGenerator<Buffer>): Promise<{ chunks: Buffer[]; isWholeFile: boolean }> {
  const head: Buffer[] = [];
  let length = 0;
  while (length < HEAD_BYTES) {
    const next = await chunks.next();
    if (next.done) return { chunks: head, isWholeFile: true };
    head.push(next.value);
    length += next.value.length;
  }
  return { chunks: head, isWholeFile: false };
}

// ---------------------------------------------------------------------------
// Encoding

function bomEncoding(head: Uint8Array): CsvEncoding | undefined {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (hasUtf16Bom(head)) return head[0] === 0xff ? 'utf-16le' : 'utf-16be';
  return undefined;
}

/** Bytes at the end that start a UTF-8 character whose remaining bytes are in the next chunk. */
function incompleteUtf8TailLength(bytes: Uint8Array): number {
  for (let back = 1; back <= 3 && back <= bytes.length; back++) {
    const byte = bytes[bytes.length - back]!;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? back : 0;
  }
  return 0;
}

function indexOfNonAscii(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return i;
  return -1;
}

/**
 * BOM → that encoding. Otherwise the first non-ASCII bytes decide: valid
 * UTF-8 → UTF-8, anything else → Windows-1252 (what Excel on Windows writes as
 * "CSV"). Until then every byte is ASCII, which both encodings read alike.
 */
class CsvTextDecoder {
  encoding: CsvEncoding | undefined;
  private decoder: iconv.DecoderStream | undefined;
  /** The start of a possibly multi-byte character cut at a chunk end, while undecided. */
  private pending: Buffer | undefined;

  constructor(head: Uint8Array) {
    const bom = bomEncoding(head);
    if (bom) this.decideOn(bom);
  }

  decode(chunk: Buffer): string {
    if (this.decoder) return this.decoder.write(chunk);
    const bytes = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = undefined;
    if (isAscii(bytes)) return bytes.toString('latin1');
    const firstNonAscii = indexOfNonAscii(bytes);
    const asciiPrefix = bytes.toString('latin1', 0, firstNonAscii);
    const rest = bytes.subarray(firstNonAscii);
    const evidence = rest.subarray(0, rest.length - incompleteUtf8TailLength(rest));
    if (evidence.length === 0) {
      this.pending = Buffer.from(rest);
      return asciiPrefix;
    }
    const decoder = this.decideOn(isUtf8(evidence) ? 'utf-8' : 'windows-1252');
    return asciiPrefix + decoder.write(rest);
  }

  end(): string {
    if (this.pending) {
      // The file ended inside what could only have been a UTF-8 character: it is not UTF-8.
      const text = this.decideOn('windows-1252').write(this.pending);
      this.pending = undefined;
      return text + (this.decoder?.end() ?? '');
    }
    return this.decoder?.end() ?? '';
  }

  private decideOn(encoding: CsvEncoding): iconv.DecoderStream {
    this.encoding = encoding;
    this.decoder = iconv.getDecoder(ICONV_NAMES[encoding]);
    return this.decoder;
  }
}

// ---------------------------------------------------------------------------
// Delimiter

const CANDIDATE_DELIMITERS: readonly CsvDelimiter[] = [',', ';', '\t'];

/** Per record in the head: how often each candidate occurs outside quotes. Blank lines are left out. */
function countDelimitersPerRecord(text: string, isWholeFile: boolean): number[][] {
  const records: number[][] = [];
  let counts = [0, 0, 0];
  let hasContent = false;
  let inQuotes = false;
  for (let i = 0; i < text.length && records.length < SNIFF_RECORDS; i++) {
    const c = text[i];
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (c === '\n' || c === '\r')) {
      if (hasContent) records.push(counts);
      counts = [0, 0, 0];
      hasContent = false;
      continue;
    } else if (!inQuotes) {
      const candidate = CANDIDATE_DELIMITERS.indexOf(c as CsvDelimiter);
      if (candidate >= 0) counts[candidate]!++;
    }
    hasContent = true;
  }
  // A head cut mid-record would undercount its last record.
  if (hasContent && isWholeFile && records.length < SNIFF_RECORDS) records.push(counts);
  return records;
}

/**
 * The delimiter is the candidate that splits the most records into the same
 * number of fields (a title line above the header, or decimal commas in a
 * semicolon file, do not fool it); ties go to more fields, then to `,`.
 * A file where no candidate occurs is a single-column file: `,`.
 */
export function sniffDelimiter(text: string, isWholeFile = true): CsvDelimiter {
  const records = countDelimitersPerRecord(text, isWholeFile);
  let best: { delimiter: CsvDelimiter; consistency: number; fields: number } = {
    delimiter: ',',
    consistency: 0,
    fields: 0,
  };
  CANDIDATE_DELIMITERS.forEach((delimiter, candidate) => {
    const frequency = new Map<number, number>();
    for (const counts of records) {
      const count = counts[candidate]!;
      if (count > 0) frequency.set(count, (frequency.get(count) ?? 0) + 1);
    }
    let usualCount = 0;
    let recordsWithUsualCount = 0;
    for (const [count, times] of frequency) {
      if (times > recordsWithUsualCount || (times === recordsWithUsualCount && count > usualCount)) {
        usualCount = count;
        recordsWithUsualCount = times;
      }
    }
    const consistency = recordsWithUsualCount / records.length;
    if (
      usualCount > 0 &&
      (consistency > best.consistency || (consistency === best.consistency && usualCount > best.fields))
    ) {
      best = { delimiter, consistency, fields: usualCount };
    }
  });
  return best.delimiter;
}

// ---------------------------------------------------------------------------
// Tokeniser

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

// Where the tokeniser stands when a chunk ends.
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
/** The chunk ended on a quote inside a quoted field: closing quote or the first half of `""`. */
const QUOTE_IN_QUOTED = 3;
const AFTER_CLOSING_QUOTE = 4;

/**
 * RFC 4180 tokeniser over decoded text chunks. Completed records collect until
 * taken; a record cut by a chunk end continues with the next chunk. Fields are
 * slices of the chunk; text is concatenated only where a field spans chunks or
 * holds a doubled quote.
 */
class CsvTokenizer {
  private cells: string[] = [];
  private field = '';
  private fieldQuoted = false;
  private fieldOversized = false;
  private oversizedCells: number[] | undefined;
  private malformed: string | undefined;
  private state = FIELD_START;
  /** Physical line at the cursor, and where the current record started. */
  private line = 1;
  private recordLine = 1;
  private quoteOpenedOnLine = 1;
  /** The last chunk ended with a CR that ended a record; a leading LF completes that CRLF. */
  private lfMayFollowCr = false;
  /** The last chunk ended with a CR inside a quoted field, already counted as a line break. */
  private quotedCrAtChunkEnd = false;
  private rowsRead = 0;
  /** Records completed since the last `takeRecords`. */
  private records: RawRow[] = [];
  private readonly delimiterCode: number;
  private readonly maxCellChars: number;
  private readonly maxRows: number;

  constructor(
    private readonly delimiter: string,
    limits: Pick<ReaderLimits, 'maxCellChars' | 'maxRows'>,
  ) {
    this.delimiterCode = delimiter.charCodeAt(0);
    this.maxCellChars = limits.maxCellChars;
    this.maxRows = limits.maxRows;
  }

  hasRecords(): boolean {
    return this.records.length > 0;
  }

  /** The records completed so far, as a fresh array the caller keeps. */
  takeRecords(): RawRow[] {
    const records = this.records;
    this.records = [];
    return records;
  }

  write(s: string): void {
    const n = s.length;
    if (n === 0) return;
    let i = 0;
    if (this.lfMayFollowCr) {
      this.lfMayFollowCr = false;
      if (s.charCodeAt(0) === LF) i = 1;
    }
    if (this.quotedCrAtChunkEnd) {
      this.quotedCrAtChunkEnd = false;
      if (s.charCodeAt(0) === LF) this.line--; // the LF below completes that CRLF: one line break, not two
    }
    // Next occurrence at or after the cursor, or -1 when the chunk has none left; refreshed only once passed.
    let nextDelimiter = s.indexOf(this.delimiter, i);
    let nextLf = s.indexOf('\n', i);
    let nextCr = s.indexOf('\r', i);

    while (i < n) {
      switch (this.state) {
        case FIELD_START:
        case UNQUOTED: {
          if (this.state === FIELD_START) {
            if (s.charCodeAt(i) === QUOTE) {
              this.fieldQuoted = true;
              this.quoteOpenedOnLine = this.line;
              this.state = QUOTED;
              i++;
              break;
            }
            this.state = UNQUOTED;
          }
          if (nextDelimiter !== -1 && nextDelimiter < i) nextDelimiter = s.indexOf(this.delimiter, i);
          if (nextLf !== -1 && nextLf < i) nextLf = s.indexOf('\n', i);
          if (nextCr !== -1 && nextCr < i) nextCr = s.indexOf('\r', i);
          const lineEnd = nextCr === -1 ? nextLf : nextLf === -1 ? nextCr : nextLf < nextCr ? nextLf : nextCr;
          if (nextDelimiter !== -1 && (lineEnd === -1 || nextDelimiter < lineEnd)) {
            this.appendText(s, i, nextDelimiter);
            this.endField();
            i = nextDelimiter + 1;
          } else if (lineEnd !== -1) {
            this.appendText(s, i, lineEnd);
            this.endRecord();
            i = this.skipLineBreak(s, lineEnd);
          } else {
            this.appendText(s, i, n);
            i = n;
          }
          break;
        }
        case QUOTED: {
          const quote = s.indexOf('"', i);
          const end = quote === -1 ? n : quote;
          // Line breaks inside the field still move the physical line on.
          if (nextLf !== -1 && nextLf < i) nextLf = s.indexOf('\n', i);
          while (nextLf !== -1 && nextLf < end) {
            this.line++;
            nextLf = s.indexOf('\n', nextLf + 1);
          }
          if (nextCr !== -1 && nextCr < i) nextCr = s.indexOf('\r', i);
          while (nextCr !== -1 && nextCr < end) {
            if (nextCr + 1 === n) this.quotedCrAtChunkEnd = true;
            if (s.charCodeAt(nextCr + 1) !== LF) this.line++;
            nextCr = s.indexOf('\r', nextCr + 1);
          }
          this.appendText(s, i, end);
          if (quote === -1) {
            i = n;
          } else if (quote + 1 === n) {
            this.state = QUOTE_IN_QUOTED;
            i = n;
          } else {
            const next = s.charCodeAt(quote + 1);
            if (next === QUOTE) {
              this.appendText('"', 0, 1);
              i = quote + 2;
            } else if (next === this.delimiterCode && s.charCodeAt(quote + 2) === QUOTE) {
              // Fast path for exports that quote every field ("a","b"): straight into the next one.
              this.endField();
              this.fieldQuoted = true;
              this.quoteOpenedOnLine = this.line;
              this.state = QUOTED;
              i = quote + 3;
            } else {
              this.state = AFTER_CLOSING_QUOTE;
              i = quote + 1;
            }
          }
          break;
        }
        case QUOTE_IN_QUOTED:
          if (s.charCodeAt(i) === QUOTE) {
            this.appendText('"', 0, 1);
            this.state = QUOTED;
            i++;
          } else {
            this.state = AFTER_CLOSING_QUOTE;
          }
          break;
        case AFTER_CLOSING_QUOTE: {
          const c = s.charCodeAt(i);
          if (c === this.delimiterCode) {
            this.endField();
            i++;
          } else if (c === LF || c === CR) {
            this.endRecord();
            i = this.skipLineBreak(s, i);
          } else {
            // Text after a closing quote ("abc"def) is kept, as spreadsheets do.
            this.state = UNQUOTED;
          }
          break;
        }
      }
    }
  }

  /** The file ended: completes the last record, flagging one cut off inside quotes. */
  end(): void {
    if (this.state === QUOTED) {
      this.malformed = `the quoted field opened on line ${this.quoteOpenedOnLine} is never closed; the row holds the rest of the file`;
    }
    this.endRecord();
  }

  private appendText(s: string, start: number, end: number): void {
    if (start === end || this.fieldOversized) return;
    const room = this.maxCellChars - this.field.length;
    if (end - start <= room) {
      this.field += s.slice(start, end);
      return;
    }
    // Keep the limit's worth and drop the rest as it streams by.
    let cut = start + room;
    const last = s.charCodeAt(cut - 1);
    if (last >= 0xd800 && last <= 0xdbff) cut--; // never leave half a surrogate pair
    this.field += s.slice(start, cut);
    this.fieldOversized = true;
  }

  private endField(): void {
    if (this.cells.length < MAX_CSV_COLUMNS) {
      if (this.fieldOversized) (this.oversizedCells ??= []).push(this.cells.length);
      this.cells.push(this.field);
    } else {
      this.malformed ??= `the row has more than ${MAX_CSV_COLUMNS} columns; the extra cells were dropped`;
    }
    this.field = '';
    this.fieldQuoted = false;
    this.fieldOversized = false;
    this.state = FIELD_START;
  }

  private endRecord(): void {
    const blankLine = this.cells.length === 0 && this.field === '' && !this.fieldQuoted && this.malformed === undefined;
    if (!blankLine) {
      this.endField();
      this.emitRecord();
    }
    this.state = FIELD_START;
  }

  private emitRecord(): void {
    if (++this.rowsRead > this.maxRows) {
      throw new UnreadableFileError(`the file has more than ${this.maxRows} rows (the limit)`, 'too-many-rows');
    }
    const row: RawRow = { line: this.recordLine, cells: this.cells };
    if (this.oversizedCells) row.oversizedCells = this.oversizedCells;
    if (this.malformed) row.malformed = this.malformed;
    this.records.push(row);
    this.cells = [];
    this.oversizedCells = undefined;
    this.malformed = undefined;
  }

  /** Moves past a record-ending CR, LF or CRLF; the next record starts on the next line. */
  private skipLineBreak(s: string, at: number): number {
    this.line++;
    this.recordLine = this.line;
    if (s.charCodeAt(at) === LF) return at + 1;
    if (at + 1 === s.length) {
      this.lfMayFollowCr = true;
      return at + 1;
    }
    return s.charCodeAt(at + 1) === LF ? at + 2 : at + 1;
  }
}
