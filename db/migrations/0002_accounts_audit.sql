-- Accounts with region-scoped roles. The role fixes the level of the region:
-- admin → city, county_staff → county, station_manager → township, collector → village.
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL CHECK (role IN ('admin', 'county_staff', 'station_manager', 'collector')),
  region_code TEXT NOT NULL REFERENCES regions (code),
  password_hash TEXT NOT NULL,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  disabled INTEGER NOT NULL DEFAULT 0,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER,
  password_changed_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX users_region ON users (region_code);

-- Sign-in sessions (lucia). expires_at moves with activity (idle timeout);
-- created_at never does (absolute timeout). Times are Unix milliseconds.
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  client_address TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed sign-ins per client address, for throttling password guessing across accounts.
CREATE TABLE login_failures (
  client_address TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX login_failures_address ON login_failures (client_address, at);

-- Who did what, written in the same transaction as the change it describes.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  user_id TEXT,
  username TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL,
  entity TEXT NOT NULL DEFAULT '',
  entity_id TEXT NOT NULL DEFAULT '',
  region_code TEXT NOT NULL DEFAULT '',
  summary TEXT NOT NULL DEFAULT '',
  client_address TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_region ON audit_log (region_code, at);
CREATE INDEX audit_log_user ON audit_log (user_id, at);
