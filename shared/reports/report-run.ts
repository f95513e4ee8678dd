// The report use case: the metrics run (load what the periods need, compute,
// snapshot), the data both reports render from (prepareReports), and each
// report of each scope rendered and stored (renderAndStore) under
// deterministic keys so a re-run overwrites instead of duplicating:
//   reports/<report>/<period id>/<scope>.xlsx|.html|.txt  and  …/<period id>/metrics.json
// The daily dispatch prepares and the deliver worker renders one scope per
// job; the local run and tests do both at once (runReports).
import { isPeriodOver } from '../domain/forecast-history.js';
import { computeMetrics, type MetricsResult } from '../domain/metrics.js';
import { NO_TEAM, UNASSIGNED } from '../domain/org-chart.js';
import type { LocalDate } from '../domain/types.js';
import { buildReportData } from './build-report-data.js';
import { jsonBytes } from './json-bytes.js';
import { reportedProjectionsOf, runMetrics, type MetricsRun, type ReportDependencies } from './metrics-run.js';
import { reportKey, scopeId, type ReportData, type ReportKind, type ReportScope, type UploadSummary } from './report-data.js';

/** Renders one report of one scope to the files stored for it. Pure functions of the data (see shared/reports/scorecard and pack). */
export interface ReportRenderers {
  scorecard(data: ReportData, scope: ReportScope): Promise<RenderedFiles>;
  /** The pre-review pack, or (`close`) the quarter-close pack: the same workbook, its own cover e-mail. */
  pack(data: ReportData, scope: ReportScope, options?: { close?: boolean }): Promise<RenderedFiles>;
}

/** The files of one report of one scope, by the renderer of its kind. */
export function renderReport(renderers: ReportRenderers, data: ReportData, kind: ReportKind, scope: ReportScope): Promise<RenderedFiles> {
  switch (kind) {
    case 'weekly-scorecard':
      return renderers.scorecard(data, scope);
    case 'pre-review-pack':
      return renderers.pack(data, scope);
    case 'quarter-close-pack':
      return renderers.pack(data, scope, { close: true });
  }
}

export interface RenderedFiles {
  xlsx: Uint8Array;
  html?: string;
  text?: string;
  /** The e-mail subject, when the report is mailed. */
  subject?: string;
  /** Images the HTML shows inline by Content-ID (stored beside it as <scope>.png). */
  images?: { cid: string; png: Uint8Array }[];
}

export interface StoredReport {
  kind: ReportKind;
  periodId: string;
  scope: ReportScope;
  /** Bucket keys written, by extension. */
  keys: Partial<Record<'xlsx' | 'html' | 'txt' | 'png', string>>;
  subject?: string;
}

/** A metrics run as the report run hands it on: without the deals it read, which only the report data is built from. */
export type ReportedMetricsRun = Omit<MetricsRun, 'inputs'>;

export interface ReportRunResult {
  asOf: LocalDate;
  metrics: ReportedMetricsRun[];
  /** Null when no report was asked for (a day with nothing due). */
  data: ReportData | null;
  reports: StoredReport[];
  /** The report data stored beside the reports of each kind. */
  dataKeys: string[];
}

export interface ReportRunOptions {
  /** Which reports to render (default: both). */
  kinds?: readonly ReportKind[];
  /** Render every rep's own scorecard whatever `schedule.repScorecards` says (the local run shows every scope). */
  everyRep?: boolean;
}

/** A report × scope the run prepared: what a delivery job renders. */
export interface PreparedScope {
  kind: ReportKind;
  periodId: string;
  scope: ReportScope;
  /** The stored ReportData it renders from. */
  dataKey: string;
}

export interface PreparedReports {
  asOf: LocalDate;
  metrics: ReportedMetricsRun[];
  /** Null when no report was asked for (a day with nothing due). */
  data: ReportData | null;
  dataKeys: string[];
  scopes: PreparedScope[];
}

/**
 * The first half of a report run: the metrics as of the day (snapshots and
 * exports every day), and for each report asked for the data it renders from,
 * stored beside its reports, with the scopes to render.
 */
