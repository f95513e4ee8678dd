// DynamoDB Local in a JVM of its own (REVPERF_DDB=local without a shared server: `npm start`,
// `revperf local --persist`): a folder keeps the table across a stop and a start, stop() leaves no
// java behind, nor does a process killed without stopping it (the watchdog). Runs only in the
// REVPERF_DDB=local pass: each start costs a JVM.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoEmulatorFromEnv, SHARED_ENDPOINT_VARIABLE, startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { isAlive, startEmbeddedAws } from '../../local/embedded-aws.js';

const ROOT = join(import.meta.dirname, '..', '..');

async function gone(pid: number): Promise<boolean> {
  for (let attempt = 0; attempt < 100 && isAlive(pid); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 100));
  return !isAlive(pid);
}

describe.skipIf(dynamoEmulatorFromEnv() !== 'local')('DynamoDB Local in a JVM of its own', () => {
  let dir: string;
  let shared: string | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'revperf-ddb-local-'));
    // This file's stacks start their own JVM instead of using the run's shared one.
    shared = process.env[SHARED_ENDPOINT_VARIABLE];
    delete process.env[SHARED_ENDPOINT_VARIABLE];
  });
  afterAll(async () => {
    if (shared !== undefined) process.env[SHARED_ENDPOINT_VARIABLE] = shared;
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the table in a folder across a stop and a start, and stop() ends the JVM', { timeout: 300_000 }, async () => {
    const first = await startEmbeddedAws({ dynamoPath: dir });
    expect(first.dynamo).toEqual({ emulator: 'local', shared: false });
    expect(first.tableName).toBe('revperf');
    await first.clients.documents.send(new PutCommand({ TableName: first.tableName, Item: { pk: 'P', sk: 'S', value: 42 } }));
    await first.stop();
    expect(await readdir(dir)).toContain('shared-local-instance.db');

    const second = await startEmbeddedAws({ dynamoPath: dir });
    try {
      const read = await second.clients.documents.send(new GetCommand({ TableName: second.tableName, Key: { pk: 'P', sk: 'S' } }));
      expect(read.Item?.value).toBe(42);
    } finally {
      await second.stop();
    }
    await expect(fetch(second.endpoints.dynamodb!)).rejects.toThrow();
  });

  it('leaves no JVM behind when its process is killed without stopping it', { timeout: 300_000 }, async () => {
    const script = [
      `import { startDynamoDbLocal } from ${JSON.stringify(join(ROOT, 'local', 'dynamodb-local.ts'))};`,
      'const local = await startDynamoDbLocal();',
      'process.stdout.write(`${local.pid}\\n`);',
      'setInterval(() => {}, 60_000);',
    ].join('\n');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const javaPid = await new Promise<number>((resolve, reject) => {
      let text = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('\n')) resolve(Number(text.trim()));
      });
      child.once('exit', (code) => reject(new Error(`the child exited (${code}) before printing the JVM's pid`)));
    });
    expect(isAlive(javaPid)).toBe(true);
    child.kill('SIGKILL');
    expect(await gone(javaPid)).toBe(true);
  });

  it('says what is missing when java cannot be started', async () => {
    const java = process.env.JAVA;
    process.env.JAVA = join(dir, 'no-such-java');
    try {
      await expect(startDynamoDbLocal()).rejects.toThrow(/is Java 17\+ installed/);
    } finally {
      if (java === undefined) delete process.env.JAVA;
      else process.env.JAVA = java;
    }
  });
});
