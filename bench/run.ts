// The benchmark harness: `npm run bench` runs every benchmark in BENCHMARKS,
// `npm run bench -- ingest` one of them, `npm run bench -- --markdown-only`
// rewrites RESULTS.md from results.json without measuring, `--quick` measures at a tenth
// of every size, one run a side, no warm-up and no profile — a check of the whole path in a
// few minutes, written to bench/results.quick.json (not committed) so it never replaces the
// recorded results. Each measurement is a fresh child
// process (bench/lib/bench-child.ts is its side of the protocol); per size the
// baseline and revperf alternate — one warm-up each, discarded, then three
// measured runs each, the median counting — so a machine that gets busier
// mid-run slows both alike. Results merge into bench/results.json, and
// bench/RESULTS.md is regenerated from it.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Measurement } from './lib/bench-child.js';
import { formatSelfTimes, selfTimes, type SelfTime } from './lib/cpu-profile-summary.js';
import { READS_BENCHMARK } from './lib/reads-benchmark.js';

const BENCH_DIR = import.meta.dirname;
const RESULTS_JSON = join(BENCH_DIR, 'results.json');
const RESULTS_MD = join(BENCH_DIR, 'RESULTS.md');
/** Where `--quick` writes: a check of the path, not a record (git-ignored). */
const QUICK_RESULTS_JSON = join(BENCH_DIR, 'results.quick.json');
const MEASURED_RUNS = 3;
/** Functions listed from the profile of a benchmark that misses a goal. */
const PROFILE_TOP = 20;

type BySize<T> = Record<string, T>;

/** What the goals of a benchmark are judged on: per size, the medians of both sides. */
export interface SizeResult {
  size: number;
  rows: number;
  baselineSeconds: number;
  revperfSeconds: number;
  revperfCpuSeconds: number;
  /** Highest peak RSS of revperf's measured runs. */
  revperfPeakRssMb: number;
  baselinePeakRssMb: number;
  /** The benchmark's own figures (bench-child `extra`), median over the measured runs of each side. */
  revperfExtra: Record<string, number>;
  baselineExtra: Record<string, number>;
}

export interface GoalCheck {
  goal: string;
  met: boolean;
  /** The measured value in words, e.g. `312k rows/s at 1000000`. */
  measured: string;
}

export interface Benchmark {
  name: string;
  /** The child script, relative to the repository root. */
  file: string;
  sizes: readonly number[];
  /** What the baseline is, in a few words, for RESULTS.md. */
  baseline: string;
  goal: string;
  judge(results: readonly SizeResult[]): GoalCheck[];
  /** A markdown file whose text RESULTS.md shows under the table (analysis, caveats); kept across runs. */
  notesFile?: string;
  /** Measured runs per side (default MEASURED_RUNS) and whether a discarded warm-up pair comes first (default yes): for benchmarks whose one run takes minutes. */
  measuredRuns?: number;
  warmUp?: boolean;
  /** A table of the benchmark's own figures (`extra`) for RESULTS.md, shown under the timing table. */
  extraMarkdown?(result: BenchmarkResult): string;
  /** Whether a missed goal adds a `--cpu-prof` run at the largest size (default yes); off for a benchmark whose one run takes tens of minutes and reports its own breakdown. */
  profileOnMiss?: boolean;
}

export interface BenchmarkResult {
  name: string;
  sizes: number[];
  rows: BySize<number>;
  baselineSeconds: BySize<number>;
  revperfSeconds: BySize<number>;
  ratio: BySize<number>;
  revperfRowsPerSecond: BySize<number>;
  revperfCpuSeconds: BySize<number>;
  /** revperf's peak RSS; the baseline's is beside it. */
  peakRssMb: BySize<number>;
  baselinePeakRssMb: BySize<number>;
  /** Every measured run's wall seconds, warm-ups excluded. */
  runs: BySize<{ baseline: number[]; revperf: number[] }>;
  goal: string;
  checks: GoalCheck[];
  met: boolean;
  baseline: string;
  machine: MachineInfo;
  measuredAt: string;
  /** When a goal is missed: self time by function of one revperf run at the largest size. */
  profile?: { size: number; top: SelfTime[] };
  /** The benchmark's own figures per size (see SizeResult), when it reports any. */
  extra?: BySize<{ revperf: Record<string, number>; baseline: Record<string, number> }>;
  /** Measured with `--quick`: every size a tenth of the registry's. */
  quick?: boolean;
  /** Measured runs per side behind each median. */
  measuredRuns?: number;
}

