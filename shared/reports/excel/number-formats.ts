// Excel number formats for report cells. Currency symbols are quoted
// literals, so a file shows "$" or "€" whatever the viewer's locale; the
// thousands/decimal marks (`,` `.` in the code) are shown in the viewer's own
// convention, as Excel intends.
import { currencyExponent } from './cell-values.js';

export type ReportLocale = 'en' | 'es';

export type CellKind =
  | 'text'
  | 'money'
  | 'moneyCents'
  | 'percent'
  | 'percentTable'
  | 'ratioTimes'
  | 'count'
  | 'days'
  | 'date'
  | 'deltaPercentPoints'
  | 'deltaMoney';

export interface CurrencyPlacement {
  symbol: string;
  /** Symbol before the number ("$1,234") or after it ("1.234 €"). */
  position: 'before' | 'after';
  /** A space between symbol and number. */
  spaced: boolean;
}

const placementCache = new Map<string, CurrencyPlacement>();

/** Where `locale` puts the symbol of `currency`, as Intl formats it: en/USD "$" before, es/EUR "€" after with a space. */
export function currencyPlacement(currency: string, locale: ReportLocale): CurrencyPlacement {
  const key = `${locale}:${currency}`;
  const cached = placementCache.get(key);
  if (cached !== undefined) return cached;
  const parts = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'symbol' }).formatToParts(1234.5);
  const symbolIndex = parts.findIndex((part) => part.type === 'currency');
  const numberIndex = parts.findIndex((part) => part.type === 'integer');
  const symbol = parts[symbolIndex]?.value ?? currency;
  const position = symbolIndex < numberIndex ? 'before' : 'after';
  const between = position === 'before' ? parts.slice(symbolIndex + 1, numberIndex) : parts.slice(numberIndex, symbolIndex);
  const spaced = between.some((part) => part.type === 'literal' && /\s/u.test(part.value));
  const placement: CurrencyPlacement = { symbol, position, spaced };
  placementCache.set(key, placement);
  return placement;
}

/** A quoted literal for a number format: "…" with any `"` doubled away (symbols never have one, but be safe). */
function literal(text: string): string {
  return `"${text.replace(/"/g, '')}"`;
}

function digits(decimals: number): string {
  return decimals > 0 ? `#,##0.${'0'.repeat(decimals)}` : '#,##0';
}

function withSymbol(number: string, placement: CurrencyPlacement): string {
  const space = placement.spaced ? ' ' : '';
  return placement.position === 'before'
    ? `${literal(placement.symbol + space)}${number}`
    : `${number}${literal(space + placement.symbol)}`;
}

/**
 * A currency format: `"$"#,##0` (en USD), `#,##0" €"` (es EUR); with
 * `decimals` > 0 (deal lists, cents) `"$"#,##0.00`.
 */
export function currencyFormat(currency: string, locale: ReportLocale, decimals = 0): string {
  return withSymbol(digits(decimals), currencyPlacement(currency, locale));
}

/** A signed money delta with arrows: `"▲ +$"#,##0;"▼ -$"#,##0;"$"#,##0`. */
export function deltaMoneyFormat(currency: string, locale: ReportLocale): string {
  const placement = currencyPlacement(currency, locale);
  const number = digits(0);
  if (placement.position === 'before') {
    const symbol = placement.symbol + (placement.spaced ? ' ' : '');
    return `${literal(`▲ +${symbol}`)}${number};${literal(`▼ -${symbol}`)}${number};${literal(symbol)}${number}`;
  }
  const suffix = literal((placement.spaced ? ' ' : '') + placement.symbol);
  return `${literal('▲ +')}${number}${suffix};${literal('▼ -')}${number}${suffix};${number}${suffix}`;
}

export const PERCENT_TILE_FORMAT = '0%';
export const PERCENT_TABLE_FORMAT = '0.0%';
export const RATIO_TIMES_FORMAT = '0.0"×"';
export const COUNT_FORMAT = '#,##0';
export const DAYS_FORMAT = '#,##0" d"';
export const DATE_FORMAT = 'yyyy-mm-dd';
/** Percentage points as a fraction (0.06 = +6 pts) shown "▲ +6.0%". */
export const DELTA_PERCENT_POINTS_FORMAT = '"▲ +"0.0%;"▼ -"0.0%;0.0%';

/** The number format a kind of cell gets, or undefined for text (General). */
export function numberFormatFor(kind: CellKind, currency: string, locale: ReportLocale): string | undefined {
  switch (kind) {
    case 'text':
      return undefined;
    case 'money':
      return currencyFormat(currency, locale, 0);
    case 'moneyCents':
      return currencyFormat(currency, locale, currencyExponent(currency));
    case 'percent':
      return PERCENT_TILE_FORMAT;
    case 'percentTable':
      return PERCENT_TABLE_FORMAT;
    case 'ratioTimes':
      return RATIO_TIMES_FORMAT;
    case 'count':
      return COUNT_FORMAT;
    case 'days':
      return DAYS_FORMAT;
    case 'date':
      return DATE_FORMAT;
    case 'deltaPercentPoints':
      return DELTA_PERCENT_POINTS_FORMAT;
    case 'deltaMoney':
      return deltaMoneyFormat(currency, locale);
  }
}

