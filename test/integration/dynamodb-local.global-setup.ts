// With REVPERF_DDB=local, one DynamoDB Local for the whole integration run (a JVM takes seconds to
// start; once per file would add minutes): every embedded AWS takes a table of its own on it.
// Stopped at the end of the run; its watchdog kills it should vitest itself be killed.
import { dynamoEmulatorFromEnv, SHARED_ENDPOINT_VARIABLE, startDynamoDbLocal } from '../../local/dynamodb-local.js';

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (dynamoEmulatorFromEnv() !== 'local' || process.env[SHARED_ENDPOINT_VARIABLE]) return undefined;
  const started = Date.now();
  const local = await startDynamoDbLocal();
  // Test workers are started after this and inherit the variable.
  process.env[SHARED_ENDPOINT_VARIABLE] = local.endpoint;
  console.log(`DynamoDB Local (pid ${local.pid}) on ${local.endpoint}, answering after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return async () => {
    await local.stop();
    delete process.env[SHARED_ENDPOINT_VARIABLE];
  };
}
