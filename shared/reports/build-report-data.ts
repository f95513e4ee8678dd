// Builds ReportData from what the report run loaded and computed. Pure: the
// use case hands in the quarter's metrics, the deals it read, the previous
// snapshot, the movement and the trend quarters; tests hand in the same from
// a generated organisation.
import type { FiscalCalendar } from '../domain/fiscal-calendar.js';
import { addDays, daysBetween } from '../domain/local-date.js';
import type { MetricsExport } from '../domain/metrics-export.js';
import type { EntityMetrics, MetricsResult } from '../domain/metrics.js';
import { OrgChart, type TeamAttribution } from '../domain/org-chart.js';
import type { PipelineMovement } from '../domain/pipeline-movement.js';
import { daysInStage } from '../domain/days-in-stage.js';
import { forecastCategoryOf, type ForecastBands } from '../domain/forecast-category.js';
import { entityKey, type CategoryMove } from '../domain/forecast-history.js';
import type { Deal, LocalDate, MinorUnits, Person } from '../domain/types.js';
import { REPORT_DATA_VERSION, type DealLine, type MovementDealLine, type ReportData, type TrendPoint, type UploadSummary } from './report-data.js';

export interface ReportDataInput {
  calendar: FiscalCalendar;
  asOf: LocalDate;
  /** The quarter's metrics as exported. */
  metrics: MetricsExport;
  /** Every deal the quarter's run read (closed in the quarter, open, created in it). */
  deals: readonly Deal[];
  people: readonly Person[];
  teamAttribution: TeamAttribution;
  previous: { asOf: LocalDate; entities: EntityMetrics[] } | null;
  movement: { openingAsOf: LocalDate; closingAsOf: LocalDate; movement: PipelineMovement; categoryMoves?: readonly CategoryMove[] } | null;
  /** Close-date pushes per open deal id; null before there is a pipeline snapshot to count from. */
  closeDatePushes?: ReadonlyMap<string, number> | null;
  /** Forecast category bands for deals stored without a category (config `forecast.bands`). */
  forecastBands?: ForecastBands;
  /** The projections each earlier quarter's reports stated at week 8, by period id then `level#id`. */
  statedWeek8?: ReadonlyMap<string, ReadonlyMap<string, MinorUnits | null> | null>;
  /** Results of the four quarters before this one, oldest first (may be fewer). */
  earlierQuarters: readonly MetricsResult[];
  uploads: readonly UploadSummary[];
  settings: ReportData['settings'];
}

export function buildReportData(input: ReportDataInput): ReportData {
  const { calendar, asOf, metrics } = input;
  const quarter = calendar.periodById(metrics.period.id);
  const nextQuarter = calendar.next(quarter);
  const week = calendar.period('week', asOf);
  const weeks = weeksOfQuarter(calendar, quarter.start, quarter.end);
  const weekNumber = weeks.length === 0 ? 1 : Math.floor(daysBetween(weeks[0]!, week.start) / 7) + 1;
  const org = new OrgChart(input.people);
  const lines = new DealLines(org, asOf, input.teamAttribution, nextQuarter, input.closeDatePushes ?? null, input.forecastBands);

  const inQuarterToDate = (deal: Deal) => deal.closeDate !== null && deal.closeDate >= quarter.start && deal.closeDate <= asOf;
  // The week a reader means: since the last report (the previous snapshot), else the seven days to the as-of date.
  const sinceExclusive = input.previous?.asOf ?? addDays(asOf, -7);
  const won = input.deals.filter((deal) => deal.stageClass === 'won' && inQuarterToDate(deal));
  const byId = new Map(input.deals.map((deal) => [deal.id, deal]));

  const open = input.deals.filter((deal) => deal.stageClass === 'open').map((deal) => lines.of(deal)).sort(biggestFirst);
  const slipped: DealLine[] = [];
  for (const moved of input.movement?.movement.deals.pushedOut ?? []) {
    const deal = byId.get(moved.dealId);
    const closing = moved.closing;
    // Pushed beyond the quarter (or undated now), and still open: slipped, not closed.
    if (!deal || deal.stageClass !== 'open') continue;
    if (closing && closing.closeDate !== null && closing.closeDate <= quarter.end) continue;
    slipped.push({ ...lines.of(deal), previousCloseDate: moved.opening?.closeDate ?? null });
  }

  return {
    version: REPORT_DATA_VERSION,
    metrics,
    week: {
      id: week.id,
      label: week.label,
      start: week.start,
      end: week.end,
      // Counted from the quarter's first week; in the quarter's last days the as-of week may end in the next
      // quarter, and is then the week after the quarter's last one.
      numberInQuarter: weekNumber,
      weeksInQuarter: Math.max(weeks.length, weekNumber),
    },
    previous: input.previous,
    movement: input.movement
      ? {
          openingAsOf: input.movement.openingAsOf,
          closingAsOf: input.movement.closingAsOf,
          entities: input.movement.movement.entities,
          deals: movementDeals(input.movement.movement, byId),
          categoryMoves: (input.movement.categoryMoves ?? []).flatMap((move) => {
            const deal = byId.get(move.dealId);
            return deal ? [{ ...lines.of(deal), from: move.from, to: move.to }] : [];
          }),
        }
      : null,
    deals: {
      weekWins: won.filter((deal) => deal.closeDate! > sinceExclusive).map((deal) => lines.of(deal)).sort(biggestFirst),
      slipped: slipped.sort(biggestFirst),
      quarterWins: won.map((deal) => lines.of(deal)).sort((a, b) => compare(b.closeDate ?? '', a.closeDate ?? '') || biggestFirst(a, b)),
      open,
    },
    trend: trendOf(metrics, input.earlierQuarters, input.statedWeek8),
    uploads: [...input.uploads],
    settings: input.settings,
  };
}

