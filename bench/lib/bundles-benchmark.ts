// The registry entry of the bundles and cold-start benchmark (bench/bundles.bench.ts),
// kept here so bench/run.ts stays a harness: goals, judge and its table.
import type { Benchmark } from './benchmark-types.js';

/** Issue 12 goal 7: every function's minified bundle, decimal megabytes. */
const BUNDLE_MAX_MB = 3;
const BUNDLED_FUNCTIONS = ['ingest', 'dispatch', 'deliver', 'download'] as const;

export const BUNDLES_BENCHMARK: Benchmark = {
  name: 'bundles',
  file: 'bench/bundles.bench.ts',
  // Imports of each bundle in fresh processes; the medians count.
  sizes: [15],
  // One run builds the five bundles and imports each of them N times, round-robin: the medians are its own.
  measuredRuns: 1,
  warmUp: false,
  baseline:
    'an empty handler (`export const handler = async () => null`) bundled with the same options and imported the same way, ' +
    'in the same run, round-robin with the functions',
  goal:
    `each function (${BUNDLED_FUNCTIONS.join(', ')}) bundled by esbuild with the options the stack gives NodejsFunction (infra/constructs/function-bundling.ts): ` +
    `≤ ${BUNDLE_MAX_MB} MB minified, no source map in the artifact; its import time in a fresh Node process (median of N, config read and SDK clients built, ` +
    'as at a cold start) reported against the empty bundle\'s',
  notesFile: 'bench/lib/bundles-notes.md',
  judge(results) {
    return results.flatMap((r) => {
      const x = r.revperfExtra;
      return BUNDLED_FUNCTIONS.map((name) => {
        const bytes = x[`${name}Bytes`] ?? Infinity;
        const importMs = x[`${name}ImportMs`] ?? NaN;
        const emptyMs = x.emptyImportMs ?? NaN;
        return {
          goal: `${name}: ≤ ${BUNDLE_MAX_MB} MB minified, no source map`,
          met: bytes <= BUNDLE_MAX_MB * 1e6 && x[`${name}OtherFiles`] === 0,
          measured:
            `${(bytes / 1e6).toFixed(2)} MB (${((x[`${name}GzipBytes`] ?? 0) / 1e6).toFixed(2)} MB gzipped); import ${importMs.toFixed(0)} ms ` +
            `(${(importMs / emptyMs).toFixed(1)}× the empty bundle's ${emptyMs.toFixed(0)} ms; CPU ${(x[`${name}ImportCpuMs`] ?? 0).toFixed(0)} ms vs ${(x.emptyImportCpuMs ?? 0).toFixed(0)} ms)`,
        };
      });
    });
  },
  extraMarkdown(result) {
    const lines = [
      '| bundle | minified (MB) | gzipped (MB) | import, wall (ms) | × empty | import, CPU (ms) | × empty | process spawn → exit (ms) |',
      '|---|---:|---:|---:|---:|---:|---:|---:|',
    ];
    for (const size of result.sizes) {
      const x = result.extra?.[String(size)]?.revperf;
      if (!x) continue;
      for (const name of [...BUNDLED_FUNCTIONS, 'empty']) {
        const ratio = (figure: string) => (name === 'empty' ? '1.0×' : `${((x[`${name}${figure}`] ?? 0) / (x[`empty${figure}`] ?? 1)).toFixed(1)}×`);
        lines.push(
          `| ${name} | ${((x[`${name}Bytes`] ?? 0) / 1e6).toFixed(3)} | ${name === 'empty' ? '–' : ((x[`${name}GzipBytes`] ?? 0) / 1e6).toFixed(3)} | ` +
            `${(x[`${name}ImportMs`] ?? 0).toFixed(0)} | ${ratio('ImportMs')} | ${(x[`${name}ImportCpuMs`] ?? 0).toFixed(0)} | ${ratio('ImportCpuMs')} | ${(x[`${name}ProcessMs`] ?? 0).toFixed(0)} |`,
        );
      }
      lines.push('', `Medians of ${size} imports of each bundle (the "rows" above count every import; the seconds are the whole run: five builds and the imports).`);
    }
    return lines.join('\n');
  },
};
