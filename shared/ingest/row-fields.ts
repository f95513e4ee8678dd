// One data row's cells by revperf field (a column plan resolved once per
// header), one rejection per bad field, and the per-upload caches that parse
// each distinct date text once.
import type * as z from 'zod';
import type { UploadKind } from '../adapters/bucket-layout.js';
import { isLocalDate } from '../domain/local-date.js';
import type { LocalDate } from '../domain/types.js';
import { FIELDS_BY_KIND, type FieldOf } from './presets.js';
import type { RawCell, RawRow, RejectedRow } from './types.js';
import { cellText, isBlankCell, parseDate, type DateOptions, type ValueResult } from './values.js';

/** Labels for rejection reasons: `closeDate` → `close date`. */
export function fieldLabel(field: string): string {
  return field.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

// ---------------------------------------------------------------- columns

/** Every field some kind of upload reads. */
export type Field = FieldOf<UploadKind>;
const ALL_FIELDS: readonly Field[] = [...new Set(Object.values(FIELDS_BY_KIND).flat())];

/** The column of a field the file does not have. */
export const NO_COLUMN = -1;

/**
 * Where each field is in this file, resolved once when the header is
 * recognised, so a row reads its cells by index rather than looking fields up
 * by name (the deal path did that a dozen times per row). Every plan has every
 * field, NO_COLUMN where absent, so all plans share one shape and reading one
 * stays a plain property load.
 */
export type ColumnPlan = Readonly<Record<Field, number>>;

export function columnPlan(indexes: Readonly<Record<string, number>>): ColumnPlan {
  const plan = {} as Record<Field, number>;
  for (const field of ALL_FIELDS) plan[field] = indexes[field] ?? NO_COLUMN;
  return plan;
}

export const NO_COLUMNS = columnPlan({});

/** Blank is null, anything else its text: optional text fields. */
export function optionalText(cell: RawCell): string | null {
  return isBlankCell(cell) ? null : cellText(cell);
}

// ---------------------------------------------------------------- one row's fields

/** The cells of one data row by revperf field, collecting one rejection per bad field. */
export class RowFields {
  readonly rejections: RejectedRow[] = [];
  /** False once a date was read that was not checked as a LocalDate when first parsed (XLSX dates, serials). */
  datesChecked = true;

  constructor(
    private readonly row: RawRow,
    private readonly columns: ColumnPlan,
  ) {}

  /** The cell in a column of the plan; null where the file lacks the column or the row is short of it. */
  at(column: number): RawCell {
    return column === NO_COLUMN ? null : (this.row.cells[column] ?? null);
  }

  cell(field: Field): RawCell {
    return this.at(this.columns[field]);
  }

  text(field: Field): string {
    return cellText(this.cell(field));
  }

  /** The text of a field, or '' for a name that is no field (`row`, a column revperf does not read). */
  private textOf(field: string): string {
    return Object.hasOwn(this.columns, field) ? this.text(field as Field) : '';
  }

  blank(field: Field): boolean {
    return isBlankCell(this.cell(field));
  }

  /** The parsed value of a field, or undefined after recording why it is bad. */
  read<T>(field: string, result: ValueResult<T>): T | undefined {
    if (result.ok) return result.value;
    this.reject(field, `${fieldLabel(field)} ${result.reason}`);
    return undefined;
  }

  /** Optional fields: blank is null, anything else must parse. */
  optional<T>(field: Field, parse: (cell: RawCell) => ValueResult<T>): T | null | undefined {
    return this.blank(field) ? null : this.read(field, parse(this.cell(field)));
  }

  reject(field: string, reason: string, value = this.textOf(field)): void {
    // A row has a handful of rejections at most: a scan beats a Set allocated for every row.
    for (const rejection of this.rejections) if (rejection.field === field) return;
    this.rejections.push({ line: this.row.line, field, value, reason });
  }

  /** Validates the assembled entity; fields already rejected while parsing are not reported twice. */
  validate<T>(schema: z.ZodType<T>, candidate: Record<string, unknown>): T | undefined {
    const result = schema.safeParse(candidate);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const field = String(issue.path[0] ?? 'row');
        // Undefined means a field (or one it depends on, like the close date for
        // the fx rate) was already rejected; the row's reasons say why.
        if (candidate[field] === undefined && this.rejections.length > 0) continue;
        const message = issue.code === 'invalid_type' ? 'is required' : issue.message;
        this.reject(field, `${fieldLabel(field)} ${message}`);
      }
    }
    return this.rejections.length === 0 && result.success ? result.data : undefined;
  }
}

