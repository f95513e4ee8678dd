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
import { MEASURED_RUNS, type Benchmark, type BenchmarkResult, type BySize, type MachineInfo, type SizeResult } from './lib/benchmark-types.js';
import { BUNDLES_BENCHMARK } from './lib/bundles-benchmark.js';
import { formatSelfTimes, selfTimes, type SelfTime } from './lib/cpu-profile-summary.js';
import { E2E_BENCHMARK } from './lib/e2e-benchmark.js';
import { EXCEL_BENCHMARK } from './lib/excel-benchmark.js';
import { INGEST_BENCHMARK } from './lib/ingest-benchmark.js';
import { METRICS_BENCHMARK } from './lib/metrics-benchmark.js';
import { PACK_BENCHMARK } from './lib/pack-benchmark.js';
import { PARSERS_BENCHMARK } from './lib/parsers-benchmark.js';
import { READS_BENCHMARK } from './lib/reads-benchmark.js';
import { REUPLOAD_BENCHMARK } from './lib/reupload-benchmark.js';
import { writeResultsMarkdown } from './lib/results-markdown.js';

const BENCH_DIR = import.meta.dirname;
const RESULTS_JSON = join(BENCH_DIR, 'results.json');
const RESULTS_MD = join(BENCH_DIR, 'RESULTS.md');
/** Where `--quick` writes: a check of the path, not a record (git-ignored). */
const QUICK_RESULTS_JSON = join(BENCH_DIR, 'results.quick.json');
/** Functions listed from the profile of a benchmark that misses a goal. */
const PROFILE_TOP = 20;

// ---------------------------------------------------------------- the registry

/** Add a benchmark here: a child script speaking bench/lib/bench-child.ts, and its entry (sizes, goals, judge) in bench/lib/<name>-benchmark.ts. */
export const BENCHMARKS: readonly Benchmark[] = [
  INGEST_BENCHMARK,
  METRICS_BENCHMARK,
  EXCEL_BENCHMARK,
  PACK_BENCHMARK,
  REUPLOAD_BENCHMARK,
  READS_BENCHMARK,
  E2E_BENCHMARK,
  PARSERS_BENCHMARK,
  BUNDLES_BENCHMARK,
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

// ---------------------------------------------------------------- main

async function main(args: readonly string[]): Promise<void> {
  if (args.includes('--markdown-only')) {
    // After editing a notes file: RESULTS.md again from the recorded results, nothing measured.
    writeResultsMarkdown(RESULTS_MD, readResults(), BENCHMARKS);
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
  const secondsOf = new Map<string, number>();
  for (const benchmark of selected) {
    const benchmarkStarted = process.hrtime.bigint();
    const result = await runBenchmark(benchmark, quick);
    secondsOf.set(benchmark.name, Number(process.hrtime.bigint() - benchmarkStarted) / 1e9);
    fresh.push(result);
    // Written after each benchmark, so a later failure does not lose an earlier one.
    const merged = mergeResults(readResults(target), [result]);
    writeFileSync(target, `${JSON.stringify(merged, null, 2)}\n`);
    if (!quick) writeResultsMarkdown(RESULTS_MD, merged, BENCHMARKS);
  }
  for (const result of fresh) {
    process.stdout.write(`\n${result.name}: ${result.met ? 'goals met' : 'goals NOT met'} (${(secondsOf.get(result.name) ?? 0).toFixed(0)} s)\n`);
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
