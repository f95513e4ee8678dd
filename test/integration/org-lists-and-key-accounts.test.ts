// People and key-account uploads replace the previous list; the config's
// key-account rules (accounts named key, accounts over a trailing revenue
// threshold) add to it. Through the real ingest handler and metrics run on the
// embedded AWS.
import { afterEach, describe, expect, it } from 'vitest';
import type { RevperfConfigInput } from '../../shared/config/schema.js';
import { runMetrics } from '../../shared/reports/metrics-run.js';
import { startLocalStack, TEST_CONFIG, type LocalStack } from './harness.js';

const AS_OF = '2026-11-16'; // FY2027 Q4 (Nov 2026 – Jan 2027); its trailing four quarters start 2026-02-01
const HEADER = '"Opportunity ID","Opportunity Name","Account Name","Opportunity Owner","Stage","Amount","Opportunity Currency","Probability (%)","Close Date","Created Date"';

function won(id: string, account: string, owner: string, amount: string, closeDate: string): string {
  return [id, `${account} deal`, account, owner, 'Closed Won', amount, 'USD', '100', closeDate, '1/15/2026'].map((cell) => `"${cell}"`).join(',');
}

const stacks: LocalStack[] = [];
async function stack(config: RevperfConfigInput = TEST_CONFIG): Promise<LocalStack> {
  const started = await startLocalStack(config);
  stacks.push(started);
  return started;
}

async function quarter(local: LocalStack) {
  const [run] = await runMetrics(local.runtime, AS_OF, ['quarter']);
  return run!.result;
}

describe('people and key-account uploads replace the previous list', () => {
  afterEach(async () => {
    await Promise.all(stacks.splice(0).map((local) => local.stop()));
  });

  it('drops a person left out of the re-uploaded people file: their deals count under Unassigned', async () => {
    const local = await stack();
    await local.upload(
      'uploads/people/people.csv',
      ['Name,Email,Team,Region,Role', 'Ana García,ana.garcia@northwind.example,Enterprise,Americas,rep', 'Ben Okafor,ben.okafor@northwind.example,Enterprise,Americas,rep'].join('\n'),
    );
    await local.upload('uploads/deals/opportunities.csv', [HEADER, won('006A1', 'Acme', 'Ben Okafor', '$1,000.00', '11/10/2026')].join('\n'));
    const before = await quarter(local);
    expect(before.entities.find((entity) => entity.id === 'ben.okafor@northwind.example')).toMatchObject({ revenue: 100_000 });

    // Ben left; Chloé joined. The new file is the whole list, under another name in the same folder.
    await local.upload(
      'uploads/people/people-december.csv',
      ['Name,Email,Team,Region,Role', 'Ana García,ana.garcia@northwind.example,Enterprise,Americas,rep', 'Chloé Martin,chloe.martin@northwind.example,Enterprise,Americas,rep'].join('\n'),
    );
    expect((await local.report('uploads/people/people-december.csv')).findings).toContain('1 people-file row(s) not in this upload were removed');
    expect((await local.runtime.table.people()).map((person) => person.email).sort()).toEqual(['ana.garcia@northwind.example', 'chloe.martin@northwind.example']);

    const after = await quarter(local);
    expect(after.entities.find((entity) => entity.id === 'ben.okafor@northwind.example')).toBeUndefined();
    expect(after.entities.find((entity) => entity.level === 'rep' && entity.id === 'unassigned')).toMatchObject({ revenue: 100_000 });
    expect(after.unmatchedOwners).toEqual(['Ben Okafor']);
  });

  it('drops a key account left out of the re-uploaded accounts file', async () => {
    const local = await stack();
    await local.upload('uploads/accounts/key-accounts.csv', ['Account,Tier,Key', 'Acme,Strategic,yes', 'Globex,Growth,yes'].join('\n'));
    expect((await local.runtime.table.keyAccounts()).map((account) => account.name).sort()).toEqual(['Acme', 'Globex']);

    await local.upload('uploads/accounts/key-accounts.csv', ['Account,Tier,Key', 'Globex,Strategic,yes'].join('\n'));
    expect((await local.report('uploads/accounts/key-accounts.csv')).findings).toContain('1 key account(s) not in this upload were removed');
    expect((await local.runtime.table.keyAccounts()).map(({ name, tier }) => ({ name, tier }))).toEqual([{ name: 'Globex', tier: 'Strategic' }]);
    expect((await quarter(local)).keyAccounts.map((account) => account.name)).toEqual(['Globex']);
  });
});

describe('key-account rules from the config', () => {
  afterEach(async () => {
    await Promise.all(stacks.splice(0).map((local) => local.stop()));
  });

  it('adds accounts named in keyAccounts.names, and accounts whose trailing-four-quarter won revenue reaches minTrailingRevenue', async () => {
    const local = await stack({ ...TEST_CONFIG, keyAccounts: { names: ['Initech'], minTrailingRevenue: 100_000 } });
    await local.upload('uploads/accounts/key-accounts.csv', ['Account,Tier,Key', 'Hooli,Strategic,yes'].join('\n'));
    await local.upload(
      'uploads/deals/opportunities.csv',
      [
        HEADER,
        won('006K1', 'Acme', 'Ana García', '$500.00', '3/10/2026'), // Acme: 500 + 500 = exactly the threshold
        won('006K2', 'Acme', 'Ana García', '$500.00', '11/10/2026'),
        won('006K3', 'Globex', 'Ana García', '$999.99', '11/5/2026'), // one cent short
        won('006K4', 'Umbrella', 'Ana García', '$5,000.00', '1/31/2026'), // before the four quarters: does not count
        won('006K5', 'Umbrella', 'Ana García', '$1.00', '11/2/2026'),
        won('006K6', 'Initech', 'Ana García', '$10.00', '11/3/2026'), // named in the config
        won('006K7', 'Hooli', 'Ana García', '$20.00', '11/4/2026'), // uploaded
      ].join('\n'),
    );

    const keyAccounts = (await quarter(local)).keyAccounts.map(({ name, tier, revenue }) => ({ name, tier, revenue }));
    expect(keyAccounts.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'Acme', tier: 'by revenue', revenue: 50_000 },
      { name: 'Hooli', tier: 'Strategic', revenue: 2_000 },
      { name: 'Initech', tier: null, revenue: 1_000 },
    ]);
  });

  it('without the rules, only the uploaded accounts are key', async () => {
    const local = await stack();
    await local.upload('uploads/accounts/key-accounts.csv', ['Account,Tier,Key', 'Hooli,Strategic,yes'].join('\n'));
    await local.upload('uploads/deals/opportunities.csv', [HEADER, won('006K1', 'Acme', 'Ana García', '$5,000.00', '11/10/2026'), won('006K6', 'Initech', 'Ana García', '$10.00', '11/3/2026')].join('\n'));
    expect((await quarter(local)).keyAccounts.map((account) => account.name)).toEqual(['Hooli']);
  });
});
