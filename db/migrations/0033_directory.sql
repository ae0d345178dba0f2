-- The directory of producers and experts (主体名录, issue 22): cooperatives, family farms, leading
-- enterprises, large growers and agricultural experts. County staff keep it; collectors and station
-- managers propose entries that county staff approve or reject. Only approved entries are public.
CREATE TABLE directory_entities (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('cooperative', 'family_farm', 'enterprise', 'large_grower', 'expert')),
  name TEXT NOT NULL CHECK (length(name) BETWEEN 2 AND 60),
  -- Where it is registered or works: a village, township or county in 商丘市.
  region_code TEXT NOT NULL REFERENCES regions (code),
  certifications TEXT NOT NULL DEFAULT '',
  -- 统一社会信用代码 (GB 32100-2015), checked by its check digit before it is stored; NULL when none is public.
  credit_code TEXT CHECK (credit_code IS NULL OR length(credit_code) = 18),
  contact_name TEXT NOT NULL DEFAULT '',
  contact_phone TEXT NOT NULL DEFAULT '',
  -- 0: the contact is for staff only and never leaves the admin; 1: shown on the public page.
  contact_public INTEGER NOT NULL DEFAULT 0 CHECK (contact_public IN (0, 1)),
  description TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'approved', 'rejected')),
  -- An expert entry may name the expert account (users.role = 'expert') that answers questions.
  expert_user_id TEXT REFERENCES users (id) ON DELETE SET NULL,
  created_by TEXT REFERENCES users (id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- One live entry per credit code, and per name in a region (a rejected proposal does not block a new one).
CREATE UNIQUE INDEX directory_credit_code ON directory_entities (credit_code) WHERE credit_code IS NOT NULL AND status <> 'rejected';
CREATE UNIQUE INDEX directory_name_region ON directory_entities (region_code, name) WHERE status <> 'rejected';
CREATE INDEX directory_public ON directory_entities (status, region_code);

-- Products or specialties, one row each, so /directory?tag= looks entries up by index.
CREATE TABLE directory_tags (
  tag TEXT NOT NULL CHECK (length(tag) BETWEEN 1 AND 12),
  entity_id INTEGER NOT NULL REFERENCES directory_entities (id) ON DELETE CASCADE,
  PRIMARY KEY (tag, entity_id)
) WITHOUT ROWID;
CREATE INDEX directory_tags_entity ON directory_tags (entity_id);

-- A listing may name its seller entity; existing listings keep none (their seller_type stays).
ALTER TABLE listings ADD COLUMN seller_entity_id INTEGER REFERENCES directory_entities (id) ON DELETE SET NULL;
ALTER TABLE listing_public ADD COLUMN seller_entity_id INTEGER REFERENCES directory_entities (id) ON DELETE SET NULL;
CREATE INDEX listing_public_seller_entity ON listing_public (seller_entity_id) WHERE seller_entity_id IS NOT NULL;
