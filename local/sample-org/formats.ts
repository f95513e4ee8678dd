// How CRMs print values in their exports: amounts in US and European styles,
// US and dotted dates, and CSV records quoted the way each CRM quotes them.
// Written by hand (not Intl) so the bytes never depend on the ICU version.
import type { LocalDate, MinorUnits } from '../../shared/domain/types.js';
import { parseCivilDate } from './dates.js';

export interface NumberStyle {
  thousands: string;
  decimal: string;
}

export const US_NUMBERS: NumberStyle = { thousands: ',', decimal: '.' };
export const EUROPEAN_NUMBERS: NumberStyle = { thousands: '.', decimal: ',' };
export const PLAIN_NUMBERS: NumberStyle = { thousands: '', decimal: '.' };

/** `123456789` → `123,456,789` with the given separator. */
export function groupThousands(digits: string, separator: string): string {
  if (separator === '') return digits;
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

/**
 * Minor units as a decimal number, e.g. (123456, 2, US) → `1,234.56`,
 * (123456, 2, European) → `1.234,56`, (4500000, 0, US) → `4,500,000`.
 * `decimals` overrides how many fraction digits are printed (rounding is not needed: it only drops zeros).
 */
export function formatAmount(minor: MinorUnits, exponent: number, style: NumberStyle, decimals = exponent): string {
  if (!Number.isInteger(minor)) throw new RangeError(`amount ${minor} is not in minor units`);
  const scale = 10 ** exponent;
  const whole = Math.floor(Math.abs(minor) / scale);
  const fraction = String(Math.abs(minor) % scale).padStart(exponent, '0');
  if (decimals < exponent && !/^0*$/.test(fraction.slice(decimals))) {
    throw new RangeError(`amount ${minor} does not fit ${decimals} decimals`);
  }
  const shownFraction = decimals === 0 ? '' : `${style.decimal}${fraction.slice(0, decimals).padEnd(decimals, '0')}`;
  return `${minor < 0 ? '-' : ''}${groupThousands(String(whole), style.thousands)}${shownFraction}`;
}

/** `2026-03-05` → `3/5/2026` (US, no leading zeros, as Salesforce prints it). */
export function usDate(date: LocalDate): string {
  const { year, month, day } = parseCivilDate(date);
  return `${month}/${day}/${year}`;
}

/** `2026-03-05` → `05.03.2026` (German/European style, as Pipedrive prints it in a European locale). */
export function dottedDate(date: LocalDate): string {
  const { year, month, day } = parseCivilDate(date);
  return `${String(day).padStart(2, '0')}.${String(month).padStart(2, '0')}.${year}`;
}

export interface CsvStyle {
  delimiter: ',' | ';' | '\t';
  /** Quote every field (Salesforce) or only fields that need it. */
  quoteAll: boolean;
  lineEnd: '\n' | '\r\n';
}

function quote(field: string): string {
  return `"${field.replace(/"/g, '""')}"`;
}

/** One CSV record with its line end (RFC 4180 quoting). */
export function csvRecord(fields: readonly string[], style: CsvStyle): string {
  const needsQuotes = (field: string) =>
    field.includes(style.delimiter) || field.includes('"') || field.includes('\n') || field.includes('\r');
  const cells = fields.map((field) => (style.quoteAll || needsQuotes(field) ? quote(field) : field));
  return cells.join(style.delimiter) + style.lineEnd;
}

/** A whole CSV file: header and records. */
export function csvText(header: readonly string[], rows: readonly (readonly string[])[], style: CsvStyle): string {
  return [header, ...rows].map((fields) => csvRecord(fields, style)).join('');
}
