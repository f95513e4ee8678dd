// Delivery against the embedded AWS: the Monday tick mails each scope to its
// people through the embedded SES, exactly once; what SES faults and a killed
// worker leave behind converges on a retry without a second e-mail to anyone.
// The SES client is wrapped only to inject the faults the emulator cannot make.
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { MessageRejected, SendingPausedException, TooManyRequestsException, type SESv2Client } from '@aws-sdk/client-sesv2';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatchHandler } from '../../functions/dispatch/dispatch-handler.js';
import { createDeliverHandler, deliverDependencies } from '../../functions/deliver/deliver-handler.js';
import type { SendLedger } from '../../shared/adapters/send-ledger.js';
import { SesMailer } from '../../shared/adapters/ses-mailer.js';
import { DELIVERY_METRICS, type DeliveryJob } from '../../shared/delivery/delivery-job.js';
import { RecordingMetrics } from '../../shared/delivery/delivery-metrics.js';
import { deliverJob, DeliveryIncompleteError, type DeliverDependencies } from '../../shared/delivery/deliver-report.js';
import { prepareReports } from '../../shared/reports/report-run.js';
import { startLocalStack, TEST_CONFIG, type LocalStack } from './harness.js';

const PEOPLE = [
  'Name,Email,Team,Manager,Region',
  'Hana Head,hana@northwind.example,,,',
  'Mo Manager,mo@northwind.example,West,Hana Head,Americas',
  'Ana Peña,ana@northwind.example,West,Mo Manager,Americas',
  'Ben Ito,ben@northwind.example,West,Mo Manager,Americas',
  // Paris is managed from an outside domain: refused, never mailed.
  'Pierre Dehors,pierre@gmail.example,Paris,Hana Head,EMEA',
  'Chloé Durand,chloe@northwind.example,Paris,Pierre Dehors,EMEA',
].join('\n');
const QUOTAS = ['Rep Email,Period,Quota,Currency', 'ana@northwind.example,FY2027-Q1,"$120,000",USD', 'ben@northwind.example,FY2027-Q1,"$90,000",USD'].join('\n');
const DEALS = [
  'Deal ID,Deal Name,Account,Owner,Stage,Amount,Close Date,Created Date',
  'D1,Ana one,Contoso,ana@northwind.example,Closed Won,30000,2026-02-20,2026-01-05',
  'D2,Ben one,Globex,Ben Ito,Closed Won,12000,2026-03-10,2026-02-01',
  'D3,Chloé next,Umbrella,chloe@northwind.example,Proposal/Price Quote,25000,2026-03-20,',
].join('\n');
const LEADERSHIP = ['vp.sales@northwind.example', 'cfo@northwind.example'];

interface StoredEmail {
  destination: { to: string[] };
  subject: string;
  attachments: { filename?: string; content: string }[];
}

/** An SES client that fails the next sends to an address with the given errors, then sends for real. */
function faultySes(real: SESv2Client, faults: Map<string, Error[]>): SESv2Client {
  return {
    send: async (command: { input: { Destination?: { ToAddresses?: string[] } } }) => {
      const to = command.input.Destination?.ToAddresses?.[0] ?? '';
      const next = faults.get(to)?.shift();
      if (next) throw next;
      return real.send(command as never);
    },
  } as unknown as SESv2Client;
}

const throttle = () => new TooManyRequestsException({ message: 'Maximum sending rate exceeded.', $metadata: { httpStatusCode: 429 } });
const rejected = () => new MessageRejected({ message: 'Email address is not verified.', $metadata: { httpStatusCode: 400 } });

