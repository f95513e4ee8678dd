// What goes into a cell: text that is always a literal string and never
// corrupts the file, and money converted from integer minor units.

/** Excel's limit on the characters in one cell. */
export const EXCEL_CELL_TEXT_LIMIT = 32_767;
const ELLIPSIS = '…';

// Characters XML 1.0 forbids (exceljs drops C0 controls and DEL itself but
// not U+FFFE/U+FFFF; we drop them all so what we claim is what gets written).
const XML_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/g;
const NEEDS_WORK = /[\u0000-\u0008\u000B-\u001F\u007F\uD800-\uDFFF\uFFFE\uFFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The text as it will be stored in a string cell. exceljs writes a JS string
 * as `t="str"` with a `<v>` and never a `<f>`, so `=…`, `+…`, `-…`, `@…` stay
 * text; here we only make the text storable: XML-illegal characters removed,
 * lone surrogates replaced by U+FFFD, CR and CRLF turned into LF (an XML
 * parser would do that to a raw CR anyway), and anything over Excel's
 * 32,767-character cell limit cut, ending in "…".
 */
export function cellText(value: string): string {
  // Most texts need nothing: one scan to say so.
  if (value.length <= EXCEL_CELL_TEXT_LIMIT && !NEEDS_WORK.test(value)) return value;
  let text = value;
  if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
  text = text.replace(XML_ILLEGAL, '').replace(LONE_SURROGATE, '\uFFFD');
  if (text.length > EXCEL_CELL_TEXT_LIMIT) {
    let end = EXCEL_CELL_TEXT_LIMIT - ELLIPSIS.length;
    const last = text.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff) end -= 1;
    text = text.slice(0, end) + ELLIPSIS;
  }
  return text;
}

const exponentCache = new Map<string, number>();

/** The number of minor-unit digits of an ISO 4217 currency, as Intl knows it: JPY 0, USD 2, KWD 3. */
export function currencyExponent(currency: string): number {
  let exponent = exponentCache.get(currency);
  if (exponent === undefined) {
    exponent = new Intl.NumberFormat('en', { style: 'currency', currency: currency.toUpperCase() }).resolvedOptions().maximumFractionDigits ?? 2;
    exponentCache.set(currency, exponent);
  }
  return exponent;
}

/** Integer minor units (cents) → the amount a currency cell holds: 123456 USD → 1234.56, 1234 JPY → 1234. */
export function amountFromMinorUnits(minorUnits: number, currency: string): number {
  if (!Number.isSafeInteger(minorUnits)) {
    throw new TypeError(`money must be an integer number of minor units, got ${minorUnits} ${currency}`);
  }
  const exponent = currencyExponent(currency);
  return exponent === 0 ? minorUnits : minorUnits / 10 ** exponent;
}

const MS_PER_DAY = 86_400_000;
/** Days from Excel's epoch (1899-12-30, past the 1900 leap-year bug) to 1970-01-01. */
const UNIX_EPOCH_SERIAL = 25_569;
const serialCache = new Map<string, number>();

/**
 * A plain local date `YYYY-MM-DD` → its Excel date serial (2027-08-17 → 46616).
 * A date cell is that number with a date format — exactly what exceljs writes
 * for a Date, and what it reads back as a Date — without a Date per cell.
 */
export function excelDateSerial(value: string): number {
  let serial = serialCache.get(value);
  if (serial === undefined) {
    serial = excelDate(value).getTime() / MS_PER_DAY + UNIX_EPOCH_SERIAL;
    if (serialCache.size >= 10_000) serialCache.clear();
    serialCache.set(value, serial);
  }
  return serial;
}

/** A plain local date `YYYY-MM-DD` → the Date exceljs turns into a date serial (UTC midnight, so no zone shift). */
export function excelDate(value: string | Date): Date {
  if (value instanceof Date) return value;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match === null) throw new TypeError(`date must be YYYY-MM-DD, got '${value}'`);
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
}
