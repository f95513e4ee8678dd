import { describe, expect, it } from 'vitest';
import { mergedRanges } from '../../../shared/reports/metrics-run.js';

describe('the date ranges a metrics run reads', () => {
  it('merges overlapping and touching windows, keeps gaps, drops empty ones', () => {
    expect(
      mergedRanges([
        { start: '2026-11-01', end: '2027-01-31' }, // the quarter
        { start: '2026-08-01', end: '2026-08-16' }, // previous quarter to date
        { start: '2025-11-01', end: '2025-11-16' }, // last year to date
        { start: '2025-11-01', end: '2026-10-31' }, // the trailing year: holds both, touches the quarter
        { start: '2026-01-02', end: '2026-01-01' }, // empty
      ]),
    ).toEqual([{ start: '2025-11-01', end: '2027-01-31' }]);
    expect(
      mergedRanges([
        { start: '2026-11-16', end: '2026-11-22' },
        { start: '2026-11-09', end: '2026-11-14' },
      ]),
    ).toEqual([
      { start: '2026-11-09', end: '2026-11-14' },
      { start: '2026-11-16', end: '2026-11-22' },
    ]);
  });
});
