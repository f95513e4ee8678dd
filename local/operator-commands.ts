// The operator's commands, locally (the embedded AWS a `revperf run --state
// DIR` or `revperf local --persist DIR` left in DIR) or against a deployed
// stack (the normal AWS credential chain):
//   revperf report --kind weekly|quarterly --as-of DATE [--dry-run]   render and deliver, as the worker does
//   revperf resend --kind … --period … --to ADDRESS [--scope ID]       one stored report mailed again to one address
//   revperf sent --period … [--json]                                   the send ledger as a table
// The command functions take a runtime and a print function, so tests call
// them on an embedded AWS of their own; the commander wiring opens the runtime.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import Table from 'cli-table3';
import { createAwsClients, endpointsFromEnv } from '../shared/adapters/aws-clients.js';
import { isClaimable, type RunRecord, type SendRecord } from '../shared/adapters/send-ledger.js';
import { ConfigError, type RevperfConfig } from '../shared/config/schema.js';
import { OrgChart } from '../shared/domain/org-chart.js';
import { isLocalDate } from '../shared/domain/local-date.js';
import type { LocalDate } from '../shared/domain/types.js';
import { deliverJob, type DeliveryOutcome } from '../shared/delivery/deliver-report.js';
import { recipientsFor } from '../shared/delivery/recipients.js';
import { resendReport, ResendNotFoundError, ResendRefusedError, type ResendOutcome } from '../shared/delivery/resend.js';
import type { ReportDependencies } from '../shared/reports/metrics-run.js';
import { scopeId, type ReportKind } from '../shared/reports/report-data.js';
import { prepareReports, renderReport } from '../shared/reports/report-run.js';
import { reportRenderers } from '../shared/reports/renderers.js';
import { createRuntime, type Runtime } from '../functions/runtime.js';
import { deliverDependencies } from '../functions/deliver/deliver-handler.js';
import { startEmbeddedAws, StateDirInUseError } from './embedded-aws.js';
import { writeEmails } from './local-delivery.js';
import { silentLogger } from './silent-logger.js';

export type Print = (line: string) => void;

/** A mistake in what the operator asked (exit 2): a bad option, an address off the allowlist, nothing to resend. */
export class OperatorError extends Error {
  override name = 'OperatorError';
}

const KINDS: Record<string, ReportKind> = {
  weekly: 'weekly-scorecard',
  quarterly: 'pre-review-pack',
  'weekly-scorecard': 'weekly-scorecard',
  'pre-review-pack': 'pre-review-pack',
  close: 'quarter-close-pack',
  'quarter-close-pack': 'quarter-close-pack',
};

export function kindOption(value: string): ReportKind {
  const kind = KINDS[value.trim().toLowerCase()];
  if (!kind) throw new InvalidArgumentError(`'${value}' is not a report: weekly, quarterly or close`);
  return kind;
}

function dateOption(value: string): LocalDate {
  if (!isLocalDate(value)) throw new InvalidArgumentError(`'${value}' is not a date YYYY-MM-DD`);
  return value;
}

// ─── revperf report ────────────────────────────────────────────────────────

export interface ReportCommandOptions {
  kind: ReportKind;
  asOf: LocalDate;
  dryRun?: boolean;
}

export interface ReportCommandResult {
  exitCode: number;
  /** Each scope delivered (empty on a dry run). */
  outcomes: DeliveryOutcome[];
}

/**
 * Renders the report as of the day for every scope the config gives and
 * delivers each through the deliver worker's use case: the ledger's claim
 * decides, so a recipient who already has it gets nothing. A dry run computes
 * and renders in memory — nothing stored, no snapshot taken, nothing sent,
 * the ledger only read — and lists who would get each scope.
 */
