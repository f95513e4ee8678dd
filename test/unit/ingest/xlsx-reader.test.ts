import ExcelJS from 'exceljs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReaderLimits } from '../../../shared/ingest/file-format.js';
import { UnreadableFileError, type RawRow } from '../../../shared/ingest/types.js';
import { excelSerialToDate, isDateFormatCode, openXlsx } from '../../../shared/ingest/xlsx-reader.js';
import { ANOTHER_WRITER_SHEET, buildPipelineWorkbook, handMadeParts, utc } from '../../support/xlsx-fixtures.js';
import { buildZip, type ZipFixtureEntry } from './zip-fixture.js';

const limits: ReaderLimits = {
  maxFileBytes: 50 * 1024 * 1024,
  maxRows: 100_000,
  maxCellChars: 32_767,
  maxUncompressedBytes: 1024 * 1024 * 1024,
  maxZipEntries: 1_000,
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'revperf-xlsx-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function saveWorkbook(name: string, build: (workbook: ExcelJS.Workbook) => void): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  build(workbook);
  const path = join(dir, name);
  await workbook.xlsx.writeFile(path);
  return path;
}

async function saveZip(name: string, entries: ZipFixtureEntry[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, buildZip(entries));
  return path;
}

async function readXlsx(path: string, options: { sheet?: string; limits?: Partial<ReaderLimits> } = {}) {
  const { description, batches } = await openXlsx(path, { ...limits, ...options.limits }, options.sheet);
  const read: RawRow[] = [];
  for await (const batch of batches) read.push(...batch);
  return { description, rows: read };
}

async function refusal(promise: Promise<unknown>): Promise<UnreadableFileError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof UnreadableFileError) return error;
    throw error;
  }
  throw new Error('expected the workbook to be refused');
}

describe('openXlsx on workbooks written by exceljs', () => {
  it('reads the first sheet with every value typed as Excel shows it', async () => {
    const path = await saveWorkbook('pipeline.xlsx', buildPipelineWorkbook);
    const { description, rows } = await readXlsx(path);
    expect(description).toEqual({ format: 'xlsx', sheet: 'Opportunities' });
    expect(rows).toEqual([
      { line: 1, cells: ['Pipeline report — Q1 2026'] },
      { line: 2, cells: ['Generated 2026-04-01'] },
      { line: 4, cells: ['Opportunity', 'Amount', 'Close Date', 'Stage', 'Owner', 'Won', 'Commission', 'Per unit', 'Label'] },
      {
        line: 5,
        cells: ['Acme renewal', 12000.5, utc(2026, 2, 31), 'Closed Won', 'José Müller', true, 1200.05, '#DIV/0!', 'Acme renewal (renewal)'],
      },
      { line: 6, cells: ['Globex', null, null, 'Closed Won'] },
      { line: 8, cells: [null, null, utc(2026, 0, 2), utc(2026, 0, 2, 14, 45), 0.25, 30, '#N/A', 'two\nlines'] },
    ]);
  });

  it('reads a sheet chosen by name, ignoring case and spacing around it', async () => {
    const path = await saveWorkbook('pipeline-quotas.xlsx', buildPipelineWorkbook);
    const { description, rows } = await readXlsx(path, { sheet: ' quotas ' });
    expect(description.sheet).toBe('Quotas');
    expect(rows).toEqual([
      { line: 1, cells: ['Owner', 'Quota'] },
      { line: 2, cells: ['José Müller', 50000] },
    ]);
  });

  it('names the sheets there are when the wanted one is missing', async () => {
    const path = await saveWorkbook('pipeline-missing.xlsx', buildPipelineWorkbook);
    const error = await refusal(openXlsx(path, limits, 'Deals'));
    expect(error.code).toBe('unsupported');
    expect(error.message).toBe('the workbook has no worksheet named "Deals"; it has "Opportunities", "Quotas"');
  });

  it('reads dates of a 1904 workbook', async () => {
    const path = await saveWorkbook('mac-1904.xlsx', (workbook) => {
      workbook.properties.date1904 = true;
      const sheet = workbook.addWorksheet('Deals');
      sheet.addRow(['Close Date', 'Amount']);
      sheet.addRow([utc(2026, 2, 15, 10, 30), 5]);
      sheet.addRow([utc(1904, 0, 2), 6]);
    });
    const { rows } = await readXlsx(path);
    expect(rows.map((row) => row.cells)).toEqual([
      ['Close Date', 'Amount'],
      [utc(2026, 2, 15, 10, 30), 5],
      [utc(1904, 0, 2), 6],
    ]);
  });

  it('cuts a 1 MB text cell at maxCellChars, flags it, and reads on', async () => {
    // Varied text: a megabyte of one letter deflates past the zip guard's ratio limit.
    let seed = 7;
    const notes = Array.from({ length: 1024 * 1024 }, () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return String.fromCharCode(97 + (seed % 26));
    }).join('');
    const path = await saveWorkbook('long-cell.xlsx', (workbook) => {
      const sheet = workbook.addWorksheet('Deals');
      sheet.addRow(['Deal', 'Notes']);
      sheet.addRow(['Acme', notes]);
      sheet.addRow(['Globex', 'short']);
    });
    const { rows } = await readXlsx(path, { limits: { maxCellChars: 100 } });
    expect(rows).toEqual([
      { line: 1, cells: ['Deal', 'Notes'] },
      { line: 2, cells: ['Acme', notes.slice(0, 100)], oversizedCells: [1] },
      { line: 3, cells: ['Globex', 'short'] },
    ]);
  });

  it('allows exactly maxRows rows and refuses one more', async () => {
    const path = await saveWorkbook('rows.xlsx', (workbook) => {
      const sheet = workbook.addWorksheet('Deals');
      for (let i = 1; i <= 5; i++) sheet.addRow([`Deal ${i}`, i]);
    });
    expect((await readXlsx(path, { limits: { maxRows: 5 } })).rows).toHaveLength(5);
    const error = await refusal(readXlsx(path, { limits: { maxRows: 4 } }));
    expect(error.code).toBe('too-many-rows');
  });

  it('refuses a file over maxFileBytes before opening it', async () => {
    const path = await saveWorkbook('big.xlsx', (workbook) => workbook.addWorksheet('Deals').addRow(['x']));
    const error = await refusal(openXlsx(path, { ...limits, maxFileBytes: 1_000 }));
    expect(error.code).toBe('too-large');
  });
});

