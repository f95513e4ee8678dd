// The ingest use case: one uploaded object version → validated entities in
// the table, and an ingest report that says what was accepted, skipped and
// rejected, and why. Idempotent per object version; older versions that
// arrive late are ignored.
import { createWriteStream } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { OrgChart } from '../domain/org-chart.js';
import type { FiscalCalendar } from '../domain/fiscal-calendar.js';
import type { FxRate, KeyAccount, Person, Quota, SourcePreset, StoredDeal } from '../domain/types.js';
import type { RevperfConfig } from '../config/schema.js';
import { dealsFolderPathOf, ingestReportKeys, snapshotScopeOf, uploadKindOf, type UploadKind } from '../adapters/bucket-layout.js';
import type { ObjectCreated } from '../adapters/s3-events.js';
import { csvLine } from './csv-writer.js';
import { readerLimits } from './file-format.js';
import { UploadNormaliser, type NormaliserContext } from './normaliser.js';
import { describeEntity, EntitySink } from './entity-sink.js';
import { MAX_LISTED_FINDINGS, orgChartFindings, quotaFindings, unmatchedOwnerFindings } from './ingest-findings.js';
import { UploadReader } from './upload-reader.js';
import {
  UnreadableFileError,
  type FileDescription,
  type IngestCounts,
  type IngestReport,
} from './types.js';

/** What ingest needs from storage (implemented by RevperfTable). */
export interface IngestStore {
  /** With `takeOverBefore` (ISO time), an older version still in progress since then answers `busy` instead of being taken over. */
  claimIngest(
    entry: { bucket: string; key: string; versionId: string | null; sequencer: string; startedAt: string },
    takeOverBefore?: string,
  ): Promise<
    | { outcome: 'claimed' }
    | { outcome: 'duplicate'; sequencer: string }
    | { outcome: 'older'; newerSequencer: string }
    | { outcome: 'busy'; olderSequencer: string; startedAt: string }
  >;
  completeIngest(bucket: string, key: string, sequencer: string, finishedAt: string, summary: Record<string, unknown>): Promise<void>;
  /**
   * Writes the deals; with `stored` (id → content hash, from dealHashesOfScope) only those whose stored item
   * would differ, updating `stored` with what it writes. Returns how many were written.
   */
  putDeals(deals: readonly StoredDeal[], stored?: Map<string, string>): Promise<number>;
  putPeople(people: readonly Person[], runId: string): Promise<void>;
  putQuotas(quotas: readonly Quota[]): Promise<void>;
  putKeyAccounts(accounts: readonly KeyAccount[], runId: string): Promise<void>;
  putFxRates(rates: readonly FxRate[]): Promise<void>;
  /** Marks the not-removed deals of a snapshot scope whose ids the export did not name (`keep`: accepted or rejected) removed. */
  markDealsRemovedExcept(scope: string, runId: string, keep: { has(id: string): boolean }): Promise<number>;
  /** Whether a snapshot scope holds any not-removed deal. */
  scopeHasDeals(scope: string): Promise<boolean>;
  /** id → content hash of a snapshot scope's not-removed deals (keys and hashes only; '' where none is stored). */
  dealHashesOfScope(scope: string): Promise<Map<string, string>>;
  deleteListedExcept(kind: 'person' | 'account', runId: string): Promise<number>;
  people(): Promise<Person[]>;
  quotas(periodIds: readonly string[]): Promise<Quota[]>;
  fxRates(): Promise<FxRate[]>;
}

/** What ingest needs from the bucket (implemented by S3ObjectStore). */
export interface UploadObjects {
  open(bucket: string, key: string, versionId: string | null): Promise<{ body: AsyncIterable<Uint8Array>; size: number }>;
  download(bucket: string, key: string, versionId: string | null, path: string): Promise<number>;
  put(bucket: string, key: string, body: string | Uint8Array, contentType: string): Promise<void>;
}

