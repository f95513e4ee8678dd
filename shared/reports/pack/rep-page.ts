// One rep's page of the pack, printed on one landscape page for the quarterly
// review: the talking points first, then plan / actual, the five-quarter
// trend, pipeline this and next quarter, the top open deals and the rep's key
// accounts. Built as a plain model (repPage) and then written (writeRepPage),
// so the benchmark's baseline can write the very same values unstyled.
import { PUSHED_OFTEN } from '../../domain/forecast-history.js';
import type { EntityMetrics } from '../../domain/metrics.js';
import type { ForecastCategory } from '../../domain/types.js';
import type { BlockTable, RagThresholds, ReportWorkbook } from '../excel/index.js';
import type { ReportData } from '../report-data.js';
import { pushedDealsTable } from './forecast-sheet.js';
import { fill, type PackLabels } from './pack-labels.js';
import type { ScopedPack } from './pack-scope.js';
import { talkingPoints, type PackLocale } from './talking-points.js';

export const TOP_OPEN_DEALS = 10;
export const MOST_PUSHED_DEALS = 5;
export const REP_KEY_ACCOUNTS = 5;

export interface RepPage {
  rep: EntityMetrics;
  /** The desired sheet name (made safe and unique by the workbook). */
  sheetName: string;
  title: string;
  points: string[];
  plan: BlockTable;
  results: BlockTable;
  forecast: BlockTable;
  trend: BlockTable;
  pipeline: BlockTable;
  topDeals: BlockTable;
  pushedDeals: BlockTable;
  keyAccounts: BlockTable;
  keyAccountsNote: string;
}

