// The registry entry of the pre-review pack benchmark (bench/pack.bench.ts),
// kept here so bench/run.ts stays a harness: goals and judge.
import type { Benchmark } from './benchmark-types.js';

const PACK_MAX_RATIO = 1.5;
const PACK_MAX_RSS_MB = 512;

export const PACK_BENCHMARK: Benchmark = {
  name: 'pack',
  file: 'bench/pack.bench.ts',
  sizes: [200_000],
  baseline:
    "exceljs 4.4's streaming WorkbookWriter writing the same sheets and cell values (taken from the pack's own page models and row generators) " +
    'unstyled: no styles, conditional formats, charts, widths or print setup',
  goal:
    `the whole quarterly pre-review pack (renderPackWorkbook: Summary with three charts, 500 rep pages with talking points, key accounts, ` +
    `open pipeline, closed won, data quality) for 500 reps and 200k deals: ≤ ${PACK_MAX_RATIO}× the baseline's time and ≤ ${PACK_MAX_RSS_MB} MB peak RSS`,
  notesFile: 'bench/lib/pack-notes.md',
  judge(results) {
    const worstRatio = Math.max(...results.map((r) => r.revperfSeconds / r.baselineSeconds));
    const worstRss = Math.max(...results.map((r) => r.revperfPeakRssMb));
    return [
      {
        goal: `≤ ${PACK_MAX_RATIO}× the unstyled streaming writer's time`,
        met: results.length > 0 && worstRatio <= PACK_MAX_RATIO,
        measured: results.map((r) => `${(r.revperfSeconds / r.baselineSeconds).toFixed(2)}× at ${r.size} deals (CPU ${r.revperfCpuSeconds.toFixed(1)} s)`).join(', '),
      },
      {
        goal: `peak RSS ≤ ${PACK_MAX_RSS_MB} MB`,
        met: results.length > 0 && worstRss <= PACK_MAX_RSS_MB,
        measured: results.map((r) => `${r.revperfPeakRssMb.toFixed(0)} MB at ${r.size} deals (baseline ${r.baselinePeakRssMb.toFixed(0)} MB)`).join(', '),
      },
    ];
  },
};
