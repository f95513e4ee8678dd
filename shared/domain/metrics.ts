// The revenue metrics of METRICS.md for every rep, team, region and the
// company in one fiscal period, as of one date.
//
// How it stays fast on a million deals: one pass over the deals comparing
// 'YYYY-MM-DD' strings (lexicographic order is date order), owners resolved
// once per distinct owner text, integer sums in typed arrays per "seat" (a
// person's stint in a team: one people-file row). Seats roll up to reps and
// teams, teams to regions, regions to the company; every ratio is computed
// from the rolled-up integers.
//
// Windows (all inclusive, civil dates in the org's zone):
// - to date: period start → as-of day (or period end once over). Revenue,
//   won/lost, sales cycle and new pipeline count here — a won deal dated after
//   the as-of day has not happened yet as far as this report is concerned.
// - open pipeline: as-of day → period end. The as-of day itself counts: a deal
//   expected to close today is still winnable today. Deals dated before it are
//   past due instead (all history, not just this period).
// - comparisons: the same span of days of the previous period / the same period
//   last year (`FiscalCalendar.comparisonWindow`).
import type { DateWindow, FiscalCalendar } from './fiscal-calendar.js';
import { toDayNumber } from './local-date.js';
import { OrgChart, UNASSIGNED } from './org-chart.js';
import type { Assignment, OrgPerson, TeamAttribution } from './org-chart.js';
import { normaliseName } from './types.js';
import type { Deal, EntityLevel, FiscalPeriod, KeyAccount, LocalDate, MinorUnits, Person, Quota } from './types.js';

/** A ratio from integers; null when its denominator is zero or missing (shown as n/a). */
export type Ratio = number | null;

export interface MetricsSettings {
  /** Reporting currency (ISO 4217); every amount is in its minor units. */
  currency: string;
  /** Pipeline coverage at or above this multiple of the gap is healthy (config default 3). */
  coverageTarget: number;
  teamAttribution: TeamAttribution;
}

export interface MetricsInput {
  deals: readonly Deal[];
  people: readonly Person[];
  quotas: readonly Quota[];
  keyAccounts: readonly KeyAccount[];
  calendar: FiscalCalendar;
  period: FiscalPeriod;
  asOf: LocalDate;
  settings: MetricsSettings;
}

/** The comparison revenues the growth figures were computed from. */
export interface RevenueComparisons {
  previousPeriod: MinorUnits;
  lastYear: MinorUnits;
  /** Weeks only (equal to `previousPeriod`); null for longer periods. */
  previousWeek: MinorUnits | null;
}

export interface EntityMetrics {
  level: EntityLevel;
  /** Person id, team name, region name, or `company`. */
  id: string;
  name: string;
  /** Period id, e.g. `FY2027-Q1`. */
  period: string;
  /** The rep's team; null for other levels. */
  team: string | null;
  /** The rep's or team's region; null for regions and the company. */
  region: string | null;
  currency: string;
  revenue: MinorUnits;
  quota: MinorUnits | null;
  attainment: Ratio;
  gapToQuota: MinorUnits | null;
  /** Quarters only: against the previous quarter. */
  growthQoQ: Ratio;
  growthYoY: Ratio;
  /** Weeks only: against the previous week. */
  growthWoW: Ratio;
  pace: Ratio;
  projectedRevenue: MinorUnits | null;
  projectedAttainment: Ratio;
  requiredPerDay: MinorUnits | null;
  openPipeline: MinorUnits;
  weightedPipeline: MinorUnits;
  /** Open pipeline ÷ gap; null when the quota is missing or met (see `quotaMet`). */
  pipelineCoverage: Ratio;
  /** There is a quota and the gap to it is 0. */
  quotaMet: boolean;
  /** Quota met or coverage at the target; null without a quota. */
  coverageHealthy: boolean | null;
  /** Open pipeline closing in the quarter after the one the period ends in. */
  nextQuarterPipeline: MinorUnits;
  nextQuarterQuota: MinorUnits | null;
  nextQuarterCoverage: Ratio;
  wonCount: number;
  lostCount: number;
  lostAmount: MinorUnits;
  winRate: Ratio;
  valueWinRate: Ratio;
  averageDealSize: MinorUnits | null;
  salesCycleMedianDays: number | null;
  salesCycleMeanDays: number | null;
  newPipeline: MinorUnits;
  pastDueCount: number;
  pastDueAmount: MinorUnits;
  /** Reps only: 1 = best attainment; ties share a rank; n/a attainment ranks last. */
  rankInTeam: number | null;
  rankInCompany: number | null;
  revenueComparisons: RevenueComparisons;
}

export interface KeyAccountMetrics {
  id: string;
  name: string;
  tier: string | null;
  revenue: MinorUnits;
  wonCount: number;
  /** Key-account revenue ÷ company revenue. */
  shareOfRevenue: Ratio;
  growthQoQ: Ratio;
  growthYoY: Ratio;
  revenueComparisons: { previousPeriod: MinorUnits; lastYear: MinorUnits };
}

