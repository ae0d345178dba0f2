/**
 * 灾害预警/气象 alerts: while valid they show as a banner on the pages and boards of the region
 * they were issued for and every region below it, and on publication they go to the region's
 * subscribers of the `alert` topic through the outbox.
 */
import { cachedRead } from '../db/cache.ts';
import type { Db } from '../db/index.ts';
import { many } from '../db/statements.ts';
import { changesAt, withTags } from '../db/tags.ts';
import { translator } from '../../i18n/index.ts';
import { enqueue, fitSms } from '../messages/outbox.ts';
import { subscribersFor, unsubLink } from '../subscriptions/index.ts';
import { ancestorCodes, articleHref, type AlertSeverity, type Article } from './types.ts';

export interface ActiveAlert {
  id: number;
  title: string;
  severity: AlertSeverity;
  expiresAt: number;
  regionCode: string;
  href: string;
}

/** Published alerts still valid at `now` that concern a region: issued there or above it; most severe, then newest first. */
export function activeAlerts(db: Db, regionCode: string, now = Date.now()): ActiveAlert[] {
  // Kept from `now` until alerts here or above change or the first of them expires (changesAt below).
  return cachedRead(db, 'articles', JSON.stringify(['alerts', regionCode]), () => readActiveAlerts(db, regionCode, now), {
    now,
    validity: () => [now, Number.POSITIVE_INFINITY],
  });
}

function readActiveAlerts(db: Db, regionCode: string, now: number): ActiveAlert[] {
  const above = ancestorCodes(regionCode);
  // Only alerts published at this region or one above it matter here (tagged by 0042_cache_tags.sql).
  const tags = { articles: above.map((code) => `articles:at:${code}`) };
  const rows = withTags(tags, () =>
    many<{ id: number; title: string; severity: AlertSeverity | null; expiresAt: number; regionCode: string }>(
      db,
      `SELECT id, title, json_extract(details, '$.severity') AS severity, expires_at AS expiresAt, region_code AS regionCode FROM articles
     WHERE kind = 'alert' AND status = 'published' AND expires_at > ? AND region_code IN (${above.map(() => '?').join(', ')})
     ORDER BY CASE json_extract(details, '$.severity') WHEN 'red' THEN 0 WHEN 'orange' THEN 1 WHEN 'yellow' THEN 2 ELSE 3 END, published_at DESC, id DESC LIMIT 5`,
      now,
      ...above,
    ),
  );
  // A page showing alerts changes when the first of them expires.
  changesAt(Math.min(...rows.map((r) => r.expiresAt)));
  return rows.map((r) => ({ ...r, severity: r.severity ?? 'blue', href: articleHref(r.id) }));
}

/**
 * Queues the alert's SMS to every subscriber of the `alert` topic living in its region; called in
 * the transaction that publishes it. Publishing again (after unpublishing) sends nothing twice:
 * the event names the article. An expired alert reaches nobody.
 */
export function queueAlert(db: Db, article: Article, now = Date.now()): number {
  if (article.kind !== 'alert' || article.status !== 'published' || article.expiresAt === null || article.expiresAt <= now) return 0;
  const t = translator('zh-CN');
  const severity = t(`article.alert.severity.${article.details.severity ?? 'blue'}`);
  let queued = 0;
  for (const s of subscribersFor(db, 'alert', article.regionCode)) {
    const params = { text: `${severity}：${article.title}`, unsub: unsubLink(s.token) };
    // Only a SITE_URL far too long for any text leaves no room: the alert is still published.
    if (!fitSms('alert', params)) continue;
    if (enqueue(db, { event: `article:${article.id}:alert`, channel: 'sms', kind: 'alert', recipient: s.phone, regionCode: s.villageCode, params, subscriberId: s.id }, now))
      queued++;
  }
  return queued;
}