export function repPage(
  rep: EntityMetrics,
  pack: ScopedPack,
  data: ReportData,
  labels: PackLabels,
  categoryNames: Record<ForecastCategory, string>,
): RepPage {
  const locale: PackLocale = data.settings.locale;
  const deals = pack.dealsOf(rep.id);
  const accounts = pack.keyAccountsOf(rep.id);
  const team = rep.team === null ? null : (pack.teams.get(rep.team) ?? null);
  const rag: RagThresholds = data.settings.rag;
  const trendPoints = pack.trendOf(rep);
  const quarterOver = data.metrics.asOf >= data.metrics.period.end;
  // The latest finished quarter: the one before, or in the quarter-close pack the quarter itself.
  const lastQuarter = [...trendPoints].reverse().find((point) => point.forecast !== undefined) ?? null;
  const lastForecast = lastQuarter?.forecast;
  const points = talkingPoints(
    rep,
    {
      periodLabel: data.metrics.period.label,
      coverageTarget: data.settings.coverageTarget,
      team,
      slipped: deals.slipped,
      keyAccounts: accounts.map((row) => ({ name: row.account.name, growthYoY: row.account.growthYoY })),
      pushedOften: deals.pushed.filter((deal) => (deal.closeDatePushes ?? 0) >= PUSHED_OFTEN),
      lastQuarter:
        lastQuarter && lastForecast && lastForecast.projectedWeek8 !== null && lastForecast.accuracyWeek8 !== null
          ? { label: lastQuarter.label, projectedWeek8: lastForecast.projectedWeek8, actual: lastQuarter.revenue, accuracyWeek8: lastForecast.accuracyWeek8 }
          : null,
    },
    labels,
    locale,
  );

  const naQuota = labels.naNoQuota;
  const plan: BlockTable = {
    title: labels.planActual,
    columns: [
      { key: 'quota', header: labels.quota, kind: 'money', naNote: naQuota },
      { key: 'revenue', header: labels.revenue, kind: 'money' },
      { key: 'attainment', header: labels.attainment, kind: 'percent', naNote: naQuota },
      { key: 'gap', header: labels.gapToQuota, kind: 'money', naNote: naQuota },
      { key: 'pace', header: labels.pace, kind: 'percent', naNote: naQuota },
      { key: 'required', header: labels.requiredPerBusinessDay, kind: 'money', naNote: naQuota },
      { key: 'projected', header: labels.projectedAttainment, kind: 'percent', naNote: naQuota },
    ],
    rows: [
      {
        quota: rep.quota,
        revenue: rep.revenue,
        attainment: rep.attainment,
        gap: rep.gapToQuota,
        pace: rep.pace,
        required: rep.requiredPerBusinessDay,
        projected: rep.projectedAttainment,
      },
    ],
    rag: { attainment: rag, pace: rag },
  };
  // The rest of plan / actual under it: one wide row would make the page too wide to read when printed.
  const results: BlockTable = {
    columns: [
      { key: 'winRate', header: labels.winRate, kind: 'percent', naNote: labels.naNoDeals },
      { key: 'won', header: labels.wonDeals, kind: 'count' },
      { key: 'lost', header: labels.lostDeals, kind: 'count' },
      { key: 'dealSize', header: labels.averageDealSize, kind: 'money', naNote: labels.naNoDeals },
      { key: 'cycle', header: labels.salesCycleMedian, kind: 'days', naNote: labels.naNoDeals },
      { key: 'growthYoY', header: labels.growthYoY, kind: 'percent' },
      { key: 'rank', header: labels.rankInTeam, kind: 'count', naNote: naQuota },
    ],
    rows: [
      {
        winRate: rep.winRate,
        won: rep.wonCount,
        lost: rep.lostCount,
        dealSize: rep.averageDealSize,
        cycle: rep.salesCycleMedianDays,
        growthYoY: rep.growthYoY,
        rank: rep.rankInTeam,
      },
    ],
  };

  const forecast: BlockTable = {
    title: labels.forecastAccountability,
    columns: [
      { key: 'commit', header: labels.commit, kind: 'money' },
      { key: 'bestCase', header: labels.bestCase, kind: 'money' },
      { key: 'commitAttainment', header: labels.commitAttainment, kind: 'percent', naNote: naQuota },
      { key: 'slipRate', header: labels.slipRate, kind: 'percent', naNote: labels.naNoHistory },
      { key: 'slipRateValue', header: labels.slipRateValue, kind: 'percent', naNote: labels.naNoHistory },
      { key: 'pushed', header: labels.pushedThreeTimes, kind: 'count', naNote: labels.naNoHistory },
      { key: 'stale', header: labels.staleDeals, kind: 'count', naNote: labels.naNoActivity },
      { key: 'velocity', header: labels.salesVelocity, kind: 'money', naNote: labels.naNoDeals },
      { key: 'required', header: labels.requiredCoverage, kind: 'ratioTimes', naNote: labels.naNoDeals },
      { key: 'coverage', header: labels.coverage, kind: 'ratioTimes', naNote: naQuota },
    ],
    rows: [
      {
        commit: rep.commitAmount,
        bestCase: rep.bestCaseAmount,
        commitAttainment: rep.commitAttainment,
        slipRate: rep.slipRate,
        slipRateValue: rep.slipRateValue,
        pushed: rep.pushedThreeTimesCount,
        stale: rep.staleOpenCount,
        velocity: rep.salesVelocity,
        required: rep.requiredCoverage,
        coverage: rep.pipelineCoverage,
      },
    ],
  };

  // Plan vs actual vs variance per quarter, and how right each finished quarter's forecast was.
  const trend: BlockTable = {
    title: labels.fiveQuarterTrend,
    columns: [
      { key: 'quarter', header: labels.quarter, kind: 'text' },
      { key: 'quota', header: labels.quota, kind: 'money', naNote: naQuota },
      { key: 'revenue', header: labels.revenue, kind: 'money' },
      { key: 'variance', header: labels.variance, kind: 'money', naNote: naQuota },
      { key: 'attainment', header: labels.attainment, kind: 'percentTable', naNote: naQuota },
      { key: 'accuracyWeek8', header: labels.accuracyWeek8, kind: 'percentTable', naNote: labels.naNoHistory },
      { key: 'accuracyLastWeek', header: labels.accuracyLastWeek, kind: 'percentTable', naNote: labels.naNoHistory },
    ],
    rows: trendPoints.map((point) => ({
      quarter: point.label,
      quota: point.quota,
      revenue: point.revenue,
      // The running quarter's revenue is to date: a variance against the whole quota waits for its end.
      variance: point.quota === null || (point.periodId === data.metrics.period.id && !quarterOver) ? null : point.revenue - point.quota,
      attainment: point.quota !== null && point.quota > 0 ? point.revenue / point.quota : null,
      accuracyWeek8: point.forecast?.accuracyWeek8 ?? null,
      accuracyLastWeek: point.forecast?.accuracyLastWeek ?? null,
    })),
    rag: { attainment: rag },
    dataBar: { column: 'revenue' },
  };

  const nextWeighted = deals.open.reduce((sum, deal) => (deal.nextQuarter ? sum + deal.weighted : sum), 0);
  const pipeline: BlockTable = {
    title: labels.pipelineThisAndNext,
    columns: [
      { key: 'period', header: labels.period, kind: 'text' },
      { key: 'open', header: labels.openPipeline, kind: 'money' },
      { key: 'weighted', header: labels.weightedPipeline, kind: 'money' },
      { key: 'gap', header: labels.gapToQuota, kind: 'money' },
      { key: 'coverage', header: labels.coverage, kind: 'ratioTimes' },
      { key: 'count', header: labels.deals, kind: 'count' },
    ],
    rows: [
      { period: labels.thisQuarter, open: rep.openPipeline, weighted: rep.weightedPipeline, gap: rep.gapToQuota, coverage: rep.pipelineCoverage },
      { period: labels.nextQuarter, open: rep.nextQuarterPipeline, weighted: nextWeighted, gap: rep.nextQuarterQuota, coverage: rep.nextQuarterCoverage },
      { period: labels.pastDue, open: rep.pastDueAmount, count: rep.pastDueCount },
      { period: labels.undated, open: rep.undatedOpenAmount, count: rep.undatedOpenCount },
    ],
  };

  const topDeals: BlockTable = {
    title: labels.topOpenDeals,
    columns: [
      { key: 'deal', header: labels.deal, kind: 'text' },
      { key: 'account', header: labels.account, kind: 'text' },
      { key: 'stage', header: labels.stage, kind: 'text' },
      { key: 'closeDate', header: labels.closeDate, kind: 'date' },
      { key: 'amount', header: labels.amount, kind: 'money' },
      { key: 'weighted', header: labels.weighted, kind: 'money' },
      { key: 'probability', header: labels.probability, kind: 'percent' },
      { key: 'age', header: labels.age, kind: 'days' },
      { key: 'pushes', header: labels.closeDatePushes, kind: 'count', naNote: labels.naNoHistory },
      { key: 'next', header: labels.nextQuarterFlag, kind: 'text' },
    ],
    // deals.open is biggest first already.
    rows: deals.open.slice(0, TOP_OPEN_DEALS).map((deal) => ({
      deal: deal.name,
      account: deal.account,
      stage: deal.stage,
      closeDate: deal.closeDate,
      amount: deal.amount,
      weighted: deal.weighted,
      probability: deal.probability,
      age: deal.ageDays,
      pushes: deal.closeDatePushes ?? null,
      next: deal.nextQuarter ? labels.yes : '',
    })),
  };

  // deals.pushed is most pushes first already.
  const pushedDeals = pushedDealsTable(labels.mostPushedDeals, deals.pushed.slice(0, MOST_PUSHED_DEALS), labels, categoryNames, { withOwner: false });

  const keyAccounts: BlockTable = {
    title: labels.keyAccounts,
    columns: [
      { key: 'account', header: labels.account, kind: 'text' },
      { key: 'won', header: labels.repRevenue, kind: 'money' },
      { key: 'open', header: labels.repOpen, kind: 'money' },
      { key: 'revenue', header: labels.revenue, kind: 'money' },
      { key: 'share', header: labels.share, kind: 'percentTable' },
      { key: 'growthYoY', header: labels.growthYoY, kind: 'percentTable' },
    ],
    rows: [...accounts]
      .sort((a, b) => b.won + b.open - (a.won + a.open) || (a.account.name < b.account.name ? -1 : 1))
      .slice(0, REP_KEY_ACCOUNTS)
      .map((row) => ({
        account: row.account.name,
        won: row.won,
        open: row.open,
        revenue: row.account.revenue,
        share: row.account.shareOfRevenue,
        growthYoY: row.account.growthYoY,
      })),
  };

  return {
    rep,
    sheetName: rep.name,
    title: fill(labels.repTitle, { rep: rep.name, team: rep.team ?? '', period: data.metrics.period.label, asOf: data.metrics.asOf }),
    points,
    plan,
    results,
    forecast,
    trend,
    pipeline,
    topDeals,
    pushedDeals,
    keyAccounts,
    keyAccountsNote: labels.keyAccountsNote,
  };
}

