// Bad uploads through the embedded AWS. Each one must end in an ingest report
// that says what happened — refused with a reason, or rows rejected by line,
// field, value and reason — never in a handler failure (Lambda would retry a
// bad file forever, then dead-letter it) and never in rows loaded without the
// report saying exactly which.
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32, createDeflateRaw } from 'node:zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { BatchWriteCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { afterEach, describe, expect, it } from 'vitest';
import { createIngestHandler } from '../../functions/ingest/ingest-handler.js';
import type { S3EventNotification } from '../../shared/adapters/s3-events.js';
import type { RevperfConfigInput } from '../../shared/config/schema.js';
import type { IngestReport } from '../../shared/ingest/types.js';
import { observeZipReads } from '../../shared/ingest/zip-guard.js';
import { buildZip, type ZipFixtureEntry } from '../unit/ingest/zip-fixture.js';
import { startLocalStack, TEST_CONFIG, type LocalStack } from './harness.js';

const SALESFORCE_COLUMNS = [
  'Opportunity ID',
  'Opportunity Name',
  'Account Name',
  'Opportunity Owner',
  'Stage',
  'Amount',
  'Opportunity Currency',
  'Probability (%)',
  'Close Date',
  'Created Date',
] as const;

type SalesforceRow = Record<string, string>;

/** A won Salesforce opportunity worth $1,000 + index, closing 15 Nov 2026. */
function opportunity(index: number, overrides: SalesforceRow = {}): SalesforceRow {
  return {
    'Opportunity ID': opportunityId(index),
    'Opportunity Name': `Renewal ${index}`,
    'Account Name': `Account ${index % 5}`,
    'Opportunity Owner': 'Ana García',
    Stage: 'Closed Won',
    Amount: `$${(1000 + index).toLocaleString('en-US')}.00`,
    'Opportunity Currency': 'USD',
    'Probability (%)': '100',
    'Close Date': '11/15/2026',
    'Created Date': '9/1/2026',
    ...overrides,
  };
}

function opportunityId(index: number): string {
  return `006B${String(index).padStart(5, '0')}`;
}

/** A Salesforce record as exported: every field quoted, CRLF. */
function quotedLine(cells: readonly string[]): string {
  return `${cells.map((cell) => `"${cell.replace(/"/g, '""')}"`).join(',')}\r\n`;
}

/** A Salesforce opportunity report: header, data rows (line 2 on), then the footer Salesforce prints. */
function salesforceReport(rows: readonly SalesforceRow[], columns: readonly string[] = SALESFORCE_COLUMNS): string {
  const data = rows.map((row) => quotedLine(columns.map((column) => row[column] ?? ''))).join('');
  return `${quotedLine(columns)}${data}\r\n"Grand Totals (${rows.length} records)"\r\n`;
}

const REJECTED_CSV_HEADER = 'line,field,value,reason\r\n';

