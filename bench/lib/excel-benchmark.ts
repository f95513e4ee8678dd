// The registry entry of the Excel sheet benchmark (bench/excel.bench.ts),
// kept here so bench/run.ts stays a harness: goals and judge.
import type { Benchmark } from './benchmark-types.js';

const EXCEL_MAX_RATIO = 1.5;
const EXCEL_MAX_RSS_MB = 512;

export const EXCEL_BENCHMARK: Benchmark = {
  name: 'excel',
  file: 'bench/excel.bench.ts',
  sizes: [200_000],
  baseline: "exceljs 4.4's streaming WorkbookWriter writing the same values unstyled (addRow(values).commit(), no styles, no conditional formats)",
  goal:
    `the pack's open-pipeline sheet (12 columns, styled per kind, frozen header, autofilter, fitted widths, RAG, data bar, a subtotal per rep) ` +
    `through shared/reports/excel: ≤ ${EXCEL_MAX_RATIO}× the baseline's time and ≤ ${EXCEL_MAX_RSS_MB} MB peak RSS at 200k deals`,
  notesFile: 'bench/lib/excel-notes.md',
  judge(results) {
    const worstRatio = Math.max(...results.map((r) => r.revperfSeconds / r.baselineSeconds));
    const worstRss = Math.max(...results.map((r) => r.revperfPeakRssMb));
    return [
      {
        goal: `≤ ${EXCEL_MAX_RATIO}× the unstyled streaming writer's time`,
        met: results.length > 0 && worstRatio <= EXCEL_MAX_RATIO,
        measured: results.map((r) => `${(r.revperfSeconds / r.baselineSeconds).toFixed(2)}× at ${r.size}`).join(', '),
      },
      {
        goal: `peak RSS ≤ ${EXCEL_MAX_RSS_MB} MB`,
        met: results.length > 0 && worstRss <= EXCEL_MAX_RSS_MB,
        measured: results.map((r) => `${r.revperfPeakRssMb.toFixed(0)} MB at ${r.size} (baseline ${r.baselinePeakRssMb.toFixed(0)} MB)`).join(', '),
      },
    ];
  },
};
