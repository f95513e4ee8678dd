// What delivery adds to a report's own e-mail bodies (the scorecard's, or the
// pack's cover note, rendered with the report): notices on top —
// "sent late" for a caught-up report, and the download link when the workbook
// is too large to attach. Pure: strings in, strings out; every value from
// data is escaped by the html builder.
import { el, text as htmlText, type SafeHtml } from '../reports/email/html.js';
import type { ReportLabels } from '../reports/labels/labels.js';
import { fillLabel } from '../reports/scorecard/scorecard-labels.js';
import { localDateTime } from '../reports/uploads-table.js';

export interface DeliveryNotice {
  /** The day a caught-up report was due. */
  lateDueOn?: string;
  /** The day a late report's figures are as of (default: the day it was due). */
  lateAsOf?: string;
  /** The workbook as a presigned link instead of an attachment. */
  link?: { url: string; expiresAt: Date; bytes: number; fileName: string };
  /** The attached workbook's file name. */
  attachment?: string;
}

/** The subject, marked when late. */
export function deliverySubject(subject: string, notice: DeliveryNotice, labels: ReportLabels): string {
  return notice.lateDueOn ? fillLabel(labels.delivery.lateSubject, { subject }) : subject;
}

/**
 * The report's bodies with the delivery notices on top: a banner right after
 * `<body>` in the HTML (inline styles, like the rest), the same lines first in
 * the text. Always says where the workbook is: attached, or the link and until when.
 */
export function withNotices(bodies: { html: string; text: string }, notice: DeliveryNotice, labels: ReportLabels, timeZone: string): { html: string; text: string } {
  const d = labels.delivery;
  const rows: SafeHtml[] = [];
  const lines: string[] = [];
  if (notice.lateDueOn) {
    const line = fillLabel(d.lateNotice, { dueOn: notice.lateDueOn, asOf: notice.lateAsOf ?? notice.lateDueOn });
    rows.push(bannerRow(htmlText(line), '#fff4e5', '#8a4b00'));
    lines.push(line);
  }
  if (notice.link) {
    const expires = `${localDateTime(notice.link.expiresAt.toISOString(), timeZone)} (${timeZone})`;
    const line = fillLabel(d.linkNotice, { size: megabytes(notice.link.bytes), expires });
    const linkText = fillLabel(d.linkText, { file: notice.link.fileName });
    rows.push(
      bannerRow(
        [htmlText(line), ' ', el('a', { href: notice.link.url, style: { color: '#0b5cad', fontWeight: 'bold', wordBreak: 'break-all' } }, linkText)],
        '#eef5fc',
        '#1d2733',
      ),
    );
    lines.push(line, notice.link.url);
  } else if (notice.attachment) {
    lines.push(fillLabel(d.attachedNote, { file: notice.attachment }));
  }
  if (rows.length === 0 && lines.length === 0) return bodies;
  const banner = el(
    'table',
    { role: 'presentation', cellpadding: 0, cellspacing: 0, border: 0, width: '100%', style: { width: '100%', borderCollapse: 'collapse' } },
    el('tbody', {}, rows),
  ).toString();
  // Right after <body>; a body without one (never ours) still gets the banner, first.
  const html = rows.length === 0 ? bodies.html : /<body\b[^>]*>/i.test(bodies.html) ? bodies.html.replace(/<body\b[^>]*>/i, (open) => `${open}${banner}`) : `${banner}${bodies.html}`;
  return { html, text: `${lines.join('\n')}\n\n${bodies.text}` };
}

function bannerRow(content: SafeHtml | (SafeHtml | string)[], background: string, color: string): SafeHtml {
  return el(
    'tr',
    {},
    el(
      'td',
      { align: 'center', bgcolor: background, style: { padding: '10px 16px', backgroundColor: background, color, fontFamily: 'Arial, Helvetica, sans-serif', fontSize: '14px', lineHeight: '20px' } },
      content,
    ),
  );
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
