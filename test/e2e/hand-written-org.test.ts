// `revperf run` on a small organisation written by hand the way a sales-ops
// lead would: a people file without a Role column (a head of sales without a
// team, managers named by name or e-mail), quotas by rep name (without the
// accents the people file has) and by e-mail plus one team quota by team name,
// and open deals without a close date, one without an amount. Every figure
// below is worked out by hand from the files in this test; nothing is copied
// from the output. Every accepted row must be used: the reconciliation shows
// nothing unused.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityMetrics } from '../../shared/domain/metrics.js';
import type { MetricsExport } from '../../shared/domain/metrics-export.js';
import type { IngestReport } from '../../shared/ingest/types.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const AS_OF = '2026-02-14'; // a Saturday; FY2026-Q1 = 2026-01-01 … 2026-03-31: 45 of 90 days elapsed, 45 left

const FILES: Record<string, string> = {
  'revperf.config.json': JSON.stringify({
    org: { name: 'Acme Hand-Written', timeZone: 'Europe/Madrid' },
    fiscal: { yearStartMonth: 1, naming: 'end', holidays: ['2026-03-19'] },
    currency: { reporting: 'USD' },
    stages: [{ stage: 'Proposal', class: 'open', probability: 0.5 }],
    mail: { from: 'revperf@acme.com', allowedDomains: ['acme.com'] },
  }),
  'people/people.csv': [
    'name,email,team,manager,region',
    'Hana Head,hana@acme.com,,,',
    'Mo Manager,mo@acme.com,West,Hana Head,EMEA',
    'Lu Lead,lu@acme.com,East,hana@acme.com,EMEA',
    'Ana Peña,ana@acme.com,West,Mo Manager,EMEA',
    'Ben Ito,ben@acme.com,West,mo@acme.com,EMEA',
    'Cy Díaz,cy@acme.com,East,Lu Lead,EMEA',
  ].join('\n'),
  'quotas/quotas.csv': [
    'rep,team,period,amount',
    'Ana Pena,,2026-Q1,100000',
    'ben@acme.com,,2026-Q1,50000',
    'cy diaz,,2026-Q1,40000',
    ',west,2026-Q1,140000',
    'ANA PEÑA,,2026-Q2,120000',
  ].join('\n'),
  'deals/deals.csv': [
    'Deal ID,Deal Name,Account,Owner,Stage,Amount,Close Date,Created Date',
    'D1,Ana one,Contoso,Ana Peña,Closed Won,30000,2026-01-20,2025-12-01',
    'D2,Ana two,Contoso,ana@acme.com,Closed Won,20000,2026-02-10,2026-01-05',
    'D3,Ana lost,Fabrikam,Ana Pena,Closed Lost,10000,2026-02-05,2026-01-10',
    'D4,Ana big,Contoso,Ana Peña,Proposal,60000,2026-03-15,',
    'D5,Ana undated,Initech,Ana Peña,Proposal,15000,,',
    'D6,Ben one,Globex,Ben Ito,Closed Won,25000,2026-01-15,2026-01-02',
    'D7,Ben stale,Globex,Ben Ito,Proposal,8000,2026-02-01,',
    'D8,Ben no amount,Globex,ben@acme.com,Proposal,,,',
    'D9,Cy one,Umbrella,Cy Díaz,Closed Won,10000,2026-02-12,2026-02-01',
    'D10,Cy next quarter,Umbrella,Cy Díaz,Proposal,30000,2026-04-20,',
    'D11,Lu sells too,Hooli,Lu Lead,Closed Won,5000,2026-01-30,',
    'D12,Cy end of quarter,Umbrella,cy@acme.com,Proposal,40000,2026-03-31,',
  ].join('\n'),
};

function revperf(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'local/bin/revperf.mjs'), ...args], { cwd: ROOT, env: { ...process.env, FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`revperf ${args.join(' ')} did not exit\n${stdout}\n${stderr}`));
    }, 240_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const $ = (dollars: number) => Math.round(dollars * 100); // minor units

