// Money helpers for the sample data: minor-unit exponents and the one rounding
// rule revperf uses when converting (half away from zero).
import type { CurrencyCode, MinorUnits } from '../../shared/domain/types.js';

/** ISO 4217 minor-unit exponents of the currencies the sample and fixtures use. */
const EXPONENTS: Record<CurrencyCode, number> = { USD: 2, EUR: 2, GBP: 2, AUD: 2, CHF: 2, JPY: 0 };

export function currencyExponent(currency: CurrencyCode): number {
  const exponent = EXPONENTS[currency];
  if (exponent === undefined) throw new RangeError(`no minor-unit exponent known for ${currency}`);
  return exponent;
}

export function roundHalfAwayFromZero(value: number): number {
  return Math.sign(value) * Math.round(Math.abs(value));
}

/**
 * Converts minor units of `currency` to minor units of the reporting currency
 * (exponent 2) with `rate` = reporting units per one unit of `currency`.
 */
export function convertToReporting(originalAmount: MinorUnits, currency: CurrencyCode, rate: number): MinorUnits {
  return roundHalfAwayFromZero(originalAmount * rate * 10 ** (2 - currencyExponent(currency)));
}

/** Rounds a positive amount to a multiple of `step`. */
export function roundTo(value: number, step: number): number {
  return Math.max(step, Math.round(value / step) * step);
}
