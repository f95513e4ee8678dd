// The weekly scorecard rendered for the organisation, one team and one rep from
// the sample organisation (with hostile names): each workbook read back with
// exceljs against metrics.entities and converted to PDF by LibreOffice; each
// e-mail parsed strictly and rendered by Chromium at 600 and 700 px.
import { createWriteStream, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityMetrics } from '../../shared/domain/metrics.js';
import { attainmentChart } from '../../shared/reports/charts/attainment-chart.js';
import { DELTA_PERCENT_POINTS_FORMAT, deltaMoneyFormat, RAG_FILLS } from '../../shared/reports/excel/index.js';
import { en } from '../../shared/reports/labels/en.js';
import { es } from '../../shared/reports/labels/es.js';
import { scopeId, type ReportData, type ReportScope } from '../../shared/reports/report-data.js';
import { buildScorecardModel, renderScorecardEmail, renderScorecardWorkbook, scopeView, scorecardChartInput } from '../../shared/reports/scorecard/index.js';
import { HOSTILE_TEXTS, sampleReportData } from '../fixtures/reports/sample-report-data.js';
import { ARTIFACT_DIR, launchEmailBrowser, type EmailBrowser } from '../support/chromium.js';
import { parseEmailHtml } from '../support/email-html.js';
import { convertToPdf } from '../support/libreoffice.js';

const CID = 'attainment@revperf';
const SHEETS = ['Scorecard', 'Wins', 'Slipped', 'Pushed 3+', 'Past due & undated', 'Data', 'Chart'];

interface Rendered {
  scope: ReportScope;
  path: string;
  book: ExcelJS.Workbook;
  xml: Map<string, string>;
  subject: string;
  html: string;
  text: string;
  png: Uint8Array;
  chartWidth: number;
}

let data: ReportData;
let browser: EmailBrowser;
const rendered = new Map<string, Rendered>();
const timings: string[] = [];

async function readZipXml(file: string): Promise<Map<string, string>> {
  const zip = await yauzl.openPromise(file, { lazyEntries: true });
  const entries = new Map<string, string>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      zip.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => {
          entries.set(entry.fileName.replace(/^\//, ''), Buffer.concat(chunks).toString('utf8'));
          zip.readEntry();
        });
      });
    });
    zip.on('end', resolve).on('error', reject);
    zip.readEntry();
  });
  return entries;
}

async function render(scope: ReportScope, labels = en, source = data): Promise<Rendered> {
  const started = performance.now();
  const chart = await attainmentChart(scorecardChartInput(source, scope, labels));
  const email = renderScorecardEmail(source, scope, labels, { cid: CID, width: chart.width, height: chart.height, alt: chart.alt });
  const path = join(ARTIFACT_DIR, `scorecard-${scopeId(scope)}-${source.settings.locale}.xlsx`);
  const output = createWriteStream(path);
  await renderScorecardWorkbook(source, scope, labels, output, { chartPng: chart.png });
  await finished(output);
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(path);
  timings.push(`${scopeId(scope)}: chart + e-mail + workbook ${(performance.now() - started).toFixed(0)} ms`);
  return { scope, path, book, xml: await readZipXml(path), ...email, png: chart.png, chartWidth: chart.width };
}

/** The scopes' reps, chosen from the figures themselves (not from the renderer's scope view). */
function repsOf(scope: ReportScope): EntityMetrics[] {
  const reps = data.metrics.entities.filter((entity) => entity.level === 'rep');
  if (scope.level === 'team') return reps.filter((rep) => rep.team === scope.team);
  if (scope.level === 'rep') return reps.filter((rep) => rep.id === scope.repId);
  return reps;
}

const hostileIn = (texts: readonly string[]) => HOSTILE_TEXTS.filter((hostile) => texts.includes(hostile));

/** The first column of a text-body table, its wrapped cells joined again: the rep names as a reader sees them. */
function firstColumn(text: string, header: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`${header} `));
  const width = /^-+/.exec(lines[start + 1] ?? '')![0].length;
  const cells: string[] = [];
  for (const line of lines.slice(start + 2)) {
    if (line.trim() === '') break;
    if (/^-+( +-+)*$/.test(line)) continue;
    const cell = line.slice(0, width).trim();
    // A continuation line has nothing after the wrapped column.
    if (line.slice(width).trim() === '' && cells.length > 0) cells[cells.length - 1] += cell;
    else cells.push(cell);
  }
  return cells;
}

