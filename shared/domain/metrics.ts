// The revenue metrics of METRICS.md for every rep, team, region and the
// company in one fiscal period, as of one date. The engine reads deals as
// columns (deal-columns.ts: `computeMetricsFromColumns`); `computeMetrics`
// takes deal objects and loads them into columns first. One pass over the
// columns (deal-tally.ts) into "seats" (a person's stint in a team: one people-file
// row); seats roll up to reps and teams, teams to regions, regions to the
// company (reporting-structure.ts); quotas resolve and roll up (quota-book.ts);
// every ratio is computed from the rolled-up integers (entity-figures.ts).
// And the reconciliation: every deal, quota and people row the report read is
// used by some figure or named with why not (reconciliation.ts).
import { toDealColumns, type DealColumns } from './deal-columns.js';
import { tallyDeals, type DealUsage, type HygieneDeal, type PastDueDeal, type TallyHistory } from './deal-tally.js';
import { entityMetrics, rankReps, type CoverageHealthyBy, type EntityShape } from './entity-figures.js';
import { attainmentDistribution, type AttainmentDistribution } from './forecast-figures.js';
import type { DateWindow, FiscalCalendar } from './fiscal-calendar.js';
import type { ForecastBands } from './forecast-category.js';
import { accuracyOf, DEFAULT_STALE_AFTER_DAYS, isPeriodOver, type ReportedProjections } from './forecast-history.js';
import { KeyAccountTotals } from './key-account-totals.js';
import { addDays } from './local-date.js';
import { OrgChart, UNASSIGNED, type TeamAttribution } from './org-chart.js';
import { QuotaBook } from './quota-book.js';
import { UnusedRowsBook, type KindReconciliation, type Reconciliation } from './reconciliation.js';
import { peopleReconciliation, reportingStructure } from './reporting-structure.js';
import { reportingWindows } from './report-windows.js';
import { SeatIndex } from './seat-index.js';
import type { Deal, EntityLevel, FiscalPeriod, KeyAccount, LocalDate, MinorUnits, Person, Quota } from './types.js';

export type { HygieneDeal, PastDueDeal } from './deal-tally.js';
export type { CoverageHealthyBy } from './entity-figures.js';
export type { AttainmentDistribution } from './forecast-figures.js';

/** A ratio from integers; null when its denominator is zero or missing (shown as n/a). */
export type Ratio = number | null;

export interface MetricsSettings {
  /** Reporting currency (ISO 4217); every amount is in its minor units. */
  currency: string;
  /** Pipeline coverage at or above this multiple of the gap is healthy (config default 3). */
  coverageTarget: number;
  teamAttribution: TeamAttribution;
  /** What `coverageHealthy` compares coverage with (config `metrics.coverageHealthyBy`); default the target. */
  coverageHealthyBy?: CoverageHealthyBy;
  /** Probability bands for deals without a stored forecast category (config `forecast.bands`; defaults 0.9 / 0.5 / 0.1). */
  forecastBands?: ForecastBands;
  /** Open deals without activity for this many days or more are stale (config `forecast.staleAfterDays`, default 30). */
  staleAfterDays?: number;
}

/** What the stored history adds (forecast-history.ts); without it the history figures are n/a. */
export interface MetricsHistory {
  /** Close-date pushes per open deal id (`closeDatePushes`); null without an earlier pipeline snapshot. */
  closeDatePushes: ReadonlyMap<string, number> | null;
  /** The period's first pipeline snapshot taken before the as-of date; null when there is none. */
  periodOpening: { asOf: LocalDate; deals: TallyHistory['periodOpening'] & {} } | null;
  /** Finished periods: the projections the reports stated at each checkpoint; null while the period runs. */
  reportedProjections: ReportedProjections | null;
}

export interface MetricsInput {
  deals: readonly Deal[];
  people: readonly Person[];
  quotas: readonly Quota[];
  keyAccounts: readonly KeyAccount[];
  calendar: FiscalCalendar;
  period: FiscalPeriod;
  asOf: LocalDate;
  settings: MetricsSettings;
  history?: MetricsHistory;
}

/** The engine's input: the deals loaded once into columns (`toDealColumns`), the rest as in `MetricsInput`. */
export interface ColumnarMetricsInput extends Omit<MetricsInput, 'deals'> {
  columns: DealColumns;
}