/** An open deal whose close date is before the as-of date, with whom it counts for. */
export interface PastDueDeal {
  deal: Deal;
  repId: string;
  repName: string;
  team: string;
  region: string;
  daysPastDue: number;
}

export interface MetricsWindows {
  toDate: DateWindow | null;
  /** Null once the period is over. */
  openPipeline: DateWindow | null;
  previousPeriod: DateWindow;
  lastYear: DateWindow;
  nextQuarterPipeline: DateWindow;
}

export interface MetricsResult {
  currency: string;
  period: FiscalPeriod;
  asOf: LocalDate;
  coverageTarget: number;
  comparisonPeriods: { previous: FiscalPeriod; lastYear: FiscalPeriod; nextQuarter: FiscalPeriod };
  windows: MetricsWindows;
  /** Company, then regions, teams and reps (Unassigned last within each level). */
  entities: EntityMetrics[];
  keyAccounts: KeyAccountMetrics[];
  /** Oldest close date first; the same close date keeps input order. */
  pastDueDeals: PastDueDeal[];
  /** Owner texts of counted deals that match no one: what the Unassigned figures are made of. */
  unmatchedOwners: string[];
}

export const COMPANY_ID = 'company';

export function computeMetrics(input: MetricsInput): MetricsResult {
  const { calendar, period, asOf, settings } = input;
  const org = new OrgChart(input.people);
  const windows = reportingWindows(calendar, period, asOf);
  const seats = new SeatIndex(org, asOf, settings.teamAttribution);
  const keyAccounts = new KeyAccountTotals(input.keyAccounts);
  const tally = tallyDeals(input.deals, windows, asOf, seats, keyAccounts);

  const structure = reportingStructure(org, seats, tally, period, asOf, settings.teamAttribution);
  const quotas = new QuotaBook(input.quotas, calendar, structure.membersOf);
  const nextQuarter = calendar.next(calendar.period('quarter', period.end));
  const shape: EntityShape = {
    periodId: period.id,
    kind: period.kind,
    currency: settings.currency,
    coverageTarget: settings.coverageTarget,
    daysInPeriod: calendar.daysIn(period),
    elapsedDays: calendar.elapsedDays(period, asOf),
    daysLeft: calendar.daysLeft(period, asOf),
  };
  const figuresOf = (entity: EntityRef, totals: Totals): EntityMetrics =>
    entityMetrics(entity, totals, quotas.resolve(entity.level, entity.id, period), quotas.resolve(entity.level, entity.id, nextQuarter), shape);

  const reps = structure.reps.map((rep) => figuresOf(rep, structure.repTotals.get(rep.id)!));
  rankReps(reps);
  const teams = structure.teams.map((team) => figuresOf(team, structure.teamTotals.get(team.id)!));
  const regions = structure.regions.map((region) => figuresOf(region, structure.regionTotals.get(region.id)!));
  const company = figuresOf(
    { level: 'company', id: COMPANY_ID, name: 'Company', team: null, region: null },
    structure.companyTotals,
  );

  return {
    currency: settings.currency,
    period,
    asOf,
    coverageTarget: settings.coverageTarget,
    comparisonPeriods: { previous: calendar.previous(period), lastYear: calendar.sameLastYear(period), nextQuarter },
    windows: {
      toDate: windows.toDate,
      openPipeline: windows.openPipeline,
      previousPeriod: windows.previousPeriod,
      lastYear: windows.lastYear,
      nextQuarterPipeline: windows.nextQuarterPipeline,
    },
    entities: [company, ...regions, ...teams, ...reps],
    keyAccounts: keyAccounts.metrics(company.revenue, period.kind),
    pastDueDeals: oldestFirst(tally.pastDue),
    unmatchedOwners: org.unmatchedOwners(),
  };
}

// --- windows ------------------------------------------------------------------

/** Windows as plain ranges; an empty one has end < start, so no date falls in it. */
interface ReportingWindows {
  toDate: DateWindow | null;
  openPipeline: DateWindow | null;
  previousPeriod: DateWindow;
  lastYear: DateWindow;
  nextQuarterPipeline: DateWindow;
  /** `toDate` or an empty range, for the hot loop. */
  closedIn: DateWindow;
  pipelineIn: DateWindow;
}

/** A range no date falls in. */
const NO_DATES: DateWindow = Object.freeze({ start: '9999-12-31', end: '0000-01-01' });

function reportingWindows(calendar: FiscalCalendar, period: FiscalPeriod, asOf: LocalDate): ReportingWindows {
  const toDate = calendar.toDateWindow(period, asOf);
  const openPipeline = asOf <= period.end ? { start: maxDate(asOf, period.start), end: period.end } : null;
  const nextQuarter = calendar.next(calendar.period('quarter', period.end));
  return {
    toDate,
    openPipeline,
    previousPeriod: calendar.comparisonWindow(period, asOf, 'previous'),
    lastYear: calendar.comparisonWindow(period, asOf, 'lastYear'),
    nextQuarterPipeline: { start: maxDate(asOf, nextQuarter.start), end: nextQuarter.end },
    closedIn: toDate ?? NO_DATES,
    pipelineIn: openPipeline ?? NO_DATES,
  };
}

