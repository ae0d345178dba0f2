-- Second factor (TOTP, RFC 6238) and "your sessions" (docs/ACCOUNTS.md, "Second factor").

-- The confirmed TOTP key (base32), when it was confirmed, and the last time step a code was
-- accepted for: a code of that step or an earlier one is refused (replay). A key offered on the
-- enrolment page but not yet confirmed with a code waits in totp_pending.
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_enabled_at INTEGER;
ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN totp_pending TEXT;

-- Ten one-time recovery codes per enrolment, only their SHA-256 kept.
CREATE TABLE recovery_codes (
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash TEXT NOT NULL,
  used_at INTEGER,
  PRIMARY KEY (user_id, code_hash)
) WITHOUT ROWID;

-- What a user needs to recognise their sessions: the browser's User-Agent (cut to 300 characters)
-- and the last request (updated at most once a minute, with the idle expiry). A session whose
-- password was right but whose second factor is still to come has second_factor_pending = 1: it
-- signs nobody in. Existing rows were full sessions created before: they keep working.
ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN last_used_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN second_factor_pending INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET last_used_at = created_at;
