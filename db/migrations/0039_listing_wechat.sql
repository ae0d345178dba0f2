-- WeChat taps (issue 21): a listing may carry its seller's WeChat ID, shown only on the listing's
-- page behind a counted redirect (/products/{id}/wechat), like its phone. Empty means none, which
-- every existing listing satisfies.
ALTER TABLE listings ADD COLUMN contact_wechat TEXT NOT NULL DEFAULT '';
ALTER TABLE listing_public ADD COLUMN contact_wechat TEXT NOT NULL DEFAULT '';

-- Taps on "add on WeChat" are a second kind of lead, counted beside call taps in the same
-- (day, listing) row; rows written before count no WeChat taps.
ALTER TABLE listing_leads ADD COLUMN wechat_taps INTEGER NOT NULL DEFAULT 0;
