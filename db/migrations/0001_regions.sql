-- The administrative hierarchy of the city: city → county → township → village.
-- A code starts with its parent's code, so a subtree is a code prefix.
CREATE TABLE regions (
  code TEXT PRIMARY KEY,
  parent_code TEXT REFERENCES regions (code),
  level TEXT NOT NULL CHECK (level IN ('city', 'county', 'township', 'village')),
  name TEXT NOT NULL,
  short_name TEXT NOT NULL,
  sort_order INTEGER NOT NULL,
  intro_md TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  opening_hours TEXT NOT NULL DEFAULT '',
  contact_name TEXT NOT NULL DEFAULT '',
  contact_phone TEXT NOT NULL DEFAULT '',
  updated_at TEXT
);

CREATE INDEX regions_parent ON regions (parent_code, sort_order);

-- Named seed steps that have run, so a restart never seeds twice.
CREATE TABLE seed_runs (
  name TEXT PRIMARY KEY,
  ran_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
