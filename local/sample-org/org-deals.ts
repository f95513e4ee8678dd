// Northwind's deals: nine quarters of history per rep with seasonality, ramps,
// stars and strugglers, log-normal deal sizes, local currencies, open pipeline
// ahead of today and a few past-due deals nobody updated. Then each CRM's
// export order and ids, and the bad rows planted in the exports.
import type { CurrencyCode, Deal, FxRate, LocalDate } from '../../shared/domain/types.js';
import {
  addDays,
  daysBetween,
  fiscalQuarterByOrdinal,
  fiscalQuarterOf,
  maxDate,
  minDate,
  type FiscalQuarter,
} from './dates.js';
import { formatAmount, US_NUMBERS } from './formats.js';
import type { BadRow, DealDefect, ExportRow, SampleDeal, Timeline } from './model.js';
import { EXPORT_FILES } from './model.js';
import { convertToReporting, currencyExponent, roundTo } from './money.js';
import { quartersSinceHire, RAMP_PRODUCTIVITY, rampShare, teamAt, type RepPlan } from './org-people.js';
import { clamp, type SeededRandom } from './random.js';
import {
  ACCOUNT_NAME_PARTS,
  AWKWARD_ACCOUNTS,
  FISCAL_YEAR_START_MONTH,
  KEY_ACCOUNTS,
  LEAD_SOURCES,
  NOMINAL_WIN_RATE,
  PRODUCTS,
  Q4_DEAL_SIZE,
  QUARTERLY_GROWTH,
  REGION_SOURCE,
  SEASONALITY,
  SEGMENTS,
  UNKNOWN_OWNER,
  type SampleRegion,
  type SampleSource,
} from './roster.js';

/** Open stages and their win probabilities, per CRM, in sales-process order. */
export const OPEN_STAGES: Record<SampleSource | 'hubspotRenewals', readonly (readonly [string, number])[]> = {
  // Salesforce's standard opportunity stages and default probabilities.
  salesforce: [
    ['Prospecting', 0.1],
    ['Qualification', 0.1],
    ['Needs Analysis', 0.2],
    ['Value Proposition', 0.5],
    ['Id. Decision Makers', 0.6],
    ['Perception Analysis', 0.7],
    ['Proposal/Price Quote', 0.75],
    ['Negotiation/Review', 0.9],
  ],
  // HubSpot's default sales pipeline, exported as internal ids.
  hubspot: [
    ['appointmentscheduled', 0.2],
    ['qualifiedtobuy', 0.4],
    ['presentationscheduled', 0.6],
    ['decisionmakerboughtin', 0.8],
    ['contractsent', 0.9],
  ],
  // Northwind's own HubSpot pipeline, exported as labels; configured in revperf.config.json.
  hubspotRenewals: [
    ['Renewal Due', 0.3],
    ['Quote Sent', 0.6],
    ['Verbal Commit', 0.85],
  ],
  // Pipedrive's default pipeline; probabilities configured in revperf.config.json.
  pipedrive: [
    ['Qualified', 0.1],
    ['Contact Made', 0.2],
    ['Demo Scheduled', 0.4],
    ['Proposal Made', 0.6],
    ['Negotiations Started', 0.8],
  ],
};

export const RENEWALS_PIPELINE = 'Renewals';
export const RENEWAL_WON_STAGE = 'Renewed';
export const RENEWAL_LOST_STAGE = 'Churned';
const HUBSPOT_DEFAULT_PIPELINE = 'default';
/** Share of deals due in the last 45 days that the rep never updated: past-due open deals. */
const PAST_DUE_CHANCE = 0.1;
const KEY_ACCOUNT_SHARE = 0.12;
const ACCOUNTS_PER_REGION = 110;
/** Local-currency rounding of deal amounts; coarse enough that every conversion lands on whole cents. */
const AMOUNT_STEP: Record<CurrencyCode, number> = { USD: 10, EUR: 100, GBP: 100, AUD: 100, JPY: 10_000 };
const BASE_FX: Record<CurrencyCode, { rate: number; decimals: number }> = {
  EUR: { rate: 1.085, decimals: 4 },
  GBP: { rate: 1.265, decimals: 4 },
  AUD: { rate: 0.655, decimals: 4 },
  JPY: { rate: 0.00675, decimals: 6 },
};

