// Metrics benchmark: one fiscal quarter's full metrics (computeMetricsFromColumns)
// for a 500-rep organisation from deals already loaded into columns, against
// DuckDB (one thread) computing revenue, won/lost counts, open pipeline and win
// rate per rep with SQL over the same rows. Only the computation is timed: the
// deals are generated and loaded into columns (revperf) or loaded from Parquet
// into a table (DuckDB) before the timer starts. The load into columns
// (`toDealColumns`) is timed on its own and reported as `columnsLoadSeconds`.
//
//   node --import tsx bench/metrics.bench.ts prepare 1000000   (Parquet + per-rep figures; fails unless both agree)
//   node --import tsx bench/metrics.bench.ts revperf 1000000
//   node --import tsx bench/metrics.bench.ts baseline 1000000
//
// `prepare` computes the per-rep figures both ways and exits non-zero unless
// they agree to the cent for every rep; every measurement then checks its own
// figures against those (after the timer) and exits non-zero on any difference.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DuckDBInstance, dateValue, type DuckDBConnection } from '@duckdb/node-api';
import { SeededRandom } from '../local/sample-org/random.js';
import { FiscalCalendar } from '../shared/domain/fiscal-calendar.js';
import { fromDayNumber, toDayNumber } from '../shared/domain/local-date.js';
import { internDealTexts } from '../shared/adapters/table-items.js';
import { toDealColumns } from '../shared/domain/deal-columns.js';
import { computeMetrics, computeMetricsFromColumns, type ColumnarMetricsInput, type MetricsInput } from '../shared/domain/metrics.js';
import { UNASSIGNED } from '../shared/domain/org-chart.js';
import type { Deal, FiscalPeriod, KeyAccount, LocalDate, Person, Quota, StageClass } from '../shared/domain/types.js';
import { runBenchChild, type WorkResult } from './lib/bench-child.js';

const DATA_DIR = join(import.meta.dirname, 'data');
const SEED = 20_260_615;

// --- the organisation and the report ------------------------------------------------

// FY2027 runs Feb 2026 – Jan 2027; its Q2 is May–July 2026. As of 15 June the
// quarter is half over: revenue counts to date (a deal won on 20 June has not
// happened yet as far as this report is concerned) and open pipeline counts
// from 15 June to 31 July.
const calendar = new FiscalCalendar({ timeZone: 'America/New_York', yearStartMonth: 2, naming: 'end', weekStart: 'monday', holidays: [] });
const PERIOD: FiscalPeriod = calendar.periodById('FY2027-Q2');
const AS_OF: LocalDate = '2026-06-15';
/** Five quarters of closed deals: the same quarter last year (YoY) through this one. */
const CLOSED_FROM = calendar.sameLastYear(PERIOD).start;
/** Open deals run from past due (expected in March) to next quarter's end. */
const OPEN_FROM: LocalDate = '2026-03-01';
const OPEN_TO = calendar.next(PERIOD).end;

