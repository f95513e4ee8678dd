// The compute half of revperf: the ingest function behind the queue the
// bucket's upload notifications feed, the dispatch function behind the daily schedule, the delivery
// queue and the deliver worker it feeds, and the alarms that tell an operator
// when any of them fails.
import {
  ArnFormat,
  CfnOutput,
  CrossStackReferences,
  Duration,
  ReferenceStrength,
  Size,
  Stack,
  TimeZone,
  Validations,
  type StackProps,
} from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { EventSourceMapping, type CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Bucket, EventType, type IBucket } from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption, type IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { NOTIFICATION_RULES, PREFIXES, type NotifiedFunction } from '../shared/adapters/bucket-layout.js';
import { TABLE_READ_ACTIONS, TABLE_WRITE_ACTIONS, TABLE_WRITE_PARTITIONS, type TableWriter } from '../shared/adapters/table-access.js';
import { ALL_INDEXES } from '../shared/adapters/table-design.js';
import type { RevperfConfig } from '../shared/config/schema.js';
import { DeliveryAlarms } from './constructs/delivery-alarms.js';
import { Download } from './constructs/download.js';
import { RevperfFunction } from './constructs/revperf-function.js';

export interface ReportingStackProps extends StackProps {
  bucket: IBucket;
  table: ITable;
  /** The validated config; shipped inside the ingest, dispatch and deliver assets (revperf.config.json). */
  config: RevperfConfig;
  /** Absolute path of the repository root (the functions' entry files live under it). */
  repoRoot: string;
}

/** The ingest function's timeout: one upload (up to ingest.maxFileBytes of XLSX) read into the table. */
export const INGEST_TIMEOUT = Duration.minutes(15);

/**
 * Ingests at once: the event source's maxConcurrency (not reserved concurrency,
 * which would throttle the poller and count throttled messages as receives). A
 * burst of uploads waits in the ingest queue instead of fanning out against the table.
 */
export const INGEST_CONCURRENCY = 10;

/** Receives of an upload's notification before SQS moves it to the ingest dead-letter queue: the first try and two retries. */
export const INGEST_MAX_RECEIVE_COUNT = 3;

/**
 * The oldest upload notification waiting longer than this alarms: twice the
 * longest single ingest, so a burst of uploads draining at INGEST_CONCURRENCY
 * stays under it, while a stuck or failing ingest (a failed message waits out
 * the visibility timeout before its retry) does not.
 */
export const INGEST_QUEUE_AGE_ALARM = Duration.minutes(30);

/** An ingest that ran this share of its timeout alarms, before one actually times out. */
export const INGEST_DURATION_ALARM_SHARE = 0.8;

/** The deliver worker's timeout: one report × scope rendered and mailed, SES retries included. */
export const DELIVER_TIMEOUT = Duration.minutes(10);

/**
 * Deliver workers at once. Each sends its recipients one after the other, so a
 * handful stays under SES's sending rate (14 messages/s for a new production
 * account) while one slow scope does not hold the others up.
 */
export const DELIVER_CONCURRENCY = 5;

/** Receives of a delivery job before SQS moves it to the dead-letter queue: the first try and two retries. */
export const DELIVERY_MAX_RECEIVE_COUNT = 3;

export class ReportingStack extends Stack {
  readonly ingest: RevperfFunction;
  /** One S3 ObjectCreated notification per message, sent by the bucket, consumed by ingest. */
  readonly ingestQueue: Queue;
  /** Upload notifications that failed INGEST_MAX_RECEIVE_COUNT times; `revperf replay-failed` moves them back. */
  readonly ingestDeadLetterQueue: Queue;
  readonly dispatch: RevperfFunction;
  readonly deliver: RevperfFunction;
  /** The download links mailed in place of large attachments: their key, the function that checks them and its URL. */
  readonly download: Download;
  /** One DeliveryJob per report × scope, sent by dispatch, consumed by deliver. */
  readonly deliveryQueue: Queue;
  /** Jobs that failed DELIVERY_MAX_RECEIVE_COUNT times. */
  readonly deliveryDeadLetterQueue: Queue;
  readonly alarmTopic: Topic;
  readonly deliveryAlarms: DeliveryAlarms;

