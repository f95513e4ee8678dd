// A revperf Lambda function with the defaults every revperf function shares:
// Node.js 22 on arm64, bundled locally by esbuild as ESM, active tracing, its
// own log group with a retention, a least-privilege role (no AWS managed
// policies), a failure queue and alarms. A function invoked asynchronously
// (the scheduler) gets its own failure queue as on-failure
// destination; a function fed by an SQS queue is handed that queue's
// dead-letter queue instead. Either way a failed event lands somewhere an
// alarm watches, so the failure queue is not optional.
import { join } from 'node:path';
import { Duration, Validations, type Size } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Effect, Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, type CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BUNDLED_CONFIG_FILE } from '../../shared/config/bundled-config.js';
import type { RevperfConfig } from '../../shared/config/schema.js';
import { FUNCTION_BUNDLING } from './function-bundling.js';

export const FUNCTION_RUNTIME = Runtime.NODEJS_22_X;

/**
 * Files the chart renderer reads at run time (shared/reports/charts/chart-assets.ts
 * looks for them in a `chart-assets/` folder next to the bundle), relative to the
 * repository root. esbuild cannot inline a wasm module or a font read from disk.
 */
export const CHART_ASSET_SOURCES = [
  'node_modules/@resvg/resvg-wasm/index_bg.wasm',
  'shared/reports/charts/fonts/DejaVuSans.ttf',
  'shared/reports/charts/fonts/DejaVuSans-Bold.ttf',
  'shared/reports/charts/fonts/LICENSE',
] as const;
export const CHART_ASSETS_FOLDER = 'chart-assets';

