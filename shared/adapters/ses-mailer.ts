// Sends a raw MIME message with SES v2 (SendEmail, Content.Raw). Only answers
// that say the message was not taken (throttling, 5xx, no connection) are
// retried, with exponential backoff and full jitter; the SES client makes one
// attempt per call (aws-clients.ts), so these are the only retries. A send
// that got no answer is never retried: it may have gone out (see MailFailure).
import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';

export interface SentMail {
  messageId: string;
}

export interface Mailer {
  sendRaw(raw: Uint8Array, envelope: { from: string; to: string }): Promise<SentMail>;
}

/**
 * Why a message did not go:
 * - `rejected`: SES refused this message or address (MessageRejected, a bad request): no retry can fix it;
 * - `account`: SES refused the account or sender (access denied, sending paused, identity not verified): every
 *   send fails until an operator fixes it; not retried here, but the job fails so a redrive sends it later;
 * - `uncertain`: no answer came back (timeout, connection reset): SES may have taken the message, so it is not
 *   sent again automatically — an operator checks and resends;
 * - `transient`: throttled, or SES said it failed (5xx), after every retry.
 */
export type MailFailure = 'rejected' | 'account' | 'uncertain' | 'transient';

export class MailSendError extends Error {
  override name = 'MailSendError';
  constructor(
    message: string,
    readonly failure: MailFailure,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Not to be sent again automatically (the ledger records it as permanent). */
  get permanent(): boolean {
    return this.failure === 'rejected' || this.failure === 'uncertain';
  }
}

/** SES answered "not now": safe to send again, the message was not taken. */
const RETRYABLE_ERRORS = new Set([
  'TooManyRequestsException',
  'LimitExceededException',
  'ThrottlingException',
  'Throttling',
  'InternalFailure',
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
]);

/** SES refused the account or the sender, not this message. */
const ACCOUNT_ERRORS = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'AccountSuspendedException',
  'SendingPausedException',
  'MailFromDomainNotVerifiedException',
  'NotFoundException',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'ExpiredTokenException',
]);

/** No answer: the request may or may not have reached SES. */
const NO_ANSWER = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ESOCKETTIMEDOUT', 'TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'AbortError']);
/** Never connected: nothing was sent. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'ENOTFOUND']);

export function classifySesError(error: unknown): MailFailure | 'retry' {
  const candidate = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const name = candidate?.name ?? '';
  const code = candidate?.code ?? '';
  if (NOT_CONNECTED.has(code)) return 'retry';
  if (NO_ANSWER.has(code) || NO_ANSWER.has(name)) return 'uncertain';
  if (RETRYABLE_ERRORS.has(name)) return 'retry';
  if (ACCOUNT_ERRORS.has(name)) return 'account';
  const status = candidate?.$metadata?.httpStatusCode;
  if (status === 429 || (status !== undefined && status >= 500)) return 'retry';
  if (status === 403) return 'account';
  // No HTTP answer at all (a socket error without a known code): it may have gone out.
  if (status === undefined) return 'uncertain';
  return 'rejected';
}

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

export const DEFAULT_SEND_RETRY: RetryPolicy = {
  attempts: 5,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

export class SesMailer implements Mailer {
  constructor(
    private readonly ses: SESv2Client,
    private readonly retry: RetryPolicy = DEFAULT_SEND_RETRY,
  ) {}

  async sendRaw(raw: Uint8Array, envelope: { from: string; to: string }): Promise<SentMail> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const result = await this.ses.send(
          new SendEmailCommand({
            FromEmailAddress: envelope.from,
            Destination: { ToAddresses: [envelope.to] },
            Content: { Raw: { Data: raw } },
          }),
        );
        if (!result.MessageId) throw new MailSendError('SES accepted the message but returned no message id', 'uncertain');
        return { messageId: result.MessageId };
      } catch (error) {
        if (error instanceof MailSendError) throw error;
        const reason = `${(error as Error).name ?? 'Error'}: ${(error as Error).message ?? String(error)}`;
        const failure = classifySesError(error);
        if (failure === 'rejected') throw new MailSendError(`SES rejected the message: ${reason}`, failure, { cause: error });
        if (failure === 'account') throw new MailSendError(`SES refused the sender or account (fix it, then redrive the job): ${reason}`, failure, { cause: error });
        if (failure === 'uncertain') {
          throw new MailSendError(`no answer from SES, the message may have gone out (check, then revperf resend): ${reason}`, failure, { cause: error });
        }
        if (attempt >= this.retry.attempts) {
          throw new MailSendError(`SES did not take the message after ${attempt} attempts: ${reason}`, 'transient', { cause: error });
        }
        const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
        await this.retry.sleep(Math.round(this.retry.random() * ceiling));
      }
    }
  }
}
