// Sends a raw MIME message with SES v2 (SendEmail, Content.Raw). Throttling
// and transient service errors are retried with exponential backoff and full
// jitter on top of the SDK's own retries; a rejection no retry can fix (the
// message, the sender identity, the account) is a permanent failure, which
// the ledger records and the worker does not retry.
import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';

export interface SentMail {
  messageId: string;
}

export interface Mailer {
  sendRaw(raw: Uint8Array, envelope: { from: string; to: string }): Promise<SentMail>;
}

export class MailSendError extends Error {
  override name = 'MailSendError';
  constructor(
    message: string,
    /** No retry can fix it: record it and move on. */
    readonly permanent: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** SES v2 errors that mean "try again later". Anything else (MessageRejected, MailFromDomainNotVerified, AccountSuspended, SendingPaused, BadRequest, NotFound…) is permanent. */
const TRANSIENT_ERRORS = new Set([
  'TooManyRequestsException',
  'LimitExceededException',
  'ThrottlingException',
  'Throttling',
  'InternalFailure',
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
]);

export function isTransientSesError(error: unknown): boolean {
  const candidate = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  if (candidate?.$retryable) return true;
  if (TRANSIENT_ERRORS.has(candidate?.name ?? '') || TRANSIENT_ERRORS.has(candidate?.code ?? '')) return true;
  // Connection resets and the like never reached SES's decision.
  if (['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN'].includes(candidate?.code ?? '')) return true;
  const status = candidate?.$metadata?.httpStatusCode;
  return status !== undefined && (status === 429 || status >= 500);
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
        if (!result.MessageId) throw new MailSendError('SES accepted the message but returned no message id', false);
        return { messageId: result.MessageId };
      } catch (error) {
        if (error instanceof MailSendError) throw error;
        const transient = isTransientSesError(error);
        const reason = `${(error as Error).name ?? 'Error'}: ${(error as Error).message ?? String(error)}`;
        if (!transient) throw new MailSendError(`SES rejected the message: ${reason}`, true, { cause: error });
        if (attempt >= this.retry.attempts) {
          throw new MailSendError(`SES did not take the message after ${attempt} attempts: ${reason}`, false, { cause: error });
        }
        const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
        await this.retry.sleep(Math.round(this.retry.random() * ceiling));
      }
    }
  }
}
