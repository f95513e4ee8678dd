import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import fc from 'fast-check';
import Papa from 'papaparse';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import yauzl from 'yauzl';
import { parseConfig } from '../../../shared/config/schema.js';
import type { Deal, Person } from '../../../shared/domain/types.js';
import {
  EXPORT_FILES,
  generateSampleOrg,
  renderSampleUploads,
  writeSampleUploads,
  type SampleDeal,
  type SampleOrg,
  type UploadFile,
} from '../../../local/sample-org/index.js';
import { fiscalMonthId, fiscalQuarterOf } from '../../../local/sample-org/dates.js';
import { csvRecord, dottedDate, EUROPEAN_NUMBERS, formatAmount, US_NUMBERS, usDate } from '../../../local/sample-org/formats.js';
import { emailLocalPart } from '../../../local/sample-org/org-people.js';
import { SeededRandom } from '../../../local/sample-org/random.js';
import { HUBSPOT_HEADER, PIPEDRIVE_HEADER, SALESFORCE_HEADER } from '../../../local/sample-org/write-uploads.js';
import { workbookBytes } from '../../../local/sample-org/xlsx-file.js';
import { buildFixtures, FIXTURE_DIR, FIXTURE_FILES } from '../../fixtures/build-fixtures.js';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const fileOf = (files: readonly UploadFile[], path: string): Buffer => {
  const file = files.find((candidate) => candidate.path === path);
  if (file === undefined) throw new Error(`no upload ${path}`);
  return file.bytes;
};
const isUtf8 = (bytes: Buffer): boolean => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};
const parseCsv = (text: string, delimiter: string): string[][] =>
  Papa.parse<string[]>(text, { delimiter, skipEmptyLines: false }).data;

async function readWorkbook(bytes: Buffer): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  // exceljs's load() types predate Node's generic Buffer; the bytes are a plain xlsx.
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  if (sheet === undefined) throw new Error('workbook has no sheet');
  return sheet;
}

let org: SampleOrg;
let uploads: UploadFile[];

// Generating and rendering the whole org takes a second or two; share one copy.
beforeAll(async () => {
  org = generateSampleOrg();
  uploads = await renderSampleUploads(org);
}, 60_000);

afterEach(() => {
  vi.useRealTimers();
});

describe('determinism', () => {
  const tempDirs: string[] = [];
  afterAll(async () => {
    for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
  });

  async function hashesOfWrittenOrg(now: string): Promise<Map<string, string>> {
    // Only Date is faked: it proves no wall-clock time leaks into the bytes (exceljs and JSZip both stamp "now").
    vi.useFakeTimers({ toFake: ['Date'], now: new Date(now) });
    const dir = await mkdtemp(join(tmpdir(), 'revperf-sample-'));
    tempDirs.push(dir);
    const paths = await writeSampleUploads(generateSampleOrg(), dir);
    vi.useRealTimers();
    const hashes = new Map<string, string>();
    for (const path of paths) hashes.set(relative(dir, path), sha256(await readFile(path)));
    return hashes;
  }

  it('writes byte-identical files for the same seed, whenever it runs', async () => {
    const first = await hashesOfWrittenOrg('2030-01-01T00:00:00Z');
    const second = await hashesOfWrittenOrg('2031-06-15T13:37:11Z');
    expect([...first.keys()]).toEqual([
      'revperf.config.json',
      'deals/salesforce-opportunities.csv',
      'deals/hubspot-deals.xlsx',
      'deals/pipedrive-deals.csv',
      'people/people.csv',
      'quotas/quotas.csv',
      'accounts/key-accounts.csv',
      'fx/rates.csv',
    ]);
    expect(second).toEqual(first);
  }, 60_000);

  it('gives a different organisation for a different seed', { timeout: 30_000 }, () => {
    const other = generateSampleOrg({ seed: 7 });
    expect(other.deals.length).not.toBe(org.deals.length);
    expect(other.people.map((person) => person.name)).not.toEqual(org.people.map((person) => person.name));
  });

  it('stamps every zip entry of a workbook with the given instant, not the clock', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Sheet').addRow(['x']);
    const bytes = await workbookBytes(workbook, new Date(Date.UTC(2026, 10, 16, 9, 0, 0)));
    const zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true });
    const stamps = new Set<string>();
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        stamps.add(`${entry.lastModFileDate}/${entry.lastModFileTime}`);
        zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', reject);
      zip.readEntry();
    });
    // MS-DOS fields by hand: date = (2026-1980)<<9 | 11<<5 | 16 = 23920; time = 9<<11 = 18432.
    expect([...stamps]).toEqual(['23920/18432']);
  });
});

