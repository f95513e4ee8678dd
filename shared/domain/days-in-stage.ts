// How long an open deal has sat in its current stage, from the date the export
// says it entered it (the deal's `stageChangeDate`). Pure.
import { toDayNumber } from './local-date.js';
import type { LocalDate } from './types.js';

/**
 * As-of date − stage-change date, in days (0 when the stage changed on the
 * as-of day). Null — n/a, never 0 — when the export carries no stage-change
 * date for the deal, or the date is after the as-of date (a stage the report
 * cannot have seen yet).
 */
export function daysInStage(stageChangeDate: LocalDate | null | undefined, asOf: LocalDate): number | null {
  return stageDays(stageChangeDate, toDayNumber(asOf));
}

/** The same, against the as-of date's day number (the tally's one pass works in day numbers). */
export function stageDays(stageChangeDate: LocalDate | null | undefined, asOfDay: number): number | null {
  if (stageChangeDate === null || stageChangeDate === undefined) return null;
  const days = asOfDay - toDayNumber(stageChangeDate);
  return days < 0 ? null : days;
}
