import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  TEXT_WIDTH, amountList, cleanLine, deltaText, displayWidth, padToWidth, plainTextDocument, section, textTable, wrapText,
} from '../../../shared/reports/email/plain-text.js';
import { HOSTILE_NAMES, LONG_NAME, teamWestScorecard } from '../../fixtures/email/team-west-scorecard.js';

const NFC = 'Ana Peña';
const NFD = 'Ana Pen\u0303a';

describe('displayWidth', () => {
  it('counts an accented letter once whatever its encoding, emoji and CJK twice', () => {
    expect(NFC).not.toBe(NFD);
    expect(displayWidth(NFC)).toBe(8);
    expect(displayWidth(NFD)).toBe(8);
    expect(displayWidth('🚀')).toBe(2);
    expect(displayWidth('👩‍💻 dev')).toBe(6); // ZWJ sequence is one glyph
    expect(displayWidth('🇪🇸')).toBe(2);
    expect(displayWidth('❤️')).toBe(2); // text symbol with emoji presentation selector
    expect(displayWidth('山田太郎')).toBe(8);
    expect(displayWidth('▲ +6')).toBe(4);
    expect(displayWidth('a\u200bb')).toBe(2);
    expect(displayWidth('')).toBe(0);
  });

  it('pads by display width, left or right', () => {
    expect(padToWidth(NFD, 10)).toBe(`${NFD}  `);
    expect(padToWidth('🚀', 4, 'right')).toBe('  🚀');
    expect(padToWidth('too long', 3)).toBe('too long');
  });
});

describe('cleanLine', () => {
  it('flattens line breaks and drops control characters and bidi overrides, so a name cannot forge report lines', () => {
    expect(cleanLine('Ana\r\nTotal: $9,999,999')).toBe('Ana Total: $9,999,999');
    expect(cleanLine('\u001b[31mred\u001b[0m')).toBe('[31mred[0m');
    expect(cleanLine('evil\u202etxt.exe')).toBe('eviltxt.exe');
    for (const name of HOSTILE_NAMES) expect(cleanLine(name)).toBe(name);
  });
});

describe('wrapText', () => {
  it('wraps at word boundaries within the width and keeps every word', () => {
    const text = 'Data: salesforce-opps.csv (2,412 rows, Mon 17 Aug 07:02), people.csv, quotas.xlsx · USD · America/New_York · 3 rows rejected';
    const lines = wrapText(text, 40);
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(40);
    expect(lines.join(' ')).toBe(text);
  });

  it('breaks a word longer than the line by graphemes', () => {
    expect(wrapText('=HYPERLINK("http://evil","x")', 10)).toEqual(['=HYPERLINK', '("http://e', 'vil","x")']);
    expect(wrapText(`${'🚀'.repeat(3)}`, 4)).toEqual(['🚀🚀', '🚀']);
    expect(wrapText('', 10)).toEqual(['']);
  });

  it('never exceeds the width for any text (property)', () => {
    const unit = fc.constantFrom('a', 'ñ', 'n\u0303', ' ', ' ', '🚀', '山', '-', '\n', '\u0000');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 200 }), fc.integer({ min: 2, max: 80 }), (text, width) => {
        const lines = wrapText(text, width);
        for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(width);
        expect(lines.join('').replace(/ /g, '')).toBe(cleanLine(text).replace(/ /g, ''));
      }),
      { numRuns: 300 },
    );
  });
});

describe('section and deltaText', () => {
  it('underlines a title to its display width', () => {
    expect(section('Peña 🚀', ['body'])).toEqual(['Peña 🚀', '-------', 'body']);
    expect(section('Team West', [], '=')).toEqual(['Team West', '=========']);
  });

  it('writes deltas as arrow plus sign', () => {
    expect(deltaText({ text: '+6 pts', direction: 'up' })).toBe('▲ +6 pts');
    expect(deltaText({ text: '−$120k', direction: 'down' })).toBe('▼ −$120k');
    expect(deltaText({ text: '0', direction: 'flat' })).toBe('▶ 0');
  });
});

