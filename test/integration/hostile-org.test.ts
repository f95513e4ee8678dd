// A hostile organisation through the whole path on the embedded AWS: uploads
// whose names, teams, regions, deals and accounts are formulas (= + - @, tab,
// CR), markup and script, header breaks (CR/LF) and non-ASCII text, and whose
// data holds things that look like e-mail addresses. Ingest → metrics →
// dispatch → the real renderers → the deliver worker → the embedded SES, then
// every artefact revperf wrote is read back:
//   - every workbook (scorecards of every scope, pre-review packs): no formula
//     anywhere, every hostile text a plain string cell;
//   - every CSV (the rejected rows): formula triggers neutralised;
//   - every e-mail (scorecards, pack covers): markup escaped, no script runs in
//     Chromium, no header but the composer's own, non-ASCII intact;
//   - who got mail: exactly the allow-listed addresses of the people file's
//     Email column and the config's leadership; nothing that only looks like
//     an address in the data.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import ExcelJS from 'exceljs';
import { simpleParser, type ParsedMail } from 'mailparser';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatchHandler } from '../../functions/dispatch/dispatch-handler.js';
import { deliverDependencies } from '../../functions/deliver/deliver-handler.js';
import type { DeliveryOutcome } from '../../shared/delivery/deliver-report.js';
import { deliverJob } from '../../shared/delivery/deliver-report.js';
import { RecordingMetrics } from '../../shared/delivery/delivery-metrics.js';
import { prepareReports } from '../../shared/reports/report-run.js';
import { launchEmailBrowser, type EmailBrowser } from '../support/chromium.js';
import { startLocalStack, TEST_CONFIG, type LocalStack } from './harness.js';

/** Cells a spreadsheet would evaluate: one per trigger character. */
const FORMULAS = ['=HYPERLINK("http://evil.example","click")', "+cmd|' /C calc'!A0", '-2+3+cmd|x', '@SUM(1+1)', '\t=1+1', '\r=2+2'] as const;
/** Markup a mail client would run or render. */
const MARKUP = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '"><b onmouseover=alert(1)>Bold</b>', 'Fish & Chips <Ltd>'] as const;
const NON_ASCII = 'Zoë Ñúñez 李小龙';
/** A name that would add a Bcc header if it reached the header raw. */
const HEADER_BREAK = 'Mo Manager\r\nBcc: evil@outside.example';
const ORG_NAME = 'Nørthwind <Cloud> & Co\r\nX-Injected: yes';

const TEAM = '<script>alert(1)</script> West';
const SECOND_TEAM = '=HYPERLINK("http://evil.example","Second")';
const REGION = '@Region';

/** Addresses that appear only as data: none may ever receive mail. */
const DATA_ADDRESSES = [
  'evil@outside.example', // in a name (a Bcc attempt) and as a deal owner
  'cfo@outside.example', // a rep's name
  'ceo@northwind.example', // a person's name, allow-listed domain, no Email
  'owner.only@northwind.example', // a deal owner who is nobody in the people file
  'boss@northwind.example', // a Manager column naming nobody
  'accounts@northwind.example', // an account name
  'outsider@outside.example', // a rep's Email, outside the allowlist: refused
];

function csv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map((cell) => `"${cell.replace(/"/g, '""')}"`).join(',')).join('\r\n');
}

const PEOPLE = csv([
  ['Name', 'Email', 'Team', 'Manager', 'Region', 'Role'],
  ['Hana Head', 'hana@northwind.example', '', '', '', 'leader'],
  [HEADER_BREAK, 'mo@northwind.example', TEAM, 'Hana Head', REGION, 'manager'],
  [MARKUP[1], 'ana@northwind.example', TEAM, 'mo@northwind.example', REGION, 'rep'],
  [NON_ASCII, 'zoe@northwind.example', TEAM, 'mo@northwind.example', REGION, 'rep'],
  [FORMULAS[3], 'outsider@outside.example', TEAM, 'mo@northwind.example', REGION, 'rep'],
  ['cfo@outside.example', 'dee@northwind.example', TEAM, 'mo@northwind.example', REGION, 'rep'],
  [FORMULAS[4], 'eve@northwind.example', SECOND_TEAM, 'boss@northwind.example', REGION, 'rep'],
  ['ceo@northwind.example', '', SECOND_TEAM, 'boss@northwind.example', REGION, 'rep'],
]);

