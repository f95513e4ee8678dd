// The metrics run behind every report: load exactly the deals, people and
// quotas the reported periods need (index queries only), compute the metrics,
// store what was reported (metric and open-pipeline snapshots) and write the
// metrics export next to the reports.
import { PREFIXES } from '../adapters/bucket-layout.js';
import type { RevperfTable } from '../adapters/revperf-table.js';
import { pipelineSnapshotExpiry, toPipelineSnapshotDeal, type PipelineSnapshotDeal } from '../adapters/table-items.js';
import type { RevperfConfig } from '../config/schema.js';
import type { FiscalCalendar } from '../domain/fiscal-calendar.js';
import { addDays } from '../domain/local-date.js';
import { trailingFourQuarters } from '../domain/forecast-figures.js';
import {
  accuracyCheckpoints,
  categoryMoves,
  closeDatePushes as closeDatePushesSince,
  entityKey,
  isPeriodOver,
  type CategoryMove,
  type ReportedProjections,
} from '../domain/forecast-history.js';
import { toDealColumns } from '../domain/deal-columns.js';
import { computeMetricsFromColumns, type EntityMetrics, type MetricsHistory, type MetricsResult } from '../domain/metrics.js';
import { toMetricsExport, type MetricsExport } from '../domain/metrics-export.js';
import { OrgChart } from '../domain/org-chart.js';
import { pipelineMovement, type PipelineMovement } from '../domain/pipeline-movement.js';
import { normaliseName, type Deal, type FiscalPeriod, type KeyAccount, type LocalDate, type PeriodKind, type Person } from '../domain/types.js';
import { jsonBytes } from './json-bytes.js';

/** What the report use case needs: config, calendar, the table's report reads and snapshot writes, the bucket, a clock. */
export interface ReportDependencies {
  config: RevperfConfig;
  calendar: FiscalCalendar;
  table: Pick<
    RevperfTable,
    | 'people'
    | 'keyAccounts'
    | 'quotas'
    | 'uploads'
    | 'dealsClosingBetween'
    | 'dealsCreatedBetween'
    | 'openDealsClosingBetween'
    | 'latestPipelineSnapshotBefore'
    | 'earliestPipelineSnapshotBetween'
    | 'hasPipelineSnapshotAfter'
    | 'latestMetricSnapshotBefore'
    | 'hasMetricSnapshotAfter'
    | 'putMetricSnapshot'
    | 'putPipelineSnapshot'
  > &
    /** The table for one run, reading each partition once (RevperfTable.forOneRun); without it, the table as given. */
    Partial<Pick<RevperfTable, 'forOneRun'>>;
  objects: { put(bucket: string, key: string, body: string | Uint8Array, contentType: string): Promise<void> };
  bucketName: string;
  clock: () => Date;
}

export interface MetricsRun {
  period: FiscalPeriod;
  result: MetricsResult;
  /** The snapshot this run compares with (the latest one before the as-of date), if any. */
  previousSnapshot: { asOf: LocalDate; entities: EntityMetrics[] } | null;
  /** Open-pipeline movement since the previous pipeline snapshot, over this period's window. */
  movement: PipelineMovement | null;
  export: MetricsExport & { pipelineMovement: PipelineMovementExport | null };
  exportKey: string;
  /** What the figures were computed from, for the reports built on them. */
  inputs: {
    deals: readonly Deal[];
    people: readonly Person[];
    previousPipelineAsOf: LocalDate | null;
    /** Close-date pushes per open deal id; null before there is a pipeline snapshot to count from. */
    closeDatePushes: ReadonlyMap<string, number> | null;
  };
}

export interface PipelineMovementExport {
  openingAsOf: LocalDate;
  closingAsOf: LocalDate;
  window: { start: LocalDate; end: LocalDate };
  entities: PipelineMovement['entities'];
  /** Open deals in both snapshots whose forecast category changed (closing in the window in either), biggest first. */
  categoryMoves: CategoryMove[];
}

