-- Phone reports (电话报送), topic requests (约稿 / 报送要点) and answers to them (issue 23, part A).

-- A report first received by phone: who called from which unit and when, the short summary taken
-- down, and when the written version is due / was attached. The report itself is a normal row of
-- `reports` (author_region = the caller's unit), so routing, reading and rankings need nothing new.
CREATE TABLE report_phone (
  report_id INTEGER PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
  caller_name TEXT NOT NULL,
  summary TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  received_by TEXT REFERENCES users (id),
  written_due_at INTEGER NOT NULL,
  written_at INTEGER
);
CREATE INDEX report_phone_written ON report_phone (written_due_at) WHERE written_at IS NULL;

-- A request from the city office or a county for reports on a topic, to the listed units.
CREATE TABLE report_requests (
  id INTEGER PRIMARY KEY,
  issuer_code TEXT NOT NULL REFERENCES regions (code),
  topic TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  deadline INTEGER NOT NULL,
  created_by TEXT REFERENCES users (id),
  created_at INTEGER NOT NULL
);
CREATE INDEX report_requests_deadline ON report_requests (deadline);

-- The units a request asks, expanded when it is issued (a later change of the tree does not change it).
CREATE TABLE report_request_units (
  request_id INTEGER NOT NULL REFERENCES report_requests (id) ON DELETE CASCADE,
  unit_code TEXT NOT NULL REFERENCES regions (code),
  PRIMARY KEY (request_id, unit_code)
);
CREATE INDEX report_request_units_unit ON report_request_units (unit_code);

-- The request a report answers, chosen when filing (NULL for every existing report).
ALTER TABLE reports ADD COLUMN request_id INTEGER REFERENCES report_requests (id);
CREATE INDEX reports_request ON reports (request_id, author_region) WHERE request_id IS NOT NULL;
