// One e-mail as raw MIME, composed by nodemailer's MailComposer (never by
// hand): multipart/alternative text + HTML, inline images by Content-ID, the
// workbook as an attachment with an RFC 2231 file name. Display names from the
// people file or the config go through the composer's own header encoding; CR,
// LF and other control characters are taken out first, so no value can end a
// header and start another. The composer may not read files or URLs.
import MailComposer from 'nodemailer/lib/mail-composer';

export interface MailAddress {
  address: string;
  name: string;
}

export interface MailMessage {
  from: MailAddress;
  to: MailAddress;
  subject: string;
  html: string;
  text: string;
  images?: readonly { cid: string; png: Uint8Array }[];
  attachment?: { fileName: string; content: Uint8Array; contentType: string };
  /** Extra `X-Revperf-*` headers (report, period, scope): plain tokens. */
  headers?: Readonly<Record<string, string>>;
  /** Fixed for reproducible tests; default now. */
  date?: Date;
}

/** Control characters (CR, LF, tabs, NUL, …) and Unicode line/paragraph separators become spaces. */
export function headerSafe(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g, ' ').trim();
}

export async function composeMail(message: MailMessage): Promise<Buffer> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (!/^X-Revperf-[A-Za-z-]+$/.test(name)) throw new Error(`not a revperf header name: ${JSON.stringify(name)}`);
    headers[name] = headerSafe(value);
  }
  const composer = new MailComposer({
    from: { name: headerSafe(message.from.name), address: headerSafe(message.from.address) },
    to: { name: headerSafe(message.to.name), address: headerSafe(message.to.address) },
    subject: headerSafe(message.subject),
    text: message.text,
    html: message.html,
    date: message.date ?? new Date(),
    headers,
    attachments: [
      ...(message.images ?? []).map((image) => ({
        cid: headerSafe(image.cid),
        filename: `${headerSafe(image.cid).replace(/@.*$/, '')}.png`,
        content: Buffer.from(image.png),
        contentType: 'image/png',
        contentDisposition: 'inline' as const,
      })),
      ...(message.attachment
        ? [{ filename: headerSafe(message.attachment.fileName), content: Buffer.from(message.attachment.content), contentType: message.attachment.contentType }]
        : []),
    ],
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return composer.compile().build();
}
