// The embedded AWS: dynalite (DynamoDB), s3rver (S3) and aws-ses-v2-local
// (SES v2) in process on 127.0.0.1, random ports — or, with REVPERF_DDB=local,
// AWS's DynamoDB Local (a child JVM, see dynamodb-local.ts) for DynamoDB. The table and bucket come
// from the same modules the CDK stack reads; s3rver's object events are
// dispatched to the notified functions with the deployed stack's rules.
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { DeleteTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import dynalite from 'dynalite';
import S3rver from 's3rver';
import { createAwsClients, type AwsClients, type AwsEndpoints } from '../shared/adapters/aws-clients.js';
import { matchingRules, NOTIFICATION_RULES, type NotifiedFunction } from '../shared/adapters/bucket-layout.js';
import { createTableAndWait, createTableInput } from '../shared/adapters/dynamo-table.js';
import { encodeEventKey, type S3EventNotification, type S3EventRecord } from '../shared/adapters/s3-events.js';
import { dynamoEmulatorFromEnv, SHARED_ENDPOINT_VARIABLE, startDynamoDbLocal, type DynamoEmulator } from './dynamodb-local.js';

export type S3Handler = (event: S3EventNotification) => Promise<void>;

export interface EmbeddedAwsOptions {
  tableName?: string;
  bucketName?: string;
  /**
   * Keep DynamoDB in this folder instead of memory, so a later run sees the data (dynalite: LevelDB;
   * DynamoDB Local: its shared-local-instance.db — neither reads the other's).
   */
  dynamoPath?: string;
  /**
   * Without a dynamoPath or stateDir: keep DynamoDB in a temporary LevelDB folder, removed at stop(), instead
   * of memory. The table then costs the process LevelDB's cache, not every item and index copy on the heap
   * (a large org's table held in memory was most of `revperf run`'s peak RSS); no slower here.
   */
  dynamoOnDisk?: boolean;
  /**
   * Keep DynamoDB (DIR/dynamodb, LevelDB) and S3 (DIR/s3) in this folder between processes: the table
   * and bucket are created only when missing, and a later process sees the items and objects of an
   * earlier one. One process at a time: DIR/revperf.lock holds the pid of the one using it.
   * Without it everything is temporary and gone at stop().
   */
  stateDir?: string;
  /** Retries of a failed notified invocation, as Lambda's asynchronous invocation does (default 2). */
  retryAttempts?: number;
  /** Delay before each retry (Lambda waits a minute, then two; locally a few ms). */
  retryDelayMs?: number;
}

export interface FailedInvocation {
  function: NotifiedFunction;
  event: S3EventNotification;
  error: Error;
  attempts: number;
}

export interface EmbeddedAws {
  endpoints: AwsEndpoints;
  clients: AwsClients;
  tableName: string;
  bucketName: string;
  /** The folder the table and bucket persist in, when started with `stateDir`. */
  stateDir?: string;
  /**
   * The DynamoDB emulator (REVPERF_DDB) and whether its server is shared with other stacks (a
   * DynamoDB Local started once for a whole test run): then this stack has a table of its own on
   * it — dropped at stop(), or kept for a state folder — and the server outlives the stack.
   */
  dynamo: { emulator: DynamoEmulator; shared: boolean };
  /** Base URL of the SES emulator (`GET /store` lists what was sent). */
  sesUrl: string;
  /** Connect a notified function to its handler, as the deployed bucket notification would. */
  onObjectCreated(fn: NotifiedFunction, handler: S3Handler): void;
  /** Resolves once every dispatched invocation (and its retries) has finished. */
  idle(): Promise<void>;
  /** Invocations that failed after all retries: the local failure destination. */
  readonly failedInvocations: readonly FailedInvocation[];
  /** Every event dispatched, in order, for inspection in tests. */
  readonly dispatchedEvents: readonly { function: NotifiedFunction; event: S3EventNotification }[];
  stop(): Promise<void>;
}

const REGION = 'us-east-1';
const EMULATOR_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

interface S3rverObjectEvent {
  Records: {
    eventName: string;
    eventTime: string;
    s3: { bucket: { name: string }; object: { key: string; size?: number; eTag?: string } };
  }[];
}

export async function startEmbeddedAws(options: EmbeddedAwsOptions = {}): Promise<EmbeddedAws> {
  const bucketName = options.bucketName ?? 'revperf-local';
  const retryAttempts = options.retryAttempts ?? 2;
  const retryDelayMs = options.retryDelayMs ?? 5;
  const stoppers: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stopOne of stoppers.reverse()) await stopOne().catch(() => undefined);
  };

  const stateDir = options.stateDir === undefined ? undefined : resolve(options.stateDir);
  try {
    if (stateDir) {
      await mkdir(stateDir, { recursive: true });
      const release = await lockStateDir(stateDir);
      stoppers.push(release);
    }
    let dynamoPath = stateDir ? join(stateDir, 'dynamodb') : options.dynamoPath;
    const temporaryDynamo = dynamoPath === undefined && options.dynamoOnDisk === true;
    if (temporaryDynamo) {
      const temporary = await mkdtemp(join(tmpdir(), 'revperf-dynamodb-'));
      stoppers.push(() => rm(temporary, { recursive: true, force: true }));
      dynamoPath = temporary;
    }
    if (dynamoPath) await mkdir(dynamoPath, { recursive: true });
    const dynamo = await startDynamo(dynamoPath, options.tableName, temporaryDynamo);
    stoppers.push(dynamo.stop);
    const tableName = dynamo.tableName;

    let s3Dir: string;
    if (stateDir) {
      s3Dir = join(stateDir, 's3');
      await mkdir(s3Dir, { recursive: true });
    } else {
      s3Dir = await mkdtemp(join(tmpdir(), 'revperf-s3-'));
      const temporary = s3Dir;
      stoppers.push(() => rm(temporary, { recursive: true, force: true }));
    }
    const s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: s3Dir, configureBuckets: [] });
    const s3Address = await s3.run();
    stoppers.push(() => s3.close());

    const sesServer = await startSes();
    const sesPort = (sesServer.address() as AddressInfo).port;
    stoppers.push(() => closeServer(sesServer));

    const endpoints: AwsEndpoints = {
      region: REGION,
      dynamodb: dynamo.endpoint,
      s3: `http://127.0.0.1:${s3Address.port}`,
      ses: `http://127.0.0.1:${sesPort}`,
      credentials: EMULATOR_CREDENTIALS,
      s3Credentials: S3RVER_CREDENTIALS,
    };
    const clients = createAwsClients(endpoints);
    stoppers.push(async () => {
      clients.dynamodb.destroy();
      clients.s3.destroy();
      clients.ses.destroy();
    });

    const tables = await clients.dynamodb.send(new ListTablesCommand({}));
    if (!tables.TableNames?.includes(tableName)) await createTableAndWait(clients.dynamodb, createTableInput(tableName));
    if (!dynamo.keep) {
      // Runs before the clients are destroyed (stoppers run last first): the shared server keeps no table of ours.
      stoppers.push(async () => {
        await clients.dynamodb.send(new DeleteTableCommand({ TableName: tableName }));
      });
    }
    const bucketExists = await clients.s3.send(new HeadBucketCommand({ Bucket: bucketName })).then(
      () => true,
      () => false,
    );
    if (!bucketExists) await clients.s3.send(new CreateBucketCommand({ Bucket: bucketName }));

    const dispatcher = new NotificationDispatcher(retryAttempts, retryDelayMs);
    s3.on('event', (event: S3rverObjectEvent) => dispatcher.onS3rverEvent(event));

    let stopped = false;
    return {
      endpoints,
      clients,
      tableName,
      bucketName,
      dynamo: { emulator: dynamo.emulator, shared: dynamo.shared },
      ...(stateDir ? { stateDir } : {}),
      sesUrl: endpoints.ses!,
      onObjectCreated: (fn, handler) => dispatcher.handlers.set(fn, handler),
      idle: () => dispatcher.idle(),
      failedInvocations: dispatcher.failed,
      dispatchedEvents: dispatcher.dispatched,
      async stop() {
        if (stopped) return;
        stopped = true;
        await dispatcher.idle().catch(() => undefined);
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

interface EmbeddedDynamo {
  emulator: DynamoEmulator;
  endpoint: string;
  tableName: string;
  shared: boolean;
  /** False for a temporary table on a shared server: dropped at stop(). */
  keep: boolean;
  stop(): Promise<void>;
}

let sharedTables = 0;

/**
 * DynamoDB as REVPERF_DDB says: dynalite in process (default); DynamoDB Local in a JVM of its own;
 * or, in memory with REVPERF_DDB_LOCAL_ENDPOINT set, a fresh table on that running DynamoDB Local
 * (a JVM takes seconds to start: the integration tests start one for the whole run); a folder
 * there is a table named after it, which a later stack on the folder finds while the server runs.
 */
async function startDynamo(dynamoPath: string | undefined, tableName: string | undefined, temporary: boolean): Promise<EmbeddedDynamo> {
  const emulator = dynamoEmulatorFromEnv();
  if (emulator === 'dynalite') {
    const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, path: dynamoPath });
    const port = await listen(server);
    return { emulator, endpoint: `http://127.0.0.1:${port}`, tableName: tableName ?? 'revperf', shared: false, keep: true, stop: () => closeServer(server) };
  }
  const sharedEndpoint = process.env[SHARED_ENDPOINT_VARIABLE];
  // A temporary folder is nothing a later stack can find again: on a shared server it is a table of its own, dropped.
  if (sharedEndpoint && dynamoPath && !temporary) {
    // A folder on a shared server: a table named after the folder, kept (not dropped) for as long as
    // the server runs, so a later stack — or process — on the same folder finds it, as it would the files.
    const folder = createHash('sha256').update(resolve(dynamoPath)).digest('hex').slice(0, 16);
    return { emulator, endpoint: sharedEndpoint, tableName: tableName ?? `revperf-state-${folder}`, shared: true, keep: true, stop: async () => undefined };
  }
  if (sharedEndpoint) {
    sharedTables += 1;
    const unique = `revperf-${process.pid}-${sharedTables}-${Math.random().toString(36).slice(2, 8)}`;
    return { emulator, endpoint: sharedEndpoint, tableName: tableName ?? unique, shared: true, keep: false, stop: async () => undefined };
  }
  const local = await startDynamoDbLocal(dynamoPath ? { dbPath: dynamoPath } : {});
  return { emulator, endpoint: local.endpoint, tableName: tableName ?? 'revperf', shared: false, keep: true, stop: local.stop };
}

