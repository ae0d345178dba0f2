-- Open data (/api/v1): a page of listings or prices walks an index in the page's order
-- (newest first) and stops after `limit` rows, instead of sorting every match first.
CREATE INDEX listing_public_published ON listing_public (published_at);
CREATE INDEX price_observations_commodity_day ON price_observations (commodity_id, observed_on);
