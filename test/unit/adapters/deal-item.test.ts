import { describe, expect, it } from 'vitest';
import { dealItem } from '../../../shared/adapters/table-items.js';
import type { StoredDeal } from '../../../shared/domain/types.js';

const deal = (id: string, closeDate: string | null, stageClass: StoredDeal['stageClass'] = 'open'): StoredDeal => ({
  id,
  name: id,
  account: 'Acme',
  owner: 'Dana Reyes',
  stage: 'Prospecting',
  stageClass,
  probability: 0.1,
  amount: 100,
  currency: 'USD',
  originalAmount: 100,
  closeDate,
  createdDate: '2026-01-05',
  pipeline: null,
  lastActivityDate: null,
  source: 'hubspot',
  uploadKey: 'uploads/deals/hubspot.csv',
  scope: '#hubspot',
  lastSeenIn: 'run',
  removed: false,
});

describe('index keys of an undated open deal', () => {
  it('is in the open-pipeline and owner indexes, sorted after every dated deal, and in no close-month index', () => {
    const undated = dealItem(deal('D1', null));
    const latest = dealItem(deal('D2', '9999-12-31'));
    expect(undated.gsi1pk).toBeUndefined();
    expect(undated.gsi1sk).toBeUndefined();
    expect(undated.gsi2pk).toMatch(/^OPEN#\d$/);
    expect(String(undated.gsi2sk) > String(latest.gsi2sk)).toBe(true);
    expect(String(undated.gsi5sk) > String(latest.gsi5sk)).toBe(true);
    expect(undated.gsi3pk).toBe('CREATED#2026-01');
  });

  it('a dated open deal stays in its close month', () => {
    expect(dealItem(deal('D3', '2026-03-15'))).toMatchObject({ gsi1pk: 'CLOSE#2026-03', gsi1sk: '2026-03-15#D3', gsi2sk: '2026-03-15#D3' });
  });
});
