// The RevperfFunction construct's opt-in chart assets: a function that draws
// charts gets the resvg wasm and the fonts copied next to its bundle by the
// afterBundling hook; every other function stays as small as before.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/app.js';
import { CHART_ASSET_SOURCES, CHART_ASSETS_FOLDER, RevperfFunction } from '../../infra/constructs/revperf-function.js';
import { BUNDLED_ASSETS_FOLDER, FONT_FILES, WASM_FILE } from '../../shared/reports/charts/chart-assets.js';

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
    const [withCharts, without] = [assetDirs.filter((dir) => existsSync(join(dir, CHART_ASSETS_FOLDER))), assetDirs.filter((dir) => !existsSync(join(dir, CHART_ASSETS_FOLDER)))];
    expect(withCharts).toHaveLength(1);
    expect(without).toHaveLength(1);
    const copied = readdirSync(join(withCharts[0]!, CHART_ASSETS_FOLDER)).sort();
    expect(copied).toEqual([...FONT_FILES, WASM_FILE, 'LICENSE'].sort());
    for (const name of copied) expect(statSync(join(withCharts[0]!, CHART_ASSETS_FOLDER, name)).size).toBeGreaterThan(1000);
  });
});
