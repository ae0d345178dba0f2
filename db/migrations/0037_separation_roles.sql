-- foreign_keys: off
-- Three-role separation (三员分立, issue 25): the system administrator, security administrator and
-- auditor roles, city level, acting only with SEPARATION_OF_DUTIES=on; and `reporter`, a department's
-- reporting account (issue 23). SQLite cannot widen a CHECK
-- in place, so `users` is rebuilt with every column it has (the second factor's from 0036 included); every existing row stays valid.
CREATE TABLE users_new (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL CHECK (role IN ('admin', 'county_staff', 'station_manager', 'collector', 'expert', 'system_admin', 'security_admin', 'auditor', 'reporter')),
  region_code TEXT NOT NULL REFERENCES regions (code),
  password_hash TEXT NOT NULL,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  disabled INTEGER NOT NULL DEFAULT 0,
  password_changed_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  totp_secret TEXT,
  totp_enabled_at INTEGER,
  totp_last_step INTEGER NOT NULL DEFAULT 0,
  totp_pending TEXT
);
INSERT INTO users_new (id, username, display_name, role, region_code, password_hash, must_change_password, disabled, password_changed_at, created_at, updated_at,
    totp_secret, totp_enabled_at, totp_last_step, totp_pending)
  SELECT id, username, display_name, role, region_code, password_hash, must_change_password, disabled, password_changed_at, created_at, updated_at,
    totp_secret, totp_enabled_at, totp_last_step, totp_pending FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE INDEX users_region ON users (region_code);
