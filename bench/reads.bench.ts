// Report reads benchmark: what a quarter's report run reads from DynamoDB, in
// bytes and read units, against the bytes of the items it needs, on two
// tables of the same org — one year and four years of history (bench/lib/
// history-org.ts) — loaded through the real ingest (people, quotas, deals)
// into dynalite kept on disk, with last week's report run already stored (its
// metric and open-pipeline snapshots), once, in `prepare`.
//
// revperf: prepareReports as of the as-of date (metrics for the quarter and
// the week, snapshots, then the report data) on a copy of each table, every
// read metered (bench/lib/read-meter.ts). The baseline: a full Scan of the
// same table, the read a report would make without the month-keyed indexes.
// "The items it needs" are computed afterwards from a Scan of the table (not
// timed, not metered), by the rules in neededItems below — the report's
// periods, not what the repository returned.
//
//   node --import tsx bench/reads.bench.ts revperf 10000   (closed deals a year)
import { cp, mkdtemp, rm, stat } from 'node:fs/promises';
import { existsSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTableAndWait, createTableInput } from '../shared/adapters/dynamo-table.js';
import { RevperfTable } from '../shared/adapters/revperf-table.js';
import { parseConfig } from '../shared/config/schema.js';
import { FiscalCalendar } from '../shared/domain/fiscal-calendar.js';
import { trailingFourQuarters } from '../shared/domain/forecast-figures.js';
import { addDays } from '../shared/domain/local-date.js';
import type { FiscalPeriod, LocalDate } from '../shared/domain/types.js';
import { ingestUpload } from '../shared/ingest/ingest-upload.js';
import { prepareReports } from '../shared/reports/report-run.js';
import type { ReportDependencies } from '../shared/reports/metrics-run.js';
import { runBenchChild, type WorkResult } from './lib/bench-child.js';
import { localFileObjects, startBenchDynalite } from './lib/bench-dynamo.js';
import { ensureHistoryOrg, EXTRA_YEARS } from './lib/history-org.js';
import { itemSize, meterReads, type ReadTally } from './lib/read-meter.js';
import { BENCH_CURRENCY_RATES } from './lib/salesforce-deals-csv.js';
import { SCALE_AS_OF, SCALE_MAIL_DOMAIN } from './lib/scale-org.js';

const DATA_DIR = join(import.meta.dirname, 'data');
const TABLE = 'revperf';
const BUCKET = 'revperf-bench';
export const READS_YEARS = [1, 1 + EXTRA_YEARS] as const;
const AS_OF: LocalDate = SCALE_AS_OF;

const config = parseConfig({
  org: { name: 'Bench Reads Org', timeZone: 'America/New_York' },
  fiscal: { yearStartMonth: 2, naming: 'end' },
  currency: { reporting: 'USD', rates: BENCH_CURRENCY_RATES },
  mail: { from: `revperf@${SCALE_MAIL_DOMAIN}`, allowedDomains: [SCALE_MAIL_DOMAIN] },
  ingest: { mode: 'full', dateOrder: 'mdy', maxRows: 2_000_000 },
});
const calendar = new FiscalCalendar({ ...config.fiscal, timeZone: config.org.timeZone });

function tablePath(dealsPerYear: number, years: number): string {
  return join(DATA_DIR, `reads-table-${dealsPerYear}-${years}y`);
}

function reportDeps(table: RevperfTable): ReportDependencies {
  // Reports and exports go nowhere: the benchmark is about the table.
  return { config, calendar, table, objects: { async put() {} }, bucketName: BUCKET, clock: () => new Date(`${AS_OF}T12:00:00Z`) };
}