/** Metrics for the periods of these kinds that contain the as-of date (e.g. this quarter and this week). */
export async function runMetrics(runtime: ReportDependencies, asOf: LocalDate, kinds: readonly PeriodKind[]): Promise<MetricsRun[]> {
  const { calendar, table } = runtime;
  const periods = kinds.map((kind) => calendar.period(kind, asOf));
  // Every open deal, dated or not: loaded once, shared by every period (the engine filters by date;
  // the total open pipeline a rep holds counts them all) and stored as today's pipeline snapshot.
  const [people, keyAccounts, latestPipeline, openDeals] = await Promise.all([
    table.people(),
    table.keyAccounts(),
    table.latestPipelineSnapshotBefore(asOf),
    table.openDealsClosingBetween(null, null),
  ]);
  // Movement compares with last week's snapshot (see comparedSnapshot); pushes count from the latest one.
  const previousPipeline =
    latestPipeline === null || latestPipeline.asOf < addDays(asOf, -6)
      ? latestPipeline
      : ((await table.latestPipelineSnapshotBefore(addDays(asOf, -6))) ?? latestPipeline);
  const closeDatePushes = closeDatePushesSince(latestPipeline?.deals ?? null, openDeals);
  const closed = previousPipeline ? await closedSince(table, previousPipeline.asOf, asOf) : null;
  const openingSnapshots = new Map([latestPipeline, previousPipeline].filter((snapshot) => snapshot !== null).map((snapshot) => [snapshot.asOf, snapshot]));
  const accounts = withConfiguredKeyAccounts(keyAccounts, runtime.config.keyAccounts.names);
  accounts.push(...(await keyAccountsByRevenue(runtime, asOf, accounts)));

  // Today's open pipeline as the movement compares it: the same for every period, so built once.
  const closingPipeline = previousPipeline ? openDeals.map((deal) => toPipelineSnapshotDeal(deal)) : [];
  // The deals loaded so far by id: a deal another period already loaded is kept once, not once per period's run.
  const loaded = new Map<string, Deal>();
  const runs: MetricsRun[] = [];
  for (const period of periods) {
    const { deals, quotas } = await loadForPeriod(runtime, period, asOf, openDeals, loaded);
    const history: MetricsHistory = {
      closeDatePushes,
      periodOpening: await periodOpening(table, period, asOf, openingSnapshots),
      reportedProjections: await reportedProjections(table, period, asOf),
    };
    // The engine reads the deals as columns, loaded once per period from the items read.
    const result = computeMetricsFromColumns({
      columns: toDealColumns(deals),
      people,
      quotas,
      keyAccounts: accounts,
      calendar,
      period,
      asOf,
      settings: {
        currency: runtime.config.currency.reporting,
        coverageTarget: runtime.config.metrics.coverageTarget,
        coverageHealthyBy: runtime.config.metrics.coverageHealthyBy,
        teamAttribution: runtime.config.metrics.teamAttribution,
        forecastBands: runtime.config.forecast.bands,
        staleAfterDays: runtime.config.forecast.staleAfterDays,
      },
      history,
    });
    const previousSnapshot = await comparedSnapshot(asOf, (before) => table.latestMetricSnapshotBefore<EntityMetrics>(period.id, before));
    // What a report said stays what it said: a run as of a day the period has later snapshots of (a re-run of a
    // past date, a caught-up report) stores nothing, so forecast accuracy is never judged by hindsight.
    if (!(await table.hasMetricSnapshotAfter(period.id, asOf))) await table.putMetricSnapshot(period.id, asOf, result.entities);

    const window = { start: period.start, end: period.end };
    const movement =
      previousPipeline && closed
        ? pipelineMovement(previousPipeline.deals, closingPipeline, window, { org: new OrgChart(people), asOf, closed })
        : null;

    const exportKey = `${PREFIXES.metrics}${period.id}/${asOf}.json`;
    const document = {
      ...toMetricsExport(result, { org: runtime.config.org.name, asOf, generatedAt: runtime.clock().toISOString() }),
      pipelineMovement:
        movement && previousPipeline
          ? {
              openingAsOf: previousPipeline.asOf,
              closingAsOf: asOf,
              window: movement.window,
              entities: movement.entities,
              categoryMoves: categoryMoves(previousPipeline.deals, closingPipeline, window, runtime.config.forecast.bands),
            }
          : null,
    };
    // Compact, built a piece at a time: it lists every past-due and undated open deal (39 MB of JSON at 100k deals).
    await runtime.objects.put(runtime.bucketName, exportKey, jsonBytes(document), 'application/json');
    runs.push({
      period,
      result,
      previousSnapshot,
      movement,
      export: document,
      exportKey,
      inputs: { deals, people, previousPipelineAsOf: previousPipeline?.asOf ?? null, closeDatePushes },
    });
  }
  // One open-pipeline snapshot per as-of date: next week's movement starts from it. The deals loaded are
  // today's, so a run as of a day that later days already have snapshots for (a caught-up report, the
  // quarter-close pack) does not store them as that day's pipeline.
  if (!(await table.hasPipelineSnapshotAfter(asOf))) {
    await table.putPipelineSnapshot(asOf, openDeals, closeDatePushes, pipelineSnapshotExpiry(asOf, runtime.config.snapshots.pipelineRetentionDays));
  }
  return runs;
}

