// Where things live in the bucket, and which uploads trigger which function.
// Read by the CDK stack (real S3 notifications) and by the local stack (which
// dispatches s3rver's events itself), so the two can never drift.
// Pure data: no AWS SDK here.
import type { SourcePreset } from '../domain/types.js';

export const UPLOAD_KINDS = ['deals', 'people', 'quotas', 'accounts', 'fx'] as const;
export type UploadKind = (typeof UPLOAD_KINDS)[number];

export const PREFIXES = {
  uploads: 'uploads/',
  ingestReports: 'ingest-reports/',
  reports: 'reports/',
  metrics: 'metrics/',
} as const;

/** The functions that S3 notifications can target (construct ids in the reporting stack). */
export type NotifiedFunction = 'ingest';

export interface NotificationRule {
  function: NotifiedFunction;
  /** S3 key prefix filter (case-sensitive, as S3 applies it). */
  prefix: string;
  /** S3 key suffix filter; absent = any. Uploads are not filtered by suffix so an unsupported file still gets an ingest report. */
  suffix?: string;
}

export const NOTIFICATION_RULES: readonly NotificationRule[] = UPLOAD_KINDS.map((kind) => ({
  function: 'ingest',
  prefix: `${PREFIXES.uploads}${kind}/`,
}));

/** The rules an object key matches, exactly as S3 applies prefix/suffix filters. */
export function matchingRules(key: string, rules: readonly NotificationRule[] = NOTIFICATION_RULES): NotificationRule[] {
  return rules.filter((rule) => key.startsWith(rule.prefix) && (rule.suffix === undefined || key.endsWith(rule.suffix)));
}

/** The upload kind of a key under uploads/<kind>/, or null. */
export function uploadKindOf(key: string): UploadKind | null {
  const kind = key.slice(PREFIXES.uploads.length).split('/')[0];
  return key.startsWith(PREFIXES.uploads) && (UPLOAD_KINDS as readonly string[]).includes(kind ?? '')
    ? (kind as UploadKind)
    : null;
}

/** The ingest report keys for an upload key. */
export function ingestReportKeys(uploadKey: string): { json: string; rejectedCsv: string } {
  return {
    json: `${PREFIXES.ingestReports}${uploadKey}.json`,
    rejectedCsv: `${PREFIXES.ingestReports}${uploadKey}.rejected.csv`,
  };
}

const DEALS_PREFIX = `${PREFIXES.uploads}deals/`;

/**
 * The folder of a deals upload under uploads/deals/: '' for a file directly
 * in it, `emea` for uploads/deals/emea/x.csv, `emea/uk` for a nested folder.
 */
export function dealsFolderOf(key: string): string {
  if (!key.startsWith(DEALS_PREFIX)) throw new Error(`${key} is not a deals upload (not under ${DEALS_PREFIX})`);
  const relative = key.slice(DEALS_PREFIX.length);
  const lastSlash = relative.lastIndexOf('/');
  return lastSlash === -1 ? '' : relative.slice(0, lastSlash);
}

/**
 * The snapshot scope of a full deals export, `<folder>#<preset>`: its folder
 * under uploads/deals/ plus its CRM. A full export replaces the deals of its
 * scope only, so the halves of a split export (uploads/deals/emea/,
 * uploads/deals/amer/) are two snapshots that never remove each other's deals.
 */
export function snapshotScopeOf(key: string, preset: SourcePreset): string {
  return `${dealsFolderOf(key)}#${preset}`;
}

/** The folder of a deals upload as users see it in the bucket, for ingest reports: `uploads/deals/emea/`. */
export function dealsFolderPathOf(key: string): string {
  const folder = dealsFolderOf(key);
  return folder === '' ? DEALS_PREFIX : `${DEALS_PREFIX}${folder}/`;
}
