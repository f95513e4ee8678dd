// A deal's forecast category from the CRM's own column (Salesforce `Forecast
// Category`, HubSpot's `Forecast category`, a mapped `forecastCategory`), in
// English or Spanish, as labels or API names; else derived from the probability
// bands of the config. An unknown value never rejects the row: the deal takes
// the derived category and the ingest report names the value once, with a count.
import { derivedForecastCategory, type ForecastBands } from '../domain/forecast-category.js';
import { normaliseName, type ForecastCategory, type StageClass } from '../domain/types.js';
import { cellText, isBlankCell } from './values.js';
import type { RawCell } from './types.js';

/** Category texts by their key: lower case, accents, spaces, `_` and `-` dropped (`Best Case` = `BestCase` = `BEST_CASE`). */
const CATEGORIES: Readonly<Record<string, ForecastCategory>> = {
  // Salesforce labels and API names
  pipeline: 'pipeline',
  bestcase: 'bestCase',
  commit: 'commit',
  closed: 'closed',
  omitted: 'omitted',
  // HubSpot labels and internal values
  notforecasted: 'omitted',
  omit: 'omitted',
  closedwon: 'closed',
  // Spanish
  cartera: 'pipeline',
  mejorcaso: 'bestCase',
  compromiso: 'commit',
  comprometido: 'commit',
  comprometida: 'commit',
  cerrado: 'closed',
  cerrada: 'closed',
  omitido: 'omitted',
  omitida: 'omitted',
  noprevisto: 'omitted',
};

export function forecastCategoryKey(text: string): string {
  return normaliseName(text).replace(/[\s_-]+/g, '');
}

/** The category a CRM text names, or null when it names none. */
export function parseForecastCategory(text: string): ForecastCategory | null {
  return CATEGORIES[forecastCategoryKey(text)] ?? null;
}

/** Reads the categories of one upload and remembers the values it could not read, for the ingest report. */
export class ForecastCategoryReader {
  /** Key → the value as first written and how many deals had it. */
  private readonly unknown = new Map<string, { value: string; deals: number }>();
  /** Category by cell text: a column has a handful of distinct values. */
  private readonly byText = new Map<string, ForecastCategory | null>();

  constructor(private readonly bands: ForecastBands) {}

  /**
   * The deal's category. The stage decides for closed deals (won → closed,
   * lost → omitted) whatever the column says; an open deal takes the CRM's
   * value when it is one, else the band of its probability.
   */
  read(cell: RawCell, stageClass: StageClass, probability: number): ForecastCategory {
    const derived = derivedForecastCategory(stageClass, probability, this.bands);
    if (stageClass !== 'open' || isBlankCell(cell)) return derived;
    const text = cellText(cell);
    let category = this.byText.get(text);
    if (category === undefined) {
      category = parseForecastCategory(text);
      if (this.byText.size < 1_000) this.byText.set(text, category);
    }
    if (category !== null) return category;
    const key = forecastCategoryKey(text);
    const seen = this.unknown.get(key);
    if (seen) seen.deals += 1;
    else this.unknown.set(key, { value: text.trim(), deals: 1 });
    return derived;
  }

  /** One finding per unknown value. */
  findings(): string[] {
    const percent = (value: number) => `${Math.round(value * 1000) / 10}%`;
    const { commit, bestCase, pipeline } = this.bands;
    return [...this.unknown.values()].map(
      ({ value, deals }) =>
        `${deals} deal(s) have forecast category '${value}', which is not Pipeline, Best Case, Commit, Closed or Omitted: ` +
        `they were loaded with the category their probability gives (commit ≥ ${percent(commit)}, best case ≥ ${percent(bestCase)}, ` +
        `pipeline ≥ ${percent(pipeline)}, omitted below; config forecast.bands)`,
    );
  }
}
