// Full-snapshot scope through the real ingest path on the embedded AWS: a
// deals export replaces the deals of its folder under uploads/deals/ and its
// CRM only. A split export gives the figures of the whole one; a re-export
// after deletions in the CRM removes exactly those deals; a file that would
// remove more than half of its scope is held until confirmed. Every expected
// figure comes from an independent ingest of the deals that should count, in
// a fresh stack — never from numbers copied out of the output.
import { readdir, readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createIngestHandler } from '../../functions/ingest/ingest-handler.js';
import { runMetrics, type MetricsRun } from '../../shared/reports/metrics-run.js';
import { parseConfig, type RevperfConfigInput } from '../../shared/config/schema.js';
import { startLocalStack, TEST_CONFIG, type LocalStack } from './harness.js';

const AS_OF = '2026-11-16'; // FY2027 Q4 (Nov 2026 – Jan 2027) with a February fiscal year

const PEOPLE = [
  'Name,Email,Team,Region,Role',
  'Ana García,ana.garcia@northwind.example,Enterprise,Americas,rep',
  'Ben Okafor,ben.okafor@northwind.example,Mid-Market,Americas,rep',
  'Chloé Martin,chloe.martin@northwind.example,EMEA Core,EMEA,rep',
  'Dmitri Volkov,dmitri.volkov@northwind.example,EMEA Core,EMEA,rep',
].join('\n');

const QUOTAS = [
  'Rep,Period,Quota',
  'ana.garcia@northwind.example,FY2027-Q4,"$120,000"',
  'ben.okafor@northwind.example,FY2027-Q4,"$90,000"',
  'chloe.martin@northwind.example,FY2027-Q4,"$100,000"',
  'dmitri.volkov@northwind.example,FY2027-Q4,"$70,000"',
].join('\n');

const HEADER =
  '"Opportunity ID","Opportunity Name","Account Name","Opportunity Owner","Stage","Amount","Opportunity Currency","Probability (%)","Close Date","Created Date"';

type Row = string[];

const CLOSED_DATES = ['08/20/2026', '10/05/2026', '11/03/2026', '11/12/2026', '11/16/2026', '11/09/2026'];
const OPEN_DATES = ['11/20/2026', '12/01/2026', '12/18/2026', '01/15/2027', '02/10/2027', '10/30/2026'];

/** One Salesforce row; a mix of won, lost and open deals over the previous, current and next quarter. */
function dealRow(prefix: string, index: number, owners: readonly string[]): Row {
  const kind = index % 5;
  const stage = ['Closed Won', 'Closed Lost', 'Negotiation/Review', 'Proposal/Price Quote', 'Closed Won'][kind]!;
  const probability = ['100', '0', '75', '50', '100'][kind]!;
  const closed = kind === 0 || kind === 1 || kind === 4;
  const closeDate = closed ? CLOSED_DATES[index % CLOSED_DATES.length]! : OPEN_DATES[index % OPEN_DATES.length]!;
  const amount = (2_000 + ((index * 1_337) % 23_000)).toLocaleString('en-US');
  return [
    `006${prefix}${String(index).padStart(5, '0')}`,
    `${prefix === 'E' ? 'EMEA' : 'Americas'} deal ${index}`,
    `Account ${index % 6}`,
    owners[index % owners.length]!,
    stage,
    `$${amount}.00`,
    'USD',
    probability,
    closeDate,
    `0${(index % 9) + 1}/0${(index % 7) + 1}/2026`,
  ];
}

const EMEA = Array.from({ length: 20 }, (_, index) => dealRow('E', index, ['Chloé Martin', 'Dmitri Volkov']));
const AMER = Array.from({ length: 20 }, (_, index) => dealRow('A', index, ['Ana García', 'Ben Okafor']));
/** The whole export as one file: the two regions interleaved, as a CRM sorts by something else. */
const WHOLE = EMEA.flatMap((row, index) => [row, AMER[index]!]);

function salesforceReport(rows: readonly Row[]): string {
  const body = rows.map((row) => row.map((cell) => `"${cell.replace(/"/g, '""')}"`).join(',')).join('\r\n');
  return `${HEADER}\r\n${body}\r\n\r\n"Grand Totals (${rows.length} records)"\r\n"Confidential Information - Do Not Distribute"\r\n`;
}

