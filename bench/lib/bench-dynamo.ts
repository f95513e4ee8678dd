// What the table benchmarks share: a bare dynalite (no S3, no SES) with the
// SDK clients pointed at it, and uploads read from local files instead of S3.
import { createReadStream } from 'node:fs';
import { copyFile, stat } from 'node:fs/promises';
import dynalite from 'dynalite';
import { createAwsClients, type AwsClients } from '../../shared/adapters/aws-clients.js';
import type { UploadObjects } from '../../shared/ingest/ingest-upload.js';
import { closeServer, listen } from '../../local/embedded-aws.js';

/** dynalite on 127.0.0.1 (in memory, or LevelDB at `path`) and clients for it; S3 and SES point nowhere. */
export async function startBenchDynalite(path?: string): Promise<{ clients: AwsClients; stop(): Promise<void> }> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(path === undefined ? {} : { path }) });
  const port = await listen(server);
  const clients = createAwsClients({
    region: 'us-east-1',
    dynamodb: `http://127.0.0.1:${port}`,
    s3: 'http://127.0.0.1:9',
    ses: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    s3Credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  return {
    clients,
    async stop() {
      clients.dynamodb.destroy();
      await closeServer(server);
    },
  };
}

/** Uploads read from the local file `pathOf(key, versionId)`; ingest reports written nowhere (not part of any measurement). */
export function localFileObjects(pathOf: (key: string, versionId: string | null) => string): UploadObjects {
  return {
    async open(_bucket, key, versionId) {
      const path = pathOf(key, versionId);
      return { body: createReadStream(path), size: (await stat(path)).size };
    },
    async download(_bucket, key, versionId, target) {
      const path = pathOf(key, versionId);
      await copyFile(path, target);
      return (await stat(path)).size;
    },
    async put() {},
  };
}