// ---------------------------------------------------------------- exchange rates

/** One rate per foreign currency per quarter of history, valid from the quarter's first day, drifting a little. */
export function buildFxRates(rng: SeededRandom, timeline: Timeline): FxRate[] {
  const rates: FxRate[] = [];
  for (const [currency, { rate: base, decimals }] of Object.entries(BASE_FX)) {
    let rate = base;
    for (const quarter of timeline.quarters) {
      rate = Number((rate * (1 + 0.015 * rng.normal())).toFixed(decimals));
      rates.push({ currency, rate, validFrom: quarter.start });
    }
  }
  return rates;
}

/** The rate in force on a date: the latest validFrom not after it. */
function rateOn(fxRates: readonly FxRate[], currency: CurrencyCode, date: LocalDate): number {
  if (currency === 'USD') return 1;
  let best: FxRate | undefined;
  for (const candidate of fxRates) {
    if (candidate.currency !== currency || (candidate.validFrom !== null && candidate.validFrom > date)) continue;
    if (best === undefined || (candidate.validFrom ?? '') > (best.validFrom ?? '')) best = candidate;
  }
  if (best === undefined) throw new RangeError(`no ${currency} rate on ${date}`);
  return best.rate;
}

// ---------------------------------------------------------------- accounts

export interface AccountPools {
  regular: Record<SampleRegion, string[]>;
  key: Record<SampleRegion, string[]>;
}

/** ~110 customers per region (each buys many times over nine quarters) plus the key accounts. */
export function buildAccountPools(rng: SeededRandom): AccountPools {
  const pools: AccountPools = { regular: { Americas: [], EMEA: [], APAC: [] }, key: { Americas: [], EMEA: [], APAC: [] } };
  for (const region of ['Americas', 'EMEA', 'APAC'] as const) {
    const { stems, trades, forms } = ACCOUNT_NAME_PARTS[region];
    const names = new Set<string>(AWKWARD_ACCOUNTS[region]);
    while (names.size < ACCOUNTS_PER_REGION) names.add(`${rng.pick(stems)} ${rng.pick(trades)} ${rng.pick(forms)}`);
    pools.regular[region] = [...names];
    pools.key[region] = KEY_ACCOUNTS.filter((account) => account.region === region).map((account) => account.name);
  }
  return pools;
}

// ---------------------------------------------------------------- deals

/** The days of a quarter on which the rep can close a deal, or null when they were not there. */
function sellingWindow(rep: RepPlan, quarter: FiscalQuarter): { from: LocalDate; to: LocalDate } | null {
  const from = rep.hireDate === null ? quarter.start : maxDate(quarter.start, addDays(rep.hireDate, 20));
  const to = rep.leaveDate === null ? quarter.end : minDate(quarter.end, rep.leaveDate);
  return from <= to ? { from, to } : null;
}

/** Deal volume by how far a quarter is from the current one: the future holds a thinner pipeline. */
function horizonVolume(offsetFromCurrent: number): number {
  if (offsetFromCurrent <= 0) return 1;
  return offsetFromCurrent === 1 ? 0.65 : 0.12;
}