export async function reportCommand(runtime: Runtime, options: ReportCommandOptions, print: Print): Promise<ReportCommandResult> {
  const { kind, asOf } = options;
  if (options.dryRun) return { exitCode: await dryRun(runtime, kind, asOf, print), outcomes: [] };

  const prepared = await prepareReports(runtime, asOf, { kinds: [kind] });
  const today = runtime.calendar.today(runtime.clock);
  const deps = deliverDependencies(runtime);
  const outcomes: DeliveryOutcome[] = [];
  const periodId = prepared.scopes[0]?.periodId ?? '?';
  print(`${kind} ${periodId} as of ${asOf}: ${prepared.scopes.length} scope(s)`);
  let failures = 0;
  const totals = { sent: 0, alreadySent: 0, failed: 0, refused: 0 };
  for (const prepared_ of prepared.scopes) {
    const job = { ...prepared_, asOf, dispatchedOn: today, late: false };
    const id = scopeId(job.scope);
    let run: RunRecord | undefined;
    try {
      const outcome = await deliverJob(deps, job);
      outcomes.push(outcome);
      run = outcome.run;
    } catch (error) {
      failures += 1;
      print(`  ${id}`);
      print(`    ✗ ${(error as Error).message}`);
      // A delivery that failed part-way still wrote its run record: show who got it.
      run = (await runtime.ledger.runs(job.periodId)).find((record) => record.kind === kind && record.scopeId === id && record.asOf === asOf);
      if (run) for (const line of runLines(run)) print(line);
      if (run) addTotals(totals, run);
      continue;
    }
    print(`  ${id}`);
    for (const line of runLines(run)) print(line);
    addTotals(totals, run);
  }
  print(`Sent ${totals.sent}, already sent before ${totals.alreadySent}, refused ${totals.refused}, failed ${totals.failed}.`);
  return { exitCode: failures > 0 || totals.failed > 0 ? 1 : 0, outcomes };
}

function addTotals(totals: { sent: number; alreadySent: number; failed: number; refused: number }, run: RunRecord): void {
  totals.sent += run.sent.length;
  totals.alreadySent += run.alreadySent.length;
  totals.failed += run.failed.length;
  totals.refused += run.refused.length;
}

function runLines(run: RunRecord): string[] {
  const lines: string[] = [];
  for (const sent of run.sent) lines.push(`    ✉ sent          ${sent.address} (${sent.messageId})`);
  for (const address of run.alreadySent) lines.push(`    · already sent  ${address} (not again)`);
  for (const failure of run.failed) lines.push(`    ✗ failed        ${failure.address}: ${failure.reason}${failure.permanent ? ' (permanent)' : ''}`);
  for (const person of run.refused) lines.push(`    ✗ refused       ${person.address || person.name}: ${person.reason}`);
  if (lines.length === 0) lines.push('    (no recipient)');
  return lines;
}

async function dryRun(runtime: Runtime, kind: ReportKind, asOf: LocalDate, print: Print): Promise<number> {
  const prepared = await prepareReports(readOnly(runtime), asOf, { kinds: [kind] });
  const renderers = reportRenderers(runtime.config);
  const org = new OrgChart(await runtime.table.people());
  const periodId = prepared.scopes[0]?.periodId ?? '?';
  print(`DRY RUN — ${kind} ${periodId} as of ${asOf}: ${prepared.scopes.length} scope(s); nothing stored, nothing sent, the ledger only read`);
  let would = 0;
  for (const { scope } of prepared.scopes) {
    const id = scopeId(scope);
    const files = await renderReport(renderers, prepared.data!, kind, scope);
    const attach = files.xlsx.byteLength <= runtime.config.mail.maxAttachmentBytes ? 'attached' : `as a link (over mail.maxAttachmentBytes)`;
    print(`  ${id} — “${files.subject ?? `${kind} ${periodId}`}”, workbook ${Math.ceil(files.xlsx.byteLength / 1024)} KB ${attach}`);
    const recipients = recipientsFor(runtime.config, org, kind, scope, asOf);
    for (const recipient of recipients.to) {
      const record = await runtime.ledger.record({ kind, periodId, scopeId: id, address: recipient.address });
      if (record?.status === 'sent') {
        print(`    · already sent  ${recipient.address} (${recipient.role}; ${shortInstant(record.updatedAt)}) — would not be sent again`);
      } else if (record && !isClaimable(record)) {
        // The worker would not send it either: a claim in progress or left by a dead attempt, a permanent failure, a refusal.
        print(`    · not sent      ${recipient.address} (${recipient.role}; ledger: ${record.status}${record.reason ? `, ${record.reason}` : ''}) — revperf resend sends it`);
      } else {
        would += 1;
        print(`    → would send    ${recipient.address} (${recipient.role}${recipient.name ? `, ${recipient.name}` : ''})`);
      }
    }
    for (const person of recipients.refused) print(`    ✗ would refuse  ${person.address || person.name}: ${person.reason}`);
    if (recipients.to.length + recipients.refused.length === 0) print('    (no recipient)');
  }
  print(`Would send ${would} message(s).`);
  return 0;
}