/** The names an e-mail shows: the table's first column and the deal, account and rep of each listed deal. */
function shownNames(scope: ReportScope): string[] {
  const model = buildScorecardModel(data, scope, en);
  return [
    ...model.table.map((line) => line.cells[0]!),
    ...Object.values(model.lists).flatMap((list) => list.items.flatMap((item) => [item.primary, ...item.secondary.split(' · ')])),
  ];
}

beforeAll(async () => {
  mkdirSync(ARTIFACT_DIR, { recursive: true });
  data = sampleReportData({ hostile: true });
  // A team whose e-mail lists (top 5) show hostile names, and a rep of it with a win this week (else the week's biggest winner).
  const teams = data.metrics.entities.filter((entity) => entity.level === 'team').map((entity) => entity.id);
  const team = teams.find((id) => hostileIn(shownNames({ level: 'team', team: id })).length > 0);
  if (team === undefined) throw new Error('the fixture has no team whose top-5 lists show a hostile name');
  const rep = data.deals.weekWins.find((deal) => deal.team === team)?.repId ?? data.deals.weekWins[0]!.repId;
  const scopes: ReportScope[] = [{ level: 'company' }, { level: 'team', team }, { level: 'rep', repId: rep }];
  for (const scope of scopes) rendered.set(scope.level, await render(scope));
  browser = await launchEmailBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  console.info(`scorecard render: ${timings.join('; ')}`);
});

