// Assertions on the synthesized templates of the two revperf stacks, built
// exactly as `cdk synth` builds them (cdk.json context, the example config).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRevperfStacks, REPO_ROOT, type RevperfStacks } from '../../infra/app.js';
import { EXAMPLE_CONFIG_FILE, loadConfig, resolveConfigPath } from '../../infra/load-config.js';
import { configEnvironmentValue, MAX_CONFIG_ENV_BYTES } from '../../infra/reporting-stack.js';
import { NOTIFICATION_RULES } from '../../shared/adapters/bucket-layout.js';
import { ALL_INDEXES } from '../../shared/adapters/table-design.js';
import { parseConfig, type RevperfConfig } from '../../shared/config/schema.js';

type Json = Record<string, any>;

/** Bundling both functions with esbuild and synthesizing takes seconds, more on a loaded CI runner. */
const SYNTH_TIMEOUT_MS = 120_000;
const CDK_CONTEXT = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')).context as Json;

interface BuiltApp {
  app: App;
  stacks: RevperfStacks;
  data: Template;
  reporting: Template;
}

/** Synthesizes the app as the CLI does, minus cdk-nag (nag.test.ts) and CloudFormation's own linter (slow). */
function buildApp(config: RevperfConfig): BuiltApp {
  const app = new App({
    context: CDK_CONTEXT,
    outdir: mkdtempSync(join(tmpdir(), 'revperf-infra-')),
    builtinCloudFormationValidation: false,
  });
  const stacks = addRevperfStacks(app, config, { nag: false });
  return { app, stacks, data: Template.fromStack(stacks.data), reporting: Template.fromStack(stacks.reporting) };
}

function logicalIdOf(construct: IConstruct): string {
  const child = construct.node.defaultChild as IConstruct & { logicalId: string };
  return Stack.of(construct).resolve(child.logicalId) as string;
}

/** The value a data-stack export carries, given the Fn::ImportValue the reporting stack uses. */
function exportedValue(data: Template, imported: Json): unknown {
  const exportName = imported['Fn::ImportValue'] as string;
  const output = Object.values(data.toJSON().Outputs as Json).find((o: Json) => o.Export?.Name === exportName) as Json;
  expect(output, `no export named ${exportName}`).toBeDefined();
  return output.Value;
}

function resourcesOf(template: Template, type: string): Json[] {
  return Object.values(template.findResources(type));
}

function statementsOf(template: Template): Json[] {
  const fromPolicies = resourcesOf(template, 'AWS::IAM::Policy').flatMap((p) => p.Properties.PolicyDocument.Statement);
  const fromRoles = resourcesOf(template, 'AWS::IAM::Role').flatMap((r) =>
    (r.Properties.Policies ?? []).flatMap((p: Json) => p.PolicyDocument.Statement),
  );
  return [...fromPolicies, ...fromRoles];
}

function asList<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

