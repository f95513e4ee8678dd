// The operator's commands on a fresh embedded AWS with a tiny organisation:
// report --dry-run sends nothing and touches nothing; report delivers once
// (a second report sends nothing new); resend mails one more message and the
// ledger records it as a resend; an address off the allowlist is refused with
// exit 2; sent lists every recipient with its status.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../local/cli.js';
import { reportCommand, resendCommand, sentCommand } from '../../local/operator-commands.js';
import { TEST_CONFIG, startLocalStack, type LocalStack } from './harness.js';

const PEOPLE = [
  'Name,Email,Team,Region,Role,Manager',
  'Mia Manager,mia.manager@northwind.example,Enterprise,Americas,manager,',
  'Ana García,ana.garcia@northwind.example,Enterprise,Americas,rep,mia.manager@northwind.example',
  'Ben Okafor,ben.okafor@northwind.example,Enterprise,Americas,rep,mia.manager@northwind.example',
  'Eve Outside,eve@partner.example,EMEA Core,EMEA,manager,',
  'Chloé Martin,chloe.martin@northwind.example,EMEA Core,EMEA,rep,eve@partner.example',
].join('\n');

const QUOTAS = ['Rep,Period,Quota', 'ana.garcia@northwind.example,FY2027-Q4,"$100,000"', 'ben.okafor@northwind.example,FY2027-Q4,"$80,000"', 'chloe.martin@northwind.example,FY2027-Q4,"$50,000"'].join('\n');

const DEALS = [
  'Opportunity ID,Opportunity Name,Account Name,Opportunity Owner,Stage,Amount,Opportunity Currency,Close Date,Created Date',
  'W1,Win one,Contoso,Ana García,Closed Won,"$20,000.00",USD,11/03/2026,09/01/2026',
  'W2,Win two,Fabrikam,Chloé Martin,Closed Won,"$5,000.00",USD,11/10/2026,09/15/2026',
  'O1,Open,Contoso,Ben Okafor,Negotiation/Review,"$30,000.00",USD,12/15/2026,10/01/2026',
].join('\n');

const CONFIG = { ...TEST_CONFIG, mail: { ...TEST_CONFIG.mail, leadership: ['ceo@northwind.example'] } };

interface StoredEmail {
  messageId: string;
  subject: string;
  destination: { to: string[] } | undefined;
  to?: string;
}

