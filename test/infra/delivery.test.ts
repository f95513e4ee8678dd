// Assertions on the delivery half of the reporting stack, synthesized from the
// example config as `cdk synth` builds it: the job queue and its dead-letter
// queue, the deliver worker and its event source, the sending role limited by
// ses:FromAddress, the alarm topic's policy for CloudWatch and the alarms.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IConstruct } from 'constructs';
import { SEND_LEASE_MS } from '../../shared/adapters/send-ledger.js';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CloudWatchMetrics } from '../../functions/cloudwatch-metrics.js';
import { addRevperfStacks, REPO_ROOT, type RevperfStacks } from '../../infra/app.js';
import { DeliveryAlarms } from '../../infra/constructs/delivery-alarms.js';
import { CHART_ASSETS_FOLDER } from '../../infra/constructs/revperf-function.js';
import { EXAMPLE_CONFIG_FILE, loadConfig } from '../../infra/load-config.js';
import { grantSendAs } from '../../infra/reporting-stack.js';
import { parseConfig } from '../../shared/config/schema.js';
import { BUNDLED_CONFIG_FILE } from '../../shared/config/bundled-config.js';
import { functionAssetDir } from '../support/function-asset.js';
import { DELIVERY_METRICS } from '../../shared/delivery/delivery-job.js';
import { METRIC_DIMENSIONS } from '../../shared/delivery/metric-dimensions.js';

type Json = Record<string, any>;

/** Bundling the functions with esbuild and synthesizing takes seconds, more on a loaded CI runner. */
const SYNTH_TIMEOUT_MS = 120_000;
const CDK_CONTEXT = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')).context as Json;
const exampleConfig = loadConfig({ repoRoot: REPO_ROOT, contextPath: EXAMPLE_CONFIG_FILE }).config;

function logicalIdOf(construct: IConstruct): string {
  const child = construct.node.defaultChild as IConstruct & { logicalId: string };
  return Stack.of(construct).resolve(child.logicalId) as string;
}

function asList<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

function resourcesOf(template: Template, type: string): Json[] {
  return Object.values(template.findResources(type));
}

/** Every Allow/Deny statement of every IAM policy in the template, with the roles it is attached to. */
function policyStatements(template: Template): { roles: string[]; statement: Json }[] {
  return resourcesOf(template, 'AWS::IAM::Policy').flatMap((policy) =>
    (policy.Properties.PolicyDocument.Statement as Json[]).map((statement) => ({
      roles: (policy.Properties.Roles as Json[]).map((role) => role.Ref as string),
      statement,
    })),
  );
}

/** An ARN built by formatArn as Fn::Join, rendered with placeholders: arn:${Partition}:ses:${Region}:… */
function renderArn(value: Json | string): string {
  if (typeof value === 'string') return value;
  const parts = value['Fn::Join'][1] as (string | Json)[];
  return parts.map((part) => (typeof part === 'string' ? part : `\${${String(part.Ref).replace('AWS::', '')}}`)).join('');
}

