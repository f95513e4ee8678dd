// What both reports are rendered from: the quarter's metrics export plus the
// deal lists, the five-quarter trend, last week's stored figures and the
// uploads the numbers come from. Plain JSON (stored beside each report as
// its metrics JSON); renderers are pure functions of it and a scope.
//
// Both products report the fiscal quarter containing the as-of date:
// - the weekly scorecard: quarter-to-date figures with the change since the
//   previous stored snapshot (last week's report), the week's wins and the
//   deals that slipped out of the quarter since then;
// - the quarterly pre-review pack: the same figures with the trend, every open
//   deal and the quarter's won deals.
import type { MetricsExport } from '../domain/metrics-export.js';
import type { EntityMetrics } from '../domain/metrics.js';
import type { EntityMovement, MovementTerm } from '../domain/pipeline-movement.js';
import type { EntityLevel, ForecastCategory, LocalDate, MinorUnits, StageClass } from '../domain/types.js';

export const REPORT_DATA_VERSION = 1;

/** The stored report data (reports/<kind>/<period>/metrics.json, compact JSON) read back, decoded from the bytes as read (no copy of them first). */
export function parseReportData(bytes: Uint8Array): ReportData {
  return JSON.parse(new TextDecoder().decode(bytes)) as ReportData;
}

/** A deal as the reports list it: who it counts for, and the figures a reader scans. */
export interface DealLine {
  id: string;
  name: string;
  account: string;
  /** The rep it counts for (Unassigned when the owner matches no one). */
  repId: string;
  repName: string;
  team: string;
  region: string;
  stage: string;
  stageClass: StageClass;
  /** 0..1 */
  probability: number;
  amount: MinorUnits;
  /** amount × probability, rounded. */
  weighted: MinorUnits;
  closeDate: LocalDate | null;
  createdDate: LocalDate | null;
  /** Days from created to the as-of date (open deals) or to the close date (closed deals); null without a created date. */
  ageDays: number | null;
  /** Open deals: closes in the quarter after this one. */
  nextQuarter: boolean;
  /** Slipped deals: the close date the previous snapshot had. */
  previousCloseDate?: LocalDate | null;
  /** Open deals: the forecast category (the CRM's, else from the probability bands). */
  forecastCategory?: ForecastCategory;
  /** Open deals: times the close date moved later across the stored pipeline snapshots; null before any snapshot. */
  closeDatePushes?: number | null;
  lastActivityDate?: LocalDate | null;
  /** Open deals: days since the deal entered its current stage; null when the export carries no stage-change date for it. */
  daysInStage?: number | null;
}

/** Whether any of the deals has days in stage: the reports show the column only then. */
export function anyDaysInStage(deals: readonly DealLine[]): boolean {
  return deals.some((deal) => deal.daysInStage !== null && deal.daysInStage !== undefined);
}

