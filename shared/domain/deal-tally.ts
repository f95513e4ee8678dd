// The one pass over the deals behind every figure of METRICS.md: where each
// deal's numbers land (a "seat": a person's stint in a team, one people-file
// row), summed into integer accumulators per seat, plus the deal lists of data
// hygiene (past-due and undated open deals) and what the reconciliation needs
// to name deals that count for no one.
//
// How it stays fast on a million deals: one pass over the deal columns
// (deal-columns.ts) by index — a close day's windows are one byte of a table,
// an owner code's seat and an account code's key account array reads once
// their text is resolved (once per distinct text), and the sums are typed
// arrays per seat.
//
// Windows: see report-windows.ts.
import { CATEGORY_CODES, FORECAST_CATEGORIES, LOST, NO_CATEGORY, NO_DAY, OPEN, OTHER_CATEGORY, PROBABILITY_SCALE, WON, type DealColumns } from './deal-columns.js';
import { DEFAULT_FORECAST_BANDS, derivedForecastCategory, type ForecastBands } from './forecast-category.js';
import { stageDays } from './days-in-stage.js';
import { DEFAULT_STALE_AFTER_DAYS, PUSHED_OFTEN } from './forecast-history.js';
import type { KeyAccountTotals } from './key-account-totals.js';
import { MAX_EXAMPLES } from './reconciliation.js';
import {
  dayRange,
  DayWindows,
  IN_PERIOD,
  LAST_YEAR,
  NEXT_QUARTER,
  OPEN_PIPELINE,
  PAST_DUE,
  PREVIOUS_PERIOD,
  TO_DATE,
  TRAILING,
  type ReportingWindows,
} from './report-windows.js';
import type { SeatIndex } from './seat-index.js';
import type { Deal, ForecastCategory, LocalDate, StageClass } from './types.js';

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
  /**
   * Won or lost deals of the period dated after the as-of day, per stage class: how many, and the first
   * `MAX_EXAMPLES` by close date, then id (the reconciliation's examples). They count once their day has come.
   */
  datedAfterAsOf: Map<StageClass, DatedAfterAsOf>;
}

