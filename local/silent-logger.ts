import { Logger } from '@aws-lambda-powertools/logger';

/** Locally the CLI prints its own progress; the handlers' structured logs stay quiet. */
export function silentLogger(): Logger {
  return new Logger({ serviceName: 'revperf', logLevel: 'SILENT' });
}
