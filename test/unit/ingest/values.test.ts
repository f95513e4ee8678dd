import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  convertMinorUnits,
  currencyExponent,
  excelSerialToLocalDate,
  fxRateOn,
  parseAmount,
  parseBoolean,
  parseCurrency,
  parseDate,
  parseDecimalNumber,
  parseProbability,
  roundHalfAwayFromZero,
  toMinorUnits,
  type DecimalMark,
} from '../../../shared/ingest/values.js';
import type { RawCell } from '../../../shared/ingest/types.js';

/** Amount cell → minor units in the currency it names (or USD), or the rejection reason. */
function amountIn(cell: RawCell, fileDecimalMark: DecimalMark | null = null, reportingCurrency = 'USD'): unknown {
  const parsed = parseAmount(cell, { fileDecimalMark, reportingCurrency });
  if (!parsed.ok) return parsed.reason;
  const currency = parsed.value.currency?.code ?? reportingCurrency;
  const minor = toMinorUnits(parsed.value.value, currencyExponent(currency));
  return minor.ok ? { minor: minor.value, currency } : minor.reason;
}

describe('parseAmount', () => {
  it.each<[RawCell, unknown]>([
    ['$1,234.56', { minor: 123456, currency: 'USD' }],
    ['$1,234,567', { minor: 123456700, currency: 'USD' }],
    ['1.234,56 €', { minor: 123456, currency: 'EUR' }],
    ['USD 1234.56', { minor: 123456, currency: 'USD' }],
    ['1234.56 eur', { minor: 123456, currency: 'EUR' }],
    ['$1,234 CAD', { minor: 123400, currency: 'CAD' }],
    ['1 234,56', { minor: 123456, currency: 'USD' }],
    ['1\u00a0234,56', { minor: 123456, currency: 'USD' }],
    ['(1,234.56)', { minor: -123456, currency: 'USD' }],
    ['($1,234.56)', { minor: -123456, currency: 'USD' }],
    ['-$1,234', { minor: -123400, currency: 'USD' }],
    ['-1234', { minor: -123400, currency: 'USD' }],
    ['€1.234', { minor: 123400, currency: 'EUR' }],
    ['1,234', { minor: 123400, currency: 'USD' }],
    ['£99.5', { minor: 9950, currency: 'GBP' }],
    ['¥1,234', { minor: 1234, currency: 'JPY' }],
    ['JPY 1234.5', { minor: 1235, currency: 'JPY' }],
    ['0,125', { minor: 13, currency: 'USD' }],
    ['.5', { minor: 50, currency: 'USD' }],
    ["1'234.50", { minor: 123450, currency: 'USD' }],
    ['C$ 10', { minor: 1000, currency: 'CAD' }],
    [1234.56, { minor: 123456, currency: 'USD' }],
    [0.285, { minor: 29, currency: 'USD' }],
    [-5, { minor: -500, currency: 'USD' }],
    ['12,3,4', "'12,3,4' is not a number"],
    ['1.234.56', "'1.234.56' is not a number"],
    ['abc', "'abc' is not a number"],
    ['XYZ 100', "'XYZ 100' is not a number ('XYZ' is not a currency code)"],
    ['n/a', "'n/a' is not a number"],
    ['$', "'$' is not a number"],
    ['', "'' is not a number"],
    [true, "'true' is not a number"],
  ])('%j → %j', (cell, expected) => {
    expect(amountIn(cell)).toEqual(expected);
  });

  it('reads $ as the reporting currency when that is a dollar currency, else as USD', () => {
    expect(amountIn('$10', null, 'CAD')).toEqual({ minor: 1000, currency: 'CAD' });
    expect(amountIn('$10', null, 'EUR')).toEqual({ minor: 1000, currency: 'USD' });
  });

  it('decides the decimal mark per value and reports unambiguous evidence', () => {
    const evidence = (text: string) => {
      const parsed = parseAmount(text, { fileDecimalMark: null, reportingCurrency: 'USD' });
      return parsed.ok ? parsed.value.decimalMark : 'rejected';
    };
    expect(evidence('1.234,56')).toBe(',');
    expect(evidence('1,234.56')).toBe('.');
    expect(evidence('1.234.567')).toBe(',');
    expect(evidence('12,5')).toBe(',');
    expect(evidence('1,234')).toBeNull();
    expect(evidence('1234')).toBeNull();
  });

  it("reads a lone 3-digit group by the file's learned decimal mark", () => {
    expect(amountIn('1.234', ',')).toEqual({ minor: 123400, currency: 'USD' });
    expect(amountIn('1,234', ',')).toEqual({ minor: 123, currency: 'USD' });
    expect(amountIn('1.234', '.')).toEqual({ minor: 123, currency: 'USD' });
    expect(amountIn('1,234', '.')).toEqual({ minor: 123400, currency: 'USD' });
  });

  it('formatted amounts in either convention read back as the same minor units', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 13 }), (cents) => {
        const units = Math.floor(cents / 100)
          .toString()
          .replace(/\B(?=(\d{3})+(?!\d))/g, '#');
        const fraction = String(cents % 100).padStart(2, '0');
        const us = `$${units.replaceAll('#', ',')}.${fraction}`;
        const european = `${units.replaceAll('#', '.')},${fraction} €`;
        expect(amountIn(us)).toEqual({ minor: cents, currency: 'USD' });
        expect(amountIn(european)).toEqual({ minor: cents, currency: 'EUR' });
      }),
    );
  });
});

