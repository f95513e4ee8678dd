// Cell values as CRMs export them → typed values. Every parser is pure and
// returns either the value or a reason that starts with the offending value
// quoted, so the normaliser can write "amount '12,3,4' is not a number".
import { addDays, daysInMonth, formatLocalDate } from '../domain/local-date.js';
import type { CurrencyCode, FxRate, LocalDate, MinorUnits } from '../domain/types.js';
import type { RawCell } from './types.js';

export type ValueResult<T> = { ok: true; value: T } | { ok: false; reason: string };

export type DecimalMark = '.' | ',';
export type DateOrder = 'mdy' | 'dmy';

function ok<T>(value: T): ValueResult<T> {
  return { ok: true, value };
}

function fail<T>(reason: string): ValueResult<T> {
  return { ok: false, reason };
}

/** The text of a cell as a user would read it back in a rejection. */
export function cellText(cell: RawCell): string {
  // Strings first: every CSV cell is one, and this runs for every cell of every row.
  if (typeof cell === 'string') return cell.trim();
  if (cell === null) return '';
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? 'Invalid Date' : cell.toISOString();
  return String(cell).trim();
}

/** Blank means empty or whitespace only; numbers, booleans and dates always have text. */
export function isBlankCell(cell: RawCell): boolean {
  if (typeof cell !== 'string') return cell === null;
  if (cell.length === 0) return true;
  // Printable ASCII is never whitespace, so most cells are decided without trimming.
  const first = cell.charCodeAt(0);
  if (first > 0x20 && first < 0x7f) return false;
  return cell.trim() === '';
}

// ---------------------------------------------------------------- numbers

/** An exact decimal number as digits, so money never passes through binary floating point. */
export interface DecimalValue {
  negative: boolean;
  integerDigits: string;
  fractionDigits: string;
}

/** How to read a lone separator followed by exactly three digits (`1.234`, `1,234`). */
type AmbiguousSeparator = 'thousands' | 'decimal';

interface DecimalReading {
  value: DecimalValue;
  /** The decimal mark this value proves the file uses, when it is unambiguous. */
  evidence: DecimalMark | null;
}

