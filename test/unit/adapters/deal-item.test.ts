import { describe, expect, it } from 'vitest';
import { dealContentHash, dealItem } from '../../../shared/adapters/table-items.js';
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
  it('is in an open shard of ByCloseMonth, sorted after every dated deal, and in no close month', () => {
    const undated = dealItem(deal('D1', null));
    const latest = dealItem(deal('D2', '9999-12-31'));
    expect(undated.gsi1pk).toMatch(/^OPEN#\d$/);
    expect(String(undated.gsi1sk) > String(latest.gsi1sk)).toBe(true);
    expect(undated.gsi3pk).toBe('CREATED#2026-01');
  });

  it('a dated open deal is in its open shard by close date; a won or lost one in its close month', () => {
    expect(dealItem(deal('D3', '2026-03-15'))).toMatchObject({ gsi1pk: expect.stringMatching(/^OPEN#\d$/), gsi1sk: '2026-03-15#D3' });
    expect(dealItem(deal('D4', '2026-03-15', 'won'))).toMatchObject({ gsi1pk: 'CLOSE#2026-03', gsi1sk: '2026-03-15#D4' });
    expect(dealItem(deal('D5', '2026-03-16', 'lost'))).toMatchObject({ gsi1pk: 'CLOSE#2026-03', gsi1sk: '2026-03-16#D5' });
  });

  it('is in three indexes at most: ByCloseMonth, ByCreatedMonth and ByScope (no OpenPipeline or ByOwner copy)', () => {
    for (const item of [dealItem(deal('D6', '2026-03-15')), dealItem(deal('D7', '2026-03-15', 'won')), dealItem(deal('D8', null))]) {
      const indexKeys = Object.keys(item).filter((name) => /^gsi\dpk$/.test(name));
      expect(indexKeys.length).toBeLessThanOrEqual(3);
      expect(item.gsi2pk).toBeUndefined();
      expect(item.gsi5pk).toBeUndefined();
    }
  });
});

describe('content hash of a deal item', () => {
  it('changes with any stored field, a field added later and the scope, but not with the upload that wrote it', () => {
    const base = dealItem(deal('D1', '2026-03-15'));
    expect(base.contentHash).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(dealContentHash(base)).toBe(base.contentHash);
    // The run and the upload key change on every upload: leaving them out is what lets an unchanged deal be skipped.
    expect(dealItem({ ...deal('D1', '2026-03-15'), uploadKey: 'uploads/deals/other.csv', lastSeenIn: 'another run' }).contentHash).toBe(base.contentHash);
    for (const changed of [
      { amount: 101 },
      { name: 'D1 renamed' },
      { closeDate: '2026-03-16' },
      { stageClass: 'won' as const },
      { pipeline: 'default' },
      { forecastCategory: 'commit' as const },
      { scope: 'emea#hubspot' },
      { source: 'salesforce' as const },
    ]) {
      expect(dealItem({ ...deal('D1', '2026-03-15'), ...changed }).contentHash, JSON.stringify(changed)).not.toBe(base.contentHash);
    }
    // A field deals do not have today: the hash is over whatever the item holds.
    expect(dealContentHash({ ...base, region: 'EMEA' })).not.toBe(base.contentHash);
    // The order attributes were set in does not matter; undefined attributes are not stored, so they do not count.
    const reordered = Object.fromEntries(Object.entries(base).reverse());
    expect(dealContentHash(reordered)).toBe(base.contentHash);
    expect(dealContentHash({ ...base, forecastCategory: undefined })).toBe(dealContentHash(Object.fromEntries(Object.entries(base).filter(([name]) => name !== 'forecastCategory'))));
  });

  it("is the hash over the item's own attributes for every shape dealItem writes (its fixed name list leaves none out)", () => {
    const shapes: StoredDeal[] = [
      deal('D1', null),
      deal('D2', '2026-03-15'),
      deal('D3', '2026-03-15', 'won'),
      deal('D4', '2026-03-16', 'lost'),
      { ...deal('D5', null, 'lost'), createdDate: null },
      {
        ...deal('D6 "quoted" \\ é 😀', '2026-03-15'),
        pipeline: 'default',
        lastActivityDate: '2026-03-01',
        stageChangeDate: '2026-02-01',
        forecastCategory: 'commit',
        owner: 'Chloé\tPeña',
      },
    ];
    for (const shape of shapes) {
      const item = dealItem(shape);
      expect(item.contentHash, shape.id).toBe(dealContentHash(item));
    }
  });

  it('is left off a removed deal (it is in no index and compared with nothing)', () => {
    expect(dealItem({ ...deal('D1', '2026-03-15'), removed: true }).contentHash).toBeUndefined();
  });
});