/** Deals closing (or due to close) in each quarter of history and the two quarters after it. */
export function dealsOfRep(
  rng: SeededRandom,
  rep: RepPlan,
  timeline: Timeline,
  accounts: AccountPools,
  fxRates: readonly FxRate[],
  dealsScale: number,
): SampleDeal[] {
  const deals: SampleDeal[] = [];
  const first = timeline.quarters[0]?.ordinal ?? timeline.current.ordinal;
  for (let ordinal = first; ordinal <= timeline.current.ordinal + 2; ordinal++) {
    const quarter = fiscalQuarterByOrdinal(ordinal, FISCAL_YEAR_START_MONTH);
    const since = quartersSinceHire(rep, quarter);
    const window = sellingWindow(rep, quarter);
    if (since === null || window === null) continue;
    const offset = ordinal - timeline.current.ordinal;
    const expected =
      SEGMENTS[teamAt(rep, window.from).segment].dealsPerQuarter *
      (SEASONALITY[quarter.quarter] ?? 1) *
      (1 + QUARTERLY_GROWTH) ** offset *
      rampShare(RAMP_PRODUCTIVITY, since) *
      (0.8 + 0.2 * rep.skill) *
      horizonVolume(offset) *
      dealsScale;
    const count = rng.poisson(expected);
    for (let index = 0; index < count; index++) deals.push(oneDeal(rng, rep, quarter, window, timeline, accounts, fxRates));
  }
  return deals;
}

/** A close date in the window, bunched towards the end: the end-of-quarter push. */
function closeDateIn(rng: SeededRandom, window: { from: LocalDate; to: LocalDate }): LocalDate {
  const span = daysBetween(window.from, window.to);
  return addDays(window.from, Math.min(span, Math.floor(rng.next() ** 0.7 * (span + 1))));
}

function oneDeal(
  rng: SeededRandom,
  rep: RepPlan,
  quarter: FiscalQuarter,
  window: { from: LocalDate; to: LocalDate },
  timeline: Timeline,
  accounts: AccountPools,
  fxRates: readonly FxRate[],
): SampleDeal {
  const { asOf } = timeline;
  let closeDate = closeDateIn(rng, window);
  // Closed deals closed before today; open deals are due today or later — never "closed today".
  if (closeDate === asOf) closeDate = addDays(asOf, 1);
  const team = teamAt(rep, closeDate);
  const segment = SEGMENTS[team.segment];
  const source = REGION_SOURCE[rep.region];

  let createdDate = addDays(closeDate, -rng.int(segment.cycleDays[0], segment.cycleDays[1]));
  if (createdDate >= asOf) createdDate = addDays(asOf, -rng.int(1, 45));
  if (rep.hireDate !== null && createdDate < rep.hireDate) createdDate = rep.hireDate;

  const isKeyAccount = rng.chance(KEY_ACCOUNT_SHARE);
  const account = rng.pick(isKeyAccount ? accounts.key[rep.region] : accounts.regular[rep.region]);
  const isRenewal = source === 'hubspot' && rng.chance(isKeyAccount ? 0.5 : 0.18);

  const winRate = clamp(NOMINAL_WIN_RATE + 0.12 * (rep.skill - 1), 0.1, 0.55) + (isRenewal ? 0.3 : 0);
  let stageClass: Deal['stageClass'] = 'open';
  if (closeDate < asOf) {
    const forgotten = daysBetween(closeDate, asOf) <= 45 && rng.chance(PAST_DUE_CHANCE);
    if (!forgotten) stageClass = rng.chance(winRate) ? 'won' : 'lost';
  }
  const progress = clamp(daysBetween(createdDate, asOf) / Math.max(1, daysBetween(createdDate, closeDate)), 0, 0.999);
  const { stage, probability } = stageFor(rng, source, isRenewal, stageClass, progress);

  const medianUsd =
    segment.medianDealUsd *
    Math.sqrt(rep.skill) *
    (isKeyAccount ? 1.5 : 1) *
    (isRenewal ? 0.7 : 1) *
    (quarter.quarter === 4 ? Q4_DEAL_SIZE : 1);
  const usd = clamp(rng.logNormal(medianUsd, segment.sigma), 2_000, 2_500_000);
  const currency = rng.weighted(team.currencies);
  const rate = rateOn(fxRates, currency, closeDate);
  const originalAmount = roundTo(usd / rate, AMOUNT_STEP[currency] ?? 100) * 10 ** currencyExponent(currency);

  return {
    id: '', // handed out in export order by assignIdsAndOrder
    name: isRenewal
      ? `${account} - Renewal FY${fiscalQuarterOf(closeDate, FISCAL_YEAR_START_MONTH).fiscalYear}`
      : `${account} - ${rng.pick(PRODUCTS)}`,
    account,
    owner: rep.name,
    stage,
    stageClass,
    probability,
    amount: convertToReporting(originalAmount, currency, rate),
    currency,
    originalAmount,
    closeDate,
    createdDate,
    pipeline: source === 'hubspot' ? (isRenewal ? RENEWALS_PIPELINE : HUBSPOT_DEFAULT_PIPELINE) : null,
    lastActivityDate: source === 'hubspot' ? lastActivity(rng, stageClass, createdDate, closeDate, asOf) : null,
    source,
    region: rep.region,
    team: team.name,
    ownerId: rep.id,
    dealType: isRenewal ? 'Renewal' : rng.chance(0.35) ? 'Existing Business' : 'New Business',
    leadSource: rng.pick(LEAD_SOURCES),
    isKeyAccount,
  };
}