/**
 * Turns s3rver's events into the notifications real S3 would send — keys
 * URL-encoded, versionId / sequencer / eTag present — and invokes the matching
 * function asynchronously with Lambda's retry behaviour.
 */
class NotificationDispatcher {
  readonly handlers = new Map<NotifiedFunction, S3Handler>();
  readonly failed: FailedInvocation[] = [];
  readonly dispatched: { function: NotifiedFunction; event: S3EventNotification }[] = [];
  private readonly pending = new Set<Promise<void>>();
  private sequence = 0n;

  constructor(
    private readonly retryAttempts: number,
    private readonly retryDelayMs: number,
  ) {}

  onS3rverEvent(event: S3rverObjectEvent): void {
    for (const record of event.Records) {
      if (!record.eventName.startsWith('ObjectCreated:')) continue;
      const key = record.s3.object.key;
      for (const rule of matchingRules(key, NOTIFICATION_RULES)) {
        const notification = { Records: [this.realShapedRecord(record, rule.function)] };
        this.dispatched.push({ function: rule.function, event: notification });
        this.track(this.invoke(rule.function, notification));
      }
    }
  }

  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private track(work: Promise<void>): void {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  private realShapedRecord(record: S3rverObjectEvent['Records'][number], fn: NotifiedFunction): S3EventRecord {
    // A monotonic sequencer: real S3 orders events per key by it; s3rver's is
    // Date.now() and collides within a millisecond.
    this.sequence += 1n;
    const sequencer = (BigInt(Date.parse(record.eventTime)) * 1_000_000n + this.sequence).toString(16).toUpperCase().padStart(18, '0');
    const bucket = record.s3.bucket.name;
    return {
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: REGION,
      eventTime: record.eventTime,
      eventName: record.eventName,
      userIdentity: { principalId: 'AWS:LOCALUSER' },
      requestParameters: { sourceIPAddress: '127.0.0.1' },
      responseElements: { 'x-amz-request-id': sequencer, 'x-amz-id-2': 'local' },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: `revperf-${fn}`,
        bucket: { name: bucket, ownerIdentity: { principalId: 'LOCAL' }, arn: `arn:aws:s3:::${bucket}` },
        object: {
          key: encodeEventKey(record.s3.object.key),
          size: record.s3.object.size ?? 0,
          eTag: record.s3.object.eTag ?? '',
          // s3rver keeps no versions; the sequencer identifies this write uniquely.
          versionId: `local-${sequencer}`,
          sequencer,
        },
      },
    };
  }

