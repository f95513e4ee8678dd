// Everything the two e-mail bodies say, decided once: the subject, the
// headline verdict and its RAG, the KPI tiles with their week-over-week
// changes, the table rows, the movement line, the top-5 deal lists and the
// data-freshness line. The workbook uses the same scope view and figures.
import { DEFAULT_STALE_AFTER_DAYS } from '../../domain/forecast-history.js';
import type { EntityMetrics, Ratio } from '../../domain/metrics.js';
import type { HygieneDeal } from '../../domain/metrics.js';
import type { Delta } from '../email/delta.js';
import type { KpiTile } from '../email/layout.js';
import type { ReportLabels } from '../labels/labels.js';
import type { DealLine, ReportData, ReportScope } from '../report-data.js';
import { ScorecardFormat } from './scorecard-format.js';
import { fillLabel, type ScorecardLabels } from './scorecard-labels.js';
import { scopeView, type ScopeRow, type ScopeView } from './scope-view.js';

export type RagLevel = 'green' | 'amber' | 'red' | 'none';

/** Attainment ≥ green → green, ≥ amber → amber, else red; no attainment (no quota) → none. */
export function ragLevel(attainment: Ratio, thresholds: { green: number; amber: number }): RagLevel {
  if (attainment === null || !Number.isFinite(attainment)) return 'none';
  return attainment >= thresholds.green ? 'green' : attainment >= thresholds.amber ? 'amber' : 'red';
}

/** The figures of a scorecard row, each with its change since the previous snapshot. */
export const SCORECARD_FIGURES = [
  'revenue', 'quota', 'attainment', 'pace', 'projectedAttainment', 'gapToQuota', 'requiredPerDay',
  'pipelineCoverage', 'nextQuarterCoverage', 'winRate', 'averageDealSize',
] as const satisfies readonly (keyof EntityMetrics & keyof ScorecardLabels)[];
export type ScorecardFigure = (typeof SCORECARD_FIGURES)[number];

/** Money figures are integer minor units; the rest are ratios (attainment-like) or multiples (coverage). */
export const FIGURE_KINDS: Readonly<Record<ScorecardFigure, 'money' | 'ratio' | 'times'>> = {
  revenue: 'money', quota: 'money', attainment: 'ratio', pace: 'ratio', projectedAttainment: 'ratio', gapToQuota: 'money',
  requiredPerDay: 'money', pipelineCoverage: 'times', nextQuarterCoverage: 'times', winRate: 'ratio', averageDealSize: 'money',
};

/** current − previous per figure; null where either side is n/a or there is no previous snapshot. */
export function figureDeltas(current: EntityMetrics, previous: EntityMetrics | null): Record<ScorecardFigure, number | null> {
  const deltas = {} as Record<ScorecardFigure, number | null>;
  for (const figure of SCORECARD_FIGURES) {
    const now = current[figure];
    const then = previous?.[figure] ?? null;
    deltas[figure] = now === null || then === null ? null : now - then;
  }
  return deltas;
}

export interface TableLine {
  cells: string[];
  rag: RagLevel;
  subtotal: boolean;
}

export interface DealItem {
  primary: string;
  secondary: string;
  amount: string;
}

export interface DealList {
  title: string;
  items: DealItem[];
  /** How many deals the full list has (the workbook shows them all). */
  total: number;
  empty: string;
  sheet: string;
  /** A flag list (pushed 3+ times): left out of the e-mail when empty rather than saying "none". */
  onlyWhenAny?: boolean;
}

/** The lists an e-mail shows, in order: flag lists only when they have deals. */
export function shownLists(model: ScorecardModel): DealList[] {
  return Object.values(model.lists).filter((list) => !list.onlyWhenAny || list.total > 0);
}

export interface ScorecardModel {
  view: ScopeView;
  format: ScorecardFormat;
  labels: ReportLabels;
  scopeName: string;
  subject: string;
  headline: string;
  rag: { level: RagLevel; label: string };
  tiles: KpiTile[];
  tableColumns: { header: string; align: 'left' | 'right' }[];
  table: TableLine[];
  movementLine: string;
  /** Commit, best case, slip rate, category moves, pushed and stale deals: null when the scope has nothing to say. */
  forecastLine: string | null;
  lists: { wins: DealList; slipped: DealList; pushed: DealList; pastDue: DealList; undated: DealList };
  freshness: string;
}

