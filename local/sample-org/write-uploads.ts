// Renders the sample organisation as the files a sales-ops user would upload,
// each in the shape its CRM really exports: a Salesforce opportunity report
// (every field quoted, "$1,234,567", M/D/YYYY, footer), a HubSpot deals XLSX
// (date cells, stage ids per pipeline) and a Pipedrive export in a European
// locale (Windows-1252, ';', "1.234,56", DD.MM.YYYY, CRLF).
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { Person } from '../../shared/domain/types.js';
import { fiscalQuarterOf, parseCivilDate, spreadsheetDate } from './dates.js';
import {
  csvText,
  dottedDate,
  EUROPEAN_NUMBERS,
  formatAmount,
  US_NUMBERS,
  usDate,
  type CsvStyle,
} from './formats.js';
import { EXPORT_FILES, type ExportRow, type SampleDeal, type SampleOrg } from './model.js';
import { currencyExponent } from './money.js';
import { FISCAL_YEAR_START_MONTH } from './roster.js';
import { workbookBytes } from './xlsx-file.js';

export interface UploadFile {
  /** Path relative to the upload directory; also the key under `uploads/`. */
  path: string;
  bytes: Buffer;
}

export const SALESFORCE_HEADER = [
  'Opportunity ID',
  'Opportunity Name',
  'Account Name',
  'Opportunity Owner',
  'Stage',
  'Amount',
  'Opportunity Currency',
  'Probability (%)',
  'Expected Revenue',
  'Close Date',
  'Created Date',
  'Fiscal Period',
  'Forecast Category',
  'Type',
  'Lead Source',
] as const;

export const HUBSPOT_HEADER = [
  'Record ID',
  'Deal Name',
  'Deal Stage',
  'Close Date',
  'Deal owner',
  'Amount',
  'Currency',
  'Pipeline',
  'Create Date',
  'Last Activity Date',
  'Associated Company',
] as const;

export const PIPEDRIVE_HEADER = [
  'Deal - ID',
  'Deal - Title',
  'Deal - Value',
  'Deal - Currency',
  'Deal - Stage',
  'Deal - Status',
  'Deal - Owner',
  'Deal - Expected close date',
  'Deal - Won time',
  'Deal - Deal created',
  'Deal - Organization',
] as const;

const SALESFORCE_CSV: CsvStyle = { delimiter: ',', quoteAll: true, lineEnd: '\n' };
const PIPEDRIVE_CSV: CsvStyle = { delimiter: ';', quoteAll: false, lineEnd: '\r\n' };
const PLAIN_CSV: CsvStyle = { delimiter: ',', quoteAll: false, lineEnd: '\n' };

/** Every upload of the sample org, in a fixed order. */
export async function renderSampleUploads(org: SampleOrg): Promise<UploadFile[]> {
  return [
    { path: 'revperf.config.json', bytes: Buffer.from(`${JSON.stringify(org.config, null, 2)}\n`, 'utf8') },
    { path: EXPORT_FILES.salesforce, bytes: Buffer.from(salesforceReport(org), 'utf8') },
    { path: EXPORT_FILES.hubspot, bytes: await hubspotWorkbook(org) },
    { path: EXPORT_FILES.pipedrive, bytes: windows1252(pipedriveExport(org)) },
    { path: 'people/people.csv', bytes: Buffer.from(peopleFile(org.people), 'utf8') },
    { path: 'quotas/quotas.csv', bytes: Buffer.from(quotasFile(org), 'utf8') },
    { path: 'accounts/key-accounts.csv', bytes: Buffer.from(accountsFile(org), 'utf8') },
    { path: 'fx/rates.csv', bytes: Buffer.from(ratesFile(org), 'utf8') },
  ];
}

/** Writes dir/revperf.config.json and dir/{deals,people,quotas,accounts,fx}/…; returns the written paths. */
export async function writeSampleUploads(org: SampleOrg, dir: string): Promise<string[]> {
  const written: string[] = [];
  for (const file of await renderSampleUploads(org)) {
    const target = join(dir, file.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.bytes);
    written.push(target);
  }
  return written;
}