/** Ingests the org folder (people, quotas, deals) into a new table at `path`, then runs last week's report (its snapshots). */
async function loadTable(orgDir: string, path: string): Promise<void> {
  const partial = `${path}.partial`;
  await rm(partial, { recursive: true, force: true });
  const scratchDir = await mkdtemp(join(tmpdir(), 'revperf-reads-'));
  const dynamo = await startBenchDynalite(partial);
  try {
    await createTableAndWait(dynamo.clients.dynamodb, createTableInput(TABLE));
    const table = new RevperfTable(dynamo.clients.documents, TABLE);
    // Uploads read from the org folder instead of S3.
    const objects = localFileObjects((key) => join(orgDir, key.replace(/^uploads\//, '')));
    let sequence = 0;
    for (const key of ['uploads/people/people.csv', 'uploads/quotas/quotas.csv', 'uploads/deals/salesforce-opportunities.csv']) {
      sequence += 1;
      const size = (await stat(join(orgDir, key.replace(/^uploads\//, '')))).size;
      const report = await ingestUpload(
        { bucket: BUCKET, key, size, eTag: null, versionId: 'v1', sequencer: String(sequence).padStart(4, '0'), eventTime: `${AS_OF}T00:00:00Z` },
        { store: table, objects, config, calendar, clock: () => new Date(`${addDays(AS_OF, -8)}T12:00:00Z`), scratchDir },
      );
      if (report.status !== 'loaded' || report.counts.rejected > 0) throw new Error(`${key}: ${report.status} ${report.refusal ?? ''} (${report.counts.rejected} rejected)`);
    }
    await prepareReports(reportDeps(table), addDays(AS_OF, -7), { kinds: [] });
  } finally {
    await dynamo.stop();
    await rm(scratchDir, { recursive: true, force: true });
  }
  renameSync(partial, path);
}

async function scanAll(documents: DynamoDBDocumentClient): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(new ScanCommand({ TableName: TABLE, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

// ---------------------------------------------------------------- the items it needs

function within(date: unknown, window: { start: LocalDate; end: LocalDate }): boolean {
  return typeof date === 'string' && date >= window.start && date <= window.end;
}

function monthsOf(period: FiscalPeriod): string[] {
  return calendar.children(period, 'month').map((month) => month.id);
}

/**
 * What a quarter's report (prepareReports as of AS_OF: quarter and week) needs, each item once:
 * - deals: every open one (the pipeline, coverage, today's snapshot); the won and lost ones closing from the
 *   earliest comparison window of either period (last year's quarter, the trailing four quarters) to the
 *   quarter's end; those created in the quarter;
 * - everyone in the people file, the key accounts, the finished uploads (the report's sources);
 * - the quotas of the quarter, the next quarter, the four before (the trend) and the week, with their months;
 * - the metric snapshot each period compares with (the latest a week or more before, else the latest) and the
 *   open-pipeline snapshot the movement starts from (the latest before the day), with its index entry.
 * Not needed: fx rates (no report reads them), older deals and quotas, what this run wrote.
 */
function neededItems(items: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  const quarter = calendar.period('quarter', AS_OF);
  const week = calendar.period('week', AS_OF);
  const starts = [quarter, week].flatMap((period) => [trailingFourQuarters(calendar, period, AS_OF).start, calendar.comparisonWindow(period, AS_OF, 'lastYear').start]);
  const closing = { start: starts.sort()[0]!, end: quarter.end };
  const quotaIds = new Set([week.id]);
  let trend = calendar.next(quarter);
  for (let back = 0; back < 6; back += 1, trend = calendar.previous(trend)) [trend.id, ...monthsOf(trend)].forEach((id) => quotaIds.add(id));

  const latest = (dates: readonly string[], before: LocalDate) => dates.filter((date) => date < before).sort().at(-1);
  const metricSnapshotOf = new Map<string, string | undefined>();
  for (const period of [quarter, week]) {
    const dates = items.filter((item) => item.entity === 'metric-snapshot' && item.periodId === period.id).map((item) => item.asOf as string);
    metricSnapshotOf.set(period.id, latest(dates, addDays(AS_OF, -6)) ?? latest(dates, AS_OF));
  }
  const pipelineAsOf = latest(items.filter((item) => item.entity === 'pipeline-snapshot-index').map((item) => item.asOf as string), AS_OF);

  return items.filter((item) => {
    switch (item.entity) {
      case 'deal':
        if (item.removed === true) return false;
        return item.stageClass === 'open' || within(item.closeDate, closing) || within(item.createdDate, quarter);
      case 'person':
      case 'account':
        return true;
      case 'ingest-ledger':
        return item.status === 'done';
      case 'quota':
        return quotaIds.has(item.periodId as string);
      case 'metric-snapshot':
        return metricSnapshotOf.get(item.periodId as string) === item.asOf;
      case 'pipeline-snapshot':
        return pipelineAsOf !== undefined && (item.pk as string).startsWith(`PIPESNAP#${pipelineAsOf}#`);
      case 'pipeline-snapshot-index':
        return item.asOf === pipelineAsOf;
      default:
        return false;
    }
  });
}

// ---------------------------------------------------------------- a measurement

interface TableFigures {
  seconds: number;
  cpuSeconds: number;
  reads: ReadTally;
  neededItems: number;
  neededBytes: number;
  tableItems: number;
  tableBytes: number;
}

async function measureTable(dealsPerYear: number, years: number, side: 'revperf' | 'baseline'): Promise<TableFigures> {
  const copy = await mkdtemp(join(tmpdir(), 'revperf-reads-table-'));
  await cp(tablePath(dealsPerYear, years), copy, { recursive: true });
  const dynamo = await startBenchDynalite(copy);
  try {
    const meter = meterReads(dynamo.clients.dynamodb);
    const table = new RevperfTable(dynamo.clients.documents, TABLE);
    const started = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    const scanned = side === 'revperf' ? (await prepareReports(reportDeps(table), AS_OF), null) : await scanAll(dynamo.clients.documents);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const used = process.cpuUsage(cpu);
    const reads = meter.take();
    // After the run, neither timed nor metered: the whole table (the baseline has just read it), and what of it the report needs.
    const everything = scanned ?? (await scanAll(dynamo.clients.documents));
    meter.take();
    const needed = neededItems(everything);
    const sum = (list: readonly Record<string, unknown>[]) => list.reduce((total, item) => total + itemSize(item), 0);
    return { seconds, cpuSeconds: (used.user + used.system) / 1e6, reads, neededItems: needed.length, neededBytes: sum(needed), tableItems: everything.length, tableBytes: sum(everything) };
  } finally {
    await dynamo.stop();
    await rm(copy, { recursive: true, force: true });
  }
}

async function measure(dealsPerYear: number, side: 'revperf' | 'baseline'): Promise<WorkResult> {
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const extra: Record<string, number> = {};
  let seconds = 0;
  let cpuSeconds = 0;
  let rows = 0;
  let checksum = 0;
  for (const years of READS_YEARS) {
    const figures = await measureTable(dealsPerYear, years, side);
    seconds += figures.seconds;
    cpuSeconds += figures.cpuSeconds;
    const { reads } = figures;
    const at = `${years}y`;
    Object.assign(extra, {
      [`readBytes${at}`]: reads.bytes,
      [`readUnits${at}`]: reads.readUnits,
      [`readRequests${at}`]: reads.requests,
      [`readItems${at}`]: reads.items,
      [`consistentRequests${at}`]: reads.consistentRequests,
      [`unmeteredRequests${at}`]: reads.unmetered,
      [`neededBytes${at}`]: figures.neededBytes,
      [`neededItems${at}`]: figures.neededItems,
      [`tableItems${at}`]: figures.tableItems,
      [`tableBytes${at}`]: figures.tableBytes,
    });
    rows += reads.items;
    checksum += reads.bytes;
    process.stderr.write(`${side} ${dealsPerYear}/year, ${at}: ${JSON.stringify({ ...figures, reads: { ...reads, byTarget: undefined } })}\n`);
    process.stderr.write(`  by target: ${JSON.stringify(reads.byTarget)}\n`);
  }
  const total = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  return { rows, checksum, extra, untimed: { seconds: total - seconds, cpuSeconds: (used.user + used.system) / 1e6 - cpuSeconds } };
}

await runBenchChild({
  prepare: async (dealsPerYear) => {
    for (const years of READS_YEARS) {
      const path = tablePath(dealsPerYear, years);
      if (existsSync(path)) continue;
      await loadTable(ensureHistoryOrg(DATA_DIR, dealsPerYear, years, calendar, AS_OF), path);
    }
  },
  implementations: { baseline: (size) => measure(size, 'baseline'), revperf: (size) => measure(size, 'revperf') },
});
