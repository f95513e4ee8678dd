// Contracts between the file readers (CSV/XLSX → raw rows), the normaliser
// (raw rows → validated entities) and the ingest use case.
import type { Deal, FxRate, KeyAccount, Person, Quota, SourcePreset } from '../domain/types.js';
import type { UploadKind } from '../adapters/bucket-layout.js';

/**
 * One cell as read from a file. CSV cells are always strings. XLSX cells keep
 * their type: numbers, booleans, dates (a `Date` whose UTC fields are the
 * wall-clock value Excel shows), formula results as their cached value, rich
 * text flattened to a string. Empty cells are null.
 */
export type RawCell = string | number | boolean | Date | null;

export interface RawRow {
  /** 1-based line (CSV: physical line where the record starts) or row number (XLSX) in the file. */
  line: number;
  cells: RawCell[];
  /**
   * Indexes of cells longer than the `maxCellChars` limit. Their text is cut at
   * the limit (never buffered further) and the row is kept, so the normaliser
   * can reject it with a reason while the rest of the file still loads.
   */
  oversizedCells?: number[];
  /**
   * Why the reader could not read this row cleanly (e.g. a quoted field still
   * open at the end of the file). The cells hold what was read.
   */
  malformed?: string;
}

export type FileFormat = 'csv' | 'xlsx';

/** What the reader detected about a file, reported in the ingest report. */
export interface FileDescription {
  format: FileFormat;
  /** CSV only. */
  encoding?: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
  delimiter?: ',' | ';' | '\t';
  /** XLSX only. */
  sheet?: string;
}

/** A file the reader refuses as a whole (not a spreadsheet, too big, zip bomb …). */
export class UnreadableFileError extends Error {
  constructor(
    readonly reason: string,
    readonly code:
      | 'empty'
      | 'not-a-spreadsheet'
      | 'too-large'
      | 'too-many-rows'
      | 'zip-bomb'
      | 'no-header'
      | 'missing-columns'
      | 'unsupported'
      | 'gone',
  ) {
    super(reason);
    this.name = 'UnreadableFileError';
  }
}

export interface RejectedRow {
  line: number;
  /** The revperf field (or source column) at fault; `row` when the whole row is wrong. */
  field: string;
  value: string;
  reason: string;
}

export interface SkippedRow {
  line: number;
  reason: string;
}

/** Entities accepted from one upload, by kind. */
export type AcceptedEntity =
  | { kind: 'deals'; line: number; value: Deal }
  | { kind: 'people'; line: number; value: Person }
  | { kind: 'quotas'; line: number; value: Quota }
  | { kind: 'accounts'; line: number; value: KeyAccount }
  | { kind: 'fx'; line: number; value: FxRate };

export interface IngestCounts {
  /** Data rows read after the header (blank lines not counted). */
  read: number;
  accepted: number;
  /** Footer/total/blank-ish rows dropped on purpose. */
  skipped: number;
  rejected: number;
  /** Rows whose id appeared again later in the same file (the later row wins). */
  duplicates: number;
}

export interface IngestReport {
  uploadKey: string;
  bucket: string;
  versionId: string | null;
  kind: UploadKind | null;
  status: 'loaded' | 'loaded-with-rejections' | 'refused' | 'ignored-older-version' | 'duplicate-event';
  /** Why a file was refused as a whole, or why a full deals export was held (it would remove more than half of its scope). */
  refusal: string | null;
  file: FileDescription | null;
  preset: SourcePreset | null;
  /** revperf field → header in the file. */
  columns: Record<string, string>;
  counts: IngestCounts;
  rejected: RejectedRow[];
  /** Rejected rows beyond this many are counted but not listed in the JSON (all are in the CSV). */
  rejectedListedLimit: number;
  skipped: SkippedRow[];
  /** Data-quality findings that are not rejections (unknown owners, duplicate ids, deals marked removed …). */
  findings: string[];
  /** Deals marked removed because a full export no longer had them. */
  removedDeals: number;
  /** Accepted deals the table already held exactly as the file has them: not written again. */
  unchangedDeals: number;
  startedAt: string;
  finishedAt: string;
}