describe('openXlsx on a hand-made workbook (another writer)', () => {
  it('reads inline strings, rich runs, escapes, ISO dates, missing references and relative styles', async () => {
    const sheet = ANOTHER_WRITER_SHEET;
    const path = await saveZip('hand-made.xlsx', handMadeParts(sheet));
    const { description, rows } = await readXlsx(path);
    expect(description).toEqual({ format: 'xlsx', sheet: 'Data' });
    expect(rows).toEqual([
      { line: 1, cells: ['Account', 'Amount', 'Signed'] },
      { line: 3, cells: ['東京', -1234.5, utc(2026, 2, 31)] },
      { line: 4, cells: ['Big Deal', null, utc(2026, 2, 31, 9, 15), utc(2026, 2, 31, 12)] },
      { line: 7, cells: [null, 'Rich run', 'Line\r\nbreak, literal _x0041_', false, '<cached & raw>'] },
      { line: 8, cells: [], malformed: 'cell B8 refers to shared string 9, which the workbook lacks' },
    ]);
  });

  it('calls malformed sheet XML not a spreadsheet, naming the part', async () => {
    const path = await saveZip('broken-xml.xlsx', handMadeParts('<worksheet><sheetData><row><c><v>1</v></row></sheetData></worksheet>'));
    const error = await refusal(readXlsx(path));
    expect(error.code).toBe('not-a-spreadsheet');
    expect(error.message).toMatch(/^xl\/worksheets\/data.xml is not well-formed XML \(/);
  });

  it('calls a zip without a workbook not a spreadsheet', async () => {
    const path = await saveZip('word.docx', [{ name: 'word/document.xml', data: '<document/>' }]);
    const error = await refusal(openXlsx(path, limits));
    expect(error).toMatchObject({ code: 'not-a-spreadsheet', message: 'the zip has no workbook (xl/workbook.xml); it is not an XLSX file' });
  });

  it('checks the zip before inflating anything', async () => {
    const sheet = '<worksheet><sheetData/></worksheet>';
    const path = await saveZip('bomb.xlsx', handMadeParts(sheet, [{ name: 'xl/media/huge.bin', data: 'x', declaredSize: 2_000_000 }]));
    const error = await refusal(openXlsx(path, { ...limits, maxUncompressedBytes: 1_000_000 }));
    expect(error.code).toBe('zip-bomb');
    expect(error.message).toContain('"xl/media/huge.bin" declares 2000000 bytes uncompressed');
  });
});

describe('excelSerialToDate', () => {
  it.each([
    [1, false, utc(1900, 0, 1)],
    [59, false, utc(1900, 1, 28)],
    [60, false, utc(1900, 1, 28)], // Excel's 1900-02-29, which never was
    [61, false, utc(1900, 2, 1)],
    [45000, false, utc(2023, 2, 15)],
    [45000.75, false, utc(2023, 2, 15, 18)],
    [0, true, utc(1904, 0, 1)],
    [43538, true, utc(2023, 2, 15)],
  ] as const)('serial %d (1904: %s) is %s', (serial, date1904, expected) => {
    expect(excelSerialToDate(serial, date1904)).toEqual(expected);
  });

  it('refuses serials outside Excel’s dates', () => {
    expect(excelSerialToDate(-1, false)).toBeNull();
    expect(excelSerialToDate(2_958_466, false)).toBeNull();
    expect(excelSerialToDate(Number.NaN, false)).toBeNull();
  });
});

describe('isDateFormatCode', () => {
  it.each(['dd/mm/yyyy', 'd-mmm-yy h:mm', '[$-409]mmmm d, yyyy', '[h]:mm:ss', 'yyyy-mm-dd"T"hh:mm', 'mm:ss.0'])('%s is a date', (code) => {
    expect(isDateFormatCode(code)).toBe(true);
  });
  it.each(['0.00%', '#,##0 "days"', '[Red]#,##0.00', 'General', '0.00E+00', '\\d0', '_-* #,##0_-', '[$USD-409] #,##0'])('%s is not', (code) => {
    expect(isDateFormatCode(code)).toBe(false);
  });
});
