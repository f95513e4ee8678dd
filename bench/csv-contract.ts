// Issue 12 goal 8, the CSV half: what revperf's CSV reader does under the
// ingest contract that papaparse does not, shown on small inputs (each the
// input of a csv-reader test, named in the table) read by both: openCsv, and
// papaparse as a caller would use it on the upload's bytes (UTF-8 decoding,
// its delimiter guessing, blank lines skipped). Then memory and time: one 20 MB
// cell, read by each in a child process (killed after 3 minutes), peak RSS against an empty run's.
//
//   node --import tsx bench/csv-contract.ts
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { openCsv } from '../shared/ingest/csv-reader.js';
import type { ReaderLimits } from '../shared/ingest/file-format.js';
import { UnreadableFileError, type RawRow } from '../shared/ingest/types.js';

const ROOT = join(import.meta.dirname, '..');
const LIMITS: ReaderLimits = {
  maxFileBytes: 1024 ** 3,
  maxRows: 1_000_000,
  maxCellChars: 1_000,
  maxUncompressedBytes: 1024 ** 3,
  maxZipEntries: 1_000,
};
const utf8 = (text: string) => Buffer.from(text, 'utf8');

interface Case {
  name: string;
  /** The csv-reader test whose input (or kind of input) this is. */
  test: string;
  bytes: Buffer;
  limits?: Partial<ReaderLimits>;
  /** What to show of each reader's rows: the figure the contract cares about in this case. */
  show(rows: { line?: number; cells: string[]; note?: string }[]): string;
}

const cellsOfRow = (index: number) => (rows: { cells: string[] }[]) => JSON.stringify(rows[index]?.cells ?? null);

const CASES: Case[] = [
  {
    name: 'UTF-16LE with BOM (the committed Salesforce fixture)',
    test: 'test/fixtures/deals/salesforce-utf16le.csv; csv-reader.test.ts "decodes utf-16le (BOM stripped)"',
    bytes: readFileSync(join(ROOT, 'test/fixtures/deals/salesforce-utf16le.csv')),
    show: (rows) => `${rows.length} rows; header ${JSON.stringify(rows[0]?.cells.slice(0, 2))}`,
  },
  {
    name: 'UTF-16BE (the committed Pipedrive fixture)',
    test: 'test/fixtures/deals/pipedrive-utf16be.csv; "decodes utf-16be (BOM stripped)"',
    bytes: readFileSync(join(ROOT, 'test/fixtures/deals/pipedrive-utf16be.csv')),
    show: (rows) => `${rows.length} rows; header ${JSON.stringify(rows[0]?.cells.slice(0, 2))}`,
  },
  {
    name: 'Windows-1252 (Excel "CSV" on Windows)',
    test: '"decodes windows-1252 (BOM stripped)"',
    bytes: iconv.encode('Owner,Account\r\nJosé Müller,Société Générale\r\n', 'windows1252'),
    show: cellsOfRow(1),
  },
  {
    name: 'Windows-1252 decided at the first non-ASCII byte, 74 kB in',
    test: '"decides Windows-1252 at the first non-ASCII byte, far past the head"',
    bytes: Buffer.concat([
      utf8(`Deal,Amount\r\n${Array.from({ length: 5_000 }, (_, i) => `Deal ${i},${i}\r\n`).join('')}`),
      iconv.encode('Café Crème,7\r\n', 'windows1252'),
    ]),
    show: (rows) => JSON.stringify(rows.at(-1)?.cells),
  },
  {
    name: 'semicolons with decimal commas',
    test: '"sniffs semicolons in a file with decimal commas"',
    bytes: utf8('Deal;Amount;Probability\r\nAcme;1.234,56;0,5\r\nGlobex;99,90;0,25\r\n'),
    show: cellsOfRow(1),
  },
  {
    name: 'a title block above a semicolon header',
    test: '"is not fooled by a title block above the header"',
    bytes: utf8('Pipeline report, Q1 2026, all regions\r\n\r\nDeal;Owner;Amount\r\n"Acme, Inc.";Ana;1.000,00\r\nGlobex;Ben;2.000,00\r\n'),
    show: (rows) => `row 3 ${JSON.stringify(rows[2]?.cells)}`,
  },
  {
    name: 'multi-line quoted cells: the physical line each record starts on',
    test: '"keeps delimiters, doubled quotes and line breaks inside quoted fields; line is where the record starts"',
    bytes: utf8('Deal,Notes,Amount\n"Acme, Inc.","said ""yes""\nthen\r\nsigned",10\nGlobex,"",20\nInitech,"a\nb\nc",30\n'),
    show: (rows) => `lines ${JSON.stringify(rows.map((row) => row.line ?? null))}`,
  },
  {
    name: 'an unclosed quote at the end of the file',
    test: '"yields the row of an unclosed quote at end of file, flagged malformed"',
    bytes: utf8('Deal,Notes\nA,fine\nB,"never closed\nC,lost in the quote\n'),
    show: (rows) => `${rows.length} rows; last: line ${rows.at(-1)?.line ?? '–'}, ${rows.at(-1)?.note ?? 'no flag'}`,
  },
  {
    name: 'a 1 MB cell, maxCellChars 100',
    test: '"cuts a 1 MB cell at maxCellChars, flags it, and still loads the rest of the file"',
    bytes: utf8(`Deal,Notes\nA,"${'x'.repeat(1024 * 1024)}"\nC,short\n`),
    limits: { maxCellChars: 100 },
    show: (rows) => `cell B2 ${rows[1]?.cells[1]?.length ?? 0} chars${rows[1]?.note ? `, ${rows[1].note}` : ''}`,
  },
  {
    name: 'a row of 20,000 cells (Excel stops at 16,384)',
    test: 'csv-reader.ts MAX_CSV_COLUMNS (test/integration/hostile-org.test.ts: 10 000 columns)',
    bytes: utf8(`Deal,Amount\n${Array.from({ length: 20_000 }, (_, i) => i).join(',')}\n`),
    show: (rows) => `row 2 ${rows[1]?.cells.length ?? 0} cells${rows[1]?.note ? `, ${rows[1].note}` : ''}`,
  },
  {
    name: 'maxRows 3 and a fourth row',
    test: '"allows exactly maxRows rows and refuses one more"',
    bytes: utf8('h\n1\n2\n3\n'),
    limits: { maxRows: 3 },
    show: (rows) => `${rows.length} rows`,
  },
];

