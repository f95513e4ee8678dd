// `revperf init`'s first look at a file: where its header is, which revperf
// field each column holds (a CRM preset, revperf's generic names, or a guess
// from header words in English and Spanish), and the values that decide the
// rest of the config — dates, amounts, currencies, stages, e-mail domains.
import type { UploadKind } from '../adapters/bucket-layout.js';
import { configSchema } from '../config/schema.js';
import { guessFields, looksSpanish, type FieldGuess, type IgnoredHeader } from '../domain/header-synonyms.js';
import type { SourcePreset } from '../domain/types.js';
import { readerLimits } from '../ingest/file-format.js';
import { HEADER_SEARCH_ROWS } from '../ingest/normaliser.js';
import { readHeader, REQUIRED_COLUMNS } from '../ingest/presets.js';
import { openLocalSpreadsheet } from '../ingest/spreadsheet-source.js';
import { stageKey } from '../ingest/stages.js';
import { UnreadableFileError, type RawCell } from '../ingest/types.js';
import { cellText, isBlankCell, isCurrencyCode, parseProbability } from '../ingest/values.js';
import type { DataFile } from './read-data-file.js';
import { DateOrderTally, DecimalMarkTally } from './value-evidence.js';

export interface ColumnValues {
  /** Distinct texts (by stageKey) → as first written, how many rows, the probabilities beside it. */
  values: Map<string, { text: string; rows: number; probabilities: Set<number> }>;
}

export interface FileProbe {
  file: DataFile;
  unreadable: string | null;
  /** How the columns are read: a CRM preset, revperf's generic names, a guessed mapping, or not at all. */
  reading: 'preset' | 'generic' | 'mapping' | 'none';
  preset: SourcePreset | null;
  headerLine: number | null;
  headers: string[];
  /** revperf field → header. */
  columns: Record<string, string>;
  /** For a guessed mapping: how each field was matched. */
  guesses: FieldGuess[];
  ignored: IgnoredHeader[];
  unused: string[];
  /** Required fields no header gives (reading 'none'). */
  missing: string[];
  spanish: boolean;
  rows: number;
  dates: DateOrderTally;
  amounts: DecimalMarkTally;
  /** Currency column values → rows. */
  currencies: Map<string, number>;
  /** The stage column's values (deals), and the status column's. */
  stages: ColumnValues;
  statuses: ColumnValues;
  /** E-mail domains of the people file → people. */
  emailDomains: Map<string, number>;
  notes: string[];
}

const CRM_PRESETS = new Set<SourcePreset>(['salesforce', 'hubspot', 'pipedrive']);
const STATUS_KEYS = new Set(['open', 'won', 'lost']);
const DATE_FIELDS = ['closeDate', 'createdDate', 'wonTime', 'lostTime', 'lastActivityDate', 'stageChangeDate', 'effectiveFrom', 'validFrom'];
const DEFAULTS = configSchema.shape.ingest.parse({});

function satisfiesRequired(kind: UploadKind, fields: Record<string, unknown>): string[] {
  return REQUIRED_COLUMNS[kind].filter((anyOf) => !anyOf.some((field) => field in fields)).map((anyOf) => anyOf.join(' or '));
}

export async function probeFile(file: DataFile, reportingCurrency: string): Promise<FileProbe> {
  const probe: FileProbe = {
    file,
    unreadable: null,
    reading: 'none',
    preset: null,
    headerLine: null,
    headers: [],
    columns: {},
    guesses: [],
    ignored: [],
    unused: [],
    missing: [],
    spanish: false,
    rows: 0,
    dates: new DateOrderTally(),
    amounts: new DecimalMarkTally(reportingCurrency),
    currencies: new Map(),
    stages: { values: new Map() },
    statuses: { values: new Map() },
    emailDomains: new Map(),
    notes: [],
  };
  let indexes: Record<string, number> | null = null;
  let searched = 0;
  let bestMissing: string[] | null = null;
  try {
    const opened = await openLocalSpreadsheet(file.path, readerLimits(DEFAULTS));
    for await (const batch of opened.batches) {
      for (const row of batch) {
        if (row.cells.every(isBlankCell)) continue;
        if (indexes === null) {
          if (searched >= HEADER_SEARCH_ROWS) break;
          searched += 1;
          indexes = readHeaderRow(probe, row.cells.map(cellText), row.line);
          if (indexes === null) {
            const missing = satisfiesRequired(file.kind, guessFields(file.kind, row.cells.map(cellText)).fields);
            if (bestMissing === null || missing.length < bestMissing.length) bestMissing = missing;
          }
          continue;
        }
        probe.rows += 1;
        observeRow(probe, indexes, row.cells, row.line);
      }
      if (indexes === null && searched >= HEADER_SEARCH_ROWS) break;
    }
  } catch (error) {
    if (!(error instanceof UnreadableFileError)) throw error;
    probe.unreadable = error.reason;
    return probe;
  }
  if (indexes === null) {
    probe.missing = bestMissing ?? REQUIRED_COLUMNS[file.kind].map((anyOf) => anyOf.join(' or '));
    return probe;
  }
  if (file.kind === 'deals') settleStageAndStatus(probe);
  return probe;
}

