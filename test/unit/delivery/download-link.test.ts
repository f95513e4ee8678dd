import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signDownloadLink, signedDownloadLinks, verifyDownloadLink } from '../../../shared/delivery/download-link.js';

const SECRET = 'k'.repeat(24) + 'Zq8wV3xN5mB7cL2pR9tY4uI6oE1aS0dF'; // 56 characters, like the stack's generated key
const BASE = 'https://abc123.lambda-url.eu-west-1.on.aws/';
const KEY = 'reports/weekly-scorecard/2026-W47/team-west.xlsx';
const NOW = new Date('2026-11-16T12:00:00Z');
const EXPIRES = new Date('2026-11-19T12:00:00Z');

/** The query a Function URL hands the function: each parameter URL-decoded. */
function queryOf(link: string): Record<string, string> {
  return Object.fromEntries(new URL(link).searchParams);
}

function hmacHex(key: string, exp: string, secret = SECRET): string {
  return createHmac('sha256', secret).update(`${key}\n${exp}`).digest('hex');
}

describe('signDownloadLink', () => {
  it('builds base?key=…&exp=<epoch seconds>&sig=<HMAC-SHA256 hex of "key\\nexp">', () => {
    const link = signDownloadLink(BASE, KEY, EXPIRES, SECRET);
    const exp = String(EXPIRES.getTime() / 1000);
    expect(link).toBe(`${BASE}?key=${encodeURIComponent(KEY)}&exp=${exp}&sig=${hmacHex(KEY, exp)}`);
  });

  it('encodes keys with spaces, plus signs and non-ASCII characters so they come back unchanged', () => {
    const key = 'reports/quarterly-pack/FY2027-Q1/team-münchen & co+1 (b).xlsx';
    const link = signDownloadLink(BASE, key, EXPIRES, SECRET);
    expect(link).not.toMatch(/[ +&]co/);
    expect(verifyDownloadLink(queryOf(link), NOW, SECRET)).toEqual({ ok: true, key });
  });

  it('refuses to sign a key outside reports/, with .., or with a short secret', () => {
    expect(() => signDownloadLink(BASE, 'uploads/deals/crm.csv', EXPIRES, SECRET)).toThrow(/not a downloadable report key/);
    expect(() => signDownloadLink(BASE, 'reports/../uploads/deals/crm.csv', EXPIRES, SECRET)).toThrow(/not a downloadable report key/);
    expect(() => signDownloadLink(BASE, KEY, EXPIRES, 'short')).toThrow(/at least 32/);
    expect(() => signDownloadLink(`${BASE}?x=1`, KEY, EXPIRES, SECRET)).toThrow(/no query/);
  });

  it('signedDownloadLinks reads the secret when asked and signs with it', async () => {
    let reads = 0;
    const links = signedDownloadLinks(BASE, async () => (reads++, SECRET));
    expect(reads).toBe(0);
    expect(await links.url(KEY, EXPIRES)).toBe(signDownloadLink(BASE, KEY, EXPIRES, SECRET));
    expect(reads).toBe(1);
  });
});

describe('verifyDownloadLink', () => {
  const link = signDownloadLink(BASE, KEY, EXPIRES, SECRET);
  const query = queryOf(link);

  it('accepts a valid link up to the second before its expiry, and names the key', () => {
    expect(verifyDownloadLink(query, NOW, SECRET)).toEqual({ ok: true, key: KEY });
    expect(verifyDownloadLink(query, new Date(EXPIRES.getTime() - 1000), SECRET)).toEqual({ ok: true, key: KEY });
  });

  it('answers 410 from the promised expiry on', () => {
    expect(verifyDownloadLink(query, EXPIRES, SECRET)).toMatchObject({ ok: false, status: 410 });
    expect(verifyDownloadLink(query, new Date(EXPIRES.getTime() + 86_400_000), SECRET)).toMatchObject({ ok: false, status: 410 });
  });

  it('answers 403 to a tampered key, expiry or signature, and to another secret', () => {
    expect(verifyDownloadLink({ ...query, key: 'reports/weekly-scorecard/2026-W47/organisation.xlsx' }, NOW, SECRET)).toMatchObject({ ok: false, status: 403 });
    // Extending the link by a day does not work, and neither does moving it into the past.
    expect(verifyDownloadLink({ ...query, exp: String(Number(query.exp) + 86_400) }, NOW, SECRET)).toMatchObject({ ok: false, status: 403 });
    expect(verifyDownloadLink({ ...query, exp: String(Number(query.exp) - 86_400 * 10) }, NOW, SECRET)).toMatchObject({ ok: false, status: 403 });
    const flipped = query.sig!.slice(0, -1) + (query.sig!.endsWith('0') ? '1' : '0');
    expect(verifyDownloadLink({ ...query, sig: flipped }, NOW, SECRET)).toMatchObject({ ok: false, status: 403 });
    expect(verifyDownloadLink(query, NOW, SECRET.replace('Z', 'z'))).toMatchObject({ ok: false, status: 403 });
  });

  it('answers 403 to a key outside reports/ or with .., even signed with the right secret', () => {
    const exp = query.exp!;
    for (const key of ['uploads/deals/crm.csv', 'reports/../uploads/deals/crm.csv', 'reports/..', '/reports/x.xlsx', 'reports/', 'Reports/x.xlsx']) {
      expect(verifyDownloadLink({ key, exp, sig: hmacHex(key, exp) }, NOW, SECRET), key).toMatchObject({ ok: false, status: 403 });
    }
  });

  it('answers 400 to a missing or garbled parameter', () => {
    expect(verifyDownloadLink(undefined, NOW, SECRET)).toMatchObject({ ok: false, status: 400 });
    expect(verifyDownloadLink(null, NOW, SECRET)).toMatchObject({ ok: false, status: 400 });
    expect(verifyDownloadLink({}, NOW, SECRET)).toMatchObject({ ok: false, status: 400 });
    for (const missing of ['key', 'exp', 'sig'] as const) {
      const { [missing]: _dropped, ...rest } = query;
      expect(verifyDownloadLink(rest, NOW, SECRET), missing).toMatchObject({ ok: false, status: 400 });
    }
    for (const exp of ['soon', '-5', '1.5e9', `${query.exp},${query.exp}`, '9'.repeat(13)]) {
      expect(verifyDownloadLink({ ...query, exp }, NOW, SECRET), exp).toMatchObject({ ok: false, status: 400 });
    }
    for (const sig of ['abc', query.sig!.slice(2), `${query.sig}00`, 'z'.repeat(64)]) {
      expect(verifyDownloadLink({ ...query, sig }, NOW, SECRET), sig).toMatchObject({ ok: false, status: 400 });
    }
  });

  it('accepts only the exact link it signed (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 60 }).map((tail) => `reports/${tail}`).filter((key) => !key.includes('..') && !/[\u0000-\u001f\u007f]/.test(key)),
        fc.integer({ min: 1, max: 168 }),
        fc.integer({ min: 0, max: 63 }),
        (key, hours, position) => {
          const expiresAt = new Date(NOW.getTime() + hours * 3_600_000);
          const signed = queryOf(signDownloadLink(BASE, key, expiresAt, SECRET));
          expect(verifyDownloadLink(signed, NOW, SECRET)).toEqual({ ok: true, key });
          const sig = signed.sig!;
          const other = sig.slice(0, position) + (sig[position] === 'a' ? 'b' : 'a') + sig.slice(position + 1);
          expect(verifyDownloadLink({ ...signed, sig: other }, NOW, SECRET)).toMatchObject({ ok: false, status: 403 });
        },
      ),
    );
  });
});
