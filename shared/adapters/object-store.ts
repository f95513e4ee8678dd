// S3 access for the use cases: stream an object version, write a document.
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

export interface StoredObject {
  body: AsyncIterable<Uint8Array>;
  size: number;
}

export class S3ObjectStore {
  constructor(private readonly s3: S3Client) {}

  /** Streams one object version (the latest when versionId is null or a local emulator's synthetic id). */
  async open(bucket: string, key: string, versionId: string | null): Promise<StoredObject> {
    const result = await this.s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId && !versionId.startsWith('local-') ? versionId : undefined }),
    );
    return { body: result.Body as Readable, size: result.ContentLength ?? 0 };
  }

  /** Spools an object to a local file (XLSX needs random access to its zip directory). */
  async download(bucket: string, key: string, versionId: string | null, path: string): Promise<number> {
    const object = await this.open(bucket, key, versionId);
    await pipeline(object.body as Readable, createWriteStream(path));
    return object.size;
  }

  async put(bucket: string, key: string, body: string | Uint8Array, contentType: string): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
  }
}