/**
 * The period's first pipeline snapshot taken before the as-of date: the slip
 * rate's base (what the period expected when it began). Reuses a snapshot the
 * run already read.
 */
async function periodOpening(
  table: ReportDependencies['table'],
  period: FiscalPeriod,
  asOf: LocalDate,
  loaded: ReadonlyMap<LocalDate, { asOf: LocalDate; deals: PipelineSnapshotDeal[] }>,
): Promise<MetricsHistory['periodOpening']> {
  const last = addDays(asOf, -1) < period.end ? addDays(asOf, -1) : period.end;
  const cached = [...loaded.values()].filter((snapshot) => snapshot.asOf >= period.start && snapshot.asOf <= last).sort((a, b) => (a.asOf < b.asOf ? -1 : 1))[0];
  // A loaded snapshot is the first only if nothing earlier in the period exists: ask for the earliest up to just before it.
  const earlier = await table.earliestPipelineSnapshotBetween(period.start, cached ? addDays(cached.asOf, -1) : last);
  return earlier ?? cached ?? null;
}

/**
 * A finished period's stated projections: for each accuracy checkpoint, the
 * projected revenue of each entity in the latest metric snapshot on or before
 * it (null where no snapshot was stored by then). Null while the period runs.
 */
async function reportedProjections(table: ReportDependencies['table'], period: FiscalPeriod, asOf: LocalDate): Promise<ReportedProjections | null> {
  if (!isPeriodOver(period, asOf)) return null;
  return reportedProjectionsOf(table, period);
}

/** The projections each checkpoint of a period's reports stated (see forecast-history.ts). */
export async function reportedProjectionsOf(
  table: Pick<ReportDependencies['table'], 'latestMetricSnapshotBefore'>,
  period: FiscalPeriod,
): Promise<ReportedProjections> {
  const checkpoints = accuracyCheckpoints(period);
  const projections = async (date: LocalDate | null) => {
    if (date === null) return null;
    const snapshot = await table.latestMetricSnapshotBefore<EntityMetrics>(period.id, addDays(date, 1));
    if (snapshot === null) return null;
    return new Map(snapshot.entities.map((entity) => [entityKey(entity), entity.projectedRevenue]));
  };
  const [week4, week8, lastWeek] = await Promise.all([projections(checkpoints.week4), projections(checkpoints.week8), projections(checkpoints.lastWeek)]);
  return { week4, week8, lastWeek };
}

/**
 * The snapshot a run compares with: last week's — the latest taken at least
 * seven days before the as-of date — so a daily tick's snapshots do not turn
 * "this week" into "since yesterday"; else, for someone who runs revperf more
 * irregularly, the latest one before the as-of date.
 */
async function comparedSnapshot<T>(asOf: LocalDate, latestBefore: (before: LocalDate) => Promise<T | null>): Promise<T | null> {
  return (await latestBefore(addDays(asOf, -6))) ?? (await latestBefore(asOf));
}

/** The quarter after the one a period is reported in (weeks belong to the quarter they end in). */
function nextQuarterOf(runtime: ReportDependencies, period: FiscalPeriod): FiscalPeriod {
  const { calendar } = runtime;
  return calendar.next(period.kind === 'week' ? calendar.reportingQuarterOfWeek(period) : calendar.period('quarter', period.end));
}

/**
 * The deals one period needs: closed in the period and in its comparison
 * windows and created in the period, plus the run's open deals (pipeline,
 * coverage, past-due). Each is an index query over the months concerned, so
 * the cost follows the reported periods, not the table's history.
 */