function maxDate(a: LocalDate, b: LocalDate): LocalDate {
  return a > b ? a : b;
}

// --- seats: where a deal's numbers land ---------------------------------------

/** How one owner text maps to seats: one fixed seat, or a seat per effective date (history mode). */
interface OwnerSeats {
  person: OrgPerson;
  fixedSeat: number;
  /** History mode with several rows: `effectiveFrom` ('' = since always) of each seat, oldest first. */
  froms: readonly string[];
  seats: readonly number[];
}

/** Who a seat's deals count for, as listed on a past-due deal. */
interface SeatPlace {
  repId: string;
  repName: string;
  team: string;
  region: string;
}

class SeatIndex {
  readonly assignments: Assignment[] = [];
  readonly places: SeatPlace[] = [];
  private readonly seatOfAssignment = new Map<Assignment, number>();
  private readonly byOwner = new Map<string, OwnerSeats>();

  constructor(
    private readonly org: OrgChart,
    private readonly asOf: LocalDate,
    private readonly mode: TeamAttribution,
  ) {
    for (const person of [...org.people(), org.person(UNASSIGNED.id)!]) {
      for (const assignment of person.assignments) {
        this.seatOfAssignment.set(assignment, this.assignments.length);
        this.assignments.push(assignment);
        this.places.push({ repId: person.id, repName: person.name, team: assignment.team, region: org.regionOf(assignment.team) });
      }
    }
  }

  get count(): number {
    return this.assignments.length;
  }

  seatOf(owner: string, closeDate: LocalDate): number {
    const entry = this.byOwner.get(owner) ?? this.addOwner(owner);
    if (entry.fixedSeat >= 0) return entry.fixedSeat;
    let seat = entry.seats[0]!; // before the first dated row: earliest team
    for (let i = 0; i < entry.froms.length && entry.froms[i]! <= closeDate; i += 1) seat = entry.seats[i]!;
    return seat;
  }

  private addOwner(owner: string): OwnerSeats {
    const person = this.org.resolveOwner(owner);
    const seats = person.assignments.map((assignment) => this.seatOfAssignment.get(assignment)!);
    const varies = this.mode === 'history' && seats.length > 1;
    const fixedSeat = varies
      ? -1
      : this.seatOfAssignment.get(this.org.attributedAssignment(person, this.asOf, this.asOf, this.mode))!;
    const entry: OwnerSeats = {
      person,
      fixedSeat,
      froms: person.assignments.map((assignment) => assignment.effectiveFrom ?? ''),
      seats,
    };
    this.byOwner.set(owner, entry);
    return entry;
  }
}

// --- the pass over the deals --------------------------------------------------

/** Additive figures of one seat or entity. Every field is an integer. */
interface Totals {
  revenue: number;
  wonCount: number;
  lostCount: number;
  lostAmount: number;
  openPipeline: number;
  weightedPipeline: number;
  nextQuarterPipeline: number;
  newPipeline: number;
  pastDueCount: number;
  pastDueAmount: number;
  revenuePrevious: number;
  revenueLastYear: number;
  /** Created → close days of each won deal in the to-date window. */
  cycleDays: number[];
}

type AdditiveField = Exclude<keyof Totals, 'cycleDays'>;
const ADDITIVE_FIELDS: readonly AdditiveField[] = [
  'revenue',
  'wonCount',
  'lostCount',
  'lostAmount',
  'openPipeline',
  'weightedPipeline',
  'nextQuarterPipeline',
  'newPipeline',
  'pastDueCount',
  'pastDueAmount',
  'revenuePrevious',
  'revenueLastYear',
];

function emptyTotals(): Totals {
  return {
    revenue: 0,
    wonCount: 0,
    lostCount: 0,
    lostAmount: 0,
    openPipeline: 0,
    weightedPipeline: 0,
    nextQuarterPipeline: 0,
    newPipeline: 0,
    pastDueCount: 0,
    pastDueAmount: 0,
    revenuePrevious: 0,
    revenueLastYear: 0,
    cycleDays: [],
  };
}

function addInto(target: Totals, source: Totals): void {
  for (const field of ADDITIVE_FIELDS) target[field] += source[field];
  for (const days of source.cycleDays) target.cycleDays.push(days);
}

/** Probabilities are applied in basis points so weighted sums stay in exact integers. */
const PROBABILITY_SCALE = 10_000;

