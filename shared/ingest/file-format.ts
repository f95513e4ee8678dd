// Decides from a file's first bytes which reader gets it, and the limits every
// reader enforces. Uploads are named by users, so the extension proves nothing.

/** Limits that keep one hostile or accidental upload from exhausting a Lambda. */
export interface ReaderLimits {
  /** Bytes read from the upload (CSV: the stream; XLSX: the file on disk). */
  maxFileBytes: number;
  /** Non-blank rows, header included. */
  maxRows: number;
  /** Characters in one cell; longer cells are cut and flagged in `RawRow.oversizedCells`. */
  maxCellChars: number;
  /** XLSX: total uncompressed size the zip's central directory declares. */
  maxUncompressedBytes: number;
  /** XLSX: entries in the zip. */
  maxZipEntries: number;
}

/** The reader limits of a config's `ingest` section (which carries them under the same names). */
export function readerLimits(ingest: ReaderLimits): ReaderLimits {
  const { maxFileBytes, maxRows, maxCellChars, maxUncompressedBytes, maxZipEntries } = ingest;
  return { maxFileBytes, maxRows, maxCellChars, maxUncompressedBytes, maxZipEntries };
}

const ZIP_LOCAL_FILE_HEADER = [0x50, 0x4b, 0x03, 0x04]; // "PK\x03\x04"
const OLE2_COMPOUND_FILE = [0xd0, 0xcf, 0x11, 0xe0]; // legacy .xls and password-protected workbooks

/** Text allows a few control characters: tab, LF, VT, FF, CR, and SUB (an old DOS end-of-file mark). */
const TEXT_CONTROL_CHARS = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1a]);
/** Above this share of stray control bytes the head is not text. */
const MAX_CONTROL_BYTE_SHARE = 0.01;

function startsWith(head: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((byte, i) => head[i] === byte);
}

export function hasUtf16Bom(head: Uint8Array): boolean {
  return (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);
}

/**
 * XLSX is a zip; CSV is text in any of the encodings the CSV reader decodes.
 * Anything with NUL bytes (or many control bytes) and no UTF-16 byte-order mark
 * is binary: a legacy .xls, a PDF, an image renamed to .csv.
 */
export function sniffFormat(head: Uint8Array): 'xlsx' | 'csv' | 'binary' {
  if (startsWith(head, ZIP_LOCAL_FILE_HEADER)) return 'xlsx';
  if (hasUtf16Bom(head)) return 'csv';
  let strayControls = 0;
  for (const byte of head) {
    if (byte === 0) return 'binary';
    if (byte < 0x20 && !TEXT_CONTROL_CHARS.has(byte)) strayControls++;
  }
  return strayControls > head.length * MAX_CONTROL_BYTE_SHARE ? 'binary' : 'csv';
}

/** A hint for the refusal message when a binary file was uploaded instead of CSV/XLSX. */
export function describeBinary(head: Uint8Array): string {
  return startsWith(head, OLE2_COMPOUND_FILE)
    ? 'a legacy .xls or password-protected workbook; save it as .xlsx or .csv without a password'
    : 'binary data, not CSV text or an XLSX workbook';
}
