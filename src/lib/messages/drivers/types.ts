/**
 * What every channel driver does: send one message and say what the provider answered, or throw
 * a SendFailure saying whether trying again later can help.
 */
import { createHash } from 'node:crypto';
import type { Channel, MessageKind, MessageParams } from '../outbox.ts';

/** One claimed outbox row, as a driver needs it. */
export interface OutgoingMessage {
  readonly id: number;
  readonly idemKey: string;
  readonly channel: Channel;
  readonly kind: MessageKind;
  /** Phone (sms), address (email) or region code (robots). */
  readonly recipient: string;
  readonly params: MessageParams;
  /** The rendered text, without the signature. */
  readonly body: string;
}

export interface Sent {
  /** The provider's id of the message (BizId, SerialNo, the gateway's id, the SMTP message id). */
  providerId: string;
  /** The provider's answer as received, for the admin outbox. */
  answer: string;
}

export interface Driver {
  /** `signal` aborts when the send timeout passes; the worker gives up waiting then in any case. */
  send(message: OutgoingMessage, signal: AbortSignal): Promise<Sent>;
}

/**
 * A send that did not happen. `retryable` false means no later attempt can succeed (nothing
 * configured for the channel, no template for the kind): the row fails at once.
 */
export class SendFailure extends Error {
  readonly retryable: boolean;
  readonly answer: string | undefined;
  constructor(message: string, options: { retryable: boolean; answer?: string }) {
    super(message);
    this.retryable = options.retryable;
    this.answer = options.answer;
  }
}

/**
 * The out-id a provider gets for a message: a hash of its idempotency key, short enough for every
 * API's field (Aliyun OutId, Tencent SessionContext), stable across retries and restarts, and
 * without the phone number the key contains.
 */
export function outId(idemKey: string): string {
  return createHash('sha256').update(idemKey).digest('hex').slice(0, 32);
}

/** Reads a fetch answer's text for the record; a gateway's error page is cut short. */
export async function answerText(res: Response): Promise<string> {
  return (await res.text()).slice(0, 2000);
}
