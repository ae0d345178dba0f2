-- Who may change an article: its author's level or above (docs/ARTICLES.md). The level is the
-- author's role when the article was written; seed content (no author) takes the level of the
-- region it was published at. Unknown rows default to the most restrictive level.
ALTER TABLE articles ADD COLUMN author_role TEXT NOT NULL DEFAULT 'admin'
  CHECK (author_role IN ('admin', 'county_staff', 'station_manager', 'collector'));
UPDATE articles SET author_role = COALESCE(
  (SELECT role FROM users WHERE users.id = articles.author_id),
  CASE length(region_code) WHEN 4 THEN 'admin' WHEN 6 THEN 'county_staff' WHEN 9 THEN 'station_manager' ELSE 'collector' END
);

-- A change proposed by someone below the author's level, for the author's level (or above) to
-- accept or reject. It carries the whole proposed text, so accepting it is one update.
CREATE TABLE article_proposals (
  id INTEGER PRIMARY KEY,
  article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  proposer_id TEXT REFERENCES users (id) ON DELETE SET NULL,
  kind TEXT NOT NULL CHECK (kind IN ('notice', 'technical', 'market', 'policy', 'livelihood')),
  title TEXT NOT NULL,
  summary TEXT NOT NULL DEFAULT '',
  body_md TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'unpublished')),
  note TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'accepted', 'rejected')),
  decided_by TEXT REFERENCES users (id) ON DELETE SET NULL,
  decided_at INTEGER,
  reason TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE INDEX article_proposals_article ON article_proposals (article_id, state);
