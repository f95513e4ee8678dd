import { AccountSuspendedException, MessageRejected, TooManyRequestsException, type SESv2Client } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { classifySesError, MailSendError, SesMailer } from '../../../shared/adapters/ses-mailer.js';

/** An SES client that answers with the given errors in turn, then a message id; counts the calls. */
function scriptedSes(errors: unknown[]): { client: SESv2Client; calls: () => number } {
  let calls = 0;
  const client = {
    send: async () => {
      calls += 1;
      const next = errors.shift();
      if (next) throw next;
      return { MessageId: `m-${calls}` };
    },
  } as unknown as SESv2Client;
  return { client, calls: () => calls };
}

const noWait = { attempts: 4, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => undefined, random: () => 0 };
const send = (client: SESv2Client) => new SesMailer(client, noWait).sendRaw(new Uint8Array([1]), { from: 'a@acme.com', to: 'b@acme.com' });
const timeout = () => Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
const reset = () => Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
const refused = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
const internal = () => Object.assign(new Error('Internal'), { name: 'InternalFailure', $metadata: { httpStatusCode: 500 } });
const throttled = () => new TooManyRequestsException({ message: 'slow down', $metadata: { httpStatusCode: 429 } });

describe('sending with SES', () => {
  it('retries only answers that say the message was not taken: throttling, 5xx, no connection', async () => {
    const script = scriptedSes([throttled(), internal(), refused()]);
    await expect(send(script.client)).resolves.toEqual({ messageId: 'm-4' });
    expect(script.calls()).toBe(4);
  });

  it('gives up after the attempts, as a failure the job retries later', async () => {
    const script = scriptedSes([throttled(), throttled(), throttled(), throttled(), throttled()]);
    const error = await send(script.client).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MailSendError);
    expect((error as MailSendError).failure).toBe('transient');
    expect((error as MailSendError).permanent).toBe(false);
    expect(script.calls()).toBe(4);
  });

  it('never sends again after no answer: a timeout or a reset may have delivered the message', async () => {
    for (const fault of [timeout(), reset()]) {
      const script = scriptedSes([fault]);
      const error = (await send(script.client).catch((caught: unknown) => caught)) as MailSendError;
      expect(error.failure).toBe('uncertain');
      expect(error.permanent).toBe(true);
      expect(error.message).toContain('may have gone out');
      expect(script.calls()).toBe(1);
    }
  });

  it('tells a rejected message (permanent) from a refused account (fix, then redrive)', async () => {
    const rejected = (await send(scriptedSes([new MessageRejected({ message: 'bad address', $metadata: { httpStatusCode: 400 } })]).client).catch((e: unknown) => e)) as MailSendError;
    expect([rejected.failure, rejected.permanent]).toEqual(['rejected', true]);
    const suspended = (await send(scriptedSes([new AccountSuspendedException({ message: 'suspended', $metadata: { httpStatusCode: 400 } })]).client).catch((e: unknown) => e)) as MailSendError;
    expect([suspended.failure, suspended.permanent]).toEqual(['account', false]);
    expect(classifySesError(Object.assign(new Error('denied'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } }))).toBe('account');
    expect(classifySesError(Object.assign(new Error('?'), { name: 'Weird', $metadata: { httpStatusCode: 403 } }))).toBe('account');
  });
});
