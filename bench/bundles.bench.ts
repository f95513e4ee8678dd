// Bundle benchmark: each function built by esbuild with the options the stack
// gives NodejsFunction (infra/constructs/function-bundling.ts), its minified
// size, and its import time in a fresh Node process — the cold start's init
// phase: module evaluation, config read and validated, SDK clients built —
// against an empty bundle built with the same options, imported the same way.
//
//   node --import tsx bench/bundles.bench.ts revperf 15     (15 imports of each bundle)
//   node --import tsx bench/bundles.bench.ts baseline 15    (the empty bundle alone)
//   node --import tsx bench/bundles.bench.ts metafile deliver   (top inputs by bytes, on stderr)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { esbuildOptions } from '../infra/constructs/function-bundling.js';
import { EXAMPLE_CONFIG_FILE, loadConfig } from '../infra/load-config.js';
import { BUNDLED_CONFIG_FILE } from '../shared/config/bundled-config.js';
import { runBenchChild, type WorkResult } from './lib/bench-child.js';

const ROOT = join(import.meta.dirname, '..');
export const FUNCTIONS = ['ingest', 'dispatch', 'deliver', 'download'] as const;
type FunctionName = (typeof FUNCTIONS)[number];
const EMPTY_HANDLER = 'export const handler = async () => null;\n';

/** What the stack sets in each function's environment (names only; no endpoint is contacted while importing). */
const ENVIRONMENT: Record<string, string> = {
  PATH: process.env.PATH ?? '',
  AWS_REGION: 'us-east-1',
  AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING: '1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  TABLE_NAME: 'revperf',
  BUCKET_NAME: 'revperf-bench',
  DELIVERY_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/revperf-delivery',
  DOWNLOAD_URL: 'https://dl.example/',
  DOWNLOAD_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:revperf-download-XyZ123',
  POWERTOOLS_SERVICE_NAME: 'revperf-bench',
  POWERTOOLS_METRICS_NAMESPACE: 'revperf',
  LOG_LEVEL: 'INFO',
};

interface Built {
  path: string;
  bytes: number;
  gzipBytes: number;
  /** Files in the bundle's folder besides index.mjs and the config (a source map would be one). */
  otherFiles: number;
  metafile: Metafile;
}

/** One bundle into `dir`, with the stack's options and, as the stack's afterBundling hook writes it, the config beside it. */
async function buildBundle(entry: string, dir: string): Promise<Built> {
  const path = join(dir, 'index.mjs');
  const { metafile } = await build(esbuildOptions(entry, path, { metafile: true }));
  if (!metafile) throw new Error('esbuild wrote no metafile');
  writeFileSync(join(dir, BUNDLED_CONFIG_FILE), JSON.stringify(loadConfig({ repoRoot: ROOT, contextPath: EXAMPLE_CONFIG_FILE }).config));
  const code = readFileSync(path);
  if (code.includes('sourceMappingURL=')) throw new Error(`${path} points at a source map`);
  return {
    path,
    bytes: code.length,
    gzipBytes: gzipSync(code, { level: 9 }).length,
    otherFiles: readdirSync(dir).filter((name) => name !== 'index.mjs' && name !== BUNDLED_CONFIG_FILE).length,
    metafile,
  };
}

function buildFunction(name: FunctionName, workDir: string): Promise<Built> {
  const dir = join(workDir, name);
  mkdirSync(dir, { recursive: true });
  return buildBundle(join(ROOT, 'functions', name, 'handler.ts'), dir);
}

function buildEmpty(workDir: string): Promise<Built> {
  const dir = join(workDir, 'empty');
  mkdirSync(dir, { recursive: true });
  const entry = join(workDir, 'empty-handler.ts');
  writeFileSync(entry, EMPTY_HANDLER);
  return buildBundle(entry, dir);
}

/** A fresh `node` imports the bundle (as the Lambda runtime does at init) and reports how long the import took, in ms. */
interface ImportTime {
  /** Wall time of `await import()` inside the process. */
  importMs: number;
  /** CPU time of the same span (steadier than wall time on a busy machine). */
  importCpuMs: number;
  /** Spawn to exit: Node's own start-up included. */
  processMs: number;
}

function importOnce(bundle: string): Promise<ImportTime> {
  const script = [
    'const started = performance.now();',
    'const cpuBefore = process.cpuUsage();',
    `const module = await import(${JSON.stringify(pathToFileURL(bundle).href)});`,
    'const cpu = process.cpuUsage(cpuBefore);',
    "if (typeof module.handler !== 'function') throw new Error('no handler');",
    'process.stdout.write(JSON.stringify({ importMs: performance.now() - started, importCpuMs: (cpu.user + cpu.system) / 1000 }));',
  ].join('\n');
  const spawned = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env: ENVIRONMENT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`importing ${bundle} exited with ${code}: ${stderr}`));
      else resolve({ ...(JSON.parse(stdout) as Omit<ImportTime, 'processMs'>), processMs: performance.now() - spawned });
    });
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * Every bundle imported `imports` times, round-robin (so a machine that gets
 * busier slows them alike), the empty one among them; medians per bundle.
 */
