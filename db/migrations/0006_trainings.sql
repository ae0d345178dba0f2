-- Farmer information training bases (农民信息培训基地): one per county, its sessions,
-- the sign-ups of farmers (no account needed) and the base's training notices.
-- Times are Unix milliseconds; people type and read them in China Standard Time.
CREATE TABLE training_bases (
  county_code TEXT PRIMARY KEY REFERENCES regions (code),
  name TEXT NOT NULL,
  address TEXT NOT NULL DEFAULT '',
  contact_name TEXT NOT NULL DEFAULT '',
  contact_phone TEXT NOT NULL DEFAULT '',
  intro_md TEXT NOT NULL DEFAULT '',
  updated_at INTEGER NOT NULL
);

CREATE TABLE training_sessions (
  id INTEGER PRIMARY KEY,
  county_code TEXT NOT NULL REFERENCES regions (code),
  title TEXT NOT NULL,
  topic TEXT NOT NULL DEFAULT '',
  description_md TEXT NOT NULL DEFAULT '',
  trainer TEXT NOT NULL DEFAULT '',
  location TEXT NOT NULL DEFAULT '',
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL CHECK (ends_at > starts_at),
  capacity INTEGER NOT NULL CHECK (capacity > 0),
  signup_deadline INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled', 'completed')),
  cancel_note TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX training_sessions_starts ON training_sessions (starts_at);
CREATE INDEX training_sessions_county ON training_sessions (county_code, starts_at);

-- A farmer's place in a session: confirmed (has a seat), waitlisted (in order of id) or cancelled.
CREATE TABLE training_signups (
  id INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES training_sessions (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  phone TEXT NOT NULL,
  village_code TEXT NOT NULL REFERENCES regions (code),
  ref_code TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
  attended_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (session_id, ref_code)
);
-- One active sign-up per phone and session; after cancelling, the same phone may sign up again.
CREATE UNIQUE INDEX training_signups_phone ON training_signups (session_id, phone) WHERE status <> 'cancelled';
CREATE INDEX training_signups_session ON training_signups (session_id, status, id);

CREATE TABLE training_notices (
  id INTEGER PRIMARY KEY,
  county_code TEXT NOT NULL REFERENCES regions (code),
  title TEXT NOT NULL,
  body_md TEXT NOT NULL DEFAULT '',
  published_on TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX training_notices_county ON training_notices (county_code, published_on);