// ---------------------------------------------------------------- the two readers

interface Outcome {
  rows: { line?: number; cells: string[]; note?: string }[];
  refusal?: string;
}

async function* chunksOf(bytes: Uint8Array, size = 64 * 1024): AsyncGenerator<Uint8Array> {
  for (let start = 0; start < bytes.length; start += size) yield bytes.subarray(start, start + size);
}

function note(row: RawRow): string | undefined {
  const notes = [row.malformed, row.oversizedCells ? `flagged oversized (cells ${row.oversizedCells.join(', ')})` : undefined].filter(Boolean);
  return notes.length > 0 ? notes.join('; ') : undefined;
}

async function readRevperf(bytes: Buffer, limits: ReaderLimits): Promise<Outcome> {
  const rows: Outcome['rows'] = [];
  try {
    const { batches } = await openCsv(chunksOf(bytes), limits);
    for await (const batch of batches) {
      for (const row of batch) rows.push({ line: row.line, cells: row.cells as string[], ...(note(row) ? { note: note(row)! } : {}) });
    }
    return { rows };
  } catch (error) {
    if (error instanceof UnreadableFileError) return { rows, refusal: `${error.code}: ${error.message}` };
    throw error;
  }
}

/** papaparse on the same bytes as a Node stream, as the ingest benchmark's baseline reads them; its errors noted on the row they name. */
function readPapaparse(bytes: Buffer): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const rows: Outcome['rows'] = [];
    Papa.parse<string[]>(Readable.from(chunksOf(bytes)).setEncoding('utf8'), {
      skipEmptyLines: true,
      chunk: (results) => {
        const first = rows.length;
        rows.push(...results.data.map((cells) => ({ cells })));
        for (const error of results.errors) {
          const row = rows[first + (error.row ?? 0)];
          if (row) row.note = `error ${error.code} on record ${error.row} (no line)`;
        }
      },
      complete: () => resolve({ rows }),
      error: reject,
    });
  });
}

