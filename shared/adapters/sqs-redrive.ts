// Moving messages out of a dead-letter queue, back to the queue they came
// from, with SQS's native redrive (StartMessageMoveTask): the messages keep
// their bodies and attributes, SQS moves them at its own pace, and a task can
// be followed or cancelled with the AWS CLI. Used by `revperf replay-failed`
// for upload notifications whose ingest failed every attempt.
import {
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import type { AwsEndpoints } from './aws-clients.js';

export interface DeadLetterQueueState {
  queueUrl: string;
  queueArn: string;
  /** Messages waiting to be moved (ApproximateNumberOfMessages). */
  waiting: number;
  /** Messages someone has received and not yet deleted (ApproximateNumberOfMessagesNotVisible): they are not moved. */
  inFlight: number;
}

export interface MoveTask {
  taskHandle: string | null;
  status: string;
  moved: number;
  toMove: number | null;
}

export function sqsClient(endpoints: Pick<AwsEndpoints, 'region' | 'sqs' | 'credentials'>): SQSClient {
  return new SQSClient({ region: endpoints.region, endpoint: endpoints.sqs, credentials: endpoints.credentials });
}

export class DeadLetterRedrive {
  constructor(
    private readonly sqs: SQSClient,
    readonly queueUrl: string,
  ) {}

  async state(): Promise<DeadLetterQueueState> {
    const { Attributes: attributes = {} } = await this.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: this.queueUrl,
        AttributeNames: ['QueueArn', 'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    const queueArn = attributes.QueueArn;
    if (!queueArn) throw new Error(`SQS returned no QueueArn for ${this.queueUrl}`);
    return {
      queueUrl: this.queueUrl,
      queueArn,
      waiting: Number(attributes.ApproximateNumberOfMessages ?? 0),
      inFlight: Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
    };
  }

  /** A move task of this queue still running, if any (SQS runs one at a time per source queue). */
  async runningTask(queueArn: string): Promise<MoveTask | null> {
    const { Results: results = [] } = await this.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: queueArn, MaxResults: 10 }));
    const running = results.find((task) => task.Status === 'RUNNING');
    return running
      ? {
          taskHandle: running.TaskHandle ?? null,
          status: running.Status ?? 'RUNNING',
          moved: Number(running.ApproximateNumberOfMessagesMoved ?? 0),
          toMove: running.ApproximateNumberOfMessagesToMove ?? null,
        }
      : null;
  }

  /**
   * Starts moving every message back to the queue it was dead-lettered from
   * (no DestinationArn: SQS's default), at most `maxPerSecond` a second when given.
   */
  async startMove(queueArn: string, { maxPerSecond }: { maxPerSecond?: number } = {}): Promise<string> {
    const { TaskHandle: handle } = await this.sqs.send(
      new StartMessageMoveTaskCommand({
        SourceArn: queueArn,
        ...(maxPerSecond !== undefined ? { MaxNumberOfMessagesPerSecond: maxPerSecond } : {}),
      }),
    );
    if (!handle) throw new Error(`SQS started no move task for ${queueArn}`);
    return handle;
  }
}
