// One secret string from Secrets Manager, read once per process (a Lambda
// container) and kept: the download link key does not rotate, so a cached
// copy never goes stale. A failed read is not kept, so the next call retries.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export function cachedSecretString(client: Pick<SecretsManagerClient, 'send'>, secretId: string): () => Promise<string> {
  let value: Promise<string> | null = null;
  const read = async (): Promise<string> => {
    const result = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (!result.SecretString) throw new Error(`secret ${secretId} has no string value`);
    return result.SecretString;
  };
  return () => {
    value ??= read().catch((error: unknown) => {
      value = null;
      throw error;
    });
    return value;
  };
}

/** Lambda's default credentials; `endpoint` only for a local stand-in. */
export function secretsManagerClient(region: string, endpoint?: string): SecretsManagerClient {
  return new SecretsManagerClient({ region, endpoint });
}