interface MachineInfo {
  cpu: string;
  cores: number;
  node: string;
  platform: string;
  memoryGb: number;
  /** 1-minute load average when the benchmark started and ended: other work on the machine skews wall times. */
  loadAverage: { start: number; end: number };
}

// ---------------------------------------------------------------- the registry

const ROWS_PER_SECOND_GOAL = 250_000;
const MAX_RATIO = 2;
const MAX_RSS_GROWTH = 1.3;
const EXCEL_MAX_RATIO = 1.5;
const EXCEL_MAX_RSS_MB = 512;
const PACK_MAX_RATIO = 1.5;
const PACK_MAX_RSS_MB = 512;
/** Re-upload goals: an unchanged export writes ≤ 1% of a first load's items; 5% changed ≤ 1.2× what those deals need; a new deal ≤ 4 write units. */
/** End to end: ingest within this share of the bare BatchWriteItem loop's speed; peak RSS at 100k deals under this. */
const E2E_MIN_INGEST_SPEED = 0.8;
const E2E_MAX_RSS_MB = 1024;
const E2E_PHASES = ['upload', 'ingest', 'metrics', 'render', 'send', 'write'] as const;
const UNCHANGED_MAX_SHARE = 0.01;
const CHANGED_MAX_RATIO = 1.2;
const NEW_DEAL_MAX_WRITE_UNITS = 4;
/** Issue 12 goal 7: every function's minified bundle, decimal megabytes. */
const BUNDLE_MAX_MB = 3;
const BUNDLED_FUNCTIONS = ['ingest', 'dispatch', 'deliver', 'download'] as const;
/** Issue 12 goal 8: the hand-written CSV tokenizer earns its place on speed if it is no slower than papaparse; its memory stays flat as the file grows. */
const PARSERS_MAX_RATIO = 1;

function thousands(rowsPerSecond: number): string {
  return `${Math.round(rowsPerSecond / 1000)}k rows/s`;
}

