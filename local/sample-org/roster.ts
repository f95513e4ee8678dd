// The fixed shape of Northwind Cloud: regions, teams, sales segments, and the
// name pools people and customer accounts are drawn from. Every name is
// fictional and every character is representable in Windows-1252, because the
// EMEA deals go out as a Windows-1252 Pipedrive export.
import type { CurrencyCode } from '../../shared/domain/types.js';

export const ORG_NAME = 'Northwind Cloud';
export const MAIL_DOMAIN = 'northwind.example';
export const ORG_TIME_ZONE = 'America/New_York';
export const FISCAL_YEAR_START_MONTH = 2;

export type SampleRegion = 'Americas' | 'EMEA' | 'APAC';
export type SampleSource = 'salesforce' | 'hubspot' | 'pipedrive';
export type Segment = 'enterprise' | 'midmarket' | 'commercial';

/** Each region runs a different CRM, as after an acquisition or two. */
export const REGION_SOURCE: Record<SampleRegion, SampleSource> = {
  Americas: 'salesforce',
  EMEA: 'pipedrive',
  APAC: 'hubspot',
};

export interface SegmentProfile {
  /** Mean deals per fully ramped rep per quarter before seasonality. */
  dealsPerQuarter: number;
  /** Median deal size in USD and the log-normal shape of the tail. */
  medianDealUsd: number;
  sigma: number;
  /** Sales cycle range in days. */
  cycleDays: readonly [number, number];
}

export const SEGMENTS: Record<Segment, SegmentProfile> = {
  enterprise: { dealsPerQuarter: 9, medianDealUsd: 90_000, sigma: 0.7, cycleDays: [45, 120] },
  midmarket: { dealsPerQuarter: 14, medianDealUsd: 38_000, sigma: 0.6, cycleDays: [30, 100] },
  commercial: { dealsPerQuarter: 20, medianDealUsd: 16_000, sigma: 0.55, cycleDays: [20, 70] },
};

/** Deal-count multiplier by fiscal quarter: Q4 is the big push, Q1 the hangover. */
export const SEASONALITY: Record<number, number> = { 1: 0.75, 2: 0.95, 3: 1.0, 4: 1.35 };
/** Q4 deals are also a little bigger (budgets spent before year end). */
export const Q4_DEAL_SIZE = 1.1;
/** Business grows about 12 % a year: deal volume and quotas compound by this per quarter. */
export const QUARTERLY_GROWTH = 0.03;
/** The win rate of a typical rep; quotas are set from it. */
export const NOMINAL_WIN_RATE = 0.3;

export interface TeamPlan {
  name: string;
  region: SampleRegion;
  segment: Segment;
  currencies: readonly (readonly [CurrencyCode, number])[];
  manager: string;
  /** Reps whose names are fixed so the exports are sure to carry é, ü, ß, ñ. */
  namedReps?: readonly string[];
}

export const TEAMS: readonly TeamPlan[] = [
  { name: 'NA Enterprise', region: 'Americas', segment: 'enterprise', currencies: [['USD', 1]], manager: 'Rachel Whitaker' },
  { name: 'NA Commercial', region: 'Americas', segment: 'commercial', currencies: [['USD', 1]], manager: 'Marcus Bell' },
  { name: 'LATAM', region: 'Americas', segment: 'midmarket', currencies: [['USD', 1]], manager: 'Gabriela Ferreira' },
  {
    name: 'UK & Ireland',
    region: 'EMEA',
    segment: 'midmarket',
    currencies: [['GBP', 8], ['EUR', 2]],
    manager: 'Fiona Gallagher',
  },
  {
    name: 'DACH',
    region: 'EMEA',
    segment: 'enterprise',
    currencies: [['EUR', 1]],
    manager: 'Stefan Köhler',
    namedReps: ['Lukas Strauß', 'Zoë Müller'],
  },
  {
    name: 'Southern Europe',
    region: 'EMEA',
    segment: 'commercial',
    currencies: [['EUR', 1]],
    manager: 'Carmen Ibáñez',
    namedReps: ['José Muñoz', 'Léa Dubois'],
  },
  { name: 'ANZ', region: 'APAC', segment: 'midmarket', currencies: [['AUD', 85], ['USD', 15]], manager: 'Liam O’Connor' },
  { name: 'Japan', region: 'APAC', segment: 'enterprise', currencies: [['JPY', 8], ['USD', 2]], manager: 'Kenji Watanabe' },
];

