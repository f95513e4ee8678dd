// The uploads a report's figures come from, as both workbooks list them (the
// scorecard's Data sheet, the pack's Data quality sheet): one table, one
// format, load times in the organisation's time zone.
import type { BlockTable } from './excel/index.js';
import type { ReportData } from './report-data.js';

export interface UploadsTableLabels {
  title: string;
  file: string;
  kind: string;
  preset: string;
  status: string;
  finishedAt: string;
  read: string;
  accepted: string;
  rejected: string;
  skipped: string;
}

type UploadColumn = Exclude<keyof UploadsTableLabels, 'title'>;

export function uploadsTable(data: ReportData, labels: UploadsTableLabels): BlockTable<UploadColumn> {
  return {
    title: labels.title,
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
      finishedAt: upload.finishedAt === null ? null : localDateTime(upload.finishedAt, data.settings.timeZone),
      read: upload.read,
      accepted: upload.accepted,
      rejected: upload.rejected,
      skipped: upload.skipped,
    })),
  };
}

/** An instant in the organisation's time zone, as the workbooks show it: "2026-11-16 02:02". */
export function localDateTime(iso: string, timeZone: string): string {
  const parts: Record<string, string> = {};
  const format = new Intl.DateTimeFormat('en', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone });
  for (const part of format.formatToParts(new Date(iso))) parts[part.type] = part.value;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}
