// `revperf replay-failed` against a stand-in of SQS's JSON protocol (there is
// no SQS emulator): it counts what waits in the ingest dead-letter queue,
// moves nothing on --dry-run, and otherwise starts SQS's native redrive back
// to the source queue — once, not while a move task is still running.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Command } from 'commander';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerReplayFailedCommand, replayFailed } from '../../local/replay-failed.js';

const DLQ_ARN = 'arn:aws:sqs:us-east-1:000000000000:RevperfReporting-IngestDeadLetterQueue';

interface Call {
  target: string;
  body: Record<string, unknown>;
}

describe('revperf replay-failed', () => {
  const calls: Call[] = [];
  let waiting = 3;
  let running = false;
  let url: string;
  let close: () => Promise<void>;
  // The SDK sends a request naming a QueueUrl to that URL's host, so the queue lives on the stand-in.
  let DLQ_URL: string;
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };

  beforeAll(async () => {
    const server = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString()));
      request.on('end', () => {
        const target = String(request.headers['x-amz-target']).replace('AmazonSQS.', '');
        const body = JSON.parse(text || '{}') as Record<string, unknown>;
        calls.push({ target, body });
        const reply = (payload: unknown) => response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify(payload));
        if (target === 'GetQueueAttributes' && body.QueueUrl === DLQ_URL) {
          return reply({ Attributes: { QueueArn: DLQ_ARN, ApproximateNumberOfMessages: String(waiting), ApproximateNumberOfMessagesNotVisible: '1' } });
        }
        if (target === 'ListMessageMoveTasks') {
          return reply({ Results: running ? [{ TaskHandle: 'task-1', Status: 'RUNNING', SourceArn: DLQ_ARN, ApproximateNumberOfMessagesMoved: 1, ApproximateNumberOfMessagesToMove: 3 }] : [{ Status: 'COMPLETED', SourceArn: DLQ_ARN }] });
        }
        if (target === 'StartMessageMoveTask') return reply({ TaskHandle: 'task-2' });
        response.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify({ __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'no such queue' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    DLQ_URL = `${url}/000000000000/RevperfReporting-IngestDeadLetterQueue`;
    close = () => new Promise((resolve) => server.close(() => resolve()));
    // The command uses the default credential chain, as an operator's shell would.
    process.env.AWS_ACCESS_KEY_ID = 'test';
    process.env.AWS_SECRET_ACCESS_KEY = 'test';
  });
  afterAll(async () => {
    await close();
    for (const [name, value] of [['AWS_ACCESS_KEY_ID', saved.id], ['AWS_SECRET_ACCESS_KEY', saved.secret]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  beforeEach(() => {
    calls.length = 0;
    waiting = 3;
    running = false;
  });

  const env = (extra: Record<string, string> = {}) => ({
    AWS_REGION: 'us-east-1',
    REVPERF_SQS_ENDPOINT: url,
    ...extra,
  });
  const run = async (options: Parameters<typeof replayFailed>[0], extraEnv: Record<string, string> = {}) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await replayFailed(options, { env: env(extraEnv), print: (line) => out.push(line), printError: (line) => err.push(line) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('--dry-run lists how many wait and moves nothing', async () => {
    const { code, out } = await run({ queueUrl: DLQ_URL, dryRun: true });
    expect(code).toBe(0);
    expect(out).toContain('3 failed upload notification(s) waiting, 1 being received');
    expect(out).toContain('dry run: would move 3 message(s) back to the ingest queue; nothing was moved');
    expect(calls.map((call) => call.target)).not.toContain('StartMessageMoveTask');
  });

  it('starts one native redrive from the dead-letter queue back to its source queue (REVPERF_INGEST_DLQ_URL)', async () => {
    const { code, out } = await run({ maxPerSecond: 5 }, { REVPERF_INGEST_DLQ_URL: DLQ_URL });
    expect(code).toBe(0);
    const starts = calls.filter((call) => call.target === 'StartMessageMoveTask');
    // No DestinationArn: SQS moves each message back to the queue it was dead-lettered from (the ingest queue).
    expect(starts.map((call) => call.body)).toEqual([{ SourceArn: DLQ_ARN, MaxNumberOfMessagesPerSecond: 5 }]);
    expect(out).toContain('task task-2');
  });

  it('moves nothing when nothing waits, or while a move task still runs', async () => {
    waiting = 0;
    expect((await run({ queueUrl: DLQ_URL })).out).toContain('nothing to replay');
    waiting = 3;
    running = true;
    const busy = await run({ queueUrl: DLQ_URL });
    expect(busy.code).toBe(2);
    expect(busy.err).toContain('already running');
    expect(busy.err).toContain('task-1');
    expect(calls.map((call) => call.target)).not.toContain('StartMessageMoveTask');
  });

  it('asks for the queue (naming the output) when neither --queue-url nor REVPERF_INGEST_DLQ_URL is given, and reports SQS refusals', async () => {
    const missing = await run({});
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('IngestDeadLetterQueueUrl');
    expect(calls).toEqual([]);
    const refused = await run({ queueUrl: `${DLQ_URL}-typo` });
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('SQS refused');
  });

  it('is wired as a revperf command with --dry-run and --queue-url', async () => {
    let exitCode = -1;
    const program = new Command().exitOverride();
    registerReplayFailedCommand(program, { env: env(), print: () => undefined, printError: () => undefined, setExitCode: (code) => (exitCode = code) });
    await program.parseAsync(['replay-failed', '--queue-url', DLQ_URL, '--dry-run'], { from: 'user' });
    expect(exitCode).toBe(0);
    expect(calls.map((call) => call.target)).toEqual(['GetQueueAttributes', 'ListMessageMoveTasks']);
  });
});