export const REGIONAL_VPS: Record<SampleRegion, string> = {
  Americas: 'Angela Price',
  EMEA: 'Henrik Sørensen',
  APAC: 'Mei Lin Tan',
};

export const LEADERS = { ceo: 'Victoria Hale', cro: 'Daniel Okafor' } as const;

/** An owner that appears in a deals export but not in the people file (a data-quality finding). */
export const UNKNOWN_OWNER = 'Marcus Webb';

export const FIRST_NAMES: Record<SampleRegion, readonly string[]> = {
  Americas: [
    'Olivia', 'Liam', 'Ava', 'Noah', 'Mia', 'Ethan', 'Sofia', 'Lucas', 'Camila', 'Mateo', 'Isabella', 'Diego',
    'Harper', 'Jackson', 'Emily', 'Aiden', 'Grace', 'Carter', 'Valentina', 'Santiago', 'Chloe', 'Owen', 'Zoe', 'Caleb',
  ],
  EMEA: [
    'Sophie', 'Lukas', 'Élodie', 'Jörg', 'Inés', 'Matteo', 'Chloé', 'Björn', 'Ana', 'François', 'Amélie', 'Jürgen',
    'Oliver', 'Hannah', 'Leonie', 'Álvaro', 'Émile', 'Siobhán', 'Niamh', 'Ciarán', 'Maximilian', 'Lucía', 'Hélène', 'Tomás',
  ],
  APAC: [
    'Hiroshi', 'Yuki', 'Aiko', 'Haruto', 'Sakura', 'Ren', 'Jack', 'Charlotte', 'Lachlan', 'Priya', 'Ravi', 'Ruby',
    'Isla', 'Tom', 'Ananya', 'Hana', 'Daichi', 'Matilda', 'Cooper', 'Wei',
  ],
};

export const LAST_NAMES: Record<SampleRegion, readonly string[]> = {
  Americas: [
    'Johnson', 'Carter', 'Reyes', 'Nguyen', 'Patel', 'Brooks', 'Hughes', 'Ramírez', 'Ortiz', 'Foster', 'Bennett',
    'Coleman', 'Silva', 'Morales', 'Sullivan', 'Hayes', 'Castillo', 'Murphy', 'Kim', 'Alvarez', 'Perry', 'Ward',
  ],
  EMEA: [
    'Müller', 'Dubois', 'García', 'Schäfer', 'Lefèvre', 'Núñez', 'Fischer', 'Rossi', 'Jensen', 'Weiß', 'Peña',
    'Thompson', 'Doyle', 'Hoffmann', 'Kennedy', 'Moreau', 'Bianchi', 'Byrne', 'Lindqvist', 'Gómez', 'Brennan', 'Schröder',
  ],
  APAC: [
    'Tanaka', 'Sato', 'Suzuki', 'Nakamura', 'Kobayashi', 'Yamamoto', 'Smith', 'Wilson', 'Taylor', 'Singh', 'Chen',
    'Kelly', 'Brown', 'Ito', 'Mori', 'Walsh', 'Nair', 'Campbell',
  ],
};

export interface KeyAccountPlan {
  name: string;
  region: SampleRegion;
  tier: 'Strategic' | 'Growth';
}

