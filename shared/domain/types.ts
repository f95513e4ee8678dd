// The sales-domain vocabulary shared by ingest, metrics, storage and reports.
// Pure types: no runtime imports. Money is always integer minor units (cents);
// dates are plain civil dates in the organisation's time zone.

/** A civil date in the organisation's time zone, `YYYY-MM-DD`. Never a `Date`. */
export type LocalDate = string;

/** ISO 4217 code, upper case, e.g. `USD`. */
export type CurrencyCode = string;

/** Integer minor units (cents) of a currency. */
export type MinorUnits = number;

export type StageClass = 'open' | 'won' | 'lost';

/**
 * Where a deal sits in the forecast roll-up: the CRM's own forecast category
 * (Salesforce, HubSpot, a mapped column), or derived from the probability with
 * the configured bands. Won deals are `closed`, lost ones `omitted`.
 */
export type ForecastCategory = 'pipeline' | 'bestCase' | 'commit' | 'closed' | 'omitted';

export const FORECAST_CATEGORIES: readonly ForecastCategory[] = ['pipeline', 'bestCase', 'commit', 'closed', 'omitted'];

/** The CRM shape a file was recognised as. */
export type SourcePreset = 'salesforce' | 'hubspot' | 'pipedrive' | 'custom' | 'generic';

export interface Deal {
  /** CRM id; when the export has none, a stable hash of name + account + created date. */
  id: string;
  name: string;
  account: string;
  /** Owner exactly as the CRM names them (a person's name or e-mail). Resolved to a person at report time. */
  owner: string;
  /** The CRM's stage text (or internal id) as exported. */
  stage: string;
  stageClass: StageClass;
  /** Win probability 0..1 (won = 1, lost = 0). */
  probability: number;
  /** Amount in minor units of the reporting currency (converted). */
  amount: MinorUnits;
  /** The currency of the deal in the CRM. */
  currency: CurrencyCode;
  /** Amount in minor units of `currency`, as exported. */
  originalAmount: MinorUnits;
  /**
   * Expected close date for open deals, actual close date for won/lost deals.
   * Null only for an open deal the CRM has no expected date for yet: undated
   * pipeline, outside every period-bounded figure (won and lost deals need one).
   */
  closeDate: LocalDate | null;
  createdDate: LocalDate | null;
  pipeline: string | null;
  lastActivityDate: LocalDate | null;
  /**
   * The date the deal entered its current stage (Salesforce `Last Stage Change
   * Date`, HubSpot `Date entered current stage`, Pipedrive `Deal - Last stage
   * change`, a mapped `stageChangeDate`): null where the export's column is
   * blank; absent where the export has no such column, on deals stored before
   * it was read, and on deals built in code. Days in stage are counted from it.
   */
  stageChangeDate?: LocalDate | null;
  /**
   * The forecast category ingest read from the CRM or derived from the
   * probability. Absent on deals stored before categories were kept (and on
   * deals built in code): the metrics derive it when they read the deal
   * (`forecastCategoryOf` in forecast-category.ts).
   */
  forecastCategory?: ForecastCategory;
}

/** Where a deal came from; kept on the stored item, never part of the figures. */
export interface DealProvenance {
  source: SourcePreset;
  /**
   * The full-snapshot scope the deal was last seen in, `<folder>#<preset>`: the
   * upload's folder under uploads/deals/ ('' directly in it, nested folders in
   * full, e.g. `emea/uk`) plus its CRM. A full export removes missing deals of
   * its own scope only.
   */
  scope: string;
  /** S3 key of the upload that last wrote the deal. */
  uploadKey: string;
  /** Ingest run id (bucket/key/version) that last saw this deal in a full export. */
  lastSeenIn: string;
  removed: boolean;
}

export type StoredDeal = Deal & DealProvenance;

export type PersonRole = 'rep' | 'manager' | 'leader';

/**
 * One row of the people file. A person may have several rows with different
 * `effectiveFrom` dates (team moves); the row in force on a date is the one with
 * the latest `effectiveFrom` not after it (null = since always).
 */
export interface Person {
  /** Stable id: lower-cased e-mail when present, else the normalised name. */
  id: string;
  name: string;
  email: string | null;
  /** As the people file says; null when it does not (no Role column, or a blank cell): inferred from who manages whom. */
  role: PersonRole | null;
  /** '' when the file gives none (managers and leaders need none). */
  team: string;
  /** The manager as a key: a person id, a lower-cased e-mail or a normalised name; resolved to a person like an owner. */
  manager: string | null;
  region: string;
  active: boolean;
  effectiveFrom: LocalDate | null;
}

export type EntityLevel = 'rep' | 'team' | 'region' | 'company';

export type PeriodKind = 'week' | 'month' | 'quarter' | 'year';

export interface Quota {
  level: EntityLevel;
  /**
   * Who the quota is for as the file names them — a rep's lower-cased e-mail or
   * normalised name, a team or region name, or `company` — resolved to the
   * people file's people, teams and regions when the metrics run, the same way
   * deal owners are.
   */
  entityId: string;
  /** Canonical fiscal period id, e.g. `FY2027-Q1`, `FY2027-M04`, `FY2027`. */
  periodId: string;
  amount: MinorUnits;
  /** The entity as written in the file, for messages (absent on quotas stored before it was kept). */
  written?: string;
}

export interface KeyAccount {
  /** Normalised account name (see `normaliseName`). */
  id: string;
  name: string;
  tier: string | null;
}

export interface FxRate {
  currency: CurrencyCode;
  /** Units of the reporting currency for one unit of `currency`. */
  rate: number;
  /** Rate applies from this date on (null = any date). */
  validFrom: LocalDate | null;
}

/**
 * The key for matching names across files: case, Latin accents and spacing
 * ignored (`  José  PEÑA ` = `jose pena`). Only the combining diacritical marks
 * block is dropped, so scripts whose marks change the letter (kana's dakuten,
 * Indic vowel signs) keep them.
 */
export function normaliseName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFKC')
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase();
}

/** A fiscal period. `start` and `end` are inclusive civil dates in the org's zone. */
export interface FiscalPeriod {
  kind: PeriodKind;
  /** Canonical id, usable as a key and unambiguous: `FY2027`, `FY2027-Q1`, `FY2027-M04`, `FY2027-W05`. */
  id: string;
  /** Human label, e.g. `FY2027 Q1`, `FY2027 Apr`, `Week 5 FY2027 (Mar 30 – Apr 5)`. */
  label: string;
  fiscalYear: number;
  start: LocalDate;
  end: LocalDate;
}
