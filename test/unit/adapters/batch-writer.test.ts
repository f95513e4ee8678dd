import type { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { BATCH_SIZE, backoffDelay, batchWrite } from '../../../shared/adapters/batch-writer.js';

describe('full-jitter backoff', () => {
  it('draws from [0, base·2^attempt), capped at the maximum', () => {
    expect(backoffDelay(1, 50, 5_000, () => 0)).toBe(0);
    expect(backoffDelay(1, 50, 5_000, () => 0.999)).toBe(99);
    expect(backoffDelay(3, 50, 5_000, () => 0.5)).toBe(200);
    expect(backoffDelay(10, 50, 5_000, () => 0.999)).toBe(4_995);
  });
});

describe('batchWrite after a failed chunk', () => {
  it('starts no further chunk and fails only once the chunks in flight have settled', async () => {
    const events: string[] = [];
    const releases: (() => void)[] = [];
    let sends = 0;
    // A client whose second request fails at once while the others wait: the fault the emulators cannot time.
    const documents = {
      send: (command: BatchWriteCommand) => {
        const chunk = (sends += 1);
        const first = (command.input.RequestItems!.t![0]!.PutRequest!.Item as { n: number }).n;
        events.push(`send ${first}`);
        if (chunk === 2) return Promise.reject(new Error('socket hang up: connection reset'));
        return new Promise((resolve) =>
          releases.push(() => {
            events.push(`done ${first}`);
            resolve({ UnprocessedItems: {} });
          }),
        );
      },
    } as unknown as DynamoDBDocumentClient;
    const requests = Array.from({ length: 8 * BATCH_SIZE }, (_, n) => ({ PutRequest: { Item: { n } } }));
    const written = batchWrite(documents, 't', requests, { concurrency: 4 }).then(
      () => events.push('resolved'),
      (error: Error) => events.push(`rejected: ${error.message}`),
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(events).toEqual(['send 0', 'send 25', 'send 50', 'send 75']);
    for (const release of releases) release();
    await written;
    expect(events).toEqual(['send 0', 'send 25', 'send 50', 'send 75', 'done 0', 'done 50', 'done 75', 'rejected: socket hang up: connection reset']);
  });
});