/** Reads a row as the header: a CRM preset first, then header words; null when it is not one. */
function readHeaderRow(probe: FileProbe, cells: string[], line: number): Record<string, number> | null {
  const kind = probe.file.kind;
  const byIngest = readHeader(kind, cells, []);
  const guess = guessFields(kind, cells);
  if (kind === 'deals' && !('stage' in guess.fields) && guess.fields.status) {
    // Only a status column: its values are stages to classify (an `open/won/lost` status is kept at settle time).
    guess.fields.stage = { ...guess.fields.status, field: 'stage' };
    delete guess.fields.status;
  }
  const guessed = satisfiesRequired(kind, guess.fields).length === 0;
  const preset = byIngest.type === 'match' && CRM_PRESETS.has(byIngest.match.preset);
  if (!preset && !guessed && byIngest.type !== 'match') return null;

  probe.headerLine = line;
  probe.headers = cells.filter((cell) => cell !== '');
  probe.spanish = looksSpanish(probe.headers);
  if (byIngest.type === 'match' && (preset || !guessed || sameColumns(byIngest.match.columns, guess.fields))) {
    probe.reading = preset ? 'preset' : 'generic';
    probe.preset = byIngest.match.preset;
    probe.columns = byIngest.match.columns;
    const used = new Set(Object.values(byIngest.match.indexes));
    probe.unused = cells.filter((cell, index) => cell !== '' && !used.has(index));
    return { ...byIngest.match.indexes };
  }
  probe.reading = 'mapping';
  probe.preset = 'custom';
  probe.guesses = Object.values(guess.fields);
  probe.columns = Object.fromEntries(probe.guesses.map((g) => [g.field, g.header]));
  probe.ignored = guess.ignored;
  probe.unused = guess.unused;
  return Object.fromEntries(probe.guesses.map((g) => [g.field, g.index]));
}

function sameColumns(columns: Record<string, string>, guesses: Record<string, FieldGuess>): boolean {
  const fields = Object.keys(guesses);
  return fields.length === Object.keys(columns).length && fields.every((field) => columns[field] === guesses[field]?.header);
}

function observeRow(probe: FileProbe, indexes: Record<string, number>, cells: readonly RawCell[], line: number): void {
  const cell = (field: string): RawCell => (indexes[field] === undefined ? null : (cells[indexes[field]] ?? null));
  for (const field of DATE_FIELDS) probe.dates.add(cell(field), line);
  probe.amounts.add(cell('amount'), line);
  const currency = cellText(cell('currency')).toUpperCase();
  if (isCurrencyCode(currency)) probe.currencies.set(currency, (probe.currencies.get(currency) ?? 0) + 1);
  const email = cellText(cell('email')).toLowerCase();
  const domain = email.includes('@') ? email.slice(email.lastIndexOf('@') + 1) : '';
  if (domain !== '') probe.emailDomains.set(domain, (probe.emailDomains.get(domain) ?? 0) + 1);
  if (probe.file.kind !== 'deals') return;
  const probabilityCell = cell('probability');
  const probability = isBlankCell(probabilityCell) ? null : parseProbability(probabilityCell);
  const known = probability?.ok ? probability.value : null;
  tally(probe.stages, cellText(cell('stage')), known);
  tally(probe.statuses, cellText(cell('status')), known);
}

function tally(column: ColumnValues, text: string, probability: number | null): void {
  if (text === '') return;
  const key = stageKey(text);
  let entry = column.values.get(key);
  if (entry === undefined) {
    entry = { text, rows: 0, probabilities: new Set() };
    column.values.set(key, entry);
  }
  entry.rows += 1;
  if (probability !== null) entry.probabilities.add(probability);
}

/**
 * Ingest reads a status column as open/won/lost only, and rejects anything
 * else. A guessed status column whose values are other words (`Cerrada
 * ganada`) is the stage itself when there is no stage column, and left out
 * of the mapping when there is.
 */
function settleStageAndStatus(probe: FileProbe): void {
  const plain = (column: ColumnValues) => [...column.values.keys()].every((key) => STATUS_KEYS.has(key));
  if (probe.reading === 'mapping') {
    const stage = probe.guesses.find((guess) => guess.field === 'stage');
    if (stage && plain(probe.stages) && probe.statuses.values.size === 0 && probe.stages.values.size > 0 && /status|estado/.test(stage.synonym)) {
      // A lone status column with open/won/lost is read as the status, as ingest would.
      stage.field = 'status';
      probe.statuses = probe.stages;
      probe.stages = { values: new Map() };
    }
  }
  const statusHeader = probe.columns.status ?? probe.guesses.find((guess) => guess.field === 'status')?.header;
  if (statusHeader === undefined || plain(probe.statuses)) {
    probe.columns = probe.reading === 'mapping' ? Object.fromEntries(probe.guesses.map((g) => [g.field, g.header])) : probe.columns;
    return;
  }
  probe.statuses = { values: new Map() };
  if (probe.reading === 'mapping') {
    probe.guesses = probe.guesses.filter((guess) => guess.field !== 'status');
    probe.columns = Object.fromEntries(probe.guesses.map((g) => [g.field, g.header]));
    probe.unused = [...probe.unused, statusHeader];
    probe.notes.push(`'${statusHeader}' is left unmapped: ingest reads a status as open, won or lost only, and it holds other words`);
  }
  // revperf's own names (a column called Status) still take it for the status, mapping or not: its rows would be rejected.
  const byIngest = readHeader('deals', probe.headers, []);
  const ingestColumns = byIngest.type === 'match' ? byIngest.match.columns : byIngest.type === 'near-miss' ? byIngest.nearMiss.columns : {};
  if (ingestColumns.status === statusHeader) {
    probe.notes.push(`⚠ ingest reads the column '${statusHeader}' as the status (open, won or lost) and would reject its rows: rename it in the export`);
  }
}
