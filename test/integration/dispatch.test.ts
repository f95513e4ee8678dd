// The daily dispatcher on the embedded AWS: metrics as of the scheduled day,
// snapshots of what was reported, and next week's comparison against that
// snapshot (not against a recomputation), with the pipeline movement balanced.
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDispatchHandler } from '../../functions/dispatch/dispatch-handler.js';
import { runMetrics } from '../../shared/reports/metrics-run.js';
import { silentLogger } from '../../local/silent-logger.js';
import { startLocalStack, type LocalStack } from './harness.js';

const PEOPLE = [
  'Name,Email,Team,Region,Role',
  'Ana García,ana.garcia@northwind.example,Enterprise,Americas,rep',
  'Ben Okafor,ben.okafor@northwind.example,Enterprise,Americas,rep',
  'Chloé Martin,chloe.martin@northwind.example,EMEA Core,EMEA,rep',
].join('\n');

const QUOTAS = ['Rep,Period,Quota', 'ana.garcia@northwind.example,FY2027-Q4,"$100,000"', 'ben.okafor@northwind.example,FY2027-Q4,"$80,000"', 'chloe.martin@northwind.example,FY2027-Q4,"$50,000"'].join('\n');

const HEADER = 'Opportunity ID,Opportunity Name,Account Name,Opportunity Owner,Stage,Amount,Opportunity Currency,Close Date,Created Date';

/** Week 1 (as of Mon 2026-11-16): two wins, four open deals. */
const WEEK_ONE = [
  'W1,Win one,Contoso,Ana García,Closed Won,"$20,000.00",USD,11/03/2026,09/01/2026',
  'W2,Win two,Fabrikam,Chloé Martin,Closed Won,"$5,000.00",USD,11/10/2026,09/15/2026',
  'O1,Open stays,Contoso,Ana García,Negotiation/Review,"$30,000.00",USD,12/15/2026,10/01/2026',
  'O2,Open will win,Tailspin,Ben Okafor,Proposal/Price Quote,"$12,000.00",USD,12/01/2026,10/05/2026',
  'O3,Open will slip,Contoso,Ben Okafor,Negotiation/Review,"$9,000.00",USD,01/20/2027,10/07/2026',
  'O4,Open will grow,Fabrikam,Chloé Martin,Qualification,"$4,000.00",USD,01/10/2027,10/09/2026',
];

/** Week 2 (as of Mon 2026-11-23): O2 won, O3 pushed into next quarter, O4 grew, N1 created. */
const WEEK_TWO = [
  WEEK_ONE[0]!,
  WEEK_ONE[1]!,
  WEEK_ONE[2]!,
  'O2,Open will win,Tailspin,Ben Okafor,Closed Won,"$12,000.00",USD,11/20/2026,10/05/2026',
  'O3,Open will slip,Contoso,Ben Okafor,Negotiation/Review,"$9,000.00",USD,02/20/2027,10/07/2026',
  'O4,Open will grow,Fabrikam,Chloé Martin,Qualification,"$6,500.00",USD,01/10/2027,10/09/2026',
  'N1,New this week,Initech,Ana García,Prospecting,"$3,000.00",USD,01/25/2027,11/18/2026',
];

