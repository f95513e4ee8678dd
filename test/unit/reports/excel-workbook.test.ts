// Builds a workbook with the toolkit, reads it back with exceljs (values,
// types, formats, conditional formats, panes, filters, print setup, names,
// pictures, properties), checks the raw XML, and has LibreOffice convert it to
// PDF — an independent reader that fails on a file Excel would call corrupt.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellText, RAG_FILLS, ReportWorkbook, type TableColumn } from '../../../shared/reports/excel/index.js';
import { convertToPdf } from '../../support/libreoffice.js';
import { gradientPng } from '../../support/png.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const HOSTILE = [
  '=HYPERLINK("http://evil","x")',
  "+cmd|' /C calc'!A0",
  '@SUM(1)',
  '-2+3',
  '\tTab',
  '\rCR',
  '<script>alert(1)</script>',
  'ctl\u0000\u0001\u0007\u000B\u001F\uFFFE\uFFFF\uD800end',
  'z'.repeat(40_000),
  '🚀 emoji 👩‍👩‍👧',
  'Ana Peña, José Müller, Zoë Ørsted',
  '0012',
  'TRUE',
  '2027-08-17',
  '_x0041_',
];

const CREATED = new Date('2027-09-02T07:30:00Z');
const PNG = gradientPng(320, 160);

type DealKey = 'deal' | 'owner' | 'amount' | 'attainment' | 'closeDate' | 'coverage' | 'count' | 'age' | 'delta' | 'deltaMoney' | 'total' | 'pace';
const DEAL_COLUMNS: TableColumn<DealKey>[] = [
  { key: 'deal', header: 'Deal', kind: 'text' },
  { key: 'owner', header: 'Owner', kind: 'text', width: 18 },
  { key: 'amount', header: 'Amount', kind: 'moneyCents' },
  { key: 'total', header: 'Revenue', kind: 'money' },
  { key: 'attainment', header: 'Attainment', kind: 'percentTable', naNote: 'n/a: no quota' },
  { key: 'pace', header: 'Pace', kind: 'percent' },
  { key: 'coverage', header: 'Coverage', kind: 'ratioTimes' },
  { key: 'count', header: 'Deals', kind: 'count' },
  { key: 'age', header: 'Age', kind: 'days' },
  { key: 'closeDate', header: 'Close date', kind: 'date' },
  { key: 'delta', header: 'Δ attainment', kind: 'deltaPercentPoints' },
  { key: 'deltaMoney', header: 'Δ revenue', kind: 'deltaMoney' },
];

let dir: string;
let path: string;
let book: ExcelJS.Workbook;
let parts: Map<string, string>;
let sheetNames: readonly string[];

function nextEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry | null> {
  return new Promise((resolve, reject) => {
    const onEntry = (entry: yauzl.Entry): void => done(entry);
    const onEnd = (): void => done(null);
    const onError = (error: Error): void => {
      done(null);
      reject(error);
    };
    const done = (entry: yauzl.Entry | null): void => {
      zip.off('entry', onEntry).off('end', onEnd).off('error', onError);
      resolve(entry);
    };
    zip.on('entry', onEntry).on('end', onEnd).on('error', onError);
    zip.readEntry();
  });
}