  constructor(scope: Construct, id: string, props: ReportingStackProps) {
    super(scope, id, props);
    const { bucket, table, config, repoRoot } = props;
    // Strong (CloudFormation exports) on purpose: the data stack must not be
    // able to drop the bucket or table while these functions still use them.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);

    this.alarmTopic = this.createAlarmTopic();
    // Names only: the config travels inside each function's asset (RevperfFunction's `config`).
    const environment = {
      TABLE_NAME: table.tableName,
      BUCKET_NAME: bucket.bucketName,
    };

    ({ queue: this.ingestQueue, deadLetterQueue: this.ingestDeadLetterQueue } = this.createWorkQueue('Ingest', {
      functionTimeout: INGEST_TIMEOUT,
      maxReceiveCount: INGEST_MAX_RECEIVE_COUNT,
      alarmName: 'ingest FailedEventsAlarm',
    }));
    this.ingest = new RevperfFunction(this, 'Ingest', {
      name: 'ingest',
      repoRoot,
      description: 'revperf: reads a CRM export uploaded under uploads/ into the table and writes its ingest report',
      // bench/RESULTS.md: the ingest benchmark's reader → items path peaks at 140 MB RSS, flat from 100k to 1M rows;
      // on top, the scope's id → content-hash map and the ids seen (~200 bytes a row: ~100 MB at ingest.maxRows,
      // 500k). 1024 MB is 4× that; more memory buys CPU share, which the write-bound ingest does not need.
      memorySize: 1024,
      // The most Lambda allows; ingest.maxRows (500k rows) is set so a file takes about half of it: a 500k-row file
      // loaded in 461 s through the embedded DynamoDB (docs/reliability.md › The largest allowed file).
      timeout: INGEST_TIMEOUT,
      // XLSX uploads are spooled to /tmp before their zip entries are streamed.
      ephemeralStorageSize: Size.gibibytes(4),
      environment,
      config,
      alarmTopic: this.alarmTopic,
      sourceDeadLetterQueue: this.ingestDeadLetterQueue,
      // No reserved concurrency, so nothing throttles: the event source's maxConcurrency bounds it.
      alarmOnThrottles: false,
    });
    this.ingest.function.addEventSource(
      new SqsEventSource(this.ingestQueue, {
        // One upload per invocation: a failing upload is retried (and dead-lettered) on its own.
        batchSize: 1,
        reportBatchItemFailures: true,
        maxConcurrency: INGEST_CONCURRENCY,
      }),
    );
    grantObjectAccess(this.ingest, bucket, ['s3:GetObject', 's3:GetObjectVersion'], PREFIXES.uploads);
    grantObjectAccess(this.ingest, bucket, ['s3:PutObject'], PREFIXES.ingestReports);
    grantTableAccess(this.ingest, table, 'ingest');
    acknowledgeQueueEventSource(this.ingest, INGEST_MAX_RECEIVE_COUNT, 'ingest dead-letter queue');
    this.notifyOnUploads(bucket, { ingest: this.ingestQueue });
    this.alarmOnIngestBacklog();

    ({ queue: this.deliveryQueue, deadLetterQueue: this.deliveryDeadLetterQueue } = this.createDeliveryQueue());

    this.dispatch = new RevperfFunction(this, 'Dispatch', {
      name: 'dispatch',
      repoRoot,
      description: 'revperf: daily tick; computes the metrics, writes snapshots and exports, queues the reports due today',
      // Loads every open deal and the quarter's deals, computes two periods and stores the report data; it renders
      // nothing, so it ships no chart assets. bench/RESULTS.md, e2e: the metrics phase peaked at 1,191 MB RSS
      // (emulators in the process included) for 100k deals and 500 reps, 78 MB of report-data JSON (1,457 MB before the
      // report data was written compactly in pieces); 3072 MB is 2.1× the worst (about 300k deals fit: e2e notes).
      memorySize: 3072,
      // The same phase took 50 s at 100k deals (124 s on a loaded 2-core machine): ~5× headroom over the slowest.
      timeout: Duration.minutes(10),
      environment: { ...environment, DELIVERY_QUEUE_URL: this.deliveryQueue.queueUrl },
      config,
      alarmTopic: this.alarmTopic,
    });
    grantObjectAccess(this.dispatch, bucket, ['s3:PutObject'], PREFIXES.metrics);
    grantObjectAccess(this.dispatch, bucket, ['s3:PutObject'], PREFIXES.reports);
    grantTableAccess(this.dispatch, table, 'dispatch');
    // Send only: the queue's URL is in the environment, and nothing else of the queue is dispatch's business.
    this.dispatch.role.addToPrincipalPolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions: ['sqs:SendMessage'], resources: [this.deliveryQueue.queueArn] }),
    );
    this.scheduleDailyDispatch(config);

    this.download = new Download(this, 'Download', { repoRoot, bucketName: bucket.bucketName, alarmTopic: this.alarmTopic });
    // Reads the workbooks only: the presigned URL it redirects to is signed with this role, for 5 minutes.
    grantObjectAccess(this.download.function, bucket, ['s3:GetObject'], PREFIXES.reports);

    this.deliver = new RevperfFunction(this, 'Deliver', {
      name: 'deliver',
      repoRoot,
      description: 'revperf: one delivery job from the queue; renders one report for one scope and e-mails its recipients',
      // One job parses the report data (78 MB of JSON at 100k deals, e2e benchmark) and renders one scope: the pack
      // benchmark renders the 200k-deal pack in 485–578 MB peak RSS; 2048 MB leaves ~2× for both together.
      memorySize: 2048,
      // e2e benchmark: 602 reports rendered in 147 s at 100k deals, 0.24 s a job on average; a team pack takes seconds.
      timeout: DELIVER_TIMEOUT,
      chartAssets: true,
      // With the event source's maxConcurrency at the same number, SQS is never polled beyond
      // what is reserved, so jobs are not throttled back into the queue (which would count as receives).
      reservedConcurrentExecutions: DELIVER_CONCURRENCY,
      environment: {
        ...environment,
        // Large workbooks are mailed as links to the download function, signed with the key in this secret.
        DOWNLOAD_URL: this.download.functionUrl.url,
        DOWNLOAD_SECRET_ARN: this.download.linkKey.secretArn,
      },
      config,
      alarmTopic: this.alarmTopic,
      sourceDeadLetterQueue: this.deliveryDeadLetterQueue,
    });
    this.deliver.function.addEventSource(
      new SqsEventSource(this.deliveryQueue, {
        // One job per invocation: a failing scope is retried on its own.
        batchSize: 1,
        reportBatchItemFailures: true,
        maxConcurrency: DELIVER_CONCURRENCY,
      }),
    );
    // Reads the report data dispatch stored, writes the workbooks and run records next to it.
    grantObjectAccess(this.deliver, bucket, ['s3:GetObject', 's3:PutObject'], PREFIXES.reports);
    // Signs the download links: a URL presigned with this role's session credentials could stop
    // working hours before mail.linkExpiryHours, a link signed with this key does not.
    this.download.grantLinkKeyRead(this.deliver);
    grantTableAccess(this.deliver, table, 'deliver');
    grantSendAs(this.deliver.role, config.mail);
    acknowledgeQueueEventSource(this.deliver, DELIVERY_MAX_RECEIVE_COUNT, 'delivery dead-letter queue');

    this.deliveryAlarms = new DeliveryAlarms(this, 'DeliveryAlarms', {
      alarmTopic: this.alarmTopic,
      dispatch: this.dispatch.function,
      staleDealUploadDays: config.alarms.staleDealUploadDays,
    });

    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarmTopic.topicArn,
      description:
        'Subscribe the operators of revperf (e-mail, chat) to this topic to hear about failed ingests, dispatches and deliveries',
    });
    new CfnOutput(this, 'DownloadUrl', {
      value: this.download.functionUrl.url,
      description: 'The download function: large reports are mailed as signed links to it, valid for mail.linkExpiryHours',
    });
    this.outputFunctionNames();
    new CfnOutput(this, 'IngestQueueUrl', {
      value: this.ingestQueue.queueUrl,
      description: 'Upload notifications (S3 ObjectCreated under uploads/) waiting for the ingest function',
    });
    new CfnOutput(this, 'IngestDeadLetterQueueUrl', {
      value: this.ingestDeadLetterQueue.queueUrl,
      description: 'Uploads whose ingest failed every attempt; fix the cause, then: revperf replay-failed (REVPERF_INGEST_DLQ_URL)',
    });
    new CfnOutput(this, 'DeliveryQueueUrl', {
      value: this.deliveryQueue.queueUrl,
      description: 'Delivery jobs (one per report × scope) queued by dispatch for the deliver worker',
    });
    new CfnOutput(this, 'DeliveryDeadLetterQueueUrl', {
      value: this.deliveryDeadLetterQueue.queueUrl,
      description: 'Delivery jobs that failed every attempt; inspect them, then redrive them to the delivery queue',
    });
  }

  /** The functions' names, for `aws lambda invoke` and `aws logs tail /aws/lambda/<name>`. */
  private outputFunctionNames(): void {
    const functions: [string, RevperfFunction, string][] = [
      ['IngestFunctionName', this.ingest, 'ingest: reads each upload into the table and writes its ingest report'],
      ['DispatchFunctionName', this.dispatch, 'dispatch: the daily tick (metrics, snapshots, delivery jobs)'],
      ['DeliverFunctionName', this.deliver, 'deliver: renders and mails one report × scope per job'],
      ['DownloadFunctionName', this.download.function, 'download: redirects signed links to large workbooks'],
    ];
    for (const [id, fn, what] of functions) new CfnOutput(this, id, { value: fn.function.functionName, description: `The revperf ${what}` });
  }

  /**
   * CloudWatch alarms cannot publish to a topic encrypted with the AWS managed
   * SNS key (its policy cannot grant CloudWatch), so the topic has its own key.
   */
  private createAlarmTopic(): Topic {
    const key = new Key(this, 'AlarmTopicKey', {
      description: 'revperf alarm topic encryption',
      enableKeyRotation: true,
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    const topic = new Topic(this, 'AlarmTopic', { displayName: 'revperf alarms', masterKey: key, enforceSSL: true });
    // enforceSSL gives the topic a policy of its own, which replaces SNS's default one, and the
    // default is what let CloudWatch publish: without this statement no alarm would reach anyone.
    topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account },
          // Alarm names are generated by CloudFormation, so every alarm of this account and region.
          ArnLike: {
            'aws:SourceArn': this.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    return topic;
  }

  /**
   * The queue of delivery jobs and its dead-letter queue. A job is received by
   * deliver at most DELIVERY_MAX_RECEIVE_COUNT times (the send ledger makes a
   * retry send only what is not marked sent), then waits in the dead-letter
   * queue, alarmed, for an operator.
   */
  private createDeliveryQueue(): { queue: Queue; deadLetterQueue: Queue } {
    return this.createWorkQueue('Delivery', {
      functionTimeout: DELIVER_TIMEOUT,
      maxReceiveCount: DELIVERY_MAX_RECEIVE_COUNT,
      alarmName: 'deliver FailedEventsAlarm',
    });
  }

  /**
   * A queue feeding a function through an event source mapping, and its
   * dead-letter queue: both encrypted, TLS only, kept 14 days (long enough to
   * outlast an outage over a weekend).
   */
  private createWorkQueue(
    name: 'Ingest' | 'Delivery',
    { functionTimeout, maxReceiveCount, alarmName }: { functionTimeout: Duration; maxReceiveCount: number; alarmName: string },
  ): { queue: Queue; deadLetterQueue: Queue } {
    const deadLetterQueue = new Queue(this, `${name}DeadLetterQueue`, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // A dead-lettered message keeps its first enqueue time, so this must be at least the source queue's retention.
      retentionPeriod: Duration.days(14),
    });
    const queue = new Queue(this, `${name}Queue`, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's advice for a Lambda event source: at least six times the function timeout, so a
      // message still being worked on (or retried after throttling) is not handed to a second worker.
      visibilityTimeout: Duration.seconds(functionTimeout.toSeconds() * 6),
      retentionPeriod: Duration.days(14),
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount },
    });
    const terminalQueueReason = `This is the dead-letter queue of the ${name.toLowerCase()} queue: nothing consumes it automatically, an operator inspects and redrives its messages after the ${alarmName} fires, so a redrive policy to yet another queue would only move the same messages.`;
    Validations.of(deadLetterQueue).acknowledge(
      { id: 'AwsSolutions-SQS3', reason: terminalQueueReason },
      { id: 'Serverless-SQSRedrivePolicy', reason: terminalQueueReason },
    );
    return { queue, deadLetterQueue };
  }

  /**
   * Uploads waiting too long in the ingest queue, and an ingest close to its
   * timeout. (No Throttles alarm: nothing reserves ingest's concurrency, the
   * event source's maxConcurrency holds a burst back in the queue instead.)
   */
  private alarmOnIngestBacklog(): void {
    const alarms = [
      new Alarm(this, 'IngestQueueAgeAlarm', {
        metric: this.ingestQueue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: 'Maximum' }),
        threshold: INGEST_QUEUE_AGE_ALARM.toSeconds(),
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: `revperf ingest: an upload has waited ${INGEST_QUEUE_AGE_ALARM.toMinutes()} minutes or more in the ingest queue (a burst larger than ${INGEST_CONCURRENCY} ingests at once can drain, or an ingest failing and being retried)`,
      }),
      new Alarm(this, 'IngestDurationAlarm', {
        metric: this.ingest.function.metricDuration({ period: Duration.minutes(5), statistic: 'Maximum' }),
        threshold: INGEST_TIMEOUT.toMilliseconds() * INGEST_DURATION_ALARM_SHARE,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: `revperf ingest: an ingest ran ${Math.round(INGEST_DURATION_ALARM_SHARE * 100)}% or more of its ${INGEST_TIMEOUT.toMinutes()}-minute timeout; larger uploads will time out (split the export, or raise the timeout and the queue's visibility timeout with it)`,
      }),
    ];
    for (const alarm of alarms) alarm.addAlarmAction(new SnsAction(this.alarmTopic));
  }

  /**
   * One S3 notification per rule of the shared bucket layout, each to the
   * queue in front of its function (S3 → SQS → Lambda: a failed upload is
   * retried by the queue and dead-lettered where an operator can replay it).
   * The notifications are configured on an imported handle of the bucket:
   * configured on the bucket construct itself they would live in the data
   * stack and point back at this stack's queue, a dependency cycle between the two stacks.
   */
  private notifyOnUploads(bucket: IBucket, targets: Record<NotifiedFunction, IQueue>): void {
    const notifiedBucket = Bucket.fromBucketAttributes(this, 'NotifiedBucket', {
      bucketArn: bucket.bucketArn,
      bucketName: bucket.bucketName,
    });
    for (const rule of NOTIFICATION_RULES) {
      notifiedBucket.addEventNotification(EventType.OBJECT_CREATED, new SqsDestination(targets[rule.function]), {
        prefix: rule.prefix,
        ...(rule.suffix !== undefined ? { suffix: rule.suffix } : {}),
      });
    }
    acknowledgeNotificationsHandler(this);
  }

  private scheduleDailyDispatch(config: RevperfConfig): void {
    const [hour, minute] = config.schedule.dailyAt.split(':');
    const dispatch = this.dispatch.function;
    const role = new Role(this, 'DailyDispatchRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
      description: 'EventBridge Scheduler: invokes the revperf dispatch function',
    });
    new Schedule(this, 'DailyDispatch', {
      description: `revperf daily dispatch at ${config.schedule.dailyAt} ${config.org.timeZone}`,
      schedule: ScheduleExpression.cron({
        minute: String(Number(minute)),
        hour: String(Number(hour)),
        timeZone: TimeZone.of(config.org.timeZone),
      }),
      target: new LambdaInvoke(dispatch, {
        role,
        // The intended tick time, so a late retry still reports "as of" the right day.
        input: ScheduleTargetInput.fromObject({ source: 'revperf.schedule', scheduledTime: ContextAttribute.scheduledTime }),
        // A tick the scheduler could not deliver lands with the dispatch function's own failed
        // invocations: one queue, one alarm for "the daily run did not happen".
        deadLetterQueue: this.dispatch.failureQueue,
        retryAttempts: 3,
        maxEventAge: Duration.hours(2),
      }),
    });
    const dispatchLogicalId = this.getLogicalId(dispatch.node.defaultChild as CfnFunction);
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${dispatchLogicalId}.Arn>:*]`,
      reason:
        'CDK grants lambda:InvokeFunction on the dispatch function and on its qualified ARNs (<function ARN>:*, its versions and aliases); the wildcard covers only qualifiers of this one function.',
    });
  }
}

/**
 * SES sending limited to the configured sender: the two send actions, on the
 * SES identities concerned only, and only with mail.from as the From address.
 */
export function grantSendAs(role: Role, mail: Pick<RevperfConfig['mail'], 'from' | 'allowedDomains'>): void {
  const stack = Stack.of(role);
  const fromDomain = mail.from.slice(mail.from.lastIndexOf('@') + 1).toLowerCase();
  // SES authorises a send against the verified identity that covers the From address (the address
  // itself or its domain) and, while the account is in the SES sandbox, against the recipients'
  // verified identities too: hence the allowed recipient domains.
  const identities = [...new Set([mail.from, fromDomain, ...mail.allowedDomains])];
  role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'SendAsRevperfSender',
      effect: Effect.ALLOW,
      actions: ['ses:SendEmail', 'ses:SendRawEmail'],
      resources: identities.map((identity) =>
        stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }),
      ),
      conditions: { StringEquals: { 'ses:FromAddress': mail.from } },
    }),
  );
}

/** Object-level access under one prefix only: ingest cannot read reports, dispatch cannot read uploads. */
function grantObjectAccess(grantee: RevperfFunction, bucket: IBucket, actions: string[], prefix: string): void {
  grantee.role.addToPrincipalPolicy(
    new PolicyStatement({ effect: Effect.ALLOW, actions, resources: [bucket.arnForObjects(`${prefix}*`)] }),
  );
  // cdk-nag names the resource by the export the bucket ARN is imported through.
  Validations.of(grantee.role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${exportNameOf(bucket.bucketArn, bucket)}/${prefix}*]`,
    reason: `Access is limited to objects under ${prefix} in the revperf bucket; IAM can express "every object under a prefix" only with a trailing wildcard.`,
  });
}

