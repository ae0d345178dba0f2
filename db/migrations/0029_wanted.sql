-- Buy requests (求购, issue 21): a buyer walks into a township station or calls the county, and
-- staff post what they want on the buyer's behalf. Public until the deadline or until closed.
CREATE TABLE wanted (
  id INTEGER PRIMARY KEY,
  -- The township or county whose staff keep it; its station's contact stands in for the buyer's.
  region_code TEXT NOT NULL REFERENCES regions (code),
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  product TEXT NOT NULL,
  category TEXT NOT NULL,
  variety TEXT NOT NULL DEFAULT '',
  specs TEXT NOT NULL DEFAULT '',
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  unit TEXT NOT NULL,
  origin TEXT NOT NULL DEFAULT '',
  delivery_place TEXT NOT NULL DEFAULT '',
  -- The last day (China time) it is shown, and the millisecond it stops being shown.
  deadline TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  -- 'own': the buyer's contact below is shown; 'station': the region's station contact is shown.
  contact_mode TEXT NOT NULL CHECK (contact_mode IN ('own', 'station')),
  contact_name TEXT NOT NULL DEFAULT '',
  contact_phone TEXT NOT NULL DEFAULT '',
  created_by TEXT REFERENCES users (id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- The public list: open requests not yet expired, newest first.
CREATE INDEX wanted_public ON wanted (status, expires_at);
CREATE INDEX wanted_region ON wanted (region_code, created_at);

-- A collector's "I can supply": one of their listings offered for a buy request.
CREATE TABLE wanted_answers (
  wanted_id INTEGER NOT NULL REFERENCES wanted (id) ON DELETE CASCADE,
  listing_id INTEGER NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
  answered_by TEXT REFERENCES users (id),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (wanted_id, listing_id)
);
CREATE INDEX wanted_answers_listing ON wanted_answers (listing_id);
