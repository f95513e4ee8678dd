// The send ledger: what was mailed to whom, in the one table. Every write that
// decides whether a message goes out is conditional (dynalite has no
// transactions; DynamoDB's conditions are enough), so a retried job or a second
// dispatcher never sends a report twice to the same person.
//
// Items (pk / sk):
//   SENDS#<periodId> / SEND#<kind>#<scopeId>#<address>   one recipient of one report: sending → sent | failed, or refused
//   SENDS#<periodId> / RESEND#<kind>#<scopeId>#<address>#<at>   an operator's resend (revperf resend)
//   SENDS#<periodId> / RUN#<kind>#<scopeId>              the run record of the latest delivery of that report × scope
//   DISPATCH         / DUE#<kind>#<dueOn>                 the dispatch queued the report due that day
//   DISPATCH         / LAST_TICK                          the latest day a daily dispatch ran for
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LocalDate } from '../domain/types.js';
import type { ReportKind } from '../reports/report-data.js';

export type SendStatus = 'sending' | 'sent' | 'failed' | 'refused';

export interface SendKey {
  kind: ReportKind;
  periodId: string;
  scopeId: string;
  address: string;
}

export interface SendRecord extends SendKey {
  name: string;
  status: SendStatus;
  /** SES message id once sent. */
  messageId?: string;
  /** Why it failed or was refused. */
  reason?: string;
  /** A failure no retry can fix (SES rejected the message or the address); not retried automatically. */
  permanent?: boolean;
  attempts: number;
  /** When the current attempt claimed the send (ISO instant). */
  claimedAt?: string;
  updatedAt: string;
  asOf: LocalDate;
  late: boolean;
  /** Set on operator resends. */
  resend?: boolean;
}

export interface RunRecord {
  kind: ReportKind;
  periodId: string;
  scopeId: string;
  asOf: LocalDate;
  dispatchedOn: LocalDate;
  late: boolean;
  finishedAt: string;
  /** Bucket key of the run record's JSON copy beside the report. */
  objectKey: string;
  sent: { address: string; messageId: string }[];
  alreadySent: string[];
  failed: { address: string; reason: string; permanent: boolean }[];
  refused: { address: string; name: string; reason: string }[];
  /** The workbook went as a link instead of an attachment (too large). */
  linked: boolean;
}

export type Claim = { outcome: 'claimed'; attempts: number } | { outcome: 'taken'; record: SendRecord };

/** A claim older than this belongs to an attempt that died mid-send (the worker's timeout is 10 minutes). */
export const SEND_LEASE_MS = 15 * 60 * 1000;

/** Whether a 'sending' record was left by an attempt that can no longer be running. */
export function isAbandonedClaim(record: SendRecord, now: Date): boolean {
  return record.status === 'sending' && (record.claimedAt === undefined || Date.parse(record.claimedAt) < now.getTime() - SEND_LEASE_MS);
}

/** Whether claim() would take this send now — its condition, read without writing: no record yet, or a failure a retry can fix. */
export function isClaimable(record: SendRecord | null): boolean {
  return record === null || record.status === 'refused' || (record.status === 'failed' && record.permanent === false);
}

