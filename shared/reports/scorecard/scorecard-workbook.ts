// The workbook attached to the weekly scorecard: `Scorecard` (every figure of
// the scope's rows and its change since the previous stored snapshot, with
// team, region and company subtotals), `Wins`, `Slipped`, `Past due &
// undated`, `Data` (uploads used, rows read and used), and, when a chart is
// given, a `Chart` sheet with the headline and the attainment chart.
import type { Writable } from 'node:stream';
import type { EntityMetrics } from '../../domain/metrics.js';
import { ReportWorkbook, type CellKind, type TableColumn, type TableRow } from '../excel/index.js';
import type { ReportLabels } from '../labels/labels.js';
import { anyDaysInStage, type ReportData, type ReportScope } from '../report-data.js';
import { localDateTime, uploadsTable } from '../uploads-table.js';
import { fillLabel, type ScorecardLabels } from './scorecard-labels.js';
import { buildScorecardModel, entityName, figureDeltas, FIGURE_KINDS, SCORECARD_FIGURES, type ScorecardFigure, type ScorecardModel } from './scorecard-model.js';

export interface ScorecardWorkbookOptions {
  /** The attainment chart (PNG) for the Chart sheet. */
  chartPng?: Uint8Array;
  /** Its size in CSS pixels; default: the PNG's pixel size halved (charts are rendered at 2×). */
  chartSize?: { width: number; height: number };
  chartAlt?: string;
}

const VALUE_KINDS: Record<'money' | 'ratio' | 'times', CellKind> = { money: 'money', ratio: 'percentTable', times: 'ratioTimes' };
// There is no signed "×" delta format; a coverage change shows as a plain multiple ("-0.3×").
const DELTA_KINDS: Record<'money' | 'ratio' | 'times', CellKind> = { money: 'deltaMoney', ratio: 'deltaPercentPoints', times: 'ratioTimes' };

export async function renderScorecardWorkbook(
  data: ReportData,
  scope: ReportScope,
  labels: ReportLabels,
  output: Writable,
  options: ScorecardWorkbookOptions = {},
): Promise<void> {
  const model = buildScorecardModel(data, scope, labels);
  const s = labels.scorecard;
  const { metrics } = data;
  const workbook = new ReportWorkbook({
    output: { stream: output },
    currency: metrics.currency,
    locale: data.settings.locale,
    properties: {
      title: `${model.scopeName} · ${metrics.period.id} · ${s.title}`,
      organisation: metrics.org,
      period: metrics.period.id,
      asOf: `${s.asOf} ${metrics.asOf}`,
      description: model.headline,
      createdAt: new Date(metrics.generatedAt),
    },
  });
  const chartId = options.chartPng === undefined ? null : workbook.addImage(options.chartPng);

  writeScorecardSheet(workbook, model, data);
  writeDealSheets(workbook, model, s);
  writeDataSheet(workbook, model, data);
  if (chartId !== null && options.chartPng !== undefined) {
    const size = options.chartSize ?? halvedPngSize(options.chartPng);
    workbook
      .addBlockSheet(s.sheetChart)
      .title(model.subject)
      .line(model.headline)
      .line(model.movementLine)
      .line(model.forecastLine ?? '')
      .blank()
      .picture(chartId, { alt: options.chartAlt ?? s.chartTitle, widthPx: size.width, heightPx: size.height });
  }
  // Resolves once the output has the whole file.
  await workbook.finish();
}

/** The accountability figures, after the figures with deltas: no change column (they are judged over the period, not the week). */
const FORECAST_FIGURES = ['commitAmount', 'bestCaseAmount', 'commitAttainment', 'slipRate', 'slipRateValue', 'pushedThreeTimesCount', 'staleOpenCount'] as const;
type ForecastFigure = (typeof FORECAST_FIGURES)[number];

type ScorecardKey = 'level' | 'name' | 'team' | 'region' | ScorecardFigure | `${ScorecardFigure}Delta` | ForecastFigure;

