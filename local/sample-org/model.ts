// The shapes of the sample organisation: what the generator produces and the
// writers render. Everything beyond the domain types is what a test needs to
// know about the files (which rows are bad and why, the rows of each export).
import type { RevperfConfigInput } from '../../shared/config/schema.js';
import type { CurrencyCode, Deal, FxRate, KeyAccount, LocalDate, Person, Quota } from '../../shared/domain/types.js';
import type { FiscalQuarter } from './dates.js';
import type { SampleRegion, SampleSource } from './roster.js';

export interface SampleOrgOptions {
  seed?: number;
  /** The "today" of the sample; default 2026-11-16 (a Monday in FY2027 Q4). */
  asOf?: LocalDate;
  /** At least 6; default 7. */
  repsPerTeam?: number;
  /** Multiplies the number of deals (1 ≈ 6,700 deals). */
  dealsScale?: number;
}

export interface SampleDeal extends Deal {
  /** The sample organisation's deals all have one (the ingest fixtures cover undated open deals). */
  closeDate: LocalDate;
  source: SampleSource;
  region: SampleRegion;
  /** The owner's team on the close date; `Unassigned` when the owner is not in the people file. */
  team: string;
  /** Person id of the owner; null when the owner is not in the people file. */
  ownerId: string | null;
  /** Salesforce `Type` column. */
  dealType: 'New Business' | 'Existing Business' | 'Renewal';
  /** Salesforce `Lead Source` column. */
  leadSource: string;
  isKeyAccount: boolean;
}

/** How a bad row in an export differs from the deal it was made from. */
export type DealDefect =
  | { kind: 'non-numeric-amount'; text: string }
  | { kind: 'negative-amount'; value: number }
  | { kind: 'impossible-close-date'; text: string }
  | { kind: 'missing-close-date' }
  | { kind: 'unknown-currency'; currency: CurrencyCode }
  | { kind: 'duplicate-id'; firstLine: number };

/** One data row of a deals export, in file order. */
export interface ExportRow {
  deal: SampleDeal;
  defect: DealDefect | null;
}

export interface BadRow {
  /** Path of the file relative to the upload directory, e.g. `deals/pipedrive-deals.csv`. */
  file: string;
  /** CSV: physical line (header = 1). XLSX: worksheet row number. */
  line: number;
  why: string;
  /** rejected: the row must be among the ingest report's rejected rows; finding: accepted, but reported. */
  outcome: 'rejected' | 'finding';
}

/** One row of quotas.csv. Rep rows also carry the team and region, as sales-ops files do. */
export interface QuotaRow {
  /** Rep e-mail; empty for a team quota. */
  rep: string;
  team: string;
  region: string;
  /** `FY2027-Q3` for a quarter, `2026-08` for a calendar month. */
  period: string;
  /** Whole US dollars. */
  amountUsd: number;
}

export interface AccountRow {
  name: string;
  tier: string;
  keyAccount: boolean;
}

export interface SampleOrg {
  config: RevperfConfigInput;
  /** People-file rows (the rep who moved teams has two). */
  people: Person[];
  /** Every deal the ingest must accept, across the three exports. */
  deals: SampleDeal[];
  quotas: Quota[];
  keyAccounts: KeyAccount[];
  fxRates: FxRate[];
  badRows: BadRow[];
  asOf: LocalDate;
  /** The quarters of history, oldest first, ending with the quarter containing asOf. */
  quarters: FiscalQuarter[];
  /** Each deals export's rows in file order, bad rows included. */
  exports: Record<SampleSource, ExportRow[]>;
  quotaRows: QuotaRow[];
  accountRows: AccountRow[];
}

export const EXPORT_FILES: Record<SampleSource, string> = {
  salesforce: 'deals/salesforce-opportunities.csv',
  hubspot: 'deals/hubspot-deals.xlsx',
  pipedrive: 'deals/pipedrive-deals.csv',
};

/** The generator's sense of time: "today" and the quarters around it. */
export interface Timeline {
  asOf: LocalDate;
  current: FiscalQuarter;
  /** Quarters of history, oldest first, ending with `current`. */
  quarters: FiscalQuarter[];
}
