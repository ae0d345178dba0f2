-- Market prices. Markets belong to a region (the city for the city-wide wholesale market, a
-- county for county markets); the region decides who may enter prices for them.
CREATE TABLE price_markets (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  region_code TEXT NOT NULL REFERENCES regions (code),
  address TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX price_markets_region ON price_markets (region_code);

-- Commodities are shared reference data; region_code names the scope that maintains each one.
-- slug is the address of its trend page (/prices/{slug}); prices are in fen (1/100 yuan).
CREATE TABLE price_commodities (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL UNIQUE,
  name_en TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL,
  unit TEXT NOT NULL,
  region_code TEXT NOT NULL REFERENCES regions (code),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- One price per day, market, commodity and variety: the natural key makes re-imports add nothing.
CREATE TABLE price_observations (
  id INTEGER PRIMARY KEY,
  observed_on TEXT NOT NULL,
  market_id INTEGER NOT NULL REFERENCES price_markets (id),
  commodity_id INTEGER NOT NULL REFERENCES price_commodities (id),
  variety TEXT NOT NULL DEFAULT '',
  unit TEXT NOT NULL,
  min_fen INTEGER,
  max_fen INTEGER,
  avg_fen INTEGER NOT NULL,
  source TEXT NOT NULL DEFAULT '',
  entered_by TEXT,
  created_at INTEGER NOT NULL,
  UNIQUE (observed_on, market_id, commodity_id, variety)
);
CREATE INDEX price_observations_series ON price_observations (commodity_id, market_id, variety, observed_on);
CREATE INDEX price_observations_market ON price_observations (market_id, observed_on);

-- An uploaded spreadsheet waiting for its preview to be confirmed (upload → preview → confirm).
CREATE TABLE price_imports (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  file_name TEXT NOT NULL,
  encoding TEXT NOT NULL,
  body TEXT NOT NULL,
  default_market_id INTEGER REFERENCES price_markets (id),
  created_at INTEGER NOT NULL,
  imported_at INTEGER,
  added INTEGER
);