/** Every deal behind the waterfall's bars, term by term (the engine's rep-level lists), biggest first within a term. */
function movementDeals(movement: PipelineMovement, byId: ReadonlyMap<string, Deal>): MovementDealLine[] {
  const lines: MovementDealLine[] = [];
  for (const [term, moved] of Object.entries(movement.deals) as [MovementDealLine['term'], PipelineMovement['deals'][MovementDealLine['term']]][]) {
    for (const deal of [...moved].sort((a, b) => b.amount - a.amount || compare(a.dealId, b.dealId))) {
      const known = byId.get(deal.dealId);
      lines.push({ term, id: deal.dealId, name: known?.name ?? '', account: known?.account ?? '', repId: deal.repId, team: deal.team, amount: deal.amount });
    }
  }
  return lines;
}

/** Where each deal counts, as the metrics engine places it: the owner's team on the close date (history) or now. */
class DealLines {
  private readonly places = new Map<string, { repId: string; repName: string; team: string; region: string }>();

  constructor(
    private readonly org: OrgChart,
    private readonly asOf: LocalDate,
    private readonly mode: TeamAttribution,
    private readonly nextQuarter: { start: LocalDate; end: LocalDate },
    private readonly pushes: ReadonlyMap<string, number> | null,
    private readonly bands: ForecastBands | undefined,
  ) {}

  of(deal: Deal): DealLine {
    const person = this.org.resolveOwner(deal.owner);
    const assignment = this.org.attributedAssignment(person, deal.closeDate, this.asOf, this.mode);
    const key = `${person.id}\u0000${assignment.team}`;
    let place = this.places.get(key);
    if (!place) {
      place = { repId: person.id, repName: person.name, team: assignment.team, region: this.org.regionOf(assignment.team) };
      this.places.set(key, place);
    }
    const end = deal.stageClass === 'open' ? this.asOf : (deal.closeDate ?? this.asOf);
    return {
      id: deal.id,
      name: deal.name,
      account: deal.account,
      ...place,
      stage: deal.stage,
      stageClass: deal.stageClass,
      probability: deal.probability,
      amount: deal.amount,
      weighted: Math.round(deal.amount * deal.probability),
      closeDate: deal.closeDate,
      createdDate: deal.createdDate,
      ageDays: deal.createdDate === null ? null : Math.max(0, daysBetween(deal.createdDate, end)),
      nextQuarter: deal.stageClass === 'open' && deal.closeDate !== null && deal.closeDate >= this.nextQuarter.start && deal.closeDate <= this.nextQuarter.end,
      ...(deal.stageClass === 'open'
        ? {
            forecastCategory: forecastCategoryOf(deal, this.bands),
            closeDatePushes: this.pushes === null ? null : (this.pushes.get(deal.id) ?? 0),
            lastActivityDate: deal.lastActivityDate ?? null,
            daysInStage: daysInStage(deal.stageChangeDate, this.asOf),
          }
        : {}),
    };
  }
}

function trendOf(
  current: MetricsExport,
  earlier: readonly MetricsResult[],
  statedWeek8: ReadonlyMap<string, ReadonlyMap<string, MinorUnits | null> | null> | undefined,
): ReportData['trend'] {
  const periods = [...earlier.map((result) => ({ id: result.period.id, label: result.period.label })), { id: current.period.id, label: current.period.label }];
  const figures = [...earlier.map((result) => result.entities), current.entities];
  const entities = current.entities.map((entity) => ({
    level: entity.level,
    id: entity.id,
    points: figures.map((list, index): TrendPoint => {
      const match = list.find((candidate) => candidate.level === entity.level && candidate.id === entity.id);
      const point: TrendPoint = { periodId: periods[index]!.id, label: periods[index]!.label, revenue: match?.revenue ?? 0, quota: match?.quota ?? null };
      // Finished quarters carry how right their reports were: the earlier ones, and the reported one once it is over.
      if (statedWeek8 !== undefined && (index < earlier.length || statedWeek8.has(point.periodId))) {
        point.forecast = {
          projectedWeek8: statedWeek8.get(point.periodId)?.get(entityKey(entity)) ?? null,
          accuracyWeek4: match?.forecastAccuracyWeek4 ?? null,
          accuracyWeek8: match?.forecastAccuracyWeek8 ?? null,
          accuracyLastWeek: match?.forecastAccuracyLastWeek ?? null,
        };
      }
      return point;
    }),
  }));
  return { periods, entities };
}

/** Start dates of the weeks that belong to the quarter (a week belongs to the period it ends in). */
function weeksOfQuarter(calendar: FiscalCalendar, start: LocalDate, end: LocalDate): LocalDate[] {
  const starts: LocalDate[] = [];
  let week = calendar.period('week', start);
  if (week.end < start) week = calendar.next(week);
  if (week.end < start || calendar.period('quarter', week.end).start !== start) week = calendar.next(week);
  while (week.end <= end) {
    starts.push(week.start);
    week = calendar.next(week);
  }
  return starts;
}

function biggestFirst(a: DealLine, b: DealLine): number {
  return b.amount - a.amount || compare(a.id, b.id);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