export interface IngestDependencies {
  store: IngestStore;
  objects: UploadObjects;
  config: RevperfConfig;
  calendar: FiscalCalendar;
  clock: () => Date;
  /** A writable folder for spooling (Lambda: /tmp). */
  scratchDir: string;
  /** Told after each batch of rows read; optional, and nothing else changes without it (the local terminal shows it). */
  onProgress?: (progress: IngestProgress) => void;
  /** How a newer version waits for an older one still loading (defaults: OLDER_VERSION_WAIT). */
  olderVersionWait?: { pollMs: number; maxWaitMs: number; sleep?: (ms: number) => Promise<void> };
}

/**
 * Two versions of one key never load at once, so an older one can never write after the newer one.
 * A newer version finding an older one in progress waits for it (polling the ledger); after
 * `maxWaitMs` it fails with OlderVersionStillLoadingError, which says when to try again: once the
 * older claim's lease has run out (the queue handler delays the message until then). An older claim
 * from before `leaseMs` ago is dead — Lambda stops every run within 15 minutes — and is taken over.
 */
export const OLDER_VERSION_WAIT = { pollMs: 2_000, maxWaitMs: 2 * 60_000, leaseMs: 16 * 60_000 } as const;

/** Retryable: an older version of the same key was still loading after the wait. Try again in `retryAfterMs`. */
export class OlderVersionStillLoadingError extends Error {
  /** Until the older claim's lease runs out (then it is done, or dead and taken over), at least a second. */
  readonly retryAfterMs: number;

  constructor(key: string, olderSequencer: string, startedAt: string, now: Date) {
    super(`an older version of ${key} (sequencer ${olderSequencer}, started ${startedAt}) is still loading; this version loads after it`);
    this.retryAfterMs = Math.max(1_000, Date.parse(startedAt) + OLDER_VERSION_WAIT.leaseMs - now.getTime());
    this.name = 'OlderVersionStillLoadingError';
  }
}

/** How far ingest is in one upload: bytes read of the object (CSV; an XLSX is read from its spooled copy) and rows. */
export interface IngestProgress {
  key: string;
  /** `check`: the read-only pass over a full deals export; `load`: the pass that writes. */
  pass: 'check' | 'load';
  bytesRead: number;
  /** The object's size when the event gave it. */
  totalBytes: number | null;
  rowsRead: number;
}

/** Rejected rows listed in the JSON report; all of them are in the CSV. */
export const REJECTED_LISTED_LIMIT = 1_000;

export async function ingestUpload(object: ObjectCreated, deps: IngestDependencies): Promise<IngestReport> {
  const { store, clock } = deps;
  const kind = uploadKindOf(object.key);
  const report = emptyReport(object, kind, clock().toISOString());

  const claim = await claimWhenFree(object, report.startedAt, deps);
  if (claim.outcome === 'duplicate') return { ...report, status: 'duplicate-event', finishedAt: clock().toISOString() };
  if (claim.outcome === 'older') return { ...report, status: 'ignored-older-version', finishedAt: clock().toISOString() };

  const runId = `${object.bucket}/${object.key}#${object.sequencer}`;
  const rejectedCsvPath = join(deps.scratchDir, `rejected-${process.pid}-${object.sequencer}.csv`);
  const rejectedCsv = createWriteStream(rejectedCsvPath);
  rejectedCsv.write(csvLine(['line', 'field', 'value', 'reason']));
  try {
    if (!kind) {
      throw new UnreadableFileError(
        `${object.key} is not under a known upload folder: use uploads/deals/, uploads/people/, uploads/quotas/, uploads/accounts/ or uploads/fx/`,
        'unsupported',
      );
    }
    await loadFile(object, kind, runId, report, rejectedCsv, deps);
  } catch (error) {
    if (!(error instanceof UnreadableFileError)) {
      // Writes still queued on the scratch file fail once it is destroyed; with no listener that
      // failure would be an uncaught exception that takes the whole handler down. The file is moot.
      rejectedCsv.on('error', () => undefined);
      rejectedCsv.destroy();
      await rm(rejectedCsvPath, { force: true });
      throw error; // infrastructure failure: let Lambda retry; the ledger stays in progress
    }
    report.status = 'refused';
    report.refusal = `${object.key}: ${error.reason}`;
  }
  rejectedCsv.end();
  await once(rejectedCsv, 'close');

  report.finishedAt = clock().toISOString();
  if (report.status !== 'refused') report.status = report.counts.rejected > 0 ? 'loaded-with-rejections' : 'loaded';
  const keys = ingestReportKeys(object.key);
  await deps.objects.put(object.bucket, keys.json, JSON.stringify(report, null, 2), 'application/json');
  await deps.objects.put(object.bucket, keys.rejectedCsv, await readFile(rejectedCsvPath), 'text/csv; charset=utf-8');
  await rm(rejectedCsvPath, { force: true });
  await store.completeIngest(object.bucket, object.key, object.sequencer, report.finishedAt, {
    status: report.status,
    kind: report.kind,
    preset: report.preset,
    ...report.counts,
  });
  return report;
}

