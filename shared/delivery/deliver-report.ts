// The deliver worker's use case: one job = one report of one scope. Render it
// from the stored report data, store it, then mail each recipient at most
// once: the ledger's conditional claim decides, SES sends, the ledger records
// the message id (or why not). Refused recipients (outside the allowlist, no
// address) are recorded and counted, never mailed. Each job ends with a run
// record — who got it, who already had it, what failed, who was refused — in
// the ledger and as JSON beside the report. A send that failed for a reason a
// retry can fix makes the job fail after the others are done, so the queue
// retries it and the retry sends only what is still missing. A send claimed
// by an attempt that died before recording the outcome is never re-sent
// blindly (it may have gone out): it is reported as failed, and alarmed.
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Mailer } from '../adapters/ses-mailer.js';
import { MailSendError } from '../adapters/ses-mailer.js';
import { isAbandonedClaim, type RunRecord, type SendKey, type SendLedger } from '../adapters/send-ledger.js';
import type { RevperfConfig } from '../config/schema.js';
import { OrgChart } from '../domain/org-chart.js';
import type { Person } from '../domain/types.js';
import { labelsFor } from '../reports/labels/index.js';
import { parseReportData, reportKey, scopeId, type ReportData } from '../reports/report-data.js';
import { renderAndStore, XLSX_TYPE, type RenderedFiles, type ReportRenderers, type StoredReport } from '../reports/report-run.js';
import { DELIVERY_METRICS, type DeliveryJob } from './delivery-job.js';
import { deliverySubject, withNotices, type DeliveryNotice } from './delivery-email.js';
import type { DeliveryMetricsSink } from './delivery-metrics.js';
import { composeMail } from './mail-message.js';
import { recipientsFor, type Recipient } from './recipients.js';

export interface DeliverDependencies {
  config: RevperfConfig;
  table: { people(): Promise<Person[]> };
  objects: {
    put(bucket: string, key: string, body: string | Uint8Array, contentType: string): Promise<void>;
    getBytes(bucket: string, key: string): Promise<Uint8Array>;
    presignGet(bucket: string, key: string, expiresInSeconds: number): Promise<string>;
  };
  bucketName: string;
  ledger: Pick<SendLedger, 'claim' | 'markSent' | 'markFailed' | 'recordRefused' | 'putRun'>;
  mailer: Mailer;
  metrics: DeliveryMetricsSink;
  renderers: ReportRenderers;
  clock: () => Date;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Links that expire exactly at expiresAt (the deployed download function); absent = a direct presigned S3 link. */
  downloadLinks?: { url(key: string, expiresAt: Date): Promise<string> };
  /**
   * The report data a job names, when the caller already holds it (the local pipeline, which has just computed
   * it); absent or undefined = read from the bucket. At 100k deals it is ~130 MB of JSON: read and parsed once
   * per job, it was most of the local run's render time.
   */
  reportData?: (dataKey: string) => ReportData | undefined;
}

export interface DeliveryOutcome {
  report: StoredReport;
  run: RunRecord;
  /** The messages sent, by address: raw MIME, subject and the HTML body (the local stack writes them out). */
  messages: { address: string; subject: string; raw: Buffer; html: string; images: readonly { cid: string; png: Uint8Array }[] }[];
}

/** Some sends failed for reasons a retry can fix: the job should be retried (it will send only those). */
export class DeliveryIncompleteError extends Error {
  override name = 'DeliveryIncompleteError';
}