/** The runtime with every write of the report run turned into a no-op: a dry run leaves the table and bucket as they were. */
function readOnly(runtime: Runtime): ReportDependencies {
  // One dry run's reads: each partition read once, as a real run reads it.
  const table = runtime.table.forOneRun();
  return {
    config: runtime.config,
    calendar: runtime.calendar,
    bucketName: runtime.bucketName,
    clock: runtime.clock,
    objects: { put: async () => undefined },
    table: {
      people: table.people.bind(table),
      keyAccounts: table.keyAccounts.bind(table),
      quotas: table.quotas.bind(table),
      uploads: table.uploads.bind(table),
      dealsClosingBetween: table.dealsClosingBetween.bind(table),
      dealsCreatedBetween: table.dealsCreatedBetween.bind(table),
      openDealsClosingBetween: table.openDealsClosingBetween.bind(table),
      latestPipelineSnapshotBefore: table.latestPipelineSnapshotBefore.bind(table),
      earliestPipelineSnapshotBetween: table.earliestPipelineSnapshotBetween.bind(table),
      hasPipelineSnapshotAfter: table.hasPipelineSnapshotAfter.bind(table),
      latestMetricSnapshotBefore: table.latestMetricSnapshotBefore.bind(table),
      hasMetricSnapshotAfter: table.hasMetricSnapshotAfter.bind(table),
      putMetricSnapshot: async () => undefined,
      putPipelineSnapshot: async () => undefined,
    },
  };
}

// ─── revperf resend ────────────────────────────────────────────────────────

export interface ResendCommandOptions {
  kind: ReportKind;
  period: string;
  to: string;
  scope?: string;
}

export async function resendCommand(
  runtime: Runtime,
  options: ResendCommandOptions,
  print: Print,
): Promise<{ exitCode: number; outcome: ResendOutcome | null }> {
  try {
    const outcome = await resendReport({ ...deliverDependencies(runtime), ledger: runtime.ledger }, {
      kind: options.kind,
      periodId: options.period,
      address: options.to,
      ...(options.scope !== undefined ? { scopeId: options.scope } : {}),
    });
    for (const message of outcome.messages) {
      print(`✉ resent ${options.kind} ${options.period} ${message.scopeId} to ${outcome.address} (${message.messageId})${message.late ? ' — marked late, as the original' : ''}`);
    }
    print(`Recorded in the ledger as ${outcome.messages.length} resend(s); see revperf sent --period ${options.period}.`);
    return { exitCode: 0, outcome };
  } catch (error) {
    if (error instanceof ResendRefusedError || error instanceof ResendNotFoundError) {
      print(`✗ ${error instanceof ResendRefusedError ? 'refused: ' : ''}${error.message}`);
      return { exitCode: 2, outcome: null };
    }
    throw error;
  }
}

// ─── revperf sent ──────────────────────────────────────────────────────────

export interface SentCommandOptions {
  period: string;
  kind?: ReportKind;
  json?: boolean;
}