async function importTimes(bundles: Record<string, string>, imports: number): Promise<Record<string, ImportTime>> {
  const samples: Record<string, ImportTime[]> = {};
  for (const name of Object.keys(bundles)) samples[name] = [];
  for (let round = 0; round < imports; round++) {
    for (const [name, bundle] of Object.entries(bundles)) samples[name]!.push(await importOnce(bundle));
  }
  return Object.fromEntries(
    Object.entries(samples).map(([name, runs]) => [
      name,
      { importMs: median(runs.map((r) => r.importMs)), importCpuMs: median(runs.map((r) => r.importCpuMs)), processMs: median(runs.map((r) => r.processMs)) },
    ]),
  );
}

async function withWorkDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'revperf-bundles-'));
  try {
    return await work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The empty bundle alone: its size and import time. */
function baseline(imports: number): Promise<WorkResult> {
  return withWorkDir(async (dir) => {
    const empty = await buildEmpty(dir);
    const times = await importTimes({ empty: empty.path }, imports);
    return {
      rows: imports,
      checksum: empty.bytes,
      extra: { emptyBytes: empty.bytes, emptyImportMs: times.empty!.importMs, emptyImportCpuMs: times.empty!.importCpuMs, emptyProcessMs: times.empty!.processMs },
    };
  });
}

/** The four functions and the empty bundle, built and imported in the same run. */
function revperf(imports: number): Promise<WorkResult> {
  return withWorkDir(async (dir) => {
    const extra: Record<string, number> = {};
    const paths: Record<string, string> = {};
    const empty = await buildEmpty(dir);
    paths.empty = empty.path;
    extra.emptyBytes = empty.bytes;
    for (const name of FUNCTIONS) {
      const built = await buildFunction(name, dir);
      paths[name] = built.path;
      extra[`${name}Bytes`] = built.bytes;
      extra[`${name}GzipBytes`] = built.gzipBytes;
      extra[`${name}OtherFiles`] = built.otherFiles;
    }
    const times = await importTimes(paths, imports);
    for (const [name, time] of Object.entries(times)) {
      extra[`${name}ImportMs`] = time.importMs;
      extra[`${name}ImportCpuMs`] = time.importCpuMs;
      extra[`${name}ProcessMs`] = time.processMs;
    }
    const checksum = FUNCTIONS.reduce((sum, name) => sum + (extra[`${name}Bytes`] ?? 0), 0);
    return { rows: imports * (FUNCTIONS.length + 1), checksum, extra };
  });
}

/** Diagnostic: a function's bundle, its inputs by bytes in the output, grouped by package, then by file. */
async function printMetafile(name: FunctionName): Promise<void> {
  await withWorkDir(async (dir) => {
    const built = await buildFunction(name, dir);
    const output = Object.values(built.metafile.outputs).find((o) => o.entryPoint !== undefined);
    if (!output) throw new Error('no output in the metafile');
    const byPackage = new Map<string, number>();
    for (const [path, input] of Object.entries(output.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
      const key = match ? match[1]! : path.split('/').slice(0, 2).join('/');
      byPackage.set(key, (byPackage.get(key) ?? 0) + input.bytesInOutput);
    }
    const kb = (bytes: number) => `${(bytes / 1000).toFixed(0)} kB`;
    process.stderr.write(`${name}: ${kb(built.bytes)} minified, ${kb(built.gzipBytes)} gzipped\nby package:\n`);
    for (const [key, bytes] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 25)) process.stderr.write(`  ${kb(bytes).padStart(7)}  ${key}\n`);
    process.stderr.write('by file:\n');
    for (const [path, input] of Object.entries(output.inputs).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput).slice(0, 15)) {
      process.stderr.write(`  ${kb(input.bytesInOutput).padStart(7)}  ${path}\n`);
    }
  });
}

if (process.argv[2] === 'metafile') {
  const name = process.argv[3] as FunctionName;
  if (!FUNCTIONS.includes(name)) throw new Error(`usage: bundles.bench.ts metafile ${FUNCTIONS.join('|')}`);
  await printMetafile(name);
} else {
  await runBenchChild({
    prepare: () => {
      if (!existsSync(join(ROOT, EXAMPLE_CONFIG_FILE))) throw new Error(`${EXAMPLE_CONFIG_FILE} is missing`);
    },
    implementations: { baseline, revperf },
  });
}