const REGIONS = ['Americas East', 'Americas West', 'EMEA North', 'EMEA South', 'APAC'] as const;
const TEAMS_PER_REGION = 10;
const REPS_PER_TEAM = 10;
const FIRST_NAMES = ['Ana', 'Ben', 'Carla', 'Dev', 'Eve', 'Farid', 'Gina', 'Hugo', 'Iris', 'Jon', 'Kemal', 'Lena', 'Marc', 'Nia', 'Omar', 'Pia', 'Quinn', 'Rosa', 'Sam', 'Tara', 'Uma', 'Vik', 'Wen', 'Xavi', 'Yara'];
const LAST_NAMES = ['Adler', 'Brandt', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Haas', 'Ito', 'Jansen', 'Khan', 'Laurent', 'Moreau', 'Novak', 'Okafor', 'Petrov', 'Rossi', 'Silva', 'Tanaka', 'Weber'];
/** Every twentieth rep moved team on 16 May, mid-quarter: their deals split between two seats. */
const MOVE_EVERY = 20;
const MOVED_ON: LocalDate = '2026-05-16';
/** Owners the people file does not know (left the company): their deals count for Unassigned. */
const FORMER_REPS = ['Former Rep One', 'Former Rep Two', 'Former Rep Three'];
const KEY_ACCOUNT_COUNT = 50;
const ACCOUNT_COUNT = 5_000;

/** Units of USD per unit of each CRM currency; amounts arrive already converted. */
const CURRENCIES: readonly (readonly [code: string, rate: number, weight: number])[] = [
  ['USD', 1, 70],
  ['EUR', 1.08, 15],
  ['GBP', 1.27, 10],
  ['CAD', 0.73, 5],
];
const OPEN_STAGES: readonly (readonly [stage: string, probability: number])[] = [
  ['Prospecting', 0.1],
  ['Qualification', 0.2],
  ['Proposal/Price Quote', 0.75],
  ['Negotiation/Review', 0.9],
];

function teamName(teamIndex: number): string {
  return `${REGIONS[Math.floor(teamIndex / TEAMS_PER_REGION)]} ${(teamIndex % TEAMS_PER_REGION) + 1}`;
}

function repEmail(rep: number): string {
  return `rep${String(rep).padStart(3, '0')}@bench.example`;
}

function repName(rep: number): string {
  return `${FIRST_NAMES[rep % FIRST_NAMES.length]} ${LAST_NAMES[Math.floor(rep / FIRST_NAMES.length)]}`;
}

export function benchPeople(): Person[] {
  const people: Person[] = [];
  const repCount = REGIONS.length * TEAMS_PER_REGION * REPS_PER_TEAM;
  for (let rep = 0; rep < repCount; rep += 1) {
    const teamIndex = Math.floor(rep / REPS_PER_TEAM);
    const row = (team: number, effectiveFrom: LocalDate | null): Person => ({
      id: repEmail(rep),
      name: repName(rep),
      email: repEmail(rep),
      role: 'rep',
      team: teamName(team),
      manager: null,
      region: REGIONS[Math.floor(team / TEAMS_PER_REGION)]!,
      active: true,
      effectiveFrom,
    });
    people.push(row(teamIndex, null));
    if (rep % MOVE_EVERY === 0) people.push(row((teamIndex + 1) % (REGIONS.length * TEAMS_PER_REGION), MOVED_ON));
  }
  return people;
}

/**
 * Who a CRM owner text names. Owners are written exactly as the people file
 * writes a rep's name or e-mail, so an exact lookup resolves them the same way
 * the org chart's case- and space-insensitive matching does.
 */
function ownerAliases(people: readonly Person[]): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const person of people) {
    aliases.set(person.name, person.id);
    if (person.email) aliases.set(person.email, person.id);
  }
  return aliases;
}

function accountName(account: number): string {
  return `Account ${String(account).padStart(4, '0')}`;
}

function keyAccounts(): KeyAccount[] {
  return Array.from({ length: KEY_ACCOUNT_COUNT }, (_, index) => {
    const name = accountName(index * (ACCOUNT_COUNT / KEY_ACCOUNT_COUNT));
    return { id: name.toLowerCase(), name, tier: index < 10 ? 'strategic' : 'key' };
  });
}

/** Every rep's quarterly quota for this quarter and the next (next-quarter coverage). */
function repQuotas(people: readonly Person[]): Quota[] {
  const repIds = [...new Set(people.map((person) => person.id))];
  const quarters = [PERIOD, calendar.next(PERIOD)];
  return quarters.flatMap((quarter) =>
    repIds.map((entityId, index) => ({ level: 'rep' as const, entityId, periodId: quarter.id, amount: 90_000_000 + (index % 7) * 5_000_000 })),
  );
}

// --- the deals ---------------------------------------------------------------------

