-- Structured listings (issue 21): variety, spec pairs, minimum order, ship-from, delivery,
-- certifications, seller type and 暂时售罄. Every column has a default that an existing listing
-- already satisfies, so listings saved before this migration stay valid and public as they are.
-- specs: JSON [{"key", "value"}]; delivery: JSON ["pickup" | "express" | "logistics"];
-- certifications: JSON [{"kind", "number"}]. Both copies carry them, as for the other fields.
ALTER TABLE listings ADD COLUMN variety TEXT NOT NULL DEFAULT '';
ALTER TABLE listings ADD COLUMN specs TEXT NOT NULL DEFAULT '[]';
ALTER TABLE listings ADD COLUMN min_order_qty REAL CHECK (min_order_qty IS NULL OR min_order_qty > 0);
ALTER TABLE listings ADD COLUMN min_order_unit TEXT;
ALTER TABLE listings ADD COLUMN ship_from TEXT NOT NULL DEFAULT 'village' CHECK (ship_from IN ('village', 'township'));
ALTER TABLE listings ADD COLUMN delivery TEXT NOT NULL DEFAULT '[]';
ALTER TABLE listings ADD COLUMN certifications TEXT NOT NULL DEFAULT '[]';
ALTER TABLE listings ADD COLUMN seller_type TEXT NOT NULL DEFAULT 'farmer'
  CHECK (seller_type IN ('farmer', 'cooperative', 'family_farm', 'enterprise'));
ALTER TABLE listings ADD COLUMN sold_out INTEGER NOT NULL DEFAULT 0 CHECK (sold_out IN (0, 1));

ALTER TABLE listing_public ADD COLUMN variety TEXT NOT NULL DEFAULT '';
ALTER TABLE listing_public ADD COLUMN specs TEXT NOT NULL DEFAULT '[]';
ALTER TABLE listing_public ADD COLUMN min_order_qty REAL;
ALTER TABLE listing_public ADD COLUMN min_order_unit TEXT;
ALTER TABLE listing_public ADD COLUMN ship_from TEXT NOT NULL DEFAULT 'village';
ALTER TABLE listing_public ADD COLUMN delivery TEXT NOT NULL DEFAULT '[]';
ALTER TABLE listing_public ADD COLUMN certifications TEXT NOT NULL DEFAULT '[]';
ALTER TABLE listing_public ADD COLUMN seller_type TEXT NOT NULL DEFAULT 'farmer';
ALTER TABLE listing_public ADD COLUMN sold_out INTEGER NOT NULL DEFAULT 0;

-- /products filters: a variety is looked up by equality, newest first; sorting by price walks
-- this expression in order (面议, with no price, after every priced listing).
CREATE INDEX listing_public_variety ON listing_public (variety, published_at);
CREATE INDEX listing_public_price ON listing_public (ifnull(price_fen, 1000000000000), listing_id);

-- The public copies' certifications one row each, so filtering by one (rare: most listings have
-- none) looks its listings up by index instead of reading every public listing's JSON.
CREATE TABLE listing_public_certifications (
  kind TEXT NOT NULL,
  listing_id INTEGER NOT NULL REFERENCES listing_public (listing_id) ON DELETE CASCADE,
  PRIMARY KEY (kind, listing_id)
) WITHOUT ROWID;
CREATE INDEX listing_public_certifications_listing ON listing_public_certifications (listing_id);
