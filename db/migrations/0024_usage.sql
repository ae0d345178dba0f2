-- Use of the portal (issue 19): page views and call taps, counted in the server's memory and
-- written in batches. Nothing here identifies a reader: no address, no user agent, no cookie.

-- Views of one public page on one China day. `region_code` is the region the page belongs to (a
-- listing's village, an article's region; the city for the home page and the city-wide lists),
-- resolved when the batch is written, so the admin's per-county figures are a code-prefix range.
CREATE TABLE page_views (
  day TEXT NOT NULL,
  path TEXT NOT NULL,
  kind TEXT NOT NULL,
  region_code TEXT NOT NULL,
  views INTEGER NOT NULL,
  PRIMARY KEY (day, path)
) WITHOUT ROWID;
CREATE INDEX page_views_region ON page_views (region_code, day);

-- Taps on a listing's call button (its tel: link goes through /products/{id}/call): a lead for the
-- listing and for the collector who wrote it. Village and author are copied when the batch is
-- written, so the count stays with them if the listing is later archived or moved.
CREATE TABLE listing_leads (
  day TEXT NOT NULL,
  listing_id INTEGER NOT NULL,
  village_code TEXT NOT NULL,
  author_id TEXT,
  taps INTEGER NOT NULL,
  PRIMARY KEY (day, listing_id)
) WITHOUT ROWID;
CREATE INDEX listing_leads_village ON listing_leads (village_code, day);

-- Links inside content that did not answer well on the last check. The whole table is replaced
-- by each run of the link checker (`npm run links:check` or the server's daily run).
CREATE TABLE broken_links (
  url TEXT NOT NULL,
  -- Where the link is: 'article', 'region' (a profile's introduction) or 'training'.
  source_kind TEXT NOT NULL,
  source_id TEXT NOT NULL,
  source_title TEXT NOT NULL,
  region_code TEXT NOT NULL,
  -- The HTTP status, or 0 when there was no answer (timeout, refused, bad name).
  status INTEGER NOT NULL,
  checked_at INTEGER NOT NULL,
  PRIMARY KEY (url, source_kind, source_id)
) WITHOUT ROWID;
CREATE INDEX broken_links_region ON broken_links (region_code);

-- When the link checker last ran (one row): the daily run goes once per China day.
CREATE TABLE link_check_runs (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  day TEXT NOT NULL,
  checked INTEGER NOT NULL,
  broken INTEGER NOT NULL,
  finished_at INTEGER NOT NULL
);