/** The comparison revenues the growth figures were computed from. */
export interface RevenueComparisons {
  previousPeriod: MinorUnits;
  lastYear: MinorUnits;
  /** Weeks only (equal to `previousPeriod`); null for longer periods. */
  previousWeek: MinorUnits | null;
}

export interface EntityMetrics {
  level: EntityLevel;
  /** Person id, team name, region name, or `company`. */
  id: string;
  name: string;
  /** Period id, e.g. `FY2027-Q1`. */
  period: string;
  /** The rep's team; null for other levels. */
  team: string | null;
  /** The rep's or team's region; null for regions and the company. */
  region: string | null;
  currency: string;
  revenue: MinorUnits;
  quota: MinorUnits | null;
  attainment: Ratio;
  gapToQuota: MinorUnits | null;
  /** Quarters only: against the previous quarter. */
  growthQoQ: Ratio;
  growthYoY: Ratio;
  /** Weeks only: against the previous week. */
  growthWoW: Ratio;
  pace: Ratio;
  projectedRevenue: MinorUnits | null;
  projectedAttainment: Ratio;
  requiredPerDay: MinorUnits | null;
  /** Gap ÷ business days left after the as-of day (weekends and `fiscal.holidays` excluded); null when none are left. */
  requiredPerBusinessDay: MinorUnits | null;
  openPipeline: MinorUnits;
  weightedPipeline: MinorUnits;
  /** Open pipeline (same deals and window) whose forecast category is commit / best case / pipeline. */
  commitAmount: MinorUnits;
  bestCaseAmount: MinorUnits;
  pipelineCategoryAmount: MinorUnits;
  /** (Revenue + commit amount) ÷ quota; null without a quota (or a quota of 0). */
  commitAttainment: Ratio;
  /** Open pipeline ÷ gap; null when the quota is missing or met (see `quotaMet`). */
  pipelineCoverage: Ratio;
  /** There is a quota and the gap to it is 0. */
  quotaMet: boolean;
  /** Quota met or coverage at the target (or at `requiredCoverage`, per `coverageHealthyBy`); null without a quota. */
  coverageHealthy: boolean | null;
  /** 1 ÷ the trailing-four-quarter value win rate; null without won value in those quarters. */
  requiredCoverage: Ratio;
  /** Open pipeline closing in the quarter after the one the period ends in. */
  nextQuarterPipeline: MinorUnits;
  nextQuarterQuota: MinorUnits | null;
  nextQuarterCoverage: Ratio;
  /** Every open deal the entity holds, whatever its close date (past due and undated included). */
  totalOpenPipeline: MinorUnits;
  totalOpenCount: number;
  wonCount: number;
  lostCount: number;
  lostAmount: MinorUnits;
  winRate: Ratio;
  valueWinRate: Ratio;
  averageDealSize: MinorUnits | null;
  salesCycleMedianDays: number | null;
  salesCycleMeanDays: number | null;
  newPipeline: MinorUnits;
  pastDueCount: number;
  pastDueAmount: MinorUnits;
  /** Open deals with no close date (data hygiene): outside every period-bounded figure, inside the total open pipeline. */
  undatedOpenCount: number;
  undatedOpenAmount: MinorUnits;
  /**
   * Open deals now (every one the entity holds) × trailing-four-quarter average deal size × win rate (by count)
   * ÷ average cycle days: minor units per day; null when any of them is n/a or the cycle is 0 days.
   */
  salesVelocity: MinorUnits | null;
  /**
   * Of the open deals the period's first pipeline snapshot expected to close in the period, the share neither won
   * nor lost in it to date: by count, and by value at that snapshot's amounts. Null without such a snapshot (or
   * without such deals).
   */
  slipRate: Ratio;
  slipRateValue: Ratio;
  /** Open deals whose close date moved later 3 or more times across the stored pipeline snapshots; null before any. */
  pushedThreeTimesCount: number | null;
  /** Open deals with no activity for `forecast.staleAfterDays` or more; null when none of them carries a last-activity date. */
  staleOpenCount: number | null;
  /**
   * Finished periods only: 1 − |projected revenue as reported − actual revenue| ÷ actual revenue, with the projection
   * of the latest metric snapshot on or before week 4's / week 8's last day and a week before the period's end.
   * Null while the period runs, where no snapshot existed, or when actual revenue is 0.
   */
  forecastAccuracyWeek4: Ratio;
  forecastAccuracyWeek8: Ratio;
  forecastAccuracyLastWeek: Ratio;
  /** Teams, regions and the company: how many of their reps with an attainment fall in each band; null on reps. */
  attainmentDistribution: AttainmentDistribution | null;
  /** Reps only: 1 = best attainment; ties share a rank (1, 2, 2, 4); null without attainment (no quota) and for Unassigned. */
  rankInTeam: number | null;
  rankInCompany: number | null;
  revenueComparisons: RevenueComparisons;
}

