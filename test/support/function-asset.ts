// The folder a synthesized function's code was staged in (cdk.out/asset.<hash>),
// found from the S3 key its template points at: what `cdk deploy` zips and uploads.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Stack, type App } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export function functionAssetDir(app: App, fn: IConstruct): string {
  const cfn = fn.node.defaultChild as IConstruct & { code: { s3Key?: string } };
  const key = Stack.of(fn).resolve(cfn.code.s3Key) as string;
  const dir = join(app.outdir, `asset.${key.replace(/\.zip$/, '')}`);
  if (!existsSync(join(dir, 'index.mjs'))) throw new Error(`no bundle in ${dir} for ${fn.node.path}`);
  return dir;
}