/** One Float64Array per figure, indexed by seat: the hot loop only adds numbers (exact below 2^53). */
class SeatAccumulators {
  readonly revenue: Float64Array;
  readonly wonCount: Float64Array;
  readonly lostCount: Float64Array;
  readonly lostAmount: Float64Array;
  readonly openPipeline: Float64Array;
  // Weighted pipeline = Σ amount × probability, kept as whole minor units plus
  // a remainder in 1/10 000ths so the sum is exact and order-independent; it is
  // rounded once per seat at the end, never per deal.
  readonly weightedUnits: Float64Array;
  readonly weightedRemainder: Float64Array;
  readonly nextQuarterPipeline: Float64Array;
  readonly newPipeline: Float64Array;
  readonly pastDueCount: Float64Array;
  readonly pastDueAmount: Float64Array;
  readonly revenuePrevious: Float64Array;
  readonly revenueLastYear: Float64Array;
  readonly cycleDays: number[][];
  /** Seats any deal landed on. */
  readonly touched: Uint8Array;

  constructor(readonly count: number) {
    this.revenue = new Float64Array(count);
    this.wonCount = new Float64Array(count);
    this.lostCount = new Float64Array(count);
    this.lostAmount = new Float64Array(count);
    this.openPipeline = new Float64Array(count);
    this.weightedUnits = new Float64Array(count);
    this.weightedRemainder = new Float64Array(count);
    this.nextQuarterPipeline = new Float64Array(count);
    this.newPipeline = new Float64Array(count);
    this.pastDueCount = new Float64Array(count);
    this.pastDueAmount = new Float64Array(count);
    this.revenuePrevious = new Float64Array(count);
    this.revenueLastYear = new Float64Array(count);
    this.cycleDays = Array.from({ length: count }, () => []);
    this.touched = new Uint8Array(count);
  }

  totalsOf(seat: number): Totals {
    return {
      revenue: this.revenue[seat]!,
      wonCount: this.wonCount[seat]!,
      lostCount: this.lostCount[seat]!,
      lostAmount: this.lostAmount[seat]!,
      openPipeline: this.openPipeline[seat]!,
      weightedPipeline: roundScaled(this.weightedUnits[seat]!, this.weightedRemainder[seat]!, PROBABILITY_SCALE),
      nextQuarterPipeline: this.nextQuarterPipeline[seat]!,
      newPipeline: this.newPipeline[seat]!,
      pastDueCount: this.pastDueCount[seat]!,
      pastDueAmount: this.pastDueAmount[seat]!,
      revenuePrevious: this.revenuePrevious[seat]!,
      revenueLastYear: this.revenueLastYear[seat]!,
      cycleDays: this.cycleDays[seat]!,
    };
  }
}

interface DealTally {
  /** Figures of each seat a deal landed on; undefined for untouched seats. */
  seatTotals: (Totals | undefined)[];
  /** In the order the deals were given. */
  pastDue: PastDueDeal[];
}

function tallyDeals(
  deals: readonly Deal[],
  windows: ReportingWindows,
  asOf: LocalDate,
  seats: SeatIndex,
  keyAccounts: KeyAccountTotals,
): DealTally {
  const sums = new SeatAccumulators(seats.count);
  const pastDue: PastDueDeal[] = [];
  const dayNumbers = new DayNumbers();
  const asOfDay = toDayNumber(asOf);
  const dates = new DateWindows(windows, asOf);
  const { start: toDateStart, end: toDateEnd } = windows.closedIn;

  // Most deals of a long history fall in no window: they cost a look at their
  // close date and no owner lookup.
  for (const deal of deals) {
    const close = deal.closeDate;
    const created = deal.createdDate;
    const amount = deal.amount;
    const stageClass = deal.stageClass;
    const closesIn = dates.of(close);
    let seat = -1;

    if (stageClass === 'open') {
      seat = seats.seatOf(deal.owner, close);
      if (closesIn & OPEN_PIPELINE) {
        sums.openPipeline[seat]! += amount;
        const weighted = amount * Math.round(deal.probability * PROBABILITY_SCALE);
        const remainder = weighted % PROBABILITY_SCALE;
        sums.weightedUnits[seat]! += (weighted - remainder) / PROBABILITY_SCALE;
        sums.weightedRemainder[seat]! += remainder;
      }
      if (closesIn & NEXT_QUARTER) sums.nextQuarterPipeline[seat]! += amount;
      if (closesIn & PAST_DUE) {
        sums.pastDueCount[seat]! += 1;
        sums.pastDueAmount[seat]! += amount;
        const place = seats.places[seat]!;
        pastDue.push({
          deal,
          repId: place.repId,
          repName: place.repName,
          team: place.team,
          region: place.region,
          daysPastDue: asOfDay - dayNumbers.of(close),
        });
      }
    } else if (closesIn & (TO_DATE | PREVIOUS_PERIOD | LAST_YEAR)) {
      const inPeriod = (closesIn & TO_DATE) !== 0;
      if (stageClass === 'won') {
        const inPrevious = (closesIn & PREVIOUS_PERIOD) !== 0;
        const inLastYear = (closesIn & LAST_YEAR) !== 0;
        seat = seats.seatOf(deal.owner, close);
        if (inPeriod) {
          sums.revenue[seat]! += amount;
          sums.wonCount[seat]! += 1;
          // Imported deals can carry the import date as created date; a negative cycle is not a cycle.
          if (created !== null && created <= close) sums.cycleDays[seat]!.push(dayNumbers.of(close) - dayNumbers.of(created));
        }
        if (inPrevious) sums.revenuePrevious[seat]! += amount;
        if (inLastYear) sums.revenueLastYear[seat]! += amount;
        keyAccounts.add(deal, inPeriod, inPrevious, inLastYear);
      } else if (inPeriod) {
        seat = seats.seatOf(deal.owner, close);
        sums.lostCount[seat]! += 1;
        sums.lostAmount[seat]! += amount;
      }
    }

    // Two comparisons of short texts beat a second Map lookup per deal.
    if (created !== null && created >= toDateStart && created <= toDateEnd) {
      if (seat < 0) seat = seats.seatOf(deal.owner, close);
      sums.newPipeline[seat]! += amount;
    }
    if (seat >= 0) sums.touched[seat] = 1;
  }

  const seatTotals = Array.from({ length: sums.count }, (_, seat) => (sums.touched[seat] ? sums.totalsOf(seat) : undefined));
  return { seatTotals, pastDue };
}

