import type { Db } from '../db/index.ts';
import { enqueue, fitSms } from '../messages/outbox.ts';
import { chinaFormat } from '../time.ts';
import { subscribersFor, unsubLink } from './index.ts';

/**
 * A new training session reaches the county's subscribers of the training topic; called inside
 * the transaction that creates the session, so both happen or neither.
 */
export function queueTrainingNews(db: Db, session: { id: number; countyCode: string; title: string; startsAt: number }, now = Date.now()): number {
  const time = chinaFormat('zh-CN', { month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }).format(session.startsAt);
  let queued = 0;
  for (const s of subscribersFor(db, 'training', session.countyCode)) {
    const params = { title: session.title, time, unsub: unsubLink(s.token) };
    // Only a SITE_URL far longer than a short address leaves no room even for an empty title: the
    // session must still be created, so that SMS is left out rather than refused (docs/SUBSCRIPTIONS.md).
    if (!fitSms('training.new', params)) continue;
    if (enqueue(db, { event: `training:${session.id}:new`, channel: 'sms', kind: 'training.new', recipient: s.phone, regionCode: s.villageCode, params, subscriberId: s.id }, now))
      queued++;
  }
  return queued;
}
