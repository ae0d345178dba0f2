-- Sign-in hardening (docs/ACCOUNTS.md, "Signing in").

-- Sessions now keep only the SHA-256 of their token (src/lib/auth/session.ts). Rows written
-- before hold the token itself, which any copy of the database could replay: they all end here.
DELETE FROM sessions;

-- Failed sign-ins per typed name and client address. The lock is per pair, so a flood from other
-- addresses cannot lock an account's owner out; names that do not exist get rows like real ones,
-- so a lock answers the same for both. `failures` counts attempts reserved before their password
-- is checked; `locks` makes each further lock of the pair last longer.
CREATE TABLE login_locks (
  username TEXT NOT NULL COLLATE NOCASE,
  client_address TEXT NOT NULL,
  failures INTEGER NOT NULL DEFAULT 0,
  locks INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (username, client_address)
) WITHOUT ROWID;
CREATE INDEX login_locks_updated ON login_locks (updated_at);

-- The account-wide counter and lock are replaced by login_locks.
ALTER TABLE users DROP COLUMN failed_logins;
ALTER TABLE users DROP COLUMN locked_until;