/** Claims the upload, first waiting for an older version of the key that is still loading (see OLDER_VERSION_WAIT). */
async function claimWhenFree(object: ObjectCreated, startedAt: string, deps: IngestDependencies) {
  const wait: { pollMs: number; maxWaitMs: number; sleep?: (ms: number) => Promise<void> } = deps.olderVersionWait ?? OLDER_VERSION_WAIT;
  const { pollMs, maxWaitMs, sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)) } = wait;
  const entry = { bucket: object.bucket, key: object.key, versionId: object.versionId, sequencer: object.sequencer, startedAt };
  for (let waited = 0; ; waited += pollMs) {
    const takeOverBefore = new Date(deps.clock().getTime() - OLDER_VERSION_WAIT.leaseMs).toISOString();
    const claim = await deps.store.claimIngest(entry, takeOverBefore);
    if (claim.outcome !== 'busy') return claim;
    if (waited >= maxWaitMs) throw new OlderVersionStillLoadingError(object.key, claim.olderSequencer, claim.startedAt, deps.clock());
    await sleep(pollMs);
  }
}

async function loadFile(
  object: ObjectCreated,
  kind: UploadKind,
  runId: string,
  report: IngestReport,
  rejectedCsv: NodeJS.WritableStream,
  deps: IngestDependencies,
): Promise<void> {
  const { config, store } = deps;
  const limits = readerLimits(config.ingest);
  if (object.size !== null && object.size > limits.maxFileBytes) {
    throw new UnreadableFileError(
      `the file is ${formatBytes(object.size)}, over the ${formatBytes(limits.maxFileBytes)} limit (config ingest.maxFileBytes)`,
      'too-large',
    );
  }

  const [uploadedRates, people] = await Promise.all([store.fxRates(), kind === 'deals' ? store.people() : Promise.resolve([])]);
  const fxRates = mergeFxRates(config, uploadedRates);
  const context: NormaliserContext = {
    kind,
    uploadKey: object.key,
    config,
    calendar: deps.calendar,
    fxRates,
    today: deps.calendar.localDate(deps.clock()),
  };
  const upload = new UploadReader(object, limits, deps);
  try {
    // With ingest.allowMassRemoval nothing is held, so the check (a whole extra read of the file) is skipped.
    let storedDeals: Map<string, string> | null = null;
    if (kind === 'deals' && config.ingest.mode === 'full' && !config.ingest.allowMassRemoval) {
      const check = await checkRemovals(object, upload, context, store);
      if (check !== null && check.massRemoval) {
        hold(object, report, check);
        return;
      }
      // The check read the scope's stored hashes; the loading pass compares with the same ones.
      storedDeals = check?.storedDeals ?? null;
    }
    await loadRows(object, kind, runId, report, rejectedCsv, deps, upload, context, people, storedDeals);
  } finally {
    await upload.dispose();
  }
}

