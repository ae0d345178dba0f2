-- Department reporting units (issue 23): 县农业农村局, 市商务局… belong to a county or to the city
-- and report to that level. Their reporter accounts and their reports carry the unit.
-- users is not rebuilt (0037 already allows the `reporter` role): both columns are added, null for every existing row.
CREATE TABLE report_units (
  id INTEGER PRIMARY KEY,
  region_code TEXT NOT NULL REFERENCES regions (code),
  name TEXT NOT NULL,
  kind TEXT NOT NULL DEFAULT 'department' CHECK (kind IN ('department')),
  retired_at INTEGER,
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX report_units_name ON report_units (region_code, name);
ALTER TABLE users ADD COLUMN unit_id INTEGER REFERENCES report_units (id);
ALTER TABLE reports ADD COLUMN unit_id INTEGER REFERENCES report_units (id);
CREATE INDEX reports_unit ON reports (unit_id) WHERE unit_id IS NOT NULL;
