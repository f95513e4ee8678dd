// The pack's list sheets, which grow with the data: every open deal, the
// quarter's won deals, the key accounts. Streaming tables (frozen bold header,
// autofilter, fitted widths, repeated header row when printed); rows are
// generated one at a time and written with addRows, which waits for the zip.
import type { ReportWorkbook, TableColumn, TableOptions, TableRow } from '../excel/index.js';
import type { DealLine } from '../report-data.js';
import type { PackLabels } from './pack-labels.js';
import type { AccountInScope } from './pack-scope.js';

export type OpenDealKey = 'deal' | 'account' | 'owner' | 'team' | 'stage' | 'probability' | 'amount' | 'weighted' | 'closeDate' | 'age' | 'nextQuarter';
export type WonDealKey = 'deal' | 'account' | 'owner' | 'team' | 'stage' | 'amount' | 'closeDate' | 'createdDate' | 'cycle';
export type KeyAccountKey = 'account' | 'tier' | 'revenue' | 'share' | 'growthQoQ' | 'growthYoY' | 'wonCount' | 'owner' | 'won' | 'open';

export function openPipelineTable(labels: PackLabels): TableOptions<OpenDealKey> {
  const columns: TableColumn<OpenDealKey>[] = [
    { key: 'deal', header: labels.deal, kind: 'text' },
    { key: 'account', header: labels.account, kind: 'text' },
    { key: 'owner', header: labels.owner, kind: 'text' },
    { key: 'team', header: labels.team, kind: 'text' },
    { key: 'stage', header: labels.stage, kind: 'text' },
    { key: 'probability', header: labels.probability, kind: 'percentTable' },
    { key: 'amount', header: labels.amount, kind: 'moneyCents' },
    { key: 'weighted', header: labels.weighted, kind: 'moneyCents' },
    { key: 'closeDate', header: labels.closeDate, kind: 'date' },
    { key: 'age', header: labels.age, kind: 'days' },
    { key: 'nextQuarter', header: labels.nextQuarterFlag, kind: 'text' },
  ];
  return { columns, dataBar: { column: 'amount' } };
}

export function* openPipelineRows(deals: readonly DealLine[], labels: PackLabels): Generator<TableRow<OpenDealKey>> {
  for (const deal of deals) {
    yield {
      deal: deal.name,
      account: deal.account,
      owner: deal.repName,
      team: deal.team,
      stage: deal.stage,
      probability: deal.probability,
      amount: deal.amount,
      weighted: deal.weighted,
      closeDate: deal.closeDate,
      age: deal.ageDays,
      nextQuarter: deal.nextQuarter ? labels.yes : labels.no,
    };
  }
}

export function closedWonTable(labels: PackLabels): TableOptions<WonDealKey> {
  const columns: TableColumn<WonDealKey>[] = [
    { key: 'deal', header: labels.deal, kind: 'text' },
    { key: 'account', header: labels.account, kind: 'text' },
    { key: 'owner', header: labels.owner, kind: 'text' },
    { key: 'team', header: labels.team, kind: 'text' },
    { key: 'stage', header: labels.stage, kind: 'text' },
    { key: 'amount', header: labels.amount, kind: 'moneyCents' },
    { key: 'closeDate', header: labels.closeDate, kind: 'date' },
    { key: 'createdDate', header: labels.createdDate, kind: 'date' },
    { key: 'cycle', header: labels.cycle, kind: 'days' },
  ];
  return { columns, dataBar: { column: 'amount' } };
}

export function* closedWonRows(deals: readonly DealLine[]): Generator<TableRow<WonDealKey>> {
  for (const deal of deals) {
    yield {
      deal: deal.name,
      account: deal.account,
      owner: deal.repName,
      team: deal.team,
      stage: deal.stage,
      amount: deal.amount,
      closeDate: deal.closeDate,
      createdDate: deal.createdDate,
      cycle: deal.ageDays,
    };
  }
}

export function keyAccountsTable(labels: PackLabels): TableOptions<KeyAccountKey> {
  const columns: TableColumn<KeyAccountKey>[] = [
    { key: 'account', header: labels.account, kind: 'text' },
    { key: 'tier', header: labels.tier, kind: 'text' },
    { key: 'revenue', header: labels.revenue, kind: 'money' },
    { key: 'share', header: labels.share, kind: 'percentTable' },
    { key: 'growthQoQ', header: labels.growthQoQ, kind: 'percentTable' },
    { key: 'growthYoY', header: labels.growthYoY, kind: 'percentTable' },
    { key: 'wonCount', header: labels.wonDeals, kind: 'count' },
    { key: 'owner', header: labels.owner, kind: 'text' },
    { key: 'won', header: labels.repRevenue, kind: 'money' },
    { key: 'open', header: labels.repOpen, kind: 'money' },
  ];
  return { columns, dataBar: { column: 'revenue' } };
}

export function* keyAccountRows(accounts: readonly AccountInScope[]): Generator<TableRow<KeyAccountKey>> {
  for (const row of accounts) {
    yield {
      account: row.account.name,
      tier: row.account.tier,
      revenue: row.account.revenue,
      share: row.account.shareOfRevenue,
      growthQoQ: row.account.growthQoQ,
      growthYoY: row.account.growthYoY,
      wonCount: row.account.wonCount,
      owner: row.owner,
      won: row.won,
      open: row.open,
    };
  }
}

/** Writes one list sheet; resolves once its rows have gone to the zip. */
export async function writeListSheet<K extends string>(
  workbook: ReportWorkbook,
  name: string,
  table: TableOptions<K>,
  rows: Iterable<TableRow<K>>,
): Promise<void> {
  const sheet = workbook.addTableSheet(name, table);
  await sheet.addRows(rows);
  sheet.commit();
}