/** Policy statements attached to a role, by the role's logical id. */
function statementsOfRole(template: Template, roleLogicalId: string): Json[] {
  return resourcesOf(template, 'AWS::IAM::Policy')
    .filter((p) => p.Properties.Roles.some((r: Json) => r.Ref === roleLogicalId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

/** The literal tail of a resource built as Fn::Join ['', [<import>, '/uploads/*']]. */
function resourceSuffix(resource: Json | string): string {
  if (typeof resource === 'string') return resource;
  const parts = resource['Fn::Join']?.[1] as unknown[] | undefined;
  return typeof parts?.at(-1) === 'string' ? (parts.at(-1) as string) : '';
}

const exampleConfig = loadConfig({ repoRoot: REPO_ROOT, contextPath: EXAMPLE_CONFIG_FILE }).config;

describe('revperf stacks synthesized from the example config', () => {
  let built: BuiltApp;
  beforeAll(() => {
    built = buildApp(exampleConfig);
  }, SYNTH_TIMEOUT_MS);
  afterAll(() => {
    if (built) rmSync(built.app.outdir, { recursive: true, force: true });
  });

  describe('data stack: bucket', () => {
    it('blocks public access, encrypts, versions, requires TLS and logs access to a separate bucket', () => {
      const bucketId = logicalIdOf(built.stacks.data.bucket);
      const bucket = built.data.toJSON().Resources[bucketId] as Json;
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.Properties.BucketEncryption).toEqual({
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      });
      expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      const logTarget = bucket.Properties.LoggingConfiguration.DestinationBucketName.Ref as string;
      expect(logTarget).not.toBe(bucketId);
      expect(built.data.toJSON().Resources[logTarget].Type).toBe('AWS::S3::Bucket');
    });

    it('gives both buckets a TLS-only bucket policy, public access blocked and encryption', () => {
      const buckets = built.data.findResources('AWS::S3::Bucket');
      expect(Object.keys(buckets)).toHaveLength(2);
      for (const [id, bucket] of Object.entries(buckets)) {
        expect(bucket.Properties.PublicAccessBlockConfiguration.RestrictPublicBuckets).toBe(true);
        expect(bucket.Properties.BucketEncryption).toBeDefined();
        built.data.hasResourceProperties('AWS::S3::BucketPolicy', {
          Bucket: { Ref: id },
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({
                Effect: 'Deny',
                Action: 's3:*',
                Principal: { AWS: '*' },
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              }),
            ]),
          },
        });
      }
    });

    it('retains both buckets when the stack is deleted', () => {
      for (const bucket of resourcesOf(built.data, 'AWS::S3::Bucket')) {
        expect(bucket.DeletionPolicy).toBe('Retain');
        expect(bucket.UpdateReplacePolicy).toBe('Retain');
      }
    });

    it('expires replaced uploads after 90 days and never expires ingest reports or reports', () => {
      const bucket = built.data.toJSON().Resources[logicalIdOf(built.stacks.data.bucket)] as Json;
      const rules = bucket.Properties.LifecycleConfiguration.Rules as Json[];
      const uploads = rules.find((rule) => rule.Prefix === 'uploads/');
      expect(uploads?.NoncurrentVersionExpiration).toEqual({ NoncurrentDays: 90 });
      expect(uploads?.Transitions).toEqual([{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }]);
      const expiring = rules.filter((rule) => rule.ExpirationInDays !== undefined || rule.NoncurrentVersionExpiration);
      expect(expiring.map((rule) => rule.Prefix)).toEqual(['uploads/']);
    });

    it('ages out the access logs', () => {
      const logsId = (built.data.toJSON().Resources[logicalIdOf(built.stacks.data.bucket)] as Json).Properties
        .LoggingConfiguration.DestinationBucketName.Ref as string;
      const logs = built.data.toJSON().Resources[logsId] as Json;
      expect(logs.Properties.LifecycleConfiguration.Rules).toEqual([
        expect.objectContaining({ ExpirationInDays: 365, Status: 'Enabled' }),
      ]);
    });
  });

  describe('data stack: table', () => {
    it('has string pk/sk keys, on-demand billing, PITR, TTL, AWS-managed encryption and deletion protection', () => {
      built.data.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
      });
    });

    it('has every index of the table design, keyed by strings; the report indexes project ALL, ByScope keys and the content hash', () => {
      const table = resourcesOf(built.data, 'AWS::DynamoDB::Table')[0] as Json;
      const indexes = table.Properties.GlobalSecondaryIndexes as Json[];
      expect(indexes).toHaveLength(4);
      const keySchema = (partitionKey: string, sortKey: string) => [
        { AttributeName: partitionKey, KeyType: 'HASH' },
        { AttributeName: sortKey, KeyType: 'RANGE' },
      ];
      expect(indexes).toEqual([
        { IndexName: 'ByCloseMonth', KeySchema: keySchema('gsi1pk', 'gsi1sk'), Projection: { ProjectionType: 'ALL' } },
        { IndexName: 'ByCreatedMonth', KeySchema: keySchema('gsi3pk', 'gsi3sk'), Projection: { ProjectionType: 'ALL' } },
        { IndexName: 'ByScope', KeySchema: keySchema('gsi4pk', 'gsi4sk'), Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['contentHash'] } },
        { IndexName: 'ByKind', KeySchema: keySchema('gsi6pk', 'gsi6sk'), Projection: { ProjectionType: 'ALL' } },
      ]);
      const stringAttributes = (table.Properties.AttributeDefinitions as Json[])
        .filter((attribute) => attribute.AttributeType === 'S')
        .map((attribute) => attribute.AttributeName);
      expect(stringAttributes.sort()).toEqual(
        ['pk', 'sk', ...ALL_INDEXES.flatMap((index) => [index.partitionKey, index.sortKey])].sort(),
      );
      expect(stringAttributes).toContain('gsi4pk');
      expect(stringAttributes).not.toContain('gsi2pk');
      expect(stringAttributes).not.toContain('gsi5pk');
    });

    it('retains the table when the stack is deleted', () => {
      built.data.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    });
  });

  describe('reporting stack: functions', () => {
    const ours = () => [
      built.stacks.reporting.ingest.function,
      built.stacks.reporting.dispatch.function,
      built.stacks.reporting.deliver.function,
    ];

    it('runs every function on nodejs22.x, arm64, with active tracing and a 3-month log group', () => {
      for (const fn of ours()) {
        const props = (built.reporting.toJSON().Resources[logicalIdOf(fn)] as Json).Properties;
        expect(props.Runtime).toBe('nodejs22.x');
        expect(props.Architectures).toEqual(['arm64']);
        expect(props.TracingConfig).toEqual({ Mode: 'Active' });
        const logGroup = built.reporting.toJSON().Resources[props.LoggingConfig.LogGroup.Ref] as Json;
        expect(logGroup.Properties.RetentionInDays).toBe(90);
      }
    });

    it('sizes ingest for large XLSX files: 2048 MB, 15 minutes, 4 GB of /tmp, modest reserved concurrency', () => {
      const ingest = (built.reporting.toJSON().Resources[logicalIdOf(built.stacks.reporting.ingest.function)] as Json)
        .Properties;
      expect(ingest.MemorySize).toBe(2048);
      expect(ingest.Timeout).toBe(900);
      expect(ingest.EphemeralStorage).toEqual({ Size: 4096 });
      expect(ingest.ReservedConcurrentExecutions).toBeGreaterThan(0);
      expect(ingest.ReservedConcurrentExecutions).toBeLessThanOrEqual(20);
    });

    it('wires TABLE_NAME and BUCKET_NAME to the Refs of the data stack table and bucket', () => {
      const tableRef = { Ref: logicalIdOf(built.stacks.data.table) };
      const bucketRef = { Ref: logicalIdOf(built.stacks.data.bucket) };
      for (const fn of ours()) {
        const env = (built.reporting.toJSON().Resources[logicalIdOf(fn)] as Json).Properties.Environment.Variables as Json;
        expect(exportedValue(built.data, env.TABLE_NAME)).toEqual(tableRef);
        expect(exportedValue(built.data, env.BUCKET_NAME)).toEqual(bucketRef);
      }
    });

    it('hands the functions the validated config (defaults applied) and the Powertools settings', () => {
      for (const [fn, service] of [
        [built.stacks.reporting.ingest.function, 'revperf-ingest'],
        [built.stacks.reporting.dispatch.function, 'revperf-dispatch'],
        [built.stacks.reporting.deliver.function, 'revperf-deliver'],
      ] as const) {
        const env = (built.reporting.toJSON().Resources[logicalIdOf(fn)] as Json).Properties.Environment.Variables as Json;
        const handed = JSON.parse(env.REVPERF_CONFIG as string) as Json;
        expect(handed).toEqual(exampleConfig);
        expect(handed.org.timeZone).toBe('America/New_York');
        expect(parseConfig(handed)).toEqual(exampleConfig);
        expect(env).toMatchObject({ POWERTOOLS_SERVICE_NAME: service, POWERTOOLS_METRICS_NAMESPACE: 'revperf', LOG_LEVEL: 'INFO' });
      }
    });

    it('sends failed asynchronous invocations to an encrypted, TLS-only failure queue after 2 retries', () => {
      for (const revperfFunction of [built.stacks.reporting.ingest, built.stacks.reporting.dispatch]) {
        const queueId = logicalIdOf(revperfFunction.failureQueue);
        built.reporting.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
          FunctionName: { Ref: logicalIdOf(revperfFunction.function) },
          MaximumRetryAttempts: 2,
          DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
        });
        const queue = built.reporting.toJSON().Resources[queueId] as Json;
        expect(queue.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
        built.reporting.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [{ Ref: queueId }],
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            ]),
          },
        });
      }
    });
  });

  describe('reporting stack: least privilege', () => {
    it('grants no action with a wildcard (no s3:*, dynamodb:*, s3:GetObject* or *) in either stack', () => {
      const actions = [...statementsOf(built.data), ...statementsOf(built.reporting)]
        .filter((statement) => statement.Effect === 'Allow')
        .flatMap((statement) => asList(statement.Action as string | string[]));
      expect(actions.length).toBeGreaterThan(10);
      expect(actions.filter((action) => action.includes('*'))).toEqual([]);
    });

    it('lets ingest read only uploads/ and write only ingest-reports/; dispatch writes only metrics/ and reports/; deliver reads and writes only reports/', () => {
      // minimizePolicies (cdk.json) may merge statements, so compare the flattened action × resource pairs.
      const s3Grants = (fn: { role: IConstruct }) =>
        statementsOfRole(built.reporting, logicalIdOf(fn.role))
          .flatMap((statement) =>
            asList(statement.Action as string | string[]).flatMap((action) =>
              asList(statement.Resource as Json | Json[]).map((resource) => `${action} ${resourceSuffix(resource)}`),
            ),
          )
          .filter((grant) => grant.startsWith('s3:'))
          .sort();
      expect(s3Grants(built.stacks.reporting.ingest)).toEqual([
        's3:GetObject /uploads/*',
        's3:GetObjectVersion /uploads/*',
        's3:PutObject /ingest-reports/*',
      ]);
      expect(s3Grants(built.stacks.reporting.dispatch)).toEqual(['s3:PutObject /metrics/*', 's3:PutObject /reports/*']);
      expect(s3Grants(built.stacks.reporting.deliver)).toEqual(['s3:GetObject /reports/*', 's3:PutObject /reports/*']);
    });

    it('grants table access on the table and its named indexes, never Scan', () => {
      for (const fn of [built.stacks.reporting.ingest, built.stacks.reporting.dispatch, built.stacks.reporting.deliver]) {
        const dynamo = statementsOfRole(built.reporting, logicalIdOf(fn.role)).filter((statement) =>
          asList(statement.Action as string | string[]).some((a) => a.startsWith('dynamodb:')),
        );
        expect(dynamo).toHaveLength(1);
        expect(dynamo[0]!.Action).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:BatchWriteItem']));
        expect(dynamo[0]!.Action).not.toContain('dynamodb:Scan');
        const indexSuffixes = (dynamo[0]!.Resource as Json[]).map(resourceSuffix).filter((s) => s !== '');
        expect(indexSuffixes.sort()).toEqual(ALL_INDEXES.map((index) => `/index/${index.name}`).sort());
        expect(indexSuffixes.some((suffix) => suffix.includes('*'))).toBe(false);
      }
    });

    it('attaches no AWS managed policy to revperf roles', () => {
      for (const role of [built.stacks.reporting.ingest.role, built.stacks.reporting.dispatch.role, built.stacks.reporting.deliver.role]) {
        const props = (built.reporting.toJSON().Resources[logicalIdOf(role)] as Json).Properties;
        expect(props.ManagedPolicyArns).toBeUndefined();
      }
    });
  });

  describe('reporting stack: triggers', () => {
    it('notifies ingest once per notification rule, filtered by the rule prefix, on the data bucket', () => {
      const [notifications] = resourcesOf(built.reporting, 'Custom::S3BucketNotifications');
      const configurations = notifications!.Properties.NotificationConfiguration.LambdaFunctionConfigurations as Json[];
      expect(configurations).toHaveLength(NOTIFICATION_RULES.length);
      const ingestArn = { 'Fn::GetAtt': [logicalIdOf(built.stacks.reporting.ingest.function), 'Arn'] };
      expect(configurations).toEqual(
        NOTIFICATION_RULES.map((rule) => ({
          Events: ['s3:ObjectCreated:*'],
          Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: rule.prefix }] } },
          LambdaFunctionArn: ingestArn,
        })),
      );
      expect(configurations.map((c) => c.Filter.Key.FilterRules[0].Value)).toContain('uploads/deals/');
      expect(exportedValue(built.data, notifications!.Properties.BucketName)).toEqual({
        Ref: logicalIdOf(built.stacks.data.bucket),
      });
    });

    it('ticks dispatch daily at the configured time in the org time zone, with explicit retries and a DLQ', () => {
      built.reporting.resourceCountIs('AWS::Scheduler::Schedule', 1);
      built.reporting.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'cron(0 7 * * ? *)',
        ScheduleExpressionTimezone: 'America/New_York',
        // On time, not somewhere in a window: the tick's time is the reports' "as of".
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: {
          Arn: { 'Fn::GetAtt': [logicalIdOf(built.stacks.reporting.dispatch.function), 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalIdOf(built.stacks.reporting.dispatch.failureQueue), 'Arn'] } },
          // Explicit, not the scheduler's default of 185 retries over 24 hours.
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 7200 },
          Input: Match.serializedJson({ source: 'revperf.schedule', scheduledTime: '<aws.scheduler.scheduled-time>' }),
        },
      });
    });
  });

  describe('reporting stack: alarms', () => {
    it('alarms on errors and throttles of each function and on each failure queue, all to the alarm topic', () => {
      const topicRef = { Ref: logicalIdOf(built.stacks.reporting.alarmTopic) };
      const alarms = resourcesOf(built.reporting, 'AWS::CloudWatch::Alarm');
      // Three per function (ingest, dispatch, deliver, download); the five delivery alarms are asserted in delivery.test.ts.
      expect(alarms).toHaveLength(4 * 3 + 5);
      for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([topicRef]);
      const watched = alarms.map((alarm) => `${alarm.Properties.MetricName}:${alarm.Properties.Dimensions[0].Value.Ref}`);
      const revperfFunctions = [built.stacks.reporting.ingest, built.stacks.reporting.dispatch, built.stacks.reporting.deliver, built.stacks.reporting.download.function];
      for (const fn of revperfFunctions) {
        expect(watched).toContain(`Errors:${logicalIdOf(fn.function)}`);
        expect(watched).toContain(`Throttles:${logicalIdOf(fn.function)}`);
      }
      const queueAlarms = alarms.filter((alarm) => alarm.Properties.MetricName === 'ApproximateNumberOfMessagesVisible');
      expect(queueAlarms).toHaveLength(4);
      expect(queueAlarms.map((alarm) => alarm.Properties.Dimensions[0].Value['Fn::GetAtt'][0]).sort()).toEqual(
        revperfFunctions.map((fn) => logicalIdOf(fn.failureQueue)).sort(),
      );
      for (const alarm of queueAlarms) {
        expect(alarm.Properties).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
      }
    });

    it('encrypts the alarm topic with a rotating key CloudWatch may use, and requires TLS to publish', () => {
      const topic = built.reporting.toJSON().Resources[logicalIdOf(built.stacks.reporting.alarmTopic)] as Json;
      const keyId = topic.Properties.KmsMasterKeyId['Fn::GetAtt'][0] as string;
      const key = built.reporting.toJSON().Resources[keyId] as Json;
      expect(key.Properties.EnableKeyRotation).toBe(true);
      expect(key.Properties.KeyPolicy.Statement).toContainEqual(
        expect.objectContaining({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey'] }),
      );
      built.reporting.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });
  });
});