// Where a date falls among the report's windows, as bits.
const TO_DATE = 1;
const PREVIOUS_PERIOD = 2;
const LAST_YEAR = 4;
const OPEN_PIPELINE = 8;
const NEXT_QUARTER = 16;
/** Before the as-of day. */
const PAST_DUE = 32;

/**
 * The windows each date falls in, worked out once per distinct date: a million
 * deals share a few thousand dates, and one Map lookup (the dates of stored
 * deals share their string, hash included) is far cheaper than the dozen text
 * comparisons a deal would otherwise need.
 */
class DateWindows {
  private readonly bitsByDate = new Map<LocalDate, number>();
  private readonly ranges: readonly (readonly [bit: number, window: DateWindow])[];

  constructor(
    windows: ReportingWindows,
    private readonly asOf: LocalDate,
  ) {
    this.ranges = [
      [TO_DATE, windows.closedIn],
      [PREVIOUS_PERIOD, windows.previousPeriod],
      [LAST_YEAR, windows.lastYear],
      [OPEN_PIPELINE, windows.pipelineIn],
      [NEXT_QUARTER, windows.nextQuarterPipeline],
    ];
  }

  of(date: LocalDate): number {
    let bits = this.bitsByDate.get(date);
    if (bits === undefined) this.bitsByDate.set(date, (bits = this.windowsOf(date)));
    return bits;
  }

  private windowsOf(date: LocalDate): number {
    let bits = date < this.asOf ? PAST_DUE : 0;
    for (const [bit, window] of this.ranges) if (date >= window.start && date <= window.end) bits |= bit;
    return bits;
  }
}

/** `units + remainder / scale` rounded half away from zero (remainder may be any integer). */
function roundScaled(units: number, remainder: number, scale: number): number {
  const carry = Math.floor(remainder / scale);
  const whole = units + carry;
  const fraction = remainder - carry * scale; // 0 ≤ fraction < scale
  const roundsUp = whole >= 0 ? 2 * fraction >= scale : 2 * fraction > scale;
  return (roundsUp ? whole + 1 : whole) || 0;
}

/** numerator ÷ denominator rounded half away from zero, for integer amounts. */
export function divideRounded(numerator: number, denominator: number): number {
  const sign = Math.sign(numerator) * Math.sign(denominator);
  const n = Math.abs(numerator);
  const d = Math.abs(denominator);
  let quotient = Math.floor(n / d);
  let remainder = n - quotient * d;
  // n / d is a rounded float: correct the quotient by one if it landed on the wrong side.
  if (remainder < 0) {
    quotient -= 1;
    remainder += d;
  } else if (remainder >= d) {
    quotient += 1;
    remainder -= d;
  }
  if (2 * remainder >= d) quotient += 1;
  return sign * quotient || 0;
}

// --- reps, teams, regions ---------------------------------------------------------

interface EntityRef {
  level: EntityLevel;
  id: string;
  name: string;
  team: string | null;
  region: string | null;
}

interface ReportingStructure {
  reps: EntityRef[];
  teams: EntityRef[];
  regions: EntityRef[];
  repTotals: Map<string, Totals>;
  teamTotals: Map<string, Totals>;
  regionTotals: Map<string, Totals>;
  companyTotals: Totals;
  /** Quota roll-up: a team's members are its listed reps, a region's its teams, the company's its regions. */
  membersOf: (level: EntityLevel, id: string) => readonly EntityRef[];
}

/**
 * Who is listed where. A rep is listed under the team they are in at the end
 * of the reported span (history) or on the as-of date (current). Figures roll
 * up by seat, so in history mode a rep who moved mid-period is listed once,
 * under the new team, while the deals they closed before the move stay with the
 * old team's figures.
 */