/** Writes the page on its own one-page landscape sheet; `chart` (the rep's trend) goes at the bottom, where the page has room. */
export function writeRepPage(workbook: ReportWorkbook, page: RepPage, labels: PackLabels, chart?: { imageId: number; alt: string; widthPx: number; heightPx: number }): void {
  const sheet = workbook.addBlockSheet(page.sheetName, { onePage: true });
  sheet.title(page.title).bullets(page.points, labels.talkingPoints).blank();
  sheet.table(page.plan).table(page.results).blank();
  sheet.table(page.forecast).blank();
  sheet.table(page.trend).blank();
  sheet.table(page.pipeline).blank();
  sheet.table(page.topDeals);
  if (page.pushedDeals.rows.length > 0) sheet.blank().table(page.pushedDeals);
  if (page.keyAccounts.rows.length > 0) sheet.blank().table(page.keyAccounts).line(page.keyAccountsNote);
  if (chart !== undefined) sheet.blank().picture(chart.imageId, { alt: chart.alt, widthPx: chart.widthPx, heightPx: chart.heightPx });
  sheet.commit();
}

/** Every table of a page, in order (for readers of the model, e.g. the benchmark's baseline). */
export function repPageTables(page: RepPage): BlockTable[] {
  return [page.plan, page.results, page.forecast, page.trend, page.pipeline, page.topDeals, page.pushedDeals, page.keyAccounts];
}