/** Open deals sit at the stage their age suggests; closed deals at each CRM's won/lost stage. */
function stageFor(
  rng: SeededRandom,
  source: SampleSource,
  isRenewal: boolean,
  stageClass: Deal['stageClass'],
  progress: number,
): { stage: string; probability: number } {
  const ladder = OPEN_STAGES[isRenewal ? 'hubspotRenewals' : source];
  if (stageClass === 'open') {
    const [stage, probability] = ladder[Math.floor(progress * ladder.length)] ?? ['', 0];
    return { stage, probability };
  }
  const won = stageClass === 'won';
  const probability = won ? 1 : 0;
  switch (source) {
    case 'salesforce':
      return { stage: won ? 'Closed Won' : 'Closed Lost', probability };
    case 'hubspot':
      if (isRenewal) return { stage: won ? RENEWAL_WON_STAGE : RENEWAL_LOST_STAGE, probability };
      return { stage: won ? 'closedwon' : 'closedlost', probability };
    case 'pipedrive': {
      // Pipedrive keeps the stage a deal was in when it was won or lost; the status column says which.
      const [stage] = won ? (ladder[ladder.length - 1] ?? ['']) : rng.pick(ladder);
      return { stage, probability };
    }
  }
}

function lastActivity(
  rng: SeededRandom,
  stageClass: Deal['stageClass'],
  createdDate: LocalDate,
  closeDate: LocalDate,
  asOf: LocalDate,
): LocalDate | null {
  if (rng.chance(0.1)) return null;
  const latest = stageClass === 'open' ? minDate(asOf, closeDate) : closeDate;
  const span = Math.max(0, daysBetween(createdDate, latest));
  return addDays(latest, -rng.int(0, Math.min(span, stageClass === 'open' ? 30 : 5)));
}

// ---------------------------------------------------------------- exports

/** Orders each export by created date (CRMs number records as they are created) and hands out CRM-style ids. */
export function assignIdsAndOrder(rng: SeededRandom, deals: readonly SampleDeal[]): Record<SampleSource, ExportRow[]> {
  const exports: Record<SampleSource, ExportRow[]> = { salesforce: [], hubspot: [], pipedrive: [] };
  let hubspotId = 14_200_000_000;
  let pipedriveId = 1_000;
  const salesforceIds = new Set<string>();
  const nextId: Record<SampleSource, () => string> = {
    salesforce: () => {
      let id: string;
      do id = `006${rng.alphanumeric(15)}`;
      while (salesforceIds.has(id));
      salesforceIds.add(id);
      return id;
    },
    hubspot: () => String((hubspotId += rng.int(1, 2_000))),
    pipedrive: () => String((pipedriveId += rng.int(1, 3))),
  };
  for (const source of ['salesforce', 'hubspot', 'pipedrive'] as const) {
    const ordered = deals
      .map((deal, sequence) => ({ deal, sequence }))
      .filter(({ deal }) => deal.source === source)
      .sort((a, b) => (a.deal.createdDate ?? '').localeCompare(b.deal.createdDate ?? '') || a.sequence - b.sequence);
    for (const { deal } of ordered) {
      deal.id = nextId[source]();
      exports[source].push({ deal, defect: null });
    }
  }
  return exports;
}