export async function prepareReports(
  deps: ReportDependencies,
  asOf: LocalDate,
  options: ReportRunOptions = {},
): Promise<PreparedReports> {
  const kinds = options.kinds ?? ['weekly-scorecard', 'pre-review-pack'];
  const { metrics, data } = await metricsAndReportData(deps, asOf, kinds.length > 0);
  if (data === null) return { asOf, metrics, data: null, dataKeys: [], scopes: [] };
  const dataKeys: string[] = [];
  const scopes: PreparedScope[] = [];
  // Serialised once, compactly — only programs read it (the deliver worker, resend, the local run) — and the same
  // bytes stored under each kind's key.
  const body = jsonBytes(data);
  for (const kind of kinds) {
    const periodId = reportPeriodId(data, kind);
    const dataKey = `reports/${kind}/${periodId}/metrics.json`;
    await deps.objects.put(deps.bucketName, dataKey, body, 'application/json');
    dataKeys.push(dataKey);
    for (const scope of scopesOf(data, kind, options.everyRep === true || deps.config.schedule.repScorecards)) {
      scopes.push({ kind, periodId, scope, dataKey });
    }
  }
  return { asOf, metrics, data, dataKeys, scopes };
}

/**
 * The quarter's and the week's metrics, and the report data when asked for. The deals the runs read (every open
 * one, the closed ones of the windows compared) go out of scope here: only the report data is built from them.
 */
async function metricsAndReportData(
  deps: ReportDependencies,
  asOf: LocalDate,
  withData: boolean,
): Promise<{ metrics: ReportedMetricsRun[]; data: ReportData | null }> {
  // The quarter, the week and the trend read overlapping months: each is read from the table once, and the
  // partitions read are let go with this function's scope, before the data is serialised.
  deps = { ...deps, table: deps.table.forOneRun?.() ?? deps.table };
  const runs = await runMetrics(deps, asOf, ['quarter', 'week']);
  const data = withData ? await reportData(deps, asOf, runs.find((run) => run.period.kind === 'quarter')!) : null;
  return { metrics: runs.map(({ inputs: _inputs, ...run }) => run), data };
}

/** The period a report is filed under: the week of the as-of date, or its fiscal quarter. */
export function reportPeriodId(data: ReportData, kind: ReportKind): string {
  return kind === 'weekly-scorecard' ? data.week.id : data.metrics.period.id;
}

/** The second half: one report of one scope rendered and stored under its deterministic keys. */
export async function renderAndStore(
  deps: Pick<ReportDependencies, 'objects' | 'bucketName'>,
  renderers: ReportRenderers,
  data: ReportData,
  kind: ReportKind,
  scope: ReportScope,
): Promise<{ stored: StoredReport; files: RenderedFiles }> {
  const periodId = reportPeriodId(data, kind);
  const files = await renderReport(renderers, data, kind, scope);
  const keys: StoredReport['keys'] = { xlsx: reportKey(kind, periodId, scope, 'xlsx') };
  await deps.objects.put(deps.bucketName, keys.xlsx!, files.xlsx, XLSX_TYPE);
  if (files.html !== undefined) {
    keys.html = reportKey(kind, periodId, scope, 'html');
    await deps.objects.put(deps.bucketName, keys.html, files.html, 'text/html; charset=utf-8');
  }
  if (files.text !== undefined) {
    keys.txt = reportKey(kind, periodId, scope, 'txt');
    await deps.objects.put(deps.bucketName, keys.txt, files.text, 'text/plain; charset=utf-8');
  }
  const image = files.images?.[0];
  if (image) {
    keys.png = reportKey(kind, periodId, scope, 'png');
    await deps.objects.put(deps.bucketName, keys.png, image.png, 'image/png');
  }
  return { stored: { kind, periodId, scope, keys, ...(files.subject ? { subject: files.subject } : {}) }, files };
}