async function readZip(file: string): Promise<Map<string, string>> {
  const zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false });
  const entries = new Map<string, string>();
  try {
    for (let entry = await nextEntry(zip); entry !== null; entry = await nextEntry(zip)) {
      const stream = await zip.openReadStreamPromise(entry);
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      entries.set(entry.fileName.replace(/^\//, ''), Buffer.concat(chunks).toString('utf8'));
    }
  } finally {
    zip.close();
  }
  return entries;
}

async function buildWorkbook(file: string): Promise<readonly string[]> {
  const workbook = new ReportWorkbook({
    output: { filename: file },
    currency: 'USD',
    locale: 'en',
    properties: {
      title: 'Team West · FY2027-Q3 pre-review',
      organisation: 'Acme Corp',
      period: 'FY2027-Q3',
      asOf: 'as of 2027-09-02',
      description: 'Quarterly pre-review pack',
      createdAt: CREATED,
    },
  });
  const chart = workbook.addImage(PNG);

  const summary = workbook.addBlockSheet('Summary');
  summary
    .title('Team West · FY2027-Q3 pre-review · as of 2 Sep')
    .keyValues(
      [
        { label: 'Revenue', value: 123_000_000, kind: 'money' },
        { label: 'Quota', value: null, kind: 'money', naNote: 'n/a: no quota' },
        { label: 'Attainment', value: 0.82, kind: 'percent' },
        { label: 'Coverage', value: 2.1, kind: 'ratioTimes' },
      ],
      'Headline',
    )
    .blank()
    .pictureOver(chart, 'E2:J14', 'Attainment by team');

  const rep = workbook.addBlockSheet('Ana Peña · Team West');
  rep
    .title('Ana Peña · Team West · FY2027-Q3 pre-review · as of 2 Sep')
    .bullets(['Pace 74% — needs $12,400 per business day to reach quota', ...HOSTILE.slice(0, 3)], 'Talking points')
    .table({
      title: 'Plan / actual / variance',
      columns: [
        { key: 'metric', header: 'Metric', kind: 'text' },
        { key: 'attainment', header: 'Attainment', kind: 'percentTable', naNote: 'n/a: no quota' },
        { key: 'revenue', header: 'Revenue', kind: 'money' },
      ],
      rows: [
        { metric: 'This quarter', attainment: 0.74, revenue: 31_200_000 },
        { metric: 'Last quarter', attainment: null, revenue: 20_100_000 },
      ],
      subtotals: [{ metric: 'Total', revenue: 51_300_000 }],
      rag: { attainment: { green: 1, amber: 0.8 } },
      dataBar: { column: 'revenue' },
    })
    .picture(chart, { alt: 'Five-quarter revenue', widthPx: 320, heightPx: 160 });

  const deals = workbook.addTableSheet('Open pipeline', {
    columns: DEAL_COLUMNS,
    rag: { attainment: { green: 1, amber: 0.8 }, pace: { green: 1, amber: 0.9 } },
    dataBar: { column: 'total' },
  });
  HOSTILE.forEach((text, index) => {
    deals.addRow({
      deal: text,
      owner: index === 0 ? 'José Müller' : 'Ana Peña',
      amount: 123_456 + index,
      total: 5_000_000 + index * 100,
      attainment: index === 1 ? null : 0.5 + index * 0.05,
      pace: 1.05,
      coverage: 2.25,
      count: 1234,
      age: 45,
      closeDate: '2027-08-17',
      delta: index % 2 === 0 ? 0.06 : -0.031,
      deltaMoney: index % 2 === 0 ? 21_000_000 : -12_000_000,
    });
  });
  deals.addSubtotal({ deal: 'Total', amount: 999_999, total: 99_999_900 });
  deals.addRow({ deal: 'after subtotal', amount: 1, total: 100 });
  const summaryOfDeals = deals.commit();
  expect(summaryOfDeals).toEqual({ sheetName: 'Open pipeline', rows: HOSTILE.length + 2, ref: `A1:L${HOSTILE.length + 3}` });

  // Colliding and illegal names.
  for (const desired of ['open pipeline', 'Deals: Q3 [draft]?', "O'Brien's deals", 'History', '']) {
    const sheet = workbook.addTableSheet(desired, { columns: [{ key: 'amount', header: 'Amount', kind: 'moneyCents' }] });
    sheet.addRow({ amount: 100 });
  }
  await workbook.finish();
  return workbook.sheetNames;
}

beforeAll(async () => {
  dir = mkdtempSync(join(os.tmpdir(), 'revperf-excel-'));
  path = join(dir, 'pack.xlsx');
  sheetNames = await buildWorkbook(path);
  book = new ExcelJS.Workbook();
  await book.xlsx.readFile(path);
  parts = await readZip(path);
}, 60_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** exceljs reads conditional formats back into a property its .d.ts does not declare. */
function conditionalFormats(ws: ExcelJS.Worksheet): ExcelJS.ConditionalFormattingOptions[] {
  return (ws as unknown as { conditionalFormattings: ExcelJS.ConditionalFormattingOptions[] }).conditionalFormattings;
}

function sheet(name: string): ExcelJS.Worksheet {
  const found = book.getWorksheet(name);
  if (found === undefined) throw new Error(`no sheet '${name}' in ${book.worksheets.map((ws) => ws.name).join(', ')}`);
  return found;
}

describe('report workbook, read back with exceljs', () => {
  it('has safe, unique sheet names in order', () => {
    const expected = ['Summary', 'Ana Peña · Team West', 'Open pipeline', 'open pipeline (2)', 'Deals- Q3 -draft--', "O'Brien's deals", 'History sheet', 'Sheet'];
    expect(sheetNames).toEqual(expected);
    expect(book.worksheets.map((ws) => ws.name)).toEqual(expected);
  });

  it('writes every text as a string cell with the literal text, never a formula', () => {
    const ws = sheet('Open pipeline');
    HOSTILE.forEach((text, index) => {
      const cell = ws.getCell(index + 2, 1);
      expect(cell.type, `row ${index + 2}`).toBe(ExcelJS.ValueType.String);
      expect(cell.formula).toBeUndefined();
      expect(cell.value).toBe(index === HOSTILE.length - 1 ? '_x0041_' : cellText(text));
    });
    expect(ws.getCell('A2').value).toBe('=HYPERLINK("http://evil","x")');
    expect(ws.getCell('A6').value).toBe('\tTab');
    expect(ws.getCell('A7').value).toBe('\nCR');
    expect(ws.getCell('A9').value).toBe('ctlend'.slice(0, 3) + '\uFFFDend');
    const long = ws.getCell('A10').value as string;
    expect(long).toHaveLength(32_767);
    expect(long.endsWith('…')).toBe(true);
    expect(ws.getCell('A11').value).toBe('🚀 emoji 👩‍👩‍👧');
    expect(ws.getCell('A12').value).toBe('Ana Peña, José Müller, Zoë Ørsted');
    expect(ws.getCell('A13').value).toBe('0012');
    expect(ws.getCell('A14').value).toBe('TRUE');
    expect(ws.getCell('A15').value).toBe('2027-08-17');
  });

  it('has no formula anywhere in the file and only XML-legal characters', () => {
    for (const [name, xml] of parts) {
      if (!name.endsWith('.xml')) continue;
      expect(xml, name).not.toMatch(/<f[ >]/);
      expect(xml, name).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
      expect(xml, name).not.toMatch(LONE_SURROGATE);
    }
  });

  it('writes numbers with the format of their kind', () => {
    const ws = sheet('Open pipeline');
    const row = ws.getRow(2);
    const expected: [number, unknown, string][] = [
      [3, 1234.56, '"$"#,##0.00'],
      [4, 50_000, '"$"#,##0'],
      [5, 0.5, '0.0%'],
      [6, 1.05, '0%'],
      [7, 2.25, '0.0"×"'],
      [8, 1234, '#,##0'],
      [9, 45, '#,##0" d"'],
      [11, 0.06, '"▲ +"0.0%;"▼ -"0.0%;0.0%'],
      [12, 210_000, '"▲ +$"#,##0;"▼ -$"#,##0;"$"#,##0'],
    ];
    for (const [column, value, numFmt] of expected) {
      const cell = row.getCell(column);
      expect(cell.type, `column ${column}`).toBe(ExcelJS.ValueType.Number);
      expect(cell.value, `column ${column}`).toBe(value);
      expect(cell.numFmt, `column ${column}`).toBe(numFmt);
    }
    const date = row.getCell(10);
    expect(date.type).toBe(ExcelJS.ValueType.Date);
    expect((date.value as Date).toISOString()).toBe('2027-08-17T00:00:00.000Z');
    expect(date.numFmt).toBe('yyyy-mm-dd');
    expect(ws.getRow(3).getCell(11).value).toBe(-0.031);
    expect(ws.getRow(3).getCell(12).value).toBe(-120_000);
  });

  it('leaves n/a as an empty cell with a note, never 0', () => {
    const ws = sheet('Open pipeline');
    const na = ws.getCell('E3');
    expect(na.value).toBeNull();
    expect(na.type).toBe(ExcelJS.ValueType.Null);
    expect(na.note).toBe('n/a: no quota');
    expect(ws.getCell('E2').note).toBeUndefined();
    const summary = sheet('Summary');
    expect(summary.getCell('A4').value).toBe('Quota');
    expect(summary.getCell('B4').value).toBeNull();
    expect(summary.getCell('B4').note).toBe('n/a: no quota');
    expect(summary.getCell('B3').value).toBe(1_230_000);
  });

  it('freezes a bold header row and filters the whole table', () => {
    const ws = sheet('Open pipeline');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2' });
    expect(ws.autoFilter).toBe(`A1:L${HOSTILE.length + 3}`);
    expect(ws.getCell('A1').value).toBe('Deal');
    expect(ws.getCell('A1').font?.bold).toBe(true);
    expect(ws.getCell('L1').value).toBe('Δ revenue');
  });

  it('marks subtotal rows bold with a line above', () => {
    const ws = sheet('Open pipeline');
    const subtotal = ws.getRow(HOSTILE.length + 2);
    expect(subtotal.getCell(1).value).toBe('Total');
    expect(subtotal.getCell(1).font?.bold).toBe(true);
    expect(subtotal.getCell(3).border?.top?.style).toBe('thin');
    expect(subtotal.getCell(3).numFmt).toBe('"$"#,##0.00');
    expect(ws.getRow(2).getCell(3).font?.bold).not.toBe(true);
  });

  it('colours RAG and draws data bars as conditional formats', () => {
    const ws = sheet('Open pipeline');
    const last = HOSTILE.length + 3;
    const formats = conditionalFormats(ws);
    expect(formats.map((format) => format.ref)).toEqual([`E2:E${last}`, `F2:F${last}`, `D2:D${last - 2} D${last}:D${last}`]);
    const [attainment] = formats;
    expect(attainment?.rules.map((rule) => [rule.type, (rule as ExcelJS.ExpressionRuleType).formulae])).toEqual([
      ['expression', ['AND(ISNUMBER(E2),E2>=1)']],
      ['expression', ['AND(ISNUMBER(E2),E2>=0.8,E2<1)']],
      ['expression', ['AND(ISNUMBER(E2),E2<0.8)']],
    ]);
    const fills = attainment?.rules.map((rule) => (rule.style?.fill as ExcelJS.FillPattern | undefined)?.bgColor?.argb);
    expect(fills).toEqual([RAG_FILLS.green.fill, RAG_FILLS.amber.fill, RAG_FILLS.red.fill]);
    expect(formats[1]?.rules[0]).toMatchObject({ formulae: ['AND(ISNUMBER(F2),F2>=1)'] });
    expect(formats[2]?.rules[0]).toMatchObject({ type: 'dataBar', cfvo: [{ type: 'min' }, { type: 'max' }] });
    // The data bar is a plain ECMA-376 rule, without the dangling x14 reference exceljs would add.
    const xml = parts.get('xl/worksheets/sheet3.xml') ?? '';
    expect(xml).toContain('<cfRule type="dataBar"');
    expect(xml).not.toContain('x14:id');
  });

  it('conditionally formats the small tables of a free-form sheet', () => {
    const ws = sheet('Ana Peña · Team West');
    const refs = conditionalFormats(ws).map((format) => format.ref);
    // title, heading, 4 bullets, heading, header (row 8) → data rows 9–10, subtotal 11.
    expect(ws.getCell('A8').value).toBe('Metric');
    expect(ws.getCell('A11').value).toBe('Total');
    expect(refs).toEqual(['B9:B11', 'C9:C10']);
    expect(ws.getCell('B10').note).toBe('n/a: no quota');
    expect(ws.getCell('A4').value).toBe('• =HYPERLINK("http://evil","x")');
  });

  it('sets up printing: landscape, one page wide, header row repeated', () => {
    const ws = sheet('Open pipeline');
    expect(ws.pageSetup).toMatchObject({ orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:1' });
    const rep = sheet('Ana Peña · Team West');
    expect(rep.pageSetup).toMatchObject({ orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 1 });
    expect(rep.pageSetup.printTitlesRow).toBeUndefined();
    expect(sheet("O'Brien's deals").pageSetup.printTitlesRow).toBe('1:1');
    expect(parts.get('xl/workbook.xml')).toContain(`localSheetId="5">&apos;O&apos;&apos;Brien&apos;&apos;s deals&apos;!$1:$1</definedName>`);
  });

  it('fits column widths to the header and values, within the cap', () => {
    const ws = sheet('Open pipeline');
    expect(ws.getColumn(1).width).toBe(50); // the 40,000-character text is capped
    expect(ws.getColumn(2).width).toBe(18); // fixed
    const amount = ws.getColumn(3).width ?? 0;
    expect(amount).toBeGreaterThanOrEqual('$1,234.70'.length);
    expect(amount).toBeLessThan(20);
    expect(ws.getColumn(10).width).toBeGreaterThanOrEqual('Close date'.length);
  });

  it('embeds the chart pictures where they were placed', () => {
    const summary = sheet('Summary').getImages();
    expect(summary).toHaveLength(1);
    expect(summary[0]?.range.tl).toMatchObject({ nativeCol: 4, nativeRow: 1 });
    expect(summary[0]?.range.br).toMatchObject({ nativeCol: 10, nativeRow: 14 });
    const rep = sheet('Ana Peña · Team West').getImages();
    expect(rep).toHaveLength(1);
    expect(rep[0]?.range.tl).toMatchObject({ nativeCol: 0, nativeRow: 11 });
    expect((rep[0]?.range as { ext?: unknown } | undefined)?.ext).toEqual({ width: 320, height: 160 });
    const media = book.getImage(Number(rep[0]?.imageId));
    expect(Buffer.compare(Buffer.from(media.buffer as unknown as Uint8Array), PNG)).toBe(0);
    expect(parts.get('xl/drawings/drawing2.xml')).toContain('descr="Five-quarter revenue"');
    expect(sheet('Open pipeline').getImages()).toHaveLength(0);
  });

  it('carries the document properties from the caller', () => {
    expect(book.title).toBe('Team West · FY2027-Q3 pre-review');
    expect(book.subject).toBe('FY2027-Q3');
    expect(book.keywords).toBe('as of 2027-09-02');
    expect(book.description).toBe('Quarterly pre-review pack');
    expect(book.creator).toBe('Acme Corp');
    expect(book.lastModifiedBy).toBe('Acme Corp');
    expect(book.company).toBe('Acme Corp');
    expect(book.created.toISOString()).toBe(CREATED.toISOString());
    expect(book.modified.toISOString()).toBe(CREATED.toISOString());
  });
});

describe('report workbook, writing', () => {
  it('streams rows to the output before the workbook is finished', async () => {
    const output = new PassThrough();
    const { randomBytes } = await import('node:crypto');
    let received = 0;
    output.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    const workbook = new ReportWorkbook({
      output: { stream: output },
      currency: 'JPY',
      locale: 'en',
      properties: { title: 't', organisation: 'o', period: 'p', asOf: 'a', createdAt: CREATED },
    });
    const table = workbook.addTableSheet('Deals', {
      columns: [
        { key: 'name', header: 'Name', kind: 'text' },
        { key: 'amount', header: 'Amount', kind: 'moneyCents' },
      ],
    });
    // Random text, so the zip cannot squeeze the rows into nothing.
    // ~6 MB of sheet XML: far more than the ~1 MB the table lets queue before it waits for the zip.
    await table.addRows(Array.from({ length: 40_000 }, (_, index) => ({ name: randomBytes(32).toString('hex'), amount: index })));
    const beforeFinish = received;
    await workbook.finish();
    expect(received).toBeGreaterThan(1_500_000);
    expect(beforeFinish).toBeGreaterThan(received * 0.5);
  });

  it('commits a sheet when the next one is added, and refuses later writes', async () => {
    const dirForTest = mkdtempSync(join(os.tmpdir(), 'revperf-excel-'));
    try {
      const workbook = new ReportWorkbook({
        output: { filename: join(dirForTest, 'x.xlsx') },
        currency: 'EUR',
        locale: 'es',
        properties: { title: 't', organisation: 'o', period: 'p', asOf: 'a', createdAt: CREATED },
      });
      const first = workbook.addTableSheet('Uno', { columns: [{ key: 'a', header: 'A', kind: 'money' }] });
      first.addRow({ a: 100 });
      workbook.addBlockSheet('Dos').line('hola');
      expect(() => first.addRow({ a: 1 })).toThrow(/already committed/);
      expect(() => first.addRow({ a: 'not a number' as unknown as number })).toThrow();
      await workbook.finish();
      const read = new ExcelJS.Workbook();
      await read.xlsx.readFile(join(dirForTest, 'x.xlsx'));
      expect(read.getWorksheet('Uno')?.getCell('A2').value).toBe(1);
      expect(read.getWorksheet('Uno')?.getCell('A2').numFmt).toBe('#,##0" €"');
    } finally {
      rmSync(dirForTest, { recursive: true, force: true });
    }
  });

  it('writes yen without minor units and euros the Spanish way', async () => {
    const dirForTest = mkdtempSync(join(os.tmpdir(), 'revperf-excel-'));
    try {
      const results: Record<string, { value: unknown; numFmt: string }> = {};
      for (const [currency, locale] of [
        ['JPY', 'en'],
        ['EUR', 'es'],
      ] as const) {
        const file = join(dirForTest, `${currency}.xlsx`);
        const workbook = new ReportWorkbook({
          output: { filename: file },
          currency,
          locale,
          properties: { title: 't', organisation: 'o', period: 'p', asOf: 'a', createdAt: CREATED },
        });
        const table = workbook.addTableSheet('Deals', {
          columns: [
            { key: 'amount', header: 'Amount', kind: 'moneyCents' },
            { key: 'delta', header: 'Δ', kind: 'deltaMoney' },
          ],
        });
        table.addRow({ amount: 123_456, delta: -5_000 });
        await workbook.finish();
        const read = new ExcelJS.Workbook();
        await read.xlsx.readFile(file);
        const row = read.getWorksheet('Deals')?.getRow(2);
        results[currency] = { value: row?.getCell(1).value, numFmt: row?.getCell(1).numFmt ?? '' };
        results[`${currency} delta`] = { value: row?.getCell(2).value, numFmt: row?.getCell(2).numFmt ?? '' };
      }
      expect(results).toEqual({
        JPY: { value: 123_456, numFmt: '"¥"#,##0' },
        'JPY delta': { value: -5_000, numFmt: '"▲ +¥"#,##0;"▼ -¥"#,##0;"¥"#,##0' },
        EUR: { value: 1234.56, numFmt: '#,##0.00" €"' },
        'EUR delta': { value: -50, numFmt: '"▲ +"#,##0" €";"▼ -"#,##0" €";#,##0" €"' },
      });
    } finally {
      rmSync(dirForTest, { recursive: true, force: true });
    }
  });

  it('refuses a number that is not a number and money that is not minor units', () => {
    const workbook = new ReportWorkbook({
      output: { stream: new PassThrough() },
      currency: 'USD',
      locale: 'en',
      properties: { title: 't', organisation: 'o', period: 'p', asOf: 'a', createdAt: CREATED },
    });
    const table = workbook.addTableSheet('T', {
      columns: [
        { key: 'money', header: 'M', kind: 'money' },
        { key: 'ratio', header: 'R', kind: 'percent' },
      ],
    });
    expect(() => table.addRow({ money: 12.5 })).toThrow(/minor units/);
    expect(() => table.addRow({ ratio: '17%' })).toThrow(/finite number/);
    expect(() => table.addRow({ ratio: Number.POSITIVE_INFINITY })).toThrow(/finite number/);
  });
});

describe('LibreOffice reads what we write', () => {
  it('converts the whole workbook to PDF', async () => {
    const { pdfPath, pages } = await convertToPdf(path, { outDir: dir });
    expect(readFileSync(pdfPath).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pages).toBeGreaterThanOrEqual(sheetNames.length);
  }, 120_000);

  it('prints a rep sheet on one landscape page', async () => {
    const repPath = join(dir, 'rep.xlsx');
    const workbook = new ReportWorkbook({
      output: { filename: repPath },
      currency: 'EUR',
      locale: 'es',
      properties: { title: 't', organisation: 'o', period: 'p', asOf: 'a', createdAt: CREATED },
    });
    const chart = workbook.addImage(PNG);
    const rep = workbook.addBlockSheet('Ana');
    rep.title('Ana Peña · Equipo Oeste').bullets(Array.from({ length: 6 }, (_, index) => `Punto ${index + 1}: ${'texto '.repeat(20)}`), 'Puntos');
    rep.table({
      columns: [
        { key: 'deal', header: 'Oportunidad', kind: 'text' },
        { key: 'amount', header: 'Importe', kind: 'moneyCents' },
        { key: 'close', header: 'Cierre', kind: 'date' },
      ],
      rows: Array.from({ length: 10 }, (_, index) => ({ deal: `Contoso ${index}`, amount: 1_000_000 * (index + 1), close: '2027-09-30' })),
    });
    rep.picture(chart, { alt: 'tendencia', widthPx: 320, heightPx: 160 });
    await workbook.finish();
    const { pages } = await convertToPdf(repPath, { outDir: dir });
    expect(pages).toBe(1);
  }, 120_000);

  it('fails loudly when LibreOffice cannot read the file', async () => {
    const broken = join(dir, 'broken.xlsx');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(broken, 'PK\u0003\u0004 this is not a zip');
    await expect(convertToPdf(broken, { outDir: join(dir, 'broken-out') })).rejects.toThrow(/LibreOffice made no PDF/);
  }, 120_000);
});
