// The delivery queue when deployed: one SQS message per job, sent in batches
// of ten; entries SQS did not take are sent again, and a batch that still
// fails throws (the dispatch fails and the scheduler retries the tick — the
// ledger keeps any copy from sending twice).
import { ChangeMessageVisibilityCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeliveryJob, DeliveryQueue } from '../delivery/delivery-job.js';

const BATCH = 10;
const ATTEMPTS = 4;

export class SqsDeliveryQueue implements DeliveryQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(jobs: readonly DeliveryJob[]): Promise<void> {
    for (let start = 0; start < jobs.length; start += BATCH) {
      let entries = jobs.slice(start, start + BATCH).map((job, index) => ({ Id: String(index), MessageBody: JSON.stringify(job) }));
      for (let attempt = 1; entries.length > 0; attempt += 1) {
        const result = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
        const failed = new Set((result.Failed ?? []).map((failure) => failure.Id));
        entries = entries.filter((entry) => failed.has(entry.Id));
        if (entries.length === 0) break;
        const failures = result.Failed ?? [];
        // An entry SQS blames on the sender (too large, malformed) fails the same way every time.
        if (attempt >= ATTEMPTS || failures.some((failure) => failure.SenderFault)) {
          throw new Error(`SQS did not take ${entries.length} delivery job(s) after ${attempt} attempt(s): ${failures.map((f) => `${f.Code}: ${f.Message}`).join('; ')}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
      }
    }
  }
}

/** The queue URL of a queue ARN (arn:aws:sqs:region:account:name), as an SQS event record names its queue. */
export function queueUrlOfArn(arn: string): string {
  const [, partition, service, region, account, name] = arn.split(':');
  if (service !== 'sqs' || !region || !account || !name) throw new Error(`not an SQS queue ARN: ${arn}`);
  const domain = partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://sqs.${region}.${domain}/${account}/${name}`;
}

/** Makes a received message visible again only after `seconds` (at most SQS's 12 hours). */
export async function delayMessage(sqs: SQSClient, queueArn: string, receiptHandle: string, seconds: number): Promise<void> {
  await sqs.send(
    new ChangeMessageVisibilityCommand({
      QueueUrl: queueUrlOfArn(queueArn),
      ReceiptHandle: receiptHandle,
      VisibilityTimeout: Math.min(Math.max(0, Math.ceil(seconds)), 12 * 60 * 60),
    }),
  );
}