describe('building blocks', () => {
  it('draws the same sequence from the same seed', () => {
    const draws = (seed: number) => {
      const rng = new SeededRandom(seed);
      return Array.from({ length: 5 }, () => rng.int(0, 1_000_000));
    };
    expect(draws(42)).toEqual(draws(42));
    expect(draws(42)).not.toEqual(draws(43));
  });

  it('knows the February fiscal year named by its end', () => {
    expect(fiscalQuarterOf('2026-11-16', 2)).toMatchObject({ id: 'FY2027-Q4', start: '2026-11-01', end: '2027-01-31' });
    expect(fiscalQuarterOf('2026-02-01', 2)).toMatchObject({ id: 'FY2027-Q1', start: '2026-02-01', end: '2026-04-30' });
    expect(fiscalQuarterOf('2026-01-31', 2).id).toBe('FY2026-Q4');
    expect(fiscalMonthId(2026, 8, 2)).toBe('FY2027-M07');
    expect(fiscalMonthId(2027, 1, 2)).toBe('FY2027-M12');
  });

  it('prints amounts and dates the way the CRMs do', () => {
    expect(formatAmount(123_456, 2, US_NUMBERS)).toBe('1,234.56');
    expect(formatAmount(123_456, 2, EUROPEAN_NUMBERS)).toBe('1.234,56');
    expect(formatAmount(4_500_000, 0, US_NUMBERS)).toBe('4,500,000');
    expect(formatAmount(123_456_700, 2, US_NUMBERS, 0)).toBe('1,234,567');
    expect(formatAmount(-5_00, 2, US_NUMBERS)).toBe('-5.00');
    expect(() => formatAmount(123_456, 2, US_NUMBERS, 0)).toThrow(RangeError);
    expect(usDate('2026-03-05')).toBe('3/5/2026');
    expect(dottedDate('2026-03-05')).toBe('05.03.2026');
    expect(emailLocalPart('Liam O’Connor')).toBe('liam.oconnor');
    expect(emailLocalPart('Henrik Sørensen')).toBe('henrik.sorensen');
  });

  it('formats any amount so that it reads back to the same minor units', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.constantFrom(0, 2), (minor, exponent) => {
        const european = formatAmount(minor, exponent, EUROPEAN_NUMBERS).replace(/\./g, '').replace(',', '.');
        const us = formatAmount(minor, exponent, US_NUMBERS).replace(/,/g, '');
        return Math.round(Number(european) * 10 ** exponent) === minor && Math.round(Number(us) * 10 ** exponent) === minor;
      }),
    );
  });

  it('quotes CSV fields so that any text survives a round trip', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('a', 'ß', ' ', ',', ';', '\t', '"', '\n', '\r') }), { minLength: 2, maxLength: 5 }),
        fc.constantFrom<',' | ';' | '\t'>(',', ';', '\t'),
        fc.boolean(),
        (fields, delimiter, quoteAll) => {
          const record = csvRecord(fields, { delimiter, quoteAll, lineEnd: '\r\n' });
          const parsed = Papa.parse<string[]>(record.slice(0, -2), { delimiter, newline: '\r\n' }).data[0];
          expect(parsed).toEqual(fields);
        },
      ),
    );
  });
});

describe('options', () => {
  it('move the history with the as-of date and keep the mover in the current fiscal year', { timeout: 30_000 }, () => {
    // 2026-02-03 is in FY2027 Q1: the previous quarter is last fiscal year, so the move falls inside this quarter.
    const early = generateSampleOrg({ asOf: '2026-02-03', dealsScale: 0.3 });
    expect(early.quarters[0]?.id).toBe('FY2025-Q1');
    expect(early.quarters[8]?.id).toBe('FY2027-Q1');
    const moves = early.people.filter((person) => person.role === 'rep' && person.effectiveFrom === '2026-02-02');
    expect(moves.map((person) => person.team)).toEqual(['NA Enterprise']);
    expect(early.badRows).toHaveLength(8);
  });

  it('scale the headcount and the deal volume', { timeout: 30_000 }, () => {
    const small = generateSampleOrg({ repsPerTeam: 6, dealsScale: 0.5 });
    expect(new Set(small.people.filter((person) => person.role === 'rep').map((person) => person.id)).size).toBe(8 * 6 + 1);
    expect(small.deals.length).toBeLessThan(org.deals.length * 0.6);
    expect(() => generateSampleOrg({ repsPerTeam: 5 })).toThrow(/at least 6/);
  });
});