function writeScorecardSheet(workbook: ReportWorkbook, model: ScorecardModel, data: ReportData): void {
  const { labels, view } = model;
  const s = labels.scorecard;
  const noQuota = new Set<ScorecardFigure>(['quota', 'attainment', 'pace', 'projectedAttainment', 'gapToQuota', 'requiredPerDay', 'nextQuarterCoverage']);
  const naNote = (figure: ScorecardFigure) =>
    figure === 'pipelineCoverage' ? s.naCoverage : noQuota.has(figure) ? s.naNoQuota : labels.common.notApplicable;
  const columns: TableColumn<ScorecardKey>[] = [
    { key: 'level', header: s.level, kind: 'text' },
    { key: 'name', header: s.name, kind: 'text' },
    { key: 'team', header: labels.common.team, kind: 'text' },
    { key: 'region', header: labels.common.region, kind: 'text' },
    ...SCORECARD_FIGURES.flatMap((figure): TableColumn<ScorecardKey>[] => [
      { key: figure, header: s[figure], kind: VALUE_KINDS[FIGURE_KINDS[figure]], naNote: naNote(figure) },
      {
        key: `${figure}Delta`,
        header: fillLabel(s.deltaOf, { figure: s[figure] }),
        kind: DELTA_KINDS[FIGURE_KINDS[figure]],
        naNote: view.hasPrevious ? labels.common.notApplicable : s.naFirstReport,
      },
    ]),
    { key: 'commitAmount', header: s.commitAmount, kind: 'moneyCents' },
    { key: 'bestCaseAmount', header: s.bestCaseAmount, kind: 'moneyCents' },
    { key: 'commitAttainment', header: s.commitAttainment, kind: VALUE_KINDS.ratio, naNote: s.naNoQuota },
    { key: 'slipRate', header: s.slipRate, kind: VALUE_KINDS.ratio, naNote: s.naNoHistory },
    { key: 'slipRateValue', header: s.slipRateValue, kind: VALUE_KINDS.ratio, naNote: s.naNoHistory },
    { key: 'pushedThreeTimesCount', header: s.pushedThreeTimesCount, kind: 'count', naNote: s.naNoHistory },
    { key: 'staleOpenCount', header: s.staleOpenCount, kind: 'count', naNote: s.naNoActivity },
  ];
  const table = workbook.addTableSheet<ScorecardKey>(s.sheetScorecard, {
    columns,
    rag: { attainment: data.settings.rag, pace: data.settings.rag },
    dataBar: { column: 'revenue' },
  });
  const levelNames = { rep: labels.common.rep, team: labels.common.team, region: labels.common.region, company: labels.common.company };
  for (const row of view.rows) {
    const entity = row.entity;
    const subtotal = row.kind !== 'rep';
    const values: TableRow<ScorecardKey> = {
      level: levelNames[row.kind],
      name: subtotal ? fillLabel(s.subtotal, { name: entityName(entity, data, s) }) : entity.name,
      team: row.kind === 'rep' ? entity.team : row.kind === 'team' ? entity.name : null,
      region: row.kind === 'region' ? entity.name : entity.region,
      ...figureValues(entity, row.previous),
    };
    if (subtotal) table.addSubtotal(values);
    else table.addRow(values);
  }
}

function figureValues(entity: EntityMetrics, previous: EntityMetrics | null): TableRow<ScorecardKey> {
  const deltas = figureDeltas(entity, previous);
  const values: TableRow<ScorecardKey> = {};
  for (const figure of SCORECARD_FIGURES) {
    values[figure] = entity[figure];
    values[`${figure}Delta`] = deltas[figure];
  }
  for (const figure of FORECAST_FIGURES) values[figure] = entity[figure];
  return values;
}