export const TOP_DEALS = 5;

export function buildScorecardModel(data: ReportData, scope: ReportScope, labels: ReportLabels): ScorecardModel {
  const view = scopeView(data, scope);
  const { metrics, settings } = data;
  const s = labels.scorecard;
  const format = new ScorecardFormat(settings.locale, metrics.currency, settings.timeZone);
  const entity = view.entity;
  const scopeName = entityName(entity, data, s);
  const na = labels.common.notApplicable;
  const points = (change: number) => fillLabel(s.points, { value: format.signedPoints(change) });
  const deltas = figureDeltas(entity, view.previous);
  const pointsDelta = (change: number | null): Delta | undefined =>
    change === null ? undefined : { text: points(change), direction: direction(Math.round(change * 100)) };
  const level = ragLevel(entity.attainment, settings.rag);
  const ragLabels = { green: s.ragGreen, amber: s.ragAmber, red: s.ragRed, none: s.ragNone };

  const tiles: KpiTile[] = [
    {
      label: s.revenue,
      value: format.moneyCompact(entity.revenue),
      delta: deltas.revenue === null ? undefined : { text: format.moneyCompact(deltas.revenue, true), direction: direction(deltas.revenue) },
      sub: s.wonThisQuarter,
    },
    { label: s.quota, value: entity.quota === null ? labels.common.noQuota : format.moneyCompact(entity.quota), sub: metrics.period.id },
    { label: s.attainment, value: entity.attainment === null ? na : format.percent(entity.attainment), delta: pointsDelta(deltas.attainment) },
    { label: s.pace, value: entity.pace === null ? na : format.percent(entity.pace), delta: pointsDelta(deltas.pace) },
    {
      label: s.shortProjected,
      value: entity.projectedRevenue === null ? na : format.moneyCompact(entity.projectedRevenue),
      sub: entity.projectedAttainment === null ? undefined : fillLabel(s.projectedOfQuota, { value: format.percent(entity.projectedAttainment) }),
    },
  ];

  const won = view.weekWins.reduce((sum, deal) => sum + deal.amount, 0);
  const slipped = view.slipped.reduce((sum, deal) => sum + deal.amount, 0);
  const movementParts = [fillLabel(s.movementWon, { amount: format.moneyCompact(won, true), count: format.count(view.weekWins.length) })];
  if (view.movement !== null) movementParts.push(fillLabel(s.movementNew, { amount: format.moneyCompact(view.movement.new, true) }));
  movementParts.push(fillLabel(s.movementSlipped, { amount: format.moneyCompact(-slipped, true) }));
  if (view.movement !== null) movementParts.push(fillLabel(s.movementLost, { amount: format.moneyCompact(-view.movement.lost, true) }));

  return {
    view,
    format,
    labels,
    scopeName,
    subject: fillLabel(s.subject, {
      scope: scopeName, period: metrics.period.id, week: data.week.numberInQuarter, weeks: data.week.weeksInQuarter, asOf: format.day(metrics.asOf),
    }),
    headline: headlineSentence(view, scopeName, data, labels, format),
    rag: { level, label: ragLabels[level] },
    tiles,
    tableColumns: [
      { header: labels.common.rep, align: 'left' },
      { header: s.revenue, align: 'right' },
      { header: s.shortAttainment, align: 'right' },
      { header: s.shortDelta, align: 'right' },
      { header: s.pace, align: 'right' },
      { header: s.shortCoverage, align: 'right' },
      { header: s.shortWinRate, align: 'right' },
    ],
    table: view.rows.map((row) => tableLine(row, view.hasPrevious, data, labels, format)),
    movementLine: `${s.movementPrefix}: ${movementParts.join(' · ')}`,
    forecastLine: forecastLine(view, data, labels, format),
    lists: dealLists(view, labels, format),
    freshness: freshnessLine(data, s, format),
  };
}

