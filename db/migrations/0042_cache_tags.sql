-- Cache tags (docs/PERFORMANCE.md, "Cache tags"): a counter per tag, bumped by triggers on every
-- write from any connection or process. A kept page remembers the tags of what it read and their
-- counters; it stays valid while they are unchanged. Generated once for the tables of 0001–0040;
-- tables added later get their triggers in their own migration (tests/integration/cacheTags.test.ts
-- fails on a table with neither triggers nor a place in UNTRACKED_TABLES, src/lib/db/tags.ts).
CREATE TABLE cache_tags (
  tag TEXT PRIMARY KEY,
  n INTEGER NOT NULL
) WITHOUT ROWID;

-- Every write to a table bumps its table tag: what a read that names no finer tag depends on.
CREATE TRIGGER tag_article_proposals_i AFTER INSERT ON article_proposals BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:article_proposals', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_article_proposals_u AFTER UPDATE ON article_proposals BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:article_proposals', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_article_proposals_d AFTER DELETE ON article_proposals BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:article_proposals', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_articles_i AFTER INSERT ON articles BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:articles', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_articles_u AFTER UPDATE ON articles BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:articles', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_articles_d AFTER DELETE ON articles BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:articles', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_broken_links_i AFTER INSERT ON broken_links BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:broken_links', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_broken_links_u AFTER UPDATE ON broken_links BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:broken_links', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_broken_links_d AFTER DELETE ON broken_links BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:broken_links', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_directory_entities_i AFTER INSERT ON directory_entities BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:directory_entities', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_directory_entities_u AFTER UPDATE ON directory_entities BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:directory_entities', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_directory_entities_d AFTER DELETE ON directory_entities BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:directory_entities', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_directory_tags_i AFTER INSERT ON directory_tags BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:directory_tags', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_directory_tags_u AFTER UPDATE ON directory_tags BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:directory_tags', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_directory_tags_d AFTER DELETE ON directory_tags BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:directory_tags', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_duty_roster_i AFTER INSERT ON duty_roster BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:duty_roster', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_duty_roster_u AFTER UPDATE ON duty_roster BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:duty_roster', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_duty_roster_d AFTER DELETE ON duty_roster BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:duty_roster', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_expert_specialties_i AFTER INSERT ON expert_specialties BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:expert_specialties', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_expert_specialties_u AFTER UPDATE ON expert_specialties BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:expert_specialties', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_expert_specialties_d AFTER DELETE ON expert_specialties BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:expert_specialties', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_fact_tags_i AFTER INSERT ON fact_tags BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:fact_tags', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_fact_tags_u AFTER UPDATE ON fact_tags BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:fact_tags', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_fact_tags_d AFTER DELETE ON fact_tags BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:fact_tags', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_library_files_i AFTER INSERT ON library_files BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:library_files', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_library_files_u AFTER UPDATE ON library_files BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:library_files', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_library_files_d AFTER DELETE ON library_files BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:library_files', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_link_check_runs_i AFTER INSERT ON link_check_runs BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:link_check_runs', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_link_check_runs_u AFTER UPDATE ON link_check_runs BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:link_check_runs', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_link_check_runs_d AFTER DELETE ON link_check_runs BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:link_check_runs', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_listing_events_i AFTER INSERT ON listing_events BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:listing_events', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_listing_events_u AFTER UPDATE ON listing_events BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:listing_events', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_listing_events_d AFTER DELETE ON listing_events BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:listing_events', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_listing_leads_i AFTER INSERT ON listing_leads BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:listing_leads', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_listing_leads_u AFTER UPDATE ON listing_leads BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:listing_leads', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_listing_leads_d AFTER DELETE ON listing_leads BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:listing_leads', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_listing_photos_i AFTER INSERT ON listing_photos BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:listing_photos', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_listing_photos_u AFTER UPDATE ON listing_photos BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:listing_photos', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_listing_photos_d AFTER DELETE ON listing_photos BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:listing_photos', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_listing_public_i AFTER INSERT ON listing_public BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:listing_public', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_listing_public_u AFTER UPDATE ON listing_public BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:listing_public', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_listing_public_d AFTER DELETE ON listing_public BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:listing_public', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_listing_public_certifications_i AFTER INSERT ON listing_public_certifications BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:listing_public_certifications', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_listing_public_certifications_u AFTER UPDATE ON listing_public_certifications BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:listing_public_certifications', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_listing_public_certifications_d AFTER DELETE ON listing_public_certifications BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:listing_public_certifications', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_listing_public_photos_i AFTER INSERT ON listing_public_photos BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:listing_public_photos', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_listing_public_photos_u AFTER UPDATE ON listing_public_photos BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:listing_public_photos', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_listing_public_photos_d AFTER DELETE ON listing_public_photos BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:listing_public_photos', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_listings_i AFTER INSERT ON listings BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:listings', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_listings_u AFTER UPDATE ON listings BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:listings', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_listings_d AFTER DELETE ON listings BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:listings', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_media_i AFTER INSERT ON media BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:media', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_media_u AFTER UPDATE ON media BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:media', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_media_d AFTER DELETE ON media BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:media', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_price_commodities_i AFTER INSERT ON price_commodities BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:price_commodities', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_price_commodities_u AFTER UPDATE ON price_commodities BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:price_commodities', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_price_commodities_d AFTER DELETE ON price_commodities BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:price_commodities', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_price_commodity_aliases_i AFTER INSERT ON price_commodity_aliases BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:price_commodity_aliases', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_price_commodity_aliases_u AFTER UPDATE ON price_commodity_aliases BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:price_commodity_aliases', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_price_commodity_aliases_d AFTER DELETE ON price_commodity_aliases BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:price_commodity_aliases', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_price_digest_items_i AFTER INSERT ON price_digest_items BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:price_digest_items', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_price_digest_items_u AFTER UPDATE ON price_digest_items BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:price_digest_items', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_price_digest_items_d AFTER DELETE ON price_digest_items BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:price_digest_items', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_price_imports_i AFTER INSERT ON price_imports BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:price_imports', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_price_imports_u AFTER UPDATE ON price_imports BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:price_imports', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_price_imports_d AFTER DELETE ON price_imports BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:price_imports', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_price_markets_i AFTER INSERT ON price_markets BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:price_markets', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_price_markets_u AFTER UPDATE ON price_markets BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:price_markets', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_price_markets_d AFTER DELETE ON price_markets BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:price_markets', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_price_observations_i AFTER INSERT ON price_observations BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:price_observations', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_price_observations_u AFTER UPDATE ON price_observations BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:price_observations', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_price_observations_d AFTER DELETE ON price_observations BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:price_observations', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_price_series_i AFTER INSERT ON price_series BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:price_series', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_price_series_u AFTER UPDATE ON price_series BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:price_series', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_price_series_d AFTER DELETE ON price_series BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:price_series', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_purchase_points_i AFTER INSERT ON purchase_points BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:purchase_points', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_purchase_points_u AFTER UPDATE ON purchase_points BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:purchase_points', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_purchase_points_d AFTER DELETE ON purchase_points BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:purchase_points', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_purchase_prices_i AFTER INSERT ON purchase_prices BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:purchase_prices', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_purchase_prices_u AFTER UPDATE ON purchase_prices BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:purchase_prices', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_purchase_prices_d AFTER DELETE ON purchase_prices BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:purchase_prices', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_purchase_series_i AFTER INSERT ON purchase_series BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:purchase_series', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_purchase_series_u AFTER UPDATE ON purchase_series BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:purchase_series', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_purchase_series_d AFTER DELETE ON purchase_series BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:purchase_series', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_question_edits_i AFTER INSERT ON question_edits BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:question_edits', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_question_edits_u AFTER UPDATE ON question_edits BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:question_edits', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_question_edits_d AFTER DELETE ON question_edits BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:question_edits', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_question_events_i AFTER INSERT ON question_events BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:question_events', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_question_events_u AFTER UPDATE ON question_events BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:question_events', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_question_events_d AFTER DELETE ON question_events BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:question_events', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_question_photos_i AFTER INSERT ON question_photos BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:question_photos', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_question_photos_u AFTER UPDATE ON question_photos BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:question_photos', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_question_photos_d AFTER DELETE ON question_photos BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:question_photos', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_question_review_counties_i AFTER INSERT ON question_review_counties BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:question_review_counties', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_question_review_counties_u AFTER UPDATE ON question_review_counties BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:question_review_counties', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_question_review_counties_d AFTER DELETE ON question_review_counties BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:question_review_counties', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_questions_i AFTER INSERT ON questions BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:questions', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_questions_u AFTER UPDATE ON questions BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:questions', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_questions_d AFTER DELETE ON questions BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:questions', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_region_fact_industries_i AFTER INSERT ON region_fact_industries BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:region_fact_industries', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_region_fact_industries_u AFTER UPDATE ON region_fact_industries BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:region_fact_industries', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_region_fact_industries_d AFTER DELETE ON region_fact_industries BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:region_fact_industries', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_region_facts_i AFTER INSERT ON region_facts BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:region_facts', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_region_facts_u AFTER UPDATE ON region_facts BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:region_facts', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_region_facts_d AFTER DELETE ON region_facts BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:region_facts', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_regions_i AFTER INSERT ON regions BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:regions', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_regions_u AFTER UPDATE ON regions BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:regions', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_regions_d AFTER DELETE ON regions BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:regions', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_report_attachments_i AFTER INSERT ON report_attachments BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:report_attachments', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_report_attachments_u AFTER UPDATE ON report_attachments BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:report_attachments', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_report_attachments_d AFTER DELETE ON report_attachments BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:report_attachments', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_report_bulletin_items_i AFTER INSERT ON report_bulletin_items BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:report_bulletin_items', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_report_bulletin_items_u AFTER UPDATE ON report_bulletin_items BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:report_bulletin_items', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_report_bulletin_items_d AFTER DELETE ON report_bulletin_items BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:report_bulletin_items', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_report_bulletins_i AFTER INSERT ON report_bulletins BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:report_bulletins', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_report_bulletins_u AFTER UPDATE ON report_bulletins BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:report_bulletins', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_report_bulletins_d AFTER DELETE ON report_bulletins BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:report_bulletins', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_report_events_i AFTER INSERT ON report_events BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:report_events', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_report_events_u AFTER UPDATE ON report_events BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:report_events', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_report_events_d AFTER DELETE ON report_events BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:report_events', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_report_instructions_i AFTER INSERT ON report_instructions BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:report_instructions', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_report_instructions_u AFTER UPDATE ON report_instructions BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:report_instructions', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_report_instructions_d AFTER DELETE ON report_instructions BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:report_instructions', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_report_phone_i AFTER INSERT ON report_phone BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:report_phone', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_report_phone_u AFTER UPDATE ON report_phone BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:report_phone', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_report_phone_d AFTER DELETE ON report_phone BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:report_phone', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_report_photos_i AFTER INSERT ON report_photos BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:report_photos', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_report_photos_u AFTER UPDATE ON report_photos BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:report_photos', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_report_photos_d AFTER DELETE ON report_photos BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:report_photos', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_report_request_units_i AFTER INSERT ON report_request_units BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:report_request_units', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_report_request_units_u AFTER UPDATE ON report_request_units BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:report_request_units', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_report_request_units_d AFTER DELETE ON report_request_units BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:report_request_units', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_report_requests_i AFTER INSERT ON report_requests BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:report_requests', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_report_requests_u AFTER UPDATE ON report_requests BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:report_requests', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_report_requests_d AFTER DELETE ON report_requests BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:report_requests', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_report_units_i AFTER INSERT ON report_units BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:report_units', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_report_units_u AFTER UPDATE ON report_units BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:report_units', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_report_units_d AFTER DELETE ON report_units BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:report_units', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_reports_i AFTER INSERT ON reports BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:reports', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_reports_u AFTER UPDATE ON reports BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:reports', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_reports_d AFTER DELETE ON reports BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:reports', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_search_documents_i AFTER INSERT ON search_documents BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:search_documents', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_search_documents_u AFTER UPDATE ON search_documents BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:search_documents', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_search_documents_d AFTER DELETE ON search_documents BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:search_documents', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_staff_contacts_i AFTER INSERT ON staff_contacts BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:staff_contacts', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_staff_contacts_u AFTER UPDATE ON staff_contacts BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:staff_contacts', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_staff_contacts_d AFTER DELETE ON staff_contacts BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:staff_contacts', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_subscriber_topics_i AFTER INSERT ON subscriber_topics BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:subscriber_topics', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_subscriber_topics_u AFTER UPDATE ON subscriber_topics BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:subscriber_topics', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_subscriber_topics_d AFTER DELETE ON subscriber_topics BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:subscriber_topics', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_subscribers_i AFTER INSERT ON subscribers BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:subscribers', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_subscribers_u AFTER UPDATE ON subscribers BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:subscribers', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_subscribers_d AFTER DELETE ON subscribers BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:subscribers', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_training_bases_i AFTER INSERT ON training_bases BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:training_bases', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_training_bases_u AFTER UPDATE ON training_bases BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:training_bases', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_training_bases_d AFTER DELETE ON training_bases BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:training_bases', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_training_notices_i AFTER INSERT ON training_notices BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:training_notices', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_training_notices_u AFTER UPDATE ON training_notices BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:training_notices', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_training_notices_d AFTER DELETE ON training_notices BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:training_notices', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_training_sessions_i AFTER INSERT ON training_sessions BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:training_sessions', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_training_sessions_u AFTER UPDATE ON training_sessions BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:training_sessions', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_training_sessions_d AFTER DELETE ON training_sessions BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:training_sessions', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_training_signup_codes_i AFTER INSERT ON training_signup_codes BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:training_signup_codes', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_training_signup_codes_u AFTER UPDATE ON training_signup_codes BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:training_signup_codes', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_training_signup_codes_d AFTER DELETE ON training_signup_codes BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:training_signup_codes', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_training_signups_i AFTER INSERT ON training_signups BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:training_signups', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_training_signups_u AFTER UPDATE ON training_signups BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:training_signups', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_training_signups_d AFTER DELETE ON training_signups BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:training_signups', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_users_i AFTER INSERT ON users BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:users', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_users_u AFTER UPDATE ON users BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:users', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_users_d AFTER DELETE ON users BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:users', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_wanted_i AFTER INSERT ON wanted BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:wanted', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_wanted_u AFTER UPDATE ON wanted BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:wanted', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_wanted_d AFTER DELETE ON wanted BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:wanted', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_wanted_answers_i AFTER INSERT ON wanted_answers BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:wanted_answers', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_wanted_answers_u AFTER UPDATE ON wanted_answers BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:wanted_answers', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tag_wanted_answers_d AFTER DELETE ON wanted_answers BEGIN INSERT INTO cache_tags (tag, n) VALUES ('table:wanted_answers', 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1; END;

-- Finer tags, by region subtree: a public listing in a village changes the pages of that village,
-- its township, its county and the city, not those of the other villages.
CREATE TRIGGER tag_listings_in_i AFTER INSERT ON listing_public BEGIN
  INSERT INTO cache_tags (tag, n) SELECT 'listings:in:' || substr(c.code, 1, k.len), 1 FROM (SELECT NEW.village_code AS code) c, (SELECT 4 AS len UNION ALL SELECT 6 UNION ALL SELECT 9 UNION ALL SELECT 12) k WHERE c.code IS NOT NULL AND k.len <= length(c.code) ON CONFLICT (tag) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER tag_listings_in_u AFTER UPDATE ON listing_public BEGIN
  INSERT INTO cache_tags (tag, n) SELECT 'listings:in:' || substr(c.code, 1, k.len), 1 FROM (SELECT OLD.village_code AS code) c, (SELECT 4 AS len UNION ALL SELECT 6 UNION ALL SELECT 9 UNION ALL SELECT 12) k WHERE c.code IS NOT NULL AND k.len <= length(c.code) ON CONFLICT (tag) DO UPDATE SET n = n + 1;
  INSERT INTO cache_tags (tag, n) SELECT 'listings:in:' || substr(c.code, 1, k.len), 1 FROM (SELECT NEW.village_code AS code) c, (SELECT 4 AS len UNION ALL SELECT 6 UNION ALL SELECT 9 UNION ALL SELECT 12) k WHERE c.code IS NOT NULL AND k.len <= length(c.code) ON CONFLICT (tag) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER tag_listings_in_d AFTER DELETE ON listing_public BEGIN
  INSERT INTO cache_tags (tag, n) SELECT 'listings:in:' || substr(c.code, 1, k.len), 1 FROM (SELECT OLD.village_code AS code) c, (SELECT 4 AS len UNION ALL SELECT 6 UNION ALL SELECT 9 UNION ALL SELECT 12) k WHERE c.code IS NOT NULL AND k.len <= length(c.code) ON CONFLICT (tag) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER tag_listings_in_photos_i AFTER INSERT ON listing_public_photos BEGIN
  INSERT INTO cache_tags (tag, n) SELECT 'listings:in:' || substr(c.code, 1, k.len), 1 FROM (SELECT (SELECT village_code FROM listing_public WHERE listing_id = NEW.listing_id) AS code) c, (SELECT 4 AS len UNION ALL SELECT 6 UNION ALL SELECT 9 UNION ALL SELECT 12) k WHERE c.code IS NOT NULL AND k.len <= length(c.code) ON CONFLICT (tag) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER tag_listings_in_photos_u AFTER UPDATE ON listing_public_photos BEGIN
  INSERT INTO cache_tags (tag, n) SELECT 'listings:in:' || substr(c.code, 1, k.len), 1 FROM (SELECT (SELECT village_code FROM listing_public WHERE listing_id = OLD.listing_id) AS code) c, (SELECT 4 AS len UNION ALL SELECT 6 UNION ALL SELECT 9 UNION ALL SELECT 12) k WHERE c.code IS NOT NULL AND k.len <= length(c.code) ON CONFLICT (tag) DO UPDATE SET n = n + 1;
  INSERT INTO cache_tags (tag, n) SELECT 'listings:in:' || substr(c.code, 1, k.len), 1 FROM (SELECT (SELECT village_code FROM listing_public WHERE listing_id = NEW.listing_id) AS code) c, (SELECT 4 AS len UNION ALL SELECT 6 UNION ALL SELECT 9 UNION ALL SELECT 12) k WHERE c.code IS NOT NULL AND k.len <= length(c.code) ON CONFLICT (tag) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER tag_listings_in_photos_d AFTER DELETE ON listing_public_photos BEGIN
  INSERT INTO cache_tags (tag, n) SELECT 'listings:in:' || substr(c.code, 1, k.len), 1 FROM (SELECT (SELECT village_code FROM listing_public WHERE listing_id = OLD.listing_id) AS code) c, (SELECT 4 AS len UNION ALL SELECT 6 UNION ALL SELECT 9 UNION ALL SELECT 12) k WHERE c.code IS NOT NULL AND k.len <= length(c.code) ON CONFLICT (tag) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER tag_listings_in_certifications_i AFTER INSERT ON listing_public_certifications BEGIN
  INSERT INTO cache_tags (tag, n) SELECT 'listings:in:' || substr(c.code, 1, k.len), 1 FROM (SELECT (SELECT village_code FROM listing_public WHERE listing_id = NEW.listing_id) AS code) c, (SELECT 4 AS len UNION ALL SELECT 6 UNION ALL SELECT 9 UNION ALL SELECT 12) k WHERE c.code IS NOT NULL AND k.len <= length(c.code) ON CONFLICT (tag) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER tag_listings_in_certifications_u AFTER UPDATE ON listing_public_certifications BEGIN
  INSERT INTO cache_tags (tag, n) SELECT 'listings:in:' || substr(c.code, 1, k.len), 1 FROM (SELECT (SELECT village_code FROM listing_public WHERE listing_id = OLD.listing_id) AS code) c, (SELECT 4 AS len UNION ALL SELECT 6 UNION ALL SELECT 9 UNION ALL SELECT 12) k WHERE c.code IS NOT NULL AND k.len <= length(c.code) ON CONFLICT (tag) DO UPDATE SET n = n + 1;
  INSERT INTO cache_tags (tag, n) SELECT 'listings:in:' || substr(c.code, 1, k.len), 1 FROM (SELECT (SELECT village_code FROM listing_public WHERE listing_id = NEW.listing_id) AS code) c, (SELECT 4 AS len UNION ALL SELECT 6 UNION ALL SELECT 9 UNION ALL SELECT 12) k WHERE c.code IS NOT NULL AND k.len <= length(c.code) ON CONFLICT (tag) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER tag_listings_in_certifications_d AFTER DELETE ON listing_public_certifications BEGIN
  INSERT INTO cache_tags (tag, n) SELECT 'listings:in:' || substr(c.code, 1, k.len), 1 FROM (SELECT (SELECT village_code FROM listing_public WHERE listing_id = OLD.listing_id) AS code) c, (SELECT 4 AS len UNION ALL SELECT 6 UNION ALL SELECT 9 UNION ALL SELECT 12) k WHERE c.code IS NOT NULL AND k.len <= length(c.code) ON CONFLICT (tag) DO UPDATE SET n = n + 1;
END;

-- An article shows at its own region and below (`articles:at:`) and in the lists of the regions above it (`articles:in:`).
CREATE TRIGGER tag_articles_region_i AFTER INSERT ON articles BEGIN
  INSERT INTO cache_tags (tag, n) SELECT 'articles:in:' || substr(c.code, 1, k.len), 1 FROM (SELECT NEW.region_code AS code) c, (SELECT 4 AS len UNION ALL SELECT 6 UNION ALL SELECT 9 UNION ALL SELECT 12) k WHERE c.code IS NOT NULL AND k.len <= length(c.code) ON CONFLICT (tag) DO UPDATE SET n = n + 1;
  INSERT INTO cache_tags (tag, n) VALUES ('articles:at:' || NEW.region_code, 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER tag_articles_region_u AFTER UPDATE ON articles BEGIN
  INSERT INTO cache_tags (tag, n) SELECT 'articles:in:' || substr(c.code, 1, k.len), 1 FROM (SELECT OLD.region_code AS code) c, (SELECT 4 AS len UNION ALL SELECT 6 UNION ALL SELECT 9 UNION ALL SELECT 12) k WHERE c.code IS NOT NULL AND k.len <= length(c.code) ON CONFLICT (tag) DO UPDATE SET n = n + 1;
  INSERT INTO cache_tags (tag, n) VALUES ('articles:at:' || OLD.region_code, 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1;
  INSERT INTO cache_tags (tag, n) SELECT 'articles:in:' || substr(c.code, 1, k.len), 1 FROM (SELECT NEW.region_code AS code) c, (SELECT 4 AS len UNION ALL SELECT 6 UNION ALL SELECT 9 UNION ALL SELECT 12) k WHERE c.code IS NOT NULL AND k.len <= length(c.code) ON CONFLICT (tag) DO UPDATE SET n = n + 1;
  INSERT INTO cache_tags (tag, n) VALUES ('articles:at:' || NEW.region_code, 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER tag_articles_region_d AFTER DELETE ON articles BEGIN
  INSERT INTO cache_tags (tag, n) SELECT 'articles:in:' || substr(c.code, 1, k.len), 1 FROM (SELECT OLD.region_code AS code) c, (SELECT 4 AS len UNION ALL SELECT 6 UNION ALL SELECT 9 UNION ALL SELECT 12) k WHERE c.code IS NOT NULL AND k.len <= length(c.code) ON CONFLICT (tag) DO UPDATE SET n = n + 1;
  INSERT INTO cache_tags (tag, n) VALUES ('articles:at:' || OLD.region_code, 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1;
END;

-- Trainings are a county's: its pages show its sessions. A session's own page also follows its sign-ups.
CREATE TRIGGER tag_trainings_session_i AFTER INSERT ON training_sessions BEGIN
  INSERT INTO cache_tags (tag, n) SELECT 'trainings:in:' || substr(c.code, 1, k.len), 1 FROM (SELECT NEW.county_code AS code) c, (SELECT 4 AS len UNION ALL SELECT 6 UNION ALL SELECT 9 UNION ALL SELECT 12) k WHERE c.code IS NOT NULL AND k.len <= length(c.code) ON CONFLICT (tag) DO UPDATE SET n = n + 1;
  INSERT INTO cache_tags (tag, n) VALUES ('trainings:session:' || NEW.id, 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER tag_trainings_session_u AFTER UPDATE ON training_sessions BEGIN
  INSERT INTO cache_tags (tag, n) SELECT 'trainings:in:' || substr(c.code, 1, k.len), 1 FROM (SELECT OLD.county_code AS code) c, (SELECT 4 AS len UNION ALL SELECT 6 UNION ALL SELECT 9 UNION ALL SELECT 12) k WHERE c.code IS NOT NULL AND k.len <= length(c.code) ON CONFLICT (tag) DO UPDATE SET n = n + 1;
  INSERT INTO cache_tags (tag, n) VALUES ('trainings:session:' || OLD.id, 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1;
  INSERT INTO cache_tags (tag, n) SELECT 'trainings:in:' || substr(c.code, 1, k.len), 1 FROM (SELECT NEW.county_code AS code) c, (SELECT 4 AS len UNION ALL SELECT 6 UNION ALL SELECT 9 UNION ALL SELECT 12) k WHERE c.code IS NOT NULL AND k.len <= length(c.code) ON CONFLICT (tag) DO UPDATE SET n = n + 1;
  INSERT INTO cache_tags (tag, n) VALUES ('trainings:session:' || NEW.id, 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER tag_trainings_session_d AFTER DELETE ON training_sessions BEGIN
  INSERT INTO cache_tags (tag, n) SELECT 'trainings:in:' || substr(c.code, 1, k.len), 1 FROM (SELECT OLD.county_code AS code) c, (SELECT 4 AS len UNION ALL SELECT 6 UNION ALL SELECT 9 UNION ALL SELECT 12) k WHERE c.code IS NOT NULL AND k.len <= length(c.code) ON CONFLICT (tag) DO UPDATE SET n = n + 1;
  INSERT INTO cache_tags (tag, n) VALUES ('trainings:session:' || OLD.id, 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1;
END;
-- Region pages show whether a session still has seats, not how many (`trainings:open:` of its county
-- and of the city): a sign-up changes them only when it takes the last seat; a cancellation or a
-- move off the waiting list may free one.
CREATE TRIGGER tag_trainings_signup_i AFTER INSERT ON training_signups BEGIN
  INSERT INTO cache_tags (tag, n) VALUES ('trainings:session:' || NEW.session_id, 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1;
  INSERT INTO cache_tags (tag, n) SELECT 'trainings:open:' || substr(t.county_code, 1, k.len), 1
    FROM training_sessions t, (SELECT 4 AS len UNION ALL SELECT 6) k
    WHERE t.id = NEW.session_id AND NEW.status = 'confirmed'
      AND (SELECT count(*) FROM training_signups s WHERE s.session_id = t.id AND s.status = 'confirmed') >= t.capacity
    ON CONFLICT (tag) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER tag_trainings_signup_u AFTER UPDATE ON training_signups BEGIN
  INSERT INTO cache_tags (tag, n) VALUES ('trainings:session:' || NEW.session_id, 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1;
  INSERT INTO cache_tags (tag, n) SELECT 'trainings:open:' || substr(t.county_code, 1, k.len), 1
    FROM training_sessions t, (SELECT 4 AS len UNION ALL SELECT 6) k WHERE t.id = NEW.session_id
    ON CONFLICT (tag) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER tag_trainings_signup_d AFTER DELETE ON training_signups BEGIN
  INSERT INTO cache_tags (tag, n) VALUES ('trainings:session:' || OLD.session_id, 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1;
  INSERT INTO cache_tags (tag, n) SELECT 'trainings:open:' || substr(t.county_code, 1, k.len), 1
    FROM training_sessions t, (SELECT 4 AS len UNION ALL SELECT 6) k WHERE t.id = OLD.session_id
    ON CONFLICT (tag) DO UPDATE SET n = n + 1;
END;
