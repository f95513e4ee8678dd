// The compute half of revperf: the ingest function behind the bucket's upload
// notifications, the dispatch function behind the daily schedule, and the
// alarms that tell an operator when either fails.
import {
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
import type { CfnFunction, IFunction } from 'aws-cdk-lib/aws-lambda';
import { Bucket, EventType, type IBucket } from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { NOTIFICATION_RULES, PREFIXES, type NotifiedFunction } from '../shared/adapters/bucket-layout.js';
import { ALL_INDEXES } from '../shared/adapters/table-design.js';
import type { RevperfConfig } from '../shared/config/schema.js';
import { RevperfFunction } from './constructs/revperf-function.js';

export interface ReportingStackProps extends StackProps {
  bucket: IBucket;
  table: ITable;
  /** The validated config; handed to the functions as REVPERF_CONFIG. */
  config: RevperfConfig;
  /** Absolute path of the repository root (the functions' entry files live under it). */
  repoRoot: string;
}

/**
 * Lambda allows 4 KB of environment variables in total; the config gets most of
 * it and the few other variables (names, Powertools settings) the rest.
 */
export const MAX_CONFIG_ENV_BYTES = 3_400;

/** Item reads and writes the functions make; deliberately no Scan: no report path may read the whole table. */
const TABLE_ITEM_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:DescribeTable',
];

export class ReportingStack extends Stack {
  readonly ingest: RevperfFunction;
  readonly dispatch: RevperfFunction;
  readonly alarmTopic: Topic;

  constructor(scope: Construct, id: string, props: ReportingStackProps) {
    super(scope, id, props);
    const { bucket, table, config, repoRoot } = props;
    // Strong (CloudFormation exports) on purpose: the data stack must not be
    // able to drop the bucket or table while these functions still use them.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);

    this.alarmTopic = this.createAlarmTopic();
    const environment = {
      TABLE_NAME: table.tableName,
      BUCKET_NAME: bucket.bucketName,
      REVPERF_CONFIG: configEnvironmentValue(config),
    };

    this.ingest = new RevperfFunction(this, 'Ingest', {
      name: 'ingest',
      repoRoot,
      description: 'revperf: reads a CRM export uploaded under uploads/ into the table and writes its ingest report',
      memorySize: 2048,
      timeout: Duration.minutes(15),
      // XLSX uploads are spooled to /tmp before their zip entries are streamed.
      ephemeralStorageSize: Size.gibibytes(4),
      // A burst of uploads queues as asynchronous events instead of fanning out against the table.
      reservedConcurrentExecutions: 10,
      environment,
      alarmTopic: this.alarmTopic,
    });
    grantObjectAccess(this.ingest, bucket, ['s3:GetObject', 's3:GetObjectVersion'], PREFIXES.uploads);
    grantObjectAccess(this.ingest, bucket, ['s3:PutObject'], PREFIXES.ingestReports);
    grantTableAccess(this.ingest, table);
    this.notifyOnUploads(bucket, { ingest: this.ingest.function });

    this.dispatch = new RevperfFunction(this, 'Dispatch', {
      name: 'dispatch',
      repoRoot,
      description: 'revperf: daily tick; computes the metrics, writes snapshots and exports, renders the reports due today',
      // The pre-review pack of a large org (500 reps, 200k deals) peaks near 512 MB and renders in ~15 s (bench/RESULTS.md).
      memorySize: 2048,
      timeout: Duration.minutes(10),
      chartAssets: true,
      environment,
      alarmTopic: this.alarmTopic,
    });
    grantObjectAccess(this.dispatch, bucket, ['s3:PutObject'], PREFIXES.metrics);
    grantObjectAccess(this.dispatch, bucket, ['s3:PutObject'], PREFIXES.reports);
    grantTableAccess(this.dispatch, table);
    this.scheduleDailyDispatch(config);

    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarmTopic.topicArn,
      description: 'Subscribe the operators of revperf (e-mail, chat) to this topic to hear about failed ingests and dispatches',
    });
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
    return new Topic(this, 'AlarmTopic', { displayName: 'revperf alarms', masterKey: key, enforceSSL: true });
  }

  /**
   * One S3 notification per rule of the shared bucket layout. The notifications
   * are configured on an imported handle of the bucket: configured on the bucket
   * construct itself they would live in the data stack and point back at this
   * stack's function, a dependency cycle between the two stacks.
   */
  private notifyOnUploads(bucket: IBucket, targets: Record<NotifiedFunction, IFunction>): void {
    const notifiedBucket = Bucket.fromBucketAttributes(this, 'NotifiedBucket', {
      bucketArn: bucket.bucketArn,
      bucketName: bucket.bucketName,
    });
    for (const rule of NOTIFICATION_RULES) {
      notifiedBucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(targets[rule.function]), {
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

/** The validated config as the functions read it; fails synth if Lambda's environment limit would reject it. */
export function configEnvironmentValue(config: RevperfConfig): string {
  const value = JSON.stringify(config);
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > MAX_CONFIG_ENV_BYTES) {
    throw new Error(
      `revperf.config.json is ${bytes} bytes once validated; Lambda environment variables allow about ${MAX_CONFIG_ENV_BYTES} for it (4 KB in total). Shorten stage rules, mappings or key-account names.`,
    );
  }
  return value;
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

/** The table and each of its indexes by name, so no index wildcard is needed. */
function grantTableAccess(grantee: RevperfFunction, table: ITable): void {
  grantee.role.addToPrincipalPolicy(
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: TABLE_ITEM_ACTIONS,
      resources: [table.tableArn, ...ALL_INDEXES.map((index) => `${table.tableArn}/index/${index.name}`)],
    }),
  );
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
      "CDK's BucketNotificationsHandler custom resource (it only calls Get/PutBucketNotification on the revperf bucket during deployment) is created by CDK with this managed policy for its logs, and CDK offers no way to replace its role.",
  });
}
