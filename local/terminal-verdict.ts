// The verdict `revperf run` and `npm start` end with, before the details: what
// the run used (config file, each upload and the preset that read it) and what
// needs attention — unknown stages, owners, quota and people rows that count
// for no one, rejected rows, refused uploads and recipients — each with the
// config key, file or command that fixes it.
//
// Sources: the ingest reports (status, counts, findings) and the metrics
// exports' reconciliation (structured: code, count, examples). Unknown stages
// and unmatched owners are read from the ingest findings' sentences
// (shared/ingest/normaliser.ts, ingest-findings.ts); test/integration/
// local-run-verdict.test.ts runs the real ingest so a changed sentence fails there.
import type { IngestReport } from '../shared/ingest/types.js';
import type { RunRecord } from '../shared/adapters/send-ledger.js';
import type { MetricsRun } from '../shared/reports/metrics-run.js';
import type { TerminalLabels } from './terminal-labels.js';

export interface VerdictInput {
  ingestReports: readonly IngestReport[];
  metrics: readonly Pick<MetricsRun, 'export'>[];
  deliveries: readonly RunRecord[];
}

export interface VerdictContext {
  /** The config file the run read (absolute). */
  configPath: string;
  /** The data folder, for `revperf inspect --data DIR`. */
  dataDir: string;
  labels: TerminalLabels;
}

export interface AttentionItem {
  kind: 'unknown-stages' | 'unmatched-owners' | 'quota-rows' | 'people-rows' | 'rejected-rows' | 'refused-uploads' | 'refused-recipients' | 'failed-recipients';
  /** What is wrong, with names and counts. */
  what: string;
  /** The config key, file or command that fixes it. */
  fix: string;
  /** A command that shows more, if any. */
  check?: string;
}

const UNKNOWN_STAGE = /^(\d+) deal\(s\) have stage '(.*)', which no stage rule knows/;
const UNMATCHED_OWNER = /^owner '(.*)' \((\d+) deal\(s\)\)(?: matches no one|: no people file)/;
/** The reconciliation's example of an owner-unmatched group: `Owner: N deal(s)`. */
const OWNER_EXAMPLE = /^(.*): (\d+) deal\(s\)$/;
const LISTED = 5;

function list(items: readonly string[], labels: TerminalLabels): string {
  const shown = items.slice(0, LISTED).join(', ');
  return items.length > LISTED ? `${shown}, ${labels.verdict.andMore(items.length - LISTED)}` : shown;
}

/** Reconciliation groups of a kind over every metrics run (quarter and week), each said once. */
function unusedGroups(input: VerdictInput, kind: 'deals' | 'quotas' | 'people') {
  const seen = new Map<string, { code: string; reason: string; count: number; examples: string[] }>();
  for (const run of input.metrics) {
    for (const group of run.export.reconciliation[kind].unused) {
      const key = `${group.code}\u0000${group.reason}`;
      const known = seen.get(key);
      // The quarter and the week can both name a group: the larger count (the quarter's) is said.
      if (!known || group.count > known.count) seen.set(key, { ...group, examples: [...group.examples] });
    }
  }
  return [...seen.values()];
}