describe.each(['company', 'team', 'rep'] as const)('weekly scorecard, %s scope', (level) => {
  const get = () => rendered.get(level)!;

  it('names the sheets and carries the document properties from the data', () => {
    const { book, scope } = get();
    expect(book.worksheets.map((sheet) => sheet.name)).toEqual(SHEETS);
    const model = buildScorecardModel(data, scope, en);
    expect(book.title).toBe(`${model.scopeName} · ${data.metrics.period.id} · Weekly scorecard`);
    expect(book.company).toBe(data.metrics.org);
    expect(book.subject).toBe(data.metrics.period.id);
    expect(book.keywords).toBe(`As of ${data.metrics.asOf}`);
    expect(book.created.toISOString()).toBe(data.metrics.generatedAt);
  });

  it("has every rep's revenue, quota and attainment as in metrics.entities, with their formats and changes", () => {
    const { book, scope } = get();
    const sheet = book.getWorksheet('Scorecard')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const column = (name: string) => header.indexOf(name) + 1;
    const previous = new Map(data.previous!.entities.filter((e) => e.level === 'rep').map((e) => [e.id, e]));
    const reps = repsOf(scope);
    const seen: string[] = [];
    for (let r = 2; r <= sheet.rowCount; r++) {
      const row = sheet.getRow(r);
      if (row.getCell(column('Level')).value !== 'Rep') continue;
      const name = row.getCell(column('Name')).value;
      const team = row.getCell(column('Team')).value;
      const rep = reps.find((candidate) => candidate.name === name && candidate.team === team);
      expect(rep, `row ${r}: ${String(name)}`).toBeDefined();
      seen.push(rep!.id);
      expect(row.getCell(column('Revenue')).value).toBe(rep!.revenue / 100);
      expect(row.getCell(column('Quota')).value).toBe(rep!.quota === null ? null : rep!.quota / 100);
      expect(row.getCell(column('Attainment')).value).toBe(rep!.attainment);
      const before = previous.get(rep!.id);
      const change = rep!.attainment === null || before?.attainment == null ? null : rep!.attainment - before.attainment;
      if (change === null) expect(row.getCell(column('Δ Attainment')).value).toBeNull();
      else expect(row.getCell(column('Δ Attainment')).value).toBeCloseTo(change, 12);
      expect(row.getCell(column('Δ Revenue')).value).toBe(before ? (rep!.revenue - before.revenue) / 100 : null);
      expect(row.getCell(column('Revenue')).numFmt).toBe('"$"#,##0');
      expect(row.getCell(column('Attainment')).numFmt).toBe('0.0%');
      expect(row.getCell(column('Pace')).numFmt).toBe('0.0%');
      expect(row.getCell(column('Pipeline coverage')).numFmt).toBe('0.0"×"');
      expect(row.getCell(column('Δ Attainment')).numFmt).toBe(DELTA_PERCENT_POINTS_FORMAT);
      expect(row.getCell(column('Δ Revenue')).numFmt).toBe(deltaMoneyFormat('USD', 'en'));
    }
    expect(seen.sort()).toEqual(reps.map((rep) => rep.id).sort());
    // Subtotals: a team row per team in scope, and for the organisation a region row per region and the company.
    const levels = (sheet.getColumn(column('Level')).values as unknown[]).slice(2);
    const teams = new Set(reps.map((rep) => rep.team));
    if (level === 'rep') expect(levels).toEqual(['Rep']);
    else expect(levels.filter((value) => value === 'Team')).toHaveLength(teams.size);
    if (level === 'company') {
      expect(levels.filter((value) => value === 'Region')).toHaveLength(data.metrics.entities.filter((e) => e.level === 'region').length);
      expect(levels.at(-1)).toBe('Company');
      const total = sheet.getRow(sheet.rowCount);
      const company = data.metrics.entities.find((e) => e.level === 'company')!;
      expect(total.getCell(column('Revenue')).value).toBe(company.revenue / 100);
      expect(total.getCell(column('Revenue')).font?.bold).toBe(true);
    }
  });

  it('colours attainment and pace by the configured RAG thresholds and bars revenue, as conditional formats', () => {
    const sheet = get().book.getWorksheet('Scorecard')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const letter = (name: string) => String.fromCharCode(64 + header.indexOf(name) + 1);
    const formats = (sheet as unknown as { conditionalFormattings: ExcelJS.ConditionalFormattingOptions[] }).conditionalFormattings;
    const { green, amber } = data.settings.rag;
    for (const figure of ['Attainment', 'Pace']) {
      const l = letter(figure);
      const format = formats.find((candidate) => candidate.ref === `${l}2:${l}${sheet.rowCount}`);
      expect(format, figure).toBeDefined();
      expect(format!.rules.map((rule) => (rule as ExcelJS.ExpressionRuleType).formulae)).toEqual([
        [`AND(ISNUMBER(${l}2),${l}2>=${green})`],
        [`AND(ISNUMBER(${l}2),${l}2>=${amber},${l}2<${green})`],
        [`AND(ISNUMBER(${l}2),${l}2<${amber})`],
      ]);
      expect(format!.rules.map((rule) => (rule.style?.fill as ExcelJS.FillPattern).bgColor?.argb)).toEqual([RAG_FILLS.green.fill, RAG_FILLS.amber.fill, RAG_FILLS.red.fill]);
    }
    const bar = formats.find((candidate) => candidate.rules[0]?.type === 'dataBar');
    if (level === 'rep') expect(bar?.ref).toBe(`${letter('Revenue')}2:${letter('Revenue')}2`);
    else expect(bar?.ref.startsWith(`${letter('Revenue')}2:`)).toBe(true);
  });

  it('freezes the header, filters and prints every table sheet landscape, one page wide, header repeated', () => {
    const { book } = get();
    for (const name of SHEETS.slice(0, 5)) {
      const sheet = book.getWorksheet(name)!;
      expect(sheet.views[0], name).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(sheet.autoFilter, name).toBe(`A1:${columnLetters(sheet.getRow(1).cellCount)}${Math.max(1, sheet.rowCount)}`);
      expect(sheet.pageSetup, name).toMatchObject({ orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:1' });
      expect(sheet.getCell('A1').font?.bold, name).toBe(true);
    }
    expect(book.getWorksheet('Chart')!.getImages()).toHaveLength(1);
  });

  it("lists the scope's wins, slipped, past-due and undated deals with amounts in currency cells", () => {
    const { book, scope } = get();
    const view = scopeView(data, scope);
    const wins = book.getWorksheet('Wins')!;
    expect(wins.rowCount - 1).toBe(view.weekWins.length);
    view.weekWins.forEach((deal, index) => {
      expect(wins.getCell(index + 2, 1).value).toBe(deal.name);
      expect(wins.getCell(index + 2, 6).value).toBe(deal.amount / 100);
      expect(wins.getCell(index + 2, 6).numFmt).toBe('"$"#,##0.00');
    });
    if (scope.level !== 'company') for (const deal of view.weekWins) expect(scope.level === 'team' ? deal.team : deal.repId).toBe(scope.level === 'team' ? scope.team : scope.repId);
    expect(book.getWorksheet('Slipped')!.rowCount - 1).toBe(view.slipped.length);
    expect(Math.max(1, book.getWorksheet('Past due & undated')!.rowCount) - 1).toBe(view.pastDue.length + view.undated.length);
    const dataSheet = book.getWorksheet('Data')!;
    const texts = (dataSheet.getColumn(1).values as unknown[]).map(String);
    for (const upload of data.uploads) expect(texts).toContain(upload.file);
  });

  it('writes hostile names as plain string cells, and no formula anywhere', () => {
    const { book, xml, scope } = get();
    const view = scopeView(data, scope);
    const strings: string[] = [];
    book.eachSheet((sheet) =>
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          expect(cell.type, `${sheet.name}!${cell.address}`).not.toBe(ExcelJS.ValueType.Formula);
          if (cell.type === ExcelJS.ValueType.String) strings.push(cell.value as string);
        }),
      ),
    );
    const names = [...view.weekWins, ...view.slipped].flatMap((deal) => [deal.name, deal.account, deal.repName]);
    const expected = hostileIn([...names, ...view.pastDue.flatMap((item) => [item.deal.name, item.deal.account])]);
    if (level !== 'rep') expect(expected.length).toBeGreaterThan(0);
    for (const hostile of expected) expect(strings).toContain(hostile);
    for (const [name, part] of xml) if (name.endsWith('.xml')) expect(part, name).not.toMatch(/<f[ >]/);
  });

  it('converts to PDF with LibreOffice', async () => {
    const started = performance.now();
    const pdf = await convertToPdf(get().path, { outDir: ARTIFACT_DIR });
    timings.push(`${level} PDF ${(performance.now() - started).toFixed(0)} ms, ${pdf.pages} pages`);
    expect(pdf.pages).toBeGreaterThan(0);
  }, 120_000);

  it('has a strict, script-free HTML body that fits 600 and 700 px with the headline, the table and the chart by CID', async () => {
    const { html, png, chartWidth, scope } = get();
    const parsed = parseEmailHtml(html);
    expect(parsed.problems).toEqual([]);
    expect(html).toContain(`src="cid:${CID}"`);
    const report = await browser.check({ html, images: { [CID]: png }, name: `scorecard-${scopeId(scope)}` });
    timings.push(`${level} Chromium ${report.totalMs.toFixed(0)} ms`);
    expect(report.problems).toEqual([]);
    for (const check of report.checks) {
      expect(check.scrollWidth).toBeLessThanOrEqual(check.width);
      expect(check.headline).not.toBeNull();
      expect(check.table).not.toBeNull();
      expect(check.images).toEqual([{ src: expect.stringMatching(/^data:image\/png;base64,/), naturalWidth: chartWidth * 2 }]);
    }
    const model = buildScorecardModel(data, scope, en);
    expect(report.visibleText).toContain(model.headline);
    // Hostile texts shown in the lists and table arrive as text, never as markup.
    const shown = hostileIn(shownNames(scope));
    if (level === 'team') expect(shown.length).toBeGreaterThan(0);
    for (const hostile of shown) {
      expect(parsed.text).toContain(hostile);
      expect(report.visibleText).toContain(hostile);
    }
    expect(parsed.tags).not.toContain('script');
    expect(parsed.attributes.filter((attribute) => /^on/i.test(attribute.name))).toEqual([]);
    expect(parsed.attributes.filter((attribute) => attribute.tag === 'img').map((attribute) => attribute.name === 'src' && attribute.value).filter(Boolean)).toEqual([`cid:${CID}`]);
  });

  it('says the same in the text body: subject, headline, hostile names as typed', () => {
    const { text, subject, scope } = get();
    const model = buildScorecardModel(data, scope, en);
    const flat = text.replace(/\s+/g, ' ');
    expect(subject).toBe(model.subject);
    expect(flat).toContain(model.headline);
    expect(flat).toContain(model.movementLine);
    for (const line of text.split('\n')) expect([...line].length).toBeLessThanOrEqual(90);
    const shown = hostileIn(shownNames(scope));
    if (level === 'team') expect(shown.length).toBeGreaterThan(0);
    // As typed, never escaped; the table wraps a long name onto the next line, so a rep's name is checked by its start.
    for (const hostile of shown) expect(flat).toContain(hostile.slice(0, 10));
    expect(text).not.toMatch(/&lt;|&gt;|&amp;|&quot;/);
  });
});