describe('bad uploads through the embedded AWS', () => {
  let stack: LocalStack | undefined;
  let handlerErrors: unknown[] = [];
  let handlerCalls = 0;

  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });

  /** A local stack whose ingest handler records anything it throws (a throw is what makes Lambda retry). */
  async function startStack(ingest: RevperfConfigInput['ingest'] = {}): Promise<LocalStack> {
    const started = await startLocalStack({ ...TEST_CONFIG, ingest });
    handlerErrors = [];
    handlerCalls = 0;
    started.aws.onObjectCreated('ingest', async (event) => {
      handlerCalls += 1;
      try {
        await started.ingest(event);
      } catch (error) {
        handlerErrors.push(error);
        throw error;
      }
    });
    stack = started;
    return started;
  }

  /** Uploads, waits for ingest, checks the handler finished without a throw, and returns the ingest report. */
  async function uploadForReport(target: LocalStack, key: string, body: string | Uint8Array): Promise<IngestReport> {
    await target.upload(key, body);
    return reportAfterCleanRun(target, key);
  }

  async function reportAfterCleanRun(target: LocalStack, key: string): Promise<IngestReport> {
    expect(handlerErrors).toEqual([]);
    expect(target.aws.failedInvocations).toEqual([]);
    // One call per upload: a retried invocation would show up as an extra call.
    expect(handlerCalls).toBe(target.aws.dispatchedEvents.length);
    const report = await target.report(key);
    expect(await target.runtime.table.ingestLedgerEntry(target.aws.bucketName, key)).toMatchObject({ status: 'done' });
    return report;
  }

  async function dealIds(target: LocalStack): Promise<unknown[]> {
    return (await target.dump('deal')).map((deal) => deal.id);
  }

  function expectRefusedWithNothingLoaded(report: IngestReport, key: string, reason: string): void {
    expect(report.status).toBe('refused');
    expect(report.refusal).toBe(`${key}: ${reason}`);
    expect(report.counts).toEqual({ read: 0, accepted: 0, skipped: 0, rejected: 0, duplicates: 0 });
    expect(report.removedDeals).toBe(0);
  }

  // ------------------------------------------------------------------ files refused as a whole

  it('refuses an empty (0-byte) file', async () => {
    const local = await startStack();
    const key = 'uploads/deals/opportunities.csv';
    const report = await uploadForReport(local, key, new Uint8Array(0));

    expectRefusedWithNothingLoaded(report, key, 'the file is empty');
    expect(report.file).toBeNull();
    expect(await local.rejectedCsv(key)).toBe(REJECTED_CSV_HEADER);
    expect(await local.dump('deal')).toEqual([]);
  });

  it('loads a header-only export as nothing, says so, and does not take it to mean every deal is gone', async () => {
    const local = await startStack();
    const key = 'uploads/deals/opportunities.csv';
    await uploadForReport(local, key, salesforceReport([opportunity(1), opportunity(2)]));

    const report = await uploadForReport(local, key, quotedLine(SALESFORCE_COLUMNS));

    expect(report.status).toBe('loaded');
    expect(report.preset).toBe('salesforce');
    expect(report.counts).toEqual({ read: 0, accepted: 0, skipped: 0, rejected: 0, duplicates: 0 });
    expect(report.removedDeals).toBe(0);
    expect(report.findings).toContain(
      'the file has a header but no data rows: nothing was loaded, and nothing loaded before was marked removed',
    );
    const deals = await local.dump('deal');
    expect(deals.map((deal) => [deal.id, deal.removed])).toEqual([
      [opportunityId(1), false],
      [opportunityId(2), false],
    ]);
  });

  it('refuses binary garbage named .csv', async () => {
    const local = await startStack();
    const key = 'uploads/deals/opportunities.csv';
    const report = await uploadForReport(local, key, pseudoRandomBytes(4096, 7));

    expectRefusedWithNothingLoaded(report, key, 'the file is binary data, not CSV text or an XLSX workbook');
    expect(await local.dump('deal')).toEqual([]);
  });

  it("refuses sixty binary uploads in a row, each with its report: a refused file's S3 stream is closed, not leaked", async () => {
    // Found by the ingest fuzz test: each refused upload left its S3 response half read, holding a
    // socket, and the warm handler hung once the client's sockets were all held.
    const local = await startStack();
    const garbage = pseudoRandomBytes(256 * 1024, 11); // several chunks: more than the sniffed head
    for (let i = 0; i < 60; i++) {
      const key = `uploads/deals/batch-${i}/opportunities.csv`;
      const report = await uploadForReport(local, key, garbage);
      expect(report.status, key).toBe('refused');
    }
    expect(await local.dump('deal')).toEqual([]);
  });

  it('refuses a legacy .xls workbook renamed .xlsx, saying how to save it instead', async () => {
    const local = await startStack();
    const key = 'uploads/deals/Pipeline Q3.xlsx';
    const report = await uploadForReport(local, key, legacyXlsBytes());

    expectRefusedWithNothingLoaded(
      report,
      key,
      'the file is a legacy .xls or password-protected workbook; save it as .xlsx or .csv without a password',
    );
    expect(await local.dump('deal')).toEqual([]);
  });

  it('refuses an export without the Close Date column, naming the missing column and the headers found', async () => {
    const local = await startStack();
    const key = 'uploads/deals/opportunities.csv';
    const columns = SALESFORCE_COLUMNS.filter((column) => column !== 'Close Date');
    const report = await uploadForReport(local, key, salesforceReport([opportunity(1), opportunity(2)], columns));

    expect(report.status).toBe('refused');
    expect(report.refusal).toContain('lacks the required column(s) Close Date');
    expect(report.refusal).toContain(`headers found: ${columns.join(', ')}`);
    expect(report.counts.accepted).toBe(0);
    expect(await local.dump('deal')).toEqual([]);
  });

  it('refuses a zip bomb disguised as a workbook before inflating any of it', async () => {
    const local = await startStack();
    const key = 'uploads/deals/Pipeline.xlsx';
    const bombSize = 300 * 1024 * 1024;
    const workbook = buildZip(workbookParts({ name: 'xl/worksheets/sheet1.xml', deflated: await deflatedZeros(bombSize) }));
    expect(workbook.length).toBeLessThan(1024 * 1024);

    const opened: string[] = [];
    let inflated = 0;
    const stopObserving = observeZipReads({ entryOpened: (name) => opened.push(name), bytesInflated: (_, bytes) => (inflated += bytes) });
    const report = await uploadForReport(local, key, workbook).finally(stopObserving);

    expect(report.status).toBe('refused');
    expect(report.refusal).toMatch(
      new RegExp(`^${key}: zip entry "xl/worksheets/sheet1\\.xml" would inflate \\d+ bytes to ${bombSize} \\(\\d+×, the limit is 100×\\)$`),
    );
    // Refused from the zip directory alone: not one part of the workbook was opened, not one byte inflated.
    expect(opened).toEqual([]);
    expect(inflated).toBe(0);
    expect(await local.dump('deal')).toEqual([]);

    // The same observer on a sound workbook sees its parts opened and inflated: the zeros above are evidence.
    const stopAgain = observeZipReads({ entryOpened: (name) => opened.push(name), bytesInflated: (_, bytes) => (inflated += bytes) });
    const sound = await uploadForReport(local, 'uploads/deals/Sound.xlsx', await salesforceWorkbook([opportunity(1)])).finally(stopAgain);
    expect(sound.status).toBe('loaded');
    expect(opened).toContain('xl/worksheets/sheet1.xml');
    expect(inflated).toBeGreaterThan(0);
  });

  it('refuses a workbook whose zip directory declares more than the uncompressed-size limit', async () => {
    const local = await startStack();
    const key = 'uploads/deals/Pipeline.xlsx';
    const declared = 0xffff_ffff; // 4 GiB, the most a classic zip header holds; the limit is 1 GiB
    const sheet = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>';
    const report = await uploadForReport(local, key, buildZip(workbookParts({ name: 'xl/worksheets/sheet1.xml', data: sheet, declaredSize: declared })));

    expect(report.status).toBe('refused');
    expect(report.refusal).toContain(`zip entry "xl/worksheets/sheet1.xml" declares ${declared} bytes uncompressed`);
    expect(report.refusal).toContain('over the 1073741824-byte limit');
    expect(await local.dump('deal')).toEqual([]);
  });

  it('refuses a 50 MB export over a 10 MB limit, giving both sizes, and writes nothing', async () => {
    const local = await startStack({ maxFileBytes: 10 * 1024 * 1024 });
    const key = 'uploads/deals/opportunities-all-time.csv';
    const path = join(local.scratchDir, 'opportunities-all-time.csv');
    const size = await writeLargeReport(path, 50 * 1024 * 1024);

    await local.aws.clients.s3.send(
      new PutObjectCommand({ Bucket: local.aws.bucketName, Key: key, Body: createReadStream(path), ContentLength: size }),
    );
    await local.aws.idle();
    const report = await reportAfterCleanRun(local, key);

    const megabytes = (size / (1024 * 1024)).toFixed(1);
    expect(Number(megabytes)).toBeGreaterThanOrEqual(50);
    expectRefusedWithNothingLoaded(report, key, `the file is ${megabytes} MB, over the 10.0 MB limit (config ingest.maxFileBytes)`);
    expect(await tableItemsBesidesLedger(local)).toEqual([]);
  });

  it('refuses a file over the row limit part-way, loads every accepted row before it, and says exactly which', async () => {
    const local = await startStack({ maxRows: 1_000 });
    const key = 'uploads/deals/opportunities.csv';
    const rows = Array.from({ length: 1_500 }, (_, index) =>
      index === 10 ? opportunity(index, { Amount: 'call me' }) : opportunity(index),
    );
    await uploadForReport(local, key, salesforceReport([opportunity(5_000)]));

    const report = await uploadForReport(local, key, salesforceReport(rows));

    // Row 1 001 of the file (header included) is over the limit: data lines 2–1 000 were read, line 12 is the bad one.
    expect(report.status).toBe('refused');
    expect(report.refusal).toBe(
      `${key}: the file has more than 1000 rows (the limit). Lines up to 1000 were read before the refusal: ` +
        'their 998 accepted row(s) were loaded and 1 rejected (see the rejected rows); nothing after line 1000 was loaded ' +
        'and nothing loaded before was marked removed. Fix the file and upload it again.',
    );
    expect(report.counts).toMatchObject({ read: 999, accepted: 998, rejected: 1 });
    expect(report.rejected).toEqual([expect.objectContaining({ line: 12, field: 'amount', value: 'call me' })]);
    expect(report.removedDeals).toBe(0);

    const deals = await local.dump('deal');
    const loadedFromThisFile = Array.from({ length: 999 }, (_, index) => index)
      .filter((index) => index !== 10)
      .map(opportunityId);
    expect(deals.map((deal) => deal.id)).toEqual([...loadedFromThisFile, opportunityId(5_000)].sort());
    expect(deals.every((deal) => deal.removed === false)).toBe(true);
  });

  it('refuses a workbook over the row limit at exactly the limit, not at a chunk boundary', async () => {
    const local = await startStack({ maxRows: 1_000 });
    const key = 'uploads/deals/Pipeline.xlsx';
    const report = await uploadForReport(local, key, await salesforceWorkbook(Array.from({ length: 1_500 }, (_, index) => opportunity(index))));

    expect(report.status).toBe('refused');
    expect(report.refusal).toBe(
      `${key}: the sheet has more than 1000 rows (the limit). Lines up to 1000 were read before the refusal: ` +
        'their 999 accepted row(s) were loaded; nothing after line 1000 was loaded and nothing loaded before was marked removed. ' +
        'Fix the file and upload it again.',
    );
    const deals = await local.dump('deal');
    expect(deals).toHaveLength(999);
    expect(deals.at(-1)).toMatchObject({ id: opportunityId(998), amount: 199_800, closeDate: '2026-11-15' });
  });

  it('fails the handler with the table error when a write fails right after rejected rows, and nothing else: no uncaught exception', async () => {
    // Found by the ingest fuzz test: a table write failing while rejected rows were still being
    // written to the scratch CSV destroyed that file mid-write, and its "write after a stream was
    // destroyed" error was thrown outside any promise, taking the whole handler process down.
    const local = await startStack();
    const key = 'uploads/deals/opportunities.csv';
    const rows = [...Array.from({ length: 300 }, (_, index) => opportunity(index, { Amount: 'TBD' })), opportunity(900)];
    local.aws.onObjectCreated('ingest', async () => undefined); // this upload is ingested by hand below
    await local.upload(key, salesforceReport(rows));
    const event = local.aws.dispatchedEvents.at(-1)!.event as S3EventNotification;
    const tableDown = {
      send: async (command: object) => {
        if (command instanceof BatchWriteCommand) throw Object.assign(new Error('the table is down'), { name: 'InternalServerError' });
        return local.aws.clients.documents.send(command as never);
      },
    } as unknown as DynamoDBDocumentClient;
    const uncaught: unknown[] = [];
    const listener = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', listener);
    try {
      await expect(createIngestHandler(local.runtimeWith(tableDown))(event)).rejects.toThrow('the table is down');
      // The failed scratch-file write calls back from the fs: give it a moment to.
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      process.off('uncaughtException', listener);
    }
    expect(uncaught).toEqual([]);
    expect(await readdir(local.scratchDir)).toEqual([]);
    expect(await local.runtime.table.ingestLedgerEntry(local.aws.bucketName, key)).toMatchObject({ status: 'in-progress' });
  });

  // ------------------------------------------------------------------ bad rows in a readable file

  it('rejects exchange rates out of any real range (10^21, 10^-21) as rows, and loads the rest', async () => {
    // Found by the ingest fuzz test: a rate of 999999999999999999999 reached the table write, which
    // cannot store a number that large, and failed the handler (Lambda would retry it forever).
    const local = await startStack();
    const key = 'uploads/fx/rates.csv';
    const report = await uploadForReport(local, key, ['Currency,Rate,Valid from', 'EUR,999999999999999999999,2026-01-01', 'GBP,0.000000000000000000001,2026-01-01', 'JPY,0.0067,2026-01-01'].join('\n'));
    expect(report.status).toBe('loaded-with-rejections');
    expect(report.rejected.map(({ line, field, value, reason }) => ({ line, field, value, reason }))).toEqual([
      { line: 2, field: 'rate', value: '999999999999999999999', reason: expect.stringContaining('too large for an exchange rate') },
      { line: 3, field: 'rate', value: '0.000000000000000000001', reason: expect.stringContaining('too small for an exchange rate') },
    ]);
    expect((await local.runtime.table.fxRates()).map(({ currency, rate }) => [currency, rate])).toEqual([['JPY', 0.0067]]);
  });

  it('keeps the last of rows sharing an id and reports each duplicate with both lines', async () => {
    const local = await startStack();
    const key = 'uploads/deals/opportunities.csv';
    const rows = [
      opportunity(1), // line 2
      opportunity(2), // line 3
      opportunity(1, { Amount: '$7,500.00', Stage: 'Negotiation/Review', 'Probability (%)': '90' }), // line 4
      opportunity(3), // line 5
      opportunity(2, { 'Opportunity Owner': 'Ben Okafor' }), // line 6
    ];
    const report = await uploadForReport(local, key, salesforceReport(rows));

    expect(report.status).toBe('loaded');
    expect(report.counts).toMatchObject({ read: 5, accepted: 5, rejected: 0, duplicates: 2 });
    expect(report.findings).toEqual(
      expect.arrayContaining([
        `line 4: deal ${opportunityId(1)} already appeared on line 2; the later row wins`,
        `line 6: deal ${opportunityId(2)} already appeared on line 3; the later row wins`,
      ]),
    );
    const deals = await local.dump('deal');
    expect(deals.map((deal) => [deal.id, deal.amount, deal.stageClass, deal.owner])).toEqual([
      [opportunityId(1), 750_000, 'open', 'Ana García'],
      [opportunityId(2), 100_200, 'won', 'Ben Okafor'],
      [opportunityId(3), 100_300, 'won', 'Ana García'],
    ]);
  });

  it('rejects negative and non-numeric amounts by line, field, value and reason, and loads the rest', async () => {
    const local = await startStack();
    const key = 'uploads/deals/opportunities.csv';
    const rows = [opportunity(1), opportunity(2, { Amount: '-$2,500.00' }), opportunity(3, { Amount: 'TBD' }), opportunity(4)];
    const report = await uploadForReport(local, key, salesforceReport(rows));

    expect(report.status).toBe('loaded-with-rejections');
    expect(report.counts).toMatchObject({ read: 4, accepted: 2, rejected: 2 });
    expect(report.rejected).toEqual([
      {
        line: 3,
        field: 'amount',
        value: '-$2,500.00',
        reason: "amount '-$2,500.00' is negative; enter refunds and credits as their own lost or won deals",
      },
      { line: 4, field: 'amount', value: 'TBD', reason: expect.stringMatching(/^amount 'TBD' is not a number/) },
    ]);
    expect(rejectedCsvRecords(await local.rejectedCsv(key))).toEqual([
      ['line', 'field', 'value', 'reason'],
      ['3', 'amount', "'-$2,500.00", report.rejected[0]!.reason],
      ['4', 'amount', 'TBD', report.rejected[1]!.reason],
    ]);
    // A rejected row's deal is neither loaded nor, in a full export, marked removed.
    expect(await dealIds(local)).toEqual([opportunityId(1), opportunityId(4)]);
  });

  it('rejects impossible close dates, ISO and month/day alike', async () => {
    const local = await startStack();
    const key = 'uploads/deals/opportunities.csv';
    const rows = [
      opportunity(1, { 'Close Date': '2026-02-30' }),
      opportunity(2, { 'Close Date': '13/45/2026' }),
      opportunity(3, { 'Close Date': '2/28/2026' }),
    ];
    const report = await uploadForReport(local, key, salesforceReport(rows));

    expect(report.status).toBe('loaded-with-rejections');
    expect(report.rejected).toEqual([
      { line: 2, field: 'closeDate', value: '2026-02-30', reason: expect.stringContaining("'2026-02-30' is not a real date") },
      { line: 3, field: 'closeDate', value: '13/45/2026', reason: expect.stringContaining("'13/45/2026' is not a real date") },
    ]);
    const deals = await local.dump('deal');
    expect(deals.map((deal) => [deal.id, deal.closeDate])).toEqual([[opportunityId(3), '2026-02-28']]);
  });

  it('rejects the row with a 1 MB cell (over ingest.maxCellChars) and loads the rest', async () => {
    const local = await startStack();
    const key = 'uploads/deals/opportunities.csv';
    const columns = [...SALESFORCE_COLUMNS, 'Description'];
    const pastedThread = `Call notes: ${'customer wants a discount on the renewal; '.repeat(26_000)}`;
    expect(pastedThread.length).toBeGreaterThan(1024 * 1024);
    const rows = [
      opportunity(1, { Description: 'Multi-year renewal' }),
      opportunity(2, { Description: pastedThread }),
      opportunity(3, { Description: '' }),
    ];
    const report = await uploadForReport(local, key, salesforceReport(rows, columns));

    expect(report.status).toBe('loaded-with-rejections');
    expect(report.counts).toMatchObject({ read: 3, accepted: 2, rejected: 1 });
    expect(report.rejected).toEqual([
      {
        line: 3,
        field: 'Description',
        value: `${pastedThread.slice(0, 100)}…`,
        reason: 'Description is longer than the 32767-character limit (config ingest.maxCellChars); the value shown is its start',
      },
    ]);
    expect(await dealIds(local)).toEqual([opportunityId(1), opportunityId(3)]);
  });

  it('rejects a last row cut off inside its quotes (a truncated download) instead of loading it as whole', async () => {
    const local = await startStack();
    const key = 'uploads/deals/opportunities.csv';
    const complete = salesforceReport([opportunity(1), opportunity(2)]).split('\r\n\r\n')[0]!; // header + 2 rows, no footer
    const cutOff = quotedLine(SALESFORCE_COLUMNS.map((column) => opportunity(3)[column]!)).replace(/"\r\n$/, '');
    const report = await uploadForReport(local, key, `${complete}\r\n${cutOff}`);

    expect(report.status).toBe('loaded-with-rejections');
    expect(report.rejected).toEqual([
      { line: 4, field: 'row', value: '', reason: 'the quoted field opened on line 4 is never closed; the row holds the rest of the file' },
    ]);
    expect(await dealIds(local)).toEqual([opportunityId(1), opportunityId(2)]);
  });

  it('neutralises formulas echoed in the rejected-rows CSV', async () => {
    const local = await startStack();
    const key = 'uploads/deals/opportunities.csv';
    const payload = '=HYPERLINK("http://evil","x")';
    const rows = [opportunity(1), opportunity(2, { 'Opportunity Name': payload, Amount: payload, 'Close Date': '@SUM(A1)' })];
    const report = await uploadForReport(local, key, salesforceReport(rows));

    expect(report.rejected.map(({ line, field, value }) => ({ line, field, value }))).toEqual([
      { line: 3, field: 'closeDate', value: '@SUM(A1)' },
      { line: 3, field: 'amount', value: payload },
    ]);
    const csv = await local.rejectedCsv(key);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"",""x"")"`);
    const values = rejectedCsvRecords(csv)
      .slice(1)
      .map((record) => record[2]);
    expect(values).toEqual(["'@SUM(A1)", `'${payload}`]);
    expect(await dealIds(local)).toEqual([opportunityId(1)]);
  });
});