describe('the organisation', () => {
  const repRows = () => org.people.filter((person) => person.role === 'rep');

  it('has ~60 reps in 8 teams under 3 regions, each team with a manager and each region a VP', () => {
    const repIds = new Set(repRows().map((person) => person.id));
    expect(repIds.size).toBe(57);
    const teams = new Set(repRows().map((person) => person.team));
    expect(teams.size).toBe(8);
    expect(new Set(repRows().map((person) => person.region))).toEqual(new Set(['Americas', 'EMEA', 'APAC']));
    const managers = org.people.filter((person) => person.role === 'manager');
    for (const team of teams) expect(managers.filter((manager) => manager.team === team)).toHaveLength(1);
    for (const rep of repRows()) expect(managers.map((manager) => manager.id)).toContain(rep.manager);
    const vps = managers.filter((manager) => manager.team.endsWith(' Leadership'));
    expect(vps.map((vp) => vp.region).sort()).toEqual(['APAC', 'Americas', 'EMEA']);
    const leaders = org.people.filter((person) => person.role === 'leader');
    expect(leaders.map((leader) => leader.name)).toEqual(['Victoria Hale', 'Daniel Okafor']);
    for (const vp of vps) expect(vp.manager).toBe('daniel.okafor@northwind.example');
  });

  it('gives everyone a first.last@northwind.example address that is their id', () => {
    for (const person of org.people) {
      expect(person.email).toMatch(/^[a-z]+(\.[a-z]+)+@northwind\.example$/);
      expect(person.id).toBe(person.email);
    }
    const names = new Map<string, string>();
    for (const person of org.people) {
      expect(names.get(person.id) ?? person.name).toBe(person.name);
      names.set(person.id, person.name);
    }
    expect(org.people.find((person) => person.name === 'Lukas Strauß')?.email).toBe('lukas.strauss@northwind.example');
  });

  it('has one rep who moved teams mid-quarter in the current fiscal year', () => {
    const rowsById = new Map<string, Person[]>();
    for (const person of repRows()) rowsById.set(person.id, [...(rowsById.get(person.id) ?? []), person]);
    const movers = [...rowsById.values()].filter((rows) => rows.length > 1);
    expect(movers).toHaveLength(1);
    const [before, after] = movers[0] ?? [];
    expect(before?.effectiveFrom).toBeNull();
    expect(before?.team).toBe('NA Commercial');
    expect(after?.team).toBe('NA Enterprise');
    // FY2027 Q3 runs 2026-08-01 … 2026-10-31; its middle is 2026-09-15.
    expect(after?.effectiveFrom).toBe('2026-09-15');
    const moverDeals = org.deals.filter((deal) => deal.ownerId === after?.id);
    expect(moverDeals.filter((deal) => deal.closeDate < '2026-09-15').every((deal) => deal.team === 'NA Commercial')).toBe(true);
    expect(moverDeals.filter((deal) => deal.closeDate >= '2026-09-15').every((deal) => deal.team === 'NA Enterprise')).toBe(true);
  });

  it('keeps one inactive rep who left, with no open deals and no quota after leaving', () => {
    const leavers = repRows().filter((person) => !person.active);
    expect(leavers).toHaveLength(1);
    const leaver = leavers[0];
    const deals = org.deals.filter((deal) => deal.ownerId === leaver?.id);
    expect(deals.length).toBeGreaterThan(10);
    expect(deals.some((deal) => deal.stageClass === 'open')).toBe(false);
    // Left at the end of FY2027 Q1 (2026-04-30), three quarters before the current one.
    expect(deals.every((deal) => deal.closeDate <= '2026-04-30')).toBe(true);
    expect(deals.some((deal) => deal.closeDate >= '2026-04-01')).toBe(true);
    const periods = org.quotas.filter((quota) => quota.entityId === leaver?.id).map((quota) => quota.periodId);
    expect(periods).toEqual(org.quarters.slice(0, 6).map((quarter) => quarter.id));
  });

  it('has a new rep hired two quarters ago whose quota is still ramping', () => {
    // Two quarters before FY2027 Q4 is FY2027 Q2 (2026-05-01 … 2026-07-31).
    const hires = repRows().filter((person) => person.effectiveFrom !== null && person.effectiveFrom >= '2026-05-01' && person.effectiveFrom <= '2026-07-31');
    expect(hires).toHaveLength(1);
    const hire = hires[0];
    const quotaOf = (id: string | undefined, period: string) =>
      org.quotas.find((quota) => quota.entityId === id && quota.periodId === period)?.amount;
    const peer = repRows().find((person) => person.team === hire?.team && person.effectiveFrom === null);
    expect(quotaOf(hire?.id, 'FY2027-Q1')).toBeUndefined();
    // Ramp: 25 % in the hire quarter, 50 % next, 75 % the one after.
    expect(quotaOf(hire?.id, 'FY2027-Q2')).toBe(Math.round((quotaOf(peer?.id, 'FY2027-Q2') ?? 0) / 4 / 500_000) * 500_000);
    expect(quotaOf(hire?.id, 'FY2027-Q4')).toBeLessThan(quotaOf(peer?.id, 'FY2027-Q4') ?? 0);
    expect(org.deals.filter((deal) => deal.ownerId === hire?.id).every((deal) => (deal.createdDate ?? '') >= (hire?.effectiveFrom ?? ''))).toBe(true);
  });
});

