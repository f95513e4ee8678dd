// Writes one value into one exceljs cell according to its kind, and says how
// wide it will look (for column widths that fit).
import type ExcelJS from 'exceljs';
import { amountFromMinorUnits, cellText, currencyExponent, excelDate, excelDateSerial } from './cell-values.js';
import { currencyPlacement, type CellKind, type ReportLocale } from './number-formats.js';

/** Text for text cells; integer minor units for money kinds; fractions for percentages; `YYYY-MM-DD` or a Date for dates; null/undefined for n/a. */
export type CellInput = string | number | Date | null | undefined;

export interface CellTarget {
  currency: string;
  locale: ReportLocale;
}

/**
 * Puts `value` in `cell` with `style`, returning the width (in characters)
 * the shown value needs. Text always becomes a string cell (never a formula,
 * even for "=…"); a missing number stays an empty cell, with `naNote` as its
 * note when given (n/a is never 0).
 */
export function writeCell(
  cell: ExcelJS.Cell,
  value: CellInput,
  kind: CellKind,
  style: Partial<ExcelJS.Style>,
  target: CellTarget,
  naNote?: string,
): number {
  cell.style = style;
  if (value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value))) {
    if (naNote !== undefined && kind !== 'text') cell.note = cellText(naNote);
    return 0;
  }
  if (kind === 'text') {
    const text = cellText(typeof value === 'string' ? value : value instanceof Date ? value.toISOString() : String(value));
    cell.value = text;
    return longestLine(text);
  }
  if (kind === 'date') {
    cell.value = typeof value === 'string' ? excelDateSerial(value) : excelDate(value as Date);
    return 10;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`a ${kind} cell needs a finite number, got ${typeof value === 'string' ? `'${value}'` : String(value)}`);
  }
  switch (kind) {
    case 'money':
    case 'moneyCents':
    case 'deltaMoney': {
      const amount = amountFromMinorUnits(value, target.currency);
      cell.value = amount;
      const decimals = kind === 'moneyCents' ? currencyExponent(target.currency) : 0;
      const symbol = currencyPlacement(target.currency, target.locale).symbol.length + 1;
      return groupedLength(amount, decimals) + symbol + (kind === 'deltaMoney' ? 3 : 0);
    }
    case 'percent':
    case 'percentTable':
      cell.value = value;
      return groupedLength(value * 100, kind === 'percent' ? 0 : 1) + 1;
    case 'deltaPercentPoints':
      cell.value = value;
      return groupedLength(value * 100, 1) + 4;
    case 'ratioTimes':
      cell.value = value;
      return groupedLength(value, 1) + 1;
    case 'count':
      cell.value = value;
      return groupedLength(value, 0);
    case 'days':
      cell.value = value;
      return groupedLength(value, 0) + 2;
  }
}

/** Characters of a number shown with thousands separators and `decimals` decimals. */
function groupedLength(value: number, decimals: number): number {
  const integerDigits = Math.max(1, Math.floor(Math.log10(Math.max(1, Math.abs(value)))) + 1);
  return integerDigits + Math.floor((integerDigits - 1) / 3) + (decimals > 0 ? decimals + 1 : 0) + (value < 0 ? 1 : 0);
}

function longestLine(text: string): number {
  if (!text.includes('\n')) return text.length;
  return Math.max(...text.split('\n').map((line) => line.length));
}
