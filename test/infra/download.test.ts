// Assertions on the download half of the reporting stack, synthesized from the
// example config as `cdk synth` builds it: the link key in Secrets Manager, the
// download function behind a Function URL without IAM auth, the two grants of
// the key (and nobody else's), reports/* as the only objects it can read, and
// the deliver worker told where to point its links.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRevperfStacks, REPO_ROOT, type RevperfStacks } from '../../infra/app.js';
import { EXAMPLE_CONFIG_FILE, loadConfig } from '../../infra/load-config.js';

type Json = Record<string, any>;

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

/** The literal tail of a resource built as Fn::Join ['', [<import>, '/reports/*']]; a Ref or GetAtt as JSON. */
function describeResource(resource: Json | string): string {
  if (typeof resource === 'string') return resource;
  const parts = resource['Fn::Join']?.[1] as unknown[] | undefined;
  if (parts) return typeof parts.at(-1) === 'string' ? `…${parts.at(-1) as string}` : JSON.stringify(resource);
  return JSON.stringify(resource);
}

describe('the download function in the reporting stack synthesized from the example config', () => {
  let app: App;
  let stacks: RevperfStacks;
  let reporting: Template;
  let resources: Json;
  /** Every allowed `action resource` pair of every policy, with the roles it is attached to (minimizePolicies may merge statements). */
  let grants: { role: string; grant: string }[];
  const downloadRole = () => logicalIdOf(stacks.reporting.download.function.role);
  const deliverRole = () => logicalIdOf(stacks.reporting.deliver.role);
  const secretRef = () => JSON.stringify({ Ref: logicalIdOf(stacks.reporting.download.linkKey) });
  const grantsOf = (role: string) => grants.filter((g) => g.role === role).map((g) => g.grant);

  beforeAll(() => {
    app = new App({ context: CDK_CONTEXT, outdir: mkdtempSync(join(tmpdir(), 'revperf-download-')), builtinCloudFormationValidation: false });
    stacks = addRevperfStacks(app, exampleConfig, { nag: false });
    reporting = Template.fromStack(stacks.reporting);
    resources = reporting.toJSON().Resources as Json;
    grants = Object.values(reporting.findResources('AWS::IAM::Policy')).flatMap((policy: Json) =>
      (policy.Properties.PolicyDocument.Statement as Json[])
        .filter((statement) => statement.Effect === 'Allow')
        .flatMap((statement) =>
          asList(statement.Action as string | string[]).flatMap((action) =>
            asList(statement.Resource as Json | Json[]).flatMap((resource) =>
              (policy.Properties.Roles as Json[]).map((role) => ({ role: role.Ref as string, grant: `${action} ${describeResource(resource)}` })),
            ),
          ),
        ),
    );
  }, SYNTH_TIMEOUT_MS);
  afterAll(() => {
    if (app) rmSync(app.outdir, { recursive: true, force: true });
  });

  it('keeps the link key in Secrets Manager: 64 generated characters', () => {
    const secret = resources[logicalIdOf(stacks.reporting.download.linkKey)] as Json;
    expect(secret.Type).toBe('AWS::SecretsManager::Secret');
    expect(secret.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false });
    expect(secret.Properties.SecretString).toBeUndefined();
    reporting.resourceCountIs('AWS::SecretsManager::Secret', 1);
  });

  it('is a small function (256 MB, 10 s) on the revperf defaults, given the bucket and the secret, not the table or the config', () => {
    const props = resources[logicalIdOf(stacks.reporting.download.function.function)].Properties as Json;
    expect(props).toMatchObject({ MemorySize: 256, Timeout: 10, Runtime: 'nodejs22.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } });
    const env = props.Environment.Variables as Json;
    const deliverEnv = (resources[logicalIdOf(stacks.reporting.deliver.function)].Properties as Json).Environment.Variables as Json;
    expect(env.BUCKET_NAME).toEqual(deliverEnv.BUCKET_NAME);
    expect(JSON.stringify(env.DOWNLOAD_SECRET_ARN)).toBe(secretRef());
    expect(env.POWERTOOLS_SERVICE_NAME).toBe('revperf-download');
    expect(env.TABLE_NAME).toBeUndefined();
    expect(env.REVPERF_CONFIG).toBeUndefined();
  });

  it('has a Function URL without IAM auth (opened from e-mail; the HMAC is the authorisation), invokable through the URL only', () => {
    const functionId = logicalIdOf(stacks.reporting.download.function.function);
    const urls = Object.values(reporting.findResources('AWS::Lambda::Url')) as Json[];
    expect(urls).toHaveLength(1);
    expect(urls[0]!.Properties).toEqual({ AuthType: 'NONE', TargetFunctionArn: { 'Fn::GetAtt': [functionId, 'Arn'] } });
    const publicPermissions = (Object.values(reporting.findResources('AWS::Lambda::Permission')) as Json[]).filter((p) => p.Properties.Principal === '*');
    expect(publicPermissions.map((p) => p.Properties.FunctionName)).toEqual(publicPermissions.map(() => ({ 'Fn::GetAtt': [functionId, 'Arn'] })));
    for (const permission of publicPermissions) {
      // Either InvokeFunctionUrl for an auth-NONE URL, or InvokeFunction only when invoked via the Function URL.
      expect(permission.Properties.FunctionUrlAuthType === 'NONE' || permission.Properties.InvokedViaFunctionUrl === true).toBe(true);
    }
  });

  it('may read objects under reports/ and the link key, and nothing else (besides its own logs, X-Ray and failure queue)', () => {
    const failureQueue = JSON.stringify({ 'Fn::GetAtt': [logicalIdOf(stacks.reporting.download.function.failureQueue), 'Arn'] });
    const own = grantsOf(downloadRole()).filter(
      (grant) => !grant.startsWith('logs:') && !grant.startsWith('xray:') && !(grant.startsWith('sqs:') && grant.endsWith(` ${failureQueue}`)),
    );
    expect(own.sort()).toEqual([`s3:GetObject …/reports/*`, `secretsmanager:GetSecretValue ${secretRef()}`].sort());
  });

  it('the deliver worker may read the link key, and gets the URL and the secret ARN in its environment', () => {
    expect(grantsOf(deliverRole())).toContain(`secretsmanager:GetSecretValue ${secretRef()}`);
    const env = (resources[logicalIdOf(stacks.reporting.deliver.function)].Properties as Json).Environment.Variables as Json;
    expect(env.DOWNLOAD_URL).toEqual({ 'Fn::GetAtt': [logicalIdOf(stacks.reporting.download.functionUrl), 'FunctionUrl'] });
    expect(JSON.stringify(env.DOWNLOAD_SECRET_ARN)).toBe(secretRef());
  });

  it('grants Secrets Manager to the download and deliver roles only, GetSecretValue only, on the link key only', () => {
    const secretGrants = grants.filter((g) => g.grant.startsWith('secretsmanager:'));
    expect(secretGrants.map((g) => g.role).sort()).toEqual([deliverRole(), downloadRole()].sort());
    expect(new Set(secretGrants.map((g) => g.grant))).toEqual(new Set([`secretsmanager:GetSecretValue ${secretRef()}`]));
    // Nothing reaches the other functions: ingest and dispatch see no secret and no download URL.
    for (const fn of [stacks.reporting.ingest, stacks.reporting.dispatch]) {
      const env = (resources[logicalIdOf(fn.function)].Properties as Json).Environment.Variables as Json;
      expect(env.DOWNLOAD_URL).toBeUndefined();
      expect(env.DOWNLOAD_SECRET_ARN).toBeUndefined();
    }
  });

  it('publishes the download URL as a stack output', () => {
    expect(reporting.toJSON().Outputs.DownloadUrl.Value).toEqual({ 'Fn::GetAtt': [logicalIdOf(stacks.reporting.download.functionUrl), 'FunctionUrl'] });
  });
});
