// The RevperfFunction construct's opt-in chart assets: a function that draws
// charts gets the resvg wasm and the fonts copied next to its bundle by the
// afterBundling hook; every other function stays as small as before.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/app.js';
import { CHART_ASSET_SOURCES, CHART_ASSETS_FOLDER, RevperfFunction } from '../../infra/constructs/revperf-function.js';
import { BUNDLED_ASSETS_FOLDER, FONT_FILES, WASM_FILE } from '../../shared/reports/charts/chart-assets.js';
import { BUNDLED_CONFIG_FILE } from '../../shared/config/bundled-config.js';
import { parseConfig } from '../../shared/config/schema.js';
import { functionConfig } from '../../functions/runtime.js';
import { EXAMPLE_CONFIG_FILE, loadConfig } from '../../infra/load-config.js';
import { functionAssetDir } from '../support/function-asset.js';

const SYNTH_TIMEOUT_MS = 120_000;

describe('RevperfFunction chart assets', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'revperf-function-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('copies exactly the files chart-assets.ts looks for', () => {
    expect(CHART_ASSETS_FOLDER).toBe(BUNDLED_ASSETS_FOLDER);
    const names = CHART_ASSET_SOURCES.map((source) => source.split('/').at(-1));
    expect(names).toEqual(expect.arrayContaining([WASM_FILE, ...FONT_FILES]));
    for (const source of CHART_ASSET_SOURCES) expect(existsSync(join(REPO_ROOT, source)), source).toBe(true);
  });

  it('ships the wasm and fonts with a function that draws charts, and nothing extra with one that does not', { timeout: SYNTH_TIMEOUT_MS }, () => {
    const app = new App({ outdir });
    const stack = new Stack(app, 'ChartAssetsTest');
    const alarmTopic = new Topic(stack, 'Alarms');
    const common = { repoRoot: REPO_ROOT, memorySize: 1024, timeout: Duration.minutes(1), environment: {}, alarmTopic };
    new RevperfFunction(stack, 'Charts', { ...common, name: 'dispatch', description: 'draws charts', chartAssets: true });
    new RevperfFunction(stack, 'Plain', { ...common, name: 'dispatch', description: 'draws nothing' });
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Function', 2);
    const assembly = app.synth();

    const assetDirs = readdirSync(assembly.directory)
      .filter((name) => name.startsWith('asset.'))
      .map((name) => join(assembly.directory, name))
      .filter((dir) => existsSync(join(dir, 'index.mjs')));
    expect(assetDirs).toHaveLength(2);
    // No source map in the artifact (issue 12 goal 7), so nothing for --enable-source-maps to load either.
    for (const dir of assetDirs) expect(readdirSync(dir).filter((name) => name.endsWith('.map'))).toEqual([]);
    for (const fn of Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))) {
      expect(fn.Properties.Environment.Variables.NODE_OPTIONS).toBeUndefined();
    }
    const [withCharts, without] = [assetDirs.filter((dir) => existsSync(join(dir, CHART_ASSETS_FOLDER))), assetDirs.filter((dir) => !existsSync(join(dir, CHART_ASSETS_FOLDER)))];
    expect(withCharts).toHaveLength(1);
    expect(without).toHaveLength(1);
    const copied = readdirSync(join(withCharts[0]!, CHART_ASSETS_FOLDER)).sort();
    expect(copied).toEqual([...FONT_FILES, WASM_FILE, 'LICENSE'].sort());
    for (const name of copied) expect(statSync(join(withCharts[0]!, CHART_ASSETS_FOLDER, name)).size).toBeGreaterThan(1000);
  });

  it('ships a config far beyond Lambda\'s 4 KB of environment inside the asset, read back by the runtime at cold start', { timeout: SYNTH_TIMEOUT_MS }, () => {
    const example = loadConfig({ repoRoot: REPO_ROOT, contextPath: EXAMPLE_CONFIG_FILE }).config;
    // 400 key accounts, quotes and non-ASCII included: ~20 KB once validated, no size guard in the way.
    const large = parseConfig({
      ...example,
      keyAccounts: { ...example.keyAccounts, names: Array.from({ length: 400 }, (_, i) => `O'Brien & Søn "Key" account ${i}`) },
    });
    expect(Buffer.byteLength(JSON.stringify(large))).toBeGreaterThan(16_000);
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'revperf-config-asset-')) });
    try {
      const stack = new Stack(app, 'ConfigAssetTest');
      const fn = new RevperfFunction(stack, 'Ingest', {
        name: 'ingest',
        repoRoot: REPO_ROOT,
        description: 'carries its config',
        memorySize: 1024,
        timeout: Duration.minutes(1),
        environment: { TABLE_NAME: 'revperf' },
        config: large,
        alarmTopic: new Topic(stack, 'Alarms'),
      });
      const env = Template.fromStack(stack).findResources('AWS::Lambda::Function');
      const variables = Object.values(env)[0]!.Properties.Environment.Variables as Record<string, string>;
      expect(variables.REVPERF_CONFIG).toBeUndefined();
      expect(Buffer.byteLength(JSON.stringify(variables))).toBeLessThan(512);
      const dir = functionAssetDir(app, fn.function);
      expect(readFileSync(join(dir, BUNDLED_CONFIG_FILE), 'utf8')).toBe(JSON.stringify(large));
      // What the handler does at cold start, from the asset's folder, with no override in the environment.
      expect(functionConfig({}, dir)).toEqual(large);
    } finally {
      rmSync(app.outdir, { recursive: true, force: true });
    }
  });
});

