// Ingest benchmark: a Salesforce opportunity report streamed from disk through
// revperf's ingest path (openCsv → UploadNormaliser → the DynamoDB item of each
// accepted deal, no network) against papaparse streaming the same file.
//
//   node --import tsx bench/ingest.bench.ts revperf 1000000
//   node --import tsx bench/ingest.bench.ts normaliser 100000   (diagnostic: the normaliser alone)
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { snapshotScopeOf } from '../shared/adapters/bucket-layout.js';
import { dealItem } from '../shared/adapters/table-items.js';
import { parseConfig, type RevperfConfig } from '../shared/config/schema.js';
import { FiscalCalendar } from '../shared/domain/fiscal-calendar.js';
import type { FxRate, SourcePreset } from '../shared/domain/types.js';
import { openCsv } from '../shared/ingest/csv-reader.js';
import { storedDeal } from '../shared/ingest/entity-sink.js';
import { readerLimits } from '../shared/ingest/file-format.js';
import { UploadNormaliser } from '../shared/ingest/normaliser.js';
import type { RawRow } from '../shared/ingest/types.js';
import { runBenchChild, type WorkResult } from './lib/bench-child.js';
import { BENCH_CURRENCY_RATES, ensureSalesforceDealsCsv } from './lib/salesforce-deals-csv.js';

const DATA_DIR = join(import.meta.dirname, 'data');
const UPLOAD_KEY = 'uploads/deals/salesforce-opportunities.csv';
const RUN_ID = `bench/${UPLOAD_KEY}/v1`;

function dealsCsvPath(size: number): string {
  return join(DATA_DIR, `salesforce-deals-${size}.csv`);
}

const config: RevperfConfig = parseConfig({
  org: { name: 'Bench Org', timeZone: 'America/New_York' },
  fiscal: { yearStartMonth: 2, naming: 'end' },
  currency: { reporting: 'USD', rates: BENCH_CURRENCY_RATES },
  mail: { from: 'revperf@bench.example', allowedDomains: ['bench.example'] },
  // Up to 1M rows per file (the default limit, sized for the deployed ingest's timeout, is lower).
  ingest: { maxRows: 2_000_000 },
});

const limits = readerLimits(config.ingest);

function newNormaliser(): UploadNormaliser {
  const calendar = new FiscalCalendar({ ...config.fiscal, timeZone: config.org.timeZone });
  const fxRates: FxRate[] = Object.entries(config.currency.rates).map(([currency, rate]) => ({ currency, rate, validFrom: null }));
  return new UploadNormaliser({ kind: 'deals', uploadKey: UPLOAD_KEY, config, calendar, fxRates, today: '2026-11-16' });
}

/**
 * Batches of rows through the normaliser into DynamoDB items, each stored deal
 * built as the ingest use case builds it; the checksum is Σ reporting-currency
 * amounts read back from the items.
 */
async function normaliseToItems(batches: AsyncIterable<RawRow[]>): Promise<WorkResult> {
  const normaliser = newNormaliser();
  const provenance = { source: 'generic' as SourcePreset, scope: snapshotScopeOf(UPLOAD_KEY, 'generic'), uploadKey: UPLOAD_KEY, lastSeenIn: RUN_ID };
  let items = 0;
  let checksum = 0;
  for await (const batch of batches) {
    for (const row of batch) {
      const outcome = normaliser.push(row);
      if (outcome.type === 'header') {
        provenance.source = outcome.preset;
        provenance.scope = snapshotScopeOf(UPLOAD_KEY, outcome.preset);
      }
      if (outcome.type === 'rejected') throw new Error(`line ${row.line} rejected: ${outcome.rejections.map((r) => r.reason).join('; ')}`);
      if (outcome.type !== 'accepted' || outcome.entity.kind !== 'deals') continue;
      const item = dealItem(storedDeal(outcome.entity.value, provenance));
      items += 1;
      checksum += item.amount as number;
    }
  }
  normaliser.finish();
  return { rows: items, checksum };
}

async function revperf(size: number): Promise<WorkResult> {
  const { batches } = await openCsv(createReadStream(dealsCsvPath(size)), limits);
  return normaliseToItems(batches);
}

/** papaparse's streaming parser over the same bytes: arrays, no header handling; the checksum is Σ fields per row. */
function baseline(size: number): Promise<WorkResult> {
  return new Promise((resolve, reject) => {
    let rows = 0;
    let checksum = 0;
    Papa.parse<string[]>(createReadStream(dealsCsvPath(size), 'utf8'), {
      chunk: (results) => {
        rows += results.data.length;
        for (const row of results.data) checksum += row.length;
      },
      complete: () => resolve({ rows, checksum }),
      error: reject,
    });
  });
}

/**
 * The normaliser alone: the file is read into memory first (untimed), then only
 * UploadNormaliser.push runs, timed on its own and reported on stderr. Not a
 * goal of its own; it says how much of the end-to-end time is the normaliser's.
 */
async function normaliserAlone(size: number): Promise<WorkResult> {
  const { batches } = await openCsv(createReadStream(dealsCsvPath(size)), limits);
  const buffered: RawRow[] = [];
  for await (const batch of batches) for (const row of batch) buffered.push(row);
  const normaliser = newNormaliser();
  let deals = 0;
  let checksum = 0;
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  for (const row of buffered) {
    const outcome = normaliser.push(row);
    if (outcome.type === 'accepted' && outcome.entity.kind === 'deals') {
      deals += 1;
      checksum += outcome.entity.value.amount;
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  process.stderr.write(
    `normaliser alone: ${deals} deals in ${seconds.toFixed(3)} s (${Math.round(deals / seconds)} rows/s), ` +
      `${cpuSeconds.toFixed(3)} s CPU (${Math.round(deals / cpuSeconds)} rows per CPU-second)\n`,
  );
  return { rows: deals, checksum };
}

await runBenchChild({
  prepare: (size) => ensureSalesforceDealsCsv(dealsCsvPath(size), size),
  implementations: { baseline, revperf, normaliser: normaliserAlone },
});
