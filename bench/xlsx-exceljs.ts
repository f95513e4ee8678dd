// Issue 12 goal 8, the XLSX half: the workbooks of revperf's XLSX reader tests
// (test/unit/ingest/xlsx-reader.test.ts, via test/support/xlsx-fixtures.ts),
// the hostile-upload generator's XML attacks (test/support/hostile-uploads.ts)
// and the committed fixtures, read by revperf's openXlsx and by exceljs's
// streaming WorkbookReader (the first worksheet it emits, shared strings and
// styles cached), each exceljs read in a child process with a time limit.
// Prints a markdown table: where exceljs gives different rows, or none.
//
//   node --import tsx bench/xlsx-exceljs.ts
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import ExcelJS from 'exceljs';
import type { ReaderLimits } from '../shared/ingest/file-format.js';
import { UnreadableFileError, type RawRow } from '../shared/ingest/types.js';
import { openXlsx } from '../shared/ingest/xlsx-reader.js';
import { chosenXlsx, millionEmptyStyledCells, standardXlsx } from '../test/support/hostile-uploads.js';
import { ANOTHER_WRITER_SHEET, buildPipelineWorkbook, handMadeParts } from '../test/support/xlsx-fixtures.js';
import { buildZip } from '../test/unit/ingest/zip-fixture.js';

const ROOT = join(import.meta.dirname, '..');
const EXCELJS_TIME_LIMIT_MS = 60_000;

/** The XLSX reader tests' limits. */
const LIMITS: ReaderLimits = {
  maxFileBytes: 50 * 1024 * 1024,
  maxRows: 100_000,
  maxCellChars: 32_767,
  maxUncompressedBytes: 1024 * 1024 * 1024,
  maxZipEntries: 1_000,
};

type Cell = RawRow['cells'][number];
interface Read {
  rows?: { line: number; cells: Cell[] }[];
  error?: string;
  seconds: number;
}
interface Case {
  name: string;
  /** Where the case comes from (a test's name, a fixture). */
  source: string;
  write(path: string): Promise<void>;
  limits?: Partial<ReaderLimits>;
}

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const SALESFORCE_HEADER = ['Opportunity Name', 'Account Name', 'Opportunity Owner', 'Stage', 'Amount', 'Close Date'];
const SALESFORCE_ROWS = [
  ['Acme renewal', 'Acme & Co', 'José Müller', 'Closed Won', '12000', '2026-03-31'],
  ['Globex upsell', 'Globex <Intl>', 'Ana García', 'Negotiation', '8000', '2026-04-15'],
];

async function saveWorkbook(path: string, build: (workbook: ExcelJS.Workbook) => void): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  build(workbook);
  await workbook.xlsx.writeFile(path);
}

function variedText(length: number): string {
  let seed = 7;
  return Array.from({ length }, () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return String.fromCharCode(97 + (seed % 26));
  }).join('');
}

