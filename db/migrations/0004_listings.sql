-- Uploaded images, stored once by the SHA-256 of the uploaded bytes.
CREATE TABLE media (
  sha256 TEXT PRIMARY KEY,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  format TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  created_by TEXT
);

-- The village specialty-product column (农副特产品栏目). This table is the working copy that
-- collectors edit; what the public sees is the last approved copy in listing_public.
CREATE TABLE listings (
  id INTEGER PRIMARY KEY,
  village_code TEXT NOT NULL REFERENCES regions (code),
  status TEXT NOT NULL CHECK (status IN ('draft', 'pending', 'published', 'rejected', 'archived')),
  title TEXT NOT NULL,
  category TEXT NOT NULL,
  description_md TEXT NOT NULL DEFAULT '',
  price_fen INTEGER,
  price_unit TEXT NOT NULL,
  quantity TEXT NOT NULL DEFAULT '',
  supply_from INTEGER NOT NULL CHECK (supply_from BETWEEN 1 AND 12),
  supply_to INTEGER NOT NULL CHECK (supply_to BETWEEN 1 AND 12),
  contact_name TEXT NOT NULL,
  contact_phone TEXT NOT NULL,
  reject_reason TEXT NOT NULL DEFAULT '',
  created_by TEXT REFERENCES users (id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX listings_village_status ON listings (village_code, status);
CREATE INDEX listings_status ON listings (status, updated_at);

CREATE TABLE listing_photos (
  listing_id INTEGER NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  sha256 TEXT NOT NULL REFERENCES media (sha256),
  PRIMARY KEY (listing_id, position)
);

-- The approved copy shown to the public, replaced on each approval, removed on archive.
CREATE TABLE listing_public (
  listing_id INTEGER PRIMARY KEY REFERENCES listings (id) ON DELETE CASCADE,
  village_code TEXT NOT NULL,
  title TEXT NOT NULL,
  category TEXT NOT NULL,
  description_md TEXT NOT NULL,
  price_fen INTEGER,
  price_unit TEXT NOT NULL,
  quantity TEXT NOT NULL,
  supply_from INTEGER NOT NULL,
  supply_to INTEGER NOT NULL,
  contact_name TEXT NOT NULL,
  contact_phone TEXT NOT NULL,
  photos TEXT NOT NULL DEFAULT '[]',
  published_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX listing_public_recent ON listing_public (expires_at, published_at);
CREATE INDEX listing_public_village ON listing_public (village_code, published_at);
CREATE INDEX listing_public_category ON listing_public (category, published_at);

-- Submissions and review decisions, for the monthly reporting statistics.
CREATE TABLE listing_events (
  id INTEGER PRIMARY KEY,
  listing_id INTEGER NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('submitted', 'approved', 'rejected')),
  at INTEGER NOT NULL,
  actor_id TEXT,
  author_id TEXT,
  village_code TEXT NOT NULL
);
CREATE INDEX listing_events_at ON listing_events (at);
