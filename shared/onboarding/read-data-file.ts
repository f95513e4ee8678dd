// One local file read exactly as ingest would read it as an upload — the same
// reader, header detection, presets, mappings and normaliser — with nothing
// written, and what `revperf inspect` shows about it collected on the way.
import type { UploadKind } from '../adapters/bucket-layout.js';
import type { RevperfConfig } from '../config/schema.js';
import type { FiscalCalendar } from '../domain/fiscal-calendar.js';
import type { FxRate, LocalDate, SourcePreset } from '../domain/types.js';
import { readerLimits } from '../ingest/file-format.js';
import { UploadNormaliser, HEADER_SEARCH_ROWS } from '../ingest/normaliser.js';
import { readHeader, REQUIRED_COLUMNS, type HeaderMatch } from '../ingest/presets.js';
import { openLocalSpreadsheet } from '../ingest/spreadsheet-source.js';
import { explainStage, stageKey, type StageSource } from '../ingest/stages.js';
import { UnreadableFileError, type AcceptedEntity, type FileDescription, type RawRow, type RejectedRow } from '../ingest/types.js';
import { cellText, isBlankCell, parseProbability } from '../ingest/values.js';
import { DateOrderTally, DecimalMarkTally, decimalMarkUsed, type DateOrderEvidence, type DecimalMarkEvidence } from './value-evidence.js';

/** A file of the data folder: `DIR/<kind>/<name>`. */
export interface DataFile {
  kind: UploadKind;
  path: string;
  /** Path under the kind folder, e.g. `emea/opportunities.csv`. */
  name: string;
}

export interface StageTally {
  stage: string;
  pipeline: string | null;
  deals: number;
  stageClass: 'open' | 'won' | 'lost';
  source: StageSource;
  /** Probabilities the deals of this stage get (distinct, sorted). */
  probabilities: number[];
}

export interface FileReading {
  file: DataFile;
  /** Why the file cannot be read at all (empty, not a spreadsheet, over a limit), or null. */
  unreadable: string | null;
  description: FileDescription | null;
  header: {
    line: number;
    headers: string[];
    preset: SourcePreset;
    mappingName: string | null;
    /** revperf field → header. */
    columns: Record<string, string>;
    unused: string[];
  } | null;
  /** When no header row fits: the required fields the best row lacks, and why. */
  missing: { fields: string[]; reason: string } | null;
  counts: { read: number; accepted: number; rejected: number; skipped: number };
  rejected: RejectedRow[];
  /** The first accepted rows, as ingest would store them. */
  samples: AcceptedEntity[];
  /** Every accepted person, quota, rate or key account (for the joins); deals are counted by owner instead. */
  entities: AcceptedEntity[];
  /** Deals: accepted deals per owner text, as written. */
  ownerCounts: [owner: string, deals: number][];
  stages: StageTally[];
  dates: DateOrderEvidence;
  amounts: DecimalMarkEvidence;
  decimalMark: '.' | ',' | null;
  /** The normaliser's own notes (unknown stages, forecast categories, undated deals …). */
  findings: string[];
}

export interface ReadContext {
  config: RevperfConfig;
  calendar: FiscalCalendar;
  fxRates: readonly FxRate[];
  today: LocalDate;
}

const DATE_FIELDS = ['closeDate', 'createdDate', 'wonTime', 'lostTime', 'lastActivityDate', 'stageChangeDate', 'effectiveFrom', 'validFrom'];
const SAMPLE_ROWS = 3;
const LISTED_REJECTIONS = 10;
/** People, quotas, rates and key accounts kept for the joins; a bigger file is still read to the end and counted. */
const KEPT_ENTITIES = 200_000;