describe('textTable', () => {
  const columns = [{ header: 'Rep' }, { header: 'Revenue', align: 'right' }, { header: 'Attain.', align: 'right' }] as const;

  it('aligns columns by display width: accents (either encoding), emoji and CJK line up', () => {
    const lines = textTable({
      columns,
      rows: [{ cells: [NFC, '$312k', '104%'] }, { cells: [NFD, '$1k', '9%'] }, { cells: ['🚀 Rocket', '$12k', '50%'] }, { cells: ['山田太郎', '$7k', '1%'] }],
    });
    expect(lines[0]).toBe('Rep        Revenue  Attain.'); // widest name: '🚀 Rocket', 9 columns
    expect(lines[1]).toBe('---------  -------  -------');
    const ends = lines.map(displayWidth);
    expect(new Set(ends)).toEqual(new Set([27]));
    // Every revenue figure ends in the same display column (9 + 2 + 7).
    const revenues = ['$312k', '$1k', '$12k', '$7k'];
    lines.slice(2).forEach((line, i) => {
      const revenue = revenues[i]!;
      expect(displayWidth(line.slice(0, line.indexOf(revenue) + revenue.length))).toBe(18);
    });
  });

  it('wraps the name column onto continuation lines to stay within 76 columns, figures stay whole', () => {
    const lines = textTable({
      columns: [...columns, { header: 'Pace', align: 'right' }, { header: 'Coverage', align: 'right' }, { header: 'Win rate', align: 'right' }, { header: 'Deals', align: 'right' }],
      rows: [
        { cells: [LONG_NAME, '$164,000', '84.0%', '109.0%', 'quota met', '33.3%', '1,204'] },
        { cells: ['Team West', '$1,230,000', '82.0%', '106.0%', '2.1×', '34.4%', '9,999'], emphasis: 'subtotal' },
      ],
    });
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(TEXT_WIDTH);
    expect(lines.some((line) => line.endsWith('1,204') && line.startsWith('Maximiliano'))).toBe(true);
    const nameLines = lines.slice(2, -2).map((line) => line.split('  ')[0]!.trim());
    expect(nameLines.join(' ')).toBe(LONG_NAME);
    expect(lines.at(-2)).toMatch(/^-+ {2}-+/); // rule above the subtotal
    expect(lines.at(-1)).toMatch(/^Team West +\$1,230,000/);
  });

  it('rejects rows with the wrong number of cells', () => {
    expect(() => textTable({ columns, rows: [{ cells: ['a'] }] })).toThrow(/row 1 has 1 cells for 3 columns/);
  });
});

describe('amountList and plainTextDocument', () => {
  it('puts amounts flush right at the width, wrapping long labels', () => {
    const lines = amountList([{ label: `Fabrikam expansion (Fabrikam · ${LONG_NAME} · won Mon 10 Aug)`, amount: '$24,900.00' }], 60);
    expect(lines[0]).toMatch(/ {2}\$24,900\.00$/);
    expect(displayWidth(lines[0]!)).toBe(60);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(60);
  });

  it('joins blocks with one blank line and trims trailing blanks', () => {
    expect(plainTextDocument([['a  ', 'b'], [], ['c']])).toBe('a\nb\n\nc\n');
  });
});

describe('the Team West scorecard text body', () => {
  const { text } = teamWestScorecard();

  it('keeps every line within 76 columns and every hostile, accented and long name literal', () => {
    for (const line of text.split('\n')) expect(displayWidth(line), line).toBeLessThanOrEqual(TEXT_WIDTH);
    for (const name of [...HOSTILE_NAMES, 'Ana Peña', 'Chloé', 'Müller & Söhne GmbH']) expect(text).toContain(name);
    expect(text.replace(/\n {2,}|\n/g, ' ')).toContain('Maximiliano');
  });

  it('has the headline, the table with its subtotal and the deltas as arrows', () => {
    expect(text).toMatch(/^Team West · FY2027-Q3 · week 10 of 13 · as of Mon 17 Aug\n=+\nTeam West: 82% of FY2027-Q3 quota/);
    expect(text).toContain('▲ +6 pts');
    expect(text).toContain('▼ −2 pts');
    expect(text).toMatch(/\n {2,}Team West +\$1\.23M +82%/);
  });
});