/** The name of the CloudFormation export CDK creates (or reuses) for a value of another stack. */
function exportNameOf(value: string, producer: IBucket): string {
  const producerStack = Stack.of(producer);
  const imported = producerStack.resolve(producerStack.exportValue(value)) as { 'Fn::ImportValue': string };
  return imported['Fn::ImportValue'];
}

/**
 * Reads (GetItem, Query) on the table and each of its indexes by name, so no
 * index wildcard is needed; writes on the table only, and only to the item
 * families this function owns: a `dynamodb:LeadingKeys` condition on the
 * partition key of every item written (BatchWriteItem's included), so, e.g.,
 * dispatch cannot touch a deal or the ingest ledger, and ingest cannot forge a send.
 */
function grantTableAccess(grantee: RevperfFunction, table: ITable, writer: TableWriter): void {
  grantee.role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'ReadTableAndIndexes',
      effect: Effect.ALLOW,
      actions: [...TABLE_READ_ACTIONS],
      resources: [table.tableArn, ...ALL_INDEXES.map((index) => `${table.tableArn}/index/${index.name}`)],
    }),
  );
  grantee.role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: `Write${writer.charAt(0).toUpperCase()}${writer.slice(1)}Items`,
      effect: Effect.ALLOW,
      actions: [...TABLE_WRITE_ACTIONS[writer]],
      resources: [table.tableArn],
      // ForAllValues: every item of a request must be in one of the families (a request always names its keys).
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...TABLE_WRITE_PARTITIONS[writer]] } },
    }),
  );
}