export class SendLedger {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  /**
   * Takes the right to send one report to one recipient: only when nobody has
   * (no record), or the last attempt failed for a reason a retry can fix. A
   * claim that never finished ('sending') is never taken over: the attempt may
   * have died before or after SES took the message, and re-sending could mail
   * the person twice — the worker reports it instead (see deliver-report.ts).
   */
  async claim(key: SendKey, details: { name: string; asOf: LocalDate; late: boolean }, now: Date): Promise<Claim> {
    try {
      const result = await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: sendKey(key),
          UpdateExpression:
            'SET entity = :entity, kind = :kind, periodId = :periodId, scopeId = :scopeId, address = :address, #name = :name, ' +
            '#status = :sending, claimedAt = :now, updatedAt = :now, asOf = :asOf, late = :late ADD attempts :one REMOVE reason, permanent',
          // A refusal is claimable too: once the allowlist admits the address, the next run sends it.
          ConditionExpression: 'attribute_not_exists(pk) OR #status = :refused OR (#status = :failed AND permanent = :false)',
          ExpressionAttributeNames: { '#status': 'status', '#name': 'name' },
          ExpressionAttributeValues: {
            ':entity': 'send',
            ':kind': key.kind,
            ':periodId': key.periodId,
            ':scopeId': key.scopeId,
            ':address': key.address,
            ':name': details.name,
            ':sending': 'sending',
            ':failed': 'failed',
            ':refused': 'refused',
            ':false': false,
            ':now': now.toISOString(),
            ':asOf': details.asOf,
            ':late': details.late,
            ':one': 1,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { outcome: 'claimed', attempts: Number(result.Attributes?.attempts ?? 1) };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const record = await this.record(key);
      if (!record) return this.claim(key, details, now);
      return { outcome: 'taken', record };
    }
  }

  async markSent(key: SendKey, messageId: string, now: Date): Promise<void> {
    await this.finish(key, now, 'SET #status = :sent, messageId = :messageId, updatedAt = :now REMOVE reason, permanent', {
      ':sent': 'sent',
      ':messageId': messageId,
    });
  }

  async markFailed(key: SendKey, reason: string, permanent: boolean, now: Date): Promise<void> {
    await this.finish(key, now, 'SET #status = :failed, reason = :reason, permanent = :permanent, updatedAt = :now', {
      ':failed': 'failed',
      ':reason': reason.slice(0, 1000),
      ':permanent': permanent,
    });
  }

  /** Refusals are recorded once per report × scope × address (a retry does not rewrite them). */
  async recordRefused(key: SendKey, details: { name: string; reason: string; asOf: LocalDate; late: boolean }, now: Date): Promise<void> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...sendKey(key),
            entity: 'send',
            ...key,
            name: details.name,
            status: 'refused',
            reason: details.reason,
            permanent: true,
            attempts: 0,
            updatedAt: now.toISOString(),
            asOf: details.asOf,
            late: details.late,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** An operator's resend: always its own record, beside the original. */
  async recordResend(key: SendKey, details: { name: string; asOf: LocalDate; late: boolean; messageId: string }, now: Date): Promise<void> {
    const at = now.toISOString();
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: `SENDS#${key.periodId}`,
          sk: `RESEND#${key.kind}#${key.scopeId}#${key.address}#${at}`,
          entity: 'send',
          ...key,
          name: details.name,
          status: 'sent',
          messageId: details.messageId,
          attempts: 1,
          updatedAt: at,
          asOf: details.asOf,
          late: details.late,
          resend: true,
        },
      }),
    );
  }

  async record(key: SendKey): Promise<SendRecord | null> {
    const result = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: sendKey(key), ConsistentRead: true }));
    return result.Item ? toSendRecord(result.Item) : null;
  }

  /** Every send (and resend) of a period, in key order. */
  async sends(periodId: string): Promise<SendRecord[]> {
    const items = await this.queryPartition(`SENDS#${periodId}`);
    return items.filter((item) => item.entity === 'send').map(toSendRecord);
  }

  async putRun(record: RunRecord): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: `SENDS#${record.periodId}`, sk: `RUN#${record.kind}#${record.scopeId}`, entity: 'run', ...record },
      }),
    );
  }

  async runs(periodId: string): Promise<RunRecord[]> {
    const items = await this.queryPartition(`SENDS#${periodId}`, 'RUN#');
    return items.map(({ pk: _pk, sk: _sk, entity: _entity, ...rest }) => rest as unknown as RunRecord);
  }

  /** Whether the report due on a day was queued by some dispatch. */
  async wasDispatched(kind: ReportKind, dueOn: LocalDate): Promise<boolean> {
    const result = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: 'DISPATCH', sk: `DUE#${kind}#${dueOn}` }, ConsistentRead: true }),
    );
    return result.Item !== undefined;
  }

  /** Marks the report due on a day as queued; false when another dispatch already had. */
  async markDispatched(kind: ReportKind, dueOn: LocalDate, details: { periodId: string; jobs: number; dispatchedOn: LocalDate }, now: Date): Promise<boolean> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: 'DISPATCH', sk: `DUE#${kind}#${dueOn}`, entity: 'dispatch', kind, dueOn, ...details, at: now.toISOString() },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** The latest day a daily dispatch ran for, or null before the first. */
  async lastTick(): Promise<LocalDate | null> {
    const result = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: { pk: 'DISPATCH', sk: 'LAST_TICK' }, ConsistentRead: true }));
    return (result.Item?.day as LocalDate | undefined) ?? null;
  }

  /** Moves the last tick forward to `day` (never back: a late retry of an older tick leaves it). */
  async recordTick(day: LocalDate, now: Date): Promise<void> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: 'DISPATCH', sk: 'LAST_TICK' },
          UpdateExpression: 'SET #day = :day, entity = :entity, #at = :at',
          ConditionExpression: 'attribute_not_exists(#day) OR #day < :day',
          ExpressionAttributeNames: { '#day': 'day', '#at': 'at' },
          ExpressionAttributeValues: { ':day': day, ':entity': 'dispatch', ':at': now.toISOString() },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  private async finish(key: SendKey, now: Date, update: string, values: Record<string, unknown>): Promise<void> {
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: sendKey(key),
        UpdateExpression: update,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ...values, ':now': now.toISOString() },
      }),
    );
  }

  private async queryPartition(pk: string, skPrefix?: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: skPrefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
          ExpressionAttributeValues: skPrefix ? { ':pk': pk, ':prefix': skPrefix } : { ':pk': pk },
          ExclusiveStartKey: start,
        }),
      );
      items.push(...((page.Items ?? []) as Record<string, unknown>[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }
}

function sendKey(key: SendKey): { pk: string; sk: string } {
  return { pk: `SENDS#${key.periodId}`, sk: `SEND#${key.kind}#${key.scopeId}#${key.address}` };
}

function toSendRecord(item: Record<string, unknown>): SendRecord {
  const { pk: _pk, sk: _sk, entity: _entity, ...rest } = item;
  return { ...rest, attempts: Number(rest.attempts ?? 0) } as SendRecord;
}
