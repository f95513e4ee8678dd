// What the two DynamoDB emulators do with the requests the real service refuses, on whichever one
// REVPERF_DDB picked (both run in CI). Each refusal is one revperf must never trip over when
// deployed; where dynalite lets a request through that the service refuses, the test says so, and
// the item builders are held to the service's rule instead (docs/reliability.md, "Two DynamoDB
// emulators").
import { BatchWriteCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dealItem } from '../../shared/adapters/table-items.js';
import type { StoredDeal } from '../../shared/domain/types.js';
import { ALL_INDEXES } from '../../shared/adapters/table-design.js';
import { startEmbeddedAws, type EmbeddedAws } from '../../local/embedded-aws.js';

describe(`the DynamoDB emulator (${process.env.REVPERF_DDB || 'dynalite'}) against the service's rules`, () => {
  let aws: EmbeddedAws;
  const put = (item: Record<string, unknown>) => aws.clients.documents.send(new PutCommand({ TableName: aws.tableName, Item: item }));
  beforeAll(async () => {
    aws = await startEmbeddedAws();
  });
  afterAll(async () => {
    await aws.stop();
  });

  it('an empty string as an index key: the service and DynamoDB Local refuse the item, dynalite stores it', async () => {
    const index = ALL_INDEXES[0]!;
    const write = put({ pk: 'EMPTY', sk: 'GSI', [index.partitionKey]: '', [index.sortKey]: 'x' });
    if (aws.dynamo.emulator === 'local') await expect(write).rejects.toThrow(/secondary index key/);
    else await expect(write).resolves.toBeDefined();
  });

  it('refuses what both emulators and the service refuse: an empty table key, 400 KB, 26 writes or duplicate keys in a batch, an unaliased reserved word, an unused name, Limit 0, a number as a string index key, a key update', async () => {
    await expect(put({ pk: 'EMPTY', sk: '' })).rejects.toThrow(/empty string/);
    await expect(put({ pk: 'BIG', sk: 'ITEM', blob: 'x'.repeat(410_000) })).rejects.toThrow(/Item size has exceeded/);
    const batch = (count: number, key: (n: number) => string) =>
      aws.clients.documents.send(
        new BatchWriteCommand({ RequestItems: { [aws.tableName]: Array.from({ length: count }, (_, n) => ({ PutRequest: { Item: { pk: 'BATCH', sk: key(n) } } })) } }),
      );
    await expect(batch(26, (n) => `${n}`)).rejects.toThrow();
    await expect(batch(2, () => 'same')).rejects.toThrow(/duplicates/);
    await expect(batch(25, (n) => `${n}`)).resolves.toBeDefined();
    await expect(
      aws.clients.documents.send(
        new QueryCommand({ TableName: aws.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'BATCH' }, ProjectionExpression: 'pk, status' }),
      ),
    ).rejects.toThrow(/reserved keyword: status/);
    await expect(
      aws.clients.documents.send(
        new QueryCommand({
          TableName: aws.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': 'BATCH' },
          ExpressionAttributeNames: { '#unused': 'unused' },
        }),
      ),
    ).rejects.toThrow(/unused in expressions/);
    await expect(
      aws.clients.documents.send(new QueryCommand({ TableName: aws.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'BATCH' }, Limit: 0 })),
    ).rejects.toThrow(/greater than or equal to 1/);
    const index = ALL_INDEXES[0]!;
    await expect(put({ pk: 'TYPED', sk: 'KEY', [index.partitionKey]: 5, [index.sortKey]: 'x' })).rejects.toThrow(/Type mismatch/);
    await expect(
      aws.clients.documents.send(
        new UpdateCommand({ TableName: aws.tableName, Key: { pk: 'BATCH', sk: '0' }, UpdateExpression: 'SET sk = :sk', ExpressionAttributeValues: { ':sk': 'z' } }),
      ),
    ).rejects.toThrow(/part of the key/);
  });

  it('revperf never writes an empty index key: a deal with a one-letter id, empty texts and no dates is stored', async () => {
    const deal: StoredDeal = {
      id: 'x',
      name: '',
      account: '',
      owner: '',
      stage: '',
      stageClass: 'open',
      probability: 0,
      amount: 0,
      currency: 'USD',
      originalAmount: 0,
      closeDate: null,
      createdDate: null,
      pipeline: null,
      lastActivityDate: null,
      source: 'generic',
      scope: '',
      uploadKey: '',
      lastSeenIn: '',
      removed: false,
    };
    const item = dealItem(deal);
    const keys = ALL_INDEXES.flatMap((index) => [index.partitionKey, index.sortKey]).filter((name) => name in item);
    expect(keys.length).toBeGreaterThan(0);
    for (const name of keys) expect(item[name], name).not.toBe('');
    await expect(put(item)).resolves.toBeDefined();
  });
});
