// The organisation the reads benchmark reports on, with one or four years of
// history: the scale org's 500 reps in 50 teams (bench/lib/scale-org.ts),
// their quarterly quotas, and a Salesforce opportunity report of N closed
// deals a year. "One year" is the span a quarter's report reads — from the
// first day of the trailing four quarters (also last year's same quarter) to
// the as-of date — plus the open pipeline; "four years" is the same deals and
// quotas, byte for byte, plus three older years of closed deals and their
// quotas. Deterministic: the same arguments give the same bytes.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SeededRandom } from '../../local/sample-org/random.js';
import type { FiscalCalendar } from '../../shared/domain/fiscal-calendar.js';
import { addDays, daysBetween, parseLocalDate } from '../../shared/domain/local-date.js';
import type { FiscalPeriod, LocalDate } from '../../shared/domain/types.js';
import { SALESFORCE_REPORT_HEADER } from './salesforce-deals-csv.js';
import { peopleCsv, scaleRoster } from './scale-org.js';

/** The scale org at its full size: 500 reps in 50 teams. */
const ROSTER = scaleRoster(500);
const SCALE_REP_NAMES = ROSTER.repNames;

/** Open deals: this share of a year's closed deals, expected to close from 6 weeks before to 8 months after the as-of date. */
const OPEN_SHARE = 0.3;
const OPEN_FROM_DAYS = -45;
const OPEN_TO_DAYS = 240;
/** Older years added for the larger table. */
export const EXTRA_YEARS = 3;

const STAGES_OPEN = [
  ['Prospecting', 10],
  ['Qualification', 10],
  ['Needs Analysis', 20],
  ['Value Proposition', 50],
  ['Proposal/Price Quote', 75],
  ['Negotiation/Review', 90],
] as const;
const ACCOUNTS = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Vandelay', 'Stark', 'Wayne', 'Wonka', 'Tyrell'];
const KINDS = ['Expansion', 'Renewal', 'Pilot', 'Upsell', 'Services'];

/** The first day the report reads closed deals from: the start of the quarter four before the as-of date's. */
export function historyStart(calendar: FiscalCalendar, asOf: LocalDate): LocalDate {
  let quarter = calendar.period('quarter', asOf);
  for (let back = 0; back < 4; back += 1) quarter = calendar.previous(quarter);
  return quarter.start;
}

function usDate(date: LocalDate): string {
  const { year, month, day } = parseLocalDate(date);
  return `${month}/${day}/${year}`;
}

function dealRow(rng: SeededRandom, id: string, close: LocalDate, stage: readonly [string, number], asOf: LocalDate): string {
  const account = `${rng.pick(ACCOUNTS)} ${rng.int(1, 400)}`;
  const cents = Math.round(rng.logNormal(2_500_000, 1.1));
  const created = addDays(close < asOf ? close : asOf, -rng.int(1, 180));
  const fields = [
    id,
    `${account} ${rng.pick(KINDS)}`,
    account,
    rng.pick(SCALE_REP_NAMES),
    stage[0],
    'USD',
    `$${Math.floor(cents / 100).toLocaleString('en-US')}.${String(cents % 100).padStart(2, '0')}`,
    `${stage[1]}%`,
    usDate(close),
    usDate(created),
    usDate(addDays(created, rng.int(0, 30))),
    'New Business',
  ];
  return `"${fields.join('","')}"\r\n`;
}

/** Closed deals spread evenly over [from, to), ids from `prefix`, won two times in five. */
function closedDeals(rows: string[], seed: number, prefix: string, from: LocalDate, to: LocalDate, dealsPerYear: number, asOf: LocalDate): void {
  const rng = new SeededRandom(seed);
  const days = daysBetween(from, to);
  const count = Math.round((dealsPerYear * days) / 365);
  for (let index = 0; index < count; index += 1) {
    const stage = rng.chance(0.4) ? (['Closed Won', 100] as const) : (['Closed Lost', 0] as const);
    rows.push(dealRow(rng, `${prefix}${index.toString(36).padStart(7, '0')}`, addDays(from, rng.int(0, days - 1)), stage, asOf));
  }
}

function quotasCsv(quarters: readonly FiscalPeriod[]): string {
  const lines = ['Rep,Period,Quota,Currency'];
  for (const quarter of quarters) SCALE_REP_NAMES.forEach((name, index) => lines.push(`${name},${quarter.id},${150_000 + (index % 7) * 10_000},USD`));
  return `${lines.join('\n')}\n`;
}

/**
 * Writes DIR/people/people.csv, DIR/quotas/quotas.csv and DIR/deals/salesforce-opportunities.csv
 * unless present; returns DIR. `years` is 1 or 1 + EXTRA_YEARS.
 */
export function ensureHistoryOrg(dataDir: string, dealsPerYear: number, years: number, calendar: FiscalCalendar, asOf: LocalDate): string {
  const dir = join(dataDir, `reads-org-${dealsPerYear}-${years}y`);
  const marker = join(dir, 'deals', 'salesforce-opportunities.csv');
  if (existsSync(marker)) return dir;
  for (const folder of ['people', 'quotas', 'deals']) mkdirSync(join(dir, folder), { recursive: true });
  writeFileSync(join(dir, 'people', 'people.csv'), peopleCsv(ROSTER.repNames, ROSTER.managerNames));

  const start = historyStart(calendar, asOf);
  const older = addDays(start, -365 * (years - 1));
  // Quotas of every quarter with history, and of the next one (set before it starts).
  const quarters: FiscalPeriod[] = [];
  for (let quarter = calendar.period('quarter', older); quarter.start <= asOf; quarter = calendar.next(quarter)) quarters.push(quarter);
  quarters.push(calendar.next(quarters[quarters.length - 1]!));
  writeFileSync(join(dir, 'quotas', 'quotas.csv'), quotasCsv(quarters));

  const rows: string[] = [];
  // The report's span and the open pipeline: the same in both tables (own seeds, own id prefixes).
  closedDeals(rows, dealsPerYear, '0061R', start, asOf, dealsPerYear, asOf);
  const open = new SeededRandom(dealsPerYear + 1);
  const openCount = Math.round(dealsPerYear * OPEN_SHARE);
  for (let index = 0; index < openCount; index += 1) {
    const close = addDays(asOf, open.int(OPEN_FROM_DAYS, OPEN_TO_DAYS));
    rows.push(dealRow(open, `0061O${index.toString(36).padStart(7, '0')}`, close, open.pick(STAGES_OPEN), asOf));
  }
  if (years > 1) closedDeals(rows, dealsPerYear + 2, '0061H', older, start, dealsPerYear, asOf);
  writeFileSync(marker, `\uFEFF"${SALESFORCE_REPORT_HEADER.join('","')}"\r\n${rows.join('')}`);
  return dir;
}