function shellQuote(path: string): string {
  return `'${path.replace(/'/g, `'\\''`)}'`;
}

/** The afterBundling commands that copy CHART_ASSET_SOURCES next to the bundle. */
export function chartAssetCommands(inputDir: string, outputDir: string): string[] {
  const target = join(outputDir, CHART_ASSETS_FOLDER);
  return [
    `mkdir -p ${shellQuote(target)}`,
    ...CHART_ASSET_SOURCES.map((source) => `cp ${shellQuote(join(inputDir, source))} ${shellQuote(target)}/`),
  ];
}

/**
 * The afterBundling command that writes the validated config next to the
 * bundle (functions/runtime.ts reads it at cold start). Shell-quoted JSON on
 * one line: JSON.stringify never emits a raw newline.
 */
export function bundledConfigCommands(outputDir: string, config: RevperfConfig): string[] {
  return [`printf '%s' ${shellQuote(JSON.stringify(config))} > ${shellQuote(join(outputDir, BUNDLED_CONFIG_FILE))}`];
}

export interface RevperfFunctionProps {
  /** The folder under functions/ holding handler.ts; also the function's name in logs and metrics. */
  name: string;
  /** Absolute path of the repository root (entry files and the lockfile are found from it). */
  repoRoot: string;
  description: string;
  memorySize: number;
  timeout: Duration;
  ephemeralStorageSize?: Size;
  reservedConcurrentExecutions?: number;
  environment: Record<string, string>;
  /** Where this function's alarms notify. */
  alarmTopic: ITopic;
  /** The function draws charts: ship the resvg wasm and the fonts with it (~4 MB, so only where needed). */
  chartAssets?: boolean;
  /**
   * The validated config, shipped inside the function's asset as
   * revperf.config.json next to index.mjs (not in the environment, which
   * Lambda caps at 4 KB). Changing it changes the asset, so a deploy updates the code.
   */
  config?: RevperfConfig;
  /**
   * The function is fed by an SQS queue (an event source mapping), not invoked
   * asynchronously: pass that queue's dead-letter queue. It becomes this
   * function's failureQueue (alarmed like any other), and no on-failure
   * destination is configured, since SQS-fed invocations never use one.
   */
  sourceDeadLetterQueue?: Queue;
  /**
   * Alarm on throttles (default). Off for a function fed by an event source
   * with maxConcurrency and no reserved concurrency: nothing should throttle
   * it, and its backlog is alarmed on the queue instead.
   */
  alarmOnThrottles?: boolean;
}

export class RevperfFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  /** Events whose invocation still failed after every retry: Lambda's (asynchronous) or the source queue's redrive. */
  readonly failureQueue: Queue;
  /**
   * X-Ray's two actions on "*", in a policy of their own: the only statement
   * with a "*" resource, so its cdk-nag acknowledgement covers it and nothing
   * else the role is granted.
   */
  readonly xrayPolicy: Policy;

  constructor(scope: Construct, id: string, props: RevperfFunctionProps) {
    super(scope, id);

    const logGroup = new LogGroup(this, 'LogGroup', { retention: RetentionDays.THREE_MONTHS });

    // An explicit role instead of AWSLambdaBasicExecutionRole: it may write to
    // its own log group only, not create log groups anywhere.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `revperf ${props.name} function`,
    });
    logGroup.grantWrite(this.role);

    const fedByQueue = props.sourceDeadLetterQueue !== undefined;
    this.failureQueue =
      props.sourceDeadLetterQueue ??
      new Queue(this, 'FailureQueue', {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });

    this.function = new NodejsFunction(this, 'Function', {
      entry: join(props.repoRoot, 'functions', props.name, 'handler.ts'),
      handler: 'handler',
      projectRoot: props.repoRoot,
      depsLockFilePath: join(props.repoRoot, 'package-lock.json'),
      description: props.description,
      runtime: FUNCTION_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      ...(props.ephemeralStorageSize ? { ephemeralStorageSize: props.ephemeralStorageSize } : {}),
      ...(props.reservedConcurrentExecutions !== undefined
        ? { reservedConcurrentExecutions: props.reservedConcurrentExecutions }
        : {}),
      role: this.role,
      logGroup,
      // Tracing is switched on below, not with `tracing`: that would add X-Ray's "*" statement to the role's
      // default policy, next to every other grant, where an acknowledgement could not tell them apart.
      ...(fedByQueue ? {} : { onFailure: new SqsDestination(this.failureQueue), retryAttempts: 2 }),
      environment: {
        ...props.environment,
        POWERTOOLS_SERVICE_NAME: `revperf-${props.name}`,
        POWERTOOLS_METRICS_NAMESPACE: 'revperf',
        LOG_LEVEL: 'INFO',
      },
      bundling: {
        ...FUNCTION_BUNDLING,
        mainFields: [...FUNCTION_BUNDLING.mainFields],
        externalModules: [],
        ...(props.chartAssets || props.config
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (inputDir: string, outputDir: string) => [
                  ...(props.chartAssets ? chartAssetCommands(inputDir, outputDir) : []),
                  ...(props.config ? bundledConfigCommands(outputDir, props.config) : []),
                ],
              },
            }
          : {}),
      },
    });

    this.xrayPolicy = new Policy(this, 'XRayPolicy', {
      roles: [this.role],
      statements: [
        new PolicyStatement({
          sid: 'XRayTracing',
          effect: Effect.ALLOW,
          actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
          resources: ['*'],
        }),
      ],
    });
    const cfnFunction = this.function.node.defaultChild as CfnFunction;
    cfnFunction.tracingConfig = { mode: 'Active' };
    // The first invocation may already trace: the function is created after its X-Ray grant.
    cfnFunction.node.addDependency(this.xrayPolicy);

    this.alarmOn(props.alarmTopic, 'ErrorsAlarm', this.function.metricErrors({ period: Duration.minutes(5) }), {
      description: `revperf ${props.name}: the function reported errors (each is retried; see the logs)`,
    });
    if (props.alarmOnThrottles ?? true) {
      this.alarmOn(props.alarmTopic, 'ThrottlesAlarm', this.function.metricThrottles({ period: Duration.minutes(5) }), {
        description: `revperf ${props.name}: invocations were throttled`,
      });
    }
    this.alarmOn(
      props.alarmTopic,
      'FailedEventsAlarm',
      this.failureQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      {
        description: fedByQueue
          ? `revperf ${props.name}: messages failed every attempt and wait in the dead-letter queue of the queue that feeds the function`
          : `revperf ${props.name}: events failed after all retries and wait in the failure queue`,
      },
    );

    this.acknowledgeFindings(fedByQueue);
  }

  private alarmOn(topic: ITopic, id: string, metric: IMetric, { description }: { description: string }): void {
    const alarm = new Alarm(this, id, {
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(new SnsAction(topic));
  }

  private acknowledgeFindings(fedByQueue: boolean): void {
    Validations.of(this.xrayPolicy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active X-Ray tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions (the service authorization reference lists no resource types), so "*" is the only possible resource.',
    });
    const runtimeReason =
      'revperf pins Node.js 22 (nodejs22.x): the bundle is built with esbuild target node22, and test/integration/lambda-bundle.test.ts runs that same bundle against the emulators; moving to a newer runtime is a deliberate, tested upgrade rather than an automatic one.';
    Validations.of(this.function).acknowledge(
      { id: 'AwsSolutions-L1', reason: runtimeReason },
      { id: 'Serverless-LambdaLatestVersion', reason: runtimeReason },
      {
        id: 'Serverless-LambdaDLQ',
        reason: fedByQueue
          ? "This function is invoked only by an SQS event source mapping, never asynchronously, and a function's DeadLetterConfig applies to asynchronous invocations only; a message that keeps failing is moved by the source queue's redrive policy to its dead-letter queue, which is alarmed."
          : 'Failed asynchronous invocations go to an on-failure destination (EventInvokeConfig → the encrypted FailureQueue), which records the event together with the error and request context; a DeadLetterConfig would be a second, poorer copy of the same events.',
      },
    );
    // A dead-letter queue handed in belongs to the caller, who acknowledges its findings.
    if (fedByQueue) return;
    const terminalQueueReason =
      'This queue is itself the terminal failure destination of the function: nothing consumes it automatically, an operator inspects and replays its messages after the FailedEventsAlarm fires, so a redrive to yet another queue would only move the same messages.';
    Validations.of(this.failureQueue).acknowledge(
      { id: 'AwsSolutions-SQS3', reason: terminalQueueReason },
      { id: 'Serverless-SQSRedrivePolicy', reason: terminalQueueReason },
    );
  }
}