const idOf = (row: Row) => row[0]!;

/**
 * Every figure the reports show for the quarter and the week as of AS_OF: all
 * metrics of every entity and key account, and the past-due deals and
 * unmatched owners (deal provenance and read order left out: they are not figures).
 */
function figures(runs: readonly MetricsRun[]) {
  return runs.map(({ result }) => ({
    period: result.period.id,
    entities: result.entities,
    keyAccounts: result.keyAccounts,
    pastDue: result.pastDueDeals
      .map((due) => ({ id: due.deal.id, amount: due.deal.amount, repId: due.repId, daysPastDue: due.daysPastDue }))
      .sort((a, b) => a.id.localeCompare(b.id)),
    unmatchedOwners: [...result.unmatchedOwners].sort(),
  }));
}

async function currentFigures(stack: LocalStack) {
  return figures(await runMetrics(stack.runtime, AS_OF, ['quarter', 'week']));
}

async function withPeopleAndQuotas(config: RevperfConfigInput = TEST_CONFIG): Promise<LocalStack> {
  const stack = await startLocalStack(config);
  await stack.upload('uploads/people/people.csv', PEOPLE);
  await stack.upload('uploads/quotas/quotas.csv', QUOTAS);
  return stack;
}

const stacks: LocalStack[] = [];
async function newStack(config?: RevperfConfigInput): Promise<LocalStack> {
  const stack = await withPeopleAndQuotas(config);
  stacks.push(stack);
  return stack;
}

/** The figures of a fresh table holding exactly these uploads: the independent expectation. */
async function figuresOfFreshIngest(uploads: readonly [key: string, rows: readonly Row[]][]) {
  const fresh = await newStack();
  for (const [key, rows] of uploads) {
    await fresh.upload(key, salesforceReport(rows));
    expect((await fresh.report(key)).removedDeals, key).toBe(0);
  }
  return currentFigures(fresh);
}

/** Σ amount (cents) of won deals closing in FY2027 Q4 up to AS_OF, straight from the rows. */
function quarterRevenueOf(rows: readonly Row[]): number {
  return rows
    .filter((row) => row[4] === 'Closed Won')
    .filter((row) => {
      const [month, day, year] = row[8]!.split('/');
      const date = `${year}-${month}-${day}`;
      return date >= '2026-11-01' && date <= AS_OF;
    })
    .reduce((sum, row) => sum + Math.round(Number(row[5]!.replace(/[$,]/g, '')) * 100), 0);
}

async function notRemovedIds(stack: LocalStack): Promise<string[]> {
  return (await stack.dump('deal')).filter((deal) => !deal.removed).map((deal) => deal.id as string);
}

async function removedIds(stack: LocalStack): Promise<string[]> {
  return (await stack.dump('deal')).filter((deal) => deal.removed).map((deal) => deal.id as string);
}

/** Installs an ingest handler with a different config on the same table and bucket (the config a user edits). */
function reconfigureIngest(stack: LocalStack, ingest: RevperfConfigInput['ingest']): void {
  const config = parseConfig({ ...TEST_CONFIG, ingest });
  const handler = createIngestHandler({ ...stack.runtime, config });
  stack.aws.onObjectCreated('ingest', async (event) => {
    await handler(event);
  });
}

const EMEA_KEY = 'uploads/deals/emea/opportunities.csv';
const AMER_KEY = 'uploads/deals/amer/opportunities.csv';

