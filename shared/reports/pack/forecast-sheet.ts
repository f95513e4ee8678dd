// The pack's Forecast sheet, after the Summary: the accountability figures of
// the scope's company, regions and teams (or the team and its reps) — commit,
// best case, slip rate, pushed and stale deals, velocity, required coverage —
// how the reps spread over attainment bands, how right each finished
// quarter's forecast was at week 8, and the deals behind it: those pushed 3+
// times and those whose forecast category changed since the last snapshot.
import { PUSHED_OFTEN } from '../../domain/forecast-history.js';
import type { BlockTable, ReportWorkbook } from '../excel/index.js';
import type { ReportLabels } from '../labels/labels.js';
import type { ForecastCategory } from '../../domain/types.js';
import { anyDaysInStage, pushedDeals, type DealLine, type MovementDealLine, type ReportData } from '../report-data.js';
import { fill, type PackLabels } from './pack-labels.js';
import type { ScopedPack } from './pack-scope.js';

export interface ForecastPage {
  title: string;
  tables: BlockTable[];
}

export function forecastPage(pack: ScopedPack, data: ReportData, labels: ReportLabels): ForecastPage {
  const text = labels.pack;
  const categories = labels.common.forecastCategories;
  const nameOf = (entity: { level: string; name: string }) => (entity.level === 'company' ? labels.common.company : entity.name);
  const tables: BlockTable[] = [];

  tables.push({
    title: text.forecastAccountability,
    columns: [
      { key: 'name', header: text.name, kind: 'text' },
      { key: 'commit', header: text.commit, kind: 'money' },
      { key: 'bestCase', header: text.bestCase, kind: 'money' },
      { key: 'commitAttainment', header: text.commitAttainment, kind: 'percentTable', naNote: text.naNoQuota },
      { key: 'slipRate', header: text.slipRate, kind: 'percentTable', naNote: text.naNoHistory },
      { key: 'slipRateValue', header: text.slipRateValue, kind: 'percentTable', naNote: text.naNoHistory },
      { key: 'pushed', header: text.pushedThreeTimes, kind: 'count', naNote: text.naNoHistory },
      { key: 'stale', header: text.staleDeals, kind: 'count', naNote: text.naNoActivity },
      { key: 'velocity', header: text.salesVelocity, kind: 'money', naNote: text.naNoDeals },
      { key: 'required', header: text.requiredCoverage, kind: 'ratioTimes', naNote: text.naNoDeals },
      { key: 'coverage', header: text.coverage, kind: 'ratioTimes', naNote: text.naNoQuota },
    ],
    rows: pack.summaryEntities.map((entity) => ({
      name: nameOf(entity),
      commit: entity.commitAmount,
      bestCase: entity.bestCaseAmount,
      commitAttainment: entity.commitAttainment,
      slipRate: entity.slipRate,
      slipRateValue: entity.slipRateValue,
      pushed: entity.pushedThreeTimesCount,
      stale: entity.staleOpenCount,
      velocity: entity.salesVelocity,
      required: entity.requiredCoverage,
      coverage: entity.pipelineCoverage,
    })),
  });

  const distributed = pack.summaryEntities.filter((entity) => entity.attainmentDistribution !== null);
  if (distributed.length > 0) {
    tables.push({
      title: text.attainmentDistribution,
      columns: [
        { key: 'name', header: text.name, kind: 'text' },
        { key: 'below50', header: text.below50, kind: 'count' },
        { key: 'from50to79', header: text.from50to79, kind: 'count' },
        { key: 'from80to99', header: text.from80to99, kind: 'count' },
        { key: 'from100to120', header: text.from100to120, kind: 'count' },
        { key: 'above120', header: text.above120, kind: 'count' },
      ],
      rows: distributed.map((entity) => ({ name: nameOf(entity), ...entity.attainmentDistribution! })),
    });
  }

  const over = data.metrics.asOf >= data.metrics.period.end;
  const finished = over ? data.trend.periods : data.trend.periods.slice(0, -1);
  if (finished.length > 0) {
    tables.push({
      title: text.accuracyTrend,
      columns: [
        { key: 'name', header: text.name, kind: 'text' },
        ...finished.map((period) => ({ key: period.id, header: period.label, kind: 'percentTable' as const, naNote: text.naNoHistory })),
      ],
      rows: pack.summaryEntities.map((entity) => {
        const row: Record<string, string | number | null> = { name: nameOf(entity) };
        for (const period of finished) row[period.id] = null;
        for (const point of pack.trendOf(entity)) if (point.forecast && point.periodId in row) row[point.periodId] = point.forecast.accuracyWeek8;
        return row;
      }),
    });
  }

  const inScope = (deal: { team: string }) => pack.scope.level === 'company' || (pack.scope.level === 'team' && deal.team === pack.scope.team);
  const pushed = pushedDeals(pack.open, PUSHED_OFTEN);
  tables.push(pushedDealsTable(fill(text.pushedOftenTitle, { count: pushed.length }), pushed, text, categories, { withOwner: true }));

  // The deals behind each bar of the waterfall on the Summary.
  if (data.movement !== null) {
    const termNames: Record<MovementDealLine['term'], string> = {
      new: text.movementNew, pulledIn: text.movementPulledIn, increased: text.movementIncreased, transferredIn: text.movementTransferredIn,
      pushedOut: text.movementPushedOut, decreased: text.movementDecreased, won: text.movementWon, lost: text.movementLost,
      removed: text.movementRemoved, transferredOut: text.movementTransferredOut,
    };
    const people = new Map(data.metrics.entities.filter((entity) => entity.level === 'rep').map((rep) => [rep.id, rep.name]));
    tables.push({
      title: fill(text.movementDealsTitle, { opening: data.movement.openingAsOf }),
      columns: [
        { key: 'term', header: text.movementTerm, kind: 'text' },
        { key: 'deal', header: text.deal, kind: 'text' },
        { key: 'account', header: text.account, kind: 'text' },
        { key: 'owner', header: text.owner, kind: 'text' },
        { key: 'team', header: text.team, kind: 'text' },
        { key: 'amount', header: text.amount, kind: 'money' },
      ],
      rows: (data.movement.deals ?? []).filter(inScope).map((line) => ({
        term: termNames[line.term],
        deal: line.name === '' ? line.id : line.name,
        account: line.account,
        owner: people.get(line.repId) ?? line.repId,
        team: line.team,
        amount: line.amount,
      })),
    });
  }

  const moves = (data.movement?.categoryMoves ?? []).filter(inScope);
  if (data.movement !== null) {
    tables.push({
      title: fill(text.categoryMovesTitle, { opening: data.movement.openingAsOf }),
      columns: [
        { key: 'deal', header: text.deal, kind: 'text' },
        { key: 'account', header: text.account, kind: 'text' },
        { key: 'owner', header: text.owner, kind: 'text' },
        { key: 'from', header: text.categoryFrom, kind: 'text' },
        { key: 'to', header: text.categoryTo, kind: 'text' },
        { key: 'closeDate', header: text.closeDate, kind: 'date' },
        { key: 'amount', header: text.amount, kind: 'money' },
      ],
      rows: moves.map((move) => ({
        deal: move.name,
        account: move.account,
        owner: move.repName,
        from: categories[move.from],
        to: categories[move.to],
        closeDate: move.closeDate,
        amount: move.amount,
      })),
    });
  }
  return { title: fill(text.forecastTitle, { scope: pack.scopeName, period: data.metrics.period.label, asOf: data.metrics.asOf }), tables };
}

