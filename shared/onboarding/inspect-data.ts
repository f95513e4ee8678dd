// `revperf inspect`: every file of a data folder read the way ingest would,
// joined the way the metrics join them (owners and quota rows to the people
// file), nothing written; and a verdict — can it be ingested as is (0), does
// something need a decision (1), or can it not be read (2).
import type { RevperfConfig } from '../config/schema.js';
import { calendarFromConfig } from '../config/calendar.js';
import { OrgChart } from '../domain/org-chart.js';
import { resolveQuotaEntity } from '../domain/quota-book.js';
import type { FxRate, Person, Quota } from '../domain/types.js';
import { orgChartFindings } from '../ingest/ingest-findings.js';
import { dateOrderVerdict, type DateOrderVerdict } from './value-evidence.js';
import { readDataFile, type DataFile, type FileReading } from './read-data-file.js';

export type { DataFile } from './read-data-file.js';

export interface OwnerTally {
  owner: string;
  deals: number;
  /** The person it matches (name and e-mail), or why none. */
  match: { kind: 'person'; name: string; email: string | null } | { kind: 'ambiguous'; people: string[] } | { kind: 'none' };
}

export interface QuotaPeriodTally {
  periodId: string;
  rows: number;
  /** Entities the rows resolve to, as `level: id`. */
  resolved: string[];
  /** Rows that resolve to no one, with why. */
  unresolved: { written: string; reason: string }[];
}

export interface FileInspection extends FileReading {
  /** How the config reads this file's order-dependent dates, and what the data says. */
  dateOrder: { used: 'mdy' | 'dmy'; verdict: DateOrderVerdict };
  owners: OwnerTally[];
  quotaPeriods: QuotaPeriodTally[];
  /** People files: roles as the file gives them and as inferred, and the org chart's notes. */
  roles: { explicit: Record<string, number>; inferred: Record<string, string[]>; notes: string[] } | null;
  /** What needs a decision before this file can be ingested as is. */
  decisions: string[];
  /** Worth knowing, no decision needed. */
  notes: string[];
}

export interface Inspection {
  configSource: string | null;
  files: FileInspection[];
  /** Folder-wide decisions (no config, no people file …). */
  decisions: string[];
  exitCode: 0 | 1 | 2;
}

export interface InspectOptions {
  files: readonly DataFile[];
  config: RevperfConfig;
  /** Where the config came from; null when there is none and defaults were used. */
  configSource: string | null;
  clock: () => Date;
}

/** Files in the order ingest needs them: rates and people before the deals and quotas they resolve. */
const KIND_ORDER = ['fx', 'people', 'accounts', 'quotas', 'deals'] as const;

export async function inspectData(options: InspectOptions): Promise<Inspection> {
  const { config } = options;
  const calendar = calendarFromConfig(config);
  const today = calendar.localDate(options.clock());
  const files = [...options.files].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
  const decisions: string[] = [];
  if (options.configSource === null) decisions.push('no revperf.config.json: read with the defaults — run `revperf init` to write one');

  const fxRates: FxRate[] = Object.entries(config.currency.rates).map(([currency, rate]) => ({ currency, rate, validFrom: null }));
  let people: Person[] | null = null;
  let peopleFile: string | null = null;
  const inspections: FileInspection[] = [];
  for (const file of files) {
    const reading = await readDataFile(file, { config, calendar, fxRates: [...fxRates], today });
    const values = reading.entities.map((entity) => entity.value);
    if (file.kind === 'fx') fxRates.push(...(values as FxRate[]));
    if (file.kind === 'people' && reading.counts.accepted > 0) {
      if (people !== null) decisions.push(`people files ${peopleFile} and ${file.name}: each upload replaces the list, so only the last one read (${file.name}) stays`);
      people = values as Person[];
      peopleFile = file.name;
    }
    inspections.push(inspectReading(reading, config, people));
  }
  if (people === null && files.some((file) => file.kind === 'deals')) {
    const what = files.some((file) => file.kind === 'people') ? 'no people file could be read' : 'no people file (DIR/people/)';
    decisions.push(`${what}: every deal counts under Unassigned and no team or manager gets a report`);
  }
  const unreadable = files.length === 0 || inspections.some((file) => file.unreadable !== null);
  const undecided = decisions.length > 0 || inspections.some((file) => file.decisions.length > 0);
  return { configSource: options.configSource, files: inspections, decisions, exitCode: unreadable ? 2 : undecided ? 1 : 0 };
}

