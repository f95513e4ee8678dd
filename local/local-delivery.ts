// Delivery on the laptop: the queue the local stack gives the dispatch runs
// each job through the deliver worker's use case at once, in process (with
// SQS's retries: a job is tried up to three times), mailing through the
// embedded SES; and every message sent is written out for reading:
//   OUT/emails/<recipient>/<report>-<period>.eml   (and .html, its images beside it)
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeliveryJob, DeliveryQueue } from '../shared/delivery/delivery-job.js';
import type { RunRecord } from '../shared/adapters/send-ledger.js';
import { deliverJob, type DeliverDependencies, type DeliveryOutcome } from '../shared/delivery/deliver-report.js';
import type { ReportRenderers } from '../shared/reports/report-run.js';
import { deliverDependencies } from '../functions/deliver/deliver-handler.js';
import type { Runtime } from '../functions/runtime.js';
import { terminalLabels, type TerminalLabels } from './terminal-labels.js';

export interface FailedDelivery {
  job: DeliveryJob;
  error: Error;
  attempts: number;
}

export class LocalDeliveryQueue implements DeliveryQueue {
  readonly outcomes: DeliveryOutcome[] = [];
  readonly failures: FailedDelivery[] = [];

  constructor(
    private readonly deliver: (job: DeliveryJob) => Promise<DeliveryOutcome>,
    /** SQS's maxReceiveCount in the stack. */
    private readonly attempts = 3,
  ) {}

  async send(jobs: readonly DeliveryJob[]): Promise<void> {
    for (const job of jobs) {
      for (let attempt = 1; ; attempt += 1) {
        try {
          this.outcomes.push(await this.deliver(job));
          break;
        } catch (error) {
          if (attempt >= this.attempts) {
            this.failures.push({ job, error: error as Error, attempts: attempt });
            break;
          }
        }
      }
    }
  }
}

/**
 * The queue the local stack gives the dispatch: each job through the deliver worker's use case with the
 * runtime — read when a job runs, since the runtime itself holds this queue — and optionally other renderers and
 * the report data already in memory (by data key) instead of reading it back from the bucket for every job.
 */
export function localDeliveryQueue(
  runtime: () => Runtime,
  renderers?: ReportRenderers,
  reportData?: DeliverDependencies['reportData'],
): LocalDeliveryQueue {
  return new LocalDeliveryQueue((job) => {
    const deps = deliverDependencies(runtime());
    return deliverJob({ ...deps, ...(renderers ? { renderers } : {}), ...(reportData ? { reportData } : {}) }, job);
  });
}

/** A file-name-safe form of an address or id (the address stays readable: `ana@acme.example`). */
function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9@._+-]+/g, '_').slice(0, 120) || '_';
}

/**
 * Writes each message sent: the .eml as SES received it, and the HTML body
 * with its inline images as files beside it, so a browser shows it. A person
 * who gets the same report for two scopes (a manager of two teams) gets the
 * scope in the second file's name.
 */
export async function writeEmails(outDir: string, outcomes: readonly DeliveryOutcome[]): Promise<string[]> {
  return new EmailWriter(outDir).write(outcomes);
}

/**
 * writeEmails in steps: each call writes the messages of the outcomes given, naming files as one call
 * with all of them would. The local run writes each job's messages as it finishes, so a large org's
 * workbooks are not all held in memory until the end.
 */
export class EmailWriter {
  private readonly used = new Set<string>();

  constructor(private readonly outDir: string) {}

  async write(outcomes: readonly DeliveryOutcome[]): Promise<string[]> {
    return writeEmailFiles(this.outDir, outcomes, this.used);
  }
}

async function writeEmailFiles(outDir: string, outcomes: readonly DeliveryOutcome[], used: Set<string>): Promise<string[]> {
  const written: string[] = [];
  for (const outcome of outcomes) {
    const { kind, periodId, scopeId } = outcome.run;
    for (const message of outcome.messages) {
      const folder = join(outDir, 'emails', safeName(message.address));
      let base = `${kind}-${safeName(periodId)}`;
      if (used.has(join(folder, base))) base = `${base}-${safeName(scopeId)}`;
      used.add(join(folder, base));
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, `${base}.eml`), message.raw);
      let html = message.html;
      for (const image of message.images) {
        const file = `${base}-${safeName(image.cid.replace(/@.*$/, ''))}.png`;
        await writeFile(join(folder, file), image.png);
        html = html.replaceAll(`cid:${image.cid}`, file);
        written.push(join(folder, file));
      }
      await writeFile(join(folder, `${base}.html`), html);
      written.push(join(folder, `${base}.eml`), join(folder, `${base}.html`));
    }
  }
  return written;
}

/** Per recipient what was sent (through the embedded SES), then who was refused and what failed. */
export function deliveryLines(result: { deliveries: readonly RunRecord[] }, labels: TerminalLabels = terminalLabels('en')): string[] {
  const text = labels.delivery;
  const lines: string[] = [];
  /** address → scope → what of it (short report names, with "already had it" and "late" marks). */
  const byRecipient = new Map<string, Map<string, string[]>>();
  const refused: string[] = [];
  const failed: string[] = [];
  const add = (address: string, scope: string, what: string) => {
    const scopes = byRecipient.get(address) ?? new Map<string, string[]>();
    scopes.set(scope, [...(scopes.get(scope) ?? []), what]);
    byRecipient.set(address, scopes);
  };
  for (const run of result.deliveries) {
    const report = `${text.reports[run.kind]} ${run.periodId}${run.late ? ` (${text.late})` : ''}`;
    for (const sent of run.sent) add(sent.address, run.scopeId, report);
    for (const address of run.alreadySent) add(address, run.scopeId, `${report}: ${text.alreadyHad}`);
    for (const person of run.refused) refused.push(`${person.address || person.name} (${report}, ${run.scopeId}): ${person.reason}`);
    for (const failure of run.failed) failed.push(`${failure.address} (${report}, ${run.scopeId}): ${failure.reason}`);
  }
  if (byRecipient.size + refused.length + failed.length === 0) return ['', text.none];
  lines.push('', text.heading(byRecipient.size));
  // Reps who only get their own card are counted on one line; leadership and managers are listed.
  const repsOnly = [...byRecipient].filter(([, scopes]) => [...scopes.keys()].every((scope) => scope.startsWith('rep-')));
  for (const [address, scopes] of [...byRecipient].sort(([a], [b]) => a.localeCompare(b))) {
    if (repsOnly.some(([rep]) => rep === address)) continue;
    lines.push(`  ✉ ${address}: ${[...scopes].map(([scope, what]) => `${scope} (${what.join(', ')})`).join('; ')}`);
  }
  if (repsOnly.length > 0) lines.push(`  ✉ ${text.repsOnly(repsOnly.length)}`);
  for (const line of refused) lines.push(`  ✗ ${text.refused} ${line}`);
  for (const line of failed) lines.push(`  ✗ ${text.failed} ${line}`);
  return lines;
}
