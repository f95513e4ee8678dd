// Workbooks of the XLSX reader's tests (test/unit/ingest/xlsx-reader.test.ts),
// shared with bench/xlsx-exceljs.ts, which runs the same workbooks through
// exceljs's streaming reader.
import type ExcelJS from 'exceljs';
import type { ZipFixtureEntry } from '../unit/ingest/zip-fixture.js';

export const utc = (...parts: [number, number, number, number?, number?]) => new Date(Date.UTC(...parts));

/** An export as Excel users make them: a title block, a header, typed cells, gaps, two sheets. */
export function buildPipelineWorkbook(workbook: ExcelJS.Workbook): void {
  const deals = workbook.addWorksheet('Opportunities');
  deals.getCell('A1').value = 'Pipeline report — Q1 2026';
  deals.getCell('A2').value = 'Generated 2026-04-01';
  deals.getRow(4).values = ['Opportunity', 'Amount', 'Close Date', 'Stage', 'Owner', 'Won', 'Commission', 'Per unit', 'Label'];
  deals.getRow(5).values = [
    'Acme renewal',
    12000.5,
    utc(2026, 2, 31),
    'Closed Won',
    { richText: [{ text: 'José ' }, { font: { bold: true }, text: 'Müller' }] },
    true,
    { formula: 'B5*0.1', result: 1200.05 },
    { formula: 'B5/0', result: { error: '#DIV/0!' } },
    { formula: 'A5&" (renewal)"', result: 'Acme renewal (renewal)' },
  ] as ExcelJS.CellValue[];
  deals.getCell('A6').value = 'Globex';
  deals.getCell('D6').value = 'Closed Won'; // the same shared string as D5
  deals.getCell('B7').numFmt = '0.00'; // styled, never filled: not a row
  deals.getCell('C8').value = utc(2026, 0, 2);
  deals.getCell('C8').numFmt = 'dd/mm/yyyy';
  deals.getCell('D8').value = utc(2026, 0, 2, 14, 45);
  deals.getCell('D8').numFmt = 'd-mmm-yy h:mm';
  deals.getCell('E8').value = 0.25;
  deals.getCell('E8').numFmt = '0.00%';
  deals.getCell('F8').value = 30;
  deals.getCell('F8').numFmt = '#,##0 "days"';
  deals.getCell('G8').value = { error: '#N/A' };
  deals.getCell('H8').value = 'two\nlines';

  const quotas = workbook.addWorksheet('Quotas');
  quotas.addRow(['Owner', 'Quota']);
  quotas.addRow(['José Müller', 50000]);
}

/** A workbook as another writer might make it, part by part. */
export function handMadeParts(sheetXml: string, extra: ZipFixtureEntry[] = []): ZipFixtureEntry[] {
  const rels = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  return [
    {
      name: '_rels/.rels',
      data: `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rels}/officeDocument" Target="/xl/workbook.xml"/></Relationships>`,
    },
    {
      name: 'xl/workbook.xml',
      // A prefixed main namespace and a relationships prefix that is not "r"; a chart sheet listed first.
      data: `<?xml version="1.0"?><x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:rel="${rels}"><x:sheets><x:sheet name="Chart" sheetId="1" rel:id="rId1"/><x:sheet name="Data" sheetId="2" rel:id="rId2"/></x:sheets></x:workbook>`,
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rels}/chartsheet" Target="chartsheets/sheet1.xml"/><Relationship Id="rId2" Type="${rels}/worksheet" Target="/xl/worksheets/data.xml"/><Relationship Id="rId3" Type="${rels}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId4" Type="${rels}/styles" Target="styles.xml"/><Relationship Id="rId9" Type="${rels}/hyperlink" Target="https://example.com" TargetMode="External"/></Relationships>`,
    },
    {
      name: 'xl/sharedStrings.xml',
      data: `<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/></si><si><r><t xml:space="preserve">Big </t></r>\n  <r><rPr><b/></rPr><t>Deal</t></r></si><si><t>Line_x000D_\nbreak, literal _x005F_x0041_</t></si></sst>`,
    },
    {
      name: 'xl/styles.xml',
      data: `<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="170" formatCode="[$-409]mmmm d, yyyy"/><numFmt numFmtId="171" formatCode="[Red]#,##0.00;[Blue]-#,##0.00"/></numFmts><cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="170"/><xf numFmtId="171"/><xf numFmtId="22"/></cellXfs></styleSheet>`,
    },
    { name: 'xl/chartsheets/sheet1.xml', data: '<chartsheet/>' },
    { name: 'xl/worksheets/data.xml', data: sheetXml },
    ...extra,
  ];
}

/**
 * A worksheet as another writer might produce it: a prefixed namespace, inline strings, rich runs,
 * escapes, t="d" dates, missing cell references and a dangling shared string (the XLSX reader's test
 * of it, and the exceljs comparison in bench/, read the same sheet).
 */
export const ANOTHER_WRITER_SHEET = `<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>
      <x:row><x:c t="inlineStr"><x:is><x:t>Account</x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:t>Amount</x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:t>Signed</x:t></x:is></x:c></x:row>
      <x:row r="3"><x:c r="A3" t="s"><x:v>0</x:v></x:c><x:c r="B3" s="2"><x:v>-1234.5</x:v></x:c><x:c r="C3" s="1"><x:v>46112</x:v></x:c></x:row>
      <x:row><x:c t="s"><x:v>1</x:v></x:c><x:c/><x:c t="d"><x:v>2026-03-31T09:15:00</x:v></x:c><x:c s="3"><x:v>46112.5</x:v></x:c></x:row>
      <x:row r="7"><x:c r="B7" t="inlineStr"><x:is><x:r><x:t xml:space="preserve">Rich </x:t></x:r> <x:r><x:rPr><x:i/></x:rPr><x:t>run</x:t></x:r><x:rPh><x:t>ignored</x:t></x:rPh></x:is></x:c><x:c r="C7" t="s"><x:v>2</x:v></x:c><x:c r="D7" t="b"><x:v>0</x:v></x:c><x:c r="E7" t="str"><x:f>A1</x:f><x:v><![CDATA[<cached & raw>]]></x:v></x:c></x:row>
      <x:row r="8"><x:c r="A8" s="1"/><x:c r="B8" t="s"><x:v>9</x:v></x:c></x:row>
    </x:sheetData></x:worksheet>`;
