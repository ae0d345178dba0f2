-- foreign_keys: off
-- Farmers ask, experts answer (issue 18). The first line above makes the runner apply this file
-- with foreign keys off and check them all before commit: `users` is rebuilt (SQLite cannot widen
-- a CHECK in place), and with foreign keys on, dropping it would cascade into sessions and contacts.

-- The `expert` role: an advisor scoped to a county or the city, answering questions of their specialties.
CREATE TABLE users_new (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL CHECK (role IN ('admin', 'county_staff', 'station_manager', 'collector', 'expert')),
  region_code TEXT NOT NULL REFERENCES regions (code),
  password_hash TEXT NOT NULL,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  disabled INTEGER NOT NULL DEFAULT 0,
  password_changed_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
INSERT INTO users_new (id, username, display_name, role, region_code, password_hash, must_change_password, disabled, password_changed_at, created_at, updated_at)
  SELECT id, username, display_name, role, region_code, password_hash, must_change_password, disabled, password_changed_at, created_at, updated_at FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE INDEX users_region ON users (region_code);

-- An expert's specialties: the question categories they answer.
CREATE TABLE expert_specialties (
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  category TEXT NOT NULL,
  PRIMARY KEY (user_id, category)
) WITHOUT ROWID;

-- Counties whose staff review an expert's answer before it is released (one optional review step).
CREATE TABLE question_review_counties (
  county_code TEXT PRIMARY KEY REFERENCES regions (code),
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;

-- One question. The phone is the asker's only identity and is never shown on a public page.
-- holder_code is the township, county or city whose queue has it now; public_title/public_text are
-- the texts as staff edited them to remove personal details (question_edits keeps the earlier ones).
CREATE TABLE questions (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  phone TEXT NOT NULL,
  village_code TEXT NOT NULL REFERENCES regions (code),
  category TEXT NOT NULL CHECK (category IN ('planting', 'livestock', 'machinery', 'market', 'policy', 'other')),
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  public_title TEXT NOT NULL,
  public_body TEXT NOT NULL,
  consent INTEGER NOT NULL CHECK (consent IN (0, 1)),
  -- The collector who filed it for a walk-in farmer; NULL when the farmer asked on /ask.
  filed_by TEXT REFERENCES users (id) ON DELETE SET NULL,
  holder_code TEXT NOT NULL REFERENCES regions (code),
  expert_id TEXT REFERENCES users (id) ON DELETE SET NULL,
  -- open: waiting for an answer; review: answered, waiting for release; answered: released;
  -- merged: a duplicate of merged_into; spam: kept out of everything public.
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'review', 'answered', 'merged', 'spam')),
  answer_md TEXT NOT NULL DEFAULT '',
  answered_by TEXT REFERENCES users (id) ON DELETE SET NULL,
  -- The unit shown as answering (a region code); the person's name only when they chose to show it.
  answer_unit TEXT REFERENCES regions (code),
  answer_signed INTEGER NOT NULL DEFAULT 0 CHECK (answer_signed IN (0, 1)),
  answered_at INTEGER,
  merged_into INTEGER REFERENCES questions (id),
  article_id INTEGER REFERENCES articles (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX questions_holder ON questions (holder_code, status, created_at);
CREATE INDEX questions_expert ON questions (expert_id, status);
CREATE INDEX questions_public ON questions (status, consent, answered_at);
CREATE INDEX questions_village ON questions (village_code, status);
CREATE INDEX questions_phone ON questions (phone, created_at);
CREATE INDEX questions_created ON questions (created_at);

-- Photos of the question (part 'question') and of the answer (part 'answer').
CREATE TABLE question_photos (
  question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
  part TEXT NOT NULL CHECK (part IN ('question', 'answer')),
  position INTEGER NOT NULL,
  sha256 TEXT NOT NULL REFERENCES media (sha256),
  PRIMARY KEY (question_id, part, position)
);
CREATE INDEX question_photos_sha ON question_photos (sha256);

-- The path: who held it, when, and what they did. level_code is the unit acting (or asked of).
CREATE TABLE question_events (
  id INTEGER PRIMARY KEY,
  question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('asked', 'forwarded', 'assigned', 'answered', 'returned', 'released', 'merged', 'spam', 'edited', 'faq')),
  level_code TEXT NOT NULL,
  at INTEGER NOT NULL,
  actor_id TEXT REFERENCES users (id) ON DELETE SET NULL,
  comment TEXT NOT NULL DEFAULT ''
);
CREATE INDEX question_events_question ON question_events (question_id, at);

-- Earlier public texts, kept when staff edit them.
CREATE TABLE question_edits (
  id INTEGER PRIMARY KEY,
  question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  edited_by TEXT REFERENCES users (id) ON DELETE SET NULL,
  at INTEGER NOT NULL
);
CREATE INDEX question_edits_question ON question_edits (question_id, at);
