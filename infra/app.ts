// The CDK app (cdk.json: "npx tsx infra/app.ts"). The stacks are environment
// agnostic: synth needs no AWS account or credentials; `cdk deploy` takes the
// account and region from the caller's profile.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { ConfigError, type RevperfConfig } from '../shared/config/schema.js';
import { DataStack } from './data-stack.js';
import { ALLOW_EXAMPLE_CONFIG_CONTEXT, configUsedLine, contextFlag, loadConfig, MissingConfigError, type LoadedConfig } from './load-config.js';
import { ReportingStack } from './reporting-stack.js';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface RevperfStacks {
  data: DataStack;
  reporting: ReportingStack;
}

/**
 * Adds the two revperf stacks for a validated config to an app and, unless
 * told otherwise, the cdk-nag packs that check them during synth.
 */
export function addRevperfStacks(
  app: App,
  config: RevperfConfig,
  { nag = true, repoRoot = REPO_ROOT }: { nag?: boolean; repoRoot?: string } = {},
): RevperfStacks {
  const data = new DataStack(app, 'RevperfData', {
    description: `revperf data (${config.org.name}): uploads bucket and table, retained on delete`,
  });
  const reporting = new ReportingStack(app, 'RevperfReporting', {
    description: `revperf reporting (${config.org.name}): ingest, daily dispatch, alarms`,
    bucket: data.bucket,
    table: data.table,
    config,
    repoRoot,
  });
  Tags.of(app).add('app', 'revperf');
  if (nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return { data, reporting };
}

/**
 * The config `cdk synth` uses: `-c config=<path>`, REVPERF_CONFIG_FILE, else
 * revperf.config.json at the repository root, else — only with
 * `-c allowExampleConfig=true` — the example config. Says on `log` (stderr)
 * which one it used. Throws MissingConfigError or ConfigError.
 */
export function loadSynthConfig(
  app: App,
  { repoRoot = REPO_ROOT, env = process.env, log = (line: string) => console.error(line) }: { repoRoot?: string; env?: NodeJS.ProcessEnv; log?: (line: string) => void } = {},
): LoadedConfig {
  const loaded = loadConfig({
    contextPath: app.node.tryGetContext('config') as string | undefined,
    envPath: env.REVPERF_CONFIG_FILE,
    repoRoot,
    allowExample: contextFlag(app.node.tryGetContext(ALLOW_EXAMPLE_CONFIG_CONTEXT)),
  });
  log(configUsedLine(loaded));
  return loaded;
}

function main(): void {
  const app = new App();
  let config: RevperfConfig;
  try {
    ({ config } = loadSynthConfig(app));
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof MissingConfigError)) throw error;
    // The message already names every bad field, or says how to create the file; a stack trace would only bury it.
    console.error(error.message);
    process.exit(1);
  }
  addRevperfStacks(app, config);
  app.synth();
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
