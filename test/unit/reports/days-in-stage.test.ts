// Days in stage in the reports: each open deal line carries it (n/a without a
// stage-change date), and the tables that show the last activity — the
// scorecard's "Pushed 3+" sheet, the pack's pushed-deal tables — add a "Days
// in stage" column beside it only when some listed deal has it.
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { FiscalCalendar } from '../../../shared/domain/fiscal-calendar.js';
import { toMetricsExport } from '../../../shared/domain/metrics-export.js';
import { computeMetrics } from '../../../shared/domain/metrics.js';
import type { Deal, Person } from '../../../shared/domain/types.js';
import { buildReportData } from '../../../shared/reports/build-report-data.js';
import { en } from '../../../shared/reports/labels/en.js';
import { pushedDealsTable } from '../../../shared/reports/pack/forecast-sheet.js';
import type { ReportData } from '../../../shared/reports/report-data.js';
import { renderScorecardWorkbook } from '../../../shared/reports/scorecard/index.js';

const calendar = new FiscalCalendar({ timeZone: 'UTC', yearStartMonth: 1, naming: 'end', weekStart: 'monday', holidays: [] });
const people: Person[] = [
  { id: 'ana@acme.com', name: 'Ana Peña', email: 'ana@acme.com', role: 'rep', team: 'West', manager: null, region: 'EMEA', active: true, effectiveFrom: null },
];
const asOf = '2026-02-16';

function open(id: string, amount: number, stageChangeDate?: string | null): Deal {
  return {
    id,
    name: id,
    account: 'Acme',
    owner: 'Ana Peña',
    stage: 'Proposal',
    stageClass: 'open',
    probability: 0.5,
    amount,
    currency: 'USD',
    originalAmount: amount,
    closeDate: '2026-03-20',
    createdDate: '2026-01-02',
    pipeline: null,
    lastActivityDate: '2026-02-10',
    ...(stageChangeDate !== undefined ? { stageChangeDate } : {}),
  };
}

function reportData(deals: Deal[]): ReportData {
  const quarter = calendar.periodById('FY2026-Q1');
  const settings = { currency: 'USD', coverageTarget: 3, teamAttribution: 'history' as const };
  const result = computeMetrics({ deals, people, quotas: [], keyAccounts: [], calendar, period: quarter, asOf, settings });
  return buildReportData({
    calendar,
    asOf,
    metrics: toMetricsExport(result, { org: 'Acme', asOf, generatedAt: '2026-02-16T07:00:00Z' }),
    deals,
    people,
    teamAttribution: 'history',
    previous: null,
    movement: null,
    // Every deal pushed 3+ times, so all of them are on the "Pushed 3+" lists.
    closeDatePushes: new Map(deals.map((deal) => [deal.id, 3])),
    earlierQuarters: [],
    uploads: [],
    settings: { locale: 'en', timeZone: 'UTC', rag: { green: 1, amber: 0.8 }, coverageTarget: 3 },
  });
}

/** The "Pushed 3+" sheet of the company scorecard as header → values of each data row, and the notes of the last column. */
async function pushedSheet(data: ReportData): Promise<{ headers: string[]; rows: Record<string, unknown>[]; lastNotes: unknown[] }> {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk));
  await renderScorecardWorkbook(data, { level: 'company' }, en, output);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
  const sheet = book.getWorksheet(en.scorecard.sheetPushed)!;
  let headerRow = 0;
  sheet.eachRow((row, number) => {
    if (headerRow === 0 && row.values && (row.values as unknown[]).includes(en.scorecard.lastActivity)) headerRow = number;
  });
  expect(headerRow).toBeGreaterThan(0);
  const headers = (sheet.getRow(headerRow).values as unknown[]).slice(1).map(String);
  const rows: Record<string, unknown>[] = [];
  const lastNotes: unknown[] = [];
  for (let number = headerRow + 1; number <= sheet.rowCount; number++) {
    const values = (sheet.getRow(number).values as unknown[]).slice(1);
    if (values.every((value) => value === undefined || value === null)) continue;
    rows.push(Object.fromEntries(headers.map((header, index) => [header, values[index]])));
    lastNotes.push(noteText(sheet.getRow(number).getCell(headers.length).note));
  }
  return { headers, rows, lastNotes };
}

function noteText(note: ExcelJS.Cell['note']): string | null {
  if (note === undefined || note === null) return null;
  if (typeof note === 'string') return note;
  return note.texts?.map((part) => part.text).join('') ?? null;
}

describe('days in stage in the reports', () => {
  const withDates = reportData([open('entered-jan-17', 3_000, '2026-01-17'), open('no-column', 2_000), open('future', 1_000, '2026-03-01')]);
  const withoutDates = reportData([open('a', 3_000), open('b', 2_000, null)]);

  it('puts daysInStage on each open deal line: as-of − stage-change date, null without one or with a later one', () => {
    expect(withDates.deals.open.map((line) => [line.id, line.daysInStage])).toEqual([
      ['entered-jan-17', 30], // 14 days left in January + 16
      ['no-column', null],
      ['future', null],
    ]);
  });

  it("adds a 'Days in stage' column beside the last activity of the pack's pushed-deal table when a deal has it", () => {
    const table = pushedDealsTable('Pushed', withDates.deals.open, en.pack, en.common.forecastCategories, { withOwner: true });
    const keys = table.columns.map((column) => column.key);
    expect(keys.slice(-2)).toEqual(['lastActivity', 'daysInStage']);
    expect(table.columns.at(-1)).toMatchObject({ header: 'Days in stage', kind: 'days' });
    expect(table.rows.map((row) => row.daysInStage)).toEqual([30, null, null]);
  });

  it('leaves the column out when no listed deal has a stage-change date', () => {
    const table = pushedDealsTable('Pushed', withoutDates.deals.open, en.pack, en.common.forecastCategories, { withOwner: false });
    expect(table.columns.map((column) => column.key)).not.toContain('daysInStage');
    expect(table.columns.at(-1)?.key).toBe('lastActivity');
  });

  it("shows it beside the last activity on the scorecard's Pushed 3+ sheet, and only then", async () => {
    const sheet = await pushedSheet(withDates);
    expect(sheet.headers.slice(-2)).toEqual(['Last activity', 'Days in stage']);
    // n/a is an empty cell with its note, never 0.
    expect(sheet.rows.map((row) => [row.Deal, row['Days in stage']])).toEqual([
      ['entered-jan-17', 30],
      ['no-column', undefined],
      ['future', undefined],
    ]);
    expect(sheet.lastNotes).toEqual([null, en.scorecard.naNoStageChange, en.scorecard.naNoStageChange]);
    const without = await pushedSheet(withoutDates);
    expect(without.headers).not.toContain('Days in stage');
    expect(without.headers.at(-1)).toBe('Last activity');
  });
});