/**
 * Turns a few rows of each export into the mistakes real exports contain and
 * records where they are. Rows are picked at fixed fractions of each file so
 * the bad rows are spread out.
 */
export function plantBadRows(exports: Record<SampleSource, ExportRow[]>): BadRow[] {
  const salesforce = exports.salesforce;
  const mistyped = pickRow(salesforce, 0.2);
  // A letter O typed for a zero: "$48,5O0".
  const typo = `$${formatAmount(mistyped.deal.originalAmount, 2, US_NUMBERS, 0)}`.replace(/0(?=\d*$)/, 'O');
  mistyped.defect = { kind: 'non-numeric-amount', text: typo };
  pickRow(salesforce, 0.5).defect = { kind: 'missing-close-date' };
  const orphan = pickRow(salesforce, 0.75).deal;
  orphan.owner = UNKNOWN_OWNER;
  orphan.ownerId = null;
  orphan.team = 'Unassigned';

  const hubspot = exports.hubspot;
  pickRow(hubspot, 0.3).defect = { kind: 'negative-amount', value: -4_500 };
  pickRow(hubspot, 0.6).defect = { kind: 'non-numeric-amount', text: 'TBD' };
  // The same record twice, as when two exports are pasted together.
  const original = pickRow(hubspot, 0.25);
  const firstLine = hubspot.indexOf(original) + 2;
  hubspot.splice(Math.floor(hubspot.length * 0.85), 0, { deal: original.deal, defect: { kind: 'duplicate-id', firstLine } });

  const pipedrive = exports.pipedrive;
  // Not a won deal: its "Won time" would still give a valid close date.
  pickRow(pipedrive, 0.25, (deal) => deal.stageClass !== 'won').defect = { kind: 'impossible-close-date', text: '30.02.2026' };
  pickRow(pipedrive, 0.65).defect = { kind: 'unknown-currency', currency: 'CHF' };

  return listBadRows(exports);
}

function pickRow(rows: readonly ExportRow[], fraction: number, fits: (deal: SampleDeal) => boolean = () => true): ExportRow {
  for (let index = Math.floor(rows.length * fraction); index < rows.length; index++) {
    const row = rows[index];
    if (row !== undefined && row.defect === null && row.deal.owner !== UNKNOWN_OWNER && fits(row.deal)) return row;
  }
  throw new RangeError('no row left to turn into a bad row; the export is too small');
}

function listBadRows(exports: Record<SampleSource, ExportRow[]>): BadRow[] {
  const badRows: BadRow[] = [];
  for (const source of ['salesforce', 'hubspot', 'pipedrive'] as const) {
    exports[source].forEach((row, index) => {
      const line = index + 2; // the header is line 1, and no sample value contains a line break
      const file = EXPORT_FILES[source];
      if (row.deal.owner === UNKNOWN_OWNER && row.defect === null) {
        badRows.push({ file, line, why: `owner ${UNKNOWN_OWNER} is not in the people file`, outcome: 'finding' });
      }
      if (row.defect !== null) badRows.push({ file, line, ...describeDefect(row.deal, row.defect) });
    });
  }
  return badRows;
}

function describeDefect(deal: SampleDeal, defect: DealDefect): Pick<BadRow, 'why' | 'outcome'> {
  switch (defect.kind) {
    case 'non-numeric-amount':
      return { why: `amount '${defect.text}' is not a number`, outcome: 'rejected' };
    case 'negative-amount':
      return { why: `amount ${defect.value} is negative`, outcome: 'rejected' };
    case 'impossible-close-date':
      return { why: `close date ${defect.text} does not exist`, outcome: 'rejected' };
    case 'missing-close-date':
      return { why: 'close date is missing', outcome: 'rejected' };
    case 'unknown-currency':
      return { why: `no exchange rate for ${defect.currency}`, outcome: 'rejected' };
    case 'duplicate-id':
      return { why: `deal id ${deal.id} appears again (first on row ${defect.firstLine}); the later row wins`, outcome: 'finding' };
  }
}
