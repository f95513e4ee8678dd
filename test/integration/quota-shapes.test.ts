// The same quotas written two ways a sales-ops team really writes them — by
// rep e-mail in a US-style CSV, and by rep name (accents, case and spacing as
// typed) in a Level + Entity file with `;` and European amounts — land as the
// same figures through the real ingest path, with every row used.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMetrics } from '../../shared/reports/metrics-run.js';
import type { EntityMetrics } from '../../shared/domain/metrics.js';
import { startLocalStack, type LocalStack } from './harness.js';

const FIXTURES = new URL('../fixtures/quotas/', import.meta.url);
const AS_OF = '2026-03-15'; // FY2027-Q1 (fiscal year from February) = 2026-02-01 … 2026-04-30

async function quarterAfterUploading(quotaFile: string) {
  const stack: LocalStack = await startLocalStack();
  try {
    await stack.upload('uploads/people/people.csv', await readFile(new URL('people.csv', FIXTURES)));
    await stack.upload(`uploads/quotas/${quotaFile}`, await readFile(new URL(quotaFile, FIXTURES)));
    const report = await stack.report(`uploads/quotas/${quotaFile}`);
    const [quarter] = await runMetrics(stack.runtime, AS_OF, ['quarter']);
    return { report, quarter: quarter! };
  } finally {
    await stack.stop();
  }
}

const quotasOf = (entities: readonly EntityMetrics[]) => entities.map((entity) => [entity.level, entity.id, entity.quota]);

describe('quotas by e-mail and by name', () => {
  let byEmail: Awaited<ReturnType<typeof quarterAfterUploading>>;
  let byName: Awaited<ReturnType<typeof quarterAfterUploading>>;

  beforeAll(async () => {
    byEmail = await quarterAfterUploading('by-email.csv');
    byName = await quarterAfterUploading('by-name-level-entity.csv');
  });
  afterAll(() => undefined);

  it('accept every row of both shapes with no finding', () => {
    for (const { report } of [byEmail, byName]) {
      expect(report.counts).toMatchObject({ read: 3, accepted: 3, rejected: 0 });
      expect(report.findings).toEqual([]);
    }
  });

  it('give every rep, team, region and the company the same quota', () => {
    expect(quotasOf(byName.quarter.result.entities)).toEqual(quotasOf(byEmail.quarter.result.entities));
    const rep = (id: string) => byName.quarter.result.entities.find((entity) => entity.level === 'rep' && entity.id === id)?.quota;
    expect(rep('ana@northwind.example')).toBe(12_000_000);
    expect(rep('ben@northwind.example')).toBe(9_000_000);
    expect(rep('chloe@northwind.example')).toBe(8_000_000);
    expect(byName.quarter.result.entities.find((entity) => entity.level === 'company')?.quota).toBe(29_000_000);
  });

  it('use every quota row, and the people rows too (the head of sales has no team and is no rep)', () => {
    for (const { quarter } of [byEmail, byName]) {
      expect(quarter.result.reconciliation.quotas).toMatchObject({ loaded: 3, used: 3, unused: [] });
      expect(quarter.result.reconciliation.people).toMatchObject({ loaded: 5, used: 5, unused: [] });
      expect(quarter.result.entities.some((entity) => entity.id === 'hana@northwind.example')).toBe(false);
    }
  });
});
