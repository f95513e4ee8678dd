// Forecast categories from probability bands: what a deal's category is when
// the CRM export has none (or an unreadable one), and for deals stored before
// categories were kept. Pure.
import type { Deal, ForecastCategory, StageClass } from './types.js';

/** Lower edges (inclusive) of the probability bands; below `pipeline` an open deal is omitted. */
export interface ForecastBands {
  commit: number;
  bestCase: number;
  pipeline: number;
}

/** Commit ≥ 90%, best case 50–89%, pipeline 10–49%, omitted below (config `forecast.bands`). */
export const DEFAULT_FORECAST_BANDS: Readonly<ForecastBands> = Object.freeze({ commit: 0.9, bestCase: 0.5, pipeline: 0.1 });

// Probabilities read as percentages (`90` → 0.9) and bands written as decimals can differ in
// the last binary digit; a band edge is meant to include the value written on it.
const EDGE_TOLERANCE = 1e-9;

/** The category of a deal by its stage class and probability: won → closed, lost → omitted, open by band. */
export function derivedForecastCategory(stageClass: StageClass, probability: number, bands: ForecastBands = DEFAULT_FORECAST_BANDS): ForecastCategory {
  if (stageClass === 'won') return 'closed';
  if (stageClass === 'lost') return 'omitted';
  if (probability + EDGE_TOLERANCE >= bands.commit) return 'commit';
  if (probability + EDGE_TOLERANCE >= bands.bestCase) return 'bestCase';
  if (probability + EDGE_TOLERANCE >= bands.pipeline) return 'pipeline';
  return 'omitted';
}

/** The deal's stored category, or the one its probability gives (deals stored before categories were kept). */
export function forecastCategoryOf(deal: Pick<Deal, 'forecastCategory' | 'stageClass' | 'probability'>, bands: ForecastBands = DEFAULT_FORECAST_BANDS): ForecastCategory {
  return deal.forecastCategory ?? derivedForecastCategory(deal.stageClass, deal.probability, bands);
}
