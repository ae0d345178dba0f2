-- A spreadsheet waiting for its preview to be confirmed, for the imports that came after the price
-- import (region facts, the directory): upload → preview → confirm, all or nothing.
CREATE TABLE sheet_imports (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('regionFacts', 'directory')),
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  region_code TEXT NOT NULL REFERENCES regions (code),
  file_name TEXT NOT NULL,
  encoding TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  imported_at INTEGER,
  added INTEGER
);
CREATE INDEX sheet_imports_created ON sheet_imports (created_at);