// Thousands may be grouped with spaces (incl. the no-break spaces Excel and
// European locales write) or apostrophes (Swiss); those are never decimal marks.
const GROUPING_ONLY = /[\s\u00a0\u202f\u2009'’]/;
const NUMBER_SHAPE = /^[0-9.,\s\u00a0\u202f\u2009'’]+$/;

function otherMark(mark: DecimalMark): DecimalMark {
  return mark === '.' ? ',' : '.';
}

/**
 * Reads unsigned digits with separators, deciding the decimal mark per value:
 * with both `.` and `,` the last one is decimal; a separator that repeats is
 * for thousands; a lone one followed by 1–2 (or 4+) digits is decimal; a lone
 * one followed by exactly 3 digits is decided by the file's learned mark, else
 * by `ambiguous`.
 */
function readUnsignedDecimal(
  text: string,
  fileDecimalMark: DecimalMark | null,
  ambiguous: AmbiguousSeparator,
): DecimalReading | null {
  if (!NUMBER_SHAPE.test(text)) return null;
  const groups = text.split(/[.,\s\u00a0\u202f\u2009'’]/);
  const separators = text.match(/[.,\s\u00a0\u202f\u2009'’]/g) ?? [];
  if (separators.length === 0) return { value: { negative: false, integerDigits: text, fractionDigits: '' }, evidence: null };
  if (groups.slice(1).some((group) => group === '')) return null;

  const marks = separators.filter((s): s is DecimalMark => s === '.' || s === ',');
  const lastSeparator = separators[separators.length - 1] ?? '';
  const lastGroup = groups[groups.length - 1] ?? '';
  let decimalMark: DecimalMark | null = null;
  let evidence: DecimalMark | null = null;

  const distinctMarks = new Set(marks);
  if (distinctMarks.size === 2) {
    if (lastSeparator !== '.' && lastSeparator !== ',') return null;
    decimalMark = lastSeparator;
    evidence = lastSeparator;
  } else if (distinctMarks.size === 1) {
    const mark = marks[0] as DecimalMark;
    const groupedBefore = separators.slice(0, -1).some((s) => GROUPING_ONLY.test(s));
    if (marks.length > 1) {
      evidence = otherMark(mark); // a repeated mark groups thousands, so the other one is decimal
    } else if (lastSeparator !== mark) {
      return null; // a lone mark that is not the last separator, e.g. `1,234 567`
    } else if (lastGroup.length !== 3 || groupedBefore || !/^[1-9]\d{0,2}$/.test(groups[0] ?? '')) {
      // `1,5`, `1 234,567`, `1234,567`, `0,125`, `,125`: no thousands reading fits, so the mark is decimal.
      decimalMark = mark;
      evidence = mark;
    } else if (fileDecimalMark !== null) {
      decimalMark = fileDecimalMark === mark ? mark : null;
    } else {
      decimalMark = ambiguous === 'decimal' ? mark : null;
    }
  }

  const integerGroups = decimalMark === null ? groups : groups.slice(0, -1);
  const fractionDigits = decimalMark === null ? '' : lastGroup;
  if (decimalMark !== null && separators.filter((s) => s === decimalMark).length > 1) return null;
  if (!isThousandsGrouping(integerGroups)) return null;
  return { value: { negative: false, integerDigits: integerGroups.join('') || '0', fractionDigits }, evidence };
}

/** `1`, `12,345`, `1 234 567`: a 1–3 digit lead and then groups of exactly three. */
function isThousandsGrouping(groups: readonly string[]): boolean {
  if (groups.length === 1) return true;
  const [lead, ...rest] = groups;
  return lead !== undefined && lead.length >= 1 && lead.length <= 3 && rest.every((group) => group.length === 3);
}

/** An XLSX number as exact decimal digits (shortest round-trip form, so 1234.56 stays 1234.56). */
function decimalOfNumber(value: number): DecimalValue | null {
  if (!Number.isFinite(value) || Math.abs(value) >= 1e21) return null;
  const magnitude = Math.abs(value);
  const text = String(magnitude).includes('e') ? magnitude.toFixed(20) : String(magnitude);
  const [integerDigits = '0', fractionDigits = ''] = text.split('.');
  return { negative: value < 0, integerDigits, fractionDigits };
}

/** Strips sign markers: `-1`, `1-`, `(1)`, `−1` (U+2212). */
function readSign(text: string): { negative: boolean; rest: string } {
  let rest = text.trim();
  let negative = false;
  const parenthesised = /^\((.*)\)$/.exec(rest);
  if (parenthesised) {
    negative = true;
    rest = (parenthesised[1] ?? '').trim();
  }
  if (/^[-−]/.test(rest)) {
    negative = true;
    rest = rest.slice(1).trim();
  } else if (/[-−]$/.test(rest)) {
    negative = true;
    rest = rest.slice(0, -1).trim();
  }
  return { negative, rest };
}

// ---------------------------------------------------------------- currencies

const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

// Currencies written with a bare `$`. A `$` in a file means the reporting
// currency when that is one of these (a Canadian org's CRM shows CAD as `$`).
const DOLLAR_CURRENCIES = new Set(['USD', 'CAD', 'AUD', 'NZD', 'SGD', 'HKD', 'TWD', 'MXN']);

const PREFIXED_DOLLARS: Record<string, CurrencyCode> = {
  US$: 'USD',
  C$: 'CAD',
  CA$: 'CAD',
  A$: 'AUD',
  AU$: 'AUD',
  NZ$: 'NZD',
  S$: 'SGD',
  HK$: 'HKD',
  MX$: 'MXN',
  R$: 'BRL',
};

const SYMBOLS: Record<string, CurrencyCode> = { '€': 'EUR', '£': 'GBP', '¥': 'JPY', '￥': 'JPY' };

export function isCurrencyCode(code: string): boolean {
  return KNOWN_CURRENCIES.has(code);
}

function dollarCurrency(reportingCurrency: CurrencyCode): CurrencyCode {
  return DOLLAR_CURRENCIES.has(reportingCurrency) ? reportingCurrency : 'USD';
}

/** A currency named by an ISO code (`eur`) or a symbol (`€`, `$`, `US$`). */
export function parseCurrency(cell: RawCell, reportingCurrency: CurrencyCode): ValueResult<CurrencyCode> {
  const text = cellText(cell);
  const upper = text.toUpperCase();
  if (/^[A-Z]{3}$/.test(upper)) {
    return isCurrencyCode(upper) ? ok(upper) : fail(`'${text}' is not an ISO 4217 currency code`);
  }
  const prefixed = PREFIXED_DOLLARS[upper];
  if (prefixed) return ok(prefixed);
  if (text === '$') return ok(dollarCurrency(reportingCurrency));
  const symbol = SYMBOLS[text];
  if (symbol) return ok(symbol);
  return fail(`'${text}' is not a currency code such as USD or EUR`);
}

/** Digits after the decimal point in a currency's minor unit (USD 2, JPY 0, KWD 3). */
const exponentCache = new Map<CurrencyCode, number>();
export function currencyExponent(currency: CurrencyCode): number {
  let exponent = exponentCache.get(currency);
  if (exponent === undefined) {
    exponent = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    exponentCache.set(currency, exponent);
  }
  return exponent;
}

// ---------------------------------------------------------------- amounts

export interface ParsedAmount {
  value: DecimalValue;
  /** The currency the amount itself names: `code` for an ISO code, `symbol` for `$`, `€` … */
  currency: { code: CurrencyCode; source: 'code' | 'symbol' } | null;
  /** The decimal mark this value proves the file uses (learn it for ambiguous values). */
  decimalMark: DecimalMark | null;
}

const CODE_PREFIX = /^([A-Za-z]{3})\s*(.*)$/;
const CODE_SUFFIX = /^(.*?)\s*([A-Za-z]{3})$/;
const PREFIXED_DOLLAR = /^([A-Za-z]{1,2}\$)\s*(.*)$/;
const SYMBOL_PREFIX = /^([$€£¥￥])\s*(.*)$/;
const SYMBOL_SUFFIX = /^(.*?)\s*([$€£¥￥])$/;

type StrippedAmount = { rest: string; currency: ParsedAmount['currency'] } | { invalid: string };

/** Takes a currency code or symbol off either end of an amount. */
function stripCurrency(text: string, reportingCurrency: CurrencyCode): StrippedAmount {
  // Three letters are a currency code only next to digits: `lots` is just not a number.
  const prefixCode = /\d/.test(text) ? CODE_PREFIX.exec(text) : null;
  const suffixCode = prefixCode || !/\d/.test(text) ? null : CODE_SUFFIX.exec(text);
  if (prefixCode || suffixCode) {
    const candidate = prefixCode ? (prefixCode[1] ?? '') : (suffixCode?.[2] ?? '');
    const rest = prefixCode ? (prefixCode[2] ?? '') : (suffixCode?.[1] ?? '');
    const code = candidate.toUpperCase();
    if (!isCurrencyCode(code)) return { invalid: `'${candidate}' is not a currency code` };
    // `$1,234 USD`: the code says which dollar; the symbol adds nothing.
    const symbol = SYMBOL_PREFIX.exec(rest) ?? PREFIXED_DOLLAR.exec(rest);
    return { rest: symbol ? (symbol[2] ?? '') : rest, currency: { code, source: 'code' } };
  }
  const prefixed = PREFIXED_DOLLAR.exec(text);
  if (prefixed) {
    const code = PREFIXED_DOLLARS[(prefixed[1] ?? '').toUpperCase()];
    if (!code) return { invalid: `'${prefixed[1]}' is not a currency symbol revperf knows` };
    return { rest: prefixed[2] ?? '', currency: { code, source: 'symbol' } };
  }
  const symbol = SYMBOL_PREFIX.exec(text) ?? SYMBOL_SUFFIX.exec(text);
  if (symbol) {
    const prefix = SYMBOL_PREFIX.test(text);
    const mark = (prefix ? symbol[1] : symbol[2]) ?? '';
    const code = mark === '$' ? dollarCurrency(reportingCurrency) : (SYMBOLS[mark] as CurrencyCode);
    return { rest: (prefix ? symbol[2] : symbol[1]) ?? '', currency: { code, source: 'symbol' } };
  }
  return { rest: text, currency: null };
}

/**
 * Reads an amount as a CRM exports it: `$1,234.56`, `1.234,56 €`, `USD 1234.56`,
 * `1 234,56`, `(1,234.56)`, `-1234`, or an XLSX number. Negative amounts are
 * returned as such; whether they are allowed is the caller's business.
 */
export function parseAmount(
  cell: RawCell,
  options: { fileDecimalMark: DecimalMark | null; reportingCurrency: CurrencyCode },
): ValueResult<ParsedAmount> {
  if (typeof cell === 'number') {
    const value = decimalOfNumber(cell);
    return value ? ok({ value, currency: null, decimalMark: null }) : fail(`'${cell}' is not a finite number`);
  }
  const text = cellText(cell);
  if (typeof cell !== 'string' || text === '') return fail(`'${text}' is not a number`);
  const plain = readPlainAmount(text, options.reportingCurrency);
  if (plain !== null) return ok(plain);
  // A sign may sit outside or inside the currency: `-$1,234`, `$-1,234`, `($1,234)`.
  const outer = readSign(text);
  const stripped = stripCurrency(outer.rest, options.reportingCurrency);
  if ('invalid' in stripped) return fail(`'${text}' is not a number (${stripped.invalid})`);
  const inner = readSign(stripped.rest);
  const reading = readUnsignedDecimal(inner.rest, options.fileDecimalMark, 'thousands');
  if (!reading || !/\d/.test(inner.rest) || (outer.negative && inner.negative)) return fail(`'${text}' is not a number`);
  return ok({
    value: { ...reading.value, negative: outer.negative || inner.negative },
    currency: stripped.currency,
    decimalMark: reading.evidence,
  });
}

const COMMA = 0x2c;
const DOT = 0x2e;

/** ASCII 0-9 only, like `\d` in a regex without the u flag. */
function isDigitCode(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isAsciiDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) if (!isDigitCode(text.charCodeAt(i))) return false;
  return true;
}

/** A leading `$` or `EUR ` on an amount, as stripCurrency reads it; null when the text starts otherwise. */
type PlainCurrencyPrefix = Readonly<{ length: number; currency: Readonly<NonNullable<ParsedAmount['currency']>> }>;

// One frozen prefix per reporting currency: a `$` amount on every row of an export would otherwise allocate two objects each.
const dollarPrefixes = new Map<CurrencyCode, PlainCurrencyPrefix>();

function dollarPrefix(reportingCurrency: CurrencyCode): PlainCurrencyPrefix {
  let prefix = dollarPrefixes.get(reportingCurrency);
  if (prefix === undefined) {
    prefix = Object.freeze({ length: 1, currency: Object.freeze({ code: dollarCurrency(reportingCurrency), source: 'symbol' as const }) });
    dollarPrefixes.set(reportingCurrency, prefix);
  }
  return prefix;
}

function plainCurrencyPrefix(text: string, reportingCurrency: CurrencyCode): PlainCurrencyPrefix | null {
  if (text.charCodeAt(0) === 0x24 /* $ */) return dollarPrefix(reportingCurrency);
  if (text.charCodeAt(3) !== 0x20 /* space */) return null;
  const code = text.slice(0, 3);
  if (!/^[A-Z]{3}$/.test(code) || !isCurrencyCode(code)) return null;
  return { length: 4, currency: { code, source: 'code' } };
}

/**
 * The fast path for the amounts nearly every export writes — `$1,234.56`,
 * `EUR 1,234.56`, `1234.5`, `1,234,567` — read exactly as the general parser
 * reads them. Anything it is not sure of (signs, other symbols, a lone `1,234`
 * whose meaning depends on the file's decimal mark) is null, for the general
 * parser.
 */
function readPlainAmount(text: string, reportingCurrency: CurrencyCode): ParsedAmount | null {
  let currency: ParsedAmount['currency'] = null;
  let number = text;
  if (!isDigitCode(text.charCodeAt(0))) {
    const prefix = plainCurrencyPrefix(text, reportingCurrency);
    if (prefix === null) return null;
    currency = prefix.currency;
    number = text.slice(prefix.length);
  }
  // Groups of digits split by commas, then at most one dot; only the lead and the fraction may differ from three digits.
  let commas = 0;
  let dotAt = -1;
  let leadLength = -1;
  let groupLength = 0;
  for (let i = 0; i < number.length; i++) {
    const code = number.charCodeAt(i);
    if (isDigitCode(code)) {
      groupLength++;
      continue;
    }
    if (groupLength === 0 || dotAt !== -1 || (code !== COMMA && code !== DOT)) return null;
    if (leadLength === -1) leadLength = groupLength;
    else if (groupLength !== 3) return null;
    if (code === COMMA) commas++;
    else dotAt = i;
    groupLength = 0;
  }
  if (groupLength === 0) return null; // empty, or a trailing separator
  if (commas > 0 && leadLength > 3) return null;
  if (dotAt !== -1) {
    // `1,234.56` names both marks; a lone `.` before anything but three digits is decimal; `1.234` is ambiguous.
    if (commas === 0 && groupLength === 3) return null;
    const integerDigits = commas === 0 ? number.slice(0, dotAt) : number.slice(0, dotAt).replaceAll(',', '');
    return { value: { negative: false, integerDigits, fractionDigits: number.slice(dotAt + 1) }, currency, decimalMark: '.' };
  }
  if (commas === 0) return { value: { negative: false, integerDigits: number, fractionDigits: '' }, currency, decimalMark: null };
  // `1,234` is thousands or decimal depending on the file; `1,234,567` groups thousands, so `.` is the decimal mark.
  if (commas === 1 || groupLength !== 3) return null;
  return { value: { negative: false, integerDigits: number.replaceAll(',', ''), fractionDigits: '' }, currency, decimalMark: '.' };
}

/** A plain decimal number (exchange rates, probabilities); a lone `1,085` reads as 1.085 unless the file says otherwise. */
export function parseDecimalNumber(cell: RawCell, fileDecimalMark: DecimalMark | null = null): ValueResult<number> {
  if (typeof cell === 'number') return Number.isFinite(cell) ? ok(cell) : fail(`'${cell}' is not a number`);
  const text = cellText(cell);
  if (typeof cell !== 'string' || text === '') return fail(`'${text}' is not a number`);
  if (isAsciiDigits(text)) return ok(Number(text)); // `40`: what the general reading below gives, without its regexes
  const { negative, rest } = readSign(text);
  const reading = readUnsignedDecimal(rest, fileDecimalMark, 'decimal');
  if (!reading || !/\d/.test(rest)) return fail(`'${text}' is not a number`);
  const { integerDigits, fractionDigits } = reading.value;
  const magnitude = Number(`${integerDigits}.${fractionDigits || '0'}`);
  return ok(negative ? -magnitude : magnitude);
}

/** 15 decimal digits are below 2^53, so any such integer (plus one) is exact as a double. */
const MAX_EXACT_DIGITS = 15;

/** Exact decimal → integer minor units, rounding half away from zero past the currency's exponent. */
export function toMinorUnits(value: DecimalValue, exponent: number): ValueResult<MinorUnits> {
  const kept = value.fractionDigits.slice(0, exponent).padEnd(exponent, '0');
  const firstDropped = Number(value.fractionDigits[exponent] ?? '0');
  if (value.integerDigits.length + exponent <= MAX_EXACT_DIGITS) {
    // Few enough digits for a double to hold every integer exactly: no BigInt needed, no range to check.
    // Both parts and their sum stay below 10^15, so the arithmetic is exact (and builds no string to parse).
    const units = Number(value.integerDigits) * 10 ** exponent + Number(kept) + (firstDropped >= 5 ? 1 : 0);
    return ok((value.negative ? -units : units) || 0);
  }
  let units = BigInt(`${value.integerDigits}${kept}`) + (firstDropped >= 5 ? 1n : 0n);
  if (value.negative) units = -units;
  if (units > BigInt(Number.MAX_SAFE_INTEGER) || units < -BigInt(Number.MAX_SAFE_INTEGER)) {
    return fail(`'${formatDecimal(value)}' is too large an amount`);
  }
  // -0 would survive JSON as 0 but trips strict equality in tests and reports.
  return ok(Number(units) || 0);
}

function formatDecimal(value: DecimalValue): string {
  const sign = value.negative ? '-' : '';
  return value.fractionDigits ? `${sign}${value.integerDigits}.${value.fractionDigits}` : `${sign}${value.integerDigits}`;
}

/** Rounds half away from zero; tolerant of binary noise such as 28.499999999999996 for 28.5. */
export function roundHalfAwayFromZero(value: number): number {
  const magnitude = Math.abs(value);
  const fraction = magnitude - Math.floor(magnitude);
  // Binary noise is far below 1e-5: away from a half, it cannot change the result, so the
  // decimal round trip (a string per converted amount) is only needed near one.
  const rounded = Math.abs(fraction - 0.5) > 1e-5 ? Math.round(magnitude) : Math.round(Number(magnitude.toFixed(6)));
  return value < 0 ? -rounded || 0 : rounded;
}

/** The rate in force on a date: the latest `validFrom` not after it (a rate without `validFrom` applies always). */
export function fxRateOn(rates: readonly FxRate[], currency: CurrencyCode, date: LocalDate): FxRate | null {
  let best: FxRate | null = null;
  for (const rate of rates) {
    if (rate.currency !== currency || (rate.validFrom !== null && rate.validFrom > date)) continue;
    if (best === null || (best.validFrom ?? '') <= (rate.validFrom ?? '')) best = rate;
  }
  return best;
}

/** Minor units of `from` → minor units of the reporting currency at `rate` (reporting units per 1 unit of `from`). */
export function convertMinorUnits(amount: MinorUnits, from: CurrencyCode, to: CurrencyCode, rate: number): MinorUnits {
  if (from === to) return amount;
  const scale = 10 ** (currencyExponent(to) - currencyExponent(from));
  return roundHalfAwayFromZero(amount * rate * scale);
}

// ---------------------------------------------------------------- dates

export interface DateOptions {
  dateOrder: DateOrder;
  /** The civil date of an instant in the org's zone (FiscalCalendar.localDate). */
  localDateOf: (instant: Date) => LocalDate;
}

const MONTHS: Record<string, number> = {
  jan: 1, january: 1, ene: 1, enero: 1,
  feb: 2, february: 2, febrero: 2,
  mar: 3, march: 3, marzo: 3,
  apr: 4, april: 4, abr: 4, abril: 4,
  may: 5, mayo: 5,
  jun: 6, june: 6, junio: 6,
  jul: 7, july: 7, julio: 7,
  aug: 8, august: 8, ago: 8, agosto: 8,
  sep: 9, sept: 9, september: 9, septiembre: 9, setiembre: 9,
  oct: 10, october: 10, octubre: 10,
  nov: 11, november: 11, noviembre: 11,
  dec: 12, december: 12, dic: 12, diciembre: 12,
};

const ZONED_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;
// A wall-clock time after the date (`3/5/2026 14:30`, `2026-03-05T14:30:00`, `5 Mar 2026 2:30 PM`) is dropped.
const TRAILING_TIME = /(?:[T\s]+|,\s*)\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s*[ap]\.?m\.?)?$/i;
const YEAR_FIRST = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/;
const DOTTED = /^(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})$/;
const SLASHED = /^(\d{1,2})[/-](\d{1,2})[/-](\d{4}|\d{2})$/;
const DAY_MONTH_NAME = /^(\d{1,2})(?:\s+de)?[\s./-]*([a-záéíóú]+)\.?(?:\s+de)?[\s.,/-]*(\d{4}|\d{2})$/i;
const MONTH_NAME_DAY = /^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4}|\d{2})$/i;
const SERIAL_TEXT = /^\d{5}(?:\.\d+)?$/;

/** Two-digit years: 00–69 are 20xx, 70–99 are 19xx (close dates run into the future, not the 1930s). */
function fullYear(text: string): number {
  const year = Number(text);
  if (text.length === 4) return year;
  return year < 70 ? 2000 + year : 1900 + year;
}

/** `YYYY-MM-DD` for a real calendar date between years 0 and 9999, else null. */
function civilDate(year: number, month: number, day: number): LocalDate | null {
  if (!Number.isInteger(year) || year < 0 || year > 9999 || !Number.isInteger(month) || !Number.isInteger(day)) return null;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

// Excel's 1900 date system: serial 1 is 1900-01-01 and serial 60 is the
// 1900-02-29 that never existed (kept for Lotus 1-2-3 compatibility), so
// serials from 61 on count from 1899-12-30.
const LAST_EXCEL_SERIAL = 2_958_465; // 9999-12-31

export function excelSerialToLocalDate(serial: number): ValueResult<LocalDate> {
  const whole = Math.floor(serial);
  if (!Number.isFinite(serial) || whole < 1 || whole > LAST_EXCEL_SERIAL || whole === 60) {
    return fail(`'${serial}' is not an Excel date serial`);
  }
  return ok(whole < 60 ? addDays('1899-12-31', whole) : addDays('1899-12-30', whole));
}

/** Reads the civil date of a cell in any of the forms CRMs and spreadsheets export. */
export function parseDate(cell: RawCell, options: DateOptions): ValueResult<LocalDate> {
  if (cell instanceof Date) {
    if (Number.isNaN(cell.getTime())) return fail(`'${cellText(cell)}' is not a date`);
    // XLSX dates carry the wall-clock value in their UTC fields.
    return ok(formatLocalDate(cell.getUTCFullYear(), cell.getUTCMonth() + 1, cell.getUTCDate()));
  }
  if (typeof cell === 'number') return excelSerialToLocalDate(cell);
  const text = cellText(cell);
  if (typeof cell !== 'string' || text === '') return fail(`'${text}' is not a date`);
  // Nearly every date is `3/5/2026` or `2026-03-05`; no other form below can match those, so read them first.
  const numeric = readNumericDateParts(text, options.dateOrder);
  if (numeric !== null) return dateOfParts(text, numeric);

  const zoned = ZONED_DATE_TIME.exec(text);
  if (zoned) {
    if (!civilDate(Number(zoned[1]), Number(zoned[2]), Number(zoned[3]))) return fail(`'${text}' is not a real date`);
    const instant = new Date(isoInstantText(text));
    if (Number.isNaN(instant.getTime())) return fail(`'${text}' is not a date`);
    return ok(options.localDateOf(instant));
  }
  if (SERIAL_TEXT.test(text)) return excelSerialToLocalDate(Number(text));

  const datePart = text.replace(TRAILING_TIME, '').trim();
  const parts = readDateParts(datePart, options.dateOrder);
  if (!parts) {
    const order = options.dateOrder === 'mdy' ? 'MM/DD/YYYY' : 'DD/MM/YYYY';
    return fail(`'${text}' is not a date (use YYYY-MM-DD, ${order} or an Excel date)`);
  }
  return dateOfParts(text, parts);
}

function dateOfParts(text: string, parts: DateParts): ValueResult<LocalDate> {
  const date = civilDate(parts.year, parts.month, parts.day);
  if (date) return ok(date);
  const hint = parts.readAs ? ` (read as ${parts.readAs}, config ingest.dateOrder)` : '';
  return fail(`'${text}' is not a real date${hint}`);
}

/** Length of the run of ASCII digits starting at `from`. */
function digitRun(text: string, from: number): number {
  let end = from;
  while (end < text.length && isDigitCode(text.charCodeAt(end))) end++;
  return end - from;
}

function isDateSeparator(code: number, allowDot: boolean): boolean {
  return code === 0x2f /* / */ || code === 0x2d /* - */ || (allowDot && code === DOT);
}

/**
 * Exactly what YEAR_FIRST and SLASHED read, without regexes: `2026-03-05`
 * (separators `-`, `/` or `.`) and `3/5/2026` or `3-5-26` in the configured
 * order. Null for any other text.
 */
function readNumericDateParts(text: string, dateOrder: DateOrder): DateParts | null {
  const firstLength = digitRun(text, 0);
  const secondStart = firstLength + 1;
  const secondLength = digitRun(text, secondStart);
  const thirdStart = secondStart + secondLength + 1;
  const thirdLength = digitRun(text, thirdStart);
  if (thirdStart + thirdLength !== text.length || secondLength < 1 || secondLength > 2) return null;
  const first = Number(text.slice(0, firstLength));
  const second = Number(text.slice(secondStart, secondStart + secondLength));
  const third = text.slice(thirdStart);
  const yearFirst = firstLength === 4;
  const separatorsFit =
    isDateSeparator(text.charCodeAt(firstLength), yearFirst) && isDateSeparator(text.charCodeAt(thirdStart - 1), yearFirst);
  if (!separatorsFit) return null;
  if (yearFirst) return thirdLength >= 1 && thirdLength <= 2 ? { year: first, month: second, day: Number(third) } : null;
  if (firstLength < 1 || firstLength > 2 || (thirdLength !== 4 && thirdLength !== 2)) return null;
  return dateOrder === 'mdy'
    ? { year: fullYear(third), month: first, day: second, readAs: 'month/day/year' }
    : { year: fullYear(third), month: second, day: first, readAs: 'day/month/year' };
}

/** `2026-03-05 10:00+0100` → `2026-03-05T10:00+01:00`, the one form every engine's Date parser accepts. */
function isoInstantText(text: string): string {
  return text
    .replace(' ', 'T')
    .replace(',', '.')
    .replace(/\s+(?=[zZ+-]\d*:?\d*$)/, '')
    .replace(/([+-]\d{2})(\d{2})$/, '$1:$2')
    .replace(/([+-]\d{2})$/, '$1:00');
}

interface DateParts {
  year: number;
  month: number;
  day: number;
  /** For slashed dates: the order used, so an impossible date explains itself. */
  readAs?: string;
}

function readDateParts(text: string, dateOrder: DateOrder): DateParts | null {
  let match = YEAR_FIRST.exec(text);
  if (match) return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  match = DOTTED.exec(text);
  if (match) return { year: fullYear(match[3] ?? ''), month: Number(match[2]), day: Number(match[1]) };
  match = SLASHED.exec(text);
  if (match) {
    const [first, second] = [Number(match[1]), Number(match[2])];
    return dateOrder === 'mdy'
      ? { year: fullYear(match[3] ?? ''), month: first, day: second, readAs: 'month/day/year' }
      : { year: fullYear(match[3] ?? ''), month: second, day: first, readAs: 'day/month/year' };
  }
  match = DAY_MONTH_NAME.exec(text);
  if (match) {
    const month = MONTHS[(match[2] ?? '').toLowerCase()];
    return month ? { year: fullYear(match[3] ?? ''), month, day: Number(match[1]) } : null;
  }
  match = MONTH_NAME_DAY.exec(text);
  if (match) {
    const month = MONTHS[(match[1] ?? '').toLowerCase()];
    return month ? { year: fullYear(match[3] ?? ''), month, day: Number(match[2]) } : null;
  }
  return null;
}

// ---------------------------------------------------------------- probabilities and flags

/** `40`, `40%`, `0.4` → 0.4. Numbers above 1 are percentages; 0..1 are fractions. */
export function parseProbability(cell: RawCell, fileDecimalMark: DecimalMark | null = null): ValueResult<number> {
  const text = cellText(cell);
  const percent = typeof cell === 'string' && text.endsWith('%');
  const number = parseDecimalNumber(percent ? text.slice(0, -1).trim() : cell, fileDecimalMark);
  if (!number.ok) return fail(`'${text}' is not a probability (use 40, 40% or 0.4)`);
  const probability = percent || number.value > 1 ? number.value / 100 : number.value;
  if (probability < 0 || probability > 1) return fail(`'${text}' is not a probability between 0 and 100 %`);
  return ok(probability);
}

const TRUE_WORDS = new Set(['yes', 'y', 'true', 't', '1', 'active', 'sí', 'si', 'x', 'verdadero']);
const FALSE_WORDS = new Set(['no', 'n', 'false', 'f', '0', 'inactive', 'falso']);

export function parseBoolean(cell: RawCell): ValueResult<boolean> {
  if (typeof cell === 'boolean') return ok(cell);
  if (typeof cell === 'number' && (cell === 0 || cell === 1)) return ok(cell === 1);
  const text = cellText(cell);
  const word = text.toLowerCase();
  if (TRUE_WORDS.has(word)) return ok(true);
  if (FALSE_WORDS.has(word)) return ok(false);
  return fail(`'${text}' is not yes/no (use yes, no, true, false, 1, 0, active or inactive)`);
}