export async function deliverJob(deps: DeliverDependencies, job: DeliveryJob): Promise<DeliveryOutcome> {
  const data =
    deps.reportData?.(job.dataKey) ?? parseReportData(await deps.objects.getBytes(deps.bucketName, job.dataKey));
  let rendered: { stored: StoredReport; files: RenderedFiles };
  try {
    rendered = await renderAndStore(deps, deps.renderers, data, job.kind, job.scope);
  } catch (error) {
    deps.metrics.count(DELIVERY_METRICS.failedRuns, 1);
    deps.logger.error('report could not be rendered', { job, error: error as Error });
    throw error;
  }
  const { stored, files } = rendered;
  const labels = labelsFor(deps.config.org.locale);
  const org = new OrgChart(await deps.table.people());
  const recipients = recipientsFor(deps.config, org, job.kind, job.scope, job.asOf);
  const scope = scopeId(job.scope);
  const now = deps.clock();

  const run: RunRecord = {
    kind: job.kind,
    periodId: job.periodId,
    scopeId: scope,
    asOf: job.asOf,
    dispatchedOn: job.dispatchedOn,
    late: job.late,
    finishedAt: now.toISOString(),
    objectKey: reportKey(job.kind, job.periodId, job.scope, 'json').replace(/\.json$/, '.run.json'),
    sent: [],
    alreadySent: [],
    failed: [],
    refused: [],
    linked: false,
  };
  const keyOf = (address: string): SendKey => ({ kind: job.kind, periodId: job.periodId, scopeId: scope, address });

  for (const refused of recipients.refused) {
    run.refused.push(refused);
    deps.metrics.count(DELIVERY_METRICS.refused, 1);
    // No address in the log (nothing below ERROR carries one): the ledger records it (revperf sent), and the run record.
    deps.logger.warn('recipient refused', { report: job.kind, period: job.periodId, scope, reason: refused.reason });
    // A person without an address has no key of their own in the ledger; their name stands in.
    await deps.ledger.recordRefused(keyOf(refused.address || `(no address) ${refused.name}`), { name: refused.name, reason: refused.reason, asOf: job.asOf, late: job.late }, now);
  }

  const messages: DeliveryOutcome['messages'] = [];
  let notice: DeliveryNotice | null = null;
  let transientFailures = 0;
  for (const recipient of recipients.to) {
    const key = keyOf(recipient.address);
    const claim = await deps.ledger.claim(key, { name: recipient.name, asOf: job.asOf, late: job.late }, deps.clock());
    if (claim.outcome === 'taken') {
      const { record } = claim;
      if (record.status === 'sent') {
        run.alreadySent.push(recipient.address);
      } else if (record.status === 'sending' && !isAbandonedClaim(record, deps.clock())) {
        // Another attempt is sending it right now (or died a moment ago): this job is retried later, when
        // that attempt has either recorded the outcome or is old enough to be reported as abandoned.
        run.failed.push({ address: recipient.address, reason: `another attempt claimed this send at ${record.claimedAt ?? '?'}; checked again on the retry`, permanent: false });
        transientFailures += 1;
      } else if (record.status === 'sending') {
        // An attempt died between claiming and recording: SES may or may not have the message. Not re-sent
        // (that could mail the person twice); failed loudly so an operator checks and resends.
        const reason = `an attempt claimed this send at ${record.claimedAt ?? '?'} and never finished: it may not have gone out; check and use revperf resend`;
        // Recorded, so the ledger says so (revperf sent) and a later run lists it without counting it again.
        await deps.ledger.markFailed(key, reason, true, deps.clock());
        run.failed.push({ address: recipient.address, reason, permanent: true });
        deps.metrics.count(DELIVERY_METRICS.failed, 1);
        deps.logger.error('report send uncertain', { report: job.kind, period: job.periodId, scope, address: recipient.address, claimedAt: record.claimedAt });
      } else {
        // A permanent failure recorded earlier: not retried, still listed.
        run.failed.push({ address: recipient.address, reason: record.reason ?? 'failed earlier', permanent: true });
      }
      continue;
    }
    let message: Awaited<ReturnType<typeof composeMessage>>;
    let messageId: string;
    try {
      notice ??= await deliveryNotice(deps, job, stored, files);
      run.linked = notice.link !== undefined;
      message = await composeMessage(deps, job, recipient, files, notice, labels);
      messageId = (await deps.mailer.sendRaw(message.raw, { from: deps.config.mail.from, to: recipient.address })).messageId;
    } catch (error) {
      const permanent = error instanceof MailSendError && error.permanent;
      const reason = (error as Error).message ?? String(error);
      await deps.ledger.markFailed(key, reason, permanent, deps.clock());
      run.failed.push({ address: recipient.address, reason, permanent });
      deps.metrics.count(DELIVERY_METRICS.failed, 1);
      deps.logger.error('report not sent', { report: job.kind, period: job.periodId, scope, address: recipient.address, permanent, error: error as Error });
      if (!permanent) transientFailures += 1;
      continue;
    }
    // SES has the message: from here a failure must not turn into a second send, so it is not caught.
    await deps.ledger.markSent(key, messageId, deps.clock());
    run.sent.push({ address: recipient.address, messageId });
    messages.push({ address: recipient.address, ...message, images: files.images ?? [] });
    deps.metrics.count(DELIVERY_METRICS.sent, 1);
  }

  run.finishedAt = deps.clock().toISOString();
  await deps.objects.put(deps.bucketName, run.objectKey, JSON.stringify(run, null, 2), 'application/json');
  await deps.ledger.putRun(run);
  deps.logger.info('report delivered', {
    report: job.kind, period: job.periodId, scope, late: job.late,
    sent: run.sent.length, alreadySent: run.alreadySent.length, failed: run.failed.length, refused: run.refused.length,
  });
  if (transientFailures > 0) {
    deps.metrics.count(DELIVERY_METRICS.failedRuns, 1);
    throw new DeliveryIncompleteError(`${transientFailures} of ${recipients.to.length} recipient(s) of ${job.kind} ${job.periodId} ${scope} not sent yet; the retry sends only those`);
  }
  return { report: stored, run, messages };
}

