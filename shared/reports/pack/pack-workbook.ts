// The quarterly pre-review pack: one workbook per quarter for the
// organisation, one per team for its manager. Sheets, in order: Summary, one
// page per rep (talking points first; prints on one landscape page), Key
// accounts, Open pipeline, Closed won, Data quality.
//
// Charts: the Summary gets three (attainment by team or rep, revenue trend,
// pipeline waterfall). A rep page gets its own small trend chart only when
// the pack has at most `perRepChartLimit` reps (default 25): a chart costs
// ~100 ms to render, so 500 reps would add close to a minute; above the limit
// the trend is the table on the page, which is there either way.
import type { Writable } from 'node:stream';
import { attainmentChart } from '../charts/attainment-chart.js';
import type { RenderedChart } from '../charts/chart-render.js';
import { movementWaterfallChart } from '../charts/movement-waterfall-chart.js';
import { revenueTrendChart } from '../charts/revenue-trend-chart.js';
import { ReportWorkbook } from '../excel/index.js';
import type { ReportLabels } from '../labels/labels.js';
import type { ReportData, ReportScope } from '../report-data.js';
import { dataQualityPage, writeDataQuality } from './data-quality-sheet.js';
import {
  closedWonRows,
  closedWonTable,
  keyAccountRows,
  keyAccountsTable,
  openPipelineRows,
  openPipelineTable,
  writeListSheet,
} from './list-sheets.js';
import { forecastPage, writeForecastSheet } from './forecast-sheet.js';
import { fill } from './pack-labels.js';
import { scopePack, type ScopedPack } from './pack-scope.js';
import { repPage, writeRepPage } from './rep-page.js';
import { summaryPage, writeSummary, type SummaryChart } from './summary-sheet.js';

export const DEFAULT_PER_REP_CHART_LIMIT = 25;
const SUMMARY_CHART_WIDTH = 560;
const REP_CHART_WIDTH = 480;

export interface PackOptions {
  /** false: no charts at all. Default: Summary charts, and rep charts up to `perRepChartLimit` reps. */
  charts?: false | { summary?: boolean; perRepChartLimit?: number };
}

export interface PackSummary {
  sheetNames: readonly string[];
  reps: number;
  openDeals: number;
  wonDeals: number;
  repCharts: boolean;
}

/** Writes the pack for `scope` to `output` (an .xlsx); resolves once the whole file has been written to it. */
export async function renderPackWorkbook(
  data: ReportData,
  scope: ReportScope,
  labels: ReportLabels,
  output: Writable,
  options: PackOptions = {},
): Promise<PackSummary> {
  const pack = scopePack(data, scope);
  const text = labels.pack;
  const locale = data.settings.locale;
  const charts = options.charts === false ? { summary: false, perRepChartLimit: 0 } : (options.charts ?? {});
  const repCharts = pack.reps.length <= (charts.perRepChartLimit ?? DEFAULT_PER_REP_CHART_LIMIT);
  const currency = data.metrics.currency;

  const workbook = new ReportWorkbook({
    output: { stream: output },
    currency,
    locale,
    properties: {
      title: fill(text.documentTitle, { scope: pack.scopeName, period: data.metrics.period.label }),
      organisation: data.metrics.org,
      period: data.metrics.period.id,
      asOf: `as of ${data.metrics.asOf}`,
      description: fill(text.summaryTitle, { scope: pack.scopeName, period: data.metrics.period.label, asOf: data.metrics.asOf }),
      // The export's own timestamp: rendering reads no clock.
      createdAt: new Date(data.metrics.generatedAt),
    },
  });

  const summaryCharts = charts.summary === false ? [] : await renderSummaryCharts(pack, data, labels);
  const placed: SummaryChart[] = summaryCharts.map((chart) => ({ imageId: workbook.addImage(chart.png), alt: chart.alt, widthPx: chart.width, heightPx: chart.height }));
  const notes = pack.movement === null && charts.summary !== false ? [text.noMovement] : [];
  writeSummary(workbook, summaryPage(pack, data, labels), labels, placed, notes);
  writeForecastSheet(workbook, forecastPage(pack, data, labels), labels);

  for (const rep of pack.reps) {
    const page = repPage(rep, pack, data, text, labels.common.forecastCategories);
    let chart: Parameters<typeof writeRepPage>[3];
    if (repCharts) {
      const rendered = await revenueTrendChart({
        title: text.trendChartTitle,
        locale,
        width: REP_CHART_WIDTH,
        currency,
        quarters: pack.trendOf(rep),
        labels: { revenue: text.revenue, quota: text.quota, noData: text.noData },
      });
      chart = { imageId: workbook.addImage(rendered.png), alt: rendered.alt, widthPx: rendered.width, heightPx: rendered.height };
    }
    writeRepPage(workbook, page, text, chart);
  }

  await writeListSheet(workbook, text.sheetKeyAccounts, keyAccountsTable(text), keyAccountRows(pack.keyAccounts));
  await writeListSheet(workbook, text.sheetOpenPipeline, openPipelineTable(text), openPipelineRows(pack.open, text));
  await writeListSheet(workbook, text.sheetClosedWon, closedWonTable(text), closedWonRows(pack.quarterWins));
  writeDataQuality(workbook, dataQualityPage(pack, data, text), text);
  await workbook.finish();
  return { sheetNames: [...workbook.sheetNames], reps: pack.reps.length, openDeals: pack.open.length, wonDeals: pack.quarterWins.length, repCharts: repCharts && pack.reps.length > 0 };
}

async function renderSummaryCharts(pack: ScopedPack, data: ReportData, labels: ReportLabels): Promise<RenderedChart[]> {
  const text = labels.pack;
  const locale = data.settings.locale;
  const currency = data.metrics.currency;
  const byLevel = pack.scope.level === 'company' ? 'team' : 'rep';
  const entities = pack.summaryEntities.filter((entity) => entity.level === byLevel);
  const charts: RenderedChart[] = [
    await attainmentChart({
      title: fill(text.attainmentChartTitle, { level: (byLevel === 'team' ? labels.common.team : labels.common.rep).toLowerCase() }),
      locale,
      width: SUMMARY_CHART_WIDTH,
      entities: entities.map((entity) => ({ name: entity.name, attainment: entity.attainment })),
      rag: data.settings.rag,
      labels: { quotaLine: text.quota, noQuota: labels.common.noQuota, noData: text.noData },
    }),
    await revenueTrendChart({
      title: text.trendChartTitle,
      locale,
      width: SUMMARY_CHART_WIDTH,
      currency,
      quarters: pack.trendOf(pack.scopeEntity),
      labels: { revenue: text.revenue, quota: text.quota, noData: text.noData },
    }),
  ];
  if (pack.movement !== null && data.movement !== null) {
    charts.push(
      await movementWaterfallChart({
        title: fill(text.waterfallChartTitle, { opening: data.movement.openingAsOf }),
        locale,
        width: SUMMARY_CHART_WIDTH,
        currency,
        movement: pack.movement,
        labels: {
          opening: text.movementOpening,
          closing: text.movementClosing,
          new: text.movementNew,
          pulledIn: text.movementPulledIn,
          increased: text.movementIncreased,
          transferredIn: text.movementTransferredIn,
          pushedOut: text.movementPushedOut,
          decreased: text.movementDecreased,
          won: text.movementWon,
          lost: text.movementLost,
          removed: text.movementRemoved,
          transferredOut: text.movementTransferredOut,
          noData: text.noData,
        },
      }),
    );
  }
  return charts;
}