// ---------------------------------------------------------------------- fixtures

function rejectedCsvRecords(csv: string): string[][] {
  return Papa.parse<string[]>(csv.trimEnd(), { delimiter: ',' }).data;
}

/** The report saved as a workbook: typed cells (numbers, dates) as Excel would hold them. */
async function salesforceWorkbook(rows: readonly SalesforceRow[]): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Opportunities');
  sheet.addRow([...SALESFORCE_COLUMNS]);
  for (const row of rows) {
    sheet.addRow([
      ...SALESFORCE_COLUMNS.slice(0, 5).map((column) => row[column] ?? ''),
      Number(row.Amount!.replace(/[$,]/g, '')),
      row['Opportunity Currency'],
      Number(row['Probability (%)']),
      new Date(Date.UTC(2026, 10, 15)),
      new Date(Date.UTC(2026, 8, 1)),
    ]);
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** Deterministic noise (a linear congruential generator) with NUL bytes, like a renamed image or archive. */
function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    bytes[i] = state >>> 16 & 0xff;
  }
  bytes[0] = 0x89; // not a zip, not a byte-order mark
  bytes[3] = 0x00;
  return bytes;
}

/** The start of an OLE2 compound file, which is what an Excel 97–2003 .xls is. */
function legacyXlsBytes(): Uint8Array {
  const bytes = new Uint8Array(4096);
  bytes.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 0);
  bytes.set([0x3e, 0x00, 0x03, 0x00, 0xfe, 0xff, 0x09, 0x00], 24); // minor/major version, byte order, sector shift
  return bytes;
}