const QUOTAS = csv([
  ['Rep', 'Period', 'Quota'],
  ['ana@northwind.example', 'FY2027-Q1', '$100,000'],
  ['zoe@northwind.example', 'FY2027-Q1', '$80,000'],
  ['dee@northwind.example', 'FY2027-Q1', '$60,000'],
  ['eve@northwind.example', 'FY2027-Q1', '$50,000'],
]);

const OWNERS = ['ana@northwind.example', 'zoe@northwind.example', 'dee@northwind.example', 'eve@northwind.example', 'outsider@outside.example', 'evil@outside.example', 'owner.only@northwind.example'];
const HOSTILE_TEXTS = [...FORMULAS, ...MARKUP, NON_ASCII];
/** Ingest trims a cell's surrounding whitespace, so a leading tab or CR reaches the reports as the formula after it. */
const stored = (text: string) => text.trim();

/** Every hostile text as a deal name and as an account, won this quarter and open later in it, for every owner. */
const DEALS = csv([
  ['Opportunity ID', 'Opportunity Name', 'Account Name', 'Opportunity Owner', 'Stage', 'Amount', 'Opportunity Currency', 'Probability (%)', 'Close Date', 'Created Date'],
  ...HOSTILE_TEXTS.flatMap((text, index) => {
    const owner = OWNERS[index % OWNERS.length]!;
    const account = index === 0 ? 'accounts@northwind.example' : HOSTILE_TEXTS[(index + 3) % HOSTILE_TEXTS.length]!;
    return [
      [`006W${index}`, text, account, owner, 'Closed Won', `$${(index + 1) * 1_000}.00`, 'USD', '100', `03/${String(index + 1).padStart(2, '0')}/2026`, '02/02/2026'],
      [`006O${index}`, text, account, owner, 'Negotiation/Review', `$${(index + 1) * 2_000}.00`, 'USD', '75', `04/${String(index + 1).padStart(2, '0')}/2026`, '03/02/2026'],
    ];
  }),
  // Rejected rows echo their values into the rejected-rows CSV.
  ...FORMULAS.map((text, index) => [`006R${index}`, 'Bad amount', 'Acme', 'ana@northwind.example', 'Closed Won', text, 'USD', '100', text, '02/02/2026']),
]);
const DEALS_KEY = 'uploads/deals/=HYPERLINK("x") <b>Ünïcode</b> export.csv';

const WEEKLY_AS_OF = '2026-03-16'; // Monday, FY2027-Q1 (Feb–Apr 2026)
const PACK_AS_OF = '2026-04-16'; // ten business days before the quarter ends