function pickCurrency(random: SeededRandom): readonly [code: string, rate: number, weight: number] {
  let draw = random.int(1, 100);
  for (const currency of CURRENCIES) {
    draw -= currency[2];
    if (draw <= 0) return currency;
  }
  return CURRENCIES[0]!;
}

/**
 * `count` deals in CRM export order (shuffled in time): 40 % won, 35 % lost,
 * 25 % open; closed deals over five quarters, open ones from past due to next
 * quarter; amounts from $50 to $150,000 in cents, 30 % in other currencies
 * converted to USD. The same count always gives the same deals.
 *
 * They are handed over as the metrics run gets them from the repository
 * (RevperfTable): off the wire every item has its own copy of every text —
 * JSON.parse stands in for the SDK's unmarshalling here — and the repository's
 * `internDealTexts` then makes the deals share one instance per distinct
 * owner, account, stage, currency and date, as every deal read does.
 * A different `seed` gives different deals (the warm-up set).
 */
export function benchDeals(count: number, people: readonly Person[], seed = SEED): Deal[] {
  const CHUNK = 50_000; // a JSON text per chunk: small, and the originals are garbage at once
  const draw = dealDrawer(people, seed);
  const deals: Deal[] = [];
  for (let start = 0; start < count; start += CHUNK) {
    const generated = Array.from({ length: Math.min(CHUNK, count - start) }, (_, offset) => draw(start + offset));
    for (const deal of JSON.parse(JSON.stringify(generated)) as Deal[]) deals.push(internDealTexts(deal));
  }
  return deals;
}

function dealDrawer(people: readonly Person[], seed: number): (index: number) => Deal {
  const random = new SeededRandom(seed);
  const reps = [...new Map(people.map((person) => [person.id, person])).values()];
  const closedFrom = toDayNumber(CLOSED_FROM);
  const closedTo = toDayNumber(PERIOD.end);
  const openFrom = toDayNumber(OPEN_FROM);
  const openTo = toDayNumber(OPEN_TO);
  return (index) => {
    const draw = random.int(1, 100);
    const stageClass: StageClass = draw <= 40 ? 'won' : draw <= 75 ? 'lost' : 'open';
    const [stage, probability] =
      stageClass === 'won' ? ['Closed Won', 1] : stageClass === 'lost' ? ['Closed Lost', 0] : OPEN_STAGES[random.int(0, OPEN_STAGES.length - 1)]!;
    const closeDay = stageClass === 'open' ? random.int(openFrom, openTo) : random.int(closedFrom, closedTo);
    const [currency, rate] = pickCurrency(random);
    const originalAmount = random.int(5_000, 15_000_000);
    const ownerDraw = random.int(1, 1000);
    const rep = reps[random.int(0, reps.length - 1)]!;
    // Most exports name the owner; some (HubSpot) give the e-mail; a few owners have left.
    const owner = ownerDraw <= 5 ? FORMER_REPS[ownerDraw % FORMER_REPS.length]! : ownerDraw <= 150 ? rep.email! : rep.name;
    const createdDay = random.int(1, 50) === 1 ? null : closeDay - random.int(7, 180);
    return {
      id: `006B${String(index).padStart(9, '0')}`,
      name: `Opportunity ${index}`,
      account: accountName(random.int(0, ACCOUNT_COUNT - 1)),
      owner,
      stage,
      stageClass,
      probability,
      amount: Math.round(originalAmount * rate),
      currency,
      originalAmount,
      closeDate: fromDayNumber(closeDay),
      createdDate: createdDay === null ? null : fromDayNumber(createdDay),
      pipeline: null,
      lastActivityDate: null,
    };
  };
}

export function metricsInput(deals: readonly Deal[], people: readonly Person[]): MetricsInput {
  return {
    deals,
    people,
    quotas: repQuotas(people),
    keyAccounts: keyAccounts(),
    calendar,
    period: PERIOD,
    asOf: AS_OF,
    settings: { currency: 'USD', coverageTarget: 3, teamAttribution: 'history' },
  };
}

// --- the figures both sides must agree on ------------------------------------------