/**
 * Open deals with their close-date pushes, forecast category and last activity (and days in stage when any of them
 * has a stage-change date): every deal pushed 3+ times on the Forecast sheet (with owner and team), a rep's most
 * pushed deals on the rep's page.
 */
export function pushedDealsTable(
  title: string,
  deals: readonly DealLine[],
  text: PackLabels,
  categories: Record<ForecastCategory, string>,
  options: { withOwner: boolean },
): BlockTable {
  const withDaysInStage = anyDaysInStage(deals);
  return {
    title,
    columns: [
      { key: 'deal', header: text.deal, kind: 'text' },
      { key: 'account', header: text.account, kind: 'text' },
      ...(options.withOwner
        ? ([
            { key: 'owner', header: text.owner, kind: 'text' },
            { key: 'team', header: text.team, kind: 'text' },
          ] as const)
        : []),
      { key: 'category', header: text.forecastCategory, kind: 'text' },
      { key: 'closeDate', header: text.closeDate, kind: 'date' },
      { key: 'amount', header: text.amount, kind: 'money' },
      { key: 'pushes', header: text.closeDatePushes, kind: 'count' },
      { key: 'lastActivity', header: text.lastActivity, kind: 'date' },
      ...(withDaysInStage ? [{ key: 'daysInStage', header: text.daysInStage, kind: 'days' } as const] : []),
    ],
    rows: deals.map((deal) => ({
      deal: deal.name,
      account: deal.account,
      ...(options.withOwner ? { owner: deal.repName, team: deal.team } : {}),
      category: deal.forecastCategory === undefined ? null : categories[deal.forecastCategory],
      closeDate: deal.closeDate,
      amount: deal.amount,
      pushes: deal.closeDatePushes ?? null,
      lastActivity: deal.lastActivityDate ?? null,
      ...(withDaysInStage ? { daysInStage: deal.daysInStage ?? null } : {}),
    })),
  };
}

export function writeForecastSheet(workbook: ReportWorkbook, page: ForecastPage, labels: ReportLabels): void {
  const sheet = workbook.addBlockSheet(labels.pack.sheetForecast, { onePage: false });
  sheet.title(page.title).blank();
  for (const table of page.tables) sheet.table(table).blank();
  sheet.commit();
}
