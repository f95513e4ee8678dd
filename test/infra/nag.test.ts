// cdk-nag (v3: policy-validation plugins) over the app exactly as `cdk synth`
// builds it: the AwsSolutions and Serverless packs must find nothing that is
// not acknowledged, and every acknowledgement must be scoped and explained.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations, type PolicyViolation } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRevperfStacks, REPO_ROOT, type RevperfStacks } from '../../infra/app.js';
import { EXAMPLE_CONFIG_FILE, loadConfig } from '../../infra/load-config.js';

/** Bundling both functions with esbuild and synthesizing takes seconds, more on a loaded CI runner. */
const SYNTH_TIMEOUT_MS = 120_000;
const CDK_CONTEXT = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')).context as Record<string, unknown>;
const { config } = loadConfig({ repoRoot: REPO_ROOT, contextPath: EXAMPLE_CONFIG_FILE });

interface Acknowledgement {
  id: string;
  reason: string;
  path: string;
}

function newApp(): App {
  return new App({
    context: CDK_CONTEXT,
    outdir: mkdtempSync(join(tmpdir(), 'revperf-nag-')),
    builtinCloudFormationValidation: false,
  });
}

/** One line per unacknowledged finding, so a failure reads like the CLI's report. */
function describeViolations(violations: PolicyViolation[]): string[] {
  return violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => `${violation.severity} ${violation.ruleName} at ${resource.constructPath}`),
  );
}

function acknowledgementsIn(scope: IConstruct): Acknowledgement[] {
  return scope.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          // CDK files rule ids it does not know under 'Annotation::'; cdk-nag matches them without it.
          id: id.replace(/^annotation::/i, ''),
          reason,
          path: construct.node.path,
        })),
      ),
  );
}

describe('cdk-nag over the revperf app', () => {
  let app: App;
  let stacks: RevperfStacks;
  beforeAll(() => {
    app = newApp();
    stacks = addRevperfStacks(app, config);
    // Synth first: it runs the packs registered by addRevperfStacks (and throws on any
    // unacknowledged finding) and resolves the cross-stack references findings are named by.
    app.synth();
  }, SYNTH_TIMEOUT_MS);
  afterAll(() => {
    if (app) rmSync(app.outdir, { recursive: true, force: true });
  });

  it('AwsSolutions reports no unacknowledged error or warning', () => {
    expect(describeViolations(new AwsSolutionsChecks().validateScope(app).violations)).toEqual([]);
  });

  it('Serverless reports no unacknowledged error or warning', () => {
    expect(describeViolations(new ServerlessChecks().validateScope(app).violations)).toEqual([]);
  });

  it('leaves no CDK warning or error annotation on either stack', () => {
    for (const stack of [stacks.data, stacks.reporting]) {
      expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
      expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
    }
  });

  it('acknowledges findings on the constructs concerned, never on the app or a whole stack', () => {
    const acknowledgements = acknowledgementsIn(app).filter((a) => /(AwsSolutions|Serverless)-/.test(a.id));
    expect(acknowledgements.length).toBeGreaterThan(5);
    const broad = acknowledgements.filter((a) => a.path === '' || app.node.tryFindChild(a.path) instanceof Stack);
    expect(broad).toEqual([]);
  });

  it('gives every acknowledgement a specific written reason', () => {
    for (const acknowledgement of acknowledgementsIn(app)) {
      expect(acknowledgement.reason.length, `${acknowledgement.id} at ${acknowledgement.path}`).toBeGreaterThanOrEqual(80);
    }
  });

  it('acknowledges the wildcard of X-Ray only: object grants are acknowledged per prefix', () => {
    const ids = acknowledgementsIn(stacks.reporting.ingest).map((a) => a.id);
    expect(ids).toContain('AwsSolutions-IAM5[Resource::*]');
    expect(ids.filter((id) => id.includes('/uploads/*]'))).toHaveLength(1);
    expect(ids.filter((id) => id.includes('/ingest-reports/*]'))).toHaveLength(1);
    expect(ids.some((id) => id.includes('Action::'))).toBe(false);
  });

  it('acknowledges on deliver only the X-Ray wildcard and the reports/ prefix: its SES grant needs no wildcard', () => {
    const ids = acknowledgementsIn(stacks.reporting.deliver).map((a) => a.id);
    expect(ids.filter((id) => id.startsWith('AwsSolutions-IAM5')).sort()).toEqual(
      ['AwsSolutions-IAM5[Resource::*]', ids.find((id) => id.endsWith('/reports/*]'))].sort(),
    );
    expect(ids.filter((id) => id.endsWith('/reports/*]'))).toHaveLength(1);
  });

  it("acknowledges IAM5[Resource::*] on X-Ray's own policy only, never on a whole role", () => {
    const starAcks = acknowledgementsIn(app).filter((a) => a.id === 'AwsSolutions-IAM5[Resource::*]');
    const functions = [stacks.reporting.ingest, stacks.reporting.dispatch, stacks.reporting.deliver, stacks.reporting.download.function];
    expect(starAcks.map((a) => a.path).sort()).toEqual(functions.map((fn) => fn.xrayPolicy.node.path).sort());
    for (const fn of functions) expect(acknowledgementsIn(fn.role).map((a) => a.id)).not.toContain('AwsSolutions-IAM5[Resource::*]');
  });

  it('gives the bucket-notifications handler an IAM4 reason that names notificationsHandlerRole and why it does not help', () => {
    const iam4 = acknowledgementsIn(stacks.reporting).filter((a) => a.id.startsWith('AwsSolutions-IAM4'));
    expect(iam4).toHaveLength(1);
    expect(iam4[0]!.path).toMatch(/^RevperfReporting\/BucketNotificationsHandler/);
    expect(iam4[0]!.reason).toContain('notificationsHandlerRole');
    expect(iam4[0]!.reason).not.toContain('no way to replace its role');
  });

  it('acknowledges the missing event-source destination on the SQS mapping only, and the DLQ findings on the DLQ only', () => {
    const onMapping = acknowledgementsIn(stacks.reporting.deliver.function).filter(
      (a) => a.id === 'Serverless-LambdaEventSourceMappingDestination',
    );
    expect(onMapping).toHaveLength(1);
    expect(onMapping[0]!.path).toMatch(/^RevperfReporting\/Deliver\/Function\/SqsEventSource/);
    expect(acknowledgementsIn(stacks.reporting.deliveryQueue)).toEqual([]);
    expect(acknowledgementsIn(stacks.reporting.deliveryDeadLetterQueue).map((a) => a.id).sort()).toEqual([
      'AwsSolutions-SQS3',
      'Serverless-SQSRedrivePolicy',
    ]);
  });
});

describe('cdk-nag wiring', () => {
  let app: App;
  afterAll(() => {
    if (app) rmSync(app.outdir, { recursive: true, force: true });
  });

  it('fails the synth when a resource breaks a rule nobody acknowledged', { timeout: SYNTH_TIMEOUT_MS }, () => {
    app = newApp();
    const { reporting } = addRevperfStacks(app, config);
    new Queue(reporting, 'UnguardedQueue');
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS4[\s\S]*validation-report\.json/);
    const report = readFileSync(join(app.outdir, 'validation-report.json'), 'utf8');
    expect(report).toContain('Serverless-SQSRedrivePolicy');
    expect(report).toContain('RevperfReporting/UnguardedQueue/Resource');
  });
});