describe('revperf run on a hand-written organisation', () => {
  let work: string;
  let quarter: MetricsExport;
  let week: MetricsExport;
  let stdout: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'revperf-hand-'));
    for (const [path, text] of Object.entries(FILES)) {
      await mkdir(join(work, 'data', path, '..'), { recursive: true });
      await writeFile(join(work, 'data', path), text);
    }
    const result = await revperf(['run', '--data', join(work, 'data'), '--as-of', AS_OF, '--out', join(work, 'out')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    stdout = result.stdout;
    quarter = JSON.parse(await readFile(join(work, 'out/metrics/FY2026-Q1.json'), 'utf-8')) as MetricsExport;
    week = JSON.parse(await readFile(join(work, 'out/metrics/2026-W07.json'), 'utf-8')) as MetricsExport;
  }, 300_000);
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  const entity = (level: EntityMetrics['level'], id: string) => {
    const found = quarter.entities.find((candidate) => candidate.level === level && candidate.id === id);
    if (!found) throw new Error(`no ${level} ${id} in ${quarter.entities.map((e) => `${e.level}:${e.id}`).join(', ')}`);
    return found;
  };

  it('lists reps only: the inferred head of sales and the manager who does not sell are no rep rows; the manager who sells is', () => {
    const reps = quarter.entities.filter((e) => e.level === 'rep').map((e) => e.id);
    expect(reps.sort()).toEqual(['ana@acme.com', 'ben@acme.com', 'cy@acme.com', 'lu@acme.com']);
    expect(quarter.entities.filter((e) => e.level === 'team').map((e) => e.id)).toEqual(['East', 'West']);
    expect(quarter.entities.filter((e) => e.level === 'region').map((e) => e.id)).toEqual(['EMEA']);
  });

  it("Ana (quota by name without the accents): every figure", () => {
    // Won D1 30 000 + D2 20 000 = 50 000 of a 100 000 quota; lost D3 10 000; open D4 60 000 (Mar 15, 50%), undated D5 15 000.
    // Business days after Sat 14 Feb to 31 Mar: 10 in February + 22 in March − the 19 March holiday = 31.
    expect(entity('rep', 'ana@acme.com')).toMatchObject({
      name: 'Ana Peña',
      team: 'West',
      region: 'EMEA',
      revenue: $(50_000),
      quota: $(100_000),
      attainment: 0.5,
      gapToQuota: $(50_000),
      pace: 1,
      projectedRevenue: $(100_000),
      projectedAttainment: 1,
      requiredPerDay: Math.round($(50_000) / 45),
      requiredPerBusinessDay: Math.round($(50_000) / 31),
      openPipeline: $(60_000),
      weightedPipeline: $(30_000),
      pipelineCoverage: 1.2,
      quotaMet: false,
      coverageHealthy: false,
      nextQuarterPipeline: 0,
      nextQuarterQuota: $(120_000),
      nextQuarterCoverage: 0,
      totalOpenPipeline: $(75_000),
      totalOpenCount: 2,
      wonCount: 2,
      lostCount: 1,
      lostAmount: $(10_000),
      winRate: 2 / 3,
      valueWinRate: 50_000 / 60_000,
      averageDealSize: $(25_000),
      salesCycleMedianDays: (50 + 36) / 2, // D1 Dec 1 → Jan 20 = 50 days; D2 Jan 5 → Feb 10 = 36
      salesCycleMeanDays: 43,
      newPipeline: $(30_000), // D2 and D3, created in the quarter so far
      pastDueCount: 0,
      pastDueAmount: 0,
      undatedOpenCount: 1,
      undatedOpenAmount: $(15_000),
      rankInTeam: 1,
      rankInCompany: 1,
    });
  });

  it('Ben (quota by e-mail): a past-due deal, and an undated one without an amount that counts 0', () => {
    expect(entity('rep', 'ben@acme.com')).toMatchObject({
      revenue: $(25_000),
      quota: $(50_000),
      attainment: 0.5,
      gapToQuota: $(25_000),
      pace: 1,
      requiredPerDay: Math.round($(25_000) / 45),
      requiredPerBusinessDay: Math.round($(25_000) / 31),
      openPipeline: 0,
      pipelineCoverage: 0,
      nextQuarterQuota: null,
      nextQuarterCoverage: null,
      pastDueCount: 1,
      pastDueAmount: $(8_000),
      undatedOpenCount: 1,
      undatedOpenAmount: 0,
      totalOpenPipeline: $(8_000),
      totalOpenCount: 2,
      wonCount: 1,
      lostCount: 0,
      winRate: 1,
      averageDealSize: $(25_000),
      newPipeline: $(25_000),
      rankInTeam: 1, // ties Ana at 50%
      rankInCompany: 1,
    });
  });

  it('Cy (quota by lower-case name without accents) and Lu (a manager who sells, no quota: unranked)', () => {
    expect(entity('rep', 'cy@acme.com')).toMatchObject({
      revenue: $(10_000),
      quota: $(40_000),
      attainment: 0.25,
      gapToQuota: $(30_000),
      pace: 0.5,
      projectedRevenue: $(20_000),
      openPipeline: $(40_000), // D12 closes on the last day of the quarter
      weightedPipeline: $(20_000),
      pipelineCoverage: 40_000 / 30_000,
      nextQuarterPipeline: $(30_000),
      nextQuarterQuota: null,
      newPipeline: $(10_000),
      totalOpenPipeline: $(70_000),
      rankInTeam: 1,
      rankInCompany: 3,
    });
    expect(entity('rep', 'lu@acme.com')).toMatchObject({ team: 'East', revenue: $(5_000), quota: null, attainment: null, rankInTeam: null, rankInCompany: null });
  });

  it('teams, region and company: a team quota by team name, sums of members elsewhere', () => {
    expect(entity('team', 'West')).toMatchObject({
      revenue: $(75_000),
      quota: $(140_000), // its own, written 'west'
      gapToQuota: $(65_000),
      openPipeline: $(60_000),
      pipelineCoverage: 60_000 / 65_000,
      nextQuarterQuota: $(120_000),
      undatedOpenCount: 2,
      undatedOpenAmount: $(15_000),
      pastDueCount: 1,
      totalOpenPipeline: $(83_000),
    });
    expect(entity('team', 'East')).toMatchObject({ revenue: $(15_000), quota: $(40_000), attainment: 15_000 / 40_000, openPipeline: $(40_000) });
    for (const id of ['EMEA', 'company']) {
      expect(entity(id === 'company' ? 'company' : 'region', id)).toMatchObject({
        revenue: $(90_000),
        quota: $(180_000),
        attainment: 0.5,
        wonCount: 5,
        lostCount: 1,
        openPipeline: $(100_000),
        undatedOpenCount: 2,
        undatedOpenAmount: $(15_000),
        totalOpenPipeline: $(153_000),
        totalOpenCount: 6,
      });
    }
  });

  it('lists the undated open deals under data hygiene, biggest first', () => {
    expect(quarter.undatedOpenDeals.map((entry) => [entry.deal.id, entry.repId, entry.deal.amount])).toEqual([
      ['D5', 'ana@acme.com', $(15_000)],
      ['D8', 'ben@acme.com', 0],
    ]);
    expect(quarter.pastDueDeals.map((entry) => entry.deal.id)).toEqual(['D7']);
  });

  it('uses every accepted row: the reconciliation names nothing, and revperf run warns about nothing', () => {
    for (const document of [quarter, week]) {
      for (const kind of Object.values(document.reconciliation)) {
        expect(kind.unused, `${document.period.id} ${kind.kind}`).toEqual([]);
        expect(kind.used).toBe(kind.loaded);
      }
    }
    expect(quarter.reconciliation.deals.loaded).toBe(12);
    expect(quarter.reconciliation.quotas.loaded).toBe(5);
    expect(quarter.reconciliation.people.loaded).toBe(6);
    expect(stdout).not.toContain('⚠');
  });

  it('says in the ingest reports which roles were inferred and which open deals lack a date or an amount', async () => {
    const people = JSON.parse(await readFile(join(work, 'out/ingest/uploads/people/people.csv.json'), 'utf-8')) as IngestReport;
    expect(people.counts).toMatchObject({ read: 6, accepted: 6, rejected: 0 });
    expect(people.findings.join('\n')).toContain('1 leader(s) (Hana Head), 2 manager(s) (Lu Lead, Mo Manager), 3 rep(s) (Ana Peña, Ben Ito, Cy Díaz)');
    const deals = JSON.parse(await readFile(join(work, 'out/ingest/uploads/deals/deals.csv.json'), 'utf-8')) as IngestReport;
    expect(deals.counts).toMatchObject({ read: 12, accepted: 12, rejected: 0 });
    expect(deals.findings).toEqual(
      expect.arrayContaining([expect.stringContaining('2 open deal(s) have no close date'), expect.stringContaining('1 open deal(s) have no amount')]),
    );
    const quotas = JSON.parse(await readFile(join(work, 'out/ingest/uploads/quotas/quotas.csv.json'), 'utf-8')) as IngestReport;
    expect(quotas.counts).toMatchObject({ read: 5, accepted: 5, rejected: 0 });
    expect(quotas.findings).toEqual([]);
  });
});

