-- Region facts (农村综合信息资料库 as data): what a village, township or county reports about itself.
-- Every entry is a new row (history kept); the current facts of a region are its latest row.

-- Main industries: the reference list (county_code NULL) plus free additions a county reviews.
CREATE TABLE fact_tags (
  name TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 20),
  status TEXT NOT NULL CHECK (status IN ('approved', 'pending', 'rejected')),
  county_code TEXT REFERENCES regions (code),
  proposed_by TEXT REFERENCES users (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  reviewed_by TEXT REFERENCES users (id) ON DELETE SET NULL,
  reviewed_at INTEGER,
  CHECK (status = 'approved' OR county_code IS NOT NULL)
);
CREATE INDEX fact_tags_county ON fact_tags (county_code, status);

CREATE TABLE region_facts (
  id INTEGER PRIMARY KEY,
  region_code TEXT NOT NULL REFERENCES regions (code),
  as_of TEXT NOT NULL CHECK (as_of GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  households INTEGER CHECK (households BETWEEN 0 AND 2000000),
  registered_population INTEGER CHECK (registered_population BETWEEN 0 AND 10000000),
  resident_population INTEGER CHECK (resident_population BETWEEN 0 AND 10000000),
  arable_mu REAL CHECK (arable_mu BETWEEN 0 AND 10000000),
  broadband_percent INTEGER CHECK (broadband_percent BETWEEN 0 AND 100),
  ecommerce_point INTEGER CHECK (ecommerce_point IN (0, 1)),
  -- The 六有 checklist of a village's information point (NULL: not reported, or not a village).
  has_premises INTEGER CHECK (has_premises IN (0, 1)),
  has_staff INTEGER CHECK (has_staff IN (0, 1)),
  has_equipment INTEGER CHECK (has_equipment IN (0, 1)),
  has_broadband INTEGER CHECK (has_broadband IN (0, 1)),
  has_web_page INTEGER CHECK (has_web_page IN (0, 1)),
  has_sustainable_operation INTEGER CHECK (has_sustainable_operation IN (0, 1)),
  source TEXT NOT NULL CHECK (source IN ('manual', 'import', 'sample')),
  entered_by TEXT REFERENCES users (id) ON DELETE SET NULL,
  entered_by_name TEXT NOT NULL,
  entered_at INTEGER NOT NULL
);
CREATE INDEX region_facts_current ON region_facts (region_code, as_of, id);

CREATE TABLE region_fact_industries (
  fact_id INTEGER NOT NULL REFERENCES region_facts (id) ON DELETE CASCADE,
  tag TEXT NOT NULL REFERENCES fact_tags (name),
  PRIMARY KEY (fact_id, tag)
) WITHOUT ROWID;
CREATE INDEX region_fact_industries_tag ON region_fact_industries (tag, fact_id);