describe('a hostile organisation through ingest, reports and delivery', () => {
  let stack: LocalStack;
  let browser: EmailBrowser;
  let dir: string;
  const outcomes: DeliveryOutcome[] = [];
  const parsed = new Map<DeliveryOutcome['messages'][number], ParsedMail>();

  const objectBytes = async (key: string) =>
    Buffer.from(await (await stack.aws.clients.s3.send(new GetObjectCommand({ Bucket: stack.aws.bucketName, Key: key }))).Body!.transformToByteArray());
  const sesStore = async () => ((await (await fetch(`${stack.aws.sesUrl}/store`)).json()) as { emails: { destination: { to: string[]; cc?: string[]; bcc?: string[] } }[] }).emails;
  const messages = () => outcomes.flatMap((outcome) => outcome.messages);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'revperf-hostile-'));
    stack = await startLocalStack({
      ...TEST_CONFIG,
      org: { ...TEST_CONFIG.org, name: ORG_NAME },
      schedule: { repScorecards: true },
      mail: { ...TEST_CONFIG.mail, leadership: ['vp.sales@northwind.example'] },
    });
    await stack.upload('uploads/people/people.csv', PEOPLE);
    await stack.upload('uploads/quotas/quotas.csv', QUOTAS);
    await stack.upload(DEALS_KEY, DEALS);

    const tick = await createDispatchHandler(stack.runtime)({ asOf: WEEKLY_AS_OF });
    expect(tick.queued.map((report) => report.report)).toEqual(['weekly-scorecard']);
    expect(stack.delivery.failures).toEqual([]);
    outcomes.push(...stack.delivery.outcomes);

    const prepared = await prepareReports(stack.runtime, PACK_AS_OF, { kinds: ['pre-review-pack'] });
    const deps = { ...deliverDependencies(stack.runtime), metrics: new RecordingMetrics() };
    for (const scope of prepared.scopes) outcomes.push(await deliverJob(deps, { ...scope, asOf: PACK_AS_OF, dispatchedOn: PACK_AS_OF, late: false }));
    for (const message of messages()) parsed.set(message, await simpleParser(message.raw));
    browser = await launchEmailBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ingested the hostile uploads as data: names kept as written, the bad amounts rejected', async () => {
    const report = await stack.report(DEALS_KEY);
    expect(report.counts).toMatchObject({ accepted: HOSTILE_TEXTS.length * 2, rejected: FORMULAS.length });
    const names = (await stack.runtime.table.people()).map((person) => person.name);
    for (const name of [MARKUP[1], NON_ASCII, FORMULAS[3], stored(FORMULAS[4]), 'cfo@outside.example']) expect(names).toContain(name);
    expect(outcomes.map((outcome) => `${outcome.run.kind}/${outcome.run.scopeId}`).length).toBeGreaterThanOrEqual(8);
  });

  // ------------------------------------------------------------------ who gets mail

  it('mails exactly the allow-listed Email-column addresses and the leadership, and nothing that only looks like an address', async () => {
    const weekly = new Set(outcomes.filter((o) => o.run.kind === 'weekly-scorecard').flatMap((o) => o.run.sent.map((sent) => sent.address)));
    expect([...weekly].sort()).toEqual(['ana@northwind.example', 'dee@northwind.example', 'eve@northwind.example', 'mo@northwind.example', 'vp.sales@northwind.example', 'zoe@northwind.example']);
    const pack = new Set(outcomes.filter((o) => o.run.kind === 'pre-review-pack').flatMap((o) => o.run.sent.map((sent) => sent.address)));
    expect([...pack].sort()).toEqual(['mo@northwind.example', 'vp.sales@northwind.example']);

    const refused = outcomes.flatMap((o) => o.run.refused.map(({ address, reason }) => `${address}: ${reason}`));
    expect([...new Set(refused)].sort()).toEqual([': no e-mail address in the people file', 'outsider@outside.example: domain outside.example is not in mail.allowedDomains']);

    // What the embedded SES received, every envelope and header.
    const envelopes = await sesStore();
    expect(envelopes).toHaveLength(messages().length);
    // Addresses proper: a display name may still read "Mo Manager Bcc: evil@outside.example", quoted, as a name.
    const addressOf = (entry: string) => (/<([^>]+)>\s*$/.exec(entry)?.[1] ?? entry).trim().toLowerCase();
    const received = envelopes.flatMap((email) => [...email.destination.to, ...(email.destination.cc ?? []), ...(email.destination.bcc ?? [])].map(addressOf));
    for (const address of received) expect(address).toMatch(/^[a-z.]+@northwind\.example$/);
    for (const address of DATA_ADDRESSES) expect(received).not.toContain(address);
    for (const message of messages()) {
      const mail = parsed.get(message)!;
      const to = [mail.to].flat().flatMap((list) => list?.value ?? []).map((entry) => entry.address);
      expect(to).toEqual([message.address]);
      expect(mail.cc).toBeUndefined();
      expect(mail.bcc).toBeUndefined();
    }
  });

  // ------------------------------------------------------------------ mail headers

  it('lets no name, org name or file name start a header of its own', () => {
    const allowed = new Set(['from', 'to', 'subject', 'message-id', 'date', 'mime-version', 'content-type', 'x-revperf-report', 'x-revperf-scope', 'x-revperf-period']);
    for (const message of messages()) {
      const head = message.raw.toString('latin1').split('\r\n\r\n')[0]!;
      const names = head.split(/\r\n(?![ \t])/).map((line) => line.slice(0, line.indexOf(':')).toLowerCase());
      for (const name of names) expect(allowed.has(name) || name.startsWith('x-revperf'), `header ${name}`).toBe(true);
      expect(names).not.toContain('bcc');
      expect(names).not.toContain('x-injected');
      const mail = parsed.get(message)!;
      expect(mail.subject).not.toMatch(/[\r\n]/);
      expect(mail.headers.has('bcc')).toBe(false);
      expect(mail.headers.has('x-injected')).toBe(false);
      for (const attachment of mail.attachments) expect(attachment.filename ?? '').not.toMatch(/[\r\n]/);
    }
  });

  it('keeps non-ASCII names intact in subject, bodies and attachment names', () => {
    const zoe = messages().find((message) => message.address === 'zoe@northwind.example')!;
    const mail = parsed.get(zoe)!;
    expect(mail.html).toContain(NON_ASCII);
    expect(mail.text).toContain(NON_ASCII);
    expect(mail.subject).toContain(NON_ASCII);
    const workbook = mail.attachments.find((attachment) => attachment.filename?.endsWith('.xlsx'))!;
    expect(workbook.filename).toContain('Nørthwind');
    // The team's e-mail lists her among its reps.
    const team = messages().find((message) => message.address === 'mo@northwind.example')!;
    expect(parsed.get(team)!.html).toContain(NON_ASCII);
  });

  // ------------------------------------------------------------------ e-mail bodies

  it('escapes markup from deal, account, rep, team and org names in every e-mail: the text shows it, the HTML never runs it', () => {
    let seen = 0;
    for (const message of messages()) {
      const mail = parsed.get(message)!;
      const html = mail.html as string;
      expect(html).not.toMatch(/<script/i);
      expect(html).not.toMatch(/<img src=x/i);
      expect(html).not.toMatch(/<b onmouseover/i);
      // No event-handler attribute on any element (quoted attribute values, where escaped text may say "onerror=", left out).
      for (const tag of html.match(/<[a-z][^>]*>/gi) ?? []) expect(tag.replace(/"[^"]*"/g, '""')).not.toMatch(/\son\w+\s*=/i);
      for (const text of [...MARKUP, 'Nørthwind <Cloud> & Co']) {
        if (!(mail.text ?? '').includes(text)) continue;
        seen += 1;
        expect(html).toContain(text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
      }
    }
    // The check ran on real content: markup names reached the e-mails' text.
    expect(seen).toBeGreaterThanOrEqual(messages().length);
  });

  it('runs no script and loads nothing in Chromium, for the team scorecard and the pack cover', async () => {
    for (const [kind, address] of [['weekly-scorecard', 'mo@northwind.example'], ['pre-review-pack', 'mo@northwind.example']] as const) {
      const outcome = outcomes.find((o) => o.run.kind === kind && o.messages.some((m) => m.address === address))!;
      const message = outcome.messages.find((m) => m.address === address)!;
      const images = Object.fromEntries(message.images.map(({ cid, png }) => [cid, Buffer.from(png)]));
      const report = await browser.check({ html: message.html, images, name: `hostile-${kind}`, widths: [600] });
      expect(report.problems.filter((problem) => /script|external|event handler|dialog/.test(problem))).toEqual([]);
      expect(report.visibleText).toContain(TEAM);
      if (kind === 'weekly-scorecard') expect(report.visibleText).toContain(MARKUP[1]);
    }
  }, 120_000);

  // ------------------------------------------------------------------ workbooks

  it('writes no formula in any workbook, and every hostile text as a plain string cell', async () => {
    const keys = [...new Set(outcomes.map((outcome) => outcome.report.keys.xlsx!))];
    expect(keys.filter((key) => key.includes('weekly-scorecard')).length).toBeGreaterThanOrEqual(6);
    expect(keys.filter((key) => key.includes('pre-review-pack')).length).toBeGreaterThanOrEqual(2);
    const strings = new Set<string>();
    for (const key of keys) {
      const path = join(dir, key.replace(/\W+/g, '_'));
      writeFileSync(path, await objectBytes(key));
      for (const entry of execFileSync('unzip', ['-Z1', path], { encoding: 'utf8' }).trim().split('\n')) {
        if (!entry.startsWith('xl/worksheets/') || !entry.endsWith('.xml')) continue;
        const xml = execFileSync('unzip', ['-p', path, entry], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
        expect(xml, `${key} ${entry}`).not.toMatch(/<f[\s>]/);
        expect(xml, `${key} ${entry}`).not.toMatch(/<hyperlink[\s>]/);
      }
      const book = new ExcelJS.Workbook();
      await book.xlsx.readFile(path);
      book.eachSheet((sheet) =>
        sheet.eachRow((row) =>
          row.eachCell((cell) => {
            expect(cell.type, `${key} ${sheet.name}!${cell.address}`).not.toBe(ExcelJS.ValueType.Formula);
            expect(cell.formula).toBeUndefined();
            if (cell.type === ExcelJS.ValueType.String) strings.add(cell.value as string);
            if (cell.type === ExcelJS.ValueType.RichText) strings.add((cell.value as ExcelJS.CellRichTextValue).richText.map((run) => run.text).join(''));
          }),
        ),
      );
    }
    const allText = [...strings].join('\n');
    for (const text of [...HOSTILE_TEXTS, TEAM, SECOND_TEAM, REGION]) expect(allText, JSON.stringify(text)).toContain(stored(text));
    for (const text of [...FORMULAS, SECOND_TEAM]) expect([...strings], JSON.stringify(text)).toContain(stored(text));
  }, 120_000);

  // ------------------------------------------------------------------ CSV

  it('neutralises every formula trigger in the rejected-rows CSV', async () => {
    const rows = Papa.parse<string[]>((await stack.rejectedCsv(DEALS_KEY)).trimEnd(), { delimiter: ',' }).data.slice(1);
    expect(rows.length).toBeGreaterThanOrEqual(FORMULAS.length);
    for (const row of rows) {
      for (const field of row) expect(field.trimStart(), JSON.stringify(field)).not.toMatch(/^[=+\-@\t\r]/);
    }
    const values = rows.map((row) => row[2]);
    for (const text of FORMULAS) expect(values).toContain(`'${stored(text)}`);
  });

  // ------------------------------------------------------------------ every object revperf wrote

  it('lists the objects it checked: every workbook and CSV under reports/ and ingest-reports/ was covered above', async () => {
    const listing = await stack.aws.clients.s3.send(new ListObjectsV2Command({ Bucket: stack.aws.bucketName }));
    const keys = (listing.Contents ?? []).map((object) => object.Key!);
    const workbooks = keys.filter((key) => key.endsWith('.xlsx'));
    expect(workbooks.sort()).toEqual([...new Set(outcomes.map((outcome) => outcome.report.keys.xlsx!))].sort());
    const csvs = keys.filter((key) => key.endsWith('.csv') && !key.startsWith('uploads/'));
    expect(csvs.every((key) => key.startsWith('ingest-reports/') && key.endsWith('.rejected.csv'))).toBe(true);
    for (const key of csvs) {
      const text = (await objectBytes(key)).toString('utf8');
      for (const record of Papa.parse<string[]>(text.trimEnd(), { delimiter: ',' }).data.slice(1)) {
        for (const field of record) expect(field.trimStart(), `${key}: ${JSON.stringify(field)}`).not.toMatch(/^[=+\-@\t\r]/);
      }
    }
  });
});