/**
 * cdk-nag's Serverless pack wants an on-failure destination on every event
 * source mapping; Lambda supports one only for stream and Kafka sources, not SQS.
 */
function acknowledgeQueueEventSource(grantee: RevperfFunction, maxReceiveCount: number, deadLetterQueue: string): void {
  const mappings = grantee.function.node.children.filter((child) => child instanceof EventSourceMapping);
  if (mappings.length !== 1) throw new Error(`expected one event source mapping on ${grantee.node.path}, found ${mappings.length}`);
  Validations.of(mappings[0]!).acknowledge({
    id: 'Serverless-LambdaEventSourceMappingDestination',
    reason:
      `Lambda supports an on-failure destination only for stream and Kafka event sources; for an SQS source the queue redrive policy is the failure destination: after ${maxReceiveCount} receives a message moves to the encrypted ${deadLetterQueue}, which is alarmed.`,
  });
}

/**
 * CDK configures bucket notifications through a singleton custom-resource
 * function (BucketNotificationsHandler…) whose role revperf does not control;
 * its finding is acknowledged on that construct only.
 */
function acknowledgeNotificationsHandler(stack: Stack): void {
  const handler = stack.node.children.find((child) => child.node.id.startsWith('BucketNotificationsHandler'));
  if (handler === undefined) throw new Error('expected CDK to create the BucketNotificationsHandler singleton');
  Validations.of(handler).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason:
      "CDK's BucketNotificationsHandler custom resource (it only calls Get/PutBucketNotification on the revperf bucket, through the bucket-scoped HandlerPolicy CDK attaches, during deployment) gets this managed policy for its logs from CDK's NotificationsResourceHandler, which adds it to whatever role it runs with, a role passed as notificationsHandlerRole included; an immutable role would keep the managed policy off but would also drop that HandlerPolicy and break the notifications.",
  });
}
