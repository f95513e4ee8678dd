// `revperf run --state DIR`: two runs a week apart on one state folder — the
// second compares with the first's snapshot (week-over-week deltas, pipeline
// movement); without a state folder every run starts empty and has none.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLocalPipeline, type LocalRunResult } from '../../local/local-run.js';
import { parseConfig } from '../../shared/config/schema.js';
import type { ReportData } from '../../shared/reports/report-data.js';
import { TEST_CONFIG } from './harness.js';

const HEADER = 'Opportunity ID,Opportunity Name,Account Name,Opportunity Owner,Stage,Amount,Opportunity Currency,Close Date,Created Date';
const PEOPLE = ['Name,Email,Team,Region,Role', 'Ana García,ana.garcia@northwind.example,Enterprise,Americas,rep', 'Chloé Martin,chloe.martin@northwind.example,EMEA Core,EMEA,rep'];
const WEEK_1 = [
  HEADER,
  'E1,Win,Contoso,Chloé Martin,Closed Won,"$20,000.00",USD,11/03/2026,09/01/2026',
  'E2,Open,Contoso,Chloé Martin,Negotiation/Review,"$7,000.00",USD,12/03/2026,09/01/2026',
  'A1,Open,Fabrikam,Ana García,Proposal/Price Quote,"$5,000.00",USD,12/10/2026,09/15/2026',
];
// A week later E2 is won.
const WEEK_2 = [WEEK_1[0]!, WEEK_1[1]!, 'E2,Open,Contoso,Chloé Martin,Closed Won,"$7,000.00",USD,11/20/2026,09/01/2026', WEEK_1[3]!];

const config = parseConfig(TEST_CONFIG);

async function writeData(dir: string, deals: string[]): Promise<void> {
  await mkdir(join(dir, 'deals'), { recursive: true });
  await mkdir(join(dir, 'people'), { recursive: true });
  await writeFile(join(dir, 'people', 'people.csv'), PEOPLE.join('\n'));
  await writeFile(join(dir, 'deals', 'opportunities.csv'), deals.join('\n'));
}

const quarterRun = (result: LocalRunResult) => result.metrics.find((run) => run.period.kind === 'quarter')!;
const company = (entities: { level: string }[]) => entities.find((entity) => entity.level === 'company') as { revenue: number } | undefined;

async function packData(outDir: string, result: LocalRunResult): Promise<ReportData> {
  return JSON.parse(await readFile(join(outDir, 'reports', 'pre-review-pack', quarterRun(result).period.id, 'metrics.json'), 'utf-8')) as ReportData;
}

describe('revperf run --state DIR', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'revperf-run-state-'));
    await writeData(join(work, 'week1'), WEEK_1);
    await writeData(join(work, 'week2'), WEEK_2);
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('compares the second run with the first run’s snapshot when both keep their state in one folder', async () => {
    const state = join(work, 'state');
    const first = await runLocalPipeline({ dataDir: join(work, 'week1'), config, outDir: join(work, 'out1'), asOf: '2026-11-16', stateDir: state });
    expect(quarterRun(first).previousSnapshot).toBeNull();
    expect((await packData(join(work, 'out1'), first)).previous).toBeNull();

    const second = await runLocalPipeline({ dataDir: join(work, 'week2'), config, outDir: join(work, 'out2'), asOf: '2026-11-23', stateDir: state });
    const previous = quarterRun(second).previousSnapshot;
    expect(previous?.asOf).toBe('2026-11-16');
    expect(company(previous!.entities)?.revenue).toBe(2_000_000);
    expect(company(quarterRun(second).result.entities)?.revenue).toBe(2_700_000);
    // Only this run's upload is reported, not the earlier run's still in the bucket.
    expect(second.ingestReports.map((report) => report.uploadKey)).toEqual(['uploads/people/people.csv', 'uploads/deals/opportunities.csv']);

    const data = await packData(join(work, 'out2'), second);
    expect(data.previous?.asOf).toBe('2026-11-16');
    expect(data.movement?.openingAsOf).toBe('2026-11-16');
  });

  it('starts empty without a state folder: no previous snapshot, however often it runs', async () => {
    await runLocalPipeline({ dataDir: join(work, 'week1'), config, outDir: join(work, 'out3'), asOf: '2026-11-16' });
    const second = await runLocalPipeline({ dataDir: join(work, 'week2'), config, outDir: join(work, 'out4'), asOf: '2026-11-23' });
    expect(quarterRun(second).previousSnapshot).toBeNull();
    expect((await packData(join(work, 'out4'), second)).previous).toBeNull();
  });
});
