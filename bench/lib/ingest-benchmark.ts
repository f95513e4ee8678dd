// The registry entry of the ingest benchmark (bench/ingest.bench.ts),
// kept here so bench/run.ts stays a harness: goals and judge.
import { MAX_RSS_GROWTH, thousands, type Benchmark } from './benchmark-types.js';

const ROWS_PER_SECOND_GOAL = 250_000;
const MAX_RATIO = 2;

export const INGEST_BENCHMARK: Benchmark = {
  name: 'ingest',
  file: 'bench/ingest.bench.ts',
  sizes: [100_000, 1_000_000],
  baseline: 'papaparse 5.7 streaming the same file (chunk mode, arrays, no header handling), counting rows',
  goal:
    `Salesforce deals CSV from disk → openCsv → UploadNormaliser → DynamoDB items: ≥ ${thousands(ROWS_PER_SECOND_GOAL)} ` +
    `at 1M rows; ≤ ${MAX_RATIO}× papaparse's time at every size; peak RSS flat as the file grows (1M within ${MAX_RSS_GROWTH}× of 100k)`,
  notesFile: 'bench/lib/ingest-notes.md',
  judge(results) {
    const largest = results[results.length - 1];
    const smallest = results[0];
    if (largest === undefined || smallest === undefined) return [];
    const rowsPerSecond = largest.rows / largest.revperfSeconds;
    const worstRatio = Math.max(...results.map((r) => r.revperfSeconds / r.baselineSeconds));
    const rssGrowth = largest.revperfPeakRssMb / smallest.revperfPeakRssMb;
    return [
      {
        goal: `≥ ${thousands(ROWS_PER_SECOND_GOAL)} end to end at ${largest.size} rows`,
        met: rowsPerSecond >= ROWS_PER_SECOND_GOAL,
        measured: `${thousands(rowsPerSecond)} (${thousands(largest.rows / largest.revperfCpuSeconds)} per CPU-second)`,
      },
      {
        goal: `≤ ${MAX_RATIO}× papaparse's time at every size`,
        met: worstRatio <= MAX_RATIO,
        measured: results.map((r) => `${(r.revperfSeconds / r.baselineSeconds).toFixed(2)}× at ${r.size}`).join(', '),
      },
      {
        goal: `peak RSS at ${largest.size} within ${MAX_RSS_GROWTH}× of ${smallest.size}`,
        met: rssGrowth <= MAX_RSS_GROWTH,
        measured: `${rssGrowth.toFixed(2)}× (${largest.revperfPeakRssMb.toFixed(0)} MB vs ${smallest.revperfPeakRssMb.toFixed(0)} MB)`,
      },
    ];
  },
};
