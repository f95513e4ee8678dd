import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { composeMail, headerSafe } from '../../../shared/delivery/mail-message.js';
import { deliverySubject, withNotices } from '../../../shared/delivery/delivery-email.js';
import { workbookFileName } from '../../../shared/delivery/deliver-report.js';
import { en } from '../../../shared/reports/labels/en.js';
import { es } from '../../../shared/reports/labels/es.js';

const XLSX = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 1, 2, 3, 0xff, 0xfe, 13, 10, 46]);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 13, 10, 0x1a, 10, 9, 9, 9]);

function headerNames(raw: Buffer): string[] {
  const head = raw.toString('latin1').split(/\r\n\r\n/)[0]!;
  return head.split(/\r\n(?![ \t])/).map((line) => line.slice(0, line.indexOf(':')).toLowerCase());
}

describe('one e-mail as MIME', () => {
  it('parses back: subject, addresses, both bodies, the inline chart by CID and the workbook byte for byte, with an RFC 2231 file name', async () => {
    const raw = await composeMail({
      from: { address: 'revperf@acme.com', name: 'Acme · revperf' },
      to: { address: 'ana@acme.com', name: 'Ana Peña "la jefa"' },
      subject: 'Equipo Sur · FY2027-Q3 · semana 7 de 13 · €1,2 M',
      html: '<html><body><img src="cid:attainment-chart@revperf" alt="chart"><p>¡Hola!</p></body></html>',
      text: '¡Hola!',
      images: [{ cid: 'attainment-chart@revperf', png: PNG }],
      attachment: { fileName: 'Acme weekly-scorecard 2026-W47 team-münchen.xlsx', content: XLSX, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
      headers: { 'X-Revperf-Report': 'weekly-scorecard/2026-W47/team-sur' },
      date: new Date('2026-11-16T07:00:00Z'),
    });
    const mail = await simpleParser(raw);
    expect(mail.subject).toBe('Equipo Sur · FY2027-Q3 · semana 7 de 13 · €1,2 M');
    expect(mail.from?.value).toEqual([{ address: 'revperf@acme.com', name: 'Acme · revperf' }]);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value : null).toEqual([{ address: 'ana@acme.com', name: 'Ana Peña "la jefa"' }]);
    expect(mail.text?.trim()).toBe('¡Hola!');
    expect(mail.html).toContain('¡Hola!');
    expect(mail.headers.get('x-revperf-report')).toBe('weekly-scorecard/2026-W47/team-sur');
    const chart = mail.attachments.find((attachment) => attachment.contentId === '<attainment-chart@revperf>');
    expect(chart?.contentDisposition).toBe('inline');
    expect(Buffer.compare(chart!.content, Buffer.from(PNG))).toBe(0);
    const workbook = mail.attachments.find((attachment) => attachment.filename?.endsWith('.xlsx'));
    expect(workbook?.filename).toBe('Acme weekly-scorecard 2026-W47 team-münchen.xlsx');
    expect(Buffer.compare(workbook!.content, Buffer.from(XLSX))).toBe(0);
    // Non-ASCII file names go as RFC 2231 parameters (filename*=utf-8''…), not raw bytes.
    expect(raw.toString('latin1')).toMatch(/filename\*(0\*)?=utf-8''/i);
    expect(raw.toString('latin1')).not.toMatch(/[^\x00-\x7f]/);
  });

  it('lets no name, subject or file name start a header of its own (CR, LF, U+2028)', async () => {
    const raw = await composeMail({
      from: { address: 'revperf@acme.com', name: 'Acme\r\nBcc: spy@evil.example' },
      to: { address: 'ana@acme.com', name: 'Ana\nBcc: spy@evil.example\u2028X-Evil: 1' },
      subject: 'Scorecard\r\nBcc: spy@evil.example',
      html: '<p>x</p>',
      text: 'x',
      attachment: { fileName: 'a\r\nContent-Type: text/html.xlsx', content: XLSX, contentType: 'application/octet-stream' },
    });
    const names = headerNames(raw);
    expect(names).not.toContain('bcc');
    expect(names).not.toContain('x-evil');
    const mail = await simpleParser(raw);
    expect(mail.bcc).toBeUndefined();
    expect(mail.subject).toBe('Scorecard Bcc: spy@evil.example');
    expect(headerSafe('a\u0000b\tc\u2029d')).toBe('a b c d');
    await expect(composeMail({ from: { address: 'a@acme.com', name: '' }, to: { address: 'b@acme.com', name: '' }, subject: 's', html: '', text: '', headers: { 'Bcc': 'x' } })).rejects.toThrow(/not a revperf header/);
  });

  it('names the workbook with plain characters only', () => {
    expect(workbookFileName('Acme / "EMEA": <Q3>', { kind: 'pre-review-pack', periodId: 'FY2027-Q3', scope: { level: 'team', team: 'UK & Ireland' } })).toMatch(
      /^Acme EMEA Q3 pre-review-pack FY2027-Q3 team-uk-ireland-[0-9a-f]+\.xlsx$/,
    );
  });
});

describe('delivery notices', () => {
  const html = '<!DOCTYPE html><html><body style="margin:0"><table><tr><td>REPORT-BODY</td></tr></table></body></html>';

  it('marks a late report in the subject and on top of both bodies, in the report language', () => {
    expect(deliverySubject('Team West · FY2027-Q3', { lateDueOn: '2026-11-16' }, en)).toBe('[Late] Team West · FY2027-Q3');
    expect(deliverySubject('Equipo Oeste', { lateDueOn: '2026-11-16' }, es)).toBe('[Con retraso] Equipo Oeste');
    expect(deliverySubject('Team West', {}, en)).toBe('Team West');
    const bodies = withNotices({ html, text: 'report' }, { lateDueOn: '2026-11-16', attachment: 'x.xlsx' }, en, 'Europe/Madrid');
    expect(bodies.html.indexOf('2026-11-16')).toBeGreaterThan(bodies.html.indexOf('<body'));
    expect(bodies.html.indexOf('2026-11-16')).toBeLessThan(bodies.html.indexOf('REPORT-BODY'));
    expect(bodies.text.split('\n')[0]).toContain('due on 2026-11-16');
    expect(bodies.text).toContain('The workbook is attached: x.xlsx.');
  });

  it('gives the link and until when it works, escaped, when the workbook is not attached', () => {
    const link = { url: 'https://bucket.s3.amazonaws.com/reports/x.xlsx?X-Amz-Signature=a&b=<c>', expiresAt: new Date('2026-11-19T07:00:00Z'), bytes: 12 * 1024 * 1024, fileName: 'Acme <pack>.xlsx' };
    const bodies = withNotices({ html, text: 'report' }, { link }, en, 'Europe/Madrid');
    expect(bodies.html).toContain('href="https://bucket.s3.amazonaws.com/reports/x.xlsx?X-Amz-Signature=a&amp;b=&lt;c&gt;"');
    expect(bodies.html).toContain('Download Acme &lt;pack&gt;.xlsx');
    expect(bodies.html).toContain('12.0 MB');
    // 07:00 UTC is 08:00 in Madrid.
    expect(bodies.html).toContain('2026-11-19 08:00 (Europe/Madrid)');
    expect(bodies.text).toContain(link.url);
    expect(bodies.html).not.toContain('<pack>');
  });
});