describe('the deals', () => {
  const inQuarter = (deal: Deal, quarter: { start: string; end: string }) => deal.closeDate !== null && deal.closeDate >= quarter.start && deal.closeDate <= quarter.end;
  const wonRevenue = (quarterId: string) => {
    const quarter = org.quarters.find((candidate) => candidate.id === quarterId);
    if (quarter === undefined) throw new Error(quarterId);
    return org.deals.filter((deal) => deal.stageClass === 'won' && inQuarter(deal, quarter)).reduce((sum, deal) => sum + deal.amount, 0);
  };

  it('number 6,000–8,000 across 9 fiscal quarters ending with the quarter of the as-of date', () => {
    expect(org.deals.length).toBeGreaterThanOrEqual(6_000);
    expect(org.deals.length).toBeLessThanOrEqual(8_000);
    expect(org.quarters.map((quarter) => quarter.id)).toEqual([
      'FY2025-Q4', 'FY2026-Q1', 'FY2026-Q2', 'FY2026-Q3', 'FY2026-Q4', 'FY2027-Q1', 'FY2027-Q2', 'FY2027-Q3', 'FY2027-Q4',
    ]);
    expect(org.quarters[0]?.start).toBe('2024-11-01');
    expect(org.quarters[8]?.end).toBe('2027-01-31');
    for (const quarter of org.quarters) expect(wonRevenue(quarter.id)).toBeGreaterThan(0);
  });

  it('are seasonal: each Q4 outsells the Q1 that follows it', () => {
    expect(wonRevenue('FY2025-Q4')).toBeGreaterThan(wonRevenue('FY2026-Q1'));
    expect(wonRevenue('FY2026-Q4')).toBeGreaterThan(wonRevenue('FY2027-Q1'));
  });

  it('are won 25–35 % of the time, after sales cycles of 20–120 days', () => {
    const won = org.deals.filter((deal) => deal.stageClass === 'won');
    const lost = org.deals.filter((deal) => deal.stageClass === 'lost');
    const winRate = won.length / (won.length + lost.length);
    expect(winRate).toBeGreaterThan(0.25);
    expect(winRate).toBeLessThan(0.35);
    for (const deal of [...won, ...lost]) {
      const cycle = (Date.parse(deal.closeDate) - Date.parse(deal.createdDate ?? '')) / 86_400_000;
      expect(cycle).toBeGreaterThanOrEqual(20);
      expect(cycle).toBeLessThanOrEqual(120);
    }
  });

  it('closed before the as-of date; the open pipeline lies mostly in this and next quarter, ~3 % past due', () => {
    for (const deal of org.deals.filter((candidate) => candidate.stageClass !== 'open')) expect(deal.closeDate < org.asOf).toBe(true);
    const open = org.deals.filter((deal) => deal.stageClass === 'open');
    const pastDue = open.filter((deal) => deal.closeDate < org.asOf);
    expect(pastDue.length / open.length).toBeGreaterThan(0.01);
    expect(pastDue.length / open.length).toBeLessThan(0.06);
    // This quarter ends 2027-01-31, the next one 2027-04-30.
    const soon = open.filter((deal) => deal.closeDate >= org.asOf && deal.closeDate <= '2027-04-30');
    expect(soon.length / open.length).toBeGreaterThan(0.8);
    for (const deal of open) expect(deal.probability).toBeGreaterThan(0);
  });

  it('come from stars and strugglers alike (attainment over the eight completed quarters)', () => {
    const completed = org.quarters.slice(0, 8);
    // Monthly quotas of FY2027 Q3 (Aug–Oct 2026) are fiscal months 7–9.
    const quotaPeriods = new Set([...completed.map((quarter) => quarter.id), 'FY2027-M07', 'FY2027-M08', 'FY2027-M09']);
    const quota = new Map<string, number>();
    for (const row of org.quotas) {
      if (row.level === 'rep' && quotaPeriods.has(row.periodId)) quota.set(row.entityId, (quota.get(row.entityId) ?? 0) + row.amount);
    }
    const revenue = new Map<string, number>();
    for (const deal of org.deals) {
      if (deal.stageClass === 'won' && deal.ownerId !== null && deal.closeDate <= '2026-10-31') {
        revenue.set(deal.ownerId, (revenue.get(deal.ownerId) ?? 0) + deal.amount);
      }
    }
    const attainments = [...quota].map(([rep, amount]) => (revenue.get(rep) ?? 0) / amount);
    expect(attainments.filter((attainment) => attainment >= 1.4).length).toBeGreaterThanOrEqual(2);
    expect(attainments.filter((attainment) => attainment <= 0.6).length).toBeGreaterThanOrEqual(2);
    const company = [...revenue.values()].reduce((a, b) => a + b, 0) / [...quota.values()].reduce((a, b) => a + b, 0);
    expect(company).toBeGreaterThan(0.85);
    expect(company).toBeLessThan(1.2);
  });

  it('are in local currencies per region, converted with the uploaded rate valid on the close date', () => {
    const currencies = (region: string) => new Set(org.deals.filter((deal) => deal.region === region).map((deal) => deal.currency));
    expect(currencies('Americas')).toEqual(new Set(['USD']));
    expect(currencies('EMEA')).toEqual(new Set(['EUR', 'GBP']));
    expect(currencies('APAC')).toEqual(new Set(['JPY', 'AUD', 'USD']));
    for (const deal of org.deals) {
      if (deal.currency === 'USD') {
        expect(deal.amount).toBe(deal.originalAmount);
        continue;
      }
      const rate = org.fxRates
        .filter((candidate) => candidate.currency === deal.currency && (candidate.validFrom ?? '') <= deal.closeDate)
        .sort((a, b) => (a.validFrom ?? '').localeCompare(b.validFrom ?? ''))
        .at(-1)?.rate;
      const cents = deal.currency === 'JPY' ? deal.originalAmount * (rate ?? NaN) * 100 : deal.originalAmount * (rate ?? NaN);
      expect(deal.amount).toBe(Math.round(cents));
    }
    expect(Object.keys(org.config.currency?.rates ?? {})).toEqual([]);
    expect(new Set(org.fxRates.map((rate) => rate.currency))).toEqual(new Set(['EUR', 'GBP', 'JPY', 'AUD']));
  });

  it('include ~10 key accounts that buy again and again, named in the config too', () => {
    expect(org.keyAccounts).toHaveLength(10);
    expect(org.config.keyAccounts?.names).toEqual(org.keyAccounts.map((account) => account.name));
    for (const account of org.keyAccounts) {
      const wins = org.deals.filter((deal) => deal.account === account.name && deal.stageClass === 'won');
      expect(wins.length, account.name).toBeGreaterThanOrEqual(5);
    }
  });
});

