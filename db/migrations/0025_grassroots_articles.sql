-- Grassroots articles (docs/ARTICLES.md): collectors' notices go through review, and new kinds
-- (村务公开, alerts, jobs, tourism) carry structured data. SQLite cannot change a CHECK constraint,
-- so articles and article_proposals are rebuilt.
--
-- Migrations run with foreign keys on, and dropping the old articles table would cascade-delete
-- every proposal (article_proposals.article_id ON DELETE CASCADE): the proposals are set aside
-- first and put back once the new articles table carries the old ids.
CREATE TABLE article_proposals_kept AS SELECT * FROM article_proposals;
DROP TABLE article_proposals;

CREATE TABLE articles_new (
  id INTEGER PRIMARY KEY,
  region_code TEXT NOT NULL REFERENCES regions (code),
  kind TEXT NOT NULL CHECK (kind IN ('notice', 'technical', 'market', 'policy', 'livelihood', 'village_affairs', 'alert', 'jobs', 'tourism')),
  title TEXT NOT NULL,
  summary TEXT NOT NULL DEFAULT '',
  body_md TEXT NOT NULL,
  -- pending and rejected: a collector's article in (or back from) the township's review.
  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'pending', 'published', 'rejected', 'unpublished')),
  pinned INTEGER NOT NULL DEFAULT 0,
  author_id TEXT REFERENCES users (id) ON DELETE SET NULL,
  published_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  author_role TEXT NOT NULL DEFAULT 'admin' CHECK (author_role IN ('admin', 'county_staff', 'station_manager', 'collector')),
  -- The kind's own fields as JSON: a disclosure's subject, period and table; a job's employer, place, pay, deadline; an alert's severity.
  details TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details)),
  -- An alert's end (ms); banners show only before it.
  expires_at INTEGER,
  reject_reason TEXT NOT NULL DEFAULT ''
);
INSERT INTO articles_new (id, region_code, kind, title, summary, body_md, status, pinned, author_id, published_at, created_at, updated_at, author_role)
  SELECT id, region_code, kind, title, summary, body_md, status, pinned, author_id, published_at, created_at, updated_at, author_role FROM articles;
DROP TABLE articles;
ALTER TABLE articles_new RENAME TO articles;

CREATE INDEX articles_region ON articles (region_code, status);
CREATE INDEX articles_latest ON articles (status, kind, published_at);
CREATE INDEX articles_region_kind ON articles (region_code, kind, status, published_at);
CREATE INDEX articles_expiring ON articles (kind, status, expires_at);
CREATE TRIGGER articles_changed_insert AFTER INSERT ON articles BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'articles'; END;
CREATE TRIGGER articles_changed_update AFTER UPDATE ON articles BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'articles'; END;
CREATE TRIGGER articles_changed_delete AFTER DELETE ON articles BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'articles'; END;

CREATE TABLE article_proposals (
  id INTEGER PRIMARY KEY,
  article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  proposer_id TEXT REFERENCES users (id) ON DELETE SET NULL,
  kind TEXT NOT NULL CHECK (kind IN ('notice', 'technical', 'market', 'policy', 'livelihood', 'village_affairs', 'alert', 'jobs', 'tourism')),
  title TEXT NOT NULL,
  summary TEXT NOT NULL DEFAULT '',
  body_md TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'pending', 'published', 'rejected', 'unpublished')),
  note TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'accepted', 'rejected')),
  decided_by TEXT REFERENCES users (id) ON DELETE SET NULL,
  decided_at INTEGER,
  reason TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
INSERT INTO article_proposals (id, article_id, proposer_id, kind, title, summary, body_md, status, note, state, decided_by, decided_at, reason, created_at)
  SELECT id, article_id, proposer_id, kind, title, summary, body_md, status, note, state, decided_by, decided_at, reason, created_at FROM article_proposals_kept;
DROP TABLE article_proposals_kept;
CREATE INDEX article_proposals_article ON article_proposals (article_id, state);