/** The one pass that writes: every accepted row goes in, then a full export's missing deals are marked removed. */
async function loadRows(
  object: ObjectCreated,
  kind: UploadKind,
  runId: string,
  report: IngestReport,
  rejectedCsv: NodeJS.WritableStream,
  deps: IngestDependencies,
  upload: UploadReader,
  context: NormaliserContext,
  people: readonly Person[],
  storedDeals: Map<string, string> | null,
): Promise<void> {
  const { config, store } = deps;
  const normaliser = new UploadNormaliser(context);
  const sink = new EntitySink(store, runId, object.key, () => report.preset ?? 'generic', storedDeals);
  const rejectedIds = new Set<string>();
  const owners = new Map<string, number>();
  const quotaPeriods = new Set<string>();

  const { description, batches } = await upload.open();
  report.file = description;
  let lastLine = 0;
  try {
    for await (const batch of batches) {
      upload.progress('load', report.counts.read + report.counts.skipped);
      for (const row of batch) {
        lastLine = row.line;
        const outcome = normaliser.push(row);
        switch (outcome.type) {
          case 'pending':
            break;
          case 'header':
            report.preset = outcome.preset;
            report.columns = outcome.columns;
            break;
          case 'accepted': {
            report.counts.read += 1;
            report.counts.accepted += 1;
            const duplicateOf = sink.add(outcome.entity);
            if (duplicateOf !== null) {
              report.counts.duplicates += 1;
              if (report.counts.duplicates <= MAX_LISTED_FINDINGS) {
                report.findings.push(
                  `line ${outcome.entity.line}: ${describeEntity(outcome.entity)} already appeared on line ${duplicateOf}; the later row wins`,
                );
              }
            }
            if (outcome.entity.kind === 'deals') owners.set(outcome.entity.value.owner, (owners.get(outcome.entity.value.owner) ?? 0) + 1);
            if (outcome.entity.kind === 'quotas') quotaPeriods.add(outcome.entity.value.periodId);
            if (sink.isFull) await sink.flush();
            break;
          }
          case 'rejected': {
            report.counts.read += 1;
            report.counts.rejected += 1;
            if (outcome.id) rejectedIds.add(outcome.id);
            for (const rejection of outcome.rejections) {
              if (report.rejected.length < REJECTED_LISTED_LIMIT) report.rejected.push(rejection);
              rejectedCsv.write(csvLine([rejection.line, rejection.field, rejection.value, rejection.reason]));
            }
            break;
          }
          case 'skipped':
            report.counts.skipped += 1;
            if (report.skipped.length < REJECTED_LISTED_LIMIT) report.skipped.push(outcome.skip);
            break;
        }
      }
    }
  } catch (error) {
    if (!(error instanceof UnreadableFileError) || report.counts.read === 0) throw error;
    // Refused part-way (row limit, damaged zip entry …). Rows already written cannot be taken back
    // without losing what an earlier upload had stored, so every row before the refusal goes in and
    // the refusal says exactly which.
    await sink.flush();
    report.unchangedDeals = sink.dealsUnchanged;
    throw refusedPartWay(error, report, lastLine);
  }
  normaliser.finish();
  await sink.flush();
  report.unchangedDeals = sink.dealsUnchanged;
  if (report.counts.read === 0) {
    // Nothing accepted never marks deals removed (below): an empty export is likelier a wrong filter than an empty CRM.
    report.findings.push('the file has a header but no data rows: nothing was loaded, and nothing loaded before was marked removed');
  }
  report.findings.push(...normaliser.findings());

  if (kind === 'deals') {
    report.findings.push(...unmatchedOwnerFindings(people, owners));
    if (config.ingest.mode === 'full' && report.counts.accepted > 0 && report.preset) {
      // Kept: every id the export names, accepted (whether written or already stored unchanged) or rejected.
      const named = { has: (id: string) => sink.has(id) || rejectedIds.has(id) };
      report.removedDeals = await store.markDealsRemovedExcept(snapshotScopeOf(object.key, report.preset), runId, named);
      if (report.removedDeals > 0) {
        const allowed = config.ingest.allowMassRemoval ? '; ingest.allowMassRemoval is on: no removal is held' : '';
        report.findings.push(
          `${report.removedDeals} ${report.preset} deal(s) of ${dealsFolderPathOf(object.key)} missing from this full export were marked removed ` +
            `and stop counting (config ingest.mode = full${allowed})`,
        );
      }
    }
  }
  if ((kind === 'people' || kind === 'accounts') && report.counts.accepted > 0) {
    const deleted = await store.deleteListedExcept(kind === 'people' ? 'person' : 'account', runId);
    if (deleted > 0) report.findings.push(`${deleted} ${kind === 'people' ? 'people-file row(s)' : 'key account(s)'} not in this upload were removed`);
  }
  if (kind === 'people' && report.counts.accepted > 0) report.findings.push(...orgChartFindings(new OrgChart(await store.people())));
  if (kind === 'quotas' && quotaPeriods.size > 0) {
    const everyone = await store.people();
    if (everyone.length > 0) report.findings.push(...quotaFindings(await store.quotas([...quotaPeriods]), new OrgChart(everyone)));
  }
}

