import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dealsFolderOf, dealsFolderPathOf, snapshotScopeOf } from '../../../shared/adapters/bucket-layout.js';
import { dealItem } from '../../../shared/adapters/table-items.js';
import type { StoredDeal } from '../../../shared/domain/types.js';

describe('snapshot scope of a deals upload', () => {
  it('is the folder under uploads/deals/ plus the CRM', () => {
    expect(snapshotScopeOf('uploads/deals/emea/x.csv', 'salesforce')).toBe('emea#salesforce');
    expect(snapshotScopeOf('uploads/deals/amer/x.csv', 'salesforce')).toBe('amer#salesforce');
    expect(snapshotScopeOf('uploads/deals/emea/x.csv', 'hubspot')).toBe('emea#hubspot');
  });

  it("is '' plus the CRM for a file directly under uploads/deals/", () => {
    expect(snapshotScopeOf('uploads/deals/Salesforce Opportunities – Nov.csv', 'salesforce')).toBe('#salesforce');
    expect(dealsFolderPathOf('uploads/deals/x.csv')).toBe('uploads/deals/');
  });

  it('keeps the full path of nested folders', () => {
    expect(snapshotScopeOf('uploads/deals/emea/uk/2026-11.xlsx', 'pipedrive')).toBe('emea/uk#pipedrive');
    expect(dealsFolderPathOf('uploads/deals/emea/uk/2026-11.xlsx')).toBe('uploads/deals/emea/uk/');
  });

  it('does not depend on the file name: every file of a folder is the same scope', () => {
    const segment = fc.stringMatching(/^[a-z0-9 ._-]{1,12}$/);
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 3 }), segment, segment, (folders, a, b) => {
        const folder = folders.map((name) => `${name}/`).join('');
        expect(snapshotScopeOf(`uploads/deals/${folder}${a}`, 'salesforce')).toBe(snapshotScopeOf(`uploads/deals/${folder}${b}`, 'salesforce'));
        expect(dealsFolderOf(`uploads/deals/${folder}${a}`)).toBe(folders.join('/'));
      }),
    );
  });

  it('refuses a key that is not a deals upload', () => {
    expect(() => snapshotScopeOf('uploads/people/emea/people.csv', 'generic')).toThrow('not a deals upload');
  });
});

describe('deal item keys', () => {
  const deal: StoredDeal = {
    id: '006E00001',
    name: 'Expansion',
    account: 'Contoso',
    owner: 'Chloé Martin',
    stage: 'Closed Won',
    stageClass: 'won',
    probability: 1,
    amount: 100_000,
    currency: 'USD',
    originalAmount: 100_000,
    closeDate: '2026-11-03',
    createdDate: '2026-09-01',
    pipeline: null,
    lastActivityDate: null,
    source: 'salesforce',
    scope: 'emea#salesforce',
    uploadKey: 'uploads/deals/emea/x.csv',
    lastSeenIn: 'run',
    removed: false,
  };

  it('puts a deal in the BySource index under its snapshot scope, and keeps the scope on the item', () => {
    expect(dealItem(deal)).toMatchObject({ gsi4pk: 'SCOPE#emea#salesforce', gsi4sk: '006E00001', scope: 'emea#salesforce', source: 'salesforce' });
  });

  it('leaves a removed deal out of the scope index', () => {
    const item = dealItem({ ...deal, removed: true });
    expect(item.gsi4pk).toBeUndefined();
    expect(item.scope).toBe('emea#salesforce');
  });
});