export async function sentCommand(runtime: Runtime, options: SentCommandOptions, print: Print): Promise<number> {
  const ofKind = <T extends { kind: ReportKind }>(records: T[]) => (options.kind ? records.filter((record) => record.kind === options.kind) : records);
  const sends = ofKind(await runtime.ledger.sends(options.period)).sort(
    (a, b) =>
      a.kind.localeCompare(b.kind) ||
      a.scopeId.localeCompare(b.scopeId) ||
      a.address.localeCompare(b.address) ||
      Number(a.resend === true) - Number(b.resend === true) ||
      a.updatedAt.localeCompare(b.updatedAt),
  );
  const runs = ofKind(await runtime.ledger.runs(options.period)).sort((a, b) => a.kind.localeCompare(b.kind) || a.scopeId.localeCompare(b.scopeId));
  if (options.json) {
    print(JSON.stringify({ period: options.period, sends, runs }, null, 2));
    return 0;
  }
  if (sends.length === 0 && runs.length === 0) {
    print(`The ledger has nothing for ${options.period}${options.kind ? ` (${options.kind})` : ''}: no report of that period was delivered.`);
    return 0;
  }
  const table = new Table({
    head: ['report', 'scope', 'recipient', 'status', 'message id / reason', 'attempts', 'late', 'updated'],
    style: { head: [], border: [] },
    // One line per record: no rule between rows.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const record of sends) table.push(sendRow(record));
  print(`Send ledger for ${options.period}: ${sends.length} record(s)`);
  print(table.toString());
  if (runs.length > 0) {
    print('');
    print('Runs:');
    for (const run of runs) print(`  ${runSummary(run)}`);
  }
  return 0;
}

function sendRow(record: SendRecord): string[] {
  const status = record.resend ? 'sent (resend)' : record.status;
  let detail = '';
  if (record.status === 'sent') detail = record.messageId ?? '';
  else if (record.status === 'sending') detail = `in progress since ${shortInstant(record.claimedAt ?? record.updatedAt)}`;
  else detail = `${record.reason ?? ''}${record.status === 'failed' && record.permanent ? ' (permanent)' : ''}`;
  return [record.kind, record.scopeId, record.address, status, detail, String(record.attempts), record.late ? 'late' : '', shortInstant(record.updatedAt)];
}

export function runSummary(run: RunRecord): string {
  return (
    `${run.kind} ${run.scopeId} as of ${run.asOf}${run.late ? ' (late)' : ''}, dispatched ${run.dispatchedOn}: ` +
    `${run.sent.length} sent, ${run.alreadySent.length} already sent, ${run.failed.length} failed, ${run.refused.length} refused` +
    `${run.linked ? ', workbook as a link' : ''} — finished ${shortInstant(run.finishedAt)} (${run.objectKey})`
  );
}

function shortInstant(iso: string): string {
  return iso.replace(/\.\d+Z$/, 'Z');
}

// ─── where the commands run ────────────────────────────────────────────────

export interface TargetOptions {
  state?: string;
  stack?: boolean;
  config?: string;
}

export interface OperatorTarget {
  runtime: Runtime;
  /** Printed first: where the command works. */
  description: string;
  /** Local only: the embedded SES forgets what it was sent, so the messages are written out. */
  local: boolean;
  close(): Promise<void>;
}

/**
 * The runtime to work on: with --state DIR the embedded AWS persisted in DIR;
 * with --stack (or both REVPERF_TABLE_NAME and REVPERF_BUCKET_NAME set) the
 * deployed table and bucket through the normal AWS credential chain and SES.
 */
export async function openTarget(options: TargetOptions, config: RevperfConfig, env: NodeJS.ProcessEnv = process.env): Promise<OperatorTarget> {
  const tableName = env.REVPERF_TABLE_NAME;
  const bucketName = env.REVPERF_BUCKET_NAME;
  if (options.state !== undefined && options.stack) throw new OperatorError('--state and --stack exclude each other: say where to work, locally or on the deployed stack');
  if (options.state !== undefined) {
    const stateDir = resolve(options.state);
    const folder = await stat(stateDir).catch(() => null);
    if (!folder?.isDirectory()) {
      throw new OperatorError(`state folder ${stateDir} does not exist: create it with revperf run --state ${options.state} (or revperf local --persist ${options.state})`);
    }
    const aws = await startEmbeddedAws({ stateDir });
    const runtime = createRuntime({ config, clients: aws.clients, tableName: aws.tableName, bucketName: aws.bucketName, logger: silentLogger() });
    return { runtime, description: `the embedded AWS in ${stateDir}`, local: true, close: () => aws.stop() };
  }
  if (options.stack || (tableName && bucketName)) {
    if (!tableName || !bucketName) {
      throw new OperatorError(
        'the deployed stack: set REVPERF_TABLE_NAME and REVPERF_BUCKET_NAME (the TableName and BucketName outputs of the RevperfData stack; see revperf <command> --help)',
      );
    }
    const endpoints = endpointsFromEnv(env);
    const clients = createAwsClients(endpoints);
    const runtime = createRuntime({ config, clients, tableName, bucketName, logger: silentLogger() });
    return {
      runtime,
      description: `the deployed stack: table ${tableName}, bucket ${bucketName} (${endpoints.region})`,
      local: false,
      close: async () => {
        clients.dynamodb.destroy();
        clients.s3.destroy();
        clients.ses.destroy();
      },
    };
  }
  throw new OperatorError('say where to work: --state DIR (the embedded AWS a revperf run --state DIR left there) or --stack (a deployed stack)');
}

// ─── commander wiring ──────────────────────────────────────────────────────

export interface OperatorCommandHost {
  /** Loads the config: --config, else DIR/revperf.config.json (the state folder), else ./revperf.config.json. */
  loadConfig(dir: string, explicit: string | undefined): Promise<RevperfConfig>;
  setExitCode(code: number): void;
  print?: Print;
  printError?: Print;
}

const WHERE_HELP = `
Where it works:
  --state DIR   the embedded AWS kept in DIR by revperf run --state DIR or revperf local --persist DIR
                (stop a revperf local on DIR first: one process at a time). Messages sent go to the
                embedded SES and are written to OUT/emails/<recipient>/ (--out, default ./out).
  --stack       a deployed stack, with the normal AWS credential chain (AWS_PROFILE, AWS_REGION, …),
                mailing through SES for real. Set REVPERF_TABLE_NAME and REVPERF_BUCKET_NAME (setting both
                implies --stack) from the RevperfData stack's outputs, e.g.
                  aws cloudformation describe-stacks --stack-name RevperfData \\
                    --query "Stacks[0].Outputs[?OutputKey=='TableName' || OutputKey=='BucketName'].[OutputKey,OutputValue]"`;

interface CommonOptions extends TargetOptions {
  out: string;
}

function withTargetOptions(command: Command): Command {
  return command
    .option('--state <dir>', 'work on the embedded AWS kept in DIR (see below)')
    .option('--stack', 'work on the deployed stack (REVPERF_TABLE_NAME, REVPERF_BUCKET_NAME; see below)')
    .option('--config <file>', 'revperf.config.json (default: DIR/revperf.config.json with --state, then ./revperf.config.json)')
    .option('--out <dir>', 'with --state: where the messages sent are written (OUT/emails/<recipient>/)', 'out');
}

export function registerOperatorCommands(program: Command, host: OperatorCommandHost): void {
  const print = host.print ?? ((line: string) => console.log(line));
  const printError = host.printError ?? ((line: string) => console.error(line));

  /** Opens the target, runs the command, closes it; operator mistakes exit 2, anything else 1 — with a message, never a stack trace. */
  const run = async (options: CommonOptions, body: (target: OperatorTarget) => Promise<number>) => {
    let target: OperatorTarget | undefined;
    try {
      const config = await host.loadConfig(options.state !== undefined ? resolve(options.state) : resolve('.'), options.config);
      target = await openTarget(options, config);
      print(`• working on ${target.description}`);
      host.setExitCode(await body(target));
    } catch (error) {
      if (error instanceof ConfigError || error instanceof OperatorError || error instanceof StateDirInUseError) {
        printError(`revperf: ${error.message}`);
        host.setExitCode(2);
        return;
      }
      printError(`revperf: ${(error as Error).message ?? String(error)}`);
      host.setExitCode(1);
    } finally {
      await target?.close().catch(() => undefined);
    }
  };

  withTargetOptions(
    program
      .command('report')
      .description('render a report as of a date and deliver it to every scope’s recipients (those the ledger says already have it get nothing)')
      .requiredOption('--kind <kind>', 'weekly (the weekly scorecard), quarterly (the pre-review pack) or close (the quarter-close pack; --as-of the quarter\'s last day)', kindOption)
      .requiredOption('--as-of <date>', 'the day the figures are as of, YYYY-MM-DD', dateOption)
      .option('--dry-run', 'render and list the recipients of each scope; store nothing, send nothing, leave the ledger as it is'),
  )
    .addHelpText(
      'after',
      `
Examples:
  $ revperf report --kind weekly --as-of 2026-11-16 --state .revperf-state --dry-run
  $ revperf report --kind quarterly --as-of 2027-01-27 --stack --config revperf.config.json
${WHERE_HELP}
Exit: 0 delivered (refused recipients included), 1 some scope or send failed (run it again: only the missing go), 2 bad options or config.`,
    )
    .action(async (options: CommonOptions & { kind: ReportKind; asOf: LocalDate; dryRun?: boolean }) =>
      run(options, async (target) => {
        const result = await reportCommand(target.runtime, { kind: options.kind, asOf: options.asOf, dryRun: options.dryRun }, print);
        if (target.local && result.outcomes.some((outcome) => outcome.messages.length > 0)) {
          const files = await writeEmails(resolve(options.out), result.outcomes);
          print(`Messages written under ${resolve(options.out, 'emails')}/ (${files.filter((file) => file.endsWith('.eml')).length} .eml)`);
        }
        return result.exitCode;
      }),
    );

  withTargetOptions(
    program
      .command('resend')
      .description('mail a stored report again to one address (on mail.allowedDomains), recorded in the ledger as a resend')
      .requiredOption('--kind <kind>', 'weekly, quarterly or close', kindOption)
      .requiredOption('--period <period>', 'the period the report is filed under: a week (2026-W47) or a fiscal quarter (FY2027-Q4)')
      .requiredOption('--to <address>', 'the address to mail; its domain must be on mail.allowedDomains')
      .option('--scope <id>', 'the scope to send (organisation, team-<team>, rep-<rep>); default: the scopes the ledger has sent to that address'),
  )
    .addHelpText(
      'after',
      `
Examples:
  $ revperf resend --kind weekly --period 2026-W47 --to mia.manager@northwind.example --state .revperf-state
  $ revperf resend --kind quarterly --period FY2027-Q4 --to new.vp@northwind.example --scope organisation --stack
The report is rendered again from reports/<kind>/<period>/metrics.json; the workbook is the one stored beside it.
${WHERE_HELP}
Exit: 0 sent, 2 refused (address not on mail.allowedDomains) or nothing to resend, 1 SES failed.`,
    )
    .action(async (options: CommonOptions & { kind: ReportKind; period: string; to: string; scope?: string }) =>
      run(options, async (target) => {
        const result = await resendCommand(target.runtime, { kind: options.kind, period: options.period, to: options.to, scope: options.scope }, print);
        if (target.local && result.outcome) await writeResentEmails(resolve(options.out), options.kind, options.period, result.outcome, print);
        return result.exitCode;
      }),
    );

  withTargetOptions(
    program
      .command('sent')
      .description('the send ledger of a period as a table: who got which report, what failed or was refused, and each run’s summary')
      .requiredOption('--period <period>', 'a week (2026-W47) or a fiscal quarter (FY2027-Q4)')
      .option('--kind <kind>', 'only this report: weekly, quarterly or close', kindOption)
      .option('--json', 'the send and run records as JSON'),
  )
    .addHelpText(
      'after',
      `
Examples:
  $ revperf sent --period 2026-W47 --state .revperf-state
  $ revperf sent --period FY2027-Q4 --stack --json | jq '.sends[] | select(.status == "failed")'
Status: sent (message id), failed (the reason; permanent ones are not retried), refused (not on
mail.allowedDomains or no address: never mailed), sending (claimed, not finished; never re-sent by itself: after 15 min
a retry reports it failed and alarmed, as it may have gone out — check, then revperf resend).
${WHERE_HELP}`,
    )
    .action(async (options: CommonOptions & { period: string; kind?: ReportKind; json?: boolean }) =>
      run(options, (target) => sentCommand(target.runtime, { period: options.period, kind: options.kind, json: options.json }, print)),
    );
}

/** A resend's messages, written beside the originals: OUT/emails/<recipient>/<report>-<period>-resend-<scope>.eml. */
async function writeResentEmails(outDir: string, kind: ReportKind, periodId: string, outcome: ResendOutcome, print: Print): Promise<void> {
  const outcomes: DeliveryOutcome[] = outcome.messages.map((message) => ({
    report: { kind, periodId, scope: message.scope, keys: {} },
    run: {
      kind,
      periodId: `${periodId}-resend`,
      scopeId: message.scopeId,
      asOf: message.asOf,
      dispatchedOn: message.asOf,
      late: message.late,
      finishedAt: '',
      objectKey: '',
      sent: [{ address: outcome.address, messageId: message.messageId }],
      alreadySent: [],
      failed: [],
      refused: [],
      linked: false,
    },
    messages: [{ address: outcome.address, subject: message.subject, raw: message.raw, html: message.html, images: message.images }],
  }));
  const files = await writeEmails(outDir, outcomes);
  for (const file of files.filter((path) => path.endsWith('.eml'))) print(`  written ${file}`);
}
