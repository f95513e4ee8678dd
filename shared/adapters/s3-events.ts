// The S3 event notification shape revperf consumes, and the key encoding S3
// applies to it (form-style URL encoding: spaces as '+', '/' kept).

export interface S3EventRecord {
  eventVersion: string;
  eventSource: 'aws:s3';
  awsRegion: string;
  eventTime: string;
  eventName: string;
  userIdentity: { principalId: string };
  requestParameters: { sourceIPAddress: string };
  responseElements: Record<string, string>;
  s3: {
    s3SchemaVersion: string;
    configurationId: string;
    bucket: { name: string; ownerIdentity: { principalId: string }; arn: string };
    object: { key: string; size?: number; eTag?: string; versionId?: string; sequencer: string };
  };
}

export interface S3EventNotification {
  Records: S3EventRecord[];
}

/** An object-created event, decoded: the key as stored in S3. */
export interface ObjectCreated {
  bucket: string;
  key: string;
  size: number | null;
  eTag: string | null;
  versionId: string | null;
  sequencer: string;
  eventTime: string;
}

export function encodeEventKey(key: string): string {
  return key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%20/g, '+'))
    .join('/');
}

export function decodeEventKey(encoded: string): string {
  return decodeURIComponent(encoded.replace(/\+/g, ' '));
}

/** The object-created records of an event, keys decoded. Other event kinds are not ours to handle. */
export function objectCreatedRecords(event: S3EventNotification): ObjectCreated[] {
  return (event.Records ?? [])
    .filter((record) => record.eventSource === 'aws:s3' && record.eventName.startsWith('ObjectCreated:'))
    .map((record) => ({
      bucket: record.s3.bucket.name,
      key: decodeEventKey(record.s3.object.key),
      size: record.s3.object.size ?? null,
      eTag: record.s3.object.eTag ?? null,
      versionId: record.s3.object.versionId ?? null,
      sequencer: record.s3.object.sequencer,
      eventTime: record.eventTime,
    }));
}

/**
 * S3 sequencers order events for one key: compare as hexadecimal after padding
 * to the same length. Returns <0, 0, >0.
 */
export function compareSequencers(a: string, b: string): number {
  const width = Math.max(a.length, b.length);
  const left = a.toUpperCase().padStart(width, '0');
  const right = b.toUpperCase().padStart(width, '0');
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * The body of an SQS message S3 sent to a queue: an S3 event notification, or
 * `s3:TestEvent` (sent once when a notification configuration is saved).
 * Returns null for the test event; throws on anything else, so a malformed
 * message fails, is retried and ends in the dead-letter queue where someone sees it.
 */
export function s3EventOfQueueMessage(body: string): S3EventNotification | null {
  let message: unknown;
  try {
    message = JSON.parse(body);
  } catch {
    throw new Error(`queue message is not JSON (expected an S3 event notification): ${body.slice(0, 200)}`);
  }
  if (typeof message === 'object' && message !== null && (message as { Event?: unknown }).Event === 's3:TestEvent') return null;
  if (typeof message !== 'object' || message === null || !Array.isArray((message as { Records?: unknown }).Records)) {
    throw new Error(`queue message is not an S3 event notification (no Records): ${body.slice(0, 200)}`);
  }
  return message as S3EventNotification;
}
