// How every revperf function is bundled: the esbuild options NodejsFunction is
// given (FUNCTION_BUNDLING), and the same options as esbuild's own API
// (esbuildOptions) for what builds a function's bundle outside CDK — the bundle
// benchmark (bench/bundles.bench.ts) and the tests that run the bundles — so
// that what is measured and tested is what the stack deploys.
import { OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';

/** esbuild emits ESM, but some dependencies are CommonJS and call require(): give the bundle one. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as revperfCreateRequire } from 'node:module'; const require = revperfCreateRequire(import.meta.url);";

export const BUNDLE_MAIN_FIELDS = ['module', 'main'] as const;

/** The esbuild target of the functions' runtime (FUNCTION_RUNTIME, nodejs22.x). */
export const BUNDLE_TARGET = 'node22';

/**
 * NodejsFunction's `bundling`, less the per-function command hooks. Minified, no
 * source map in the artifact (issue 12: every bundle ≤ 3 MB, bench/RESULTS.md
 * `bundles`), the SDK bundled and tree-shaken with the rest instead of taken from the runtime.
 */
export const FUNCTION_BUNDLING = {
  forceDockerBundling: false,
  format: OutputFormat.ESM,
  target: BUNDLE_TARGET,
  mainFields: [...BUNDLE_MAIN_FIELDS],
  banner: ESM_REQUIRE_BANNER,
  minify: true,
  sourceMap: false,
  // Ship the SDK version the tests ran against, not whatever the runtime carries.
  bundleAwsSDK: true,
  externalModules: [],
} as const satisfies BundlingOptions;

/** The esbuild options NodejsFunction passes for FUNCTION_BUNDLING (its `--bundle --platform=node …` command line), for esbuild's `build()`. */
export function esbuildOptions(entry: string, outfile: string, overrides: Pick<BuildOptions, 'target' | 'metafile'> = {}): BuildOptions {
  const bundling = FUNCTION_BUNDLING;
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: bundling.format === OutputFormat.ESM ? 'esm' : 'cjs',
    target: bundling.target,
    mainFields: [...bundling.mainFields],
    banner: { js: bundling.banner },
    minify: bundling.minify,
    sourcemap: bundling.sourceMap,
    external: [...bundling.externalModules],
    logLevel: 'silent',
    ...overrides,
  };
}
