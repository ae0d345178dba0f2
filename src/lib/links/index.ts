import { config } from '../config.ts';
import type { Db } from '../db/index.ts';
import { many, one, stmt } from '../db/statements.ts';
import { today } from '../time.ts';
import { checkLinks, type LinkStatus } from './check.ts';
import { contentLinks, type ContentLink, type LinkSourceKind } from './sources.ts';

export { editorHref, LINK_SOURCES, type LinkSourceKind } from './sources.ts';

export interface BrokenLink {
  url: string;
  sourceKind: LinkSourceKind;
  sourceId: string;
  sourceTitle: string;
  regionCode: string;
  status: number;
  checkedAt: number;
}

export interface LinkCheckRun {
  day: string;
  checked: number;
  broken: number;
  finishedAt: number;
}

export interface LinkCheckResult {
  links: ContentLink[];
  statuses: LinkStatus[];
  broken: BrokenLink[];
}

/**
 * Checks every web link in the content and replaces the stored list of broken ones with what this
 * run found, in one transaction (a link fixed since the last run leaves the list).
 */
export async function runLinkCheck(db: Db, options: { timeoutMs?: number; now?: () => number } = {}): Promise<LinkCheckResult> {
  const now = options.now ?? Date.now;
  const links = contentLinks(db);
  const statuses = await checkLinks(
    links.map((l) => l.url),
    { timeoutMs: options.timeoutMs ?? config().LINK_CHECK_TIMEOUT_SECONDS * 1000 },
  );
  const bad = new Map(statuses.filter((s) => s.verdict !== 'ok').map((s) => [s.url, s]));
  const checkedAt = now();
  const broken = links.filter((l) => bad.has(l.url)).map((l) => ({ ...l, status: bad.get(l.url)!.status, checkedAt }));
  db.transaction(() => {
    stmt(db, 'DELETE FROM broken_links').run();
    for (const b of broken) {
      stmt(db, `INSERT OR IGNORE INTO broken_links (url, source_kind, source_id, source_title, region_code, status, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?)`).run(
        b.url,
        b.sourceKind,
        b.sourceId,
        b.sourceTitle,
        b.regionCode,
        b.status,
        b.checkedAt,
      );
    }
    stmt(
      db,
      `INSERT INTO link_check_runs (id, day, checked, broken, finished_at) VALUES (1, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET day = excluded.day, checked = excluded.checked, broken = excluded.broken, finished_at = excluded.finished_at`,
    ).run(today(checkedAt), statuses.length, bad.size, checkedAt);
  }).immediate();
  return { links, statuses, broken };
}

export function lastLinkCheck(db: Db): LinkCheckRun | undefined {
  return one<LinkCheckRun>(db, 'SELECT day, checked, broken, finished_at AS finishedAt FROM link_check_runs WHERE id = 1');
}

/** The broken links inside `scope`'s subtree, by region then address. */
export function brokenLinks(db: Db, scope: string): BrokenLink[] {
  return many<BrokenLink>(
    db,
    `SELECT url, source_kind AS sourceKind, source_id AS sourceId, source_title AS sourceTitle, region_code AS regionCode, status, checked_at AS checkedAt
     FROM broken_links WHERE region_code >= ? AND region_code < ? ORDER BY region_code, source_kind, source_id, url`,
    scope,
    `${scope}:`,
  );
}

let running = false;

/**
 * The server's daily run, called by every housekeeping round: checks once per China day (the first
 * round of the day), never two runs at once, and writes nothing while the content has no links.
 */
export async function checkLinksDaily(db: Db, now = Date.now()): Promise<void> {
  if (running || lastLinkCheck(db)?.day === today(now)) return;
  if (contentLinks(db).length === 0 && brokenLinks(db, '').length === 0) return;
  running = true;
  try {
    await runLinkCheck(db, { now: () => now });
  } finally {
    running = false;
  }
}
