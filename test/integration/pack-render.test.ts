// The quarterly pre-review pack, rendered from the sample organisation's
// ReportData with hostile names (deals, accounts, and reps renamed to
// formulas, markup, forbidden sheet characters, long and colliding names):
// read back with exceljs (values, formats, conditional formats, panes,
// filters, print setup, names, properties), the raw XML searched for formulas,
// and LibreOffice converting it to PDF — one rep page on one landscape page.
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityMetrics } from '../../shared/domain/metrics.js';
import { normaliseName } from '../../shared/domain/types.js';
import { ReportWorkbook } from '../../shared/reports/excel/index.js';
import { en } from '../../shared/reports/labels/en.js';
import type { ReportLabels } from '../../shared/reports/labels/labels.js';
import { scopePack } from '../../shared/reports/pack/pack-scope.js';
import { renderPackWorkbook, type PackSummary } from '../../shared/reports/pack/pack-workbook.js';
import { repPage, writeRepPage } from '../../shared/reports/pack/rep-page.js';
import { talkingPoints } from '../../shared/reports/pack/talking-points.js';
import type { ReportData, ReportScope } from '../../shared/reports/report-data.js';
import { HOSTILE_TEXTS, sampleReportData } from '../fixtures/reports/sample-report-data.js';
import { convertToPdf, pdfToPngs } from '../support/libreoffice.js';

const LONG_NAME = 'Maximiliana Alexandra de la Santísima Trinidad Fernández';
const TEAM = 'Southern Europe';

/** Renames reps of the fixture (figures and deal lines alike): a formula, forbidden sheet characters, and two identical long names. */
function withHostileReps(data: ReportData): ReportData {
  const reps = data.metrics.entities.filter((entity) => entity.level === 'rep' && entity.team === TEAM);
  const names = new Map<string, string>([
    [reps[0]!.id, HOSTILE_TEXTS[0]],
    [reps[1]!.id, 'Ana [West]: Q3/Q4 *?\\ review'],
    [reps[2]!.id, LONG_NAME],
    [reps[3]!.id, LONG_NAME],
    [reps[4]!.id, "'History'"],
  ]);
  const rename = <T extends { repId: string; repName: string }>(line: T): T => (names.has(line.repId) ? { ...line, repName: names.get(line.repId)! } : line);
  return {
    ...data,
    metrics: {
      ...data.metrics,
      entities: data.metrics.entities.map((entity) => (entity.level === 'rep' && names.has(entity.id) ? { ...entity, name: names.get(entity.id)! } : entity)),
    },
    deals: {
      weekWins: data.deals.weekWins.map(rename),
      slipped: data.deals.slipped.map(rename),
      quarterWins: data.deals.quarterWins.map(rename),
      open: data.deals.open.map(rename),
    },
  };
}

interface Rendered {
  path: string;
  book: ExcelJS.Workbook;
  summary: PackSummary;
  xml: Map<string, string>;
}

let dir: string;
let data: ReportData;
const packs: Partial<Record<'organisation' | 'team', Rendered>> = {};

async function render(scope: ReportScope, name: string, labels: ReportLabels = en): Promise<Rendered> {
  const path = join(dir, `${name}.xlsx`);
  const output = createWriteStream(path);
  const summary = await renderPackWorkbook(data, scope, labels, output);
  await finished(output);
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(path);
  const xml = new Map<string, string>();
  const listing = execFileSync('unzip', ['-Z1', path], { encoding: 'utf8' }).trim().split('\n');
  for (const entry of listing.filter((file) => file.startsWith('xl/worksheets/') && file.endsWith('.xml'))) {
    xml.set(entry, execFileSync('unzip', ['-p', path, entry], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }));
  }
  return { path, book, summary, xml };
}

