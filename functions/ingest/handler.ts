import { SQSClient } from '@aws-sdk/client-sqs';
import { endpointsFromEnv } from '../../shared/adapters/aws-clients.js';
import { delayMessage } from '../../shared/adapters/sqs-queue.js';
import { runtimeFromEnv } from '../runtime.js';
import { createIngestQueueHandler } from './ingest-handler.js';

const endpoints = endpointsFromEnv();
const sqs = new SQSClient({ region: endpoints.region, endpoint: endpoints.sqs });

export const handler = createIngestQueueHandler(runtimeFromEnv(), {
  // The event source mapping's role already may ChangeMessageVisibility on the ingest queue (grantConsumeMessages).
  delayRetry: async (record, seconds) => {
    if (!record.receiptHandle || !record.eventSourceARN) throw new Error('the SQS record carries no receipt handle or queue ARN');
    await delayMessage(sqs, record.eventSourceARN, record.receiptHandle, seconds);
  },
});
