import type { IncomingMessage, ServerResponse } from 'node:http';
import { isbot } from 'isbot';
import type { Db } from '../db/index.ts';
import { one, stmt } from '../db/statements.ts';
import { startOfDay, today } from '../time.ts';
import { classifyPage, leadOf, type ENTITY_KINDS, type PageKind } from './pages.ts';

/**
 * Counts page views and call and WeChat taps in memory, per China day, and writes them in one transaction when
 * asked (`flush`, on a timer in the server process and when it stops). What it keeps is the day,
 * the path and a count: never an address, a user agent or a cookie.
 */
export interface UsageCounter {
  /** Called by the HTTP server for every request, before it is answered. */
  observe(req: IncomingMessage, res: ServerResponse): void;
  /** Writes what was counted since the last flush; returns the number of counts written. */
  flush(db: Db): number;
  /** Counts not yet written (for tests and the shutdown path). */
  pending(): number;
}

const DAY = 24 * 3600_000;
const MAX_VERDICTS = 2000;
/** Real browsers' user agents are a few hundred characters; longer ones are not kept, so the memory stays small. */
const MAX_KEPT_LENGTH = 512;
const verdicts = new Map<string, boolean>();

/**
 * A reader, not a crawler: isbot's maintained list of crawlers, link previews and monitors. A
 * request without a user agent is not one of them (isbot's rule, and the load tools' case).
 */
export function isHuman(userAgent: string | undefined): boolean {
  const ua = userAgent ?? '';
  let human = verdicts.get(ua);
  if (human === undefined) {
    // isbot's one large pattern costs microseconds a call, more than the rest of the counting
    // together; readers come with a few hundred different browsers, so the answers are kept.
    human = !isbot(ua);
    if (ua.length <= MAX_KEPT_LENGTH) {
      if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
      verdicts.set(ua, human);
    }
  }
  return human;
}

/** Counts per China day, then per path (a page, or a listing's call or WeChat button); nothing else is kept. */
type Counts = Map<string, Map<string, number>>;

function add(counts: Counts, day: string, path: string, n: number): void {
  let paths = counts.get(day);
  if (!paths) counts.set(day, (paths = new Map()));
  paths.set(path, (paths.get(path) ?? 0) + n);
}

function total(counts: Counts): number {
  let n = 0;
  for (const paths of counts.values()) for (const v of paths.values()) n += v;
  return n;
}

export function createUsageCounter(now: () => number = Date.now): UsageCounter {
  let counts: Counts = new Map();
  // The day string changes once a day: computed again only when the clock passes midnight.
  let day = '';
  let dayEnds = 0;
  const currentDay = () => {
    const at = now();
    if (at >= dayEnds || at < dayEnds - DAY) {
      day = today(at);
      dayEnds = startOfDay(day)! + DAY;
    }
    return day;
  };

  // The path is the whole key: what kind of page it is and where it belongs is worked out again
  // when the batch is written, so a counted request costs two map look-ups.
  const observe = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET') return;
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const isPage = classifyPage(path) !== undefined;
    const lead = isPage ? undefined : leadOf(path);
    if (!isPage && !lead) return;
    if (!isHuman(req.headers['user-agent'])) return;
    res.once('finish', () => {
      const status = res.statusCode;
      // A 304 is a reader opening the page again from their own cache: still a view. A call is its
      // redirect; a WeChat tap is the page showing the ID (never cached, so never a 304).
      const html = status === 200 && String(res.getHeader('content-type') ?? '').startsWith('text/html');
      const counted = isPage ? status === 304 || html : lead?.kind === 'call' ? status === 302 : html;
      if (counted) add(counts, currentDay(), path, 1);
    });
  };

  const flush = (db: Db) => {
    if (counts.size === 0) return 0;
    const batch = counts;
    counts = new Map();
    try {
      // IMMEDIATE: the batch reads before it writes, and a deferred transaction could not wait for
      // another worker flushing at the same moment (SQLITE_BUSY at once, not after busy_timeout).
      return db.transaction(() => write(db, batch)).immediate();
    } catch (err) {
      // Nothing is lost on a failed write (the database busy or full): the counts wait for the next batch.
      for (const [d, paths] of batch) for (const [path, n] of paths) add(counts, d, path, n);
      throw err;
    }
  };

  return { observe, flush, pending: () => total(counts) };
}

const ENTITY_REGION: Record<(typeof ENTITY_KINDS)[number], string> = {
  product: 'SELECT village_code AS code FROM listings WHERE id = ?',
  article: 'SELECT region_code AS code FROM articles WHERE id = ?',
  training: 'SELECT county_code AS code FROM training_sessions WHERE id = ?',
};

function regionOf(db: Db, kind: PageKind, ref: string, city: string): string | undefined {
  if (ref === '') return city;
  if (kind in ENTITY_REGION) return one<{ code: string }>(db, ENTITY_REGION[kind as keyof typeof ENTITY_REGION], Number(ref))?.code;
  return ref;
}

function write(db: Db, counts: Counts): number {
  const city = one<{ code: string }>(db, "SELECT code FROM regions WHERE level = 'city' ORDER BY code LIMIT 1")?.code ?? '';
  let written = 0;
  for (const [day, paths] of counts) {
    for (const [path, n] of paths) {
      const page = classifyPage(path);
      if (page) {
        // A page whose row was deleted since it was shown has nowhere to be counted.
        const region = regionOf(db, page.kind, page.ref, city);
        if (region === undefined) continue;
        stmt(
          db,
          `INSERT INTO page_views (day, path, kind, region_code, views) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (day, path) DO UPDATE SET views = views + excluded.views`,
        ).run(day, path, page.kind, region, n);
        written += n;
        continue;
      }
      const lead = leadOf(path)!;
      const [calls, wechats] = lead.kind === 'call' ? [n, 0] : [0, n];
      const { changes } = stmt(
        db,
        `INSERT INTO listing_leads (day, listing_id, village_code, author_id, taps, wechat_taps)
         SELECT ?, id, village_code, created_by, ?, ? FROM listings WHERE id = ?
         ON CONFLICT (day, listing_id) DO UPDATE SET taps = taps + excluded.taps, wechat_taps = wechat_taps + excluded.wechat_taps`,
      ).run(day, calls, wechats, lead.listingId);
      if (changes > 0) written += n;
    }
  }
  return written;
}
