-- Step 19 part B: leaders' instructions on adopted reports and bulletins compiled from adopted reports.

-- 领导批示: recorded by the office holding an adopted report; 落实反馈 by the filing unit, once.
CREATE TABLE report_instructions (
  id INTEGER PRIMARY KEY,
  report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  level_code TEXT NOT NULL,
  leader_name TEXT NOT NULL,
  leader_title TEXT NOT NULL,
  given_on TEXT NOT NULL,
  text TEXT NOT NULL,
  at INTEGER NOT NULL,
  actor_id TEXT,
  feedback TEXT,
  feedback_on TEXT,
  feedback_at INTEGER,
  feedback_by TEXT
);
CREATE INDEX report_instructions_report ON report_instructions (report_id, at);
CREATE INDEX report_instructions_at ON report_instructions (at);

-- 信息专报 / 简报: numbered per office per year; the compiled text is a copy, the reports stay as filed.
CREATE TABLE report_bulletins (
  id INTEGER PRIMARY KEY,
  office_code TEXT NOT NULL REFERENCES regions (code),
  year INTEGER NOT NULL,
  number INTEGER NOT NULL,
  title TEXT NOT NULL,
  body_md TEXT NOT NULL,
  -- Distribution lines: 报 (to superiors), 送 (to peers), 发 (to units below).
  dist_report TEXT NOT NULL DEFAULT '',
  dist_send TEXT NOT NULL DEFAULT '',
  dist_issue TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'issued')),
  created_by TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  issued_at INTEGER,
  UNIQUE (office_code, year, number)
);

CREATE TABLE report_bulletin_items (
  bulletin_id INTEGER NOT NULL REFERENCES report_bulletins (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  report_id INTEGER NOT NULL REFERENCES reports (id),
  PRIMARY KEY (bulletin_id, position)
);