function describe(testCase: Case, outcome: Outcome): string {
  const text = testCase.show(outcome.rows) + (outcome.refusal ? `; then refused (${outcome.refusal})` : '');
  return text.replace(/\|/g, '\\|').replace(/\r/g, '\\r').replace(/\n/g, '\\n');
}

// ---------------------------------------------------------------- memory: one 100 MB cell

const HUGE_CELL_BYTES = 20 * 1024 * 1024;
const MEMORY_CHILD_LIMIT_MS = 180_000;

/** Streams `Deal,Notes\nA,"xxxx…"\nB,short\n` to disk without holding it. */
async function writeHugeCellFile(path: string): Promise<void> {
  const out = createWriteStream(path);
  const block = 'x'.repeat(1024 * 1024);
  out.write('Deal,Notes\nA,"');
  for (let written = 0; written < HUGE_CELL_BYTES; written += block.length) {
    if (!out.write(block)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  out.end('"\nB,short\n');
  await new Promise<void>((resolve) => out.once('finish', () => resolve()));
}

/** Child side: reads the file with one reader (or does nothing), prints the peak RSS in MB. */
async function memoryChild(reader: string, path: string): Promise<void> {
  let cells = 0;
  const started = performance.now();
  if (reader === 'revperf') {
    const { batches } = await openCsv(createReadStream(path), { ...LIMITS, maxCellChars: 32_767 });
    for await (const batch of batches) for (const row of batch) cells += row.cells.length;
  } else if (reader === 'papaparse') {
    await new Promise<void>((resolve, reject) =>
      Papa.parse<string[]>(createReadStream(path, 'utf8'), {
        skipEmptyLines: true,
        chunk: (results) => results.data.forEach((row) => (cells += row.length)),
        complete: () => resolve(),
        error: reject,
      }),
    );
  }
  process.stdout.write(`${JSON.stringify({ cells, seconds: (performance.now() - started) / 1000, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
}

interface MemoryRun {
  cells: number;
  seconds: number;
  peakRssMb: number;
  killed?: boolean;
}

function runMemoryChild(reader: string, path: string): Promise<MemoryRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'csv-contract.ts'), 'memory', reader, path], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), MEMORY_CHILD_LIMIT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve({ cells: 0, seconds: MEMORY_CHILD_LIMIT_MS / 1000, peakRssMb: NaN, killed: true });
      else if (code === 0) resolve(JSON.parse(stdout.trim().split('\n').pop()!) as MemoryRun);
      else reject(new Error(`${reader} exited with ${code}`));
    });
  });
}

async function main(): Promise<void> {
  const lines = ['| case | input of | revperf openCsv | papaparse (UTF-8, delimiter guessed) |', '|---|---|---|---|'];
  for (const testCase of CASES) {
    const revperf = await readRevperf(testCase.bytes, { ...LIMITS, ...testCase.limits });
    const papaparse = await readPapaparse(testCase.bytes);
    lines.push(`| ${testCase.name} | ${testCase.test} | ${describe(testCase, revperf)} | ${describe(testCase, papaparse)} |`);
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);

  const dir = mkdtempSync(join(tmpdir(), 'revperf-csv-contract-'));
  try {
    const path = join(dir, 'huge-cell.csv');
    await writeHugeCellFile(path);
    const memory = [`| reader, one ${HUGE_CELL_BYTES / 1024 ** 2} MB quoted cell | cells read | seconds | peak RSS (MB) | over an empty run (MB) |`, '|---|---:|---:|---:|---:|'];
    const runs: Record<string, MemoryRun> = {};
    for (const reader of ['nothing', 'revperf', 'papaparse']) runs[reader] = await runMemoryChild(reader, path);
    for (const [reader, run] of Object.entries(runs)) {
      if (run.killed) memory.push(`| ${reader} | – | killed after ${run.seconds} s | – | – |`);
      else memory.push(`| ${reader} | ${run.cells} | ${run.seconds.toFixed(2)} | ${run.peakRssMb.toFixed(0)} | ${(run.peakRssMb - runs.nothing!.peakRssMb).toFixed(0)} |`);
    }
    process.stdout.write(`${memory.join('\n')}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'memory') await memoryChild(process.argv[3]!, process.argv[4]!);
else await main();
