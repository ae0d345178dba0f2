-- A collector's own call taps of the month on their dashboard: read by author, not by village.
CREATE INDEX listing_leads_author ON listing_leads (author_id, day);
