import { describe, expect, it } from 'vitest';
import { headerKey, readHeader, unknownMappedFields } from '../../../shared/ingest/presets.js';
import type { ColumnMapping } from '../../../shared/config/schema.js';

const SALESFORCE = [
  'Opportunity ID', 'Opportunity Name', 'Account Name', 'Opportunity Owner', 'Stage', 'Amount', 'Opportunity Currency',
  'Probability (%)', 'Expected Revenue', 'Close Date', 'Created Date', 'Fiscal Period', 'Forecast Category', 'Type', 'Lead Source',
];
const SALESFORCE_NO_ID = [
  'Opportunity Name', 'Account Name', 'Opportunity Owner', 'Stage', 'Amount Currency', 'Amount',
  'Expected Revenue Currency', 'Expected Revenue', 'Probability (%)', 'Close Date', 'Created Date',
];
const HUBSPOT = [
  'Record ID', 'Deal Name', 'Deal Stage', 'Close Date', 'Deal owner', 'Amount', 'Pipeline', 'Create Date',
  'Last Activity Date', 'Associated Company',
];
const PIPEDRIVE = [
  'Deal - ID', 'Deal - Title', 'Deal - Value', 'Deal - Currency', 'Deal - Stage', 'Deal - Status', 'Deal - Owner',
  'Deal - Expected close date', 'Deal - Won time', 'Deal - Deal created', 'Deal - Organization',
];

function match(kind: Parameters<typeof readHeader>[0], headers: string[], mappings: ColumnMapping[] = []) {
  const reading = readHeader(kind, headers, mappings);
  if (reading.type !== 'match') throw new Error(`expected a header match, got ${JSON.stringify(reading)}`);
  return reading.match;
}

describe('headerKey', () => {
  it('ignores case, spacing, punctuation and a BOM', () => {
    expect(headerKey('\uFEFFOpportunity ID')).toBe('opportunityid');
    expect(headerKey('  deal -  id ')).toBe(headerKey('Deal - ID'));
    expect(headerKey('PROBABILITY (%)')).toBe(headerKey('Probability'));
    expect(headerKey('Close_Date')).toBe(headerKey('close date'));
  });
});

describe('CRM presets', () => {
  it('recognises a Salesforce opportunity report', () => {
    const header = match('deals', SALESFORCE);
    expect(header.preset).toBe('salesforce');
    expect(header.columns).toEqual({
      id: 'Opportunity ID',
      name: 'Opportunity Name',
      account: 'Account Name',
      owner: 'Opportunity Owner',
      stage: 'Stage',
      amount: 'Amount',
      currency: 'Opportunity Currency',
      probability: 'Probability (%)',
      closeDate: 'Close Date',
      createdDate: 'Created Date',
      forecastCategory: 'Forecast Category',
    });
    expect(header.indexes).toMatchObject({ id: 0, amount: 5, closeDate: 9 });
  });

  it('recognises the Salesforce variant without an id and with "… Currency" columns', () => {
    const header = match('deals', SALESFORCE_NO_ID);
    expect(header.preset).toBe('salesforce');
    expect(header.columns.id).toBeUndefined();
    expect(header.columns.currency).toBe('Amount Currency');
    expect(header.indexes.amount).toBe(5);
  });

  it('recognises a HubSpot deals export', () => {
    const header = match('deals', HUBSPOT);
    expect(header.preset).toBe('hubspot');
    expect(header.columns).toEqual({
      id: 'Record ID',
      name: 'Deal Name',
      account: 'Associated Company',
      owner: 'Deal owner',
      stage: 'Deal Stage',
      amount: 'Amount',
      closeDate: 'Close Date',
      createdDate: 'Create Date',
      pipeline: 'Pipeline',
      lastActivityDate: 'Last Activity Date',
    });
  });

  it('recognises a Pipedrive deals export', () => {
    const header = match('deals', PIPEDRIVE);
    expect(header.preset).toBe('pipedrive');
    expect(header.columns).toMatchObject({
      id: 'Deal - ID',
      status: 'Deal - Status',
      closeDate: 'Deal - Expected close date',
      wonTime: 'Deal - Won time',
      account: 'Deal - Organization',
    });
  });

  it("maps each CRM's stage-change date column to stageChangeDate", () => {
    expect(match('deals', [...SALESFORCE, 'Last Activity', 'Last Stage Change Date']).columns).toMatchObject({
      lastActivityDate: 'Last Activity',
      stageChangeDate: 'Last Stage Change Date',
    });
    expect(match('deals', [...SALESFORCE, 'Last Stage Change Date']).indexes.stageChangeDate).toBe(SALESFORCE.length);
    expect(match('deals', [...HUBSPOT, 'Date entered current stage']).columns.stageChangeDate).toBe('Date entered current stage');
    expect(match('deals', [...PIPEDRIVE, 'Deal - Last stage change']).columns.stageChangeDate).toBe('Deal - Last stage change');
    expect(match('deals', SALESFORCE).columns.stageChangeDate).toBeUndefined();
  });

  it('matches with a BOM on the first header and different case and spacing, keeping the text as written', () => {
    const header = match('deals', ['\uFEFFopportunity  name', 'ACCOUNT NAME', 'opportunity owner', 'stage', 'amount', 'close date']);
    expect(header.preset).toBe('salesforce');
    expect(header.columns.name).toBe('opportunity  name');
    expect(header.indexes.name).toBe(0);
  });
});