/** "Forecast: commit $120k · best case $80k · 92% of quota with commit · slip rate 30% (25% of value) · 2 into commit ($45k) · 4 pushed 3+ times · 7 stale (30+ days without activity)". */
function forecastLine(view: ScopeView, data: ReportData, labels: ReportLabels, format: ScorecardFormat): string | null {
  const s = labels.scorecard;
  const entity = view.entity;
  const parts: string[] = [];
  if (entity.commitAmount > 0) parts.push(fillLabel(s.forecastCommit, { amount: format.moneyCompact(entity.commitAmount) }));
  if (entity.bestCaseAmount > 0) parts.push(fillLabel(s.forecastBestCase, { amount: format.moneyCompact(entity.bestCaseAmount) }));
  if (entity.pipelineCategoryAmount > 0) parts.push(fillLabel(s.forecastPipeline, { amount: format.moneyCompact(entity.pipelineCategoryAmount) }));
  if (entity.commitAttainment !== null && entity.commitAmount > 0) parts.push(fillLabel(s.forecastCommitAttainment, { value: format.percent(entity.commitAttainment) }));
  if (entity.slipRate !== null) {
    parts.push(fillLabel(s.forecastSlip, { count: format.percent(entity.slipRate), value: entity.slipRateValue === null ? labels.common.notApplicable : format.percent(entity.slipRateValue) }));
  }
  const into = view.categoryMoves.filter((move) => move.to === 'commit' && move.from !== 'commit');
  const outOf = view.categoryMoves.filter((move) => move.from === 'commit' && move.to !== 'commit');
  const sum = (moves: readonly { amount: number }[]) => moves.reduce((total, move) => total + move.amount, 0);
  if (into.length > 0) parts.push(fillLabel(s.forecastIntoCommit, { count: format.count(into.length), amount: format.moneyCompact(sum(into)) }));
  if (outOf.length > 0) parts.push(fillLabel(s.forecastOutOfCommit, { count: format.count(outOf.length), amount: format.moneyCompact(sum(outOf)) }));
  if ((entity.pushedThreeTimesCount ?? 0) > 0) parts.push(fillLabel(s.forecastPushed, { count: format.count(entity.pushedThreeTimesCount!) }));
  if ((entity.staleOpenCount ?? 0) > 0) {
    parts.push(fillLabel(s.forecastStale, { count: format.count(entity.staleOpenCount!), days: format.count(data.settings.staleAfterDays ?? DEFAULT_STALE_AFTER_DAYS) }));
  }
  return parts.length === 0 ? null : `${s.forecastPrefix}: ${parts.join(' · ')}`;
}

function headlineSentence(view: ScopeView, scopeName: string, data: ReportData, labels: ReportLabels, format: ScorecardFormat): string {
  const s = labels.scorecard;
  const { entity, previous } = view;
  const period = data.metrics.period.id;
  const parts = [
    entity.attainment === null
      ? fillLabel(s.headlineNoQuota, { scope: scopeName, revenue: format.moneyCompact(entity.revenue), period })
      : fillLabel(s.headlineAttainment, { scope: scopeName, attainment: format.percent(entity.attainment), period }),
  ];
  if (!view.hasPrevious) parts.push(s.firstReport);
  else if (entity.attainment !== null && previous?.attainment != null) {
    parts.push(fillLabel(s.headlineDelta, { delta: fillLabel(s.points, { value: format.signedPoints(entity.attainment - previous.attainment) }) }));
  }
  if (entity.quotaMet) parts.push(labels.common.quotaMet);
  else if (entity.pipelineCoverage !== null) {
    const target = data.settings.coverageTarget;
    parts.push(fillLabel(s.headlineCoverage, { coverage: format.times(entity.pipelineCoverage), target: Number.isInteger(target) ? `${target}×` : format.times(target) }));
  }
  return parts.join(', ');
}

/** The name a reader knows an entity by: the organisation's name, "Team West", the region or the rep. */
export function entityName(entity: EntityMetrics, data: ReportData, s: ScorecardLabels): string {
  if (entity.level === 'company') return data.metrics.org;
  if (entity.level === 'team') return fillLabel(s.teamScope, { name: entity.name });
  return entity.name;
}