/** Add a benchmark here: a child script speaking bench/lib/bench-child.ts, its sizes and its goals. */
export const BENCHMARKS: readonly Benchmark[] = [
  {
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
  },
  {
    name: 'metrics',
    file: 'bench/metrics.bench.ts',
    sizes: [100_000, 1_000_000],
    baseline:
      'DuckDB 1.5 (@duckdb/node-api, `SET threads = 1`) computing revenue, won/lost counts, open pipeline and win rate per rep ' +
      'in one SQL query over the same deals, loaded from Parquet into an in-memory table before the timer',
    goal:
      "one fiscal quarter's full metrics (computeMetricsFromColumns) for 500 reps from deals loaded into columns (toDealColumns, before the timer and timed on its own), " +
      'in a warm process (one call on 20k other deals before the timer, as a Lambda serving many invocations): ≤ 1× DuckDB’s time at every size; ' +
      'every measurement exits non-zero unless revenue, won/lost counts, open pipeline (to the cent) and win rate (within 1e-12) equal DuckDB’s for every rep',
    notesFile: 'bench/lib/metrics-notes.md',
    extraMarkdown(result) {
      const lines = ['| deals | load into columns (toDealColumns), s, median of revperf runs |', '|---:|---:|'];
      for (const size of result.sizes) {
        const seconds = result.extra?.[String(size)]?.revperf.columnsLoadSeconds;
        if (seconds !== undefined) lines.push(`| ${size.toLocaleString('en-US')} | ${seconds.toFixed(3)} |`);
      }
      return lines.join('\n');
    },
    judge(results) {
      const worstRatio = Math.max(...results.map((r) => r.revperfSeconds / r.baselineSeconds));
      return [
        {
          goal: "≤ 1× DuckDB's time at every size",
          met: results.length > 0 && worstRatio <= 1,
          measured: results.map((r) => `${(r.revperfSeconds / r.baselineSeconds).toFixed(2)}× at ${r.size}`).join(', '),
        },
      ];
    },
  },
  {
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
  },
  {
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
  },
  {
    name: 'reupload',
    file: 'bench/reupload.bench.ts',
    sizes: [100_000],
    // One run of each side loads 100k deals into dynalite three or four times (minutes each on this machine).
    // Items and write units are exact counts, the same in every run; only the seconds vary.
    measuredRuns: 1,
    warmUp: false,
    baseline:
      'the same ingest use case with the content-hash comparison switched off (every accepted deal put again, as before hashes), ' +
      'on the same table design, in the same run',
    goal:
      'a Salesforce export of N deals through ingestUpload into the embedded DynamoDB (dynalite): first load, the same export again, ' +
      `then an export with 5% of the deals changed; every write request counted and costed in write units: an unchanged re-upload writes ≤ ${UNCHANGED_MAX_SHARE * 100}% ` +
      `of the items the first load wrote; the 5%-changed one ≤ ${CHANGED_MAX_RATIO}× the items those deals need (one each); a new deal costs ≤ ${NEW_DEAL_MAX_WRITE_UNITS} write units ` +
      '(1 per KB per item copy: base item + every index copy); after each step the table equals a fresh load of the same export (the run fails otherwise)',
    notesFile: 'bench/lib/reupload-notes.md',
    judge(results) {
      return results.flatMap((r) => {
        const x = r.revperfExtra;
        const first = x.firstLoadItems ?? 0;
        const changedDeals = x.changedDeals ?? 0;
        return [
          {
            goal: `unchanged re-upload writes ≤ ${UNCHANGED_MAX_SHARE * 100}% of the first load's items at ${r.size}`,
            met: first > 0 && (x.unchangedItems ?? Infinity) <= UNCHANGED_MAX_SHARE * first,
            measured: `${x.unchangedItems} of ${first} items (${(((x.unchangedItems ?? 0) / first) * 100).toFixed(3)}%; baseline ${r.baselineExtra.unchangedItems})`,
          },
          {
            goal: `5%-changed re-upload writes ≤ ${CHANGED_MAX_RATIO}× the items its ${changedDeals} changed deals need at ${r.size}`,
            met: changedDeals > 0 && (x.changedItems ?? Infinity) <= CHANGED_MAX_RATIO * changedDeals,
            measured: `${x.changedItems} items (${((x.changedItems ?? 0) / changedDeals).toFixed(4)}×; baseline ${r.baselineExtra.changedItems})`,
          },
          {
            goal: `a new deal costs ≤ ${NEW_DEAL_MAX_WRITE_UNITS} write units`,
            met: (x.newDealWriteUnits ?? Infinity) <= NEW_DEAL_MAX_WRITE_UNITS,
            measured: `${x.newDealWriteUnits} write units per deal on the first load`,
          },
          {
            goal: 'the table equals a fresh load of the same export after each step',
            met: x.tableMatchesFreshLoad === 1 && r.baselineExtra.tableMatchesFreshLoad === 1,
            measured: 'digest of every deal item (less lastSeenIn and uploadKey) equal after the unchanged and the 5%-changed re-upload, both sides',
          },
        ];
      });
    },
    extraMarkdown(result) {
      const lines = [
        '| deals | step | side | items written | write units | write units per deal | seconds |',
        '|---:|---|---|---:|---:|---:|---:|',
      ];
      for (const size of result.sizes) {
        const figures = result.extra?.[String(size)];
        if (!figures) continue;
        for (const [step, prefix, per] of [
          ['first load', 'firstLoad', 'deals'],
          ['same export again', 'unchanged', 'deals'],
          ['5% of deals changed', 'changed', 'changedDeals'],
        ] as const) {
          for (const side of ['baseline', 'revperf'] as const) {
            const x = figures[side];
            const items = x[`${prefix}Items`] ?? 0;
            const units = x[`${prefix}WriteUnits`] ?? 0;
            const perDeal = units / (x[per] ?? 1);
            lines.push(
              `| ${size.toLocaleString('en-US')} | ${step} | ${side} | ${items.toLocaleString('en-US')} | ${units.toLocaleString('en-US')} | ` +
                `${perDeal.toFixed(per === 'deals' ? 4 : 2)}${per === 'changedDeals' ? ' per changed deal' : ''} | ${(x[`${prefix}Seconds`] ?? 0).toFixed(2)} |`,
            );
          }
        }
      }
      return lines.join('\n');
    },
  },
  READS_BENCHMARK,
  {
    name: 'e2e',
    file: 'bench/e2e.bench.ts',
    // The org grows with its deals (bench/lib/scale-org.ts: 50 reps at 10k, 500 at 100k), so the smaller size is a
    // tenth of the whole org and the peak-RSS growth is judged between the two.
    sizes: [10_000, 100_000],
    // One revperf run at 100k takes many minutes on a shared machine (the emulated table, 551 scorecards and 51 packs);
    // the phase figures and peak RSS are what is judged. Its per-phase breakdown stands in for a CPU profile.
    measuredRuns: 1,
    warmUp: false,
    profileOnMiss: false,
    baseline:
      'a bare BatchWriteItem loop writing the same deal items (as the ingest stored them) into a fresh table of the same embedded ' +
      'DynamoDB, 25 items a request, 4 requests in flight like the ingest, unprocessed items resent; only the loop timed',
    goal:
      '`revperf run` (runLocalPipeline, what the CLI calls, in process) on a generated org of N deals and one rep per 200 of them (500 reps in 50 teams at 100k) ' +
      '(revperf.config.json, a people file, the benchmark Salesforce report): every phase timed (upload, ingest, metrics, render, send, write) ' +
      `and the process's peak RSS; ≤ ${E2E_MAX_RSS_MB} MB peak RSS at 100k deals, growing no faster than the data; the ingest phase ` +
      `≥ ${E2E_MIN_INGEST_SPEED}× the bare write loop's speed (its seconds ≤ the loop's / ${E2E_MIN_INGEST_SPEED})`,
    notesFile: 'bench/lib/e2e-notes.md',
    judge(results) {
      const largest = results[results.length - 1];
      const smallest = results[0];
      if (largest === undefined || smallest === undefined) return [];
      const speed = (r: SizeResult) => r.baselineSeconds / (r.revperfExtra.ingestSeconds ?? Infinity);
      const growth = largest.revperfPeakRssMb / smallest.revperfPeakRssMb;
      const dataGrowth = largest.size / smallest.size;
      return [
        {
          goal: `ingest ≥ ${E2E_MIN_INGEST_SPEED}× the bare BatchWriteItem loop's speed at ${largest.size} deals`,
          met: speed(largest) >= E2E_MIN_INGEST_SPEED,
          measured: results
            .map((r) => `${speed(r).toFixed(2)}× at ${r.size} (ingest ${(r.revperfExtra.ingestSeconds ?? 0).toFixed(1)} s, loop ${r.baselineSeconds.toFixed(1)} s)`)
            .join(', '),
        },
        {
          goal: `peak RSS ≤ ${E2E_MAX_RSS_MB} MB at ${largest.size} deals`,
          met: largest.revperfPeakRssMb <= E2E_MAX_RSS_MB,
          measured: results.map((r) => `${r.revperfPeakRssMb.toFixed(0)} MB at ${r.size}`).join(', '),
        },
        ...(results.length > 1
          ? [
              {
                goal: 'peak RSS growing no faster than the data',
                met: growth <= dataGrowth,
                measured: `${growth.toFixed(2)}× from ${smallest.size} to ${largest.size} deals (${dataGrowth}× the data)`,
              },
            ]
          : []),
        {
          goal: 'every phase timed',
          met: results.every((r) => E2E_PHASES.every((phase) => r.revperfExtra[`${phase}Seconds`] !== undefined)),
          measured: `${largest.size} deals: ${E2E_PHASES.map((phase) => `${phase} ${(largest.revperfExtra[`${phase}Seconds`] ?? 0).toFixed(1)} s`).join(', ')}`,
        },
      ];
    },
    extraMarkdown(result) {
      const lines = [
        `| deals | ${E2E_PHASES.map((phase) => `${phase} (s)`).join(' | ')} | whole run (s) | ingest deals/s | bare loop (s) | bare loop items/s | reports | e-mails |`,
        `|---:|${E2E_PHASES.map(() => '---:|').join('')}---:|---:|---:|---:|---:|---:|`,
      ];
      const rss = [
        `| deals | ${E2E_PHASES.map((phase) => `after ${phase} (MB)`).join(' | ')} |`,
        `|---:|${E2E_PHASES.map(() => '---:|').join('')}`,
      ];
      for (const size of result.sizes) {
        const figures = result.extra?.[String(size)];
        if (!figures) continue;
        const x = figures.revperf;
        const ingest = x.ingestSeconds ?? 0;
        const loop = result.baselineSeconds[String(size)] ?? 0;
        lines.push(
          `| ${size.toLocaleString('en-US')} | ${E2E_PHASES.map((phase) => (x[`${phase}Seconds`] ?? 0).toFixed(1)).join(' | ')} | ${result.revperfSeconds[String(size)]} | ` +
            `${Math.round((x.deals ?? 0) / ingest).toLocaleString('en-US')} | ${loop} | ${Math.round((figures.baseline.items ?? 0) / loop).toLocaleString('en-US')} | ${x.reports ?? 0} | ${x.emails ?? 0} |`,
        );
        rss.push(`| ${size.toLocaleString('en-US')} | ${E2E_PHASES.map((phase) => (x[`${phase}PeakRssMb`] ?? 0).toFixed(0)).join(' | ')} |`);
      }
      return [...lines, '', 'Peak RSS of the process when each phase ended (the high-water mark so far):', '', ...rss].join('\n');
    },
  },
  {
    name: 'parsers',
    file: 'bench/parsers.bench.ts',
    sizes: [100_000, 1_000_000],
    baseline: 'papaparse 5.7 streaming the same file (chunk mode, arrays, blank lines skipped, no header handling), counting rows',
    goal:
      "revperf's hand-written CSV tokenizer alone (openCsv over the ingest benchmark's Salesforce file: encoding and delimiter sniffing, decoding, " +
      `tokenising into batches; no normalising): ≤ ${PARSERS_MAX_RATIO}× papaparse's time at every size, peak RSS flat as the file grows ` +
      `(1M within ${MAX_RSS_GROWTH}× of 100k; papaparse's beside it), ` +
      'or a switch to papaparse under the same contract (what papaparse cannot do under that contract, and the XLSX reader against exceljs, in the notes)',
    notesFile: 'bench/lib/parsers-notes.md',
    judge(results) {
      const ratios = results.map((r) => r.revperfSeconds / r.baselineSeconds);
      const largest = results[results.length - 1];
      const smallest = results[0];
      if (largest === undefined || smallest === undefined) return [];
      const rssGrowth = largest.revperfPeakRssMb / smallest.revperfPeakRssMb;
      return [
        {
          goal: `≤ ${PARSERS_MAX_RATIO}× papaparse's time at every size`,
          met: results.length > 0 && Math.max(...ratios) <= PARSERS_MAX_RATIO,
          measured: results
            .map((r, i) => `${ratios[i]!.toFixed(2)}× at ${r.size} (${thousands(r.rows / r.revperfSeconds)} vs ${thousands(r.rows / r.baselineSeconds)})`)
            .join(', '),
        },
        {
          goal: `peak RSS at ${largest.size} within ${MAX_RSS_GROWTH}× of ${smallest.size}`,
          met: rssGrowth <= MAX_RSS_GROWTH,
          measured:
            `${rssGrowth.toFixed(2)}× (${largest.revperfPeakRssMb.toFixed(0)} MB vs ${smallest.revperfPeakRssMb.toFixed(0)} MB); papaparse ` +
            results.map((r) => `${r.baselinePeakRssMb.toFixed(0)} MB at ${r.size}`).join(', '),
        },
      ];
    },
  },
  {
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
  },
];

