// Which column holds which revperf field. Salesforce, HubSpot and Pipedrive
// exports are recognised from their headers; every kind of upload also has
// generic synonyms; a config mapping names the headers of any other CRM and
// wins over everything else.
import type { ColumnMapping } from '../config/schema.js';
import type { SourcePreset } from '../domain/types.js';
import type { UploadKind } from '../adapters/bucket-layout.js';

/** Headers match ignoring case, spacing, punctuation and a BOM: `Deal - ID` = `deal id` = `\uFEFFDeal ID`. */
export function headerKey(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\uFEFF/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** The header as the user wrote it, for reports: trimmed, without a BOM. */
export function headerText(text: string): string {
  return text.replace(/\uFEFF/g, '').trim();
}

export const FIELDS_BY_KIND = {
  deals: [
    'id',
    'name',
    'account',
    'owner',
    'stage',
    'status',
    'amount',
    'currency',
    'probability',
    'closeDate',
    'wonTime',
    'lostTime',
    'createdDate',
    'pipeline',
    'lastActivityDate',
    'stageChangeDate',
    'forecastCategory',
  ],
  people: ['name', 'email', 'team', 'manager', 'region', 'role', 'active', 'effectiveFrom'],
  quotas: ['rep', 'team', 'region', 'level', 'entity', 'period', 'amount', 'currency'],
  accounts: ['name', 'tier', 'key'],
  fx: ['currency', 'rate', 'validFrom'],
} as const satisfies Record<UploadKind, readonly string[]>;

export type FieldOf<K extends UploadKind> = (typeof FIELDS_BY_KIND)[K][number];

/**
 * Columns a file of each kind must have; each inner list is "any of". A deals
 * file needs a stage or a status, and a close date or (Pipedrive) a won time.
 */
export const REQUIRED_COLUMNS: Record<UploadKind, readonly (readonly string[])[]> = {
  deals: [['name'], ['owner'], ['stage', 'status'], ['amount'], ['closeDate', 'wonTime']],
  people: [['name'], ['team']],
  quotas: [['rep', 'team', 'region', 'level'], ['period'], ['amount']],
  accounts: [['name']],
  fx: [['currency'], ['rate']],
};

type Aliases = Readonly<Record<string, readonly string[]>>;

/** Generic synonyms per kind; the first alias of a field is how error messages name it. */
const GENERIC_ALIASES: Record<UploadKind, Aliases> = {
  deals: {
    id: ['ID', 'Deal ID', 'Opportunity ID', 'Record ID'],
    name: ['Name', 'Deal Name', 'Deal', 'Opportunity Name', 'Opportunity', 'Title', 'Deal Title'],
    account: ['Account', 'Account Name', 'Company', 'Company Name', 'Customer', 'Organization', 'Organisation', 'Client'],
    owner: ['Owner', 'Deal Owner', 'Opportunity Owner', 'Rep', 'Sales Rep', 'Salesperson', 'Account Executive', 'Assigned To'],
    stage: ['Stage', 'Deal Stage', 'Sales Stage', 'Pipeline Stage'],
    status: ['Status', 'Deal Status'],
    amount: ['Amount', 'Value', 'Deal Value', 'Deal Amount', 'Opportunity Amount', 'Revenue'],
    currency: ['Currency', 'Currency Code', 'Deal Currency'],
    probability: ['Probability', 'Probability (%)', 'Win Probability', 'Deal Probability'],
    closeDate: ['Close Date', 'Closing Date', 'Expected Close Date', 'Closed Date', 'Close'],
    wonTime: ['Won Time', 'Won Date', 'Date Won'],
    lostTime: ['Lost Time', 'Lost Date', 'Date Lost'],
    createdDate: ['Created Date', 'Create Date', 'Created', 'Created On', 'Created At', 'Date Created', 'Deal Created'],
    pipeline: ['Pipeline'],
    lastActivityDate: ['Last Activity Date', 'Last Activity'],
    stageChangeDate: ['Stage Change Date', 'Last Stage Change Date', 'Last Stage Change', 'Date Entered Current Stage'],
    forecastCategory: ['Forecast Category', 'Forecast Category Name', 'Categoría de previsión', 'Categoría de pronóstico', 'Categoría de forecast'],
  },
  people: {
    name: ['Name', 'Full Name', 'Rep', 'Rep Name', 'Sales Rep', 'Person', 'Employee'],
    email: ['Email', 'E-mail', 'Email Address', 'Work Email'],
    team: ['Team', 'Team Name', 'Sales Team'],
    manager: ['Manager', 'Manager Name', 'Manager Email', 'Reports To'],
    region: ['Region', 'Territory', 'Geo'],
    role: ['Role'],
    active: ['Active', 'Is Active', 'Status'],
    effectiveFrom: ['Effective From', 'Effective Date', 'Valid From', 'Start Date', 'From'],
  },
  quotas: {
    rep: ['Rep', 'Owner', 'Sales Rep', 'Rep Name', 'Rep Email', 'Person', 'Email'],
    team: ['Team'],
    region: ['Region'],
    level: ['Level'],
    entity: ['Entity', 'Entity ID', 'Name'],
    period: ['Period', 'Fiscal Period', 'Quarter', 'Fiscal Quarter', 'Month', 'Fiscal Month', 'Year', 'Fiscal Year'],
    amount: ['Quota', 'Target', 'Amount', 'Quota Amount', 'Target Amount'],
    currency: ['Currency', 'Currency Code'],
  },
  accounts: {
    name: ['Account Name', 'Account', 'Name', 'Company', 'Customer'],
    tier: ['Tier', 'Account Tier', 'Segment'],
    key: ['Key Account', 'Key', 'Is Key Account', 'Strategic'],
  },
  fx: {
    currency: ['Currency', 'Currency Code', 'From Currency', 'Code'],
    rate: ['Rate', 'Exchange Rate', 'FX Rate', 'Conversion Rate'],
    validFrom: ['Valid From', 'Effective From', 'From Date', 'Start Date', 'Date'],
  },
};

interface CrmPreset {
  preset: Exclude<SourcePreset, 'custom' | 'generic'>;
  /** Headers that together identify the export. */
  signature: readonly string[];
  aliases: Aliases;
}

// DESIGN.md "Known export headers". The Salesforce variant without an id
// column needs nothing special; its `Amount Currency` column (one `… Currency`
// column sits before each money column) is preferred over the record currency.
const CRM_PRESETS: readonly CrmPreset[] = [
  {
    preset: 'salesforce',
    signature: ['Opportunity Name', 'Stage', 'Close Date'],
    aliases: {
      id: ['Opportunity ID'],
      name: ['Opportunity Name'],
      account: ['Account Name'],
      owner: ['Opportunity Owner'],
      stage: ['Stage'],
      amount: ['Amount'],
      currency: ['Amount Currency', 'Opportunity Currency'],
      probability: ['Probability (%)'],
      closeDate: ['Close Date'],
      createdDate: ['Created Date'],
      lastActivityDate: ['Last Activity'],
      stageChangeDate: ['Last Stage Change Date'],
      forecastCategory: ['Forecast Category', 'ForecastCategoryName'],
    },
  },
  {
    preset: 'hubspot',
    signature: ['Deal Name', 'Deal Stage'],
    aliases: {
      id: ['Record ID', 'Deal ID'],
      name: ['Deal Name'],
      account: ['Associated Company', 'Associated Company (Primary)', 'Company name'],
      owner: ['Deal owner'],
      stage: ['Deal Stage'],
      amount: ['Amount'],
      currency: ['Currency', 'Deal currency code'],
      probability: ['Deal probability'],
      closeDate: ['Close Date'],
      createdDate: ['Create Date'],
      pipeline: ['Pipeline'],
      lastActivityDate: ['Last Activity Date'],
      // A Professional-tier deal property; exports of lower tiers lack the column.
      stageChangeDate: ['Date entered current stage'],
      // The deal property's label; exports made through the API name it by its internal name.
      forecastCategory: ['Forecast category', 'hs_manual_forecast_category'],
    },
  },
  {
    preset: 'pipedrive',
    signature: ['Deal - Title', 'Deal - Value'],
    aliases: {
      id: ['Deal - ID'],
      name: ['Deal - Title'],
      account: ['Deal - Organization'],
      owner: ['Deal - Owner'],
      stage: ['Deal - Stage'],
      status: ['Deal - Status'],
      amount: ['Deal - Value'],
      currency: ['Deal - Currency'],
      probability: ['Deal - Probability'],
      closeDate: ['Deal - Expected close date'],
      wonTime: ['Deal - Won time'],
      lostTime: ['Deal - Lost time'],
      createdDate: ['Deal - Deal created'],
      pipeline: ['Deal - Pipeline'],
      lastActivityDate: ['Deal - Last activity date'],
      stageChangeDate: ['Deal - Last stage change'],
    },
  },
];

/** A recognised header row: which field is in which column. */
export interface HeaderMatch {
  preset: SourcePreset;
  /** The config mapping's name when `preset` is `custom`. */
  mappingName: string | null;
  /** revperf field → header text as written in the file. */
  columns: Record<string, string>;
  /** revperf field → column index. */
  indexes: Record<string, number>;
}

/** A row that looks like a header of this kind but lacks required columns. */
export interface HeaderNearMiss {
  preset: SourcePreset;
  mappingName: string | null;
  columns: Record<string, string>;
  /** Each missing requirement, described as the header(s) it expects, e.g. `Close Date (closeDate)`. */
  missing: string[];
  /** The row's headers as written. */
  headers: string[];
}

export type HeaderReading = { type: 'match'; match: HeaderMatch } | { type: 'near-miss'; nearMiss: HeaderNearMiss } | { type: 'none' };

interface Candidate {
  preset: SourcePreset;
  mappingName: string | null;
  /** Aliases tried per field, tier by tier: the mapping's or preset's own first, then generic synonyms. */
  tiers: readonly Aliases[];
  /** Headers that must all be present for the candidate to apply at all. */
  gate: readonly string[];
}

function candidatesFor(kind: UploadKind, mappings: readonly ColumnMapping[]): Candidate[] {
  const generic = GENERIC_ALIASES[kind];
  const custom = mappings
    .filter((mapping) => mapping.kind === kind)
    .map<Candidate>((mapping) => ({
      preset: 'custom',
      mappingName: mapping.name,
      tiers: [Object.fromEntries(Object.entries(mapping.columns).map(([field, header]) => [field, [header]])), generic],
      // A mapping applies when every header it names for a known field is in the row
      // (a misspelt field is reported as a finding, not allowed to disable the mapping).
      gate: Object.entries(mapping.columns)
        .filter(([field]) => (FIELDS_BY_KIND[kind] as readonly string[]).includes(field))
        .map(([, header]) => header),
    }));
  const crm =
    kind === 'deals'
      ? CRM_PRESETS.map<Candidate>((preset) => ({
          preset: preset.preset,
          mappingName: null,
          tiers: [preset.aliases, generic],
          gate: preset.signature,
        }))
      : [];
  return [...custom, ...crm, { preset: 'generic', mappingName: null, tiers: [generic], gate: [] }];
}

/** How an error message names the column a field expects, e.g. `Close Date (closeDate)`. */
function describeField(candidate: Candidate, field: string): string {
  const header = candidate.tiers.map((tier) => tier[field]?.[0]).find((alias) => alias !== undefined);
  return `${header ?? field} (${field})`;
}

/**
 * Reads a row as a header of `kind`: the first candidate (config mappings, then
 * CRM presets, then generic synonyms) whose gate headers are present and whose
 * required columns are all found. Otherwise the best near miss, if the row
 * names at least two fields of this kind.
 */
export function readHeader(kind: UploadKind, cells: readonly string[], mappings: readonly ColumnMapping[]): HeaderReading {
  const headers = cells.map(headerText);
  const indexByKey = new Map<string, number>();
  headers.forEach((header, index) => {
    const key = headerKey(header);
    if (key !== '' && !indexByKey.has(key)) indexByKey.set(key, index);
  });

  let best: { candidate: Candidate; indexes: Record<string, number>; missing: string[] } | null = null;
  for (const candidate of candidatesFor(kind, mappings)) {
    if (!candidate.gate.every((header) => indexByKey.has(headerKey(header)))) continue;
    const indexes = locateFields(FIELDS_BY_KIND[kind], candidate.tiers, indexByKey);
    const missing = REQUIRED_COLUMNS[kind]
      .filter((anyOf) => !anyOf.some((field) => field in indexes))
      .map((anyOf) => anyOf.map((field) => describeField(candidate, field)).join(' or '));
    if (missing.length === 0) {
      const match = { preset: candidate.preset, mappingName: candidate.mappingName, columns: columnsOf(indexes, headers), indexes };
      return { type: 'match', match };
    }
    if (best === null || Object.keys(indexes).length > Object.keys(best.indexes).length) best = { candidate, indexes, missing };
  }
  if (best === null || Object.keys(best.indexes).length < 2) return { type: 'none' };
  return {
    type: 'near-miss',
    nearMiss: {
      preset: best.candidate.preset,
      mappingName: best.candidate.mappingName,
      columns: columnsOf(best.indexes, headers),
      missing: best.missing,
      headers: headers.filter((header) => header !== ''),
    },
  };
}

/**
 * Field → column. Tier by tier, each field takes the first column named by one
 * of its aliases; a column serves one field only, so a preset's own header is
 * never taken by another field's generic synonym.
 */
function locateFields(
  fields: readonly string[],
  tiers: readonly Aliases[],
  indexByKey: ReadonlyMap<string, number>,
): Record<string, number> {
  const indexes: Record<string, number> = {};
  const used = new Set<number>();
  for (const aliases of tiers) {
    for (const field of fields) {
      if (field in indexes) continue;
      const index = (aliases[field] ?? []).map((alias) => indexByKey.get(headerKey(alias))).find((i) => i !== undefined && !used.has(i));
      if (index !== undefined) {
        indexes[field] = index;
        used.add(index);
      }
    }
  }
  return indexes;
}

function columnsOf(indexes: Record<string, number>, headers: readonly string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(indexes).map(([field, index]) => [field, headers[index] ?? '']));
}

/** Mapping fields revperf does not know for the kind (typos such as `closedate`), to report. */
export function unknownMappedFields(kind: UploadKind, mapping: ColumnMapping): string[] {
  const known = new Set<string>(FIELDS_BY_KIND[kind]);
  return Object.keys(mapping.columns).filter((field) => !known.has(field));
}