const CASES: Case[] = [
  {
    name: 'exceljs-written export: shared strings, rich text, formulas, errors, date formats, gaps',
    source: 'xlsx-reader.test.ts "reads the first sheet with every value typed as Excel shows it"',
    write: (path) => saveWorkbook(path, buildPipelineWorkbook),
  },
  {
    name: '1904 date system',
    source: 'xlsx-reader.test.ts "reads dates of a 1904 workbook"',
    write: (path) =>
      saveWorkbook(path, (workbook) => {
        workbook.properties.date1904 = true;
        const sheet = workbook.addWorksheet('Deals');
        sheet.addRow(['Close Date', 'Amount']);
        sheet.addRow([new Date(Date.UTC(2026, 2, 15, 10, 30)), 5]);
        sheet.addRow([new Date(Date.UTC(1904, 0, 2)), 6]);
      }),
  },
  {
    name: '1 MB text cell, maxCellChars 100',
    source: 'xlsx-reader.test.ts "cuts a 1 MB text cell at maxCellChars, flags it, and reads on"',
    limits: { maxCellChars: 100 },
    write: (path) =>
      saveWorkbook(path, (workbook) => {
        const sheet = workbook.addWorksheet('Deals');
        sheet.addRow(['Deal', 'Notes']);
        sheet.addRow(['Acme', variedText(1024 * 1024)]);
        sheet.addRow(['Globex', 'short']);
      }),
  },
  {
    name: 'another writer: prefixed namespace, chart sheet first, absolute part paths, inline strings, rich runs, _x000D_ escapes, t="d", missing cell references, a dangling shared string',
    source: 'xlsx-reader.test.ts "reads inline strings, rich runs, escapes, ISO dates, missing references and relative styles"',
    write: async (path) => {
      const sheet = ANOTHER_WRITER_SHEET;
      writeFileSync(path, buildZip(handMadeParts(sheet)));
    },
  },
  {
    name: 'malformed sheet XML',
    source: 'xlsx-reader.test.ts "calls malformed sheet XML not a spreadsheet, naming the part"',
    write: async (path) => writeFileSync(path, buildZip(handMadeParts('<worksheet><sheetData><row><c><v>1</v></row></sheetData></worksheet>'))),
  },
  {
    name: 'a zip without a workbook (a .docx)',
    source: 'xlsx-reader.test.ts "calls a zip without a workbook not a spreadsheet"',
    write: async (path) => writeFileSync(path, buildZip([{ name: 'word/document.xml', data: '<document/>' }])),
  },
  {
    name: 'a part declaring 2 MB uncompressed, maxUncompressedBytes 1 MB',
    source: 'xlsx-reader.test.ts "checks the zip before inflating anything"',
    limits: { maxUncompressedBytes: 1_000_000 },
    write: async (path) =>
      writeFileSync(path, buildZip(handMadeParts('<worksheet><sheetData/></worksheet>', [{ name: 'xl/media/huge.bin', data: 'x', declaredSize: 2_000_000 }]))),
  },
  {
    name: 'malformed sheet XML, standard part names',
    source: 'as the case above, in the part names exceljs looks for (xl/worksheets/sheet1.xml)',
    write: async (path) => writeFileSync(path, standardXlsx(`<worksheet xmlns="${MAIN_NS}"><sheetData><row><c><v>1</v></row></sheetData></worksheet>`)),
  },
  {
    name: 'a deflate bomb: a 150 MB sheet of blanks (~150 kB zipped), maxUncompressedBytes 1 MB',
    source: 'test/unit/ingest/zip-guard.test.ts (the guard the XLSX reader opens every upload with)',
    limits: { maxUncompressedBytes: 1_000_000 },
    write: async (path) =>
      writeFileSync(path, standardXlsx(`<worksheet xmlns="${MAIN_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Deal</t></is></c></row>${' '.repeat(150_000_000)}</sheetData></worksheet>`, undefined, { deflateLevel: 9 })),
  },
  ...(['shared', 'inline'] as const).flatMap((cells) =>
    (['normal', 'missing', 'beyond'] as const).map(
      (references): Case => ({
        name: `${cells} strings, cell references ${references}`,
        source: 'test/support/hostile-uploads.ts (hostileXlsxArbitrary, chosen: no attack, no zip lie)',
        write: async (path) => writeFileSync(path, chosenXlsx(SALESFORCE_HEADER, SALESFORCE_ROWS, { cells, references, attack: 'none' })),
      }),
    ),
  ),
  ...(['billion-laughs', 'external-entity', 'parameter-entity', 'undeclared-entity'] as const).map(
    (attack): Case => ({
      name: `XML attack: ${attack} (inline strings)`,
      source: 'test/support/hostile-uploads.ts (hostileXlsxArbitrary attack, chosen)',
      write: async (path) => writeFileSync(path, chosenXlsx(SALESFORCE_HEADER, SALESFORCE_ROWS, { cells: 'inline', references: 'normal', attack })),
    }),
  ),
  {
    name: 'a million empty styled cells under a real header',
    source: 'test/support/hostile-uploads.ts millionEmptyStyledCells (test/integration/hostile-org.test.ts)',
    write: async (path) => writeFileSync(path, millionEmptyStyledCells().bytes),
  },
  ...['salesforce.xlsx', 'hubspot.xlsx'].map(
    (name): Case => ({
      name: `committed fixture ${name}`,
      source: `test/fixtures/deals/${name} (test/integration/ingest-formats.test.ts)`,
      write: async (path) => writeFileSync(path, readFileSync(join(ROOT, 'test/fixtures/deals', name))),
    }),
  ),
];

// ---------------------------------------------------------------- the two readers

async function readRevperf(path: string, limits: ReaderLimits): Promise<Read> {
  const started = performance.now();
  try {
    const { batches } = await openXlsx(path, limits);
    const rows: { line: number; cells: Cell[] }[] = [];
    for await (const batch of batches) for (const row of batch) rows.push({ line: row.line, cells: row.cells });
    return { rows, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    const text = error instanceof UnreadableFileError ? `refused (${error.code}): ${error.message}` : `threw: ${(error as Error).message}`;
    return { error: text, seconds: (performance.now() - started) / 1000 };
  }
}

/** An exceljs cell value as openXlsx types it: text of rich text, a formula's cached result, an error's text, empty as null. */
function exceljsCell(value: ExcelJS.CellValue | undefined): Cell {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || value instanceof Date) return value as Cell;
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('error' in value) return value.error;
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: unknown }).result;
    return typeof result === 'object' && result !== null && 'error' in result ? (result as { error: string }).error : exceljsCell(result as ExcelJS.CellValue);
  }
  if ('text' in value) return String((value as { text: unknown }).text);
  return JSON.stringify(value);
}

