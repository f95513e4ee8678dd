// Where the numbers come from and what is wrong with them: the uploads (rows
// read, accepted, rejected, skipped), past-due and undated open deals of the
// scope, and — in the organisation's pack only, since they are not any team's —
// the owners that match no one and the reconciliation of rows read vs used.
import type { BlockTable, ReportWorkbook } from '../excel/index.js';
import { uploadsTable } from '../uploads-table.js';
import type { ReportData } from '../report-data.js';
import { fill, type PackLabels } from './pack-labels.js';
import type { ScopedPack } from './pack-scope.js';

export interface DataQualityPage {
  title: string;
  tables: BlockTable[];
}

export function dataQualityPage(pack: ScopedPack, data: ReportData, labels: PackLabels): DataQualityPage {
  const tables: BlockTable[] = [
    uploadsTable(data, {
      title: labels.uploads,
      file: labels.file,
      kind: labels.kind,
      preset: labels.preset,
      status: labels.status,
      finishedAt: labels.finishedAt,
      read: labels.read,
      accepted: labels.accepted,
      rejected: labels.rejected,
      skipped: labels.skipped,
    }),
    {
      title: `${labels.pastDueDeals} (${pack.pastDue.length})`,
      columns: [
        { key: 'deal', header: labels.deal, kind: 'text' },
        { key: 'account', header: labels.account, kind: 'text' },
        { key: 'owner', header: labels.owner, kind: 'text' },
        { key: 'team', header: labels.team, kind: 'text' },
        { key: 'closeDate', header: labels.closeDate, kind: 'date' },
        { key: 'days', header: labels.daysPastDue, kind: 'days' },
        { key: 'amount', header: labels.amount, kind: 'moneyCents' },
      ],
      rows: pack.pastDue.map((item) => ({
        deal: item.deal.name,
        account: item.deal.account,
        owner: item.repName,
        team: item.team,
        closeDate: item.deal.closeDate,
        days: item.daysPastDue,
        amount: item.deal.amount,
      })),
    },
    {
      title: `${labels.undatedDeals} (${pack.undated.length})`,
      columns: [
        { key: 'deal', header: labels.deal, kind: 'text' },
        { key: 'account', header: labels.account, kind: 'text' },
        { key: 'owner', header: labels.owner, kind: 'text' },
        { key: 'team', header: labels.team, kind: 'text' },
        { key: 'stage', header: labels.stage, kind: 'text' },
        { key: 'amount', header: labels.amount, kind: 'moneyCents' },
      ],
      rows: pack.undated.map((item) => ({
        deal: item.deal.name,
        account: item.deal.account,
        owner: item.repName,
        team: item.team,
        stage: item.deal.stage,
        amount: item.deal.amount,
      })),
    },
  ];
  if (pack.scope.level === 'company') {
    const reconciliation = Object.values(data.metrics.reconciliation);
    tables.push(
      {
        title: `${labels.unmatchedOwners} (${data.metrics.unmatchedOwners.length})`,
        columns: [{ key: 'owner', header: labels.owner, kind: 'text' }],
        rows: data.metrics.unmatchedOwners.map((owner) => ({ owner })),
      },
      {
        title: labels.reconciliation,
        columns: [
          { key: 'kind', header: labels.kind, kind: 'text' },
          { key: 'loaded', header: labels.loaded, kind: 'count' },
          { key: 'used', header: labels.used, kind: 'count' },
          { key: 'unused', header: labels.unused, kind: 'count' },
        ],
        rows: reconciliation.map((kind) => ({ kind: kind.kind, loaded: kind.loaded, used: kind.used, unused: kind.loaded - kind.used })),
      },
      {
        title: labels.unusedRows,
        columns: [
          { key: 'kind', header: labels.kind, kind: 'text' },
          { key: 'reason', header: labels.reason, kind: 'text' },
          { key: 'count', header: labels.count, kind: 'count' },
          { key: 'examples', header: labels.examples, kind: 'text' },
        ],
        rows: reconciliation.flatMap((kind) =>
          kind.unused.map((group) => ({ kind: kind.kind, reason: group.reason, count: group.count, examples: group.examples.slice(0, 3).join('; ') })),
        ),
      },
    );
  }
  return { title: fill(labels.summaryTitle, { scope: pack.scopeName, period: data.metrics.period.label, asOf: data.metrics.asOf }), tables };
}

export function writeDataQuality(workbook: ReportWorkbook, page: DataQualityPage, labels: PackLabels): void {
  const sheet = workbook.addBlockSheet(labels.sheetDataQuality, { onePage: false });
  sheet.title(page.title).blank();
  for (const table of page.tables) {
    if (table.rows.length === 0) sheet.heading(table.title ?? '').line(labels.none).blank();
    else sheet.table(table).blank();
  }
  sheet.commit();
}
