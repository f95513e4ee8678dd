// The metrics engine's input: deals as columns. Loaded once from the deals the
// repository returns (`toDealColumns`), one typed array per field the tallies
// read, so the pass over a million deals reads a few contiguous bytes per deal
// instead of chasing pointers through deal objects and their strings:
// - dates as day numbers (days since 1970-01-01; `NO_DAY` for none), so a
//   window test is two integer comparisons;
// - amounts as the same doubles the deals carry (minor units: whole numbers,
//   exact below 2^53), so every sum is the one the deals would give;
// - owner, account, stage and currency dictionary-encoded: an integer code per
//   deal and the distinct texts once, so an owner resolves to a seat and an
//   account to a key account once per distinct text, then by array index;
// - stage class and the stored forecast category as one-byte codes.
// The deals themselves stay beside the columns (`deals`): the lists a report
// shows (past-due and undated deals, deals dated after the as-of day) and the
// few lookups by deal id (history) read them by index.
import { toDayNumber } from './local-date.js';
import type { Deal, ForecastCategory, LocalDate, StageClass } from './types.js';

/** The day number of a missing date: below every real one (year 0000 is day −719 528). */
export const NO_DAY = -0x80000000;

/** Stage class codes (`DealColumns.stageClass`). */
export const OPEN = 0;
export const WON = 1;
export const LOST = 2;
const STAGE_CLASS_CODES: Readonly<Record<StageClass, number>> = { open: OPEN, won: WON, lost: LOST };

/**
 * Stored forecast category codes (`DealColumns.forecastCategory`): an index into `FORECAST_CATEGORIES`;
 * `NO_CATEGORY`: none stored, derive it from the probability; `OTHER_CATEGORY`: a text naming no category
 * (it counts in none of the pipeline's three; lists show the deal's own text).
 */
export const NO_CATEGORY = 0;
export const FORECAST_CATEGORIES: readonly (ForecastCategory | null)[] = [null, 'pipeline', 'bestCase', 'commit', 'closed', 'omitted'];
export const OTHER_CATEGORY = FORECAST_CATEGORIES.length;
/** The code of each category. */
export const CATEGORY_CODES: ReadonlyMap<string, number> = new Map(FORECAST_CATEGORIES.map((category, code) => [category ?? '', code]));

export interface DealColumns {
  /** Number of deals; every column has this length. */
  readonly length: number;
  /** The deals, in the order the columns hold them. */
  readonly deals: readonly Deal[];
  /** Close date as a day number; `NO_DAY` for an undated (open) deal. */
  readonly closeDay: Int32Array;
  /** Created date as a day number; `NO_DAY` when unknown. */
  readonly createdDay: Int32Array;
  /** Last-activity date as a day number; `NO_DAY` when the export has none. */
  readonly lastActivityDay: Int32Array;
  /** Amount in minor units of the reporting currency. */
  readonly amount: Float64Array;
  /** Win probability in basis points (0..10 000), rounded: weighted pipeline stays in integers. */
  readonly probabilityPoints: Float64Array;
  /** Win probability 0..1 as the deal carries it (forecast bands compare it). */
  readonly probability: Float64Array;
  /** `OPEN`, `WON` or `LOST`. */
  readonly stageClass: Uint8Array;
  /** Index into `FORECAST_CATEGORIES`; `NO_CATEGORY` for deals stored before categories were kept; `OTHER_CATEGORY` for an unknown text. */
  readonly forecastCategory: Uint8Array;
  /** Dictionary codes: `owners[owner[i]]` is deal i's owner text, and likewise for the others. */
  readonly owner: Int32Array;
  readonly owners: readonly string[];
  readonly account: Int32Array;
  readonly accounts: readonly string[];
  readonly stage: Int32Array;
  readonly stages: readonly string[];
  readonly currency: Int32Array;
  readonly currencies: readonly string[];
}

/** Probabilities are applied in basis points so weighted sums stay in exact integers. */
export const PROBABILITY_SCALE = 10_000;

/** Codes for the distinct texts of one column, in order of first appearance. */
class Dictionary {
  readonly texts: string[] = [];
  private readonly codes = new Map<string, number>();

  code(text: string): number {
    let code = this.codes.get(text);
    if (code === undefined) {
      code = this.texts.length;
      this.codes.set(text, code);
      this.texts.push(text);
    }
    return code;
  }
}

/** Deals as columns, in the order given. One pass; each distinct date is parsed once. */
export function toDealColumns(deals: readonly Deal[]): DealColumns {
  const length = deals.length;
  const closeDay = new Int32Array(length);
  const createdDay = new Int32Array(length);
  const lastActivityDay = new Int32Array(length);
  const amount = new Float64Array(length);
  const probabilityPoints = new Float64Array(length);
  const probability = new Float64Array(length);
  const stageClass = new Uint8Array(length);
  const forecastCategory = new Uint8Array(length);
  const owner = new Int32Array(length);
  const account = new Int32Array(length);
  const stage = new Int32Array(length);
  const currency = new Int32Array(length);
  const owners = new Dictionary();
  const accounts = new Dictionary();
  const stages = new Dictionary();
  const currencies = new Dictionary();
  const dayOf = dayNumbers();
  for (let i = 0; i < length; i += 1) {
    const deal = deals[i]!;
    closeDay[i] = dayOf(deal.closeDate);
    createdDay[i] = dayOf(deal.createdDate);
    lastActivityDay[i] = dayOf(deal.lastActivityDate);
    amount[i] = deal.amount;
    probability[i] = deal.probability;
    probabilityPoints[i] = Math.round(deal.probability * PROBABILITY_SCALE);
    const stageCode = STAGE_CLASS_CODES[deal.stageClass];
    if (stageCode === undefined) throw new RangeError(`deal ${deal.id}: stage class '${deal.stageClass}' is not open, won or lost`);
    stageClass[i] = stageCode;
    forecastCategory[i] = deal.forecastCategory == null ? NO_CATEGORY : (CATEGORY_CODES.get(deal.forecastCategory) ?? OTHER_CATEGORY);
    owner[i] = owners.code(deal.owner);
    account[i] = accounts.code(deal.account);
    stage[i] = stages.code(deal.stage);
    currency[i] = currencies.code(deal.currency);
  }
  return {
    length,
    deals,
    closeDay,
    createdDay,
    lastActivityDay,
    amount,
    probabilityPoints,
    probability,
    stageClass,
    forecastCategory,
    owner,
    owners: owners.texts,
    account,
    accounts: accounts.texts,
    stage,
    stages: stages.texts,
    currency,
    currencies: currencies.texts,
  };
}

/** Day numbers of dates, each distinct date parsed once; `NO_DAY` for a missing one. */
function dayNumbers(): (date: LocalDate | null | undefined) => number {
  const byDate = new Map<LocalDate, number>();
  return (date) => {
    if (date === null || date === undefined) return NO_DAY;
    let day = byDate.get(date);
    if (day === undefined) byDate.set(date, (day = toDayNumber(date)));
    return day;
  };
}