/** Both halves in one go: every scope of every report asked for (the local run, and tests). */
export async function runReports(
  deps: ReportDependencies,
  renderers: ReportRenderers,
  asOf: LocalDate,
  options: ReportRunOptions = {},
): Promise<ReportRunResult> {
  const prepared = await prepareReports(deps, asOf, options);
  const reports: StoredReport[] = [];
  for (const { kind, scope } of prepared.scopes) reports.push((await renderAndStore(deps, renderers, prepared.data!, kind, scope)).stored);
  return { asOf, metrics: prepared.metrics, data: prepared.data, reports, dataKeys: prepared.dataKeys };
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Who gets a report: the organisation; every team with reps in it (not the
 * Unassigned and No-team buckets, which nobody manages); with the weekly
 * scorecard, every rep too when `repScorecards`.
 */
function scopesOf(data: ReportData, kind: ReportKind, repScorecards: boolean): ReportScope[] {
  const scopes: ReportScope[] = [{ level: 'company' }];
  const entities = data.metrics.entities;
  const withReps = new Set(entities.filter((entity) => entity.level === 'rep').map((entity) => entity.team));
  for (const team of entities.filter((entity) => entity.level === 'team')) {
    if (team.id === UNASSIGNED.team || team.id === NO_TEAM.team || !withReps.has(team.id)) continue;
    scopes.push({ level: 'team', team: team.id });
  }
  if (kind === 'weekly-scorecard' && repScorecards) {
    for (const rep of entities.filter((entity) => entity.level === 'rep' && entity.id !== UNASSIGNED.id)) scopes.push({ level: 'rep', repId: rep.id });
  }
  // Two scopes under one key would overwrite each other's report: fail loudly instead.
  const seen = new Map<string, ReportScope>();
  for (const scope of scopes) {
    const id = scopeId(scope);
    const earlier = seen.get(id);
    if (earlier) throw new Error(`two report scopes share the key '${id}': ${JSON.stringify(earlier)} and ${JSON.stringify(scope)}`);
    seen.set(id, scope);
  }
  return scopes;
}

/** The quarter run's figures, with the trend (four earlier quarters), the uploads and the deal lists. */
async function reportData(deps: ReportDependencies, asOf: LocalDate, quarterRun: MetricsRun): Promise<ReportData> {
  const { calendar, config, table } = deps;
  const settings = {
    currency: config.currency.reporting,
    coverageTarget: config.metrics.coverageTarget,
    coverageHealthyBy: config.metrics.coverageHealthyBy,
    teamAttribution: config.metrics.teamAttribution,
    forecastBands: config.forecast.bands,
  };
  const earlier: MetricsResult[] = [];
  const statedWeek8 = new Map<string, ReadonlyMap<string, number | null> | null>();
  let quarter = quarterRun.period;
  const people = quarterRun.inputs.people;
  for (let back = 0; back < 4; back += 1) {
    quarter = calendar.previous(quarter);
    const [deals, quotas, reportedProjections] = await Promise.all([
      table.dealsClosingBetween(quarter.start, quarter.end),
      table.quotas([quarter.id, ...calendar.children(quarter, 'month').map((month) => month.id)]),
      reportedProjectionsOf(table, quarter),
    ]);
    statedWeek8.set(quarter.id, reportedProjections.week8);
    // Revenue and quota of a finished quarter: its won deals, as of its last day; and how right its reports were.
    const history = { closeDatePushes: null, periodOpening: null, reportedProjections };
    earlier.unshift(computeMetrics({ deals, people, quotas, keyAccounts: [], calendar, period: quarter, asOf: quarter.end, settings, history }));
  }
  // The quarter-close pack reports a finished quarter: how right its own forecast was belongs in it too.
  if (isPeriodOver(quarterRun.period, asOf)) statedWeek8.set(quarterRun.period.id, (await reportedProjectionsOf(table, quarterRun.period)).week8);
  const uploads = (await table.uploads()).map(toUploadSummary).sort((a, b) => (a.key < b.key ? -1 : 1));
  const movement = quarterRun.movement && quarterRun.inputs.previousPipelineAsOf
    ? {
        openingAsOf: quarterRun.inputs.previousPipelineAsOf,
        closingAsOf: asOf,
        movement: quarterRun.movement,
        categoryMoves: quarterRun.export.pipelineMovement?.categoryMoves ?? [],
      }
    : null;
  return buildReportData({
    calendar,
    asOf,
    metrics: quarterRun.export,
    deals: quarterRun.inputs.deals,
    people,
    teamAttribution: config.metrics.teamAttribution,
    previous: quarterRun.previousSnapshot,
    movement,
    earlierQuarters: earlier,
    closeDatePushes: quarterRun.inputs.closeDatePushes,
    forecastBands: config.forecast.bands,
    statedWeek8,
    uploads,
    settings: {
      locale: config.org.locale,
      timeZone: config.org.timeZone,
      rag: config.metrics.rag,
      coverageTarget: config.metrics.coverageTarget,
      staleAfterDays: config.forecast.staleAfterDays,
    },
  });
}

function toUploadSummary(entry: { key: string; finishedAt?: string; summary?: Record<string, unknown> }): UploadSummary {
  const summary = entry.summary ?? {};
  const count = (name: string) => (typeof summary[name] === 'number' ? (summary[name] as number) : 0);
  return {
    key: entry.key,
    file: entry.key.split('/').pop() ?? entry.key,
    kind: typeof summary.kind === 'string' ? summary.kind : (entry.key.split('/')[1] ?? ''),
    preset: typeof summary.preset === 'string' ? summary.preset : null,
    status: typeof summary.status === 'string' ? summary.status : 'unknown',
    finishedAt: entry.finishedAt ?? null,
    read: count('read'),
    accepted: count('accepted'),
    rejected: count('rejected'),
    skipped: count('skipped'),
  };
}
