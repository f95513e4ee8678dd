// What a file's own values say about how to read them: the order of its
// slashed dates (25/03/2026 can only be day-first) and its decimal mark
// (1.234,56 can only be a decimal comma). Inspect compares it with the
// config; init writes it into the config.
import type { RawCell } from '../ingest/types.js';
import { cellText, parseAmount, type DateOrder, type DecimalMark } from '../ingest/values.js';

export interface ValueExample {
  value: string;
  line: number;
}

// Only `/` and `-` dates follow ingest.dateOrder; dotted ones are always day-first and
// year-first ones are unambiguous (see values.ts readNumericDateParts / readDateParts).
const ORDERED_DATE = /^(\d{1,2})[/-](\d{1,2})[/-](\d{4}|\d{2})(?:[T\s,].*)?$/;

export interface DateOrderEvidence {
  /** Dates whose order the config decides (`03/04/2026`, `25/03/2026`). */
  ordered: number;
  /** Of those, dates only day-first can read (first number above 12), with the first one. */
  dayFirst: { count: number; example: ValueExample | null };
  /** Dates only month-first can read (second number above 12). */
  monthFirst: { count: number; example: ValueExample | null };
  /** Dates either order reads (both numbers 12 or less). */
  either: number;
}

export class DateOrderTally {
  private readonly evidence: DateOrderEvidence = { ordered: 0, dayFirst: { count: 0, example: null }, monthFirst: { count: 0, example: null }, either: 0 };

  add(cell: RawCell, line: number): void {
    if (typeof cell !== 'string') return; // XLSX dates and serials carry no order
    const text = cellText(cell);
    const match = ORDERED_DATE.exec(text);
    if (!match) return;
    const first = Number(match[1]);
    const second = Number(match[2]);
    this.evidence.ordered += 1;
    const side = first > 12 && second <= 12 ? this.evidence.dayFirst : second > 12 && first <= 12 ? this.evidence.monthFirst : null;
    if (side === null) {
      if (first <= 12 && second <= 12) this.evidence.either += 1;
      return;
    }
    side.count += 1;
    side.example ??= { value: text, line };
  }

  merge(other: DateOrderTally): void {
    const theirs = other.result();
    this.evidence.ordered += theirs.ordered;
    this.evidence.either += theirs.either;
    for (const side of ['dayFirst', 'monthFirst'] as const) {
      this.evidence[side].count += theirs[side].count;
      this.evidence[side].example ??= theirs[side].example;
    }
  }

  result(): DateOrderEvidence {
    return structuredClone(this.evidence);
  }
}

export type DateOrderVerdict =
  /** No date depends on the order. */
  | { kind: 'none' }
  /** Every such date reads either way: the order is a decision, not a finding. */
  | { kind: 'ambiguous'; count: number }
  | { kind: 'proven'; order: DateOrder; example: ValueExample }
  /** Dates only day-first reads and dates only month-first reads, in one file. */
  | { kind: 'conflicting'; dayFirst: ValueExample; monthFirst: ValueExample };

export function dateOrderVerdict(evidence: DateOrderEvidence): DateOrderVerdict {
  const { dayFirst, monthFirst } = evidence;
  if (dayFirst.example && monthFirst.example) return { kind: 'conflicting', dayFirst: dayFirst.example, monthFirst: monthFirst.example };
  if (dayFirst.example) return { kind: 'proven', order: 'dmy', example: dayFirst.example };
  if (monthFirst.example) return { kind: 'proven', order: 'mdy', example: monthFirst.example };
  return evidence.ordered > 0 ? { kind: 'ambiguous', count: evidence.ordered } : { kind: 'none' };
}

export interface DecimalMarkEvidence {
  /** Amounts read (text cells only). */
  amounts: number;
  /** Amounts that prove a decimal comma (`1.234,56`, `12,5`), with the first. */
  comma: { count: number; example: ValueExample | null };
  /** Amounts that prove a decimal point (`1,234.56`, `12.5`). */
  point: { count: number; example: ValueExample | null };
}

/** Amounts as the normaliser reads them (parseAmount), keeping the proof of each decimal mark. */
export class DecimalMarkTally {
  private readonly evidence: DecimalMarkEvidence = { amounts: 0, comma: { count: 0, example: null }, point: { count: 0, example: null } };
  /** Like the normaliser: the first proven mark decides how later ambiguous amounts read. */
  private learned: DecimalMark | null = null;
  private readonly currencies = new Map<string, number>();

  constructor(private readonly reportingCurrency: string) {}

  add(cell: RawCell, line: number): void {
    if (typeof cell !== 'string' || cellText(cell) === '') return;
    const parsed = parseAmount(cell, { fileDecimalMark: this.learned, reportingCurrency: this.reportingCurrency });
    if (!parsed.ok) return;
    this.evidence.amounts += 1;
    if (parsed.value.currency?.source === 'code' || parsed.value.currency?.source === 'symbol') {
      const code = parsed.value.currency.code;
      this.currencies.set(code, (this.currencies.get(code) ?? 0) + 1);
    }
    const mark = parsed.value.decimalMark;
    if (mark === null) return;
    this.learned ??= mark;
    const side = mark === ',' ? this.evidence.comma : this.evidence.point;
    side.count += 1;
    side.example ??= { value: cellText(cell), line };
  }

  result(): DecimalMarkEvidence {
    return structuredClone(this.evidence);
  }

  /** Currencies the amounts name themselves (`€`, `USD 1,200`), by how many amounts. */
  namedCurrencies(): Map<string, number> {
    return new Map(this.currencies);
  }
}

/** The mark ingest will use for `1,234` and `1.234`: the first one the file proves, else neither (read as thousands). */
export function decimalMarkUsed(evidence: DecimalMarkEvidence): DecimalMark | null {
  const { comma, point } = evidence;
  if (comma.example && point.example) return comma.example.line <= point.example.line ? ',' : '.';
  return comma.example ? ',' : point.example ? '.' : null;
}