describe('toMinorUnits and currency exponents', () => {
  it('uses each currency’s minor unit', () => {
    expect(currencyExponent('USD')).toBe(2);
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('KWD')).toBe(3);
  });

  it('rounds half away from zero past the exponent', () => {
    expect(toMinorUnits({ negative: false, integerDigits: '1', fractionDigits: '005' }, 2)).toEqual({ ok: true, value: 101 });
    expect(toMinorUnits({ negative: true, integerDigits: '1', fractionDigits: '005' }, 2)).toEqual({ ok: true, value: -101 });
    expect(toMinorUnits({ negative: false, integerDigits: '1', fractionDigits: '004' }, 2)).toEqual({ ok: true, value: 100 });
  });

  it('refuses amounts beyond safe integers', () => {
    const result = toMinorUnits({ negative: false, integerDigits: '99999999999999999', fractionDigits: '' }, 2);
    expect(result).toEqual({ ok: false, reason: "'99999999999999999' is too large an amount" });
  });
});

describe('parseCurrency', () => {
  it.each<[RawCell, unknown]>([
    ['EUR', { ok: true, value: 'EUR' }],
    [' gbp ', { ok: true, value: 'GBP' }],
    ['€', { ok: true, value: 'EUR' }],
    ['$', { ok: true, value: 'USD' }],
    ['US$', { ok: true, value: 'USD' }],
    ['XYZ', { ok: false, reason: "'XYZ' is not an ISO 4217 currency code" }],
    ['Euros', { ok: false, reason: "'Euros' is not a currency code such as USD or EUR" }],
  ])('%j → %j', (cell, expected) => {
    expect(parseCurrency(cell, 'USD')).toEqual(expected);
  });
});

describe('fx conversion', () => {
  const rates = [
    { currency: 'EUR', rate: 1.05, validFrom: null },
    { currency: 'EUR', rate: 1.1, validFrom: '2026-01-01' },
    { currency: 'EUR', rate: 1.2, validFrom: '2026-06-01' },
  ];

  it('takes the rate with the latest validFrom on or before the date', () => {
    expect(fxRateOn(rates, 'EUR', '2025-12-31')?.rate).toBe(1.05);
    expect(fxRateOn(rates, 'EUR', '2026-01-01')?.rate).toBe(1.1);
    expect(fxRateOn(rates, 'EUR', '2026-05-31')?.rate).toBe(1.1);
    expect(fxRateOn(rates, 'EUR', '2026-06-01')?.rate).toBe(1.2);
    expect(fxRateOn(rates, 'GBP', '2026-06-01')).toBeNull();
  });

  it('converts minor units across exponents, rounding half away from zero', () => {
    expect(convertMinorUnits(123456, 'EUR', 'USD', 1.1)).toBe(135802); // 1234.56 × 1.1 = 1358.016
    expect(convertMinorUnits(1000, 'JPY', 'USD', 0.0067)).toBe(670); // ¥1000 → $6.70
    expect(convertMinorUnits(1050, 'USD', 'JPY', 150)).toBe(1575); // $10.50 → ¥1575
    expect(convertMinorUnits(5, 'EUR', 'USD', 1.1)).toBe(6); // 5.5 → 6
    expect(convertMinorUnits(999, 'USD', 'USD', 2)).toBe(999);
  });

  it('rounds exact halves away from zero despite binary noise', () => {
    expect(roundHalfAwayFromZero(0.285 * 100)).toBe(29);
    expect(roundHalfAwayFromZero(-2.5)).toBe(-3);
    expect(roundHalfAwayFromZero(2.4999)).toBe(2);
    expect(Object.is(roundHalfAwayFromZero(-0.2), 0)).toBe(true);
  });
});

