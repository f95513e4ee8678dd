// The ingest hot path has fast paths beside the general readers (plain amounts,
// numeric dates, digit-only numbers, plain deal checks before zod, memoised
// dates and stage keys). These properties pin the fast paths to independently
// computed answers, and the plain deal checks to dealSchema.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../shared/config/schema.js';
import { FiscalCalendar } from '../../../shared/domain/fiscal-calendar.js';
import { daysInMonth } from '../../../shared/domain/local-date.js';
import type { Deal } from '../../../shared/domain/types.js';
import { dealSchema, isValidDeal, type DealCandidate } from '../../../shared/ingest/entity-schemas.js';
import { UploadNormaliser } from '../../../shared/ingest/normaliser.js';
import { resolveStage } from '../../../shared/ingest/stages.js';
import type { RawCell } from '../../../shared/ingest/types.js';
import { currencyExponent, parseAmount, parseDate, parseDecimalNumber, toMinorUnits } from '../../../shared/ingest/values.js';

const dateOptions = { dateOrder: 'mdy' as const, localDateOf: () => '2026-01-01' };

/** Minor units of an amount cell in the currency it names, or the rejection reason. */
function minorUnitsOf(text: string, fileDecimalMark: '.' | ',' | null = null): { minor: number; currency: string } | string {
  const parsed = parseAmount(text, { fileDecimalMark, reportingCurrency: 'USD' });
  if (!parsed.ok) return parsed.reason;
  const currency = parsed.value.currency?.code ?? 'USD';
  const minor = toMinorUnits(parsed.value.value, currencyExponent(currency));
  return minor.ok ? { minor: minor.value, currency } : minor.reason;
}

describe('plain amounts', () => {
  const cents = fc.integer({ min: 0, max: 99_999_999_999 });

  it('`$1,234.56` and `EUR 1,234.56` read to the cents they were written from', () => {
    fc.assert(
      fc.property(cents, fc.constantFrom('$', 'EUR ', 'GBP ', ''), (amount, prefix) => {
        const text = `${prefix}${Math.floor(amount / 100).toLocaleString('en-US')}.${String(amount % 100).padStart(2, '0')}`;
        const currency = prefix === '' || prefix === '$' ? 'USD' : prefix.trim();
        expect(minorUnitsOf(text)).toEqual({ minor: amount, currency });
        // Both marks in the text: the file's learned decimal mark cannot change the reading.
        expect(minorUnitsOf(text, ',')).toEqual({ minor: amount, currency });
      }),
    );
  });

  it('a lone comma group stays for the file to decide: `$5,000` is thousands, or 5 dollars in a decimal-comma file', () => {
    expect(minorUnitsOf('$5,000')).toEqual({ minor: 500_000, currency: 'USD' });
    expect(minorUnitsOf('$5,000', ',')).toEqual({ minor: 500, currency: 'USD' });
    expect(minorUnitsOf('$1,234,567')).toEqual({ minor: 123_456_700, currency: 'USD' });
    expect(minorUnitsOf('$1.234', '.')).toEqual({ minor: 123, currency: 'USD' });
    expect(minorUnitsOf('$1.234')).toEqual({ minor: 123_400, currency: 'USD' });
  });

  it('misgrouped or foreign amounts still fail with the general reason', () => {
    expect(minorUnitsOf('$1,23,456.00')).toBe("'$1,23,456.00' is not a number");
    expect(minorUnitsOf('XYZ 12.50')).toBe("'XYZ 12.50' is not a number ('XYZ' is not a currency code)");
    expect(minorUnitsOf('$12.')).toBe("'$12.' is not a number");
  });
});

describe('toMinorUnits', () => {
  it('rounds half away from zero exactly, however many digits', () => {
    const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
    fc.assert(
      fc.property(fc.boolean(), digits(1, 19), digits(0, 5), fc.integer({ min: 0, max: 3 }), (negative, integerDigits, fractionDigits, exponent) => {
        // Oracle in BigInt arithmetic: scale, then add one when the first dropped digit is 5 or more.
        const scaled = BigInt(integerDigits) * 10n ** BigInt(exponent) + BigInt(fractionDigits.slice(0, exponent).padEnd(exponent, '0') || '0');
        const magnitude = scaled + (Number(fractionDigits[exponent] ?? '0') >= 5 ? 1n : 0n);
        const result = toMinorUnits({ negative, integerDigits, fractionDigits }, exponent);
        if (magnitude > BigInt(Number.MAX_SAFE_INTEGER)) {
          expect(result.ok).toBe(false);
        } else {
          expect(result).toStrictEqual({ ok: true, value: negative && magnitude !== 0n ? -Number(magnitude) : Number(magnitude) });
        }
      }),
    );
  });
});