// ---------------------------------------------------------------- Salesforce

/** `Q4-2027`: how a Salesforce report prints the fiscal period of the close date. */
function salesforceFiscalPeriod(deal: SampleDeal): string {
  const quarter = fiscalQuarterOf(deal.closeDate, FISCAL_YEAR_START_MONTH);
  return `Q${quarter.quarter}-${quarter.fiscalYear}`;
}

function forecastCategory(deal: SampleDeal): string {
  if (deal.stageClass === 'won') return 'Closed';
  if (deal.stageClass === 'lost') return 'Omitted';
  if (deal.probability >= 0.9) return 'Commit';
  return deal.probability >= 0.6 ? 'Best Case' : 'Pipeline';
}

/** Most amounts print as "$1,234,567"; every eleventh as "USD 1,234.00", as multi-currency orgs show them. */
function salesforceMoney(cents: number, rowIndex: number): string {
  return rowIndex % 11 === 7 ? `USD ${formatAmount(cents, 2, US_NUMBERS)}` : `$${formatAmount(cents, 2, US_NUMBERS, 0)}`;
}

function salesforceRow({ deal, defect }: ExportRow, rowIndex: number): string[] {
  const expectedRevenue = Math.round((deal.originalAmount * deal.probability) / 100) * 100;
  const closeDate = defect?.kind === 'missing-close-date' ? '' : usDate(deal.closeDate);
  return [
    deal.id,
    deal.name,
    deal.account,
    deal.owner,
    deal.stage,
    defect?.kind === 'non-numeric-amount' ? defect.text : salesforceMoney(deal.originalAmount, rowIndex),
    deal.currency,
    String(Math.round(deal.probability * 100)),
    salesforceMoney(expectedRevenue, rowIndex),
    closeDate,
    deal.createdDate === null ? '' : usDate(deal.createdDate),
    closeDate === '' ? '' : salesforceFiscalPeriod(deal),
    forecastCategory(deal),
    deal.dealType,
    deal.leadSource,
  ];
}

function salesforceReport(org: SampleOrg): string {
  const rows = org.exports.salesforce;
  assertSingleLine(rows);
  const year = parseCivilDate(org.asOf).year;
  const footer = [
    '',
    `"Grand Totals (${rows.length} records)"`,
    '',
    '"Confidential Information - Do Not Distribute"',
    `"Copyright (c) 2000-${year} salesforce.com, inc. All rights reserved."`,
  ].join('\n');
  return `${csvText(SALESFORCE_HEADER, rows.map(salesforceRow), SALESFORCE_CSV)}${footer}\n`;
}

// ---------------------------------------------------------------- HubSpot

function hubspotAmount({ deal, defect }: ExportRow): number | string {
  if (defect?.kind === 'negative-amount') return defect.value;
  if (defect?.kind === 'non-numeric-amount') return defect.text;
  return deal.originalAmount / 10 ** currencyExponent(deal.currency);
}

async function hubspotWorkbook(org: SampleOrg): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('All deals');
  sheet.addRow([...HUBSPOT_HEADER]).font = { bold: true };
  for (const row of org.exports.hubspot) {
    const { deal } = row;
    const recordId = Number(deal.id);
    // HubSpot's Create Date is a date-time; the time of day is derived from the id so it stays deterministic.
    const created = deal.createdDate === null ? null : spreadsheetDate(deal.createdDate, 8 + (recordId % 10), recordId % 60);
    sheet.addRow([
      recordId,
      deal.name,
      deal.stage,
      spreadsheetDate(deal.closeDate),
      deal.owner,
      hubspotAmount(row),
      deal.currency,
      deal.pipeline,
      created,
      deal.lastActivityDate === null ? null : spreadsheetDate(deal.lastActivityDate),
      deal.account,
    ]);
  }
  sheet.getColumn(4).numFmt = 'yyyy-mm-dd';
  sheet.getColumn(6).numFmt = '#,##0.00';
  sheet.getColumn(9).numFmt = 'yyyy-mm-dd hh:mm';
  sheet.getColumn(10).numFmt = 'yyyy-mm-dd';
  sheet.getRow(1).eachCell((cell) => (cell.numFmt = 'General'));
  [14, 48, 24, 12, 22, 14, 10, 12, 17, 12, 32].forEach((width, index) => (sheet.getColumn(index + 1).width = width));
  return workbookBytes(workbook, spreadsheetDate(org.asOf, 9));
}

