/**
 * Matching buy requests with listings (issue 21): a live listing matches a request when it is of the
 * same category and the site search finds the request's product or variety words in it; listings of
 * the request's county come first. Collectors of a matching listing's village hear of a new request
 * by SMS and see the open requests matching their listings on their dashboard.
 */
import type { Db } from '../db/index.ts';
import { many } from '../db/statements.ts';
import { enqueue, fitSms } from '../messages/outbox.ts';
import { matchExpression } from '../search/tokens.ts';
import { siteUrl } from '../site.ts';

/** What matching needs of a buy request (kept apart from index.ts, which calls this module). */
export interface MatchRequest {
  id: number;
  product: string;
  variety: string;
  category: string;
  regionCode: string;
}

export interface MatchedListing {
  id: number;
  title: string;
  villageCode: string;
  villageName: string;
  /** 1 when the listing's village lies in the request's county. */
  sameCounty: number;
}

/** How many open requests the dashboard looks at: the newest ones, a season's worth for a city. */
const DASHBOARD_WINDOW = 200;

/** The FTS5 query for a request: its product's words, or its variety's. Undefined when neither has any. */
function requestMatch(w: Pick<MatchRequest, 'product' | 'variety'>): string | undefined {
  const parts = [w.product, w.variety].map((text) => matchExpression(text)).filter((m): m is string => m !== undefined);
  return parts.length ? parts.map((m) => `(${m})`).join(' OR ') : undefined;
}

/** Live listings matching a request, county first then best match; `within` keeps those in a region. */
export function matchingListings(db: Db, w: Omit<MatchRequest, 'id'>, options: { now?: number; within?: string; limit?: number } = {}): MatchedListing[] {
  const match = requestMatch(w);
  if (!match) return [];
  return many<MatchedListing>(
    db,
    `SELECT p.listing_id AS id, p.title, p.village_code AS villageCode, r.short_name AS villageName,
       substr(p.village_code, 1, 6) = ? AS sameCounty
     FROM search_fts JOIN search_documents d ON d.rowid = search_fts.rowid
     JOIN listing_public p ON p.listing_id = CAST(d.id AS INTEGER)
     JOIN regions r ON r.code = p.village_code
     WHERE search_fts MATCH ? AND d.type = 'listing' AND p.category = ? AND p.expires_at > ? AND p.village_code LIKE ? || '%'
     ORDER BY sameCounty DESC, bm25(search_fts, 5.0, 1.0), p.listing_id DESC LIMIT ?`,
    w.regionCode.slice(0, 6),
    match,
    w.category,
    options.now ?? Date.now(),
    options.within ?? '',
    options.limit ?? 20,
  );
}

export interface VillageMatch<W extends MatchRequest> {
  wanted: W;
  listings: MatchedListing[];
}

/** Open requests matching the live listings of a village (a collector's dashboard), newest first. */
export function requestsMatchingVillage<W extends MatchRequest>(db: Db, villageCode: string, live: (limit: number) => W[], now = Date.now()): VillageMatch<W>[] {
  const categories = new Set(
    many<{ category: string }>(db, 'SELECT DISTINCT category FROM listing_public WHERE village_code = ? AND expires_at > ?', villageCode, now).map((r) => r.category),
  );
  if (categories.size === 0) return [];
  return live(DASHBOARD_WINDOW)
    .filter((w) => categories.has(w.category))
    .map((w) => ({ wanted: w, listings: matchingListings(db, w, { now, within: villageCode, limit: 5 }) }))
    .filter((m) => m.listings.length > 0);
}

/**
 * One SMS per match to each collector of the matching listing's village who gave a phone (call it
 * inside the transaction that creates the request). Returns how many messages were queued.
 */
export function queueMatchMessages(db: Db, w: MatchRequest, now = Date.now()): number {
  let queued = 0;
  for (const listing of matchingListings(db, w, { now, limit: 50 })) {
    const phones = many<{ phone: string }>(
      db,
      `SELECT DISTINCT c.phone FROM users u JOIN staff_contacts c ON c.user_id = u.id
       WHERE u.region_code = ? AND u.role = 'collector' AND u.disabled = 0 AND c.phone <> '' ORDER BY c.phone`,
      listing.villageCode,
    );
    const base = { product: w.product, title: listing.title };
    // Under a long SITE_URL the SMS names the site alone, or no link, rather than not going out.
    const params = [`${siteUrl()}/admin`, siteUrl(), ''].map((link) => ({ ...base, link })).find((p) => fitSms('wanted.match', p) !== undefined)!;
    for (const { phone } of phones) {
      const sent = enqueue(
        db,
        {
          event: `wanted:${w.id}:match:${listing.id}`,
          channel: 'sms',
          kind: 'wanted.match',
          recipient: phone,
          regionCode: listing.villageCode,
          params,
        },
        now,
      );
      if (sent) queued++;
    }
  }
  return queued;
}
