-- Information reporting upward (信息报送). A report is held by one level at a time (holder_code:
-- the township, county or city that has it now); it only moves up, so every level between the
-- author's unit and the holder has received it.
CREATE TABLE reports (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  body_md TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL,
  urgent INTEGER NOT NULL DEFAULT 0 CHECK (urgent IN (0, 1)),
  -- The region the report is about, inside the author's unit.
  region_code TEXT NOT NULL REFERENCES regions (code),
  author_id TEXT REFERENCES users (id),
  -- The author's unit when filing (their region), the start of the way up.
  author_region TEXT NOT NULL REFERENCES regions (code),
  holder_code TEXT NOT NULL REFERENCES regions (code),
  status TEXT NOT NULL CHECK (status IN ('pending', 'adopted', 'returned')),
  -- The article made from this report (step 6), once published.
  article_id INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX reports_holder ON reports (holder_code, status);
CREATE INDEX reports_author_region ON reports (author_region, created_at);
CREATE INDEX reports_author ON reports (author_id, created_at);
CREATE INDEX reports_urgent ON reports (urgent, created_at) WHERE urgent = 1;

CREATE TABLE report_photos (
  report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  sha256 TEXT NOT NULL REFERENCES media (sha256),
  PRIMARY KEY (report_id, position)
);

-- Documents (PDF, Office) stored under MEDIA_DIR/attachments by SHA-256, served only to readers.
CREATE TABLE report_attachments (
  report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  filename TEXT NOT NULL,
  mime TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  PRIMARY KEY (report_id, position)
);

-- Every step on the way up, with who and when: the author's timeline and the rankings' source.
-- level_code is the level where the step happened (for 'submitted': the author's unit).
CREATE TABLE report_events (
  id INTEGER PRIMARY KEY,
  report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('submitted', 'adopted', 'forwarded', 'returned', 'acknowledged', 'published')),
  level_code TEXT NOT NULL,
  at INTEGER NOT NULL,
  actor_id TEXT,
  comment TEXT NOT NULL DEFAULT ''
);
CREATE INDEX report_events_report ON report_events (report_id, at);
CREATE INDEX report_events_at ON report_events (at, kind);
-- A level adopts a report once and acknowledges an urgent report once.
CREATE UNIQUE INDEX report_events_once ON report_events (report_id, level_code, kind) WHERE kind IN ('adopted', 'acknowledged');