// ---------------------------------------------------------------- child processes

function runChild(file: string, args: readonly string[], nodeOptions: readonly string[] = []): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeOptions, '--import', 'tsx', file, ...args], {
      cwd: join(BENCH_DIR, '..'),
      env: { ...process.env, AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`${file} ${args.join(' ')} exited with ${code}`))));
  });
}

async function measure(benchmark: Benchmark, implementation: string, size: number): Promise<Measurement> {
  const stdout = await runChild(benchmark.file, [implementation, String(size)]);
  const lastLine = stdout.trim().split('\n').pop() ?? '';
  const measurement = JSON.parse(lastLine) as Measurement;
  process.stdout.write(
    `  ${implementation.padEnd(8)} ${String(size).padStart(8)}: ${measurement.seconds.toFixed(3)} s, ` +
      `${measurement.cpuSeconds.toFixed(3)} s CPU, ${measurement.peakRssMb.toFixed(0)} MB, ${measurement.rows} rows\n`,
  );
  return measurement;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Every run of one side must see the same rows and checksum; otherwise the runs did not do the same work. */
function sameWork(runs: readonly Measurement[], what: string): Measurement {
  const first = runs[0];
  if (first === undefined) throw new Error(`${what}: no runs`);
  for (const run of runs) {
    if (run.rows !== first.rows || run.checksum !== first.checksum) {
      throw new Error(`${what}: runs disagree (${run.rows} rows / ${run.checksum} vs ${first.rows} / ${first.checksum})`);
    }
  }
  return first;
}

/** Per figure, the median over the runs that report it. */
function medianExtra(runs: readonly Measurement[]): Record<string, number> {
  const names = new Set(runs.flatMap((run) => Object.keys(run.extra ?? {})));
  return Object.fromEntries(
    [...names].map((name) => [name, median(runs.map((run) => run.extra?.[name]).filter((value): value is number => value !== undefined))]),
  );
}

async function measureSize(benchmark: Benchmark, size: number): Promise<{ result: SizeResult; runs: { baseline: number[]; revperf: number[] } }> {
  await runChild(benchmark.file, ['prepare', String(size)]);
  const baseline: Measurement[] = [];
  const revperf: Measurement[] = [];
  const measuredRuns = benchmark.measuredRuns ?? MEASURED_RUNS;
  if (benchmark.warmUp ?? true) {
    process.stdout.write(`${benchmark.name} ${size}: warm-up\n`);
    await measure(benchmark, 'baseline', size);
    await measure(benchmark, 'revperf', size);
  }
  for (let run = 1; run <= measuredRuns; run++) {
    process.stdout.write(`${benchmark.name} ${size}: run ${run}/${measuredRuns}\n`);
    baseline.push(await measure(benchmark, 'baseline', size));
    revperf.push(await measure(benchmark, 'revperf', size));
  }
  const revperfWork = sameWork(revperf, `${benchmark.name} revperf ${size}`);
  sameWork(baseline, `${benchmark.name} baseline ${size}`);
  return {
    result: {
      size,
      rows: revperfWork.rows,
      baselineSeconds: median(baseline.map((m) => m.seconds)),
      revperfSeconds: median(revperf.map((m) => m.seconds)),
      revperfCpuSeconds: median(revperf.map((m) => m.cpuSeconds)),
      revperfPeakRssMb: Math.max(...revperf.map((m) => m.peakRssMb)),
      baselinePeakRssMb: Math.max(...baseline.map((m) => m.peakRssMb)),
      revperfExtra: medianExtra(revperf),
      baselineExtra: medianExtra(baseline),
    },
    runs: { baseline: baseline.map((m) => m.seconds), revperf: revperf.map((m) => m.seconds) },
  };
}

/**
 * One revperf run under `--cpu-prof`, summarised as self time by function.
 * tsx's loader thread writes a profile too; the main thread's is the largest.
 */
async function profileRevperf(benchmark: Benchmark, size: number): Promise<{ size: number; top: SelfTime[] }> {
  const directory = mkdtempSync(join(os.tmpdir(), `revperf-${benchmark.name}-prof-`));
  try {
    process.stdout.write(`${benchmark.name} ${size}: profiling revperf (a goal was missed)\n`);
    await runChild(benchmark.file, ['revperf', String(size)], ['--cpu-prof', `--cpu-prof-dir=${directory}`]);
    const files = readdirSync(directory).map((name) => join(directory, name));
    const mainThread = files.sort((a, b) => statSync(b).size - statSync(a).size)[0];
    if (mainThread === undefined) throw new Error(`no .cpuprofile written to ${directory}`);
    const top = selfTimes(JSON.parse(readFileSync(mainThread, 'utf8'))).slice(0, PROFILE_TOP);
    process.stdout.write(`${formatSelfTimes(top, PROFILE_TOP)}\n`);
    return { size, top: top.map((t) => ({ frame: t.frame, milliseconds: round(t.milliseconds, 0), share: round(t.share, 3) })) };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- results

function round(value: number, digits = 3): number {
  return Number(value.toFixed(digits));
}

function bySize<T>(results: readonly SizeResult[], value: (result: SizeResult) => T): BySize<T> {
  return Object.fromEntries(results.map((result) => [String(result.size), value(result)]));
}

function machineInfo(loadAtStart: number): MachineInfo {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    memoryGb: round(os.totalmem() / 1024 ** 3, 1),
    loadAverage: { start: round(loadAtStart, 2), end: round(os.loadavg()[0] ?? 0, 2) },
  };
}

/** `--quick`: every size a tenth, one measured run a side, no warm-up, no profile — the whole path in a fraction of the time. */
function quickened(benchmark: Benchmark): Benchmark {
  return {
    ...benchmark,
    sizes: benchmark.sizes.map((size) => Math.max(1, Math.round(size / 10))),
    measuredRuns: 1,
    warmUp: false,
    profileOnMiss: false,
  };
}

async function runBenchmark(benchmark: Benchmark, quick: boolean): Promise<BenchmarkResult> {
  const loadAtStart = os.loadavg()[0] ?? 0;
  if (quick) benchmark = quickened(benchmark);
  const measured = [];
  for (const size of benchmark.sizes) measured.push(await measureSize(benchmark, size));
  const results = measured.map((m) => m.result);
  const checks = benchmark.judge(results);
  const met = checks.length > 0 && checks.every((check) => check.met);
  const largestSize = benchmark.sizes[benchmark.sizes.length - 1];
  const profile = met || largestSize === undefined || benchmark.profileOnMiss === false ? undefined : await profileRevperf(benchmark, largestSize);
  return {
    name: benchmark.name,
    sizes: [...benchmark.sizes],
    rows: bySize(results, (r) => r.rows),
    baselineSeconds: bySize(results, (r) => round(r.baselineSeconds)),
    revperfSeconds: bySize(results, (r) => round(r.revperfSeconds)),
    ratio: bySize(results, (r) => round(r.revperfSeconds / r.baselineSeconds, 2)),
    revperfRowsPerSecond: bySize(results, (r) => Math.round(r.rows / r.revperfSeconds)),
    revperfCpuSeconds: bySize(results, (r) => round(r.revperfCpuSeconds)),
    peakRssMb: bySize(results, (r) => round(r.revperfPeakRssMb, 1)),
    baselinePeakRssMb: bySize(results, (r) => round(r.baselinePeakRssMb, 1)),
    runs: Object.fromEntries(
      measured.map((m) => [String(m.result.size), { baseline: m.runs.baseline.map((s) => round(s)), revperf: m.runs.revperf.map((s) => round(s)) }]),
    ),
    goal: benchmark.goal,
    checks,
    met,
    baseline: benchmark.baseline,
    machine: machineInfo(loadAtStart),
    measuredAt: new Date().toISOString(),
    ...(profile ? { profile } : {}),
    ...(results.some((r) => Object.keys(r.revperfExtra).length > 0)
      ? { extra: bySize(results, (r) => ({ revperf: roundAll(r.revperfExtra), baseline: roundAll(r.baselineExtra) })) }
      : {}),
    ...(quick ? { quick: true } : {}),
    ...(benchmark.measuredRuns !== undefined ? { measuredRuns: benchmark.measuredRuns } : {}),
  };
}

function roundAll(figures: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(figures).map(([name, value]) => [name, round(value)]));
}

function readResults(path = RESULTS_JSON): BenchmarkResult[] {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as BenchmarkResult[]) : [];
}

