import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { openCsv, sniffDelimiter } from '../../../shared/ingest/csv-reader.js';
import { sniffFormat, type ReaderLimits } from '../../../shared/ingest/file-format.js';
import { UnreadableFileError, type RawRow } from '../../../shared/ingest/types.js';

const limits: ReaderLimits = {
  maxFileBytes: 10 * 1024 * 1024,
  maxRows: 1_000_000,
  maxCellChars: 1_000,
  maxUncompressedBytes: 1024 * 1024 * 1024,
  maxZipEntries: 1_000,
};

const utf8 = (text: string) => Buffer.from(text, 'utf8');

async function* chunksOf(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let start = 0; start < bytes.length; start += size) yield bytes.subarray(start, start + size);
}

async function readAll(input: string | Uint8Array, options: { chunkSize?: number; limits?: Partial<ReaderLimits> } = {}) {
  const bytes = typeof input === 'string' ? utf8(input) : input;
  const { description, batches } = await openCsv(chunksOf(bytes, options.chunkSize ?? 64 * 1024), { ...limits, ...options.limits });
  const read: RawRow[] = [];
  for await (const batch of batches) read.push(...batch);
  return { description, rows: read };
}

async function refusal(input: string | Uint8Array, options: { limits?: Partial<ReaderLimits> } = {}): Promise<UnreadableFileError> {
  try {
    await readAll(input, options);
  } catch (error) {
    if (error instanceof UnreadableFileError) return error;
    throw error;
  }
  throw new Error('expected the file to be refused');
}

describe('openCsv — structure', () => {
  it('reads a comma file with CRLF line ends, line numbers from 1', async () => {
    const { description, rows } = await readAll('Deal,Amount,Stage\r\nAcme renewal,1200,Won\r\nGlobex,300,Open\r\n');
    expect(description).toEqual({ format: 'csv', encoding: 'utf-8', delimiter: ',' });
    expect(rows).toEqual([
      { line: 1, cells: ['Deal', 'Amount', 'Stage'] },
      { line: 2, cells: ['Acme renewal', '1200', 'Won'] },
      { line: 3, cells: ['Globex', '300', 'Open'] },
    ]);
  });

  it('sniffs semicolons in a file with decimal commas', async () => {
    const { description, rows } = await readAll('Deal;Amount\nAcme;1.234,56\nGlobex;99,5\nInitech;7\n');
    expect(description.delimiter).toBe(';');
    expect(rows[1]?.cells).toEqual(['Acme', '1.234,56']);
  });

  it('sniffs tabs even when text holds commas', async () => {
    const { description, rows } = await readAll('Deal\tNotes\nAcme\tcall back, maybe\nGlobex\tno, never\n');
    expect(description.delimiter).toBe('\t');
    expect(rows[2]?.cells).toEqual(['Globex', 'no, never']);
  });

  it('is not fooled by a title block above the header', async () => {
    const text = 'Opportunity report; Q3\r\n\r\nDeal,Amount,Stage\r\nA,1,Won\r\nB,2,Lost\r\nC,3,Open\r\n';
    const { description, rows } = await readAll(text);
    expect(description.delimiter).toBe(',');
    expect(rows.map((row) => row.line)).toEqual([1, 3, 4, 5, 6]);
    expect(rows[0]?.cells).toEqual(['Opportunity report; Q3']);
  });

  it('reads a single-column file', async () => {
    const { description, rows } = await readAll('Account\nAcme\nGlobex');
    expect(description.delimiter).toBe(',');
    expect(rows.map((row) => row.cells)).toEqual([['Account'], ['Acme'], ['Globex']]);
  });

  it('keeps delimiters, doubled quotes and line breaks inside quoted fields; line is where the record starts', async () => {
    const text = 'Deal,Notes,Amount\n"Acme, Inc.","said ""yes""\nthen\r\nsigned",10\nGlobex,"",20\n';
    const { rows } = await readAll(text);
    expect(rows).toEqual([
      { line: 1, cells: ['Deal', 'Notes', 'Amount'] },
      { line: 2, cells: ['Acme, Inc.', 'said "yes"\nthen\r\nsigned', '10'] },
      { line: 5, cells: ['Globex', '', '20'] },
    ]);
  });

  it('reads old Mac CR line ends', async () => {
    const { rows } = await readAll('a,b\rc,d\r"e\rf",g\rh,i');
    expect(rows).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['c', 'd'] },
      { line: 3, cells: ['e\rf', 'g'] },
      { line: 5, cells: ['h', 'i'] },
    ]);
  });

  it('skips blank lines but keeps rows of empty fields and a trailing empty field', async () => {
    const { rows } = await readAll('a,b,c\n\n\n,,\nx,y,\n\n');
    expect(rows).toEqual([
      { line: 1, cells: ['a', 'b', 'c'] },
      { line: 4, cells: ['', '', ''] },
      { line: 5, cells: ['x', 'y', ''] },
    ]);
  });

  it('keeps text after a closing quote, as spreadsheets do', async () => {
    const { rows } = await readAll('a,b\n"12"abc,x\n');
    expect(rows[1]?.cells).toEqual(['12abc', 'x']);
  });

  it('gives the same rows whatever the chunking, one byte at a time included', async () => {
    const text = 'Deal;Owner\r\n"Zoë ""Z"" Ltd";José\r\n"multi\r\nline";Ünal 😀\r\nlast;row';
    const whole = await readAll(text);
    const byteByByte = await readAll(text, { chunkSize: 1 });
    expect(byteByByte).toEqual(whole);
    expect(whole.rows).toEqual([
      { line: 1, cells: ['Deal', 'Owner'] },
      { line: 2, cells: ['Zoë "Z" Ltd', 'José'] },
      { line: 3, cells: ['multi\r\nline', 'Ünal 😀'] },
      { line: 5, cells: ['last', 'row'] },
    ]);
  });
});

