// `revperf run --data DIR` in process: every file of a kind folder is
// uploaded, subfolders included with their path (a folder under
// uploads/deals/ is a snapshot scope of its own), kinds in dependency order.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLocalPipeline } from '../../local/local-run.js';
import { timingLine } from '../../local/cli.js';
import { terminalLabels } from '../../local/terminal-labels.js';
import { parseConfig } from '../../shared/config/schema.js';
import { TEST_CONFIG } from './harness.js';

const HEADER = 'Opportunity ID,Opportunity Name,Account Name,Opportunity Owner,Stage,Amount,Opportunity Currency,Close Date,Created Date';
const EMEA = [HEADER, 'E1,Win,Contoso,Chloé Martin,Closed Won,"$20,000.00",USD,11/03/2026,09/01/2026', 'E2,Open,Contoso,Chloé Martin,Negotiation/Review,"$7,000.00",USD,12/03/2026,09/01/2026'];
const AMER = [HEADER, 'A1,Win,Fabrikam,Ana García,Closed Won,"$5,000.00",USD,11/10/2026,09/15/2026'];
const UK = [HEADER, 'U1,Win,Initech,Chloé Martin,Closed Won,"$1,000.00",USD,11/11/2026,09/15/2026'];
const PEOPLE = ['Name,Email,Team,Region,Role', 'Ana García,ana.garcia@northwind.example,Enterprise,Americas,rep', 'Chloé Martin,chloe.martin@northwind.example,EMEA Core,EMEA,rep'];

describe('revperf run --data with subfolders', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'revperf-local-run-'));
    const files: [string, string[]][] = [
      ['data/deals/emea/opportunities.csv', EMEA],
      ['data/deals/emea/uk/opportunities.csv', UK],
      ['data/deals/amer/opportunities.csv', AMER],
      ['data/people/people.csv', PEOPLE],
    ];
    for (const [path, lines] of files) {
      await mkdir(join(work, path, '..'), { recursive: true });
      await writeFile(join(work, path), lines.join('\n'));
    }
    await mkdir(join(work, 'data/deals/.hidden'), { recursive: true });
    await writeFile(join(work, 'data/deals/.hidden/ignored.csv'), AMER.join('\n'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('uploads DIR/deals/emea/x.csv to uploads/deals/emea/x.csv, people first, and every folder is its own snapshot', async () => {
    const result = await runLocalPipeline({ dataDir: join(work, 'data'), config: parseConfig(TEST_CONFIG), outDir: join(work, 'out'), asOf: '2026-11-16' });
    expect(result.uploads).toEqual([
      'uploads/people/people.csv',
      'uploads/deals/amer/opportunities.csv',
      'uploads/deals/emea/opportunities.csv',
      'uploads/deals/emea/uk/opportunities.csv',
    ]);
    expect(result.ingestReports.map((report) => [report.uploadKey, report.status, report.removedDeals])).toEqual([
      ['uploads/people/people.csv', 'loaded', 0],
      ['uploads/deals/amer/opportunities.csv', 'loaded', 0],
      ['uploads/deals/emea/opportunities.csv', 'loaded', 0],
      ['uploads/deals/emea/uk/opportunities.csv', 'loaded', 0],
    ]);
    const company = result.metrics[0]!.result.entities.find((entity) => entity.level === 'company')!;
    expect(company.revenue).toBe(2_600_000);
    expect(company.openPipeline).toBe(700_000);
    // Every phase timed; the peak RSS after each is the high-water mark so far, so it never falls.
    const { seconds, peakRssMb } = result.phases;
    expect(Object.keys(seconds)).toEqual(['upload', 'ingest', 'metrics', 'render', 'send', 'write']);
    for (const phase of ['upload', 'ingest', 'metrics', 'render', 'write'] as const) expect(seconds[phase]).toBeGreaterThan(0);
    expect(seconds.send).toBeGreaterThanOrEqual(0);
    const peaks = Object.values(peakRssMb);
    expect(peaks.every((peak, index) => peak > 0 && (index === 0 || peak >= peaks[index - 1]!))).toBe(true);
    expect(timingLine(result.phases, terminalLabels('en'))).toMatch(/^Time per phase: upload [\d.]+ s · ingest [\d.]+ s · metrics [\d.]+ s · render [\d.]+ s · send [\d.]+ s · write outputs [\d.]+ s; peak memory \d+ MB$/);
  });

  it('applies two exports of one folder and CRM in name order: the second replaces the first, or is held', async () => {
    const data = join(work, 'same-folder');
    await mkdir(join(data, 'deals'), { recursive: true });
    await writeFile(join(data, 'deals', 'a-november.csv'), [...EMEA, EMEA[1]!.replace('E1', 'E3'), AMER[1]!].join('\n'));
    await writeFile(join(data, 'deals', 'b-half.csv'), [HEADER, EMEA[1]!].join('\n'));
    const result = await runLocalPipeline({ dataDir: data, config: parseConfig(TEST_CONFIG), outDir: join(work, 'out-same'), asOf: '2026-11-16' });
    expect(result.ingestReports.map((report) => [report.uploadKey, report.status, report.removedDeals])).toEqual([
      ['uploads/deals/a-november.csv', 'loaded', 0],
      ['uploads/deals/b-half.csv', 'refused', 0],
    ]);
    expect(result.ingestReports[1]!.refusal).toContain('has 1 of the 4 deals stored for that scope: loading it would mark 3 (75%) removed');
    const company = result.metrics[0]!.result.entities.find((entity) => entity.level === 'company')!;
    expect(company.revenue).toBe(2_000_000 + 2_000_000 + 500_000);
  });
});
