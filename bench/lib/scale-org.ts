// The organisation the end-to-end benchmark runs `revperf run` on: a data
// folder as a new user would prepare it — revperf.config.json, a people file
// of 500 reps in 50 teams (5 regions, a manager per team) and the benchmark's
// Salesforce opportunity report (bench/lib/salesforce-deals-csv.ts) with N
// deals owned by those reps. Deterministic: the same size gives the same bytes.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RevperfConfigInput } from '../../shared/config/schema.js';
import { BENCH_CURRENCY_RATES, ensureSalesforceDealsCsv } from './salesforce-deals-csv.js';

export const SCALE_REPS = 500;
const TEAMS = 50;
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

export const SCALE_REP_NAMES: readonly string[] = Array.from({ length: SCALE_REPS }, (_, index) => personName(index));
const MANAGER_NAMES = Array.from({ length: TEAMS }, (_, index) => personName(SCALE_REPS + index));

function config(deals: number): RevperfConfigInput {
  return {
    org: { name: 'Bench Scale Org', timeZone: 'America/New_York', locale: 'en' },
    fiscal: { yearStartMonth: 2, naming: 'end' },
    currency: { reporting: 'USD', rates: { ...BENCH_CURRENCY_RATES } },
    ingest: { mode: 'full', dateOrder: 'mdy', maxRows: Math.max(deals * 2, 1000) },
    mail: { from: `revperf@${SCALE_MAIL_DOMAIN}`, allowedDomains: [SCALE_MAIL_DOMAIN], leadership: [email('Vic Hale')] },
  };
}

/** The people file: 50 managers, then 500 reps in their teams (5 regions). */
export function peopleCsv(): string {
  const lines = ['Name,Email,Role,Team,Manager,Region,Active'];
  const team = (index: number) => `Team ${String(index + 1).padStart(2, '0')}`;
  const region = (teamIndex: number) => REGIONS[teamIndex % REGIONS.length]!;
  MANAGER_NAMES.forEach((name, index) => lines.push([name, email(name), 'manager', team(index), '', region(index), 'yes'].join(',')));
  SCALE_REP_NAMES.forEach((name, index) => {
    const teamIndex = index % TEAMS;
    lines.push([name, email(name), 'rep', team(teamIndex), MANAGER_NAMES[teamIndex], region(teamIndex), 'yes'].join(','));
  });
  return `${lines.join('\n')}\n`;
}

/** Writes DIR/revperf.config.json, DIR/people/people.csv and DIR/deals/salesforce-opportunities.csv unless present; returns DIR. */
export function ensureScaleOrg(dataDir: string, deals: number): string {
  const dir = join(dataDir, `scale-org-${deals}`);
  if (existsSync(join(dir, 'revperf.config.json'))) return dir;
  mkdirSync(join(dir, 'people'), { recursive: true });
  mkdirSync(join(dir, 'deals'), { recursive: true });
  ensureSalesforceDealsCsv(join(dir, 'deals', 'salesforce-opportunities.csv'), deals, SCALE_REP_NAMES);
  writeFileSync(join(dir, 'people', 'people.csv'), peopleCsv());
  // Last: its presence marks the folder complete.
  writeFileSync(join(dir, 'revperf.config.json'), `${JSON.stringify(config(deals), null, 2)}\n`);
  return dir;
}
