// What a benchmark declares (the registry entries in bench/lib/*-benchmark.ts) and what
// a run records (bench/results.json), with the small figures and helpers the harness,
// RESULTS.md and the entries share — kept apart from bench/run.ts so an entry never
// imports the harness.
import type { SelfTime } from './cpu-profile-summary.js';

/** Measured runs per side unless a benchmark says otherwise. */
export const MEASURED_RUNS = 3;
/** Peak RSS flat as the file grows: the largest size within this × the smallest's (ingest, parsers). */
export const MAX_RSS_GROWTH = 1.3;

export function thousands(rowsPerSecond: number): string {
  return `${Math.round(rowsPerSecond / 1000)}k rows/s`;
}

export type BySize<T> = Record<string, T>;

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

export interface MachineInfo {
  cpu: string;
  cores: number;
  node: string;
  platform: string;
  memoryGb: number;
  /** 1-minute load average when the benchmark started and ended: other work on the machine skews wall times. */
  loadAverage: { start: number; end: number };
}
