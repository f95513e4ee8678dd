// `revperf local`: the embedded AWS kept running — uploads to the bucket are
// ingested as they arrive (so `aws s3 cp … --endpoint-url` works), and the
// daily dispatch runs on a simulated clock that you advance: typed `tick`
// lines, or `revperf local --tick DATE` from another terminal, which posts to
// this process's control endpoint on 127.0.0.1. Ctrl-C stops it cleanly.
import { randomBytes } from 'node:crypto';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createIngestHandler } from '../functions/ingest/ingest-handler.js';
import { createDispatchHandler } from '../functions/dispatch/dispatch-handler.js';
import { createRuntime, type Runtime } from '../functions/runtime.js';
import { deliveryLines, localDeliveryQueue } from './local-delivery.js';
import type { RevperfConfig } from '../shared/config/schema.js';
import { addDays, isLocalDate, isoWeekday, localDateInZone } from '../shared/domain/local-date.js';
import type { LocalDate } from '../shared/domain/types.js';
import { decodeEventKey } from '../shared/adapters/s3-events.js';
import { closeServer, isAlive, listen, startEmbeddedAws, type EmbeddedAws } from './embedded-aws.js';
import { DataFolderError, describeIngest, findUploads, uploadAll } from './local-run.js';
import { silentLogger } from './silent-logger.js';

export const CONTROL_FILE = 'revperf-local.json';

export interface LocalServerOptions {
  config: RevperfConfig;
  /** Keep the table and bucket in this folder between sessions (default: temporary, gone at stop). */
  persistDir?: string;
  /** Upload DIR/{fx,people,accounts,quotas,deals}/** at start, as `revperf run --data` does. */
  dataDir?: string;
  /** The simulated today at start (default: today in the org's time zone). */
  startDay?: LocalDate;
  /** Where the control file goes (default: the persist folder, else the OS temp folder). */
  controlDir?: string;
  /** The real clock (tests). */
  clock?: () => Date;
  log?: (line: string) => void;
}

export interface LocalServerEndpoints {
  region: string;
  s3: string;
  bucketName: string;
  dynamodb: string;
  tableName: string;
  /** The SES emulator's web viewer; `${sesViewer}store` lists the messages as JSON. */
  sesViewer: string;
  sesStore: string;
  /** The control endpoint (POST /tick, GET /status), bearer token in the control file. */
  control: string;
  controlFile: string;
}

export interface TickedDay {
  date: LocalDate;
  /** What the dispatch returned (its shape is the dispatch's business), or null when it failed. */
  summary: unknown;
  error?: string;
}

export interface LocalServer {
  endpoints: LocalServerEndpoints;
  aws: EmbeddedAws;
  /** The simulated today: the last day the dispatch ran for. */
  today(): LocalDate;
  /**
   * Advances the clock to `date` (default: the next day), running the dispatch for every day after the
   * last tick up to and including it, one after the other. A date before the last tick is refused.
   */
  tick(date?: LocalDate): Promise<TickedDay[]>;
  stop(): Promise<void>;
}

export class TickRefusedError extends Error {
  override name = 'TickRefusedError';
}

export class LocalServerInUseError extends Error {
  override name = 'LocalServerInUseError';
}

interface ControlFileContent {
  pid: number;
  url: string;
  token: string;
  persistDir: string | null;
  startedAt: string;
}