function writeDealSheets(workbook: ReportWorkbook, model: ScorecardModel, s: ScorecardLabels): void {
  const { view, labels } = model;
  const rep = labels.common.rep;
  const team = labels.common.team;
  // The columns every deal sheet opens with.
  const dealColumns = [
    { key: 'deal', header: s.deal, kind: 'text' },
    { key: 'account', header: s.account, kind: 'text' },
    { key: 'rep', header: rep, kind: 'text' },
    { key: 'team', header: team, kind: 'text' },
    { key: 'stage', header: s.stage, kind: 'text' },
  ] as const;
  const wins = workbook.addTableSheet(s.sheetWins, {
    columns: [
      ...dealColumns,
      { key: 'amount', header: s.amount, kind: 'moneyCents' },
      { key: 'closeDate', header: s.closeDate, kind: 'date', naNote: s.naNoDate },
      { key: 'createdDate', header: s.createdDate, kind: 'date' },
      { key: 'ageDays', header: s.ageDays, kind: 'days' },
    ],
  });
  for (const deal of view.weekWins) {
    wins.addRow({ deal: deal.name, account: deal.account, rep: deal.repName, team: deal.team, stage: deal.stage, amount: deal.amount, closeDate: deal.closeDate, createdDate: deal.createdDate, ageDays: deal.ageDays });
  }
  const slipped = workbook.addTableSheet(s.sheetSlipped, {
    columns: [
      ...dealColumns,
      { key: 'probability', header: s.probability, kind: 'percentTable' },
      { key: 'amount', header: s.amount, kind: 'moneyCents' },
      { key: 'previousCloseDate', header: s.previousCloseDate, kind: 'date', naNote: s.naNoDate },
      { key: 'closeDate', header: s.closeDate, kind: 'date', naNote: s.naNoDate },
    ],
  });
  for (const deal of view.slipped) {
    slipped.addRow({
      deal: deal.name, account: deal.account, rep: deal.repName, team: deal.team, stage: deal.stage, probability: deal.probability,
      amount: deal.amount, previousCloseDate: deal.previousCloseDate ?? null, closeDate: deal.closeDate,
    });
  }
  // Days in stage only where the export carries a stage-change date for some listed deal.
  const withDaysInStage = anyDaysInStage(view.pushedOften);
  const pushed = workbook.addTableSheet(s.sheetPushed, {
    columns: [
      ...dealColumns,
      { key: 'category', header: s.forecastCategory, kind: 'text' },
      { key: 'amount', header: s.amount, kind: 'moneyCents' },
      { key: 'pushes', header: s.closeDatePushes, kind: 'count' },
      { key: 'closeDate', header: s.closeDate, kind: 'date', naNote: s.naNoDate },
      { key: 'lastActivity', header: s.lastActivity, kind: 'date', naNote: s.naNoActivity },
      ...(withDaysInStage ? [{ key: 'daysInStage', header: s.daysInStage, kind: 'days', naNote: s.naNoStageChange } as const] : []),
    ],
  });
  for (const deal of view.pushedOften) {
    pushed.addRow({
      deal: deal.name, account: deal.account, rep: deal.repName, team: deal.team, stage: deal.stage,
      category: deal.forecastCategory === undefined ? null : labels.common.forecastCategories[deal.forecastCategory],
      amount: deal.amount, pushes: deal.closeDatePushes ?? null, closeDate: deal.closeDate, lastActivity: deal.lastActivityDate ?? null,
      ...(withDaysInStage ? { daysInStage: deal.daysInStage ?? null } : {}),
    });
  }
  const hygiene = workbook.addTableSheet(s.sheetPastDueUndated, {
    columns: [
      { key: 'issue', header: s.issue, kind: 'text' },
      ...dealColumns,
      { key: 'amount', header: s.amount, kind: 'moneyCents' },
      { key: 'closeDate', header: s.closeDate, kind: 'date', naNote: s.naNoDate },
      { key: 'daysPastDue', header: s.daysPastDue, kind: 'days' },
    ],
  });
  for (const item of view.pastDue) {
    const { deal } = item;
    hygiene.addRow({ issue: s.pastDue, deal: deal.name, account: deal.account, rep: item.repName, team: item.team, stage: deal.stage, amount: deal.amount, closeDate: deal.closeDate, daysPastDue: item.daysPastDue });
  }
  for (const item of view.undated) {
    const { deal } = item;
    hygiene.addRow({ issue: s.undated, deal: deal.name, account: deal.account, rep: item.repName, team: item.team, stage: deal.stage, amount: deal.amount, closeDate: null });
  }
}

function writeDataSheet(workbook: ReportWorkbook, model: ScorecardModel, data: ReportData): void {
  const s = model.labels.scorecard;
  const { metrics } = data;
  const sheet = workbook.addBlockSheet(s.sheetData, { onePage: false });
  sheet
    .title(`${s.dataTitle} · ${model.subject}`)
    .keyValues([
      { label: s.organisation, value: metrics.org, kind: 'text' },
      { label: s.period, value: `${metrics.period.id} (${metrics.period.start} – ${metrics.period.end})`, kind: 'text' },
      { label: s.asOf, value: metrics.asOf, kind: 'date' },
      { label: s.generated, value: localDateTime(metrics.generatedAt, data.settings.timeZone), kind: 'text' },
      { label: s.currency, value: metrics.currency, kind: 'text' },
      { label: s.timeZone, value: data.settings.timeZone, kind: 'text' },
    ])
    .line(model.freshness)
    .blank()
    .table(
      uploadsTable(data, {
        title: s.uploads,
        file: s.file,
        kind: s.kind,
        preset: s.preset,
        status: s.status,
        finishedAt: s.finishedAt,
        read: s.rowsRead,
        accepted: s.rowsAccepted,
        rejected: s.rejected,
        skipped: s.rowsSkipped,
      }),
    )
    .blank()
    .table({
      title: s.reconciliation,
      columns: [
        { key: 'kind', header: s.kind, kind: 'text' },
        { key: 'loaded', header: s.loaded, kind: 'count' },
        { key: 'used', header: s.used, kind: 'count' },
        { key: 'unused', header: s.unused, kind: 'count' },
        { key: 'reason', header: s.reason, kind: 'text' },
      ],
      rows: Object.values(metrics.reconciliation).flatMap((kind) => [
        { kind: kind.kind, loaded: kind.loaded, used: kind.used, unused: kind.loaded - kind.used },
        ...kind.unused.map((group) => ({ kind: kind.kind, unused: group.count, reason: group.reason })),
      ]),
    });
}

/** The PNG's pixel size (IHDR) halved: the charts are drawn at twice their CSS size. */
function halvedPngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  if (png.byteLength < 24) throw new Error('chart PNG is too short to have a header');
  return { width: Math.max(1, Math.round(view.getUint32(16) / 2)), height: Math.max(1, Math.round(view.getUint32(20) / 2)) };
}