  private async invoke(fn: NotifiedFunction, event: S3EventNotification): Promise<void> {
    const handler = this.handlers.get(fn);
    if (!handler) return;
    let lastError: Error | undefined;
    for (let attempt = 1; attempt <= this.retryAttempts + 1; attempt += 1) {
      try {
        await handler(event);
        return;
      } catch (error) {
        lastError = error as Error;
        if (attempt <= this.retryAttempts) await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs * attempt));
      }
    }
    this.failed.push({ function: fn, event, error: lastError!, attempts: this.retryAttempts + 1 });
  }
}

export class StateDirInUseError extends Error {
  override name = 'StateDirInUseError';
}

export const STATE_LOCK_FILE = 'revperf.lock';

/**
 * Takes DIR/revperf.lock for this process (created exclusively, holding the pid). A lock left by a
 * process that no longer runs is taken over; one held by a live process is a clear error, since
 * two LevelDB and s3rver instances on one folder would corrupt each other.
 */
async function lockStateDir(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, STATE_LOCK_FILE);
  const content = JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }) + '\n';
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      await writeFile(path, content, { flag: 'wx' });
      return async () => {
        // Only remove the lock if it is still ours.
        const current = await readFile(path, 'utf-8').catch(() => '');
        if (current === content) await rm(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await lockHolder(path);
    const fresh = holder === null && (await stat(path).then((info) => Date.now() - info.mtimeMs < 5_000, () => false));
    if (fresh) throw new StateDirInUseError(`state folder ${dir} is being opened by another process right now (lock file ${path})`);
    if (holder !== null && isAlive(holder)) {
      throw new StateDirInUseError(
        `state folder ${dir} is in use by process ${holder}${holder === process.pid ? ' (this process)' : ''}: ` +
          `stop that revperf first, or use another folder (lock file ${path})`,
      );
    }
    // Stale: its process is gone (crashed or killed). Take it over.
    await rm(path, { force: true });
  }
  throw new StateDirInUseError(`state folder ${dir}: could not take the lock file ${path} (another revperf is starting on it?)`);
}

async function lockHolder(path: string): Promise<number | null> {
  const text = await readFile(path, 'utf-8').catch(() => null);
  if (text === null) return null;
  try {
    const pid = (JSON.parse(text) as { pid?: unknown }).pid;
    return typeof pid === 'number' && Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function startSes(): Promise<Server> {
  // aws-ses-v2-local is CommonJS with an ES-style default export.
  const module = (await import('aws-ses-v2-local')) as unknown as {
    default: ((config: { host: string; port: number }) => Promise<Server>) | { default: (config: { host: string; port: number }) => Promise<Server> };
  };
  const start = typeof module.default === 'function' ? module.default : module.default.default;
  const server = await start({ host: '127.0.0.1', port: 0 });
  const port = (server.address() as AddressInfo).port;
  // The emulator keeps one store per process: start each stack empty.
  await fetch(`http://127.0.0.1:${port}/clear-store`, { method: 'POST' });
  return server;
}

export function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
}