/** Replaces the entries of the benchmarks just run, keeps the others, in registry order. */
function mergeResults(previous: readonly BenchmarkResult[], fresh: readonly BenchmarkResult[]): BenchmarkResult[] {
  const byName = new Map(previous.map((result) => [result.name, result]));
  for (const result of fresh) byName.set(result.name, result);
  const order = BENCHMARKS.map((benchmark) => benchmark.name);
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  return [...byName.values()].sort((a, b) => rank(a.name) - rank(b.name));
}

// ---------------------------------------------------------------- RESULTS.md

function markdownTable(result: BenchmarkResult): string {
  const header = '| rows | baseline (s) | revperf (s) | ratio | revperf rows/s | revperf CPU (s) | revperf peak RSS (MB) | baseline peak RSS (MB) |';
  const rule = '|---:|---:|---:|---:|---:|---:|---:|---:|';
  const lines = result.sizes.map((size) => {
    const key = String(size);
    return `| ${size.toLocaleString('en-US')} | ${result.baselineSeconds[key]} | ${result.revperfSeconds[key]} | ${result.ratio[key]}× | ${(result.revperfRowsPerSecond[key] ?? 0).toLocaleString('en-US')} | ${result.revperfCpuSeconds[key]} | ${result.peakRssMb[key]} | ${result.baselinePeakRssMb[key]} |`;
  });
  return [header, rule, ...lines].join('\n');
}