export function attentionItems(input: VerdictInput, context: VerdictContext): AttentionItem[] {
  const { labels } = context;
  const text = labels.verdict;
  const config = context.configPath;
  const inspect = `revperf inspect --data ${context.dataDir}`;
  const items: AttentionItem[] = [];

  const stages = new Map<string, number>();
  const owners = new Map<string, number>();
  for (const report of input.ingestReports) {
    for (const finding of report.findings) {
      const stage = UNKNOWN_STAGE.exec(finding);
      if (stage) stages.set(stage[2]!, (stages.get(stage[2]!) ?? 0) + Number(stage[1]));
      const owner = UNMATCHED_OWNER.exec(finding);
      if (owner) owners.set(owner[1]!, (owners.get(owner[1]!) ?? 0) + Number(owner[2]));
    }
  }
  // Owners of this period's deals the reconciliation names that no ingest finding did (e.g. a people file uploaded later).
  for (const group of unusedGroups(input, 'deals').filter((group) => group.code === 'owner-unmatched')) {
    for (const example of group.examples) {
      const match = OWNER_EXAMPLE.exec(example);
      if (match && !owners.has(match[1]!)) owners.set(match[1]!, Number(match[2]));
    }
  }

  if (stages.size > 0) {
    const named = [...stages].sort((a, b) => b[1] - a[1]).map(([stage, deals]) => `'${stage}' (${text.deals(deals)})`);
    items.push({ kind: 'unknown-stages', what: text.unknownStages(stages.size, list(named, labels)), fix: text.unknownStagesFix(config), check: inspect });
  }
  if (owners.size > 0) {
    const named = [...owners].sort((a, b) => b[1] - a[1]).map(([owner, deals]) => `'${owner}' (${text.deals(deals)})`);
    items.push({ kind: 'unmatched-owners', what: text.unmatchedOwners(owners.size, list(named, labels)), fix: text.unmatchedOwnersFix, check: inspect });
  }
  const quotas = unusedGroups(input, 'quotas');
  if (quotas.length > 0) {
    const count = quotas.reduce((sum, group) => sum + group.count, 0);
    items.push({ kind: 'quota-rows', what: text.quotaRows(count, list(quotas.flatMap((group) => group.examples), labels)), fix: text.quotaRowsFix, check: inspect });
  }
  const people = unusedGroups(input, 'people');
  if (people.length > 0) {
    const count = people.reduce((sum, group) => sum + group.count, 0);
    items.push({ kind: 'people-rows', what: text.peopleRows(count, list(people.flatMap((group) => group.examples), labels)), fix: text.peopleRowsFix, check: inspect });
  }
  const rejecting = input.ingestReports.filter((report) => report.status !== 'refused' && report.counts.rejected > 0);
  if (rejecting.length > 0) {
    const count = rejecting.reduce((sum, report) => sum + report.counts.rejected, 0);
    items.push({ kind: 'rejected-rows', what: text.rejectedRows(count, rejecting.length), fix: text.rejectedRowsFix(config), check: inspect });
  }
  const refused = input.ingestReports.filter((report) => report.status === 'refused');
  if (refused.length > 0) {
    items.push({
      kind: 'refused-uploads',
      what: `${text.refused(refused.length)}: ${refused.map((report) => report.refusal ?? report.uploadKey).join('; ')}`,
      fix: text.refusedFix,
      check: inspect,
    });
  }
  const refusedPeople = new Map<string, string>();
  const failed = new Map<string, string>();
  for (const run of input.deliveries) {
    for (const person of run.refused) refusedPeople.set(person.address || person.name, person.reason);
    for (const failure of run.failed) failed.set(failure.address, failure.reason);
  }
  if (refusedPeople.size > 0) {
    const named = [...refusedPeople].map(([who, reason]) => `${who} (${reason})`);
    items.push({ kind: 'refused-recipients', what: text.refusedRecipients(refusedPeople.size, list(named, labels)), fix: text.refusedRecipientsFix(config) });
  }
  if (failed.size > 0) {
    const named = [...failed].map(([who, reason]) => `${who} (${reason})`);
    items.push({ kind: 'failed-recipients', what: text.failedRecipients(failed.size, list(named, labels)), fix: text.failedRecipientsFix });
  }
  return items;
}

/** The verdict block: what was used, then what needs attention and what fixes it (or that nothing does). */
export function verdictLines(input: VerdictInput, context: VerdictContext): string[] {
  const text = context.labels.verdict;
  const lines = [text.heading, `  ${text.config(context.configPath)}`, `  ${text.uploads(input.ingestReports.length)}`];
  const width = Math.max(0, ...input.ingestReports.map((report) => report.uploadKey.length));
  for (const report of input.ingestReports) {
    const mark = report.status === 'refused' ? '✗' : report.counts.rejected > 0 ? '⚠' : '✓';
    const how = report.status === 'refused' ? text.refusedUpload : `[${report.preset ?? text.generic}] ${text.upload(report.counts)}`;
    lines.push(`    ${mark} ${report.uploadKey.padEnd(width)}  ${how}`);
  }
  const items = attentionItems(input, context);
  if (items.length === 0) {
    lines.push(`  ${text.allClear}`);
    return lines;
  }
  lines.push(`  ${text.attention(items.length)}`);
  for (const item of items) {
    lines.push(`    ${item.kind === 'refused-uploads' || item.kind === 'failed-recipients' ? '✗' : '⚠'} ${item.what}`);
    lines.push(`        → ${item.fix}`);
    if (item.check) lines.push(`        → ${text.check(item.check)}`);
  }
  return lines;
}
