import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  amountFromMinorUnits,
  cellText,
  currencyExponent,
  currencyFormat,
  deltaMoneyFormat,
  EXCEL_CELL_TEXT_LIMIT,
  excelDate,
  excelDateSerial,
  numberFormatFor,
  quotedSheetName,
  sheetName,
  SHEET_NAME_MAX_LENGTH,
} from '../../../shared/reports/excel/index.js';
import { columnLetter, rowRuns } from '../../../shared/reports/excel/table-sheet.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const FORBIDDEN = /[[\]:*?/\\]/;

describe('sheetName', () => {
  it('keeps a good name as it is', () => {
    expect(sheetName('Open pipeline', [])).toBe('Open pipeline');
    expect(sheetName("O'Brien", [])).toBe("O'Brien");
    expect(sheetName('Ana Peña', [])).toBe('Ana Peña');
  });

  it('replaces the characters Excel forbids and trims apostrophes at the ends', () => {
    expect(sheetName('Deals: Q3 [draft]?', [])).toBe('Deals- Q3 -draft--');
    expect(sheetName('a/b\\c*d', [])).toBe('a-b-c-d');
    expect(sheetName("'quoted'", [])).toBe('quoted');
    expect(sheetName('tab\there', [])).toBe('tab here');
  });

  it('never returns an empty name or the reserved History', () => {
    expect(sheetName('', [])).toBe('Sheet');
    expect(sheetName("  ''  ", [])).toBe('Sheet');
    expect(sheetName('history', [])).toBe('history sheet');
  });

  it('cuts long names to 31 characters without splitting an emoji', () => {
    expect(sheetName('A very long team name for the western region', [])).toBe('A very long team name for the w');
    const emoji = sheetName(`${'x'.repeat(30)}😀`, []);
    expect(emoji).toBe('x'.repeat(30));
  });

  it('makes clashing names unique ignoring case, with deterministic suffixes that fit', () => {
    expect(sheetName('Summary', ['summary'])).toBe('Summary (2)');
    expect(sheetName('Summary', ['Summary', 'SUMMARY (2)'])).toBe('Summary (3)');
    const long = 'B'.repeat(40);
    const first = sheetName(long, []);
    const second = sheetName(long, [first]);
    expect(second).toBe(`${'B'.repeat(27)} (2)`);
    expect(second.length).toBe(SHEET_NAME_MAX_LENGTH);
  });

  it('always gives a valid, unique name (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 50 }), { maxLength: 20 }), (desired) => {
        const taken: string[] = [];
        for (const name of desired) {
          const safe = sheetName(name, taken);
          expect(safe.length).toBeGreaterThan(0);
          expect(safe.length).toBeLessThanOrEqual(SHEET_NAME_MAX_LENGTH);
          expect(safe).not.toMatch(FORBIDDEN);
          expect(safe.startsWith("'") || safe.endsWith("'")).toBe(false);
          expect(safe.toLowerCase()).not.toBe('history');
          expect(taken.map((t) => t.toLowerCase())).not.toContain(safe.toLowerCase());
          taken.push(safe);
        }
      }),
    );
  });

  it('quotes a name for a formula, doubling apostrophes', () => {
    expect(quotedSheetName("O'Brien's deals")).toBe("'O''Brien''s deals'");
  });
});

describe('cellText', () => {
  it('leaves formula-looking and ordinary text alone', () => {
    for (const text of ['=HYPERLINK("http://evil","x")', "+cmd|' /C calc'!A0", '@SUM(1)', '-2+3', '\tTab', '<script>alert(1)</script>', '0012', 'TRUE', '2027-08-17', '😀 Ana Peña']) {
      expect(cellText(text)).toBe(text);
    }
  });

  it('removes characters XML 1.0 forbids and replaces lone surrogates', () => {
    expect(cellText('a\u0000b\u0001c\u0008d\u000Be\u000Cf\u001Fg\u007Fh\uFFFEi\uFFFFj')).toBe('abcdefghij');
    expect(cellText('x\uD800y')).toBe('x\uFFFDy');
    expect(cellText('x\uDC00y')).toBe('x\uFFFDy');
    expect(cellText('ok 😀')).toBe('ok 😀');
  });

  it('turns CR and CRLF into LF, as XML would', () => {
    expect(cellText('\rCR')).toBe('\nCR');
    expect(cellText('a\r\nb')).toBe('a\nb');
  });

  it("cuts text over Excel's cell limit with an ellipsis, never splitting a pair", () => {
    const cut = cellText('y'.repeat(40_000));
    expect(cut.length).toBe(EXCEL_CELL_TEXT_LIMIT);
    expect(cut.endsWith('y…')).toBe(true);
    const emoji = cellText(`${'y'.repeat(EXCEL_CELL_TEXT_LIMIT - 2)}😀😀`);
    expect(emoji.length).toBeLessThanOrEqual(EXCEL_CELL_TEXT_LIMIT);
    expect(emoji.endsWith('y…')).toBe(true);
    expect(cellText('y'.repeat(EXCEL_CELL_TEXT_LIMIT))).toHaveLength(EXCEL_CELL_TEXT_LIMIT);
  });

  it('always yields XML-legal text within the limit (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const safe = cellText(text);
        expect(safe).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\r]/);
        expect(safe).not.toMatch(LONE_SURROGATE);
      }),
    );
  });
});