describe('revperf run names rows that count for no one', () => {
  it('warns about a quota for nobody, an ambiguous name and an unknown owner, and still exits 0', async () => {
    const work = await mkdtemp(join(tmpdir(), 'revperf-hand-'));
    try {
      const files: Record<string, string> = {
        ...FILES,
        'people/people.csv': `${FILES['people/people.csv']}\nDana Reyes,dana.a@acme.com,East,Lu Lead,EMEA\nDana Reyes,dana.b@acme.com,East,Lu Lead,EMEA`,
        'quotas/quotas.csv': `${FILES['quotas/quotas.csv']}\nDana Reyes,,2026-Q1,10000\nPat Nobody,,2026-Q1,9000`,
        'deals/deals.csv': `${FILES['deals/deals.csv']}\nD13,Stray,Hooli,Zed Unknown,Closed Won,700,2026-01-31,`,
      };
      for (const [path, text] of Object.entries(files)) {
        await mkdir(join(work, 'data', path, '..'), { recursive: true });
        await writeFile(join(work, 'data', path), text);
      }
      const result = await revperf(['run', '--data', join(work, 'data'), '--as-of', AS_OF, '--out', join(work, 'out')]);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/⚠ deals: 1 of 13 row\(s\) read for FY2026-Q1 count for no one/);
      expect(result.stdout).toContain("owner 'Zed Unknown' matches no one");
      expect(result.stdout).toMatch(/⚠ quotas: 2 of 7 row\(s\) read for FY2026-Q1 count for no one/);
      expect(result.stdout).toContain("'Dana Reyes' names 2 people in the people file (dana.a@acme.com, dana.b@acme.com): applied to neither");
      expect(result.stdout).toContain("'Pat Nobody' matches no one in the people file");
      const quotas = JSON.parse(await readFile(join(work, 'out/ingest/uploads/quotas/quotas.csv.json'), 'utf-8')) as IngestReport;
      expect(quotas.findings.join('\n')).toContain("'Pat Nobody' matches no one");
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});