/** What a full deals export would do to its snapshot scope, read before anything is written. */
interface RemovalCheck {
  scope: string;
  preset: SourcePreset;
  columns: Record<string, string>;
  description: FileDescription;
  counts: IngestCounts;
  /** The normaliser's data-quality notes (unknown stages …), for a held upload's report. */
  findings: string[];
  /** Not-removed deals stored for the scope. */
  stored: number;
  /** Of those, how many the file does not name (accepted or rejected): what loading it would mark removed. */
  missing: number;
  /** More than half of the scope's stored deals would be marked removed: the upload is held. */
  massRemoval: boolean;
  /** id → content hash of the scope's stored deals, for the loading pass to compare with. */
  storedDeals: Map<string, string>;
}

/**
 * Reads a full deals export without writing anything, to learn how many of
 * its scope's stored deals it lacks. Null when there is nothing to check: the
 * scope is empty (a first load: the read stops at the header), the file
 * accepts no row (which never removes anything), or it cannot be read (the
 * loading pass refuses it the same way, and a refusal never removes).
 */
async function checkRemovals(
  object: ObjectCreated,
  upload: UploadReader,
  context: NormaliserContext,
  store: IngestStore,
): Promise<RemovalCheck | null> {
  const normaliser = new UploadNormaliser(context);
  // Every deal id the file names → whether a row of it was accepted (to count duplicates as the loading pass does).
  const named = new Map<string, boolean>();
  const counts: IngestCounts = { read: 0, accepted: 0, skipped: 0, rejected: 0, duplicates: 0 };
  let header: { scope: string; preset: SourcePreset; columns: Record<string, string> } | null = null;
  let description: FileDescription;
  try {
    const opened = await upload.open();
    description = opened.description;
    for await (const batch of opened.batches) {
      upload.progress('check', counts.read + counts.skipped);
      for (const row of batch) {
        const outcome = normaliser.push(row);
        switch (outcome.type) {
          case 'header': {
            const scope = snapshotScopeOf(object.key, outcome.preset);
            if (!(await store.scopeHasDeals(scope))) return null;
            header = { scope, preset: outcome.preset, columns: outcome.columns };
            break;
          }
          case 'accepted': {
            counts.read += 1;
            counts.accepted += 1;
            if (outcome.entity.kind !== 'deals') break;
            const id = outcome.entity.value.id;
            const earlier = named.get(id);
            if (earlier === true) counts.duplicates += 1;
            // A copy as the key: an id read from a CSV is a slice of its 64 KB text block (see EntitySink.add).
            else named.set(earlier === undefined ? Buffer.from(id, 'utf8').toString('utf8') : id, true);
            break;
          }
          case 'rejected':
            counts.read += 1;
            counts.rejected += 1;
            if (outcome.id !== undefined && !named.has(outcome.id)) named.set(Buffer.from(outcome.id, 'utf8').toString('utf8'), false);
            break;
          case 'skipped':
            counts.skipped += 1;
            break;
          case 'pending':
            break;
        }
      }
    }
  } catch (error) {
    if (error instanceof UnreadableFileError) return null;
    throw error;
  }
  if (header === null || counts.accepted === 0) return null;

  const storedDeals = await store.dealHashesOfScope(header.scope);
  const stored = storedDeals.size;
  let missing = 0;
  for (const id of storedDeals.keys()) if (!named.has(id)) missing += 1;
  return { ...header, description, counts, findings: normaliser.findings(), stored, missing, massRemoval: missing * 2 > stored, storedDeals };
}

