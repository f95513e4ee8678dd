// Assertions on the synthesized templates of the two revperf stacks, built
// exactly as `cdk synth` builds them (cdk.json context, the example config).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRevperfStacks, loadSynthConfig, REPO_ROOT, type RevperfStacks } from '../../infra/app.js';
import { EXAMPLE_CONFIG_FILE, loadConfig, MissingConfigError, resolveConfigPath } from '../../infra/load-config.js';
import { BUNDLED_CONFIG_FILE } from '../../shared/config/bundled-config.js';
import { NOTIFICATION_RULES } from '../../shared/adapters/bucket-layout.js';
import { partitionMatches } from '../../shared/adapters/table-access.js';
import { ALL_INDEXES } from '../../shared/adapters/table-design.js';
import { parseConfig, type RevperfConfig } from '../../shared/config/schema.js';
import { functionAssetDir } from '../support/function-asset.js';

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

    it('sizes ingest from the benchmarks: 1024 MB, 15 minutes, 4 GB of /tmp, and reserves no concurrency', () => {
      const ingest = (built.reporting.toJSON().Resources[logicalIdOf(built.stacks.reporting.ingest.function)] as Json)
        .Properties;
      expect(ingest.MemorySize).toBe(1024);
      expect(ingest.Timeout).toBe(900);
      expect(ingest.EphemeralStorage).toEqual({ Size: 4096 });
      // The event source's maxConcurrency bounds it (see "ingest behind a queue").
      expect(ingest.ReservedConcurrentExecutions).toBeUndefined();
    });

    it('sizes dispatch from the e2e benchmark: 3072 MB, 10 minutes', () => {
      const dispatch = (built.reporting.toJSON().Resources[logicalIdOf(built.stacks.reporting.dispatch.function)] as Json).Properties;
      expect(dispatch.MemorySize).toBe(3072);
      expect(dispatch.Timeout).toBe(600);
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

    it('ships the validated config (defaults applied) inside each function asset, and keeps only names in the environment', () => {
      for (const [fn, service] of [
        [built.stacks.reporting.ingest.function, 'revperf-ingest'],
        [built.stacks.reporting.dispatch.function, 'revperf-dispatch'],
        [built.stacks.reporting.deliver.function, 'revperf-deliver'],
      ] as const) {
        const shipped = JSON.parse(readFileSync(join(functionAssetDir(built.app, fn), BUNDLED_CONFIG_FILE), 'utf8')) as Json;
        expect(shipped).toEqual(exampleConfig);
        expect(shipped.org.timeZone).toBe('America/New_York');
        expect(parseConfig(shipped)).toEqual(exampleConfig);
        const env = (built.reporting.toJSON().Resources[logicalIdOf(fn)] as Json).Properties.Environment.Variables as Json;
        expect(env.REVPERF_CONFIG).toBeUndefined();
        expect(env).toMatchObject({ POWERTOOLS_SERVICE_NAME: service, POWERTOOLS_METRICS_NAMESPACE: 'revperf', LOG_LEVEL: 'INFO' });
        // Names, not content: every value is a short literal or a reference.
        for (const [name, value] of Object.entries(env)) {
          expect(typeof value === 'string' ? value.length : JSON.stringify(value).length, name).toBeLessThan(300);
        }
      }
      expect(existsSync(join(functionAssetDir(built.app, built.stacks.reporting.download.function.function), BUNDLED_CONFIG_FILE))).toBe(false);
    });

    it('sends failed asynchronous invocations (dispatch) to an encrypted, TLS-only failure queue after 2 retries', () => {
      for (const revperfFunction of [built.stacks.reporting.dispatch]) {
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

    const tableStatements = (fn: { role: IConstruct }) =>
      statementsOfRole(built.reporting, logicalIdOf(fn.role)).filter((statement) =>
        asList(statement.Action as string | string[]).some((a) => a.startsWith('dynamodb:')),
      );
    const tableRef = () => ({ 'Fn::ImportValue': expect.any(String) });

    it('splits table reads (GetItem, Query on the table and its named indexes) from writes (on the table only), never Scan', () => {
      for (const fn of [built.stacks.reporting.ingest, built.stacks.reporting.dispatch, built.stacks.reporting.deliver]) {
        const statements = tableStatements(fn);
        expect(statements).toHaveLength(2);
        const read = statements.find((statement) => statement.Sid === 'ReadTableAndIndexes')!;
        expect(read.Action).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
        expect(read.Condition).toBeUndefined();
        const indexSuffixes = (read.Resource as Json[]).map(resourceSuffix).filter((suffix) => suffix !== '');
        expect(indexSuffixes.sort()).toEqual(ALL_INDEXES.map((index) => `/index/${index.name}`).sort());
        expect(indexSuffixes.some((suffix) => suffix.includes('*'))).toBe(false);
        const write = statements.find((statement) => statement !== read)!;
        // The table itself, imported from the data stack: no index, no wildcard.
        expect(asList(write.Resource as Json)).toEqual([tableRef()]);
        expect(exportedValue(built.data, asList(write.Resource as Json)[0]!)).toEqual({
          'Fn::GetAtt': [logicalIdOf(built.stacks.data.table), 'Arn'],
        });
        for (const action of asList(write.Action as string | string[])) {
          expect(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem']).toContain(action);
        }
        const actions = statements.flatMap((statement) => asList(statement.Action as string | string[]));
        expect(actions).not.toContain('dynamodb:Scan');
        expect(actions).not.toContain('dynamodb:DescribeTable');
      }
    });

    it("limits each role's writes to its own item families with dynamodb:LeadingKeys", () => {
      const families = (fn: { role: IConstruct }) => {
        const write = tableStatements(fn).find((statement) => statement.Sid !== 'ReadTableAndIndexes')!;
        expect(Object.keys(write.Condition)).toEqual(['ForAllValues:StringLike']);
        return write.Condition['ForAllValues:StringLike']['dynamodb:LeadingKeys'] as string[];
      };
      expect(families(built.stacks.reporting.ingest)).toEqual(['DEAL#*', 'PERSON#*', 'QUOTA#*', 'ACCOUNT', 'FX', 'LEDGER#INGEST#*']);
      expect(families(built.stacks.reporting.dispatch)).toEqual(['SNAPSHOT#*', 'PIPESNAP#*', 'PIPESNAPS', 'DISPATCH']);
      expect(families(built.stacks.reporting.deliver)).toEqual(['SENDS#*']);
    });

    it('gives dispatch no delete or update on deals or the ingest ledger (and deliver none on either)', () => {
      for (const fn of [built.stacks.reporting.dispatch, built.stacks.reporting.deliver]) {
        const write = tableStatements(fn).find((statement) => statement.Sid !== 'ReadTableAndIndexes')!;
        const patterns = write.Condition['ForAllValues:StringLike']['dynamodb:LeadingKeys'] as string[];
        for (const key of ['DEAL#006X1', 'LEDGER#INGEST#revperf-bucket/uploads/deals/x.csv', 'PERSON#ana', 'QUOTA#FY2027-Q4']) {
          expect(patterns.filter((pattern) => partitionMatches(pattern, key)), `${fn.node.path} may write ${key}`).toEqual([]);
        }
        expect(asList(write.Action as string | string[])).not.toContain('dynamodb:DeleteItem');
      }
    });

    it('puts X-Ray\'s "*" in a policy of its own: no other statement in either stack has a "*" resource', () => {
      const functions = [
        built.stacks.reporting.ingest,
        built.stacks.reporting.dispatch,
        built.stacks.reporting.deliver,
        built.stacks.reporting.download.function,
      ];
      const xrayPolicyIds = new Set(functions.map((fn) => logicalIdOf(fn.xrayPolicy)));
      const policies = [built.data, built.reporting].flatMap((template) => Object.entries(template.findResources('AWS::IAM::Policy')));
      const withStar = policies.filter(([, policy]) =>
        (policy.Properties.PolicyDocument.Statement as Json[]).some((statement) => asList(statement.Resource as string | string[]).includes('*')),
      );
      expect(withStar.map(([id]) => id).sort()).toEqual([...xrayPolicyIds].sort());
      for (const [id, policy] of withStar) {
        expect(policy.Properties.PolicyDocument.Statement[0].Action, id).toHaveLength(2);
        expect(policy.Properties.PolicyDocument.Statement, id).toEqual([
          { Sid: 'XRayTracing', Effect: 'Allow', Action: expect.arrayContaining(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']), Resource: '*' },
        ]);
      }
      // Roles' inline policies too (none today, and none may carry a "*").
      const inline = [built.data, built.reporting].flatMap((template) =>
        resourcesOf(template, 'AWS::IAM::Role').flatMap((role) => (role.Properties.Policies ?? []).flatMap((p: Json) => p.PolicyDocument.Statement as Json[])),
      );
      expect(inline.filter((statement) => asList(statement.Resource as string | string[]).includes('*'))).toEqual([]);
      // Each function is still traced, and created after its X-Ray grant.
      for (const fn of functions) {
        const resource = built.reporting.toJSON().Resources[logicalIdOf(fn.function)] as Json;
        expect(resource.Properties.TracingConfig).toEqual({ Mode: 'Active' });
        expect(resource.DependsOn).toContain(logicalIdOf(fn.xrayPolicy));
        const policy = built.reporting.toJSON().Resources[logicalIdOf(fn.xrayPolicy)] as Json;
        expect(policy.Properties.Roles).toEqual([{ Ref: logicalIdOf(fn.role) }]);
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
    it('notifies the ingest queue (not the function) once per notification rule, filtered by the rule prefix, on the data bucket', () => {
      const [notifications] = resourcesOf(built.reporting, 'Custom::S3BucketNotifications');
      const configuration = notifications!.Properties.NotificationConfiguration as Json;
      expect(configuration.LambdaFunctionConfigurations).toBeUndefined();
      const configurations = configuration.QueueConfigurations as Json[];
      expect(configurations).toHaveLength(NOTIFICATION_RULES.length);
      const queueArn = { 'Fn::GetAtt': [logicalIdOf(built.stacks.reporting.ingestQueue), 'Arn'] };
      expect(configurations).toEqual(
        NOTIFICATION_RULES.map((rule) => ({
          Events: ['s3:ObjectCreated:*'],
          Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: rule.prefix }] } },
          QueueArn: queueArn,
        })),
      );
      expect(configurations.map((c) => c.Filter.Key.FilterRules[0].Value)).toContain('uploads/deals/');
      expect(exportedValue(built.data, notifications!.Properties.BucketName)).toEqual({
        Ref: logicalIdOf(built.stacks.data.bucket),
      });
      // S3 may send to the queue, from this bucket only.
      built.reporting.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: logicalIdOf(built.stacks.reporting.ingestQueue) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 's3.amazonaws.com' },
              Action: Match.arrayWith(['sqs:SendMessage']),
              Condition: { ArnLike: { 'aws:SourceArn': Match.anyValue() } },
            }),
          ]),
        },
      });
      // Nothing invokes ingest but its queue.
      const permissions = resourcesOf(built.reporting, 'AWS::Lambda::Permission').filter((permission) =>
        JSON.stringify(permission.Properties.FunctionName).includes(logicalIdOf(built.stacks.reporting.ingest.function)),
      );
      expect(permissions).toEqual([]);
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

  describe('deployed stack: outputs and protection', () => {
    const outputs = (template: Template) => template.toJSON().Outputs as Json;

    it('outputs the bucket, table, queues and functions by name', () => {
      expect(outputs(built.data).BucketName.Value).toEqual({ Ref: logicalIdOf(built.stacks.data.bucket) });
      expect(outputs(built.data).TableName.Value).toEqual({ Ref: logicalIdOf(built.stacks.data.table) });
      const reporting = outputs(built.reporting);
      const { ingest, dispatch, deliver, download } = built.stacks.reporting;
      expect(reporting.IngestFunctionName.Value).toEqual({ Ref: logicalIdOf(ingest.function) });
      expect(reporting.DispatchFunctionName.Value).toEqual({ Ref: logicalIdOf(dispatch.function) });
      expect(reporting.DeliverFunctionName.Value).toEqual({ Ref: logicalIdOf(deliver.function) });
      expect(reporting.DownloadFunctionName.Value).toEqual({ Ref: logicalIdOf(download.function.function) });
      expect(reporting.DeliveryQueueUrl.Value).toEqual({ Ref: logicalIdOf(built.stacks.reporting.deliveryQueue) });
      expect(reporting.DeliveryDeadLetterQueueUrl.Value).toEqual({ Ref: logicalIdOf(built.stacks.reporting.deliveryDeadLetterQueue) });
      for (const output of [...Object.values(outputs(built.data)), ...Object.values(reporting)] as Json[]) {
        if (output.Export === undefined) expect((output.Description as string).length, JSON.stringify(output.Value)).toBeGreaterThan(30);
      }
    });

    it('protects the data stack from termination (the reporting stack can be replaced freely)', () => {
      const assembly = built.app.synth();
      expect(assembly.getStackArtifact(built.stacks.data.artifactId).terminationProtection).toBe(true);
      expect(built.stacks.data.terminationProtection).toBe(true);
      expect(assembly.getStackArtifact(built.stacks.reporting.artifactId).terminationProtection).toBeFalsy();
    });
  });

  describe('deployed stack: ingest behind a queue (S3 → SQS → Lambda)', () => {
    const resource = (construct: IConstruct) => built.reporting.toJSON().Resources[logicalIdOf(construct)] as Json;

    it('is no longer invoked asynchronously: no 6-hour event age, no Lambda retries, no async failure destination', () => {
      const configs = resourcesOf(built.reporting, 'AWS::Lambda::EventInvokeConfig');
      expect(configs.map((c) => c.Properties.FunctionName.Ref)).not.toContain(logicalIdOf(built.stacks.reporting.ingest.function));
      expect(built.stacks.reporting.ingest.failureQueue).toBe(built.stacks.reporting.ingestDeadLetterQueue);
    });

    it('reads one upload per invocation from the ingest queue, bounded by maxConcurrency instead of reserved concurrency, reporting item failures', () => {
      const mappings = resourcesOf(built.reporting, 'AWS::Lambda::EventSourceMapping').filter(
        (mapping) => mapping.Properties.FunctionName.Ref === logicalIdOf(built.stacks.reporting.ingest.function),
      );
      expect(mappings).toHaveLength(1);
      expect(mappings[0]!.Properties).toMatchObject({
        EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(built.stacks.reporting.ingestQueue), 'Arn'] },
        BatchSize: 1,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 10 },
      });
      expect(resource(built.stacks.reporting.ingest.function).Properties.ReservedConcurrentExecutions).toBeUndefined();
    });

    it('lets ingest delay a message it defers behind an older version (ChangeMessageVisibility on the ingest queue)', () => {
      const queueArn = JSON.stringify({ 'Fn::GetAtt': [logicalIdOf(built.stacks.reporting.ingestQueue), 'Arn'] });
      const onQueue = statementsOfRole(built.reporting, logicalIdOf(built.stacks.reporting.ingest.role)).filter((statement) =>
        asList(statement.Resource as Json | Json[]).some((resource) => JSON.stringify(resource) === queueArn),
      );
      expect(onQueue.flatMap((statement) => asList(statement.Action as string | string[]))).toContain('sqs:ChangeMessageVisibility');
    });

    it('hides a message being ingested for at least 6× the function timeout, and dead-letters it after 3 receives', () => {
      const timeout = resource(built.stacks.reporting.ingest.function).Properties.Timeout as number;
      const queue = resource(built.stacks.reporting.ingestQueue).Properties;
      expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
      expect(queue.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [logicalIdOf(built.stacks.reporting.ingestDeadLetterQueue), 'Arn'] },
        maxReceiveCount: 3,
      });
      expect(queue.MessageRetentionPeriod).toBe(14 * 24 * 3600);
      // The dead-letter queue keeps what it gets at least as long, and redrives nowhere by itself.
      const deadLetter = resource(built.stacks.reporting.ingestDeadLetterQueue).Properties;
      expect(deadLetter.MessageRetentionPeriod).toBe(14 * 24 * 3600);
      expect(deadLetter.RedrivePolicy).toBeUndefined();
    });

    it('alarms on the age of the oldest waiting upload and on an ingest near its timeout, not on throttles', () => {
      const alarms = resourcesOf(built.reporting, 'AWS::CloudWatch::Alarm');
      const ingestRef = { Ref: logicalIdOf(built.stacks.reporting.ingest.function) };
      const onIngest = alarms.filter((alarm) => JSON.stringify(alarm.Properties.Dimensions).includes(JSON.stringify(ingestRef)));
      expect(onIngest.map((alarm) => alarm.Properties.MetricName).sort()).toEqual(['Duration', 'Errors']);
      const duration = onIngest.find((alarm) => alarm.Properties.MetricName === 'Duration')!.Properties;
      expect(duration).toMatchObject({ Statistic: 'Maximum', ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
      expect(duration.Threshold).toBeGreaterThanOrEqual(0.5 * 900_000);
      expect(duration.Threshold).toBeLessThan(900_000);
      const age = alarms.filter((alarm) => alarm.Properties.MetricName === 'ApproximateAgeOfOldestMessage');
      expect(age).toHaveLength(1);
      expect(age[0]!.Properties).toMatchObject({
        Namespace: 'AWS/SQS',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalIdOf(built.stacks.reporting.ingestQueue), 'QueueName'] } }],
        Statistic: 'Maximum',
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
      // Longer than one ingest can take (15 minutes), short enough that a stuck upload is noticed the same hour.
      expect(age[0]!.Properties.Threshold).toBeGreaterThan(900);
      expect(age[0]!.Properties.Threshold).toBeLessThanOrEqual(3600);
    });

    it('outputs the ingest queue and its dead-letter queue (revperf replay-failed)', () => {
      const outputs = built.reporting.toJSON().Outputs as Json;
      expect(outputs.IngestQueueUrl.Value).toEqual({ Ref: logicalIdOf(built.stacks.reporting.ingestQueue) });
      expect(outputs.IngestDeadLetterQueueUrl.Value).toEqual({ Ref: logicalIdOf(built.stacks.reporting.ingestDeadLetterQueue) });
      expect(outputs.IngestDeadLetterQueueUrl.Description).toContain('revperf replay-failed');
    });
  });

  describe('deployed stack: encryption and TLS', () => {
    it('denies non-TLS requests and blocks public access on every bucket', () => {
      for (const [id, bucket] of Object.entries(built.data.findResources('AWS::S3::Bucket'))) {
        expect(bucket.Properties.PublicAccessBlockConfiguration, id).toEqual({
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        });
        const policies = resourcesOf(built.data, 'AWS::S3::BucketPolicy').filter((policy) => policy.Properties.Bucket.Ref === id);
        expect(policies, id).toHaveLength(1);
        expect(policies[0]!.Properties.PolicyDocument.Statement).toContainEqual(
          expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        );
      }
    });

    it('encrypts every queue and denies it any request without TLS (enforceSSL)', () => {
      const queues = built.reporting.findResources('AWS::SQS::Queue');
      expect(Object.keys(queues).length).toBeGreaterThanOrEqual(4);
      for (const [id, queue] of Object.entries(queues)) {
        expect(queue.Properties.SqsManagedSseEnabled === true || queue.Properties.KmsMasterKeyId !== undefined, `${id} encrypted`).toBe(true);
        const policies = resourcesOf(built.reporting, 'AWS::SQS::QueuePolicy').filter((policy) =>
          (policy.Properties.Queues as Json[]).some((queueRef) => queueRef.Ref === id),
        );
        expect(policies, `${id} has a queue policy`).toHaveLength(1);
        expect(policies[0]!.Properties.PolicyDocument.Statement, id).toContainEqual(
          expect.objectContaining({ Effect: 'Deny', Action: 'sqs:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        );
      }
    });

    it('encrypts the alarm topic with its own key and denies publishing without TLS', () => {
      const topics = built.reporting.findResources('AWS::SNS::Topic');
      expect(Object.keys(topics)).toEqual([logicalIdOf(built.stacks.reporting.alarmTopic)]);
      const topic = Object.values(topics)[0]!;
      expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
      const policy = resourcesOf(built.reporting, 'AWS::SNS::TopicPolicy')[0]!;
      expect(policy.Properties.Topics).toEqual([{ Ref: logicalIdOf(built.stacks.reporting.alarmTopic) }]);
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    });
  });

  describe('reporting stack: alarms', () => {
    it('alarms on errors of each function, throttles of each but ingest, and on each failure queue, all to the alarm topic', () => {
      const topicRef = { Ref: logicalIdOf(built.stacks.reporting.alarmTopic) };
      const alarms = resourcesOf(built.reporting, 'AWS::CloudWatch::Alarm');
      // Three per function (ingest: two, no throttles), ingest's queue age and duration, and the five delivery alarms (delivery.test.ts).
      expect(alarms).toHaveLength(4 * 3 - 1 + 2 + 5);
      for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([topicRef]);
      const watched = alarms.map((alarm) => `${alarm.Properties.MetricName}:${JSON.stringify(alarm.Properties.Dimensions[0].Value)}`);
      const { ingest, dispatch, deliver, download } = built.stacks.reporting;
      const revperfFunctions = [ingest, dispatch, deliver, download.function];
      for (const fn of revperfFunctions) expect(watched).toContain(`Errors:${JSON.stringify({ Ref: logicalIdOf(fn.function) })}`);
      for (const fn of [dispatch, deliver, download.function]) expect(watched).toContain(`Throttles:${JSON.stringify({ Ref: logicalIdOf(fn.function) })}`);
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

  it('prefers -c config, then REVPERF_CONFIG_FILE, then revperf.config.json; the example only when allowed', () => {
    expect(resolveConfigPath({ repoRoot: dir, contextPath: 'a.json', envPath: '/abs/b.json' })).toBe(join(dir, 'a.json'));
    expect(resolveConfigPath({ repoRoot: dir, envPath: '/abs/b.json' })).toBe('/abs/b.json');
    expect(() => resolveConfigPath({ repoRoot: dir, envPath: '  ' })).toThrow(MissingConfigError);
    expect(resolveConfigPath({ repoRoot: dir, envPath: '  ', allowExample: true })).toBe(join(dir, 'revperf.config.example.json'));
    writeFileSync(join(dir, 'revperf.config.json'), '{}');
    expect(resolveConfigPath({ repoRoot: dir })).toBe(join(dir, 'revperf.config.json'));
    expect(resolveConfigPath({ repoRoot: dir, allowExample: true })).toBe(join(dir, 'revperf.config.json'));
    rmSync(join(dir, 'revperf.config.json'));
  });

  it('never deploys the example config silently: without revperf.config.json the synth stops and says how to create one', () => {
    const fresh = mkdtempSync(join(tmpdir(), 'revperf-fresh-clone-'));
    try {
      copyFileSync(join(REPO_ROOT, EXAMPLE_CONFIG_FILE), join(fresh, EXAMPLE_CONFIG_FILE));
      const logged: string[] = [];
      const attempt = () => loadSynthConfig(new App({ context: CDK_CONTEXT }), { repoRoot: fresh, env: {}, log: (line) => logged.push(line) });
      expect(attempt).toThrow(MissingConfigError);
      const message = (() => {
        try {
          attempt();
          return '';
        } catch (error) {
          return (error as Error).message;
        }
      })();
      expect(message).toContain('cp revperf.config.example.json revperf.config.json');
      expect(message).toContain('revperf init');
      expect(message).toContain('-c allowExampleConfig=true');
      expect(logged).toEqual([]);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('uses the example config only with -c allowExampleConfig=true, and says so on stderr', () => {
    const fresh = mkdtempSync(join(tmpdir(), 'revperf-fresh-clone-'));
    try {
      copyFileSync(join(REPO_ROOT, EXAMPLE_CONFIG_FILE), join(fresh, EXAMPLE_CONFIG_FILE));
      for (const flag of ['true', true]) {
        const logged: string[] = [];
        const app = new App({ context: { ...CDK_CONTEXT, allowExampleConfig: flag } });
        const loaded = loadSynthConfig(app, { repoRoot: fresh, env: {}, log: (line) => logged.push(line) });
        expect(loaded).toMatchObject({ path: join(fresh, EXAMPLE_CONFIG_FILE), isExample: true });
        expect(loaded.config).toEqual(exampleConfig);
        expect(logged).toEqual([expect.stringContaining(`EXAMPLE config ${join(fresh, EXAMPLE_CONFIG_FILE)}`)]);
      }
      const notAllowed = new App({ context: { ...CDK_CONTEXT, allowExampleConfig: 'false' } });
      expect(() => loadSynthConfig(notAllowed, { repoRoot: fresh, env: {}, log: () => undefined })).toThrow(MissingConfigError);

      // An own config wins over the example, allowed or not, and is named as such.
      writeFileSync(join(fresh, 'revperf.config.json'), readFileSync(join(REPO_ROOT, EXAMPLE_CONFIG_FILE)));
      const logged: string[] = [];
      const own = loadSynthConfig(new App({ context: { ...CDK_CONTEXT, allowExampleConfig: 'true' } }), { repoRoot: fresh, env: {}, log: (line) => logged.push(line) });
      expect(own).toMatchObject({ path: join(fresh, 'revperf.config.json'), isExample: false });
      expect(logged).toEqual([`revperf: using config ${join(fresh, 'revperf.config.json')}`]);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('keeps revperf.config.json out of git, and CI synthesizes the example on purpose', () => {
    expect(readFileSync(join(REPO_ROOT, '.gitignore'), 'utf8').split('\n')).toContain('/revperf.config.json');
    const ci = readFileSync(join(REPO_ROOT, '.ci/run'), 'utf8');
    expect(ci).toMatch(/cdk synth [^\n]*-c allowExampleConfig=true/);
  });

  it('reports a missing explicit file by path', () => {
    expect(() => loadConfig({ repoRoot: dir, contextPath: 'missing.json' })).toThrow(/missing\.json[\s\S]*file not found/);
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