/** Parse results by cell text, bounded so a column of free text cannot grow it without end. */
export class ParsedTexts<T> {
  private readonly results = new Map<string, T>();

  constructor(private readonly limit = 10_000) {}

  get(text: string): T | undefined {
    return this.results.get(text);
  }

  set(text: string, result: T): void {
    if (this.results.size >= this.limit) this.results.clear();
    this.results.set(text, result);
  }
}

/** A date cell's parse result, and whether its value passed isLocalDate (checked once, when first parsed). */
export interface ParsedDate {
  result: ValueResult<LocalDate>;
  checked: boolean;
}

const NO_DATE_KEY = -1;

/** The number `text[from, from + count)` spells in ASCII digits, or -1 if any character is not one. */
function digitsValue(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * An integer that names the text exactly, for `2026-03-05` and `3/5/2026` (one- or two-digit month and day, four-digit
 * year) — the forms nearly every export writes — or NO_DATE_KEY for any other text. The key holds every digit's value
 * and each part's length, so two texts share a key only if they are equal, and a cached parse is that text's own.
 * An integer key spares hashing a fresh cell string on every lookup.
 */
function numericDateKey(text: string): number {
  const length = text.length;
  if (length === 10 && text.charCodeAt(4) === 0x2d /* - */ && text.charCodeAt(7) === 0x2d) {
    const year = digitsValue(text, 0, 4);
    const month = digitsValue(text, 5, 2);
    const day = digitsValue(text, 8, 2);
    if (year < 0 || month < 0 || day < 0) return NO_DATE_KEY;
    return ((year * 100 + month) * 100 + day) * 8; // even: year first
  }
  const firstSlash = text.charCodeAt(1) === 0x2f /* / */ ? 1 : text.charCodeAt(2) === 0x2f ? 2 : -1;
  const secondSlash = length - 5;
  if (firstSlash === -1 || text.charCodeAt(secondSlash) !== 0x2f) return NO_DATE_KEY;
  const secondLength = secondSlash - firstSlash - 1;
  if (secondLength < 1 || secondLength > 2) return NO_DATE_KEY;
  const first = digitsValue(text, 0, firstSlash);
  const second = digitsValue(text, firstSlash + 1, secondLength);
  const year = digitsValue(text, secondSlash + 1, 4);
  if (first < 0 || second < 0 || year < 0) return NO_DATE_KEY;
  return (((year * 100 + first) * 100 + second) * 4 + (firstSlash - 1) * 2 + (secondLength - 1)) * 2 + 1; // odd: slashed
}

/** Date cells of one upload parsed once per distinct text: by integer key for the common forms, else by text. */
export class ParsedDates {
  private readonly byKey = new Map<number, ParsedDate>();
  private readonly byText = new ParsedTexts<ParsedDate>();

  constructor(
    private readonly options: DateOptions,
    private readonly limit = 10_000,
  ) {}

  parse(text: string): ParsedDate {
    const key = numericDateKey(text);
    if (key === NO_DATE_KEY) {
      let date = this.byText.get(text);
      if (date === undefined) {
        date = this.parsed(text);
        this.byText.set(text, date);
      }
      return date;
    }
    let date = this.byKey.get(key);
    if (date === undefined) {
      date = this.parsed(text);
      if (this.byKey.size >= this.limit) this.byKey.clear();
      this.byKey.set(key, date);
    }
    return date;
  }

  private parsed(text: string): ParsedDate {
    const result = parseDate(text, this.options);
    return { result, checked: result.ok && isLocalDate(result.value) };
  }
}

export type EntityResult<T> = { value: T } | { skip: string } | { rejected: true; id?: string };
