// S3 access for the use cases: stream an object version, read or write a
// document, and a time-limited download link for one object.
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

export interface StoredObject {
  body: AsyncIterable<Uint8Array>;
  size: number;
}

/** The object (or the version an event named) is no longer in the bucket: deleted before it was read. */
export class ObjectGoneError extends Error {
  constructor(
    readonly bucket: string,
    readonly key: string,
  ) {
    super(`s3://${bucket}/${key} is no longer in the bucket`);
    this.name = 'ObjectGoneError';
  }
}

/** Only the object (or version) missing: a missing bucket is a configuration error, and Lambda should retry it. */
function isGone(error: unknown): boolean {
  const candidate = error as { name?: string } | null;
  return candidate?.name === 'NoSuchKey' || candidate?.name === 'NoSuchVersion';
}

export class S3ObjectStore {
  constructor(private readonly s3: S3Client) {}

  /**
   * Streams one object version (the latest when versionId is null or a local emulator's synthetic id).
   * Throws ObjectGoneError when it was deleted; other failures are the SDK's (transient ones already retried by it).
   */
  async open(bucket: string, key: string, versionId: string | null): Promise<StoredObject> {
    try {
      const result = await this.s3.send(
        new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId && !versionId.startsWith('local-') ? versionId : undefined }),
      );
      return { body: result.Body as Readable, size: result.ContentLength ?? 0 };
    } catch (error) {
      if (isGone(error)) throw new ObjectGoneError(bucket, key);
      throw error;
    }
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

  /** A whole (small) object's bytes. */
  async getBytes(bucket: string, key: string): Promise<Uint8Array> {
    const result = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!result.Body) throw new Error(`s3://${bucket}/${key} has no body`);
    return result.Body.transformToByteArray();
  }

  /** A presigned GET link valid for `expiresInSeconds` (signed with the caller's credentials: they must allow GetObject). */
  async presignGet(bucket: string, key: string, expiresInSeconds: number): Promise<string> {
    return getSignedUrl(this.s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: expiresInSeconds });
  }
}