describe('openCsv — encodings', () => {
  const text = 'Owner,Account\r\nJosé Müller,Société Générale\r\n';
  const expected = [
    ['Owner', 'Account'],
    ['José Müller', 'Société Générale'],
  ];

  it.each([
    ['utf-8', utf8(text)],
    ['utf-8', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(text)])],
    ['utf-16le', iconv.encode(text, 'utf16le', { addBOM: true })],
    ['utf-16be', Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf16be')])],
    ['windows-1252', iconv.encode(text, 'windows1252')],
  ] as const)('decodes %s (BOM stripped)', async (encoding, bytes) => {
    const { description, rows } = await readAll(bytes, { chunkSize: 7 });
    expect(description.encoding).toBe(encoding);
    expect(rows.map((row) => row.cells)).toEqual(expected);
  });

  it('decides Windows-1252 at the first non-ASCII byte, far past the head', async () => {
    const asciiRows = Array.from({ length: 5_000 }, (_, i) => `Deal ${i},${i}\r\n`).join('');
    const bytes = Buffer.concat([utf8(`Deal,Amount\r\n${asciiRows}`), iconv.encode('Café Crème,7\r\n', 'windows1252')]);
    expect(bytes.length).toBeGreaterThan(64 * 1024);
    const { description, rows } = await readAll(bytes, { chunkSize: 1000 });
    expect(rows.at(-1)).toEqual({ line: 5_002, cells: ['Café Crème', '7'] });
    expect(description.encoding).toBe('windows-1252');
  });

  it('keeps UTF-8 when its first multi-byte character is split across chunks', async () => {
    const bytes = utf8('Name\r\n€uro deal\r\n');
    const { description, rows } = await readAll(bytes, { chunkSize: 7 }); // cuts the 3 bytes of '€' after the first
    expect(description.encoding).toBe('utf-8');
    expect(rows[1]?.cells).toEqual(['€uro deal']);
  });
});

