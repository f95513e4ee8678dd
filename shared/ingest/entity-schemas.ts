// The zod schemas every accepted entity passes, and the deal's rules again as
// plain checks for the hot path (a property test keeps the two in step).
// A namespace import, not `{ z }`: esbuild can then drop zod's 64 locales (~260 KB of every bundle; bench/lib/bundles-notes.md).
import * as z from 'zod';
import { isLocalDate } from '../domain/local-date.js';
import { FORECAST_CATEGORIES, type Deal, type ForecastCategory, type FxRate, type KeyAccount, type LocalDate, type MinorUnits, type Person, type Quota } from '../domain/types.js';

export const MAX_TEXT = 1_000;
export const MAX_ID = 255;

// zod messages complete a sentence that starts with the field's label:
// "close date is required", "owner is longer than 1000 characters".
export const text = (max = MAX_TEXT) => z.string().max(max, `is longer than ${max} characters`);
export const requiredText = (max = MAX_TEXT) => text(max).min(1, 'is required');
const localDate = z.string({ error: 'is required' }).refine(isLocalDate, 'is not a date');
const minorUnits = z.number({ error: 'is required' }).int().nonnegative('is negative').max(Number.MAX_SAFE_INTEGER, 'is too large');
const currencyCode = z.string({ error: 'is required' }).regex(/^[A-Z]{3}$/, 'is not a currency code');

export const dealSchema: z.ZodType<Deal> = z.object({
  id: requiredText(MAX_ID),
  name: requiredText(),
  account: text(),
  owner: text(),
  stage: requiredText(),
  stageClass: z.enum(['open', 'won', 'lost']),
  probability: z.number().min(0).max(1),
  amount: minorUnits,
  currency: currencyCode,
  originalAmount: minorUnits,
  closeDate: localDate.nullable(),
  createdDate: localDate.nullable(),
  pipeline: text().nullable(),
  lastActivityDate: localDate.nullable(),
  stageChangeDate: localDate.nullable().optional(),
  forecastCategory: z.enum(FORECAST_CATEGORIES as [ForecastCategory, ...ForecastCategory[]]).optional(),
});

/** A deal as assembled from a row, before validation: a field that could not be read is undefined. */
export type DealCandidate = { [K in keyof Deal]: Deal[K] | undefined };

function isText(value: unknown, minLength: number, maxLength: number): value is string {
  return typeof value === 'string' && value.length >= minLength && value.length <= maxLength;
}

function isMinorUnits(value: unknown): value is MinorUnits {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

// Deals share a few thousand distinct dates; each is checked once, not on every row.
const MAX_KNOWN_DATES = 10_000;
const knownLocalDates = new Set<string>();

function isKnownLocalDate(value: unknown): value is LocalDate {
  if (typeof value !== 'string') return false;
  if (knownLocalDates.has(value)) return true;
  if (!isLocalDate(value)) return false;
  if (knownLocalDates.size >= MAX_KNOWN_DATES) knownLocalDates.clear();
  knownLocalDates.add(value);
  return true;
}

function isOptionalDate(value: unknown): value is LocalDate | null {
  return value === null || isKnownLocalDate(value);
}

const CURRENCY_CODE = /^[A-Z]{3}$/;

/**
 * dealSchema's rules as plain checks, so the hot path does not run zod's parse
 * (and the copy it returns) on every row. A candidate they accept, dealSchema
 * accepts too, and its output would equal the candidate; one they refuse goes
 * through dealSchema, whose issues become the row's rejections. A property
 * test keeps the two in step.
 */
export function isValidDeal(candidate: DealCandidate): candidate is Deal {
  const { closeDate, createdDate, lastActivityDate, stageChangeDate } = candidate;
  return (
    hasValidDealValues(candidate) &&
    isOptionalDate(closeDate) &&
    isOptionalDate(createdDate) &&
    isOptionalDate(lastActivityDate) &&
    (stageChangeDate === undefined || isOptionalDate(stageChangeDate))
  );
}

/** isValidDeal without its date checks, for a row whose dates were each checked once per upload (see ParsedDates). */
export function hasValidDealValues(candidate: DealCandidate): boolean {
  const { id, name, account, owner, stage, stageClass, probability, amount, currency, originalAmount, pipeline, forecastCategory } = candidate;
  return (
    isText(id, 1, MAX_ID) &&
    isText(name, 1, MAX_TEXT) &&
    isText(account, 0, MAX_TEXT) &&
    isText(owner, 0, MAX_TEXT) &&
    isText(stage, 1, MAX_TEXT) &&
    (stageClass === 'open' || stageClass === 'won' || stageClass === 'lost') &&
    typeof probability === 'number' &&
    probability >= 0 &&
    probability <= 1 &&
    isMinorUnits(amount) &&
    typeof currency === 'string' &&
    CURRENCY_CODE.test(currency) &&
    isMinorUnits(originalAmount) &&
    (pipeline === null || isText(pipeline, 0, MAX_TEXT)) &&
    (forecastCategory === undefined || FORECAST_CATEGORIES.includes(forecastCategory))
  );
}

export const personSchema: z.ZodType<Person> = z.object({
  id: requiredText(),
  name: requiredText(),
  email: z.email('is not an e-mail address').max(MAX_ID, `is longer than ${MAX_ID} characters`).nullable(),
  role: z.enum(['rep', 'manager', 'leader']).nullable(),
  team: text(),
  manager: text().nullable(),
  region: text(),
  active: z.boolean(),
  effectiveFrom: localDate.nullable(),
});

export const quotaSchema: z.ZodType<Quota> = z.object({
  level: z.enum(['rep', 'team', 'region', 'company']),
  entityId: requiredText(),
  periodId: requiredText(),
  amount: minorUnits,
  written: text(),
});

export const keyAccountSchema: z.ZodType<KeyAccount> = z.object({
  id: requiredText(),
  name: requiredText(),
  tier: text(100).nullable(),
});

export const fxRateSchema: z.ZodType<FxRate> = z.object({
  currency: currencyCode,
  // Bounded so a stray value (1e21, 1e-200) is a rejected row, not a number DynamoDB cannot store.
  rate: z
    .number({ error: 'is required' })
    .positive('must be above 0')
    .min(1e-9, 'is below 0.000000001, too small for an exchange rate')
    .max(1e9, 'is above 1,000,000,000, too large for an exchange rate'),
  validFrom: localDate.nullable(),
});

