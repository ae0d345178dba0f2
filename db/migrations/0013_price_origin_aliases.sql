-- Origin (产地) becomes part of a price's identity: a wholesale market's daily sheet lists the same
-- commodity and grade from several producing areas at different prices. SQLite cannot change a
-- UNIQUE constraint in place, so the table is rebuilt (its triggers and indexes go with it).
CREATE TABLE price_observations_new (
  id INTEGER PRIMARY KEY,
  observed_on TEXT NOT NULL,
  market_id INTEGER NOT NULL REFERENCES price_markets (id),
  commodity_id INTEGER NOT NULL REFERENCES price_commodities (id),
  variety TEXT NOT NULL DEFAULT '',
  origin TEXT NOT NULL DEFAULT '',
  unit TEXT NOT NULL,
  min_fen INTEGER,
  max_fen INTEGER,
  avg_fen INTEGER NOT NULL,
  source TEXT NOT NULL DEFAULT '',
  entered_by TEXT,
  created_at INTEGER NOT NULL,
  UNIQUE (observed_on, market_id, commodity_id, variety, origin)
);
INSERT INTO price_observations_new (id, observed_on, market_id, commodity_id, variety, unit, min_fen, max_fen, avg_fen, source, entered_by, created_at)
  SELECT id, observed_on, market_id, commodity_id, variety, unit, min_fen, max_fen, avg_fen, source, entered_by, created_at FROM price_observations;
DROP TABLE price_observations;
ALTER TABLE price_observations_new RENAME TO price_observations;
CREATE INDEX price_observations_series ON price_observations (commodity_id, market_id, variety, origin, observed_on);
CREATE INDEX price_observations_market ON price_observations (market_id, observed_on);
CREATE INDEX price_observations_commodity_day ON price_observations (commodity_id, observed_on);
-- "Recently entered" on /admin/prices is by entry time, not by market day.
CREATE INDEX price_observations_entered ON price_observations (created_at);

CREATE TRIGGER price_observations_changed_insert AFTER INSERT ON price_observations BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'prices'; END;
CREATE TRIGGER price_observations_changed_update AFTER UPDATE ON price_observations BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'prices'; END;
CREATE TRIGGER price_observations_changed_delete AFTER DELETE ON price_observations BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'prices'; END;

-- A series is now one market, commodity, variety and origin.
DROP TABLE price_series;
CREATE TABLE price_series (
  commodity_id INTEGER NOT NULL,
  market_id INTEGER NOT NULL,
  variety TEXT NOT NULL,
  origin TEXT NOT NULL,
  observations INTEGER NOT NULL,
  last_on TEXT NOT NULL,
  PRIMARY KEY (commodity_id, market_id, variety, origin)
) WITHOUT ROWID;
INSERT INTO price_series (commodity_id, market_id, variety, origin, observations, last_on)
  SELECT commodity_id, market_id, variety, origin, count(*), max(observed_on) FROM price_observations GROUP BY commodity_id, market_id, variety, origin;

CREATE TRIGGER price_series_insert AFTER INSERT ON price_observations BEGIN
  INSERT INTO price_series (commodity_id, market_id, variety, origin, observations, last_on)
    VALUES (NEW.commodity_id, NEW.market_id, NEW.variety, NEW.origin, 1, NEW.observed_on)
    ON CONFLICT DO UPDATE SET observations = observations + 1, last_on = max(last_on, excluded.last_on);
END;
CREATE TRIGGER price_series_delete AFTER DELETE ON price_observations BEGIN
  UPDATE price_series SET observations = observations - 1,
      last_on = coalesce((SELECT max(observed_on) FROM price_observations
        WHERE commodity_id = OLD.commodity_id AND market_id = OLD.market_id AND variety = OLD.variety AND origin = OLD.origin), '')
    WHERE commodity_id = OLD.commodity_id AND market_id = OLD.market_id AND variety = OLD.variety AND origin = OLD.origin;
  DELETE FROM price_series WHERE commodity_id = OLD.commodity_id AND market_id = OLD.market_id AND variety = OLD.variety AND origin = OLD.origin AND observations <= 0;
END;
-- Prices are only inserted and deleted today; an edit of a key column counts as both.
CREATE TRIGGER price_series_update AFTER UPDATE OF observed_on, market_id, commodity_id, variety, origin ON price_observations BEGIN
  UPDATE price_series SET observations = observations - 1,
      last_on = coalesce((SELECT max(observed_on) FROM price_observations
        WHERE commodity_id = OLD.commodity_id AND market_id = OLD.market_id AND variety = OLD.variety AND origin = OLD.origin), '')
    WHERE commodity_id = OLD.commodity_id AND market_id = OLD.market_id AND variety = OLD.variety AND origin = OLD.origin;
  DELETE FROM price_series WHERE commodity_id = OLD.commodity_id AND market_id = OLD.market_id AND variety = OLD.variety AND origin = OLD.origin AND observations <= 0;
  INSERT INTO price_series (commodity_id, market_id, variety, origin, observations, last_on)
    VALUES (NEW.commodity_id, NEW.market_id, NEW.variety, NEW.origin, 1, NEW.observed_on)
    ON CONFLICT DO UPDATE SET observations = observations + 1, last_on = max(last_on, excluded.last_on);
END;

-- Other names of a commodity (番茄 for 西红柿), maintained by the commodity's region. `key` is the
-- name as matched: NFKC (full-width → half-width), without spaces, lower case.
CREATE TABLE price_commodity_aliases (
  key TEXT PRIMARY KEY,
  alias TEXT NOT NULL,
  commodity_id INTEGER NOT NULL REFERENCES price_commodities (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL
);
CREATE INDEX price_commodity_aliases_commodity ON price_commodity_aliases (commodity_id);
CREATE TRIGGER price_commodity_aliases_changed_insert AFTER INSERT ON price_commodity_aliases BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'prices'; END;
CREATE TRIGGER price_commodity_aliases_changed_delete AFTER DELETE ON price_commodity_aliases BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'prices'; END;