/** A held upload: nothing written, nothing removed; the report says what was read and how to confirm. */
function hold(object: ObjectCreated, report: IngestReport, check: RemovalCheck): void {
  const { stored, missing } = check;
  report.status = 'refused';
  report.preset = check.preset;
  report.columns = check.columns;
  report.file = check.description;
  report.counts = check.counts;
  report.refusal =
    `${object.key}: held, not loaded: this full export of ${dealsFolderPathOf(object.key)} (${check.preset}) has ` +
    `${formatCount(stored - missing)} of the ${formatCount(stored)} deals stored for that scope: loading it would mark ` +
    `${formatCount(missing)} (${formatShare(missing, stored)}) removed. Nothing was loaded or removed. ` +
    `If the CRM really lost those deals, set ingest.allowMassRemoval: true in revperf.config.json and upload the file again (then set it back to false, which keeps this guard); ` +
    `if the file only adds and updates deals, use ingest.mode: "incremental" (which never marks deals removed). ` +
    `If it is part of a split export, put each part in a folder of its own under uploads/deals/ (each folder is its own snapshot).`;
  report.findings.push(...check.findings);
  if (check.counts.rejected > 0) {
    report.findings.push(
      `${check.counts.rejected} row(s) would be rejected: they are listed, with their reasons, when the file is loaded (a held upload is only counted)`,
    );
  }
}

function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

/** A share as a percentage, never rounded up (so 999 of 1,000 is 99.9%, not 100%). */
function formatShare(part: number, whole: number): string {
  return `${Math.floor((part * 1000) / whole) / 10}%`;
}

/** Config rates are the base; uploaded rates (same currency and validity date) override them. */
function mergeFxRates(config: RevperfConfig, uploaded: readonly FxRate[]): FxRate[] {
  const byKey = new Map<string, FxRate>();
  for (const [currency, rate] of Object.entries(config.currency.rates)) byKey.set(`${currency}#`, { currency, rate, validFrom: null });
  for (const rate of uploaded) byKey.set(`${rate.currency}#${rate.validFrom ?? ''}`, rate);
  return [...byKey.values()];
}

function emptyReport(object: ObjectCreated, kind: UploadKind | null, startedAt: string): IngestReport {
  return {
    uploadKey: object.key,
    bucket: object.bucket,
    versionId: object.versionId,
    kind,
    status: 'loaded',
    refusal: null,
    file: null,
    preset: null,
    columns: {},
    counts: { read: 0, accepted: 0, skipped: 0, rejected: 0, duplicates: 0 },
    rejected: [],
    rejectedListedLimit: REJECTED_LISTED_LIMIT,
    skipped: [],
    findings: [],
    removedDeals: 0,
    unchangedDeals: 0,
    startedAt,
    finishedAt: startedAt,
  };
}

/** The reader's refusal, completed with exactly what was loaded from the rows before it. */
function refusedPartWay(error: UnreadableFileError, report: IngestReport, lastLine: number): UnreadableFileError {
  const { accepted, rejected } = report.counts;
  const rejectedNote = rejected > 0 ? ` and ${rejected} rejected (see the rejected rows)` : '';
  return new UnreadableFileError(
    `${error.reason}. Lines up to ${lastLine} were read before the refusal: their ${accepted} accepted row(s) were loaded${rejectedNote}; ` +
      `nothing after line ${lastLine} was loaded and nothing loaded before was marked removed. Fix the file and upload it again.`,
    error.code,
  );
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