export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const log = options.log ?? (() => undefined);
  const realClock = options.clock ?? (() => new Date());
  const persistDir = options.persistDir === undefined ? undefined : resolve(options.persistDir);
  const controlDir = resolve(options.controlDir ?? persistDir ?? tmpdir());
  const controlFile = join(controlDir, CONTROL_FILE);
  if (options.startDay !== undefined && !isLocalDate(options.startDay)) throw new TickRefusedError(`'${options.startDay}' is not a date YYYY-MM-DD`);
  const files = options.dataDir ? await findUploads(options.dataDir) : [];
  if (options.dataDir && files.length === 0) throw new DataFolderError(`${options.dataDir} has no uploads in deals/, people/, quotas/, accounts/ or fx/`);
  // Without a persist folder the control file is shared by every server of this user: one at a time.
  if (!persistDir) await refuseIfHeld(controlFile);

  const aws = await startEmbeddedAws({ stateDir: persistDir });
  const cleanups: (() => Promise<void>)[] = [() => aws.stop()];
  const cleanUp = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const timeZone = options.config.org.timeZone;
    let today: LocalDate = options.startDay ?? localDateInZone(realClock(), timeZone);
    // The dispatch's jobs run through the deliver worker's use case in process, mailing through the embedded SES.
    let deliveryRuntime: Runtime | undefined;
    const delivery = localDeliveryQueue(() => deliveryRuntime!);
    const runtime = createRuntime({
      config: options.config,
      clients: aws.clients,
      tableName: aws.tableName,
      bucketName: aws.bucketName,
      clock: () => simulatedInstant(today, realClock(), timeZone),
      logger: silentLogger(),
      deliveryQueue: delivery,
    });
    deliveryRuntime = runtime;
    const ingest = createIngestHandler(runtime);
    aws.onObjectCreated('ingest', async (event) => {
      try {
        for (const report of await ingest(event)) log(describeIngest(report));
      } catch (error) {
        const keys = event.Records.map((record) => decodeEventKey(record.s3.object.key)).join(', ');
        log(`✗ ingest of ${keys} failed: ${(error as Error).message}`);
        throw error;
      }
    });
    const dispatch = createDispatchHandler(runtime);

    // One day at a time, whoever asks (stdin, HTTP, tests): ticks queue behind each other.
    let queue: Promise<unknown> = Promise.resolve();
    const serialized = <T>(work: () => Promise<T>): Promise<T> => {
      const next = queue.then(work, work);
      queue = next.catch(() => undefined);
      return next;
    };
    const runDay = async (date: LocalDate): Promise<TickedDay> => {
      today = date;
      await aws.idle(); // uploads in flight land before the day's dispatch
      try {
        const delivered = delivery.outcomes.length;
        const failures = delivery.failures.length;
        const summary = await dispatch({ asOf: date });
        log(`▸ ${date} ${weekdayName(date)}: ${summarize(summary)}`);
        for (const line of deliveryLines({ deliveries: delivery.outcomes.slice(delivered).map((outcome) => outcome.run) }).filter((line) => line !== '')) {
          if (!line.startsWith('No e-mail')) log(`  ${line}`);
        }
        for (const failure of delivery.failures.slice(failures)) log(`  ✗ delivery of ${failure.job.kind} ${failure.job.periodId} failed: ${failure.error.message}`);
        return { date, summary };
      } catch (error) {
        const message = (error as Error).message;
        log(`▸ ${date} ${weekdayName(date)}: ✗ dispatch failed: ${message}`);
        return { date, summary: null, error: message };
      }
    };
    const tick = (date?: LocalDate): Promise<TickedDay[]> =>
      serialized(async () => {
        const target = date ?? addDays(today, 1);
        if (!isLocalDate(target)) throw new TickRefusedError(`'${target}' is not a date YYYY-MM-DD`);
        if (target < today) throw new TickRefusedError(`cannot go back to ${target}: the clock is at ${today} (ticks only move forward)`);
        if (target === today) {
          log(`• already at ${today}: nothing to run`);
          return [];
        }
        const days: TickedDay[] = [];
        for (let day = addDays(today, 1); day <= target; day = addDays(day, 1)) days.push(await runDay(day));
        return days;
      });

    if (files.length > 0) {
      await uploadAll(aws, files, (line) => log(`• ${line}`));
      await aws.idle();
    }
    await serialized(() => runDay(today));

    const token = randomBytes(24).toString('hex');
    const control = createServer((request, response) => {
      void handleControl(request, response, token, { tick, today: () => today }).catch((error: Error) => {
        respond(response, 500, { error: error.message });
      });
    });
    const controlPort = await listen(control);
    cleanups.push(() => closeServer(control));
    const url = `http://127.0.0.1:${controlPort}`;
    const content: ControlFileContent = { pid: process.pid, url, token, persistDir: persistDir ?? null, startedAt: realClock().toISOString() };
    await writeControlFile(controlFile, content);
    cleanups.push(() => removeControlFile(controlFile, content));
    // With a persist folder, a pointer in the temp folder too, so `revperf local --tick` finds it without --persist.
    const pointer = join(tmpdir(), CONTROL_FILE);
    if (persistDir && resolve(pointer) !== controlFile && (await holder(pointer)) === null) {
      await writeControlFile(pointer, content);
      cleanups.push(() => removeControlFile(pointer, content));
    }

    const ses = aws.sesUrl.replace(/\/?$/, '/');
    let stopped: Promise<void> | null = null;
    return {
      endpoints: {
        region: aws.endpoints.region,
        s3: aws.endpoints.s3!,
        bucketName: aws.bucketName,
        dynamodb: aws.endpoints.dynamodb!,
        tableName: aws.tableName,
        sesViewer: ses,
        sesStore: `${ses}store`,
        control: url,
        controlFile,
      },
      aws,
      today: () => today,
      tick,
      stop() {
        stopped ??= queue.then(cleanUp);
        return stopped;
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/** The lines `revperf local` prints once it is up: where everything is and what to try. */
export function describeLocalServer(server: LocalServer, persistDir: string | undefined): string[] {
  const e = server.endpoints;
  return [
    '',
    persistDir
      ? `revperf local is running — table and bucket kept in ${persistDir}`
      : 'revperf local is running — temporary: everything is gone at Ctrl-C (--persist DIR keeps it)',
    `  S3          ${e.s3}   bucket ${e.bucketName}`,
    `  DynamoDB    ${e.dynamodb}   table ${e.tableName}`,
    `  SES viewer  ${e.sesViewer}   (messages as JSON: ${e.sesStore})`,
    `  control     ${e.control}   (${e.controlFile})`,
    '',
    'From another terminal:',
    `  export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_DEFAULT_REGION=${e.region} AWS_REQUEST_CHECKSUM_CALCULATION=when_required`,
    `  aws s3 cp opportunities.csv s3://${e.bucketName}/uploads/deals/opportunities.csv --endpoint-url ${e.s3}`,
    `  aws s3 ls s3://${e.bucketName}/ --recursive --endpoint-url ${e.s3}`,
    `  aws dynamodb scan --table-name ${e.tableName} --max-items 5 --endpoint-url ${e.dynamodb}`,
    `  revperf local --tick ${addDays(server.today(), 7)}${persistDir ? ` --persist ${persistDir}` : ''}`,
    '',
    `Today is ${server.today()} ${weekdayName(server.today())}. Type 'tick' (next day), 'tick YYYY-MM-DD', 'status' — Ctrl-C stops.`,
  ];
}

// ── the control endpoint and its client ────────────────────────────────────

interface ControlTarget {
  tick(date?: LocalDate): Promise<TickedDay[]>;
  today(): LocalDate;
}

async function handleControl(request: IncomingMessage, response: ServerResponse, token: string, target: ControlTarget): Promise<void> {
  if (request.headers.authorization !== `Bearer ${token}`) return respond(response, 401, { error: 'missing or wrong token (see the control file)' });
  const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
  if (request.method === 'GET' && path === '/status') return respond(response, 200, { pid: process.pid, today: target.today() });
  if (request.method !== 'POST' || path !== '/tick') return respond(response, 404, { error: 'POST /tick {"date":"YYYY-MM-DD"} or GET /status' });
  let body: { date?: unknown };
  try {
    const text = await readBody(request);
    body = text.trim() === '' ? {} : (JSON.parse(text) as { date?: unknown });
  } catch {
    return respond(response, 400, { error: 'the body is not JSON' });
  }
  if (body.date !== undefined && (typeof body.date !== 'string' || !isLocalDate(body.date))) {
    return respond(response, 400, { error: `'${String(body.date)}' is not a date YYYY-MM-DD` });
  }
  try {
    const days = await target.tick(body.date as LocalDate | undefined);
    return respond(response, 200, { today: target.today(), days });
  } catch (error) {
    if (error instanceof TickRefusedError) return respond(response, 409, { error: error.message, today: target.today() });
    throw error;
  }
}

export interface RunningServer {
  file: string;
  content: ControlFileContent;
}

/** The `revperf local` running for this folder (or the temp folder's), if any: its control file names a live process. */
export async function findRunningServer(persistDir?: string): Promise<RunningServer | null> {
  const file = join(resolve(persistDir ?? tmpdir()), CONTROL_FILE);
  const content = await readControlFile(file);
  return content && isAlive(content.pid) ? { file, content } : null;
}

/** Posts a tick to a running server; throws with the server's reason when it refuses. No timeout: a long tick runs many days. */
export function postTick(server: RunningServer, date?: LocalDate): Promise<{ today: LocalDate; days: TickedDay[] }> {
  const body = JSON.stringify(date ? { date } : {});
  return new Promise((resolvePost, reject) => {
    const post = request(
      `${server.content.url}/tick`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${server.content.token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        readBody(response).then((text) => {
          let answer: { today: LocalDate; days: TickedDay[]; error?: string };
          try {
            answer = JSON.parse(text) as typeof answer;
          } catch {
            return reject(new Error(`the revperf local at ${server.content.url} answered ${response.statusCode} with no JSON`));
          }
          if (response.statusCode !== 200) return reject(new TickRefusedError(answer.error ?? `the server answered ${response.statusCode}`));
          resolvePost(answer);
        }, reject);
      },
    );
    post.on('error', reject);
    post.end(body);
  });
}

// ── the `revperf local` command ─────────────────────────────────────────────

export interface LocalCommandOptions {
  config: RevperfConfig;
  persist?: string;
  data?: string;
  tick?: LocalDate;
}

/** Runs the server until SIGINT/SIGTERM (or `quit` on stdin); returns the exit code. */
export async function runLocalServerCommand(options: LocalCommandOptions, log: (line: string) => void = console.log): Promise<number> {
  const persistDir = options.persist === undefined ? undefined : resolve(options.persist);
  log(`• starting the embedded AWS (DynamoDB, S3, SES on 127.0.0.1)${persistDir ? ` with the state in ${persistDir}` : ''}`);
  const server = await startLocalServer({
    config: options.config,
    persistDir,
    dataDir: options.data === undefined ? undefined : resolve(options.data),
    startDay: options.tick,
    log,
  });
  for (const line of describeLocalServer(server, persistDir)) log(line);

  return new Promise<number>((done) => {
    const lines = createInterface({ input: process.stdin, terminal: false });
    let stopping = false;
    const stop = (reason: string) => {
      if (stopping) return;
      stopping = true;
      log(`\n• ${reason}: stopping`);
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigterm);
      lines.close();
      process.stdin.pause();
      server.stop().then(
        () => {
          log('• stopped');
          done(0);
        },
        (error: Error) => {
          console.error(`revperf: could not stop cleanly: ${error.message}`);
          done(1);
        },
      );
    };
    const onSigint = () => stop('interrupted');
    const onSigterm = () => stop('terminated');
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigterm);
    lines.on('line', (line) => {
      const [command, argument, ...rest] = line.trim().split(/\s+/);
      if (!command) return;
      if (command === 'quit' || command === 'exit') return stop('quit');
      if (command === 'status') return log(`• today is ${server.today()} ${weekdayName(server.today())}`);
      if (command !== 'tick' || rest.length > 0) return log(`? '${line.trim()}': type 'tick', 'tick YYYY-MM-DD', 'status' or 'quit'`);
      server.tick(argument).then(
        (days) => log(`• today is ${server.today()} (${days.length} day(s) run)`),
        (error: Error) => log(`✗ ${error.message}`),
      );
    });
  });
}

