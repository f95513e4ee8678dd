// The embedded AWS through the real SDK v3: notifications shaped like real S3
// events, the table as designed, SES v2 round-trip with an attachment.
import { DescribeTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_INDEXES } from '../../shared/adapters/table-design.js';
import { NOTIFICATION_RULES } from '../../shared/adapters/bucket-layout.js';
import { decodeEventKey, type S3EventNotification } from '../../shared/adapters/s3-events.js';
import { dynamoEmulatorFromEnv, listTablesRequest } from '../../local/dynamodb-local.js';
import { startEmbeddedAws, type EmbeddedAws } from '../../local/embedded-aws.js';

describe('embedded AWS', () => {
  let aws: EmbeddedAws;
  const received: S3EventNotification[] = [];

  beforeAll(async () => {
    aws = await startEmbeddedAws();
    aws.onObjectCreated('ingest', async (event) => {
      received.push(event);
    });
  });
  afterAll(async () => {
    await aws.stop();
  });

  it('runs DynamoDB on the emulator REVPERF_DDB names: dynalite by default, AWS\'s DynamoDB Local (Jetty) with local', async () => {
    expect(aws.dynamo.emulator).toBe(dynamoEmulatorFromEnv());
    const response = await listTablesRequest(aws.endpoints.dynamodb!);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { TableNames: string[] }).TableNames).toContain(aws.tableName);
    if (aws.dynamo.emulator === 'local') expect(response.headers.get('server')).toMatch(/^Jetty/);
    else expect(response.headers.get('server')).toBeNull();
  });

  it('delivers an upload under uploads/ as a real-shaped S3 event with the key URL-encoded', async () => {
    const key = 'uploads/deals/Q3 pipeline – Zürich & Søren (v2).csv';
    await aws.clients.s3.send(new PutObjectCommand({ Bucket: aws.bucketName, Key: key, Body: 'id,amount\n1,2\n' }));
    await aws.idle();

    expect(received).toHaveLength(1);
    const record = received[0]!.Records[0]!;
    expect(record.eventSource).toBe('aws:s3');
    expect(record.eventName).toBe('ObjectCreated:Put');
    expect(record.s3.bucket).toMatchObject({ name: aws.bucketName, arn: `arn:aws:s3:::${aws.bucketName}` });
    expect(record.s3.object.key).toBe('uploads/deals/Q3+pipeline+%E2%80%93+Z%C3%BCrich+%26+S%C3%B8ren+(v2).csv');
    expect(decodeEventKey(record.s3.object.key)).toBe(key);
    expect(record.s3.object.size).toBe(14);
    expect(record.s3.object.eTag).toBe('02fb126998d806e8dbcb0cd7c15cf8f0'); // MD5 of the body, as S3 reports for a single-part PUT
    expect(record.s3.object.versionId).toBeTruthy();
    expect(record.s3.object.sequencer).toMatch(/^[0-9A-F]{16,}$/);
  });

  it('orders two writes of one key by sequencer', async () => {
    received.length = 0;
    for (const body of ['first', 'second']) {
      await aws.clients.s3.send(new PutObjectCommand({ Bucket: aws.bucketName, Key: 'uploads/people/people.csv', Body: body }));
    }
    await aws.idle();
    const [first, second] = received.map((event) => event.Records[0]!.s3.object.sequencer);
    expect(first! < second!).toBe(true);
  });

  it('dispatches nothing for objects outside the notified prefixes', async () => {
    received.length = 0;
    for (const key of ['reports/weekly/scorecard.xlsx', 'ingest-reports/uploads/deals/a.csv.json', 'uploads/unknown/x.csv', 'metrics/FY2027-Q4.json']) {
      await aws.clients.s3.send(new PutObjectCommand({ Bucket: aws.bucketName, Key: key, Body: 'x' }));
    }
    await aws.idle();
    expect(received).toEqual([]);
  });

  it('notifies every upload kind the deployed stack notifies', async () => {
    received.length = 0;
    for (const rule of NOTIFICATION_RULES) {
      await aws.clients.s3.send(new PutObjectCommand({ Bucket: aws.bucketName, Key: `${rule.prefix}file.csv`, Body: 'x' }));
    }
    await aws.idle();
    expect(received.map((event) => decodeEventKey(event.Records[0]!.s3.object.key))).toEqual(
      NOTIFICATION_RULES.map((rule) => `${rule.prefix}file.csv`),
    );
  });

  it('creates the table with the designed keys and indexes', async () => {
    const { Table } = await aws.clients.dynamodb.send(new DescribeTableCommand({ TableName: aws.tableName }));
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    const indexes = (Table?.GlobalSecondaryIndexes ?? []).map((index) => ({
      name: index.IndexName,
      keys: index.KeySchema?.map((key) => key.AttributeName),
      projection: index.Projection?.ProjectionType,
      included: index.Projection?.NonKeyAttributes,
    }));
    expect(indexes.sort((a, b) => a.name!.localeCompare(b.name!))).toEqual(
      ALL_INDEXES.map((index) => ({
        name: index.name,
        keys: [index.partitionKey, index.sortKey],
        projection: index.projection.type,
        included: index.projection.type === 'INCLUDE' ? [...index.projection.attributes] : undefined,
      })).sort((a, b) => a.name.localeCompare(b.name)),
    );
    // Only the scope index is narrowed: the report indexes return whole deals.
    expect(indexes.find((index) => index.name === 'ByScope')).toMatchObject({ projection: 'INCLUDE', included: ['contentHash'] });
  });

  it('sends a raw SES v2 email whose attachment reads back byte-identical from the SES store', async () => {
    const attachment = Buffer.from(Array.from({ length: 4096 }, (_, index) => (index * 37) % 256));
    const raw = await new MailComposer({
      from: 'revperf@northwind.example',
      to: 'ana.garcia@northwind.example',
      subject: 'Weekly scorecard',
      text: 'Your scorecard is attached.',
      attachments: [{ filename: 'scorecard.xlsx', content: attachment }],
    })
      .compile()
      .build();
    const sent = await aws.clients.ses.send(
      new SendEmailCommand({ FromEmailAddress: 'revperf@northwind.example', Content: { Raw: { Data: raw } } }),
    );
    expect(sent.MessageId).toBeTruthy();

    const store = (await (await fetch(`${aws.sesUrl}/store`)).json()) as { emails: { messageId: string; subject: string; attachments: { filename: string; content: string }[] }[] };
    const email = store.emails.find((candidate) => candidate.messageId === sent.MessageId);
    expect(email?.subject).toBe('Weekly scorecard');
    expect(email?.attachments.map((file) => file.filename)).toEqual(['scorecard.xlsx']);
    expect(Buffer.compare(Buffer.from(email!.attachments[0]!.content, 'base64'), attachment)).toBe(0);
  });
});

