// Excel benchmark: the quarterly pack's big sheet — every open deal, 12
// columns — written with revperf's toolkit (shared/reports/excel: styled
// number formats per kind, bold frozen header, autofilter, fitted widths,
// RAG on probability, a data bar on amount, a subtotal row per rep, print
// setup, backpressure) against exceljs 4.4's streaming WorkbookWriter writing
// the same values unstyled (no styles, no conditional formats, a plain
// `addRow(values).commit()` loop). Both write to a file in bench/data/.
//
//   node --import tsx bench/excel.bench.ts revperf 200000
//   node --import tsx bench/excel.bench.ts baseline 200000
//
// The deals are generated (seeded) when the script loads, before the timer.
// The checksum is the size of the file written, so a run that wrote nothing fails sameWork.
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { SeededRandom } from '../local/sample-org/random.js';
import { ReportWorkbook, type TableColumn, type TableRow } from '../shared/reports/excel/index.js';
import { runBenchChild, type WorkResult } from './lib/bench-child.js';

const DATA_DIR = join(import.meta.dirname, 'data');
const SEED = 20_261_129;
const REPS = 500;
const STAGES = ['Prospecting', 'Qualification', 'Proposal/Price Quote', 'Negotiation/Review'] as const;
const PROBABILITIES = [0.1, 0.2, 0.75, 0.9] as const;

interface OpenDeal {
  deal: string;
  owner: string;
  account: string;
  stage: string;
  probability: number;
  amount: number;
  weighted: number;
  closeDate: string;
  age: number;
  pushes: number;
  coverage: number;
  change: number;
}
type Key = keyof OpenDeal;

const COLUMNS: TableColumn<Key>[] = [
  { key: 'deal', header: 'Deal', kind: 'text' },
  { key: 'owner', header: 'Owner', kind: 'text' },
  { key: 'account', header: 'Account', kind: 'text' },
  { key: 'stage', header: 'Stage', kind: 'text' },
  { key: 'probability', header: 'Probability', kind: 'percentTable' },
  { key: 'amount', header: 'Amount', kind: 'moneyCents' },
  { key: 'weighted', header: 'Weighted', kind: 'moneyCents' },
  { key: 'closeDate', header: 'Close date', kind: 'date' },
  { key: 'age', header: 'Age', kind: 'days' },
  { key: 'pushes', header: 'Pushes', kind: 'count' },
  { key: 'coverage', header: 'Coverage', kind: 'ratioTimes' },
  { key: 'change', header: 'Δ amount', kind: 'deltaMoney' },
];

/** Deals sorted by owner, as the pack lists them (so a subtotal closes each rep). */
function generateDeals(size: number): OpenDeal[] {
  const random = new SeededRandom(SEED);
  const deals: OpenDeal[] = [];
  for (let index = 0; index < size; index++) {
    const rep = Math.floor((index * REPS) / size);
    const stage = random.int(0, STAGES.length - 1);
    const amount = random.int(5_000, 15_000_000);
    const probability = PROBABILITIES[stage] ?? 0.1;
    const month = String(random.int(7, 12)).padStart(2, '0');
    const day = String(random.int(1, 28)).padStart(2, '0');
    deals.push({
      deal: `Deal ${index} – ${random.int(1, 999)} seats`,
      owner: `Rep ${String(rep).padStart(3, '0')} Peña`,
      account: `Account ${random.int(1, 5_000)} GmbH`,
      stage: STAGES[stage] ?? 'Prospecting',
      probability,
      amount,
      weighted: Math.round(amount * probability),
      closeDate: `2027-${month}-${day}`,
      age: random.int(0, 400),
      pushes: random.int(0, 5),
      coverage: random.int(0, 50) / 10,
      change: random.int(-1_000_000, 1_000_000),
    });
  }
  return deals;
}

const sizeArgument = Number(process.argv[3]);
const DEALS = Number.isSafeInteger(sizeArgument) && sizeArgument > 0 ? generateDeals(sizeArgument) : [];

function outputPath(name: string): string {
  mkdirSync(DATA_DIR, { recursive: true });
  const path = join(DATA_DIR, `${name}-${process.pid}.xlsx`);
  rmSync(path, { force: true });
  return path;
}

function finishFile(path: string, rows: number): WorkResult {
  const bytes = statSync(path).size;
  rmSync(path, { force: true });
  return { rows, checksum: bytes > 0 ? rows : -1 };
}

async function revperf(): Promise<WorkResult> {
  const path = outputPath('revperf');
  const workbook = new ReportWorkbook({
    output: { filename: path },
    currency: 'USD',
    locale: 'en',
    properties: { title: 'Open pipeline', organisation: 'Bench Corp', period: 'FY2027-Q3', asOf: 'as of 2027-09-02', createdAt: new Date('2027-09-02T07:00:00Z') },
  });
  const table = workbook.addTableSheet('Open pipeline', {
    columns: COLUMNS,
    rag: { probability: { green: 0.75, amber: 0.2 } },
    dataBar: { column: 'amount' },
  });
  let rows = 0;
  function* withSubtotals(): Generator<TableRow<Key>> {
    let owner = DEALS[0]?.owner;
    let total = 0;
    for (const deal of DEALS) {
      if (deal.owner !== owner) {
        table.addSubtotal({ owner: `${owner} total`, amount: total });
        rows++;
        owner = deal.owner;
        total = 0;
      }
      total += deal.amount;
      rows++;
      yield deal;
    }
  }
  await table.addRows(withSubtotals());
  await workbook.finish();
  return finishFile(path, rows);
}

async function baseline(): Promise<WorkResult> {
  const path = outputPath('baseline');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path });
  const sheet = workbook.addWorksheet('Open pipeline');
  sheet.addRow(COLUMNS.map((column) => column.header)).commit();
  let rows = 0;
  let owner = DEALS[0]?.owner;
  let total = 0;
  for (const deal of DEALS) {
    if (deal.owner !== owner) {
      sheet.addRow([null, `${owner} total`, null, null, null, total / 100]).commit();
      rows++;
      owner = deal.owner;
      total = 0;
    }
    total += deal.amount;
    const [year, month, day] = deal.closeDate.split('-').map(Number);
    sheet
      .addRow([
        deal.deal,
        deal.owner,
        deal.account,
        deal.stage,
        deal.probability,
        deal.amount / 100,
        deal.weighted / 100,
        new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1)),
        deal.age,
        deal.pushes,
        deal.coverage,
        deal.change / 100,
      ])
      .commit();
    rows++;
  }
  sheet.commit();
  await workbook.commit();
  return finishFile(path, rows);
}

await runBenchChild({
  prepare() {},
  implementations: { revperf, baseline },
});