function inspectReading(reading: FileReading, config: RevperfConfig, people: readonly Person[] | null): FileInspection {
  const decisions: string[] = [];
  const notes: string[] = [];
  const used = config.ingest.dateOrder;
  const verdict = dateOrderVerdict(reading.dates);
  const inspection: FileInspection = { ...reading, dateOrder: { used, verdict }, owners: [], quotaPeriods: [], roles: null, decisions, notes };
  if (reading.unreadable !== null) return inspection;
  if (reading.missing !== null) {
    decisions.push(`required column(s) missing: ${reading.missing.fields.join(', ')} — name them in a config mapping (revperf init guesses one)`);
    return inspection;
  }

  const readAs = used === 'mdy' ? 'month/day/year' : 'day/month/year';
  if (verdict.kind === 'conflicting') {
    decisions.push(`dates disagree: '${verdict.dayFirst.value}' (line ${verdict.dayFirst.line}) is day-first, '${verdict.monthFirst.value}' (line ${verdict.monthFirst.line}) month-first`);
  } else if (verdict.kind === 'proven' && verdict.order !== used) {
    decisions.push(
      `dates are ${verdict.order === 'dmy' ? 'day-first' : 'month-first'} ('${verdict.example.value}', line ${verdict.example.line}) but ingest.dateOrder is ${used}: set it to ${verdict.order}`,
    );
  } else if (verdict.kind === 'ambiguous') {
    notes.push(`ambiguous dates: all ${verdict.count} could be read either way; read as ${readAs} (ingest.dateOrder = ${used})`);
  }
  const { comma, point } = reading.amounts;
  if (comma.example && point.example) {
    notes.push(
      `amounts prove both decimal marks: '${comma.example.value}' (line ${comma.example.line}) and '${point.example.value}' (line ${point.example.line}); ` +
        `an amount like 1,234 reads with the first one`,
    );
  }

  for (const stage of reading.stages) {
    if (stage.source === 'unknown') decisions.push(`stage '${stage.stage}' (${stage.deals} deal(s)) is unknown: it counts as open — add a config.stages rule`);
    if (stage.source === 'file-probability') {
      decisions.push(`stage '${stage.stage}' (${stage.deals} deal(s)) is known only by its probability: open, never won or lost — add a config.stages rule`);
    }
  }
  if (reading.counts.rejected > 0) decisions.push(`${reading.counts.rejected} row(s) would be rejected (the first reasons are listed)`);

  const chart = people === null ? null : new OrgChart(people);
  if (reading.file.kind === 'deals') inspection.owners = ownerTallies(reading, chart);
  for (const owner of inspection.owners) {
    if (owner.match.kind === 'ambiguous') decisions.push(`owner '${owner.owner}' (${owner.deals} deal(s)) names ${owner.match.people.length} people: write it by e-mail`);
    if (owner.match.kind === 'none' && chart !== null) decisions.push(`owner '${owner.owner}' (${owner.deals} deal(s)) matches no one in the people file`);
  }
  if (reading.file.kind === 'quotas') {
    inspection.quotaPeriods = quotaTallies(reading, chart);
    for (const period of inspection.quotaPeriods) {
      for (const row of period.unresolved) decisions.push(`quota ${period.periodId} for '${row.written}': ${row.reason}`);
    }
  }
  if (reading.file.kind === 'people' && chart !== null) {
    const explicit: Record<string, number> = {};
    for (const person of reading.entities.map((entity) => entity.value as Person)) {
      if (person.role !== null) explicit[person.role] = (explicit[person.role] ?? 0) + 1;
    }
    inspection.roles = { explicit, inferred: { ...chart.roleInference.inferred }, notes: orgChartFindings(chart) };
  }
  return inspection;
}

function ownerTallies(reading: FileReading, chart: OrgChart | null): OwnerTally[] {
  return [...reading.ownerCounts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([owner, deals]): OwnerTally => {
      const match = chart?.match(owner) ?? { kind: 'none' as const };
      if (match.kind === 'person') return { owner, deals, match: { kind: 'person', name: match.person.name, email: match.person.email } };
      if (match.kind === 'ambiguous') return { owner, deals, match: { kind: 'ambiguous', people: match.people.map((p) => p.email ?? p.name) } };
      return { owner, deals, match: { kind: 'none' } };
    });
}

function quotaTallies(reading: FileReading, chart: OrgChart | null): QuotaPeriodTally[] {
  const byPeriod = new Map<string, QuotaPeriodTally>();
  for (const entity of reading.entities) {
    const quota = entity.value as Quota;
    let tally = byPeriod.get(quota.periodId);
    if (tally === undefined) {
      tally = { periodId: quota.periodId, rows: 0, resolved: [], unresolved: [] };
      byPeriod.set(quota.periodId, tally);
    }
    tally.rows += 1;
    const written = quota.written ?? quota.entityId;
    if (chart === null) {
      if (quota.level === 'company') tally.resolved.push('company');
      else tally.unresolved.push({ written, reason: 'no people file to resolve it against' });
      continue;
    }
    const resolution = resolveQuotaEntity(quota, chart);
    if (resolution.ok) {
      const person = quota.level === 'rep' ? chart.person(resolution.id) : undefined;
      tally.resolved.push(`${quota.level} ${person?.name ?? resolution.id}`);
    } else tally.unresolved.push({ written, reason: resolution.reason });
  }
  return [...byPeriod.values()].sort((a, b) => a.periodId.localeCompare(b.periodId));
}
