import { describe, expect, it } from 'vitest';
import { isClaimable, type SendRecord } from '../../../shared/adapters/send-ledger.js';

const record = (fields: Partial<SendRecord>): SendRecord => ({
  kind: 'weekly-scorecard',
  periodId: '2026-W47',
  scopeId: 'organisation',
  address: 'ceo@northwind.example',
  name: '',
  status: 'sent',
  attempts: 1,
  updatedAt: '2026-11-16T07:00:00.000Z',
  asOf: '2026-11-16',
  late: false,
  ...fields,
});

describe('whether a send would be claimed (what a dry run reports as "would send")', () => {
  it('is a send nobody recorded, one that failed for a reason a retry can fix, or a refusal (sent once the allowlist admits it)', () => {
    expect(isClaimable(null)).toBe(true);
    expect(isClaimable(record({ status: 'failed', permanent: false }))).toBe(true);
    expect(isClaimable(record({ status: 'refused', permanent: true }))).toBe(true);
  });

  it('is never a sent, permanently failed or in-flight (or abandoned) send', () => {
    expect(isClaimable(record({ status: 'sent', messageId: 'm-1' }))).toBe(false);
    expect(isClaimable(record({ status: 'failed', permanent: true }))).toBe(false);
    expect(isClaimable(record({ status: 'sending', claimedAt: '2026-11-16T07:00:00.000Z' }))).toBe(false);
    expect(isClaimable(record({ status: 'sending' }))).toBe(false);
  });
});
