// The one pass over the deals behind every figure of METRICS.md: where each
// deal's numbers land (a "seat": a person's stint in a team, one people-file
// row), summed into integer accumulators per seat, plus the deal lists of data
// hygiene (past-due and undated open deals) and what the reconciliation needs
// to name deals that count for no one.
//
// How it stays fast on a million deals: one pass comparing 'YYYY-MM-DD'
// strings (lexicographic order is date order), the windows of each distinct
// date worked out once, owners resolved once per distinct owner text, integer
// sums in typed arrays per seat.
//
// Windows (all inclusive, civil dates in the org's zone):
// - to date: period start → as-of day (or period end once over). Revenue,
//   won/lost, sales cycle and new pipeline count here — a won deal dated after
//   the as-of day has not happened yet as far as this report is concerned.
// - open pipeline: as-of day → period end. The as-of day itself counts: a deal
//   expected to close today is still winnable today. Deals dated before it are
//   past due instead (all history, not just this period); open deals without a
//   date are undated pipeline, in no window. Every open deal counts in the
//   total open pipeline its owner holds.
// - comparisons: the same span of days of the previous period / the same period
//   last year (`FiscalCalendar.comparisonWindow`).
// - trailing four quarters: the four fiscal quarters before the period
//   (`trailingFourQuarters`): won and lost deals there feed required coverage
//   and sales velocity.
import type { DateWindow, FiscalCalendar } from './fiscal-calendar.js';
import { DEFAULT_FORECAST_BANDS, forecastCategoryOf, type ForecastBands } from './forecast-category.js';
import { trailingFourQuarters } from './forecast-figures.js';
import { daysInStage } from './days-in-stage.js';
import { DEFAULT_STALE_AFTER_DAYS, PUSHED_OFTEN } from './forecast-history.js';
import { toDayNumber } from './local-date.js';
import { UNASSIGNED, type Assignment, type OrgChart, type OrgPerson, type TeamAttribution } from './org-chart.js';
import type { KeyAccountTotals } from './key-account-totals.js';
import type { Deal, FiscalPeriod, ForecastCategory, LocalDate } from './types.js';

/** An open deal listed under data hygiene, with whom it counts for. */
export interface HygieneDeal {
  deal: Deal;
  /** The deal's forecast category: the stored one, or derived from its probability for deals stored before categories were kept. */
  forecastCategory: ForecastCategory;
  repId: string;
  repName: string;
  team: string;
  region: string;
  /** Times its close date moved later across the stored pipeline snapshots; null before there is a snapshot to count from. */
  closeDatePushes: number | null;
  /** Days since the deal entered its current stage (daysInStage); null when the export carries no stage-change date for it. */
  daysInStage: number | null;
}

/** An open deal whose close date is before the as-of date. */
export interface PastDueDeal extends HygieneDeal {
  daysPastDue: number;
}

// --- windows ------------------------------------------------------------------

/** Windows as plain ranges; an empty one has end < start, so no date falls in it. */
export interface ReportingWindows {
  toDate: DateWindow | null;
  openPipeline: DateWindow | null;
  previousPeriod: DateWindow;
  lastYear: DateWindow;
  nextQuarterPipeline: DateWindow;
  /** The four fiscal quarters before the period, up to the as-of day at the latest. */
  trailingFourQuarters: DateWindow;
  /** `toDate` or an empty range, for the hot loop. */
  closedIn: DateWindow;
  pipelineIn: DateWindow;
  /** The whole period: a won or lost deal closing in it is this report's business, even after the as-of day. */
  period: DateWindow;
}

/** A range no date falls in. */
const NO_DATES: DateWindow = Object.freeze({ start: '9999-12-31', end: '0000-01-01' });

