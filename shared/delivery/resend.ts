// The operator's resend (`revperf resend`): one stored report mailed again to
// one address. Which scope(s): the ones the ledger has a send of that report
// to that address in that period (or the one the operator names). The address
// must be on mail.allowedDomains like any recipient — a resend never widens
// the allowlist. The scope is rendered again from the stored report data
// (reports/<kind>/<period>/metrics.json); the workbook attached is the one
// stored beside it when there is one (the same bytes the first e-mail carried
// or linked to). Each message is recorded in the ledger as a resend, beside
// the original send, which it leaves as it was.
import type { SendLedger, SendRecord } from '../adapters/send-ledger.js';
import type { LocalDate } from '../domain/types.js';
import { labelsFor } from '../reports/labels/index.js';
import { parseReportData, reportKey, scopeId, type ReportData, type ReportKind, type ReportScope } from '../reports/report-data.js';
import { renderReport, reportPeriodId, XLSX_TYPE, type RenderedFiles, type StoredReport } from '../reports/report-run.js';
import { composeMessage, deliveryNotice, type DeliverDependencies } from './deliver-report.js';
import type { DeliveryJob } from './delivery-job.js';
import { refusalReason } from './recipients.js';

export type ResendDependencies = Pick<DeliverDependencies, 'config' | 'table' | 'objects' | 'bucketName' | 'mailer' | 'renderers' | 'clock'> & {
  ledger: Pick<SendLedger, 'sends' | 'recordResend'>;
};

export interface ResendRequest {
  kind: ReportKind;
  periodId: string;
  /** The address to mail (any case; compared lower-cased). */
  address: string;
  /** The scope to send (`organisation`, `team-west`, …); default: the scopes the ledger has sent this address. */
  scopeId?: string;
}

export interface ResentMessage {
  scopeId: string;
  scope: ReportScope;
  messageId: string;
  subject: string;
  raw: Buffer;
  html: string;
  images: readonly { cid: string; png: Uint8Array }[];
  /** The original send's as-of day and lateness, kept by the resend. */
  asOf: LocalDate;
  late: boolean;
}

export interface ResendOutcome {
  address: string;
  dataKey: string;
  messages: ResentMessage[];
}

/** The address is not on mail.allowedDomains (or not a plain address): nothing was sent. */
export class ResendRefusedError extends Error {
  override name = 'ResendRefusedError';
}

/** Nothing to resend: no stored report data, no send to that address, or no such scope. */
export class ResendNotFoundError extends Error {
  override name = 'ResendNotFoundError';
}

export function reportDataKey(kind: ReportKind, periodId: string): string {
  return `reports/${kind}/${periodId}/metrics.json`;
}