describe('dispatch', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack();
    await stack.upload('uploads/people/people.csv', PEOPLE);
    await stack.upload('uploads/quotas/quotas.csv', QUOTAS);
    await stack.upload('uploads/deals/opportunities.csv', [HEADER, ...WEEK_ONE].join('\n'));
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('computes the quarter and week as of the scheduled day and writes the metrics export', async () => {
    const dispatch = createDispatchHandler(stack.runtime);
    // 07:00 in New York on Monday 16 November is 12:00 UTC.
    const result = await dispatch({ scheduledTime: '2026-11-16T12:00:00Z' });
    expect(result.asOf).toBe('2026-11-16');
    expect(result.runs.map((run) => run.period)).toEqual(['FY2027-Q4', '2026-W47']);

    const exported = await stack.aws.clients.s3.send(new GetObjectCommand({ Bucket: stack.aws.bucketName, Key: 'metrics/FY2027-Q4/2026-11-16.json' }));
    const document = JSON.parse(await exported.Body!.transformToString()) as { entities: { level: string; id: string; revenue: number; quota: number | null; openPipeline: number }[] };
    const company = document.entities.find((entity) => entity.level === 'company')!;
    expect(company).toMatchObject({ revenue: 2_500_000, quota: 23_000_000, openPipeline: 5_500_000 });
    const ana = document.entities.find((entity) => entity.level === 'rep' && entity.id === 'ana.garcia@northwind.example')!;
    expect(ana).toMatchObject({ revenue: 2_000_000, quota: 10_000_000, openPipeline: 3_000_000 });
  });

  it('compares next week with the snapshot it reported, and explains the pipeline movement to the cent', async () => {
    await stack.upload('uploads/deals/opportunities.csv', [HEADER, ...WEEK_TWO].join('\n'));
    const [quarter] = await runMetrics(stack.runtime, '2026-11-23', ['quarter']);

    expect(quarter!.previousSnapshot?.asOf).toBe('2026-11-16');
    const before = quarter!.previousSnapshot!.entities.find((entity) => entity.level === 'company')!;
    const now = quarter!.result.entities.find((entity) => entity.level === 'company')!;
    expect(before.revenue).toBe(2_500_000);
    expect(now.revenue).toBe(3_700_000);

    const movement = quarter!.movement!;
    const company = movement.entities.find((entity) => entity.level === 'company')!;
    // Opening: O1 30k + O2 12k + O3 9k + O4 4k = 55k. O2 won (12k), O3 pushed into next quarter (9k),
    // O4 grew by 2.5k, N1 is new (3k). Closing: O1 30k + O4 6.5k + N1 3k = 39.5k.
    expect(company).toMatchObject({ opening: 5_500_000, new: 300_000, increased: 250_000, pushedOut: 900_000, won: 1_200_000, closing: 3_950_000 });
    // 55k + 3k + 2.5k − 9k − 12k = 39.5k, by hand; and every entity balances term by term (signs written out here).
    expect(5_500_000 + 300_000 + 250_000 - 900_000 - 1_200_000).toBe(company.closing);
    for (const e of movement.entities) {
      const fromTerms =
        e.opening + e.new + e.pulledIn + e.increased + e.transferredIn - e.pushedOut - e.decreased - e.won - e.lost - e.removed - e.transferredOut;
      expect(fromTerms, `${e.level} ${e.id}`).toBe(e.closing);
    }
  });
});

describe('dispatch: the asOf override (an operator re-run)', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack();
    await stack.upload('uploads/people/people.csv', PEOPLE);
    await stack.upload('uploads/quotas/quotas.csv', QUOTAS);
    await stack.upload('uploads/deals/opportunities.csv', [HEADER, ...WEEK_ONE].join('\n'));
  });
  afterAll(async () => {
    await stack.stop();
  });

  async function metricsKeys(): Promise<string[]> {
    const listing = await stack.aws.clients.s3.send(new ListObjectsV2Command({ Bucket: stack.aws.bucketName, Prefix: 'metrics/' }));
    return (listing.Contents ?? []).map((object) => object.Key!).sort();
  }

  it('refuses an asOf that is not a real YYYY-MM-DD date, and computes and writes nothing', async () => {
    const logger = silentLogger();
    const errors = vi.spyOn(logger, 'error');
    const dispatch = createDispatchHandler({ ...stack.runtime, logger });
    for (const asOf of ['2026-02-30', '16/11/2026', 'next monday', '2026-11-16T00:00:00Z']) {
      await expect(dispatch({ asOf, scheduledTime: '2026-11-16T12:00:00Z' })).rejects.toThrow(`dispatch: asOf must be a date YYYY-MM-DD, got ${JSON.stringify(asOf)}`);
    }
    expect(await metricsKeys()).toEqual([]);
    expect(stack.delivery.outcomes).toEqual([]);
    expect(errors).not.toHaveBeenCalled();
  });

  it('reports on the asOf it is given, not the scheduled day', async () => {
    const dispatch = createDispatchHandler(stack.runtime);
    // Scheduled for Monday 16 November (the scorecard day); the operator re-runs Wednesday the 18th.
    const result = await dispatch({ asOf: '2026-11-18', scheduledTime: '2026-11-16T12:00:00Z' });
    expect(result.asOf).toBe('2026-11-18');
    expect(result.queued).toEqual([]); // a Wednesday, and the first tick catches nothing up: no scorecard
    expect(await metricsKeys()).toEqual(['metrics/2026-W47/2026-11-18.json', 'metrics/FY2027-Q4/2026-11-18.json']);
  });

  it('logs a failure inside the day with its asOf and rethrows it, so the scheduler retries', async () => {
    const logger = silentLogger();
    const errors = vi.spyOn(logger, 'error');
    const down = { send: async () => Promise.reject(new Error('DynamoDB is down')) } as unknown as DynamoDBDocumentClient;
    const dispatch = createDispatchHandler({ ...stack.runtimeWith(down), logger });
    await expect(dispatch({ asOf: '2026-11-19' })).rejects.toThrow('DynamoDB is down');
    expect(errors).toHaveBeenCalledWith('dispatch failed; the scheduler will retry', expect.objectContaining({ asOf: '2026-11-19' }));
    expect((await metricsKeys()).filter((key) => key.includes('2026-11-19'))).toEqual([]);
  });
});