describe('hostile rep names', () => {
  it('arrive as plain text in the workbook, the HTML and the text body', async () => {
    // The fixture's hostile option renames no rep of this sample org, so rename a team's reps here.
    const source = structuredClone(data);
    const reps = source.metrics.entities.filter((entity) => entity.level === 'rep' && entity.team === 'DACH');
    reps.forEach((rep, index) => {
      rep.name = HOSTILE_TEXTS[index % HOSTILE_TEXTS.length]!;
    });
    const names = reps.map((rep) => rep.name);
    const result = await render({ level: 'team', team: 'DACH' }, en, source);
    const sheet = result.book.getWorksheet('Scorecard')!;
    const column = (sheet.getColumn(2).values as unknown[]).slice(2, 2 + reps.length);
    for (const name of names) {
      expect(column).toContain(name);
    }
    sheet.eachRow((row) => row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)));
    const parsed = parseEmailHtml(result.html);
    expect(parsed.problems).toEqual([]);
    expect(parsed.tags).not.toContain('script');
    // Wrapping may break a long name at a blank or inside a word: compare without blanks.
    const unblank = (text: string) => text.replace(/\s+/g, '');
    const textNames = firstColumn(result.text, 'Rep').map(unblank);
    for (const name of names) {
      expect(parsed.text).toContain(name);
      expect(textNames).toContain(unblank(name));
    }
    const report = await browser.check({ html: result.html, images: { [CID]: result.png }, name: 'scorecard-hostile-reps', widths: [600] });
    expect(report.problems).toEqual([]);
    for (const name of names) expect(report.visibleText).toContain(name);
  });
});