/** The parts of a one-sheet workbook, with the given sheet entry. */
function workbookParts(sheet: ZipFixtureEntry): ZipFixtureEntry[] {
  return [
    {
      name: '[Content_Types].xml',
      data:
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/></Types>',
    },
    {
      name: '_rels/.rels',
      data:
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
        '</Relationships>',
    },
    {
      name: 'xl/workbook.xml',
      data:
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Pipeline" sheetId="1" r:id="rId1"/></sheets></workbook>',
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data:
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
        '</Relationships>',
    },
    sheet,
  ];
}

/** `size` zero bytes deflated as a stream (never held whole), with their CRC. */
async function deflatedZeros(size: number): Promise<{ bytes: Buffer; crc: number; size: number }> {
  const block = Buffer.alloc(1024 * 1024);
  const deflate = createDeflateRaw({ level: 9 });
  const output: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => output.push(chunk));
  let crc = 0;
  for (let written = 0; written < size; written += block.length) {
    crc = crc32(block, crc);
    if (!deflate.write(block)) await once(deflate, 'drain');
  }
  deflate.end();
  await once(deflate, 'end');
  return { bytes: Buffer.concat(output), crc, size };
}

/** Streams a Salesforce report of at least `minBytes` to `path`; returns its size. */
async function writeLargeReport(path: string, minBytes: number): Promise<number> {
  const file = createWriteStream(path);
  let written = 0;
  const write = async (text: string) => {
    written += Buffer.byteLength(text);
    if (!file.write(text)) await once(file, 'drain');
  };
  await write(quotedLine(SALESFORCE_COLUMNS));
  for (let block = 0; written < minBytes; block++) {
    const lines = Array.from({ length: 1_000 }, (_, i) => {
      const row = opportunity(block * 1_000 + i);
      return quotedLine(SALESFORCE_COLUMNS.map((column) => row[column] ?? ''));
    });
    await write(lines.join(''));
  }
  file.end();
  await once(file, 'close');
  return (await stat(path)).size;
}

/** Everything in the table except ingest-ledger entries (the product never scans; tests may). */
async function tableItemsBesidesLedger(stack: LocalStack): Promise<Record<string, unknown>[]> {
  const page = await stack.aws.clients.documents.send(
    new ScanCommand({
      TableName: stack.aws.tableName,
      FilterExpression: 'entity <> :ledger',
      ExpressionAttributeValues: { ':ledger': 'ingest-ledger' },
    }),
  );
  expect(page.LastEvaluatedKey).toBeUndefined();
  return page.Items ?? [];
}
