// Ingest fault injection for the integration tests: the faults the embedded
// DynamoDB cannot produce (UnprocessedItems, a dropped connection, the
// process dying part-way), injected by wrapping the real document client's
// send; everything else goes to the emulator unchanged.
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { S3EventNotification } from '../../shared/adapters/s3-events.js';
import type { LocalStack } from './harness.js';

export const SALESFORCE_HEADER =
  '"Opportunity ID","Opportunity Name","Account Name","Opportunity Owner","Stage","Amount","Opportunity Currency","Probability (%)","Close Date","Created Date"';

/** A Salesforce opportunity report as exported: quoted cells, CRLF, the footer Salesforce appends. */
export function salesforceReport(rows: string[][]): string {
  const body = rows.map((row) => row.map((cell) => `"${cell.replace(/"/g, '""')}"`).join(',')).join('\r\n');
  return `${SALESFORCE_HEADER}\r\n${body}\r\n\r\n"Grand Totals (${rows.length} records)"\r\n"Confidential Information - Do Not Distribute"\r\n`;
}

/** Uploads with the notification handler detached, so the test can invoke it with a faulty client. */
export async function uploadWithoutHandler(stack: LocalStack, key: string, body: string | Uint8Array): Promise<S3EventNotification> {
  stack.aws.onObjectCreated('ingest', async () => undefined);
  await stack.aws.clients.s3.send(new PutObjectCommand({ Bucket: stack.aws.bucketName, Key: key, Body: body }));
  await stack.aws.idle();
  return stack.aws.dispatchedEvents.at(-1)!.event;
}

/** Writes only the first item of each BatchWrite and returns the rest as UnprocessedItems, `times` times. */
export function throttlingClient(real: DynamoDBDocumentClient, times: number) {
  const state = { remaining: times, unprocessedReturned: 0 };
  const client = new Proxy(real, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver);
      return async (command: unknown) => {
        if (command instanceof BatchWriteCommand && state.remaining > 0) {
          state.remaining -= 1;
          const [table, requests] = Object.entries(command.input.RequestItems ?? {})[0]!;
          const [first, ...rest] = requests;
          await target.send(new BatchWriteCommand({ RequestItems: { [table]: [first!] } }));
          state.unprocessedReturned += rest.length;
          return { UnprocessedItems: rest.length > 0 ? { [table]: rest } : {} };
        }
        return target.send(command as never);
      };
    },
  });
  return {
    client,
    get unprocessedReturned() {
      return state.unprocessedReturned;
    },
  };
}

/** Lets `okWrites` BatchWrites through, then fails every later one like a dropped connection. */
export function crashingClient(real: DynamoDBDocumentClient, okWrites: number): DynamoDBDocumentClient {
  let writes = 0;
  return new Proxy(real, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver);
      return async (command: unknown) => {
        if (command instanceof BatchWriteCommand && ++writes > okWrites) throw new Error('socket hang up: connection reset');
        return target.send(command as never);
      };
    },
  });
}

/** What a process dying mid-ingest looks like from inside: nothing answers any more, and nothing retries. */
export class ProcessKilledError extends Error {
  override name = 'ProcessKilled';
}

/**
 * The function killed after its k-th BatchWriteItem: once k BatchWrites have completed, every request it
 * begins afterwards (any command, a write or a read) fails at once with ProcessKilledError, as if the
 * process were gone. Requests already in flight complete, as they would on the server side. `batchWrites`
 * counts the BatchWrites that completed (a fault-free run through the same wrapper gives the total).
 */
export function killedAfterBatches(real: DynamoDBDocumentClient, k: number) {
  const state = { completed: 0, killed: false, refused: 0 };
  const client = new Proxy(real, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver);
      return async (command: unknown) => {
        if (state.killed) {
          state.refused += 1;
          throw new ProcessKilledError(`process killed after ${k} BatchWriteItem request(s)`);
        }
        const result = await target.send(command as never);
        if (command instanceof BatchWriteCommand) {
          state.completed += 1;
          if (state.completed >= k) state.killed = true;
        }
        return result;
      };
    },
  });
  return {
    client,
    get batchWrites() {
      return state.completed;
    },
    /** Requests refused after the kill: the run really was cut short. */
    get refused() {
      return state.refused;
    },
  };
}