describe('embedded AWS lifecycle', () => {
  it('stop() closes every port it opened', async () => {
    const aws = await startEmbeddedAws();
    // A shared DynamoDB Local (REVPERF_DDB=local in the integration run) outlives the stack: only its table goes.
    const opened = aws.dynamo.shared ? [aws.endpoints.s3, aws.sesUrl] : [aws.endpoints.dynamodb, aws.endpoints.s3, aws.sesUrl];
    const ports = opened.map((url) => new URL(url!).port);
    await aws.stop();
    for (const port of ports) {
      await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
    }
  });

  it('on a shared DynamoDB Local, takes a table of its own and drops it at stop()', async ({ skip }) => {
    if (dynamoEmulatorFromEnv() !== 'local') skip('REVPERF_DDB=local only');
    const first = await startEmbeddedAws();
    const second = await startEmbeddedAws();
    const names = [first.tableName, second.tableName];
    try {
      expect(first.dynamo).toEqual({ emulator: 'local', shared: true });
      expect(first.endpoints.dynamodb).toBe(second.endpoints.dynamodb);
      expect(new Set(names).size).toBe(2);
      await first.clients.documents.send(new PutCommand({ TableName: first.tableName, Item: { pk: 'P', sk: 'S', value: 1 } }));
      const read = await second.clients.documents.send(new GetCommand({ TableName: second.tableName, Key: { pk: 'P', sk: 'S' } }));
      expect(read.Item).toBeUndefined();
    } finally {
      await first.stop();
    }
    const tables = await second.clients.dynamodb.send(new ListTablesCommand({}));
    await second.stop();
    expect(tables.TableNames).toContain(names[1]);
    expect(tables.TableNames).not.toContain(names[0]);
  });

  it('keeps DynamoDB data across restarts when given a folder', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { PutCommand, GetCommand } = await import('@aws-sdk/lib-dynamodb');
    const dir = await mkdtemp(join(tmpdir(), 'revperf-dynamo-'));
    try {
      const first = await startEmbeddedAws({ dynamoPath: dir });
      await first.clients.documents.send(new PutCommand({ TableName: first.tableName, Item: { pk: 'P', sk: 'S', value: 42 } }));
      await first.stop();
      const second = await startEmbeddedAws({ dynamoPath: dir });
      const read = await second.clients.documents.send(new GetCommand({ TableName: second.tableName, Key: { pk: 'P', sk: 'S' } }));
      await second.stop();
      expect(read.Item?.value).toBe(42);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