describe('operator commands', () => {
  let stack: LocalStack;
  const emails = async () => ((await (await fetch(`${stack.aws.sesUrl}/store`)).json()) as { emails: StoredEmail[] }).emails;
  const capture = () => {
    const lines: string[] = [];
    return { lines, print: (line: string) => lines.push(line), text: () => lines.join('\n') };
  };

  beforeAll(async () => {
    stack = await startLocalStack(CONFIG);
    await stack.upload('uploads/people/people.csv', PEOPLE);
    await stack.upload('uploads/quotas/quotas.csv', QUOTAS);
    await stack.upload('uploads/deals/opportunities.csv', DEALS);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('report --dry-run lists each scope’s recipients and sends, stores and records nothing', async () => {
    const out = capture();
    const result = await reportCommand(stack.runtime, { kind: 'weekly-scorecard', asOf: '2026-11-16', dryRun: true }, out.print);
    expect(result.exitCode).toBe(0);
    const text = out.text();
    expect(text).toContain('DRY RUN');
    expect(text).toMatch(/organisation[\s\S]*would send\s+ceo@northwind\.example/);
    expect(text).toMatch(/team-enterprise[\s\S]*would send\s+mia\.manager@northwind\.example/);
    expect(text).toMatch(/would refuse\s+eve@partner\.example: domain partner\.example is not in mail\.allowedDomains/);
    expect(await emails()).toEqual([]);
    expect(await stack.runtime.ledger.sends('2026-W47')).toEqual([]);
    expect(await stack.runtime.ledger.runs('2026-W47')).toEqual([]);
    // Nothing stored either: no report data, no workbook, no snapshot.
    const head = (key: string) => stack.aws.clients.s3.send(new HeadObjectCommand({ Bucket: stack.aws.bucketName, Key: key })).then(() => true, () => false);
    expect(await head('reports/weekly-scorecard/2026-W47/metrics.json')).toBe(false);
    expect(await head('reports/weekly-scorecard/2026-W47/organisation.xlsx')).toBe(false);
    expect(await stack.dump('metric-snapshot')).toEqual([]);
  });

  it('report delivers each scope once; a second report sends nothing new', async () => {
    const first = capture();
    const result = await reportCommand(stack.runtime, { kind: 'weekly-scorecard', asOf: '2026-11-16' }, first.print);
    expect(result.exitCode).toBe(0);
    expect(first.text()).toMatch(/organisation\n\s+✉ sent\s+ceo@northwind\.example/);
    expect(first.text()).toMatch(/team-enterprise\n\s+✉ sent\s+mia\.manager@northwind\.example/);
    expect(first.text()).toMatch(/✗ refused\s+eve@partner\.example/);
    expect(first.text()).toContain('Sent 2, already sent before 0, refused 1, failed 0.');
    expect(await emails()).toHaveLength(2);

    const second = capture();
    expect((await reportCommand(stack.runtime, { kind: 'weekly-scorecard', asOf: '2026-11-16' }, second.print)).exitCode).toBe(0);
    expect(second.text()).toContain('Sent 0, already sent before 2, refused 1, failed 0.');
    expect(second.text()).toMatch(/already sent\s+mia\.manager@northwind\.example/);
    expect(await emails()).toHaveLength(2);
  });

  it('report --dry-run does not promise a send the worker would not make (a permanent failure in the ledger)', async () => {
    const key = { kind: 'weekly-scorecard' as const, periodId: '2026-W48', scopeId: 'organisation', address: 'ceo@northwind.example' };
    const now = new Date();
    await stack.runtime.ledger.claim(key, { name: '', asOf: '2026-11-23', late: false }, now);
    await stack.runtime.ledger.markFailed(key, 'SES rejected the message: MessageRejected', true, now);
    const out = capture();
    expect((await reportCommand(stack.runtime, { kind: 'weekly-scorecard', asOf: '2026-11-23', dryRun: true }, out.print)).exitCode).toBe(0);
    expect(out.text()).toMatch(/not sent\s+ceo@northwind\.example \(leadership; ledger: failed, SES rejected the message/);
    expect(out.text()).not.toMatch(/would send\s+ceo@northwind\.example/);
    expect(out.text()).toMatch(/would send\s+mia\.manager@northwind\.example/);
  });

  it('resend --to mails exactly one more message to that address, recorded as a resend', async () => {
    const before = await emails();
    const out = capture();
    const result = await resendCommand(stack.runtime, { kind: 'weekly-scorecard', period: '2026-W47', to: 'Mia.Manager@northwind.example' }, out.print);
    expect(result.exitCode).toBe(0);
    expect(result.outcome?.messages.map((message) => message.scopeId)).toEqual(['team-enterprise']);
    const after = await emails();
    expect(after).toHaveLength(before.length + 1);
    const added = after.find((email) => !before.some((earlier) => earlier.messageId === email.messageId))!;
    expect(JSON.stringify(added)).toContain('mia.manager@northwind.example');
    expect(added.messageId).toBe(result.outcome!.messages[0]!.messageId);

    const resends = (await stack.runtime.ledger.sends('2026-W47')).filter((record) => record.resend);
    expect(resends).toEqual([
      expect.objectContaining({ kind: 'weekly-scorecard', scopeId: 'team-enterprise', address: 'mia.manager@northwind.example', status: 'sent', messageId: added.messageId, resend: true }),
    ]);
    // The original send is left as it was.
    const original = await stack.runtime.ledger.record({ kind: 'weekly-scorecard', periodId: '2026-W47', scopeId: 'team-enterprise', address: 'mia.manager@northwind.example' });
    expect(original).toMatchObject({ status: 'sent', attempts: 1 });
    expect(original?.messageId).not.toBe(added.messageId);
  });

  it('resend to an address outside mail.allowedDomains is refused with exit 2 and sends nothing', async () => {
    const before = (await emails()).length;
    const out = capture();
    const result = await resendCommand(stack.runtime, { kind: 'weekly-scorecard', period: '2026-W47', to: 'eve@partner.example', scope: 'team-emea-core' }, out.print);
    expect(result.exitCode).toBe(2);
    expect(out.text()).toMatch(/refused: eve@partner\.example: domain partner\.example is not in mail\.allowedDomains/);
    expect(await emails()).toHaveLength(before);
  });

  it('resend with no send to that address in the ledger asks for --scope (exit 2); with --scope it sends', async () => {
    const out = capture();
    expect((await resendCommand(stack.runtime, { kind: 'weekly-scorecard', period: '2026-W47', to: 'new.vp@northwind.example' }, out.print)).exitCode).toBe(2);
    expect(out.text()).toContain('pass --scope');
    const missing = capture();
    expect((await resendCommand(stack.runtime, { kind: 'pre-review-pack', period: 'FY2027-Q4', to: 'ceo@northwind.example' }, missing.print)).exitCode).toBe(2);
    expect(missing.text()).toContain('no stored report at reports/pre-review-pack/FY2027-Q4/metrics.json');

    const before = (await emails()).length;
    const sent = await resendCommand(stack.runtime, { kind: 'weekly-scorecard', period: '2026-W47', to: 'new.vp@northwind.example', scope: 'organisation' }, capture().print);
    expect(sent.exitCode).toBe(0);
    expect(await emails()).toHaveLength(before + 1);
  });

  it('sent prints every recipient with its status, and each run’s summary', async () => {
    const out = capture();
    expect(await sentCommand(stack.runtime, { period: '2026-W47' }, out.print)).toBe(0);
    const rows = out.lines.join('\n').split('\n');
    const row = (address: string, status: string) => rows.find((line) => line.includes(address) && line.includes(status));
    expect(row('ceo@northwind.example', '│ sent ')).toBeDefined();
    expect(row('mia.manager@northwind.example', '│ sent ')).toBeDefined();
    expect(row('mia.manager@northwind.example', 'sent (resend)')).toBeDefined();
    expect(row('new.vp@northwind.example', 'sent (resend)')).toBeDefined();
    expect(row('eve@partner.example', 'refused')).toContain('domain partner.example is not in mail.allowedDomains');
    expect(out.text()).toMatch(/weekly-scorecard organisation as of 2026-11-16, dispatched .*: 0 sent, 1 already sent, 0 failed, 0 refused/);
    expect(out.text()).toMatch(/weekly-scorecard team-emea-core-[0-9a-f]+ as of 2026-11-16, .*: 0 sent, 0 already sent, 0 failed, 1 refused/);

    const json = capture();
    await sentCommand(stack.runtime, { period: '2026-W47', json: true }, json.print);
    const parsed = JSON.parse(json.text()) as { sends: { address: string; status: string }[]; runs: unknown[] };
    expect(parsed.sends.map((send) => send.address)).toEqual(
      expect.arrayContaining(['ceo@northwind.example', 'mia.manager@northwind.example', 'eve@partner.example', 'new.vp@northwind.example']),
    );
    expect(parsed.runs).toHaveLength(3);
  });
});

describe('operator commands through the CLI', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'revperf-operator-'));
    await writeFile(join(dir, 'revperf.config.json'), JSON.stringify(CONFIG));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const runMain = async (argv: string[]) => {
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
    const error = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (lines.push(String(chunk)), true));
    try {
      return { code: await main(argv), text: lines.join('\n') };
    } finally {
      log.mockRestore();
      error.mockRestore();
      write.mockRestore();
    }
  };

  it('--help on each command shows an example', async () => {
    for (const command of ['report', 'resend', 'sent']) {
      const { code, text } = await runMain([command, '--help']);
      expect(code).toBe(0);
      expect(text).toContain('Examples:');
      expect(text).toContain(`$ revperf ${command} `);
      expect(text).toContain('REVPERF_TABLE_NAME');
    }
  });

  it('sent --state DIR works on the embedded AWS kept in DIR (config from DIR)', async () => {
    const { code, text } = await runMain(['sent', '--period', '2026-W47', '--state', dir]);
    expect(code).toBe(0);
    expect(text).toContain(`working on the embedded AWS in ${dir}`);
    expect(text).toContain('The ledger has nothing for 2026-W47');
    expect(await readdir(dir)).toEqual(expect.arrayContaining(['dynamodb', 's3']));
  });

  it('says where to work, and what is missing for --stack (exit 2)', async () => {
    const saved = { table: process.env.REVPERF_TABLE_NAME, bucket: process.env.REVPERF_BUCKET_NAME };
    delete process.env.REVPERF_TABLE_NAME;
    delete process.env.REVPERF_BUCKET_NAME;
    try {
      const config = join(dir, 'revperf.config.json');
      const nowhere = await runMain(['sent', '--period', '2026-W47', '--config', config]);
      expect(nowhere.code).toBe(2);
      expect(nowhere.text).toContain('say where to work');
      const stack = await runMain(['sent', '--period', '2026-W47', '--stack', '--config', config]);
      expect(stack.code).toBe(2);
      expect(stack.text).toContain('set REVPERF_TABLE_NAME and REVPERF_BUCKET_NAME');
      const missing = await runMain(['sent', '--period', '2026-W47', '--state', join(dir, 'nope'), '--config', config]);
      expect(missing.code).toBe(2);
      expect(missing.text).toContain('does not exist');
    } finally {
      if (saved.table !== undefined) process.env.REVPERF_TABLE_NAME = saved.table;
      if (saved.bucket !== undefined) process.env.REVPERF_BUCKET_NAME = saved.bucket;
    }
  });
});