async function loadForPeriod(runtime: ReportDependencies, period: FiscalPeriod, asOf: LocalDate, openDeals: readonly Deal[], loaded: Map<string, Deal>) {
  const { calendar, table } = runtime;
  const previous = calendar.comparisonWindow(period, asOf, 'previous');
  const lastYear = calendar.comparisonWindow(period, asOf, 'lastYear');
  // Required coverage and sales velocity read the won and lost deals of the four quarters before the period.
  const trailing = trailingFourQuarters(calendar, period, asOf);

  // The windows overlap (the trailing year holds the previous quarter and last year's): each day is read once.
  const closing = mergedRanges([period, previous, lastYear, ...(trailing.start <= trailing.end ? [trailing] : [])]);
  const [closed, created, quotas] = await Promise.all([
    Promise.all(closing.map((range) => table.dealsClosingBetween(range.start, range.end))),
    table.dealsCreatedBetween(period.start, period.end),
    table.quotas(quotaPeriodIds(runtime, period, nextQuarterOf(runtime, period))),
  ]);
  const byId = new Map<string, Deal>();
  for (const deal of [...closed.flat(), ...openDeals, ...created]) byId.set(deal.id, deal);
  for (const [id, deal] of byId) {
    const known = loaded.get(id);
    if (known) byId.set(id, known);
    else loaded.set(id, deal);
  }
  return { deals: [...byId.values()], quotas };
}

/** Date ranges merged where they overlap or touch, earliest first. */
export function mergedRanges(ranges: readonly { start: LocalDate; end: LocalDate }[]): { start: LocalDate; end: LocalDate }[] {
  const merged: { start: LocalDate; end: LocalDate }[] = [];
  for (const range of [...ranges].filter((candidate) => candidate.start <= candidate.end).sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0))) {
    const last = merged.at(-1);
    if (last && range.start <= addDays(last.end, 1)) {
      if (range.end > last.end) last.end = range.end;
    } else {
      merged.push({ start: range.start, end: range.end });
    }
  }
  return merged;
}

/** The quota periods a period's figures may roll up from: itself, its months/quarters, and the next quarter's. */
function quotaPeriodIds(runtime: ReportDependencies, period: FiscalPeriod, nextQuarter: FiscalPeriod): string[] {
  const { calendar } = runtime;
  const ids = [period.id, nextQuarter.id, ...calendar.children(nextQuarter, 'month').map((month) => month.id)];
  if (period.kind === 'quarter') ids.push(...calendar.children(period, 'month').map((month) => month.id));
  if (period.kind === 'year') {
    for (const quarter of calendar.children(period, 'quarter')) {
      ids.push(quarter.id, ...calendar.children(quarter, 'month').map((month) => month.id));
    }
  }
  return ids;
}

async function closedSince(table: ReportDependencies['table'], openingAsOf: LocalDate, asOf: LocalDate) {
  const closed = await table.dealsClosingBetween(addDays(openingAsOf, 1), asOf);
  return {
    won: closed.filter((deal) => deal.stageClass === 'won').map(toPipelineSnapshotDeal),
    lost: closed.filter((deal) => deal.stageClass === 'lost').map(toPipelineSnapshotDeal),
  };
}

/** Accounts named key in the config count as key accounts alongside the uploaded list. */
function withConfiguredKeyAccounts(uploaded: readonly KeyAccount[], names: readonly string[]): KeyAccount[] {
  const byId = new Map(uploaded.map((account) => [account.id, account]));
  for (const name of names) {
    const id = normaliseName(name);
    if (!byId.has(id)) byId.set(id, { id, name, tier: null });
  }
  return [...byId.values()];
}

/**
 * The config's key-account rule: accounts whose won revenue over the four
 * fiscal quarters up to the as-of date reaches `minTrailingRevenue` are key.
 */
async function keyAccountsByRevenue(runtime: ReportDependencies, asOf: LocalDate, known: readonly KeyAccount[]): Promise<KeyAccount[]> {
  const threshold = runtime.config.keyAccounts.minTrailingRevenue;
  if (threshold === undefined) return [];
  const { calendar } = runtime;
  let first = calendar.period('quarter', asOf);
  for (let back = 0; back < 3; back += 1) first = calendar.previous(first);
  const revenueByAccount = new Map<string, { name: string; revenue: number }>();
  for (const deal of await runtime.table.dealsClosingBetween(first.start, asOf)) {
    if (deal.stageClass !== 'won' || deal.account.trim() === '') continue;
    const id = normaliseName(deal.account);
    const entry = revenueByAccount.get(id) ?? { name: deal.account, revenue: 0 };
    entry.revenue += deal.amount;
    revenueByAccount.set(id, entry);
  }
  const knownIds = new Set(known.map((account) => account.id));
  return [...revenueByAccount]
    .filter(([id, entry]) => entry.revenue >= threshold && !knownIds.has(id))
    .map(([id, entry]) => ({ id, name: entry.name, tier: 'by revenue' }));
}