describe('numeric dates', () => {
  it('M/D/YYYY, M/D/YY and YYYY-MM-DD read to the calendar date, impossible ones fail saying how they were read', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1970, max: 2069 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (year, month, day) => {
        const iso = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
        const real = day <= daysInMonth(year, month);
        for (const text of [`${month}/${day}/${year}`, `${month}-${day}-${String(year % 100).padStart(2, '0')}`, iso]) {
          const parsed = parseDate(text, dateOptions);
          if (real) expect(parsed).toStrictEqual({ ok: true, value: iso });
          else expect(parsed.ok).toBe(false);
        }
        if (!real) {
          expect(parseDate(`${month}/${day}/${year}`, dateOptions)).toStrictEqual({
            ok: false,
            reason: `'${month}/${day}/${year}' is not a real date (read as month/day/year, config ingest.dateOrder)`,
          });
        }
      }),
    );
  });

  it('day-first files read the same text the other way round', () => {
    expect(parseDate('3/5/2026', { ...dateOptions, dateOrder: 'dmy' })).toStrictEqual({ ok: true, value: '2026-05-03' });
    expect(parseDate('3.5.2026', dateOptions)).toStrictEqual({ ok: true, value: '2026-05-03' }); // dotted is always day first
  });
});

describe('digit-only numbers', () => {
  it('read as the integer they spell', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 0, max: 3 }), (value, zeros) => {
        expect(parseDecimalNumber(`${'0'.repeat(zeros)}${value}`)).toStrictEqual({ ok: true, value });
      }),
    );
  });
});

describe('plain deal checks', () => {
  const validDeal: Deal = {
    id: '0061x01',
    name: 'Acme Expansion',
    account: 'Acme Corp',
    owner: 'Dana Reyes',
    stage: 'Prospecting',
    stageClass: 'open',
    probability: 0.1,
    amount: 123_456,
    currency: 'USD',
    originalAmount: 123_456,
    closeDate: '2026-03-05',
    createdDate: null,
    pipeline: null,
    lastActivityDate: '2024-02-29',
  };
  const fieldValues = {
    id: fc.constantFrom('0061x01', '', 'x'.repeat(255), 'x'.repeat(256), undefined),
    name: fc.constantFrom('Acme', '', 'n'.repeat(1001), undefined),
    account: fc.constantFrom('', 'Acme', 'a'.repeat(1001)),
    owner: fc.constantFrom('', 'Dana', 'o'.repeat(1000)),
    stage: fc.constantFrom('Prospecting', '', undefined),
    stageClass: fc.constantFrom('open', 'won', 'lost', 'pending', undefined),
    probability: fc.constantFrom(0, 0.5, 1, -0.1, 1.1, Number.NaN, undefined),
    amount: fc.constantFrom(0, 1, -1, 1.5, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 1, Number.POSITIVE_INFINITY, undefined),
    currency: fc.constantFrom('USD', 'usd', 'EURO', '', undefined),
    originalAmount: fc.constantFrom(0, 42, -5, 0.5, undefined),
    closeDate: fc.constantFrom('2026-03-05', '2026-02-30', '3/5/2026', '', undefined),
    createdDate: fc.constantFrom(null, '2025-12-31', '2025-13-01', undefined),
    pipeline: fc.constantFrom(null, '', 'default', 'p'.repeat(1001)),
    lastActivityDate: fc.constantFrom(null, '2024-02-29', '2025-02-29', undefined),
    stageChangeDate: fc.constantFrom(null, '2024-02-29', '2025-02-29', '', undefined),
  };

  it('accept a deal exactly when dealSchema does, and then the candidate is what dealSchema returns', () => {
    fc.assert(
      fc.property(fc.record(fieldValues), (fields) => {
        const candidate = fields as DealCandidate;
        const parsed = dealSchema.safeParse(candidate);
        expect(isValidDeal(candidate)).toBe(parsed.success);
        if (parsed.success) expect(candidate).toStrictEqual(parsed.data);
      }),
      { numRuns: 2_000 },
    );
  });

  it('accept a valid deal (the fast path is taken)', () => {
    expect(isValidDeal(validDeal)).toBe(true);
    expect(isValidDeal({ ...validDeal, lastActivityDate: '2026-02-30' })).toBe(false);
    expect(isValidDeal({ ...validDeal, stageChangeDate: '2026-03-20' })).toBe(true);
    expect(isValidDeal({ ...validDeal, stageChangeDate: null })).toBe(true);
    expect(isValidDeal({ ...validDeal, stageChangeDate: '2026-02-30' })).toBe(false);
  });
});