export interface DatedAfterAsOf {
  count: number;
  /** Oldest close date first, then by id; at most `MAX_EXAMPLES`. */
  earliest: Deal[];
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
  columns: DealColumns,
  windows: ReportingWindows,
  seats: SeatIndex,
  keyAccounts: KeyAccountTotals,
  forecastBands: ForecastBands = DEFAULT_FORECAST_BANDS,
  history: TallyHistory = NO_HISTORY,
): DealTally {
  const accumulators = new SeatAccumulators(seats.count);
  const { sums, weightedUnits, weightedRemainder, cycleDays, touched } = accumulators;
  const {
    revenue, wonCount, lostCount, lostAmount, openPipeline, commitAmount, bestCaseAmount, pipelineCategoryAmount,
    nextQuarterPipeline, newPipeline, pastDueCount, pastDueAmount, undatedOpenCount, undatedOpenAmount, totalOpenCount,
    totalOpenPipeline, revenuePrevious, revenueLastYear, trailingRevenue, trailingWonCount, trailingLostCount,
    trailingLostAmount, trailingCycleDaysSum, trailingCycleCount, pushedOftenCount, activityDatedOpenCount, staleOpenCount,
  } = sums;
  // Past-due deals as (deal index, seat) pairs: their list entries are built once the pass is done, oldest first.
  const pastDueRows: number[] = [];
  const pastDueSeats: number[] = [];
  const datedAfter = new DatedAfterBook(columns);
  const undated: HygieneDeal[] = [];
  const usage: DealUsage = { inScope: 0, unassignedByOwner: new Map(), datedAfterAsOf: new Map() };
  const { deals, closeDay, createdDay, lastActivityDay, amount: amounts, probabilityPoints, stageClass: stageClasses, owner: ownerCodes } = columns;
  const categoryOf = categoryCodes(columns, forecastBands);
  const categoryName = categoryNames(columns, categoryOf);
  const ownerSeats = seats.forOwners(columns.owners);
  const keyAccountOf = keyAccounts.forAccounts(columns.accounts);
  const asOfDay = seats.asOfDay;
  const dayWindows = new DayWindows(windows, asOfDay);
  const toDate = dayRange(windows.closedIn);
  const toDateStart = toDate.start;
  const toDateEnd = toDate.end;
  const pushes = history.closeDatePushes;
  const pushesOf = (deal: Deal) => (pushes === null ? null : (pushes.get(deal.id) ?? 0));
  // An open deal as the hygiene lists name it: whom it counts for, its category, pushes and days in stage.
  const listed = (row: number, seat: number): HygieneDeal => {
    const deal = deals[row]!;
    return {
      deal,
      forecastCategory: categoryName(row),
      ...seats.places[seat]!,
      closeDatePushes: pushesOf(deal),
      daysInStage: stageDays(deal.stageChangeDate, asOfDay),
    };
  };
  const staleBefore = asOfDay - history.staleAfterDays;
  const unassigned = seats.unassigned;
  // Slip rate needs the deals won or lost in the period to date, by id, and who holds each expected deal now.
  const closedInPeriod = history.periodOpening === null ? null : new Set<string>();
  const expectedIds = history.periodOpening === null ? null : new Set(history.periodOpening.map((expected) => expected.id));
  const ownerNow = new Map<string, string>();

  // Most deals of a long history fall in no window: they cost a look at their
  // close day and no owner lookup.
  for (let i = 0; i < columns.length; i += 1) {
    if (expectedIds !== null && expectedIds.has(deals[i]!.id)) ownerNow.set(deals[i]!.id, deals[i]!.owner);
    const close = closeDay[i]!;
    const created = createdDay[i]!;
    const amount = amounts[i]!;
    const stageClass = stageClasses[i]!;
    const closesIn = dayWindows.of(close);
    const createdInPeriod = created >= toDateStart && created <= toDateEnd;
    let seat = -1;
    let inScope = false;

    if (stageClass === OPEN) {
      inScope = true;
      seat = ownerSeats.seatOf(ownerCodes[i]!, close);
      totalOpenCount[seat]! += 1;
      totalOpenPipeline[seat]! += amount;
      if (pushes !== null && (pushes.get(deals[i]!.id) ?? 0) >= PUSHED_OFTEN) pushedOftenCount[seat]! += 1;
      const lastActivity = lastActivityDay[i]!;
      if (lastActivity !== NO_DAY) {
        activityDatedOpenCount[seat]! += 1;
        if (lastActivity <= staleBefore) staleOpenCount[seat]! += 1;
      }
      if (close === NO_DAY) {
        undatedOpenCount[seat]! += 1;
        undatedOpenAmount[seat]! += amount;
        undated.push(listed(i, seat));
      }
      if (closesIn & OPEN_PIPELINE) {
        openPipeline[seat]! += amount;
        const weighted = amount * probabilityPoints[i]!;
        const remainder = weighted % PROBABILITY_SCALE;
        weightedUnits[seat]! += (weighted - remainder) / PROBABILITY_SCALE;
        weightedRemainder[seat]! += remainder;
        const category = categoryOf(i);
        if (category === COMMIT) commitAmount[seat]! += amount;
        else if (category === BEST_CASE) bestCaseAmount[seat]! += amount;
        else if (category === PIPELINE) pipelineCategoryAmount[seat]! += amount;
      }
      if (closesIn & NEXT_QUARTER) nextQuarterPipeline[seat]! += amount;
      if (closesIn & PAST_DUE) {
        pastDueCount[seat]! += 1;
        pastDueAmount[seat]! += amount;
        pastDueRows.push(i);
        pastDueSeats.push(seat);
      }
    } else if (closesIn & (TO_DATE | PREVIOUS_PERIOD | LAST_YEAR | IN_PERIOD | TRAILING)) {
      const inPeriod = (closesIn & TO_DATE) !== 0;
      if (inPeriod && closedInPeriod !== null) closedInPeriod.add(deals[i]!.id);
      if (closesIn & IN_PERIOD) {
        inScope = true;
        if (!inPeriod && !createdInPeriod) datedAfter.add(i);
      }
      // Imported deals can carry the import date as created date; a negative cycle is not a cycle.
      const hasCycle = created !== NO_DAY && created <= close;
      if (stageClass === WON) {
        const inPrevious = (closesIn & PREVIOUS_PERIOD) !== 0;
        const inLastYear = (closesIn & LAST_YEAR) !== 0;
        const inTrailing = (closesIn & TRAILING) !== 0;
        if (inPeriod || inPrevious || inLastYear || inTrailing) {
          seat = ownerSeats.seatOf(ownerCodes[i]!, close);
          if (inPeriod) {
            revenue[seat]! += amount;
            wonCount[seat]! += 1;
            if (hasCycle) cycleDays[seat]!.push(close - created);
          }
          if (inPrevious) revenuePrevious[seat]! += amount;
          if (inLastYear) revenueLastYear[seat]! += amount;
          if (inTrailing) {
            trailingRevenue[seat]! += amount;
            trailingWonCount[seat]! += 1;
            if (hasCycle) {
              trailingCycleDaysSum[seat]! += close - created;
              trailingCycleCount[seat]! += 1;
            }
          }
          if (inPeriod || inPrevious || inLastYear) keyAccountOf.add(columns.account[i]!, amount, inPeriod, inPrevious, inLastYear);
        }
      } else if (closesIn & (TO_DATE | TRAILING)) {
        seat = ownerSeats.seatOf(ownerCodes[i]!, close);
        if (inPeriod) {
          lostCount[seat]! += 1;
          lostAmount[seat]! += amount;
        }
        if (closesIn & TRAILING) {
          trailingLostCount[seat]! += 1;
          trailingLostAmount[seat]! += amount;
        }
      }
    }

    if (createdInPeriod) {
      inScope = true;
      if (seat < 0) seat = ownerSeats.seatOf(ownerCodes[i]!, close);
      newPipeline[seat]! += amount;
    }
    if (seat >= 0) touched[seat] = 1;
    if (inScope) {
      usage.inScope += 1;
      if (seat >= 0 && unassigned[seat] === 1) {
        const owner = columns.owners[ownerCodes[i]!]!;
        usage.unassignedByOwner.set(owner, (usage.unassignedByOwner.get(owner) ?? 0) + 1);
      }
    }
  }

  // Slip rate: the deals the period's first snapshot expected in the period, at that snapshot's amounts, counted
  // for whoever holds the deal now (like pipeline, pushes and category moves); a deal gone from the CRM for its owner then.
  if (history.periodOpening !== null && closedInPeriod !== null) {
    const { start, end } = windows.period;
    for (const expected of history.periodOpening) {
      if (expected.stageClass !== 'open' || expected.closeDate === null || expected.closeDate < start || expected.closeDate > end) continue;
      const seat = seats.seatOf(ownerNow.get(expected.id) ?? expected.owner, expected.closeDate);
      touched[seat] = 1;
      sums.slipBaseCount[seat]! += 1;
      sums.slipBaseValue[seat]! += expected.amount;
      if (!closedInPeriod.has(expected.id)) {
        sums.slippedCount[seat]! += 1;
        sums.slippedValue[seat]! += expected.amount;
      }
    }
  }

  const seatTotals = Array.from({ length: accumulators.count }, (_, seat) => (touched[seat] ? accumulators.totalsOf(seat) : undefined));
  // Orders that do not depend on the order the deals came in: the biggest undated deal first.
  undated.sort((a, b) => b.deal.amount - a.deal.amount || compareIds(a.deal.id, b.deal.id));
  usage.datedAfterAsOf = datedAfter.byStageClass();
  const pastDue = oldestFirst(pastDueRows, pastDueSeats, closeDay).map(
    (row, n): PastDueDeal => ({ ...listed(row, pastDueSeats[n]!), daysPastDue: asOfDay - closeDay[row]! }),
  );
  return { seatTotals, pastDue, undated, usage };
}