describe('delivery in the reporting stack synthesized from the example config', () => {
  let app: App;
  let stacks: RevperfStacks;
  let reporting: Template;
  let resources: Json;
  beforeAll(() => {
    app = new App({
      context: CDK_CONTEXT,
      outdir: mkdtempSync(join(tmpdir(), 'revperf-delivery-')),
      builtinCloudFormationValidation: false,
    });
    stacks = addRevperfStacks(app, exampleConfig, { nag: false });
    reporting = Template.fromStack(stacks.reporting);
    resources = reporting.toJSON().Resources as Json;
  }, SYNTH_TIMEOUT_MS);
  afterAll(() => {
    if (app) rmSync(app.outdir, { recursive: true, force: true });
  });

  const deliverProps = () => resources[logicalIdOf(stacks.reporting.deliver.function)].Properties as Json;

  describe('the delivery queue', () => {
    it('is encrypted, TLS-only, and moves a job to its own dead-letter queue after 3 receives', () => {
      const queueId = logicalIdOf(stacks.reporting.deliveryQueue);
      const deadLetterId = logicalIdOf(stacks.reporting.deliveryDeadLetterQueue);
      const queue = resources[queueId].Properties as Json;
      expect(queue.SqsManagedSseEnabled).toBe(true);
      expect(queue.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterId, 'Arn'] }, maxReceiveCount: 3 });
      const deadLetter = resources[deadLetterId].Properties as Json;
      expect(deadLetter.SqsManagedSseEnabled).toBe(true);
      expect(deadLetter.RedrivePolicy).toBeUndefined();
      // A dead-lettered job keeps its first enqueue time: the DLQ must keep it at least as long.
      expect(deadLetter.MessageRetentionPeriod).toBe(14 * 24 * 3600);
      expect(deadLetter.MessageRetentionPeriod).toBeGreaterThanOrEqual(queue.MessageRetentionPeriod);
      for (const id of [queueId, deadLetterId]) {
        reporting.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [{ Ref: id }],
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            ]),
          },
        });
      }
    });

    it('keeps a job invisible for at least 6 times the worker timeout', () => {
      const queue = resources[logicalIdOf(stacks.reporting.deliveryQueue)].Properties as Json;
      expect(deliverProps().Timeout).toBe(600);
      expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(6 * deliverProps().Timeout);
      // A worker that died mid-send left a claim; the retry comes after the visibility timeout and must find
      // that claim older than the ledger's lease, so it is reported (not taken for a send still in flight).
      expect(queue.VisibilityTimeout * 1000).toBeGreaterThan(SEND_LEASE_MS);
      expect(deliverProps().Timeout * 1000).toBeLessThan(SEND_LEASE_MS);
    });

    it('is fed by dispatch, which gets its URL and may only send to it', () => {
      const queueId = logicalIdOf(stacks.reporting.deliveryQueue);
      const dispatch = resources[logicalIdOf(stacks.reporting.dispatch.function)].Properties as Json;
      expect(dispatch.Environment.Variables.DELIVERY_QUEUE_URL).toEqual({ Ref: queueId });
      const onQueue = policyStatements(reporting).filter(({ statement }) =>
        asList(statement.Resource as Json | Json[]).some((r) => JSON.stringify(r) === JSON.stringify({ 'Fn::GetAtt': [queueId, 'Arn'] })),
      );
      const dispatchRole = logicalIdOf(stacks.reporting.dispatch.role);
      const deliverRole = logicalIdOf(stacks.reporting.deliver.role);
      const actionsOf = (role: string) =>
        onQueue.filter(({ roles }) => roles.includes(role)).flatMap(({ statement }) => asList(statement.Action as string | string[]));
      expect(actionsOf(dispatchRole)).toEqual(['sqs:SendMessage']);
      expect(actionsOf(deliverRole).sort()).toEqual(
        ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'].sort(),
      );
      expect(onQueue.every(({ roles }) => roles.every((role) => [dispatchRole, deliverRole].includes(role)))).toBe(true);
    });
  });

  describe('the deliver worker', () => {
    it('consumes the queue one job at a time and reports failed jobs individually', () => {
      const mappings = resourcesOf(reporting, 'AWS::Lambda::EventSourceMapping').filter(
        (mapping) => mapping.Properties.EventSourceArn['Fn::GetAtt']?.[0] === logicalIdOf(stacks.reporting.deliveryQueue),
      );
      expect(mappings).toHaveLength(1);
      expect(mappings[0]!.Properties).toMatchObject({
        FunctionName: { Ref: logicalIdOf(stacks.reporting.deliver.function) },
        EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(stacks.reporting.deliveryQueue), 'Arn'] },
        BatchSize: 1,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      // The poller never runs more workers than are reserved, so jobs are not throttled back into the queue.
      const maximum = mappings[0]!.Properties.ScalingConfig.MaximumConcurrency as number;
      expect(maximum).toBeLessThanOrEqual(deliverProps().ReservedConcurrentExecutions);
    });

    it('is sized from the benchmarks (2048 MB, 10 minutes) with a modest reserved concurrency', () => {
      expect(deliverProps()).toMatchObject({ MemorySize: 2048, Timeout: 600, Runtime: 'nodejs22.x', Architectures: ['arm64'] });
      expect(deliverProps().ReservedConcurrentExecutions).toBe(5);
    });

    it('gets the table, the bucket and the config, and no queue URL', () => {
      const env = deliverProps().Environment.Variables as Json;
      const dispatchEnv = (resources[logicalIdOf(stacks.reporting.dispatch.function)].Properties as Json).Environment.Variables as Json;
      expect(env.TABLE_NAME).toEqual(dispatchEnv.TABLE_NAME);
      expect(env.BUCKET_NAME).toEqual(dispatchEnv.BUCKET_NAME);
      expect(env.REVPERF_CONFIG).toBeUndefined();
      expect(JSON.parse(readFileSync(join(functionAssetDir(app, stacks.reporting.deliver.function), BUNDLED_CONFIG_FILE), 'utf8'))).toEqual(exampleConfig);
      expect(env.POWERTOOLS_SERVICE_NAME).toBe('revperf-deliver');
      expect(env.DELIVERY_QUEUE_URL).toBeUndefined();
    });

    it('has no asynchronous failure destination: its failed jobs are the dead-letter queue, which is alarmed', () => {
      expect(stacks.reporting.deliver.failureQueue).toBe(stacks.reporting.deliveryDeadLetterQueue);
      const configs = resourcesOf(reporting, 'AWS::Lambda::EventInvokeConfig');
      expect(configs.map((c) => c.Properties.FunctionName.Ref)).not.toContain(logicalIdOf(stacks.reporting.deliver.function));
      expect(configs).toHaveLength(2); // dispatch and download (ingest and deliver are fed by queues)
      const alarms = resourcesOf(reporting, 'AWS::CloudWatch::Alarm');
      const onDeadLetter = alarms.filter(
        (alarm) =>
          alarm.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' &&
          alarm.Properties.Dimensions[0].Value['Fn::GetAtt'][0] === logicalIdOf(stacks.reporting.deliveryDeadLetterQueue),
      );
      expect(onDeadLetter).toHaveLength(1);
      expect(onDeadLetter[0]!.Properties).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
      const onErrors = alarms.filter(
        (alarm) =>
          alarm.Properties.MetricName === 'Errors' &&
          alarm.Properties.Dimensions[0].Value.Ref === logicalIdOf(stacks.reporting.deliver.function),
      );
      expect(onErrors).toHaveLength(1);
    });

    it('ships the chart assets with its bundle, since it renders the reports', { timeout: SYNTH_TIMEOUT_MS }, () => {
      const assembly = app.synth();
      const assetHash = (deliverProps().Code.S3Key as string).replace(/\.zip$/, '');
      expect(existsSync(join(assembly.directory, `asset.${assetHash}`, CHART_ASSETS_FOLDER))).toBe(true);
    });
  });

  describe('the sending role', () => {
    const sesStatements = () =>
      policyStatements(reporting).filter(({ statement }) =>
        asList(statement.Action as string | string[]).some((action) => action.startsWith('ses:')),
      );

    it('may send only as mail.from: SendEmail/SendRawEmail on the sender identities, conditioned on ses:FromAddress', () => {
      const statements = sesStatements();
      expect(statements).toHaveLength(1);
      const [{ roles, statement }] = statements as [{ roles: string[]; statement: Json }];
      expect(roles).toEqual([logicalIdOf(stacks.reporting.deliver.role)]);
      expect(statement.Effect).toBe('Allow');
      expect(asList(statement.Action).sort()).toEqual(['ses:SendEmail', 'ses:SendRawEmail']);
      expect(statement.Condition).toEqual({ StringEquals: { 'ses:FromAddress': exampleConfig.mail.from } });
      expect(exampleConfig.mail.from).toBe('revperf@northwind-analytics.com');
      expect(asList(statement.Resource as Json[]).map(renderArn).sort()).toEqual([
        'arn:${Partition}:ses:${Region}:${AccountId}:identity/northwind-analytics.com',
        'arn:${Partition}:ses:${Region}:${AccountId}:identity/revperf@northwind-analytics.com',
      ]);
    });

    it('grants no ses:* and no SES action on any resource wildcard, in any statement', () => {
      const everySesGrant = policyStatements(reporting).flatMap(({ statement }) =>
        asList(statement.Action as string | string[])
          .filter((action) => action.toLowerCase().startsWith('ses:'))
          .map((action) => ({ action, resources: asList(statement.Resource as Json | Json[]).map(renderArn) })),
      );
      expect(everySesGrant.map((grant) => grant.action).sort()).toEqual(['ses:SendEmail', 'ses:SendRawEmail']);
      for (const grant of everySesGrant) {
        expect(grant.action).not.toContain('*');
        for (const resource of grant.resources) expect(resource).not.toContain('*');
      }
    });
  });

  describe('the alarm topic', () => {
    it('lets CloudWatch alarms of this account publish (enforceSSL replaced the default policy that did)', () => {
      const topicRef = { Ref: logicalIdOf(stacks.reporting.alarmTopic) };
      const policies = resourcesOf(reporting, 'AWS::SNS::TopicPolicy');
      expect(policies).toHaveLength(1);
      expect(policies[0]!.Properties.Topics).toEqual([topicRef]);
      const statements = policies[0]!.Properties.PolicyDocument.Statement as Json[];
      const allowCloudWatch = statements.filter((s) => s.Effect === 'Allow');
      expect(allowCloudWatch).toHaveLength(1);
      expect(allowCloudWatch[0]).toMatchObject({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: topicRef,
      });
      const condition = allowCloudWatch[0]!.Condition as Json;
      expect(condition.StringEquals).toEqual({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
      expect(renderArn(condition.ArnLike['aws:SourceArn'])).toBe('arn:${Partition}:cloudwatch:${Region}:${AccountId}:alarm:*');
      // The TLS-only deny is still there alongside it.
      expect(statements).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    });
  });

  describe('the delivery alarms', () => {
    const alarmOn = (metricName: string) => {
      const alarms = resourcesOf(reporting, 'AWS::CloudWatch::Alarm').filter((a) => a.Properties.MetricName === metricName);
      expect(alarms, metricName).toHaveLength(1);
      const props = alarms[0]!.Properties as Json;
      expect(props.AlarmActions).toEqual([{ Ref: logicalIdOf(stacks.reporting.alarmTopic) }]);
      expect(props.EvaluationPeriods).toBe(1);
      expect(props.AlarmDescription.length).toBeGreaterThan(40);
      return props;
    };
    const emitted = { Namespace: 'revperf', Dimensions: [{ Name: 'service', Value: 'revperf' }] };

    it.each([
      ['failed sends', DELIVERY_METRICS.failed, 'EmailsFailed'],
      ['refused recipients', DELIVERY_METRICS.refused, 'EmailsRefused'],
      ['failed report runs', DELIVERY_METRICS.failedRuns, 'ReportRunsFailed'],
    ])('alarms on %s: %s Sum ≥ 1 over 5 minutes, missing data not breaching', (_what, metricName, literal) => {
      expect(metricName).toBe(literal);
      expect(alarmOn(metricName)).toMatchObject({
        ...emitted,
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    });

    it('alarms when dispatch was not invoked in 25 hours, treating no data as breaching', () => {
      expect(alarmOn('Invocations')).toEqual(
        expect.objectContaining({
          Namespace: 'AWS/Lambda',
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalIdOf(stacks.reporting.dispatch.function) } }],
          Statistic: 'Sum',
          Period: 90_000,
          Threshold: 1,
          ComparisonOperator: 'LessThanThreshold',
          TreatMissingData: 'breaching',
        }),
      );
    });

    it('alarms when the days since the last deal upload reach alarms.staleDealUploadDays', () => {
      expect(exampleConfig.alarms.staleDealUploadDays).toBe(8);
      expect(alarmOn(DELIVERY_METRICS.daysSinceDealUpload)).toMatchObject({
        ...emitted,
        MetricName: 'DaysSinceDealUpload',
        Statistic: 'Maximum',
        Period: 86_400,
        Threshold: 8,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    });
  });
});

describe('the delivery alarms follow the config', () => {
  it('takes the stale-data threshold from alarms.staleDealUploadDays', () => {
    const config = parseConfig({ ...exampleConfig, alarms: { staleDealUploadDays: 3 } });
    const stack = new Stack(new App(), 'AlarmsTest');
    const dispatch = new LambdaFunction(stack, 'Dispatch', {
      runtime: Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: Code.fromInline('export const handler = async () => {};'),
    });
    new DeliveryAlarms(stack, 'DeliveryAlarms', {
      alarmTopic: new Topic(stack, 'Alarms'),
      dispatch,
      staleDealUploadDays: config.alarms.staleDealUploadDays,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: DELIVERY_METRICS.daysSinceDealUpload,
      Threshold: 3,
    });
  });
});

describe('the sending role for other senders', () => {
  it('covers the sender address, its domain and, for the SES sandbox, each allowed recipient domain, still only as mail.from', () => {
    const stack = new Stack(new App(), 'SendAsTest');
    const role = new Role(stack, 'Sender', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    grantSendAs(role, { from: 'Reports@Mail.Example.org', allowedDomains: ['example.org', 'subsidiary.example'] });
    const [policy] = resourcesOf(Template.fromStack(stack), 'AWS::IAM::Policy');
    const [statement] = policy!.Properties.PolicyDocument.Statement as Json[];
    expect(statement!.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'Reports@Mail.Example.org' } });
    expect(asList(statement!.Resource as Json[]).map(renderArn)).toEqual(
      ['Reports@Mail.Example.org', 'mail.example.org', 'example.org', 'subsidiary.example'].map(
        (identity) => `arn:\${Partition}:ses:\${Region}:\${AccountId}:identity/${identity}`,
      ),
    );
  });
});

