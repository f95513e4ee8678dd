import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../shared/adapters/batch-writer.js';

describe('full-jitter backoff', () => {
  it('draws from [0, base·2^attempt), capped at the maximum', () => {
    expect(backoffDelay(1, 50, 5_000, () => 0)).toBe(0);
    expect(backoffDelay(1, 50, 5_000, () => 0.999)).toBe(99);
    expect(backoffDelay(3, 50, 5_000, () => 0.5)).toBe(200);
    expect(backoffDelay(10, 50, 5_000, () => 0.999)).toBe(4_995);
  });
});