export async function resendReport(deps: ResendDependencies, request: ResendRequest): Promise<ResendOutcome> {
  const address = request.address.trim().toLowerCase();
  const refused = refusalReason(address, deps.config.mail.allowedDomains);
  if (refused !== null) {
    throw new ResendRefusedError(
      refused === 'not a plain e-mail address'
        ? `${JSON.stringify(request.address)} is not a plain e-mail address`
        : `${address}: ${refused} (${deps.config.mail.allowedDomains.join(', ')}); nothing sent`,
    );
  }

  const dataKey = reportDataKey(request.kind, request.periodId);
  const data = await readReportData(deps, dataKey);
  const filedUnder = reportPeriodId(data, request.kind);
  if (filedUnder !== request.periodId) {
    throw new ResendNotFoundError(`${dataKey} holds the data of ${filedUnder}, not ${request.periodId}`);
  }

  const sends = (await deps.ledger.sends(request.periodId)).filter((record) => record.kind === request.kind && !record.resend);
  const originals = new Map<string, SendRecord>();
  for (const record of sends) if (record.address === address) originals.set(record.scopeId, record);
  const known = scopesOf(data);
  let targets: string[];
  if (request.scopeId !== undefined) {
    if (!known.has(request.scopeId)) {
      throw new ResendNotFoundError(
        `${request.kind} ${request.periodId} has no scope '${request.scopeId}' (its scopes: ${[...known.keys()].slice(0, 12).join(', ')}${known.size > 12 ? ', …' : ''})`,
      );
    }
    targets = [request.scopeId];
  } else {
    targets = [...originals.values()].filter((record) => record.status !== 'refused').map((record) => record.scopeId);
    if (targets.length === 0) {
      throw new ResendNotFoundError(
        `the ledger has no send of ${request.kind} ${request.periodId} to ${address}: pass --scope (e.g. organisation) to send a scope anyway`,
      );
    }
  }

  const labels = labelsFor(deps.config.org.locale);
  const people = await deps.table.people();
  const messages: ResentMessage[] = [];
  for (const id of [...new Set(targets)].sort()) {
    const scope = known.get(id);
    if (!scope) throw new ResendNotFoundError(`${request.kind} ${request.periodId}: the ledger names scope '${id}', which the stored report data has not`);
    const original = originals.get(id);
    const asOf = original?.asOf ?? data.metrics.asOf;
    const late = original?.late ?? false;
    const name = original?.name || people.find((person) => person.email?.trim().toLowerCase() === address)?.name || '';
    const job: DeliveryJob = { kind: request.kind, periodId: request.periodId, asOf, dispatchedOn: asOf, late, scope, dataKey };

    const rendered = await renderReport(deps.renderers, data, request.kind, scope);
    const xlsxKey = reportKey(request.kind, request.periodId, scope, 'xlsx');
    const storedXlsx = await deps.objects.getBytes(deps.bucketName, xlsxKey).catch((error: unknown) => {
      if (isMissingObject(error)) return null;
      throw error;
    });
    // The workbook stored with the report when there is one; else the one just rendered, stored so a link can point at it.
    if (storedXlsx === null) await deps.objects.put(deps.bucketName, xlsxKey, rendered.xlsx, XLSX_TYPE);
    const files: RenderedFiles = { ...rendered, xlsx: storedXlsx ?? rendered.xlsx };
    const stored: StoredReport = { kind: request.kind, periodId: request.periodId, scope, keys: { xlsx: xlsxKey } };

    const notice = await deliveryNotice(deps, job, stored, files);
    const message = await composeMessage(deps, job, { address, name }, files, notice, labels);
    const sent = await deps.mailer.sendRaw(message.raw, { from: deps.config.mail.from, to: address });
    await deps.ledger.recordResend({ kind: request.kind, periodId: request.periodId, scopeId: id, address }, { name, asOf, late, messageId: sent.messageId }, deps.clock());
    messages.push({ scopeId: id, scope, messageId: sent.messageId, subject: message.subject, raw: message.raw, html: message.html, images: files.images ?? [], asOf, late });
  }
  return { address, dataKey, messages };
}

async function readReportData(deps: Pick<ResendDependencies, 'objects' | 'bucketName'>, dataKey: string): Promise<ReportData> {
  try {
    return parseReportData(await deps.objects.getBytes(deps.bucketName, dataKey));
  } catch (error) {
    if (isMissingObject(error)) {
      throw new ResendNotFoundError(`no stored report at ${dataKey}: that report was never prepared for that period (check --kind and --period)`);
    }
    throw error;
  }
}

/** Every scope a report of this data can have, by id (organisation, each team, each rep). */
function scopesOf(data: ReportData): Map<string, ReportScope> {
  const scopes = new Map<string, ReportScope>();
  const add = (scope: ReportScope) => scopes.set(scopeId(scope), scope);
  add({ level: 'company' });
  for (const entity of data.metrics.entities) {
    if (entity.level === 'team') add({ level: 'team', team: entity.id });
    if (entity.level === 'rep') add({ level: 'rep', repId: entity.id });
  }
  return scopes;
}

function isMissingObject(error: unknown): boolean {
  const candidate = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return candidate?.name === 'NoSuchKey' || candidate?.name === 'NotFound' || candidate?.$metadata?.httpStatusCode === 404;
}
