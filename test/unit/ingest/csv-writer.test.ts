import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openCsv } from '../../../shared/ingest/csv-reader.js';
import { csvLine, neutraliseFormula } from '../../../shared/ingest/csv-writer.js';

describe('neutraliseFormula', () => {
  it.each([
    ['=SUM(A1:A3)', "'=SUM(A1:A3)"],
    ['=HYPERLINK("http://evil.example","click")', `'=HYPERLINK("http://evil.example","click")`],
    ['+1+2', "'+1+2"],
    ['-2+3', "'-2+3"],
    ['@SUM(1)', "'@SUM(1)"],
    ['\t=1', "'\t=1"],
    ['\rcmd', "'\rcmd"],
    ['   =1+1', "'   =1+1"],
    ['-', "'-"],
    ['-1,234', "'-1,234"],
    ['- discount', "'- discount"],
  ])('neutralises %j', (text, safe) => {
    expect(neutraliseFormula(text)).toBe(safe);
  });

  it.each(['-12.5', '+3', '-.5', '1e3', '-2E-4', ' -7', 'Acme', 'a=b', '', '  ', "'=already"])('leaves %j alone', (text) => {
    expect(neutraliseFormula(text)).toBe(text);
  });
});

async function* oneChunk(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

describe('csvLine', () => {
  it('quotes per RFC 4180, neutralises text, writes numbers and nulls plainly, ends in CRLF', () => {
    expect(csvLine(['Acme, Inc.', 'said "hi"', 12.5, null, '=1+2', 'two\nlines', -3])).toBe(
      `"Acme, Inc.","said ""hi""",12.5,,'=1+2,"two\nlines",-3\r\n`,
    );
  });

  it('quotes for the delimiter in use', () => {
    expect(csvLine(['a;b', 'a,b', 'x\ty'], ';')).toBe('"a;b";a,b;x\ty\r\n');
    expect(csvLine(['a;b', 'x\ty'], '\t')).toBe('a;b\t"x\ty"\r\n');
  });

  it('quotes a neutralised cell that needs it', () => {
    expect(csvLine(['=A1,B1'])).toBe(`"'=A1,B1"\r\n`);
  });

  it('refuses NaN and Infinity instead of printing them', () => {
    expect(() => csvLine([Number.NaN])).toThrow(RangeError);
    expect(() => csvLine([Number.POSITIVE_INFINITY])).toThrow(RangeError);
  });

  it('is read back by openCsv as the neutralised text (property)', async () => {
    // No ';' or tab in the text: with those left bare the reader could not tell which delimiter the file uses.
    const character = fc.constantFrom('a', '1', ' ', ',', '"', '\r', '\n', '=', '+', '-', '@', '.', 'é', '😀');
    const row = fc.array(fc.string({ unit: character, maxLength: 6 }), { minLength: 2, maxLength: 4 });
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 6 }), async (rows) => {
        const width = rows[0]!.length;
        const table = rows.map((cells) => [...cells, ...Array<string>(width).fill('')].slice(0, width));
        const bytes = Buffer.from(table.map((cells) => csvLine(cells)).join(''), 'utf8');
        const { batches } = await openCsv(oneChunk(bytes), {
          maxFileBytes: 1e6,
          maxRows: 100,
          maxCellChars: 1000,
          maxUncompressedBytes: 1e6,
          maxZipEntries: 10,
        });
        const cells: unknown[] = [];
        for await (const batch of batches) for (const rawRow of batch) cells.push(rawRow.cells);
        expect(cells).toEqual(table.map((row) => row.map(neutraliseFormula)));
      }),
      { numRuns: 200 },
    );
  });
});