/** Run in a child process (`exceljs <path>`): the first worksheet exceljs emits, non-empty rows only, as openXlsx reports rows. */
async function readExceljsHere(path: string): Promise<void> {
  const started = performance.now();
  const result: Read = { seconds: 0 };
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'emit' });
    const rows: { line: number; cells: Cell[] }[] = [];
    let sheets = 0;
    for await (const worksheet of reader) {
      sheets += 1;
      for await (const row of worksheet) {
        const values = (row.values as ExcelJS.CellValue[]).slice(1);
        const cells = Array.from({ length: values.length }, (_, i) => exceljsCell(values[i]));
        while (cells.length > 0 && cells[cells.length - 1] === null) cells.pop();
        if (cells.length > 0) rows.push({ line: row.number, cells });
      }
      break;
    }
    if (sheets === 0) result.error = 'emitted no worksheet (read nothing, no error)';
    // Dates cross to the parent process tagged, so they come back as dates, not as ISO text.
    else result.rows = rows.map((row) => ({ line: row.line, cells: row.cells.map((cell) => (cell instanceof Date ? ({ $date: cell.toISOString() } as never) : cell)) }));
  } catch (error) {
    result.error = `threw: ${String((error as Error).message ?? error).split('\n')[0]}`;
  }
  result.seconds = (performance.now() - started) / 1000;
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function readExceljs(path: string): Promise<Read> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'xlsx-exceljs.ts'), 'exceljs', path], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), EXCELJS_TIME_LIMIT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.trim().split('\n').pop() ?? '';
      if (line.startsWith('{')) {
        resolve(JSON.parse(line, (_, value: unknown) => (typeof value === 'object' && value !== null && '$date' in value ? new Date((value as { $date: string }).$date) : value)) as Read);
      }
      else resolve({ error: signal ? `killed after ${EXCELJS_TIME_LIMIT_MS / 1000} s` : `the process exited with ${code}: ${stderr.trim().split('\n').pop() ?? ''}`, seconds: NaN });
    });
  });
}

// ---------------------------------------------------------------- the table

function short(value: unknown): string {
  const text = JSON.stringify(value, (_, v: unknown) => (typeof v === 'string' && v.length > 40 ? `${v.slice(0, 20)}…(${v.length} chars)` : v));
  return (text.length > 160 ? `${text.slice(0, 160)}…` : text).replace(/\|/g, '\\|');
}

function verdict(revperf: Read, exceljs: Read): string {
  if (exceljs.error) return `fails: ${exceljs.error}`;
  if (revperf.error) return `reads ${exceljs.rows!.length} rows where revperf refuses`;
  const a = revperf.rows!;
  const b = exceljs.rows!;
  const differing = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const [x, y] = [a[i], b[i]];
    if (isDeepStrictEqual(x, y)) continue;
    if (x === undefined || y === undefined || x.line !== y.line) {
      differing.push(`row ${i + 1}: revperf ${short(x ?? 'no row')} vs exceljs ${short(y ?? 'no row')}`);
      continue;
    }
    const cells = [];
    for (let c = 0; c < Math.max(x.cells.length, y.cells.length); c++) {
      if (!isDeepStrictEqual(x.cells[c], y.cells[c])) cells.push(`cell ${c + 1}: ${short(x.cells[c])} vs ${short(y.cells[c])}`);
    }
    differing.push(`line ${x.line} ${cells.join(', ')}`);
  }
  if (differing.length === 0) return `same ${b.length} rows`;
  return `differs in ${differing.length} of ${a.length} rows (revperf vs exceljs); first: ${differing.slice(0, 2).join('; ')}`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'revperf-xlsx-exceljs-'));
  try {
    const lines = ['| case | from | revperf openXlsx | exceljs WorkbookReader | exceljs (s) |', '|---|---|---|---|---:|'];
    for (const [index, testCase] of CASES.entries()) {
      const path = join(dir, `case-${index}.xlsx`);
      await testCase.write(path);
      const revperf = await readRevperf(path, { ...LIMITS, ...testCase.limits });
      const exceljs = await readExceljs(path);
      const revperfText = revperf.error ?? `${revperf.rows!.length} rows`;
      lines.push(
        `| ${testCase.name} | ${testCase.source} | ${revperfText.replace(/\|/g, '\\|')} | ${verdict(revperf, exceljs)} | ` +
          `${Number.isNaN(exceljs.seconds) ? '–' : exceljs.seconds.toFixed(2)} |`,
      );
      process.stderr.write(`${index + 1}/${CASES.length} ${testCase.name}\n`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'exceljs') await readExceljsHere(process.argv[3]!);
else await main();