describe('openCsv — limits and damage', () => {
  it('cuts a 1 MB cell at maxCellChars, flags it, and still loads the rest of the file', async () => {
    const huge = 'x'.repeat(1024 * 1024);
    const text = `Deal,Notes\nA,"${huge}"\nB,${huge}\nC,short\n`;
    const { rows } = await readAll(text, { limits: { maxCellChars: 100 }, chunkSize: 4096 });
    expect(rows.map((row) => row.line)).toEqual([1, 2, 3, 4]);
    expect(rows[1]).toEqual({ line: 2, cells: ['A', 'x'.repeat(100)], oversizedCells: [1] });
    expect(rows[2]).toEqual({ line: 3, cells: ['B', 'x'.repeat(100)], oversizedCells: [1] });
    expect(rows[3]).toEqual({ line: 4, cells: ['C', 'short'] });
  });

  it('never cuts a cell between the halves of a surrogate pair', async () => {
    const { rows } = await readAll('a\nab😀c\n', { limits: { maxCellChars: 3 } });
    expect(rows[1]).toEqual({ line: 2, cells: ['ab'], oversizedCells: [0] });
  });

  it('yields the row of an unclosed quote at end of file, flagged malformed', async () => {
    const { rows } = await readAll('Deal,Notes\nA,fine\nB,"never closed\nC,lost in the quote\n');
    expect(rows).toEqual([
      { line: 1, cells: ['Deal', 'Notes'] },
      { line: 2, cells: ['A', 'fine'] },
      {
        line: 3,
        cells: ['B', 'never closed\nC,lost in the quote\n'],
        malformed: 'the quoted field opened on line 3 is never closed; the row holds the rest of the file',
      },
    ]);
  });

  it('allows exactly maxRows rows and refuses one more', async () => {
    const three = 'h\n1\n2\n';
    expect((await readAll(three, { limits: { maxRows: 3 } })).rows).toHaveLength(3);
    const error = await refusal(`${three}3\n`, { limits: { maxRows: 3 } });
    expect(error.code).toBe('too-many-rows');
    expect(error.message).toContain('more than 3 rows');
  });

  it('refuses a stream longer than maxFileBytes', async () => {
    const error = await refusal('a,b\n'.repeat(100_000), { limits: { maxFileBytes: 100_000 } });
    expect(error.code).toBe('too-large');
    expect(error.message).toContain('100000-byte limit');
  });

  it('refuses an empty file', async () => {
    expect((await refusal('')).code).toBe('empty');
  });

  it('refuses binary garbage named .csv', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    const error = await refusal(png);
    expect(error.code).toBe('not-a-spreadsheet');
    expect(error.message).toBe('the file is binary data, not CSV text or an XLSX workbook');
  });

  it('names a legacy .xls as such', async () => {
    const xls = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
    const error = await refusal(xls);
    expect(error.code).toBe('not-a-spreadsheet');
    expect(error.message).toContain('legacy .xls');
  });

  it('sends a zip to the XLSX reader', async () => {
    const error = await refusal(Buffer.from('PK\x03\x04\x14\x00\x00\x00', 'latin1'));
    expect(error.code).toBe('unsupported');
  });

  it('streams: never reads more than a couple of chunks ahead of the rows it has handed out', async () => {
    const line = 'Deal 000000,Acme,1200,Won\n';
    const totalRows = 20_000;
    let bytesPulled = 0;
    async function* source() {
      for (let i = 0; i < totalRows; i++) {
        const bytes = utf8(line);
        bytesPulled += bytes.length;
        yield bytes;
      }
    }
    const { batches } = await openCsv(source(), { ...limits, maxRows: totalRows });
    let rowsSeen = 0;
    let worstLead = 0;
    for await (const batch of batches) {
      for (const row of batch) {
        rowsSeen++;
        worstLead = Math.max(worstLead, bytesPulled - row.line * line.length);
      }
    }
    expect(rowsSeen).toBe(totalRows);
    expect(worstLead).toBeLessThanOrEqual(2 * 64 * 1024);
  });

  it('closes the source when the consumer stops early', async () => {
    let closed = false;
    async function* source() {
      try {
        for (let i = 0; i < 100_000; i++) yield utf8(`row ${i},x\n`);
      } finally {
        closed = true;
      }
    }
    const { batches } = await openCsv(source(), limits);
    for await (const batch of batches) if (batch.some((row) => row.line === 3)) break;
    expect(closed).toBe(true);
  });
});

describe('sniffDelimiter', () => {
  it.each([
    ['a,b,c\n1,2,3\n', ','],
    ['a;b;c\n1;2;3\n', ';'],
    ['a\tb\n1\t2\n', '\t'],
    ['"x;y",b\n"1;2",3\n', ','],
    ['one column\nonly\n', ','],
    ['a;b,c;d\n1;2,5;3\n4;5;6\n', ';'],
  ] as const)('%j → %j', (text, delimiter) => {
    expect(sniffDelimiter(text)).toBe(delimiter);
  });
});

describe('sniffFormat', () => {
  it.each([
    ['a zip', Buffer.from('PK\x03\x04rest', 'latin1'), 'xlsx'],
    ['UTF-8 text', utf8('Owner,Amount\r\nJosé,1\r\n'), 'csv'],
    ['Windows-1252 text', iconv.encode('Owner;Amount\r\nJosé;1\r\n', 'windows1252'), 'csv'],
    ['UTF-16 with its BOM, NULs and all', iconv.encode('Owner\tAmount\r\n', 'utf16le', { addBOM: true }), 'csv'],
    ['UTF-16 without a BOM', iconv.encode('Owner\tAmount\r\n', 'utf16le'), 'binary'],
    ['a form feed and a DOS end-of-file mark', utf8('a,b\f\r\n1,2\x1a'), 'csv'],
    ['control bytes', Buffer.from([0x41, 0x01, 0x02, 0x03, 0x42, 0x43]), 'binary'],
  ] as const)('%s → %s', (_, head, format) => {
    expect(sniffFormat(head)).toBe(format);
  });
});