function reportingStructure(
  org: OrgChart,
  seats: SeatIndex,
  tally: DealTally,
  period: FiscalPeriod,
  asOf: LocalDate,
  mode: TeamAttribution,
): ReportingStructure {
  const listedOn = mode === 'history' ? clampDate(asOf, period.start, period.end) : asOf;
  const repTotals = new Map<string, Totals>();
  const teamTotals = new Map<string, Totals>();
  seats.assignments.forEach((assignment, seat) => {
    const totals = tally.seatTotals[seat];
    if (!totals) return;
    addInto(totalsFor(repTotals, assignment.personId), totals);
    addInto(totalsFor(teamTotals, assignment.team), totals);
  });

  const reps: EntityRef[] = [];
  for (const person of [...org.people(), org.person(UNASSIGNED.id)!]) {
    const listing = org.attributedAssignment(person, listedOn, listedOn, 'history');
    const isActiveRep = listing.role === 'rep' && listing.active && person.id !== UNASSIGNED.id;
    if (!isActiveRep && !repTotals.has(person.id)) continue;
    totalsFor(repTotals, person.id);
    totalsFor(teamTotals, listing.team);
    reps.push({ level: 'rep', id: person.id, name: person.name, team: listing.team, region: org.regionOf(listing.team) });
  }

  const regionTotals = new Map<string, Totals>();
  const teams: EntityRef[] = [];
  for (const [team, totals] of teamTotals) {
    const region = org.regionOf(team);
    addInto(totalsFor(regionTotals, region), totals);
    teams.push({ level: 'team', id: team, name: team, team: null, region });
  }
  const companyTotals = emptyTotals();
  const regions: EntityRef[] = [];
  for (const [region, totals] of regionTotals) {
    addInto(companyTotals, totals);
    regions.push({ level: 'region', id: region, name: region, team: null, region: null });
  }

  reps.sort((a, b) => compareListed(a.team!, b.team!) || compareListed(a.name, b.name) || compareText(a.id, b.id));
  teams.sort((a, b) => compareListed(a.region!, b.region!) || compareListed(a.id, b.id));
  regions.sort((a, b) => compareListed(a.id, b.id));

  const members = new Map<string, EntityRef[]>();
  const addMember = (level: EntityLevel, id: string, member: EntityRef): void => {
    const key = entityKey(level, id);
    const list = members.get(key);
    if (list) list.push(member);
    else members.set(key, [member]);
  };
  for (const rep of reps) addMember('team', rep.team!, rep);
  for (const team of teams) addMember('region', team.region!, team);
  for (const region of regions) addMember('company', COMPANY_ID, region);

  return {
    reps,
    teams,
    regions,
    repTotals,
    teamTotals,
    regionTotals,
    companyTotals,
    membersOf: (level, id) => members.get(entityKey(level, id)) ?? [],
  };
}

function totalsFor(totalsById: Map<string, Totals>, id: string): Totals {
  let totals = totalsById.get(id);
  if (!totals) totalsById.set(id, (totals = emptyTotals()));
  return totals;
}

function clampDate(date: LocalDate, start: LocalDate, end: LocalDate): LocalDate {
  return date < start ? start : date > end ? end : date;
}