export interface KeyAccountMetrics {
  id: string;
  name: string;
  tier: string | null;
  revenue: MinorUnits;
  wonCount: number;
  /** Key-account revenue ÷ company revenue. */
  shareOfRevenue: Ratio;
  growthQoQ: Ratio;
  growthYoY: Ratio;
  revenueComparisons: { previousPeriod: MinorUnits; lastYear: MinorUnits };
}

export interface MetricsWindows {
  toDate: DateWindow | null;
  /** Null once the period is over. */
  openPipeline: DateWindow | null;
  previousPeriod: DateWindow;
  lastYear: DateWindow;
  nextQuarterPipeline: DateWindow;
  /** Won and lost deals here feed required coverage and sales velocity. */
  trailingFourQuarters: DateWindow;
}

export interface MetricsResult {
  currency: string;
  period: FiscalPeriod;
  asOf: LocalDate;
  coverageTarget: number;
  comparisonPeriods: { previous: FiscalPeriod; lastYear: FiscalPeriod; nextQuarter: FiscalPeriod };
  windows: MetricsWindows;
  /** Company, then regions, teams and reps (Unassigned last within each level). */
  entities: EntityMetrics[];
  keyAccounts: KeyAccountMetrics[];
  /** Oldest close date first; the same close date keeps input order. */
  pastDueDeals: PastDueDeal[];
  /** Open deals without a close date, biggest first. */
  undatedOpenDeals: HygieneDeal[];
  /** Owner texts of counted deals that match no one: what the Unassigned figures are made of. */
  unmatchedOwners: string[];
  /** Every deal, quota and people row this report read: used, or named with why not. */
  reconciliation: Reconciliation;
}

export const COMPANY_ID = 'company';


/** The metrics of deal objects: loads them into columns, then `computeMetricsFromColumns`. */
export function computeMetrics(input: MetricsInput): MetricsResult {
  const { deals, ...rest } = input;
  return computeMetricsFromColumns({ ...rest, columns: toDealColumns(deals) });
}