describe('the delivery metrics as Powertools emits them', () => {
  const saved = process.env.POWERTOOLS_SERVICE_NAME;
  afterEach(() => {
    if (saved === undefined) delete process.env.POWERTOOLS_SERVICE_NAME;
    else process.env.POWERTOOLS_SERVICE_NAME = saved;
  });

  const emittedDimensions = (metrics: Metrics) => {
    metrics.addMetric(DELIVERY_METRICS.failed, MetricUnit.Count, 1);
    const emf = metrics.serializeMetrics() as Json;
    const [directive] = emf._aws.CloudWatchMetrics as Json[];
    expect(directive!.Namespace).toBe(DELIVERY_METRICS.namespace);
    expect(directive!.Dimensions).toHaveLength(1);
    return Object.fromEntries((directive!.Dimensions[0] as string[]).map((name) => [name, emf[name]]));
  };

  it('carry exactly METRIC_DIMENSIONS, the dimensions the alarms watch, whatever POWERTOOLS_SERVICE_NAME says', () => {
    // What the stack sets on the deliver function, for its logs.
    process.env.POWERTOOLS_SERVICE_NAME = 'revperf-deliver';
    const metrics = new Metrics({ namespace: DELIVERY_METRICS.namespace, serviceName: METRIC_DIMENSIONS.service });
    expect(emittedDimensions(metrics)).toEqual(METRIC_DIMENSIONS);
    expect(METRIC_DIMENSIONS).toEqual({ service: 'revperf' });
  });

  it('are what the functions\' own emitter (CloudWatchMetrics) writes: namespace, metric and exactly METRIC_DIMENSIONS', () => {
    process.env.POWERTOOLS_SERVICE_NAME = 'revperf-deliver';
    const lines: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      const metrics = new CloudWatchMetrics();
      metrics.count(DELIVERY_METRICS.failed, 1);
      metrics.gauge(DELIVERY_METRICS.daysSinceDealUpload, 9);
      metrics.flush();
    } finally {
      write.mockRestore();
    }
    const emf = lines.map((line) => JSON.parse(line) as Json).find((entry) => entry._aws !== undefined);
    expect(emf).toBeDefined();
    const [directive] = emf!._aws.CloudWatchMetrics as Json[];
    expect(directive!.Namespace).toBe(DELIVERY_METRICS.namespace);
    expect(directive!.Metrics.map((metric: Json) => metric.Name).sort()).toEqual([DELIVERY_METRICS.daysSinceDealUpload, DELIVERY_METRICS.failed].sort());
    expect(directive!.Dimensions).toEqual([Object.keys(METRIC_DIMENSIONS)]);
    expect(Object.fromEntries(Object.keys(METRIC_DIMENSIONS).map((name) => [name, emf![name]]))).toEqual(METRIC_DIMENSIONS);
  });

  it('would carry the per-function service name without an explicit serviceName (and miss the alarms)', () => {
    process.env.POWERTOOLS_SERVICE_NAME = 'revperf-deliver';
    const metrics = new Metrics({ namespace: DELIVERY_METRICS.namespace });
    expect(emittedDimensions(metrics)).toEqual({ service: 'revperf-deliver' });
  });
});