export function reportingWindows(calendar: FiscalCalendar, period: FiscalPeriod, asOf: LocalDate): ReportingWindows {
  const toDate = calendar.toDateWindow(period, asOf);
  const openPipeline = asOf <= period.end ? { start: maxDate(asOf, period.start), end: period.end } : null;
  const nextQuarter = calendar.next(calendar.period('quarter', period.end));
  return {
    toDate,
    openPipeline,
    previousPeriod: calendar.comparisonWindow(period, asOf, 'previous'),
    lastYear: calendar.comparisonWindow(period, asOf, 'lastYear'),
    nextQuarterPipeline: { start: maxDate(asOf, nextQuarter.start), end: nextQuarter.end },
    trailingFourQuarters: trailingFourQuarters(calendar, period, asOf),
    closedIn: toDate ?? NO_DATES,
    pipelineIn: openPipeline ?? NO_DATES,
    period: { start: period.start, end: period.end },
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
export interface SeatPlace {
  repId: string;
  repName: string;
  team: string;
  region: string;
}

export class SeatIndex {
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

  /** Whether a seat is the Unassigned rep's: the owner matched no one. */
  isUnassigned(seat: number): boolean {
    return this.places[seat]!.repId === UNASSIGNED.id;
  }

  get count(): number {
    return this.assignments.length;
  }

  /** The seat a deal of this owner closing on `closeDate` counts on; an undated deal counts where its owner is on the as-of date. */
  seatOf(owner: string, closeDate: LocalDate | null): number {
    const entry = this.byOwner.get(owner) ?? this.addOwner(owner);
    if (entry.fixedSeat >= 0) return entry.fixedSeat;
    if (closeDate === null) closeDate = this.asOf;
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
export interface Totals {
  revenue: number;
  wonCount: number;
  lostCount: number;
  lostAmount: number;
  openPipeline: number;
  weightedPipeline: number;
  /** The open pipeline (same deals, same window) by forecast category; closed and omitted deals are in none of the three. */
  commitAmount: number;
  bestCaseAmount: number;
  pipelineCategoryAmount: number;
  nextQuarterPipeline: number;
  newPipeline: number;
  pastDueCount: number;
  pastDueAmount: number;
  undatedOpenCount: number;
  undatedOpenAmount: number;
  totalOpenCount: number;
  totalOpenPipeline: number;
  revenuePrevious: number;
  revenueLastYear: number;
  /** Won and lost deals closing in the trailing four quarters (same attribution as the period's). */
  trailingRevenue: number;
  trailingWonCount: number;
  trailingLostCount: number;
  trailingLostAmount: number;
  /** Σ created → close days of the trailing won deals with a usable created date, and their count. */
  trailingCycleDaysSum: number;
  trailingCycleCount: number;
  /** Open deals whose close date was pushed later PUSHED_OFTEN (3) or more times across the stored pipeline snapshots. */
  pushedOftenCount: number;
  /** Open deals with a last-activity date, and those of them without activity for `staleAfterDays` or more. */
  activityDatedOpenCount: number;
  staleOpenCount: number;
  /**
   * Slip rate: the open deals the period's first pipeline snapshot expected to close in the period (count, and
   * value at that snapshot's amounts), and those of them neither won nor lost in the period to date.
   */
  slipBaseCount: number;
  slipBaseValue: number;
  slippedCount: number;
  slippedValue: number;
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
  'commitAmount',
  'bestCaseAmount',
  'pipelineCategoryAmount',
  'nextQuarterPipeline',
  'newPipeline',
  'pastDueCount',
  'pastDueAmount',
  'undatedOpenCount',
  'undatedOpenAmount',
  'totalOpenCount',
  'totalOpenPipeline',
  'revenuePrevious',
  'revenueLastYear',
  'trailingRevenue',
  'trailingWonCount',
  'trailingLostCount',
  'trailingLostAmount',
  'trailingCycleDaysSum',
  'trailingCycleCount',
  'pushedOftenCount',
  'activityDatedOpenCount',
  'staleOpenCount',
  'slipBaseCount',
  'slipBaseValue',
  'slippedCount',
  'slippedValue',
];

export function emptyTotals(): Totals {
  const totals = { cycleDays: [] as number[] } as Totals;
  for (const field of ADDITIVE_FIELDS) totals[field] = 0;
  return totals;
}

export function addInto(target: Totals, source: Totals): void {
  for (const field of ADDITIVE_FIELDS) target[field] += source[field];
  for (const days of source.cycleDays) target.cycleDays.push(days);
}

/** Probabilities are applied in basis points so weighted sums stay in exact integers. */
const PROBABILITY_SCALE = 10_000;

/** Figures summed per seat in the hot loop; weighted pipeline is derived at the end. */
type SeatField = Exclude<AdditiveField, 'weightedPipeline'>;
const SEAT_FIELDS: readonly SeatField[] = ADDITIVE_FIELDS.filter((field): field is SeatField => field !== 'weightedPipeline');

/** One Float64Array per figure, indexed by seat: the hot loop only adds numbers (exact below 2^53). */
class SeatAccumulators {
  readonly sums: Record<SeatField, Float64Array>;
  // Weighted pipeline = Σ amount × probability, kept as whole minor units plus
  // a remainder in 1/10 000ths so the sum is exact and order-independent; it is
  // rounded once per seat at the end, never per deal.
  readonly weightedUnits: Float64Array;
  readonly weightedRemainder: Float64Array;
  readonly cycleDays: number[][];
  /** Seats any deal landed on. */
  readonly touched: Uint8Array;

  constructor(readonly count: number) {
    this.sums = Object.fromEntries(SEAT_FIELDS.map((field) => [field, new Float64Array(count)])) as Record<SeatField, Float64Array>;
    this.weightedUnits = new Float64Array(count);
    this.weightedRemainder = new Float64Array(count);
    this.cycleDays = Array.from({ length: count }, () => []);
    this.touched = new Uint8Array(count);
  }

  totalsOf(seat: number): Totals {
    const totals = { cycleDays: this.cycleDays[seat]! } as Totals;
    for (const field of SEAT_FIELDS) totals[field] = this.sums[field][seat]!;
    totals.weightedPipeline = roundScaled(this.weightedUnits[seat]!, this.weightedRemainder[seat]!, PROBABILITY_SCALE);
    return totals;
  }
}

/** Deals of the reported period that count for no one, for the reconciliation. */
export interface DealUsage {
  /**
   * Deals this report is about: every open deal, won and lost deals closing in
   * the period, deals created in it so far. Deals read only for comparisons
   * (last quarter, last year) are not.
   */
  inScope: number;
  /** In-scope deals counted under Unassigned, by owner text. */
  unassignedByOwner: Map<string, number>;
  /** Won or lost deals of the period dated after the as-of day (by close date, then id): they count once their day has come. */
  datedAfterAsOf: Deal[];
}

export interface DealTally {
  /** Figures of each seat a deal landed on; undefined for untouched seats. */
  seatTotals: (Totals | undefined)[];
  /** In the order the deals were given. */
  pastDue: PastDueDeal[];
  /** Biggest amount first (then by id). */
  undated: HygieneDeal[];
  usage: DealUsage;
}

/** What the stored history adds to the pass (forecast-history.ts): pushes per deal, the period's first snapshot. */
export interface TallyHistory {
  /** Push count per open deal id; null without an earlier pipeline snapshot. */
  closeDatePushes: ReadonlyMap<string, number> | null;
  /** The open deals of the period's first pipeline snapshot before the as-of date; null when there is none. */
  periodOpening: readonly { id: string; owner: string; amount: number; closeDate: LocalDate | null; stageClass: string }[] | null;
  /** Open deals without activity for this many days or more are stale (config `forecast.staleAfterDays`). */
  staleAfterDays: number;
}

const NO_HISTORY: TallyHistory = { closeDatePushes: null, periodOpening: null, staleAfterDays: DEFAULT_STALE_AFTER_DAYS };

export function tallyDeals(
  deals: readonly Deal[],
  windows: ReportingWindows,
  asOf: LocalDate,
  seats: SeatIndex,
  keyAccounts: KeyAccountTotals,
  forecastBands: ForecastBands = DEFAULT_FORECAST_BANDS,
  history: TallyHistory = NO_HISTORY,
): DealTally {
  const accumulators = new SeatAccumulators(seats.count);
  const { sums } = accumulators;
  const pastDue: PastDueDeal[] = [];
  const undated: HygieneDeal[] = [];
  const usage: DealUsage = { inScope: 0, unassignedByOwner: new Map(), datedAfterAsOf: [] };
  const dayNumbers = new DayNumbers();
  const asOfDay = toDayNumber(asOf);
  const dates = new DateWindows(windows, asOf);
  const { start: toDateStart, end: toDateEnd } = windows.closedIn;
  const pushes = history.closeDatePushes;
  const pushesOf = (deal: Deal) => (pushes === null ? null : (pushes.get(deal.id) ?? 0));
  // An open deal as the hygiene lists name it: whom it counts for, its category, pushes and days in stage.
  const listed = (deal: Deal, seat: number): HygieneDeal => ({
    deal,
    forecastCategory: forecastCategoryOf(deal, forecastBands),
    ...seats.places[seat]!,
    closeDatePushes: pushesOf(deal),
    daysInStage: daysInStage(deal.stageChangeDate, asOf),
  });
  const staleBefore = asOfDay - history.staleAfterDays;
  // Slip rate needs the deals won or lost in the period to date, by id, and who holds each expected deal now.
  const closedInPeriod = history.periodOpening === null ? null : new Set<string>();
  const expectedIds = history.periodOpening === null ? null : new Set(history.periodOpening.map((expected) => expected.id));
  const ownerNow = new Map<string, string>();

  // Most deals of a long history fall in no window: they cost a look at their
  // close date and no owner lookup.
  for (const deal of deals) {
    if (expectedIds !== null && expectedIds.has(deal.id)) ownerNow.set(deal.id, deal.owner);
    const close = deal.closeDate;
    const created = deal.createdDate;
    const amount = deal.amount;
    const stageClass = deal.stageClass;
    const closesIn = close === null ? 0 : dates.of(close);
    const createdInPeriod = created !== null && created >= toDateStart && created <= toDateEnd;
    let seat = -1;
    let inScope = false;

    if (stageClass === 'open') {
      inScope = true;
      seat = seats.seatOf(deal.owner, close);
      sums.totalOpenCount[seat]! += 1;
      sums.totalOpenPipeline[seat]! += amount;
      if (pushes !== null && (pushes.get(deal.id) ?? 0) >= PUSHED_OFTEN) sums.pushedOftenCount[seat]! += 1;
      if (deal.lastActivityDate !== null && deal.lastActivityDate !== undefined) {
        sums.activityDatedOpenCount[seat]! += 1;
        if (dayNumbers.of(deal.lastActivityDate) <= staleBefore) sums.staleOpenCount[seat]! += 1;
      }
      if (close === null) {
        sums.undatedOpenCount[seat]! += 1;
        sums.undatedOpenAmount[seat]! += amount;
        undated.push(listed(deal, seat));
      }
      if (closesIn & OPEN_PIPELINE) {
        sums.openPipeline[seat]! += amount;
        const weighted = amount * Math.round(deal.probability * PROBABILITY_SCALE);
        const remainder = weighted % PROBABILITY_SCALE;
        accumulators.weightedUnits[seat]! += (weighted - remainder) / PROBABILITY_SCALE;
        accumulators.weightedRemainder[seat]! += remainder;
        const category = forecastCategoryOf(deal, forecastBands);
        if (category === 'commit') sums.commitAmount[seat]! += amount;
        else if (category === 'bestCase') sums.bestCaseAmount[seat]! += amount;
        else if (category === 'pipeline') sums.pipelineCategoryAmount[seat]! += amount;
      }
      if (closesIn & NEXT_QUARTER) sums.nextQuarterPipeline[seat]! += amount;
      if (closesIn & PAST_DUE) {
        sums.pastDueCount[seat]! += 1;
        sums.pastDueAmount[seat]! += amount;
        pastDue.push({ ...listed(deal, seat), daysPastDue: asOfDay - dayNumbers.of(close!) });
      }
    } else if (closesIn & (TO_DATE | PREVIOUS_PERIOD | LAST_YEAR | IN_PERIOD | TRAILING)) {
      const inPeriod = (closesIn & TO_DATE) !== 0;
      if (inPeriod && closedInPeriod !== null) closedInPeriod.add(deal.id);
      if (closesIn & IN_PERIOD) {
        inScope = true;
        if (!inPeriod && !createdInPeriod) usage.datedAfterAsOf.push(deal);
      }
      if (stageClass === 'won') {
        const inPrevious = (closesIn & PREVIOUS_PERIOD) !== 0;
        const inLastYear = (closesIn & LAST_YEAR) !== 0;
        const inTrailing = (closesIn & TRAILING) !== 0;
        if (inPeriod || inPrevious || inLastYear || inTrailing) {
          seat = seats.seatOf(deal.owner, close);
          if (inPeriod) {
            sums.revenue[seat]! += amount;
            sums.wonCount[seat]! += 1;
            // Imported deals can carry the import date as created date; a negative cycle is not a cycle.
            if (created !== null && created <= close!) accumulators.cycleDays[seat]!.push(dayNumbers.of(close!) - dayNumbers.of(created));
          }
          if (inPrevious) sums.revenuePrevious[seat]! += amount;
          if (inLastYear) sums.revenueLastYear[seat]! += amount;
          if (inTrailing) {
            sums.trailingRevenue[seat]! += amount;
            sums.trailingWonCount[seat]! += 1;
            if (created !== null && created <= close!) {
              sums.trailingCycleDaysSum[seat]! += dayNumbers.of(close!) - dayNumbers.of(created);
              sums.trailingCycleCount[seat]! += 1;
            }
          }
          if (inPeriod || inPrevious || inLastYear) keyAccounts.add(deal, inPeriod, inPrevious, inLastYear);
        }
      } else if (closesIn & (TO_DATE | TRAILING)) {
        seat = seats.seatOf(deal.owner, close);
        if (inPeriod) {
          sums.lostCount[seat]! += 1;
          sums.lostAmount[seat]! += amount;
        }
        if (closesIn & TRAILING) {
          sums.trailingLostCount[seat]! += 1;
          sums.trailingLostAmount[seat]! += amount;
        }
      }
    }

    // Two comparisons of short texts beat a second Map lookup per deal.
    if (createdInPeriod) {
      inScope = true;
      if (seat < 0) seat = seats.seatOf(deal.owner, close);
      sums.newPipeline[seat]! += amount;
    }
    if (seat >= 0) accumulators.touched[seat] = 1;
    if (inScope) {
      usage.inScope += 1;
      if (seat >= 0 && seats.isUnassigned(seat)) usage.unassignedByOwner.set(deal.owner, (usage.unassignedByOwner.get(deal.owner) ?? 0) + 1);
    }
  }

  // Slip rate: the deals the period's first snapshot expected in the period, at that snapshot's amounts, counted
  // for whoever holds the deal now (like pipeline, pushes and category moves); a deal gone from the CRM for its owner then.
  if (history.periodOpening !== null && closedInPeriod !== null) {
    const { start, end } = windows.period;
    for (const expected of history.periodOpening) {
      if (expected.stageClass !== 'open' || expected.closeDate === null || expected.closeDate < start || expected.closeDate > end) continue;
      const seat = seats.seatOf(ownerNow.get(expected.id) ?? expected.owner, expected.closeDate);
      accumulators.touched[seat] = 1;
      sums.slipBaseCount[seat]! += 1;
      sums.slipBaseValue[seat]! += expected.amount;
      if (!closedInPeriod.has(expected.id)) {
        sums.slippedCount[seat]! += 1;
        sums.slippedValue[seat]! += expected.amount;
      }
    }
  }

  const seatTotals = Array.from({ length: accumulators.count }, (_, seat) =>
    accumulators.touched[seat] ? accumulators.totalsOf(seat) : undefined,
  );
  // Orders that do not depend on the order the deals came in: the biggest undated deal first.
  undated.sort((a, b) => b.deal.amount - a.deal.amount || compareIds(a.deal.id, b.deal.id));
  usage.datedAfterAsOf.sort((a, b) => (a.closeDate! < b.closeDate! ? -1 : a.closeDate! > b.closeDate! ? 1 : compareIds(a.id, b.id)));
  return { seatTotals, pastDue: oldestFirst(pastDue), undated, usage };
}

// Where a date falls among the report's windows, as bits.
const TO_DATE = 1;
const PREVIOUS_PERIOD = 2;
const LAST_YEAR = 4;
const OPEN_PIPELINE = 8;
const NEXT_QUARTER = 16;
/** Before the as-of day. */
const PAST_DUE = 32;
/** Anywhere in the reported period. */
const IN_PERIOD = 64;
/** The trailing four fiscal quarters before the period. */
const TRAILING = 128;

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
      [IN_PERIOD, windows.period],
      [TRAILING, windows.trailingFourQuarters],
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

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `units + remainder / scale` rounded half away from zero (remainder may be any integer). */
function roundScaled(units: number, remainder: number, scale: number): number {
  const carry = Math.floor(remainder / scale);
  const whole = units + carry;
  const fraction = remainder - carry * scale; // 0 ≤ fraction < scale
  const roundsUp = whole >= 0 ? 2 * fraction >= scale : 2 * fraction > scale;
  return (roundsUp ? whole + 1 : whole) || 0;
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
