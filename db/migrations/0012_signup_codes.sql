-- A second sign-up with a phone already signed up for a session gets a reference code of its own
-- for that same sign-up (so the answer does not tell whether the phone was signed up, and the
-- phone's owner can see and cancel a sign-up someone else made with it). Codes are unique per
-- session across both tables; removing a sign-up removes its extra codes.
CREATE TABLE training_signup_codes (
  session_id INTEGER NOT NULL REFERENCES training_sessions (id) ON DELETE CASCADE,
  ref_code TEXT NOT NULL,
  signup_id INTEGER NOT NULL REFERENCES training_signups (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (session_id, ref_code)
);
CREATE INDEX training_signup_codes_signup ON training_signup_codes (signup_id);