describe('memoised parses across rows', () => {
  const config = parseConfig({
    org: { name: 'Northwind', timeZone: 'America/New_York' },
    currency: { reporting: 'USD', rates: { EUR: 1.1 } },
    mail: { from: 'revperf@northwind.com', allowedDomains: ['northwind.com'] },
  });
  const header = ['Opportunity Name', 'Opportunity Owner', 'Stage', 'Amount', 'Amount Currency', 'Close Date'];

  function outcomes(rows: RawCell[][], dateOrder: 'mdy' | 'dmy' = 'mdy') {
    const normaliser = new UploadNormaliser({
      kind: 'deals',
      uploadKey: 'uploads/deals/export.csv',
      config: { ...config, ingest: { ...config.ingest, dateOrder } },
      calendar: new FiscalCalendar({ ...config.fiscal, timeZone: config.org.timeZone }),
      fxRates: [{ currency: 'EUR', rate: 1.1, validFrom: null }],
      today: '2026-11-16',
    });
    return [header, ...rows].map((cells, index) => normaliser.push({ line: index + 1, cells })).slice(1);
  }

  it('a bad date or currency is rejected on every row that has it, not only the first', () => {
    const rows = [1, 2, 3].map((n): RawCell[] => [`Deal ${n}`, 'Dana', 'Prospecting', '$100.00', n === 2 ? 'USD' : 'XXY', '2/30/2026']);
    const reasons = outcomes(rows).map((outcome) => (outcome.type === 'rejected' ? outcome.rejections.map((r) => r.reason) : []));
    const badDate = "close date '2/30/2026' is not a real date (read as month/day/year, config ingest.dateOrder)";
    const badCurrency = "currency 'XXY' is not an ISO 4217 currency code";
    expect(reasons).toEqual([[badDate, badCurrency], [badDate], [badDate, badCurrency]]);
  });

  it('each upload reads dates in its own order', () => {
    const row: RawCell[] = ['Deal', 'Dana', 'Prospecting', 'EUR 100.00', 'EUR', '3/5/2026'];
    const closeDates = (['mdy', 'dmy'] as const).map((order) => {
      const [outcome] = outcomes([row], order);
      return outcome?.type === 'accepted' && outcome.entity.kind === 'deals' ? [outcome.entity.value.closeDate, outcome.entity.value.amount] : outcome;
    });
    expect(closeDates).toEqual([
      ['2026-03-05', 11_000],
      ['2026-05-03', 11_000],
    ]);
  });
});

describe('config stage rules', () => {
  it('the first matching rule wins, and a rule for the deal’s pipeline beats one for any pipeline', () => {
    const rules = [
      { stage: 'Demo', class: 'open' as const, probability: 0.3 },
      { stage: 'demo', class: 'open' as const, probability: 0.9 },
      { stage: 'DEMO', class: 'won' as const, pipeline: 'Enterprise' },
    ];
    const resolve = (pipeline: string | null) =>
      resolveStage({ stage: 'Demo', pipeline, status: null, fileProbability: null }, { rules, defaultOpenProbability: 0.1 });
    expect(resolve(null)).toEqual({ ok: true, stageClass: 'open', probability: 0.3, recognised: true });
    expect(resolve('enterprise')).toEqual({ ok: true, stageClass: 'won', probability: 1, recognised: true });
    expect(resolve('SMB')).toEqual({ ok: true, stageClass: 'open', probability: 0.3, recognised: true });
  });
});
