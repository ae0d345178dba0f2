-- One search index over every public thing (listings, articles, trainings, regions).
-- FTS5's tokenizers do not split Chinese, so the application stores pre-split tokens
-- (single characters and character pairs of Chinese runs, whole words otherwise).
CREATE TABLE search_documents (
  type TEXT NOT NULL,
  id TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  region_code TEXT NOT NULL,
  url TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (type, id)
);
CREATE INDEX search_documents_region ON search_documents (region_code);

-- rowid = search_documents.rowid
CREATE VIRTUAL TABLE search_fts USING fts5 (title_tokens, body_tokens, tokenize = 'unicode61 remove_diacritics 2');
