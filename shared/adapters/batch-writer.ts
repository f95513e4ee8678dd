// BatchWriteItem in chunks of 25 with retries of UnprocessedItems:
// exponential backoff with full jitter, bounded; then a typed failure the
// caller rethrows so Lambda's retry / failure destination takes over.
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export type WriteRequest =
  | { PutRequest: { Item: Record<string, unknown> } }
  | { DeleteRequest: { Key: Record<string, unknown> } };

export interface BatchWriteOptions {
  /** Attempts per chunk, the first included (default 8). */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Injected for tests; defaults to setTimeout and Math.random. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Chunks in flight at once (default 4). Keys must be unique within one call, so order between chunks cannot matter. */
  concurrency?: number;
}

export class BatchWriteIncompleteError extends Error {
  constructor(
    readonly tableName: string,
    readonly unprocessed: number,
    readonly attempts: number,
  ) {
    super(
      `DynamoDB left ${unprocessed} item(s) of table ${tableName} unprocessed after ${attempts} attempts (throttled?). ` +
        'The ingest is incomplete and will be retried; nothing already written is lost.',
    );
    this.name = 'BatchWriteIncompleteError';
  }
}

export const BATCH_SIZE = 25;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Full-jitter backoff: a random delay in [0, min(max, base·2^attempt)). */
export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs: number, random: () => number): number {
  return Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** attempt));
}

export async function batchWrite(
  documents: DynamoDBDocumentClient,
  tableName: string,
  requests: readonly WriteRequest[],
  options: BatchWriteOptions = {},
): Promise<void> {
  const maxAttempts = options.maxAttempts ?? 8;
  const baseDelayMs = options.baseDelayMs ?? 50;
  const maxDelayMs = options.maxDelayMs ?? 5_000;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;

  const chunks: WriteRequest[][] = [];
  for (let offset = 0; offset < requests.length; offset += BATCH_SIZE) chunks.push(requests.slice(offset, offset + BATCH_SIZE));

  const writeChunk = async (chunk: WriteRequest[]) => {
    let pending = chunk;
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      if (attempt > maxAttempts) throw new BatchWriteIncompleteError(tableName, pending.length, maxAttempts);
      if (attempt > 1) await sleep(backoffDelay(attempt - 1, baseDelayMs, maxDelayMs, random));
      const result = await documents.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = (result.UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
    }
  };

  // After a failure no new chunk is started, and the failure is thrown only once the chunks in flight
  // have settled: nothing is still writing after batchWrite has failed (Lambda would freeze such a
  // write and let it land in a later invocation).
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < chunks.length && !failure) {
      try {
        await writeChunk(chunks[next++]!);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, chunks.length) }, worker));
  if (failure) throw failure.error;
}