describe('delivery', () => {
  let stack: LocalStack;
  const sesStore = async () => ((await (await fetch(`${stack.aws.sesUrl}/store`)).json()) as { emails: StoredEmail[] }).emails;
  const sentTo = async (address: string) => (await sesStore()).filter((email) => email.destination.to.some((to) => to.includes(address)));
  const objectBytes = async (key: string) =>
    Buffer.from(await (await stack.aws.clients.s3.send(new GetObjectCommand({ Bucket: stack.aws.bucketName, Key: key }))).Body!.transformToByteArray());

  /** The deliver worker's dependencies with a faulty SES (no backoff waits) and its own metrics. */
  function depsWith(faults: Map<string, Error[]>, overrides: Partial<Omit<DeliverDependencies, 'metrics'>> = {}): DeliverDependencies & { metrics: RecordingMetrics } {
    const mailer = new SesMailer(faultySes(stack.aws.clients.ses, faults), { attempts: 4, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => undefined, random: () => 0 });
    return { ...deliverDependencies(stack.runtime), mailer, metrics: new RecordingMetrics(), ...overrides };
  }

  /** The jobs a day's reports would queue (prepared and stored like the dispatch does). */
  async function jobsFor(asOf: string, kind: DeliveryJob['kind']): Promise<DeliveryJob[]> {
    const prepared = await prepareReports(stack.runtime, asOf, { kinds: [kind] });
    return prepared.scopes.map((scope) => ({ ...scope, asOf, dispatchedOn: asOf, late: false }));
  }

  beforeAll(async () => {
    stack = await startLocalStack({ ...TEST_CONFIG, schedule: { quarterClosePackBusinessDaysAfter: 2 }, mail: { ...TEST_CONFIG.mail, leadership: LEADERSHIP } });
    await stack.upload('uploads/people/people.csv', PEOPLE);
    await stack.upload('uploads/quotas/quotas.csv', QUOTAS);
    await stack.upload('uploads/deals/deals.csv', DEALS);
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('the Monday tick mails the organisation to leadership and each team to its managers, once; an outside manager is refused and recorded', async () => {
    const dispatch = createDispatchHandler(stack.runtime);
    const first = await dispatch({ asOf: '2026-03-16' });
    expect(first.queued).toEqual([{ report: 'weekly-scorecard', period: '2026-W12', dueOn: '2026-03-16', late: false, jobs: 3 }]);
    expect(stack.delivery.failures).toEqual([]);

    const emails = await sesStore();
    expect(emails.map((email) => email.destination.to.join()).sort()).toEqual([
      '"Mo Manager" <mo@northwind.example>',
      'cfo@northwind.example',
      'vp.sales@northwind.example',
    ]);
    // What SES received parses as MIME and carries the stored workbook byte for byte.
    for (const outcome of stack.delivery.outcomes) {
      for (const message of outcome.messages) {
        const parsed = await simpleParser(message.raw);
        const workbook = parsed.attachments.find((attachment) => attachment.filename?.endsWith('.xlsx'));
        expect(Buffer.compare(workbook!.content, await objectBytes(outcome.report.keys.xlsx!))).toBe(0);
        expect(message.raw.toString('latin1')).toContain('src=3D"cid:attainment-chart@revperf"');
        expect(parsed.attachments.some((attachment) => attachment.contentId !== undefined && attachment.contentType === 'image/png')).toBe(true);
      }
    }
    for (const email of emails) expect(email.attachments.some((attachment) => attachment.filename?.includes('weekly-scorecard 2026-W12'))).toBe(true);

    const paris = stack.delivery.outcomes.find((outcome) => outcome.run.scopeId === 'team-paris')!.run;
    expect(paris.sent).toEqual([]);
    expect(paris.refused).toEqual([{ address: 'pierre@gmail.example', name: 'Pierre Dehors', reason: 'domain gmail.example is not in mail.allowedDomains' }]);
    const ledger = await stack.runtime.ledger.sends('2026-W12');
    expect(ledger.map((record) => [record.scopeId, record.address, record.status]).sort()).toEqual([
      ['organisation', 'cfo@northwind.example', 'sent'],
      ['organisation', 'vp.sales@northwind.example', 'sent'],
      ['team-paris', 'pierre@gmail.example', 'refused'],
      ['team-west', 'mo@northwind.example', 'sent'],
    ]);
    expect((stack.runtime.metrics as RecordingMetrics).counts.get(DELIVERY_METRICS.refused)).toBe(1);
    // The run record lies beside the report too.
    expect(JSON.parse((await objectBytes('reports/weekly-scorecard/2026-W12/team-paris.run.json')).toString()).refused).toHaveLength(1);

    // The same tick again (a scheduler retry): nothing queued, nothing sent.
    const again = await dispatch({ asOf: '2026-03-16' });
    expect(again.queued).toEqual([]);
    expect(again.alreadyQueued).toBe(1);
    expect(await sesStore()).toHaveLength(3);
  });

  it('a job delivered twice (SQS delivers at least once) mails nobody twice', async () => {
    const [organisation] = (await jobsFor('2026-03-16', 'weekly-scorecard')).filter((job) => job.scope.level === 'company');
    const outcome = await deliverJob(depsWith(new Map()), organisation!);
    expect(outcome.run.sent).toEqual([]);
    expect(outcome.run.alreadySent.sort()).toEqual(LEADERSHIP.slice().sort());
    expect(await sentTo('vp.sales@northwind.example')).toHaveLength(1);
  });

  it('SES throttling then success sends once; a permanent rejection is recorded and counted, and the others still go', async () => {
    const jobs = await jobsFor('2026-03-17', 'pre-review-pack');
    const organisation = jobs.find((job) => job.scope.level === 'company')!;
    const faults = new Map([
      ['vp.sales@northwind.example', [throttle(), throttle()]],
      ['cfo@northwind.example', [rejected()]],
    ]);
    const deps = depsWith(faults);
    const outcome = await deliverJob(deps, organisation);
    expect(outcome.run.sent.map((sent) => sent.address)).toEqual(['vp.sales@northwind.example']);
    expect(outcome.run.failed).toEqual([{ address: 'cfo@northwind.example', reason: expect.stringContaining('MessageRejected'), permanent: true }]);
    expect(deps.metrics.counts.get(DELIVERY_METRICS.failed)).toBe(1);
    const ledger = await stack.runtime.ledger.sends(organisation.periodId);
    expect(ledger.find((record) => record.address === 'cfo@northwind.example')).toMatchObject({ status: 'failed', permanent: true });
    expect(ledger.find((record) => record.address === 'vp.sales@northwind.example' && record.kind === 'pre-review-pack')).toMatchObject({ status: 'sent', attempts: 1 });

    // A retry neither re-sends the sent one nor retries the permanent rejection.
    const retry = await deliverJob(depsWith(new Map()), organisation);
    expect(retry.run.sent).toEqual([]);
    expect(retry.run.failed.map((failure) => failure.address)).toEqual(['cfo@northwind.example']);
    const packs = (await sesStore()).filter((email) => email.subject.includes('Pre-review pack'));
    expect(packs.map((email) => email.destination.to.join())).toEqual(['vp.sales@northwind.example']);
  });

  it('a send still failing after the backoff fails the job; the retry sends only that one', async () => {
    const team = (await jobsFor('2026-03-23', 'weekly-scorecard')).find((job) => job.scope.level === 'company')!;
    const faults = new Map([['cfo@northwind.example', [throttle(), throttle(), throttle(), throttle()]]]);
    await expect(deliverJob(depsWith(faults), team)).rejects.toBeInstanceOf(DeliveryIncompleteError);
    expect(await stack.runtime.ledger.record({ kind: team.kind, periodId: team.periodId, scopeId: 'organisation', address: 'cfo@northwind.example' })).toMatchObject({
      status: 'failed',
      permanent: false,
    });
    const retry = await deliverJob(depsWith(new Map()), team);
    expect(retry.run.sent.map((sent) => sent.address)).toEqual(['cfo@northwind.example']);
    expect(retry.run.alreadySent).toEqual(['vp.sales@northwind.example']);
    const week13 = (await sesStore()).filter((email) => email.subject.includes('week') && email.attachments.some((a) => a.filename?.includes('2026-W13')));
    expect(week13.map((email) => email.destination.to.join()).sort()).toEqual(['cfo@northwind.example', 'vp.sales@northwind.example']);
  });

  it('an account-level refusal (sending paused) fails the job instead of failing everyone for good; the redrive sends', async () => {
    const job = (await jobsFor('2026-04-20', 'weekly-scorecard')).find((candidate) => candidate.scope.level === 'company')!;
    const paused = () => new SendingPausedException({ message: 'Sending is paused for this account.', $metadata: { httpStatusCode: 400 } });
    const faults = new Map(LEADERSHIP.map((address) => [address, [paused()]]));
    await expect(deliverJob(depsWith(faults), job)).rejects.toBeInstanceOf(DeliveryIncompleteError);
    const ledger = (await stack.runtime.ledger.sends(job.periodId)).filter((record) => record.scopeId === 'organisation');
    expect(ledger.map((record) => [record.status, record.permanent])).toEqual([
      ['failed', false],
      ['failed', false],
    ]);
    const redrive = await deliverJob(depsWith(new Map()), job);
    expect(redrive.run.sent.map((sent) => sent.address).sort()).toEqual(LEADERSHIP.slice().sort());
  });

  it('a worker killed after k of n sends, retried, mails each recipient exactly once', async () => {
    const job = (await jobsFor('2026-03-30', 'weekly-scorecard')).find((candidate) => candidate.scope.level === 'company')!;
    const real = stack.runtime.ledger;
    let claims = 0;
    // Dies when it reaches the second recipient (after the first was sent and recorded).
    const dying = Object.assign(Object.create(Object.getPrototypeOf(real) as object) as SendLedger, real, {
      claim: async (...args: Parameters<SendLedger['claim']>) => {
        claims += 1;
        if (claims === 2) throw new Error('Lambda timed out');
        return real.claim(...args);
      },
    });
    await expect(deliverJob(depsWith(new Map(), { ledger: dying }), job)).rejects.toThrow('Lambda timed out');
    const retry = await deliverJob(depsWith(new Map()), job);
    expect(retry.run.sent).toHaveLength(1);
    expect(retry.run.alreadySent).toHaveLength(1);
    const week14 = (await sesStore()).filter((email) => email.attachments.some((a) => a.filename?.includes('2026-W14')));
    expect(week14.map((email) => email.destination.to.join()).sort()).toEqual(['cfo@northwind.example', 'vp.sales@northwind.example']);
  });

  it('a claim whose attempt died mid-send is not re-sent blindly: it is failed, named and alarmed', async () => {
    const job = (await jobsFor('2026-04-06', 'weekly-scorecard')).find((candidate) => candidate.scope.level === 'company')!;
    const key = { kind: job.kind, periodId: job.periodId, scopeId: 'organisation', address: 'cfo@northwind.example' };
    // Claimed an hour ago by an attempt that never recorded the outcome.
    await stack.runtime.ledger.claim(key, { name: '', asOf: job.asOf, late: false }, new Date(Date.now() - 60 * 60 * 1000));
    const outcomeCountBefore = (await sentTo('cfo@northwind.example')).length;
    const deps = depsWith(new Map());
    const outcome = await deliverJob(deps, job);
    expect(outcome.run.sent.map((sent) => sent.address)).toEqual(['vp.sales@northwind.example']);
    expect(outcome.run.failed).toEqual([{ address: 'cfo@northwind.example', reason: expect.stringContaining('may not have gone out'), permanent: true }]);
    expect(deps.metrics.counts.get(DELIVERY_METRICS.failed)).toBe(1);
    expect(await stack.runtime.ledger.record(key)).toMatchObject({ status: 'failed', permanent: true, reason: expect.stringContaining('may not have gone out') });
    // Run again: still listed, not counted (and alarmed) a second time, still not sent.
    const again = depsWith(new Map());
    expect((await deliverJob(again, job)).run.failed.map((failure) => failure.address)).toEqual(['cfo@northwind.example']);
    expect(again.metrics.counts.get(DELIVERY_METRICS.failed)).toBeUndefined();
    expect(await sentTo('cfo@northwind.example')).toHaveLength(outcomeCountBefore);
  });

  it('a workbook above mail.maxAttachmentBytes goes as a link, with its expiry, that downloads the same bytes', async () => {
    const job = (await jobsFor('2026-04-13', 'weekly-scorecard')).find((candidate) => candidate.scope.level === 'company')!;
    const config = { ...stack.config, mail: { ...stack.config.mail, maxAttachmentBytes: 1024, linkExpiryHours: 24 } };
    const outcome = await deliverJob(depsWith(new Map(), { config }), job);
    expect(outcome.run.linked).toBe(true);
    const parsed = await simpleParser(outcome.messages[0]!.raw);
    expect(parsed.attachments.some((attachment) => attachment.filename?.endsWith('.xlsx'))).toBe(false);
    expect(parsed.text).toMatch(/too large to attach\. Download it until \d{4}-\d\d-\d\d \d\d:\d\d \(America\/New_York\)/);
    const url = /https?:\/\/\S+X-Amz-Expires=86400\S*/.exec(parsed.text ?? '')?.[0];
    expect(url).toBeDefined();
    const downloaded = Buffer.from(await (await fetch(url!)).arrayBuffer());
    expect(Buffer.compare(downloaded, await objectBytes(outcome.report.keys.xlsx!))).toBe(0);
  });

  it("sends the quarter-close pack two business days after the quarter, with the closed quarter's figures, and leaves the pipeline history alone", async () => {
    // FY2027-Q1 ends Thursday 30 April 2026; the second business day after is Monday 4 May (also a scorecard day).
    const dispatch = createDispatchHandler(stack.runtime);
    const tick = await dispatch({ asOf: '2026-05-04' });
    expect(tick.queued).toEqual(
      expect.arrayContaining([
        { report: 'weekly-scorecard', period: '2026-W19', dueOn: '2026-05-04', late: false, jobs: 3 },
        { report: 'quarter-close-pack', period: 'FY2027-Q1', dueOn: '2026-05-04', late: false, jobs: 3 },
      ]),
    );
    const close = stack.delivery.outcomes.filter((outcome) => outcome.run.kind === 'quarter-close-pack');
    expect(close.map((outcome) => outcome.run.asOf)).toEqual(['2026-04-30', '2026-04-30', '2026-04-30']);
    const subjects = (await sesStore()).filter((email) => email.subject.startsWith('Quarter-close pack')).map((email) => email.subject);
    expect(subjects.sort()).toEqual([
      'Quarter-close pack · Northwind Cloud · FY2027-Q1 · final figures as of Thu 30 Apr',
      'Quarter-close pack · Northwind Cloud · FY2027-Q1 · final figures as of Thu 30 Apr',
      'Quarter-close pack · Team West · FY2027-Q1 · final figures as of Thu 30 Apr',
    ]);
    // Today's open pipeline was not stored as 30 April's: the last snapshot before May is an earlier run's.
    expect((await stack.runtime.table.latestPipelineSnapshotBefore('2026-05-01'))?.asOf).toBe('2026-04-20');
  });

  // The same promises end to end through the deliver worker (functions/deliver): the job arrives as an SQS
  // message, a failure comes back as a batch item failure, and SQS redelivers the same message.
  describe('through the deliver worker (SQS message in, batch item failures out)', () => {
    const companyJob = async (asOf: string) => (await jobsFor(asOf, 'weekly-scorecard')).find((candidate) => candidate.scope.level === 'company')!;
    const message = (job: DeliveryJob, messageId: string) => ({ Records: [{ messageId, body: JSON.stringify(job) }] });
    /** A worker like the deployed one: the runtime's ledger and table, SES wrapped to inject faults, its own metrics. */
    const worker = (faults: Map<string, Error[]>, ledger: SendLedger = stack.runtime.ledger) => {
      const metrics = new RecordingMetrics();
      const mailer = new SesMailer(faultySes(stack.aws.clients.ses, faults), { attempts: 4, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => undefined, random: () => 0 });
      return { handler: createDeliverHandler({ ...stack.runtime, mailer, metrics, ledger }), metrics };
    };
    const weekMail = async (week: string) =>
      (await sesStore()).filter((email) => email.attachments.some((a) => a.filename?.includes(week))).map((email) => email.destination.to.join()).sort();

    it('SES throttling then success: the worker delivers each recipient exactly once, and the message is not retried', async () => {
      const job = await companyJob('2026-05-11');
      const { handler, metrics } = worker(new Map([
        ['vp.sales@northwind.example', [throttle(), throttle(), throttle()]],
        ['cfo@northwind.example', [throttle()]],
      ]));
      expect(await handler(message(job, 'w20'))).toEqual({ batchItemFailures: [] });
      expect(await weekMail('2026-W20')).toEqual(['cfo@northwind.example', 'vp.sales@northwind.example']);
      expect(metrics.counts.get(DELIVERY_METRICS.sent)).toBe(2);
      expect(metrics.counts.get(DELIVERY_METRICS.failed)).toBeUndefined();
      const ledger = (await stack.runtime.ledger.sends('2026-W20')).filter((record) => record.scopeId === 'organisation');
      expect(ledger.map((record) => [record.address, record.status, typeof record.messageId]).sort()).toEqual([
        ['cfo@northwind.example', 'sent', 'string'],
        ['vp.sales@northwind.example', 'sent', 'string'],
      ]);
      // SQS delivering the message again (at least once) mails nobody twice.
      expect(await worker(new Map()).handler(message(job, 'w20-again'))).toEqual({ batchItemFailures: [] });
      expect(await weekMail('2026-W20')).toEqual(['cfo@northwind.example', 'vp.sales@northwind.example']);
    });

    it('the report run killed after sending to some recipients, redelivered by SQS: each recipient gets exactly one e-mail', async () => {
      const job = await companyJob('2026-05-18');
      const real = stack.runtime.ledger;
      let claims = 0;
      // The worker dies on reaching the second recipient: the first was sent and recorded.
      const dying = Object.assign(Object.create(Object.getPrototypeOf(real) as object) as SendLedger, real, {
        claim: async (...args: Parameters<SendLedger['claim']>) => {
          claims += 1;
          if (claims === 2) throw new Error('Task timed out after 900.00 seconds');
          return real.claim(...args);
        },
      });
      const killed = worker(new Map(), dying);
      expect(await killed.handler(message(job, 'w21'))).toEqual({ batchItemFailures: [{ itemIdentifier: 'w21' }] });
      expect(await weekMail('2026-W21')).toHaveLength(1);
      // SQS makes the message visible again; a fresh worker takes it.
      const fresh = worker(new Map());
      expect(await fresh.handler(message(job, 'w21'))).toEqual({ batchItemFailures: [] });
      expect(await weekMail('2026-W21')).toEqual(['cfo@northwind.example', 'vp.sales@northwind.example']);
      expect(fresh.metrics.counts.get(DELIVERY_METRICS.sent)).toBe(1);
      const [run] = (await stack.runtime.ledger.runs('2026-W21')).filter((record) => record.scopeId === 'organisation');
      expect([run!.sent.length, run!.alreadySent.length, run!.failed.length]).toEqual([1, 1, 0]);
    });

    it('SES permanently rejects one recipient: the ledger records it, the failed-sends alarm metric is emitted, the other is delivered and the message is not retried', async () => {
      const job = await companyJob('2026-05-25');
      const { handler, metrics } = worker(new Map([['cfo@northwind.example', [rejected()]]]));
      expect(await handler(message(job, 'w22'))).toEqual({ batchItemFailures: [] });
      expect(await weekMail('2026-W22')).toEqual(['vp.sales@northwind.example']);
      expect(metrics.counts.get(DELIVERY_METRICS.failed)).toBe(1);
      expect(await stack.runtime.ledger.record({ kind: job.kind, periodId: job.periodId, scopeId: 'organisation', address: 'cfo@northwind.example' })).toMatchObject({
        status: 'failed',
        permanent: true,
        reason: expect.stringContaining('MessageRejected'),
      });
    });
  });
});