/** The metrics of deals loaded into columns: the engine. */
export function computeMetricsFromColumns(input: ColumnarMetricsInput): MetricsResult {
  const { calendar, period, asOf, settings } = input;
  const org = new OrgChart(input.people);
  const windows = reportingWindows(calendar, period, asOf);
  const seats = new SeatIndex(org, asOf, settings.teamAttribution);
  const keyAccounts = new KeyAccountTotals(input.keyAccounts);
  const history = input.history;
  const tally = tallyDeals(input.columns, windows, seats, keyAccounts, settings.forecastBands, {
    closeDatePushes: history?.closeDatePushes ?? null,
    periodOpening: history?.periodOpening?.deals ?? null,
    staleAfterDays: settings.staleAfterDays ?? DEFAULT_STALE_AFTER_DAYS,
  });

  const quotas = new QuotaBook(input.quotas, org, calendar);
  const structure = reportingStructure(org, seats, tally, period, asOf, settings.teamAttribution, quotas.repsWithQuota(period));
  quotas.setMembers(structure.membersOf);
  const nextQuarter = calendar.next(calendar.period('quarter', period.end));
  const shape: EntityShape = {
    periodId: period.id,
    kind: period.kind,
    currency: settings.currency,
    coverageTarget: settings.coverageTarget,
    coverageHealthyBy: settings.coverageHealthyBy ?? 'target',
    daysInPeriod: calendar.daysIn(period),
    elapsedDays: calendar.elapsedDays(period, asOf),
    daysLeft: calendar.daysLeft(period, asOf),
    businessDaysLeft: calendar.businessDaysBetween(addDays(asOf, 1) > period.start ? addDays(asOf, 1) : period.start, period.end),
    hasPushHistory: (history?.closeDatePushes ?? null) !== null,
    hasSlipHistory: (history?.periodOpening ?? null) !== null,
  };
  const figuresOf = (entity: EntityRefLike, totals: Parameters<typeof entityMetrics>[1]) =>
    entityMetrics(entity, totals, quotas.resolve(entity.level, entity.id, period), quotas.resolve(entity.level, entity.id, nextQuarter), shape);

  const reps = structure.reps.map((rep) => figuresOf(rep, structure.repTotals.get(rep.id)!));
  rankReps(reps);
  const teams = structure.teams.map((team) => figuresOf(team, structure.teamTotals.get(team.id)!));
  const regions = structure.regions.map((region) => figuresOf(region, structure.regionTotals.get(region.id)!));
  const company = figuresOf({ level: 'company', id: COMPANY_ID, name: 'Company', team: null, region: null }, structure.companyTotals);
  // Unassigned is no rep (as in the ranks); reps are counted under the team and region they are listed in.
  const realReps = reps.filter((rep) => rep.id !== UNASSIGNED.id);
  for (const team of teams) team.attainmentDistribution = attainmentDistribution(realReps.filter((rep) => rep.team === team.id));
  for (const region of regions) region.attainmentDistribution = attainmentDistribution(realReps.filter((rep) => rep.region === region.id));
  company.attainmentDistribution = attainmentDistribution(realReps);
  const entities = [company, ...regions, ...teams, ...reps];
  if (isPeriodOver(period, asOf) && history?.reportedProjections) {
    for (const entity of entities) Object.assign(entity, accuracyOf(entity, history.reportedProjections));
  }

  return {
    currency: settings.currency,
    period,
    asOf,
    coverageTarget: settings.coverageTarget,
    comparisonPeriods: { previous: calendar.previous(period), lastYear: calendar.sameLastYear(period), nextQuarter },
    windows: {
      toDate: windows.toDate,
      openPipeline: windows.openPipeline,
      previousPeriod: windows.previousPeriod,
      lastYear: windows.lastYear,
      nextQuarterPipeline: windows.nextQuarterPipeline,
      trailingFourQuarters: windows.trailingFourQuarters,
    },
    entities,
    keyAccounts: keyAccounts.metrics(company.revenue, period.kind),
    pastDueDeals: tally.pastDue,
    undatedOpenDeals: tally.undated,
    unmatchedOwners: org.unmatchedOwners(),
    reconciliation: {
      deals: dealReconciliation(tally.usage, asOf),
      quotas: quotas.reconciliation(),
      people: peopleReconciliation(org),
    },
  };
}

type EntityRefLike = Parameters<typeof entityMetrics>[0];

/** Deals of the period that count for no real person: owners nobody matches, and closed deals dated after the as-of day. */
function dealReconciliation(usage: DealUsage, asOf: LocalDate): KindReconciliation {
  const book = new UnusedRowsBook();
  for (const [owner, count] of [...usage.unassignedByOwner].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const who = owner.trim() === '' ? 'deals without an owner' : `owner '${owner}' matches no one in the people file (or more than one person)`;
    book.add(
      'owner-unmatched',
      `${who}: their deals count under ${UNASSIGNED.name} — add the person to the people file, or fix the owner in the CRM`,
      `${owner.trim() === '' ? '(no owner)' : owner}: ${count} deal(s)`,
      count,
    );
  }
  for (const [stageClass, { count, earliest }] of usage.datedAfterAsOf) {
    const reason = `${stageClass} deals of the period dated after the as-of date ${asOf}: they count once their close date has come`;
    // The earliest deals are the examples; the last one carries the count of the rest.
    earliest.forEach((deal, index) =>
      book.add('closed-after-as-of', reason, `${deal.name} (${deal.id}) · ${deal.closeDate}`, index === earliest.length - 1 ? count - index : 1),
    );
  }
  return book.reconcile('deals', usage.inScope);
}
