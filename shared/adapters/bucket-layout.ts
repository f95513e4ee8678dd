// Where things live in the bucket, and which uploads trigger which function.
// Read by the CDK stack (real S3 notifications) and by the local stack (which
// dispatches s3rver's events itself), so the two can never drift.
// Pure data: no AWS SDK here.

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
