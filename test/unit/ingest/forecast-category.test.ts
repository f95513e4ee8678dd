// Forecast categories at ingest: the CRM's own column (Salesforce, HubSpot, a
// mapped field; English and Spanish; labels and API names), the probability
// bands where the file has none, and unknown values named once in the findings.
import { describe, expect, it } from 'vitest';
import { parseConfig, type RevperfConfigInput } from '../../../shared/config/schema.js';
import { FiscalCalendar } from '../../../shared/domain/fiscal-calendar.js';
import type { Deal } from '../../../shared/domain/types.js';
import { parseForecastCategory } from '../../../shared/ingest/forecast-category.js';
import { UploadNormaliser, type RowOutcome } from '../../../shared/ingest/normaliser.js';
import type { RawCell } from '../../../shared/ingest/types.js';

const BASE_CONFIG: RevperfConfigInput = {
  org: { name: 'Northwind', timeZone: 'America/New_York' },
  currency: { reporting: 'USD' },
  mail: { from: 'revperf@northwind.com', allowedDomains: ['northwind.com'] },
};

function run(rows: RawCell[][], config: Partial<RevperfConfigInput> = {}) {
  const parsed = parseConfig({ ...BASE_CONFIG, ...config });
  const target = new UploadNormaliser({
    kind: 'deals',
    uploadKey: 'uploads/deals/export.csv',
    config: parsed,
    calendar: new FiscalCalendar({ ...parsed.fiscal, timeZone: parsed.org.timeZone }),
    fxRates: [],
    today: '2026-04-15',
  });
  const outcomes: RowOutcome[] = rows.map((cells, index) => target.push({ line: index + 1, cells }));
  target.finish();
  const deals = outcomes.flatMap((outcome) => (outcome.type === 'accepted' ? [outcome.entity.value as Deal] : []));
  const rejected = outcomes.filter((outcome) => outcome.type === 'rejected');
  return { deals, rejected, findings: target.findings(), columns: target.columns };
}

const categoryById = (deals: readonly Deal[]) => Object.fromEntries(deals.map((deal) => [deal.id, deal.forecastCategory]));

describe('parseForecastCategory', () => {
  it.each([
    ['Pipeline', 'pipeline'],
    ['Best Case', 'bestCase'],
    ['BestCase', 'bestCase'],
    ['BEST_CASE', 'bestCase'],
    ['best-case', 'bestCase'],
    ['Commit', 'commit'],
    ['Closed', 'closed'],
    ['Omitted', 'omitted'],
    // HubSpot
    ['Not forecasted', 'omitted'],
    ['Best case', 'bestCase'],
    ['Closed won', 'closed'],
    // Spanish
    ['Compromiso', 'commit'],
    ['comprometido', 'commit'],
    ['Mejor caso', 'bestCase'],
    ['MEJOR_CASO', 'bestCase'],
    ['Omitido', 'omitted'],
    ['Cartera', 'pipeline'],
    ['  pipeline ', 'pipeline'],
  ])('reads %j as %s', (text, category) => {
    expect(parseForecastCategory(text)).toBe(category);
  });

  it('reads nothing it does not know', () => {
    expect(parseForecastCategory('Maybe')).toBeNull();
    expect(parseForecastCategory('')).toBeNull();
  });
});

describe('a Salesforce report with a Forecast Category column', () => {
  const header = ['Opportunity ID', 'Opportunity Name', 'Account Name', 'Opportunity Owner', 'Stage', 'Amount', 'Probability (%)', 'Close Date', 'Forecast Category'];
  const rows: RawCell[][] = [
    header,
    // The CRM's category wins over the probability for open deals.
    ['S1', 'One', 'Acme', 'Ana', 'Prospecting', '$1,000', '10', '5/1/2026', 'Commit'],
    ['S2', 'Two', 'Acme', 'Ana', 'Prospecting', '$1,000', '10', '5/1/2026', 'Best Case'],
    ['S3', 'Three', 'Acme', 'Ana', 'Prospecting', '$1,000', '95', '5/1/2026', 'BestCase'],
    ['S4', 'Four', 'Acme', 'Ana', 'Prospecting', '$1,000', '95', '5/1/2026', 'Pipeline'],
    ['S5', 'Five', 'Acme', 'Ana', 'Prospecting', '$1,000', '95', '5/1/2026', 'Omitted'],
    // Won and lost deals: the stage decides.
    ['S6', 'Six', 'Acme', 'Ana', 'Closed Won', '$1,000', '100', '3/1/2026', 'Closed'],
    ['S7', 'Seven', 'Acme', 'Ana', 'Closed Lost', '$1,000', '0', '3/1/2026', 'Commit'],
    // Unknown values: loaded with the band of their probability, named once with their count.
    ['S8', 'Eight', 'Acme', 'Ana', 'Prospecting', '$1,000', '50', '5/1/2026', 'Maybe'],
    ['S9', 'Nine', 'Acme', 'Ana', 'Prospecting', '$1,000', '90', '5/1/2026', ' MAYBE'],
    // Blank cell: the band of its probability.
    ['S10', 'Ten', 'Acme', 'Ana', 'Prospecting', '$1,000', '90', '5/1/2026', ''],
  ];

  it('recognises the column and reads each deal\'s category', () => {
    const { deals, rejected, columns } = run(rows);
    expect(columns.forecastCategory).toBe('Forecast Category');
    expect(rejected).toEqual([]);
    expect(categoryById(deals)).toEqual({
      S1: 'commit',
      S2: 'bestCase',
      S3: 'bestCase',
      S4: 'pipeline',
      S5: 'omitted',
      S6: 'closed',
      S7: 'omitted',
      S8: 'bestCase',
      S9: 'commit',
      S10: 'commit',
    });
  });

  it('names an unknown value once, with how many deals had it and what they fell back to', () => {
    const { findings } = run(rows);
    const unknown = findings.filter((finding) => finding.includes('forecast category'));
    expect(unknown).toEqual([
      "2 deal(s) have forecast category 'Maybe', which is not Pipeline, Best Case, Commit, Closed or Omitted: they were loaded " +
        'with the category their probability gives (commit ≥ 90%, best case ≥ 50%, pipeline ≥ 10%, omitted below; config forecast.bands)',
    ]);
  });
});

