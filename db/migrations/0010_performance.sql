-- City-scale speed (docs/PERFORMANCE.md).

-- A counter per data set, bumped by triggers on every write from any connection or process.
-- Cached reads (src/lib/db/cache.ts) stay valid while their set's counter is unchanged.
CREATE TABLE change_counters (
  name TEXT PRIMARY KEY,
  n INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
INSERT INTO change_counters (name) VALUES ('listings'), ('articles'), ('prices'), ('trainings');

CREATE TRIGGER listing_public_changed_insert AFTER INSERT ON listing_public BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'listings'; END;
CREATE TRIGGER listing_public_changed_update AFTER UPDATE ON listing_public BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'listings'; END;
CREATE TRIGGER listing_public_changed_delete AFTER DELETE ON listing_public BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'listings'; END;

CREATE TRIGGER articles_changed_insert AFTER INSERT ON articles BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'articles'; END;
CREATE TRIGGER articles_changed_update AFTER UPDATE ON articles BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'articles'; END;
CREATE TRIGGER articles_changed_delete AFTER DELETE ON articles BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'articles'; END;

CREATE TRIGGER price_observations_changed_insert AFTER INSERT ON price_observations BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'prices'; END;
CREATE TRIGGER price_observations_changed_update AFTER UPDATE ON price_observations BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'prices'; END;
CREATE TRIGGER price_observations_changed_delete AFTER DELETE ON price_observations BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'prices'; END;
CREATE TRIGGER price_markets_changed_insert AFTER INSERT ON price_markets BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'prices'; END;
CREATE TRIGGER price_markets_changed_update AFTER UPDATE ON price_markets BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'prices'; END;
CREATE TRIGGER price_markets_changed_delete AFTER DELETE ON price_markets BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'prices'; END;
CREATE TRIGGER price_commodities_changed_insert AFTER INSERT ON price_commodities BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'prices'; END;
CREATE TRIGGER price_commodities_changed_update AFTER UPDATE ON price_commodities BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'prices'; END;
CREATE TRIGGER price_commodities_changed_delete AFTER DELETE ON price_commodities BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'prices'; END;

CREATE TRIGGER training_sessions_changed_insert AFTER INSERT ON training_sessions BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'trainings'; END;
CREATE TRIGGER training_sessions_changed_update AFTER UPDATE ON training_sessions BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'trainings'; END;
CREATE TRIGGER training_sessions_changed_delete AFTER DELETE ON training_sessions BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'trainings'; END;
CREATE TRIGGER training_signups_changed_insert AFTER INSERT ON training_signups BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'trainings'; END;
CREATE TRIGGER training_signups_changed_update AFTER UPDATE ON training_signups BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'trainings'; END;
CREATE TRIGGER training_signups_changed_delete AFTER DELETE ON training_signups BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'trainings'; END;
CREATE TRIGGER training_bases_changed_insert AFTER INSERT ON training_bases BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'trainings'; END;
CREATE TRIGGER training_bases_changed_update AFTER UPDATE ON training_bases BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'trainings'; END;
CREATE TRIGGER training_bases_changed_delete AFTER DELETE ON training_bases BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'trainings'; END;
CREATE TRIGGER training_notices_changed_insert AFTER INSERT ON training_notices BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'trainings'; END;
CREATE TRIGGER training_notices_changed_update AFTER UPDATE ON training_notices BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'trainings'; END;
CREATE TRIGGER training_notices_changed_delete AFTER DELETE ON training_notices BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'trainings'; END;

-- One row per price series (commodity, market, variety): how many prices it has and its latest
-- day. The price board and the trend page's series list read these few hundred rows instead of
-- grouping a million prices.
CREATE TABLE price_series (
  commodity_id INTEGER NOT NULL,
  market_id INTEGER NOT NULL,
  variety TEXT NOT NULL,
  observations INTEGER NOT NULL,
  last_on TEXT NOT NULL,
  PRIMARY KEY (commodity_id, market_id, variety)
) WITHOUT ROWID;
INSERT INTO price_series (commodity_id, market_id, variety, observations, last_on)
  SELECT commodity_id, market_id, variety, count(*), max(observed_on) FROM price_observations GROUP BY commodity_id, market_id, variety;

CREATE TRIGGER price_series_insert AFTER INSERT ON price_observations BEGIN
  INSERT INTO price_series (commodity_id, market_id, variety, observations, last_on) VALUES (NEW.commodity_id, NEW.market_id, NEW.variety, 1, NEW.observed_on)
    ON CONFLICT DO UPDATE SET observations = observations + 1, last_on = max(last_on, excluded.last_on);
END;
CREATE TRIGGER price_series_delete AFTER DELETE ON price_observations BEGIN
  UPDATE price_series SET observations = observations - 1,
      last_on = coalesce((SELECT max(observed_on) FROM price_observations
        WHERE commodity_id = OLD.commodity_id AND market_id = OLD.market_id AND variety = OLD.variety), '')
    WHERE commodity_id = OLD.commodity_id AND market_id = OLD.market_id AND variety = OLD.variety;
  DELETE FROM price_series WHERE commodity_id = OLD.commodity_id AND market_id = OLD.market_id AND variety = OLD.variety AND observations <= 0;
END;
-- Prices are only inserted and deleted today; an edit of a key column counts as both.
CREATE TRIGGER price_series_update AFTER UPDATE OF observed_on, market_id, commodity_id, variety ON price_observations BEGIN
  UPDATE price_series SET observations = observations - 1,
      last_on = coalesce((SELECT max(observed_on) FROM price_observations
        WHERE commodity_id = OLD.commodity_id AND market_id = OLD.market_id AND variety = OLD.variety), '')
    WHERE commodity_id = OLD.commodity_id AND market_id = OLD.market_id AND variety = OLD.variety;
  DELETE FROM price_series WHERE commodity_id = OLD.commodity_id AND market_id = OLD.market_id AND variety = OLD.variety AND observations <= 0;
  INSERT INTO price_series (commodity_id, market_id, variety, observations, last_on) VALUES (NEW.commodity_id, NEW.market_id, NEW.variety, 1, NEW.observed_on)
    ON CONFLICT DO UPDATE SET observations = observations + 1, last_on = max(last_on, excluded.last_on);
END;

-- Counting public listings of a region, or of a category in a region, from the index alone.
CREATE INDEX listing_public_scope ON listing_public (village_code, expires_at);
CREATE INDEX listing_public_category_scope ON listing_public (category, village_code, expires_at);
-- The newest listings of a county or township, in order (a village has listing_public_village).
CREATE INDEX listing_public_county ON listing_public (substr(village_code, 1, 6), published_at);
CREATE INDEX listing_public_township ON listing_public (substr(village_code, 1, 9), published_at);

-- Articles seen from a region: those published at it or above it, and those below it, by kind.
CREATE INDEX articles_region_kind ON articles (region_code, kind, status, published_at);

-- Sessions not yet over, without walking every past session.
CREATE INDEX training_sessions_ends ON training_sessions (ends_at);
