-- Articles and notices, published at the region they concern and visible in its whole subtree.
CREATE TABLE articles (
  id INTEGER PRIMARY KEY,
  region_code TEXT NOT NULL REFERENCES regions (code),
  kind TEXT NOT NULL CHECK (kind IN ('notice', 'technical', 'market', 'policy', 'livelihood')),
  title TEXT NOT NULL,
  summary TEXT NOT NULL DEFAULT '',
  body_md TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'unpublished')),
  pinned INTEGER NOT NULL DEFAULT 0,
  -- NULL for sample content written by the seed.
  author_id TEXT REFERENCES users (id) ON DELETE SET NULL,
  published_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX articles_region ON articles (region_code, status);
CREATE INDEX articles_latest ON articles (status, kind, published_at);

-- The township information library (信息库): files kept by a township station.
-- The bytes live under MEDIA_DIR, named by their SHA-256, so equal uploads share one file.
CREATE TABLE library_files (
  id INTEGER PRIMARY KEY,
  township_code TEXT NOT NULL REFERENCES regions (code),
  title TEXT NOT NULL,
  category TEXT NOT NULL CHECK (category IN ('notice', 'technical', 'market', 'policy', 'livelihood')),
  doc_date TEXT NOT NULL,
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  uploaded_by TEXT REFERENCES users (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX library_files_township ON library_files (township_code, doc_date);
CREATE INDEX library_files_sha ON library_files (sha256);