export async function readDataFile(file: DataFile, ctx: ReadContext): Promise<FileReading> {
  const { config } = ctx;
  const reading: FileReading = {
    file,
    unreadable: null,
    description: null,
    header: null,
    missing: null,
    counts: { read: 0, accepted: 0, rejected: 0, skipped: 0 },
    rejected: [],
    samples: [],
    entities: [],
    ownerCounts: [],
    stages: [],
    dates: new DateOrderTally().result(),
    amounts: new DecimalMarkTally(config.currency.reporting).result(),
    decimalMark: null,
    findings: [],
  };
  const normaliser = new UploadNormaliser({
    kind: file.kind,
    uploadKey: `uploads/${file.kind}/${file.name}`,
    config,
    calendar: ctx.calendar,
    fxRates: ctx.fxRates,
    today: ctx.today,
  });
  const dates = new DateOrderTally();
  const amounts = new DecimalMarkTally(config.currency.reporting);
  const stages = new Map<string, StageTally & { probabilitySet: Set<number> }>();
  const pendingRows: string[][] = [];
  const owners = new Map<string, number>();
  let match: HeaderMatch | null = null;

  try {
    const opened = await openLocalSpreadsheet(file.path, readerLimits(config.ingest), config.ingest.sheet);
    reading.description = opened.description;
    for await (const batch of opened.batches) {
      for (const row of batch) {
        const outcome = normaliser.push(row);
        switch (outcome.type) {
          case 'pending':
            if (pendingRows.length < HEADER_SEARCH_ROWS && !row.cells.every(isBlankCell)) pendingRows.push(row.cells.map(cellText));
            break;
          case 'header': {
            const headers = row.cells.map(cellText);
            const reread = readHeader(file.kind, headers, config.mappings);
            match = reread.type === 'match' ? reread.match : null;
            const used = new Set(Object.values(match?.indexes ?? {}));
            reading.header = {
              line: row.line,
              headers: headers.filter((header) => header !== ''),
              preset: outcome.preset,
              mappingName: match?.mappingName ?? null,
              columns: outcome.columns,
              unused: headers.filter((header, index) => header !== '' && !used.has(index)),
            };
            break;
          }
          case 'accepted':
            reading.counts.read += 1;
            reading.counts.accepted += 1;
            if (reading.samples.length < SAMPLE_ROWS) reading.samples.push(outcome.entity);
            if (outcome.entity.kind === 'deals') {
              const owner = outcome.entity.value.owner;
              const seen = owners.get(owner);
              // A copy as the key: a CSV cell is a slice of its 64 KB text block.
              if (seen === undefined) owners.set(Buffer.from(owner, 'utf8').toString('utf8'), 1);
              else owners.set(owner, seen + 1);
            } else if (reading.entities.length < KEPT_ENTITIES) reading.entities.push(outcome.entity);
            observe(row, match, dates, amounts, file.kind === 'deals' ? stages : null, config);
            break;
          case 'rejected':
            reading.counts.read += 1;
            reading.counts.rejected += 1;
            for (const rejection of outcome.rejections) if (reading.rejected.length < LISTED_REJECTIONS) reading.rejected.push(rejection);
            observe(row, match, dates, amounts, file.kind === 'deals' ? stages : null, config);
            break;
          case 'skipped':
            reading.counts.skipped += 1;
            break;
        }
      }
    }
    normaliser.finish();
  } catch (error) {
    if (!(error instanceof UnreadableFileError)) throw error;
    if (error.code === 'missing-columns' || error.code === 'no-header') {
      reading.missing = { fields: missingFields(file.kind, pendingRows, config), reason: error.reason };
    } else {
      reading.unreadable = error.reason;
    }
  }
  reading.findings = normaliser.findings();
  reading.ownerCounts = [...owners];
  reading.dates = dates.result();
  reading.amounts = amounts.result();
  reading.decimalMark = decimalMarkUsed(reading.amounts);
  reading.stages = [...stages.values()]
    .map(({ probabilitySet, ...tally }) => ({ ...tally, probabilities: [...probabilitySet].sort((a, b) => a - b) }))
    .sort((a, b) => b.deals - a.deals || a.stage.localeCompare(b.stage));
  return reading;
}

/** One data row's dates, amount and stage, read from the columns the header resolved. */
function observe(
  row: RawRow,
  match: HeaderMatch | null,
  dates: DateOrderTally,
  amounts: DecimalMarkTally,
  stages: Map<string, StageTally & { probabilitySet: Set<number> }> | null,
  config: RevperfConfig,
): void {
  if (match === null) return;
  const cell = (field: string) => (match.indexes[field] === undefined ? null : (row.cells[match.indexes[field]] ?? null));
  for (const field of DATE_FIELDS) dates.add(cell(field), row.line);
  amounts.add(cell('amount'), row.line);
  if (stages === null) return;
  const stageText = cellText(cell('stage'));
  const status = isBlankCell(cell('status')) ? null : cellText(cell('status'));
  const pipeline = isBlankCell(cell('pipeline')) ? null : cellText(cell('pipeline'));
  const probabilityCell = cell('probability');
  const probability = isBlankCell(probabilityCell) ? null : parseProbability(probabilityCell);
  const { resolution, source } = explainStage(
    { stage: stageText, pipeline, status, fileProbability: probability?.ok ? probability.value : null },
    { rules: config.stages, defaultOpenProbability: config.ingest.defaultOpenProbability },
  );
  if (!resolution.ok) return; // a bad status: the row's rejection says so
  const shown = stageText || (status ?? '');
  const key = `${pipeline === null ? '' : stageKey(pipeline)}\u0000${stageKey(shown)}\u0000${resolution.stageClass}\u0000${source}`;
  let tally = stages.get(key);
  if (tally === undefined) {
    tally = { stage: shown, pipeline, deals: 0, stageClass: resolution.stageClass, source, probabilities: [], probabilitySet: new Set() };
    stages.set(key, tally);
  }
  tally.deals += 1;
  tally.probabilitySet.add(resolution.probability);
}

/** The required fields the most header-like of the first rows lacks (all of them when no row is header-like). */
function missingFields(kind: UploadKind, rows: readonly string[][], config: RevperfConfig): string[] {
  for (const cells of rows) {
    const reading = readHeader(kind, cells, config.mappings);
    if (reading.type === 'near-miss') return reading.nearMiss.missing;
  }
  return REQUIRED_COLUMNS[kind].map((anyOf) => anyOf.join(' or '));
}
