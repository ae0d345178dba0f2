-- Local purchase prices (本地收购价, issue 20): what a purchase station or grain depot in a
-- village or township pays farmers, entered by the collectors and station managers there and
-- public only once county staff approve it. Kept apart from wholesale market prices
-- (price_observations): a different kind of price, a different workflow.
CREATE TABLE purchase_points (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('station', 'depot', 'other')),
  -- A village or a township: whoever works there maintains it (and staff above).
  region_code TEXT NOT NULL REFERENCES regions (code),
  address TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (region_code, name)
);

-- Amounts in fen like wholesale prices; a price is pending until county staff approve or reject it.
CREATE TABLE purchase_prices (
  id INTEGER PRIMARY KEY,
  point_id INTEGER NOT NULL REFERENCES purchase_points (id),
  commodity_id INTEGER NOT NULL REFERENCES price_commodities (id),
  observed_on TEXT NOT NULL,
  unit TEXT NOT NULL,
  price_fen INTEGER NOT NULL CHECK (price_fen >= 0),
  note TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  entered_by TEXT,
  created_at INTEGER NOT NULL,
  reviewed_by TEXT,
  reviewed_at INTEGER
);
-- One live price per point, commodity and day; a rejected one may be entered again corrected.
CREATE UNIQUE INDEX purchase_prices_key ON purchase_prices (point_id, commodity_id, observed_on) WHERE status <> 'rejected';
-- The public list walks approved prices newest day first and stops after a page.
CREATE INDEX purchase_prices_public ON purchase_prices (observed_on, id) WHERE status = 'approved';
-- A series (one point, one commodity): its latest price, and its prices for the trend page.
CREATE INDEX purchase_prices_series ON purchase_prices (commodity_id, point_id, observed_on) WHERE status = 'approved';
-- The review queue.
CREATE INDEX purchase_prices_pending ON purchase_prices (point_id, created_at) WHERE status = 'pending';

-- Each public series with its number of approved prices and latest day, kept by the trigger below
-- (like price_series for wholesale prices): the public lists read one row per series, not a
-- point's whole history.
CREATE TABLE purchase_series (
  point_id INTEGER NOT NULL,
  commodity_id INTEGER NOT NULL,
  observations INTEGER NOT NULL,
  last_on TEXT NOT NULL,
  PRIMARY KEY (point_id, commodity_id)
) WITHOUT ROWID;
CREATE INDEX purchase_series_last ON purchase_series (last_on, point_id, commodity_id);
CREATE INDEX purchase_series_commodity ON purchase_series (commodity_id);
-- A price becomes public only by approval, and an approved price is never changed or deleted.
CREATE TRIGGER purchase_series_approved AFTER UPDATE OF status ON purchase_prices WHEN NEW.status = 'approved' AND OLD.status <> 'approved' BEGIN
  INSERT INTO purchase_series (point_id, commodity_id, observations, last_on) VALUES (NEW.point_id, NEW.commodity_id, 1, NEW.observed_on)
    ON CONFLICT DO UPDATE SET observations = observations + 1, last_on = max(last_on, excluded.last_on);
END;
