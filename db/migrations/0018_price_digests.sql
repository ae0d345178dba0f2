-- The prices each subscriber's daily digest has already told them about (issue 17): a price that
-- moved is reported once, not again in every digest until the next price arrives. `price_key` is
-- the observation's natural key (day, market, commodity, variety, origin).
CREATE TABLE price_digest_items (
  subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  price_key TEXT NOT NULL,
  digested_on TEXT NOT NULL,
  PRIMARY KEY (subscriber_id, price_key)
) WITHOUT ROWID;