describe('first report', () => {
  it('leaves every change empty with a note saying there is nothing to compare with', async () => {
    const result = await render({ level: 'team', team: 'DACH' }, en, { ...data, previous: null, movement: null });
    const sheet = result.book.getWorksheet('Scorecard')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const deltaColumns = header.flatMap((name, index) => (String(name).startsWith('Δ ') ? [index + 1] : []));
    expect(deltaColumns).toHaveLength(11);
    for (let r = 2; r <= sheet.rowCount; r++) {
      for (const c of deltaColumns) {
        expect(sheet.getCell(r, c).value).toBeNull();
        expect(sheet.getCell(r, c).note).toBe(en.scorecard.naFirstReport);
      }
    }
    expect(result.text).toContain('first report');
    expect(result.subject).toContain('Team DACH');
  });
});

describe('weekly scorecard in Spanish', () => {
  it('names sheets and headers in Spanish and renders the e-mail with lang="es"', async () => {
    const source = sampleReportData({ locale: 'es' });
    const result = await render({ level: 'team', team: 'DACH' }, es, source);
    expect(result.book.worksheets.map((sheet) => sheet.name)).toEqual(['Resumen', 'Ganadas', 'Retrasadas', 'Aplazadas 3+', 'Vencidas y sin fecha', 'Datos', 'Gráfico']);
    expect(result.book.getWorksheet('Resumen')!.getCell('E1').value).toBe('Ingresos');
    expect(result.html).toContain('<html lang="es"');
    expect(result.subject).toMatch(/^Equipo DACH · FY2027-Q4 · semana \d+ de \d+ · a /);
    const file = await readFile(result.path);
    expect(file.byteLength).toBeGreaterThan(5_000);
  });
});

/** A1-style column letters of a 1-based column number (27 → AA). */
function columnLetters(column: number): string {
  let letters = '';
  for (let rest = column; rest > 0; rest = Math.floor((rest - 1) / 26)) letters = String.fromCharCode(65 + ((rest - 1) % 26)) + letters;
  return letters;
}
