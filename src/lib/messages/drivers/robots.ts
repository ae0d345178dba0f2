/**
 * Staff group robots: 企业微信 group robot and DingTalk robot, one per region and kind (ROBOTS).
 * The message's recipient is the region code; both answer `{"errcode":0,…}` when posted.
 */
import { createHmac } from 'node:crypto';
import { config } from '../../config.ts';
import type { RobotChannel } from '../robots.ts';
import { answerText, type Driver, SendFailure } from './types.ts';

/** DingTalk's signature of a timestamp: base64(HMAC-SHA256(secret, `${timestamp}\n${secret}`)). */
export function dingtalkSign(secret: string, timestamp: string): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
}

function robotUrl(channel: RobotChannel, url: string, secret: string | undefined): string {
  if (channel !== 'dingtalk' || !secret) return url;
  const timestamp = String(Date.now());
  const signed = new URL(url);
  signed.searchParams.set('timestamp', timestamp);
  signed.searchParams.set('sign', dingtalkSign(secret, timestamp));
  return signed.href;
}

export function robotDriver(channel: RobotChannel): Driver {
  return {
    async send(message, signal) {
      const robot = config().ROBOTS.find((r) => r.channel === channel && r.regionCode === message.recipient);
      if (!robot) throw new SendFailure(`${channel}: no robot configured for region ${message.recipient} (ROBOTS)`, { retryable: false });
      let res: Response;
      try {
        res = await fetch(robotUrl(channel, robot.url, robot.secret), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ msgtype: 'text', text: { content: message.body } }),
          signal,
        });
      } catch (err) {
        throw new SendFailure(`${channel}: ${err instanceof Error ? err.message : String(err)}`, { retryable: true });
      }
      const answer = await answerText(res).catch(() => '');
      let errcode: unknown;
      try {
        errcode = (JSON.parse(answer) as { errcode?: unknown }).errcode;
      } catch {
        errcode = undefined;
      }
      if (!res.ok || errcode !== 0) throw new SendFailure(`${channel}: ${res.status} ${answer.slice(0, 200)}`, { retryable: true, answer });
      // Robots give no message id; the channel stands in for one.
      return { providerId: channel, answer };
    },
  };
}
