/** E-mail to staff who asked for it, through the SMTP server of SMTP_URL. */
import { createRequire } from 'node:module';
import { config } from '../../config.ts';
import { translator } from '../../../i18n/index.ts';
import { type Driver, SendFailure } from './types.ts';

/** The start of the text, for the subject line. */
function preview(body: string): string {
  const chars = [...body];
  return chars.length > 30 ? `${chars.slice(0, 30).join('')}…` : body;
}

const require = createRequire(import.meta.url);

/** nodemailer is loaded only when a mail server is configured. */
function transportFor(url: string, timeout: number) {
  const nodemailer: typeof import('nodemailer') = require('nodemailer');
  return nodemailer.createTransport({ url, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout });
}

export function emailDriver(): Driver {
  const { SMTP_URL: url, MAIL_FROM: from, MESSAGE_SEND_TIMEOUT_MS: timeout, SMS_SIGN_NAME: sign } = config();
  const transport = url ? transportFor(url, timeout) : undefined;
  const t = translator('zh-CN');
  return {
    async send(message) {
      if (!transport) throw new SendFailure('email: SMTP_URL is not set', { retryable: false });
      try {
        const info = await transport.sendMail({
          from,
          to: message.recipient,
          subject: t('message.email.subject', { sign, preview: preview(message.body) }),
          text: message.body,
          // The same key on a resend lets a mail system recognise the duplicate.
          messageId: `<${message.idemKey.replace(/[^\w.-]/g, '_')}@xiangxin>`,
        });
        return { providerId: info.messageId, answer: info.response };
      } catch (err) {
        const code = err instanceof Error && 'responseCode' in err ? Number(err.responseCode) : 0;
        // 5xx from the server: the address or the message is refused and a retry changes nothing.
        throw new SendFailure(`email: ${err instanceof Error ? err.message : String(err)}`, { retryable: !(code >= 500 && code < 600) });
      }
    },
  };
}