function markdownProfile(profile: NonNullable<BenchmarkResult['profile']>): string[] {
  return [
    `Where revperf's time goes (self time by function, one \`--cpu-prof\` run at ${profile.size.toLocaleString('en-US')} rows, process start-up included):`,
    '',
    '| share | ms | function |',
    '|---:|---:|---|',
    ...profile.top.map((t) => `| ${(t.share * 100).toFixed(1)} % | ${t.milliseconds} | \`${t.frame}\` |`),
    '',
  ];
}

function markdownSection(result: BenchmarkResult): string {
  const benchmark = BENCHMARKS.find((b) => b.name === result.name);
  const notesPath = benchmark?.notesFile ? join(BENCH_DIR, '..', benchmark.notesFile) : null;
  const notes = notesPath && existsSync(notesPath) ? `\n${readFileSync(notesPath, 'utf8').trim()}\n` : '';
  const { machine } = result;
  return [
    `## ${result.name} — ${result.met ? 'goals met' : 'goals not all met'}`,
    '',
    `Goal: ${result.goal}.`,
    '',
    benchmark?.measuredRuns !== undefined && benchmark.measuredRuns !== MEASURED_RUNS
      ? `Baseline: ${result.baseline}. Seconds are from ${benchmark.measuredRuns === 1 ? 'one run' : `the median of ${benchmark.measuredRuns} runs`} of each side${benchmark.warmUp === false ? '' : ' after a discarded warm-up'}, each in a fresh process, timing the work only (not process start-up).`
      : `Baseline: ${result.baseline}. Seconds are the median of ${MEASURED_RUNS} runs after a discarded warm-up, each in a fresh process, timing the work only (not process start-up).`,
    '',
    markdownTable(result),
    '',
    ...(benchmark?.extraMarkdown ? [benchmark.extraMarkdown(result), ''] : []),
    ...result.checks.map((check) => `- ${check.met ? '✅' : '❌'} ${check.goal}: ${check.measured}`),
    '',
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, ${machine.platform}, Node.js ${machine.node}; ` +
      `measured ${result.measuredAt.slice(0, 16).replace('T', ' ')} UTC; 1-minute load average ${machine.loadAverage.start} at the start, ${machine.loadAverage.end} at the end.`,
    '',
    `How to reproduce: \`npm run bench -- ${result.name}\` (data is generated into bench/data/ on first use).`,
    '',
    ...(result.profile ? markdownProfile(result.profile) : []),
    notes,
  ].join('\n');
}

