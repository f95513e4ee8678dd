// Parsers benchmark (issue 12 goal 8): revperf's hand-written CSV tokenizer
// alone — openCsv over the file (encoding and delimiter sniffing, decoding,
// tokenising, batches; no normalising) — against papaparse streaming the same
// file, and, run by hand, revperf's XLSX reader against exceljs's streaming
// WorkbookReader on a generated 100k-row workbook.
//
//   node --import tsx bench/parsers.bench.ts revperf 1000000
//   node --import tsx bench/parsers.bench.ts prepare-xlsx 100000      (writes bench/data/salesforce-deals-100000.xlsx)
//   node --import tsx bench/parsers.bench.ts xlsx-revperf 100000
//   node --import tsx bench/parsers.bench.ts xlsx-exceljs 100000
import { createReadStream, existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { openCsv } from '../shared/ingest/csv-reader.js';
import type { ReaderLimits } from '../shared/ingest/file-format.js';
import { openXlsx } from '../shared/ingest/xlsx-reader.js';
import { runBenchChild, type WorkResult } from './lib/bench-child.js';
import { ensureSalesforceDealsCsv } from './lib/salesforce-deals-csv.js';

const DATA_DIR = join(import.meta.dirname, 'data');

/** The same files the ingest benchmark reads. */
function dealsCsvPath(size: number): string {
  return join(DATA_DIR, `salesforce-deals-${size}.csv`);
}

function dealsXlsxPath(size: number): string {
  return join(DATA_DIR, `salesforce-deals-${size}.xlsx`);
}

/** The config schema's defaults, limits that never bite on these files. */
const LIMITS: ReaderLimits = {
  maxFileBytes: 2 * 1024 ** 3,
  maxRows: 2_000_000,
  maxCellChars: 32_767,
  maxUncompressedBytes: 4 * 1024 ** 3,
  maxZipEntries: 10_000,
};

/** openCsv alone: rows as the normaliser would receive them; the checksum is Σ cells per row (as papaparse's). */
async function revperf(size: number): Promise<WorkResult> {
  const { batches } = await openCsv(createReadStream(dealsCsvPath(size)), LIMITS);
  let rows = 0;
  let checksum = 0;
  for await (const batch of batches) {
    rows += batch.length;
    for (const row of batch) checksum += row.cells.length;
  }
  return { rows, checksum };
}

/**
 * papaparse's streaming parser over the same bytes, as in the ingest benchmark:
 * arrays, no header handling, blank lines skipped like openCsv does, so both count the same records.
 */
function baseline(size: number): Promise<WorkResult> {
  return new Promise((resolve, reject) => {
    let rows = 0;
    let checksum = 0;
    Papa.parse<string[]>(createReadStream(dealsCsvPath(size), 'utf8'), {
      skipEmptyLines: true,
      chunk: (results) => {
        rows += results.data.length;
        for (const row of results.data) checksum += row.length;
      },
      complete: () => resolve({ rows, checksum }),
      error: reject,
    });
  });
}

/** The CSV rows written into one worksheet by exceljs's streaming writer (shared strings, numbers as numbers). */
async function prepareXlsx(size: number): Promise<void> {
  const path = dealsXlsxPath(size);
  if (existsSync(path)) return;
  ensureSalesforceDealsCsv(dealsCsvPath(size), size);
  const partial = `${path}.partial`;
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: partial, useSharedStrings: true, useStyles: false });
  const sheet = writer.addWorksheet('Opportunities');
  const { batches } = await openCsv(createReadStream(dealsCsvPath(size)), LIMITS);
  for await (const batch of batches) {
    for (const row of batch) {
      sheet.addRow(row.cells.map((cell) => (typeof cell === 'string' && /^-?\d+(\.\d+)?$/.test(cell) ? Number(cell) : cell))).commit();
    }
  }
  sheet.commit();
  await writer.commit();
  renameSync(partial, path);
}

async function xlsxRevperf(size: number): Promise<WorkResult> {
  const { batches } = await openXlsx(dealsXlsxPath(size), LIMITS);
  let rows = 0;
  let checksum = 0;
  for await (const batch of batches) {
    rows += batch.length;
    for (const row of batch) checksum += row.cells.length;
  }
  return { rows, checksum };
}

/** exceljs's streaming reader, shared strings cached, styles cached (for dates), as a reader of uploads would need. */
async function xlsxExceljs(size: number): Promise<WorkResult> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(dealsXlsxPath(size), {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  let rows = 0;
  let checksum = 0;
  for await (const worksheet of reader) {
    for await (const row of worksheet) {
      rows += 1;
      checksum += row.cellCount;
    }
    break; // the first sheet, as openXlsx reads by default
  }
  return { rows, checksum };
}

if (process.argv[2] === 'prepare-xlsx') {
  await prepareXlsx(Number(process.argv[3]));
} else {
  await runBenchChild({
    prepare: (size) => ensureSalesforceDealsCsv(dealsCsvPath(size), size),
    implementations: { baseline, revperf, 'xlsx-revperf': xlsxRevperf, 'xlsx-exceljs': xlsxExceljs },
  });
}