// ---------------------------------------------------------------- Pipedrive

function pipedriveRow({ deal, defect }: ExportRow): string[] {
  return [
    deal.id,
    deal.name,
    formatAmount(deal.originalAmount, currencyExponent(deal.currency), EUROPEAN_NUMBERS),
    defect?.kind === 'unknown-currency' ? defect.currency : deal.currency,
    deal.stage,
    deal.stageClass,
    deal.owner,
    defect?.kind === 'impossible-close-date' ? defect.text : dottedDate(deal.closeDate),
    deal.stageClass === 'won' ? dottedDate(deal.closeDate) : '',
    deal.createdDate === null ? '' : dottedDate(deal.createdDate),
    deal.account,
  ];
}

function pipedriveExport(org: SampleOrg): string {
  assertSingleLine(org.exports.pipedrive);
  return csvText(PIPEDRIVE_HEADER, org.exports.pipedrive.map(pipedriveRow), PIPEDRIVE_CSV);
}

/** Encodes as Windows-1252, refusing text the code page cannot hold (iconv-lite would write '?'). */
export function windows1252(text: string): Buffer {
  const bytes = iconv.encode(text, 'windows-1252');
  if (iconv.decode(bytes, 'windows-1252') !== text) throw new RangeError('text has characters Windows-1252 cannot encode');
  return bytes;
}

// ---------------------------------------------------------------- people, quotas, accounts, rates

function peopleFile(people: readonly Person[]): string {
  const nameOf = new Map(people.map((person) => [person.id, person.name]));
  const rows = people.map((person) => [
    person.name,
    person.email ?? '',
    person.role ?? '',
    person.team,
    person.manager === null ? '' : (nameOf.get(person.manager) ?? person.manager),
    person.region,
    person.active ? 'yes' : 'no',
    person.effectiveFrom ?? '',
  ]);
  return csvText(['Name', 'Email', 'Role', 'Team', 'Manager', 'Region', 'Active', 'Effective from'], rows, PLAIN_CSV);
}

function quotasFile(org: SampleOrg): string {
  const rows = org.quotaRows.map((row) => [row.rep, row.team, row.region, row.period, String(row.amountUsd), 'USD']);
  return csvText(['Rep', 'Team', 'Region', 'Period', 'Quota', 'Currency'], rows, PLAIN_CSV);
}

function accountsFile(org: SampleOrg): string {
  const rows = org.accountRows.map((row) => [row.name, row.tier, row.keyAccount ? 'yes' : 'no']);
  return csvText(['Account Name', 'Tier', 'Key account'], rows, PLAIN_CSV);
}

function ratesFile(org: SampleOrg): string {
  const rows = org.fxRates.map((rate) => [rate.currency, String(rate.rate), rate.validFrom ?? '']);
  return csvText(['Currency', 'Rate', 'Valid from'], rows, PLAIN_CSV);
}

/** The bad-row line numbers assume one physical line per record. */
function assertSingleLine(rows: readonly ExportRow[]): void {
  for (const { deal } of rows) {
    if (/[\r\n]/.test(deal.name + deal.account + deal.owner)) {
      throw new RangeError(`deal ${deal.id} has a line break; bad-row line numbers would be wrong`);
    }
  }
}