// ── helpers ────────────────────────────────────────────────────────────────

/**
 * An instant on the simulated day in the org's time zone: the real time of day moved to that date (so
 * timestamps still advance), or the day's noon-ish when a DST shift would push it off the day.
 */
export function simulatedInstant(day: LocalDate, now: Date, timeZone: string): Date {
  const realToday = localDateInZone(now, timeZone);
  const shifted = new Date(now.getTime() + (Date.parse(`${day}T00:00:00Z`) - Date.parse(`${realToday}T00:00:00Z`)));
  if (localDateInZone(shifted, timeZone) === day) return shifted;
  for (let hours = 0; hours <= 14; hours += 1) {
    for (const sign of [1, -1]) {
      const candidate = new Date(Date.parse(`${day}T12:00:00Z`) + sign * hours * 3_600_000);
      if (localDateInZone(candidate, timeZone) === day) return candidate;
    }
  }
  return shifted;
}

/** A short one-line view of whatever the dispatch returned: arrays by their length, short values as they are. */
export function summarize(value: unknown, max = 200): string {
  let text: string;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    text = Object.entries(value as Record<string, unknown>)
      .map(([key, entry]) => `${key}=${shortValue(entry)}`)
      .join(' ');
  } else {
    text = shortValue(value);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function shortValue(value: unknown): string {
  if (Array.isArray(value)) {
    const plain = value.every((entry) => entry === null || typeof entry !== 'object');
    return plain && value.length <= 4 ? `[${value.map(String).join(',')}]` : `${value.length} item(s)`;
  }
  if (value !== null && typeof value === 'object') {
    const json = JSON.stringify(value);
    return json.length <= 60 ? json : `{${Object.keys(value).length} keys}`;
  }
  return String(value);
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
function weekdayName(date: LocalDate): string {
  return WEEKDAYS[isoWeekday(date) - 1]!;
}

async function readControlFile(path: string): Promise<ControlFileContent | null> {
  const text = await readFile(path, 'utf-8').catch(() => null);
  if (text === null) return null;
  try {
    const content = JSON.parse(text) as ControlFileContent;
    return typeof content.pid === 'number' && typeof content.url === 'string' && typeof content.token === 'string' ? content : null;
  } catch {
    return null;
  }
}

/** The pid of the live server a control file names, or null (missing, unreadable or stale). */
async function holder(path: string): Promise<number | null> {
  const content = await readControlFile(path);
  return content && content.pid !== process.pid && isAlive(content.pid) ? content.pid : null;
}

async function refuseIfHeld(path: string): Promise<void> {
  const pid = await holder(path);
  if (pid !== null) {
    throw new LocalServerInUseError(
      `another revperf local is running (process ${pid}, ${path}): 'revperf local --tick DATE' talks to it; stop it first, or give this one --persist DIR`,
    );
  }
}

async function writeControlFile(path: string, content: ControlFileContent): Promise<void> {
  // Created afresh, so the mode (owner only: it holds the token) applies even over a stale file.
  await rm(path, { force: true });
  await writeFile(path, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
}

async function removeControlFile(path: string, content: ControlFileContent): Promise<void> {
  const current = await readControlFile(path);
  if (current?.pid === content.pid && current.token === content.token) await rm(path, { force: true });
}


function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    let text = '';
    request.setEncoding('utf-8');
    request.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > 10_000) request.destroy(new Error('body too large'));
    });
    request.on('end', () => resolveBody(text));
    request.on('error', reject);
  });
}

function respond(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) return;
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}