function tableLine(row: ScopeRow, hasPrevious: boolean, data: ReportData, labels: ReportLabels, format: ScorecardFormat): TableLine {
  const { entity, previous } = row;
  const na = labels.common.notApplicable;
  const subtotal = row.kind !== 'rep';
  const name = subtotal ? fillLabel(labels.scorecard.subtotal, { name: entityName(entity, data, labels.scorecard) }) : entity.name;
  const change = hasPrevious && entity.attainment !== null && previous?.attainment != null ? format.signedPoints(entity.attainment - previous.attainment) : '';
  const ratio = (value: Ratio) => (value === null ? na : format.percent(value));
  const coverage = entity.quotaMet ? labels.common.quotaMet : entity.pipelineCoverage === null ? na : format.times(entity.pipelineCoverage);
  return {
    cells: [name, format.moneyCompact(entity.revenue), ratio(entity.attainment), change, ratio(entity.pace), coverage, ratio(entity.winRate)],
    rag: ragLevel(entity.attainment, data.settings.rag),
    subtotal,
  };
}

function dealLists(view: ScopeView, labels: ReportLabels, format: ScorecardFormat): ScorecardModel['lists'] {
  const s = labels.scorecard;
  const line = (deal: DealLine, detail: string): DealItem => ({
    primary: deal.name, secondary: [deal.account, deal.repName, detail].join(' · '), amount: format.moneyFull(deal.amount),
  });
  const hygiene = (item: HygieneDeal, detail: string): DealItem => ({
    primary: item.deal.name, secondary: [item.deal.account, item.repName, detail].join(' · '), amount: format.moneyFull(item.deal.amount),
  });
  const date = (value: string | null | undefined) => (value ? format.day(value) : s.noDate);
  const list = (title: string, items: DealItem[], total: number, empty: string, sheet: string, onlyWhenAny = false): DealList => ({
    title, items, total, empty, sheet, ...(onlyWhenAny ? { onlyWhenAny } : {}),
  });
  // Past-due deals come oldest first; the biggest amounts matter most in a top 5.
  const pastDue = [...view.pastDue].sort((a, b) => b.deal.amount - a.deal.amount || b.daysPastDue - a.daysPastDue);
  return {
    wins: list(s.topWins, view.weekWins.slice(0, TOP_DEALS).map((deal) => line(deal, fillLabel(s.wonOn, { date: date(deal.closeDate) }))), view.weekWins.length, s.noneThisWeek, s.sheetWins),
    slipped: list(
      s.slipped,
      view.slipped.slice(0, TOP_DEALS).map((deal) => line(deal, fillLabel(s.movedDates, { from: date(deal.previousCloseDate), to: date(deal.closeDate) }))),
      view.slipped.length, s.noneSlipped, s.sheetSlipped,
    ),
    pastDue: list(
      s.pastDue,
      pastDue.slice(0, TOP_DEALS).map((item) => hygiene(item, fillLabel(s.dueOn, { date: date(item.deal.closeDate), days: format.count(item.daysPastDue) }))),
      pastDue.length, s.nonePastDue, s.sheetPastDueUndated,
    ),
    pushed: list(
      s.pushedOften,
      view.pushedOften.slice(0, TOP_DEALS).map((deal) => line(deal, fillLabel(s.pushedDetail, { count: format.count(deal.closeDatePushes ?? 0), date: date(deal.closeDate) }))),
      view.pushedOften.length, s.nonePushed, s.sheetPushed, true,
    ),
    undated: list(s.undated, view.undated.slice(0, TOP_DEALS).map((item) => hygiene(item, item.deal.stage)), view.undated.length, s.noneUndated, s.sheetPastDueUndated),
  };
}

function freshnessLine(data: ReportData, s: ScorecardLabels, format: ScorecardFormat): string {
  const uploads = data.uploads.map((upload) =>
    upload.finishedAt === null ? upload.file : fillLabel(s.uploadLine, { file: upload.file, rows: format.count(upload.read), time: format.weekdayTime(upload.finishedAt) }),
  );
  const rejected = data.uploads.reduce((sum, upload) => sum + upload.rejected, 0);
  return fillLabel(s.freshness, {
    uploads: uploads.length === 0 ? s.noUploads : uploads.join(', '),
    currency: data.metrics.currency,
    timeZone: data.settings.timeZone,
    rejected: rejected === 0 ? s.noRowsRejected : fillLabel(s.rowsRejected, { count: format.count(rejected) }),
  });
}

function direction(change: number): Delta['direction'] {
  return change > 0 ? 'up' : change < 0 ? 'down' : 'flat';
}
