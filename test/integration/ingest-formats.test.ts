// The same 24 deals exported by Salesforce (CSV, UTF-16 tab-delimited, XLSX
// under a title block), HubSpot (CSV with BOM, XLSX), Pipedrive (European CSV
// in Windows-1252 and UTF-16 BE) and a CRM without a preset (custom mapping)
// must land in DynamoDB identically, and give identical figures.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deal } from '../../shared/domain/types.js';
import type { EntityMetrics } from '../../shared/domain/metrics.js';
import { runMetrics } from '../../shared/reports/metrics-run.js';
import { startLocalStack } from './harness.js';

const FIXTURES = new URL('../fixtures/deals/', import.meta.url);

interface Expected {
  files: Record<string, 'salesforce' | 'hubspot' | 'pipedrive' | 'custom'>;
  deals: Deal[];
  differences: Record<string, Record<string, Partial<Deal>>>;
}

const DEAL_FIELDS: (keyof Deal)[] = [
  'id',
  'name',
  'account',
  'owner',
  'stage',
  'stageClass',
  'probability',
  'amount',
  'currency',
  'originalAmount',
  'closeDate',
  'createdDate',
  'pipeline',
  'lastActivityDate',
];
/**
 * What the CRMs legitimately export differently: their own stage text, HubSpot's pipeline and activity date, and
 * Salesforce's own forecast category (the other files have none: theirs is derived from the probability).
 */
const CRM_SPECIFIC: (keyof Deal)[] = ['stage', 'pipeline', 'lastActivityDate', 'forecastCategory'];
/** The figures made of forecast categories, which follow the CRM's own categories where the file has them. */
const CATEGORY_FIGURES: (keyof EntityMetrics)[] = ['commitAmount', 'bestCaseAmount', 'pipelineCategoryAmount', 'commitAttainment'];
/** Stale deals need a last-activity date, which only some of the CRM exports carry (n/a in the others). */
const ACTIVITY_FIGURES: (keyof EntityMetrics)[] = ['staleOpenCount'];

/** The fixtures' Salesforce org puts open deals of 90% or more in Commit and the rest in Pipeline (build-fixtures.ts). */
function salesforceCategory(item: Record<string, unknown>): string {
  if (item.stageClass !== 'open') return item.stageClass === 'won' ? 'closed' : 'omitted';
  return (item.probability as number) >= 0.9 ? 'commit' : 'pipeline';
}

/** The default bands: commit ≥ 90%, best case ≥ 50%, pipeline ≥ 10%, omitted below. */
function derivedCategory(item: Record<string, unknown>): string {
  if (item.stageClass !== 'open') return item.stageClass === 'won' ? 'closed' : 'omitted';
  const probability = item.probability as number;
  return probability >= 0.9 ? 'commit' : probability >= 0.5 ? 'bestCase' : probability >= 0.1 ? 'pipeline' : 'omitted';
}

function pick(item: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((field) => [field, item[field] ?? null]));
}

describe('the same deals in every export format', () => {
  let expected: Expected;
  const loaded = new Map<string, { items: Record<string, unknown>[]; metrics: EntityMetrics[]; preset: string | null }>();

  beforeAll(async () => {
    expected = JSON.parse(await readFile(new URL('expected-deals.json', FIXTURES), 'utf-8')) as Expected;
    const config = JSON.parse(await readFile(new URL('revperf.config.json', FIXTURES), 'utf-8'));
    for (const file of Object.keys(expected.files)) {
      const stack = await startLocalStack(config);
      try {
        const key = `uploads/deals/${file}`;
        await stack.upload(key, await readFile(new URL(file, FIXTURES)));
        const report = await stack.report(key);
        const [quarter] = await runMetrics(stack.runtime, '2026-11-16', ['quarter']);
        loaded.set(file, { items: await stack.dump('deal'), metrics: quarter!.result.entities, preset: report.preset });
        expect(report.counts, file).toMatchObject({ accepted: 24, rejected: 0 });
      } finally {
        await stack.stop();
      }
    }
  }, 180_000);

  afterAll(() => loaded.clear());

  it('recognises each file as its CRM', () => {
    for (const [file, preset] of Object.entries(expected.files)) expect(loaded.get(file)?.preset, file).toBe(preset);
  });

  it('stores exactly the expected deals from every file', () => {
    for (const [file, preset] of Object.entries(expected.files)) {
      const want = expected.deals
        .map((deal) => ({ ...deal, ...(expected.differences[preset]?.[deal.id] ?? {}) }))
        .map((deal) => pick(deal as unknown as Record<string, unknown>, DEAL_FIELDS))
        .sort((a, b) => String(a.id).localeCompare(String(b.id)));
      const got = loaded.get(file)!.items.map((item) => pick(item, DEAL_FIELDS)).sort((a, b) => String(a.id).localeCompare(String(b.id)));
      expect(got, file).toEqual(want);
    }
  });

  it('stores identical items, index keys included, apart from the CRM-specific fields', () => {
    const comparable = (file: string) =>
      loaded.get(file)!.items.map((item) => {
        // The content hash covers source, scope and the CRM-specific fields, so it differs with them.
        const { source: _source, scope: _scope, uploadKey: _uploadKey, lastSeenIn: _lastSeenIn, gsi4pk: _scopeIndex, contentHash: _hash, ...rest } = item;
        for (const field of CRM_SPECIFIC) delete rest[field];
        return rest;
      });
    const [first, ...others] = Object.keys(expected.files);
    for (const file of others) expect(comparable(file), `${file} vs ${first}`).toEqual(comparable(first!));
  });

  it('reads Salesforce\'s own forecast categories and derives the others\' from the probability', () => {
    for (const [file, preset] of Object.entries(expected.files)) {
      const items = loaded.get(file)!.items;
      const want = items.map(preset === 'salesforce' ? salesforceCategory : derivedCategory);
      expect(items.map((item) => item.forecastCategory), file).toEqual(want);
    }
  });

  it('gives identical metrics for every entity, apart from the forecast-category figures and stale deals', () => {
    const withoutCategories = (metrics: EntityMetrics[]) =>
      metrics.map((entity) => {
        const rest: Partial<EntityMetrics> = { ...entity };
        for (const field of [...CATEGORY_FIGURES, ...ACTIVITY_FIGURES]) delete rest[field];
        return rest;
      });
    const [first, ...others] = Object.keys(expected.files);
    const reference = loaded.get(first!)!.metrics;
    expect(reference.find((entity) => entity.level === 'company')?.revenue).toBeGreaterThan(0);
    for (const file of others) expect(withoutCategories(loaded.get(file)!.metrics), file).toEqual(withoutCategories(reference));
  });

  it('gives identical forecast-category figures for every file that derives its categories', () => {
    const derived = Object.entries(expected.files).filter(([, preset]) => preset !== 'salesforce').map(([file]) => file);
    const categories = (file: string) => loaded.get(file)!.metrics.map((entity) => pick(entity as unknown as Record<string, unknown>, CATEGORY_FIGURES));
    expect(derived.length).toBeGreaterThan(1);
    for (const file of derived.slice(1)) expect(categories(file), file).toEqual(categories(derived[0]!));
  });
});
