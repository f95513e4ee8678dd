// The embedded AWS kept in a state folder: a later process (here: a later
// start) sees the items and objects of an earlier one; two at once on one
// folder is refused with an error naming it; without a folder nothing stays.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATE_LOCK_FILE, StateDirInUseError, startEmbeddedAws } from '../../local/embedded-aws.js';

describe('embedded AWS with a state folder', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'revperf-state-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the table items and the bucket objects across a stop and a start', async () => {
    const first = await startEmbeddedAws({ stateDir: dir });
    expect(first.stateDir).toBe(dir);
    await first.clients.documents.send(new PutCommand({ TableName: first.tableName, Item: { pk: 'P', sk: 'S', value: 42 } }));
    await first.clients.s3.send(new PutObjectCommand({ Bucket: first.bucketName, Key: 'reports/x/a b.txt', Body: 'kept' }));
    await first.stop();
    expect(await readdir(dir)).not.toContain(STATE_LOCK_FILE);

    const second = await startEmbeddedAws({ stateDir: dir });
    try {
      const item = await second.clients.documents.send(new GetCommand({ TableName: second.tableName, Key: { pk: 'P', sk: 'S' } }));
      expect(item.Item?.value).toBe(42);
      const object = await second.clients.s3.send(new GetObjectCommand({ Bucket: second.bucketName, Key: 'reports/x/a b.txt' }));
      expect(await object.Body!.transformToString()).toBe('kept');
      // Table and bucket were found, not recreated: a second write sits beside the first.
      await second.clients.s3.send(new PutObjectCommand({ Bucket: second.bucketName, Key: 'reports/x/second.txt', Body: '2' }));
      const listed = await second.clients.s3.send(new ListObjectsV2Command({ Bucket: second.bucketName }));
      expect(listed.Contents?.map((entry) => entry.Key)).toEqual(['reports/x/a b.txt', 'reports/x/second.txt']);
    } finally {
      await second.stop();
    }
  });

  it('refuses a second stack on a folder in use, naming the folder, and works again once the first stops', async () => {
    const first = await startEmbeddedAws({ stateDir: dir });
    try {
      const lock = JSON.parse(await readFile(join(dir, STATE_LOCK_FILE), 'utf-8')) as { pid: number };
      expect(lock.pid).toBe(process.pid);
      const second = startEmbeddedAws({ stateDir: dir });
      await expect(second).rejects.toBeInstanceOf(StateDirInUseError);
      await expect(second).rejects.toThrow(`state folder ${dir} is in use by process ${process.pid}`);
    } finally {
      await first.stop();
    }
    const again = await startEmbeddedAws({ stateDir: dir });
    await again.stop();
  });

  it('refuses a folder locked by another live process and takes over the lock of a dead one', async () => {
    // A live process: a child that sleeps.
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    try {
      await writeFile(join(dir, STATE_LOCK_FILE), JSON.stringify({ pid: child.pid }));
      await expect(startEmbeddedAws({ stateDir: dir })).rejects.toThrow(`state folder ${dir} is in use by process ${child.pid}`);
    } finally {
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    // Now the pid in the lock file is dead: the lock is stale and taken over.
    const aws = await startEmbeddedAws({ stateDir: dir });
    const item = await aws.clients.documents.send(new GetCommand({ TableName: aws.tableName, Key: { pk: 'P', sk: 'S' } }));
    await aws.stop();
    expect(item.Item?.value).toBe(42);
  });

  it('starts empty without a state folder', async () => {
    const first = await startEmbeddedAws();
    await first.clients.s3.send(new PutObjectCommand({ Bucket: first.bucketName, Key: 'x.txt', Body: 'gone' }));
    await first.stop();
    const second = await startEmbeddedAws();
    try {
      const listed = await second.clients.s3.send(new ListObjectsV2Command({ Bucket: second.bucketName }));
      expect(listed.Contents ?? []).toEqual([]);
      expect(second.stateDir).toBeUndefined();
    } finally {
      await second.stop();
    }
  });
});
