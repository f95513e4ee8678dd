// The child side of the harness protocol (bench/run.ts is the parent). A
// benchmark file is run as
//   node --import tsx bench/<name>.bench.ts prepare <size>
//   node --import tsx bench/<name>.bench.ts <implementation> <size>
// `prepare` generates the data for a size once; a measurement runs one
// implementation in a fresh process and prints one JSON line. Only the work is
// timed, not tsx compiling the script, so both sides pay the same.

export interface Measurement {
  seconds: number;
  /** CPU time of the process over the same span (all threads, so GC helpers count); steadier than wall time on a busy machine. */
  cpuSeconds: number;
  /** Peak resident set size of the whole process, in MiB. */
  peakRssMb: number;
  /** Rows the implementation went through. */
  rows: number;
  /** A value derived from every row, so the work cannot be skipped; baseline and revperf need not agree. */
  checksum: number;
  /** Figures of the benchmark's own (items written, write units …), for its goals; optional. */
  extra?: Record<string, number>;
}

export interface WorkResult {
  rows: number;
  checksum: number;
  extra?: Record<string, number>;
  /** Time spent checking the result (not the work itself), taken off the measured seconds and CPU seconds. */
  untimed?: { seconds: number; cpuSeconds: number };
}

export interface BenchmarkFile {
  prepare(size: number): Promise<void> | void;
  implementations: Record<string, (size: number) => Promise<WorkResult>>;
}

export async function runBenchChild(benchmark: BenchmarkFile, argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const [mode, sizeText] = argv;
  const size = Number(sizeText);
  if (mode === undefined || !Number.isSafeInteger(size) || size <= 0) {
    throw new Error(`usage: <bench file> prepare|${Object.keys(benchmark.implementations).join('|')} <size>`);
  }
  if (mode === 'prepare') {
    await benchmark.prepare(size);
    return;
  }
  const implementation = benchmark.implementations[mode];
  if (implementation === undefined) throw new Error(`unknown implementation '${mode}'`);
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  const { rows, checksum, extra, untimed } = await implementation(size);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9 - (untimed?.seconds ?? 0);
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6 - (untimed?.cpuSeconds ?? 0);
  // maxRSS is in KiB.
  const measurement: Measurement = { seconds, cpuSeconds, peakRssMb: process.resourceUsage().maxRSS / 1024, rows, checksum, ...(extra ? { extra } : {}) };
  process.stdout.write(`${JSON.stringify(measurement)}\n`);
}