/** Open deals pushed at least `min` times (each line's `closeDatePushes`), most pushes first, then biggest. */
export function pushedDeals<T extends DealLine>(open: readonly T[], min: number): T[] {
  return open
    .filter((deal) => (deal.closeDatePushes ?? 0) >= min)
    .sort((a, b) => (b.closeDatePushes ?? 0) - (a.closeDatePushes ?? 0) || b.amount - a.amount || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** A deal behind one bar of the movement waterfall: the term it is booked under and its contribution to it. */
export interface MovementDealLine {
  term: MovementTerm;
  id: string;
  /** The deal's name and account; empty for a deal removed from the CRM (only its id is known). */
  name: string;
  account: string;
  repId: string;
  team: string;
  /** This deal's amount in the term (outflows positive, as in the figures). */
  amount: MinorUnits;
}

/** An open deal whose forecast category changed since the previous pipeline snapshot. */
export interface CategoryMoveLine extends DealLine {
  from: ForecastCategory;
  to: ForecastCategory;
}

/** One quarter of the five-quarter trend, for one entity. */
export interface TrendPoint {
  periodId: string;
  label: string;
  revenue: MinorUnits;
  quota: MinorUnits | null;
  /**
   * Finished quarters: how right the reports were — the projection stated at week 8 and the accuracy at weeks 4
   * and 8 and the last week (null where no snapshot existed then, or actual revenue is 0). Absent for the quarter
   * being reported and in data stored before accuracy was kept.
   */
  forecast?: {
    projectedWeek8: MinorUnits | null;
    accuracyWeek4: number | null;
    accuracyWeek8: number | null;
    accuracyLastWeek: number | null;
  };
}

/** An upload the figures come from (the data-freshness line and the data-quality sheet). */
export interface UploadSummary {
  key: string;
  /** File name without the folder. */
  file: string;
  kind: string;
  /** The CRM preset, or null. */
  preset: string | null;
  status: string;
  /** ISO instant the ingest finished. */
  finishedAt: string | null;
  read: number;
  accepted: number;
  rejected: number;
  skipped: number;
}

export interface ReportData {
  version: typeof REPORT_DATA_VERSION;
  /** The quarter's metrics export (figures of every entity, hygiene lists, reconciliation). */
  metrics: MetricsExport;
  /** The week containing the as-of date (`2026-W47`) and its label; weekly scorecards are filed under it. */
  week: { id: string; label: string; start: LocalDate; end: LocalDate; numberInQuarter: number; weeksInQuarter: number };
  /** Figures of the previous stored snapshot of this quarter (the last report), or null on the first run. */
  previous: { asOf: LocalDate; entities: EntityMetrics[] } | null;
  /** Pipeline movement since the previous pipeline snapshot over the quarter, per entity; null on the first run. */
  movement: {
    openingAsOf: LocalDate;
    closingAsOf: LocalDate;
    entities: EntityMovement[];
    /** Open deals whose forecast category changed between the two snapshots, biggest first (absent in older data). */
    categoryMoves?: CategoryMoveLine[];
    /** The deals behind each bar of the waterfall, by term, biggest first (absent in older data). */
    deals?: MovementDealLine[];
  } | null;
  deals: {
    /** Won deals closing after the previous snapshot (else in the seven days) up to the as-of date, biggest first. */
    weekWins: DealLine[];
    /** Deals in the quarter's pipeline at the previous snapshot whose close date moved beyond the quarter, biggest first. */
    slipped: DealLine[];
    /** Won deals of the quarter to date, newest first. */
    quarterWins: DealLine[];
    /** Every open deal (dated or not), biggest first. */
    open: DealLine[];
  };
  /** Revenue and quota of each entity over the last five fiscal quarters, oldest first (this quarter to date last). */
  trend: { periods: { id: string; label: string }[]; entities: { level: EntityLevel; id: string; points: TrendPoint[] }[] };
  uploads: UploadSummary[];
  /** Settings the renderers need that are not figures. */
  settings: {
    locale: 'en' | 'es';
    timeZone: string;
    rag: { green: number; amber: number };
    coverageTarget: number;
    /** Open deals without activity this many days are stale (config `forecast.staleAfterDays`); absent in older data. */
    staleAfterDays?: number;
  };
}

/** Who a report is for: the whole organisation, one team, or one rep. */
export type ReportScope = { level: 'company' } | { level: 'team'; team: string } | { level: 'rep'; repId: string };

export type ReportKind = 'weekly-scorecard' | 'pre-review-pack' | 'quarter-close-pack';

/** Every report kind, for parsing a queued job or a command-line option. */
export const REPORT_KINDS: readonly ReportKind[] = ['weekly-scorecard', 'pre-review-pack', 'quarter-close-pack'];

/**
 * A stable, file-name-safe id of a scope: `organisation`, `team-west`,
 * `rep-ana-acme-com-1f3a9c`. A name that is not already plain letters, digits
 * and single hyphens gets a short hash of itself, so two names that read alike
 * ("UK & Ireland", "UK Ireland") never share a key and overwrite each other.
 */
export function scopeId(scope: ReportScope): string {
  switch (scope.level) {
    case 'company':
      return 'organisation';
    case 'team':
      return `team-${slug(scope.team)}`;
    case 'rep':
      return `rep-${slug(scope.repId)}`;
  }
}

function slug(text: string): string {
  const plain = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return /^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$/.test(text) && text.length <= 60 ? plain : `${plain || 'x'}-${fnv1a(text)}`;
}

/** 32-bit FNV-1a of the text as 8 hex digits: short, stable, dependency-free. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** The bucket key of a report file: `reports/<report>/<period id>/<scope>.<ext>` (deterministic, so a re-run overwrites). */
export function reportKey(kind: ReportKind, periodId: string, scope: ReportScope, extension: 'xlsx' | 'html' | 'txt' | 'png' | 'json'): string {
  return `reports/${kind}/${periodId}/${scopeId(scope)}.${extension}`;
}
