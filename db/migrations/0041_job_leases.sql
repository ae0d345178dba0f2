-- Background jobs (housekeeping, message delivery) run in exactly one of `npm start`'s worker
-- processes: the one holding this lease. A holder renews it well before expires_at (ms since
-- the epoch); when it dies, another worker takes it over once it has expired.
CREATE TABLE job_leases (
  name TEXT PRIMARY KEY,
  holder TEXT,
  expires_at INTEGER NOT NULL DEFAULT 0
);