describe('generic synonyms', () => {
  it('read a home-made deals sheet', () => {
    const header = match('deals', ['Name', 'Company', 'Rep', 'Stage', 'Value', 'Currency', 'Expected Close Date']);
    expect(header.preset).toBe('generic');
    expect(header.columns).toEqual({
      name: 'Name',
      account: 'Company',
      owner: 'Rep',
      stage: 'Stage',
      amount: 'Value',
      currency: 'Currency',
      closeDate: 'Expected Close Date',
    });
  });

  it.each([
    ['people', ['Full name', 'E-mail', 'Team', 'Manager', 'Region', 'Role', 'Active', 'Effective from'], ['name', 'email', 'team', 'manager', 'region', 'role', 'active', 'effectiveFrom']],
    ['quotas', ['Owner', 'Quarter', 'Target', 'Currency'], ['rep', 'period', 'amount', 'currency']],
    ['quotas', ['Level', 'Entity', 'Fiscal period', 'Quota'], ['level', 'entity', 'period', 'amount']],
    ['accounts', ['Account', 'Tier', 'Key account'], ['name', 'tier', 'key']],
    ['fx', ['Currency', 'Rate', 'Valid from'], ['currency', 'rate', 'validFrom']],
  ] as const)('read a %s file', (kind, headers, fields) => {
    const header = match(kind, [...headers]);
    expect(header.preset).toBe('generic');
    expect(Object.keys(header.columns).sort()).toEqual([...fields].sort());
  });
});

describe('custom mappings', () => {
  const zoho: ColumnMapping = {
    kind: 'deals',
    name: 'Zoho CRM deals export',
    columns: { id: 'Record Id', name: 'Deal Name', owner: 'Deal Owner', stage: 'Stage', amount: 'Amount', closeDate: 'Closing Date' },
  };

  it('win over presets when every header they name is present', () => {
    const header = match('deals', ['Record Id', 'Deal Name', 'Deal Owner', 'Stage', 'Amount', 'Closing Date', 'Account Name'], [zoho]);
    expect(header).toMatchObject({ preset: 'custom', mappingName: 'Zoho CRM deals export' });
    // Fields the mapping leaves out are still found by their generic synonyms.
    expect(header.columns).toMatchObject({ id: 'Record Id', closeDate: 'Closing Date', account: 'Account Name' });
  });

  it('can claim headers a preset would read differently', () => {
    const mapping: ColumnMapping = { kind: 'deals', name: 'Salesforce with ACV', columns: { amount: 'Expected Revenue' } };
    const header = match('deals', SALESFORCE, [mapping]);
    expect(header.preset).toBe('custom');
    expect(header.columns.amount).toBe('Expected Revenue');
  });

  it('are ignored for other kinds and when a named header is absent', () => {
    expect(match('deals', HUBSPOT, [zoho]).preset).toBe('hubspot');
    expect(match('deals', ['Deal Name', 'Deal Owner', 'Stage', 'Amount', 'Closing Date'], [{ ...zoho, kind: 'quotas' }]).preset).toBe('generic');
  });

  it('report fields revperf does not read', () => {
    expect(unknownMappedFields('deals', { ...zoho, columns: { ...zoho.columns, closedate: 'X' } })).toEqual(['closedate']);
  });
});

describe('rows that are not a complete header', () => {
  it('name the missing required columns of the closest candidate', () => {
    const reading = readHeader('deals', ['Opportunity Name', 'Account Name', 'Opportunity Owner', 'Stage', 'Close Date'], []);
    expect(reading).toEqual({
      type: 'near-miss',
      nearMiss: {
        preset: 'salesforce',
        mappingName: null,
        columns: { name: 'Opportunity Name', account: 'Account Name', owner: 'Opportunity Owner', stage: 'Stage', closeDate: 'Close Date' },
        missing: ['Amount (amount)'],
        headers: ['Opportunity Name', 'Account Name', 'Opportunity Owner', 'Stage', 'Close Date'],
      },
    });
  });

  it('offer alternatives for "any of" requirements', () => {
    const reading = readHeader('deals', ['Name', 'Owner', 'Amount'], []);
    expect(reading.type === 'near-miss' && reading.nearMiss.missing).toEqual([
      'Stage (stage) or Status (status)',
      'Close Date (closeDate) or Won Time (wonTime)',
    ]);
  });

  it('are not headers at all when they name fewer than two fields', () => {
    expect(readHeader('deals', ['Opportunity Pipeline Report'], [])).toEqual({ type: 'none' });
    expect(readHeader('deals', ['As of 3/5/2026', 'Stage'], [])).toEqual({ type: 'none' });
  });
});