describe('the schedule follows the config', () => {
  let built: BuiltApp;
  beforeAll(() => {
    built = buildApp(
      parseConfig({
        ...exampleConfig,
        org: { ...exampleConfig.org, timeZone: 'Europe/Madrid' },
        schedule: { ...exampleConfig.schedule, dailyAt: '18:05' },
      }),
    );
  }, SYNTH_TIMEOUT_MS);
  afterAll(() => {
    if (built) rmSync(built.app.outdir, { recursive: true, force: true });
  });

  it('ticks at 18:05 Europe/Madrid', () => {
    built.reporting.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(5 18 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Madrid',
    });
  });
});

describe('config for synth', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'revperf-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prefers -c config, then REVPERF_CONFIG_FILE, then revperf.config.json, then the example', () => {
    expect(resolveConfigPath({ repoRoot: dir, contextPath: 'a.json', envPath: '/abs/b.json' })).toBe(join(dir, 'a.json'));
    expect(resolveConfigPath({ repoRoot: dir, envPath: '/abs/b.json' })).toBe('/abs/b.json');
    expect(resolveConfigPath({ repoRoot: dir, envPath: '  ' })).toBe(join(dir, 'revperf.config.example.json'));
    writeFileSync(join(dir, 'revperf.config.json'), '{}');
    expect(resolveConfigPath({ repoRoot: dir })).toBe(join(dir, 'revperf.config.json'));
  });

  it('reports a missing explicit file by path', () => {
    expect(() => loadConfig({ repoRoot: dir, contextPath: 'missing.json' })).toThrow(/missing\.json[\s\S]*file not found/);
  });

  it('refuses a config too large for the Lambda environment', () => {
    const huge = parseConfig({
      ...exampleConfig,
      keyAccounts: { names: Array.from({ length: 200 }, (_, i) => `Key account number ${i}`) },
    });
    expect(JSON.stringify(huge).length).toBeGreaterThan(MAX_CONFIG_ENV_BYTES);
    expect(() => configEnvironmentValue(huge)).toThrow(/bytes once validated/);
    expect(configEnvironmentValue(exampleConfig).length).toBeLessThan(MAX_CONFIG_ENV_BYTES);
  });

  it('fails `tsx infra/app.ts` with the field paths of a bad config and a non-zero exit', { timeout: SYNTH_TIMEOUT_MS }, () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        org: { name: 'Northwind', timeZone: 'Mars/Olympus_Mons' },
        schedule: { dailyAt: '7am' },
        mail: { from: 'revperf@northwind.example', allowedDomains: ['northwind.example'] },
      }),
    );
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'infra/app.ts')], {
      cwd: REPO_ROOT,
      env: { ...process.env, REVPERF_CONFIG_FILE: bad, CDK_OUTDIR: join(dir, 'never-written') },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${bad} is not a valid revperf config`);
    expect(run.stderr).toContain('org.timeZone: must be an IANA time zone');
    expect(run.stderr).toContain('schedule.dailyAt: must be a time HH:MM (24h)');
    expect(run.stderr).not.toContain('Bundling');
  });
});