interface RepFigures {
  repId: string;
  revenue: number;
  wonCount: number;
  lostCount: number;
  openPipeline: number;
  winRate: number | null;
}

function figuresChecksum(figures: readonly RepFigures[]): number {
  let checksum = 0;
  for (const rep of figures) checksum += rep.revenue + rep.openPipeline + rep.wonCount + rep.lostCount;
  return checksum;
}

/** The per-rep figures of the metrics report: from deal objects (`prepare`) or, as measured, from columns. */
function revperfFigures(input: MetricsInput | ColumnarMetricsInput): RepFigures[] {
  return ('columns' in input ? computeMetricsFromColumns(input) : computeMetrics(input))
    .entities.filter((entity) => entity.level === 'rep')
    .map(({ id, revenue, wonCount, lostCount, openPipeline, winRate }) => ({ repId: id, revenue, wonCount, lostCount, openPipeline, winRate }));
}

/**
 * METRICS.md's definitions as computeMetrics applies them (see the window notes
 * at the top of shared/domain/metrics.ts), all bounds inclusive:
 * - revenue, won and lost: closed from the period start to the as-of day;
 * - open pipeline: open deals expected from the as-of day to the period end;
 * - win rate: won ÷ (won + lost) by count, n/a (NULL) without closed deals.
 * An owner nobody in the people file has counts for Unassigned.
 */
function figuresQuery(): string {
  const closedToDate = `close_date BETWEEN DATE '${PERIOD.start}' AND DATE '${AS_OF}'`;
  return `
    WITH per_rep AS (
      SELECT
        COALESCE(alias.rep_id, '${UNASSIGNED.id}') AS rep_id,
        COALESCE(SUM(deal.amount) FILTER (WHERE deal.stage_class = 'won' AND ${closedToDate}), 0)::BIGINT AS revenue,
        COUNT(*) FILTER (WHERE deal.stage_class = 'won' AND ${closedToDate}) AS won_count,
        COUNT(*) FILTER (WHERE deal.stage_class = 'lost' AND ${closedToDate}) AS lost_count,
        COALESCE(SUM(deal.amount) FILTER (WHERE deal.stage_class = 'open' AND close_date BETWEEN DATE '${AS_OF}' AND DATE '${PERIOD.end}'), 0)::BIGINT
          AS open_pipeline
      FROM deals AS deal
      LEFT JOIN owner_aliases AS alias ON alias.owner = deal.owner
      WHERE deal.close_date BETWEEN DATE '${PERIOD.start}' AND DATE '${PERIOD.end}'
      GROUP BY ALL
    )
    SELECT rep_id, revenue, won_count, lost_count, open_pipeline,
      won_count::DOUBLE / NULLIF(won_count + lost_count, 0) AS win_rate
    FROM per_rep
    ORDER BY rep_id`;
}

async function duckdbFigures(connection: DuckDBConnection): Promise<RepFigures[]> {
  const reader = await connection.runAndReadAll(figuresQuery());
  return reader.getRowsJS().map(([repId, revenue, wonCount, lostCount, openPipeline, winRate]) => ({
    repId: String(repId),
    revenue: Number(revenue),
    wonCount: Number(wonCount),
    lostCount: Number(lostCount),
    openPipeline: Number(openPipeline),
    winRate: winRate === null ? null : Number(winRate),
  }));
}

const WIN_RATE_TOLERANCE = 1e-12;

/**
 * Differences between two sets of per-rep figures, one line each. A rep absent
 * from one side has no deals in the windows there: zero figures, n/a win rate.
 */
