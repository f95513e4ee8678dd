// Where the chart renderer finds its binary assets: the resvg WebAssembly
// module and the DejaVu Sans fonts. Three layouts, tried in order:
// 1. REVPERF_CHART_ASSETS_DIR: a folder holding all of them (an override for
//    unusual deployments and for tests);
// 2. a `chart-assets/` folder next to the running module: the Lambda bundle,
//    where esbuild has inlined this file into index.mjs and the stack's
//    afterBundling hook (infra/constructs/revperf-function.ts) copied them there;
// 3. the source tree: fonts/ next to this file, the wasm from node_modules.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CHART_ASSETS_DIR_VARIABLE = 'REVPERF_CHART_ASSETS_DIR';
/** The folder name the bundle carries its assets in, next to index.mjs. */
export const BUNDLED_ASSETS_FOLDER = 'chart-assets';
export const WASM_FILE = 'index_bg.wasm';
export const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'] as const;
/** The family name inside those files: what vega writes into the SVG and resvg matches. */
export const CHART_FONT_FAMILY = 'DejaVu Sans';

export interface ChartAssets {
  wasm: Uint8Array;
  fonts: Uint8Array[];
  /** Where they were read from, for error messages and logs. */
  source: string;
}

export class ChartAssetsMissingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChartAssetsMissingError';
  }
}

function readAll(wasmPath: string, fontDir: string, source: string): ChartAssets {
  const missing = [wasmPath, ...FONT_FILES.map((file) => join(fontDir, file))].filter((path) => !existsSync(path));
  if (missing.length > 0) {
    throw new ChartAssetsMissingError(`chart assets not found (${source}): ${missing.join(', ')}`);
  }
  return {
    wasm: readFileSync(wasmPath),
    fonts: FONT_FILES.map((file) => readFileSync(join(fontDir, file))),
    source,
  };
}

/** Reads the assets from the first layout that has them; throws naming the paths when none does. */
export function loadChartAssets(env: Record<string, string | undefined> = process.env): ChartAssets {
  const override = env[CHART_ASSETS_DIR_VARIABLE];
  if (override) return readAll(join(override, WASM_FILE), override, `${CHART_ASSETS_DIR_VARIABLE}=${override}`);

  const moduleDir = dirname(fileURLToPath(import.meta.url));
  const bundled = join(moduleDir, BUNDLED_ASSETS_FOLDER);
  if (existsSync(join(bundled, WASM_FILE))) return readAll(join(bundled, WASM_FILE), bundled, bundled);

  let wasmPath: string;
  try {
    wasmPath = createRequire(import.meta.url).resolve(`@resvg/resvg-wasm/${WASM_FILE}`);
  } catch {
    throw new ChartAssetsMissingError(
      `chart assets not found: no ${join(bundled, WASM_FILE)} and @resvg/resvg-wasm is not installed; set ${CHART_ASSETS_DIR_VARIABLE}`,
    );
  }
  return readAll(wasmPath, join(moduleDir, 'fonts'), 'source tree');
}