// Forecast categories the open pipeline splits into (codes of FORECAST_CATEGORIES).
const PIPELINE = FORECAST_CATEGORIES.indexOf('pipeline');
const BEST_CASE = FORECAST_CATEGORIES.indexOf('bestCase');
const COMMIT = FORECAST_CATEGORIES.indexOf('commit');

/**
 * Deal i's forecast category code: the stored one, or the one its probability
 * gives under these bands (deals stored before categories were kept).
 */
function categoryCodes(columns: DealColumns, bands: ForecastBands): (i: number) => number {
  const { forecastCategory, stageClass, probability } = columns;
  return (i) => {
    const stored = forecastCategory[i]!;
    if (stored !== NO_CATEGORY) return stored;
    const stageClassText = stageClass[i] === OPEN ? 'open' : stageClass[i] === WON ? 'won' : 'lost';
    return CATEGORY_CODES.get(derivedForecastCategory(stageClassText, probability[i]!, bands))!;
  };
}

/** Deal i's forecast category as a list shows it: what `forecastCategoryOf` gives for the deal, from the columns. */
function categoryNames(columns: DealColumns, categoryOf: (i: number) => number): (i: number) => ForecastCategory {
  return (i) => {
    const code = categoryOf(i);
    return code === OTHER_CATEGORY ? columns.deals[i]!.forecastCategory! : FORECAST_CATEGORIES[code]!;
  };
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
 * The past-due deals' rows, oldest close date first; deals with the same close
 * date keep the order they were given in. Reorders `seats` the same way. A
 * counting sort on close days: a stale CRM can have a hundred thousand
 * past-due deals, and a comparator sort of them would cost more than all the
 * metrics together.
 */
function oldestFirst(rows: readonly number[], seats: number[], closeDay: Int32Array): number[] {
  if (rows.length === 0) return [];
  let first = closeDay[rows[0]!]!;
  let last = first;
  for (const row of rows) {
    const day = closeDay[row]!;
    if (day < first) first = day;
    if (day > last) last = day;
  }
  // starts[d] = position of the first deal closing on day first + d.
  const starts = new Int32Array(last - first + 2);
  for (const row of rows) starts[closeDay[row]! - first + 1]! += 1;
  for (let i = 1; i < starts.length; i += 1) starts[i]! += starts[i - 1]!;
  const ordered = new Array<number>(rows.length);
  const orderedSeats = new Array<number>(rows.length);
  for (let n = 0; n < rows.length; n += 1) {
    const at = starts[closeDay[rows[n]!]! - first]!++;
    ordered[at] = rows[n]!;
    orderedSeats[at] = seats[n]!;
  }
  for (let n = 0; n < rows.length; n += 1) seats[n] = orderedSeats[n]!;
  return ordered;
}

/**
 * Won and lost deals of the period dated after the as-of day: a count per
 * stage class and the earliest `MAX_EXAMPLES` (by close day, then id), kept
 * as the pass goes — tens of thousands of such deals need no sort.
 */
class DatedAfterBook {
  private readonly counts = [0, 0, 0];
  private readonly earliest: number[][] = [[], [], []];

  constructor(private readonly columns: DealColumns) {}

  add(row: number): void {
    const stageClass = this.columns.stageClass[row]!;
    this.counts[stageClass]! += 1;
    const kept = this.earliest[stageClass]!;
    if (kept.length === MAX_EXAMPLES && !this.before(row, kept[kept.length - 1]!)) return;
    let at = kept.length;
    while (at > 0 && this.before(row, kept[at - 1]!)) at -= 1;
    kept.splice(at, 0, row);
    if (kept.length > MAX_EXAMPLES) kept.pop();
  }

  byStageClass(): Map<StageClass, DatedAfterAsOf> {
    const byClass = new Map<StageClass, DatedAfterAsOf>();
    for (const [code, stageClass] of [[WON, 'won'], [LOST, 'lost']] as const) {
      if (this.counts[code]! > 0) byClass.set(stageClass, { count: this.counts[code]!, earliest: this.earliest[code]!.map((row) => this.columns.deals[row]!) });
    }
    return byClass;
  }

  /** Whether row a comes before row b: earlier close day, then smaller id. */
  private before(a: number, b: number): boolean {
    const dayA = this.columns.closeDay[a]!;
    const dayB = this.columns.closeDay[b]!;
    return dayA !== dayB ? dayA < dayB : compareIds(this.columns.deals[a]!.id, this.columns.deals[b]!.id) < 0;
  }
}