describe('snapshot scope: folder under uploads/deals/ plus CRM', () => {
  afterEach(async () => {
    await Promise.all(stacks.splice(0).map((stack) => stack.stop()));
  });

  it('gives a split export exactly the figures of the whole one, and re-uploading one half changes nothing', async () => {
    const whole = await newStack();
    await whole.upload('uploads/deals/opportunities.csv', salesforceReport(WHOLE));
    const expected = await currentFigures(whole);
    // The test can fail: the figures are not empty, and the quarter's revenue is the rows' own.
    const company = expected[0]!.entities.find((entity) => entity.level === 'company')!;
    expect(company.revenue).toBe(quarterRevenueOf(WHOLE));
    expect(company.revenue).toBeGreaterThan(0);
    expect(company.openPipeline).toBeGreaterThan(0);

    const split = await newStack();
    await split.upload(EMEA_KEY, salesforceReport(EMEA));
    await split.upload(AMER_KEY, salesforceReport(AMER));
    for (const key of [EMEA_KEY, AMER_KEY]) {
      expect(await split.report(key), key).toMatchObject({ status: 'loaded', removedDeals: 0, counts: { accepted: 20 } });
    }
    expect(await removedIds(split)).toEqual([]);
    const scopes = new Map((await split.dump('deal')).map((deal) => [deal.id as string, deal.scope]));
    for (const row of EMEA) expect(scopes.get(idOf(row))).toBe('emea#salesforce');
    for (const row of AMER) expect(scopes.get(idOf(row))).toBe('amer#salesforce');
    expect(await currentFigures(split)).toEqual(expected);

    // The EMEA half again, as a new version of the same file, then under another name in its folder.
    await split.upload(EMEA_KEY, salesforceReport([...EMEA].reverse()));
    await split.upload('uploads/deals/emea/opportunities-again.csv', salesforceReport(EMEA));
    for (const key of [EMEA_KEY, 'uploads/deals/emea/opportunities-again.csv']) {
      expect(await split.report(key), key).toMatchObject({ status: 'loaded', removedDeals: 0 });
    }
    expect(await removedIds(split)).toEqual([]);
    expect(await currentFigures(split)).toEqual(expected);
  });

  it('removes exactly the deals deleted in the CRM from a re-export of their folder, and nothing of other folders', async () => {
    // Deleted in the CRM: a won deal of this quarter, a lost one, open ones now and next quarter, and a past-due one.
    const deleted = new Set(['006E00000', '006E00006', '006E00002', '006E00003', '006E00013', '006E00007']);
    const remaining = EMEA.filter((row) => !deleted.has(idOf(row)));
    expect(deleted.size * 2).toBeLessThan(EMEA.length);
    const expected = await figuresOfFreshIngest([
      [EMEA_KEY, remaining],
      [AMER_KEY, AMER],
    ]);

    const stack = await newStack();
    await stack.upload(EMEA_KEY, salesforceReport(EMEA));
    await stack.upload(AMER_KEY, salesforceReport(AMER));
    const before = await currentFigures(stack);
    expect(before).not.toEqual(expected); // the deleted deals did count

    // The CRM's next export of EMEA, under a new name in the same folder: it replaces the folder's snapshot.
    const reexportKey = 'uploads/deals/emea/opportunities-2026-11-16.csv';
    await stack.upload(reexportKey, salesforceReport(remaining));
    const report = await stack.report(reexportKey);
    expect(report).toMatchObject({ status: 'loaded', removedDeals: deleted.size });
    expect(report.findings).toContain(
      `${deleted.size} salesforce deal(s) of uploads/deals/emea/ missing from this full export were marked removed and stop counting (config ingest.mode = full)`,
    );
    expect((await removedIds(stack)).sort()).toEqual([...deleted].sort());
    expect(await currentFigures(stack)).toEqual(expected);
  });

  it('holds a full export that would remove more than half of its scope: nothing loaded, nothing removed, the report says how to confirm', async () => {
    const stack = await newStack();
    await stack.upload(EMEA_KEY, salesforceReport(EMEA));
    await stack.upload(AMER_KEY, salesforceReport(AMER));
    const dealsBefore = await stack.dump('deal');
    const figuresBefore = await currentFigures(stack);

    // A wrong file: 5 of the 20 EMEA deals (one with a changed amount), a new deal and a bad row.
    const changed = EMEA[1]!.map((cell, column) => (column === 5 ? '$99,999.00' : cell));
    const newDeal = dealRow('E', 90, ['Chloé Martin']);
    const badRow = dealRow('E', 91, ['Chloé Martin']).map((cell, column) => (column === 5 ? '12,3,4x' : cell));
    const wrong = [EMEA[0]!, changed, EMEA[2]!, EMEA[3]!, EMEA[4]!, newDeal, badRow];
    await stack.upload(EMEA_KEY, salesforceReport(wrong));

    const report = await stack.report(EMEA_KEY);
    expect(report.status).toBe('refused');
    expect(report.removedDeals).toBe(0);
    expect(report.counts).toEqual({ read: 7, accepted: 6, rejected: 1, skipped: 2, duplicates: 0 });
    expect(report.preset).toBe('salesforce');
    expect(report.refusal).toContain('this full export of uploads/deals/emea/ (salesforce) has 5 of the 20 deals stored for that scope');
    expect(report.refusal).toContain('loading it would mark 15 (75%) removed');
    expect(report.refusal).toContain('Nothing was loaded or removed');
    expect(report.refusal).toContain('set ingest.allowMassRemoval: true in revperf.config.json and upload the file again');
    expect(report.refusal).toContain('ingest.mode: "incremental"');
    // Held means held: the same items (no new deal, no changed amount, nothing removed) and the same figures.
    expect(await stack.dump('deal')).toEqual(dealsBefore);
    expect(await currentFigures(stack)).toEqual(figuresBefore);
    // The ledger is done, so a redelivered event does not run it again.
    expect(await stack.runtime.table.ingestLedgerEntry(stack.aws.bucketName, EMEA_KEY)).toMatchObject({ status: 'done', summary: { status: 'refused' } });
    const [again] = await stack.ingest(stack.aws.dispatchedEvents.at(-1)!.event);
    expect(again?.status).toBe('duplicate-event');
    expect(await stack.dump('deal')).toEqual(dealsBefore);

    // Confirmed: the same file, uploaded again with ingest.allowMassRemoval set, applies.
    const expected = await figuresOfFreshIngest([
      [EMEA_KEY, wrong],
      [AMER_KEY, AMER],
    ]);
    reconfigureIngest(stack, { allowMassRemoval: true });
    await stack.upload(EMEA_KEY, salesforceReport(wrong));
    const confirmed = await stack.report(EMEA_KEY);
    expect(confirmed).toMatchObject({ status: 'loaded-with-rejections', removedDeals: 15 });
    expect(confirmed.findings).toContain(
      '15 salesforce deal(s) of uploads/deals/emea/ missing from this full export were marked removed and stop counting ' +
        '(config ingest.mode = full; ingest.allowMassRemoval is on: no removal is held)',
    );
    expect((await removedIds(stack)).sort()).toEqual(EMEA.slice(5).map(idOf).sort());
    expect(await currentFigures(stack)).toEqual(expected);
  });

  it('in incremental mode the same wrong file only adds and updates', async () => {
    const stack = await newStack();
    await stack.upload(EMEA_KEY, salesforceReport(EMEA));
    await stack.upload(AMER_KEY, salesforceReport(AMER));
    const changed = EMEA[1]!.map((cell, column) => (column === 5 ? '$99,999.00' : cell));
    const newDeal = dealRow('E', 90, ['Chloé Martin']);
    const updates = [EMEA[0]!, changed, newDeal];
    const expected = await figuresOfFreshIngest([
      [EMEA_KEY, [...EMEA.map((row) => (idOf(row) === idOf(changed) ? changed : row)), newDeal]],
      [AMER_KEY, AMER],
    ]);

    reconfigureIngest(stack, { mode: 'incremental' });
    await stack.upload(EMEA_KEY, salesforceReport(updates));
    expect(await stack.report(EMEA_KEY)).toMatchObject({ status: 'loaded', removedDeals: 0 });
    expect(await removedIds(stack)).toEqual([]);
    expect((await notRemovedIds(stack)).length).toBe(41);
    expect(await currentFigures(stack)).toEqual(expected);
  });

  it('applies a re-export that removes exactly half of its scope (more than half is held)', async () => {
    const stack = await newStack();
    await stack.upload(EMEA_KEY, salesforceReport(EMEA));
    const half = EMEA.slice(0, 10);
    await stack.upload(EMEA_KEY, salesforceReport(half));
    expect(await stack.report(EMEA_KEY)).toMatchObject({ status: 'loaded', removedDeals: 10 });
    expect((await notRemovedIds(stack)).sort()).toEqual(half.map(idOf).sort());

    // 4 of those 10 left: 6 would go, more than half of the 10 now stored.
    await stack.upload(EMEA_KEY, salesforceReport(half.slice(0, 4)));
    expect(await stack.report(EMEA_KEY)).toMatchObject({ status: 'refused', removedDeals: 0 });
    expect((await stack.report(EMEA_KEY)).refusal).toContain('has 4 of the 10 deals stored for that scope: loading it would mark 6 (60%) removed');
    expect((await notRemovedIds(stack)).sort()).toEqual(half.map(idOf).sort());
  });

  it('moves a deal that appears in another folder’s export to that folder’s snapshot', async () => {
    const stack = await newStack();
    await stack.upload(EMEA_KEY, salesforceReport(EMEA));
    await stack.upload(AMER_KEY, salesforceReport(AMER));
    const moved = EMEA[7]!;
    // Reassigned to the Americas: the next AMER export has it, the next EMEA export no longer does.
    await stack.upload(AMER_KEY, salesforceReport([...AMER, moved]));
    await stack.upload(EMEA_KEY, salesforceReport(EMEA.filter((row) => row !== moved)));

    expect(await stack.report(AMER_KEY)).toMatchObject({ status: 'loaded', removedDeals: 0 });
    expect(await stack.report(EMEA_KEY)).toMatchObject({ status: 'loaded', removedDeals: 0 });
    const item = (await stack.dump('deal')).find((deal) => deal.id === idOf(moved))!;
    expect(item).toMatchObject({ removed: false, scope: 'amer#salesforce', uploadKey: AMER_KEY, gsi4pk: 'SCOPE#amer#salesforce' });
    expect(await removedIds(stack)).toEqual([]);
  });

  it('keeps each CRM of a folder its own snapshot, and nested folders their full path', async () => {
    const stack = await newStack();
    const hubspot = [
      'Record ID,Deal Name,Deal Stage,Close Date,Deal owner,Amount,Currency,Pipeline,Create Date,Associated Company',
      '310001,Platform Renewal,closedwon,2026-11-05,Chloé Martin,48500,USD,default,2026-09-20,Redwood Health',
      '310002,Analytics Rollout,appointmentscheduled,2026-12-03,Dmitri Volkov,23750,USD,default,2026-10-02,Summit Freight',
    ].join('\n');
    await stack.upload('uploads/deals/emea/uk/opportunities.csv', salesforceReport(EMEA.slice(0, 6)));
    await stack.upload('uploads/deals/emea/opportunities.csv', salesforceReport(EMEA.slice(6)));
    await stack.upload('uploads/deals/emea/hubspot-deals.csv', hubspot);
    for (const key of ['uploads/deals/emea/opportunities.csv', 'uploads/deals/emea/hubspot-deals.csv']) {
      expect(await stack.report(key), key).toMatchObject({ status: 'loaded', removedDeals: 0 });
    }
    const scopes = new Map<string, number>();
    for (const deal of await stack.dump('deal')) scopes.set(deal.scope as string, (scopes.get(deal.scope as string) ?? 0) + 1);
    expect(scopes).toEqual(new Map([['emea/uk#salesforce', 6], ['emea#salesforce', 14], ['emea#hubspot', 2]]));
    expect(await removedIds(stack)).toEqual([]);
  });

  it('checks a re-uploaded workbook before loading it, and leaves nothing in scratch', async () => {
    const fixtures = new URL('../fixtures/deals/', import.meta.url);
    const stack = await newStack(JSON.parse(await readFile(new URL('revperf.config.json', fixtures), 'utf-8')));
    const key = 'uploads/deals/emea/salesforce.xlsx';
    const workbook = await readFile(new URL('salesforce.xlsx', fixtures));
    await stack.upload(key, workbook);
    const first = await stack.dump('deal');
    expect(first.length).toBe(24);

    await stack.upload(key, workbook); // a second version: read twice (check, then load) from one spooled copy
    expect(await stack.report(key)).toMatchObject({ status: 'loaded', removedDeals: 0, counts: { accepted: 24 } });
    expect((await stack.dump('deal')).map(({ lastSeenIn: _run, ...deal }) => deal)).toEqual(first.map(({ lastSeenIn: _run, ...deal }) => deal));
    expect(await readdir(stack.scratchDir)).toEqual([]);
  });
});
