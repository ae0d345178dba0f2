/**
 * A county's own SMS gateway. The contract (docs/MESSAGES.md): POST SMS_HTTP_URL, JSON
 * `{id, to, kind, template, params, text}`, signed with HMAC-SHA256(SMS_HTTP_SECRET,
 * `${timestamp}.${rawBody}`) in x-xiangxin-signature; a 2xx answer `{"id": …}` means sent.
 */
import { createHmac } from 'node:crypto';
import { config } from '../../config.ts';
import { smsSignature } from '../outbox.ts';
import { answerText, type Driver, SendFailure } from './types.ts';

export function httpSignature(secret: string, timestamp: string, rawBody: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');
}

export function httpDriver(): Driver {
  const settings = config();
  const url = settings.SMS_HTTP_URL!;
  const secret = settings.SMS_HTTP_SECRET!;
  return {
    async send(message, signal) {
      const body = JSON.stringify({
        id: message.idemKey,
        to: message.recipient,
        kind: message.kind,
        template: settings.SMS_TEMPLATES[message.kind] ?? null,
        params: message.params,
        text: `${smsSignature()}${message.body}`,
      });
      const timestamp = String(Date.now());
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-xiangxin-timestamp': timestamp, 'x-xiangxin-signature': httpSignature(secret, timestamp, body) },
          body,
          signal,
        });
      } catch (err) {
        throw new SendFailure(`http: ${err instanceof Error ? err.message : String(err)}`, { retryable: true });
      }
      const answer = await answerText(res).catch(() => '');
      let id: unknown;
      try {
        id = (JSON.parse(answer) as { id?: unknown }).id;
      } catch {
        id = undefined;
      }
      if (!res.ok || typeof id !== 'string' || id === '') throw new SendFailure(`http: ${res.status} ${answer.slice(0, 200)}`, { retryable: true, answer });
      return { providerId: id, answer };
    },
  };
}
