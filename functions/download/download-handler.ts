// The download function behind a Lambda Function URL (auth NONE: it is opened
// from an e-mail, and the link's HMAC is the authorisation). A valid link is
// answered with a redirect to a presigned S3 GET that lives 5 minutes, signed
// now with this function's role; anything else gets its status and a short
// plain-text answer that names no internals.
import { Logger } from '@aws-lambda-powertools/logger';
import { createS3Client, endpointsFromEnv } from '../../shared/adapters/aws-clients.js';
import { S3ObjectStore } from '../../shared/adapters/object-store.js';
import { cachedSecretString, secretsManagerClient } from '../../shared/adapters/secret-value.js';
import { verifyDownloadLink } from '../../shared/delivery/download-link.js';

/** How long the redirect target works: enough to follow the redirect, not to pass the URL around. */
export const REDIRECT_EXPIRY_SECONDS = 300;

/** The part of a Function URL event (payload format 2.0) this function reads. */
export interface FunctionUrlEvent {
  queryStringParameters?: Record<string, string | undefined> | null;
}

export interface FunctionUrlResult {
  statusCode: number;
  headers: Record<string, string>;
  body?: string;
}

export interface DownloadDependencies {
  objects: Pick<S3ObjectStore, 'presignGet'>;
  bucketName: string;
  /** The HMAC key of the links (read once per container). */
  secret: () => Promise<string>;
  clock: () => Date;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
}

const ANSWERS: Record<400 | 403 | 410 | 500, string> = {
  400: 'This download link is incomplete. Open the link from the e-mail as it is.\n',
  403: 'This download link is not valid.\n',
  410: 'This download link has expired. Ask for the report to be sent again.\n',
  500: 'The report cannot be downloaded right now. Try again in a few minutes.\n',
};

function answer(statusCode: 400 | 403 | 410 | 500): FunctionUrlResult {
  return { statusCode, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }, body: ANSWERS[statusCode] };
}

export function createDownloadHandler(deps: DownloadDependencies) {
  return async (event: FunctionUrlEvent): Promise<FunctionUrlResult> => {
    try {
      const check = verifyDownloadLink(event.queryStringParameters, deps.clock(), await deps.secret());
      if (!check.ok) {
        deps.logger.warn('download refused', { status: check.status, reason: check.reason, key: event.queryStringParameters?.key?.slice(0, 300) });
        return answer(check.status);
      }
      const location = await deps.objects.presignGet(deps.bucketName, check.key, REDIRECT_EXPIRY_SECONDS);
      deps.logger.info('download', { key: check.key });
      return { statusCode: 302, headers: { Location: location, 'Cache-Control': 'no-store' } };
    } catch (error) {
      deps.logger.error('download failed', { error: error as Error });
      return answer(500);
    }
  };
}

/**
 * The Lambda's dependencies: the bucket and the secret the stack names, and
 * nothing else of the runtime (no config, table or SES), so the bundle stays small.
 */
export function downloadDependenciesFromEnv(env: NodeJS.ProcessEnv = process.env): DownloadDependencies {
  const missing = ['BUCKET_NAME', 'DOWNLOAD_SECRET_ARN'].filter((name) => !env[name]);
  if (missing.length > 0) throw new Error(`environment variable ${missing.join(', ')} is not set (the CDK stack sets it)`);
  const endpoints = endpointsFromEnv(env);
  return {
    objects: new S3ObjectStore(createS3Client(endpoints)),
    bucketName: env.BUCKET_NAME!,
    secret: cachedSecretString(secretsManagerClient(endpoints.region, endpoints.secretsManager), env.DOWNLOAD_SECRET_ARN!),
    clock: () => new Date(),
    logger: new Logger({ serviceName: 'revperf' }),
  };
}