describe('the quotas', () => {
  it('include a team quota that differs from the sum of its reps', () => {
    const teamQuotas = org.quotas.filter((quota) => quota.level === 'team');
    expect(teamQuotas.map((quota) => `${quota.entityId} ${quota.periodId}`)).toEqual([
      'UK & Ireland FY2027-Q1',
      'UK & Ireland FY2027-Q2',
      'UK & Ireland FY2027-Q3',
      'UK & Ireland FY2027-Q4',
    ]);
    const members = new Set(org.quotaRows.filter((row) => row.team === 'UK & Ireland' && row.rep !== '').map((row) => row.rep));
    for (const teamQuota of teamQuotas) {
      const repSum = org.quotas
        .filter((quota) => quota.level === 'rep' && members.has(quota.entityId) && quota.periodId === teamQuota.periodId)
        .reduce((sum, quota) => sum + quota.amount, 0);
      expect(teamQuota.amount).toBeLessThan(repSum);
    }
  });

  it('include monthly quotas for one team, as fiscal months', () => {
    const monthly = org.quotaRows.filter((row) => /^\d{4}-\d{2}$/.test(row.period));
    expect(new Set(monthly.map((row) => row.team))).toEqual(new Set(['Japan']));
    // The last two quarters and the next one (set before it starts).
    expect(new Set(monthly.map((row) => row.period))).toEqual(
      new Set(['2026-08', '2026-09', '2026-10', '2026-11', '2026-12', '2027-01', '2027-02', '2027-03', '2027-04']),
    );
    const ids = new Set(org.quotas.filter((quota) => /-M\d\d$/.test(quota.periodId)).map((quota) => quota.periodId));
    // A February fiscal year: August is fiscal month 7, January fiscal month 12 of FY2027, February month 1 of FY2028.
    expect(ids).toEqual(
      new Set(['FY2027-M07', 'FY2027-M08', 'FY2027-M09', 'FY2027-M10', 'FY2027-M11', 'FY2027-M12', 'FY2028-M01', 'FY2028-M02', 'FY2028-M03']),
    );
  });
});

describe('the config', () => {
  it('is a complete, valid revperf config', () => {
    const config = parseConfig(org.config);
    expect(config.org).toEqual({ name: 'Northwind Cloud', timeZone: 'America/New_York', locale: 'en' });
    expect(config.fiscal.yearStartMonth).toBe(2);
    expect(config.fiscal.naming).toBe('end');
    expect(config.currency.reporting).toBe('USD');
    expect(config.mail.allowedDomains).toEqual(['northwind.example']);
    expect(config.mail.leadership).toEqual(['victoria.hale@northwind.example', 'daniel.okafor@northwind.example']);
    expect(config.fiscal.holidays).toContain('2026-11-26'); // Thanksgiving 2026
    const renewalStages = config.stages.filter((rule) => rule.pipeline === 'Renewals').map((rule) => rule.stage);
    expect(renewalStages).toEqual(['Renewal Due', 'Quote Sent', 'Verbal Commit', 'Renewed', 'Churned']);
  });

  it('is what revperf.config.json holds', () => {
    expect(JSON.parse(fileOf(uploads, 'revperf.config.json').toString('utf8'))).toEqual(org.config);
  });
});

describe('the bad rows', () => {
  it('are about eight, spread over the three deal files', () => {
    expect(org.badRows).toHaveLength(8);
    for (const file of Object.values(EXPORT_FILES)) expect(org.badRows.filter((row) => row.file === file).length).toBeGreaterThanOrEqual(2);
    expect(org.badRows.filter((row) => row.outcome === 'rejected')).toHaveLength(6);
  });

  it('are on the recorded lines of the files', { timeout: 30_000 }, async () => {
    const salesforce = fileOf(uploads, EXPORT_FILES.salesforce).toString('utf8').split('\n');
    const pipedriveLines = iconv.decode(fileOf(uploads, EXPORT_FILES.pipedrive), 'windows-1252').split('\r\n');
    const pipedriveFields = (lineNumber: number) => parseCsv(pipedriveLines[lineNumber - 1] ?? '', ';')[0] ?? [];
    const hubspot = await readWorkbook(fileOf(uploads, EXPORT_FILES.hubspot));
    const line = (file: string, why: RegExp) => {
      const row = org.badRows.find((candidate) => candidate.file === file && why.test(candidate.why));
      if (row === undefined) throw new Error(`no bad row ${why} in ${file}`);
      return row.line;
    };
    expect(salesforce[line(EXPORT_FILES.salesforce, /not a number/) - 1]).toMatch(/"\$[\d,]*O\d*"/);
    expect(parseCsv(salesforce[line(EXPORT_FILES.salesforce, /close date is missing/) - 1] ?? '', ',')[0]?.[9]).toBe('');
    expect(salesforce[line(EXPORT_FILES.salesforce, /people file/) - 1]).toContain('"Marcus Webb"');
    expect(pipedriveFields(line(EXPORT_FILES.pipedrive, /30\.02\.2026/))[7]).toBe('30.02.2026');
    expect(pipedriveFields(line(EXPORT_FILES.pipedrive, /CHF/))[3]).toBe('CHF');
    expect(hubspot.getRow(line(EXPORT_FILES.hubspot, /negative/)).getCell(6).value).toBe(-4500);
    expect(hubspot.getRow(line(EXPORT_FILES.hubspot, /not a number/)).getCell(6).value).toBe('TBD');
    const duplicate = org.badRows.find((row) => /appears again/.test(row.why));
    const firstLine = Number(/first on row (\d+)/.exec(duplicate?.why ?? '')?.[1]);
    expect(hubspot.getRow(duplicate?.line ?? 0).getCell(1).value).toBe(hubspot.getRow(firstLine).getCell(1).value);
    expect(firstLine).toBeLessThan(duplicate?.line ?? 0);
  });

  it('are left out of the accepted deals, except the unknown owner', () => {
    const rejectedIds = new Set(
      Object.values(org.exports).flatMap((rows) => rows.filter((row) => row.defect !== null && row.defect.kind !== 'duplicate-id').map((row) => row.deal.id)),
    );
    expect(rejectedIds.size).toBe(6);
    expect(org.deals.filter((deal) => rejectedIds.has(deal.id))).toEqual([]);
    const orphans = org.deals.filter((deal) => deal.ownerId === null);
    expect(orphans.map((deal) => deal.owner)).toEqual(['Marcus Webb']);
    expect(new Set(org.deals.map((deal) => deal.id)).size).toBe(org.deals.length);
  });
});

