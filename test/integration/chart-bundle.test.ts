// The chart renderer as Lambda runs it: bundled by esbuild with the stack's
// options into a folder far from node_modules, the assets copied next to it by
// the same afterBundling commands the stack runs, then loaded in a fresh Node
// process that renders a chart. Proves the wasm and the fonts are found
// without the source tree (and that a missing folder fails naming the fix).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { esbuildOptions } from '../../infra/constructs/function-bundling.js';
import { CHART_ASSETS_FOLDER, chartAssetCommands } from '../../infra/constructs/revperf-function.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const RESULT_MARK = 'CHART-RESULT ';
const ERROR_MARK = 'CHART-ERROR ';

const ENTRY = `
import { attainmentChart } from ${JSON.stringify(join(ROOT, 'shared/reports/charts/attainment-chart.ts'))};
export async function handler() {
  const chart = await attainmentChart({
    title: 'Attainment by rep',
    locale: 'es',
    rag: { green: 1, amber: 0.8 },
    labels: { quotaLine: 'Cuota', noQuota: 'sin cuota', noData: 'Sin datos' },
    entities: [{ name: 'Ana Peña', attainment: 1.04 }, { name: 'Ben Ito', attainment: null }],
  });
  const ihdr = new DataView(chart.png.buffer, chart.png.byteOffset + 16, 8);
  return { width: chart.width, height: chart.height, pngWidth: ihdr.getUint32(0), pngHeight: ihdr.getUint32(4), bytes: chart.png.length, svgHasName: chart.svg.includes('Ana Peña') };
}
`;

/**
 * Like the Lambda runtime, reports a thrown error by name and message. (Left
 * uncaught, Node would first print the minified one-line bundle around the
 * throw — hundreds of kB that a pipe may cut short before the message.)
 */
function run(bundlePath: string, env: Record<string, string>, cwd: string): Promise<{ code: number | null; result: any; error: string | null; stderr: string }> {
  const script = [
    'try {',
    `  const { handler } = await import(${JSON.stringify(bundlePath)});`,
    '  const result = await handler();',
    `  process.stdout.write('\\n' + ${JSON.stringify(RESULT_MARK)} + JSON.stringify(result) + '\\n');`,
    '} catch (error) {',
    `  process.stdout.write('\\n' + ${JSON.stringify(ERROR_MARK)} + JSON.stringify(error.name + ': ' + error.message) + '\\n');`,
    '  process.exitCode = 1;',
    '}',
  ].join('\n');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd, env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => {
      const lines = stdout.split('\n');
      const line = lines.find((candidate) => candidate.startsWith(RESULT_MARK));
      const errorLine = lines.find((candidate) => candidate.startsWith(ERROR_MARK));
      resolve({
        code,
        result: line ? JSON.parse(line.slice(RESULT_MARK.length)) : null,
        error: errorLine ? (JSON.parse(errorLine.slice(ERROR_MARK.length)) as string) : null,
        stderr,
      });
    });
  });
}

describe('the chart renderer, bundled', () => {
  let workDir: string;
  let bundlePath: string;
  let bareBundlePath: string;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'revperf-chart-bundle-'));
    const entry = join(workDir, 'entry.ts');
    await writeFile(entry, ENTRY);
    bundlePath = join(workDir, 'asset', 'index.mjs');
    bareBundlePath = join(workDir, 'bare', 'index.mjs');
    // The stack's options; target node20, the machine running this test.
    await build(esbuildOptions(entry, bundlePath, { target: 'node20' }));
    await build(esbuildOptions(entry, bareBundlePath, { target: 'node20' }));
    // What NodejsFunction runs after bundling (bash -c, commands joined with &&).
    const copy = spawnSync('bash', ['-c', chartAssetCommands(ROOT, join(workDir, 'asset')).join(' && ')], { encoding: 'utf8' });
    expect(copy.stderr).toBe('');
    expect(copy.status).toBe(0);
  });
  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('renders a chart from the assets copied next to the bundle, with no node_modules in reach', async () => {
    const { code, result, error, stderr } = await run(bundlePath, {}, workDir);
    expect(error).toBeNull();
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(result).toMatchObject({ width: 600, pngWidth: 1200, svgHasName: true });
    expect(result.pngHeight).toBe(result.height * 2);
    expect(result.bytes).toBeGreaterThan(5_000);
  });

  it('fails naming the missing files and the override variable when the assets were not copied', async () => {
    const { code, error } = await run(bareBundlePath, {}, workDir);
    expect(code).not.toBe(0);
    expect(error).toMatch(/^ChartAssetsMissingError: chart assets not found: no .*chart-assets\/index_bg\.wasm .*set REVPERF_CHART_ASSETS_DIR$/);
  });

  it('takes the assets from REVPERF_CHART_ASSETS_DIR when set', async () => {
    const { code, result, stderr } = await run(bareBundlePath, { REVPERF_CHART_ASSETS_DIR: join(workDir, 'asset', CHART_ASSETS_FOLDER) }, workDir);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(result).toMatchObject({ width: 600, pngWidth: 1200 });
  });
});
