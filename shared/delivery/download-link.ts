// Download links that expire exactly when the e-mail says. A presigned S3 URL
// signed in Lambda dies with the role session that signed it, possibly hours
// before mail.linkExpiryHours; these links are signed with a long-lived HMAC
// key instead, and the download function checks them and only then hands out
// a short-lived presigned URL. Pure: node:crypto only.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The only objects a link may name: the stored reports. */
export const DOWNLOAD_KEY_PREFIX = 'reports/';

/** Below this the key is not a real secret (the stack generates 64 characters). */
const MIN_SECRET_LENGTH = 32;

export type DownloadLinkCheck =
  | { ok: true; key: string }
  | { ok: false; status: 400 | 403 | 410; reason: string };

/** What the deliver worker needs to put a link in an e-mail. */
export interface DownloadLinks {
  url(key: string, expiresAt: Date): Promise<string>;
}

function checkedSecret(secret: string): string {
  if (secret.length < MIN_SECRET_LENGTH) throw new Error(`the download link secret is ${secret.length} characters; at least ${MIN_SECRET_LENGTH} are needed`);
  return secret;
}

function isDownloadableKey(key: string): boolean {
  // No control characters either: a key is a plain path under reports/.
  return key.startsWith(DOWNLOAD_KEY_PREFIX) && key.length > DOWNLOAD_KEY_PREFIX.length && !key.includes('..') && !/[\u0000-\u001f\u007f]/.test(key);
}

function signature(key: string, exp: string, secret: string): Buffer {
  return createHmac('sha256', checkedSecret(secret)).update(`${key}\n${exp}`, 'utf8').digest();
}

/** `${baseUrl}?key=…&exp=<epoch seconds>&sig=<HMAC-SHA256 hex of "key\nexp">`; the link works until expiresAt (to the second). */
export function signDownloadLink(baseUrl: string, key: string, expiresAt: Date, secret: string): string {
  if (!isDownloadableKey(key)) throw new Error(`not a downloadable report key: ${JSON.stringify(key)}`);
  if (/[?#]/.test(baseUrl)) throw new Error(`the download base URL must have no query or fragment: ${baseUrl}`);
  const exp = String(Math.floor(expiresAt.getTime() / 1000));
  const sig = signature(key, exp, secret).toString('hex');
  return `${baseUrl}?key=${encodeURIComponent(key)}&exp=${exp}&sig=${sig}`;
}

/**
 * Checks a link's query (already URL-decoded, as a Function URL hands it over):
 * 400 when something is missing or garbled, 403 for a key outside reports/ or
 * a signature that does not match, 410 once expired.
 */
export function verifyDownloadLink(query: Readonly<Record<string, string | undefined>> | null | undefined, now: Date, secret: string): DownloadLinkCheck {
  const { key, exp, sig } = query ?? {};
  if (!key || !exp || !sig) return { ok: false, status: 400, reason: 'the link is incomplete' };
  if (!/^\d{1,12}$/.test(exp) || !/^[0-9a-f]{64}$/i.test(sig)) return { ok: false, status: 400, reason: 'the link is garbled' };
  if (!isDownloadableKey(key)) return { ok: false, status: 403, reason: 'the link does not name a report' };
  const expected = signature(key, exp, secret);
  const given = Buffer.from(sig, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, status: 403, reason: 'the link is not valid' };
  if (now.getTime() >= Number(exp) * 1000) return { ok: false, status: 410, reason: 'the link has expired' };
  return { ok: true, key };
}

/** DownloadLinks signed against the download function's URL, the secret fetched when first needed. */
export function signedDownloadLinks(baseUrl: string, secret: () => Promise<string>): DownloadLinks {
  return { url: async (key, expiresAt) => signDownloadLink(baseUrl, key, expiresAt, await secret()) };
}