function writeResultsMarkdown(results: readonly BenchmarkResult[]): void {
  const text = [
    '# Benchmarks',
    '',
    `Generated by \`npm run bench\` from bench/results.json — edit the benchmark's notes file, not this one.`,
    '',
    ...results.map(markdownSection),
  ].join('\n');
  writeFileSync(RESULTS_MD, `${text.trimEnd()}\n`);
}

// ---------------------------------------------------------------- main

async function main(args: readonly string[]): Promise<void> {
  if (args.includes('--markdown-only')) {
    // After editing a notes file: RESULTS.md again from the recorded results, nothing measured.
    writeResultsMarkdown(readResults());
    process.stdout.write(`wrote ${relative(process.cwd(), RESULTS_MD)} from ${relative(process.cwd(), RESULTS_JSON)}\n`);
    return;
  }
  const quick = args.includes('--quick');
  const names = args.filter((arg) => arg !== '--quick');
  const unknown = names.filter((name) => !BENCHMARKS.some((b) => b.name === name));
  if (unknown.length > 0) {
    throw new Error(`unknown benchmark(s) ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
  }
  const selected = names.length === 0 ? BENCHMARKS : BENCHMARKS.filter((b) => names.includes(b.name));
  const fresh: BenchmarkResult[] = [];
  const started = process.hrtime.bigint();
  const target = quick ? QUICK_RESULTS_JSON : RESULTS_JSON;
  for (const benchmark of selected) {
    const result = await runBenchmark(benchmark, quick);
    fresh.push(result);
    // Written after each benchmark, so a later failure does not lose an earlier one.
    const merged = mergeResults(readResults(target), [result]);
    writeFileSync(target, `${JSON.stringify(merged, null, 2)}\n`);
    if (!quick) writeResultsMarkdown(merged);
  }
  for (const result of fresh) {
    process.stdout.write(`\n${result.name}: ${result.met ? 'goals met' : 'goals NOT met'}\n`);
    for (const check of result.checks) process.stdout.write(`  ${check.met ? 'ok  ' : 'MISS'} ${check.goal}: ${check.measured}\n`);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(
    quick
      ? `\n--quick: ${seconds.toFixed(0)} s in all; wrote ${relative(process.cwd(), target)} (RESULTS.md keeps the recorded run)\n`
      : `\n${seconds.toFixed(0)} s in all; wrote ${relative(process.cwd(), RESULTS_JSON)} and ${relative(process.cwd(), RESULTS_MD)}\n`,
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await main(process.argv.slice(2));
}