beforeAll(async () => {
  dir = mkdtempSync(join(os.tmpdir(), 'revperf-pack-'));
  data = withHostileReps(sampleReportData({ hostile: true }));
  packs.organisation = await render({ level: 'company' }, 'organisation');
  packs.team = await render({ level: 'team', team: TEAM }, 'team');
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pack(name: 'organisation' | 'team'): Rendered {
  const rendered = packs[name];
  if (rendered === undefined) throw new Error(`${name} pack not rendered`);
  return rendered;
}

function sheet(book: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const found = book.getWorksheet(name);
  if (found === undefined) throw new Error(`no sheet '${name}' in ${book.worksheets.map((ws) => ws.name).join(', ')}`);
  return found;
}

function conditionalFormats(ws: ExcelJS.Worksheet): { ref: string; rules: { type: string; formulae?: string[] }[] }[] {
  return (ws as unknown as { conditionalFormattings: { ref: string; rules: { type: string; formulae?: string[] }[] }[] }).conditionalFormattings;
}

/** Rows of a sheet whose column B holds a number: the data rows of the Summary's tables, in order. */
function numericRows(ws: ExcelJS.Worksheet): ExcelJS.Row[] {
  const rows: ExcelJS.Row[] = [];
  ws.eachRow((row) => {
    if (typeof row.getCell(2).value === 'number') rows.push(row);
  });
  return rows;
}

const repsIn = (scope: ReportScope): EntityMetrics[] => scopePack(data, scope).reps;

describe.each(['organisation', 'team'] as const)('the %s pack', (name) => {
  const scope: ReportScope = name === 'organisation' ? { level: 'company' } : { level: 'team', team: TEAM };

  it('has Summary, Forecast, one sheet per rep of the scope, Key accounts, Open pipeline, Closed won and Data quality, with safe unique names', () => {
    const { book, summary } = pack(name);
    const names = book.worksheets.map((ws) => ws.name);
    const reps = repsIn(scope);
    expect(reps.length).toBeGreaterThan(4);
    expect(names).toEqual(summary.sheetNames);
    expect(names.slice(0, 2)).toEqual(['Summary', 'Forecast']);
    expect(names.slice(-4)).toEqual(['Key accounts', 'Open pipeline', 'Closed won', 'Data quality']);
    expect(names.length).toBe(reps.length + 6);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
    for (const sheetName of names) {
      expect(sheetName.length).toBeGreaterThan(0);
      expect(sheetName.length).toBeLessThanOrEqual(31);
      expect(sheetName).not.toMatch(/[[\]:*?/\\]/);
      expect(sheetName).not.toMatch(/^'|'$/);
      expect(sheetName.toLowerCase()).not.toBe('history');
    }
    if (name === 'team') {
      expect(reps.every((rep) => rep.team === TEAM)).toBe(true);
      // The two reps with the same long name get two sheets.
      expect(names.filter((n) => n.startsWith(LONG_NAME.slice(0, 20)))).toHaveLength(2);
    }
  });

  it('shows on the Summary the figures of metrics.entities (revenue, quota, attainment) for every entity of its scope', () => {
    const { book } = pack(name);
    const ws = sheet(book, 'Summary');
    const entities =
      name === 'organisation'
        ? data.metrics.entities.filter((entity) => entity.level !== 'rep')
        : data.metrics.entities.filter((entity) => (entity.level === 'team' && entity.id === TEAM) || (entity.level === 'rep' && entity.team === TEAM));
    const rows = numericRows(ws);
    expect(rows).toHaveLength(entities.length);
    entities.forEach((entity, index) => {
      const row = rows[index]!;
      expect(row.getCell(1).value).toBe(entity.level === 'company' ? 'Company' : entity.name);
      expect(row.getCell(2).value).toBe(entity.revenue / 100);
      expect(row.getCell(3).value ?? null).toBe(entity.quota === null ? null : entity.quota / 100);
      expect(row.getCell(4).value ?? null).toBe(entity.attainment);
      expect(row.getCell(5).value ?? null).toBe(entity.pace);
    });
    expect(rows[0]!.getCell(2).numFmt).toBe('"$"#,##0');
    expect(rows[0]!.getCell(4).numFmt).toBe('0.0%');
    // RAG on attainment (D) and pace (E), as conditional formats; a data bar on revenue (B) where a level has several rows.
    const formats = conditionalFormats(ws);
    expect(formats.some((format) => format.ref.startsWith('D') && format.rules.length === 3 && format.rules.every((rule) => rule.type === 'expression'))).toBe(true);
    expect(formats.some((format) => format.ref.startsWith('E') && format.rules.length === 3)).toBe(true);
    expect(formats.some((format) => format.ref.startsWith('B') && format.rules[0]?.type === 'dataBar')).toBe(true);
    expect(ws.pageSetup).toMatchObject({ orientation: 'landscape', fitToPage: true, fitToWidth: 1 });
  });

  it('opens each rep sheet with its talking points, then its figures', () => {
    const { book } = pack(name);
    const reps = repsIn(scope);
    const names = book.worksheets.map((ws) => ws.name);
    reps.forEach((rep, index) => {
      const ws = sheet(book, names[index + 2]!);
      expect(ws.getCell('A1').value).toBe(`${rep.name} · Team ${rep.team} · ${data.metrics.period.label} pre-review · as of ${data.metrics.asOf}`);
      expect(ws.getCell('A2').value).toBe('Talking points');
      // The points, derived here from the raw lists: the rep's slipped deals and key accounts.
      const keyAccounts = data.metrics.keyAccounts.filter((account) =>
        [...data.deals.open, ...data.deals.quarterWins].some((deal) => deal.repId === rep.id && normaliseName(deal.account) === account.id),
      );
      const expected = talkingPoints(
        rep,
        {
          periodLabel: data.metrics.period.label,
          coverageTarget: data.settings.coverageTarget,
          team: data.metrics.entities.find((entity) => entity.level === 'team' && entity.id === rep.team) ?? null,
          slipped: data.deals.slipped.filter((deal) => deal.repId === rep.id),
          keyAccounts: keyAccounts.map((account) => ({ name: account.name, growthYoY: account.growthYoY })),
          pushedOften: (data.deals.pushed ?? []).filter((deal) => deal.repId === rep.id && (deal.closeDatePushes ?? 0) >= 3),
        },
        en.pack,
        'en',
      );
      expect(expected.length).toBeGreaterThanOrEqual(3);
      expect(expected.length).toBeLessThanOrEqual(5);
      expected.forEach((point, offset) => expect(ws.getCell(`A${3 + offset}`).value).toBe(`• ${point}`));
      const planHeading = 3 + expected.length + 1;
      expect(ws.getCell(`A${planHeading}`).value).toBe('Plan / actual');
      const plan = ws.getRow(planHeading + 2);
      expect(plan.getCell(1).value ?? null).toBe(rep.quota === null ? null : rep.quota / 100);
      expect(plan.getCell(2).value).toBe(rep.revenue / 100);
      expect(plan.getCell(3).value ?? null).toBe(rep.attainment);
      expect(plan.getCell(5).value ?? null).toBe(rep.pace);
      expect(plan.getCell(3).numFmt).toBe('0%');
      const refs = conditionalFormats(ws).map((format) => format.ref);
      expect(refs).toContain(`C${planHeading + 2}:C${planHeading + 2}`);
      expect(refs).toContain(`E${planHeading + 2}:E${planHeading + 2}`);
      expect(ws.pageSetup).toMatchObject({ orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 1 });
      // Its figures, further down.
      const texts: string[] = [];
      ws.eachRow((row) => texts.push(String(row.getCell(1).value)));
      for (const heading of ['Five-quarter trend', 'Pipeline this and next quarter', 'Top open deals']) expect(texts).toContain(heading);
    });
  });

  it('lists every open deal of the scope on Open pipeline and every quarter win on Closed won', () => {
    const { book } = pack(name);
    const inScope = (deal: { team: string }) => name === 'organisation' || deal.team === TEAM;
    for (const [sheetName, deals, amountColumn] of [
      ['Open pipeline', data.deals.open.filter(inScope), 7],
      ['Closed won', data.deals.quarterWins.filter(inScope), 6],
    ] as const) {
      const ws = sheet(book, sheetName);
      expect(deals.length).toBeGreaterThan(0);
      expect(ws.rowCount).toBe(deals.length + 1);
      deals.forEach((deal, index) => {
        const row = ws.getRow(index + 2);
        expect(row.getCell(1).value).toBe(deal.name);
        expect(row.getCell(2).value).toBe(deal.account);
        expect(row.getCell(3).value).toBe(deal.repName);
        expect(row.getCell(amountColumn).value).toBe(deal.amount / 100);
      });
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1, topLeftCell: 'A2' });
      expect(ws.autoFilter).toBe(`A1:${sheetName === 'Open pipeline' ? 'K' : 'I'}${deals.length + 1}`);
      expect(ws.pageSetup).toMatchObject({ orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:1' });
      expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
      expect(ws.getRow(2).getCell(amountColumn).numFmt).toBe('"$"#,##0.00');
    }
    const open = sheet(book, 'Open pipeline');
    expect(open.getRow(2).getCell(6).numFmt).toBe('0.0%');
    expect(open.getRow(2).getCell(9).numFmt).toBe('yyyy-mm-dd');
    expect(conditionalFormats(open).some((format) => format.ref.startsWith('G2:') && format.rules[0]?.type === 'dataBar')).toBe(true);
  });

  it('has the key accounts and the data-quality tables', () => {
    const { book } = pack(name);
    const accounts = sheet(book, 'Key accounts');
    const scoped = scopePack(data, scope).keyAccounts;
    expect(accounts.rowCount).toBe(scoped.length + 1);
    if (name === 'organisation') expect(scoped.map((row) => row.account.id)).toEqual(data.metrics.keyAccounts.map((account) => account.id));
    const quality = sheet(book, 'Data quality');
    const texts: string[] = [];
    quality.eachRow((row) => row.eachCell((cell) => texts.push(String(cell.value))));
    for (const upload of data.uploads) expect(texts).toContain(upload.file);
    expect(texts.some((text) => text.startsWith('Past-due deals ('))).toBe(true);
    expect(texts.some((text) => text.startsWith('Undated open deals ('))).toBe(true);
    if (name === 'organisation') {
      expect(texts).toContain('Reconciliation: rows read vs used');
      for (const owner of data.metrics.unmatchedOwners) expect(texts).toContain(owner);
    } else {
      expect(texts).not.toContain('Reconciliation: rows read vs used');
    }
  });

  it('keeps every hostile text a string cell and writes no formula anywhere', () => {
    const { book, xml } = pack(name);
    const strings = new Set<string>();
    for (const ws of book.worksheets) {
      ws.eachRow((row) =>
        row.eachCell((cell) => {
          expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
          expect(cell.formula).toBeUndefined();
          if (typeof cell.value === 'string') strings.add(cell.value);
        }),
      );
    }
    const found = HOSTILE_TEXTS.filter((text) => [...strings].some((value) => value === text || value.includes(text)));
    expect(found.length).toBeGreaterThanOrEqual(4);
    for (const [entry, text] of xml) if (entry.startsWith('xl/worksheets/sheet')) expect(text).not.toMatch(/<f[ >]/);
  });

  it('carries the document properties', () => {
    const { book } = pack(name);
    expect(book.title).toBe(`${name === 'organisation' ? data.metrics.org : TEAM} · ${data.metrics.period.label} pre-review`);
    expect(book.subject).toBe(data.metrics.period.id);
    expect(book.keywords).toBe(`as of ${data.metrics.asOf}`);
    expect(book.company).toBe(data.metrics.org);
  });

  it('converts to PDF with LibreOffice', async () => {
    const pdf = await convertToPdf(pack(name).path, { outDir: dir });
    expect(pdf.pages).toBeGreaterThanOrEqual(repsIn(scope).length + 3);
  }, 180_000);
});

describe('a rep page printed', () => {
  it('fits on exactly one landscape page, with its chart', async () => {
    const team = scopePack(data, { level: 'team', team: TEAM });
    // The rep with the most open deals: the fullest page.
    const rep = [...team.reps].sort((a, b) => team.dealsOf(b.id).open.length - team.dealsOf(a.id).open.length)[0]!;
    expect(team.dealsOf(rep.id).open.length).toBeGreaterThanOrEqual(10);
    const path = join(dir, 'rep-page.xlsx');
    const workbook = new ReportWorkbook({
      output: { filename: path },
      currency: data.metrics.currency,
      locale: 'en',
      properties: { title: 't', organisation: 'o', period: 'p', asOf: 'a', createdAt: new Date(data.metrics.generatedAt) },
    });
    const { revenueTrendChart } = await import('../../shared/reports/charts/revenue-trend-chart.js');
    const chart = await revenueTrendChart({ title: 'Revenue', locale: 'en', width: 480, currency: 'USD', quarters: team.trendOf(rep), labels: { revenue: 'Revenue', quota: 'Quota', noData: '-' } });
    writeRepPage(workbook, repPage(rep, team, data, en.pack, en.common.forecastCategories), en.pack, { imageId: workbook.addImage(chart.png), alt: chart.alt, widthPx: chart.width, heightPx: chart.height });
    await workbook.finish();
    const pdf = await convertToPdf(path, { outDir: join(dir, 'rep-pdf') });
    expect(pdf.pages).toBe(1);
    const info = execFileSync('pdfinfo', [pdf.pdfPath], { encoding: 'utf8' });
    const [, width, height] = /Page size:\s+([\d.]+) x ([\d.]+)/.exec(info) ?? [];
    expect(Number(width)).toBeGreaterThan(Number(height));
    const pngs = await pdfToPngs(pdf.pdfPath, { outDir: join(dir, 'rep-png'), dpi: 50 });
    expect(pngs).toHaveLength(1);
  }, 180_000);
});