export const KEY_ACCOUNTS: readonly KeyAccountPlan[] = [
  { name: 'Redwood Health Systems', region: 'Americas', tier: 'Strategic' },
  { name: 'Summit Freight Co.', region: 'Americas', tier: 'Strategic' },
  { name: 'Lakeshore Bank', region: 'Americas', tier: 'Growth' },
  { name: 'Pioneer Energy Partners', region: 'Americas', tier: 'Growth' },
  { name: 'Hanse Logistik AG', region: 'EMEA', tier: 'Strategic' },
  { name: 'Bergmann & Söhne GmbH', region: 'EMEA', tier: 'Growth' },
  { name: 'Société Lumière SA', region: 'EMEA', tier: 'Growth' },
  { name: 'Kaizen Robotics KK', region: 'APAC', tier: 'Strategic' },
  { name: 'Southern Cross Mining Ltd', region: 'APAC', tier: 'Growth' },
  { name: 'Tasman Harbour Ports Pty Ltd', region: 'APAC', tier: 'Growth' },
];

/** Listed in the accounts upload with `Key account = no`: it was a key account last year. */
export const FORMER_KEY_ACCOUNT = 'Orchid Telecom Inc.';

/** Parts that customer account names are assembled from, per region. */
export const ACCOUNT_NAME_PARTS: Record<SampleRegion, { stems: readonly string[]; trades: readonly string[]; forms: readonly string[] }> = {
  Americas: {
    stems: [
      'Blue Ridge', 'Cedar', 'Granite', 'Harbor', 'Ironwood', 'Juniper', 'Keystone', 'Lakeview', 'Maple', 'Northstar',
      'Oakline', 'Pinecrest', 'Quarry', 'Riverbend', 'Sagebrush', 'Timberline', 'Vista', 'Westfield', 'Clearwater', 'Silver Creek',
    ],
    trades: ['Logistics', 'Health', 'Foods', 'Capital', 'Manufacturing', 'Software', 'Retail', 'Energy', 'Labs', 'Media'],
    forms: ['Inc.', 'LLC', 'Corp.', 'Co.', 'Group'],
  },
  EMEA: {
    stems: [
      'Albion', 'Bergmann', 'Castell', 'Danube', 'Elbe', 'Fjord', 'Garonne', 'Iberia', 'Jura', 'Kestrel', 'Loire',
      'Meridian', 'Nordlicht', 'Øresund', 'Pyrénées', 'Rhein', 'Severn', 'Vltava', 'Sörensen', 'Zürcher',
    ],
    trades: ['Logistik', 'Analytics', 'Versicherung', 'Retail', 'Énergie', 'Datos', 'Consulting', 'Pharma', 'Maschinenbau', 'Media'],
    forms: ['GmbH', 'AG', 'SA', 'SL', 'Ltd', 'plc', 'BV'],
  },
  APAC: {
    stems: [
      'Hikari', 'Sakura', 'Fuji', 'Koala', 'Harbour City', 'Marina Bay', 'Coral Sea', 'Kiwi', 'Lotus', 'Banyan', 'Midori',
      'Southern Star', 'Eucalypt', 'Kinokawa',
    ],
    trades: ['Systems', 'Robotics', 'Trading', 'Mining', 'Foods', 'Finance', 'Logistics', 'Health', 'Retail', 'Energy'],
    forms: ['KK', 'Pty Ltd', 'Pte Ltd', 'Ltd', 'Co., Ltd.'],
  },
};

/** Accounts whose names need quoting in a comma-separated file. */
export const AWKWARD_ACCOUNTS: Record<SampleRegion, readonly string[]> = {
  Americas: ['Smith, Hale & Partners LLP', 'O’Neill "Legacy" Holdings'],
  EMEA: ['Müller, Braun & Co. KG', 'Peña; Asociados SL'],
  APAC: ['Sato, Ito & Mori KK'],
};

export const PRODUCTS: readonly string[] = [
  'Platform Subscription', 'Analytics Add-on', 'Security Suite', 'Data Migration', 'Enterprise Licence',
  'Seat Expansion', 'Professional Services', 'Premium Support', 'API Bundle', 'Cloud Upgrade',
];

export const LEAD_SOURCES: readonly string[] = ['Web', 'Partner', 'Outbound', 'Event', 'Referral'];