/** The workbook's file name in the e-mail: `<org> weekly-scorecard 2026-W47 team-west.xlsx` (plain characters). */
export function workbookFileName(org: string, job: Pick<DeliveryJob, 'kind' | 'periodId' | 'scope'>): string {
  return `${org} ${job.kind} ${job.periodId} ${scopeId(job.scope)}.xlsx`.replace(/[\\/:*?"<>|\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Attached, or — above mail.maxAttachmentBytes — a presigned link to the stored workbook: never neither. */
export async function deliveryNotice(deps: Pick<DeliverDependencies, 'config' | 'objects' | 'bucketName' | 'clock' | 'downloadLinks'>, job: DeliveryJob, stored: StoredReport, files: RenderedFiles): Promise<DeliveryNotice> {
  const fileName = workbookFileName(deps.config.org.name, job);
  const notice: DeliveryNotice = job.late ? { lateDueOn: job.dueOn ?? job.asOf, lateAsOf: job.asOf } : {};
  if (files.xlsx.byteLength <= deps.config.mail.maxAttachmentBytes) return { ...notice, attachment: fileName };
  const expiresIn = deps.config.mail.linkExpiryHours * 3600;
  // Whole seconds: the signed link's expiry is in epoch seconds, and the e-mail must not promise more.
  const expiresAt = new Date(Math.floor(deps.clock().getTime() / 1000) * 1000 + expiresIn * 1000);
  // A presigned URL dies with the session of the credentials that signed it (in Lambda, the role's, maybe
  // hours before expiresAt); the download function's signed links do not. Locally the emulator's static
  // credentials keep a direct presigned link valid until expiresAt.
  const url = deps.downloadLinks
    ? await deps.downloadLinks.url(stored.keys.xlsx!, expiresAt)
    : await deps.objects.presignGet(deps.bucketName, stored.keys.xlsx!, expiresIn);
  return { ...notice, link: { url, expiresAt, bytes: files.xlsx.byteLength, fileName } };
}

/** The message to one recipient: the report's bodies with the notices, the workbook attached (or linked). */
export async function composeMessage(
  deps: Pick<DeliverDependencies, 'config' | 'clock'>,
  job: DeliveryJob,
  recipient: Pick<Recipient, 'address' | 'name'>,
  files: RenderedFiles,
  notice: DeliveryNotice,
  labels: ReturnType<typeof labelsFor>,
): Promise<{ raw: Buffer; subject: string; html: string }> {
  const bodies = withNotices({ html: files.html ?? '', text: files.text ?? '' }, notice, labels, deps.config.org.timeZone);
  const subject = deliverySubject(files.subject ?? `${job.kind} ${job.periodId}`, notice, labels);
  const raw = await composeMail({
    from: { address: deps.config.mail.from, name: `${deps.config.org.name} · revperf` },
    to: { address: recipient.address, name: recipient.name },
    subject,
    html: bodies.html,
    text: bodies.text,
    images: files.images,
    ...(notice.attachment ? { attachment: { fileName: notice.attachment, content: files.xlsx, contentType: XLSX_TYPE } } : {}),
    headers: { 'X-Revperf-Report': `${job.kind}/${job.periodId}/${scopeId(job.scope)}` },
    date: deps.clock(),
  });
  return { raw, subject, html: bodies.html };
}
