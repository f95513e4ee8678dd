// Where the numbers come from and what is wrong with them: the uploads (rows
// read, accepted, rejected, skipped), past-due and undated open deals of the
// scope, and — in the organisation's pack only, since they are not any team's —
// the owners that match no one and the reconciliation of rows read vs used.
import type { BlockTable, ReportWorkbook } from '../excel/index.js';
import type { ReportData } from '../report-data.js';
import { fill, type PackLabels } from './pack-labels.js';
import type { ScopedPack } from './pack-scope.js';

export interface DataQualityPage {
  title: string;
  tables: BlockTable[];
}

export function dataQualityPage(pack: ScopedPack, data: ReportData, labels: PackLabels): DataQualityPage {
  const tables: BlockTable[] = [
    {
      title: labels.uploads,
      columns: [
        { key: 'file', header: labels.file, kind: 'text' },
        { key: 'kind', header: labels.kind, kind: 'text' },
        { key: 'preset', header: labels.preset, kind: 'text' },
        { key: 'status', header: labels.status, kind: 'text' },
        { key: 'finishedAt', header: labels.finishedAt, kind: 'text' },
        { key: 'read', header: labels.read, kind: 'count' },
        { key: 'accepted', header: labels.accepted, kind: 'count' },
        { key: 'rejected', header: labels.rejected, kind: 'count' },
        { key: 'skipped', header: labels.skipped, kind: 'count' },
      ],
      rows: data.uploads.map((upload) => ({
        file: upload.file,
        kind: upload.kind,
        preset: upload.preset,
        status: upload.status,
        // An ISO instant as text: the day and time as stored, in UTC.
        finishedAt: upload.finishedAt === null ? null : upload.finishedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC'),
        read: upload.read,
        accepted: upload.accepted,
        rejected: upload.rejected,
        skipped: upload.skipped,
      })),
    },
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