describe('parseDate', () => {
  // The org is in New York: instants convert to New York civil dates.
  const localDateOf = (instant: Date) =>
    new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
  const mdy = { dateOrder: 'mdy' as const, localDateOf };
  const dmy = { dateOrder: 'dmy' as const, localDateOf };

  it.each<[RawCell, string]>([
    ['2026-03-05', '2026-03-05'],
    ['2026-03-05T03:30:00Z', '2026-03-04'], // still the 4th in New York
    ['2026-03-05T23:30:00-05:00', '2026-03-05'],
    ['2026-03-05 12:00:00+0100', '2026-03-05'],
    ['2026-03-05T14:30:00', '2026-03-05'], // no zone: the wall clock is the org's
    ['03/05/2026', '2026-03-05'],
    ['3/5/26', '2026-03-05'],
    ['3/5/2026 14:30', '2026-03-05'],
    ['3/5/2026 2:30 PM', '2026-03-05'],
    ['5.3.2026', '2026-03-05'],
    ['05.03.2026', '2026-03-05'],
    ['2026/03/05', '2026-03-05'],
    ['5-Mar-2026', '2026-03-05'],
    ['05-mar-26', '2026-03-05'],
    ['Mar 5, 2026', '2026-03-05'],
    ['March 5th, 2026', '2026-03-05'],
    ['5 de marzo de 2026', '2026-03-05'],
    ['12/31/99', '1999-12-31'],
    ['46086', '2026-03-05'],
    [46086, '2026-03-05'],
    [46086.75, '2026-03-05'],
    [new Date(Date.UTC(2026, 2, 5, 23, 59)), '2026-03-05'],
  ])('%j → %s', (cell, expected) => {
    expect(parseDate(cell, mdy)).toEqual({ ok: true, value: expected });
  });

  it('reads slashed dates in the configured order', () => {
    expect(parseDate('03/05/2026', dmy)).toEqual({ ok: true, value: '2026-05-03' });
    expect(parseDate('25/12/2026', dmy)).toEqual({ ok: true, value: '2026-12-25' });
  });

  it.each<[RawCell, string]>([
    ['2026-02-30', "'2026-02-30' is not a real date"],
    ['13/13/2026', "'13/13/2026' is not a real date (read as month/day/year, config ingest.dateOrder)"],
    ['25/12/2026', "'25/12/2026' is not a real date (read as month/day/year, config ingest.dateOrder)"],
    ['2026-02-29T10:00:00Z', "'2026-02-29T10:00:00Z' is not a real date"],
    ['31.04.2026', "'31.04.2026' is not a real date"],
    ['next Tuesday', "'next Tuesday' is not a date (use YYYY-MM-DD, MM/DD/YYYY or an Excel date)"],
    ['5-Foo-2026', "'5-Foo-2026' is not a date (use YYYY-MM-DD, MM/DD/YYYY or an Excel date)"],
    [60, "'60' is not an Excel date serial"],
    [-3, "'-3' is not an Excel date serial"],
    [true, "'true' is not a date"],
  ])('%j is rejected: %s', (cell, reason) => {
    expect(parseDate(cell, mdy)).toEqual({ ok: false, reason });
  });

  it("follows Excel's 1900 system around the phantom 1900-02-29", () => {
    expect(excelSerialToLocalDate(1)).toEqual({ ok: true, value: '1900-01-01' });
    expect(excelSerialToLocalDate(59)).toEqual({ ok: true, value: '1900-02-28' });
    expect(excelSerialToLocalDate(61)).toEqual({ ok: true, value: '1900-03-01' });
    expect(excelSerialToLocalDate(45658)).toEqual({ ok: true, value: '2025-01-01' });
  });
});

describe('parseProbability', () => {
  it.each<[RawCell, number]>([
    ['40', 0.4],
    ['40%', 0.4],
    ['40 %', 0.4],
    ['0.4', 0.4],
    ['12,5%', 0.125],
    [0.4, 0.4],
    [75, 0.75],
    ['0', 0],
    ['100', 1],
  ])('%j → %d', (cell, expected) => {
    expect(parseProbability(cell)).toEqual({ ok: true, value: expected });
  });

  it.each<[RawCell, string]>([
    ['140', "'140' is not a probability between 0 and 100 %"],
    ['-5%', "'-5%' is not a probability between 0 and 100 %"],
    ['high', "'high' is not a probability (use 40, 40% or 0.4)"],
  ])('%j is rejected', (cell, reason) => {
    expect(parseProbability(cell)).toEqual({ ok: false, reason });
  });
});

describe('parseDecimalNumber (rates)', () => {
  it('reads a lone separator as the decimal mark', () => {
    expect(parseDecimalNumber('1,085')).toEqual({ ok: true, value: 1.085 });
    expect(parseDecimalNumber('0.9234')).toEqual({ ok: true, value: 0.9234 });
    expect(parseDecimalNumber('15,800.5')).toEqual({ ok: true, value: 15800.5 });
    expect(parseDecimalNumber('1,085', '.')).toEqual({ ok: true, value: 1085 });
    expect(parseDecimalNumber('x')).toEqual({ ok: false, reason: "'x' is not a number" });
  });
});

describe('parseBoolean', () => {
  it.each<[RawCell, boolean]>([
    ['yes', true],
    ['No', false],
    ['TRUE', true],
    ['false', false],
    ['1', true],
    ['0', false],
    ['active', true],
    ['Inactive', false],
    ['sí', true],
    ['si', true],
    [true, true],
    [0, false],
  ])('%j → %s', (cell, expected) => {
    expect(parseBoolean(cell)).toEqual({ ok: true, value: expected });
  });

  it('rejects anything else, naming the value', () => {
    expect(parseBoolean('maybe')).toEqual({
      ok: false,
      reason: "'maybe' is not yes/no (use yes, no, true, false, 1, 0, active or inactive)",
    });
  });
});
