import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { cachedSecretString } from '../../../shared/adapters/secret-value.js';

/** Secrets Manager has no emulator here: a client whose send answers from a list (a fault injected where needed). */
function fakeClient(answers: (() => unknown)[]): { client: Pick<SecretsManagerClient, 'send'>; requests: unknown[] } {
  const requests: unknown[] = [];
  const client = {
    send: async (command: { input: unknown }) => {
      requests.push(command.input);
      return answers.shift()!();
    },
  } as unknown as Pick<SecretsManagerClient, 'send'>;
  return { client, requests };
}

describe('cachedSecretString', () => {
  it('reads the secret once, however often and however concurrently it is asked for', async () => {
    const { client, requests } = fakeClient([() => ({ SecretString: 's3cr3t' })]);
    const secret = cachedSecretString(client, 'arn:aws:secretsmanager:eu-west-1:1:secret:dl');
    expect(await Promise.all([secret(), secret(), secret()])).toEqual(['s3cr3t', 's3cr3t', 's3cr3t']);
    expect(await secret()).toBe('s3cr3t');
    expect(requests).toEqual([{ SecretId: 'arn:aws:secretsmanager:eu-west-1:1:secret:dl' }]);
  });

  it('does not keep a failed read: the next call asks again', async () => {
    const { client, requests } = fakeClient([
      () => {
        throw new Error('throttled');
      },
      () => ({}),
      () => ({ SecretString: 's3cr3t' }),
    ]);
    const secret = cachedSecretString(client, 'dl');
    await expect(secret()).rejects.toThrow('throttled');
    await expect(secret()).rejects.toThrow('has no string value');
    expect(await secret()).toBe('s3cr3t');
    expect(requests).toHaveLength(3);
  });
});