describe('money and dates', () => {
  it('knows the minor-unit exponent of each currency', () => {
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('USD')).toBe(2);
    expect(currencyExponent('eur')).toBe(2);
    expect(currencyExponent('KWD')).toBe(3);
  });

  it('turns integer minor units into the amount', () => {
    expect(amountFromMinorUnits(123_456, 'USD')).toBe(1234.56);
    expect(amountFromMinorUnits(-5, 'EUR')).toBe(-0.05);
    expect(amountFromMinorUnits(1234, 'JPY')).toBe(1234);
    expect(amountFromMinorUnits(1_234_567, 'KWD')).toBe(1234.567);
    expect(() => amountFromMinorUnits(12.5, 'USD')).toThrow(/integer number of minor units/);
  });

  it('makes a UTC-midnight date from a plain local date', () => {
    expect(excelDate('2027-08-17').toISOString()).toBe('2027-08-17T00:00:00.000Z');
    expect(() => excelDate('17/08/2027')).toThrow(/YYYY-MM-DD/);
    expect(excelDateSerial('2027-08-17')).toBe(46_616);
    expect(excelDateSerial('1900-03-01')).toBe(61);
    expect(() => excelDateSerial('2027-8-17')).toThrow(/YYYY-MM-DD/);
  });
});

describe('number formats', () => {
  it('puts a literal currency symbol where the locale puts it', () => {
    expect(currencyFormat('USD', 'en')).toBe('"$"#,##0');
    expect(currencyFormat('USD', 'en', 2)).toBe('"$"#,##0.00');
    expect(currencyFormat('EUR', 'es')).toBe('#,##0" €"');
    expect(currencyFormat('EUR', 'en')).toBe('"€"#,##0');
    expect(currencyFormat('JPY', 'en')).toBe('"¥"#,##0');
    expect(currencyFormat('USD', 'es')).toBe('#,##0" US$"');
  });

  it('gives each kind its format', () => {
    expect(numberFormatFor('text', 'USD', 'en')).toBeUndefined();
    expect(numberFormatFor('money', 'USD', 'en')).toBe('"$"#,##0');
    expect(numberFormatFor('moneyCents', 'USD', 'en')).toBe('"$"#,##0.00');
    expect(numberFormatFor('moneyCents', 'JPY', 'en')).toBe('"¥"#,##0');
    expect(numberFormatFor('percent', 'USD', 'en')).toBe('0%');
    expect(numberFormatFor('percentTable', 'USD', 'en')).toBe('0.0%');
    expect(numberFormatFor('ratioTimes', 'USD', 'en')).toBe('0.0"×"');
    expect(numberFormatFor('count', 'USD', 'en')).toBe('#,##0');
    expect(numberFormatFor('days', 'USD', 'en')).toBe('#,##0" d"');
    expect(numberFormatFor('date', 'USD', 'en')).toBe('yyyy-mm-dd');
    expect(numberFormatFor('deltaPercentPoints', 'USD', 'en')).toBe('"▲ +"0.0%;"▼ -"0.0%;0.0%');
    expect(numberFormatFor('deltaMoney', 'USD', 'en')).toBe('"▲ +$"#,##0;"▼ -$"#,##0;"$"#,##0');
  });

  it('signs money deltas for a symbol after the number too', () => {
    expect(deltaMoneyFormat('EUR', 'es')).toBe('"▲ +"#,##0" €";"▼ -"#,##0" €";#,##0" €"');
  });
});

describe('sheet helpers', () => {
  it('names columns like Excel', () => {
    expect([1, 12, 26, 27, 52, 703].map(columnLetter)).toEqual(['A', 'L', 'Z', 'AA', 'AZ', 'AAA']);
  });

  it('splits a row range around subtotal rows', () => {
    expect(rowRuns(2, 9, [5])).toEqual([
      [2, 4],
      [6, 9],
    ]);
    expect(rowRuns(2, 9, [9])).toEqual([[2, 8]]);
    expect(rowRuns(2, 3, [2, 3])).toEqual([]);
  });
});