describe('the upload files', () => {
  it('stay small', () => {
    const total = uploads.reduce((sum, file) => sum + file.bytes.length, 0);
    expect(total).toBeLessThan(3 * 1024 * 1024);
  });

  it('include a Salesforce report with every field quoted, formatted amounts, US dates and the footer', () => {
    const text = fileOf(uploads, EXPORT_FILES.salesforce).toString('utf8');
    const lines = text.split('\n');
    const rows = org.exports.salesforce;
    expect(lines[0]).toBe(SALESFORCE_HEADER.map((header) => `"${header}"`).join(','));
    const quotedRecord = /^"(?:[^"]|"")*"(?:,"(?:[^"]|"")*")*$/;
    for (const line of lines.slice(0, rows.length + 1)) expect(line).toMatch(quotedRecord);
    expect(lines.slice(rows.length + 1)).toEqual([
      '',
      `"Grand Totals (${rows.length} records)"`,
      '',
      '"Confidential Information - Do Not Distribute"',
      '"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."',
      '',
    ]);
    const records = parseCsv(lines.slice(1, rows.length + 1).join('\n'), ',');
    const amounts = records.map((record) => record[5] ?? '');
    expect(amounts.filter((amount) => /^\$\d{1,3}(,\d{3})*$/.test(amount)).length).toBeGreaterThan(rows.length * 0.8);
    expect(amounts.some((amount) => /^USD \d{1,3}(,\d{3})*\.\d{2}$/.test(amount))).toBe(true);
    expect(records.every((record) => /^(\d{1,2}\/\d{1,2}\/\d{4})?$/.test(record[9] ?? 'x'))).toBe(true);
  });

  it('carry the model: the Salesforce amounts and close dates are the deals’', () => {
    const lines = fileOf(uploads, EXPORT_FILES.salesforce).toString('utf8').split('\n');
    const records = parseCsv(lines.slice(1, org.exports.salesforce.length + 1).join('\n'), ',');
    records.forEach((record, index) => {
      const row = org.exports.salesforce[index];
      if (row === undefined || row.defect !== null) return;
      const cents = Math.round(Number((record[5] ?? '').replace(/[^\d.]/g, '')) * 100);
      expect(cents).toBe(row.deal.originalAmount);
      const [month, day, year] = (record[9] ?? '').split('/').map(Number);
      expect(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`).toBe(row.deal.closeDate);
      expect(record[0]).toBe(row.deal.id);
    });
  });

  it('include a Pipedrive export that really is Windows-1252 with ";", European numbers and dotted dates', () => {
    const bytes = fileOf(uploads, EXPORT_FILES.pipedrive);
    expect(isUtf8(bytes)).toBe(false);
    expect(bytes.includes(Buffer.from([0xdf]))).toBe(true); // ß in Windows-1252
    const text = iconv.decode(bytes, 'windows-1252');
    for (const letter of ['é', 'ü', 'ß', 'ñ']) expect(text).toContain(letter);
    const lines = text.split('\r\n');
    expect(lines[0]).toBe(PIPEDRIVE_HEADER.join(';'));
    expect(text.replace(/\r\n/g, '')).not.toMatch(/\n/);
    const records = parseCsv(text, ';').slice(1).filter((record) => record.length > 1);
    expect(records).toHaveLength(org.exports.pipedrive.length);
    records.forEach((record, index) => {
      const row = org.exports.pipedrive[index];
      expect(record[2]).toMatch(/^\d{1,3}(\.\d{3})*,\d{2}$/);
      expect(record[5]).toBe(row?.deal.stageClass);
      if (row?.defect === null) {
        expect(record[7]).toMatch(/^\d{2}\.\d{2}\.\d{4}$/);
        const cents = Number((record[2] ?? '').replace(/\./g, '').replace(',', ''));
        expect(cents).toBe(row.deal.originalAmount);
      }
    });
  });

  it('include a HubSpot workbook with date cells, numeric amounts, stage ids and a Renewals pipeline', { timeout: 30_000 }, async () => {
    const sheet = await readWorkbook(fileOf(uploads, EXPORT_FILES.hubspot));
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([...HUBSPOT_HEADER]);
    expect(sheet.rowCount).toBe(org.exports.hubspot.length + 1);
    const stages = new Set<string>();
    const currencies = new Set<string>();
    for (let rowNumber = 2; rowNumber <= sheet.rowCount; rowNumber++) {
      const row = sheet.getRow(rowNumber);
      const model = org.exports.hubspot[rowNumber - 2]?.deal as SampleDeal;
      expect(row.getCell(4).value).toBeInstanceOf(Date);
      expect((row.getCell(4).value as Date).toISOString().slice(0, 10)).toBe(model.closeDate);
      expect(row.getCell(9).value).toBeInstanceOf(Date);
      expect(typeof row.getCell(1).value).toBe('number');
      stages.add(`${String(row.getCell(8).value)}:${String(row.getCell(3).value)}`);
      currencies.add(String(row.getCell(7).value));
    }
    expect(stages).toContain('default:closedwon');
    expect(stages).toContain('default:appointmentscheduled');
    expect(stages).toContain('Renewals:Renewed');
    expect(stages).toContain('Renewals:Verbal Commit');
    expect(currencies).toEqual(new Set(['JPY', 'AUD', 'USD']));
  });

  it('include people, quotas, key accounts and rates with the headers sales ops use', () => {
    const header = (path: string) => fileOf(uploads, path).toString('utf8').split('\n')[0];
    expect(header('people/people.csv')).toBe('Name,Email,Role,Team,Manager,Region,Active,Effective from');
    expect(header('quotas/quotas.csv')).toBe('Rep,Team,Region,Period,Quota,Currency');
    expect(header('accounts/key-accounts.csv')).toBe('Account Name,Tier,Key account');
    expect(header('fx/rates.csv')).toBe('Currency,Rate,Valid from');
    const people = parseCsv(fileOf(uploads, 'people/people.csv').toString('utf8'), ',').filter((row) => row.length > 1);
    expect(people).toHaveLength(org.people.length + 1);
    expect(people.find((row) => row[0] === 'Carmen Ibáñez')?.[4]).toBe('Henrik Sørensen');
    const accounts = fileOf(uploads, 'accounts/key-accounts.csv').toString('utf8');
    expect(accounts).toContain('Bergmann & Söhne GmbH,Growth,yes');
    expect(accounts).toContain('Orchid Telecom Inc.,Growth,no');
  });
});

describe('the equivalence fixtures', () => {
  let rebuiltDir: string;
  beforeAll(async () => {
    rebuiltDir = await mkdtemp(join(tmpdir(), 'revperf-fixtures-'));
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2031-01-01T12:00:00Z') });
    await buildFixtures(rebuiltDir);
    vi.useRealTimers();
  }, 60_000);
  afterAll(async () => {
    await rm(rebuiltDir, { recursive: true, force: true });
  });

  const committed = (name: string) => readFile(join(FIXTURE_DIR, name));
  type Expected = {
    deals: Deal[];
    rates: Record<string, number>;
    files: Record<string, string>;
    differences: Record<string, Record<string, Partial<Deal>>>;
  };
  const expected = async (): Promise<Expected> => JSON.parse((await committed('expected-deals.json')).toString('utf8')) as Expected;

  it('are committed, small, and exactly what build-fixtures produces now', async () => {
    expect((await readdir(FIXTURE_DIR)).sort()).toEqual(FIXTURE_FILES.map((file) => file.name).sort());
    for (const file of FIXTURE_FILES) {
      const bytes = await committed(file.name);
      expect(bytes.length, file.name).toBeLessThan(50 * 1024);
      expect(sha256(await readFile(join(rebuiltDir, file.name))), `${file.name} is stale: run npx tsx test/fixtures/build-fixtures.ts`).toBe(
        sha256(bytes),
      );
    }
    expect((await stat(join(rebuiltDir, 'salesforce.xlsx'))).size).toBeGreaterThan(0);
  });

  it('expect hand-checked amounts in USD cents', async () => {
    const { deals } = await expected();
    const byId = new Map(deals.map((deal) => [deal.id, deal]));
    expect(deals).toHaveLength(24);
    expect(byId.get('310003')?.amount).toBe(1_759_999); // EUR 15,999.99 × 1.1 = 17,599.989
    expect(byId.get('310011')?.amount).toBe(1_543_209); // GBP 12,345.67 × 1.25 = 15,432.0875
    expect(byId.get('310021')?.amount).toBe(625_001); // GBP 5,000.01 × 1.25 = 6,250.0125
    expect(byId.get('310006')?.amount).toBe(125_000_000); // USD 1,250,000.00
    const won = deals.filter((deal) => deal.stageClass === 'won');
    expect(won).toHaveLength(10);
    // 48,500 + 17,599.99 + 96,140 + 1,250,000 + 9,800 + 15,432.09 + 18,250 + 36,666.66 + 6,250.01 + 3,150.75
    expect(won.reduce((sum, deal) => sum + deal.amount, 0)).toBe(150_178_950);
    expect(new Set(deals.map((deal) => deal.currency))).toEqual(new Set(['USD', 'EUR', 'GBP']));
    expect(deals.filter((deal) => deal.stageClass === 'open').map((deal) => deal.probability).sort()).toEqual([0.2, 0.2, 0.2, 0.6, 0.6, 0.9, 0.9]);
    expect(deals.find((deal) => deal.name.includes('\n'))?.name).toBe('Rollout "Phase 2", Zürich\nand Basel');
  });

  it('have a config that parses and classifies every Pipedrive and custom stage the same way', async () => {
    const config = parseConfig(JSON.parse((await committed('revperf.config.json')).toString('utf8')));
    const { deals, differences, rates } = await expected();
    expect(config.currency.rates).toEqual(rates);
    for (const preset of ['pipedrive', 'custom'] as const) {
      for (const deal of deals) {
        if (deal.stageClass !== 'open' && preset === 'pipedrive') continue; // Pipedrive's status column decides won/lost
        const stage = differences[preset]?.[deal.id]?.stage;
        const rule = config.stages.find((candidate) => candidate.stage === stage);
        expect(rule?.class, `${preset} ${stage}`).toBe(deal.stageClass);
        if (deal.stageClass === 'open') expect(rule?.probability).toBe(deal.probability);
      }
    }
    const mapping = config.mappings[0];
    expect(mapping?.columns).toMatchObject({ id: 'Deal Ref', amount: 'Value', closeDate: 'Expected Close' });
    expect((await committed('custom.csv')).toString('utf8').split('\n')[0]).toBe(Object.values(mapping?.columns ?? {}).join(','));
  });

  it('hold the same 24 deal ids in every file, with the encoding each CRM uses', async () => {
    const { deals } = await expected();
    const ids = deals.map((deal) => deal.id);
    const csvIds = (text: string, delimiter: string) =>
      parseCsv(text, delimiter)
        .slice(1)
        .filter((record) => /^\d+$/.test(record[0] ?? ''))
        .map((record) => record[0]);

    const salesforce = await committed('salesforce.csv');
    expect(csvIds(salesforce.toString('utf8'), ',')).toEqual(ids);
    expect(salesforce.toString('utf8')).toContain('"Grand Totals (24 records)"');

    const utf16le = await committed('salesforce-utf16le.csv');
    expect([...utf16le.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    const detailsText = iconv.decode(utf16le, 'utf16le');
    expect(detailsText.split('\r\n')[0]?.split('\t')).toEqual([...SALESFORCE_HEADER]);
    expect(csvIds(detailsText, '\t')).toEqual(ids);

    const hubspot = await committed('hubspot.csv');
    expect([...hubspot.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(hubspot.includes(Buffer.from('\r\n'))).toBe(false);
    expect(csvIds(hubspot.toString('utf8').slice(1), ',')).toEqual(ids);

    const pipedrive = await committed('pipedrive.csv');
    expect(isUtf8(pipedrive)).toBe(false);
    const pipedriveText = iconv.decode(pipedrive, 'windows-1252');
    expect(pipedriveText.split('\r\n')[0]).toBe(PIPEDRIVE_HEADER.join(';'));
    expect(csvIds(pipedriveText, ';')).toEqual(ids);
    expect(pipedriveText).toContain('1.250.000,00');

    const utf16be = await committed('pipedrive-utf16be.csv');
    expect([...utf16be.subarray(0, 2)]).toEqual([0xfe, 0xff]);
    expect(iconv.decode(utf16be, 'utf16-be')).toBe(pipedriveText);

    expect(csvIds((await committed('custom.csv')).toString('utf8'), ',')).toEqual(ids);
  });

  it('include a Salesforce workbook with a title block, date cells, currency formats, a formula and rich text', async () => {
    const sheet = await readWorkbook(await committed('salesforce.xlsx'));
    expect(sheet.getRow(1).getCell(1).value).toBe('Opportunity Pipeline');
    expect((sheet.getRow(4).values as unknown[]).slice(1)).toEqual([...SALESFORCE_HEADER]);
    expect(sheet.rowCount).toBe(4 + 24);
    const first = sheet.getRow(5);
    expect(first.getCell(10).value).toEqual(new Date('2026-03-12T00:00:00Z'));
    expect(first.getCell(6).numFmt).toBe('"$"#,##0.00');
    const formulaRow = sheet.getRow(10);
    expect(formulaRow.getCell(1).value).toBe('310006');
    expect(formulaRow.getCell(6).value).toEqual({ formula: '1000000+250000', result: 1_250_000 });
    const richRow = sheet.getRow(8);
    expect(richRow.getCell(1).value).toBe('310004');
    expect(richRow.getCell(2).value).toMatchObject({ richText: [{ text: 'Sicherheitspaket ' }, { text: 'für Zürich' }] });
  });

  it('include a HubSpot workbook with numeric ids, date cells and numeric amounts', async () => {
    const sheet = await readWorkbook(await committed('hubspot.xlsx'));
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([...HUBSPOT_HEADER]);
    const { deals } = await expected();
    deals.forEach((deal, index) => {
      const row = sheet.getRow(index + 2);
      expect(row.getCell(1).value).toBe(Number(deal.id));
      expect(row.getCell(4).value).toEqual(new Date(`${deal.closeDate}T00:00:00Z`));
      expect(Math.round((row.getCell(6).value as number) * 100)).toBe(deal.originalAmount);
    });
  });
});
