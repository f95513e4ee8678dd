import { describe, expect, it } from 'vitest';
import { explainStage } from '../../../shared/ingest/stages.js';
import { DateOrderTally, dateOrderVerdict, DecimalMarkTally, decimalMarkUsed } from '../../../shared/onboarding/value-evidence.js';

function dates(...values: string[]) {
  const tally = new DateOrderTally();
  values.forEach((value, index) => tally.add(value, index + 2));
  return dateOrderVerdict(tally.result());
}

describe('date order evidence', () => {
  it('is proven by a date only one order can read', () => {
    expect(dates('03/04/2026', '25/03/2026', '01/02/2026')).toEqual({ kind: 'proven', order: 'dmy', example: { value: '25/03/2026', line: 3 } });
    expect(dates('3/4/2026', '3/25/2026 14:30')).toEqual({ kind: 'proven', order: 'mdy', example: { value: '3/25/2026 14:30', line: 3 } });
  });

  it('is ambiguous when every date reads either way, and absent when no date depends on the order', () => {
    expect(dates('03/04/2026', '01-02-26')).toEqual({ kind: 'ambiguous', count: 2 });
    expect(dates('2026-03-25', '25.03.2026', 'TBD')).toEqual({ kind: 'none' });
  });

  it('names both dates when a file has both orders', () => {
    expect(dates('25/03/2026', '03/25/2026')).toEqual({
      kind: 'conflicting',
      dayFirst: { value: '25/03/2026', line: 2 },
      monthFirst: { value: '03/25/2026', line: 3 },
    });
  });

  it('adds up across files', () => {
    const all = new DateOrderTally();
    const first = new DateOrderTally();
    first.add('01/02/2026', 2);
    const second = new DateOrderTally();
    second.add('13/02/2026', 5);
    all.merge(first);
    all.merge(second);
    expect(all.result()).toMatchObject({ ordered: 2, either: 1, dayFirst: { count: 1, example: { value: '13/02/2026', line: 5 } } });
  });
});

describe('decimal mark evidence', () => {
  function marks(...values: string[]) {
    const tally = new DecimalMarkTally('EUR');
    values.forEach((value, index) => tally.add(value, index + 2));
    return { evidence: tally.result(), used: decimalMarkUsed(tally.result()), currencies: tally.namedCurrencies() };
  }

  it('learns the first mark an amount proves, as ingest does', () => {
    expect(marks('1.234', '12.500,00', '3,5').used).toBe(',');
    expect(marks('$1,234.56').used).toBe('.');
    expect(marks('1.234', '1,234', '500').used).toBeNull();
  });

  it('keeps both proofs and the currencies amounts name', () => {
    const { evidence, used, currencies } = marks('1.234,56 €', 'USD 1,234.56', '£12.5');
    expect(used).toBe(',');
    expect(evidence.comma.example).toEqual({ value: '1.234,56 €', line: 2 });
    expect(evidence.point.count).toBe(2);
    expect(Object.fromEntries(currencies)).toEqual({ EUR: 1, USD: 1, GBP: 1 });
  });
});

describe('explainStage', () => {
  const defaults = { rules: [{ stage: 'Cerrada ganada', class: 'won' as const }], defaultOpenProbability: 0.1 };
  const explain = (stage: string, extra: { status?: string; fileProbability?: number } = {}) =>
    explainStage({ stage, pipeline: null, status: extra.status ?? null, fileProbability: extra.fileProbability ?? null }, defaults);

  it('says where the class comes from, with the same resolution ingest uses', () => {
    expect(explain('cerrada  GANADA')).toMatchObject({ source: 'config-rule', resolution: { ok: true, stageClass: 'won' } });
    expect(explain('Closed Lost')).toMatchObject({ source: 'crm-standard', resolution: { ok: true, stageClass: 'lost' } });
    expect(explain('Prospecting', { status: 'won' })).toMatchObject({ source: 'status', resolution: { stageClass: 'won' } });
    expect(explain('En pausa', { fileProbability: 0.3 })).toMatchObject({ source: 'file-probability', resolution: { stageClass: 'open', probability: 0.3, recognised: false } });
    expect(explain('En pausa')).toMatchObject({ source: 'unknown', resolution: { stageClass: 'open', probability: 0.1, recognised: false } });
    expect(explain('x', { status: 'ganada' })).toMatchObject({ source: 'status', resolution: { ok: false } });
  });
});
