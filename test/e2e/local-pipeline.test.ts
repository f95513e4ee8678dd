// The whole local pipeline as a user runs it: `revperf run` on a folder of
// exports (and on a bad config), and `npm start` on the sample organisation.
// Each runs as a child process, so a leaked server would keep it alive past
// its timeout and fail the test.
import { simpleParser } from 'mailparser';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSampleOrg, writeSampleUploads } from '../../local/sample-org/index.js';
import type { MetricsExport } from '../../shared/domain/metrics-export.js';
import type { IngestReport } from '../../shared/ingest/types.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const AS_OF = '2026-11-16';

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], timeoutMs: number): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not exit within ${timeoutMs} ms (something left running?)\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const revperf = (args: string[]) => run(process.execPath, [join(ROOT, 'local/bin/revperf.mjs'), ...args], 240_000);

async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf-8')) as T;
}

describe('revperf run', () => {
  let work: string;
  const org = generateSampleOrg({ asOf: AS_OF, dealsScale: 0.25 });

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'revperf-e2e-'));
    await writeSampleUploads(org, join(work, 'data'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('ingests a folder of exports and writes ingest reports and metrics that match the source data', async () => {
    const out = join(work, 'out');
    const result = await revperf(['run', '--data', join(work, 'data'), '--as-of', AS_OF, '--out', out]);
    expect(result.stderr).not.toMatch(/Error|revperf:/);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('FY2027 Q4 as of 2026-11-16');

    const salesforce = await readJson<IngestReport>(join(out, 'ingest/uploads/deals/salesforce-opportunities.csv.json'));
    expect(salesforce.preset).toBe('salesforce');
    const rejectedLines = new Set(salesforce.rejected.map((row) => row.line));
    for (const bad of org.badRows.filter((row) => row.file === 'deals/salesforce-opportunities.csv' && row.outcome === 'rejected')) {
      expect(rejectedLines.has(bad.line)).toBe(true);
    }

    const quarter = await readJson<MetricsExport>(join(out, 'metrics/FY2027-Q4.json'));
    const week = await readJson<MetricsExport>(join(out, 'metrics/2026-W47.json'));
    expect(week.period.id).toBe('2026-W47');

    // Ground truth from the generator: won deals closing in the quarter to date, by the team at close.
    const won = org.deals.filter((deal) => deal.stageClass === 'won' && deal.closeDate >= '2026-11-01' && deal.closeDate <= AS_OF);
    const company = quarter.entities.find((entity) => entity.level === 'company')!;
    expect(company.revenue).toBe(won.reduce((sum, deal) => sum + deal.amount, 0));
    expect(company.wonCount).toBe(won.length);
    for (const team of new Set(won.map((deal) => deal.team))) {
      const expected = won.filter((deal) => deal.team === team).reduce((sum, deal) => sum + deal.amount, 0);
      expect(quarter.entities.find((entity) => entity.level === 'team' && entity.id === team)?.revenue).toBe(expected);
    }
  });

  it('refuses a bad config with the field path, a non-zero exit and nothing left running', async () => {
    const config = join(work, 'bad.config.json');
    await writeFile(config, JSON.stringify({ org: { name: 'X', timeZone: 'Mars/Olympus' }, mail: { from: 'x', allowedDomains: [] } }));
    const result = await revperf(['run', '--data', join(work, 'data'), '--config', config, '--out', join(work, 'never')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('org.timeZone: must be an IANA time zone');
    expect(result.stderr).toContain('mail.allowedDomains: list at least one domain');
  });

  it('refuses a data folder that does not exist', async () => {
    const result = await revperf(['run', '--data', join(work, 'no-such-folder'), '--out', join(work, 'never')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('does not exist');
  });
});

describe('npm start', () => {
  it('runs the sample organisation end to end, prints the scorecard and exits by itself', async () => {
    const out = await mkdtemp(join(tmpdir(), 'revperf-start-'));
    try {
      const result = await run('npm', ['start', '--silent', '--', out], 280_000);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('sample organisation');
      expect(result.stdout).toMatch(/│ Company\s+│/);
      const quarter = await readJson<MetricsExport>(join(out, 'metrics/FY2027-Q4.json'));
      expect(quarter.entities.filter((entity) => entity.level === 'rep').length).toBeGreaterThanOrEqual(55);
      // The weekly scorecard of every scope and the quarter's pack, under the bucket's keys, listed in the summary.
      const scorecards = await readdir(join(out, 'reports/weekly-scorecard/2026-W47'));
      const teams = quarter.entities.filter((entity) => entity.level === 'team' && entity.id !== 'Unassigned').length;
      const reps = quarter.entities.filter((entity) => entity.level === 'rep' && entity.id !== 'unassigned').length;
      for (const extension of ['xlsx', 'html', 'txt', 'png']) {
        expect(scorecards.filter((name) => name.endsWith(`.${extension}`))).toHaveLength(1 + teams + reps);
      }
      expect(scorecards).toContain('metrics.json');
      const packs = await readdir(join(out, 'reports/pre-review-pack/FY2027-Q4'));
      expect(packs.filter((name) => name.endsWith('.xlsx'))).toHaveLength(1 + teams);
      const html = await readFile(join(out, 'reports/weekly-scorecard/2026-W47/organisation.html'), 'utf-8');
      expect(html).toContain('organisation.png'); // the local copy points at the chart beside it
      expect(result.stdout).toContain(`(the organisation, ${teams} team(s), ${reps} rep(s): .xlsx, .html, .txt)`);
      // Mailed through the embedded SES: leadership gets the organisation's scorecard and pack, written out as .eml.
      const config = await readJson<{ mail: { leadership: string[] } }>(join(out, 'sample-data/revperf.config.json'));
      const leader = config.mail.leadership[0]!.toLowerCase();
      const mail = await simpleParser(await readFile(join(out, 'emails', leader, 'weekly-scorecard-2026-W47.eml')));
      expect(mail.to && !Array.isArray(mail.to) ? mail.to.value[0]?.address : null).toBe(leader);
      expect(mail.attachments.some((attachment) => attachment.filename?.endsWith('weekly-scorecard 2026-W47 organisation.xlsx'))).toBe(true);
      expect(await readdir(join(out, 'emails', leader))).toEqual(expect.arrayContaining(['pre-review-pack-FY2027-Q4.eml', 'weekly-scorecard-2026-W47.html']));
      expect(result.stdout).toMatch(new RegExp(`✉ ${leader.replace(/[.]/g, '\\.')}: organisation \\(scorecard 2026-W47, pack FY2027-Q4\\)`));
      const reports = ['hubspot-deals.xlsx', 'pipedrive-deals.csv', 'salesforce-opportunities.csv'];
      for (const name of reports) {
        const report = await readJson<IngestReport>(join(out, 'ingest/uploads/deals', `${name}.json`));
        expect(report.status).toBe('loaded-with-rejections');
      }
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