describe('a file without a category column', () => {
  const rows = (probabilities: string[]): RawCell[][] => [
    ['Deal ID', 'Deal Name', 'Owner', 'Stage', 'Amount', 'Probability', 'Close Date'],
    ...probabilities.map((probability, index) => [`G${index}`, `Deal ${index}`, 'Ana', 'Open', '100', probability, '2026-05-01']),
    ['W', 'Won one', 'Ana', 'Won', '100', '', '2026-03-01'],
    ['L', 'Lost one', 'Ana', 'Lost', '100', '', '2026-03-01'],
  ];
  const stages: RevperfConfigInput['stages'] = [
    { stage: 'Open', class: 'open' },
    { stage: 'Won', class: 'won' },
    { stage: 'Lost', class: 'lost' },
  ];

  it('derives it from the probability, the band edges 90%, 50% and 10% included in the band above them', () => {
    const { deals, findings } = run(rows(['100', '90', '89.99', '50', '49.99', '10', '9.99', '0']), { stages });
    expect(categoryById(deals)).toEqual({
      G0: 'commit',
      G1: 'commit',
      G2: 'bestCase',
      G3: 'bestCase',
      G4: 'pipeline',
      G5: 'pipeline',
      G6: 'omitted',
      G7: 'omitted',
      W: 'closed',
      L: 'omitted',
    });
    expect(findings.filter((finding) => finding.includes('forecast category'))).toEqual([]);
  });

  it('uses the configured bands', () => {
    const { deals } = run(rows(['80', '79', '40', '39', '5', '4']), { stages, forecast: { bands: { commit: 0.8, bestCase: 0.4, pipeline: 0.05 } } });
    expect(deals.slice(0, 6).map((deal) => deal.forecastCategory)).toEqual(['commit', 'bestCase', 'bestCase', 'pipeline', 'pipeline', 'omitted']);
  });

  it('refuses bands out of order, naming the field', () => {
    expect(() => parseConfig({ ...BASE_CONFIG, forecast: { bands: { commit: 0.5, bestCase: 0.6 } } })).toThrow(/forecast\.bands\.bestCase/);
  });
});

describe('HubSpot and mapped columns', () => {
  it('reads HubSpot\'s "Forecast category" labels', () => {
    const { deals, columns } = run([
      ['Record ID', 'Deal Name', 'Deal Stage', 'Close Date', 'Deal owner', 'Amount', 'Forecast category'],
      ['H1', 'One', 'appointmentscheduled', '2026-05-01', 'Ana', '100', 'Not forecasted'],
      ['H2', 'Two', 'appointmentscheduled', '2026-05-01', 'Ana', '100', 'Best case'],
      ['H3', 'Three', 'contractsent', '2026-05-01', 'Ana', '100', 'Commit'],
      ['H4', 'Four', 'closedwon', '2026-03-01', 'Ana', '100', 'Closed won'],
    ]);
    expect(columns.forecastCategory).toBe('Forecast category');
    expect(categoryById(deals)).toEqual({ H1: 'omitted', H2: 'bestCase', H3: 'commit', H4: 'closed' });
  });

  it('reads a mapped forecastCategory column, in Spanish', () => {
    const mappings: RevperfConfigInput['mappings'] = [
      { kind: 'deals', name: 'Acme CRM', columns: { name: 'Oportunidad', owner: 'Comercial', stage: 'Fase', amount: 'Importe', closeDate: 'Cierre', forecastCategory: 'Previsión' } },
    ];
    const { deals, columns } = run(
      [
        ['Oportunidad', 'Comercial', 'Fase', 'Importe', 'Cierre', 'Previsión'],
        ['Uno', 'Ana', 'Open', '100', '2026-05-01', 'Compromiso'],
        ['Dos', 'Ana', 'Open', '100', '2026-05-01', 'mejor caso'],
        ['Tres', 'Ana', 'Open', '100', '2026-05-01', 'Cartera'],
        ['Cuatro', 'Ana', 'Open', '100', '2026-05-01', 'Omitido'],
      ],
      { mappings, stages: [{ stage: 'Open', class: 'open', probability: 0.2 }] },
    );
    expect(columns.forecastCategory).toBe('Previsión');
    expect(deals.map((deal) => deal.forecastCategory)).toEqual(['commit', 'bestCase', 'pipeline', 'omitted']);
  });
});