function figureDifferences(expected: readonly RepFigures[], actual: readonly RepFigures[]): string[] {
  const byRep = (figures: readonly RepFigures[]) => new Map(figures.map((rep) => [rep.repId, rep]));
  const expectedByRep = byRep(expected);
  const actualByRep = byRep(actual);
  const noDeals = (repId: string): RepFigures => ({ repId, revenue: 0, wonCount: 0, lostCount: 0, openPipeline: 0, winRate: null });
  const differences: string[] = [];
  for (const repId of new Set([...expectedByRep.keys(), ...actualByRep.keys()])) {
    const want = expectedByRep.get(repId) ?? noDeals(repId);
    const got = actualByRep.get(repId) ?? noDeals(repId);
    for (const field of ['revenue', 'wonCount', 'lostCount', 'openPipeline'] as const) {
      if (want[field] !== got[field]) differences.push(`${repId} ${field}: expected ${want[field]}, got ${got[field]}`);
    }
    const winRatesAgree =
      want.winRate === null || got.winRate === null ? want.winRate === got.winRate : Math.abs(want.winRate - got.winRate) <= WIN_RATE_TOLERANCE;
    if (!winRatesAgree) differences.push(`${repId} winRate: expected ${want.winRate}, got ${got.winRate}`);
  }
  return differences;
}

function assertSameFigures(expected: readonly RepFigures[], actual: readonly RepFigures[], what: string): void {
  const differences = figureDifferences(expected, actual);
  if (differences.length === 0) return;
  throw new Error(`${what}: ${differences.length} figures differ\n${differences.slice(0, 20).join('\n')}`);
}

// --- DuckDB -------------------------------------------------------------------------

function dealsParquetPath(size: number): string {
  return join(DATA_DIR, `metrics-deals-${size}.parquet`);
}

function expectedFiguresPath(size: number): string {
  return join(DATA_DIR, `metrics-figures-${size}.json`);
}

const DEALS_TABLE = `
  CREATE TABLE deals (
    id VARCHAR, name VARCHAR, account VARCHAR, owner VARCHAR, stage VARCHAR, stage_class VARCHAR,
    probability DOUBLE, amount BIGINT, currency VARCHAR, original_amount BIGINT, close_date DATE, created_date DATE
  )`;

async function singleThreadedDuckdb(): Promise<DuckDBConnection> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run('SET threads = 1');
  return connection;
}

async function loadOwnerAliases(connection: DuckDBConnection, people: readonly Person[]): Promise<void> {
  await connection.run('CREATE TABLE owner_aliases (owner VARCHAR PRIMARY KEY, rep_id VARCHAR NOT NULL)');
  const appender = await connection.createAppender('owner_aliases');
  for (const [owner, repId] of ownerAliases(people)) {
    appender.appendVarchar(owner);
    appender.appendVarchar(repId);
    appender.endRow();
  }
  appender.closeSync();
}

/** The deals as a Parquet file, written through a temporary name so a half-written file is never read. */
async function writeDealsParquet(deals: readonly Deal[], path: string): Promise<void> {
  const connection = await singleThreadedDuckdb();
  await connection.run(DEALS_TABLE);
  const appender = await connection.createAppender('deals');
  for (const deal of deals) {
    appender.appendVarchar(deal.id);
    appender.appendVarchar(deal.name);
    appender.appendVarchar(deal.account);
    appender.appendVarchar(deal.owner);
    appender.appendVarchar(deal.stage);
    appender.appendVarchar(deal.stageClass);
    appender.appendDouble(deal.probability);
    appender.appendBigInt(BigInt(deal.amount));
    appender.appendVarchar(deal.currency);
    appender.appendBigInt(BigInt(deal.originalAmount));
    appender.appendDate(dateValue(toDayNumber(deal.closeDate!)));
    if (deal.createdDate === null) appender.appendNull();
    else appender.appendDate(dateValue(toDayNumber(deal.createdDate)));
    appender.endRow();
  }
  appender.closeSync();
  const partial = `${path}.partial`;
  await connection.run(`COPY deals TO '${partial}' (FORMAT parquet)`);
  connection.closeSync();
  renameSync(partial, path);
}

