// The organisation the end-to-end benchmark runs `revperf run` on: a data
// folder as a new user would prepare it — revperf.config.json, a people file
// of reps in teams of ten (5 regions, a manager per team) and the benchmark's
// Salesforce opportunity report (bench/lib/salesforce-deals-csv.ts) with N
// deals owned by those reps. The org grows with its deals: one rep per 200
// deals, at most 500 (100k deals: 500 reps in 50 teams; `--quick`'s 10k: 50
// reps). Deterministic: the same size gives the same bytes.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RevperfConfigInput } from '../../shared/config/schema.js';
import { BENCH_CURRENCY_RATES, ensureSalesforceDealsCsv } from './salesforce-deals-csv.js';

/** Reps at the benchmark's full size (100k deals) and the deals each rep carries below it. */
const MAX_REPS = 500;
const DEALS_PER_REP = 200;
const REPS_PER_TEAM = 10;
const REGIONS = ['Americas', 'EMEA', 'APAC', 'LATAM', 'Nordics'] as const;
export const SCALE_MAIL_DOMAIN = 'bench.example';
/** The report date of every run: mid-quarter (fiscal year from February: FY2027-Q4 is Nov–Jan). */
export const SCALE_AS_OF = '2026-11-16';

const FIRST = ['Dana', 'Sam', 'Priya', 'Jonas', 'Mei', 'Luis', 'Aisha', 'Tom', 'Olga', 'Kwame', 'Rosa', 'Ivan'];
const LAST = ['Reyes', 'Ortiz', 'Nair', 'Berg', 'Chen', 'Garcia', 'Khan', 'Obrien', 'Petrova', 'Mensah'];
const INITIALS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The nth distinct person name (12 × 26 × 10 = 3,120 before repeating). */
function personName(n: number): string {
  return `${FIRST[n % FIRST.length]} ${INITIALS[Math.floor(n / FIRST.length) % INITIALS.length]}. ${LAST[Math.floor(n / (FIRST.length * INITIALS.length)) % LAST.length]}`;
}

function email(name: string): string {
  return `${name.toLowerCase().replace(/[^a-z]+/g, '.').replace(/^\.|\.$/g, '')}@${SCALE_MAIL_DOMAIN}`;
}

/** The reps of an org of `deals` deals: one per 200 deals, 10 to 500. */
export function scaleReps(deals: number): number {
  return Math.min(MAX_REPS, Math.max(REPS_PER_TEAM, Math.round(deals / DEALS_PER_REP)));
}

/** `reps` reps in teams of ten, each team with its manager. */
export function scaleRoster(reps: number): { repNames: string[]; managerNames: string[] } {
  const teams = Math.ceil(reps / REPS_PER_TEAM);
  return {
    repNames: Array.from({ length: reps }, (_, index) => personName(index)),
    managerNames: Array.from({ length: teams }, (_, index) => personName(MAX_REPS + index)),
  };
}

function config(deals: number): RevperfConfigInput {
  return {
    org: { name: 'Bench Scale Org', timeZone: 'America/New_York', locale: 'en' },
    fiscal: { yearStartMonth: 2, naming: 'end' },
    currency: { reporting: 'USD', rates: { ...BENCH_CURRENCY_RATES } },
    ingest: { mode: 'full', dateOrder: 'mdy', maxRows: Math.max(deals * 2, 1000) },
    mail: { from: `revperf@${SCALE_MAIL_DOMAIN}`, allowedDomains: [SCALE_MAIL_DOMAIN], leadership: [email('Vic Hale')] },
  };
}

/** The people file: the managers, then the reps in their teams (5 regions). */
export function peopleCsv(repNames: readonly string[], managerNames: readonly string[]): string {
  const lines = ['Name,Email,Role,Team,Manager,Region,Active'];
  const team = (index: number) => `Team ${String(index + 1).padStart(2, '0')}`;
  const region = (teamIndex: number) => REGIONS[teamIndex % REGIONS.length]!;
  managerNames.forEach((name, index) => lines.push([name, email(name), 'manager', team(index), '', region(index), 'yes'].join(',')));
  repNames.forEach((name, index) => {
    const teamIndex = index % managerNames.length;
    lines.push([name, email(name), 'rep', team(teamIndex), managerNames[teamIndex], region(teamIndex), 'yes'].join(','));
  });
  return `${lines.join('\n')}\n`;
}

/** Writes DIR/revperf.config.json, DIR/people/people.csv and DIR/deals/salesforce-opportunities.csv unless present; returns DIR. */
export function ensureScaleOrg(dataDir: string, deals: number): string {
  const dir = join(dataDir, scaleOrgName(deals));
  if (existsSync(join(dir, 'revperf.config.json'))) return dir;
  const { repNames, managerNames } = scaleRoster(scaleReps(deals));
  mkdirSync(join(dir, 'people'), { recursive: true });
  mkdirSync(join(dir, 'deals'), { recursive: true });
  ensureSalesforceDealsCsv(join(dir, 'deals', 'salesforce-opportunities.csv'), deals, repNames);
  writeFileSync(join(dir, 'people', 'people.csv'), peopleCsv(repNames, managerNames));
  // Last: its presence marks the folder complete.
  writeFileSync(join(dir, 'revperf.config.json'), `${JSON.stringify(config(deals), null, 2)}\n`);
  return dir;
}

/** The org's folder (and file prefix) under the data directory: its deals and reps. */
export function scaleOrgName(deals: number): string {
  return `scale-org-${deals}-${scaleReps(deals)}-reps`;
}
