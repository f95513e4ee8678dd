// `revperf replay-failed`: the operator's way back for uploads whose ingest
// failed every attempt on the deployed stack. S3's notification of each such
// upload waits in the ingest dead-letter queue; once the cause is fixed, this
// moves them back to the ingest queue (SQS's native redrive), and ingest runs
// again for each (the ingest ledger makes an upload already applied a no-op).
import { InvalidArgumentError, type Command } from 'commander';
import { endpointsFromEnv } from '../shared/adapters/aws-clients.js';
import { DeadLetterRedrive, sqsClient } from '../shared/adapters/sqs-redrive.js';

export const INGEST_DLQ_URL_VARIABLE = 'REVPERF_INGEST_DLQ_URL';

export interface ReplayFailedOptions {
  queueUrl?: string;
  dryRun?: boolean;
  maxPerSecond?: number;
}

export interface ReplayFailedHost {
  env?: NodeJS.ProcessEnv;
  print?: (line: string) => void;
  printError?: (line: string) => void;
  setExitCode(code: number): void;
}

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > 500) throw new InvalidArgumentError(`'${value}' is not a whole number from 1 to 500`);
  return number;
}

/** Runs the command; returns the exit code: 0 done (or nothing to do), 1 SQS failed, 2 the operator must say more or wait. */
export async function replayFailed(options: ReplayFailedOptions, host: Omit<ReplayFailedHost, 'setExitCode'> = {}): Promise<number> {
  const env = host.env ?? process.env;
  const print = host.print ?? ((line: string) => console.log(line));
  const printError = host.printError ?? ((line: string) => console.error(line));
  const queueUrl = options.queueUrl ?? env[INGEST_DLQ_URL_VARIABLE];
  if (!queueUrl) {
    printError(
      `revperf: which dead-letter queue? Pass --queue-url or set ${INGEST_DLQ_URL_VARIABLE} to the IngestDeadLetterQueueUrl output of the RevperfReporting stack:\n` +
        `  aws cloudformation describe-stacks --stack-name RevperfReporting --query "Stacks[0].Outputs[?OutputKey=='IngestDeadLetterQueueUrl'].OutputValue" --output text`,
    );
    return 2;
  }
  const endpoints = endpointsFromEnv(env);
  const client = sqsClient(endpoints);
  try {
    const redrive = new DeadLetterRedrive(client, queueUrl);
    const state = await redrive.state();
    print(
      `• ${queueUrl}: ${state.waiting} failed upload notification(s) waiting` +
        (state.inFlight > 0 ? `, ${state.inFlight} being received by someone (not moved)` : ''),
    );
    const running = await redrive.runningTask(state.queueArn);
    if (running) {
      printError(
        `revperf: a move task is already running on this queue (${running.moved}${running.toMove === null ? '' : ` of ${running.toMove}`} moved): wait for it, or cancel it with aws sqs cancel-message-move-task --task-handle ${running.taskHandle ?? '<handle>'}`,
      );
      return 2;
    }
    if (state.waiting === 0) {
      print('• nothing to replay');
      return 0;
    }
    if (options.dryRun) {
      print(`• dry run: would move ${state.waiting} message(s) back to the ingest queue; nothing was moved`);
      return 0;
    }
    const handle = await redrive.startMove(state.queueArn, options.maxPerSecond !== undefined ? { maxPerSecond: options.maxPerSecond } : {});
    print(`• moving ${state.waiting} message(s) back to the ingest queue they came from (task ${handle})`);
    print(`  follow it: aws sqs list-message-move-tasks --source-arn ${state.queueArn}`);
    return 0;
  } catch (error) {
    printError(`revperf: SQS refused: ${(error as Error).name}: ${(error as Error).message}`);
    return 1;
  } finally {
    client.destroy();
  }
}

export function registerReplayFailedCommand(program: Command, host: ReplayFailedHost): void {
  program
    .command('replay-failed')
    .description('deployed stack: move the uploads whose ingest failed every attempt from the ingest dead-letter queue back to the ingest queue')
    .option('--queue-url <url>', `the ingest dead-letter queue (default: ${INGEST_DLQ_URL_VARIABLE}, the IngestDeadLetterQueueUrl output)`)
    .option('--dry-run', 'only say how many messages would be moved')
    .option('--max-per-second <n>', 'move at most N messages a second (default: as fast as SQS goes)', positiveInteger)
    .addHelpText(
      'after',
      `
Fix what made the ingests fail first (the ingest function's logs say why), then:
  $ export ${INGEST_DLQ_URL_VARIABLE}=$(aws cloudformation describe-stacks --stack-name RevperfReporting \\
      --query "Stacks[0].Outputs[?OutputKey=='IngestDeadLetterQueueUrl'].OutputValue" --output text)
  $ revperf replay-failed --dry-run
  $ revperf replay-failed
Uses the normal AWS credential chain (AWS_PROFILE, AWS_REGION). An upload already applied is not applied twice.`,
    )
    .action(async (options: ReplayFailedOptions) => {
      host.setExitCode(await replayFailed(options, host));
    });
}