/** Names in order, Unassigned last. */
function compareListed(a: string, b: string): number {
  const unassigned = Number(a === UNASSIGNED.team) - Number(b === UNASSIGNED.team);
  return unassigned || compareText(a, b);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function entityKey(level: EntityLevel, id: string): string {
  return `${level}\u0000${id}`;
}

// --- quotas ---------------------------------------------------------------------

/**
 * Quota of an entity for a period — its own figures first, then its members':
 * 1. its own uploaded figure for the period;
 * 2. its own finer figures: a quarter = the sum of its own monthly quotas; a
 *    year = the sum of its own quarters (each an uploaded quarter or its months);
 * 3. a team, region or the company: the sum of its members' quotas, each
 *    resolved by these rules.
 * Weeks and months use only rules 1 and 3 (a weekly quota is rarely uploaded,
 * so a week's quota is usually n/a). A sum over nothing uploaded is null, not 0;
 * a sum over some members counts those who have a quota. If the same quota is
 * uploaded twice, the later row wins.
 */
class QuotaBook {
  private readonly uploaded = new Map<string, MinorUnits>();
  private readonly resolved = new Map<string, MinorUnits | null>();
  /** Calendar arithmetic is slow next to a map lookup, and every entity asks for the same few periods. */
  private readonly partsOf = new Map<string, FiscalPeriod[]>();

  constructor(
    quotas: readonly Quota[],
    private readonly calendar: FiscalCalendar,
    private readonly membersOf: (level: EntityLevel, id: string) => readonly EntityRef[],
  ) {
    for (const quota of quotas) this.uploaded.set(quotaKey(quota.level, quota.entityId, quota.periodId), quota.amount);
  }

  resolve(level: EntityLevel, id: string, period: FiscalPeriod): MinorUnits | null {
    const key = quotaKey(level, id, period.id);
    if (this.resolved.has(key)) return this.resolved.get(key)!;
    const quota =
      this.own(level, id, period) ??
      (level === 'rep' ? null : sumOrNull(this.membersOf(level, id).map((m) => this.resolve(m.level, m.id, period))));
    this.resolved.set(key, quota);
    return quota;
  }

  private own(level: EntityLevel, id: string, period: FiscalPeriod): MinorUnits | null {
    const uploaded = this.uploaded.get(quotaKey(level, id, period.id));
    if (uploaded !== undefined) return uploaded;
    if (period.kind !== 'quarter' && period.kind !== 'year') return null;
    return sumOrNull(this.parts(period).map((part) => this.own(level, id, part)));
  }

  /** A quarter's months, a year's quarters. */
  private parts(period: FiscalPeriod): FiscalPeriod[] {
    let parts = this.partsOf.get(period.id);
    if (!parts) {
      parts = this.calendar.children(period, period.kind === 'year' ? 'quarter' : 'month');
      this.partsOf.set(period.id, parts);
    }
    return parts;
  }
}

function quotaKey(level: EntityLevel, id: string, periodId: string): string {
  return `${level}\u0000${id}\u0000${periodId}`;
}

function sumOrNull(amounts: readonly (MinorUnits | null)[]): MinorUnits | null {
  let sum: MinorUnits | null = null;
  for (const amount of amounts) if (amount !== null) sum = (sum ?? 0) + amount;
  return sum;
}

// --- figures of one entity ---------------------------------------------------------

interface EntityShape {
  periodId: string;
  kind: FiscalPeriod['kind'];
  currency: string;
  coverageTarget: number;
  daysInPeriod: number;
  elapsedDays: number;
  daysLeft: number;
}

function entityMetrics(
  entity: EntityRef,
  totals: Totals,
  quota: MinorUnits | null,
  nextQuarterQuota: MinorUnits | null,
  shape: EntityShape,
): EntityMetrics {
  const { revenue } = totals;
  const attainment = ratio(revenue, quota);
  const gapToQuota = quota === null ? null : Math.max(quota - revenue, 0);
  const quotaMet = gapToQuota === 0;
  const pipelineCoverage = quotaMet ? null : ratio(totals.openPipeline, gapToQuota);
  const projectedRevenue = shape.elapsedDays > 0 ? divideRounded(revenue * shape.daysInPeriod, shape.elapsedDays) : null;
  const shareElapsed = shape.elapsedDays / shape.daysInPeriod;
  const cycle = cycleStatistics(totals.cycleDays);
  return {
    level: entity.level,
    id: entity.id,
    name: entity.name,
    period: shape.periodId,
    team: entity.team,
    region: entity.region,
    currency: shape.currency,
    revenue,
    quota,
    attainment,
    gapToQuota,
    growthQoQ: shape.kind === 'quarter' ? growth(revenue, totals.revenuePrevious) : null,
    growthYoY: growth(revenue, totals.revenueLastYear),
    growthWoW: shape.kind === 'week' ? growth(revenue, totals.revenuePrevious) : null,
    pace: attainment === null || shareElapsed === 0 ? null : attainment / shareElapsed,
    projectedRevenue,
    projectedAttainment: projectedRevenue === null ? null : ratio(projectedRevenue, quota),
    requiredPerDay: gapToQuota === null || shape.daysLeft === 0 ? null : divideRounded(gapToQuota, shape.daysLeft),
    openPipeline: totals.openPipeline,
    weightedPipeline: totals.weightedPipeline,
    pipelineCoverage,
    quotaMet,
    coverageHealthy: quota === null ? null : quotaMet || (pipelineCoverage ?? 0) >= shape.coverageTarget,
    nextQuarterPipeline: totals.nextQuarterPipeline,
    nextQuarterQuota,
    nextQuarterCoverage: ratio(totals.nextQuarterPipeline, nextQuarterQuota),
    wonCount: totals.wonCount,
    lostCount: totals.lostCount,
    lostAmount: totals.lostAmount,
    winRate: ratio(totals.wonCount, totals.wonCount + totals.lostCount),
    valueWinRate: ratio(revenue, revenue + totals.lostAmount),
    averageDealSize: totals.wonCount > 0 ? divideRounded(revenue, totals.wonCount) : null,
    salesCycleMedianDays: cycle.median,
    salesCycleMeanDays: cycle.mean,
    newPipeline: totals.newPipeline,
    pastDueCount: totals.pastDueCount,
    pastDueAmount: totals.pastDueAmount,
    rankInTeam: null,
    rankInCompany: null,
    revenueComparisons: {
      previousPeriod: totals.revenuePrevious,
      lastYear: totals.revenueLastYear,
      previousWeek: shape.kind === 'week' ? totals.revenuePrevious : null,
    },
  };
}

function ratio(numerator: number, denominator: number | null): Ratio {
  return denominator === null || denominator === 0 ? null : numerator / denominator;
}

function growth(current: MinorUnits, comparison: MinorUnits): Ratio {
  return ratio(current - comparison, comparison);
}

function cycleStatistics(days: readonly number[]): { median: number | null; mean: number | null } {
  if (days.length === 0) return { median: null, mean: null };
  const sorted = Float64Array.from(days).sort();
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  let sum = 0;
  for (const value of days) sum += value;
  return { median, mean: sum / days.length };
}

/** Competition ranking by attainment (1, 1, 3 …); reps without attainment share the last rank; Unassigned is no rep. */
function rankReps(reps: EntityMetrics[]): void {
  const ranked = reps.filter((rep) => rep.id !== UNASSIGNED.id);
  assignRanks(ranked, (rep, rank) => (rep.rankInCompany = rank));
  const byTeam = new Map<string, EntityMetrics[]>();
  for (const rep of ranked) {
    const teamReps = byTeam.get(rep.team!);
    if (teamReps) teamReps.push(rep);
    else byTeam.set(rep.team!, [rep]);
  }
  for (const teamReps of byTeam.values()) assignRanks(teamReps, (rep, rank) => (rep.rankInTeam = rank));
}

function assignRanks(reps: readonly EntityMetrics[], setRank: (rep: EntityMetrics, rank: number) => void): void {
  const attainments = reps
    .map((rep) => rep.attainment)
    .filter((attainment): attainment is number => attainment !== null)
    .sort((a, b) => b - a);
  // The rank of an attainment is 1 + the number of strictly better ones: its first position.
  const rankOf = new Map<number, number>();
  attainments.forEach((attainment, index) => {
    if (!rankOf.has(attainment)) rankOf.set(attainment, index + 1);
  });
  for (const rep of reps) setRank(rep, rep.attainment === null ? attainments.length + 1 : rankOf.get(rep.attainment)!);
}

// --- key accounts and past-due deals ---------------------------------------------

class KeyAccountTotals {
  private readonly indexById = new Map<string, number>();
  /** Raw account text → key account index or -1; deals repeat the same few account names. */
  private readonly indexByAccount = new Map<string, number>();
  private readonly revenue: number[];
  private readonly wonCount: number[];
  private readonly previous: number[];
  private readonly lastYear: number[];

  constructor(private readonly accounts: readonly KeyAccount[]) {
    accounts.forEach((account, index) => this.indexById.set(account.id, index));
    this.revenue = accounts.map(() => 0);
    this.wonCount = accounts.map(() => 0);
    this.previous = accounts.map(() => 0);
    this.lastYear = accounts.map(() => 0);
  }

  add(deal: Deal, inPeriod: boolean, inPrevious: boolean, inLastYear: boolean): void {
    let index = this.indexByAccount.get(deal.account);
    if (index === undefined) {
      index = this.indexById.get(normaliseName(deal.account)) ?? -1;
      this.indexByAccount.set(deal.account, index);
    }
    if (index < 0) return;
    if (inPeriod) {
      this.revenue[index]! += deal.amount;
      this.wonCount[index]! += 1;
    }
    if (inPrevious) this.previous[index]! += deal.amount;
    if (inLastYear) this.lastYear[index]! += deal.amount;
  }

  metrics(companyRevenue: MinorUnits, kind: FiscalPeriod['kind']): KeyAccountMetrics[] {
    return this.accounts
      .map((account, index) => {
        const revenue = this.revenue[index]!;
        const previousPeriod = this.previous[index]!;
        const lastYear = this.lastYear[index]!;
        return {
          id: account.id,
          name: account.name,
          tier: account.tier,
          revenue,
          wonCount: this.wonCount[index]!,
          shareOfRevenue: ratio(revenue, companyRevenue),
          growthQoQ: kind === 'quarter' ? growth(revenue, previousPeriod) : null,
          growthYoY: growth(revenue, lastYear),
          revenueComparisons: { previousPeriod, lastYear },
        };
      })
      .sort((a, b) => b.revenue - a.revenue || compareText(a.name, b.name));
  }
}

/**
 * Oldest close date first; deals with the same close date keep the order they
 * were given in. A counting sort on days past due: a stale CRM can have a
 * hundred thousand past-due deals, and a comparator sort of them would cost
 * more than all the metrics together.
 */
function oldestFirst(pastDue: readonly PastDueDeal[]): PastDueDeal[] {
  let oldest = 0;
  for (const entry of pastDue) if (entry.daysPastDue > oldest) oldest = entry.daysPastDue;
  // starts[d] = position of the first deal d days past due, oldest (largest d) first.
  const starts = new Int32Array(oldest + 2);
  for (const entry of pastDue) starts[oldest - entry.daysPastDue + 1]! += 1;
  for (let i = 1; i < starts.length; i += 1) starts[i]! += starts[i - 1]!;
  const ordered = new Array<PastDueDeal>(pastDue.length);
  for (const entry of pastDue) ordered[starts[oldest - entry.daysPastDue]!++] = entry;
  return ordered;
}

/** Day numbers of dates, parsed once per distinct date: a million deals share a few thousand dates. */
class DayNumbers {
  private readonly byDate = new Map<LocalDate, number>();

  of(date: LocalDate): number {
    let day = this.byDate.get(date);
    if (day === undefined) this.byDate.set(date, (day = toDayNumber(date)));
    return day;
  }
}