/** DuckDB with the deals in an in-memory table and the owner aliases beside them, ready to query. */
async function duckdbWithDeals(size: number, people: readonly Person[]): Promise<DuckDBConnection> {
  const connection = await singleThreadedDuckdb();
  await connection.run(`CREATE TABLE deals AS SELECT * FROM read_parquet('${dealsParquetPath(size)}')`);
  await loadOwnerAliases(connection, people);
  return connection;
}

// --- the benchmark child ------------------------------------------------------------

/**
 * Writes the deals for DuckDB and the per-rep figures every measurement is
 * checked against — only once computeMetrics and the SQL agree on them.
 */
async function prepare(size: number): Promise<void> {
  const people = benchPeople();
  const deals = benchDeals(size, people);
  rmSync(expectedFiguresPath(size), { force: true });
  await writeDealsParquet(deals, dealsParquetPath(size));
  const revperf = revperfFigures(metricsInput(deals, people));
  const duckdb = await duckdbFigures(await duckdbWithDeals(size, people));
  assertSameFigures(duckdb, revperf, `${size} deals: computeMetrics disagrees with DuckDB`);
  writeFileSync(expectedFiguresPath(size), `${JSON.stringify(duckdb)}\n`);
  process.stderr.write(`metrics ${size}: ${revperf.length} reps agree to the cent (checksum ${figuresChecksum(revperf)})\n`);
}

function expectedFigures(size: number): RepFigures[] {
  const path = expectedFiguresPath(size);
  if (!existsSync(path)) throw new Error(`${path} is missing: run 'prepare ${size}' first`);
  return JSON.parse(readFileSync(path, 'utf8')) as RepFigures[];
}

/**
 * A metrics Lambda serves many invocations in one warm process, so the timed
 * call should run compiled code, not V8's first pass through it. This runs
 * the metrics once (load into columns and compute) over a small set of other
 * deals — a different seed, never the measured ones — before the timer.
 */
const WARM_UP_DEALS = 20_000;
const WARM_UP_SEED = SEED + 1;

function warmUp(mode: string | undefined, people: readonly Person[]): void {
  if (mode !== 'revperf') return;
  revperfFigures(columnarInput(metricsInput(benchDeals(WARM_UP_DEALS, people, WARM_UP_SEED), people)));
}

/** The input with its deals loaded into columns, as the metrics run hands them to the engine. */
function columnarInput({ deals, ...rest }: MetricsInput): ColumnarMetricsInput {
  return { ...rest, columns: toDealColumns(deals) };
}

async function main([mode, sizeText]: readonly string[]): Promise<void> {
  const size = Number(sizeText);
  // Set up before runBenchChild starts its timer: the deals in memory and
  // loaded into columns for revperf (the load timed on its own), the Parquet
  // file loaded into a DuckDB table for the baseline. No forced garbage
  // collection: the deals stay as the generator left them, as they would after
  // a metrics run has read them.
  const people = benchPeople();
  const duckdb = mode === 'baseline' ? await duckdbWithDeals(size, people) : null;
  warmUp(mode, people);
  let input: ColumnarMetricsInput | null = null;
  let columnsLoadSeconds = 0;
  if (mode === 'revperf') {
    const objects = metricsInput(benchDeals(size, people), people);
    const started = process.hrtime.bigint();
    input = columnarInput(objects);
    columnsLoadSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  }

  // The figures of the timed run, checked once the timer has stopped.
  let measured: RepFigures[] | null = null;
  const workResult = (figures: RepFigures[], extra?: Record<string, number>): WorkResult => {
    measured = figures;
    return { rows: size, checksum: figuresChecksum(figures), ...(extra ? { extra } : {}) };
  };
  await runBenchChild({
    prepare,
    implementations: {
      revperf: async () => workResult(revperfFigures(input!), { columnsLoadSeconds }),
      baseline: async () => workResult(await duckdbFigures(duckdb!)),
    },
  });
  if (measured !== null) assertSameFigures(expectedFigures(size), measured, `${size} deals, ${mode}: figures differ from the prepared ones`);
}

if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? '')).href) await main(process.argv.slice(2));
