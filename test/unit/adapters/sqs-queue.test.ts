// The ingest handler delays a deferred message through the queue its SQS record names by ARN.
import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { delayMessage, queueUrlOfArn } from '../../../shared/adapters/sqs-queue.js';

describe('the queue of an SQS record', () => {
  it('turns a queue ARN into its URL, in the commercial and China partitions', () => {
    expect(queueUrlOfArn('arn:aws:sqs:eu-west-1:123456789012:revperf-ingest')).toBe('https://sqs.eu-west-1.amazonaws.com/123456789012/revperf-ingest');
    expect(queueUrlOfArn('arn:aws-cn:sqs:cn-north-1:123456789012:q')).toBe('https://sqs.cn-north-1.amazonaws.com.cn/123456789012/q');
  });

  it('refuses what is not an SQS queue ARN', () => {
    expect(() => queueUrlOfArn('arn:aws:sns:eu-west-1:123456789012:topic')).toThrow(/not an SQS queue ARN/);
    expect(() => queueUrlOfArn('revperf-ingest')).toThrow(/not an SQS queue ARN/);
  });

  it('delays a message by changing its visibility, within SQS’s 12-hour limit', async () => {
    const sent: ChangeMessageVisibilityCommand[] = [];
    const sqs = { send: async (command: ChangeMessageVisibilityCommand) => void sent.push(command) } as unknown as SQSClient;
    await delayMessage(sqs, 'arn:aws:sqs:us-east-1:123456789012:ingest', 'receipt', 905.2);
    await delayMessage(sqs, 'arn:aws:sqs:us-east-1:123456789012:ingest', 'receipt', 99 * 60 * 60);
    expect(sent.map((command) => command.input)).toEqual([
      { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/ingest', ReceiptHandle: 'receipt', VisibilityTimeout: 906 },
      { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/ingest', ReceiptHandle: 'receipt', VisibilityTimeout: 43_200 },
    ]);
  });
});
