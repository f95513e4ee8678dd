// Pack benchmark: the whole quarterly pre-review pack (renderPackWorkbook:
// Summary with its three charts, 500 rep pages with talking points, Key
// accounts, Open pipeline, Closed won, Data quality) for 500 reps and 200k
// deals, against exceljs 4.4's streaming WorkbookWriter writing the same cell
// values — the same sheets, rows and values, taken from the pack's own page
// models and row generators — with no styling, no conditional formats, no
// charts, no widths and no print setup. Both write a file to bench/data/.
//
//   node --import tsx bench/pack.bench.ts revperf 200000
//   node --import tsx bench/pack.bench.ts baseline 200000
//
// The ReportData is generated (seeded) when the script loads, before the timer:
// 500 reps in 50 teams in 5 regions, 200k deals split 150k open / 50k won this
// quarter, 2% slipped, 1% past due, 0.5% undated, 40 key accounts.
// The checksum is the rows written, or -1 when the file came out empty.
import { createWriteStream, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { SeededRandom } from '../local/sample-org/random.js';
import { METRICS_EXPORT_VERSION } from '../shared/domain/metrics-export.js';
import type { EntityMetrics, KeyAccountMetrics, PastDueDeal } from '../shared/domain/metrics.js';
import type { EntityMovement } from '../shared/domain/pipeline-movement.js';
import type { Deal, EntityLevel } from '../shared/domain/types.js';
import { amountFromMinorUnits, excelDate, type BlockTable, type TableOptions, type TableRow } from '../shared/reports/excel/index.js';
import { en } from '../shared/reports/labels/en.js';
import { dataQualityPage } from '../shared/reports/pack/data-quality-sheet.js';
import { closedWonRows, closedWonTable, keyAccountRows, keyAccountsTable, openPipelineRows, openPipelineTable } from '../shared/reports/pack/list-sheets.js';
import { scopePack } from '../shared/reports/pack/pack-scope.js';
import { renderPackWorkbook } from '../shared/reports/pack/pack-workbook.js';
import { repPage, repPageTables } from '../shared/reports/pack/rep-page.js';
import { summaryPage } from '../shared/reports/pack/summary-sheet.js';
import type { DealLine, ReportData } from '../shared/reports/report-data.js';
import { runBenchChild, type WorkResult } from './lib/bench-child.js';

const DATA_DIR = join(import.meta.dirname, 'data');
const SEED = 20_261_130;
const REPS = 500;
const TEAMS = 50;
const REGIONS = 5;
const KEY_ACCOUNTS = 40;
const STAGES = ['Prospecting', 'Qualification', 'Proposal/Price Quote', 'Negotiation/Review'] as const;
const PROBABILITIES = [0.1, 0.2, 0.75, 0.9] as const;
const PERIODS = ['FY2026-Q4', 'FY2027-Q1', 'FY2027-Q2', 'FY2027-Q3', 'FY2027-Q4'];

function entity(random: SeededRandom, level: EntityLevel, id: string, name: string, team: string | null, region: string | null, scale: number): EntityMetrics {
  const hasQuota = level !== 'rep' || random.int(0, 19) > 0;
  const quota = hasQuota ? random.int(20_000, 60_000) * 1000 * scale : null;
  const revenue = random.int(0, 50_000) * 1000 * scale;
  const gap = quota === null ? null : Math.max(quota - revenue, 0);
  const open = random.int(0, 150_000) * 1000 * scale;
  const won = random.int(0, 30);
  const lost = random.int(0, 30);
  const ratio = (a: number, b: number | null) => (b === null || b === 0 ? null : a / b);
  return {
    level, id, name, period: 'FY2027-Q4', team, region, currency: 'USD', revenue, quota,
    attainment: ratio(revenue, quota), gapToQuota: gap, growthQoQ: random.int(-60, 80) / 100, growthYoY: random.int(-60, 80) / 100, growthWoW: null,
    pace: quota === null ? null : ratio(revenue, quota)! / 0.55, projectedRevenue: Math.round(revenue / 0.55), projectedAttainment: ratio(Math.round(revenue / 0.55), quota),
    requiredPerDay: gap === null ? null : Math.round(gap / 40), requiredPerBusinessDay: gap === null ? null : Math.round(gap / 29),
    openPipeline: open, weightedPipeline: Math.round(open * 0.35),
    commitAmount: Math.round(open * 0.2), bestCaseAmount: Math.round(open * 0.3), pipelineCategoryAmount: Math.round(open * 0.4),
    commitAttainment: ratio(revenue + Math.round(open * 0.2), quota), pipelineCoverage: gap === null || gap === 0 ? null : open / gap,
    quotaMet: gap === 0, coverageHealthy: gap === null ? null : gap === 0 || open / gap >= 3,
    nextQuarterPipeline: Math.round(open * 0.6), nextQuarterQuota: quota, nextQuarterCoverage: ratio(Math.round(open * 0.6), quota),
    totalOpenPipeline: open, totalOpenCount: random.int(100, 400), wonCount: won, lostCount: lost, lostAmount: lost * 1_000_000,
    winRate: ratio(won, won + lost), valueWinRate: ratio(won, won + lost), averageDealSize: won === 0 ? null : Math.round(revenue / won),
    salesCycleMedianDays: won === 0 ? null : random.int(20, 160), salesCycleMeanDays: won === 0 ? null : random.int(20, 160),
    newPipeline: random.int(0, 40_000) * 1000 * scale, pastDueCount: random.int(0, 6), pastDueAmount: random.int(0, 200_000) * 100,
    undatedOpenCount: random.int(0, 3), undatedOpenAmount: random.int(0, 90_000) * 100,
    requiredCoverage: ratio(won + lost, won), salesVelocity: random.int(0, 900_000) * scale,
    slipRate: random.int(0, 100) / 100, slipRateValue: random.int(0, 100) / 100, pushedThreeTimesCount: random.int(0, 4), staleOpenCount: random.int(0, 12),
    forecastAccuracyWeek4: null, forecastAccuracyWeek8: null, forecastAccuracyLastWeek: null, attainmentDistribution: null, rankInTeam: hasQuota ? random.int(1, 10) : null,
    rankInCompany: hasQuota ? random.int(1, REPS) : null, revenueComparisons: { previousPeriod: revenue, lastYear: revenue, previousWeek: null },
  };
}

/** A pipeline movement that balances: closing = opening + inflows − outflows. */
function movement(random: SeededRandom, of: EntityMetrics): EntityMovement {
  const terms = { new: random.int(0, 9e8), pulledIn: random.int(0, 9e7), increased: random.int(0, 9e7), transferredIn: 0, pushedOut: random.int(0, 9e8), decreased: random.int(0, 9e7), won: random.int(0, 9e8), lost: random.int(0, 9e7), removed: 0, transferredOut: 0 };
  const opening = 5e10;
  const closing = opening + terms.new + terms.pulledIn + terms.increased - terms.pushedOut - terms.decreased - terms.won - terms.lost;
  return { level: of.level, id: of.id, name: of.name, team: of.team, region: of.region, opening, closing, ...terms };
}

export function syntheticPack(deals: number): ReportData {
  const random = new SeededRandom(SEED);
  const regions = Array.from({ length: REGIONS }, (_, r) => `Region ${r + 1}`);
  const teams = Array.from({ length: TEAMS }, (_, t) => ({ id: `Team ${String(t + 1).padStart(2, '0')}`, region: regions[t % REGIONS]! }));
  const reps = Array.from({ length: REPS }, (_, p) => ({ id: `rep${p}@bench.example`, name: `Rep ${String(p).padStart(3, '0')} Peña`, team: teams[p % TEAMS]! }));
  const company = entity(random, 'company', 'company', 'Company', null, null, REPS);
  const entities = [
    company,
    ...regions.map((region) => entity(random, 'region', region, region, null, null, REPS / REGIONS)),
    ...teams.map((team) => entity(random, 'team', team.id, team.id, null, team.region, REPS / TEAMS)),
    ...reps.map((rep) => entity(random, 'rep', rep.id, rep.name, rep.team.id, rep.team.region, 1)),
  ];
  const keyAccounts: KeyAccountMetrics[] = Array.from({ length: KEY_ACCOUNTS }, (_, k) => {
    const revenue = random.int(0, 5_000_000) * 100;
    return { id: `account ${k + 1} gmbh`, name: `Account ${k + 1} GmbH`, tier: k < 10 ? 'Strategic' : 'Growth', revenue, wonCount: random.int(0, 20), shareOfRevenue: revenue / company.revenue, growthQoQ: random.int(-80, 150) / 100, growthYoY: random.int(-80, 150) / 100, revenueComparisons: { previousPeriod: revenue, lastYear: revenue } };
  });
  const open: DealLine[] = [];
  const quarterWins: DealLine[] = [];
  for (let index = 0; index < deals; index++) {
    const rep = reps[index % REPS]!;
    const won = index % 4 === 3;
    const stage = random.int(0, STAGES.length - 1);
    const amount = random.int(5_000, 15_000_000);
    const probability = won ? 1 : PROBABILITIES[stage]!;
    const undated = !won && index % 200 === 0;
    const line: DealLine = {
      id: `D${index}`, name: `Deal ${index} – ${random.int(1, 999)} seats`, account: `Account ${random.int(1, 2_000)} GmbH`,
      repId: rep.id, repName: rep.name, team: rep.team.id, region: rep.team.region, stage: won ? 'Closed Won' : STAGES[stage]!, stageClass: won ? 'won' : 'open',
      probability, amount, weighted: Math.round(amount * probability),
      closeDate: undated ? null : `2027-0${random.int(1, 4)}-${String(random.int(1, 28)).padStart(2, '0')}`, createdDate: `2026-0${random.int(1, 9)}-${String(random.int(1, 28)).padStart(2, '0')}`,
      ageDays: random.int(0, 400), nextQuarter: !won && random.int(0, 2) === 0,
    };
    (won ? quarterWins : open).push(line);
  }
  const byAmount = (a: DealLine, b: DealLine) => b.amount - a.amount || (a.id < b.id ? -1 : 1);
  open.sort(byAmount);
  quarterWins.sort((a, b) => (a.closeDate! < b.closeDate! ? 1 : a.closeDate! > b.closeDate! ? -1 : byAmount(a, b)));
  const asDeal = (line: DealLine): Deal => ({ id: line.id, name: line.name, account: line.account, owner: line.repName, stage: line.stage, stageClass: line.stageClass, probability: line.probability, amount: line.amount, closeDate: line.closeDate, createdDate: line.createdDate } as unknown as Deal);
  const place = (line: DealLine) => ({ deal: asDeal(line), forecastCategory: 'pipeline' as const, repId: line.repId, repName: line.repName, team: line.team, region: line.region, closeDatePushes: line.amount % 5, daysInStage: null });
  const pastDue: PastDueDeal[] = open.filter((_, index) => index % 100 === 1).map((line) => ({ ...place(line), daysPastDue: 1 + (line.amount % 60) }));
  return {
    version: 1,
    metrics: {
      version: METRICS_EXPORT_VERSION, org: 'Bench Corp', currency: 'USD', asOf: '2026-12-10', generatedAt: '2026-12-10T07:00:00.000Z',
      period: { id: 'FY2027-Q4', label: 'FY2027 Q4', start: '2026-11-01', end: '2027-01-31' },
      comparisonPeriods: { previous: 'FY2027-Q3', lastYear: 'FY2026-Q4', nextQuarter: 'FY2028-Q1' }, coverageTarget: 3,
      entities, keyAccounts, pastDueDeals: pastDue, undatedOpenDeals: open.filter((line) => line.closeDate === null).map(place),
      unmatchedOwners: ['Marcus Webb', 'Old CRM user'],
      reconciliation: {
        deals: { kind: 'deals', loaded: deals + 12, used: deals, unused: [{ code: 'owner-unmatched', reason: 'owners that match no one', count: 12, examples: ['Marcus Webb: 12 deal(s)'] }] },
        quotas: { kind: 'quotas', loaded: REPS, used: REPS, unused: [] },
        people: { kind: 'people', loaded: REPS + TEAMS, used: REPS + TEAMS, unused: [] },
      },
    },
    week: { id: '2026-W50', label: 'W50', start: '2026-12-07', end: '2026-12-13', numberInQuarter: 6, weeksInQuarter: 13 },
    previous: null,
    movement: { openingAsOf: '2026-12-03', closingAsOf: '2026-12-10', entities: entities.map((of) => movement(random, of)) },
    deals: { weekWins: [], slipped: open.filter((_, index) => index % 50 === 7), quarterWins, open },
    trend: {
      periods: PERIODS.map((id) => ({ id, label: id.replace('-', ' ') })),
      entities: entities.map((of) => ({ level: of.level, id: of.id, points: PERIODS.map((id) => ({ periodId: id, label: id.replace('-', ' '), revenue: random.int(0, 90_000) * 1000, quota: of.quota })) })),
    },
    uploads: [{ key: 'uploads/deals/bench.csv', file: 'bench.csv', kind: 'deals', preset: 'salesforce', status: 'loaded', finishedAt: '2026-12-10T06:58:00.000Z', read: deals, accepted: deals, rejected: 0, skipped: 0 }],
    settings: { locale: 'en', timeZone: 'America/New_York', rag: { green: 1, amber: 0.8 }, coverageTarget: 3 },
  };
}

const sizeArgument = Number(process.argv[3]);
const DATA = Number.isSafeInteger(sizeArgument) && sizeArgument > 0 ? syntheticPack(sizeArgument) : null;

function outputPath(name: string): string {
  mkdirSync(DATA_DIR, { recursive: true });
  const path = join(DATA_DIR, `pack-${name}-${process.pid}.xlsx`);
  rmSync(path, { force: true });
  return path;
}

function finishFile(path: string, rows: number): WorkResult {
  const bytes = statSync(path).size;
  rmSync(path, { force: true });
  return { rows, checksum: bytes > 0 ? rows : -1 };
}

async function revperf(): Promise<WorkResult> {
  if (DATA === null) throw new Error('no data');
  const path = outputPath('revperf');
  const output = createWriteStream(path);
  const summary = await renderPackWorkbook(DATA, { level: 'company' }, en, output);
  await finished(output);
  if (summary.reps !== REPS) throw new Error(`expected ${REPS} rep pages, wrote ${summary.reps}`);
  return finishFile(path, summary.openDeals + summary.wonDeals);
}

/** A cell value as the styled pack stores it: money in major units, dates as dates, n/a as an empty cell. */
function plain(value: unknown, kind: string): ExcelJS.CellValue {
  if (value === null || value === undefined) return null;
  if (kind === 'money' || kind === 'moneyCents' || kind === 'deltaMoney') return amountFromMinorUnits(value as number, 'USD');
  if (kind === 'date') return excelDate(value as string);
  return value as ExcelJS.CellValue;
}

async function baseline(): Promise<WorkResult> {
  if (DATA === null) throw new Error('no data');
  const path = outputPath('baseline');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path });
  const pack = scopePack(DATA, { level: 'company' });
  const text = en.pack;
  const writeBlock = (sheet: ExcelJS.Worksheet, table: BlockTable) => {
    if (table.title !== undefined) sheet.addRow([table.title]).commit();
    sheet.addRow(table.columns.map((column) => column.header)).commit();
    for (const row of table.rows) sheet.addRow(table.columns.map((column) => plain(row[column.key], column.kind))).commit();
  };
  const writeList = <K extends string>(name: string, table: TableOptions<K>, rows: Iterable<TableRow<K>>) => {
    const sheet = workbook.addWorksheet(name);
    sheet.addRow(table.columns.map((column) => column.header)).commit();
    for (const row of rows) sheet.addRow(table.columns.map((column) => plain(row[column.key], column.kind))).commit();
    sheet.commit();
  };

  const summary = summaryPage(pack, DATA, en);
  const first = workbook.addWorksheet(text.sheetSummary);
  first.addRow([summary.title]).commit();
  for (const table of summary.tables) writeBlock(first, table);
  first.commit();
  for (const rep of pack.reps) {
    const page = repPage(rep, pack, DATA, text, en.common.forecastCategories);
    const sheet = workbook.addWorksheet(`${rep.name.slice(0, 28)}`);
    sheet.addRow([page.title]).commit();
    sheet.addRow([text.talkingPoints]).commit();
    for (const point of page.points) sheet.addRow([`• ${point}`]).commit();
    for (const table of repPageTables(page)) writeBlock(sheet, table);
    sheet.addRow([page.keyAccountsNote]).commit();
    sheet.commit();
  }
  writeList(text.sheetKeyAccounts, keyAccountsTable(text), keyAccountRows(pack.keyAccounts));
  writeList(text.sheetOpenPipeline, openPipelineTable(text), openPipelineRows(pack.open, text));
  writeList(text.sheetClosedWon, closedWonTable(text), closedWonRows(pack.quarterWins));
  const quality = dataQualityPage(pack, DATA, text);
  const last = workbook.addWorksheet(text.sheetDataQuality);
  last.addRow([quality.title]).commit();
  for (const table of quality.tables) writeBlock(last, table);
  last.commit();
  await workbook.commit();
  return finishFile(path, pack.open.length + pack.quarterWins.length);
}

await runBenchChild({
  prepare() {},
  implementations: { revperf, baseline },
});
